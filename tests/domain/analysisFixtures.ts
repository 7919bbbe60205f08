// Hand-made fixtures for the analysis tests, laid out in metres on a local grid around
// Kangbashi, converted to lon/lat with the same projection the tests pass to the analyses —
// so hand-worked planar distances are the analyses' answers (to floating point).
import type { Feature, Position } from "geojson";
import { makeProjection } from "../../src/domain/analysis";

export const LON0 = 109.79;
export const LAT0 = 39.6;
export const PROJ = makeProjection(LON0, LAT0);

/** Metres east / north of the fixture origin → [lon, lat]. */
export const ll = (x: number, y: number): Position => [LON0 + x / PROJ.kx, LAT0 + y / PROJ.ky];

/** Closed counter-clockwise rectangle ring. */
export const rect = (x0: number, y0: number, x1: number, y1: number): Position[] => [
  ll(x0, y0),
  ll(x1, y0),
  ll(x1, y1),
  ll(x0, y1),
  ll(x0, y0),
];

type Props = Record<string, unknown>;

export const polygon = (properties: Props, ...rings: Position[][]): Feature => ({
  type: "Feature",
  properties,
  geometry: { type: "Polygon", coordinates: rings },
});

export const multiPolygon = (properties: Props, ...polys: Position[][][]): Feature => ({
  type: "Feature",
  properties,
  geometry: { type: "MultiPolygon", coordinates: polys },
});

/** A 10 m × 10 m footprint centred on (cx, cy) — its centroid is exactly (cx, cy). */
export const building = (id: string, cx: number, cy: number, props: Props = {}): Feature =>
  polygon({ id, use: "residential", floors: 6, ...props }, rect(cx - 5, cy - 5, cx + 5, cy + 5));

export const point = (properties: Props, x: number, y: number): Feature => ({
  type: "Feature",
  properties,
  geometry: { type: "Point", coordinates: ll(x, y) },
});

/** A polyline through the given metre coordinates. */
export const line = (properties: Props, ...xy: [number, number][]): Feature => ({
  type: "Feature",
  properties,
  geometry: { type: "LineString", coordinates: xy.map(([x, y]) => ll(x, y)) },
});

export const multiLine = (properties: Props, ...parts: [number, number][][]): Feature => ({
  type: "Feature",
  properties,
  geometry: { type: "MultiLineString", coordinates: parts.map((p) => p.map(([x, y]) => ll(x, y))) },
});

export const fc = (features: unknown[]) => ({ type: "FeatureCollection" as const, features });

/** True when v is made only of finite numbers, strings, booleans, undefined, arrays and plain objects. */
export function isPlainData(v: unknown): boolean {
  if (v === undefined || typeof v === "string" || typeof v === "boolean") return true;
  if (typeof v === "number") return Number.isFinite(v);
  if (Array.isArray(v)) return v.every(isPlainData);
  if (typeof v === "object" && v !== null && Object.getPrototypeOf(v) === Object.prototype) return Object.values(v).every(isPlainData);
  return false;
}
