// The compressed primitive writer (KHR_mesh_quantization + EXT_meshopt_compression) on
// hand-made meshes whose quantization steps and decoded values can be worked out by hand, read
// back with the meshoptimizer decoder Cesium runs, and checked by the Khronos validator on both
// the written and the decoded glb.

import gltfValidator from "gltf-validator";
import { describe, expect, it } from "vitest";
import { COMPRESSION_EXTENSIONS, quantizePositions, writeCompressedPrimitive, type MeshInput } from "../../scripts/bake/compress";
import {
  BinaryBuilder,
  decompressGlb,
  readAccessor,
  readAccessorFloat,
  readGlb,
  readPositions,
  writeGlb,
  type GltfJson,
} from "../../scripts/bake/glb";

/** A glb holding one primitive written by writeCompressedPrimitive (no metadata). */
function glbOf(
  mesh: MeshInput,
  upFacing = false,
  reorder?: "vertexFetch" | "vertexCache",
): { bytes: Uint8Array; prim: ReturnType<typeof writeCompressedPrimitive> } {
  const bin = new BinaryBuilder();
  const prim = writeCompressedPrimitive(bin, mesh, { upFacing, reorder });
  const buffer = bin.finish();
  const json = {
    asset: { version: "2.0" },
    extensionsUsed: COMPRESSION_EXTENSIONS,
    extensionsRequired: COMPRESSION_EXTENSIONS,
    scene: 0,
    scenes: [{ nodes: [0] }],
    nodes: [{ mesh: 0, ...prim.node }],
    meshes: [{ primitives: [{ attributes: prim.attributes, indices: prim.indices, mode: 4 }] }],
    accessors: prim.accessors,
    bufferViews: bin.bufferViews,
    buffers: bin.buffers(buffer.byteLength),
  };
  return { bytes: writeGlb(json, buffer), prim };
}

// A 10 m (x) × 3 m (y) × 20 m (z) box's worth of vertices, two features, values off the grid.
// Steps by hand: x 10/65535 ≈ 0.1526 mm, y 3/65535 ≈ 0.0458 mm, z 20/65535 ≈ 0.3052 mm.
const POSITIONS = new Float32Array([
  0,
  0,
  0, //
  10,
  0,
  0,
  10,
  0,
  -20,
  3.3,
  3,
  -7.77, //
  1.234,
  1.5,
  -19.999,
  9.87,
  2.2,
  -0.001,
]);
const STEP = [10 / 65535, 3 / 65535, 20 / 65535];
const NORMALS = new Float32Array([
  0,
  1,
  0,
  0,
  1,
  0,
  0,
  1,
  0,
  0.6,
  0.8,
  0,
  0,
  0.8,
  -0.6,
  1 / Math.sqrt(3),
  1 / Math.sqrt(3),
  1 / Math.sqrt(3),
]);
const FEATURE_IDS = new Float32Array([0, 0, 0, 1, 1, 1]);
const INDICES = new Uint16Array([0, 1, 2, 3, 4, 5, 2, 1, 0]);

describe("quantizePositions", () => {
  it("maps each axis' min..max onto 0..65535 with translation = min and scale = extent / 65535", () => {
    const { q, translation, scale } = quantizePositions(POSITIONS);
    expect(translation).toEqual([0, 0, -20]);
    for (let k = 0; k < 3; k++) expect(scale[k]).toBeCloseTo(STEP[k], 12);
    // stride 4: x, y, z, padding
    expect(Array.from(q.subarray(0, 12))).toEqual([0, 0, 65535, 0, 65535, 0, 65535, 0, 65535, 0, 0, 0]);
    // 3.3 / (10 / 65535) = 21626.55 → 21627; 3 → 65535; (−7.77 + 20) / (20 / 65535) = 40074.6… → 40075
    expect(Array.from(q.subarray(12, 15))).toEqual([21627, 65535, 40075]);
  });

  it("a flat axis gets scale 1 and q = 0", () => {
    const { q, scale } = quantizePositions(new Float32Array([0, 5, 0, 1, 5, 0, 0, 5, -1]));
    expect(scale[1]).toBe(1);
    expect([q[1], q[5], q[9]]).toEqual([0, 0, 0]);
  });
});

describe("writeCompressedPrimitive", () => {
  const mesh: MeshInput = { positions: POSITIONS, normals: NORMALS, featureIds: FEATURE_IDS, indices: INDICES };
  const { bytes, prim } = glbOf(mesh);
  const { json, bin } = readGlb(bytes);

  it("decodes (meshoptimizer, as Cesium) to the positions within half a quantization step", () => {
    const pos = readPositions(json, bin, prim.attributes.POSITION);
    expect(pos).toHaveLength(POSITIONS.length);
    for (let i = 0; i < POSITIONS.length; i++) {
      // float32 of the input vs the float64 dequantized value: ≤ step / 2 (+ float32 round-off)
      expect(Math.abs(pos[i] - POSITIONS[i])).toBeLessThanOrEqual(STEP[i % 3] / 2 + 1e-6);
    }
    expect(prim.stepM).toBeCloseTo(20 / 65535, 12);
    // the reported dequantized positions are what decoding gives
    expect(Array.from(prim.dequantized)).toEqual(Array.from(pos));
  });

  it("keeps feature ids and indices exactly (triangles in order, each at most rotated)", () => {
    expect(Array.from(readAccessor(json, bin, prim.attributes._FEATURE_ID_0))).toEqual(Array.from(FEATURE_IDS));
    const idx = Array.from(readAccessor(json, bin, prim.indices));
    expect(idx).toHaveLength(INDICES.length);
    const rotations = (t: number[]) => [t, [t[1], t[2], t[0]], [t[2], t[0], t[1]]].map((r) => r.join(","));
    for (let t = 0; t < INDICES.length; t += 3) {
      expect(rotations(Array.from(INDICES.subarray(t, t + 3)))).toContain(idx.slice(t, t + 3).join(","));
    }
  });

  it("normals as int8 normalized: within 0.5/127 per component", () => {
    const nrm = readAccessorFloat(json, bin, prim.attributes.NORMAL);
    for (let i = 0; i < NORMALS.length; i++) expect(Math.abs(nrm[i] - NORMALS[i])).toBeLessThanOrEqual(0.5 / 127 + 1e-9);
    // (0.6, 0.8, 0) → round(76.2) = 76, round(101.6) = 102 → 76/127, 102/127
    expect(Array.from(nrm.subarray(9, 12))).toEqual([76 / 127, 102 / 127, 0]);
  });

  it("lays out the glTF as the extensions ask", () => {
    expect(json.accessors[prim.attributes.POSITION]).toMatchObject({
      componentType: 5123,
      type: "VEC3",
      min: [0, 0, 0],
      max: [65535, 65535, 65535],
    });
    expect(json.accessors[prim.attributes.NORMAL]).toMatchObject({ componentType: 5120, normalized: true, type: "VEC3" });
    expect(json.accessors[prim.attributes._FEATURE_ID_0]).toMatchObject({ componentType: 5126, type: "SCALAR" });
    expect(json.accessors[prim.indices]).toMatchObject({ componentType: 5123, count: 9 });
    expect(json.nodes[0].translation).toEqual([0, 0, -20]);
    for (const bv of json.bufferViews as GltfJson[]) {
      const ext = bv.extensions.EXT_meshopt_compression;
      expect(bv.buffer).toBe(1); // the fallback buffer: no data of its own
      expect(ext.buffer).toBe(0);
      expect(bv.byteLength).toBe(ext.count * ext.byteStride);
      expect(ext.byteLength).toBeLessThanOrEqual(bv.byteLength + 32);
    }
    expect(json.buffers[1]).toEqual({ byteLength: expect.any(Number), extensions: { EXT_meshopt_compression: { fallback: true } } });
  });

  it("passes the Khronos validator as written and decoded, and the decoded form catches a wrong accessor max", async () => {
    const opts = { format: "glb" as const, maxIssues: 0, writeTimestamp: false };
    const written = await gltfValidator.validateBytes(bytes, opts);
    expect(written.issues.numErrors).toBe(0);
    expect(written.issues.numWarnings).toBe(0);
    const decodedBytes = decompressGlb(bytes);
    const decoded = await gltfValidator.validateBytes(decodedBytes, opts);
    expect(decoded.issues.numErrors).toBe(0);
    expect(decoded.issues.numWarnings).toBe(0);
    expect(readGlb(decodedBytes).json.extensionsUsed).toEqual(["KHR_mesh_quantization"]);

    // the validator cannot see meshopt data: a wrong max passes as written, fails decoded
    const bad = readGlb(bytes);
    bad.json.accessors[prim.attributes.POSITION].max = [65535, 65535, 60000];
    const badBytes = writeGlb(bad.json, bad.bin);
    expect((await gltfValidator.validateBytes(badBytes, opts)).issues.numErrors).toBe(0);
    const badDecoded = await gltfValidator.validateBytes(decompressGlb(badBytes), opts);
    expect(badDecoded.issues.messages.map((m) => m.code)).toContain("ACCESSOR_MAX_MISMATCH");
  });

  it("is deterministic and smaller than the float layout", () => {
    expect(Buffer.from(glbOf(mesh).bytes).equals(Buffer.from(bytes))).toBe(true);
    const big = { positions: new Float32Array(3000 * 3), featureIds: new Float32Array(3000), indices: new Uint16Array(3000) };
    for (let i = 0; i < 3000; i++) {
      big.positions.set([(i % 50) * 2.5, Math.floor(i / 50) % 3, -Math.floor(i / 50) * 2.5], 3 * i);
      big.featureIds[i] = Math.floor(i / 30);
      big.indices[i] = i;
    }
    const raw = big.positions.byteLength + big.featureIds.byteLength + big.indices.byteLength;
    const { bytes: small } = glbOf(big);
    expect(small.byteLength).toBeLessThan(raw / 3);
  });

  it("upFacing: leaves out the slivers quantization turns over or flattens, and counts their area", () => {
    // A 65,535 m triangle makes the x and z steps exactly 1 m. In the plane (e, n) = (x, −z):
    //  sliver 1 (0,0) (10,0.3) (5,0.4): area 1.25 m², up; n rounds to 0, 0, 0 → flat
    //  sliver 2 (0,0) (10,0.6) (5,0.4): area 0.5 m², up; n rounds to 0, 1, 0 → turned over
    const positions = new Float32Array([
      0,
      0,
      0,
      65535,
      0,
      0,
      0,
      0,
      -65535, // big, counter-clockwise from above
      0,
      0,
      0,
      10,
      0,
      -0.3,
      5,
      0,
      -0.4,
      0,
      0,
      0,
      10,
      0,
      -0.6,
      5,
      0,
      -0.4,
    ]);
    const m: MeshInput = {
      positions,
      featureIds: new Float32Array([0, 0, 0, 1, 1, 1, 2, 2, 2]),
      indices: new Uint16Array([0, 1, 2, 3, 4, 5, 6, 7, 8]),
    };
    const { bytes: b, prim: p } = glbOf(m, true);
    expect(p.stepM).toBe(1);
    expect(p.dropped.triangles).toBe(2);
    expect(p.dropped.areaM2).toBeCloseTo(1.75, 5);
    const g = readGlb(b);
    expect(Array.from(readAccessor(g.json, g.bin, p.indices)).sort()).toEqual([0, 1, 2]);
    // without upFacing every triangle is kept
    expect(glbOf(m, false).prim.dropped.triangles).toBe(0);
  });

  it("reorder: vertexFetch keeps the triangles in order, vertexCache keeps the same triangles; unused vertices go", () => {
    // as decoded: each triangle as its three (position, feature id) corners, rotated to start at the smallest
    const triangles = (bytes: Uint8Array) => {
      const g = readGlb(bytes);
      const a = g.json.meshes[0].primitives[0].attributes;
      const pos = readPositions(g.json, g.bin, a.POSITION);
      const fid = readAccessor(g.json, g.bin, a._FEATURE_ID_0);
      const idx = readAccessor(g.json, g.bin, g.json.meshes[0].primitives[0].indices);
      const out: string[] = [];
      for (let t = 0; t < idx.length; t += 3) {
        const c = [0, 1, 2].map(
          (k) =>
            `${pos[3 * idx[t + k]].toFixed(4)},${pos[3 * idx[t + k] + 1].toFixed(4)},${pos[3 * idx[t + k] + 2].toFixed(4)}#${fid[idx[t + k]]}`,
        );
        const r = c.indexOf([...c].sort()[0]);
        out.push([c[r], c[(r + 1) % 3], c[(r + 2) % 3]].join(" "));
      }
      return { out, vertices: pos.length / 3 };
    };
    // vertex 6 is used by no triangle
    const withUnused: MeshInput = {
      positions: new Float32Array([...POSITIONS, 5, 1, -5]),
      normals: new Float32Array([...NORMALS, 0, 1, 0]),
      featureIds: new Float32Array([...FEATURE_IDS, 1]),
      indices: new Uint16Array([3, 4, 5, 0, 1, 2, 2, 1, 0]),
    };
    const plain = triangles(glbOf(withUnused).bytes);
    expect(plain.vertices).toBe(7);
    const fetch = triangles(glbOf(withUnused, false, "vertexFetch").bytes);
    expect(fetch.vertices).toBe(6);
    expect(fetch.out).toEqual(plain.out);
    const { bytes: cacheBytes } = glbOf(withUnused, false, "vertexCache");
    const cache = triangles(cacheBytes);
    expect(cache.vertices).toBe(6);
    expect([...cache.out].sort()).toEqual([...plain.out].sort());
    // vertex fetch order: the first triangle uses vertices 0, 1, 2
    const g = readGlb(glbOf(withUnused, false, "vertexFetch").bytes);
    expect(
      Array.from(readAccessor(g.json, g.bin, 3))
        .slice(0, 3)
        .sort(),
    ).toEqual([0, 1, 2]);
  });

  it("refuses inconsistent input", () => {
    const bin = new BinaryBuilder();
    expect(() =>
      writeCompressedPrimitive(bin, { positions: POSITIONS, featureIds: FEATURE_IDS, indices: new Uint16Array([0, 1]) }),
    ).toThrow(/multiple of 3/);
    expect(() => writeCompressedPrimitive(bin, { positions: POSITIONS, featureIds: new Float32Array(2), indices: INDICES })).toThrow(
      /feature ids/,
    );
  });

  it("a corrupt compressed view is a clear error, not garbage", () => {
    const { json: j, bin: b } = readGlb(bytes);
    const view = j.bufferViews[json.accessors[prim.indices].bufferView].extensions.EXT_meshopt_compression;
    const broken = b.slice();
    broken.fill(0xff, view.byteOffset, view.byteOffset + view.byteLength);
    expect(() => readAccessor(j, broken, prim.indices)).toThrow(/meshopt decode failed/);
  });
});
