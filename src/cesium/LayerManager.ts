// Reconciles app state with the scene, in place: one renderer per layer id, made by the
// factory registered for the layer's kind the first time the layer is shown, then only
// shown/hidden/restyled. Add and remove happen here and only here; every imperative change
// requests a render (the viewer runs in requestRenderMode).
//
// No Cesium import: the manager talks to renderers through the contract in ./contract, so it is
// unit-tested in node with fake renderers.
import { rendererKind, type I18n, type LayerSpec, type LayerStyle } from "../domain/catalog";
import { MessageError, isI18n, messageOf } from "../domain/messages";
import type { AppState, PickedFeature } from "../domain/state";
import type { LayerEvents, LayerRenderer, RendererRegistry, SceneHooks, VectorLoader } from "./contract";

export type { LayerEvents, VectorLoader } from "./contract";

interface Applied {
  visible: boolean;
  opacity: number;
  style: LayerStyle;
}

export type DrawnResult = { ok: true } | { ok: false; reason: string };

export class LayerManager<C extends SceneHooks = SceneHooks> {
  private renderers = new Map<string, LayerRenderer>();
  private applied = new Map<string, Applied>();
  private loading = new Set<string>();
  private failed = new Set<string>();
  private destroyed = false;
  private tilesSse = 16;
  private cameraHeightM = 5000;
  private latest?: { state: AppState; styleOf: (spec: LayerSpec) => LayerStyle };
  /** Wakes whenDrawn() waiters when a layer finished loading (no frame needed for that). */
  private wake = new Set<() => void>();

  constructor(
    private readonly ctx: C,
    private readonly registry: RendererRegistry<C>,
    private readonly loadVector: VectorLoader,
    private readonly events: LayerEvents,
    private readonly resolveUrl: (url: string) => string,
  ) {}

  setTilesSse(sse: number) {
    this.tilesSse = sse;
    for (const r of this.renderers.values()) r.setMaximumScreenSpaceError?.(sse);
  }

  /** Brings the scene in line with the state. Cheap when nothing changed. */
  sync(state: AppState, styleOf: (spec: LayerSpec) => LayerStyle = (s) => s.style) {
    if (this.destroyed) return;
    this.latest = { state, styleOf };
    // Only a change asks for a frame: the viewer runs in requestRenderMode, and a still scene
    // (a tour's dwell, a kiosk at rest) must cost no frames whatever else the store does.
    let changed = false;
    for (const spec of state.catalog.layers) {
      const ls = state.layers[spec.id];
      if (!ls) continue;
      const r = this.renderers.get(spec.id);
      if (!r) {
        if (ls.visible && !this.loading.has(spec.id) && !this.failed.has(spec.id)) void this.create(spec);
        continue;
      }
      const style = styleOf(spec);
      const prev = this.applied.get(spec.id);
      // A hidden layer is restyled when it is shown again, not now: switching through views
      // would otherwise restyle layers nobody sees.
      const restyle = !prev || prev.opacity !== ls.opacity || prev.style !== style;
      if (restyle && ls.visible) {
        r.setStyle(style, ls.opacity);
        changed = true;
      }
      if (!prev || prev.visible !== ls.visible) {
        r.setShow(ls.visible);
        changed = true;
      }
      this.applied.set(
        spec.id,
        restyle && !ls.visible && prev ? { ...prev, visible: false } : { visible: ls.visible, opacity: ls.opacity, style },
      );
    }
    // Layers that left the catalog (a removed import): free their GPU batches.
    for (const [id, r] of this.renderers)
      if (!state.layers[id]) {
        r.destroy();
        this.renderers.delete(id);
        this.applied.delete(id);
        changed = true;
      }
    if (changed) this.ctx.requestRender();
  }

  /** Forget a failed layer so that showing it again retries the load. */
  retry(id: string) {
    this.failed.delete(id);
    const r = this.renderers.get(id);
    // A layer that failed after creation (a tile that did not decode) is rebuilt from scratch.
    if (r && this.failedAfterReady.has(id)) {
      r.destroy();
      this.renderers.delete(id);
      this.applied.delete(id);
      this.failedAfterReady.delete(id);
    }
    if (this.latest) this.sync(this.latest.state, this.latest.styleOf);
  }
  private failedAfterReady = new Set<string>();

  /** Drop a layer's renderer and load its data again (its source changed, e.g. a recomputed analysis). */
  reload(id: string) {
    this.failed.delete(id);
    const r = this.renderers.get(id);
    if (!r) return;
    r.destroy();
    this.renderers.delete(id);
    this.applied.delete(id);
    if (this.latest) this.sync(this.latest.state, this.latest.styleOf);
  }

  private async create(spec: LayerSpec) {
    this.loading.add(spec.id);
    this.events.loading(spec.id);
    try {
      const kind = rendererKind(spec);
      const factory = this.registry[kind];
      if (!factory) throw new Error(`no renderer for layer kind “${kind}”`);
      // A renderer may report a failure (a tile that cannot load) before its factory has
      // resolved — the scene can draw a frame in between. Keep the first such reason and say it
      // once the renderer is registered; never touch `renderer` before it exists.
      let registered: LayerRenderer | undefined = undefined;
      let early: string | I18n | undefined;
      const { renderer, featureCount, skipped } = await factory({
        ctx: this.ctx,
        spec,
        resolveUrl: this.resolveUrl,
        loadVector: this.loadVector,
        onProgress: (p) => this.events.loading(spec.id, p),
        reportError: (reason) => {
          if (this.destroyed) return;
          if (!registered) {
            early ??= reason;
            return;
          }
          if (this.renderers.get(spec.id) !== registered) return;
          this.failedAfterReady.add(spec.id);
          this.events.error(spec.id, reason);
        },
        maximumScreenSpaceError: this.tilesSse,
      });
      if (this.destroyed) return renderer.destroy();
      this.renderers.set(spec.id, renderer);
      this.loading.delete(spec.id);
      renderer.onCamera?.(this.cameraHeightM);
      // Apply the latest state (it may have changed while loading).
      if (this.latest) this.sync(this.latest.state, this.latest.styleOf);
      this.events.ready(spec.id, featureCount, skipped);
      registered = renderer;
      if (early !== undefined) {
        this.failedAfterReady.add(spec.id);
        this.events.error(spec.id, early);
      }
    } catch (e) {
      this.loading.delete(spec.id);
      if (this.destroyed) return;
      this.failed.add(spec.id);
      this.events.error(spec.id, describeError(e, spec));
    }
    for (const w of [...this.wake]) w();
    this.ctx.requestRender();
  }

  onCamera(heightM: number) {
    this.cameraHeightM = heightM;
    for (const r of this.renderers.values()) r.onCamera?.(heightM);
  }

  private visible(id: string) {
    return this.applied.get(id)?.visible === true;
  }

  /** Every shown layer is loaded and has its content on the GPU. */
  allDrawn(): boolean {
    if (this.loading.size) return false;
    // Only what is shown: Cesium does not update a hidden collection, so a batch that was
    // being built when its layer was hidden stays pending until the layer is shown again.
    for (const [id, r] of this.renderers) if (this.visible(id) && !r.drawn()) return false;
    return true;
  }

  /** What allDrawn() is waiting for, for a timeout's message. */
  waitingFor(): string {
    const out: string[] = [];
    for (const id of this.loading) out.push(`${id} (loading data)`);
    for (const [id, r] of this.renderers) if (this.visible(id) && !r.drawn()) out.push(`${id} (${r.waitingFor?.() ?? "not drawn"})`);
    return out.join(", ");
  }

  /**
   * Resolves on the first rendered frame after every shown layer is drawn, driven by the
   * scene's postRender event (no timer polling). Renders are requested frame after frame only
   * while something is building on the GPU side (Cesium advances batches and tiles in
   * scene.render); while data is still loading, it waits for the load to finish instead.
   * After `timeoutMs` it gives up with the reason.
   */
  whenDrawn(timeoutMs = 300_000): Promise<DrawnResult> {
    return new Promise((resolve) => {
      let settled = false;
      let armed = false; // everything was drawn at the last frame: resolve at the next one
      const finish = (r: DrawnResult) => {
        if (settled) return;
        settled = true;
        off();
        this.wake.delete(kick);
        clearTimeout(timer);
        resolve(r);
      };
      const onFrame = () => {
        if (this.destroyed) return finish({ ok: true });
        if (armed) return finish({ ok: true });
        if (this.allDrawn()) {
          // One more real frame, so what became ready in this frame is on screen.
          armed = true;
          this.ctx.requestRender();
        } else if (this.busyOnGpu()) this.ctx.requestRender();
      };
      const kick = () => this.ctx.requestRender();
      const off = this.ctx.onPostRender(onFrame);
      this.wake.add(kick);
      const timer = setTimeout(
        () =>
          finish({
            ok: false,
            reason: `scene not drawn after ${Math.round(timeoutMs / 1000)} s; waiting for: ${this.waitingFor() || "a frame"}`,
          }),
        timeoutMs,
      );
      if (this.destroyed) return finish({ ok: true });
      this.ctx.requestRender();
    });
  }

  /** Something shown is not drawn yet although its data is here: it needs frames to advance. */
  private busyOnGpu(): boolean {
    for (const [id, r] of this.renderers) if (this.visible(id) && !r.drawn()) return true;
    return false;
  }

  /** Turns whatever scene.pick returned into plain data (no Cesium objects leave here). */
  pick(picked: unknown): PickedFeature | undefined {
    for (const r of this.renderers.values()) r.clearPick();
    let out: PickedFeature | undefined;
    if (picked)
      for (const r of this.renderers.values()) {
        out = r.pick(picked);
        if (out) break;
      }
    this.ctx.requestRender();
    return out;
  }

  destroy() {
    this.destroyed = true;
    for (const r of this.renderers.values()) r.destroy();
    this.renderers.clear();
    for (const w of [...this.wake]) w();
  }
}

function describeError(e: unknown, spec: LayerSpec): string | I18n {
  if (e instanceof MessageError || isI18n(e)) return messageOf(e);
  const msg = e instanceof Error ? e.message : String(e);
  // A missing tileset usually comes back as the server's HTML page or a 404: say which file.
  if (spec.kind === "3dtiles" || spec.tiles)
    return `cannot load tileset ${spec.tiles ?? spec.url}: ${/<!doctype|<html|not valid JSON|Unexpected token/i.test(msg) ? "file missing or not a tileset (got no JSON)" : msg.slice(0, 160)}`;
  return msg.slice(0, 240);
}
