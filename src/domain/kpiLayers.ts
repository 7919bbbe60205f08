// Which city layers each KPI calculator reads. The cockpit uses it to load only what a view
// needs, and to say "no data: layer X failed" instead of showing a misleading 0.
import type { CityLayer } from "./kpi/types";

const PIPES4: CityLayer[] = ["pipes-gas", "pipes-water", "pipes-drainage", "pipes-heating"];

export const CALCULATOR_LAYERS: Readonly<Record<string, readonly CityLayer[]>> = {
  oldCompoundsRenovated: ["compounds"],
  elevatorsAdded: ["compounds"],
  greenCommunities: ["compounds"],
  smartSecurityCompounds: ["compounds"],
  heatMeteredFloorArea: ["buildings"],
  featuredStreets: ["roads"],
  featuredStreetStalls: ["roads"],
  deadEndRoadsOpened: ["roads"],
  roadsBuiltOrRebuiltKm: ["roads"],
  smartParkingLots: ["parking"],
  publicChargingPiles: ["charging"],
  pocketParks: ["parks", "green"],
  greenAddedOrUpgradedHa: ["parks", "green"],
  greenwaysKm: ["greenways"],
  greenCoverageRatio: ["builtup", "parks", "green", "trees"],
  greenSpaceRatio: ["builtup", "parks", "green"],
  parkGreenPerCapita: ["parks", "buildings"],
  greenWithinReach: ["buildings", "parks", "green"],
  parkWithinReach: ["buildings", "parks"],
  reclaimedPipeKm: ["pipes-reclaimed"],
  pipesBuiltOrRenewedKm: PIPES4,
  oldGasPipesUnrenewed: ["pipes-gas"],
  communityServicePlaces: ["facilities"],
  elderlyCarePlaces: ["facilities"],
  childcarePlaces: ["facilities"],
  spongeCityShare: ["builtup", "landuse"],
  builtUpAreaKm2: ["builtup"],
};

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
