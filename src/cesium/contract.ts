// The contract between the LayerManager and the renderers, and the registry that maps a layer
// kind to the factory that makes its renderer. Nothing here imports Cesium, so the manager and
// this contract are unit-tested in node with fake renderers (tests/cesium/layerManager.test.ts).
//
// To add a layer kind (imported files, live sensors …): write a factory that returns a
// LayerRenderer and add it to the registry under the kind's name (src/cesium/registry.ts).
import type { I18n, LayerSpec, LayerStyle } from "../domain/catalog";
import type { ParsedLayer } from "../domain/geojson";
import type { PickedFeature } from "../domain/state";

/** What the manager and every renderer need from the scene; a fake in the unit tests. */
export interface SceneHooks {
  /** Called when something changed and the scene must be drawn again (requestRenderMode). */
  requestRender(): void;
  /** Subscribes to "a frame was rendered"; returns the unsubscribe function. */
  onPostRender(cb: () => void): () => void;
  /**
   * Subscribes to "a frame is about to be drawn" (after the scene's pre-pass update, before its
   * draw commands run); returns the unsubscribe function. Optional: without it, whenDrawn()
   * waits one extra frame after everything is drawn.
   */
  onPreRender?(cb: () => void): () => void;
}

/**
 * One layer on screen. The manager creates it once (the first time the layer is shown) and
 * then only shows, hides, restyles and finally destroys it.
 */
export interface LayerRenderer {
  readonly layerId: string;
  setShow(show: boolean): void;
  /**
   * Apply a style and opacity IN PLACE: per-feature colours/show (instance attributes, tile
   * styles). Must not re-fetch data; must not re-triangulate unless the geometry itself changes
   * (a new height offset or line width).
   */
  setStyle(style: LayerStyle, opacity: number): void;
  /** True once everything the layer shows is on the GPU (batches ready, tiles loaded). */
  drawn(): boolean;
  /** Why drawn() is false, for timeouts ("batch building", "tiles loading: 3"). */
  waitingFor?(): string;
  /**
   * If `picked` (whatever scene.pick returned) belongs to this layer: mark it highlighted and
   * return it as plain data. Otherwise undefined.
   */
  pick(picked: unknown): PickedFeature | undefined;
  /** Remove the pick highlight, if any. */
  clearPick(): void;
  /** Called on camera height changes (clustering). */
  onCamera?(heightM: number): void;
  /** Screen-space error for streamed content (quality setting). */
  setMaximumScreenSpaceError?(sse: number): void;
  destroy(): void;
}

/** What a factory gets to build a renderer. */
export interface CreateArgs<C extends SceneHooks> {
  ctx: C;
  spec: LayerSpec;
  /** Absolute URL of a catalog URL. */
  resolveUrl(url: string): string;
  /** Fetch + parse a GeoJSON layer (in a worker in the app). */
  loadVector(spec: LayerSpec, onProgress: (p: number) => void): Promise<ParsedLayer>;
  onProgress(p: number): void;
  /** A problem after creation (a tile that failed to load): shown on the layer's row. */
  reportError(reason: string | I18n): void;
  /** Current screen-space error for streamed content. */
  maximumScreenSpaceError: number;
}

export interface Created {
  renderer: LayerRenderer;
  featureCount: number;
  skipped: number;
}

export type RendererFactory<C extends SceneHooks> = (args: CreateArgs<C>) => Promise<Created>;

/** Layer kind → factory. One source: src/cesium/registry.ts (tests pass their own). */
export type RendererRegistry<C extends SceneHooks> = Readonly<Record<string, RendererFactory<C> | undefined>>;

export interface LayerEvents {
  loading(id: string, progress?: number): void;
  ready(id: string, featureCount: number, skipped: number): void;
  error(id: string, reason: string | I18n): void;
}

export type VectorLoader = (spec: LayerSpec, onProgress: (p: number) => void) => Promise<ParsedLayer>;
