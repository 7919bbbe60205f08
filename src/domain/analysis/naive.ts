// Naive twins of the analyses: every pair, measured with turf on the sphere (geodesic
// point-to-line distances, booleanPointInPolygon, haversine). Slow by design — they are the
// benchmark baseline and the reference the indexed versions are cross-checked against. They
// share the attribute rules and the summaries with the indexed versions, so any difference
// in the results comes from the geometry alone.
import {
  along,
  area,
  booleanPointInPolygon,
  centerOfMass,
  circle,
  distance,
  length,
  lineSplit,
  lineString,
  point,
  pointToLineDistance,
} from "@turf/turf";
import type { Feature, LineString, MultiPolygon, Polygon, Position } from "geojson";
import { featureList, idOf, propsOf, rawFeature, residentsOf, Skips, type FeaturesInput } from "./features";
import { resolveGreenAccessOptions, summariseGreenAccess } from "./greenAccess";
import { resolveLifeCircleOptions, summariseLifeCircle } from "./lifeCircle";
import { pipeAttrs, PipeConditionBuilder, resolvePipeConditionOptions } from "./pipeCondition";
import type {
  GreenAccessBuilding,
  GreenAccessOptions,
  GreenAccessResult,
  LifeCircleBuilding,
  LifeCircleOptions,
  LifeCircleResult,
  NearbyPipe,
  NearbyRoad,
  PipeConditionOptions,
  PipeConditionResult,
  WaterloggingOptions,
  WaterloggingPointResult,
  WaterloggingResult,
} from "./types";
import { drainAttrs, pipeFlags, resolveWaterloggingOptions, scoreSpot, spotAttrs, summariseWaterlogging } from "./waterloggingRisk";

const M = { units: "meters" as const };

interface NaivePolygon {
  id: string;
  feature: Feature<Polygon | MultiPolygon>;
  rings: Feature<LineString>[];
  areaM2: number;
}

function naivePolygons(input: FeaturesInput, skips: Skips): NaivePolygon[] {
  const out: NaivePolygon[] = [];
  featureList(input).forEach((f0, i) => {
    const f = rawFeature(f0);
    if (!f) return skips.skip("not a feature");
    const g = f.geometry;
    if (!g || (g.type !== "Polygon" && g.type !== "MultiPolygon") || !Array.isArray(g.coordinates)) return skips.skip("not a polygon");
    const polys = (g.type === "Polygon" ? [g.coordinates] : g.coordinates) as Position[][][];
    try {
      const rings = polys.flat().map((r) => lineString(r));
      const feature = { type: "Feature", properties: {}, geometry: g } as Feature<Polygon | MultiPolygon>;
      out.push({ id: idOf(f, propsOf(f), i), feature, rings, areaM2: area(feature) });
    } catch {
      skips.skip("invalid polygon coordinates");
    }
  });
  return out;
}

/** 0 inside, else the geodesic distance to the nearest ring (m). */
function naivePolygonDistance(pt: Position, poly: NaivePolygon): number {
  if (booleanPointInPolygon(pt, poly.feature)) return 0;
  let d = Infinity;
  for (const r of poly.rings) d = Math.min(d, pointToLineDistance(pt, r, M));
  return d;
}

interface NaiveHome {
  id: string;
  residents: number;
  at: Position;
}

function naiveHomes(input: FeaturesInput, skips: Skips): { homes: NaiveHome[]; ignored: number } {
  const homes: NaiveHome[] = [];
  let ignored = 0;
  featureList(input).forEach((f0, i) => {
    const f = rawFeature(f0);
    if (!f) return skips.skip("not a feature");
    const p = propsOf(f);
    const cls = residentsOf(p);
    if (cls === "ignored") return void ignored++;
    if (typeof cls === "string") return skips.skip(cls);
    const g = f.geometry;
    if (!g || (g.type !== "Polygon" && g.type !== "MultiPolygon")) return skips.skip("not a polygon");
    try {
      const c = centerOfMass({ type: "Feature", properties: {}, geometry: g } as Feature<Polygon>);
      homes.push({ id: idOf(f, p, i), residents: cls, at: c.geometry.coordinates });
    } catch {
      skips.skip("invalid polygon coordinates");
    }
  });
  return { homes, ignored };
}

export function naiveGreenAccess(
  buildings: FeaturesInput,
  greens: FeaturesInput,
  parks: FeaturesInput,
  options: GreenAccessOptions = {},
): GreenAccessResult {
  const o = resolveGreenAccessOptions(options);
  const bSkips = new Skips();
  const gSkips = new Skips();
  const pSkips = new Skips();
  const { homes, ignored } = naiveHomes(buildings, bSkips);
  const parkPolys = naivePolygons(parks, pSkips);
  const allGreen = [...parkPolys, ...naivePolygons(greens, gSkips)];
  const greenOk = allGreen.filter((g) => g.areaM2 >= o.minGreenAreaM2);
  const parkOk = parkPolys.filter((g) => g.areaM2 >= o.minParkAreaM2);
  const nearest = (pt: Position, polys: NaivePolygon[]) => {
    let d = Infinity;
    for (const p of polys) d = Math.min(d, naivePolygonDistance(pt, p));
    return Number.isFinite(d) ? d : undefined;
  };
  const rows: GreenAccessBuilding[] = homes.map((h) => {
    const dG = nearest(h.at, greenOk);
    const dP = nearest(h.at, parkOk);
    return {
      id: h.id,
      residents: h.residents,
      greenOk: dG !== undefined && dG <= o.greenRadiusM,
      parkOk: dP !== undefined && dP <= o.parkRadiusM,
      distGreenM: dG,
      distParkM: dP,
    };
  });
  return summariseGreenAccess(
    o,
    rows,
    ignored,
    { counted: greenOk.length, belowMinArea: allGreen.length - greenOk.length },
    { counted: parkOk.length, belowMinArea: parkPolys.length - parkOk.length },
    { buildings: bSkips.toJSON(), green: gSkips.toJSON(), parks: pSkips.toJSON() },
  );
}

export function naiveLifeCircle(
  buildings: FeaturesInput,
  facilities: FeaturesInput,
  parks: FeaturesInput,
  options: LifeCircleOptions = {},
): LifeCircleResult {
  const o = resolveLifeCircleOptions(options);
  const bSkips = new Skips();
  const fSkips = new Skips();
  const pSkips = new Skips();
  const { homes, ignored } = naiveHomes(buildings, bSkips);
  const facs: { type: string; at: Position }[] = [];
  featureList(facilities).forEach((f0) => {
    const f = rawFeature(f0);
    if (!f) return fSkips.skip("not a feature");
    const p = propsOf(f);
    if (typeof p.facilityType !== "string" || !p.facilityType) return fSkips.skip("missing facilityType");
    const g = f.geometry;
    if (!g || g.type !== "Point" || !Array.isArray(g.coordinates)) return fSkips.skip("not a point");
    facs.push({ type: p.facilityType, at: g.coordinates as Position });
  });
  const parkPolys = naivePolygons(parks, pSkips).filter((p) => p.areaM2 >= o.minParkAreaM2);
  const available: Record<string, number> = {};
  for (const c of o.required) available[c] = c === "park" ? parkPolys.length : facs.filter((f) => f.type === c).length;

  const rows: LifeCircleBuilding[] = homes.map((h) => {
    const covered: string[] = [];
    const missing: string[] = [];
    for (const c of o.required) {
      const r = o.radiiM[c];
      const ok =
        c === "park"
          ? parkPolys.some((p) => naivePolygonDistance(h.at, p) <= r)
          : facs.some((f) => f.type === c && distance(h.at, f.at, M) <= r);
      (ok ? covered : missing).push(c);
    }
    return { id: h.id, residents: h.residents, covered, missing };
  });
  return summariseLifeCircle(o, rows, available, ignored, {
    buildings: bSkips.toJSON(),
    facilities: fSkips.toJSON(),
    parks: pSkips.toJSON(),
  });
}

function lineParts(g: { type?: unknown; coordinates?: unknown } | null | undefined): Feature<LineString>[] | undefined {
  if (!g || !Array.isArray(g.coordinates)) return undefined;
  const parts = g.type === "LineString" ? [g.coordinates] : g.type === "MultiLineString" ? g.coordinates : undefined;
  if (!parts) return undefined;
  try {
    return (parts as Position[][]).map((c) => lineString(c));
  } catch {
    return undefined;
  }
}

export function naivePipeCondition(pipes: FeaturesInput, options: PipeConditionOptions = {}): PipeConditionResult {
  const o = resolvePipeConditionOptions(options);
  const skips = new Skips();
  const acc = new PipeConditionBuilder(o);
  featureList(pipes).forEach((f0, i) => {
    const f = rawFeature(f0);
    if (!f) return skips.skip("not a feature");
    const p = propsOf(f);
    const a = pipeAttrs(p, o.asOfYear);
    if (typeof a === "string") return skips.skip(a);
    const parts = lineParts(f.geometry);
    if (!parts) return skips.skip("not a line");
    acc.add(
      idOf(f, p, i),
      a,
      parts.reduce((s, l) => s + length(l, { units: "kilometers" }), 0),
    );
  });
  return acc.result(skips);
}

/** Geodesic length of a line inside a 256-gon circle (turf.lineSplit, midpoint test per piece). */
function naiveLengthWithin(line: Feature<LineString>, disc: Feature<Polygon>): number {
  let s = 0;
  // lineSplit returns nothing (not the line) when the line does not cross the splitter.
  const pieces = lineSplit(line, disc).features;
  for (const piece of pieces.length ? pieces : [line]) {
    const len = length(piece, M);
    if (len > 0 && booleanPointInPolygon(along(piece, len / 2, M), disc)) s += len;
  }
  return s;
}

export function naiveWaterloggingRisk(
  points: FeaturesInput,
  pipes: FeaturesInput,
  roads: FeaturesInput,
  options: WaterloggingOptions = {},
): WaterloggingResult {
  const o = resolveWaterloggingOptions(options);
  const r = o.radiusM;
  const ptSkips = new Skips();
  const pipeSkips = new Skips();
  const roadSkips = new Skips();
  const drains: { attrs: Exclude<ReturnType<typeof drainAttrs>, string>; parts: Feature<LineString>[] }[] = [];
  featureList(pipes).forEach((f0, i) => {
    const f = rawFeature(f0);
    if (!f) return pipeSkips.skip("not a feature");
    const p = propsOf(f);
    const a = drainAttrs(p, idOf(f, p, i), o.drainageNetworks);
    if (a === "other") return;
    if (typeof a === "string") return pipeSkips.skip(a);
    const parts = lineParts(f.geometry);
    if (!parts) return pipeSkips.skip("not a line");
    drains.push({ attrs: a, parts });
  });
  const roadList: { id: string; roadClass?: string; parts: Feature<LineString>[] }[] = [];
  featureList(roads).forEach((f0, i) => {
    const f = rawFeature(f0);
    if (!f) return roadSkips.skip("not a feature");
    const p = propsOf(f);
    const parts = lineParts(f.geometry);
    if (!parts) return roadSkips.skip("not a line");
    roadList.push({ id: idOf(f, p, i), roadClass: typeof p.roadClass === "string" ? p.roadClass : undefined, parts });
  });

  const near = (at: Position, parts: Feature<LineString>[], disc: () => Feature<Polygon>) => {
    let d = Infinity;
    for (const l of parts) d = Math.min(d, pointToLineDistance(at, l, M));
    if (d > r) return undefined;
    const c = disc();
    return {
      distM: d,
      lengthM: parts.reduce((s, l) => s + length(l, M), 0),
      lengthWithinM: parts.reduce((s, l) => s + naiveLengthWithin(l, c), 0),
    };
  };

  const results: WaterloggingPointResult[] = [];
  featureList(points).forEach((f0, i) => {
    const f = rawFeature(f0);
    if (!f) return ptSkips.skip("not a feature");
    const p = propsOf(f);
    const spot = spotAttrs(p, idOf(f, p, i));
    if (typeof spot === "string") return ptSkips.skip(spot);
    const g = f.geometry;
    if (!g || g.type !== "Point" || !Array.isArray(g.coordinates)) return ptSkips.skip("not a point");
    const at = g.coordinates as Position;
    let discCache: Feature<Polygon> | undefined;
    const disc = () => (discCache ??= circle(point(at), r, { steps: 256, units: "meters" }));
    const nearPipes: NearbyPipe[] = [];
    for (const d of drains) {
      const n = near(at, d.parts, disc);
      if (n) nearPipes.push({ id: d.attrs.id, ...n, diameterMm: d.attrs.diameterMm, depthM: d.attrs.depthM, ...pipeFlags(d.attrs, o) });
    }
    const nearRoads: NearbyRoad[] = [];
    for (const d of roadList) {
      const n = near(at, d.parts, disc);
      if (n) nearRoads.push({ id: d.id, ...n, roadClass: d.roadClass });
    }
    results.push(scoreSpot(spot, nearPipes, nearRoads, o));
  });
  return summariseWaterlogging(o, results, { points: ptSkips.toJSON(), pipes: pipeSkips.toJSON(), roads: roadSkips.toJSON() });
}
