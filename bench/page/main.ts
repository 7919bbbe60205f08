// Entry of bench.html: a bare viewer with the app's offline options and `quality=low`, and
// window.warmcityBench.run(options) which loads one case, waits for it to be drawn, orbits
// the camera and reports times and memory. Driven by scripts/bench.ts; one case per page.
import "../../src/cesium/baseUrl";
import "cesium/Build/Cesium/Widgets/widgets.css";
import { Cartesian3, Math as CMath, type Viewer } from "cesium";
import { installCameraControl, type CameraControl } from "../../src/cesium/cameraControl";
import { cityContentDrawn, tilesetsIn } from "../../src/cesium/sceneStats";
import { loadManifests } from "../../src/app/manifests";
import { validateCatalog, type Catalog, type LayerSpec, type LayerStyle } from "../../src/domain/catalog";
import { initialState, setLayerVisible, type AppState } from "../../src/domain/state";
import { parseUrlState } from "../../src/domain/urlState";
import { applyView, styleInView } from "../../src/domain/views";
import { appCase, emptyCase, entityCase, primitiveCase, type CaseContext, type CaseScene } from "./cases";
import { Orbit, allPrimitivesReady, frameStats, heapAfterGcMB, pumpUntil, timeFrame, yieldTask, type FrameSample } from "./measure";
import {
  BENCH_CASES,
  BENCH_ORBIT,
  orbitStartCamera,
  type BenchCaseId,
  type BenchCaseOptions,
  type BenchCaseResult,
  type BreakdownEntry,
  type NavCaseProgress,
} from "./protocol";
import { createBenchViewer, warmUpGeometryWorkers } from "./viewer";
// The pipe bench's entity baseline (window.warmcityPipesBench), on the same page.
import "./pipes";

const log = (line: string) => console.log(`[bench] ${line}`);
const params = new URLSearchParams(window.location.search);

/**
 * The layers and styles the app starts with at `?quality=low` and no other parameter: the
 * default view of data/views.json applied to the catalog (as the app's boot does). Falls
 * back to the catalog's own `visible` flags if the views cannot be loaded.
 */
async function defaultScene(notes: string[]): Promise<{ catalog: Catalog; state: AppState; styleOf: (spec: LayerSpec) => LayerStyle }> {
  try {
    const m = await loadManifests();
    const view = m.views.views.find((v) => v.id === m.views.defaultView);
    let state = initialState(m.catalog, { notices: [], quality: "low" });
    if (view) state = applyView(state, view, { instantCamera: true });
    else notes.push(`default view "${m.views.defaultView}" not found: catalog defaults used`);
    return { catalog: m.catalog, state, styleOf: (spec) => styleInView(view, spec.id, spec.style) };
  } catch (e) {
    notes.push(`manifests did not load (${e instanceof Error ? e.message : String(e)}): catalog defaults used`);
    const url = "data/catalog.json";
    const res = await fetch(url);
    if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`, { cause: e });
    const catalog = validateCatalog(await res.json(), url);
    const state = initialState(catalog, parseUrlState("?quality=low", new Set(catalog.layers.map((l) => l.id))));
    return { catalog, state, styleOf: (spec) => spec.style };
  }
}

const tilesets = (viewer: Viewer) => tilesetsIn(viewer.scene.primitives);

function makeCase(caseId: BenchCaseId, ctx: CaseContext): CaseScene {
  return caseId === "empty" ? emptyCase(ctx) : caseId === "app" ? appCase(ctx) : caseId === "entity" ? entityCase(ctx) : primitiveCase(ctx);
}

async function run(opts: BenchCaseOptions): Promise<BenchCaseResult> {
  const tSetup = performance.now();
  const container = document.getElementById("bench")!;
  const bv = createBenchViewer(container);
  const { viewer } = bv;
  // For poking at the scene from devtools / a debugging driver: bench.html?debug
  if (params.has("debug")) (window as unknown as { benchViewer: Viewer }).benchViewer = viewer;
  const orbit = new Orbit(viewer, opts.orbit);
  orbit.place(0);
  const sceneNotes: string[] = [];
  const scene0 = await defaultScene(sceneNotes);
  const { catalog, styleOf } = scene0;
  let state = scene0.state;
  if (opts.onlyBuildings) for (const l of catalog.layers) state = setLayerVisible(state, l.id, l.id === "buildings");

  const result: BenchCaseResult = {
    caseId: opts.caseId,
    status: "ok",
    setupMs: 0,
    layers: [],
    buildings: 0,
    renderer: bv.renderer,
    drawingBufferPx: [viewer.scene.drawingBufferWidth, viewer.scene.drawingBufferHeight],
    notes: sceneNotes,
  };

  // Setup, equal for every case: workers warm, terrain-height table loaded (the data source
  // display waits for it), the globe's imagery for the first orbit position loaded.
  await warmUpGeometryWorkers(viewer, 60_000);
  const setupOk = await pumpUntil(viewer, () => bv.lastDataSourceUpdate() && viewer.scene.globe.tilesLoaded, 60_000);
  if (!setupOk) result.notes.push("setup: globe or data-source display not ready after 60 s");
  result.setupMs = Math.round(performance.now() - tSetup);
  result.drawingBufferPx = [viewer.scene.drawingBufferWidth, viewer.scene.drawingBufferHeight];
  log(`${opts.caseId}: setup ${result.setupMs} ms`);

  const ctx: CaseContext = {
    viewer,
    catalog,
    state,
    styleOf,
    tilesSse: bv.quality.tilesSse,
    lastDataSourceUpdate: bv.lastDataSourceUpdate,
    buildingsGeojsonUrl: params.get("buildings") ?? "generated/city/buildings.geojson",
    t0: 0,
    log: (l) => log(`${opts.caseId}: ${l}`),
  };

  // Ready: from the moment the case starts loading to the first frame with all of it drawn.
  const t0 = performance.now();
  ctx.t0 = t0;
  let c: CaseScene;
  try {
    c = makeCase(opts.caseId, ctx);
  } catch (e) {
    return { ...result, status: "error", error: e instanceof Error ? e.message : String(e) };
  }
  c.onCamera(orbit.heightM());
  // Per layer: the first frame after which all of its primitives were ready.
  const drawnAt = new Map<string, number>();
  const track = () => {
    for (const { id, primitive } of c.parts?.() ?? [])
      if (!drawnAt.has(id) && allPrimitivesReady(primitive)) drawnAt.set(id, Math.round(performance.now() - t0));
  };
  const ready = await pumpUntil(
    viewer,
    () => (track(), c.ready()),
    opts.readyTimeoutMs,
    (ms) => log(`${opts.caseId}: still loading after ${Math.round(ms / 1000)} s (waiting for ${c.waitingFor() || "?"})`),
  );
  result.layers = c.layers().map((l) => (drawnAt.has(l.id) ? { ...l, drawnMs: drawnAt.get(l.id) } : l));
  result.buildings = c.buildings();
  result.notes.push(...c.notes);
  if (!ready) {
    result.status = "timeout";
    result.heapMB = await heapAfterGcMB();
    return result;
  }
  result.readyMs = Math.round(performance.now() - t0);
  log(`${opts.caseId}: ready in ${result.readyMs} ms`);

  // Visit the orbit once (unmeasured) so that every tile the orbit needs is loaded and
  // every shader compiled before timing; a no-op for cases that have everything loaded.
  const tWarm = performance.now();
  for (let i = 0; i < opts.warmupStops; i++) {
    orbit.place((360 * i) / opts.warmupStops);
    c.onCamera(orbit.heightM());
    const left = 90_000 - (performance.now() - tWarm);
    if (left <= 0 || !(await pumpUntil(viewer, () => c.ready(), Math.min(30_000, left)))) {
      result.notes.push(`orbit warm-up: stop ${i + 1} of ${opts.warmupStops} not fully loaded (frames may include loading)`);
      break;
    }
  }

  // Measured orbit: one frame per step, each timed from render start to GPU completion.
  const samples: FrameSample[] = [];
  const tilesStats = { featuresSelected: 0, featuresLoaded: 0, trianglesSelected: 0, tilesSelected: 0 };
  const tOrbit = performance.now();
  for (let i = 0; i < opts.frames; i++) {
    orbit.place((360 * i) / opts.frames);
    c.onCamera(orbit.heightM());
    samples.push(timeFrame(viewer));
    for (const t of tilesets(viewer)) {
      const s = (t as unknown as { statistics: Record<string, number> }).statistics;
      tilesStats.featuresSelected += s.numberOfFeaturesSelected ?? 0;
      tilesStats.featuresLoaded += s.numberOfFeaturesLoaded ?? 0;
      tilesStats.trianglesSelected += s.numberOfTrianglesSelected ?? 0;
      tilesStats.tilesSelected += s.selected ?? 0;
    }
    // Let worker messages and tile requests run between frames (not timed).
    await yieldTask();
    if (performance.now() - tOrbit > opts.framesBudgetMs) {
      result.notes.push(`orbit stopped after ${i + 1} of ${opts.frames} frames (frame budget ${Math.round(opts.framesBudgetMs / 1000)} s)`);
      break;
    }
  }
  result.frames = frameStats(samples);
  result.drawCommands = (viewer.scene as unknown as { frameState: { commandList: unknown[] } }).frameState.commandList.length;
  if (tilesets(viewer).length) {
    const n = Math.max(1, samples.length);
    result.tiles = {
      featuresSelected: Math.round(tilesStats.featuresSelected / n),
      featuresLoaded: Math.round(tilesStats.featuresLoaded / n),
      trianglesSelected: Math.round(tilesStats.trianglesSelected / n),
      tilesSelected: Math.round(tilesStats.tilesSelected / n),
    };
  }
  if (opts.breakdownFrames && c.parts) result.breakdown = breakdown(viewer, orbit, c, opts.breakdownFrames);
  orbit.release();
  result.heapMB = await heapAfterGcMB();
  log(`${opts.caseId}: median ${result.frames.medianMs} ms, p95 ${result.frames.p95Ms} ms, heap ${result.heapMB} MB`);
  return result;
}

/**
 * What the frame time is made of: a short orbit with everything, then with one part hidden
 * at a time, then at half the resolution (a quarter of the pixels). The difference to "all"
 * is that part's cost; a big drop at half resolution means rasterisation dominates.
 */
function breakdown(viewer: Viewer, orbit: Orbit, c: CaseScene, frames: number): BreakdownEntry[] {
  const median = () => {
    const samples: FrameSample[] = [];
    for (let i = 0; i < frames; i++) {
      orbit.place((360 * i) / frames + 7);
      samples.push(timeFrame(viewer));
    }
    return frameStats(samples).medianMs;
  };
  const out: BreakdownEntry[] = [{ label: "all", medianMs: median() }];
  for (const { id, primitive } of c.parts!()) {
    if (!primitive.show) continue;
    primitive.show = false;
    out.push({ label: `without ${id}`, medianMs: median() });
    primitive.show = true;
  }
  const globe = viewer.scene.globe;
  globe.show = false;
  out.push({ label: "without globe", medianMs: median() });
  globe.show = true;
  const scale = viewer.resolutionScale;
  viewer.resolutionScale = scale / 2;
  out.push({ label: "resolution ×0.5 (¼ of the pixels)", medianMs: median() });
  viewer.resolutionScale = scale;
  out.push({ label: "all (again)", medianMs: median() });
  return out;
}

// ---------------------------------------------------------------------------------------------
// bench.html?case=<id>: the navigation-start page (see NavCaseProgress in ./protocol)
// ---------------------------------------------------------------------------------------------

let nav: NavCaseProgress | undefined;
let navControl: CameraControl | undefined;

async function navRun(caseId: BenchCaseId, timeoutMs: number): Promise<void> {
  const p: NavCaseProgress = { caseId, phase: "loading", layers: [], buildings: 0, notes: [] };
  nav = p;
  const bv = createBenchViewer(document.getElementById("bench")!);
  const { viewer } = bv;
  p.viewerAtMs = Math.round(performance.now());
  p.renderer = bv.renderer;
  if (params.has("debug")) (window as unknown as { benchViewer: Viewer }).benchViewer = viewer;
  const [lon, lat, h, heading, pitch] = orbitStartCamera(BENCH_ORBIT);
  viewer.camera.setView({
    destination: Cartesian3.fromDegrees(lon, lat, h),
    orientation: { heading: CMath.toRadians(heading), pitch: CMath.toRadians(pitch), roll: 0 },
  });
  const scene0 = await defaultScene(p.notes);
  const ctx: CaseContext = {
    viewer,
    catalog: scene0.catalog,
    state: scene0.state,
    styleOf: scene0.styleOf,
    tilesSse: bv.quality.tilesSse,
    lastDataSourceUpdate: bv.lastDataSourceUpdate,
    buildingsGeojsonUrl: params.get("buildings") ?? "generated/city/buildings.geojson",
    t0: 0, // performance.now() is already ms from navigation start
    log: (l) => log(`${caseId}: ${l}`),
  };
  const c = makeCase(caseId, ctx);
  c.onCamera(viewer.camera.positionCartographic.height);
  const drawnAt = new Map<string, number>();
  const ready = await pumpUntil(
    viewer,
    () => {
      const now = Math.round(performance.now());
      if (p.firstCityAtMs === undefined && cityContentDrawn(viewer.scene)) p.firstCityAtMs = now;
      for (const { id, primitive } of c.parts?.() ?? []) if (!drawnAt.has(id) && allPrimitivesReady(primitive)) drawnAt.set(id, now);
      return c.ready();
    },
    Math.max(1, timeoutMs - performance.now()),
    (ms) => {
      p.waitingFor = c.waitingFor();
      log(
        `${caseId}: still loading after ${Math.round((performance.now() - 0) / 1000)} s from navigation start, ${Math.round(ms / 1000)} s of pumping (waiting for ${p.waitingFor || "?"})`,
      );
    },
  );
  p.layers = c.layers().map((l) => (drawnAt.has(l.id) ? { ...l, drawnMs: drawnAt.get(l.id) } : l));
  p.buildings = c.buildings();
  p.notes.push(...c.notes);
  p.drawingBufferPx = [viewer.scene.drawingBufferWidth, viewer.scene.drawingBufferHeight];
  p.drawCommands = (viewer.scene as unknown as { frameState: { commandList: unknown[] } }).frameState.commandList.length;
  // From here Cesium's own render loop draws, in requestRenderMode like the app.
  viewer.useDefaultRenderLoop = true;
  navControl = installCameraControl(viewer);
  if (!ready) {
    p.waitingFor = c.waitingFor();
    p.phase = "timeout";
    return;
  }
  p.readyAtMs = Math.round(performance.now());
  p.waitingFor = undefined;
  p.phase = "ready";
  log(`${caseId}: ready ${p.readyAtMs} ms from navigation start (first frame with the city ${p.firstCityAtMs ?? "–"} ms)`);
}

const navCase = params.get("case");
if (navCase !== null) {
  if (!(BENCH_CASES as readonly string[]).includes(navCase))
    nav = { caseId: "empty", phase: "error", error: `unknown case "${navCase}"`, layers: [], buildings: 0, notes: [] };
  else
    navRun(navCase as BenchCaseId, Number(params.get("timeout") ?? "300") * 1000).catch((e: unknown) => {
      nav = {
        ...(nav ?? { caseId: navCase as BenchCaseId, layers: [], buildings: 0, notes: [] }),
        phase: "error",
        error: e instanceof Error ? `${e.message}\n${e.stack ?? ""}`.slice(0, 2000) : String(e),
      };
    });
}

window.warmcityBench = {
  run: (opts) =>
    run(opts).catch((e: unknown) => ({
      caseId: opts.caseId,
      status: "error" as const,
      error: e instanceof Error ? `${e.message}\n${e.stack ?? ""}`.slice(0, 2000) : String(e),
      setupMs: 0,
      layers: [],
      buildings: 0,
      notes: [],
    })),
  progress: () => (nav ? { ...nav, layers: nav.layers.map((l) => ({ ...l })), notes: [...nav.notes] } : undefined),
  orbit(on) {
    if (!navControl) return false;
    if (on) navControl.startOrbit();
    else navControl.stopOrbit();
    return navControl.orbiting();
  },
  stats: () => navControl?.stats(),
  heapAfterGc: () => heapAfterGcMB(),
};
