// Finds a feature by id in a layer's GeoJSON (parsed in the worker pool), for tour steps that
// highlight one feature and for share links that restore a selection. Loaded on first use
// and kept: a kiosk loop asks for the same few features again and again.
import type { LayerSpec } from "../domain/catalog";
import type { ParsedLayer } from "../domain/geojson";
import type { Manifests } from "./manifests";

type Loader = (spec: LayerSpec, onProgress: (p: number) => void) => Promise<ParsedLayer>;

export function createFeatureLookup(load: Loader, m: Manifests) {
  const cache = new Map<string, Promise<Map<string, Record<string, unknown>> | null>>();
  // 3D Tiles layers (buildings) are baked from a GeoJSON of the same name in the city folder.
  const cityDir = m.catalog.layers.find((l) => l.id === "landuse")?.url.replace(/[^/]+$/, "") ?? "generated/city/";
  const index = (layerId: string) => {
    let p = cache.get(layerId);
    if (!p) {
      const spec = m.catalog.layers.find((l) => l.id === layerId);
      if (!spec || spec.url.startsWith("analysis:")) p = Promise.resolve(null);
      else {
        const src: LayerSpec = spec.kind === "3dtiles" ? { ...spec, kind: "polygon", url: `${cityDir}${spec.id}.geojson` } : spec;
        p = load(src, () => {}).then(
          (parsed) => new Map(parsed.ids.map((id, i) => [id, parsed.props[i]])),
          () => null,
        );
      }
      cache.set(layerId, p);
    }
    return p;
  };
  /** Properties, undefined when the layer has no such feature, null when it cannot be told. */
  return async (layerId: string, featureId: string): Promise<Record<string, unknown> | undefined | null> => {
    const idx = await index(layerId);
    if (!idx) return null;
    return idx.get(featureId);
  };
}
