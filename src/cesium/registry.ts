// The one registry of layer renderers, keyed by the catalog's layer kind (as PLATEAU VIEW's
// layer map is). A new kind plugs in here with a factory (see ./contract for the contract).
import type { RendererRegistry } from "./contract";
import { createGroundLayer } from "./groundTiles";
import { createLiveLayer } from "./LiveRenderer";
import { LineRenderer, PointRenderer, PolygonRenderer, createTiles, vectorFactory, type RenderContext } from "./renderers";

export const defaultRenderers: RendererRegistry<RenderContext> = {
  point: vectorFactory((ctx, spec, data) => new PointRenderer(ctx, spec, data)),
  line: vectorFactory((ctx, spec, data) => new LineRenderer(ctx, spec, data)),
  polygon: vectorFactory((ctx, spec, data) => new PolygonRenderer(ctx, spec, data)),
  "3dtiles": createTiles,
  /** Polygon/line layers with a `tiles` URL: baked at build time, drawn from a shared tileset. */
  "ground-tiles": createGroundLayer,
  /** Live sensors (MQTT): points coloured by their state, updated in place once per frame. */
  live: createLiveLayer,
};

/** The scene hooks of a Cesium scene. */
export function renderContext(scene: RenderContext["scene"]): RenderContext {
  return {
    scene,
    requestRender: () => {
      if (!scene.isDestroyed()) scene.requestRender();
    },
    onPostRender: (cb) => scene.postRender.addEventListener(cb),
    onPreRender: (cb) => scene.preRender.addEventListener(cb),
  };
}
