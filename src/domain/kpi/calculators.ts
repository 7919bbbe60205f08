// The KPI calculators: pure functions from city layers to one number with a unit. They are
// the single source of truth for the cockpit's figures AND for the generator's calibration
// (scripts/generate calibrates the demo city with these same functions), so a definition
// written here is the definition everywhere.
//
// Definitions (the choices a reader would otherwise have to guess):
// - "Built or renewed" (pipes, roads, green land): installYear/builtYear/year, or renewalYear,
//   falls in [sinceYear, referenceYear]. The window is a manifest parameter (data/kpis.json).
// - Gas pipes "older than N years left unrenewed": referenceYear − installYear > N and no
//   renewalYear ≤ referenceYear. N defaults to 20.
// - Green coverage = (parks + green + tree canopy) inside the built-up area ÷ built-up area.
//   Green space ratio = (parks + green) inside the built-up area ÷ built-up area. The three
//   layers are disjoint by contract (a parcel is in one layer), so areas are summed, not
//   unioned; each feature is clipped to the built-up outline.
// - Park green per capita = total area of the parks layer ÷ total residents of all buildings.
// - Pocket parks and small green spaces = parks with parkType "pocket" + green with pocket=true.
// - Reach ("300 m to green, 500 m to a park") = share of residents whose building centroid is
//   within radiusM of a qualifying polygon (area ≥ minAreaM2), straight-line distance.

import { greenAccess } from "../analysis";
import type { Feature, Geometry } from "geojson";
import type { BuildingProps, FacilityType, PipeProps } from "../citySchema";
import { RegionClipper, areaM2, isPolygonal, lengthKm } from "./geo";
import type { Calculator, CityData, KpiOptions, KpiValue } from "./types";

type Props = Record<string, unknown>;
const feats = <P = unknown>(fc: { features?: Feature<Geometry | null, P>[] } | undefined): Feature<Geometry | null, P>[] =>
  fc && Array.isArray(fc.features) ? fc.features : [];
const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
const props = (f: Feature<Geometry | null, unknown>): Props =>
  f && typeof f.properties === "object" && f.properties !== null ? (f.properties as Props) : {};

const count = (value: number): KpiValue => ({ value, unit: "count" });
const inWindow = (year: number | undefined, o: KpiOptions): boolean => year !== undefined && year >= o.sinceYear && year <= o.referenceYear;

// ---------------------------------------------------------------- housing (智慧住房)

export const oldCompoundsRenovated: Calculator = (city) =>
  count(feats(city.compounds).filter((f) => num(props(f).renovationYear) !== undefined).length);

export const elevatorsAdded: Calculator = (city) =>
  count(feats(city.compounds).reduce((s, f) => s + Math.max(0, num(props(f).elevatorsAdded) ?? 0), 0));

export const greenCommunities: Calculator = (city) => count(feats(city.compounds).filter((f) => props(f).greenCommunity === true).length);

export const smartSecurityCompounds: Calculator = (city) =>
  count(feats(city.compounds).filter((f) => props(f).smartSecurity === true).length);

/** Heated floor area with heat metering (m²), optionally for one district. */
export const heatMeteredFloorArea: Calculator = (city, o) => {
  let s = 0;
  for (const f of feats(city.buildings)) {
    const p = props(f) as Partial<BuildingProps>;
    if (p.heatMetered !== true) continue;
    if (o.district && p.district !== o.district) continue;
    s += Math.max(0, num(p.floorAreaM2) ?? 0);
  }
  return { value: s, unit: "m²" };
};

// ---------------------------------------------------------------- streets and traffic

export const featuredStreets: Calculator = (city) => {
  const names = new Set<string>();
  for (const f of feats(city.roads)) {
    const n = props(f).featuredStreet;
    if (typeof n === "string" && n) names.add(n);
  }
  return count(names.size);
};

export const featuredStreetStalls: Calculator = (city) =>
  count(feats(city.roads).reduce((s, f) => s + Math.max(0, num(props(f).stalls) ?? 0), 0));

export const deadEndRoadsOpened: Calculator = (city) => count(feats(city.roads).filter((f) => props(f).deadEndOpened === true).length);

export const roadsBuiltOrRebuiltKm: Calculator = (city, o) => {
  let km = 0;
  for (const f of feats(city.roads)) if (inWindow(num(props(f).builtYear), o)) km += lengthKm(f.geometry);
  return { value: km, unit: "km" };
};

export const smartParkingLots: Calculator = (city) => count(feats(city.parking).filter((f) => props(f).smart === true).length);

/** Every feature of the charging layer is one public charging pile. */
export const publicChargingPiles: Calculator = (city) =>
  count(feats(city.charging).filter((f) => f.geometry && f.geometry.type === "Point").length);

// ---------------------------------------------------------------- green (园林绿化)

export const pocketParks: Calculator = (city) =>
  count(
    feats(city.parks).filter((f) => props(f).parkType === "pocket").length +
      feats(city.green).filter((f) => props(f).pocket === true).length,
  );

export const greenAddedOrUpgradedHa: Calculator = (city, o) => {
  let m2 = 0;
  for (const f of [...feats(city.parks), ...feats(city.green)]) if (inWindow(num(props(f).year), o)) m2 += areaM2(f.geometry);
  return { value: m2 / 1e4, unit: "ha" };
};

export const greenwaysKm: Calculator = (city) => ({
  value: feats(city.greenways).reduce((s, f) => s + lengthKm(f.geometry), 0),
  unit: "km",
});

function builtUpClipper(city: CityData): RegionClipper {
  return new RegionClipper(
    feats(city.builtup)
      .map((f) => f.geometry)
      .filter(isPolygonal),
  );
}

/** Area (m²) of the given layers' polygons inside the built-up area. */
export function areaInBuiltUpM2(city: CityData, layers: Array<"parks" | "green" | "trees">, clip = builtUpClipper(city)): number {
  let s = 0;
  for (const l of layers) for (const f of feats<unknown>(city[l])) s += clip.areaInsideM2(f.geometry);
  return s;
}

const ratio = (part: number, whole: number): KpiValue => ({ value: whole > 0 ? (100 * part) / whole : 0, unit: "%" });

export const greenCoverageRatio: Calculator = (city) => {
  const clip = builtUpClipper(city);
  return ratio(areaInBuiltUpM2(city, ["parks", "green", "trees"], clip), clip.regionAreaM2);
};

export const greenSpaceRatio: Calculator = (city) => {
  const clip = builtUpClipper(city);
  return ratio(areaInBuiltUpM2(city, ["parks", "green"], clip), clip.regionAreaM2);
};

export function totalResidents(city: CityData): number {
  return feats(city.buildings).reduce((s, f) => s + Math.max(0, num(props(f).residents) ?? 0), 0);
}

export function parkAreaM2(city: CityData): number {
  return feats(city.parks).reduce((s, f) => s + areaM2(f.geometry), 0);
}

export const parkGreenPerCapita: Calculator = (city) => {
  const people = totalResidents(city);
  return { value: people > 0 ? parkAreaM2(city) / people : 0, unit: "m²/person" };
};

/** Share (%) of residents living within radiusM of one of the target polygons. */
// "300米见绿、500米见园": the planning analysis (spatially indexed, src/domain/analysis) is
// the one implementation; the KPIs report its residents-weighted shares.
function reach(city: CityData, o: KpiOptions) {
  return greenAccess(feats(city.buildings), feats(city.green), feats(city.parks), {
    greenRadiusM: o.radiusM ?? 300,
    parkRadiusM: o.radiusM ?? 500,
    minGreenAreaM2: o.minAreaM2 ?? 400,
    minParkAreaM2: o.minAreaM2 ?? 10_000,
  }).totals;
}

export const greenWithinReach: Calculator = (city, o) => ({ value: 100 * reach(city, o).shareGreen, unit: "%" });

export const parkWithinReach: Calculator = (city, o) => ({ value: 100 * reach(city, o).sharePark, unit: "%" });

// ---------------------------------------------------------------- underground (地下管网)

export const reclaimedPipeKm: Calculator = (city) => ({
  value: feats(city["pipes-reclaimed"]).reduce((s, f) => s + lengthKm(f.geometry), 0),
  unit: "km",
});

export function pipeBuiltOrRenewed(p: Partial<PipeProps>, o: KpiOptions): boolean {
  return inWindow(num(p.installYear), o) || inWindow(num(p.renewalYear), o);
}

/** Gas + water supply + drainage + heating pipes built or renewed in the window, km. */
export const pipesBuiltOrRenewedKm: Calculator = (city, o) => {
  let km = 0;
  for (const layer of ["pipes-gas", "pipes-water", "pipes-drainage", "pipes-heating"] as const)
    for (const f of feats(city[layer])) if (pipeBuiltOrRenewed(props(f) as Partial<PipeProps>, o)) km += lengthKm(f.geometry);
  return { value: km, unit: "km" };
};

export function isOldUnrenewedGasPipe(p: Partial<PipeProps>, o: KpiOptions): boolean {
  const installed = num(p.installYear);
  if (installed === undefined) return false;
  const renewed = num(p.renewalYear);
  if (renewed !== undefined && renewed <= o.referenceYear) return false;
  return o.referenceYear - installed > (o.maxAgeYears ?? 20);
}

export const oldGasPipesUnrenewed: Calculator = (city, o) =>
  count(feats(city["pipes-gas"]).filter((f) => isOldUnrenewedGasPipe(props(f) as Partial<PipeProps>, o)).length);

// ---------------------------------------------------------------- people (一老一小, 15-minute life circle)

const facilityCount =
  (t: FacilityType): Calculator =>
  (city) =>
    count(feats(city.facilities).filter((f) => props(f).facilityType === t).length);

export const communityServicePlaces = facilityCount("community-service");
export const elderlyCarePlaces = facilityCount("elderly-care");
export const childcarePlaces = facilityCount("childcare");

// ---------------------------------------------------------------- sponge city

/** Share (%) of the built-up area covered by land-use blocks flagged as sponge-city compliant. */
export const spongeCityShare: Calculator = (city) => {
  const clip = builtUpClipper(city);
  let s = 0;
  for (const f of feats(city.landuse)) if (props(f).sponge === true) s += clip.areaInsideM2(f.geometry);
  return ratio(s, clip.regionAreaM2);
};

export const builtUpAreaKm2: Calculator = (city) => ({ value: builtUpClipper(city).regionAreaM2 / 1e6, unit: "km²" });
