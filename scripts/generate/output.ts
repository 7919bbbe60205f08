// Writing GeoJSON deterministically: one feature per line, properties in schema order
// (undefined dropped), coordinates already rounded to 7 decimals. Same input → same bytes.

import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Geometry } from "geojson";

const COMMON = ["id", "name", "district", "source"];
export const KEY_ORDER: Record<string, string[]> = {
  districts: ["adcode", "name", "nameEn", "source"],
  builtup: [...COMMON, "areaM2"],
  landuse: [...COMMON, "landUse", "builtUp", "sponge"],
  roads: [...COMMON, "roadClass", "widthM", "builtYear", "deadEndOpened", "featuredStreet", "stalls", "bridge"],
  buildings: [
    ...COMMON,
    "use",
    "floors",
    "heightM",
    "yearBuilt",
    "compoundId",
    "residents",
    "heatMetered",
    "floorAreaM2",
    "landmark",
    "elevatorsAdded",
  ],
  water: [...COMMON, "waterType"],
  parks: [...COMMON, "parkType", "areaM2", "year"],
  green: [...COMMON, "greenType", "pocket", "year"],
  trees: [...COMMON, "canopy"],
  greenways: [...COMMON, "greenwayType"],
  pipes: [...COMMON, "network", "material", "diameterMm", "depthM", "installYear", "renewalYear", "pressureClass"],
  charging: [...COMMON, "status", "powerKw", "operator", "parkingId"],
  parking: [...COMMON, "smart", "spaces"],
  compounds: [...COMMON, "builtYear", "renovationYear", "elevatorsAdded", "households", "greenCommunity", "smartSecurity"],
  construction: [...COMMON, "projectType", "status", "startYear"],
  waterlogging: [...COMMON, "risk", "maxDepthCm"],
  facilities: [...COMMON, "facilityType"],
};

export function orderProps(layer: string, p: object): Record<string, unknown> {
  const src = p as Record<string, unknown>;
  const order = KEY_ORDER[layer.startsWith("pipes-") ? "pipes" : layer] ?? [];
  const out: Record<string, unknown> = {};
  for (const k of order) if (src[k] !== undefined) out[k] = src[k];
  for (const k of Object.keys(src).sort()) if (!(k in out) && src[k] !== undefined) out[k] = src[k];
  return out;
}

export interface Feat {
  props: object;
  geometry: Geometry;
}

export function featureCollectionText(layer: string, feats: Feat[]): string {
  const lines = feats.map((f) => {
    const props = orderProps(layer, f.props);
    const id = props.id ?? (typeof props.adcode === "number" ? `district-${props.adcode}` : undefined);
    return JSON.stringify({ type: "Feature", id, properties: props, geometry: f.geometry });
  });
  return `{"type":"FeatureCollection","name":${JSON.stringify(layer)},"features":[\n${lines.join(",\n")}\n]}\n`;
}

export function writeLayer(outDir: string, layer: string, feats: Feat[]): { file: string; bytes: number } {
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, `${layer}.geojson`);
  const text = featureCollectionText(layer, feats);
  writeFileSync(file, text);
  return { file, bytes: Buffer.byteLength(text) };
}
