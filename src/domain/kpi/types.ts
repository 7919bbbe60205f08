// Types shared by the KPI calculators. A city is a bag of GeoJSON FeatureCollections keyed by
// layer name (the same names as the generated files, `<layer>.geojson`). Any layer may be
// missing: calculators treat a missing layer as empty, and skip features with bad geometry or
// properties instead of throwing (bad data degrades, it never crashes).

import type { FeatureCollection, LineString, MultiLineString, MultiPolygon, Point, Polygon } from "geojson";
import type {
  BuildingProps,
  BuiltUpProps,
  ChargingProps,
  CompoundProps,
  ConstructionProps,
  District,
  DistrictProps,
  FacilityProps,
  GreenProps,
  GreenwayProps,
  LandUseProps,
  ParkProps,
  ParkingProps,
  PipeNetwork,
  PipeProps,
  RoadProps,
  TreeCoverProps,
  WaterloggingProps,
  WaterProps,
} from "../citySchema";

export type PolygonFC<P> = FeatureCollection<Polygon | MultiPolygon, P>;
export type LineFC<P> = FeatureCollection<LineString | MultiLineString, P>;
export type PointFC<P> = FeatureCollection<Point, P>;

export const PIPE_NETWORKS: readonly PipeNetwork[] = ["gas", "water", "drainage", "heating", "reclaimed"];

/** Every layer of the demo city, in the order files are written. */
export const CITY_LAYERS = [
  "districts",
  "builtup",
  "landuse",
  "roads",
  "buildings",
  "water",
  "parks",
  "green",
  "trees",
  "greenways",
  "pipes-gas",
  "pipes-water",
  "pipes-drainage",
  "pipes-heating",
  "pipes-reclaimed",
  "charging",
  "parking",
  "compounds",
  "construction",
  "waterlogging",
  "facilities",
] as const;
export type CityLayer = (typeof CITY_LAYERS)[number];

export interface CityData {
  districts?: PolygonFC<DistrictProps>;
  builtup?: PolygonFC<BuiltUpProps>;
  landuse?: PolygonFC<LandUseProps>;
  roads?: LineFC<RoadProps>;
  buildings?: PolygonFC<BuildingProps>;
  water?: PolygonFC<WaterProps>;
  parks?: PolygonFC<ParkProps>;
  green?: PolygonFC<GreenProps>;
  trees?: PolygonFC<TreeCoverProps>;
  greenways?: LineFC<GreenwayProps>;
  "pipes-gas"?: LineFC<PipeProps>;
  "pipes-water"?: LineFC<PipeProps>;
  "pipes-drainage"?: LineFC<PipeProps>;
  "pipes-heating"?: LineFC<PipeProps>;
  "pipes-reclaimed"?: LineFC<PipeProps>;
  charging?: PointFC<ChargingProps>;
  parking?: PolygonFC<ParkingProps>;
  compounds?: PolygonFC<CompoundProps>;
  construction?: PolygonFC<ConstructionProps>;
  waterlogging?: PointFC<WaterloggingProps>;
  facilities?: PointFC<FacilityProps>;
}

/** Units are codes; the manifest carries the labels shown to people. */
export type KpiUnit = "count" | "km" | "km²" | "ha" | "%" | "m²" | "m²/person";

export interface KpiValue {
  value: number;
  unit: KpiUnit;
}

export interface KpiOptions {
  /** "As of" year for ages (e.g. gas pipes older than 20 years). Passed in, never Date.now(). */
  referenceYear: number;
  /** First year of the reporting window for "built or renewed" style figures (inclusive). */
  sinceYear: number;
  /** Restricts building-based figures (heat metering) to one district. */
  district?: District;
  /** Radius for reach analyses, metres. */
  radiusM?: number;
  /** Smallest target polygon that counts for reach analyses, m². */
  minAreaM2?: number;
  /** Age limit in years for the old-gas-pipe count. */
  maxAgeYears?: number;
}

export type Calculator = (city: CityData, opts: KpiOptions) => KpiValue;
