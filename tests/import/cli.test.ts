// npm run import (scripts/import.ts) on a copy of the project's manifests in a temp folder:
// the file lands in public/imported/, the catalog layer points at it (validated), and the
// cockpit's calculator reads the user's count from it; buildings are baked into 3D Tiles.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readGlb } from "../../scripts/bake/glb";
import { decodePropertyTables } from "../../scripts/bake/validate";
import { validateGroundTileset } from "../../scripts/bake/validateGround";
import { importBundle, importIntoProject, isBundle } from "../../scripts/import";
import { bundleFiles, zipBundle } from "../../src/domain/bundle";
import type { LayerSpec } from "../../src/domain/catalog";
import { validateManifests } from "../../src/domain/manifestSet";
import { gbkEncoder } from "../../scripts/import/shapefileWriter";
import { validateCatalog } from "../../src/domain/catalog";
import { publicChargingPiles } from "../../src/domain/kpi";
import { fromWgs84, parseCrs } from "../../src/domain/crs";

const root = mkdtempSync(join(tmpdir(), "wct-import-"));
cpSync("data", join(root, "data"), { recursive: true });
afterAll(() => rmSync(root, { recursive: true, force: true }));
const quiet = () => {};

describe("npm run import", () => {
  it("a GBK CSV of charging piles → --as charging", async () => {
    const csv = join(root, "piles.csv");
    writeFileSync(csv, gbkEncoder()("名称,经度,纬度\n甲,109.78,39.60\n乙,109.79,39.61\n丙,109.80,39.62\n"));
    const r = await importIntoProject({ file: csv, as: "charging", root, log: quiet });
    expect(r).toEqual({ layerId: "charging", features: 3, url: "imported/charging.geojson" });
    const cat = validateCatalog(JSON.parse(readFileSync(join(root, "data/catalog.json"), "utf8")));
    const layer = cat.layers.find((l) => l.id === "charging")!;
    expect(layer.url).toBe("imported/charging.geojson");
    expect(layer.source!.zh).toMatch(/导入：piles\.csv/);
    const fc = JSON.parse(readFileSync(join(root, "public/imported/charging.geojson"), "utf8"));
    expect(fc.features[0].properties.名称).toBe("甲");
    expect(publicChargingPiles({ charging: fc }, { referenceYear: 2024, sinceYear: 2019 }).value).toBe(3);
  });
  it("wrong geometry for the layer → the browser's message", async () => {
    const gj = join(root, "lines.geojson");
    writeFileSync(
      gj,
      JSON.stringify({
        type: "FeatureCollection",
        features: [
          {
            type: "Feature",
            properties: {},
            geometry: {
              type: "LineString",
              coordinates: [
                [109.78, 39.6],
                [109.79, 39.61],
              ],
            },
          },
        ],
      }),
    );
    await expect(importIntoProject({ file: gj, as: "charging", root, log: quiet })).rejects.toThrow(/needs point features/);
    await expect(importIntoProject({ file: gj, as: "nonsense", root, log: quiet })).rejects.toThrow(/no layer with that id or role/);
  });
  it("footprints in CGCS2000 GK zone 37 with building:levels → --as buildings bakes 3D Tiles", async () => {
    const tf = fromWgs84(parseCrs("gk3z:37")!);
    const sq = (x: number, y: number) =>
      [
        [x, y],
        [x + 0.0004, y],
        [x + 0.0004, y + 0.0003],
        [x, y + 0.0003],
        [x, y],
      ].map(([a, b]) => tf(a, b));
    const gj = join(root, "bldg.geojson");
    writeFileSync(
      gj,
      JSON.stringify({
        type: "FeatureCollection",
        features: [0, 1, 2].map((i) => ({
          type: "Feature",
          properties: { "building:levels": 4 + i },
          geometry: { type: "Polygon", coordinates: [sq(109.78 + i * 0.001, 39.6)] },
        })),
      }),
    );
    const r = await importIntoProject({ file: gj, as: "buildings", crs: "EPSG:4525", root, log: quiet });
    expect(r.features).toBe(3);
    expect(existsSync(join(root, "public/imported/tiles/buildings/tileset.json"))).toBe(true);
    const cat = validateCatalog(JSON.parse(readFileSync(join(root, "data/catalog.json"), "utf8")));
    const b = cat.layers.find((l) => l.id === "buildings")!;
    expect(b).toMatchObject({ kind: "3dtiles", url: "imported/tiles/buildings/tileset.json", features: "imported/buildings.geojson" });
    const fc = JSON.parse(readFileSync(join(root, "public/imported/buildings.geojson"), "utf8"));
    expect(fc.features.map((f: { properties: { heightM: number } }) => f.properties.heightM)).toEqual([12, 15, 18]);
    expect(fc.features[0].geometry.coordinates[0][0][0]).toBeCloseTo(109.78, 6);
  });
});

// A ground layer baked to tiles (parks share generated/tiles/ground): the import bakes that
// tileset again from the imported file. In its own temp project whose ground tileset holds the
// parks and a one-lake water layer (the other ground layers unbaked), so the bake is small.
describe("npm run import re-bakes the ground tiles of a layer it replaces", () => {
  const root2 = mkdtempSync(join(tmpdir(), "wct-import-ground-"));
  afterAll(() => rmSync(root2, { recursive: true, force: true }));
  const rect = (x: number, y: number, dx: number, dy: number) => [
    [
      [x, y],
      [x + dx, y],
      [x + dx, y + dy],
      [x, y + dy],
      [x, y],
    ],
  ];
  it("a hand-made parks file --as parks: the ground tileset now holds its two parks (and still the water)", async () => {
    cpSync("data", join(root2, "data"), { recursive: true });
    const catPath = join(root2, "data/catalog.json");
    const cat = JSON.parse(readFileSync(catPath, "utf8")) as { layers: Array<{ id: string; tiles?: string }> };
    for (const l of cat.layers) if (l.tiles && l.id !== "parks" && l.id !== "water") delete l.tiles;
    writeFileSync(catPath, JSON.stringify(cat, null, 1));
    const lake = {
      type: "Feature",
      properties: { id: "w1", name: "湖" },
      geometry: { type: "Polygon", coordinates: rect(109.77, 39.58, 0.01, 0.005) },
    };
    const waterFile = join(root2, "public/generated/city/water.geojson");
    mkdirSync(join(root2, "public/generated/city"), { recursive: true });
    writeFileSync(waterFile, JSON.stringify({ type: "FeatureCollection", features: [lake] }));
    const parks = join(root2, "公园.geojson");
    writeFileSync(
      parks,
      JSON.stringify({
        type: "FeatureCollection",
        features: [
          {
            type: "Feature",
            properties: { name: "人民公园", parkType: "comprehensive" },
            geometry: { type: "Polygon", coordinates: rect(109.78, 39.6, 0.004, 0.003) },
          },
          {
            type: "Feature",
            properties: { name: "滨河公园", parkType: "riverside" },
            geometry: { type: "Polygon", coordinates: rect(109.79, 39.59, 0.003, 0.002) },
          },
        ],
      }),
    );
    const lines: string[] = [];
    const r = await importIntoProject({ file: parks, as: "parks", root: root2, log: (s) => lines.push(s) });
    expect(r).toEqual({ layerId: "parks", features: 2, url: "imported/parks.geojson" });
    expect(lines.join("\n")).toMatch(/baked ground tiles \(water, parks\) → public\/generated\/tiles\/ground: 2 parks feature/);
    const out = join(root2, "public/generated/tiles/ground");
    const ts = JSON.parse(readFileSync(join(out, "tileset.json"), "utf8"));
    expect(ts.asset.extras.layers).toEqual({ water: { features: 1, skipped: 0 }, parks: { features: 2, skipped: 0 } });
    const v = await validateGroundTileset(out);
    expect(v.errors).toEqual([]);
    expect(v.leafFeatures).toEqual({ water: 1, parks: 2 });
    // The parks' own attributes are in the tiles' property tables (what a pick shows).
    const names = new Set<unknown>();
    const walk = (t: { children?: unknown[]; content?: { uri: string } }) => {
      if (t.content) {
        const g = readGlb(new Uint8Array(readFileSync(join(out, t.content.uri))));
        for (const tb of decodePropertyTables(g.json, g.bin)) (tb.columns.name ?? []).forEach((n) => names.add(n));
      }
      (t.children ?? []).forEach((c) => walk(c as typeof t));
    };
    walk(ts.root);
    expect([...names].filter((n) => typeof n === "string" && n.endsWith("公园")).sort()).toEqual(["人民公园", "滨河公园"]);
  }, 120_000);
});

// npm run import -- bundle.zip: the export bundle (what 我的数据 → 导出数据包 saves) goes into the
// project: the layer with a role replaces that role's data, the other is added under 我的数据.
describe("npm run import -- bundle.zip", () => {
  const root3 = mkdtempSync(join(tmpdir(), "wct-import-bundle-"));
  afterAll(() => rmSync(root3, { recursive: true, force: true }));
  it("role layer → replaces the demo layer's data; other layer → added with its settings and shown in the default view", async () => {
    cpSync("data", join(root3, "data"), { recursive: true });
    const read = (f: string) => JSON.parse(readFileSync(join(root3, "data", f), "utf8"));
    const app = validateManifests(
      { catalog: read("catalog.json"), kpis: read("kpis.json"), charts: read("charts.json"), views: read("views.json") },
      "data/",
    );
    const pt = (lon: number, lat: number) => ({
      type: "Feature",
      properties: { 名称: `${lon}` },
      geometry: { type: "Point", coordinates: [lon, lat] },
    });
    const piles = { type: "FeatureCollection", features: [pt(109.78, 39.6), pt(109.79, 39.61), pt(109.8, 39.62), pt(109.81, 39.63)] };
    const lot = {
      type: "FeatureCollection",
      features: [
        {
          type: "Feature",
          properties: { name: "地块" },
          geometry: {
            type: "Polygon",
            coordinates: [
              [
                [109.78, 39.6],
                [109.79, 39.6],
                [109.79, 39.61],
                [109.78, 39.6],
              ],
            ],
          },
        },
      ],
    };
    const spec = (id: string, kind: LayerSpec["kind"]): LayerSpec => ({
      id,
      title: { zh: id, en: id },
      group: "mydata",
      kind,
      url: "blob:x",
      visible: true,
      pickable: true,
      style: { color: { type: "constant", color: "#36cfc9" }, outlineColor: "#ffffff" },
    });
    const zip = zipBundle(
      bundleFiles({
        layers: [
          { spec: spec("my-1", "point"), visible: true, opacity: 1, role: "charging", text: JSON.stringify(piles) },
          { spec: spec("my-2", "polygon"), visible: true, opacity: 0.5, text: JSON.stringify(lot) },
        ],
        city: app.catalog.city,
        views: app.views,
        kpis: app.kpis,
        charts: app.charts,
        demoRoles: Object.fromEntries(app.catalog.layers.filter((l) => l.role).map((l) => [l.id, l.role!])),
      }),
    );
    const file = join(root3, "warmcity-bundle.zip");
    writeFileSync(file, zip);
    expect(isBundle(file)).toBe(true);
    expect(isBundle("tests/fixtures/import/shpjs-train_stations.zip")).toBe(false);
    const r = await importBundle({ file, root: root3, log: quiet });
    expect(r).toEqual({ replaced: ["charging"], added: ["my-2"] });
    // The project still validates as a whole, the piles are the cockpit's, the lot is a layer.
    const m = validateManifests(
      { catalog: read("catalog.json"), kpis: read("kpis.json"), charts: read("charts.json"), views: read("views.json") },
      "data/",
    );
    expect(m.catalog.layers.find((l) => l.id === "charging")!.url).toBe("imported/charging.geojson");
    const fc = JSON.parse(readFileSync(join(root3, "public/imported/charging.geojson"), "utf8"));
    expect(publicChargingPiles({ charging: fc }, { referenceYear: 2024, sinceYear: 2019 }).value).toBe(4);
    const added = m.catalog.layers.find((l) => l.id === "my-2")!;
    expect(added).toMatchObject({ group: "mydata", kind: "polygon", url: "imported/my-2.geojson", visible: true });
    expect(added.style).toMatchObject({ opacity: 0.5, outlineColor: "#ffffff" });
    expect(m.catalog.groups.some((g) => g.id === "mydata")).toBe(true);
    expect(JSON.parse(readFileSync(join(root3, "public/imported/my-2.geojson"), "utf8")).features[0].properties.name).toBe("地块");
    expect(m.views.views.find((v) => v.id === m.views.defaultView)!.layers).toContain("my-2");
    expect(m.views.problems).toEqual({});
  });
});
