// What the scene holds right now, for the churn (leak) tests and the soak: primitives counted
// through nested collections, tilesets among them, data sources, and Cesium's own
// geometry-worker pool. Read-only.
import { Cesium3DTileset, PrimitiveCollection, type Scene } from "cesium";

export interface SceneStats {
  /** Every primitive in the scene, nested collections included (collections count too). */
  primitives: number;
  tilesets: number;
  groundPrimitives: number;
}

export function sceneStats(scene: Scene): SceneStats {
  const out: SceneStats = { primitives: 0, tilesets: 0, groundPrimitives: 0 };
  const walk = (c: PrimitiveCollection) => {
    for (let i = 0; i < c.length; i++) {
      const p: unknown = c.get(i);
      out.primitives++;
      if (p instanceof Cesium3DTileset) out.tilesets++;
      if (p instanceof PrimitiveCollection) walk(p);
    }
  };
  walk(scene.primitives);
  out.groundPrimitives = scene.groundPrimitives.length;
  return out;
}
