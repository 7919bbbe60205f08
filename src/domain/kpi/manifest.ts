// The KPI manifest (data/kpis.json): which figures the cockpit shows, their titles, units,
// targets (the seed figures — they live in data, never in code) and tolerances. Validated at
// load with errors that name the file and the field.

import { ManifestError } from "../catalog";
import type { I18n } from "../catalog";
import { CITY_LAYERS, type KpiOptions, type KpiUnit } from "./types";

// A small validation cursor that knows the path it is looking at (kept local so this module
// does not depend on the catalog validator's internals).
type Obj = Record<string, unknown>;
class ManifestCursor {
  constructor(
    readonly file: string,
    readonly path: string,
  ) {}
  fail(reason: string): never {
    throw new ManifestError(this.file, this.path || "(root)", reason);
  }
  child(key: string | number): ManifestCursor {
    const p = typeof key === "number" ? `${this.path}[${key}]` : this.path ? `${this.path}.${key}` : key;
    return new ManifestCursor(this.file, p);
  }
}
const show = (v: unknown): string => (v === undefined ? "nothing (missing)" : JSON.stringify(v).slice(0, 40));
function expectObj(at: ManifestCursor, v: unknown): Obj {
  if (typeof v !== "object" || v === null || Array.isArray(v)) at.fail(`expected an object, got ${show(v)}`);
  return v as Obj;
}
function str(at: ManifestCursor, o: Obj, key: string, optional = false): string | undefined {
  const v = o[key];
  if (v === undefined && optional) return undefined;
  if (typeof v !== "string" || v.length === 0) at.child(key).fail(`expected a non-empty string, got ${show(v)}`);
  return v as string;
}
function i18n(at: ManifestCursor, v: unknown, allowEmpty = false): I18n {
  const o = expectObj(at, v);
  if (allowEmpty) {
    for (const k of ["zh", "en"]) if (typeof o[k] !== "string") at.child(k).fail(`expected a string, got ${show(o[k])}`);
    return { zh: o.zh as string, en: o.en as string };
  }
  return { zh: str(at, o, "zh")!, en: str(at, o, "en")! };
}

export type KpiTolerance =
  | { kind: "exact" }
  /** |value − target| ≤ value × target. */
  | { kind: "relative"; value: number }
  | { kind: "atLeast" }
  | { kind: "atMost" };

export interface KpiDef {
  id: string;
  title: I18n;
  unit: KpiUnit;
  /** How the unit is shown, e.g. {zh: "个", en: ""}. */
  unitLabel?: I18n;
  target: number;
  tolerance: KpiTolerance;
  /** Name of a function in the calculator registry (src/domain/kpi/index.ts). */
  calculator: string;
  /** Extra options for this calculator (district, radiusM, minAreaM2, maxAgeYears). */
  params?: Partial<KpiOptions>;
  /** Which integrated application (智慧住房 …) the figure belongs to, for grouping panels. */
  group?: string;
  description?: I18n;
}

export interface KpiManifest {
  version: 1;
  /** Defaults for every calculator: the reference year and the reporting window. */
  params: KpiOptions;
  kpis: KpiDef[];
  /**
   * Where the KPIs read city layers that the catalog does not draw as GeoJSON (the built-up
   * area; the buildings, drawn as 3D Tiles), by city layer name. Stated here instead of being
   * guessed from another layer's URL.
   */
  sources: Record<string, string>;
}

const UNITS: readonly KpiUnit[] = ["count", "km", "km²", "ha", "%", "m²", "m²/person"];
const ID = /^[a-z][a-z0-9_-]*$/;

function finite(at: ManifestCursor, v: unknown, what = "a number"): number {
  if (typeof v !== "number" || !Number.isFinite(v)) at.fail(`expected ${what}, got ${show(v)}`);
  return v as number;
}

function tolerance(at: ManifestCursor, v: unknown): KpiTolerance {
  const o = expectObj(at, v);
  switch (o.kind) {
    case "exact":
    case "atLeast":
    case "atMost":
      return { kind: o.kind };
    case "relative": {
      const value = finite(at.child("value"), o.value);
      if (value < 0 || value > 1) at.child("value").fail(`expected a fraction in [0, 1], got ${value}`);
      return { kind: "relative", value };
    }
    default:
      return at.child("kind").fail(`expected "exact", "relative", "atLeast" or "atMost", got ${JSON.stringify(o.kind)}`);
  }
}

function options(at: ManifestCursor, v: unknown, partial: boolean): Partial<KpiOptions> {
  const o = expectObj(at, v);
  const out: Partial<KpiOptions> = {};
  for (const key of ["referenceYear", "sinceYear", "radiusM", "minAreaM2", "maxAgeYears"] as const) {
    if (o[key] === undefined) {
      if (!partial && (key === "referenceYear" || key === "sinceYear")) at.child(key).fail("expected a year");
      continue;
    }
    out[key] = finite(at.child(key), o[key]);
  }
  const d = o.district;
  if (d !== undefined) {
    if (d !== "kangbashi" && d !== "dongsheng") at.child("district").fail(`expected "kangbashi" or "dongsheng", got ${show(d)}`);
    out.district = d as "kangbashi" | "dongsheng";
  }
  return out;
}

/**
 * Validates a parsed kpis.json. `calculators` (names of known calculators) lets the loader
 * check that every calculator reference resolves.
 */
export function validateKpiManifest(raw: unknown, file = "kpis.json", calculators?: readonly string[]): KpiManifest {
  const root = new ManifestCursor(file, "");
  const o = expectObj(root, raw);
  if (o.version !== 1) root.child("version").fail(`expected 1, got ${JSON.stringify(o.version)}`);
  const params = options(root.child("params"), o.params, false) as KpiOptions;
  if (!Array.isArray(o.kpis)) root.child("kpis").fail("expected an array");
  const seen = new Set<string>();
  const kpis = (o.kpis as unknown[]).map((k, i): KpiDef => {
    const at = root.child("kpis").child(i);
    const ko = expectObj(at, k);
    const id = str(at, ko, "id")!;
    if (!ID.test(id)) at.child("id").fail(`expected a lower-case id (a-z, 0-9, _ and -), got "${id}"`);
    if (seen.has(id)) at.child("id").fail(`duplicate KPI id "${id}"`);
    seen.add(id);
    const unit = ko.unit as KpiUnit;
    if (!UNITS.includes(unit)) at.child("unit").fail(`expected one of ${UNITS.join(", ")}, got ${JSON.stringify(ko.unit)}`);
    const calculator = str(at, ko, "calculator")!;
    if (calculators && !calculators.includes(calculator)) at.child("calculator").fail(`no calculator named "${calculator}"`);
    return {
      id,
      title: i18n(at.child("title"), ko.title),
      unit,
      unitLabel: ko.unitLabel === undefined ? undefined : i18n(at.child("unitLabel"), ko.unitLabel, true),
      target: finite(at.child("target"), ko.target),
      tolerance: tolerance(at.child("tolerance"), ko.tolerance),
      calculator,
      params: ko.params === undefined ? undefined : options(at.child("params"), ko.params, true),
      group: str(at, ko, "group", true),
      description: ko.description === undefined ? undefined : i18n(at.child("description"), ko.description),
    };
  });
  const sources: Record<string, string> = {};
  if (o.sources !== undefined) {
    const so = expectObj(root.child("sources"), o.sources);
    for (const [name, url] of Object.entries(so)) {
      if (!(CITY_LAYERS as readonly string[]).includes(name))
        root
          .child("sources")
          .child(name)
          .fail(`not a city layer (one of ${CITY_LAYERS.join(", ")})`);
      if (typeof url !== "string" || !url)
        root
          .child("sources")
          .child(name)
          .fail(`expected a URL, got ${show(url)}`);
      sources[name] = url as string;
    }
  }
  return { version: 1, params, kpis, sources };
}

/** Whether a computed value meets its target within the tolerance. */
export function meetsTarget(value: number, def: Pick<KpiDef, "target" | "tolerance">): boolean {
  if (!Number.isFinite(value)) return false;
  const t = def.target;
  switch (def.tolerance.kind) {
    case "exact":
      return Math.abs(value - t) < 1e-9 * Math.max(1, Math.abs(t));
    case "relative":
      return Math.abs(value - t) <= def.tolerance.value * Math.abs(t);
    case "atLeast":
      return value >= t;
    case "atMost":
      return value <= t;
  }
}

export { ManifestError };
