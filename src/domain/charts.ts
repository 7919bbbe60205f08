// Cockpit charts as data (data/charts.json): which layers, grouped by which property (with
// optional numeric bins), optionally stacked by another, measuring count / length / area.
// The aggregation is pure so it runs in the KPI worker and is tested on hand-made fixtures.
import type { Feature, Geometry } from "geojson";
import { expectObj, i18n, id as idField, ManifestCursor, str, type I18n } from "./catalog";
import { areaM2, lengthKm } from "./kpi/geo";

export type ChartType = "bar" | "stackedBar" | "pie";
export type Measure = "count" | "lengthKm" | "areaHa";

export interface GroupSpec {
  property: string;
  /** Numeric bin width (e.g. 10 for decades); the bin is labelled by its start ("1990s"). */
  binSize?: number;
  labels?: Record<string, I18n>;
}

export interface ChartSpec {
  id: string;
  title: I18n;
  type: ChartType;
  layers: string[];
  groupBy: GroupSpec;
  stackBy?: GroupSpec;
  measure: Measure;
  unit: I18n;
}

export interface ChartData {
  /** Category keys, in display order. */
  categories: string[];
  /** One series per stack key (a single "" series when not stacked). */
  series: Array<{ key: string; values: number[] }>;
  /** Per-category totals. */
  totals: number[];
  /** Features without a usable group value. */
  ungrouped: number;
  /** Why the chart has no data (a layer it needs failed to load), in zh and en. */
  missing?: I18n;
}

const TYPES: readonly ChartType[] = ["bar", "stackedBar", "pie"];
const MEASURES: readonly Measure[] = ["count", "lengthKm", "areaHa"];

function groupSpec(at: ManifestCursor, v: unknown): GroupSpec {
  const o = expectObj(at, v);
  const g: GroupSpec = { property: str(at, o, "property")! };
  if (o.binSize !== undefined) {
    if (typeof o.binSize !== "number" || !(o.binSize > 0)) throw at.child("binSize").err("expected a positive number");
    g.binSize = o.binSize;
  }
  if (o.labels !== undefined) {
    const lo = expectObj(at.child("labels"), o.labels);
    g.labels = Object.fromEntries(Object.entries(lo).map(([k, t]) => [k, i18n(at.child("labels").child(k), t)]));
  }
  return g;
}

export function validateCharts(raw: unknown, file: string): ChartSpec[] {
  const root = new ManifestCursor(file, "");
  const o = expectObj(root, raw);
  if (o.version !== 1) throw root.child("version").err("expected 1");
  if (!Array.isArray(o.charts)) throw root.child("charts").err("expected an array");
  const seen = new Set<string>();
  return o.charts.map((c, i) => {
    const at = root.child("charts").child(i);
    const co = expectObj(at, c);
    const cid = idField(at, co);
    if (seen.has(cid)) throw at.child("id").err(`duplicate chart id "${cid}"`);
    seen.add(cid);
    const type = co.type as ChartType;
    if (!TYPES.includes(type)) throw at.child("type").err(`expected one of ${TYPES.join(", ")}`);
    const measure = co.measure as Measure;
    if (!MEASURES.includes(measure)) throw at.child("measure").err(`expected one of ${MEASURES.join(", ")}`);
    if (!Array.isArray(co.layers) || co.layers.length === 0 || co.layers.some((l) => typeof l !== "string"))
      throw at.child("layers").err("expected a non-empty array of layer ids");
    return {
      id: cid,
      title: i18n(at.child("title"), co.title),
      type,
      layers: co.layers as string[],
      groupBy: groupSpec(at.child("groupBy"), co.groupBy),
      stackBy: co.stackBy === undefined ? undefined : groupSpec(at.child("stackBy"), co.stackBy),
      measure,
      unit: i18n(at.child("unit"), co.unit),
    };
  });
}

/** The group key of a feature's property value, or undefined when it has none. */
export function groupKey(g: GroupSpec, props: Record<string, unknown> | null | undefined): string | undefined {
  const v = props?.[g.property];
  if (v === undefined || v === null || v === "") return undefined;
  if (g.binSize) {
    const n = Number(v);
    if (!Number.isFinite(n)) return undefined;
    return String(Math.floor(n / g.binSize) * g.binSize);
  }
  return String(v);
}

function measureOf(m: Measure, geom: Geometry | null | undefined): number {
  if (m === "count") return 1;
  if (m === "lengthKm") return lengthKm(geom);
  return areaM2(geom) / 10_000;
}

function sortKeys(keys: string[], g: GroupSpec): string[] {
  if (g.labels) {
    const order = Object.keys(g.labels);
    return keys.sort((a, b) => (order.indexOf(a) + 1 || 1e9) - (order.indexOf(b) + 1 || 1e9) || a.localeCompare(b));
  }
  const numeric = keys.every((k) => Number.isFinite(Number(k)));
  return numeric ? keys.sort((a, b) => Number(a) - Number(b)) : keys.sort();
}

export function aggregate(spec: ChartSpec, features: Iterable<Feature>): ChartData {
  const cells = new Map<string, Map<string, number>>();
  const stacks = new Set<string>();
  let ungrouped = 0;
  for (const f of features) {
    const k = groupKey(spec.groupBy, f.properties);
    if (k === undefined) {
      ungrouped++;
      continue;
    }
    const s = spec.stackBy ? (groupKey(spec.stackBy, f.properties) ?? "") : "";
    stacks.add(s);
    const row = cells.get(k) ?? new Map<string, number>();
    row.set(s, (row.get(s) ?? 0) + measureOf(spec.measure, f.geometry));
    cells.set(k, row);
  }
  const categories = sortKeys([...cells.keys()], spec.groupBy);
  const stackKeys = spec.stackBy ? sortKeys([...stacks], spec.stackBy) : [""];
  const series = stackKeys.map((key) => ({ key, values: categories.map((c) => cells.get(c)?.get(key) ?? 0) }));
  const totals = categories.map((_, i) => series.reduce((a, s) => a + s.values[i], 0));
  return { categories, series, totals, ungrouped };
}

/** Label of a group key: the manifest's label, a decade label for bins, or the key. */
export function groupLabel(g: GroupSpec | undefined, key: string, lang: "zh" | "en"): string {
  if (!g) return key;
  const l = g.labels?.[key];
  if (l) return l[lang];
  if (g.binSize === 10) return lang === "zh" ? `${key}年代` : `${key}s`;
  if (g.binSize) return `${key}–${Number(key) + g.binSize - 1}`;
  return key;
}
