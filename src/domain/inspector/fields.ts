// The field dictionary: what a layer's properties mean (label zh/en, type, unit) and which the
// inspector may filter on. Data, in the catalog's `fields` section (named field sets that layers
// refer to), validated at load like the rest of the catalog. The inspector panel, the filter
// panel, the hit list and the CSV export all read it, so `diameterMm` reads 管径 110 mm
// everywhere. Values are formatted to plain text: the UI renders them as text, never as HTML.
import type { I18n, Lang } from "../catalog";
import { ManifestCursor, ManifestError, expectObj, i18n, str } from "../catalog";

export type FieldType = "number" | "integer" | "year" | "category" | "boolean" | "text";
export const FIELD_TYPES: readonly FieldType[] = ["number", "integer", "year", "category", "boolean", "text"];

export interface FieldSpec {
  name: string;
  label: I18n;
  type: FieldType;
  /** Unit shown after numbers ("mm", "m", "kW"). */
  unit?: string;
  /** Offered in the filter panel (numbers as ranges, categories/booleans as checkboxes). */
  filterable?: boolean;
  /** Category value → label (categories only; values not listed show as they are). */
  values?: Record<string, I18n>;
}

/** Field set id → fields, in display order. */
export type FieldSets = Record<string, FieldSpec[]>;

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
type Obj = Record<string, unknown>;

function fieldSpec(at: ManifestCursor, v: unknown): FieldSpec {
  const o = expectObj(at, v);
  const name = str(at, o, "name")!;
  if (!NAME.test(name)) throw at.child("name").err(`expected a property name (letters, digits, _), got "${name}"`);
  const type = o.type as FieldType;
  if (!FIELD_TYPES.includes(type)) throw at.child("type").err(`expected one of ${FIELD_TYPES.join(", ")}, got ${JSON.stringify(o.type)}`);
  const f: FieldSpec = { name, label: i18n(at.child("label"), o.label), type };
  const unit = str(at, o, "unit", true);
  if (unit !== undefined) {
    if (!["number", "integer", "year"].includes(type)) throw at.child("unit").err(`only numeric fields have a unit (this one is ${type})`);
    f.unit = unit;
  }
  if (o.filterable !== undefined) {
    if (typeof o.filterable !== "boolean") throw at.child("filterable").err(`expected true or false, got ${JSON.stringify(o.filterable)}`);
    if (o.filterable && type === "text") throw at.child("filterable").err("text fields cannot be filtered (use a category)");
    f.filterable = o.filterable;
  }
  if (o.values !== undefined) {
    if (type !== "category") throw at.child("values").err(`only category fields have value labels (this one is ${type})`);
    const vals = expectObj(at.child("values"), o.values) as Obj;
    f.values = {};
    for (const [k, t] of Object.entries(vals)) f.values[k] = i18n(at.child("values").child(k), t);
  }
  return f;
}

/** Validates the catalog's `fields` section: `{ setId: [field, …] }`. */
export function validateFieldSets(at: ManifestCursor, v: unknown): FieldSets {
  if (v === undefined) return {};
  const o = expectObj(at, v);
  const out: FieldSets = {};
  for (const [setId, list] of Object.entries(o)) {
    const a = at.child(setId);
    if (!Array.isArray(list) || list.length === 0) throw a.err("expected a non-empty array of fields");
    const seen = new Set<string>();
    out[setId] = list.map((f, i) => {
      const spec = fieldSpec(a.child(i), f);
      if (seen.has(spec.name)) throw a.child(i).child("name").err(`duplicate field "${spec.name}"`);
      seen.add(spec.name);
      return spec;
    });
  }
  return out;
}

/** Checks that a layer's `fields` names a known set. */
export function checkFieldSetRef(at: ManifestCursor, ref: unknown, sets: FieldSets): string | undefined {
  if (ref === undefined) return undefined;
  if (typeof ref !== "string" || !(ref in sets))
    throw new ManifestError(
      at.file,
      at.path,
      `no field set ${JSON.stringify(ref)} in the catalog's "fields" (known: ${Object.keys(sets).join(", ") || "none"})`,
    );
  return ref;
}

const LOCALE: Record<Lang, string> = { zh: "zh-CN", en: "en-US" };

/** A value as plain text, with its unit and category label. */
export function formatFieldValue(field: FieldSpec | undefined, v: unknown, lang: Lang): string {
  if (v === undefined || v === null || v === "") return "—";
  if (typeof v === "boolean") return lang === "zh" ? (v ? "是" : "否") : v ? "yes" : "no";
  if (!field) {
    if (typeof v === "number") return Number.isInteger(v) ? v.toLocaleString(LOCALE[lang]) : String(+v.toFixed(2));
    return typeof v === "object" ? JSON.stringify(v) : String(v);
  }
  switch (field.type) {
    case "year":
      return `${v}`;
    case "number":
    case "integer": {
      const n = Number(v);
      if (!Number.isFinite(n)) return String(v);
      const s = n.toLocaleString(LOCALE[lang], { maximumFractionDigits: field.type === "integer" ? 0 : 2 });
      return field.unit ? `${s} ${field.unit}` : s;
    }
    case "category":
      return field.values?.[String(v)]?.[lang] ?? String(v);
    default:
      return typeof v === "object" ? JSON.stringify(v) : String(v);
  }
}

export interface InspectorRow {
  key: string;
  label: string;
  value: string;
}

/**
 * The rows of the inspector for one feature: the dictionary's fields first, in its order, with
 * labels and units; any other property after them under its raw key (nothing is hidden).
 */
export function inspectorRows(fields: FieldSpec[] | undefined, props: Record<string, unknown>, lang: Lang): InspectorRow[] {
  const rows: InspectorRow[] = [];
  const known = new Set<string>();
  for (const f of fields ?? []) {
    known.add(f.name);
    if (!(f.name in props)) continue;
    rows.push({ key: f.name, label: f.label[lang], value: formatFieldValue(f, props[f.name], lang) });
  }
  for (const [k, v] of Object.entries(props))
    if (!known.has(k)) rows.push({ key: k, label: k, value: formatFieldValue(undefined, v, lang) });
  return rows;
}

/** The label of a field, or the raw name when the dictionary does not know it. */
export function fieldLabel(fields: FieldSpec[] | undefined, name: string, lang: Lang): string {
  return fields?.find((f) => f.name === name)?.label[lang] ?? name;
}
