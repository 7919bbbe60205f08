// Spatial indexes for the analyses: Flatbush (packed Hilbert R-tree) over segment and polygon
// boxes, KDBush over points, each followed by exact refinement in the local metric projection.
import Flatbush from "flatbush";
import KDBush from "kdbush";
import { pointSegmentDist2, polygonContains, segmentLengthInDisc } from "./geometry";

/** Every segment of a set of polylines / rings, each remembering which item it came from. */
export class SegmentIndex {
  readonly size: number;
  /** ax, ay, bx, by per segment. */
  readonly segs: Float64Array;
  /** Item (owner) index per segment. */
  readonly owner: Uint32Array;
  private readonly tree: Flatbush | undefined;

  /** `items[i]` is the list of flat runs (polylines or closed rings) of item i. */
  constructor(items: readonly (readonly Float64Array[])[]) {
    let n = 0;
    for (const runs of items) for (const r of runs) n += Math.max(0, r.length / 2 - 1);
    this.size = n;
    this.segs = new Float64Array(n * 4);
    this.owner = new Uint32Array(n);
    this.tree = n > 0 ? new Flatbush(n) : undefined;
    let s = 0;
    items.forEach((runs, item) => {
      for (const r of runs)
        for (let i = 0; i + 3 < r.length; i += 2) {
          const ax = r[i];
          const ay = r[i + 1];
          const bx = r[i + 2];
          const by = r[i + 3];
          const o = s * 4;
          this.segs[o] = ax;
          this.segs[o + 1] = ay;
          this.segs[o + 2] = bx;
          this.segs[o + 3] = by;
          this.owner[s] = item;
          this.tree!.add(Math.min(ax, bx), Math.min(ay, by), Math.max(ax, bx), Math.max(ay, by));
          s++;
        }
    });
    this.tree?.finish();
  }

  dist2(seg: number, x: number, y: number): number {
    const o = seg * 4;
    const s = this.segs;
    return pointSegmentDist2(x, y, s[o], s[o + 1], s[o + 2], s[o + 3]);
  }

  lengthInDisc(seg: number, x: number, y: number, r: number): number {
    const o = seg * 4;
    const s = this.segs;
    return segmentLengthInDisc(x, y, r, s[o], s[o + 1], s[o + 2], s[o + 3]);
  }

  /** Calls visit(segment, squaredDistance) for every segment within r of (x, y). */
  forEachWithin(x: number, y: number, r: number, visit: (seg: number, d2: number) => void): void {
    if (!this.tree) return;
    const r2 = r * r;
    for (const seg of this.tree.search(x - r, y - r, x + r, y + r)) {
      const d2 = this.dist2(seg, x, y);
      if (d2 <= r2) visit(seg, d2);
    }
  }

  /** Whether any segment is within r of (x, y); stops at the first. */
  anyWithin(x: number, y: number, r: number): boolean {
    if (!this.tree) return false;
    const r2 = r * r;
    return this.tree.collides(x - r, y - r, x + r, y + r, (seg) => this.dist2(seg, x, y) <= r2);
  }

  /**
   * Exact nearest segment: the segment with the nearest box gives an upper bound d on the
   * distance; every segment closer than d has its box within d, so one box search of radius d
   * with exact refinement finds the true nearest.
   */
  nearest(x: number, y: number, hintR?: number): { seg: number; dist: number } | undefined {
    if (!this.tree) return undefined;
    // With a hint (the radius the caller cares about) try one box search first: if something
    // lies within hintR, the nearest is among the segments whose boxes touch that box.
    // Small boxes first (most homes have green much nearer than the radius): hint/4, /2, 1.
    if (hintR !== undefined && hintR > 0)
      for (const r of [hintR / 4, hintR / 2, hintR]) {
        let hit = -1;
        let hitD2 = r * r;
        for (const seg of this.tree.search(x - r, y - r, x + r, y + r)) {
          const d2 = this.dist2(seg, x, y);
          if (d2 <= hitD2) {
            hitD2 = d2;
            hit = seg;
          }
        }
        if (hit >= 0) return { seg: hit, dist: Math.sqrt(hitD2) };
      }
    const first = this.tree.neighbors(x, y, 1)[0];
    if (first === undefined) return undefined;
    let best = first;
    let bestD2 = this.dist2(first, x, y);
    const r = Math.sqrt(bestD2);
    for (const seg of this.tree.search(x - r, y - r, x + r, y + r)) {
      const d2 = this.dist2(seg, x, y);
      if (d2 < bestD2) {
        bestD2 = d2;
        best = seg;
      }
    }
    return { seg: best, dist: Math.sqrt(bestD2) };
  }
}

/** A set of (multi)polygons: an index of part boxes for containment + a segment index of edges. */
export class PolygonIndex {
  readonly size: number;
  private readonly parts: { owner: number; rings: readonly Float64Array[] }[] = [];
  private readonly partTree: Flatbush | undefined;
  readonly edges: SegmentIndex;

  /** `items[i]` is the list of polygons (each a list of closed flat rings) of item i. */
  constructor(items: readonly (readonly (readonly Float64Array[])[])[]) {
    this.size = items.length;
    items.forEach((polys, owner) => {
      for (const rings of polys) if (rings.length) this.parts.push({ owner, rings });
    });
    this.partTree = this.parts.length ? new Flatbush(this.parts.length) : undefined;
    for (const { rings } of this.parts) {
      const o = rings[0];
      let x0 = Infinity;
      let y0 = Infinity;
      let x1 = -Infinity;
      let y1 = -Infinity;
      for (let i = 0; i < o.length; i += 2) {
        if (o[i] < x0) x0 = o[i];
        if (o[i] > x1) x1 = o[i];
        if (o[i + 1] < y0) y0 = o[i + 1];
        if (o[i + 1] > y1) y1 = o[i + 1];
      }
      this.partTree!.add(x0, y0, x1, y1);
    }
    this.partTree?.finish();
    this.edges = new SegmentIndex(items.map((polys) => polys.flat()));
  }

  /** Whether (x, y) lies inside any polygon (holes excluded). */
  contains(x: number, y: number): boolean {
    if (!this.partTree) return false;
    return this.partTree.collides(x, y, x, y, (i) => polygonContains(this.parts[i].rings, x, y));
  }

  /** Distance to the nearest polygon, 0 inside; undefined when the set is empty. */
  distance(x: number, y: number, hintR?: number): number | undefined {
    if (this.contains(x, y)) return 0;
    return this.edges.nearest(x, y, hintR)?.dist;
  }

  /** Whether some polygon is within r (edge within r, or the point inside). */
  within(x: number, y: number, r: number): boolean {
    return this.edges.anyWithin(x, y, r) || this.contains(x, y);
  }
}

const SCRATCH = new Uint32Array(1);

/** Points for radius queries. */
export class PointIndex {
  readonly size: number;
  private readonly tree: KDBush | undefined;
  constructor(xy: readonly (readonly [number, number])[]) {
    this.size = xy.length;
    this.tree = xy.length ? new KDBush(xy.length) : undefined;
    for (const [x, y] of xy) this.tree!.add(x, y);
    this.tree?.finish();
  }
  /** Indices of the points within r of (x, y) (KDBush's within is an exact circle test). */
  within(x: number, y: number, r: number): number[] {
    return this.tree ? this.tree.within(x, y, r) : [];
  }
  /** Whether any point is within r; counts into a 1-slot buffer (writes past its end are no-ops) to avoid allocating. */
  any(x: number, y: number, r: number): boolean {
    return !!this.tree && this.tree.withinInto(x, y, r, SCRATCH) > 0;
  }
}
