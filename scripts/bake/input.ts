// Reads a buildings GeoJSON and turns it into clean, bakeable records. Bad features are
// skipped and counted (with a few examples), never fatal: the rest of the city still bakes.

import { readFile } from "node:fs/promises";
import type { BuildingUse } from "../../src/domain/citySchema";
import { DEG, WGS84_A, WGS84_E2 } from "./geo";

/** [lonDeg, latDeg] */
export type LonLat = [number, number];
/** Outer ring counter-clockwise (seen from above), then holes clockwise; no closing vertex. */
export type PolygonRings = LonLat[][];

export const BUILDING_USES: readonly BuildingUse[] = ["residential", "commercial", "public", "industrial"];
/** Enum name for a `use` the contract does not know (real data may carry others). */
export const OTHER_USE = "other";

/** Building properties as stored in the property table (undefined = no data). */
export interface BakeProps {
  id: string;
  use: BuildingUse | typeof OTHER_USE;
  floors: number | undefined;
  heightM: number;
  yearBuilt: number | undefined;
  residents: number | undefined;
  heatMetered: boolean;
  floorAreaM2: number | undefined;
  name: string | undefined;
  compoundId: string | undefined;
  district: string | undefined;
  landmark: boolean;
  source: string | undefined;
}

export interface BakeBuilding {
  /** Index of the feature in the input file (stable ordering key). */
  index: number;
  props: BakeProps;
  polygons: PolygonRings[];
  /** Area-weighted centroid of the footprint, degrees. */
  centroid: LonLat;
  /** [west, south, east, north] degrees over all vertices. */
  bbox: [number, number, number, number];
  /** Footprint area in m² (outer rings minus holes, local plane). */
  footprintM2: number;
}

export type SkipReason = "geometry" | "coordinates" | "degenerate" | "heightM" | "id";

export interface InputReport {
  features: number;
  buildings: number;
  skipped: number;
  skippedByReason: Partial<Record<SkipReason, number>>;
  /** Values that were out of range or of the wrong type and stored as "no data". */
  badValues: number;
  /** `use` values outside BuildingUse, stored as "other". */
  unknownUse: number;
  duplicateIds: number;
  /** Holes dropped because they were degenerate. */
  droppedHoles: number;
  /** The first few problems, for humans. */
  examples: string[];
}

const MAX_EXAMPLES = 20;
/** Vertices closer than this (metres) are merged. */
const MERGE_EPS_M = 0.01;
/** Rings smaller than this (m²) are degenerate. */
const MIN_RING_AREA_M2 = 0.5;
/** Sanity bound for building heights (the tallest building on Earth is 828 m). */
const MAX_HEIGHT_M = 1000;

export class BakeInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BakeInputError";
  }
}

export async function readBuildingsGeojson(path: string): Promise<{ buildings: BakeBuilding[]; report: InputReport }> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    throw new BakeInputError(`cannot read buildings GeoJSON "${path}": ${(e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new BakeInputError(`"${path}" is not valid JSON: ${(e as Error).message}`);
  }
  return parseBuildings(json, path);
}

export function parseBuildings(json: unknown, label = "input"): { buildings: BakeBuilding[]; report: InputReport } {
  const fc = json as { type?: unknown; features?: unknown };
  if (!fc || typeof fc !== "object" || fc.type !== "FeatureCollection" || !Array.isArray(fc.features)) {
    throw new BakeInputError(`"${label}" is not a GeoJSON FeatureCollection (expected {"type":"FeatureCollection","features":[...]})`);
  }
  const report: InputReport = {
    features: fc.features.length,
    buildings: 0,
    skipped: 0,
    skippedByReason: {},
    badValues: 0,
    unknownUse: 0,
    duplicateIds: 0,
    droppedHoles: 0,
    examples: [],
  };
  const note = (msg: string) => {
    if (report.examples.length < MAX_EXAMPLES) report.examples.push(msg);
  };
  const skip = (i: number, id: unknown, reason: SkipReason, why: string) => {
    report.skipped++;
    report.skippedByReason[reason] = (report.skippedByReason[reason] ?? 0) + 1;
    note(`feature #${i}${typeof id === "string" || typeof id === "number" ? ` (id ${id})` : ""} skipped: ${why}`);
  };

  const buildings: BakeBuilding[] = [];
  const seenIds = new Set<string>();
  fc.features.forEach((f: unknown, i: number) => {
    const feature = f as {
      type?: unknown;
      geometry?: { type?: unknown; coordinates?: unknown } | null;
      properties?: Record<string, unknown> | null;
    };
    const p = (feature && typeof feature === "object" && feature.properties) || {};
    const rawId = p.id;
    if (!feature || typeof feature !== "object" || feature.type !== "Feature") {
      return skip(i, rawId, "geometry", "not a GeoJSON Feature");
    }
    const g = feature.geometry;
    if (!g || (g.type !== "Polygon" && g.type !== "MultiPolygon")) {
      return skip(i, rawId, "geometry", `geometry is ${g ? String(g.type) : "null"}, expected Polygon or MultiPolygon`);
    }
    const id = typeof rawId === "string" ? rawId.trim() : typeof rawId === "number" && Number.isFinite(rawId) ? String(rawId) : "";
    if (!id) return skip(i, rawId, "id", "missing or empty id");
    const heightM = p.heightM;
    if (typeof heightM !== "number" || !Number.isFinite(heightM) || heightM <= 0 || heightM > MAX_HEIGHT_M) {
      return skip(i, id, "heightM", `heightM is ${JSON.stringify(heightM) ?? "undefined"}, expected a number in (0, ${MAX_HEIGHT_M}]`);
    }

    const rawPolys = g.type === "Polygon" ? [g.coordinates] : g.coordinates;
    if (!Array.isArray(rawPolys)) return skip(i, id, "coordinates", "coordinates are not an array");
    const polygons: PolygonRings[] = [];
    let coordsBad = "";
    for (const rawPoly of rawPolys) {
      if (!Array.isArray(rawPoly) || rawPoly.length === 0) {
        coordsBad = "a polygon has no rings";
        break;
      }
      const rings: LonLat[][] = [];
      let outerOk = true;
      for (let r = 0; r < rawPoly.length; r++) {
        const ring = readRing(rawPoly[r]);
        if (typeof ring === "string") {
          coordsBad = ring;
          break;
        }
        const cleaned = cleanRing(ring);
        if (!cleaned) {
          if (r === 0) outerOk = false;
          else report.droppedHoles++;
          if (r === 0) break;
          continue;
        }
        // Outer ring CCW, holes CW (seen from above), whatever the input winding was.
        const ccw = cleaned.area > 0;
        if ((r === 0) !== ccw) cleaned.ring.reverse();
        rings.push(cleaned.ring);
      }
      if (coordsBad) break;
      if (outerOk) polygons.push(rings);
    }
    if (coordsBad) return skip(i, id, "coordinates", coordsBad);
    if (polygons.length === 0) return skip(i, id, "degenerate", "footprint has no area after cleaning");

    if (seenIds.has(id)) {
      report.duplicateIds++;
      note(`feature #${i}: duplicate id ${id} (kept)`);
    }
    seenIds.add(id);

    const props = readProps(p, id, heightM, (msg) => {
      report.badValues++;
      note(`feature #${i} (id ${id}): ${msg} (stored as no data)`);
    });
    if (props.use === OTHER_USE) report.unknownUse++;
    const geo = footprintStats(polygons);
    buildings.push({ index: i, props, polygons, ...geo });
  });
  report.buildings = buildings.length;
  return { buildings, report };
}

function readRing(raw: unknown): LonLat[] | string {
  if (!Array.isArray(raw)) return "a ring is not an array";
  const out: LonLat[] = [];
  for (const pt of raw) {
    if (!Array.isArray(pt) || pt.length < 2) return "a position is not [lon, lat]";
    const lon = pt[0];
    const lat = pt[1];
    if (typeof lon !== "number" || typeof lat !== "number" || !Number.isFinite(lon) || !Number.isFinite(lat)) {
      return `non-numeric position ${JSON.stringify(pt)}`;
    }
    if (lon < -180 || lon > 180 || lat < -90 || lat > 90) return `position out of range ${JSON.stringify(pt)}`;
    out.push([lon, lat]);
  }
  return out;
}

/** Metres per degree of longitude / latitude at a latitude (WGS84 radii of curvature). */
export function metresPerDegree(latDeg: number): [number, number] {
  const s = Math.sin(latDeg * DEG);
  const w = Math.sqrt(1 - WGS84_E2 * s * s);
  const n = WGS84_A / w;
  const m = (WGS84_A * (1 - WGS84_E2)) / (w * w * w);
  return [n * Math.cos(latDeg * DEG) * DEG, m * DEG];
}

/**
 * Drops the closing vertex, merges near-duplicate neighbours and straight-through (collinear)
 * vertices, in a local plane. Returns undefined for rings with < 3 vertices or no area.
 */
function cleanRing(ring: LonLat[]): { ring: LonLat[]; area: number } | undefined {
  if (ring.length < 3) return undefined;
  const [kx, ky] = metresPerDegree(ring[0][1]);
  const x0 = ring[0][0];
  const y0 = ring[0][1];
  const xy = (p: LonLat) => [(p[0] - x0) * kx, (p[1] - y0) * ky];
  let pts = ring.slice();
  const dist = (a: LonLat, b: LonLat) => {
    const [ax, ay] = xy(a);
    const [bx, by] = xy(b);
    return Math.hypot(ax - bx, ay - by);
  };
  // merge near-duplicates (this also removes the closing vertex)
  const merged: LonLat[] = [];
  for (const p of pts) {
    if (merged.length === 0 || dist(merged[merged.length - 1], p) > MERGE_EPS_M) merged.push(p);
  }
  while (merged.length > 1 && dist(merged[0], merged[merged.length - 1]) <= MERGE_EPS_M) merged.pop();
  pts = merged;
  // remove collinear vertices (|cross| small relative to edge lengths) until stable
  let changed = true;
  while (changed && pts.length >= 3) {
    changed = false;
    for (let i = 0; i < pts.length && pts.length >= 3; i++) {
      const [ax, ay] = xy(pts[(i + pts.length - 1) % pts.length]);
      const [bx, by] = xy(pts[i]);
      const [cx, cy] = xy(pts[(i + 1) % pts.length]);
      const cross = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
      const len = Math.hypot(cx - ax, cy - ay);
      // distance of b from line a-c below 1 mm, and b lies between a and c (no spike)
      const dot = (bx - ax) * (cx - ax) + (by - ay) * (cy - ay);
      if (len > 0 && Math.abs(cross) / len < 0.001 && dot > 0 && dot < len * len) {
        pts.splice(i, 1);
        changed = true;
        i--;
      }
    }
  }
  if (pts.length < 3) return undefined;
  let area = 0;
  for (let i = 0; i < pts.length; i++) {
    const [ax, ay] = xy(pts[i]);
    const [bx, by] = xy(pts[(i + 1) % pts.length]);
    area += ax * by - bx * ay;
  }
  area /= 2;
  if (Math.abs(area) < MIN_RING_AREA_M2) return undefined;
  return { ring: pts, area };
}

function footprintStats(polygons: PolygonRings[]): Pick<BakeBuilding, "centroid" | "bbox" | "footprintM2"> {
  let w = Infinity;
  let s = Infinity;
  let e = -Infinity;
  let n = -Infinity;
  for (const poly of polygons)
    for (const ring of poly)
      for (const [lon, lat] of ring) {
        if (lon < w) w = lon;
        if (lon > e) e = lon;
        if (lat < s) s = lat;
        if (lat > n) n = lat;
      }
  const lat0 = (s + n) / 2;
  const lon0 = (w + e) / 2;
  const [kx, ky] = metresPerDegree(lat0);
  let a = 0;
  let cx = 0;
  let cy = 0;
  for (const poly of polygons)
    for (const ring of poly)
      for (let i = 0; i < ring.length; i++) {
        const ax = (ring[i][0] - lon0) * kx;
        const ay = (ring[i][1] - lat0) * ky;
        const j = (i + 1) % ring.length;
        const bx = (ring[j][0] - lon0) * kx;
        const by = (ring[j][1] - lat0) * ky;
        const c = ax * by - bx * ay;
        a += c;
        cx += (ax + bx) * c;
        cy += (ay + by) * c;
      }
  a /= 2;
  const centroid: LonLat = a > 0 ? [lon0 + cx / (6 * a) / kx, lat0 + cy / (6 * a) / ky] : [lon0, lat0];
  return { centroid, bbox: [w, s, e, n], footprintM2: a };
}

function readProps(p: Record<string, unknown>, id: string, heightM: number, bad: (msg: string) => void): BakeProps {
  const int = (key: string, min: number, max: number): number | undefined => {
    const v = p[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) {
      bad(`${key}=${JSON.stringify(v)} not an integer in [${min}, ${max}]`);
      return undefined;
    }
    return v;
  };
  const str = (key: string): string | undefined => {
    const v = p[key];
    if (v === undefined || v === null || v === "") return undefined;
    if (typeof v === "number" && Number.isFinite(v)) return String(v);
    if (typeof v !== "string") {
      bad(`${key}=${JSON.stringify(v)} is not a string`);
      return undefined;
    }
    return v;
  };
  const bool = (key: string): boolean => {
    const v = p[key];
    if (v === undefined || v === null) return false;
    if (typeof v !== "boolean") {
      bad(`${key}=${JSON.stringify(v)} is not a boolean`);
      return false;
    }
    return v;
  };
  const rawUse = p.use;
  const use = BUILDING_USES.includes(rawUse as BuildingUse) ? (rawUse as BuildingUse) : OTHER_USE;
  let floorAreaM2: number | undefined;
  const fa = p.floorAreaM2;
  if (fa !== undefined && fa !== null) {
    if (typeof fa === "number" && Number.isFinite(fa) && fa >= 0) floorAreaM2 = fa;
    else bad(`floorAreaM2=${JSON.stringify(fa)} is not a number ≥ 0`);
  }
  return {
    id,
    use,
    // 0xffff / 0xffffffff are the property table's "no data" sentinels, so keep them out.
    floors: int("floors", 0, 0xfffe),
    heightM,
    yearBuilt: int("yearBuilt", 1, 0xfffe),
    residents: int("residents", 0, 0xfffffffe),
    heatMetered: bool("heatMetered"),
    floorAreaM2,
    name: str("name"),
    compoundId: str("compoundId"),
    district: str("district"),
    landmark: bool("landmark"),
    source: str("source"),
  };
}
