// Result types of the planning analyses. All plain, serialisable objects (numbers, strings,
// booleans, arrays, records; `undefined` for "none", never Infinity/NaN) so they can be posted
// from a Web Worker and saved as JSON.
import type { LocalProjection } from "./projection";

/** Features left out of an analysis because of bad data, by reason. */
export interface SkipLog {
  count: number;
  reasons: Record<string, number>;
}

interface CommonOptions {
  /** Use this projection instead of one centred on the input (e.g. shared by a worker). */
  projection?: LocalProjection;
}

// ── 300 m to green, 500 m to a park (300米见绿、500米见园) ─────────────────────────────────

export interface GreenAccessOptions extends CommonOptions {
  /** Default 300 m. */
  greenRadiusM?: number;
  /** Default 500 m. */
  parkRadiusM?: number;
  /**
   * Green spaces (parks ∪ green land) smaller than this do not count for "见绿". Default 400 m²,
   * the usual floor for a 小微绿地/游园 to count as a usable green space.
   */
  minGreenAreaM2?: number;
  /**
   * Parks smaller than this do not count for "见园". Default 10,000 m² (1 ha), as the cockpit's
   * KPI manifest (data/kpis.json, park-within-500m) — so the analysis and the KPI agree.
   */
  minParkAreaM2?: number;
}

export interface GreenAccessBuilding {
  id: string;
  residents: number;
  greenOk: boolean;
  parkOk: boolean;
  /** Distance from the footprint centroid to the nearest eligible green space (0 inside); undefined if there is none. */
  distGreenM?: number;
  /** Same, to the nearest eligible park. */
  distParkM?: number;
}

export interface GreenAccessTotals {
  /** Residential buildings with residents that were analysed. */
  buildings: number;
  residents: number;
  residentsGreenOk: number;
  residentsParkOk: number;
  residentsBothOk: number;
  /** Shares of residents, 0–1 (0 when there are no residents). */
  shareGreen: number;
  sharePark: number;
  shareBoth: number;
  /** Buildings failing "见绿" or "见园" (either). */
  buildingsUncovered: number;
  buildingsGreenUncovered: number;
  buildingsParkUncovered: number;
  /** Non-residential or empty buildings, not analysed (not an error). */
  buildingsIgnored: number;
}

export interface GreenAccessResult {
  options: { greenRadiusM: number; parkRadiusM: number; minGreenAreaM2: number; minParkAreaM2: number };
  buildings: GreenAccessBuilding[];
  totals: GreenAccessTotals;
  /** Green spaces (parks ∪ green land) that count for "见绿", and those below the minimum area. */
  greenSpaces: { counted: number; belowMinArea: number };
  parks: { counted: number; belowMinArea: number };
  skipped: { buildings: SkipLog; green: SkipLog; parks: SkipLog };
}

// ── 15-minute life circle (15分钟生活圈) ─────────────────────────────────────────────────

/** A facilityType of the facilities layer, or "park" (the parks layer). */
export type LifeCircleCategory = "community-service" | "elderly-care" | "childcare" | "school" | "clinic" | "market" | "park";

export interface LifeCircleOptions extends CommonOptions {
  /** Straight-line radius, default 1,000 m (GB 50180-2018: 15-minute walk ≈ 800–1,000 m). */
  radiusM?: number;
  /** Default ["school", "clinic", "market", "elderly-care", "park"]. */
  required?: readonly string[];
  /** Per-category radius overrides, e.g. { childcare: 300 } for the 5-minute circle. */
  radiiM?: Readonly<Record<string, number>>;
  /** Parks smaller than this do not count. Default 10,000 m² (1 ha, as for 500米见园). */
  minParkAreaM2?: number;
}

export interface LifeCircleBuilding {
  id: string;
  residents: number;
  /** Required categories within reach, in the order of `required`. */
  covered: string[];
  missing: string[];
}

export interface LifeCircleCategoryStat {
  category: string;
  radiusM: number;
  /** Facilities (or parks) of this category in the input. */
  available: number;
  buildingsCovered: number;
  residentsCovered: number;
  /** Share of residents, 0–1. */
  share: number;
}

export interface LifeCircleResult {
  options: { radiusM: number; required: string[]; radiiM: Record<string, number>; minParkAreaM2: number };
  buildings: LifeCircleBuilding[];
  /** Buildings missing at least one category, most residents first. */
  gaps: LifeCircleBuilding[];
  categories: LifeCircleCategoryStat[];
  totals: {
    buildings: number;
    residents: number;
    buildingsAllCovered: number;
    residentsAllCovered: number;
    /** Share of residents with every required category in reach, 0–1. */
    shareAll: number;
    buildingsIgnored: number;
  };
  skipped: { buildings: SkipLog; facilities: SkipLog; parks: SkipLog };
  warnings: string[];
}

// ── Pipe condition (管网年龄) ─────────────────────────────────────────────────────────────

export type AgeClass = "0-10" | "10-20" | "20-30" | "30+";

export interface PipeConditionOptions extends CommonOptions {
  /** The year ages are measured at. Default: the current year. */
  asOfYear?: number;
  /** Gas pipes older than this (and never renewed) are reported. Default 20. */
  gasAgeLimitYears?: number;
}

export interface PipeAgeBucket {
  ageClass: AgeClass;
  count: number;
  lengthKm: number;
  ids: string[];
}

export interface PipeNetworkCondition {
  network: string;
  count: number;
  lengthKm: number;
  /** Segments renewed (renewalYear ≤ asOfYear). */
  renewedCount: number;
  renewedLengthKm: number;
  byAge: PipeAgeBucket[];
}

export interface PipeConditionResult {
  options: { asOfYear: number; gasAgeLimitYears: number };
  /** The five standard networks always (zeros if absent), then any others, by name. */
  networks: PipeNetworkCondition[];
  totals: { count: number; lengthKm: number; byAge: Omit<PipeAgeBucket, "ids">[] };
  /** Gas segments never renewed (as of asOfYear) with asOfYear − installYear > gasAgeLimitYears. */
  gasOverAgeUnrenewed: { count: number; lengthKm: number; ids: string[] };
  skipped: SkipLog;
}

// ── Waterlogging risk (城市内涝) ──────────────────────────────────────────────────────────

export interface WaterloggingWeights {
  /** Recorded risk class of the spot (low ⅓, medium ⅔, high 1). */
  risk: number;
  /** Recorded max water depth, saturating at 50 cm. */
  depth: number;
  /** Drainage deficit: 1 − drainage length / road length within the radius (clamped 0–1). */
  deficit: number;
  /** Share of the nearby drainage length that is undersized or deep. */
  flagged: number;
}

export interface WaterloggingOptions extends CommonOptions {
  /** Default 300 m. */
  radiusM?: number;
  /** Networks that count as drainage. Default ["drainage"]. */
  drainageNetworks?: readonly string[];
  /** Drainage pipes deeper than this (depthM, m) are flagged "deep" (low-lying, slow to drain). Default 4 m. */
  deepPipeDepthM?: number;
  /** Drainage pipes narrower than this (diameterMm) are flagged "undersized". Default 600 mm. */
  minDrainDiameterMm?: number;
  /** Score weights (sum 1). Default risk 0.35, depth 0.25, deficit 0.25, flagged 0.15. */
  weights?: Partial<WaterloggingWeights>;
}

export interface NearbyPipe {
  id: string;
  /** Distance from the spot to the pipe (m). */
  distM: number;
  /** Whole segment length (m). */
  lengthM: number;
  /** Length inside the radius (m). */
  lengthWithinM: number;
  diameterMm?: number;
  depthM?: number;
  deep: boolean;
  undersized: boolean;
}

export interface NearbyRoad {
  id: string;
  distM: number;
  lengthM: number;
  lengthWithinM: number;
  roadClass?: string;
}

export type RiskLevel = "low" | "medium" | "high";

export interface WaterloggingPointResult {
  id: string;
  risk: RiskLevel;
  maxDepthCm?: number;
  /** Drainage pipes within the radius, nearest first. */
  pipes: NearbyPipe[];
  /** Roads within the radius, nearest first. */
  roads: NearbyRoad[];
  drainageLengthWithinM: number;
  roadLengthWithinM: number;
  /** Pipes flagged deep or undersized, and their length within the radius. */
  flaggedPipes: number;
  flaggedLengthWithinM: number;
  /** 0–100. */
  score: number;
  scoreClass: RiskLevel;
}

export interface WaterloggingResult {
  options: {
    radiusM: number;
    drainageNetworks: string[];
    deepPipeDepthM: number;
    minDrainDiameterMm: number;
    weights: WaterloggingWeights;
  };
  /** Highest score first. */
  points: WaterloggingPointResult[];
  totals: {
    points: number;
    byRisk: Record<RiskLevel, number>;
    byScoreClass: Record<RiskLevel, number>;
    meanScore: number;
    pointsWithoutDrainage: number;
    /** Distinct drainage pipes near at least one spot, and how many of them are flagged. */
    drainagePipesNearby: number;
    flaggedPipesNearby: number;
  };
  skipped: { points: SkipLog; pipes: SkipLog; roads: SkipLog };
}
