// Which city layers each KPI calculator reads. The cockpit uses it to load only what a view
// needs, and to say "no data: layer X failed" instead of showing a misleading 0.
import * as calc from "./kpi/calculators";
import type { Calculator, CityLayer } from "./kpi/types";

const PIPES4: CityLayer[] = ["pipes-gas", "pipes-water", "pipes-drainage", "pipes-heating"];

/**
 * THE registry of KPI calculators: each name with its function and the city layers it reads.
 * CALCULATORS (kpi/index.ts) and CALCULATOR_LAYERS are derived from it, and computeKpis lets a
 * calculator see only the layers it declares here, so a missing declaration fails loudly
 * instead of silently computing from a layer the cockpit never loaded.
 */
export const CALCULATOR_DEFS = {
  oldCompoundsRenovated: { fn: calc.oldCompoundsRenovated, layers: ["compounds"] },
  elevatorsAdded: { fn: calc.elevatorsAdded, layers: ["compounds"] },
  greenCommunities: { fn: calc.greenCommunities, layers: ["compounds"] },
  smartSecurityCompounds: { fn: calc.smartSecurityCompounds, layers: ["compounds"] },
  heatMeteredFloorArea: { fn: calc.heatMeteredFloorArea, layers: ["buildings"] },
  featuredStreets: { fn: calc.featuredStreets, layers: ["roads"] },
  featuredStreetStalls: { fn: calc.featuredStreetStalls, layers: ["roads"] },
  deadEndRoadsOpened: { fn: calc.deadEndRoadsOpened, layers: ["roads"] },
  roadsBuiltOrRebuiltKm: { fn: calc.roadsBuiltOrRebuiltKm, layers: ["roads"] },
  smartParkingLots: { fn: calc.smartParkingLots, layers: ["parking"] },
  publicChargingPiles: { fn: calc.publicChargingPiles, layers: ["charging"] },
  pocketParks: { fn: calc.pocketParks, layers: ["parks", "green"] },
  greenAddedOrUpgradedHa: { fn: calc.greenAddedOrUpgradedHa, layers: ["parks", "green"] },
  greenwaysKm: { fn: calc.greenwaysKm, layers: ["greenways"] },
  greenCoverageRatio: { fn: calc.greenCoverageRatio, layers: ["builtup", "parks", "green", "trees"] },
  greenSpaceRatio: { fn: calc.greenSpaceRatio, layers: ["builtup", "parks", "green"] },
  parkGreenPerCapita: { fn: calc.parkGreenPerCapita, layers: ["parks", "buildings"] },
  greenWithinReach: { fn: calc.greenWithinReach, layers: ["buildings", "parks", "green"] },
  // reach() measures both distances, so it reads "green" too (found by the declaration check).
  parkWithinReach: { fn: calc.parkWithinReach, layers: ["buildings", "parks", "green"] },
  reclaimedPipeKm: { fn: calc.reclaimedPipeKm, layers: ["pipes-reclaimed"] },
  pipesBuiltOrRenewedKm: { fn: calc.pipesBuiltOrRenewedKm, layers: PIPES4 },
  oldGasPipesUnrenewed: { fn: calc.oldGasPipesUnrenewed, layers: ["pipes-gas"] },
  communityServicePlaces: { fn: calc.communityServicePlaces, layers: ["facilities"] },
  elderlyCarePlaces: { fn: calc.elderlyCarePlaces, layers: ["facilities"] },
  childcarePlaces: { fn: calc.childcarePlaces, layers: ["facilities"] },
  spongeCityShare: { fn: calc.spongeCityShare, layers: ["builtup", "landuse"] },
  builtUpAreaKm2: { fn: calc.builtUpAreaKm2, layers: ["builtup"] },
} as const satisfies Record<string, { fn: Calculator; layers: readonly CityLayer[] }>;

export const CALCULATOR_LAYERS: Readonly<Record<string, readonly CityLayer[]>> = Object.fromEntries(
  Object.entries(CALCULATOR_DEFS).map(([name, d]) => [name, d.layers]),
);

export function layersForCalculator(name: string): readonly CityLayer[] {
  return CALCULATOR_LAYERS[name] ?? [];
}

/** City layers the planning analyses (analysisLayers.ts) read, besides the KPI calculators'. */
export const ANALYSIS_INPUT_LAYERS: readonly CityLayer[] = [
  "buildings",
  "parks",
  "green",
  "facilities",
  "waterlogging",
  "roads",
  "pipes-gas",
  "pipes-water",
  "pipes-drainage",
  "pipes-heating",
  "pipes-reclaimed",
];

/**
 * Roles a layer can play for the cockpit: exactly the city layers the calculators and analyses
 * read (derived, never listed twice). A catalog layer declares its role; an imported layer is
 * swapped in for one.
 */
export const ROLES: readonly CityLayer[] = [...new Set([...Object.values(CALCULATOR_LAYERS).flat(), ...ANALYSIS_INPUT_LAYERS])];
