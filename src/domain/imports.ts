// Imported layers ("我的数据 / My data") and role swaps: named pure updaters, plus the automatic
// style an import gets. An imported layer is an ordinary vector LayerSpec in the catalog (so it
// gets the same toggle, opacity, legend, pick and renderers as catalog layers); what is special
// about it lives in `state.imports`. A role swap puts an imported layer in the place of the demo
// layer that plays that role for the cockpit (charging piles, parks …): the demo layer is hidden,
// the cockpit reads the imported data for that role, and switching back restores the demo.
import type { Feature, FeatureCollection } from "geojson";
import type { ColorRule, I18n, LayerKind, LayerSpec, LayerStyle } from "./catalog";
import { CALCULATOR_LAYERS, ROLES } from "./kpiLayers";
import { addNotice, type AppState } from "./state";

export const MY_DATA_GROUP = { id: "mydata", title: { zh: "我的数据", en: "My data" } };

export interface ImportedMeta {
  /** File name or URL the layer came from. */
  name: string;
  format: string;
  crs: string;
  crsLabel: I18n;
  encoding?: string;
  featureCount: number;
  /** Attribute names with a few distinct values (offered for the categorical style). */
  fields: string[];
  /** Their values, most frequent first. */
  fieldValues?: Record<string, string[]>;
  /** The automatic style's palette slot. */
  colorIndex?: number;
  /** The field the categorical style uses, when the user picked one. */
  styleField?: string;
  hasHeight: boolean;
  /** The file's own colours (`_color`, CZML): the automatic style draws features in them. */
  ownColors?: string[];
  /** Import batch: one file can give a point, a line and a polygon layer. */
  batch: string;
}

export interface RoleSwap {
  layerId: string;
  /** Whether the demo layer(s) of the role were visible before the swap (restored on undo). */
  demoVisible: boolean;
}

type S = AppState;

// ------------------------------------------------------------------------------ automatic style

const PALETTE = ["#ffb020", "#36cfc9", "#f759ab", "#95de64", "#9254de", "#40a9ff", "#ff7a45", "#fadb14", "#5cdbd3", "#ff85c0"];

/** Metres from `height` / `building:height` / 高度, or `building:levels` / 层数 × 3 m. */
export function heightOfProps(p: Record<string, unknown>): number | undefined {
  const num = (v: unknown) => (typeof v === "number" ? v : typeof v === "string" ? parseFloat(v.replace(",", ".")) : NaN);
  for (const k of ["heightM", "height", "Height", "HEIGHT", "building:height", "高度", "建筑高度", "HEIGHT_M"]) {
    const v = num(p[k]);
    if (Number.isFinite(v) && v > 0 && v < 1000) return v;
  }
  for (const k of ["building:levels", "levels", "floors", "Floors", "FLOOR", "层数", "楼层数"]) {
    const v = num(p[k]);
    if (Number.isFinite(v) && v > 0 && v < 300) return v * 3;
  }
  return undefined;
}

/** Adds `_heightM` to footprints that have a height or a level count; true if any had one. */
export function addHeights(fc: FeatureCollection): boolean {
  let any = false;
  for (const f of fc.features) {
    const h = heightOfProps((f.properties ?? {}) as Record<string, unknown>);
    if (h !== undefined) {
      (f.properties as Record<string, unknown>)._heightM = +h.toFixed(2);
      any = true;
    }
  }
  return any;
}

/** Fields with 2–12 distinct scalar values (good for a categorical style), most useful first. */
export function categoricalFields(features: Feature[]): string[] {
  const values = new Map<string, Set<string>>();
  const sample = features.slice(0, 5000);
  for (const f of sample)
    for (const [k, v] of Object.entries(f.properties ?? {})) {
      if (k === "id" || k.startsWith("_") || v === null || typeof v === "object") continue;
      let s = values.get(k);
      if (!s) values.set(k, (s = new Set()));
      if (s.size <= 12) s.add(String(v));
    }
  return [...values].filter(([, s]) => s.size >= 2 && s.size <= 12).map(([k]) => k);
}

/** Top values of each categorical field, most frequent first (what the style offers). */
export function fieldValues(features: Feature[], fields: string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const field of fields) {
    const counts = new Map<string, number>();
    for (const f of features) {
      const v = (f.properties as Record<string, unknown> | null)?.[field];
      if (v === undefined || v === null) continue;
      counts.set(String(v), (counts.get(String(v)) ?? 0) + 1);
    }
    out[field] = [...counts]
      .sort((a, b) => b[1] - a[1])
      .slice(0, PALETTE.length)
      .map(([k]) => k);
  }
  return out;
}

export function categoricalRule(field: string, values: string[]): ColorRule {
  return {
    type: "categorical",
    property: field,
    categories: Object.fromEntries(values.slice(0, PALETTE.length).map((k, i) => [k, PALETTE[i]])),
    default: "#8c8c8c",
  };
}

const HEIGHT_RAMP: ColorRule = {
  type: "ramp",
  property: "_heightM",
  stops: [
    [0, "#1d4e89"],
    [24, "#2f9bd6"],
    [60, "#7fd8ff"],
    [150, "#e6f7ff"],
  ],
  unit: "m",
};

/** Distinct `_color` values (a file's own colours, e.g. CZML materials), at most 64; undefined if none. */
export function ownColors(features: Feature[]): string[] | undefined {
  const set = new Set<string>();
  for (const f of features) {
    const c = (f.properties as Record<string, unknown> | null)?._color;
    if (typeof c === "string" && /^#[0-9a-f]{6}([0-9a-f]{2})?$/i.test(c)) set.add(c);
    if (set.size >= 64) break;
  }
  return set.size ? [...set] : undefined;
}

/** The style an import gets: a height ramp + extrusion for footprints with heights, a
 * categorical rule on the chosen field, the file's own colours, else one colour per import. */
export function autoStyle(
  kind: Exclude<LayerKind, "3dtiles">,
  index: number,
  opts: { hasHeight?: boolean; field?: string; values?: string[]; ownColors?: string[] } = {},
): LayerStyle {
  const color: ColorRule =
    opts.field && opts.values
      ? categoricalRule(opts.field, opts.values)
      : opts.hasHeight && kind === "polygon"
        ? HEIGHT_RAMP
        : opts.ownColors?.length
          ? {
              type: "categorical",
              property: "_color",
              categories: Object.fromEntries(opts.ownColors.map((c) => [c, c])),
              default: PALETTE[index % PALETTE.length],
            }
          : { type: "constant", color: PALETTE[index % PALETTE.length] };
  const style: LayerStyle = { color, opacity: kind === "polygon" && !opts.hasHeight ? 0.7 : 1 };
  if (kind === "point") {
    style.pointSizePx = 10;
    style.outlineColor = "#ffffff";
  }
  if (kind === "line") style.lineWidthPx = 3;
  if (kind === "polygon" && opts.hasHeight) style.extrude = { property: "_heightM" };
  if (kind === "polygon" && !opts.hasHeight) style.outlineColor = "#ffffff";
  return style;
}

// ------------------------------------------------------------------------------ updaters

/** Adds an imported layer under "我的数据 / My data", visible. */
export function addImportedLayer(s: S, spec: LayerSpec, meta: ImportedMeta): S {
  if (s.layers[spec.id]) return s;
  const groups = s.catalog.groups.some((g) => g.id === MY_DATA_GROUP.id) ? s.catalog.groups : [MY_DATA_GROUP, ...s.catalog.groups];
  return {
    ...s,
    catalog: { ...s.catalog, groups, layers: [...s.catalog.layers, { ...spec, group: MY_DATA_GROUP.id }] },
    layers: { ...s.layers, [spec.id]: { visible: spec.visible, opacity: spec.style.opacity ?? 1, status: "idle" } },
    imports: { ...(s.imports ?? {}), [spec.id]: meta },
  };
}

/** Removes an imported layer; if it stood in for a role, the demo layer comes back first. */
export function removeImportedLayer(s: S, id: string): S {
  if (!s.imports?.[id]) return s;
  let out: S = s;
  for (const [role, sw] of Object.entries(s.roleSwaps ?? {})) if (sw.layerId === id) out = useDemo(out, role);
  const { [id]: _gone, ...layers } = out.layers;
  const { [id]: _meta, ...imports } = out.imports ?? {};
  void _gone;
  void _meta;
  const rest = out.catalog.layers.filter((l) => l.id !== id);
  const groups = rest.some((l) => l.group === MY_DATA_GROUP.id)
    ? out.catalog.groups
    : out.catalog.groups.filter((g) => g.id !== MY_DATA_GROUP.id);
  return {
    ...out,
    catalog: { ...out.catalog, groups, layers: rest },
    layers,
    imports,
    selection: out.selection?.layerId === id ? undefined : out.selection,
    highlight: out.highlight?.layerIds.includes(id) ? undefined : out.highlight,
  };
}

/** Restyles an imported layer (e.g. categorical on the field the user picked). */
export function setImportedStyle(s: S, id: string, style: LayerStyle, styleField?: string): S {
  const meta = s.imports?.[id];
  if (!meta) return s;
  return {
    ...s,
    catalog: { ...s.catalog, layers: s.catalog.layers.map((l) => (l.id === id ? { ...l, style } : l)) },
    imports: { ...s.imports, [id]: { ...meta, styleField } },
  };
}

/** The catalog (demo) layers that play a role. */
export const demoLayersFor = (s: AppState, role: string): LayerSpec[] => s.catalog.layers.filter((l) => l.role === role);

export function roleTitle(s: AppState, role: string): I18n {
  return demoLayersFor(s, role)[0]?.title ?? { zh: role, en: role };
}

/** Why an imported layer cannot play a role, or undefined if it can. */
export function useAsProblem(s: S, layerId: string, role: string): I18n | undefined {
  const spec = s.catalog.layers.find((l) => l.id === layerId);
  if (!spec || !s.imports?.[layerId]) return { zh: `没有导入的图层“${layerId}”`, en: `no imported layer "${layerId}"` };
  if (!(ROLES as readonly string[]).includes(role))
    return { zh: `没有用途“${role}”（可选：${ROLES.join("、")}）`, en: `no role "${role}" (roles: ${ROLES.join(", ")})` };
  const demo = demoLayersFor(s, role)[0];
  const want = demo ? (demo.kind === "3dtiles" ? "polygon" : demo.kind) : undefined;
  if (want && spec.kind !== want) {
    const kz = { point: "点", line: "线", polygon: "面", "3dtiles": "三维瓦片", live: "实时监测" } as const;
    const t = roleTitle(s, role);
    return {
      zh: `“${t.zh}”需要${kz[want]}要素，而“${spec.title.zh}”是${kz[spec.kind]}图层`,
      en: `"${t.en}" needs ${want} features; "${spec.title.en}" is a ${spec.kind} layer`,
    };
  }
  return undefined;
}

/** Swaps an imported layer in for the demo layer(s) of a role. Invalid requests add a notice. */
export function useAs(s: S, layerId: string, role: string): S {
  const bad = useAsProblem(s, layerId, role);
  if (bad) return addNotice(s, "warn", s.lang === "zh" ? bad.zh : bad.en);
  let out: S = s;
  const prev = out.roleSwaps?.[role];
  if (prev?.layerId === layerId) return s;
  if (prev) out = useDemo(out, role);
  const demos = demoLayersFor(out, role);
  const demoVisible = demos.some((d) => out.layers[d.id]?.visible);
  const layers = { ...out.layers };
  for (const d of demos) layers[d.id] = { ...layers[d.id], visible: false };
  layers[layerId] = { ...layers[layerId], visible: true };
  return { ...out, layers, roleSwaps: { ...(out.roleSwaps ?? {}), [role]: { layerId, demoVisible } } };
}

/** Undoes a role swap: the demo layer comes back as it was. */
export function useDemo(s: S, role: string): S {
  const sw = s.roleSwaps?.[role];
  if (!sw) return s;
  const layers = { ...s.layers };
  for (const d of demoLayersFor(s, role)) layers[d.id] = { ...layers[d.id], visible: sw.demoVisible };
  if (layers[sw.layerId]) layers[sw.layerId] = { ...layers[sw.layerId], visible: false };
  const { [role]: _r, ...roleSwaps } = s.roleSwaps!;
  void _r;
  return { ...s, layers, roleSwaps };
}

/**
 * After a view was applied: a view names demo layers; where a role is swapped, the imported
 * layer takes the demo layer's visibility and the demo layer stays hidden.
 */
export function applyRoleSwaps(s: S): S {
  const swaps = Object.entries(s.roleSwaps ?? {});
  if (!swaps.length) return s;
  const layers = { ...s.layers };
  const roleSwaps = { ...s.roleSwaps };
  for (const [role, sw] of swaps) {
    const demos = demoLayersFor(s, role);
    const on = demos.some((d) => layers[d.id]?.visible);
    for (const d of demos) layers[d.id] = { ...layers[d.id], visible: false };
    if (layers[sw.layerId]) layers[sw.layerId] = { ...layers[sw.layerId], visible: on || layers[sw.layerId].visible };
    // Switching back to the demo later shows it as this view wants it.
    roleSwaps[role] = { ...sw, demoVisible: on };
  }
  return { ...s, layers, roleSwaps };
}

/** Data URL per swapped role, for the cockpit worker. */
export function swappedRoleUrls(s: S): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [role, sw] of Object.entries(s.roleSwaps ?? {})) {
    const spec = s.catalog.layers.find((l) => l.id === sw.layerId);
    if (spec) out[role] = spec.url;
  }
  return out;
}

/** The swapped roles a KPI calculator reads: non-empty means the figure comes from imported data. */
export function importedRolesOf(s: S, calculator: string): string[] {
  return (CALCULATOR_LAYERS[calculator] ?? []).filter((r) => s.roleSwaps?.[r]);
}
