// What the scene holds right now, for the churn (leak) tests, the soak and the render bench:
// primitives counted through nested collections, tilesets among them, data sources, and
// Cesium's own geometry-worker pool. Read-only. One walker over scene.primitives for the app
// (camera control, underground scene) and the bench page.
import { Cesium3DTileset, GroundPolylinePrimitive, GroundPrimitive, Primitive, PrimitiveCollection, type Scene } from "cesium";

export interface SceneStats {
  /** Every primitive in the scene, nested collections included (collections count too). */
  primitives: number;
  tilesets: number;
  groundPrimitives: number;
}

/**
 * Calls `fn` for every primitive in `c`, depth first, nested PrimitiveCollections included (a
 * nested collection is visited, then its content). `shown` is false when the primitive or
 * one of its enclosing collections is hidden.
 */
export function forEachPrimitive(c: PrimitiveCollection, fn: (p: unknown, shown: boolean) => void, shown = c.show): void {
  for (let i = 0; i < c.length; i++) {
    const p: unknown = c.get(i);
    const on = shown && (p as { show?: boolean }).show !== false;
    fn(p, on);
    if (p instanceof PrimitiveCollection) forEachPrimitive(p, fn, on);
  }
}

/** The 3D tilesets in `c`, nested collections included. */
export function tilesetsIn(c: PrimitiveCollection): Cesium3DTileset[] {
  const out: Cesium3DTileset[] = [];
  forEachPrimitive(c, (p) => {
    if (p instanceof Cesium3DTileset) out.push(p);
  });
  return out;
}

/** Leaf primitives in `c` (collections themselves not counted; a point or label collection is one). */
export function countLeafPrimitives(c: PrimitiveCollection): number {
  let n = 0;
  forEachPrimitive(c, (p) => {
    if (!(p instanceof PrimitiveCollection)) n++;
  });
  return n;
}

export function sceneStats(scene: Scene): SceneStats {
  const out: SceneStats = { primitives: 0, tilesets: 0, groundPrimitives: 0 };
  forEachPrimitive(scene.primitives, (p) => {
    out.primitives++;
    if (p instanceof Cesium3DTileset) out.tilesets++;
  });
  out.groundPrimitives = scene.groundPrimitives.length;
  return out;
}

/**
 * Whether the frame just rendered drew content of the city's layers: a shown 3D tileset that
 * issued draw commands (its statistics are reset and counted every frame), or a shown batched
 * Primitive whose geometry is on the GPU (vector layers, entity batches). The globe, empty
 * collections, labels and billboards do not count. Call from scene.postRender (or right after
 * a render). Used for the start-up mark "first frame with the city" and by the render bench.
 */
export function cityContentDrawn(scene: Scene): boolean {
  let drawn = false;
  const check = (c: PrimitiveCollection) =>
    forEachPrimitive(c, (p, shown) => {
      if (drawn || !shown) return;
      if (p instanceof Cesium3DTileset)
        drawn = ((p as unknown as { statistics?: { numberOfCommands?: number } }).statistics?.numberOfCommands ?? 0) > 0;
      else if (p instanceof Primitive || p instanceof GroundPrimitive || p instanceof GroundPolylinePrimitive) drawn = p.ready;
    });
  check(scene.primitives);
  if (!drawn) check(scene.groundPrimitives);
  return drawn;
}
