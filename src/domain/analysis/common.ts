// Helpers shared by the indexed analyses and their naive (all-pairs turf) twins.
import { featureList, idOf, projectPolygonal, propsOf, rawFeature, type FeaturesInput, type Props, type Skips } from "./features";
import type { LocalProjection } from "./projection";

export interface LoadedPolygon {
  id: string;
  props: Props;
  polygons: Float64Array[][];
  areaM2: number;
}

/** Projects every polygon feature of a layer; bad ones are skipped and counted. */
export function loadPolygons(input: FeaturesInput, proj: LocalProjection, skips: Skips): LoadedPolygon[] {
  const out: LoadedPolygon[] = [];
  featureList(input).forEach((f0, i) => {
    const f = rawFeature(f0);
    if (!f) return skips.skip("not a feature");
    const pg = projectPolygonal(f.geometry, proj);
    if (typeof pg === "string") return skips.skip(pg);
    const p = propsOf(f);
    out.push({ id: idOf(f, p, i), props: p, polygons: pg.polygons, areaM2: pg.areaM2 });
  });
  return out;
}

/** residents / total as a 0–1 share; 0 when there is nobody. */
export const share = (part: number, total: number): number => (total > 0 ? part / total : 0);

export function currentYear(): number {
  return new Date().getFullYear();
}

/** Sort by a numeric key, ties by id, so outputs are deterministic. */
export function byNumberThenId<T extends { id: string }>(key: (t: T) => number, descending = false) {
  return (a: T, b: T): number => {
    const d = descending ? key(b) - key(a) : key(a) - key(b);
    return d !== 0 ? d : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  };
}
