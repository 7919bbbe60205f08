// The contract between the bench page (bench.html, runs in Chromium) and the driver
// (scripts/bench.ts, runs in node). Plain data only, so the driver can import these types
// without pulling in Cesium.

/**
 * - empty: globe + NaturalEarthII only.
 * - app: the default view's layers through the app's own LayerManager and renderer registry
 *   (3D Tiles buildings, baked ground tiles, batched vector primitives, worker parsing).
 * - entity: baseline A — GeoJsonDataSource for every default-visible vector layer and the
 *   buildings as extruded polygon entities (what a Cesium user writes first).
 * - primitive: baseline B — the buildings as ONE batched Primitive of extruded
 *   PolygonGeometry instances; every other layer as batched Primitives built at load from its
 *   GeoJSON (the app's vector renderers, with the catalog's `tiles` ignored): no bake step.
 */
export type BenchCaseId = "empty" | "app" | "entity" | "primitive";
export const BENCH_CASES: readonly BenchCaseId[] = ["empty", "app", "entity", "primitive"];

export interface OrbitSpec {
  lonDeg: number;
  latDeg: number;
  /** Camera distance from the centre (m). */
  rangeM: number;
  pitchDeg: number;
}

/** Kangbashi centre (DESIGN.md), orbited at 3.5 km, 35° down: every case's camera. */
export const BENCH_ORBIT: OrbitSpec = { lonDeg: 109.791, latDeg: 39.597, rangeM: 3500, pitchDeg: -35 };

/**
 * The camera at heading 0 on the orbit (south of the centre, looking north at it), as the
 * app's `camera=` URL value: [lonDeg, latDeg, heightM, headingDeg, pitchDeg]. Every page of
 * the navigation-start cases starts here, so the point under the screen centre (the pivot of
 * the app's orbit) is the orbit's centre in all of them.
 */
export function orbitStartCamera(o: OrbitSpec): [number, number, number, number, number] {
  const pitch = (-o.pitchDeg * Math.PI) / 180;
  const ahead = o.rangeM * Math.cos(pitch);
  const height = o.rangeM * Math.sin(pitch);
  // WGS84 meridional radius of curvature at the centre's latitude (metres per radian of latitude).
  const a = 6378137;
  const e2 = 0.00669437999014;
  const sin = Math.sin((o.latDeg * Math.PI) / 180);
  const m = (a * (1 - e2)) / Math.pow(1 - e2 * sin * sin, 1.5);
  const lat = o.latDeg - ((ahead / m) * 180) / Math.PI;
  return [o.lonDeg, Math.round(lat * 1e6) / 1e6, Math.round(height * 10) / 10, 0, o.pitchDeg];
}

/**
 * bench.html?case=<id>: a minimal page a user would write for that case, measured from
 * navigation start (performance.now() in the page). It builds the viewer, loads the case at
 * once, renders every animation frame until everything is drawn (Cesium's default loop),
 * then hands the frames to Cesium's render loop in requestRenderMode (as the app) and
 * offers the app's own sandbox orbit for the frame timing.
 */
export interface NavCaseProgress {
  caseId: BenchCaseId;
  phase: "loading" | "ready" | "timeout" | "error";
  error?: string;
  /** ms from navigation start: the first frame with everything drawn. */
  readyAtMs?: number;
  /** ms from navigation start: the first frame that drew any of the city's layers. */
  firstCityAtMs?: number;
  /** ms from navigation start: the viewer existed (bundle parsed, Cesium started). */
  viewerAtMs?: number;
  layers: LayerReport[];
  buildings: number;
  /** Draw commands in the frame that completed ready. */
  drawCommands?: number;
  renderer?: string;
  drawingBufferPx?: [number, number];
  /** What it is still waiting for (while loading). */
  waitingFor?: string;
  notes: string[];
}

export interface BenchCaseOptions {
  caseId: BenchCaseId;
  /** Measured orbit frames. */
  frames: number;
  /** Unmeasured positions visited (and loaded) before the measured orbit. */
  warmupStops: number;
  orbit: OrbitSpec;
  /** Give up waiting for `ready` after this long (the result then says "timeout"). */
  readyTimeoutMs: number;
  /** Stop the measured orbit early once this much time has been spent on it. */
  framesBudgetMs: number;
  /**
   * After the orbit, frames per variant of a short orbit that hides one part of the scene at
   * a time (each layer, the globe) or halves the resolution: what the frame time is made of.
   * 0 = skip.
   */
  breakdownFrames?: number;
  /** Show only the buildings layer (isolates the buildings technique from the other layers). */
  onlyBuildings?: boolean;
}

export interface BreakdownEntry {
  /** "all", "without <layer>", "without globe", "resolution ×0.5" … */
  label: string;
  medianMs: number;
}

export interface FrameStats {
  count: number;
  medianMs: number;
  p95Ms: number;
  meanMs: number;
  /** Median time spent in JavaScript (viewer.render() before the GPU sync). */
  jsMedianMs: number;
}

export interface LayerReport {
  id: string;
  kind: string;
  status: "ready" | "error" | "pending";
  features: number;
  error?: string;
  /**
   * ms from the start of the case until the layer's data was parsed and handed to the scene
   * (its GPU upload may finish later; `readyMs` covers that).
   */
  loadedMs?: number;
  /** ms from the start of the case until everything the layer draws was on the GPU. */
  drawnMs?: number;
}

export interface BenchCaseResult {
  caseId: BenchCaseId;
  status: "ok" | "timeout" | "error";
  error?: string;
  /** Viewer creation + geometry-worker warm-up (not part of readyMs). */
  setupMs: number;
  /** From the start of loading (after setup) to the first frame with everything drawn. */
  readyMs?: number;
  frames?: FrameStats;
  /** JS heap after a forced GC, after the orbit. */
  heapMB?: number;
  layers: LayerReport[];
  buildings: number;
  /** Draw commands in the last measured frame. */
  drawCommands?: number;
  /** 3D Tiles only: averages over the measured orbit. */
  tiles?: { featuresSelected: number; featuresLoaded: number; trianglesSelected: number; tilesSelected: number };
  breakdown?: BreakdownEntry[];
  renderer?: string;
  drawingBufferPx?: [number, number];
  notes: string[];
}

declare global {
  interface Window {
    warmcityBench?: {
      run(opts: BenchCaseOptions): Promise<BenchCaseResult>;
      /** bench.html?case=…: the navigation-start case's progress and result. */
      progress(): NavCaseProgress | undefined;
      /** The app's sandbox orbit (src/cesium/cameraControl.ts) on this page, after ready. */
      orbit(on: boolean): boolean;
      stats(): { frames: number; medianFrameMs?: number } | undefined;
      /** JS heap after forced GC (MB). */
      heapAfterGc(): Promise<number | undefined>;
    };
  }
}
