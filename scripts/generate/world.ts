// The generator's working set: every layer's features as they are being made. Geometry is
// WGS84 (already rounded); a few kinds keep their local layout too, so calibration can
// resize them (green strips, tree strips) and regenerate their polygons.

import type { LineString, MultiPolygon, Point, Polygon } from "geojson";
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
} from "../../src/domain/citySchema";
import type { CityData } from "../../src/domain/kpi/types";
import { type Box, type Frame, type Ring, type V2, boxRing } from "./geo";

export type AreaGeom = Polygon | MultiPolygon;

export interface Rec<P, G = AreaGeom> {
  props: P;
  geometry: G;
}

/** A rectangle of green whose width along `axis` is scaled by the calibration factor. */
export interface StripRec {
  props: GreenProps;
  frame: Frame;
  /** The largest the strip may be (it never grows beyond this: no overlaps). */
  box: Box;
  axis: "u" | "v";
  /** Where a reclaimed-water lateral joins the main, and the far end of the strip. */
  feed?: [V2, V2];
}

/** A street-tree canopy strip along a road, width scaled by the calibration. */
export interface TreeStripRec {
  props: TreeCoverProps;
  frame: Frame;
  /** Centre line of the road side (start, end), the side's outward unit normal and the offset of the strip's inner edge. */
  a: V2;
  b: V2;
  n: V2;
  inner: number;
  /** Relative width (1 = the base width). */
  weight: number;
  maxWidthM: number;
}

export class World {
  districts: Rec<DistrictProps>[] = [];
  builtup: Rec<BuiltUpProps>[] = [];
  landuse: Rec<LandUseProps>[] = [];
  roads: Rec<RoadProps, LineString>[] = [];
  buildings: Rec<BuildingProps>[] = [];
  water: Rec<WaterProps>[] = [];
  parks: Rec<ParkProps>[] = [];
  green: Rec<GreenProps>[] = [];
  strips: StripRec[] = [];
  /** Strip scale factor (calibrated). */
  stripK = 1;
  treeStrips: TreeStripRec[] = [];
  /** Tree strip base width in metres (calibrated). */
  treeWidthM = 3;
  greenways: Rec<GreenwayProps, LineString>[] = [];
  pipes: Record<PipeNetwork, Rec<PipeProps, LineString>[]> = { gas: [], water: [], drainage: [], heating: [], reclaimed: [] };
  charging: Rec<ChargingProps, Point>[] = [];
  parking: Rec<ParkingProps>[] = [];
  compounds: Rec<CompoundProps>[] = [];
  construction: Rec<ConstructionProps>[] = [];
  waterlogging: Rec<WaterloggingProps, Point>[] = [];
  facilities: Rec<FacilityProps, Point>[] = [];

  /** Local boxes of parking lots (by id), for placing charging piles inside them. */
  parkingLocal = new Map<string, { frame: Frame; box: Box }>();

  private counters = new Map<string, number>();
  /** Sequential ids per prefix: "bld-kbs-000001". */
  id(prefix: string, district?: District): string {
    const key = district ? `${prefix}-${district === "kangbashi" ? "kbs" : "ds"}` : prefix;
    const n = (this.counters.get(key) ?? 0) + 1;
    this.counters.set(key, n);
    return `${key}-${String(n).padStart(6, "0")}`;
  }
}

export function polygon(frame: Frame, outer: Ring, holes: Ring[] = []): Polygon {
  return { type: "Polygon", coordinates: [frame.ring(outer), ...holes.map((h) => frame.hole(h))] };
}
export function boxPolygon(frame: Frame, b: Box): Polygon {
  return polygon(frame, boxRing(b));
}
export function lineString(frame: Frame, pts: V2[]): LineString {
  return { type: "LineString", coordinates: frame.line(pts) };
}
export function point(frame: Frame, p: V2): Point {
  return { type: "Point", coordinates: frame.toLonLat(p[0], p[1]) };
}

export function scaledStripBox(s: StripRec, k: number): Box {
  const b = s.box;
  if (s.axis === "v") {
    const c = (b.v0 + b.v1) / 2;
    const h = ((b.v1 - b.v0) * k) / 2;
    return { u0: b.u0, u1: b.u1, v0: c - h, v1: c + h };
  }
  const c = (b.u0 + b.u1) / 2;
  const w = ((b.u1 - b.u0) * k) / 2;
  return { u0: c - w, u1: c + w, v0: b.v0, v1: b.v1 };
}

export function treeStripPolygon(t: TreeStripRec, widthM: number): Polygon {
  const w = Math.min(t.maxWidthM, widthM * t.weight);
  const p = (base: V2, d: number): V2 => [base[0] + t.n[0] * d, base[1] + t.n[1] * d];
  return polygon(t.frame, [p(t.a, t.inner), p(t.b, t.inner), p(t.b, t.inner + w), p(t.a, t.inner + w)]);
}

const fc = <P, G>(recs: Rec<P, G>[]) => ({
  type: "FeatureCollection" as const,
  features: recs.map((r) => ({ type: "Feature" as const, properties: r.props, geometry: r.geometry })),
});

/** Green layer = fixed green + strips at the current scale factor. */
export function greenRecs(w: World): Rec<GreenProps>[] {
  return [...w.green, ...w.strips.map((s) => ({ props: s.props, geometry: boxPolygon(s.frame, scaledStripBox(s, w.stripK)) }))];
}
export function treeRecs(w: World): Rec<TreeCoverProps>[] {
  return w.treeStrips.map((t) => ({ props: t.props, geometry: treeStripPolygon(t, w.treeWidthM) }));
}

/** The world as the KPI calculators see it. */
export function cityData(w: World): CityData {
  return {
    districts: fc(w.districts),
    builtup: fc(w.builtup),
    landuse: fc(w.landuse),
    roads: fc(w.roads),
    buildings: fc(w.buildings),
    water: fc(w.water),
    parks: fc(w.parks),
    green: fc(greenRecs(w)),
    trees: fc(treeRecs(w)),
    greenways: fc(w.greenways),
    "pipes-gas": fc(w.pipes.gas),
    "pipes-water": fc(w.pipes.water),
    "pipes-drainage": fc(w.pipes.drainage),
    "pipes-heating": fc(w.pipes.heating),
    "pipes-reclaimed": fc(w.pipes.reclaimed),
    charging: fc(w.charging),
    parking: fc(w.parking),
    compounds: fc(w.compounds),
    construction: fc(w.construction),
    waterlogging: fc(w.waterlogging),
    facilities: fc(w.facilities),
  };
}
