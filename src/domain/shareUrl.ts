// Share links: the URL follows what is on screen so a link reproduces it on another screen,
// with no share server. The core parameters (view, layers, camera, lang, quality) are parsed
// in urlState.ts; this adds opacity, selection, basemap, the tour and step, and the
// presenter switches (kiosk, idle, orbit), and writes the whole query back from the state.
//
// The inspector's underground mode is written here and parsed in urlState.ts (`underground`).
// The selection is written as `select=` (one parameter with urlState.ts, which flies to it when
// the link has no camera); `sel=` from older links is read as the same thing. Active attribute
// filters are `filter=` (one per layer, inspector/filterParam.ts).
import type { CameraView } from "./camera";
import type { Lang, LayerSpec } from "./catalog";
import { formatCameraParam, type Quality, type UrlNotice } from "./urlState";
import type { AppState, Basemap } from "./state";
import { formatFilterParams, parseFilterParams } from "./inspector/filterParam";
import type { LayerFilter } from "./inspector/filter";

export const SHARE_PARAMS = ["opacity", "sel", "basemap", "tour", "step", "kiosk", "idle", "orbit", "filter"] as const;

export const DEFAULT_IDLE_S = 90;

export interface ShareParams {
  /** Layer opacity overrides (0..1) by layer id. */
  opacity?: Record<string, number>;
  selection?: { layerId: string; featureId: string };
  /** The inspector's attribute filters by layer id (not yet checked against the layers' fields). */
  filters?: Record<string, LayerFilter>;
  basemap?: Basemap;
  tour?: string;
  /** 0-based (the URL says step=1 for the first step). */
  step?: number;
  kiosk: boolean;
  idleS: number;
  orbit: boolean;
  notices: UrlNotice[];
}

const flag = (v: string | null) => v === "1" || v === "true";
const ID = /^[a-z][a-z0-9_-]*$/;

export function parseShareParams(search: string, knownLayerIds?: ReadonlySet<string>): ShareParams {
  const p = new URLSearchParams(search);
  const out: ShareParams = { kiosk: false, idleS: DEFAULT_IDLE_S, orbit: false, notices: [] };
  const note = (param: string, value: string, reason: string) => out.notices.push({ param, value, reason });

  const opacity = p.get("opacity");
  if (opacity !== null) {
    const o: Record<string, number> = {};
    for (const part of opacity.split(",").filter(Boolean)) {
      const m = /^([a-z][a-z0-9_-]*):([0-9.]+)$/.exec(part.trim());
      const v = m ? Number(m[2]) : NaN;
      if (!m || !(v >= 0 && v <= 1)) note("opacity", part, "expected layerId:0…1");
      else if (knownLayerIds && !knownLayerIds.has(m[1])) note("opacity", part, "unknown layer id, ignored");
      else o[m[1]] = v;
    }
    if (Object.keys(o).length) out.opacity = o;
  }

  // `select=` (sel= is its old name, still read). A bad one is reported once, by urlState.ts
  // (its format) or by the inspector (an unknown layer or feature): not here as well.
  const sel = p.get("select") ?? p.get("sel");
  if (sel !== null) {
    const i = sel.indexOf(":");
    const layerId = sel.slice(0, i);
    const featureId = sel.slice(i + 1);
    if (i >= 1 && featureId && ID.test(layerId) && (!knownLayerIds || knownLayerIds.has(layerId))) out.selection = { layerId, featureId };
  }

  const filterValues = p.getAll("filter");
  if (filterValues.length) {
    const f = parseFilterParams(filterValues, knownLayerIds);
    out.notices.push(...f.notices);
    if (Object.keys(f.filters).length) out.filters = f.filters;
  }

  const basemap = p.get("basemap");
  if (basemap !== null) {
    if (basemap === "day" || basemap === "night") out.basemap = basemap;
    else note("basemap", basemap, 'expected "day" or "night"');
  }

  const tour = p.get("tour");
  if (tour !== null) {
    if (ID.test(tour)) out.tour = tour;
    else note("tour", tour, "not a tour id");
  }
  const step = p.get("step");
  if (step !== null) {
    const n = Number(step);
    if (!Number.isInteger(n) || n < 1) note("step", step, "expected a step number from 1");
    else out.step = n - 1;
  }

  out.kiosk = flag(p.get("kiosk"));
  out.orbit = flag(p.get("orbit"));
  const idle = p.get("idle");
  if (idle !== null) {
    const n = Number(idle);
    if (!(n >= 5 && n <= 86_400)) note("idle", idle, "expected seconds between 5 and 86400");
    else out.idleS = n;
  }
  return out;
}

/** Everything a share link carries. */
export interface ShareState {
  view?: string;
  /** The view's own layer set: `layers` is written only when the visible set differs from it. */
  viewLayers?: readonly string[];
  layers: string[];
  opacity: Record<string, number>;
  camera?: CameraView;
  selection?: { layerId: string; featureId: string };
  lang: Lang;
  basemap: Basemap;
  quality: Quality;
  tour?: { id: string; step: number };
  kiosk: boolean;
  idleS: number;
  orbit: boolean;
  /** The inspector's underground mode (`underground=1`, parsed in urlState.ts). */
  underground?: boolean;
  /** The inspector's attribute filters by layer id (`filter=`). */
  filters?: Record<string, LayerFilter>;
}

/** The opacity a layer has when nobody touched it: the view's override or the catalog's. */
export function defaultOpacity(spec: LayerSpec, viewStyles: Record<string, { opacity?: number }> | undefined): number {
  return viewStyles?.[spec.id]?.opacity ?? spec.style.opacity ?? 1;
}

export function shareStateOf(
  s: AppState,
  view: { id: string; layers: readonly string[]; styles: Record<string, { opacity?: number }> } | undefined,
  camera: CameraView | undefined,
  presenter: { kiosk: boolean; idleS: number; orbit: boolean },
): ShareState {
  const opacity: Record<string, number> = {};
  for (const spec of s.catalog.layers) {
    const o = s.layers[spec.id]?.opacity;
    if (o !== undefined && Math.abs(o - defaultOpacity(spec, view?.styles)) > 0.005) opacity[spec.id] = o;
  }
  return {
    view: s.view,
    viewLayers: view?.layers,
    layers: s.catalog.layers.filter((l) => s.layers[l.id]?.visible).map((l) => l.id),
    opacity,
    camera,
    selection: s.selection ? { layerId: s.selection.layerId, featureId: s.selection.featureId } : undefined,
    lang: s.lang,
    basemap: s.basemap,
    quality: s.quality,
    tour: s.tour ? { id: s.tour.id, step: s.tour.step } : undefined,
    ...(s.inspector?.underground ? { underground: true } : {}),
    ...(s.inspector && Object.keys(s.inspector.filters).length ? { filters: s.inspector.filters } : {}),
    ...presenter,
  };
}

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && new Set([...a, ...b]).size === a.length;

/** The query string (without "?") for a share link; defaults are left out to keep it short. */
export function shareQuery(s: ShareState): string {
  const q: string[] = [];
  const add = (k: string, v: string) => q.push(`${k}=${encodeURIComponent(v).replace(/%2C/g, ",").replace(/%3A/g, ":")}`);
  if (s.view) add("view", s.view);
  if (!s.viewLayers || !sameSet(s.layers, s.viewLayers)) add("layers", s.layers.join(","));
  const op = Object.entries(s.opacity);
  if (op.length) add("opacity", op.map(([id, v]) => `${id}:${+v.toFixed(2)}`).join(","));
  if (s.camera) add("camera", formatCameraParam(s.camera));
  if (s.selection) add("select", `${s.selection.layerId}:${s.selection.featureId}`);
  if (s.lang !== "zh") add("lang", s.lang);
  if (s.basemap !== "night") add("basemap", s.basemap);
  if (s.quality !== "auto") add("quality", s.quality);
  if (s.tour) {
    add("tour", s.tour.id);
    add("step", String(s.tour.step + 1));
  }
  if (s.kiosk) add("kiosk", "1");
  if (s.kiosk && s.idleS !== DEFAULT_IDLE_S) add("idle", String(s.idleS));
  if (s.orbit) add("orbit", "1");
  if (s.underground) add("underground", "1");
  for (const f of formatFilterParams(s.filters ?? {})) add("filter", f);
  return q.join("&");
}
