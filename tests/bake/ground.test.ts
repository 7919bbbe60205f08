// The ground baker on hand-made fixtures whose answers can be worked out on paper, the ground
// validator on broken tilesets, the style composition evaluated by Cesium itself, and the real
// demo city's ground tilesets (what `npm run data` serves) through the validators.

import { existsSync, readFileSync } from "node:fs";
import { cp, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Cesium3DTileStyle } from "cesium";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bakeGround, groundTilesets, type GroundLayerInput } from "../../scripts/bake/ground";
import { readAccessor, readGlb, readPositions, writeGlb, type GltfJson } from "../../scripts/bake/glb";
import { validateGroundTileset } from "../../scripts/bake/validateGround";
import { composeGroundStyle } from "../../src/cesium/groundTiles";
import { filterStyle } from "../../src/domain/inspector/filter";
import { at, cleanupTempDirs, rectRing, tempDir, writeJson } from "./fixtures";
import { fc, MetadataSchema, MetadataTable, poly } from "./groundFixtures";

afterAll(cleanupTempDirs);

const line = (coords: number[][], properties: object) => ({
  type: "Feature",
  geometry: { type: "LineString", coordinates: coords },
  properties,
});

/**
 * landuse: lu-square 100 × 100 m (10,000 m²); lu-holed 40 × 40 m with a 20 × 20 m hole
 * (1,200 m²). roads: road-straight 200 m × 10 m (2,000 m²); road-L 100 m east then 100 m north,
 * 20 m wide, mitred (4,000 m²). parks: park-tiny 5 × 5 m (25 m²). Plus one broken feature.
 */
function fixtures(dir: string) {
  const hole = rectRing(510, 10, 20, 20).reverse();
  return Promise.all([
    writeJson(
      dir,
      "landuse.geojson",
      fc([
        poly([rectRing(0, 0, 100, 100)], { id: "lu-square", landUse: "residential", builtUp: true, areaM2: 10000 }),
        poly([rectRing(500, 0, 40, 40), hole], { id: "lu-holed", landUse: "green", builtUp: false }),
        { type: "Feature", geometry: null, properties: { id: "lu-broken" } },
      ]),
    ),
    writeJson(
      dir,
      "roads.geojson",
      fc([
        line([at(0, 300), at(200, 300)], { id: "road-straight", roadClass: "branch", widthM: 10 }),
        line([at(300, 300), at(400, 300), at(400, 400)], { id: "road-L", roadClass: "arterial", widthM: 20 }),
      ]),
    ),
    writeJson(dir, "parks.geojson", fc([poly([rectRing(10, 10, 5, 5)], { id: "park-tiny", parkType: "pocket", name: "口袋公园" })])),
  ]);
}

let dir: string;
let layers: GroundLayerInput[];
let out: string;
let result: Awaited<ReturnType<typeof bakeGround>>;

beforeAll(async () => {
  dir = await tempDir("ground");
  const [lu, rd, pk] = await fixtures(dir);
  layers = [
    { id: "landuse", kind: "polygon", file: lu, heightM: 0 },
    { id: "roads", kind: "line", file: rd, heightM: 2 },
    { id: "parks", kind: "polygon", file: pk, heightM: 0.9 },
  ];
  out = join(dir, "out");
  result = await bakeGround(layers, out);
});

/** Every leaf glb of a tileset, decoded. */
function leafGlbs(root: string): Array<{ json: GltfJson; bin: Uint8Array }> {
  const ts = JSON.parse(readFileSync(join(root, "tileset.json"), "utf8"));
  const out: Array<{ json: GltfJson; bin: Uint8Array }> = [];
  const walk = (t: GltfJson) => {
    if (!t.children?.length) {
      if (t.content) out.push(readGlb(new Uint8Array(readFileSync(join(root, t.content.uri)))));
    } else t.children.forEach(walk);
  };
  walk(ts.root);
  return out;
}

function cesiumTable(g: { json: GltfJson; bin: Uint8Array }) {
  const ext = g.json.extensions.EXT_structural_metadata;
  const schema = MetadataSchema.fromJson(ext.schema);
  const table = ext.propertyTables[0];
  const bufferViews: Record<string, Uint8Array> = {};
  for (const p of Object.values<GltfJson>(table.properties))
    for (const k of [p.values, p.stringOffsets]) {
      if (k === undefined) continue;
      const bv = g.json.bufferViews[k];
      bufferViews[k] = g.bin.slice(bv.byteOffset, bv.byteOffset + bv.byteLength);
    }
  return {
    count: table.count as number,
    mt: new MetadataTable({ count: table.count, properties: table.properties, class: schema.classes[table.class], bufferViews }),
  };
}

/** Triangle area per feature id (m², in the tile plane) of a glb's single primitive. */
function areaByFeature(g: { json: GltfJson; bin: Uint8Array }): number[] {
  const prim = g.json.meshes[0].primitives[0];
  const pos = readPositions(g.json, g.bin, prim.attributes.POSITION);
  const fid = readAccessor(g.json, g.bin, prim.attributes._FEATURE_ID_0);
  const idx = readAccessor(g.json, g.bin, prim.indices);
  const area: number[] = [];
  for (let t = 0; t < idx.length; t += 3) {
    const [a, b, c] = [idx[t], idx[t + 1], idx[t + 2]];
    const cr =
      (pos[3 * b] - pos[3 * a]) * (-pos[3 * c + 2] + pos[3 * a + 2]) - (-pos[3 * b + 2] + pos[3 * a + 2]) * (pos[3 * c] - pos[3 * a]);
    area[fid[a]] = (area[fid[a]] ?? 0) + cr / 2;
  }
  return area;
}

describe("bakeGround on hand-made fixtures", () => {
  it("counts features per layer and skips the broken one", () => {
    expect(result.layers).toEqual({
      landuse: { features: 2, skipped: 1 },
      roads: { features: 2, skipped: 0 },
      parks: { features: 1, skipped: 0 },
    });
    const ts = JSON.parse(readFileSync(join(out, "tileset.json"), "utf8"));
    expect(ts.asset.version).toBe("1.1");
    expect(ts.asset.extras.layers).toEqual(result.layers);
    expect(ts.root.refine).toBe("REPLACE");
  });

  it("passes the Khronos validator and the ground checks", async () => {
    const r = await validateGroundTileset(out);
    expect(r.errors).toEqual([]);
    expect(r.glbs.flatMap((g) => g.errors)).toEqual([]);
    expect(r.khronos.errors).toBe(0);
    expect(r.khronos.warnings).toBe(0);
    expect(r.ok).toBe(true);
    expect(r.leafFeatures).toEqual({ landuse: 2, roads: 2, parks: 1 });
  });

  it("one mesh, one primitive, every layer in it (one draw per tile), unlit, no normals", () => {
    const [g] = leafGlbs(out);
    expect(g.json.meshes).toHaveLength(1);
    expect(g.json.meshes[0].primitives).toHaveLength(1);
    expect(Object.keys(g.json.meshes[0].primitives[0].attributes).sort()).toEqual(["POSITION", "_FEATURE_ID_0"]);
    expect(g.json.materials[0].extensions.KHR_materials_unlit).toEqual({});
  });

  it("areas match the hand-worked answers (polygons, a hole, a straight and a mitred ribbon), all facing up", () => {
    const [g] = leafGlbs(out);
    const { mt, count } = cesiumTable(g);
    const area = areaByFeature(g);
    const byId: Record<string, number> = {};
    for (let i = 0; i < count; i++) byId[mt.getProperty(i, "id") as string] = area[i];
    expect(byId["lu-square"]).toBeCloseTo(10000, -1);
    expect(byId["lu-holed"]).toBeCloseTo(1200, -1);
    expect(byId["road-straight"]).toBeCloseTo(2000, -1);
    expect(byId["road-L"]).toBeCloseTo(4000, -1);
    expect(byId["park-tiny"]).toBeCloseTo(25, 0);
    for (const a of Object.values(byId)) expect(a).toBeGreaterThan(0); // counter-clockwise from above
  });

  it("heights are the layers' height offsets; top layers come first in the index buffer", () => {
    const [g] = leafGlbs(out);
    const prim = g.json.meshes[0].primitives[0];
    const pos = readPositions(g.json, g.bin, prim.attributes.POSITION);
    const fid = readAccessor(g.json, g.bin, prim.attributes._FEATURE_ID_0);
    const idx = readAccessor(g.json, g.bin, prim.indices);
    const { mt } = cesiumTable(g);
    // height of a vertex ≈ its local up (y) near the frame origin (the fixture spans < 1 km,
    // so the ellipsoid's curvature adds under 5 cm)
    const heightOf = (layer: string) => {
      for (let v = 0; v < fid.length; v++) if (mt.getProperty(fid[v], "layer") === layer) return pos[3 * v + 1];
      return NaN;
    };
    expect(heightOf("landuse")).toBeCloseTo(0, 1);
    expect(heightOf("parks")).toBeCloseTo(0.9, 1);
    expect(heightOf("roads")).toBeCloseTo(2, 1);
    expect(mt.getProperty(fid[idx[0]], "layer")).toBe("parks"); // catalog order: parks drawn on top
    expect(mt.getProperty(fid[idx[idx.length - 1]], "layer")).toBe("landuse");
  });

  it("the property table: layer, ids, strings, numbers, booleans as the catalog spells them, no data → undefined", () => {
    const [g] = leafGlbs(out);
    const { mt, count } = cesiumTable(g);
    const rows = Array.from({ length: count }, (_, i) => ({
      layer: mt.getProperty(i, "layer"),
      id: mt.getProperty(i, "id"),
      builtUp: mt.getProperty(i, "builtUp"),
      areaM2: mt.getProperty(i, "areaM2"),
      name: mt.getProperty(i, "name"),
      widthM: mt.getProperty(i, "widthM"),
    }));
    const sq = rows.find((r) => r.id === "lu-square")!;
    expect(sq).toEqual({ layer: "landuse", id: "lu-square", builtUp: "true", areaM2: 10000, name: undefined, widthM: undefined });
    expect(rows.find((r) => r.id === "lu-holed")!.builtUp).toBe("false");
    expect(rows.find((r) => r.id === "park-tiny")!.name).toBe("口袋公园");
    expect(rows.find((r) => r.id === "road-L")!.widthM).toBe(20);
  });

  it("one Cesium3DTileStyle shows and colours each layer by its own rule (evaluated by Cesium)", () => {
    const [g] = leafGlbs(out);
    const { mt, count } = cesiumTable(g);
    const feature = (i: number) => ({
      getProperty: (n: string) => mt.getProperty(i, n),
      getPropertyInherited: (n: string) => mt.getProperty(i, n),
    });
    const style = new Cesium3DTileStyle(
      composeGroundStyle([
        {
          id: "landuse",
          visible: true,
          opacity: 1,
          style: { color: { type: "categorical", property: "landUse", categories: { residential: "#ff0000" }, default: "#00ff00" } },
        },
        { id: "roads", visible: true, opacity: 0.5, style: { color: { type: "constant", color: "#0000ff" } } },
        { id: "parks", visible: false, opacity: 1, style: { color: { type: "constant", color: "#ffff00" } } },
      ]),
    );
    const ev = (i: number) => ({
      show: (style.show as unknown as { evaluate(f: unknown): boolean }).evaluate(feature(i)),
      color: (style.color as unknown as { evaluateColor(f: unknown): { toCssHexString(): string } })
        .evaluateColor(feature(i))
        .toCssHexString(),
    });
    const byId: Record<string, { show: boolean; color: string }> = {};
    for (let i = 0; i < count; i++) byId[mt.getProperty(i, "id") as string] = ev(i);
    expect(byId["lu-square"]).toEqual({ show: true, color: "#ff0000" });
    expect(byId["lu-holed"]).toEqual({ show: true, color: "#00ff00" });
    expect(byId["road-L"]).toEqual({ show: true, color: "#0000ff80" });
    expect(byId["park-tiny"].show).toBe(false);
    // a picked feature is highlighted by the style itself (it survives restyles)
    const picked = new Cesium3DTileStyle(
      composeGroundStyle([{ id: "landuse", visible: true, opacity: 1, style: { color: { type: "constant", color: "#123456" } } }], {
        layer: "landuse",
        id: "lu-holed",
      }),
    );
    const colorOf = (i: number) =>
      (picked.color as unknown as { evaluateColor(f: unknown): { toCssHexString(): string } }).evaluateColor(feature(i)).toCssHexString();
    for (let i = 0; i < count; i++)
      if (mt.getProperty(i, "layer") === "landuse") expect(colorOf(i)).toBe(mt.getProperty(i, "id") === "lu-holed" ? "#ffd54a" : "#123456");
    // nothing visible → nothing shown
    expect(composeGroundStyle([{ id: "x", visible: false, opacity: 1 }]).show).toBe("false");
  });

  it("an inspector filter on one member hides that member's non-matching features only (read through Cesium's metadata)", () => {
    const g = leafGlbs(out)[0];
    const { mt, count } = cesiumTable(g);
    const feature = (i: number) => ({
      getProperty: (n: string) => mt.getProperty(i, n),
      getPropertyInherited: (n: string) => mt.getProperty(i, n),
    });
    const base = { color: { type: "constant", color: "#123456" } } as const;
    const showOf = (members: Parameters<typeof composeGroundStyle>[0]) => {
      const style = new Cesium3DTileStyle(composeGroundStyle(members));
      const byId: Record<string, boolean> = {};
      for (let i = 0; i < count; i++)
        byId[mt.getProperty(i, "id") as string] = (style.show as unknown as { evaluate(f: unknown): boolean }).evaluate(feature(i));
      return byId;
    };
    // landUse = green: lu-holed only; the roads (another member, no filter) stay shown.
    const byCategory = showOf([
      { id: "landuse", visible: true, opacity: 1, style: filterStyle(base, { landUse: { values: ["green"] } }) },
      { id: "roads", visible: true, opacity: 1, style: base },
    ]);
    expect(byCategory["lu-square"]).toBe(false);
    expect(byCategory["lu-holed"]).toBe(true);
    expect(byCategory["road-straight"]).toBe(true);
    expect(byCategory["road-L"]).toBe(true);
    // areaM2 ≥ 5,000: lu-square (10,000) only; lu-holed has no areaM2 (the tile's noData).
    const byRange = showOf([{ id: "landuse", visible: true, opacity: 1, style: filterStyle(base, { areaM2: { min: 5000 } }) }]);
    expect(byRange["lu-square"]).toBe(true);
    expect(byRange["lu-holed"]).toBe(false);
    expect(byRange["road-L"]).toBe(false); // roads not shown at all
  });

  it("is deterministic: baking twice gives byte-identical files", async () => {
    const again = join(dir, "again");
    await bakeGround(layers, again);
    const files = (root: string) => {
      const ts = readFileSync(join(root, "tileset.json"));
      return [ts, ...leafGlbs(root).map((g) => writeGlb(g.json, g.bin))];
    };
    const a = files(out);
    const b = files(again);
    expect(b.length).toBe(a.length);
    a.forEach((x, i) => expect(Buffer.compare(Buffer.from(x), Buffer.from(b[i]))).toBe(0));
  });
});

describe("ground hierarchy and its validator", () => {
  let tree: string;
  beforeAll(async () => {
    tree = join(dir, "tree");
    // one feature per leaf → inner tiles with coarse content
    await bakeGround(layers, tree, { maxFeaturesPerTile: 1 });
  });

  it("inner tiles hold only features at least 1/16 of their size; errors are honest (validated)", async () => {
    const ts = JSON.parse(readFileSync(join(tree, "tileset.json"), "utf8"));
    expect(ts.root.children.length).toBeGreaterThan(1);
    expect(ts.root.geometricError).toBeGreaterThan(0);
    const r = await validateGroundTileset(tree);
    expect(r.errors).toEqual([]);
    expect(r.ok).toBe(true);
  });

  async function broken(mutate: (ts: GltfJson) => void) {
    const d = join(dir, `broken-${Math.random().toString(36).slice(2, 8)}`);
    await cp(tree, d, { recursive: true });
    const ts = JSON.parse(await readFile(join(d, "tileset.json"), "utf8"));
    mutate(ts);
    await writeFile(join(d, "tileset.json"), JSON.stringify(ts));
    return validateGroundTileset(d);
  }

  it("catches a geometric error smaller than what an inner tile leaves out", async () => {
    const r = await broken((ts) => {
      ts.root.geometricError = 0.5;
      ts.geometricError = 1;
      for (const c of ts.root.children) if (c.geometricError >= 0.5) c.geometricError = 0.25;
    });
    expect(r.errors.some((e) => /geometricError 0\.5 m but it leaves out/.test(e))).toBe(true);
  });

  it("catches per-layer counts that do not match the leaves", async () => {
    const r = await broken((ts) => {
      ts.asset.extras.layers.roads.features = 3;
    });
    expect(r.errors).toContain("layer roads: the leaves hold 2 features, asset.extras.layers says 3");
  });
});

describe("groundTilesets(catalog)", () => {
  it("groups baked layers by tiles URL in catalog order and refuses point layers", () => {
    const cat = {
      layers: [
        { id: "a", kind: "polygon", url: "c/a.geojson", tiles: "t/g/tileset.json", style: { heightOffsetM: 1 } },
        { id: "p", kind: "point", url: "c/p.geojson" },
        { id: "b", kind: "line", url: "c/b.geojson", tiles: "t/g/tileset.json" },
        { id: "c", kind: "polygon", url: "c/c.geojson", tiles: "t/h/tileset.json" },
      ],
    };
    const t = groundTilesets(cat, "/pub");
    expect(t.map((x) => [x.url, x.outDir, x.layers.map((l) => `${l.id}:${l.kind}:${l.heightM}`)])).toEqual([
      ["t/g/tileset.json", "/pub/t/g", ["a:polygon:1", "b:line:0"]],
      ["t/h/tileset.json", "/pub/t/h", ["c:polygon:0"]],
    ]);
    expect(() => groundTilesets({ layers: [{ id: "p", kind: "point", url: "x", tiles: "t/tileset.json" }] }, "/pub")).toThrow(
      /only polygon and line/,
    );
  });
});

describe("the demo city's ground tilesets (served by npm start)", () => {
  const root = join(__dirname, "../..");
  const catalog = JSON.parse(readFileSync(join(root, "data/catalog.json"), "utf8"));
  const sets = groundTilesets(catalog, join(root, "public"));

  it("the catalog bakes the default ground and the heavy green layers", () => {
    const ids = sets.flatMap((s) => s.layers.map((l) => l.id));
    for (const id of ["landuse", "water", "roads", "parks", "greenways", "green", "trees"]) expect(ids).toContain(id);
  });

  for (const s of sets)
    it(`${s.url}: validates, and holds every feature of its GeoJSON`, async () => {
      if (!existsSync(join(s.outDir, "tileset.json"))) throw new Error(`${s.outDir} is missing: run npm run data`);
      const r = await validateGroundTileset(s.outDir);
      expect(r.errors).toEqual([]);
      expect(r.glbs.flatMap((g) => g.errors)).toEqual([]);
      expect(r.khronos.errors).toBe(0);
      for (const l of s.layers) {
        const n = JSON.parse(readFileSync(l.file, "utf8")).features.length;
        expect(r.leafFeatures[l.id], l.id).toBe(n);
        // outlined overlays: one outline per polygon, not counted as features
        expect(r.leafOutlines[l.id] ?? 0, `${l.id} outlines`).toBe(l.outline ? n : 0);
      }
    }, 120_000);
});
