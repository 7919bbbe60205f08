// GeoJSON → compact, render-ready arrays. Pure, runs in the parsing worker: bad features are
// skipped and counted, never thrown, so one broken feature cannot take a layer down.
import type { LayerKind } from "./catalog";

export type Props = Record<string, unknown>;

export interface ParsedLayer {
  kind: Exclude<LayerKind, "3dtiles">;
  /** Per feature: id and properties. */
  ids: string[];
  props: Props[];
  /**
   * Flat coordinates lon,lat pairs (degrees). Points: one pair per feature.
   * Lines: parts are runs of pairs. Polygons: rings are runs of pairs.
   */
  coords: Float64Array;
  /** Lines: [featureIndex, start, count] per part. Polygons: [featureIndex, start, count, ringCount-of-outer?]. */
  parts: Uint32Array;
  /** Polygons only: for each part (polygon), the number of rings (1 outer + holes); rings follow in `rings`. */
  rings?: Uint32Array;
  skipped: number;
  skippedReasons: string[];
}

export class GeoJsonError extends Error {}

type Pos = number[];
const isPos = (p: unknown): p is Pos =>
  Array.isArray(p) &&
  p.length >= 2 &&
  typeof p[0] === "number" &&
  typeof p[1] === "number" &&
  Number.isFinite(p[0]) &&
  Number.isFinite(p[1]) &&
  Math.abs(p[0]) <= 180 &&
  Math.abs(p[1]) <= 90;

/** Parses text and checks it is a FeatureCollection; throws GeoJsonError with a readable reason. */
export function parseGeoJsonText(text: string): { features: unknown[] } {
  let json: unknown;
  // Static servers with an SPA fallback answer a missing file with the app's HTML page.
  if (/^\s*</.test(text)) throw new GeoJsonError("got an HTML page instead of GeoJSON (is the file missing?)");
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new GeoJsonError(`not valid JSON (${(e as Error).message.slice(0, 80)})`);
  }
  if (typeof json !== "object" || json === null || (json as { type?: unknown }).type !== "FeatureCollection")
    throw new GeoJsonError("not a GeoJSON FeatureCollection");
  const features = (json as { features?: unknown }).features;
  if (!Array.isArray(features)) throw new GeoJsonError("FeatureCollection has no features array");
  return { features };
}

export function flattenFeatures(features: unknown[], kind: ParsedLayer["kind"]): ParsedLayer {
  const ids: string[] = [];
  const props: Props[] = [];
  const coords: number[] = [];
  const parts: number[] = [];
  const rings: number[] = [];
  const reasons = new Map<string, number>();
  let skipped = 0;
  const skip = (why: string) => {
    skipped++;
    reasons.set(why, (reasons.get(why) ?? 0) + 1);
  };

  features.forEach((f, i) => {
    if (typeof f !== "object" || f === null) return skip("not a feature");
    const g = (f as { geometry?: { type?: string; coordinates?: unknown } }).geometry;
    const p = ((f as { properties?: Props }).properties ?? {}) as Props;
    if (!g || typeof g !== "object") return skip("no geometry");
    const fi = ids.length;
    const id = String((f as { id?: unknown }).id ?? p.id ?? `${i}`);
    let ok = false;
    if (kind === "point") {
      const pts: Pos[] = g.type === "Point" ? [g.coordinates as Pos] : g.type === "MultiPoint" ? (g.coordinates as Pos[]) : [];
      const p0 = pts[0];
      if (isPos(p0)) {
        coords.push(p0[0], p0[1]);
        ok = true;
      }
    } else if (kind === "line") {
      const lines: unknown[] =
        g.type === "LineString" ? [g.coordinates] : g.type === "MultiLineString" && Array.isArray(g.coordinates) ? g.coordinates : [];
      for (const line of lines) {
        if (!Array.isArray(line) || line.length < 2 || !line.every(isPos)) continue;
        parts.push(fi, coords.length / 2, line.length);
        for (const q of line as Pos[]) coords.push(q[0], q[1]);
        ok = true;
      }
    } else {
      const polys: unknown[] =
        g.type === "Polygon" ? [g.coordinates] : g.type === "MultiPolygon" && Array.isArray(g.coordinates) ? g.coordinates : [];
      for (const poly of polys) {
        if (!Array.isArray(poly) || poly.length === 0) continue;
        const good = poly.filter((r): r is Pos[] => Array.isArray(r) && r.length >= 4 && r.every(isPos));
        if (good.length === 0 || good[0] !== poly[0]) continue;
        parts.push(fi, coords.length / 2, good.length);
        for (const r of good) {
          rings.push(r.length);
          for (const q of r) coords.push(q[0], q[1]);
        }
        ok = true;
      }
    }
    if (!ok) return skip(`unusable ${String(g.type)} geometry for a ${kind} layer`);
    ids.push(id);
    props.push(p);
  });

  return {
    kind,
    ids,
    props,
    coords: Float64Array.from(coords),
    parts: Uint32Array.from(parts),
    rings: kind === "polygon" ? Uint32Array.from(rings) : undefined,
    skipped,
    skippedReasons: [...reasons].map(([r, n]) => `${n}× ${r}`),
  };
}
