// The inspector's part of the app state and its named updaters: filters, underground mode, the
// pipe exaggeration, the excavation and its hit list, measurements, and the active tool. Plain
// data only (no Cesium objects); the scene reconciles itself with it.
import type { AppState } from "../state";
import type { HitRow, LonLat } from "./excavation";
import type { LayerFilter } from "./filter";

export type Tool = "excavate-rect" | "excavate-poly" | "distance" | "area" | "height" | "depth";

export interface Measurement {
  id: number;
  kind: "distance" | "area" | "height" | "depth";
  points: Array<[number, number, number]>;
  /** distance: total m; area: m²; height/depth: m. */
  value: number;
  legsM?: number[];
}

export interface Excavation {
  ring: LonLat[];
  depthM: number;
  areaM2: number;
  rows: HitRow[];
}

export interface InspectorState {
  filters: Record<string, LayerFilter>;
  underground: boolean;
  /** Alpha of the globe and the ground layers in underground mode (0.05–1). */
  groundAlpha: number;
  /** Diameter exaggeration of pipes (1–20). */
  pipeScale: number;
  excavation?: Excavation;
  /** Depth for the next pit drawn (m). */
  pitDepthM: number;
  measurements: Measurement[];
  tool?: Tool;
  /** Per filtered layer: features matching / all features (computed from the layer's data). */
  filterCounts: Record<string, { matched: number; total: number }>;
  /**
   * The cockpit's "filtered" figures (KPIs and charts over the features the filters keep),
   * for the filters whose key (filtersKey) they were computed for.
   */
  figures?: FilteredFiguresState;
  /** Last inspector error, in both languages, shown where the user looks (search box, pit panel …). */
  message?: { where: "search" | "filter" | "excavation" | "measure" | "select"; zh: string; en: string };
}

export interface FilteredFiguresState {
  key: string;
  status: "computing" | "ready" | "error";
  kpis: Record<string, import("../state").KpiResult>;
  charts: Record<string, import("../charts").ChartData>;
  error?: { zh: string; en: string };
}

/** The identity of a set of filters (what the filtered figures were computed for). */
export const filtersKey = (filters: Record<string, LayerFilter>): string =>
  JSON.stringify(
    Object.keys(filters)
      .sort()
      .map((k) => [k, filters[k]]),
  );

export function setFilteredFigures(s: AppState, figures: FilteredFiguresState | undefined): AppState {
  return patch(s, { figures });
}

/** The filtered figures for the filters in effect now (undefined when none, or stale). */
export function currentFigures(s: AppState): FilteredFiguresState | undefined {
  const ins = inspectorOf(s);
  const f = ins.figures;
  return f && Object.keys(ins.filters).length && f.key === filtersKey(ins.filters) ? f : undefined;
}

/** 5×: a 110 mm gas pipe becomes 0.55 m, about two pixels from 300 m at the low quality setting. */
export const DEFAULT_PIPE_SCALE = 5;

export const initialInspector = (): InspectorState => ({
  filters: {},
  underground: false,
  groundAlpha: 0.35,
  pipeScale: DEFAULT_PIPE_SCALE,
  pitDepthM: 3,
  measurements: [],
  filterCounts: {},
});

export function inspectorOf(s: AppState): InspectorState {
  return s.inspector ?? initialInspector();
}
function patch(s: AppState, p: Partial<InspectorState>): AppState {
  return { ...s, inspector: { ...inspectorOf(s), ...p } };
}

export function setFilter(s: AppState, layerId: string, filter: LayerFilter | undefined): AppState {
  const filters = { ...inspectorOf(s).filters };
  if (!filter || Object.keys(filter).length === 0) delete filters[layerId];
  else filters[layerId] = filter;
  return patch(s, { filters });
}
export const clearFilters = (s: AppState) => patch(s, { filters: {} });
export const setUnderground = (s: AppState, underground: boolean) => patch(s, { underground });
export const setGroundAlpha = (s: AppState, a: number) =>
  Number.isFinite(a) ? patch(s, { groundAlpha: Math.min(1, Math.max(0.05, a)) }) : s;
export const setPipeScale = (s: AppState, k: number) => (Number.isFinite(k) ? patch(s, { pipeScale: Math.min(20, Math.max(1, k)) }) : s);
export const setPitDepth = (s: AppState, d: number) => (Number.isFinite(d) ? patch(s, { pitDepthM: Math.min(100, Math.max(0.1, d)) }) : s);
/** Filling the pit in also takes back a refusal message about it. */
export const setExcavation = (s: AppState, excavation: Excavation | undefined) =>
  patch(s, excavation || inspectorOf(s).message?.where !== "excavation" ? { excavation } : { excavation, message: undefined });
export function setFilterCount(s: AppState, layerId: string, count: { matched: number; total: number } | undefined): AppState {
  const filterCounts = { ...inspectorOf(s).filterCounts };
  if (count) filterCounts[layerId] = count;
  else delete filterCounts[layerId];
  return patch(s, { filterCounts });
}
export const setInspectorMessage = (s: AppState, message: InspectorState["message"]) => patch(s, { message });
export const setTool = (s: AppState, tool: Tool | undefined) => patch(s, { tool });

let measureSeq = 0;
export function addMeasurement(s: AppState, m: Omit<Measurement, "id">): AppState {
  return patch(s, { measurements: [...inspectorOf(s).measurements, { ...m, id: ++measureSeq }], tool: undefined });
}
export function removeMeasurement(s: AppState, id: number): AppState {
  return patch(s, { measurements: inspectorOf(s).measurements.filter((m) => m.id !== id) });
}
export const clearMeasurements = (s: AppState) => patch(s, { measurements: [] });

/** Layers the ground consists of: made translucent in underground mode and over a pit. */
/**
 * Underground, the vector ground layers (land use, roads …) are drawn at this share of the
 * user's ground alpha: fainter than the globe, so their blocks and lines do not compete with
 * the tubes (the 1280×800 design pass). The slider still scales them.
 */
export const UNDERGROUND_LAYER_DIM = 0.5;

export function isGroundLayer(spec: { group: string; kind: string; id: string }): boolean {
  return (spec.group === "base" || spec.group === "green") && spec.kind !== "3dtiles";
}
