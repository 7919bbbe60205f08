// 15-minute life circle (15分钟生活圈): for each residential building, which required service
// categories lie within the walking radius. Distances are straight lines from the footprint
// centroid (the real walk along streets is longer — typically 1.2–1.4× — so this is an upper
// bound on coverage; GB 50180-2018 sizes the 15-minute circle at 800–1,000 m walking).
import { byNumberThenId, loadPolygons, share } from "./common";
import { featureList, idOf, projectPoint, propsOf, rawFeature, residentialBuildings, Skips, type FeaturesInput } from "./features";
import { projectionForFeatures } from "./projection";
import { PointIndex, PolygonIndex } from "./spatial";
import type { LifeCircleBuilding, LifeCircleOptions, LifeCircleResult, SkipLog } from "./types";

export const DEFAULT_LIFE_CIRCLE_REQUIRED = ["school", "clinic", "market", "elderly-care", "park"] as const;

export function resolveLifeCircleOptions(o: LifeCircleOptions): LifeCircleResult["options"] {
  const radiusM = o.radiusM ?? 1000;
  const required = [...new Set(o.required ?? DEFAULT_LIFE_CIRCLE_REQUIRED)];
  const radiiM: Record<string, number> = {};
  for (const c of required) radiiM[c] = o.radiiM?.[c] ?? radiusM;
  return { radiusM, required, radiiM, minParkAreaM2: o.minParkAreaM2 ?? 10_000 };
}

export interface FacilityPoint {
  id: string;
  type: string;
  x: number;
  y: number;
}

/** Facilities with a facilityType and a valid point; the rest skipped and counted. */
export function loadFacilities(
  input: FeaturesInput,
  project: (g: Parameters<typeof projectPoint>[0]) => [number, number] | string,
  skips: Skips,
): FacilityPoint[] {
  const out: FacilityPoint[] = [];
  featureList(input).forEach((f0, i) => {
    const f = rawFeature(f0);
    if (!f) return skips.skip("not a feature");
    const p = propsOf(f);
    if (typeof p.facilityType !== "string" || !p.facilityType) return skips.skip("missing facilityType");
    const xy = project(f.geometry);
    if (typeof xy === "string") return skips.skip(xy);
    out.push({ id: idOf(f, p, i), type: p.facilityType, x: xy[0], y: xy[1] });
  });
  return out;
}

export function summariseLifeCircle(
  options: LifeCircleResult["options"],
  rows: LifeCircleBuilding[],
  available: Record<string, number>,
  buildingsIgnored: number,
  skipped: { buildings: SkipLog; facilities: SkipLog; parks: SkipLog },
): LifeCircleResult {
  let residents = 0;
  let residentsAll = 0;
  let buildingsAll = 0;
  const covB: Record<string, number> = {};
  const covR: Record<string, number> = {};
  for (const c of options.required) covB[c] = covR[c] = 0;
  for (const b of rows) {
    residents += b.residents;
    if (b.missing.length === 0) {
      residentsAll += b.residents;
      buildingsAll++;
    }
    for (const c of b.covered) {
      covB[c]++;
      covR[c] += b.residents;
    }
  }
  const warnings: string[] = [];
  for (const c of options.required)
    if (!available[c]) warnings.push(c === "park" ? "no parks in the input" : `no facilities of type "${c}" in the input`);
  return {
    options,
    buildings: rows,
    gaps: rows.filter((b) => b.missing.length > 0).sort(byNumberThenId((b) => b.residents, true)),
    categories: options.required.map((c) => ({
      category: c,
      radiusM: options.radiiM[c],
      available: available[c] ?? 0,
      buildingsCovered: covB[c],
      residentsCovered: covR[c],
      share: share(covR[c], residents),
    })),
    totals: {
      buildings: rows.length,
      residents,
      buildingsAllCovered: buildingsAll,
      residentsAllCovered: residentsAll,
      shareAll: share(residentsAll, residents),
      buildingsIgnored,
    },
    skipped,
    warnings,
  };
}

/**
 * @param facilities facilities layer (Point, props facilityType)
 * @param parks parks layer — the "park" category is "some park edge within the radius, or inside one"
 */
export function lifeCircle(
  buildings: FeaturesInput,
  facilities: FeaturesInput,
  parks: FeaturesInput,
  options: LifeCircleOptions = {},
): LifeCircleResult {
  const o = resolveLifeCircleOptions(options);
  const proj = options.projection ?? projectionForFeatures(featureList(buildings), featureList(facilities), featureList(parks));
  const bSkips = new Skips();
  const fSkips = new Skips();
  const pSkips = new Skips();
  const { buildings: homes, ignored } = residentialBuildings(buildings, proj, bSkips);
  const facs = loadFacilities(facilities, (g) => projectPoint(g, proj), fSkips);
  const parkPolys = loadPolygons(parks, proj, pSkips).filter((p) => p.areaM2 >= o.minParkAreaM2);

  const available: Record<string, number> = {};
  const tests: ((x: number, y: number) => boolean)[] = o.required.map((c) => {
    const r = o.radiiM[c];
    if (c === "park") {
      available[c] = parkPolys.length;
      const idx = new PolygonIndex(parkPolys.map((p) => p.polygons));
      return (x, y) => idx.within(x, y, r);
    }
    const pts = facs.filter((f) => f.type === c).map((f) => [f.x, f.y] as const);
    available[c] = pts.length;
    const idx = new PointIndex(pts);
    return (x, y) => idx.any(x, y, r);
  });

  const rows: LifeCircleBuilding[] = homes.map((b) => {
    const covered: string[] = [];
    const missing: string[] = [];
    o.required.forEach((c, k) => (tests[k](b.x, b.y) ? covered : missing).push(c));
    return { id: b.id, residents: b.residents, covered, missing };
  });
  return summariseLifeCircle(o, rows, available, ignored, {
    buildings: bSkips.toJSON(),
    facilities: fSkips.toJSON(),
    parks: pSkips.toJSON(),
  });
}
