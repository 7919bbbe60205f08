// Excavation (开挖) hit list: every pipe segment and network node that a pit — a polygon on the
// ground dug to a depth — reaches. Pure and indexed: segment and node boxes go into a Flatbush
// index once; a pit queries its bounding box and clips only the candidates, in a local metric
// projection centred on the pit (equirectangular; < 0.01 % error over a pit's few hundred metres).
//
// Depth convention: a pipe's `depthM` is the depth of its centre line (管中心埋深); the pit
// reaches it when the pipe's top (depthM − diameter/2) is above the pit floor. A node reaches
// from its `topDepthM` (0 for wells and manholes, whose shafts open at the surface) down.
import Flatbush from "flatbush";
import type { ParsedLayer } from "../geojson";
import { makeProjection } from "../analysis/projection";
import { UserError } from "./errors";

export type LonLat = [number, number];

export interface HitRow {
  layerId: string;
  featureId: string;
  kind: "pipe" | "node";
  network?: string;
  nodeType?: string;
  material?: string;
  diameterMm?: number;
  depthM?: number;
  installYear?: number;
  renewed: boolean;
  renewalYear?: number;
  /** Pipes: length of the centre line inside the pit (m, rounded to 0.1). */
  lengthInPitM?: number;
  /** A point of the feature inside the pit (to fly to / mark). */
  at: LonLat;
}

export interface HitSource {
  layerId: string;
  data: ParsedLayer;
}

interface Item {
  src: number;
  feature: number;
  /** Lines: start index (pair) and count of the part; points: the point's pair index. */
  start: number;
  count: number;
}

export interface PitIndex {
  sources: HitSource[];
  items: Item[];
  index?: Flatbush;
}

/** Indexes every line part and point of the sources by its lon/lat box. */
export function buildPitIndex(sources: HitSource[]): PitIndex {
  const items: Item[] = [];
  const boxes: number[] = [];
  sources.forEach((s, si) => {
    const { coords, parts, kind } = s.data;
    if (kind === "line") {
      for (let k = 0; k < parts.length; k += 3) {
        const [f, start, count] = [parts[k], parts[k + 1], parts[k + 2]];
        let x0 = Infinity,
          y0 = Infinity,
          x1 = -Infinity,
          y1 = -Infinity;
        for (let i = start; i < start + count; i++) {
          const x = coords[2 * i],
            y = coords[2 * i + 1];
          if (x < x0) x0 = x;
          if (x > x1) x1 = x;
          if (y < y0) y0 = y;
          if (y > y1) y1 = y;
        }
        items.push({ src: si, feature: f, start, count });
        boxes.push(x0, y0, x1, y1);
      }
    } else if (kind === "point") {
      for (let f = 0; f < s.data.ids.length; f++) {
        items.push({ src: si, feature: f, start: f, count: 1 });
        boxes.push(coords[2 * f], coords[2 * f + 1], coords[2 * f], coords[2 * f + 1]);
      }
    }
  });
  if (!items.length) return { sources, items };
  const index = new Flatbush(items.length);
  for (let i = 0; i < items.length; i++) index.add(boxes[4 * i], boxes[4 * i + 1], boxes[4 * i + 2], boxes[4 * i + 3]);
  index.finish();
  return { sources, items, index };
}

type XY = [number, number];

function cross(o: XY, a: XY, b: XY) {
  return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
}
function segmentsCross(a: XY, b: XY, c: XY, d: XY): boolean {
  const d1 = cross(c, d, a),
    d2 = cross(c, d, b),
    d3 = cross(a, b, c),
    d4 = cross(a, b, d);
  if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) return true;
  // Touching / collinear overlaps count as crossing for a pit outline.
  const on = (p: XY, q: XY, r: XY) =>
    Math.min(p[0], q[0]) - 1e-9 <= r[0] &&
    r[0] <= Math.max(p[0], q[0]) + 1e-9 &&
    Math.min(p[1], q[1]) - 1e-9 <= r[1] &&
    r[1] <= Math.max(p[1], q[1]) + 1e-9;
  const eps = 1e-9;
  return (
    (Math.abs(d1) < eps && on(c, d, a)) ||
    (Math.abs(d2) < eps && on(c, d, b)) ||
    (Math.abs(d3) < eps && on(a, b, c)) ||
    (Math.abs(d4) < eps && on(a, b, d))
  );
}

function ringArea(r: XY[]): number {
  let a = 0;
  for (let i = 0; i < r.length; i++) {
    const p = r[i],
      q = r[(i + 1) % r.length];
    a += p[0] * q[1] - q[0] * p[1];
  }
  return a / 2;
}

export interface Pit {
  /** The outline without the closing point, counter-clockwise, lon/lat. */
  ring: LonLat[];
  depthM: number;
  /** Local metric projection centred on the pit and the ring in it. */
  proj: ReturnType<typeof makeProjection>;
  xy: XY[];
  areaM2: number;
}

/** Minimum pit: 1 m² and 0.1 m deep; maximum: 100 m deep (deeper than any utility). */
export function validatePit(polygon: unknown, depthM: unknown): Pit {
  if (typeof depthM !== "number" || !Number.isFinite(depthM) || depthM < 0.1 || depthM > 100)
    throw new UserError("开挖深度应在 0.1–100 米之间", `the pit depth must be between 0.1 and 100 m (got ${String(depthM)})`);
  if (!Array.isArray(polygon)) throw new UserError("开挖范围应为经纬度点的数组", "the pit outline must be an array of [lon, lat] points");
  const pts: LonLat[] = [];
  for (const p of polygon) {
    if (
      !Array.isArray(p) ||
      p.length < 2 ||
      typeof p[0] !== "number" ||
      typeof p[1] !== "number" ||
      !Number.isFinite(p[0]) ||
      !Number.isFinite(p[1]) ||
      Math.abs(p[0]) > 180 ||
      Math.abs(p[1]) > 90
    )
      throw new UserError("开挖范围中有无效的坐标点", `the pit outline has an invalid point: ${JSON.stringify(p)}`);
    const last = pts[pts.length - 1];
    if (!last || last[0] !== p[0] || last[1] !== p[1]) pts.push([p[0], p[1]]);
  }
  if (pts.length > 1 && pts[0][0] === pts[pts.length - 1][0] && pts[0][1] === pts[pts.length - 1][1]) pts.pop();
  if (pts.length < 3) throw new UserError("开挖范围至少需要三个不同的点", "the pit outline needs at least three distinct points");
  let lon0 = 0,
    lat0 = 0;
  for (const p of pts) {
    lon0 += p[0] / pts.length;
    lat0 += p[1] / pts.length;
  }
  const proj = makeProjection(lon0, lat0);
  let xy: XY[] = pts.map((p) => [(p[0] - lon0) * proj.kx, (p[1] - lat0) * proj.ky]);
  const n = xy.length;
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) {
      // adjacent edges share a vertex; skip them (and the first/last pair)
      if (j === i + 1 || (i === 0 && j === n - 1)) continue;
      if (segmentsCross(xy[i], xy[(i + 1) % n], xy[j], xy[(j + 1) % n]))
        throw new UserError("开挖范围自相交，请重新绘制", "the pit outline crosses itself; draw it again");
    }
  let area = ringArea(xy);
  if (Math.abs(area) < 1)
    throw new UserError("开挖范围面积过小（点共线或重合）", "the pit outline has (almost) no area: its points are on a line");
  let ring = pts;
  if (area < 0) {
    ring = [...pts].reverse();
    xy = [...xy].reverse();
    area = -area;
  }
  return { ring, depthM, proj, xy, areaM2: area };
}

function inside(p: XY, ring: XY[]): boolean {
  let c = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[i],
      b = ring[j];
    if (a[1] > p[1] !== b[1] > p[1] && p[0] < ((b[0] - a[0]) * (p[1] - a[1])) / (b[1] - a[1]) + a[0]) c = !c;
  }
  return c;
}

/** Length (m) of segment a→b inside the ring, and a point of it inside (or undefined). */
function clipSegment(a: XY, b: XY, ring: XY[]): { length: number; mid?: XY } {
  const ts = [0, 1];
  const dx = b[0] - a[0],
    dy = b[1] - a[1];
  for (let i = 0; i < ring.length; i++) {
    const c = ring[i],
      d = ring[(i + 1) % ring.length];
    const ex = d[0] - c[0],
      ey = d[1] - c[1];
    const den = dx * ey - dy * ex;
    if (Math.abs(den) < 1e-12) continue;
    const t = ((c[0] - a[0]) * ey - (c[1] - a[1]) * ex) / den;
    const u = ((c[0] - a[0]) * dy - (c[1] - a[1]) * dx) / den;
    if (t > 0 && t < 1 && u >= 0 && u <= 1) ts.push(t);
  }
  ts.sort((x, y) => x - y);
  const len = Math.hypot(dx, dy);
  let length = 0;
  let mid: XY | undefined;
  for (let i = 1; i < ts.length; i++) {
    const tm = (ts[i - 1] + ts[i]) / 2;
    const m: XY = [a[0] + dx * tm, a[1] + dy * tm];
    if (inside(m, ring)) {
      length += (ts[i] - ts[i - 1]) * len;
      mid ??= m;
    }
  }
  return { length, mid };
}

const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : undefined);

/** The hit list of a pit; throws a UserError for a bad outline or depth. */
export function excavate(index: PitIndex, polygon: unknown, depthM: unknown): { pit: Pit; rows: HitRow[] } {
  const pit = validatePit(polygon, depthM);
  const rows: HitRow[] = [];
  if (!index.index) return { pit, rows };
  let x0 = Infinity,
    y0 = Infinity,
    x1 = -Infinity,
    y1 = -Infinity;
  for (const [x, y] of pit.ring) {
    x0 = Math.min(x0, x);
    x1 = Math.max(x1, x);
    y0 = Math.min(y0, y);
    y1 = Math.max(y1, y);
  }
  const { proj } = pit;
  const toXY = (lon: number, lat: number): XY => [(lon - proj.lon0) * proj.kx, (lat - proj.lat0) * proj.ky];
  const toLonLat = (p: XY): LonLat => [proj.lon0 + p[0] / proj.kx, proj.lat0 + p[1] / proj.ky];
  // One row per feature (a multi-part feature sums its parts).
  const byFeature = new Map<string, HitRow>();
  for (const i of index.index.search(x0, y0, x1, y1)) {
    const it = index.items[i];
    const src = index.sources[it.src];
    const props = src.data.props[it.feature] ?? {};
    const { coords } = src.data;
    const key = `${src.layerId}\u0000${it.feature}`;
    if (src.data.kind === "line") {
      const depth = num(props.depthM) ?? 0;
      const top = depth - (num(props.diameterMm) ?? 0) / 2000;
      if (top >= pit.depthM) continue;
      let length = 0;
      let at: XY | undefined;
      for (let k = it.start; k < it.start + it.count - 1; k++) {
        const r = clipSegment(toXY(coords[2 * k], coords[2 * k + 1]), toXY(coords[2 * k + 2], coords[2 * k + 3]), pit.xy);
        length += r.length;
        at ??= r.mid;
      }
      if (!at) continue;
      const prev = byFeature.get(key);
      if (prev) prev.lengthInPitM = Math.round(((prev.lengthInPitM ?? 0) + length) * 10) / 10;
      else
        byFeature.set(key, {
          ...rowOf(src.layerId, src.data.ids[it.feature], "pipe", props),
          lengthInPitM: Math.round(length * 10) / 10,
          at: toLonLat(at),
        });
    } else {
      const p = toXY(coords[2 * it.start], coords[2 * it.start + 1]);
      if (!inside(p, pit.xy)) continue;
      const top = num(props.topDepthM) ?? num(props.depthM) ?? 0;
      if (top >= pit.depthM) continue;
      byFeature.set(key, {
        ...rowOf(src.layerId, src.data.ids[it.feature], "node", props),
        at: [coords[2 * it.start], coords[2 * it.start + 1]],
      });
    }
  }
  rows.push(...byFeature.values());
  rows.sort(
    (a, b) => (a.network ?? "").localeCompare(b.network ?? "") || a.kind.localeCompare(b.kind) || a.featureId.localeCompare(b.featureId),
  );
  return { pit, rows };
}

function rowOf(layerId: string, featureId: string, kind: HitRow["kind"], p: Record<string, unknown>): Omit<HitRow, "at"> {
  const renewalYear = num(p.renewalYear);
  return {
    layerId,
    featureId,
    kind,
    network: typeof p.network === "string" ? p.network : undefined,
    nodeType: typeof p.nodeType === "string" ? p.nodeType : undefined,
    material: typeof p.material === "string" ? p.material : undefined,
    diameterMm: num(p.diameterMm),
    depthM: num(p.depthM),
    installYear: num(p.installYear),
    renewed: renewalYear !== undefined || p.renewed === true,
    renewalYear,
  };
}
