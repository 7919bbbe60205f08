// Bakes a five-building hand-made fixture and checks the tileset, the glb (Khronos validator
// and our extension checks), the geometry maths against Cesium's own transforms, the property
// table round trip (our decoder and Cesium's MetadataTable + Cesium3DTileStyle), determinism
// and bad-input handling.

import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import * as Cesium from "cesium";
import { Cartesian3, Cartographic, Cesium3DTileStyle, Matrix4, Transforms } from "cesium";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bakeBuildings, BakeInputError, type BakeResult } from "../../scripts/bake/index";
import { readAccessor, readAccessorFloat, readGlb, readPositions, type GltfJson } from "../../scripts/bake/glb";
import { validateTileset, type TilesetReport } from "../../scripts/bake/validate";
import { EXPECTED_VOLUME, rectRing, smallCity, tempDir, writeJson, cleanupTempDirs } from "./fixtures";

afterAll(cleanupTempDirs);

// Cesium internals that are not in its .d.ts: used to check the baker against Cesium's own
// y-up correction and metadata reader rather than against our own assumptions.
const { Axis, MetadataSchema, MetadataTable } = Cesium as unknown as {
  Axis: { Y_UP_TO_Z_UP: Matrix4 };
  MetadataSchema: { fromJson(json: object): { classes: Record<string, unknown> } };
  MetadataTable: new (o: { count: number; properties: object; class: unknown; bufferViews: Record<string, Uint8Array> }) => {
    getProperty(index: number, name: string): unknown;
  };
};

let work: string;
let out: string;
let input: string;
let result: BakeResult;
let tileset: GltfJson;
let gltf: { json: GltfJson; bin: Uint8Array };
let transform: number[];

beforeAll(async () => {
  work = await tempDir("small");
  input = await writeJson(work, "buildings.geojson", smallCity());
  out = join(work, "tiles");
  result = await bakeBuildings(input, out);
  tileset = JSON.parse(await readFile(join(out, "tileset.json"), "utf8"));
  transform = tileset.root.transform;
  gltf = readGlb(new Uint8Array(await readFile(join(out, tileset.root.content.uri))));
});

/** Small independent property-table decoder (strings, booleans, enums, scalars). */
function decodeTable(json: GltfJson, bin: Uint8Array): Record<string, unknown>[] {
  const ext = json.extensions.EXT_structural_metadata;
  const table = ext.propertyTables[0];
  const cls = ext.schema.classes[table.class];
  const view = (i: number) => {
    const bv = json.bufferViews[i];
    expect(bv.byteOffset % 8).toBe(0);
    return bin.slice(bv.byteOffset, bv.byteOffset + bv.byteLength);
  };
  const rows: Record<string, unknown>[] = Array.from({ length: table.count }, () => ({}));
  for (const [name, p] of Object.entries<GltfJson>(table.properties)) {
    const def = cls.properties[name];
    const v = view(p.values);
    for (let i = 0; i < table.count; i++) {
      let value: unknown;
      if (def.type === "STRING") {
        const off = new Uint32Array(view(p.stringOffsets).buffer);
        value = new TextDecoder().decode(v.subarray(off[i], off[i + 1]));
      } else if (def.type === "BOOLEAN") value = ((v[i >> 3] >> (i & 7)) & 1) === 1;
      else if (def.type === "ENUM") value = ext.schema.enums[def.enumType].values.find((e: GltfJson) => e.value === v[i]).name;
      else {
        const arr = { UINT16: Uint16Array, UINT32: Uint32Array, FLOAT32: Float32Array }[def.componentType as "UINT16"];
        value = new arr(v.buffer)[i];
      }
      rows[i][name] = value === def.noData ? undefined : value;
    }
  }
  return rows;
}

/** glTF positions of one feature → ECEF through Cesium's y-up→z-up and the tile transform. */
function featureEcef(featureId: number): Cartesian3[] {
  const pos = readPositions(gltf.json, gltf.bin, 0);
  const fid = readAccessor(gltf.json, gltf.bin, 2);
  const m = Matrix4.multiply(Matrix4.fromColumnMajorArray(transform), Axis.Y_UP_TO_Z_UP, new Matrix4());
  const out: Cartesian3[] = [];
  for (let i = 0; i < fid.length; i++) {
    if (fid[i] !== featureId) continue;
    out.push(Matrix4.multiplyByPoint(m, new Cartesian3(pos[i * 3], pos[i * 3 + 1], pos[i * 3 + 2]), new Cartesian3()));
  }
  return out;
}

function featureIndex(id: string): number {
  return decodeTable(gltf.json, gltf.bin).findIndex((r) => r.id === id);
}

/** Signed volume of one feature's closed mesh (divergence theorem) and its downward area. */
function volumeAndFootprint(featureId: number): { volume: number; footprint: number } {
  const pos = readPositions(gltf.json, gltf.bin, 0);
  const nrm = readAccessorFloat(gltf.json, gltf.bin, 1);
  const fid = readAccessor(gltf.json, gltf.bin, 2);
  const idx = readAccessor(gltf.json, gltf.bin, 3);
  let volume = 0;
  let footprint = 0;
  const p = (i: number) => [pos[i * 3], pos[i * 3 + 1], pos[i * 3 + 2]];
  for (let t = 0; t < idx.length; t += 3) {
    if (fid[idx[t]] !== featureId) continue;
    const [a, b, c] = [p(idx[t]), p(idx[t + 1]), p(idx[t + 2])];
    volume += (a[0] * (b[1] * c[2] - b[2] * c[1]) - a[1] * (b[0] * c[2] - b[2] * c[0]) + a[2] * (b[0] * c[1] - b[1] * c[0])) / 6;
    if (nrm[idx[t] * 3 + 1] < -0.99) {
      const u = [b[0] - a[0], b[1] - a[1], b[2] - a[2]];
      const v = [c[0] - a[0], c[1] - a[1], c[2] - a[2]];
      footprint += Math.hypot(u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0]) / 2;
    }
  }
  return { volume, footprint };
}

describe("bakeBuildings on a hand-made fixture", () => {
  it("reports what it baked", () => {
    expect(result.buildings).toBe(5);
    expect(result.tiles).toBe(1);
    expect(result.contentTiles).toBe(1);
    expect(result.input.skipped).toBe(0);
    expect(result.bytes).toBeGreaterThan(0);
  });

  it("(a) every glb passes the Khronos validator and our extension checks", async () => {
    const report: TilesetReport = await validateTileset(out);
    expect(report.errors).toEqual([]);
    expect(report.khronos.errors).toBe(0);
    expect(report.khronos.warnings).toBe(0);
    for (const g of report.glbs) expect(g.errors).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.buildings).toBe(5);
    // Only infos, and only the two expected ones: the validator does not implement
    // EXT_mesh_features / EXT_structural_metadata / EXT_meshopt_compression, so it calls them
    // unsupported and sees the property-table bufferViews (referenced only from the extension)
    // as unused — on the glb as written and on its decoded form ("decoded …", which is where
    // the validator can check the vertex data: it cannot decode meshopt itself).
    expect(Object.keys(report.khronos.byCode).sort()).toEqual([
      "UNSUPPORTED_EXTENSION",
      "UNUSED_OBJECT",
      "decoded UNSUPPORTED_EXTENSION",
      "decoded UNUSED_OBJECT",
    ]);
    expect(report.khronos.byCode.UNSUPPORTED_EXTENSION).toBe(3);
    expect(report.khronos.byCode["decoded UNSUPPORTED_EXTENSION"]).toBe(2);
    const tableViews = new Set<number>();
    for (const p of Object.values<GltfJson>(gltf.json.extensions.EXT_structural_metadata.propertyTables[0].properties)) {
      tableViews.add(p.values);
      if (p.stringOffsets !== undefined) tableViews.add(p.stringOffsets);
    }
    expect(report.khronos.byCode.UNUSED_OBJECT).toBe(tableViews.size);
    expect(report.khronos.byCode["decoded UNUSED_OBJECT"]).toBe(tableViews.size);
    const unused = report.glbs[0].khronos.messages
      .filter((m) => m.includes("UNUSED_OBJECT"))
      .map((m) => Number(/bufferViews\/(\d+)/.exec(m)?.[1]));
    expect(unused.length).toBeGreaterThan(0);
    for (const u of unused) expect(tableViews.has(u)).toBe(true);
  });

  it("(b) tileset.json is well-formed 3D Tiles 1.1", () => {
    expect(tileset.asset.version).toBe("1.1");
    expect(tileset.root.refine).toBe("ADD");
    expect(tileset.geometricError).toBeGreaterThan(0);
    expect(tileset.root.geometricError).toBe(0); // a single leaf
    const [w, s, e, n, lo, hi] = tileset.root.boundingVolume.region;
    expect(w).toBeLessThan(e);
    expect(s).toBeLessThan(n);
    expect(lo).toBeCloseTo(0, 1);
    expect(hi).toBeCloseTo(60, 1); // the tower
    expect(existsSync(join(out, tileset.root.content.uri))).toBe(true);
    expect(tileset.extensionsUsed).toBeUndefined();
  });

  it("(b) the glb is laid out as asked: one primitive, feature ids, neutral PBR material, quantized and meshopt-compressed", () => {
    const { json } = gltf;
    expect(json.meshes).toHaveLength(1);
    expect(json.meshes[0].primitives).toHaveLength(1);
    const prim = json.meshes[0].primitives[0];
    expect(Object.keys(prim.attributes).sort()).toEqual(["NORMAL", "POSITION", "_FEATURE_ID_0"]);
    expect(prim.extensions.EXT_mesh_features.featureIds).toEqual([{ featureCount: 5, attribute: 0, propertyTable: 0 }]);
    expect(json.extensionsUsed).toEqual([
      "EXT_mesh_features",
      "EXT_structural_metadata",
      "EXT_meshopt_compression",
      "KHR_mesh_quantization",
    ]);
    expect(json.extensionsRequired).toEqual(["EXT_meshopt_compression", "KHR_mesh_quantization"]);
    // POSITION uint16 (dequantized by the node's translation/scale), NORMAL int8 normalized,
    // feature ids float (exact integers), indices uint16
    expect(json.accessors.map((a: GltfJson) => [a.componentType, a.normalized ?? false])).toEqual([
      [5123, false],
      [5120, true],
      [5126, false],
      [5123, false],
    ]);
    expect(json.nodes[0].translation).toHaveLength(3);
    expect(json.nodes[0].scale).toHaveLength(3);
    // vertex and index views are meshopt-compressed into buffer 0 and decode into the fallback
    // buffer 1; property-table views stay plain in buffer 0
    expect(json.buffers[1].extensions.EXT_meshopt_compression).toEqual({ fallback: true });
    expect(json.bufferViews.slice(0, 4).map((bv: GltfJson) => [bv.buffer, bv.extensions.EXT_meshopt_compression.mode])).toEqual([
      [1, "ATTRIBUTES"],
      [1, "ATTRIBUTES"],
      [1, "ATTRIBUTES"],
      [1, "TRIANGLES"],
    ]);
    expect(json.bufferViews.slice(4).every((bv: GltfJson) => bv.buffer === 0 && bv.extensions === undefined)).toBe(true);
    const mat = json.materials[0];
    expect(mat.doubleSided).toBe(false);
    expect(mat.pbrMetallicRoughness.metallicFactor).toBe(0);
    expect(mat.pbrMetallicRoughness.roughnessFactor).toBeCloseTo(0.8);
    expect(json.accessors[prim.indices].componentType).toBe(5123); // few vertices → uint16
    const targets = json.bufferViews.map((bv: GltfJson) => bv.target);
    expect(targets.slice(0, 4)).toEqual([34962, 34962, 34962, 34963]);
    expect(targets.slice(4).every((t: unknown) => t === undefined)).toBe(true);
    expect(json.bufferViews.map((bv: GltfJson) => bv.byteStride)).toEqual([8, 4, 4, ...Array(json.bufferViews.length - 3).fill(undefined)]);
  });

  it("(c) the tile transform is Cesium's ENU frame at the tile centre", () => {
    const origin = new Cartesian3(transform[12], transform[13], transform[14]);
    const enu = Transforms.eastNorthUpToFixedFrame(origin);
    const expected = Matrix4.toArray(enu);
    for (let i = 0; i < 16; i++) expect(transform[i]).toBeCloseTo(expected[i], 6);
    expect(Cartographic.fromCartesian(origin).height).toBeCloseTo(0, 3);
  });

  it("(c) a 10 × 20 × 30 m box stands upright at the right place", () => {
    const f = featureIndex("b-box");
    const pts = featureEcef(f);
    const carto = pts.map((p) => Cartographic.fromCartesian(p));
    const heights = carto.map((c) => c.height);
    expect(Math.min(...heights)).toBeCloseTo(0, 2);
    expect(Math.max(...heights)).toBeCloseTo(30, 2);
    // every footprint corner exists at the base and at the roof, within 1 cm
    const ring = rectRing(0, 0, 10, 20).slice(0, 4);
    for (const [lon, lat] of ring) {
      for (const h of [0, 30]) {
        const want = Cartesian3.fromDegrees(lon, lat, h);
        const best = Math.min(...pts.map((p) => Cartesian3.distance(p, want)));
        expect(best).toBeLessThan(0.01);
      }
    }
    // extents in the box's own ENU frame: 10 east, 20 north, 30 up — standing, not lying down
    const frame = Matrix4.inverseTransformation(
      Transforms.eastNorthUpToFixedFrame(Cartesian3.fromDegrees(ring[0][0], ring[0][1], 0)),
      new Matrix4(),
    );
    const local = pts.map((p) => Matrix4.multiplyByPoint(frame, p, new Cartesian3()));
    const span = (k: "x" | "y" | "z") => Math.max(...local.map((p) => p[k])) - Math.min(...local.map((p) => p[k]));
    expect(span("x")).toBeCloseTo(10, 2);
    expect(span("y")).toBeCloseTo(20, 2);
    expect(span("z")).toBeCloseTo(30, 2);
  });

  it("(c) volumes and footprints match the hand-worked answers (closed, outward-wound meshes)", () => {
    // Quantization moves a vertex by at most half a step per axis; the tile spans ≈ 390 × 60 ×
    // 520 m, so steps are ≤ 8 mm and the error ≤ 4 mm — on the 10 × 20 × 30 m box
    // (surface 2,200 m², volume 6,000 m³) at most 2,200 · 0.004 / 6,000 ≈ 0.15 %.
    const step = Math.max(...gltf.json.nodes[0].scale);
    expect(step).toBeLessThan(0.008);
    for (const [id, want] of Object.entries(EXPECTED_VOLUME)) {
      const { volume } = volumeAndFootprint(featureIndex(id));
      expect(Math.abs(volume / want - 1), id).toBeLessThan(0.002);
    }
    // footprints: at most perimeter × 4 mm (box: 60 m → 0.24 m²; courtyard ≈ 240 m → 0.96 m²)
    expect(Math.abs(volumeAndFootprint(featureIndex("b-box")).footprint - 200)).toBeLessThan(0.24);
    expect(Math.abs(volumeAndFootprint(featureIndex("b-courtyard")).footprint - 1200)).toBeLessThan(0.96);
  });

  it("(c) flat shading: roof normals point up, wall normals are horizontal, all unit length (to int8 precision)", () => {
    const nrm = readAccessorFloat(gltf.json, gltf.bin, 1);
    const pos = readPositions(gltf.json, gltf.bin, 0);
    const fid = readAccessor(gltf.json, gltf.bin, 2);
    const box = featureIndex("b-box");
    let roof = 0;
    for (let i = 0; i < fid.length; i++) {
      const n = [nrm[i * 3], nrm[i * 3 + 1], nrm[i * 3 + 2]];
      // int8: each component within 0.5/127 of the float, so the length within √3 · 0.5/127
      expect(Math.abs(Math.hypot(n[0], n[1], n[2]) - 1)).toBeLessThan(0.0069);
      if (fid[i] !== box) continue;
      // glTF y is up: up-facing (roof) or down-facing (bottom) or horizontal (walls)
      const ny = n[1];
      expect(Math.abs(ny) > 0.999 || Math.abs(ny) < 0.001).toBe(true);
      if (ny > 0.999) roof++;
      if (Math.abs(ny) < 0.001) expect(Math.abs(n[0]) > 0.999 || Math.abs(n[2]) > 0.999).toBe(true); // axis-aligned box
      void pos;
    }
    expect(roof).toBe(4);
  });

  it("(c) the low-rise house gets a hip roof whose ridge is at heightM", () => {
    const heights = featureEcef(featureIndex("b-house")).map((p) => Cartographic.fromCartesian(p).height);
    expect(Math.max(...heights)).toBeCloseTo(12, 2);
    const levels = [...new Set(heights.map((h) => Math.round(h * 100) / 100))].sort((a, b) => a - b);
    expect(levels).toEqual([0, 8.52, 12]);
  });

  it("(d) the property table decodes back to the input properties", () => {
    const rows = decodeTable(gltf.json, gltf.bin);
    const input = smallCity().features.map((f) => f.properties);
    expect(rows).toHaveLength(input.length);
    rows.forEach((row, i) => {
      const p = input[i];
      expect(row.id).toBe(p.id);
      expect(row.use).toBe(p.use);
      expect(row.floors).toBe(p.floors);
      expect(row.heightM).toBeCloseTo(p.heightM, 5);
      expect(row.yearBuilt).toBe(p.yearBuilt);
      expect(row.residents).toBe(p.residents);
      expect(row.heatMetered).toBe(p.heatMetered);
      expect(row.floorAreaM2).toBeCloseTo(p.floorAreaM2, 3);
      expect(row.name).toBe(p.name);
      expect(row.compoundId).toBe(p.compoundId);
      expect(row.district).toBe(p.district);
      expect(row.landmark).toBe(p.landmark ?? false);
      expect(row.source).toBe(p.source);
    });
  });

  it("(d) Cesium reads the table and evaluates styles and picking properties on it", () => {
    const ext = gltf.json.extensions.EXT_structural_metadata;
    const schema = MetadataSchema.fromJson(ext.schema);
    const table = ext.propertyTables[0];
    const bufferViews: Record<string, Uint8Array> = {};
    for (const p of Object.values<GltfJson>(table.properties)) {
      for (const k of [p.values, p.stringOffsets]) {
        if (k === undefined) continue;
        const bv = gltf.json.bufferViews[k];
        bufferViews[k] = gltf.bin.slice(bv.byteOffset, bv.byteOffset + bv.byteLength);
      }
    }
    const mt = new MetadataTable({ count: table.count, properties: table.properties, class: schema.classes[table.class], bufferViews });
    // what Cesium3DTileFeature does for EXT_structural_metadata content
    const feature = (i: number) => ({
      getProperty: (name: string) => mt.getProperty(i, name),
      getPropertyInherited: (name: string) => mt.getProperty(i, name),
    });
    const ids = Array.from({ length: table.count }, (_, i) => feature(i).getProperty("id"));
    expect(ids).toEqual(["b-box", "b-courtyard", "b-house", "b-twin", "b-tower"]);
    const tall = new Cesium3DTileStyle({ show: "${heightM} > 50" });
    const res = new Cesium3DTileStyle({ show: '${use} === "residential"' });
    const heated = new Cesium3DTileStyle({ show: "${heatMetered} && ${yearBuilt} < 2000" });
    const evalShow = (style: Cesium3DTileStyle, i: number) =>
      (style.show as unknown as { evaluate(f: unknown): boolean }).evaluate(feature(i));
    expect(ids.filter((_, i) => evalShow(tall, i))).toEqual(["b-tower"]);
    expect(ids.filter((_, i) => evalShow(res, i))).toEqual(["b-house", "b-tower"]);
    expect(ids.filter((_, i) => evalShow(heated, i))).toEqual(["b-house"]);
    expect(feature(0).getProperty("name")).toBe("康巴什大厦");
    expect(feature(1).getProperty("name")).toBeUndefined(); // no data → undefined, not ""
    expect(feature(4).getProperty("floors")).toBeUndefined();
    expect(feature(0).getProperty("landmark")).toBe(true);
  });

  it("(e) baking twice gives byte-identical output", async () => {
    const again = join(work, "again");
    await bakeBuildings(input, again);
    const digest = async (dir: string) => {
      const files = (await readdir(dir, { recursive: true, withFileTypes: true }))
        .filter((d) => d.isFile())
        .map((d) => join(d.parentPath, d.name).slice(dir.length))
        .sort();
      return Promise.all(
        files.map(
          async (f) =>
            `${f} ${createHash("sha256")
              .update(await readFile(join(dir, f)))
              .digest("hex")}`,
        ),
      );
    };
    expect(await digest(again)).toEqual(await digest(out));
    // re-baking into the same directory cleans it first
    await writeFile(join(again, "stale.txt"), "old");
    await bakeBuildings(input, again);
    expect(existsSync(join(again, "stale.txt"))).toBe(false);
    expect(await digest(again)).toEqual(await digest(out));
  });
});

describe("bakeBuildings on bad input", () => {
  it("(f) a missing file, invalid JSON or a non-FeatureCollection is a clear error", async () => {
    const dir = await tempDir("bad");
    await expect(bakeBuildings(join(dir, "nope.geojson"), join(dir, "o"))).rejects.toThrow(/cannot read buildings GeoJSON .*nope\.geojson/);
    await expect(bakeBuildings(await writeJson(dir, "x.geojson", "{not json"), join(dir, "o"))).rejects.toThrow(/not valid JSON/);
    await expect(bakeBuildings(await writeJson(dir, "y.geojson", { type: "Feature" }), join(dir, "o"))).rejects.toThrow(BakeInputError);
    expect(existsSync(join(dir, "o"))).toBe(false);
  });

  it("(f) bad features are skipped and counted; the good ones still bake", async () => {
    const dir = await tempDir("bad");
    const good = smallCity().features.slice(0, 2);
    const square = { type: "Polygon", coordinates: [rectRing(0, 500, 10, 10)] };
    const props = { ...good[0].properties };
    const bad = [
      { type: "Feature", geometry: { type: "Point", coordinates: [109.79, 39.6] }, properties: { ...props, id: "pt" } },
      {
        type: "Feature",
        geometry: {
          type: "LineString",
          coordinates: [
            [109.79, 39.6],
            [109.8, 39.6],
          ],
        },
        properties: { ...props, id: "line" },
      },
      { type: "Feature", geometry: null, properties: { ...props, id: "null" } },
      { type: "Feature", geometry: square, properties: { ...props, id: "nan", heightM: "NaN" } },
      { type: "Feature", geometry: square, properties: { ...props, id: "nan2", heightM: null } },
      { type: "Feature", geometry: square, properties: { ...props, id: "neg", heightM: -3 } },
      { type: "Feature", geometry: square, properties: { ...props, id: undefined } },
      {
        type: "Feature",
        geometry: {
          type: "Polygon",
          coordinates: [
            [
              [109.79, 39.6],
              [109.7901, 39.6],
              [109.79, 39.6],
            ],
          ],
        },
        properties: { ...props, id: "two-points" },
      },
      {
        type: "Feature",
        geometry: {
          type: "Polygon",
          coordinates: [
            [
              [200, 39.6],
              [200.1, 39.6],
              [200.1, 39.7],
              [200, 39.6],
            ],
          ],
        },
        properties: { ...props, id: "off-earth" },
      },
      {
        type: "Feature",
        geometry: {
          type: "Polygon",
          coordinates: [
            [
              [109.79, 39.6],
              ["a", 39.6],
              [109.8, 39.7],
              [109.79, 39.6],
            ],
          ],
        },
        properties: { ...props, id: "string-coord" },
      },
      { type: "Feature", geometry: square, properties: { ...props, id: "bad-values", floors: 2.5, residents: -1, use: "mixed" } },
      "not a feature",
    ];
    const file = await writeJson(dir, "bad.geojson", { type: "FeatureCollection", features: [...good, ...bad] });
    const r = await bakeBuildings(file, join(dir, "out"));
    expect(r.buildings).toBe(3); // two good + "bad-values" (kept, with no-data values)
    expect(r.input.skipped).toBe(11);
    expect(r.input.skippedByReason).toEqual({ geometry: 4, heightM: 3, id: 1, degenerate: 1, coordinates: 2 });
    expect(r.input.badValues).toBe(2);
    expect(r.input.unknownUse).toBe(1);
    expect(r.input.examples.some((e) => /heightM is "NaN"/.test(e))).toBe(true);
    const report = await validateTileset(join(dir, "out"));
    expect(report.errors).toEqual([]);
    expect(report.glbs.flatMap((g) => g.errors)).toEqual([]);
    expect(report.glbs.flatMap((g) => g.khronos.messages.filter((m) => m.startsWith("error")))).toEqual([]);
    expect(report.ok).toBe(true);
  });

  it("(f) an input with no bakeable building is an error, not an empty tileset", async () => {
    const dir = await tempDir("bad");
    const file = await writeJson(dir, "none.geojson", {
      type: "FeatureCollection",
      features: [{ type: "Feature", geometry: null, properties: {} }],
    });
    await expect(bakeBuildings(file, join(dir, "out"))).rejects.toThrow(/no bakeable buildings/);
  });

  it("refuses to clean an output directory that is not a previous bake", async () => {
    const dir = await tempDir("bad");
    const precious = join(dir, "src");
    await mkdir(precious);
    await writeFile(join(precious, "keep.ts"), "x");
    const file = await writeJson(dir, "ok.geojson", smallCity());
    await expect(bakeBuildings(file, precious)).rejects.toThrow(/refusing to clean/);
    expect(existsSync(join(precious, "keep.ts"))).toBe(true);
  });
});
