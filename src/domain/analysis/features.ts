// Input normalisation: GeoJSON features → projected flat arrays. Bad features are skipped and
// counted by reason, never thrown (one broken feature must not take an analysis down).
import type { LocalProjection } from "./projection";
import { polygonArea, polygonsCentroid } from "./geometry";
import type { SkipLog } from "./types";

/** A FeatureCollection (typed or not) or a bare array of features. */
export type FeaturesInput = { readonly features: readonly unknown[] } | readonly unknown[];

export type Props = Record<string, unknown>;

export function featureList(input: FeaturesInput | undefined | null): readonly unknown[] {
  if (!input) return [];
  if (Array.isArray(input)) return input;
  const f = (input as { features?: unknown }).features;
  return Array.isArray(f) ? f : [];
}

export class Skips {
  count = 0;
  reasons: Record<string, number> = {};
  skip(reason: string): void {
    this.count++;
    this.reasons[reason] = (this.reasons[reason] ?? 0) + 1;
  }
  toJSON(): SkipLog {
    return { count: this.count, reasons: { ...this.reasons } };
  }
}

interface RawFeature {
  id?: unknown;
  properties?: Props | null;
  geometry?: { type?: unknown; coordinates?: unknown } | null;
}

export function rawFeature(f: unknown): RawFeature | undefined {
  return typeof f === "object" && f !== null ? (f as RawFeature) : undefined;
}

export function propsOf(f: RawFeature): Props {
  const p = f.properties;
  return typeof p === "object" && p !== null ? p : {};
}

export function idOf(f: RawFeature, p: Props, index: number): string {
  const id = p.id ?? f.id;
  return typeof id === "string" || typeof id === "number" ? String(id) : `#${index}`;
}

export const finiteNumber = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

function validPos(p: unknown): p is [number, number] {
  return Array.isArray(p) && p.length >= 2 && finiteNumber(p[0]) && finiteNumber(p[1]) && Math.abs(p[0]) <= 180 && Math.abs(p[1]) <= 90;
}

/** Projects a position list; undefined if any position is bad or there are too few. */
function projectRun(run: unknown, proj: LocalProjection, closeRing: boolean): Float64Array | undefined {
  if (!Array.isArray(run)) return undefined;
  const n = run.length;
  if (n < (closeRing ? 3 : 2)) return undefined;
  for (const p of run) if (!validPos(p)) return undefined;
  const first = run[0] as number[];
  const last = run[n - 1] as number[];
  const needClose = closeRing && (first[0] !== last[0] || first[1] !== last[1]);
  const out = new Float64Array((n + (needClose ? 1 : 0)) * 2);
  for (let i = 0; i < n; i++) {
    const p = run[i] as number[];
    out[2 * i] = (p[0] - proj.lon0) * proj.kx;
    out[2 * i + 1] = (p[1] - proj.lat0) * proj.ky;
  }
  if (needClose) {
    out[2 * n] = out[0];
    out[2 * n + 1] = out[1];
  }
  // A ring needs three distinct corners (4 positions closed) to enclose anything.
  if (closeRing && out.length < 8) return undefined;
  return out;
}

export interface ProjectedPolygonal {
  /** Polygons, each a list of rings (outer first, then holes), flat and closed. */
  polygons: Float64Array[][];
  areaM2: number;
  bbox: [number, number, number, number];
}

/** Polygon / MultiPolygon → projected rings; bad holes are dropped, bad outer rings drop the part. */
export function projectPolygonal(geometry: RawFeature["geometry"], proj: LocalProjection): ProjectedPolygonal | string {
  if (!geometry || typeof geometry !== "object") return "no geometry";
  const t = geometry.type;
  const c = geometry.coordinates;
  if (!Array.isArray(c)) return "no coordinates";
  let parts: unknown[];
  if (t === "Polygon") parts = [c];
  else if (t === "MultiPolygon") parts = c;
  else return `geometry ${String(t)} is not a polygon`;
  const polygons: Float64Array[][] = [];
  for (const part of parts) {
    if (!Array.isArray(part) || part.length === 0) continue;
    const outer = projectRun(part[0], proj, true);
    if (!outer) continue;
    const rings = [outer];
    for (let k = 1; k < part.length; k++) {
      const hole = projectRun(part[k], proj, true);
      if (hole) rings.push(hole);
    }
    polygons.push(rings);
  }
  if (polygons.length === 0) return "invalid polygon coordinates";
  let areaM2 = 0;
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const rings of polygons) {
    areaM2 += polygonArea(rings);
    const o = rings[0];
    for (let i = 0; i < o.length; i += 2) {
      if (o[i] < x0) x0 = o[i];
      if (o[i] > x1) x1 = o[i];
      if (o[i + 1] < y0) y0 = o[i + 1];
      if (o[i + 1] > y1) y1 = o[i + 1];
    }
  }
  return { polygons, areaM2, bbox: [x0, y0, x1, y1] };
}

/** Footprint reference point: the area-weighted centroid of the projected footprint. */
export function footprintCentroid(geometry: RawFeature["geometry"], proj: LocalProjection): [number, number] | string {
  const pg = projectPolygonal(geometry, proj);
  if (typeof pg === "string") return pg;
  return polygonsCentroid(pg.polygons);
}

/** LineString / MultiLineString → projected polylines. */
export function projectLinear(geometry: RawFeature["geometry"], proj: LocalProjection): Float64Array[] | string {
  if (!geometry || typeof geometry !== "object") return "no geometry";
  const t = geometry.type;
  const c = geometry.coordinates;
  if (!Array.isArray(c)) return "no coordinates";
  let parts: unknown[];
  if (t === "LineString") parts = [c];
  else if (t === "MultiLineString") parts = c;
  else return `geometry ${String(t)} is not a line`;
  const lines: Float64Array[] = [];
  for (const part of parts) {
    const l = projectRun(part, proj, false);
    if (l) lines.push(l);
  }
  return lines.length ? lines : "invalid line coordinates";
}

/**
 * Planar length (m) of a LineString / MultiLineString in the projection, without building
 * arrays (the pipe-condition pass touches every pipe once). Bad parts make the feature bad.
 */
export function planarLengthM(geometry: RawFeature["geometry"], proj: LocalProjection): number | string {
  if (!geometry || typeof geometry !== "object") return "no geometry";
  const t = geometry.type;
  const c = geometry.coordinates;
  if (!Array.isArray(c)) return "no coordinates";
  if (t !== "LineString" && t !== "MultiLineString") return `geometry ${String(t)} is not a line`;
  const parts = (t === "LineString" ? [c] : c) as unknown[];
  const { kx, ky } = proj;
  let sum = 0;
  for (const part of parts) {
    if (!Array.isArray(part) || part.length < 2) return "invalid line coordinates";
    const p0 = part[0] as unknown;
    if (!validPos(p0)) return "invalid line coordinates";
    let px = p0[0];
    let py = p0[1];
    for (let i = 1; i < part.length; i++) {
      const q = part[i] as unknown;
      if (!validPos(q)) return "invalid line coordinates";
      sum += Math.hypot((q[0] - px) * kx, (q[1] - py) * ky);
      px = q[0];
      py = q[1];
    }
  }
  return sum;
}

/** Point (or the first position of a MultiPoint) → projected x, y. */
export function projectPoint(geometry: RawFeature["geometry"], proj: LocalProjection): [number, number] | string {
  if (!geometry || typeof geometry !== "object") return "no geometry";
  const c = geometry.coordinates;
  const p = geometry.type === "Point" ? c : geometry.type === "MultiPoint" && Array.isArray(c) ? c[0] : undefined;
  if (geometry.type !== "Point" && geometry.type !== "MultiPoint") return `geometry ${String(geometry.type)} is not a point`;
  if (!validPos(p)) return "invalid point coordinates";
  return [(p[0] - proj.lon0) * proj.kx, (p[1] - proj.lat0) * proj.ky];
}

export interface ResidentialBuilding {
  id: string;
  residents: number;
  x: number;
  y: number;
  /** Index in the input feature list (lets callers map results back). */
  index: number;
}

/**
 * Residents of a building the analyses are about (use "residential", residents > 0);
 * "ignored" for other and empty buildings; otherwise the reason to skip it.
 */
export function residentsOf(p: Props): number | "ignored" | string {
  if (typeof p.use !== "string") return "missing use";
  if (p.use !== "residential") return "ignored";
  if (!finiteNumber(p.residents) || p.residents < 0) return "missing residents";
  return p.residents === 0 ? "ignored" : p.residents;
}

/**
 * The buildings the analyses are about: use "residential" with residents > 0. Non-residential
 * and empty buildings are ignored (not skipped); buildings whose use or residents is missing or
 * malformed, or whose footprint is invalid, are skipped and counted.
 */
export function residentialBuildings(
  input: FeaturesInput,
  proj: LocalProjection,
  skips: Skips,
): { buildings: ResidentialBuilding[]; ignored: number } {
  const out: ResidentialBuilding[] = [];
  let ignored = 0;
  featureList(input).forEach((f0, index) => {
    const f = rawFeature(f0);
    if (!f) return skips.skip("not a feature");
    const p = propsOf(f);
    const cls = residentsOf(p);
    if (cls === "ignored") return void ignored++;
    if (typeof cls === "string") return skips.skip(cls);
    const c = footprintCentroid(f.geometry, proj);
    if (typeof c === "string") return skips.skip(c);
    out.push({ id: idOf(f, p, index), residents: cls, x: c[0], y: c[1], index });
  });
  return { buildings: out, ignored };
}
