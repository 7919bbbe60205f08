// The pipe bench's baseline (npm run bench:pipes, scripts/bench/pipes.ts), on bench.html: the five
// pipe networks as one Cesium Entity each pipe segment with `polylineVolume` graphics — the
// textbook way — drawn from the same GeoJSON (public/generated/city) at the same depth, with the
// same cross-section (8-sided circle, diameter × the app's default exaggeration) and the same
// colours as the app's batched PolylineVolumeGeometry tubes (src/cesium/inspector/UndergroundScene.ts).
//
// Same viewer as every bench case (bench/page/viewer.ts: the app's offline options, `quality=low`),
// plus what the app's underground mode sets (globe translucency at the default ground alpha,
// camera collision off). After loading it hands the frames to Cesium's own render loop and
// starts the app's own sandbox orbit (src/cesium/cameraControl.ts), so the driver measures the
// app and this page in exactly the same way from outside.
import { Cartesian2, Cartesian3, Color, CornerType, Math as CMath, Primitive, PrimitiveCollection, type Viewer } from "cesium";
import { validateCatalog } from "../../src/domain/catalog";
import { DEFAULT_PIPE_SCALE } from "../../src/domain/inspector/state";
import { installCameraControl, type CameraControl } from "../../src/cesium/cameraControl";
import { pumpUntil } from "./measure";
import { createBenchViewer } from "./viewer";

export interface PipesBaselineOptions {
  /** Layer ids to draw (the five pipe networks). */
  layers: string[];
  /** The app's `camera=` value: lon, lat, height, heading, pitch. */
  camera: [number, number, number, number, number];
  groundAlpha: number;
  /** Give up waiting for the entities to be drawn at this performance.now() (ms from navigation start). */
  deadlineMs: number;
}

export interface PipesBaselineProgress {
  phase: "loading" | "adding" | "drawing" | "ready" | "timeout" | "error";
  error?: string;
  /** performance.now() (ms from navigation start) when everything was drawn. */
  readyAtMs?: number;
  /** performance.now() when the GeoJSON was fetched and parsed / the entities were added. */
  parsedAtMs?: number;
  addedAtMs?: number;
  entities: number;
  /** On timeout: geometry instances (tubes) in the scene's ready primitives. */
  drawnInstances?: number;
  perLayer: Record<string, number>;
  renderer?: string;
  drawingBufferPx?: [number, number];
}

function circle(r: number, n = 8): Cartesian2[] {
  const out: Cartesian2[] = [];
  for (let i = 0; i < n; i++) out.push(new Cartesian2(r * Math.cos((2 * Math.PI * i) / n), r * Math.sin((2 * Math.PI * i) / n)));
  return out;
}

/** Geometry instances in ready, shown Primitives (the entities' geometry batches), recursively. */
function drawnInstances(v: Viewer): number {
  let n = 0;
  const walk = (c: PrimitiveCollection) => {
    for (let i = 0; i < c.length; i++) {
      const p: unknown = c.get(i);
      if (p instanceof PrimitiveCollection) walk(p);
      else if (p instanceof Primitive && p.ready && p.show) n += (p as unknown as { _instanceIds?: unknown[] })._instanceIds?.length ?? 0;
    }
  };
  walk(v.scene.primitives);
  return n;
}

type Feature = { geometry?: { type: string; coordinates: unknown }; properties?: Record<string, unknown> };

let viewer: Viewer | undefined;
let control: CameraControl | undefined;
const progress: PipesBaselineProgress = { phase: "loading", entities: 0, perLayer: {} };

async function run(o: PipesBaselineOptions): Promise<void> {
  const bv = createBenchViewer(document.getElementById("bench")!);
  viewer = bv.viewer;
  progress.renderer = bv.renderer;
  const scene = viewer.scene;
  // Underground mode as the app sets it (UndergroundScene.applyUnderground).
  scene.globe.translucency.enabled = true;
  scene.globe.translucency.frontFaceAlpha = o.groundAlpha;
  scene.globe.translucency.backFaceAlpha = o.groundAlpha;
  scene.screenSpaceCameraController.enableCollisionDetection = false;
  const [lon, lat, h, heading, pitch] = o.camera;
  viewer.camera.setView({
    destination: Cartesian3.fromDegrees(lon, lat, h),
    orientation: { heading: CMath.toRadians(heading), pitch: CMath.toRadians(pitch), roll: 0 },
  });
  control = installCameraControl(viewer);

  const catalogRes = await fetch("data/catalog.json");
  if (!catalogRes.ok) throw new Error(`data/catalog.json: HTTP ${catalogRes.status}`);
  const catalog = validateCatalog(await catalogRes.json(), "data/catalog.json");
  const specs = o.layers.map((id) => {
    const s = catalog.layers.find((l) => l.id === id);
    if (!s?.underground) throw new Error(`${id}: not an underground layer in data/catalog.json`);
    if (s.style.color.type !== "constant") throw new Error(`${id}: the baseline knows constant colours only`);
    return s;
  });
  const data = await Promise.all(
    specs.map(async (s) => {
      const r = await fetch(s.url);
      if (!r.ok) throw new Error(`${s.url}: HTTP ${r.status}`);
      return ((await r.json()) as { features: Feature[] }).features;
    }),
  );
  progress.parsedAtMs = performance.now();
  progress.phase = "adding";
  const entities = viewer.entities;
  entities.suspendEvents();
  specs.forEach((spec, k) => {
    const ug = spec.underground!;
    const c = spec.style.color as { type: "constant"; color: string };
    const material = Color.fromCssColorString(c.color);
    let n = 0;
    for (const f of data[k]) {
      if (f.geometry?.type !== "LineString") continue;
      const p = f.properties ?? {};
      const depth = Number(p[ug.depthProperty]);
      const dia = ug.diameterProperty ? Number(p[ug.diameterProperty]) : 200;
      if (!Number.isFinite(depth)) continue;
      const positions = (f.geometry.coordinates as number[][]).map(([x, y]) => Cartesian3.fromDegrees(x, y, -depth));
      if (positions.length < 2 || Cartesian3.distance(positions[0], positions[positions.length - 1]) < 0.05) continue;
      entities.add({
        polylineVolume: {
          positions,
          shape: circle(Math.max(0.02, ((Number.isFinite(dia) ? dia : 200) / 2000) * DEFAULT_PIPE_SCALE)),
          cornerType: CornerType.MITERED,
          material,
        },
      });
      n++;
    }
    progress.perLayer[spec.id] = n;
    progress.entities += n;
  });
  entities.resumeEvents();
  progress.addedAtMs = performance.now();
  progress.phase = "drawing";
  const drawn = await pumpUntil(
    viewer,
    () => bv.lastDataSourceUpdate() && scene.globe.tilesLoaded,
    Math.max(1, o.deadlineMs - performance.now()),
  );
  progress.drawingBufferPx = [scene.drawingBufferWidth, scene.drawingBufferHeight];
  // From here Cesium's render loop draws, in requestRenderMode like the app.
  viewer.useDefaultRenderLoop = true;
  if (!drawn) {
    progress.drawnInstances = drawnInstances(viewer);
    progress.phase = "timeout";
    return;
  }
  progress.readyAtMs = performance.now();
  progress.phase = "ready";
}

declare global {
  interface Window {
    warmcityPipesBench?: {
      start(o: PipesBaselineOptions): void;
      progress(): PipesBaselineProgress;
      orbit(on: boolean): boolean;
      stats(): { frames: number; medianFrameMs?: number } | undefined;
    };
  }
}

window.warmcityPipesBench = {
  start(o) {
    run(o).catch((e: unknown) => {
      progress.phase = "error";
      progress.error = e instanceof Error ? `${e.message}\n${e.stack ?? ""}`.slice(0, 2000) : String(e);
    });
  },
  progress: () => ({ ...progress, perLayer: { ...progress.perLayer } }),
  orbit(on) {
    if (!control) return false;
    if (on) control.startOrbit();
    else control.stopOrbit();
    return control.orbiting();
  },
  stats: () => control?.stats(),
};
