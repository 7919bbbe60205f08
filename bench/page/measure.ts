// Frame pumping, readiness checks, the deterministic orbit and frame statistics for the bench
// page. Every case goes through exactly these functions, so the cases differ only in what
// they put into the scene.
import { Cartesian3, Cesium3DTileset, HeadingPitchRange, Math as CMath, Matrix4, PrimitiveCollection, type Viewer } from "cesium";
import type { FrameStats, OrbitSpec } from "./protocol";

const nextFrame = () => new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));
/** A macrotask turn without rAF's 16 ms pacing (lets worker messages and fetches run). */
export const yieldTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * Renders one frame now. The viewer runs in requestRenderMode with its own render loop off:
 * the bench decides when frames happen. viewer.render() also ticks the clock, which runs
 * dataSourceDisplay.update() — the per-frame cost entity users pay.
 */
export function renderNow(viewer: Viewer) {
  viewer.scene.requestRender();
  viewer.render();
}

const pixel = new Uint8Array(4);
/**
 * Blocks until the GPU (SwiftShader, in the GPU process) has finished everything issued so
 * far: reading a pixel of the default framebuffer is a synchronous round trip behind all
 * queued draw calls. Cesium tracks its bound framebuffer, so restore whatever it had bound.
 */
export function gpuSync(viewer: Viewer) {
  const gl = (viewer.scene as unknown as { context: { _gl: WebGL2RenderingContext } }).context._gl;
  const prev = gl.getParameter(gl.FRAMEBUFFER_BINDING) as WebGLFramebuffer | null;
  if (prev) gl.bindFramebuffer(gl.FRAMEBUFFER, null);
  gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, pixel);
  if (prev) gl.bindFramebuffer(gl.FRAMEBUFFER, prev);
}

/**
 * Renders continuously (one frame per animation frame, like Cesium's default loop) until
 * `done()` holds after a frame, then renders and syncs one more frame so that the content is
 * really on screen. Returns false on timeout.
 */
export async function pumpUntil(
  viewer: Viewer,
  done: () => boolean,
  timeoutMs: number,
  onSlow?: (elapsedMs: number) => void,
): Promise<boolean> {
  const t0 = performance.now();
  let lastLog = t0;
  for (;;) {
    renderNow(viewer);
    if (done()) {
      renderNow(viewer);
      gpuSync(viewer);
      return true;
    }
    const now = performance.now();
    if (now - t0 > timeoutMs) return false;
    if (onSlow && now - lastLog > 10_000) {
      lastLog = now;
      onSlow(now - t0);
    }
    await nextFrame();
  }
}

/**
 * Every primitive in the collection (recursively) has finished loading: Primitives are
 * ready, tilesets have loaded the tiles the current view needs. Hidden ones are not updated
 * by Cesium, so they cannot become ready and are skipped.
 */
export function allPrimitivesReady(p: unknown): boolean {
  if (!p || (p as { show?: boolean }).show === false) return true;
  if ((p as { isDestroyed?: () => boolean }).isDestroyed?.()) return true;
  if (p instanceof PrimitiveCollection) {
    for (let i = 0; i < p.length; i++) if (!allPrimitivesReady(p.get(i))) return false;
    return true;
  }
  if (p instanceof Cesium3DTileset) return p.tilesLoaded;
  // An empty Billboard/LabelCollection never sets its `ready` (nothing to lay out).
  if ((p as { length?: unknown }).length === 0) return true;
  const ready = (p as { ready?: unknown }).ready;
  return ready !== false;
}

export function sceneReady(viewer: Viewer): boolean {
  return sceneWaitingFor(viewer) === undefined;
}

/** What the scene is still waiting for (for progress logs), or undefined when ready. */
export function sceneWaitingFor(viewer: Viewer): string | undefined {
  const s = viewer.scene;
  if (!s.globe.tilesLoaded) return "globe tiles";
  const waiting: string[] = [];
  const walk = (p: unknown, path: string) => {
    if (!p || (p as { show?: boolean }).show === false) return;
    if (p instanceof PrimitiveCollection) {
      for (let i = 0; i < p.length; i++) walk(p.get(i), `${path}/${i}`);
      return;
    }
    if (!allPrimitivesReady(p)) waiting.push(`${path}:${(p as object).constructor?.name ?? "?"}`);
  };
  walk(s.primitives, "primitives");
  walk(s.groundPrimitives, "ground");
  return waiting.length ? waiting.slice(0, 6).join(", ") : undefined;
}

export class Orbit {
  private readonly centre: Cartesian3;
  constructor(
    private readonly viewer: Viewer,
    private readonly spec: OrbitSpec,
  ) {
    this.centre = Cartesian3.fromDegrees(spec.lonDeg, spec.latDeg, 0);
  }
  /** Puts the camera at `headingDeg` on the orbit circle, looking at the centre. */
  place(headingDeg: number) {
    this.viewer.camera.lookAt(
      this.centre,
      new HeadingPitchRange(CMath.toRadians(headingDeg), CMath.toRadians(this.spec.pitchDeg), this.spec.rangeM),
    );
  }
  /** Back to the world frame (so later camera code sees an ordinary camera). */
  release() {
    this.viewer.camera.lookAtTransform(Matrix4.IDENTITY);
  }
  heightM(): number {
    return this.viewer.camera.positionCartographic.height;
  }
}

export interface FrameSample {
  totalMs: number;
  jsMs: number;
}

/** One measured frame: render + wait for the GPU. */
export function timeFrame(viewer: Viewer): FrameSample {
  gpuSync(viewer); // nothing from before may leak into this frame's time
  const t0 = performance.now();
  renderNow(viewer);
  const t1 = performance.now();
  gpuSync(viewer);
  const t2 = performance.now();
  return { totalMs: t2 - t0, jsMs: t1 - t0 };
}

export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export function frameStats(samples: FrameSample[]): FrameStats {
  const total = samples.map((s) => s.totalMs).sort((a, b) => a - b);
  const js = samples.map((s) => s.jsMs).sort((a, b) => a - b);
  const round = (v: number) => Math.round(v * 10) / 10;
  return {
    count: samples.length,
    medianMs: round(quantile(total, 0.5)),
    p95Ms: round(quantile(total, 0.95)),
    meanMs: round(total.reduce((a, b) => a + b, 0) / Math.max(1, total.length)),
    jsMedianMs: round(quantile(js, 0.5)),
  };
}

/** JS heap after forced garbage collection (needs --js-flags=--expose-gc and precise memory info). */
export async function heapAfterGcMB(): Promise<number | undefined> {
  const w = window as unknown as { gc?: () => void };
  const mem = (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory;
  if (!mem) return undefined;
  for (let i = 0; i < 3; i++) {
    w.gc?.();
    await yieldTask();
  }
  return Math.round((mem.usedJSHeapSize / 2 ** 20) * 10) / 10;
}
