// Compressed, quantized triangle primitives for the baked glb: KHR_mesh_quantization (positions
// as uint16 with the dequantization in the node's translation/scale, normals as int8
// normalized) and EXT_meshopt_compression on every vertex and index bufferView.
//
// Why meshopt and not Draco (README "Tile compression"): Cesium 1.145 decodes meshopt on the
// main thread with the same `meshoptimizer` package we encode with (a small wasm module the CSP
// allows through 'wasm-unsafe-eval'; no worker, no blob:), decoding runs at memory speed, and
// the codec is lossless on top of the quantization and keeps every attribute and the triangle
// order as written: EXT_mesh_features' _FEATURE_ID_0 stays a plain vertex attribute, and the
// ground keeps drawing its top layer first. What our checks decode is byte for byte what the
// viewer gets.
//
// Deterministic: the encoder is a pure function of its input bytes (no threads, no clocks).

import { MeshoptEncoder } from "meshoptimizer";
import { ARRAY_BUFFER, COMPONENT, ELEMENT_ARRAY_BUFFER, MESHOPT, type BinaryBuilder } from "./glb";

export const QUANTIZATION = "KHR_mesh_quantization";
/** Extensions a glb written with `writeCompressedPrimitive` uses and requires. */
export const COMPRESSION_EXTENSIONS = [MESHOPT, QUANTIZATION];
/** Position quantization: 16 bits per axis over the mesh's own bounding box. */
export const POSITION_BITS = 16;
const QMAX = 2 ** POSITION_BITS - 1;

export interface MeshInput {
  positions: Float32Array;
  normals?: Float32Array;
  featureIds: Float32Array;
  indices: Uint16Array | Uint32Array;
}

export interface CompressedPrimitive {
  /** glTF accessors, in the order POSITION, [NORMAL], _FEATURE_ID_0, indices. */
  accessors: object[];
  attributes: Record<string, number>;
  indices: number;
  /** Dequantization for the mesh's node: position = translation + scale · q. */
  node: { translation: [number, number, number]; scale: [number, number, number] };
  /** The positions the viewer will see (dequantized), for regions and checks. */
  dequantized: Float64Array;
  /** Largest quantization step over the three axes, metres (the error is at most half of it). */
  stepM: number;
  /** Triangles left out because quantization turned them over or flat (`upFacing` only). */
  dropped: { triangles: number; areaM2: number };
}

export interface CompressOptions {
  /**
   * Flat, up-facing geometry (the ground): a sliver thinner than the quantization step can come
   * out turned over (back-face culled, drawn from below) or flat. Leave such triangles out and
   * report them; every other triangle keeps facing up. Up is glTF +y: the plane is (x, −z).
   */
  upFacing?: boolean;
  /**
   * Reorder for a smaller encoding (meshoptimizer's reorderMesh, deterministic):
   * "vertexFetch" renumbers vertices by first use and keeps the triangle order (the ground draws
   * its top layer first); "vertexCache" also reorders triangles for the GPU's vertex cache
   * (buildings: opaque, depth-tested, order-free). Unused vertices are dropped either way.
   */
  reorder?: "vertexFetch" | "vertexCache";
}

/**
 * Quantizes positions over their own box: per axis step = extent / 65535 (1 where the extent
 * is 0), q = round((p − min) / step). Stride 4 components (8 bytes): glTF vertex attributes
 * start on 4-byte boundaries and meshopt's attribute codec wants a multiple of 4.
 */
export function quantizePositions(positions: Float32Array): {
  q: Uint16Array;
  translation: [number, number, number];
  scale: [number, number, number];
} {
  const n = positions.length / 3;
  const min: [number, number, number] = [Infinity, Infinity, Infinity];
  const max: [number, number, number] = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < 3; k++) {
      const v = positions[3 * i + k];
      if (v < min[k]) min[k] = v;
      if (v > max[k]) max[k] = v;
    }
  }
  if (n === 0) return { q: new Uint16Array(0), translation: [0, 0, 0], scale: [1, 1, 1] };
  const scale = [0, 1, 2].map((k) => (max[k] > min[k] ? (max[k] - min[k]) / QMAX : 1)) as [number, number, number];
  const q = new Uint16Array(n * 4);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < 3; k++) q[4 * i + k] = Math.min(QMAX, Math.max(0, Math.round((positions[3 * i + k] - min[k]) / scale[k])));
  }
  return { q, translation: min, scale };
}

/** Unit normals → int8 normalized, round(n · 127), stride 4 (the 4th byte 0). */
export function quantizeNormals(normals: Float32Array): Int8Array {
  const n = normals.length / 3;
  const q = new Int8Array(n * 4);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < 3; k++) q[4 * i + k] = Math.max(-127, Math.min(127, Math.round(normals[3 * i + k] * 127)));
  }
  return q;
}

const asBytes = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/**
 * Writes one triangle primitive, quantized and meshopt-compressed, into `bin` (encoded bytes in
 * the GLB's buffer 0, the decoded layout in the fallback buffer 1). The caller puts `node` on
 * the mesh's node, `accessors` as the glb's first accessors, and COMPRESSION_EXTENSIONS in
 * extensionsUsed and extensionsRequired.
 */
export function writeCompressedPrimitive(bin: BinaryBuilder, mesh: MeshInput, opts: CompressOptions = {}): CompressedPrimitive {
  const count = mesh.positions.length / 3;
  if (mesh.indices.length % 3 !== 0) throw new Error(`index count ${mesh.indices.length} is not a multiple of 3`);
  if (mesh.featureIds.length !== count) throw new Error(`${mesh.featureIds.length} feature ids for ${count} vertices`);
  if (mesh.normals && mesh.normals.length !== count * 3) throw new Error(`${mesh.normals.length / 3} normals for ${count} vertices`);
  const { q, translation, scale } = quantizePositions(mesh.positions);
  const dropped = { triangles: 0, areaM2: 0 };
  let indexArray = mesh.indices;
  if (opts.upFacing) {
    const keep: number[] = [];
    const p = mesh.positions;
    // twice the signed area in the (x, −z) plane; on the quantized grid it is an exact integer
    // determinant (times step_x · step_z), so its sign is exact
    const area2 = (ax: number, az: number, bx: number, bz: number, cx: number, cz: number) => (bx - ax) * (az - cz) - (az - bz) * (cx - ax);
    for (let t = 0; t < mesh.indices.length; t += 3) {
      const [a, b, c] = [mesh.indices[t], mesh.indices[t + 1], mesh.indices[t + 2]];
      if (area2(q[4 * a], q[4 * a + 2], q[4 * b], q[4 * b + 2], q[4 * c], q[4 * c + 2]) > 0) {
        keep.push(a, b, c);
      } else {
        dropped.triangles++;
        dropped.areaM2 += Math.abs(area2(p[3 * a], p[3 * a + 2], p[3 * b], p[3 * b + 2], p[3 * c], p[3 * c + 2])) / 2;
      }
    }
    if (dropped.triangles) indexArray = mesh.indices instanceof Uint32Array ? Uint32Array.from(keep) : Uint16Array.from(keep);
  }
  let q2 = q;
  let normals = mesh.normals;
  let featureIds = mesh.featureIds;
  let count2 = count;
  if (opts.reorder) {
    const idx32 = Uint32Array.from(indexArray);
    const [remap, unique] = MeshoptEncoder.reorderMesh(idx32, opts.reorder === "vertexCache", false);
    q2 = new Uint16Array(unique * 4);
    const srcNormals = mesh.normals;
    normals = srcNormals ? new Float32Array(unique * 3) : undefined;
    featureIds = new Float32Array(unique);
    for (let v = 0; v < remap.length; v++) {
      const w = remap[v];
      if (w === 0xffffffff) continue; // unused (e.g. only in a dropped sliver)
      q2.set(q.subarray(4 * v, 4 * v + 4), 4 * w);
      if (normals && srcNormals) normals.set(srcNormals.subarray(3 * v, 3 * v + 3), 3 * w);
      featureIds[w] = mesh.featureIds[v];
    }
    count2 = unique;
    indexArray = indexArray instanceof Uint32Array ? idx32 : Uint16Array.from(idx32);
  }
  return encodePrimitive(bin, { q: q2, normals, featureIds, indices: indexArray, count: count2, translation, scale, dropped });
}

/**
 * Writes one LINES primitive (glTF mode 1: index pairs), quantized and meshopt-compressed like
 * `writeCompressedPrimitive`, for a mesh of its own (its node carries its own dequantization).
 * `firstAccessor` is the number of accessors already in the glb: the returned indices are
 * absolute. GL lines are one pixel wide at every distance: the outlines of the ground's
 * translucent overlays (scripts/bake/ground.ts).
 */
export function writeCompressedLines(
  bin: BinaryBuilder,
  mesh: { positions: Float32Array; featureIds: Float32Array; indices: Uint16Array | Uint32Array },
  firstAccessor: number,
): CompressedPrimitive {
  const count = mesh.positions.length / 3;
  if (mesh.indices.length % 2 !== 0) throw new Error(`line index count ${mesh.indices.length} is not even`);
  if (mesh.featureIds.length !== count) throw new Error(`${mesh.featureIds.length} feature ids for ${count} vertices`);
  const { q, translation, scale } = quantizePositions(mesh.positions);
  return encodePrimitive(
    bin,
    { q, featureIds: mesh.featureIds, indices: mesh.indices, count, translation, scale, dropped: { triangles: 0, areaM2: 0 } },
    firstAccessor,
    "INDICES",
  );
}

function encodePrimitive(
  bin: BinaryBuilder,
  m: {
    q: Uint16Array;
    normals?: Float32Array;
    featureIds: Float32Array;
    indices: Uint16Array | Uint32Array;
    count: number;
    translation: [number, number, number];
    scale: [number, number, number];
    dropped: { triangles: number; areaM2: number };
  },
  firstAccessor = 0,
  indexMode: "TRIANGLES" | "INDICES" = "TRIANGLES",
): CompressedPrimitive {
  const { q, count, translation, scale, dropped } = m;
  const indexArray = m.indices;
  const accessors: object[] = [];
  const attributes: Record<string, number> = {};

  const qMin = [0, 0, 0];
  const qMax = [0, 0, 0];
  if (count) {
    qMin.fill(QMAX);
    for (let i = 0; i < count; i++) {
      for (let k = 0; k < 3; k++) {
        const v = q[4 * i + k];
        if (v < qMin[k]) qMin[k] = v;
        if (v > qMax[k]) qMax[k] = v;
      }
    }
  }
  const posView = bin.addMeshoptView(asBytes(q), count, 8, "ATTRIBUTES", ARRAY_BUFFER);
  attributes.POSITION = firstAccessor + accessors.length;
  accessors.push({ bufferView: posView, componentType: COMPONENT.UNSIGNED_SHORT, count, type: "VEC3", min: qMin, max: qMax });

  if (m.normals) {
    const nrmView = bin.addMeshoptView(asBytes(quantizeNormals(m.normals)), count, 4, "ATTRIBUTES", ARRAY_BUFFER);
    attributes.NORMAL = firstAccessor + accessors.length;
    accessors.push({ bufferView: nrmView, componentType: COMPONENT.BYTE, normalized: true, count, type: "VEC3" });
  }

  const fidView = bin.addMeshoptView(asBytes(m.featureIds), count, 4, "ATTRIBUTES", ARRAY_BUFFER);
  attributes._FEATURE_ID_0 = firstAccessor + accessors.length;
  accessors.push({ bufferView: fidView, componentType: COMPONENT.FLOAT, count, type: "SCALAR" });

  const idxSize = indexArray.BYTES_PER_ELEMENT;
  const idxView = bin.addMeshoptView(asBytes(indexArray), indexArray.length, idxSize, indexMode, ELEMENT_ARRAY_BUFFER);
  const indices = firstAccessor + accessors.length;
  accessors.push({
    bufferView: idxView,
    componentType: idxSize === 4 ? COMPONENT.UNSIGNED_INT : COMPONENT.UNSIGNED_SHORT,
    count: indexArray.length,
    type: "SCALAR",
  });

  const dequantized = new Float64Array(count * 3);
  for (let i = 0; i < count; i++) {
    for (let k = 0; k < 3; k++) dequantized[3 * i + k] = translation[k] + scale[k] * q[4 * i + k];
  }
  const stepM = Math.max(0, ...scale.map((s, k) => (qMax[k] > 0 ? s : 0)));
  return { accessors, attributes, indices, node: { translation, scale }, dequantized, stepM, dropped };
}
