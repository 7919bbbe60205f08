// App state and the named pure updaters that change it (kepler.gl reducers, TerriaJS
// actions). Components and the automation API dispatch these; nothing patches state directly.
import type { CameraView } from "./camera";
import type { Catalog, I18n, Lang } from "./catalog";
import { M, isI18n } from "./messages";
import type { Quality, UrlState } from "./urlState";

/** idle = hidden and never loaded; data is fetched the first time a layer is shown. */
export type LayerStatus = "idle" | "loading" | "ready" | "error";

export interface LayerState {
  visible: boolean;
  opacity: number;
  status: LayerStatus;
  featureCount?: number;
  /** Features dropped because their geometry or properties were unusable. */
  skipped?: number;
  /** Why the layer failed, zh and en (the row shows the user's language). */
  error?: I18n;
  /** 0..1 while loading, when known. */
  progress?: number;
}

export interface Notice {
  id: number;
  level: "info" | "warn" | "error";
  /** zh and en; the notice bar shows the user's language. */
  text: I18n;
}

export interface PickedFeature {
  layerId: string;
  featureId: string;
  properties: Record<string, unknown>;
}

export type Basemap = "night" | "day";

/** Features to highlight in the scene, e.g. after clicking a chart bar or a KPI card. */
export interface Highlight {
  layerIds: string[];
  property?: string;
  /** Group key as produced by the chart aggregation (binned values are bin starts). */
  value?: string;
  binSize?: number;
  label: string;
}

export interface KpiResult {
  value: number;
  unit: string;
  /** Why there is no value (a needed layer failed, an unknown KPI id …), in zh and en. */
  missing?: I18n;
}

export interface CockpitState {
  status: "idle" | "computing" | "ready" | "error";
  progress?: number;
  /** Human-readable step, e.g. "loading buildings". */
  step?: string;
  kpis: Record<string, KpiResult>;
  charts: Record<string, import("./charts").ChartData>;
  error?: I18n;
  /** How long the last computation took in the worker (ms). */
  computeMs?: number;
  analyses?: import("./analysisLayers").AnalysisSummary & { error?: I18n };
}

export interface AppState {
  catalog: Catalog;
  lang: Lang;
  quality: Quality;
  basemap: Basemap;
  layers: Record<string, LayerState>;
  notices: Notice[];
  selection?: PickedFeature;
  /** Where the camera should go; the cesium side flies there and clears nothing. */
  cameraRequest?: { view: CameraView; seq: number; instant?: boolean };
  panelOpen: boolean;
  view?: string;
  highlight?: Highlight;
  cockpit: CockpitState;
  /** Inspector tools: filters, underground mode, excavation, measurements (./inspector/state). */
  inspector?: import("./inspector/state").InspectorState;
  /** The tour being presented, if any (src/domain/tours.ts has its updaters). */
  tour?: import("./tours").TourPlayback;
  /** Imported layers ("我的数据"), keyed by layer id; updaters in imports.ts. */
  imports?: Record<string, import("./imports").ImportedMeta>;
  /** Roles whose demo layer is replaced by an imported layer. */
  roleSwaps?: Record<string, import("./imports").RoleSwap>;
}

export function initialState(catalog: Catalog, url: UrlState = { notices: [] }): AppState {
  const visibleSet = url.layers ? new Set(url.layers) : undefined;
  const layers: Record<string, LayerState> = {};
  for (const l of catalog.layers)
    layers[l.id] = {
      visible: visibleSet ? visibleSet.has(l.id) : l.visible,
      opacity: l.style.opacity ?? 1,
      status: "idle",
    };
  let s: AppState = {
    catalog,
    lang: url.lang ?? "zh",
    quality: url.quality ?? "auto",
    basemap: "night",
    layers,
    notices: [],
    panelOpen: true,
    cockpit: { status: "idle", kpis: {}, charts: {} },
  };
  for (const n of url.notices) s = addNotice(s, "warn", M.urlParam(n.param, n.value, n.reason));
  if (url.camera) s = requestCamera(s, url.camera, true);
  return s;
}

function patchLayer(s: AppState, id: string, patch: Partial<LayerState>): AppState {
  const cur = s.layers[id];
  if (!cur) return s;
  return { ...s, layers: { ...s.layers, [id]: { ...cur, ...patch } } };
}

export function setLayerVisible(s: AppState, id: string, visible: boolean): AppState {
  return patchLayer(s, id, { visible });
}

export function setGroupVisible(s: AppState, groupId: string, visible: boolean): AppState {
  let out = s;
  for (const l of s.catalog.layers) if (l.group === groupId) out = setLayerVisible(out, l.id, visible);
  return out;
}

/** Group toggle state: all on, all off, or mixed. */
export function groupVisibility(s: AppState, groupId: string): "on" | "off" | "mixed" {
  const ls = s.catalog.layers.filter((l) => l.group === groupId);
  const on = ls.filter((l) => s.layers[l.id]?.visible).length;
  return on === 0 ? "off" : on === ls.length ? "on" : "mixed";
}

export function setLayerOpacity(s: AppState, id: string, opacity: number): AppState {
  if (!Number.isFinite(opacity)) return s;
  return patchLayer(s, id, { opacity: Math.min(1, Math.max(0, opacity)) });
}

export function layerLoading(s: AppState, id: string, progress?: number): AppState {
  return patchLayer(s, id, { status: "loading", progress, error: undefined });
}

export function layerReady(s: AppState, id: string, featureCount: number, skipped = 0): AppState {
  return patchLayer(s, id, { status: "ready", featureCount, skipped, progress: undefined, error: undefined });
}

/** A plain string (a library's English message) gets a Chinese frame; our own messages are I18n already. */
export function layerError(s: AppState, id: string, error: string | I18n): AppState {
  const e = isI18n(error) ? error : { zh: `加载失败：${error}`, en: error };
  return patchLayer(s, id, { status: "error", error: e, progress: undefined });
}

export function setLang(s: AppState, lang: Lang): AppState {
  return { ...s, lang };
}

export function setQuality(s: AppState, quality: Quality): AppState {
  return { ...s, quality };
}

export function setBasemap(s: AppState, basemap: Basemap): AppState {
  return { ...s, basemap };
}

export function togglePanel(s: AppState): AppState {
  return { ...s, panelOpen: !s.panelOpen };
}

let noticeSeq = 0;
export function addNotice(s: AppState, level: Notice["level"], message: string | I18n): AppState {
  // A bare string is a programming slip (every notice has a zh/en pair): shown as is in both.
  const text = isI18n(message) ? message : { zh: message, en: message };
  if (s.notices.some((n) => n.text.en === text.en)) return s;
  return { ...s, notices: [...s.notices, { id: ++noticeSeq, level, text }] };
}

export function dismissNotice(s: AppState, id: number): AppState {
  return { ...s, notices: s.notices.filter((n) => n.id !== id) };
}

export function select(s: AppState, selection: PickedFeature | undefined): AppState {
  return { ...s, selection };
}

export function requestCamera(s: AppState, view: CameraView, instant = false): AppState {
  return { ...s, cameraRequest: { view, seq: (s.cameraRequest?.seq ?? 0) + 1, instant } };
}

/** Every visible layer has settled (loaded or failed): the scene can be called ready. */
export function visibleLayersSettled(s: AppState): boolean {
  return Object.values(s.layers).every((l) => !l.visible || l.status === "ready" || l.status === "error");
}

export function setHighlight(s: AppState, highlight: Highlight | undefined): AppState {
  return { ...s, highlight };
}

export function cockpitProgress(s: AppState, progress: number, step: string): AppState {
  return { ...s, cockpit: { ...s.cockpit, status: "computing", progress, step } };
}

export function cockpitReady(
  s: AppState,
  kpis: CockpitState["kpis"],
  charts: CockpitState["charts"],
  computeMs: number,
  analyses?: CockpitState["analyses"],
): AppState {
  return { ...s, cockpit: { status: "ready", kpis, charts, computeMs, analyses } };
}

export function cockpitError(s: AppState, error: I18n): AppState {
  return { ...s, cockpit: { ...s.cockpit, status: "error", error } };
}
