// Shared by the ground and overlay baker tests: GeoJSON builders and Cesium's metadata reader.
import * as Cesium from "cesium";

// Not in Cesium's public typings, but what Cesium3DTileFeature reads metadata through.
export const { MetadataSchema, MetadataTable } = Cesium as unknown as {
  MetadataSchema: { fromJson(json: object): { classes: Record<string, unknown> } };
  MetadataTable: new (o: object) => { getProperty(i: number, name: string): unknown };
};

export const fc = (features: object[]) => ({ type: "FeatureCollection", features });
export const poly = (rings: number[][][], properties: object) => ({
  type: "Feature",
  geometry: { type: "Polygon", coordinates: rings },
  properties,
});
