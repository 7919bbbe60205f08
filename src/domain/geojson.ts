// GeoJSON → compact, render-ready arrays. Pure, runs in the parsing worker: bad features are
// skipped and counted, never thrown, so one broken feature cannot take a layer down.
import type { I18n, LayerKind } from "./catalog";
import { M, MessageError } from "./messages";

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
  /** English, e.g. "3× no geometry" (logs, automation). */
  skippedReasons: string[];
  /** The same in both languages, for the notice. */
  skippedWhy: I18n;
  /** Features drawn with a caveat (self-intersecting, duplicate id, properties cut), both languages. */
  caveats?: I18n;
}

/** A file-level problem: the whole layer cannot be used. Carries zh and en. */
export class GeoJsonError extends MessageError {}

/** Why a feature was skipped (or drawn with a caveat), in both languages. */
export const REASONS = {
  notFeature: { zh: "不是要素", en: "not a feature" },
  noGeometry: { zh: "没有几何", en: "no geometry" },
  outOfRange: { zh: "坐标超出经纬度范围（经纬度是否写反？）", en: "coordinates out of range (lon/lat swapped?)" },
  notFinite: { zh: "坐标不是有限数值", en: "coordinates are not finite numbers" },
  ringOpen: { zh: "多边形的环未闭合（首尾点不同）", en: "polygon ring not closed (first point ≠ last point)" },
  tooFewPoints: { zh: "点数不足", en: "too few points" },
  badCoords: { zh: "坐标格式无效", en: "invalid coordinates" },
  selfIntersecting: { zh: "多边形自相交，可能显示不正确", en: "self-intersecting polygon, may look wrong" },
  duplicateId: { zh: "要素 id 重复", en: "duplicate feature id" },
  deepProperty: { zh: "属性嵌套过深，已截断", en: "property nested too deeply, cut" },
  longString: { zh: "属性值过长，已截断", en: "property value too long, cut" },
} as const satisfies Record<string, I18n>;
export const wrongGeometry = (type: string, kind: string): I18n => ({
  zh: `${type} 几何不能用于${kind === "point" ? "点" : kind === "line" ? "线" : "面"}图层`,
  en: `${type} geometry in a ${kind} layer`,
});

/** Property nesting deeper than this is cut (structured clone and JSON.stringify recurse). */
export const MAX_PROPERTY_DEPTH = 16;
/** Longer property strings are cut for display (the inspector shows them as text). */
export const MAX_PROPERTY_CHARS = 10_000;

type Pos = number[];
type PosCheck = "ok" | "notFinite" | "outOfRange" | "notPos";
function checkPos(p: unknown): PosCheck {
  if (!Array.isArray(p) || p.length < 2 || typeof p[0] !== "number" || typeof p[1] !== "number") return "notPos";
  if (!Number.isFinite(p[0]) || !Number.isFinite(p[1])) return "notFinite";
  if (Math.abs(p[0]) > 180 || Math.abs(p[1]) > 90) return "outOfRange";
  return "ok";
}
const isPos = (p: unknown): p is Pos => checkPos(p) === "ok";

function describeJson(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "object") {
    const t = (v as { type?: unknown }).type;
    return typeof t === "string" ? `“${t.slice(0, 40)}”` : "an object without a type";
  }
  return typeof v;
}

/** JSON.parse with the reasons a user can act on: empty file, an HTML page, bad JSON. */
export function parseJsonOrExplain(text: string): unknown {
  if (/^\s*$/.test(text)) throw new GeoJsonError(M.emptyFile());
  // Static servers with an SPA fallback answer a missing file with the app's HTML page.
  if (/^\s*</.test(text)) throw new GeoJsonError(M.htmlNotJson());
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new GeoJsonError(M.badJson((e as Error).message.slice(0, 80)));
  }
}

/** Parses text and checks it is a FeatureCollection; throws GeoJsonError with a readable reason. */
export function parseGeoJsonText(text: string): { features: unknown[] } {
  const json = parseJsonOrExplain(text);
  if (typeof json !== "object" || json === null || (json as { type?: unknown }).type !== "FeatureCollection")
    throw new GeoJsonError(M.notFeatureCollection(describeJson(json)));
  const features = (json as { features?: unknown }).features;
  if (!Array.isArray(features)) throw new GeoJsonError(M.noFeaturesArray());
  return { features };
}

/**
 * A copy of a feature's properties that is safe to clone, post and show: nesting cut at
 * MAX_PROPERTY_DEPTH (iteratively, so the check itself cannot overflow the stack), strings cut
 * at MAX_PROPERTY_CHARS, and a null-prototype target so keys such as `__proto__` stay plain
 * data. Returns what it had to cut.
 */
export function safeProps(p: unknown): { props: Props; cut: Array<keyof typeof REASONS> } {
  const cut = new Set<keyof typeof REASONS>();
  if (typeof p !== "object" || p === null || Array.isArray(p)) return { props: {}, cut: [] };
  const root: Props = Object.create(null) as Props;
  // Explicit stack: [source, target, depth].
  const stack: Array<[Record<string, unknown> | unknown[], Record<string, unknown> | unknown[], number]> = [[p as Props, root, 1]];
  while (stack.length) {
    const [src, dst, depth] = stack.pop()!;
    for (const k of Object.keys(src)) {
      const v = (src as Record<string, unknown>)[k];
      let out: unknown = v;
      if (typeof v === "string" && v.length > MAX_PROPERTY_CHARS) {
        out = `${v.slice(0, MAX_PROPERTY_CHARS)}…`;
        cut.add("longString");
      } else if (typeof v === "object" && v !== null) {
        if (depth >= MAX_PROPERTY_DEPTH) {
          out = "…";
          cut.add("deepProperty");
        } else {
          const child = Array.isArray(v) ? [] : (Object.create(null) as Props);
          stack.push([v as Props, child, depth + 1]);
          out = child;
        }
      }
      Object.defineProperty(dst, k, { value: out, enumerable: true, writable: true, configurable: true });
    }
  }
  return { props: root, cut: [...cut] };
}

/** Segments of a ring cross (other than at shared neighbours)? O(n²): only run on small rings. */
export function ringSelfIntersects(r: Pos[]): boolean {
  const n = r.length - 1; // closed ring: last = first
  if (n < 4 || n > 256) return false;
  const cross = (a: Pos, b: Pos, c: Pos) => (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
  for (let i = 0; i < n; i++)
    for (let j = i + 2; j < n; j++) {
      if (i === 0 && j === n - 1) continue;
      const [a, b, c, d] = [r[i], r[i + 1], r[j], r[j + 1]];
      const d1 = cross(c, d, a);
      const d2 = cross(c, d, b);
      const d3 = cross(a, b, c);
      const d4 = cross(a, b, d);
      if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) return true;
    }
  return false;
}

/** "3× no geometry; 1× …" in both languages. */
export function reasonList(counts: ReadonlyMap<string, { text: I18n; n: number }>): I18n {
  const items = [...counts.values()];
  return { zh: items.map((r) => `${r.n} 个${r.text.zh}`).join("；"), en: items.map((r) => `${r.n}× ${r.text.en}`).join("; ") };
}

export function flattenFeatures(features: unknown[], kind: ParsedLayer["kind"]): ParsedLayer {
  const ids: string[] = [];
  const props: Props[] = [];
  const coords: number[] = [];
  const parts: number[] = [];
  const rings: number[] = [];
  const reasons = new Map<string, { text: I18n; n: number }>();
  const caveats = new Map<string, { text: I18n; n: number }>();
  const seenIds = new Set<string>();
  let skipped = 0;
  const count = (m: typeof reasons, key: string, text: I18n) => {
    const r = m.get(key) ?? { text, n: 0 };
    r.n++;
    m.set(key, r);
  };
  const skip = (key: string, text: I18n) => {
    skipped++;
    count(reasons, key, text);
  };
  const posWhy = (p: unknown): keyof typeof REASONS =>
    checkPos(p) === "outOfRange" ? "outOfRange" : checkPos(p) === "notFinite" ? "notFinite" : "badCoords";

  features.forEach((f, i) => {
    if (typeof f !== "object" || f === null || Array.isArray(f)) return skip("notFeature", REASONS.notFeature);
    const g = (f as { geometry?: { type?: string; coordinates?: unknown } }).geometry;
    if (!g || typeof g !== "object") return skip("noGeometry", REASONS.noGeometry);
    const fi = ids.length;
    const { props: p, cut } = safeProps((f as { properties?: unknown }).properties);
    const rawId = (f as { id?: unknown }).id ?? p.id;
    const id = typeof rawId === "string" || typeof rawId === "number" ? String(rawId) : `${i}`;
    let ok = false;
    let why: keyof typeof REASONS | undefined;
    let selfIntersecting = false;
    if (kind === "point") {
      const pts: unknown[] =
        g.type === "Point" ? [g.coordinates] : g.type === "MultiPoint" && Array.isArray(g.coordinates) ? g.coordinates : [];
      const p0 = pts[0];
      if (isPos(p0)) {
        coords.push(p0[0], p0[1]);
        ok = true;
      } else if (pts.length) why = posWhy(p0);
    } else if (kind === "line") {
      const lines: unknown[] =
        g.type === "LineString" ? [g.coordinates] : g.type === "MultiLineString" && Array.isArray(g.coordinates) ? g.coordinates : [];
      for (const line of lines) {
        if (!Array.isArray(line) || line.length < 2) {
          why ??= "tooFewPoints";
          continue;
        }
        const bad = line.find((q) => !isPos(q));
        if (bad !== undefined) {
          why = posWhy(bad);
          continue;
        }
        parts.push(fi, coords.length / 2, line.length);
        for (const q of line as Pos[]) coords.push(q[0], q[1]);
        ok = true;
      }
    } else {
      const polys: unknown[] =
        g.type === "Polygon" ? [g.coordinates] : g.type === "MultiPolygon" && Array.isArray(g.coordinates) ? g.coordinates : [];
      for (const poly of polys) {
        if (!Array.isArray(poly) || poly.length === 0) {
          why ??= "tooFewPoints";
          continue;
        }
        const good: Pos[][] = [];
        for (const r of poly) {
          if (!Array.isArray(r) || r.length < 4) {
            why ??= "tooFewPoints";
            continue;
          }
          const bad = r.find((q) => !isPos(q));
          if (bad !== undefined) {
            why = posWhy(bad);
            continue;
          }
          const first = r[0] as Pos;
          const last = r[r.length - 1] as Pos;
          if (first[0] !== last[0] || first[1] !== last[1]) {
            why = "ringOpen";
            continue;
          }
          good.push(r as Pos[]);
        }
        // The outer ring must be usable; bad holes are dropped.
        if (good.length === 0 || good[0] !== poly[0]) continue;
        if (ringSelfIntersects(good[0])) selfIntersecting = true;
        parts.push(fi, coords.length / 2, good.length);
        for (const r of good) {
          rings.push(r.length);
          for (const q of r) coords.push(q[0], q[1]);
        }
        ok = true;
      }
    }
    if (!ok) {
      if (why) return skip(why, REASONS[why]);
      return skip(`wrong:${String(g.type)}`, wrongGeometry(String(g.type).slice(0, 40), kind));
    }
    if (selfIntersecting) count(caveats, "selfIntersecting", REASONS.selfIntersecting);
    for (const c of cut) count(caveats, c, REASONS[c]);
    if (seenIds.has(id)) count(caveats, "duplicateId", REASONS.duplicateId);
    seenIds.add(id);
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
    skippedReasons: [...reasons.values()].map((r) => `${r.n}× ${r.text.en}`),
    skippedWhy: reasonList(reasons),
    caveats: caveats.size ? reasonList(caveats) : undefined,
  };
}
