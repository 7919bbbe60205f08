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
    warmcityBench?: { run(opts: BenchCaseOptions): Promise<BenchCaseResult> };
  }
}
