// "300 m to green, 500 m to a park" (300米见绿、500米见园): for each residential building, the
// distance from its footprint centroid to the nearest green space (parks ∪ green land, edge
// or inside) and to the nearest park, with residents-weighted shares.
import { loadPolygons, share } from "./common";
import { featureList, residentialBuildings, Skips, type FeaturesInput } from "./features";
import { projectionForFeatures } from "./projection";
import { PolygonIndex } from "./spatial";
import type { GreenAccessBuilding, GreenAccessOptions, GreenAccessResult, SkipLog } from "./types";

export function resolveGreenAccessOptions(o: GreenAccessOptions): GreenAccessResult["options"] {
  return {
    greenRadiusM: o.greenRadiusM ?? 300,
    parkRadiusM: o.parkRadiusM ?? 500,
    minGreenAreaM2: o.minGreenAreaM2 ?? 400,
    minParkAreaM2: o.minParkAreaM2 ?? 10_000,
  };
}

/** Totals from per-building rows (shared with the naive version so both summarise alike). */
export function summariseGreenAccess(
  options: GreenAccessResult["options"],
  rows: GreenAccessBuilding[],
  buildingsIgnored: number,
  greenSpaces: GreenAccessResult["greenSpaces"],
  parks: GreenAccessResult["parks"],
  skipped: { buildings: SkipLog; green: SkipLog; parks: SkipLog },
): GreenAccessResult {
  let residents = 0;
  let rg = 0;
  let rp = 0;
  let rb = 0;
  let ug = 0;
  let up = 0;
  let u = 0;
  for (const b of rows) {
    residents += b.residents;
    if (b.greenOk) rg += b.residents;
    else ug++;
    if (b.parkOk) rp += b.residents;
    else up++;
    if (b.greenOk && b.parkOk) rb += b.residents;
    else u++;
  }
  return {
    options,
    buildings: rows,
    totals: {
      buildings: rows.length,
      residents,
      residentsGreenOk: rg,
      residentsParkOk: rp,
      residentsBothOk: rb,
      shareGreen: share(rg, residents),
      sharePark: share(rp, residents),
      shareBoth: share(rb, residents),
      buildingsUncovered: u,
      buildingsGreenUncovered: ug,
      buildingsParkUncovered: up,
      buildingsIgnored,
    },
    greenSpaces,
    parks,
    skipped,
  };
}

/**
 * @param buildings buildings layer (Polygon/MultiPolygon, props use + residents)
 * @param greens green-land layer (green.geojson)
 * @param parks parks layer (parks.geojson); parks count as green spaces too
 */
export function greenAccess(
  buildings: FeaturesInput,
  greens: FeaturesInput,
  parks: FeaturesInput,
  options: GreenAccessOptions = {},
): GreenAccessResult {
  const o = resolveGreenAccessOptions(options);
  const proj = options.projection ?? projectionForFeatures(featureList(buildings), featureList(greens), featureList(parks));
  const bSkips = new Skips();
  const gSkips = new Skips();
  const pSkips = new Skips();
  const { buildings: homes, ignored } = residentialBuildings(buildings, proj, bSkips);
  const parkPolys = loadPolygons(parks, proj, pSkips);
  const greenPolys = loadPolygons(greens, proj, gSkips);

  const allGreen = [...parkPolys, ...greenPolys];
  const greenOk = allGreen.filter((g) => g.areaM2 >= o.minGreenAreaM2);
  const parkOk = parkPolys.filter((g) => g.areaM2 >= o.minParkAreaM2);
  const greenIndex = new PolygonIndex(greenOk.map((g) => g.polygons));
  const parkIndex = new PolygonIndex(parkOk.map((g) => g.polygons));

  const rows: GreenAccessBuilding[] = homes.map((b) => {
    const dG = greenIndex.distance(b.x, b.y, o.greenRadiusM);
    const dP = parkIndex.distance(b.x, b.y, o.parkRadiusM);
    return {
      id: b.id,
      residents: b.residents,
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
