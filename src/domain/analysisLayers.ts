// Planning analyses → what the cockpit shows: short summaries for the cards and GeoJSON result
// layers for the scene (uncovered homes, life-circle gaps, the drainage around waterlogging
// spots). Pure; runs in the cockpit worker on the whole city.
import type { Feature, FeatureCollection, Geometry, Position } from "geojson";
import { greenAccess, lifeCircle, pipeCondition, waterloggingRisk } from "./analysis";
import type { CityData } from "./kpi/types";

export interface AnalysisSummary {
  greenAccess?: { residents: number; shareGreen: number; sharePark: number; buildingsUncovered: number; ms: number };
  lifeCircle?: {
    residents: number;
    shareAll: number;
    gaps: number;
    categories: Array<{ category: string; share: number; available: number }>;
    ms: number;
  };
  pipeCondition?: {
    asOfYear: number;
    lengthKm: number;
    byAge: Array<{ ageClass: string; lengthKm: number; count: number }>;
    gasOverAgeUnrenewed: { count: number; lengthKm: number };
    ms: number;
  };
  waterlogging?: { points: number; high: number; drainagePipesNearby: number; flaggedPipesNearby: number; meanScore: number; ms: number };
}

export const ANALYSIS_LAYERS = ["analysis-green-gaps", "analysis-lifecircle-gaps", "analysis-waterlogging-pipes"] as const;
export type AnalysisLayerId = (typeof ANALYSIS_LAYERS)[number];

/** Mean of a polygon's outer ring vertices: cheap and good enough for a marker. */
function centroid(g: Geometry | null | undefined): Position | undefined {
  const ring = g?.type === "Polygon" ? g.coordinates[0] : g?.type === "MultiPolygon" ? g.coordinates[0]?.[0] : undefined;
  if (!ring || ring.length < 2) return undefined;
  let x = 0;
  let y = 0;
  const n = ring.length - 1;
  for (let i = 0; i < n; i++) {
    x += ring[i][0];
    y += ring[i][1];
  }
  return [+(x / n).toFixed(7), +(y / n).toFixed(7)];
}

const fc = (features: Feature[]): FeatureCollection => ({ type: "FeatureCollection", features });
const byId = (c: FeatureCollection | undefined) => {
  const m = new Map<string, Feature>();
  for (const f of c?.features ?? []) {
    const id = (f.properties as { id?: unknown } | null)?.id;
    if (typeof id === "string") m.set(id, f);
  }
  return m;
};

export function runAnalyses(
  city: CityData,
  asOfYear: number,
): { summary: AnalysisSummary; layers: Partial<Record<AnalysisLayerId, FeatureCollection>> } {
  const summary: AnalysisSummary = {};
  const layers: Partial<Record<AnalysisLayerId, FeatureCollection>> = {};
  const buildings = byId(city.buildings as FeatureCollection | undefined);
  const now = () => performance.now();

  if (city.buildings && city.parks) {
    const t0 = now();
    const ga = greenAccess(city.buildings, city.green ?? [], city.parks);
    summary.greenAccess = {
      residents: ga.totals.residents,
      shareGreen: ga.totals.shareGreen,
      sharePark: ga.totals.sharePark,
      buildingsUncovered: ga.totals.buildingsUncovered,
      ms: now() - t0,
    };
    layers["analysis-green-gaps"] = fc(
      ga.buildings
        .filter((b) => !b.greenOk || !b.parkOk)
        .flatMap((b): Feature[] => {
          const c = centroid(buildings.get(b.id)?.geometry);
          if (!c) return [];
          const gap = !b.greenOk && !b.parkOk ? "both" : !b.greenOk ? "green" : "park";
          return [
            {
              type: "Feature",
              geometry: { type: "Point", coordinates: c },
              properties: {
                id: b.id,
                residents: b.residents,
                gap,
                distGreenM: Math.round(b.distGreenM ?? -1),
                distParkM: Math.round(b.distParkM ?? -1),
              },
            },
          ];
        }),
    );
  }

  if (city.buildings && city.facilities) {
    const t0 = now();
    const lc = lifeCircle(city.buildings, city.facilities, city.parks ?? []);
    summary.lifeCircle = {
      residents: lc.totals.residents,
      shareAll: lc.totals.shareAll,
      gaps: lc.gaps.length,
      categories: lc.categories.map((c) => ({ category: c.category, share: c.share, available: c.available })),
      ms: now() - t0,
    };
    layers["analysis-lifecircle-gaps"] = fc(
      lc.gaps.flatMap((b): Feature[] => {
        const c = centroid(buildings.get(b.id)?.geometry);
        return c
          ? [
              {
                type: "Feature",
                geometry: { type: "Point", coordinates: c },
                properties: { id: b.id, residents: b.residents, missing: b.missing.join(", "), missingCount: b.missing.length },
              },
            ]
          : [];
      }),
    );
  }

  const pipes = (["pipes-gas", "pipes-water", "pipes-drainage", "pipes-heating", "pipes-reclaimed"] as const).flatMap(
    (k) => city[k]?.features ?? [],
  );
  if (pipes.length) {
    const t0 = now();
    const pc = pipeCondition(pipes, { asOfYear });
    summary.pipeCondition = {
      asOfYear,
      lengthKm: pc.totals.lengthKm,
      byAge: pc.totals.byAge.map((b) => ({ ageClass: b.ageClass, lengthKm: b.lengthKm, count: b.count })),
      gasOverAgeUnrenewed: { count: pc.gasOverAgeUnrenewed.count, lengthKm: pc.gasOverAgeUnrenewed.lengthKm },
      ms: now() - t0,
    };
  }

  if (city.waterlogging && city["pipes-drainage"]) {
    const t0 = now();
    const wr = waterloggingRisk(city.waterlogging, city["pipes-drainage"], city.roads ?? []);
    summary.waterlogging = {
      points: wr.totals.points,
      high: wr.totals.byScoreClass.high,
      drainagePipesNearby: wr.totals.drainagePipesNearby,
      flaggedPipesNearby: wr.totals.flaggedPipesNearby,
      meanScore: wr.totals.meanScore,
      ms: now() - t0,
    };
    const drains = byId(city["pipes-drainage"] as FeatureCollection);
    const seen = new Set<string>();
    const out: Feature[] = [];
    for (const p of wr.points)
      for (const np of p.pipes) {
        const f = drains.get(np.id);
        if (!f || seen.has(np.id)) continue;
        seen.add(np.id);
        out.push({
          type: "Feature",
          geometry: f.geometry,
          properties: {
            id: np.id,
            spot: p.id,
            distM: Math.round(np.distM),
            diameterMm: np.diameterMm,
            depthM: np.depthM,
            flag: np.deep || np.undersized ? "flagged" : "ok",
          },
        });
      }
    layers["analysis-waterlogging-pipes"] = fc(out);
  }
  return { summary, layers };
}
