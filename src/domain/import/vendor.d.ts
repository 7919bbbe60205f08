// Type declarations for the two parsers that ship none (only what this project calls).
declare module "shpjs" {
  export function parseShp(shp: DataView | ArrayBuffer | Uint8Array, prj?: string | false): import("geojson").Geometry[];
  export function parseDbf(dbf: DataView | ArrayBuffer | Uint8Array, cpg?: string): Record<string, unknown>[];
  export function parseZip(
    zip: ArrayBuffer | Uint8Array,
  ): Promise<import("geojson").FeatureCollection | import("geojson").FeatureCollection[]>;
}
declare module "osmtogeojson" {
  const osmtogeojson: (
    data: Document | object,
    opts?: { flatProperties?: boolean; uninterestingTags?: Record<string, boolean> | ((tags: object, ignore: object) => boolean) },
  ) => import("geojson").FeatureCollection;
  export default osmtogeojson;
}
