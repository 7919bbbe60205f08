// Attribute filters: per layer, conditions on the fields the dictionary marks filterable. Pure:
// matching, counting, validation with readable errors, and the 3D Tiles `show` expression.
// The scene applies a filter as a style transform (filterStyle): vector batches hide the
// non-matching instances in place (per-instance show), 3D Tiles get a `show` condition.
import type { ColorRule, LayerStyle } from "../catalog";
import type { FieldSpec } from "./fields";
import { UserError } from "./errors";

/** A numeric range (inclusive; either end open), a set of category values, or presence. */
export type FieldFilter = { min?: number; max?: number } | { values: string[] } | { present: boolean };
/** Field name → condition; all conditions must hold. */
export type LayerFilter = Record<string, FieldFilter>;

export const isRange = (f: FieldFilter): f is { min?: number; max?: number } => !("values" in f) && !("present" in f);

function matchesOne(f: FieldFilter, v: unknown): boolean {
  const missing = v === undefined || v === null || v === "";
  if ("present" in f) return f.present ? !missing : missing;
  if (missing) return false;
  if ("values" in f) return f.values.includes(String(v));
  const n = typeof v === "number" ? v : Number(v);
  if (!Number.isFinite(n)) return false;
  return (f.min === undefined || n >= f.min) && (f.max === undefined || n <= f.max);
}

export function matchesFilter(filter: LayerFilter | undefined, props: Record<string, unknown> | undefined): boolean {
  if (!filter) return true;
  for (const [name, f] of Object.entries(filter)) if (!matchesOne(f, props?.[name])) return false;
  return true;
}

export function isEmptyFilter(filter: LayerFilter | undefined): boolean {
  return !filter || Object.keys(filter).length === 0;
}

export function countMatches(props: ReadonlyArray<Record<string, unknown>>, filter: LayerFilter | undefined): number {
  if (isEmptyFilter(filter)) return props.length;
  let n = 0;
  for (const p of props) if (matchesFilter(filter, p)) n++;
  return n;
}

export { UserError as FilterError };

/**
 * Checks (and normalises) a filter given by a user or a script against the layer's fields:
 * unknown or non-filterable fields, a range on a category, min > max … each a FilterError in
 * both languages. Category values become strings; booleans become "true"/"false".
 */
export function validateFilter(fields: FieldSpec[] | undefined, raw: unknown): LayerFilter {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== "object" || Array.isArray(raw))
    throw new UserError("筛选条件应为对象", "a filter must be an object of field → condition");
  const out: LayerFilter = {};
  for (const [name, cond] of Object.entries(raw as Record<string, unknown>)) {
    const f = fields?.find((x) => x.name === name);
    if (!f || !f.filterable) {
      const ok = (fields ?? []).filter((x) => x.filterable).map((x) => x.name);
      throw new UserError(
        `字段“${name}”不可筛选（可用：${ok.join("、") || "无"}）`,
        `field "${name}" cannot be filtered (filterable: ${ok.join(", ") || "none"})`,
      );
    }
    const numeric = f.type === "number" || f.type === "integer" || f.type === "year";
    if (Array.isArray(cond)) {
      out[name] = { values: cond.map((v) => String(v)) };
      continue;
    }
    if (typeof cond !== "object" || cond === null)
      throw new UserError(`字段“${name}”的条件无效`, `field "${name}": expected {min,max}, {values}, {present} or an array`);
    const c = cond as Record<string, unknown>;
    if ("present" in c) {
      out[name] = { present: !!c.present };
    } else if ("values" in c) {
      if (!Array.isArray(c.values)) throw new UserError(`字段“${name}”的取值应为数组`, `field "${name}": values must be an array`);
      out[name] = { values: c.values.map((v) => String(v)) };
    } else {
      if (!numeric) throw new UserError(`字段“${name}”不是数值，不能按范围筛选`, `field "${name}" is not numeric: no range filter`);
      const num = (k: "min" | "max") => {
        const v = c[k];
        if (v === undefined || v === null) return undefined;
        if (typeof v !== "number" || !Number.isFinite(v))
          throw new UserError(`字段“${name}”的${k === "min" ? "下限" : "上限"}不是数字`, `field "${name}": ${k} is not a number`);
        return v;
      };
      const min = num("min");
      const max = num("max");
      if (min !== undefined && max !== undefined && min > max)
        throw new UserError(`字段“${name}”的下限大于上限`, `field "${name}": min ${min} > max ${max}`);
      out[name] = { ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) };
    }
  }
  return out;
}

/** Numeric extent and category values of each filterable field over a layer's features. */
export interface FieldStats {
  min?: number;
  max?: number;
  /** value → count (categories and booleans). */
  values?: Record<string, number>;
}
export function fieldStats(fields: FieldSpec[], props: ReadonlyArray<Record<string, unknown>>): Record<string, FieldStats> {
  const out: Record<string, FieldStats> = {};
  for (const f of fields) {
    if (!f.filterable) continue;
    const s: FieldStats = {};
    const numeric = f.type === "number" || f.type === "integer" || f.type === "year";
    for (const p of props) {
      const v = p[f.name];
      if (v === undefined || v === null || v === "") continue;
      if (numeric) {
        const n = Number(v);
        if (!Number.isFinite(n)) continue;
        if (s.min === undefined || n < s.min) s.min = n;
        if (s.max === undefined || n > s.max) s.max = n;
      } else {
        s.values ??= {};
        const k = String(v);
        s.values[k] = (s.values[k] ?? 0) + 1;
      }
    }
    out[f.name] = s;
  }
  return out;
}

function quote(s: string): string {
  return `'${s.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}

/**
 * The filter as a 3D Tiles style expression. Cesium's `>=` throws on a non-number, so every
 * numeric test is guarded by a type check (`&&` short-circuits in style expressions).
 */
export function filterExpression(filter: LayerFilter | undefined): string {
  if (isEmptyFilter(filter)) return "true";
  const parts: string[] = [];
  for (const [name, f] of Object.entries(filter!)) {
    const p = `\${${name}}`;
    if ("present" in f) parts.push(f.present ? `(${p} !== undefined && ${p} !== null)` : `(${p} === undefined || ${p} === null)`);
    else if ("values" in f) {
      if (f.values.length === 0) parts.push("false");
      // String(x) compares numbers and booleans the way matchesFilter does.
      else parts.push(`(${f.values.map((v) => `String(${p}) === ${quote(v)}`).join(" || ")})`);
    } else {
      const t: string[] = [`isNaN(Number(${p})) === false`, `${p} !== undefined`, `${p} !== null`];
      if (f.min !== undefined) t.push(`Number(${p}) >= ${f.min}`);
      if (f.max !== undefined) t.push(`Number(${p}) <= ${f.max}`);
      parts.push(`(${t.join(" && ")})`);
    }
  }
  return parts.join(" && ");
}

/** A style whose non-matching features are hidden (a style transform, like highlightStyle). */
export function filterStyle(style: LayerStyle, filter: LayerFilter | undefined): LayerStyle {
  if (isEmptyFilter(filter)) return style;
  const color: ColorRule = { type: "filter", base: style.color, filter: filter! };
  return { ...style, color };
}
