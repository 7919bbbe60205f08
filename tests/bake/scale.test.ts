// A seeded synthetic 5,000-building city, baked with small leaves so the quadtree has several
// levels; the whole tileset must validate (Khronos + structure + extensions + placement).

import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readGlb } from "../../scripts/bake/glb";
import { bakeBuildings } from "../../scripts/bake/index";
import { syntheticBuildings } from "../../scripts/bake/synthetic";
import { validateTileset } from "../../scripts/bake/validate";
import { tempDir, writeJson, cleanupTempDirs } from "./fixtures";

afterAll(cleanupTempDirs);

describe("bakeBuildings at scale", () => {
  it("bakes 5,000 synthetic buildings into a multi-level quadtree that validates", async () => {
    const dir = await tempDir("scale");
    const input = await writeJson(dir, "syn.geojson", syntheticBuildings(5000, { seed: 42 }));
    const t0 = performance.now();
    const result = await bakeBuildings(input, join(dir, "out"), { maxBuildingsPerTile: 400 });
    const bakeMs = performance.now() - t0;
    expect(result.buildings).toBe(5000);
    expect(result.input.skipped).toBe(0);
    expect(result.maxDepth).toBeGreaterThanOrEqual(3);
    expect(result.contentTiles).toBeGreaterThanOrEqual(13);

    const t1 = performance.now();
    const report = await validateTileset(join(dir, "out"));
    const validateMs = performance.now() - t1;
    expect(report.errors).toEqual([]);
    expect(report.glbs.flatMap((g) => g.errors)).toEqual([]);
    expect(report.khronos.errors).toBe(0);
    expect(report.khronos.warnings).toBe(0);
    expect(report.ok).toBe(true);
    expect(report.buildings).toBe(5000);
    expect(report.tiles).toBe(result.tiles);
    expect(report.glbs.length).toBe(result.contentTiles);
    for (const g of report.glbs) expect(g.features).toBeLessThanOrEqual(400);
    console.log(
      `5k synthetic: ${result.contentTiles}/${result.tiles} tiles, depth ${result.maxDepth}, ${(result.bytes / 1e6).toFixed(1)} MB, ` +
        `${result.vertices} vertices; bake ${bakeMs.toFixed(0)} ms, validate ${validateMs.toFixed(0)} ms; ` +
        `Khronos infos ${JSON.stringify(report.khronos.byCode)}`,
    );
  });

  it("switches to uint32 indices when a tile has more than 65,535 vertices", async () => {
    const dir = await tempDir("scale32");
    const input = await writeJson(dir, "syn.geojson", syntheticBuildings(4000, { seed: 7 }));
    const result = await bakeBuildings(input, join(dir, "out"), { maxBuildingsPerTile: 4000 });
    expect(result.contentTiles).toBe(1);
    expect(result.vertices).toBeGreaterThan(65535);
    const ts = JSON.parse(await readFile(join(dir, "out", "tileset.json"), "utf8"));
    const { json } = readGlb(new Uint8Array(await readFile(join(dir, "out", ts.root.content.uri))));
    expect(json.accessors[json.meshes[0].primitives[0].indices].componentType).toBe(5125);
    const report = await validateTileset(join(dir, "out"));
    expect(report.ok).toBe(true);
    expect(report.khronos.warnings).toBe(0);
  });
});
