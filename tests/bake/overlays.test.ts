// Translucent overlays baked with their outlines (compounds, parking, construction share
// generated/tiles/overlays): the outline rows of the baker on a hand-made fixture whose answers
// can be worked out on paper, the validator's outline checks, and the composed style's outline
// rules evaluated by Cesium itself.

import { readFileSync } from "node:fs";
import { cp, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Cesium3DTileStyle } from "cesium";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bakeGround, groundTilesets, OUTLINE_LIFT_M, type GroundLayerInput } from "../../scripts/bake/ground";
import { readAccessor, readGlb, readPositions, writeGlb, type GltfJson } from "../../scripts/bake/glb";
import { validateGroundTileset } from "../../scripts/bake/validateGround";
import { composeGroundStyle } from "../../src/cesium/groundTiles";
import type { LayerStyle } from "../../src/domain/catalog";
import { filterStyle } from "../../src/domain/inspector/filter";
import { at, cleanupTempDirs, rectRing, tempDir, writeJson } from "./fixtures";
import { fc, MetadataSchema, MetadataTable, poly } from "./groundFixtures";

afterAll(cleanupTempDirs);

/**
 * compounds (outlined, 1.8 m): c-square 100 × 100 m (one ring, 4 sides: 400 m of outline),
 * c-holed 40 × 40 m with a 20 × 20 m hole (two rings, 8 sides: 160 + 80 = 240 m), one broken
 * feature. plain (not outlined, 0 m): p-one 10 × 10 m.
 */
let dir: string;
let out: string;
let layers: GroundLayerInput[];
let result: Awaited<ReturnType<typeof bakeGround>>;
beforeAll(async () => {
  dir = await tempDir("overlays");
  const compounds = await writeJson(
    dir,
    "compounds.geojson",
    fc([
      poly([rectRing(0, 0, 100, 100)], { id: "c-square", renovationYear: 2016, elevatorsAdded: 2 }),
      poly([rectRing(300, 0, 40, 40), rectRing(310, 10, 20, 20).reverse()], { id: "c-holed", renovationYear: 2021, elevatorsAdded: 8 }),
      { type: "Feature", geometry: { type: "Polygon", coordinates: [[at(0, 0)]] }, properties: { id: "c-broken" } },
    ]),
  );
  const plain = await writeJson(dir, "plain.geojson", fc([poly([rectRing(600, 0, 10, 10)], { id: "p-one" })]));
  layers = [
    { id: "plain", kind: "polygon", file: plain, heightM: 0 },
    { id: "compounds", kind: "polygon", file: compounds, heightM: 1.8, outline: true },
  ];
  out = join(dir, "out");
  result = await bakeGround(layers, out);
});

function glb(root: string) {
  const ts = JSON.parse(readFileSync(join(root, "tileset.json"), "utf8"));
  return readGlb(new Uint8Array(readFileSync(join(root, ts.root.content.uri))));
}

function table(g: { json: GltfJson; bin: Uint8Array }) {
  const ext = g.json.extensions.EXT_structural_metadata;
  const schema = MetadataSchema.fromJson(ext.schema);
  const t = ext.propertyTables[0];
  const bufferViews: Record<string, Uint8Array> = {};
  for (const p of Object.values<GltfJson>(t.properties))
    for (const k of [p.values, p.stringOffsets]) {
      if (k === undefined) continue;
      const bv = g.json.bufferViews[k];
      bufferViews[k] = g.bin.slice(bv.byteOffset, bv.byteOffset + bv.byteLength);
    }
  const mt = new MetadataTable({ count: t.count, properties: t.properties, class: schema.classes[t.class], bufferViews });
  const feature = (i: number) => ({
    getProperty: (n: string) => mt.getProperty(i, n),
    getPropertyInherited: (n: string) => mt.getProperty(i, n),
  });
  return { count: t.count as number, get: (i: number, n: string) => mt.getProperty(i, n), feature };
}

/** Rows keyed `id` (fills) and `id:outline` (outlines). */
function rowKeys(t: ReturnType<typeof table>): string[] {
  return Array.from({ length: t.count }, (_, i) => `${t.get(i, "id")}${t.get(i, "part") ? `:${t.get(i, "part")}` : ""}`);
}

describe("outlines baked with their polygons", () => {
  it("counts polygons as features and outlines apart, and skips the broken one", () => {
    expect(result.layers).toEqual({ plain: { features: 1, skipped: 0 }, compounds: { features: 2, skipped: 1, outlines: 2 } });
    const ts = JSON.parse(readFileSync(join(out, "tileset.json"), "utf8"));
    expect(ts.asset.extras.layers).toEqual(result.layers);
    expect(ts.asset.extras.featureCount).toBe(3);
    // one leaf (root error 0): not drawing the tileset leaves out all of it, 610 m × 100 m across
    // (Cesium skips a tileset whose own error is under the screen-space limit)
    expect(ts.root.geometricError).toBe(0);
    expect(ts.geometricError).toBeCloseTo(Math.hypot(610, 100), 0);
    // 4 sides of c-square + 4 outer and 4 hole sides of c-holed
    expect(result.lineSegments).toBe(12);
  });

  it("passes the Khronos validator and the ground checks, outlines counted apart", async () => {
    const r = await validateGroundTileset(out);
    expect(r.errors).toEqual([]);
    expect(r.glbs.flatMap((g) => [...g.errors, ...g.warnings])).toEqual([]);
    expect(r.khronos.errors).toBe(0);
    expect(r.khronos.warnings).toBe(0);
    expect(r.leafFeatures).toEqual({ plain: 1, compounds: 2 });
    expect(r.leafOutlines).toEqual({ compounds: 2 });
  });

  it("a second mesh of lines holds the outline rows, which copy their polygon's id and properties", () => {
    const g = glb(out);
    expect(g.json.meshes).toHaveLength(2);
    expect(g.json.meshes[0].primitives[0].mode).toBe(4);
    const lines = g.json.meshes[1].primitives[0];
    expect(lines.mode).toBe(1);
    const t = table(g);
    // fills first (catalog order top first: compounds above plain), then the outlines
    expect(rowKeys(t).sort()).toEqual(["c-holed", "c-holed:outline", "c-square", "c-square:outline", "p-one"]);
    for (let i = 0; i < t.count; i++)
      if (t.get(i, "part") === "outline") {
        const fill = Array.from({ length: t.count }, (_, k) => k).find((k) => t.get(k, "id") === t.get(i, "id") && !t.get(k, "part"))!;
        for (const n of ["layer", "renovationYear", "elevatorsAdded"]) expect(t.get(i, n)).toBe(t.get(fill, n));
      }
    expect(g.json.meshes[0].primitives[0].extensions.EXT_mesh_features.featureIds[0].featureCount).toBe(3);
    expect(lines.extensions.EXT_mesh_features.featureIds[0].featureCount).toBe(2);
  });

  it("outline lengths and heights match the hand-worked answers (400 m and 240 m, 0.3 m above the fill)", () => {
    const g = glb(out);
    const t = table(g);
    const prim = g.json.meshes[1].primitives[0];
    const pos = readPositions(g.json, g.bin, prim.attributes.POSITION, 1);
    const fid = readAccessor(g.json, g.bin, prim.attributes._FEATURE_ID_0);
    const idx = readAccessor(g.json, g.bin, prim.indices);
    const length: Record<string, number> = {};
    for (let s = 0; s < idx.length; s += 2) {
      const [a, b] = [idx[s], idx[s + 1]];
      const key = String(t.get(fid[a], "id"));
      length[key] = (length[key] ?? 0) + Math.hypot(pos[3 * b] - pos[3 * a], pos[3 * b + 2] - pos[3 * a + 2]);
    }
    // quantization steps of ≤ 1 cm over this ~600 m fixture
    expect(length["c-square"]).toBeCloseTo(400, 0);
    expect(length["c-holed"]).toBeCloseTo(240, 0);
    // local up near the frame origin (curvature adds < 3 cm over 300 m)
    for (let v = 0; v < fid.length; v++) expect(pos[3 * v + 1]).toBeCloseTo(1.8 + OUTLINE_LIFT_M, 1);
  });

  it("is deterministic: baking twice gives byte-identical files", async () => {
    const again = join(dir, "again");
    await bakeGround(layers, again);
    const bytes = (root: string) => [readFileSync(join(root, "tileset.json")), Buffer.from(writeGlb(glb(root).json, glb(root).bin))];
    const [a, b] = [bytes(out), bytes(again)];
    a.forEach((x, i) => expect(Buffer.compare(x, b[i])).toBe(0));
  });

  it("the validator catches an outline without its fill and a wrong outline count", async () => {
    const d = join(dir, "broken");
    await cp(out, d, { recursive: true });
    const ts = JSON.parse(readFileSync(join(d, "tileset.json"), "utf8"));
    ts.asset.extras.layers.compounds.outlines = 3;
    await writeFile(join(d, "tileset.json"), JSON.stringify(ts));
    const r = await validateGroundTileset(d);
    expect(r.errors).toContain("layer compounds: the leaves hold 2 outlines, asset.extras.layers says 3");
  });
});

describe("composeGroundStyle with outlines (evaluated by Cesium)", () => {
  const ramp: LayerStyle = {
    color: {
      type: "ramp",
      property: "elevatorsAdded",
      stops: [
        [0, "#ffb347"],
        [10, "#ff3d6e"],
      ],
    },
    outlineColor: "#ffc470",
  };
  const plain: LayerStyle = { color: { type: "constant", color: "#123456" } };
  function evaluate(members: Parameters<typeof composeGroundStyle>[0], picked?: { layer: string; id: string }) {
    const t = table(glb(out));
    const style = new Cesium3DTileStyle(composeGroundStyle(members, picked));
    const byKey: Record<string, { show: boolean; color: string }> = {};
    rowKeys(t).forEach((k, i) => {
      byKey[k] = {
        show: (style.show as unknown as { evaluate(f: unknown): boolean }).evaluate(t.feature(i)),
        color: (style.color as unknown as { evaluateColor(f: unknown): { toCssHexString(): string } })
          .evaluateColor(t.feature(i))
          .toCssHexString(),
      };
    });
    return byKey;
  }

  it("outlines take the outlineColor at min(1, 1.6 × opacity); fills keep their rule at the opacity", () => {
    const s = evaluate([
      { id: "compounds", visible: true, opacity: 0.5, style: ramp, outlines: true },
      { id: "plain", visible: true, opacity: 1, style: plain },
    ]);
    // 0.5 × 1.6 = 0.8 → alpha byte 204 (cc)
    expect(s["c-square:outline"]).toEqual({ show: true, color: "#ffc470cc" });
    expect(s["c-holed:outline"]).toEqual({ show: true, color: "#ffc470cc" });
    // fills: the ramp at alpha 0.5 (0x80): 2 lifts → 1/5 of the way from #ffb347 to #ff3d6e (sampled in 16 steps)
    expect(s["c-square"].show).toBe(true);
    expect(s["c-square"].color.endsWith("80")).toBe(true);
    expect(s["c-square"].color).not.toBe(s["c-square:outline"].color);
    expect(s["p-one"]).toEqual({ show: true, color: "#123456" });
    // opacity 0.9 → 1.44, capped at 1
    expect(evaluate([{ id: "compounds", visible: true, opacity: 0.9, style: ramp, outlines: true }])["c-square:outline"].color).toBe(
      "#ffc470",
    );
  });

  it("a filter hides a polygon and its outline together; the other member is untouched", () => {
    const s = evaluate([
      {
        id: "compounds",
        visible: true,
        opacity: 0.45,
        style: filterStyle(ramp, { renovationYear: { min: 2015, max: 2019 } }),
        outlines: true,
      },
      { id: "plain", visible: true, opacity: 1, style: plain },
    ]);
    expect([s["c-square"].show, s["c-square:outline"].show]).toEqual([true, true]);
    expect([s["c-holed"].show, s["c-holed:outline"].show]).toEqual([false, false]);
    expect(s["p-one"].show).toBe(true);
  });

  it("a picked polygon is highlighted whole, outline included", () => {
    const s = evaluate([{ id: "compounds", visible: true, opacity: 0.45, style: ramp, outlines: true }], {
      layer: "compounds",
      id: "c-holed",
    });
    expect(s["c-holed"].color).toBe("#ffd54a");
    expect(s["c-holed:outline"].color).toBe("#ffd54a");
    expect(s["c-square:outline"].color).toBe("#ffc470b8"); // 0.45 × 1.6 = 0.72 → 184
  });

  it("a style without an outlineColor hides the baked outlines and keeps the fills", () => {
    const s = evaluate([{ id: "compounds", visible: true, opacity: 1, style: { color: ramp.color }, outlines: true }]);
    expect([s["c-square"].show, s["c-square:outline"].show, s["c-holed:outline"].show]).toEqual([true, false, false]);
    // no outlines in the tileset (a member without them): no `part` in the expressions at all
    expect(JSON.stringify(composeGroundStyle([{ id: "x", visible: true, opacity: 1, style: ramp }]))).not.toContain("part");
  });
});

describe("groundTilesets(catalog) and outlines", () => {
  it("outlines a baked polygon layer whose style has an outlineColor, and only that", () => {
    const cat = {
      layers: [
        { id: "a", kind: "polygon", url: "c/a.geojson", tiles: "t/o/tileset.json", style: { outlineColor: "#fff", heightOffsetM: 1.8 } },
        { id: "b", kind: "polygon", url: "c/b.geojson", tiles: "t/o/tileset.json" },
        { id: "c", kind: "line", url: "c/c.geojson", tiles: "t/o/tileset.json", style: { outlineColor: "#fff" } },
      ],
    };
    expect(groundTilesets(cat, "/pub")[0].layers.map((l) => [l.id, !!l.outline])).toEqual([
      ["a", true],
      ["b", false],
      ["c", false],
    ]);
    // the demo catalog: the three translucent overlays share one tileset, outlined
    const real = JSON.parse(readFileSync(join(__dirname, "../../data/catalog.json"), "utf8"));
    const overlays = groundTilesets(real, "/pub").find((t) => t.url === "generated/tiles/overlays/tileset.json");
    expect(overlays?.layers.map((l) => [l.id, !!l.outline])).toEqual([
      ["parking", true],
      ["compounds", true],
      ["construction", true],
    ]);
  });
});
