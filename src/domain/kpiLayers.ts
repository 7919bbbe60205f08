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
