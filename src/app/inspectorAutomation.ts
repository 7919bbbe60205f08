// window.warmcity members of the inspector's toolkit (added to the same object as the rest).
import type { HitRow } from "../domain/inspector/excavation";
import type { LayerFilter } from "../domain/inspector/filter";
import type { SearchGroup } from "../domain/inspector/search";
import { inspectorOf, setExcavation, setGroundAlpha, setPipeScale, setUnderground } from "../domain/inspector/state";
import type { Measurement } from "../domain/inspector/state";
import { measureArea, measureDistance } from "../domain/inspector/measure";
import type { SceneApi } from "../cesium/CesiumView";
import { isValidCamera } from "../domain/camera";
import type { InspectorService } from "./inspector";
import type { Store } from "./store";

export interface InspectorApi {
  /** Ranked results grouped by layer. */
  search(q: string): Promise<SearchGroup[]>;
  /** Sets (or with `undefined`/`{}` clears) a layer's filter; resolves with the counts. */
  setFilter(layerId: string, filter: unknown): Promise<{ matched: number; total: number }>;
  filters(): Record<string, { filter: LayerFilter; matched?: number; total?: number }>;
  /** Digs a pit: `[[lon, lat], …]` to `depthM`; resolves with the hit list. */
  excavate(polygonLonLat: Array<[number, number]>, depthM?: number): Promise<HitRow[]>;
  clearExcavation(): void;
  excavation(): { ring: Array<[number, number]>; depthM: number; areaM2: number; rows: HitRow[] } | undefined;
  setUnderground(on: boolean, groundAlpha?: number): Promise<void>;
  /** `tubes`: pipe tube batches on screen and builds under way (a new exaggeration rebuilds them). */
  underground(): { on: boolean; groundAlpha: number; pipeScale: number; tubes?: { shown: number; building: number } };
  setPipeScale(k: number): void;
  /** Selects a feature of any layer (3D Tiles included) and flies to it; false if unknown. */
  select(layerId: string, featureId: string): Promise<boolean>;
  selection(): { layerId: string; featureId: string; properties: Record<string, unknown> } | undefined;
  measurements(): Measurement[];
  /** Pure measurement (no drawing): distance with legs, or area. */
  measure(kind: "distance" | "area", pointsLonLat: Array<[number, number]>): { totalM?: number; legsM?: number[]; areaM2?: number };
  /** The text an export would download (CSV with BOM, or GeoJSON); also downloads it when `download`. */
  exportData(what: "selection" | "filter" | "excavation", format: "csv" | "geojson", layerId?: string, download?: boolean): Promise<string>;
  /** A PNG of the current view as a data: URL. */
  exportPng(): Promise<string>;
}

export function installInspectorAutomation(store: Store, svc: InspectorService, getScene: () => SceneApi | undefined) {
  const api: InspectorApi = {
    search: (q) => svc.search(q),
    setFilter: (layerId, filter) => svc.applyFilter(layerId, filter),
    filters() {
      const ins = inspectorOf(store.get());
      return Object.fromEntries(
        Object.entries(ins.filters).map(([id, f]) => [id, { filter: structuredClone(f), ...(ins.filterCounts[id] ?? {}) }]),
      );
    },
    excavate: (poly, depth) => svc.excavate(poly, depth),
    clearExcavation: () => store.dispatch((s) => setExcavation(s, undefined)),
    excavation: () => structuredClone(inspectorOf(store.get()).excavation),
    async setUnderground(on, alpha) {
      store.dispatch((s) => {
        const t = setUnderground(s, !!on);
        return alpha === undefined ? t : setGroundAlpha(t, alpha);
      });
      await getScene()?.whenDrawn();
    },
    underground: () => {
      const i = inspectorOf(store.get());
      const tubes = getScene()?.inspector?.tubeCounts();
      return { on: i.underground, groundAlpha: i.groundAlpha, pipeScale: i.pipeScale, ...(tubes ? { tubes } : {}) };
    },
    setPipeScale: (k) => store.dispatch((s) => setPipeScale(s, k)),
    select: async (layerId, featureId) => !!(await svc.selectFeature(layerId, featureId)),
    selection: () => structuredClone(store.get().selection),
    measurements: () => structuredClone(inspectorOf(store.get()).measurements),
    measure: (kind, pts) => (kind === "distance" ? measureDistance(pts) : { areaM2: measureArea(pts).areaM2 }),
    exportData: (what, format, layerId, download) =>
      download ? svc.exportFile(what, format, layerId) : svc.exportText(what, format, layerId),
    exportPng: () => svc.exportPng(),
  };
  if (window.warmcity) {
    // In underground mode the camera may go below the surface: flyTo accepts heights down to
    // −1,000 m then (the other checks stay those of the base flyTo).
    const base = window.warmcity.flyTo.bind(window.warmcity);
    window.warmcity.flyTo = async (camera, durationS) => {
      const h = (camera as { heightM?: unknown } | undefined)?.heightM;
      if (!inspectorOf(store.get()).underground || typeof h !== "number" || h >= 1) return base(camera, durationS);
      if (!(h >= -1000)) throw new Error(`bad camera: height ${h} m outside −1,000…20,000,000 in underground mode`);
      const bad = isValidCamera({ ...camera, heightM: 1 });
      if (bad) throw new Error(`bad camera: ${bad}`);
      const scene = getScene();
      if (!scene) throw new Error("scene not ready");
      await scene.flyTo(camera, durationS);
      await scene.whenDrawn();
    };
    Object.assign(window.warmcity, api);
  }
  return api;
}

declare global {
  interface Window {
    warmcityInspector?: InspectorApi;
  }
}
