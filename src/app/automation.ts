// window.warmcity: the automation surface for kiosk integrators and tests. It reads and
// drives the same store as the UI; nothing here bypasses the named updaters.
import type { CameraView } from "../domain/camera";
import { isValidCamera } from "../domain/camera";
import type { LayerStatus } from "../domain/state";
import { requestCamera, setLayerVisible } from "../domain/state";
import type { SceneApi } from "../cesium/CesiumView";
import type { PresenterApi } from "./presenter";
import type { Store } from "./store";

export interface LayerInfo {
  id: string;
  title: string;
  kind: string;
  group: string;
  visible: boolean;
  opacity: number;
  status: Exclude<LayerStatus, "idle"> | "idle";
  featureCount: number;
  skipped: number;
  error?: string;
}

export interface WarmCityApi extends PresenterApi {
  readonly ready: boolean;
  readonly version: string;
  layers(): LayerInfo[];
  camera(): CameraView | undefined;
  errors(): string[];
  setLayerVisible(id: string, on: boolean): void;
  flyTo(camera: CameraView, durationS?: number): Promise<void>;
  whenIdle(): Promise<void>;
  quality(): { level: string; reason: string; renderer?: string } | undefined;
  /** Current view id. */
  view(): string | undefined;
  views(): string[];
  /** Switches view; false (and a notice) for an unknown id. */
  setView(id: string): boolean;
  /** Current KPI values by id (NaN with `missing` when a needed layer failed). */
  kpis(): Record<string, { value: number; unit: string; missing?: string }>;
  /** Resolves when the cockpit worker has finished. */
  whenKpis(): Promise<void>;
  /** WebGL context losses since start: when (ms since page start) and how long the scene took to come back. */
  contextLosses?(): ContextLoss[];
  /** Every notice in the notice bar (shown or waiting), in the UI language or the one asked for. */
  notices?(lang?: "zh" | "en"): string[];
  /** Primitives (nested collections counted), tilesets and ground primitives in the scene now. */
  sceneCounts?(): { primitives: number; tilesets: number; groundPrimitives: number } | undefined;
  /** Vector batches built (triangulated) and recoloured in place since start. */
  renderStats(): { batchesBuilt: number; restyledInPlace: number } | undefined;
  /** The live feed: connection state, messages/s, sensors seen, active alarms (src/app/liveApp.ts). */
  live?(sensorId?: string): import("./liveApp").LiveInfo;
  /** Message→drawn latency samples for the live bench (scripts/bench/live.ts). */
  liveLatencyProbe?: typeof import("../cesium/LiveRenderer").liveLatencyProbe;
}

declare global {
  interface Window {
    warmcity?: WarmCityApi;
  }
}

export interface ContextLoss {
  atMs: number;
  recoveredMs?: number;
}

export interface ViewControl {
  setView(id: string): boolean;
  views(): string[];
}

export function installAutomation(
  store: Store,
  getScene: () => SceneApi | undefined,
  runtimeErrors: string[],
  views: ViewControl,
  presenter: PresenterApi,
) {
  let ready = false;
  const api: WarmCityApi = {
    ...presenter,
    get ready() {
      return ready;
    },
    version: "0.1.0",
    layers() {
      const s = store.get();
      return s.catalog.layers.map((l) => {
        const ls = s.layers[l.id];
        return {
          id: l.id,
          title: l.title[s.lang],
          kind: l.kind,
          group: l.group,
          visible: ls.visible,
          opacity: ls.opacity,
          status: ls.status,
          featureCount: ls.featureCount ?? 0,
          skipped: ls.skipped ?? 0,
          ...(ls.error ? { error: ls.error[s.lang] } : {}),
        };
      });
    },
    camera: () => getScene()?.camera(),
    errors() {
      const s = store.get();
      const layerErrors = s.catalog.layers
        .filter((l) => s.layers[l.id].status === "error")
        .map((l) => `layer ${l.id}: ${s.layers[l.id].error?.[s.lang]}`);
      const notices = s.notices.filter((n) => n.level !== "info").map((n) => n.text[s.lang]);
      return [...layerErrors, ...notices, ...runtimeErrors];
    },
    setLayerVisible(id, on) {
      if (!store.get().layers[id]) throw new Error(`no layer with id "${id}"`);
      store.dispatch((s) => setLayerVisible(s, id, !!on));
    },
    async flyTo(camera, durationS) {
      const bad = isValidCamera(camera);
      if (bad) throw new Error(`bad camera: ${bad}`);
      const scene = getScene();
      if (!scene) throw new Error("scene not ready");
      // Record the request in state (for URL/state consumers), then fly and wait.
      store.dispatch((s) => requestCamera(s, camera, true));
      await scene.flyTo(camera, durationS);
      const drawn = await scene.whenDrawn();
      if (!drawn.ok) throw new Error(drawn.reason);
    },
    async whenIdle() {
      await waitSettled(store);
      const drawn = await getScene()?.whenDrawn();
      if (drawn && !drawn.ok) throw new Error(drawn.reason);
    },
    quality() {
      const sc = getScene();
      if (!sc) return undefined;
      const q = sc.quality();
      return { level: q.level, reason: q.reason, renderer: sc.renderer() };
    },
    renderStats: () => getScene()?.renderStats(),
    view: () => store.get().view,
    views: () => views.views(),
    setView: (id) => views.setView(id),
    // `missing` in English for scripts (stable text); the cards show the user's language.
    kpis: () =>
      Object.fromEntries(
        Object.entries(store.get().cockpit.kpis).map(([id, r]) => [
          id,
          { value: r.value, unit: r.unit, ...(r.missing ? { missing: r.missing.en } : {}) },
        ]),
      ),
    whenKpis: () =>
      new Promise<void>((resolve) => {
        const done = () => ["ready", "error"].includes(store.get().cockpit.status);
        if (done()) return resolve();
        const off = store.subscribe(() => {
          if (done()) {
            off();
            resolve();
          }
        });
      }),
  };
  window.warmcity = api;
  return {
    markReady() {
      ready = true;
    },
  };
}

export function waitSettled(store: Store): Promise<void> {
  const settled = () => Object.values(store.get().layers).every((l) => !l.visible || l.status === "ready" || l.status === "error");
  return new Promise((resolve) => {
    if (settled()) return resolve();
    const off = store.subscribe(() => {
      if (settled()) {
        off();
        resolve();
      }
    });
  });
}
