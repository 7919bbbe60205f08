// Geometry helpers for the calculators: geodesic areas and lengths (turf, spherical earth of
// radius 6,371,008.8 m) and clipping to the built-up area.

import Flatbush from "flatbush";
import { area, bboxClip, feature, featureCollection, intersect, length } from "@turf/turf";
import type { Geometry, LineString, MultiLineString, MultiPolygon, Polygon, Position } from "geojson";

export type AreaGeometry = Polygon | MultiPolygon;

export function isPolygonal(g: Geometry | null | undefined): g is AreaGeometry {
  return !!g && (g.type === "Polygon" || g.type === "MultiPolygon") && Array.isArray(g.coordinates);
}
export function isLinear(g: Geometry | null | undefined): g is LineString | MultiLineString {
  return !!g && (g.type === "LineString" || g.type === "MultiLineString") && Array.isArray(g.coordinates);
}

/** Geodesic area in m² (0 for anything that is not a polygon). */
export function areaM2(g: Geometry | null | undefined): number {
  if (!isPolygonal(g)) return 0;
  const a = area(g);
  return Number.isFinite(a) ? a : 0;
}

/** Length in km along the earth (0 for anything that is not a line). */
export function lengthKm(g: Geometry | null | undefined): number {
  if (!isLinear(g)) return 0;
  const l = length(feature(g), { units: "kilometers" });
  return Number.isFinite(l) ? l : 0;
}

function polygonsOf(g: AreaGeometry): Position[][][] {
  return g.type === "Polygon" ? [g.coordinates] : g.coordinates;
}

function ringContains(ring: Position[], x: number, y: number): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const xi = ring[i][0];
    const yi = ring[i][1];
    const xj = ring[j][0];
    const yj = ring[j][1];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function bboxOf(g: AreaGeometry): [number, number, number, number] {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const poly of polygonsOf(g))
    for (const p of poly[0] ?? []) {
      if (p[0] < x0) x0 = p[0];
      if (p[0] > x1) x1 = p[0];
      if (p[1] < y0) y0 = p[1];
      if (p[1] > y1) y1 = p[1];
    }
  return [x0, y0, x1, y1];
}

/**
 * Measures how much of a polygon lies inside a (multi)polygonal region, e.g. the built-up area.
 * Most features lie wholly inside or outside, so the region's boundary segments are indexed and
 * only features whose box touches the boundary are clipped exactly (turf.intersect on the
 * region cut down to the feature's box); the rest cost one point-in-polygon test.
 */
export class RegionClipper {
  private readonly polys: Position[][][] = [];
  private readonly segIndex: Flatbush | undefined;
  readonly regionAreaM2: number;
  private readonly region: MultiPolygon;

  constructor(regions: AreaGeometry[]) {
    for (const g of regions) if (isPolygonal(g)) this.polys.push(...polygonsOf(g));
    this.region = { type: "MultiPolygon", coordinates: this.polys };
    this.regionAreaM2 = this.polys.length ? area(this.region) : 0;
    let n = 0;
    for (const poly of this.polys) for (const ring of poly) n += Math.max(0, ring.length - 1);
    if (n > 0) {
      const idx = new Flatbush(n);
      for (const poly of this.polys)
        for (const ring of poly)
          for (let i = 1; i < ring.length; i++) {
            const a = ring[i - 1];
            const b = ring[i];
            idx.add(Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[0], b[0]), Math.max(a[1], b[1]));
          }
      idx.finish();
      this.segIndex = idx;
    }
  }

  contains(x: number, y: number): boolean {
    for (const poly of this.polys) {
      if (!poly[0] || !ringContains(poly[0], x, y)) continue;
      let inHole = false;
      for (let h = 1; h < poly.length; h++) if (ringContains(poly[h], x, y)) inHole = true;
      if (!inHole) return true;
    }
    return false;
  }

  /** Area (m²) of g inside the region. */
  areaInsideM2(g: Geometry | null | undefined): number {
    if (!isPolygonal(g) || !this.segIndex) return 0;
    const [x0, y0, x1, y1] = bboxOf(g);
    if (!Number.isFinite(x0)) return 0;
    const crossing = this.segIndex.search(x0, y0, x1, y1);
    if (crossing.length === 0) {
      const p = polygonsOf(g)[0][0][0];
      return this.contains(p[0], p[1]) ? areaM2(g) : 0;
    }
    const pad = 1e-6;
    const clip = bboxClip(this.region, [x0 - pad, y0 - pad, x1 + pad, y1 + pad]).geometry;
    const rings = polygonsOf(clip as AreaGeometry).filter((p) => p.length > 0 && p[0].length >= 4);
    if (rings.length === 0) return 0;
    // Fast exact path for convex features without holes (strips, lots, ellipses — most of
    // them): clip the region by the feature (Sutherland–Hodgman is exact for a convex clipper)
    // and scale the feature's geodesic area by the planar share that lies inside.
    if (g.type === "Polygon" && g.coordinates.length === 1 && isConvex(g.coordinates[0])) {
      const f = g.coordinates[0];
      const whole = Math.abs(planarArea(f));
      if (whole === 0) return 0;
      let inside = 0;
      for (const poly of rings)
        poly.forEach((ring, k) => {
          const a = Math.abs(planarArea(clipConvex(ring, f)));
          inside += k === 0 ? a : -a;
        });
      return areaM2(g) * Math.max(0, Math.min(1, inside / whole));
    }
    try {
      const inter = intersect(featureCollection([feature(g), feature<MultiPolygon>({ type: "MultiPolygon", coordinates: rings })]));
      return inter ? areaM2(inter.geometry) : 0;
    } catch {
      // A degenerate sliver the clipper cannot handle: count it by its first vertex.
      const p = polygonsOf(g)[0][0][0];
      return this.contains(p[0], p[1]) ? areaM2(g) : 0;
    }
  }
}

/** Shoelace area in degrees² (sign = orientation); closed or open rings. */
function planarArea(r: Position[]): number {
  let a = 0;
  const n = r.length;
  for (let i = 0, j = n - 1; i < n; j = i++) a += (r[j][0] - r[i][0]) * (r[j][1] + r[i][1]);
  return a / 2;
}

function isConvex(r: Position[]): boolean {
  const n = r.length - 1; // closed ring
  if (n < 3) return false;
  let sign = 0;
  for (let i = 0; i < n; i++) {
    const a = r[i];
    const b = r[(i + 1) % n];
    const c = r[(i + 2) % n];
    const cross = (b[0] - a[0]) * (c[1] - b[1]) - (b[1] - a[1]) * (c[0] - b[0]);
    if (Math.abs(cross) < 1e-20) continue;
    const s = Math.sign(cross);
    if (sign === 0) sign = s;
    else if (s !== sign) return false;
  }
  return sign !== 0;
}

/** Sutherland–Hodgman: ring clipped by a convex polygon (any orientation). */
function clipConvex(ring: Position[], convex: Position[]): Position[] {
  const n = convex.length - 1;
  const orient = Math.sign(planarArea(convex)) || 1;
  let out: Position[] =
    ring[0] && ring[ring.length - 1] && ring[0][0] === ring[ring.length - 1][0] && ring[0][1] === ring[ring.length - 1][1]
      ? ring.slice(0, -1)
      : ring;
  for (let e = 0; e < n && out.length > 0; e++) {
    const a = convex[e];
    const b = convex[e + 1];
    const side = (p: Position) => orient * ((b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0]));
    const input = out;
    out = [];
    for (let i = 0; i < input.length; i++) {
      const p = input[i];
      const q = input[(i + 1) % input.length];
      const sp = side(p);
      const sq = side(q);
      if (sp >= 0) out.push(p);
      if (sp >= 0 !== sq >= 0) {
        const t = sp / (sp - sq);
        out.push([p[0] + (q[0] - p[0]) * t, p[1] + (q[1] - p[1]) * t]);
      }
    }
  }
  return out;
}

export { polygonsOf, bboxOf, ringContains };
