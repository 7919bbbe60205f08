// npm run import (scripts/import.ts) on a copy of the project's manifests in a temp folder:
// the file lands in public/imported/, the catalog layer points at it (validated), and the
// cockpit's calculator reads the user's count from it; buildings are baked into 3D Tiles.
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { importIntoProject } from "../../scripts/import";
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
