// KPI maths for the cockpit and the generator's calibration. Pure: GeoJSON in, numbers out.

import * as calc from "./calculators";
import type { KpiManifest } from "./manifest";
import type { Calculator, CityData, KpiOptions, KpiValue } from "./types";

export * from "./types";
export * from "./manifest";
export * from "./calculators";
export { RegionClipper, areaM2, lengthKm } from "./geo";

/** Every calculator by name; manifests refer to these names. */
export const CALCULATORS: Readonly<Record<string, Calculator>> = {
  oldCompoundsRenovated: calc.oldCompoundsRenovated,
  elevatorsAdded: calc.elevatorsAdded,
  greenCommunities: calc.greenCommunities,
  smartSecurityCompounds: calc.smartSecurityCompounds,
  heatMeteredFloorArea: calc.heatMeteredFloorArea,
  featuredStreets: calc.featuredStreets,
  featuredStreetStalls: calc.featuredStreetStalls,
  deadEndRoadsOpened: calc.deadEndRoadsOpened,
  roadsBuiltOrRebuiltKm: calc.roadsBuiltOrRebuiltKm,
  smartParkingLots: calc.smartParkingLots,
  publicChargingPiles: calc.publicChargingPiles,
  pocketParks: calc.pocketParks,
  greenAddedOrUpgradedHa: calc.greenAddedOrUpgradedHa,
  greenwaysKm: calc.greenwaysKm,
  greenCoverageRatio: calc.greenCoverageRatio,
  greenSpaceRatio: calc.greenSpaceRatio,
  parkGreenPerCapita: calc.parkGreenPerCapita,
  greenWithinReach: calc.greenWithinReach,
  parkWithinReach: calc.parkWithinReach,
  reclaimedPipeKm: calc.reclaimedPipeKm,
  pipesBuiltOrRenewedKm: calc.pipesBuiltOrRenewedKm,
  oldGasPipesUnrenewed: calc.oldGasPipesUnrenewed,
  communityServicePlaces: calc.communityServicePlaces,
  elderlyCarePlaces: calc.elderlyCarePlaces,
  childcarePlaces: calc.childcarePlaces,
  spongeCityShare: calc.spongeCityShare,
  builtUpAreaKm2: calc.builtUpAreaKm2,
};

export interface ComputeKpisOptions extends Partial<KpiOptions> {
  /** With a manifest: results are keyed by KPI id, each with its own params merged in. */
  manifest?: KpiManifest;
  /** Only these ids (manifest) or calculator names (no manifest). */
  only?: readonly string[];
}

/**
 * Computes KPIs. With a manifest, one entry per manifest KPI (keyed by its id); without, one
 * per calculator (keyed by its name). A calculator that throws on bad data yields NaN for that
 * KPI instead of failing the whole panel.
 */
export function computeKpis(city: CityData, opts: ComputeKpisOptions = {}): Record<string, KpiValue> {
  const { manifest, only, ...rest } = opts;
  const base: KpiOptions = {
    referenceYear: rest.referenceYear ?? manifest?.params.referenceYear ?? NaN,
    sinceYear: rest.sinceYear ?? manifest?.params.sinceYear ?? NaN,
    ...withoutUndefined(manifest?.params ?? {}),
    ...withoutUndefined(rest),
  };
  const jobs: Array<[string, string, Partial<KpiOptions>]> = manifest
    ? manifest.kpis.map((k) => [k.id, k.calculator, k.params ?? {}])
    : Object.keys(CALCULATORS).map((n) => [n, n, {}]);
  const out: Record<string, KpiValue> = {};
  for (const [id, name, params] of jobs) {
    if (only && !only.includes(id)) continue;
    const fn = CALCULATORS[name];
    if (!fn) {
      out[id] = { value: NaN, unit: "count" };
      continue;
    }
    try {
      out[id] = fn(city, { ...base, ...withoutUndefined(params) });
    } catch {
      out[id] = { value: NaN, unit: "count" };
    }
  }
  return out;
}

function withoutUndefined<T extends object>(o: T): Partial<T> {
  const r: Partial<T> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) (r as Record<string, unknown>)[k] = v;
  return r;
}
