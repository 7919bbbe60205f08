// Validation of reading payloads `{ts, value | values, unit}`. Untrusted input from a broker:
// a bad message is dropped with a reason (counted and shown in the diagnostics panel), never
// thrown. Pure.

/** Bigger messages are dropped unparsed: a sensor reading is well under 1 KB. */
export const MAX_PAYLOAD_BYTES = 4096;
const MAX_VALUES = 16;
/** Readings are accepted from 2000-01-01 to 2100-01-01 (ms since the epoch). */
const TS_MIN = 946_684_800_000;
const TS_MAX = 4_102_444_800_000;

export interface Reading {
  /** Sensor time, ms since the epoch. */
  ts: number;
  /** Named values; a single `value` is stored under "value". */
  values: Record<string, number>;
  unit?: string;
}

export type DropReason = "too-large" | "not-json" | "bad-shape" | "bad-ts" | "bad-value" | "bad-topic" | "unknown-sensor" | "wrong-kind";
export const DROP_REASONS: readonly DropReason[] = [
  "too-large",
  "not-json",
  "bad-shape",
  "bad-ts",
  "bad-value",
  "bad-topic",
  "unknown-sensor",
  "wrong-kind",
];

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: DropReason; detail: string };
const drop = (reason: DropReason, detail: string): { ok: false; reason: DropReason; detail: string } => ({ ok: false, reason, detail });

const isNum = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
const KEY = /^[A-Za-z][A-Za-z0-9_]{0,31}$/;

/** Bytes or text → JSON object, with the size check first (a 1 MB message is never parsed). */
export function decodeJson(payload: Uint8Array | string): Parsed<Record<string, unknown>> {
  const size = typeof payload === "string" ? payload.length : payload.byteLength;
  if (size > MAX_PAYLOAD_BYTES) return drop("too-large", `${size} bytes > ${MAX_PAYLOAD_BYTES}`);
  const text = typeof payload === "string" ? payload : new TextDecoder("utf-8", { fatal: false }).decode(payload);
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return drop("not-json", text.slice(0, 40));
  }
  if (typeof v !== "object" || v === null || Array.isArray(v)) return drop("bad-shape", "not a JSON object");
  return { ok: true, value: v as Record<string, unknown> };
}

export function validateReading(payload: Uint8Array | string): Parsed<Reading> {
  const j = decodeJson(payload);
  if (!j.ok) return j;
  const o = j.value;
  if (!isNum(o.ts) || o.ts < TS_MIN || o.ts > TS_MAX) return drop("bad-ts", "ts must be ms since the epoch (2000–2100)");
  const values: Record<string, number> = {};
  if (o.value !== undefined && o.values !== undefined) return drop("bad-shape", "both value and values");
  if (o.value !== undefined) {
    if (!isNum(o.value)) return drop("bad-value", "value is not a finite number");
    values.value = o.value;
  } else if (o.values !== undefined) {
    const vs = o.values;
    if (typeof vs !== "object" || vs === null || Array.isArray(vs)) return drop("bad-shape", "values is not an object");
    const entries = Object.entries(vs);
    if (entries.length === 0 || entries.length > MAX_VALUES) return drop("bad-shape", `values needs 1–${MAX_VALUES} entries`);
    for (const [k, v] of entries) {
      if (!KEY.test(k)) return drop("bad-shape", "bad value name");
      if (!isNum(v)) return drop("bad-value", `values.${k} is not a finite number`);
      values[k] = v;
    }
  } else return drop("bad-shape", "no value or values");
  if (o.unit !== undefined && (typeof o.unit !== "string" || o.unit.length > 16)) return drop("bad-shape", "unit must be a short string");
  return { ok: true, value: { ts: o.ts, values, unit: o.unit as string | undefined } };
}

export function encodeReading(r: Reading): string {
  const keys = Object.keys(r.values);
  const body = keys.length === 1 && keys[0] === "value" ? { ts: r.ts, value: r.values.value } : { ts: r.ts, values: r.values };
  return JSON.stringify(r.unit ? { ...body, unit: r.unit } : body);
}
