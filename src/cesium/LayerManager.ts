// Reconciles app state with the scene, in place: one renderer per layer id, created the first
// time a layer is shown, then only shown/hidden/restyled. Add and remove happen here and only
// here; every imperative change requests a render (the viewer runs in requestRenderMode).
import { Cesium3DTileFeature } from "cesium";
import type { LayerSpec, LayerStyle } from "../domain/catalog";
import type { ParsedLayer } from "../domain/geojson";
import type { AppState, PickedFeature } from "../domain/state";
import { LiveRenderer } from "./LiveRenderer";
import {
  LineRenderer,
  PointRenderer,
  PolygonRenderer,
  TilesRenderer,
  parsePickId,
  type LayerRenderer,
  type RenderContext,
} from "./renderers";

export interface LayerEvents {
  loading(id: string, progress?: number): void;
  ready(id: string, featureCount: number, skipped: number): void;
  error(id: string, reason: string): void;
}

export type VectorLoader = (spec: LayerSpec, onProgress: (p: number) => void) => Promise<ParsedLayer>;

interface Applied {
  visible: boolean;
  opacity: number;
  style: LayerStyle;
}

export class LayerManager {
  private renderers = new Map<string, LayerRenderer>();
  private applied = new Map<string, Applied>();
  private loading = new Set<string>();
  private failed = new Set<string>();
  private destroyed = false;
  private tilesSse = 16;

  constructor(
    private readonly ctx: RenderContext,
    private readonly loadVector: VectorLoader,
    private readonly events: LayerEvents,
    private readonly resolveUrl: (url: string) => string,
  ) {}

  setTilesSse(sse: number) {
    this.tilesSse = sse;
    for (const r of this.renderers.values()) if (r instanceof TilesRenderer) r.setMaximumScreenSpaceError(sse);
  }

  /** Brings the scene in line with the state. Cheap when nothing changed. */
  sync(state: AppState, styleOf: (spec: LayerSpec) => LayerStyle = (s) => s.style) {
    if (this.destroyed) return;
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
      if (!prev || prev.visible !== ls.visible) r.setShow(ls.visible);
      // A hidden layer is restyled when it is shown again, not now: switching through views
      // would otherwise rebuild the batches of layers nobody sees.
      const restyle = !prev || prev.opacity !== ls.opacity || prev.style !== style;
      if (restyle && ls.visible) r.setStyle(style, ls.opacity);
      this.applied.set(spec.id, restyle && !ls.visible && prev ? { ...prev, visible: false } : { visible: ls.visible, opacity: ls.opacity, style });
    }
    this.pendingState = state;
    this.pendingStyleOf = styleOf;
  }
  private pendingState?: AppState;
  private pendingStyleOf?: (spec: LayerSpec) => LayerStyle;

  /** Forget a failed layer so that showing it again retries the load. */
  retry(id: string) {
    this.failed.delete(id);
  }

  private async create(spec: LayerSpec) {
    this.loading.add(spec.id);
    this.events.loading(spec.id);
    try {
      let renderer: LayerRenderer;
      let count = 0;
      let skipped = 0;
      if (spec.kind === "3dtiles") {
        const tiles = await TilesRenderer.create(this.ctx, spec, this.resolveUrl(spec.url), this.tilesSse);
        renderer = tiles;
        // The baker records how many features the tileset holds in asset.extras.
        const extras = (tiles.tileset.asset as { extras?: { featureCount?: number; buildings?: number } } | undefined)?.extras;
        count = extras?.featureCount ?? extras?.buildings ?? 0;
      } else if (spec.kind === "live") {
        // Sensors are points; the feed colours them (src/cesium/LiveRenderer.ts).
        const data = await this.loadVector({ ...spec, kind: "point" }, (p) => this.events.loading(spec.id, p));
        if (this.destroyed) return;
        const live = new LiveRenderer(this.ctx, spec, data);
        renderer = live;
        count = live.sensorCount;
      } else {
        const data = await this.loadVector(spec, (p) => this.events.loading(spec.id, p));
        if (this.destroyed) return;
        count = data.ids.length;
        skipped = data.skipped;
        // An empty layer is a valid answer (e.g. an analysis that finds no gaps); a layer
        // whose every feature was unusable is an error.
        if (count === 0 && data.skipped) throw new Error(`all ${data.skipped} features unusable (${data.skippedReasons.join("; ")})`);
        renderer =
          spec.kind === "point"
            ? new PointRenderer(this.ctx, spec, data)
            : spec.kind === "line"
              ? new LineRenderer(this.ctx, spec, data)
              : new PolygonRenderer(this.ctx, spec, data);
      }
      if (this.destroyed) return renderer.destroy();
      this.renderers.set(spec.id, renderer);
      this.loading.delete(spec.id);
      // Apply the latest state (it may have changed while loading).
      if (this.pendingState) this.sync(this.pendingState, this.pendingStyleOf);
      renderer.onCamera?.(this.cameraHeightM);
      this.events.ready(spec.id, count, skipped);
    } catch (e) {
      this.loading.delete(spec.id);
      this.failed.add(spec.id);
      this.events.error(spec.id, describeError(e, spec));
    }
    this.ctx.requestRender();
  }

  private cameraHeightM = 5000;
  onCamera(heightM: number) {
    this.cameraHeightM = heightM;
    for (const r of this.renderers.values()) r.onCamera?.(heightM);
  }

  /** Every created renderer has its content on the GPU. */
  allDrawn(): boolean {
    if (this.loading.size) return false;
    // Only what is shown: Cesium does not update a hidden collection, so a batch that was
    // being built when its layer was hidden stays pending until the layer is shown again.
    for (const [id, r] of this.renderers) if (this.applied.get(id)?.visible && !r.drawn()) return false;
    return true;
  }

  /** Turns whatever scene.pick returned into plain data (no Cesium objects leave here). */
  pick(picked: unknown): PickedFeature | undefined {
    for (const r of this.renderers.values()) if (r instanceof TilesRenderer) r.highlightFeature(undefined);
    for (const r of this.renderers.values()) r.highlight?.(undefined);
    if (!picked) return undefined;
    if (picked instanceof Cesium3DTileFeature) {
      for (const r of this.renderers.values())
        if (r instanceof TilesRenderer && picked.tileset === r.tileset) {
          const properties: Record<string, unknown> = {};
          for (const name of picked.getPropertyIds()) properties[name] = picked.getProperty(name);
          r.highlightFeature(picked);
          return { layerId: r.layerId, featureId: String(properties.id ?? picked.featureId), properties };
        }
      return undefined;
    }
    const id = parsePickId((picked as { id?: unknown }).id);
    if (!id) return undefined;
    const r = this.renderers.get(id.layerId);
    const f = r?.featureProps(id.index);
    if (!r || !f) return undefined;
    r.highlight?.(id.index);
    return { layerId: id.layerId, featureId: f.id, properties: f.props };
  }

  destroy() {
    this.destroyed = true;
    for (const r of this.renderers.values()) r.destroy();
    this.renderers.clear();
  }
}

function describeError(e: unknown, spec: LayerSpec): string {
  const msg = e instanceof Error ? e.message : String(e);
  // A missing tileset usually comes back as the server's HTML page or a 404: say which file.
  if (spec.kind === "3dtiles")
    return `cannot load tileset ${spec.url}: ${/<!doctype|<html|not valid JSON|Unexpected token/i.test(msg) ? "file missing or not a tileset (got no JSON)" : msg.slice(0, 160)}`;
  return msg.slice(0, 240);
}

