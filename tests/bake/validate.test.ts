// validateTileset must catch broken tilesets, not only pass good ones.

import { cp, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readGlb, writeGlb, type GltfJson } from "../../scripts/bake/glb";
import { bakeBuildings } from "../../scripts/bake/index";
import { validateTileset } from "../../scripts/bake/validate";
import { smallCity, tempDir, writeJson, cleanupTempDirs } from "./fixtures";

afterAll(cleanupTempDirs);

let good: string;
let work: string;

beforeAll(async () => {
  work = await tempDir("validate");
  const input = await writeJson(work, "b.geojson", smallCity());
  good = join(work, "good");
  // two buildings per leaf → a small tree with internal tiles
  await bakeBuildings(input, good, { maxBuildingsPerTile: 2 });
});

let n = 0;
async function broken(mutate: (tileset: GltfJson, dir: string) => Promise<void> | void): Promise<string> {
  const dir = join(work, `broken-${n++}`);
  await cp(good, dir, { recursive: true });
  const ts = JSON.parse(await readFile(join(dir, "tileset.json"), "utf8"));
  await mutate(ts, dir);
  await writeFile(join(dir, "tileset.json"), JSON.stringify(ts));
  return dir;
}

const firstLeaf = (ts: GltfJson): GltfJson => {
  let t = ts.root;
  while (t.children?.length) t = t.children[0];
  return t;
};

async function editGlb(dir: string, uri: string, edit: (json: GltfJson) => void): Promise<void> {
  const { json, bin } = readGlb(new Uint8Array(await readFile(join(dir, uri))));
  edit(json);
  await writeFile(join(dir, uri), writeGlb(json, bin));
}

describe("validateTileset", () => {
  it("passes the good tileset, which has internal tiles", async () => {
    const r = await validateTileset(good);
    expect(r.errors).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.maxDepth).toBeGreaterThanOrEqual(1);
    expect(r.contentTiles).toBeGreaterThanOrEqual(3);
    expect(r.buildings).toBe(5);
  });

  it("catches a wrong asset version, a child outside its parent, a non-decreasing geometricError, a missing file", async () => {
    const dir = await broken((ts) => {
      ts.asset.version = "1.0";
      const leaf = firstLeaf(ts);
      leaf.boundingVolume.region[2] += 0.01;
      leaf.geometricError = ts.root.geometricError + 1;
      ts.root.children[ts.root.children.length - 1].content = { uri: "tiles/nope.glb" };
    });
    const r = await validateTileset(dir);
    expect(r.ok).toBe(false);
    const all = r.errors.join("\n");
    expect(all).toMatch(/asset.version/);
    expect(all).toMatch(/not inside its parent/);
    expect(all).toMatch(/does not decrease/);
    expect(all).toMatch(/nope\.glb does not exist/);
  });

  it("catches geometry outside its tile region (a wrong transform)", async () => {
    const dir = await broken((ts) => {
      firstLeaf(ts).transform[12] += 500;
    });
    const r = await validateTileset(dir, { khronos: false });
    expect(r.glbs.flatMap((g) => g.errors).join("\n")).toMatch(/outside the tile region/);
    expect(r.ok).toBe(false);
  });

  it("catches a property table that does not match its buffers, and feature ids beyond the table", async () => {
    const dir = await broken(async (ts, d) => {
      await editGlb(d, firstLeaf(ts).content.uri, (json) => {
        json.extensions.EXT_structural_metadata.propertyTables[0].count += 1;
      });
    });
    const r = await validateTileset(dir, { khronos: false });
    expect(r.glbs.flatMap((g) => g.errors).join("\n")).toMatch(/EXT_structural_metadata: property \w+: .*expected/);

    const dir2 = await broken(async (ts, d) => {
      await editGlb(d, firstLeaf(ts).content.uri, (json) => {
        const t = json.extensions.EXT_structural_metadata.propertyTables[0];
        t.count -= 1;
        json.meshes[0].primitives[0].extensions.EXT_mesh_features.featureIds[0].featureCount -= 1;
      });
    });
    const r2 = await validateTileset(dir2, { khronos: false });
    expect(r2.glbs.flatMap((g) => g.errors).join("\n")).toMatch(/feature ids outside/);
  });

  it("reports a missing tileset.json as an error, not a crash", async () => {
    const r = await validateTileset(join(work, "does-not-exist"));
    expect(r.ok).toBe(false);
    expect(r.errors[0]).toMatch(/tileset\.json/);
  });
});
