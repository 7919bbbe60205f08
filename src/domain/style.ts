// Style maths: catalog colour rules → RGBA, legend entries, and Cesium 3D Tiles style
// expressions (plain strings, so this stays pure and testable in node).
import type { ColorRule, I18n, Lang, LayerStyle } from "./catalog";
import type { Highlight } from "./state";
import { filterExpression, matchesFilter } from "./inspector/filter";

/** RGBA with components in 0..1. */
export type Rgba = [number, number, number, number];

export function parseHex(hex: string): Rgba {
  const h = hex.replace(/^#/, "");
  const full =
    h.length === 3
      ? h
          .split("")
          .map((c) => c + c)
          .join("") + "ff"
      : h.length === 6
        ? h + "ff"
        : h;
  if (!/^[0-9a-f]{8}$/i.test(full)) throw new Error(`not a hex colour: ${hex}`);
  const n = (i: number) => parseInt(full.slice(i, i + 2), 16) / 255;
  return [n(0), n(2), n(4), n(6)];
}

export function toHex([r, g, b, a]: Rgba): string {
  const c = (v: number) =>
    Math.round(Math.min(1, Math.max(0, v)) * 255)
      .toString(16)
      .padStart(2, "0");
  return `#${c(r)}${c(g)}${c(b)}${a < 1 ? c(a) : ""}`;
}

function lerp(a: Rgba, b: Rgba, t: number): Rgba {
  return [0, 1, 2, 3].map((i) => a[i] + (b[i] - a[i]) * t) as Rgba;
}

/** The feature is hidden by an inspector filter rule (the outermost rule; see filterStyle). */
export function hiddenByFilter(rule: ColorRule, props: Record<string, unknown> | undefined): boolean {
  return rule.type === "filter" && !matchesFilter(rule.filter, props);
}

/** Colour of one feature under a rule, with the layer opacity multiplied into alpha. */
export function colorFor(rule: ColorRule, props: Record<string, unknown> | undefined, opacity = 1): Rgba {
  let c: Rgba;
  if (rule.type === "filter") {
    const b = colorFor(rule.base, props, opacity);
    return matchesFilter(rule.filter, props) ? b : [b[0], b[1], b[2], 0];
  }
  if (rule.type === "highlight") {
    if (matchesHighlight(rule, props)) return colorFor({ type: "constant", color: rule.color }, undefined, Math.max(opacity, 0.9));
    return colorFor(rule.base, props, opacity * rule.dim);
  }
  if (rule.type === "constant") c = parseHex(rule.color);
  else if (rule.type === "categorical") {
    const v = props?.[rule.property];
    const key = v === undefined || v === null ? "" : String(v);
    c = parseHex(rule.categories[key] ?? rule.default);
  } else {
    const v = Number(props?.[rule.property]);
    const s = rule.stops;
    if (!Number.isFinite(v) || v <= s[0][0]) c = parseHex(s[0][1]);
    else if (v >= s[s.length - 1][0]) c = parseHex(s[s.length - 1][1]);
    else {
      let i = 1;
      while (s[i][0] < v) i++;
      const t = (v - s[i - 1][0]) / (s[i][0] - s[i - 1][0]);
      c = lerp(parseHex(s[i - 1][1]), parseHex(s[i][1]), t);
    }
  }
  return [c[0], c[1], c[2], c[3] * opacity];
}

/** Extrusion height (m) of a polygon feature, or undefined when the layer is flat. */
export function extrusionFor(style: LayerStyle, props: Record<string, unknown> | undefined): number | undefined {
  const e = style.extrude;
  if (!e) return undefined;
  if ("heightM" in e) return e.heightM;
  const v = Number(props?.[e.property]);
  return Number.isFinite(v) && v > 0 ? v : undefined;
}

export interface LegendEntry {
  color: string;
  label: string;
}

export function legendFor(rule: ColorRule, lang: Lang, layerTitle: I18n): LegendEntry[] {
  if (rule.type === "highlight" || rule.type === "filter") return legendFor(rule.base, lang, layerTitle);
  if (rule.type === "constant") return [{ color: rule.color, label: layerTitle[lang] }];
  if (rule.type === "categorical")
    return Object.entries(rule.categories).map(([k, color]) => ({
      color,
      label: rule.labels?.[k]?.[lang] ?? k,
    }));
  const unit = rule.unit ? ` ${rule.unit}` : "";
  return rule.stops.map(([v, color], i) => ({
    color,
    label: i === rule.stops.length - 1 ? `≥ ${v}${unit}` : `${v}${unit}`,
  }));
}

function cssColor(c: Rgba): string {
  // Cesium style expressions accept color('#rrggbb', alpha).
  return `color('${toHex([c[0], c[1], c[2], 1])}', ${+c[3].toFixed(4)})`;
}

function quote(s: string): string {
  return `'${s.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}

/** A Cesium3DTileStyle JSON (`{ color: { conditions } }`) for a colour rule. */
export function tilesStyleJson(rule: ColorRule, opacity = 1): { color: string | { conditions: [string, string][] }; show?: string } {
  if (rule.type === "filter") return { ...tilesStyleJson(rule.base, opacity), show: filterExpression(rule.filter) };
  if (rule.type === "highlight") {
    const base = tilesStyleJson(rule.base, opacity * rule.dim).color;
    const hit: [string, string] = [highlightExpression(rule), cssColor(parseHex(rule.color))];
    return { color: { conditions: typeof base === "string" ? [hit, ["true", base]] : [hit, ...base.conditions] } };
  }
  if (rule.type === "constant") return { color: cssColor(colorFor(rule, undefined, opacity)) };
  if (rule.type === "categorical") {
    const p = `\${${rule.property}}`;
    const conditions: [string, string][] = Object.keys(rule.categories).map((k) => [
      `${p} === ${quote(k)}`,
      cssColor(colorFor(rule, { [rule.property]: k }, opacity)),
    ]);
    conditions.push(["true", cssColor(colorFor({ ...rule, categories: {} }, undefined, opacity))]);
    return { color: { conditions } };
  }
  // Ramps become steps at the midpoints between sample values: 3D Tiles style expressions
  // have no lerp over stops, so we sample the ramp finely enough to look continuous.
  const p = `\${${rule.property}}`;
  const s = rule.stops;
  const lo = s[0][0];
  const hi = s[s.length - 1][0];
  const steps = 16;
  const conditions: [string, string][] = [];
  for (let i = steps; i >= 1; i--) {
    const v = lo + ((hi - lo) * i) / steps;
    const threshold = lo + ((hi - lo) * (i - 0.5)) / steps;
    conditions.push([`${p} >= ${+threshold.toFixed(4)}`, cssColor(colorFor(rule, { [rule.property]: v }, opacity))]);
  }
  conditions.push(["true", cssColor(colorFor(rule, { [rule.property]: lo }, opacity))]);
  return { color: { conditions } };
}

type HighlightRule = Extract<ColorRule, { type: "highlight" }>;

function matchesHighlight(rule: HighlightRule, props: Record<string, unknown> | undefined): boolean {
  if (rule.property === undefined || rule.value === undefined) return true;
  const v = props?.[rule.property];
  if (rule.binSize) {
    const n = Number(v);
    const lo = Number(rule.value);
    return Number.isFinite(n) && n >= lo && n < lo + rule.binSize;
  }
  return v !== undefined && v !== null && String(v) === rule.value;
}

function highlightExpression(rule: HighlightRule): string {
  if (rule.property === undefined || rule.value === undefined) return "true";
  const p = `\${${rule.property}}`;
  if (rule.binSize) return `${p} >= ${Number(rule.value)} && ${p} < ${Number(rule.value) + rule.binSize}`;
  return `${p} === ${quote(rule.value)}`;
}

export const HIGHLIGHT_COLOR = "#ffd54a";

/**
 * A polygon layer's outline: its `outlineColor` as a colour rule, drawn more opaque than the
 * fill (min(1, 1.6 × opacity)). One rule for the vector outlines (src/cesium/renderers.ts) and
 * the baked ones (src/cesium/groundTiles.ts).
 */
export function outlineRule(style: LayerStyle): ColorRule | undefined {
  return style.outlineColor ? { type: "constant", color: style.outlineColor } : undefined;
}
export const outlineOpacity = (opacity: number): number => Math.min(1, opacity * 1.6);

/** A layer style with the highlighted features in a bright colour and the rest dimmed. */
export function highlightStyle(style: LayerStyle, h: Highlight): LayerStyle {
  return {
    ...style,
    color: {
      type: "highlight",
      base: style.color,
      property: h.property,
      value: h.value,
      binSize: h.binSize,
      color: HIGHLIGHT_COLOR,
      dim: 0.25,
    },
  };
}

/** The style for a basemap: on the day basemap a layer's `dayColor` replaces its night colours. */
export function basemapStyle(style: LayerStyle, basemap: "night" | "day"): LayerStyle {
  const day = style.dayColor;
  if (basemap !== "day" || !day) return style;
  // A categorical day rule without labels borrows the night rule's (same categories).
  const color =
    day.type === "categorical" && !day.labels && style.color.type === "categorical" && style.color.labels
      ? { ...day, labels: style.color.labels }
      : day;
  return { ...style, color };
}
