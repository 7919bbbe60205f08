// The layer catalog: what layers exist, where their data is, how they look.
// It is data (data/catalog.json), validated at load with errors that name the file and the
// field, so a typo in a manifest gives a readable message instead of a white page.

import { checkFieldSetRef, validateFieldSets, type FieldSets } from "./inspector/fields";
import type { LayerFilter } from "./inspector/filter";
import { ROLES } from "./kpiLayers";

export type Lang = "zh" | "en";
export interface I18n {
  zh: string;
  en: string;
}

export type LayerKind = "point" | "line" | "polygon" | "3dtiles" | "live";

/** A colour rule. Colours are CSS hex strings (#rgb, #rrggbb or #rrggbbaa). */
export type ColorRule =
  | { type: "constant"; color: string }
  | {
      type: "categorical";
      property: string;
      categories: Record<string, string>;
      labels?: Record<string, I18n>;
      default: string;
    }
  | {
      type: "ramp";
      property: string;
      /** Ascending stops: value → colour; values between stops are interpolated. */
      stops: Array<[number, string]>;
      unit?: string;
    }
  /** Not written in manifests: made by highlightStyle() when a chart bar or KPI is clicked. */
  | {
      type: "highlight";
      base: ColorRule;
      property?: string;
      value?: string;
      binSize?: number;
      color: string;
      /** Alpha multiplier for features that do not match. */
      dim: number;
    }
  /** Not written in manifests: made by filterStyle() (./inspector/filter); hides what does not match. */
  | { type: "filter"; base: ColorRule; filter: LayerFilter };

export interface LayerStyle {
  color: ColorRule;
  /** 0..1, multiplied into every colour's alpha. */
  opacity?: number;
  lineWidthPx?: number;
  pointSizePx?: number;
  /** Polygon extrusion: a constant height, or a numeric property (metres). */
  extrude?: { property: string } | { heightM: number };
  /** Height above the ellipsoid for lines/points/flat polygons (metres). */
  heightOffsetM?: number;
  /** Outline colour for points / polygons. */
  outlineColor?: string;
  /** Cluster points when zoomed out (points only). */
  cluster?: boolean;
  /** The colour rule on the day basemap (the night palette of `color` reads as dark blocks on a light globe). */
  dayColor?: ColorRule;
}

export interface LayerSpec {
  id: string;
  title: I18n;
  group: string;
  kind: LayerKind;
  url: string;
  visible: boolean;
  pickable: boolean;
  style: LayerStyle;
  /** Property used as a feature's display name in the inspector. */
  nameProperty?: string;
  description?: I18n;
  /** Credit / data source shown in the panel. */
  source?: I18n;
  /** Id of the field set (catalog `fields`) describing its properties: labels, units, filters. */
  fields?: string;
  /**
   * Features that lie underground (pipes, network nodes): drawn at their depth in underground
   * mode and in excavations, and listed in excavation hit lists.
   */
  underground?: { depthProperty: string; diameterProperty?: string; topDepthProperty?: string };
  /** kind "live": sensors (points at `url`) bound to an MQTT topic filter and to the layer whose features they sit on. */
  live?: { topic: string; on: string };
  /** The city layer this layer is for the KPI calculators (one of ROLES in kpiLayers.ts). */
  role?: string;
  /**
   * GeoJSON of the same features, when the layer is drawn from 3D Tiles: what the cockpit reads,
   * and the inspector's search, filter counts and export.
   */
  features?: string;
  /**
   * Polygon/line layers only: a 3D Tiles tileset baked from `url` at build time
   * (scripts/bake/ground.ts) that the scene draws instead of triangulating the GeoJSON at load.
   * Layers naming the same tileset share it (one draw per tile). `url` stays the data source
   * (KPIs, analyses, export).
   */
  tiles?: string;
}

/** Which renderer draws a layer: its kind, or "ground-tiles" for a layer baked to tiles. */
export function rendererKind(spec: LayerSpec): string {
  return spec.tiles ? "ground-tiles" : spec.kind;
}

export interface GroupSpec {
  id: string;
  title: I18n;
}

export interface Catalog {
  version: 1;
  groups: GroupSpec[];
  layers: LayerSpec[];
  /** Field dictionary: set id → fields (see ./inspector/fields). */
  fields?: FieldSets;
  /** The city the catalog is for: named in the title bar and the page title (absent: the app's name alone). */
  city?: CitySpec;
}

export interface CitySpec {
  /** Shown after the app's name in the title bar ("暖城孪生 · <name>"). */
  name: I18n;
  /** The line under it (districts, extent). */
  subtitle?: I18n;
  /** True when the data is made up (the demo city): the title bar says so. */
  synthetic?: boolean;
}

export class ManifestError extends Error {
  constructor(
    readonly file: string,
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${file}: ${field}: ${reason}`);
    this.name = "ManifestError";
  }
}

const KINDS: readonly LayerKind[] = ["point", "line", "polygon", "3dtiles", "live"];
const HEX = /^#(?:[0-9a-f]{3}|[0-9a-f]{6}|[0-9a-f]{8})$/i;
const ID = /^[a-z][a-z0-9_-]*$/;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** A small validation cursor that knows the path it is looking at. */
class At {
  constructor(
    readonly file: string,
    readonly path: string,
  ) {}
  err(reason: string): ManifestError {
    return new ManifestError(this.file, this.path || "(root)", reason);
  }
  child(key: string | number): At {
    const p = typeof key === "number" ? `${this.path}[${key}]` : this.path ? `${this.path}.${key}` : key;
    return new At(this.file, p);
  }
}

export function expectObj(at: At, v: unknown): Obj {
  if (!isObj(v)) throw at.err(`expected an object, got ${describe(v)}`);
  return v;
}
function describe(v: unknown): string {
  if (v === undefined) return "nothing (missing)";
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  return `${typeof v} ${JSON.stringify(v)?.slice(0, 40)}`;
}
export function str(at: At, o: Obj, key: string, optional = false): string | undefined {
  const v = o[key];
  if (v === undefined && optional) return undefined;
  if (typeof v !== "string" || v.length === 0) throw at.child(key).err(`expected a non-empty string, got ${describe(v)}`);
  return v;
}
function num(at: At, o: Obj, key: string, min: number, max: number, optional = false): number | undefined {
  const v = o[key];
  if (v === undefined && optional) return undefined;
  if (typeof v !== "number" || !Number.isFinite(v) || v < min || v > max)
    throw at.child(key).err(`expected a number in [${min}, ${max}], got ${describe(v)}`);
  return v;
}
function bool(at: At, o: Obj, key: string): boolean {
  const v = o[key];
  if (typeof v !== "boolean") throw at.child(key).err(`expected true or false, got ${describe(v)}`);
  return v;
}
function color(at: At, v: unknown): string {
  if (typeof v !== "string" || !HEX.test(v)) throw at.err(`expected a hex colour like "#1e90ff", got ${describe(v)}`);
  return v;
}
export function i18n(at: At, v: unknown): I18n {
  const o = expectObj(at, v);
  return { zh: str(at, o, "zh")!, en: str(at, o, "en")! };
}
export function id(at: At, o: Obj, key = "id"): string {
  const v = str(at, o, key)!;
  if (!ID.test(v)) throw at.child(key).err(`expected a lower-case id (a-z, 0-9, _ and -), got "${v}"`);
  return v;
}

export function colorRule(at: At, v: unknown): ColorRule {
  const o = expectObj(at, v);
  const type = o.type;
  if (type === "constant") return { type, color: color(at.child("color"), o.color) };
  if (type === "categorical") {
    const cats = expectObj(at.child("categories"), o.categories);
    const categories: Record<string, string> = {};
    for (const [k, c] of Object.entries(cats)) categories[k] = color(at.child("categories").child(k), c);
    let labels: Record<string, I18n> | undefined;
    if (o.labels !== undefined) {
      labels = {};
      const l = expectObj(at.child("labels"), o.labels);
      for (const [k, t] of Object.entries(l)) {
        if (!(k in categories)) throw at.child("labels").child(k).err(`label for a category that is not in categories`);
        labels[k] = i18n(at.child("labels").child(k), t);
      }
    }
    return {
      type,
      property: str(at, o, "property")!,
      categories,
      labels,
      default: color(at.child("default"), o.default),
    };
  }
  if (type === "ramp") {
    const s = o.stops;
    if (!Array.isArray(s) || s.length < 2) throw at.child("stops").err("expected at least two [value, colour] stops");
    const stops = s.map((st, i): [number, string] => {
      const a = at.child("stops").child(i);
      if (!Array.isArray(st) || st.length !== 2 || typeof st[0] !== "number" || !Number.isFinite(st[0]))
        throw a.err(`expected [number, colour], got ${describe(st)}`);
      return [st[0], color(a.child(1), st[1])];
    });
    for (let i = 1; i < stops.length; i++)
      if (stops[i][0] <= stops[i - 1][0]) throw at.child("stops").child(i).err("stop values must increase");
    return { type, property: str(at, o, "property")!, stops, unit: str(at, o, "unit", true) };
  }
  throw at.child("type").err(`expected "constant", "categorical" or "ramp", got ${describe(type)}`);
}

export function layerStyle(at: At, v: unknown, kind: LayerKind): LayerStyle {
  const o = expectObj(at, v);
  const style: LayerStyle = { color: colorRule(at.child("color"), o.color) };
  style.opacity = num(at, o, "opacity", 0, 1, true);
  style.lineWidthPx = num(at, o, "lineWidthPx", 0.5, 64, true);
  style.pointSizePx = num(at, o, "pointSizePx", 1, 128, true);
  style.heightOffsetM = num(at, o, "heightOffsetM", -1000, 10000, true);
  if (o.outlineColor !== undefined) style.outlineColor = color(at.child("outlineColor"), o.outlineColor);
  if (o.dayColor !== undefined) style.dayColor = colorRule(at.child("dayColor"), o.dayColor);
  if (o.cluster !== undefined) {
    style.cluster = bool(at, o, "cluster");
    if (style.cluster && kind !== "point") throw at.child("cluster").err("only point layers can be clustered");
  }
  if (o.extrude !== undefined) {
    const e = expectObj(at.child("extrude"), o.extrude);
    if (kind !== "polygon") throw at.child("extrude").err("only polygon layers can be extruded");
    if (e.property !== undefined) style.extrude = { property: str(at.child("extrude"), e, "property")! };
    else style.extrude = { heightM: num(at.child("extrude"), e, "heightM", 0, 2000)! };
  }
  return style;
}

function undergroundSpec(at: At, v: unknown, kind: LayerKind): NonNullable<LayerSpec["underground"]> {
  const o = expectObj(at, v);
  if (kind !== "line" && kind !== "point") throw at.err("only line (pipes) and point (nodes) layers can lie underground");
  return {
    depthProperty: str(at, o, "depthProperty")!,
    ...(o.diameterProperty !== undefined ? { diameterProperty: str(at, o, "diameterProperty") } : {}),
    ...(o.topDepthProperty !== undefined ? { topDepthProperty: str(at, o, "topDepthProperty") } : {}),
  };
}

function layerSpec(at: At, v: unknown, groups: Set<string>, fieldSets: FieldSets = {}): LayerSpec {
  const o = expectObj(at, v);
  const kind = o.kind as LayerKind;
  if (!KINDS.includes(kind)) throw at.child("kind").err(`expected one of ${KINDS.join(", ")}, got ${describe(o.kind)}`);
  const group = str(at, o, "group")!;
  if (!groups.has(group)) throw at.child("group").err(`no group with id "${group}" in groups`);
  return {
    id: id(at, o),
    title: i18n(at.child("title"), o.title),
    group,
    kind,
    url: str(at, o, "url")!,
    visible: bool(at, o, "visible"),
    pickable: bool(at, o, "pickable"),
    style: layerStyle(at.child("style"), o.style, kind),
    nameProperty: str(at, o, "nameProperty", true),
    description: o.description === undefined ? undefined : i18n(at.child("description"), o.description),
    source: o.source === undefined ? undefined : i18n(at.child("source"), o.source),
    ...(o.fields !== undefined ? { fields: checkFieldSetRef(at.child("fields"), o.fields, fieldSets) } : {}),
    ...(o.underground !== undefined ? { underground: undergroundSpec(at.child("underground"), o.underground, kind) } : {}),
    role: role(at, o),
    features: str(at, o, "features", true),
    ...(o.tiles === undefined ? {} : { tiles: bakedTiles(at, o, kind) }),
    ...(kind === "live" ? { live: liveBinding(at.child("live"), o.live) } : {}),
  };
}

/** kind "live": `{topic, on}` — an MQTT topic filter (`warmcity/+/gas/+`) and the id of the layer the sensors sit on. */
function liveBinding(at: At, v: unknown): { topic: string; on: string } {
  const o = expectObj(at, v);
  const topic = str(at, o, "topic")!;
  const segs = topic.split("/");
  if (!segs.every((s, i) => s === "+" || (s === "#" && i === segs.length - 1) || (s.length > 0 && !/[+#]/.test(s))))
    throw at.child("topic").err(`not an MQTT topic filter: "${topic}"`);
  return { topic, on: str(at, o, "on")! };
}

function bakedTiles(at: At, o: Obj, kind: LayerKind): string {
  const url = str(at, o, "tiles")!;
  if (kind !== "polygon" && kind !== "line")
    throw at.child("tiles").err(`only polygon and line layers can be baked to ground tiles, not ${kind}`);
  if (!/tileset\.json$/.test(url)) throw at.child("tiles").err(`expected the URL of a tileset.json, got ${JSON.stringify(url)}`);
  return url;
}

function role(at: At, o: Obj): string | undefined {
  const r = str(at, o, "role", true);
  if (r !== undefined && !(ROLES as readonly string[]).includes(r))
    throw at.child("role").err(`expected one of ${ROLES.join(", ")}, got "${r}"`);
  return r;
}

/** Validates a parsed catalog manifest; throws ManifestError naming file and field. */
export function validateCatalog(raw: unknown, file = "catalog.json"): Catalog {
  const root = new At(file, "");
  const o = expectObj(root, raw);
  if (o.version !== 1) throw root.child("version").err(`expected 1, got ${describe(o.version)}`);
  if (!Array.isArray(o.groups)) throw root.child("groups").err(`expected an array, got ${describe(o.groups)}`);
  const groups = o.groups.map((g, i) => {
    const at = root.child("groups").child(i);
    const go = expectObj(at, g);
    return { id: id(at, go), title: i18n(at.child("title"), go.title) };
  });
  const groupIds = new Set<string>();
  groups.forEach((g, i) => {
    if (groupIds.has(g.id)) throw root.child("groups").child(i).child("id").err(`duplicate group id "${g.id}"`);
    groupIds.add(g.id);
  });
  if (!Array.isArray(o.layers)) throw root.child("layers").err(`expected an array, got ${describe(o.layers)}`);
  const fields = validateFieldSets(root.child("fields"), o.fields);
  const layers = o.layers.map((l, i) => layerSpec(root.child("layers").child(i), l, groupIds, fields));
  const seen = new Set<string>();
  const roles = new Set<string>();
  layers.forEach((l, i) => {
    if (seen.has(l.id)) throw root.child("layers").child(i).child("id").err(`duplicate layer id "${l.id}"`);
    seen.add(l.id);
    if (l.role && roles.has(l.role)) throw root.child("layers").child(i).child("role").err(`two layers declare role "${l.role}"`);
    if (l.role) roles.add(l.role);
  });
  layers.forEach((l, i) => {
    if (l.live && !seen.has(l.live.on))
      throw root.child("layers").child(i).child("live").child("on").err(`no layer with id "${l.live.on}"`);
  });
  return {
    version: 1,
    groups,
    layers,
    ...(o.fields !== undefined ? { fields } : {}),
    ...(o.city !== undefined ? { city: citySpec(root.child("city"), o.city) } : {}),
  };
}

function citySpec(at: At, v: unknown): CitySpec {
  const o = expectObj(at, v);
  return {
    name: i18n(at.child("name"), o.name),
    ...(o.subtitle !== undefined ? { subtitle: i18n(at.child("subtitle"), o.subtitle) } : {}),
    ...(o.synthetic !== undefined ? { synthetic: bool(at, o, "synthetic") } : {}),
  };
}

export { At as ManifestCursor };
