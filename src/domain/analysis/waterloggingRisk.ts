// Waterlogging risk (城市内涝): for each waterlogging-prone spot, the drainage pipes and roads
// within the radius (with the length of each inside the circle), the flagged drainage pipes
// (undersized: diameter < 600 mm; deep/low-lying: depth > 4 m), and a simple, explainable 0–100
// score. The score is a screening aid, not a hydraulic model (no rainfall, catchments or levels).
import { byNumberThenId } from "./common";
import {
  featureList,
  finiteNumber,
  idOf,
  projectLinear,
  projectPoint,
  propsOf,
  rawFeature,
  Skips,
  type FeaturesInput,
  type Props,
} from "./features";
import { polylineLength } from "./geometry";
import { projectionForFeatures } from "./projection";
import { SegmentIndex } from "./spatial";
import type {
  NearbyPipe,
  NearbyRoad,
  RiskLevel,
  SkipLog,
  WaterloggingOptions,
  WaterloggingPointResult,
  WaterloggingResult,
  WaterloggingWeights,
} from "./types";

export const DEFAULT_WATERLOGGING_WEIGHTS: WaterloggingWeights = { risk: 0.35, depth: 0.25, deficit: 0.25, flagged: 0.15 };
const RISK_LEVELS: readonly RiskLevel[] = ["low", "medium", "high"];

export function resolveWaterloggingOptions(o: WaterloggingOptions): WaterloggingResult["options"] {
  return {
    radiusM: o.radiusM ?? 300,
    drainageNetworks: [...(o.drainageNetworks ?? ["drainage"])],
    deepPipeDepthM: o.deepPipeDepthM ?? 4,
    minDrainDiameterMm: o.minDrainDiameterMm ?? 600,
    weights: { ...DEFAULT_WATERLOGGING_WEIGHTS, ...o.weights },
  };
}

export interface SpotAttrs {
  id: string;
  risk: RiskLevel;
  maxDepthCm?: number;
}

export function spotAttrs(p: Props, id: string): SpotAttrs | string {
  if (typeof p.risk !== "string" || !RISK_LEVELS.includes(p.risk as RiskLevel)) return "missing risk";
  return { id, risk: p.risk as RiskLevel, maxDepthCm: finiteNumber(p.maxDepthCm) && p.maxDepthCm >= 0 ? p.maxDepthCm : undefined };
}

export interface DrainAttrs {
  id: string;
  diameterMm?: number;
  depthM?: number;
}

/** A pipe's role here: a drainage pipe, not drainage (ignored), or a reason to skip it. */
export function drainAttrs(p: Props, id: string, drainage: readonly string[]): DrainAttrs | "other" | string {
  if (typeof p.network !== "string" || !p.network) return "missing network";
  if (!drainage.includes(p.network)) return "other";
  return {
    id,
    diameterMm: finiteNumber(p.diameterMm) && p.diameterMm > 0 ? p.diameterMm : undefined,
    depthM: finiteNumber(p.depthM) ? p.depthM : undefined,
  };
}

export function pipeFlags(a: DrainAttrs, o: WaterloggingResult["options"]): { deep: boolean; undersized: boolean } {
  return {
    deep: a.depthM !== undefined && a.depthM > o.deepPipeDepthM,
    undersized: a.diameterMm !== undefined && a.diameterMm < o.minDrainDiameterMm,
  };
}

/** Score and per-spot sums from the nearby pipes and roads (shared with the naive version). */
export function scoreSpot(
  spot: SpotAttrs,
  pipes: NearbyPipe[],
  roads: NearbyRoad[],
  o: WaterloggingResult["options"],
): WaterloggingPointResult {
  pipes.sort(byNumberThenId((p) => p.distM));
  roads.sort(byNumberThenId((r) => r.distM));
  let drain = 0;
  let flaggedLen = 0;
  let flagged = 0;
  for (const p of pipes) {
    drain += p.lengthWithinM;
    if (p.deep || p.undersized) {
      flagged++;
      flaggedLen += p.lengthWithinM;
    }
  }
  let road = 0;
  for (const r of roads) road += r.lengthWithinM;
  const w = o.weights;
  const riskF = (RISK_LEVELS.indexOf(spot.risk) + 1) / 3;
  const depthF = Math.min((spot.maxDepthCm ?? 0) / 50, 1);
  // Drainage deficit: drainage mains normally run under every street, so drainage length
  // below road length within the circle means streets without drains. No roads: no deficit
  // if there is some drainage, full deficit if there is none.
  const deficit = road > 0 ? Math.min(1, Math.max(0, 1 - drain / road)) : drain > 0 ? 0 : 1;
  const flaggedF = drain > 0 ? flaggedLen / drain : 0;
  const score = 100 * (w.risk * riskF + w.depth * depthF + w.deficit * deficit + w.flagged * flaggedF);
  return {
    id: spot.id,
    risk: spot.risk,
    maxDepthCm: spot.maxDepthCm,
    pipes,
    roads,
    drainageLengthWithinM: drain,
    roadLengthWithinM: road,
    flaggedPipes: flagged,
    flaggedLengthWithinM: flaggedLen,
    score,
    scoreClass: score >= 60 ? "high" : score >= 35 ? "medium" : "low",
  };
}

export function summariseWaterlogging(
  o: WaterloggingResult["options"],
  points: WaterloggingPointResult[],
  skipped: { points: SkipLog; pipes: SkipLog; roads: SkipLog },
): WaterloggingResult {
  const byRisk: Record<RiskLevel, number> = { low: 0, medium: 0, high: 0 };
  const byScoreClass: Record<RiskLevel, number> = { low: 0, medium: 0, high: 0 };
  const drains = new Set<string>();
  const flagged = new Set<string>();
  let sum = 0;
  let without = 0;
  for (const p of points) {
    byRisk[p.risk]++;
    byScoreClass[p.scoreClass]++;
    sum += p.score;
    if (p.pipes.length === 0) without++;
    for (const d of p.pipes) {
      drains.add(d.id);
      if (d.deep || d.undersized) flagged.add(d.id);
    }
  }
  return {
    options: o,
    points: points.sort(byNumberThenId((p) => p.score, true)),
    totals: {
      points: points.length,
      byRisk,
      byScoreClass,
      meanScore: points.length ? sum / points.length : 0,
      pointsWithoutDrainage: without,
      drainagePipesNearby: drains.size,
      flaggedPipesNearby: flagged.size,
    },
    skipped,
  };
}

interface Near {
  d2: number;
  within: number;
}

/** Per owner: the smallest squared distance and the summed length inside the circle. */
function nearbyOwners(idx: SegmentIndex, x: number, y: number, r: number): Map<number, Near> {
  const m = new Map<number, Near>();
  idx.forEachWithin(x, y, r, (seg, d2) => {
    const owner = idx.owner[seg];
    const len = idx.lengthInDisc(seg, x, y, r);
    const n = m.get(owner);
    if (n) {
      if (d2 < n.d2) n.d2 = d2;
      n.within += len;
    } else m.set(owner, { d2, within: len });
  });
  return m;
}

/**
 * @param points waterlogging layer (Point, props risk, maxDepthCm)
 * @param pipes pipe segments (any networks; only `drainageNetworks` are used)
 * @param roads road centre lines
 */
export function waterloggingRisk(
  points: FeaturesInput,
  pipes: FeaturesInput,
  roads: FeaturesInput,
  options: WaterloggingOptions = {},
): WaterloggingResult {
  const o = resolveWaterloggingOptions(options);
  const r = o.radiusM;
  const proj = options.projection ?? projectionForFeatures(featureList(points), featureList(pipes), featureList(roads));
  const ptSkips = new Skips();
  const pipeSkips = new Skips();
  const roadSkips = new Skips();

  const drains: { attrs: DrainAttrs; lines: Float64Array[]; lengthM: number }[] = [];
  featureList(pipes).forEach((f0, i) => {
    const f = rawFeature(f0);
    if (!f) return pipeSkips.skip("not a feature");
    const p = propsOf(f);
    const a = drainAttrs(p, idOf(f, p, i), o.drainageNetworks);
    if (a === "other") return;
    if (typeof a === "string") return pipeSkips.skip(a);
    const lines = projectLinear(f.geometry, proj);
    if (typeof lines === "string") return pipeSkips.skip(lines);
    drains.push({ attrs: a, lines, lengthM: lines.reduce((s, l) => s + polylineLength(l), 0) });
  });
  const roadList: { id: string; roadClass?: string; lines: Float64Array[]; lengthM: number }[] = [];
  featureList(roads).forEach((f0, i) => {
    const f = rawFeature(f0);
    if (!f) return roadSkips.skip("not a feature");
    const p = propsOf(f);
    const lines = projectLinear(f.geometry, proj);
    if (typeof lines === "string") return roadSkips.skip(lines);
    roadList.push({
      id: idOf(f, p, i),
      roadClass: typeof p.roadClass === "string" ? p.roadClass : undefined,
      lines,
      lengthM: lines.reduce((s, l) => s + polylineLength(l), 0),
    });
  });
  const drainIdx = new SegmentIndex(drains.map((d) => d.lines));
  const roadIdx = new SegmentIndex(roadList.map((d) => d.lines));

  const results: WaterloggingPointResult[] = [];
  featureList(points).forEach((f0, i) => {
    const f = rawFeature(f0);
    if (!f) return ptSkips.skip("not a feature");
    const p = propsOf(f);
    const spot = spotAttrs(p, idOf(f, p, i));
    if (typeof spot === "string") return ptSkips.skip(spot);
    const xy = projectPoint(f.geometry, proj);
    if (typeof xy === "string") return ptSkips.skip(xy);
    const [x, y] = xy;
    const nearPipes: NearbyPipe[] = [];
    for (const [k, n] of nearbyOwners(drainIdx, x, y, r)) {
      const d = drains[k];
      nearPipes.push({
        id: d.attrs.id,
        distM: Math.sqrt(n.d2),
        lengthM: d.lengthM,
        lengthWithinM: n.within,
        diameterMm: d.attrs.diameterMm,
        depthM: d.attrs.depthM,
        ...pipeFlags(d.attrs, o),
      });
    }
    const nearRoads: NearbyRoad[] = [];
    for (const [k, n] of nearbyOwners(roadIdx, x, y, r)) {
      const d = roadList[k];
      nearRoads.push({ id: d.id, distM: Math.sqrt(n.d2), lengthM: d.lengthM, lengthWithinM: n.within, roadClass: d.roadClass });
    }
    results.push(scoreSpot(spot, nearPipes, nearRoads, o));
  });
  return summariseWaterlogging(o, results, { points: ptSkips.toJSON(), pipes: pipeSkips.toJSON(), roads: roadSkips.toJSON() });
}
