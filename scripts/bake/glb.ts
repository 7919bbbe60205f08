// Minimal GLB container writer/reader. Every bufferView starts on an 8-byte boundary: that
// satisfies glTF's accessor alignment and EXT_structural_metadata's 8-byte rule for
// property-table buffers at once.
//
// Compressed views (EXT_meshopt_compression): the encoded bytes live in buffer 0 (the GLB's BIN
// chunk); the bufferView itself points into buffer 1, a data-less "fallback" buffer that only
// declares the decoded layout. Readers here decode such views with the same meshoptimizer
// decoder Cesium uses, so every check reads what the viewer will see.

import { MeshoptDecoder, MeshoptEncoder } from "meshoptimizer";

await Promise.all([MeshoptEncoder.ready, MeshoptDecoder.ready]);

export const MESHOPT = "EXT_meshopt_compression";
export type MeshoptMode = "ATTRIBUTES" | "TRIANGLES" | "INDICES";

export const ARRAY_BUFFER = 34962;
export const ELEMENT_ARRAY_BUFFER = 34963;

export const COMPONENT = { BYTE: 5120, UNSIGNED_BYTE: 5121, SHORT: 5122, UNSIGNED_SHORT: 5123, UNSIGNED_INT: 5125, FLOAT: 5126 } as const;

const GLB_MAGIC = 0x46546c67; // "glTF"
const CHUNK_JSON = 0x4e4f534a; // "JSON"
const CHUNK_BIN = 0x004e4942; // "BIN\0"

export interface GltfBufferView {
  buffer: number;
  byteOffset: number;
  byteLength: number;
  byteStride?: number;
  target?: number;
  name?: string;
  extensions?: {
    [MESHOPT]: { buffer: number; byteOffset: number; byteLength: number; byteStride: number; mode: MeshoptMode; count: number };
  };
}

/** Collects binary blobs into one buffer, handing out bufferView indices in call order. */
export class BinaryBuilder {
  readonly bufferViews: GltfBufferView[] = [];
  private readonly parts: Uint8Array[] = [];
  private length = 0;
  private fallbackLength = 0;

  addView(data: Uint8Array, opts: { target?: number; name?: string } = {}): number {
    const pad = (8 - (this.length % 8)) % 8;
    if (pad) {
      this.parts.push(new Uint8Array(pad));
      this.length += pad;
    }
    const view: GltfBufferView = { buffer: 0, byteOffset: this.length, byteLength: data.byteLength };
    if (opts.target !== undefined) view.target = opts.target;
    if (opts.name !== undefined) view.name = opts.name;
    this.parts.push(data);
    this.length += data.byteLength;
    this.bufferViews.push(view);
    return this.bufferViews.length - 1;
  }

  /**
   * Adds `data` (count elements of byteStride bytes) meshopt-encoded: the encoded bytes go into
   * buffer 0, the bufferView describes the decoded bytes in the fallback buffer 1.
   */
  addMeshoptView(data: Uint8Array, count: number, byteStride: number, mode: MeshoptMode, target: number): number {
    const encoded = encodeMeshopt(data, count, byteStride, mode);
    const raw = this.addView(encoded);
    const enc = this.bufferViews[raw];
    this.fallbackLength = Math.ceil(this.fallbackLength / 8) * 8;
    const view: GltfBufferView = { buffer: 1, byteOffset: this.fallbackLength, byteLength: data.byteLength };
    // glTF: byteStride only on vertex-attribute views (never on index views).
    if (mode === "ATTRIBUTES") view.byteStride = byteStride;
    view.target = target;
    view.extensions = { [MESHOPT]: { buffer: 0, byteOffset: enc.byteOffset, byteLength: enc.byteLength, byteStride, mode, count } };
    this.bufferViews[raw] = view;
    this.fallbackLength += data.byteLength;
    return raw;
  }

  /** glTF `buffers` for a GLB whose BIN chunk is `finish()`'s result. */
  buffers(binLength: number): object[] {
    const out: object[] = [{ byteLength: binLength }];
    if (this.fallbackLength > 0)
      out.push({ byteLength: Math.ceil(this.fallbackLength / 8) * 8, extensions: { [MESHOPT]: { fallback: true } } });
    return out;
  }

  /** Extensions the views need (to add to extensionsUsed and extensionsRequired). */
  get extensions(): string[] {
    return this.fallbackLength > 0 ? [MESHOPT] : [];
  }

  /** The buffer, padded to 8 bytes (so buffer.byteLength equals the BIN chunk length). */
  finish(): Uint8Array {
    const total = Math.ceil(this.length / 8) * 8;
    const out = new Uint8Array(total);
    let o = 0;
    for (const p of this.parts) {
      out.set(p, o);
      o += p.byteLength;
    }
    return out;
  }
}

/** Packs glTF JSON + one binary buffer into a GLB (JSON padded with spaces, BIN with zeros). */
export function writeGlb(json: object, bin: Uint8Array): Uint8Array {
  const jsonBytes = new TextEncoder().encode(JSON.stringify(json));
  const jsonLen = Math.ceil(jsonBytes.length / 4) * 4;
  const binLen = Math.ceil(bin.length / 4) * 4;
  const total = 12 + 8 + jsonLen + (bin.length ? 8 + binLen : 0);
  const out = new Uint8Array(total);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, GLB_MAGIC, true);
  dv.setUint32(4, 2, true);
  dv.setUint32(8, total, true);
  dv.setUint32(12, jsonLen, true);
  dv.setUint32(16, CHUNK_JSON, true);
  out.set(jsonBytes, 20);
  out.fill(0x20, 20 + jsonBytes.length, 20 + jsonLen);
  if (bin.length) {
    const o = 20 + jsonLen;
    dv.setUint32(o, binLen, true);
    dv.setUint32(o + 4, CHUNK_BIN, true);
    out.set(bin, o + 8);
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Reading (validator and tests)

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- glTF JSON read back from our own bytes for checks; typing it would restate the glTF schema
export type GltfJson = any;

export function readGlb(bytes: Uint8Array): { json: GltfJson; bin: Uint8Array } {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < 20 || dv.getUint32(0, true) !== GLB_MAGIC) throw new Error("not a GLB (bad magic)");
  if (dv.getUint32(4, true) !== 2) throw new Error(`GLB version ${dv.getUint32(4, true)}, expected 2`);
  if (dv.getUint32(8, true) !== bytes.byteLength) throw new Error("GLB length field does not match the file size");
  const jsonLen = dv.getUint32(12, true);
  if (dv.getUint32(16, true) !== CHUNK_JSON) throw new Error("first GLB chunk is not JSON");
  const json = JSON.parse(new TextDecoder().decode(bytes.subarray(20, 20 + jsonLen)));
  let bin: Uint8Array = new Uint8Array(0);
  const o = 20 + jsonLen;
  if (o + 8 <= bytes.byteLength) {
    const binLen = dv.getUint32(o, true);
    if (dv.getUint32(o + 4, true) !== CHUNK_BIN) throw new Error("second GLB chunk is not BIN");
    bin = bytes.subarray(o + 8, o + 8 + binLen);
  }
  return { json, bin };
}

/** meshopt-encodes one bufferView's bytes (EXT_meshopt_compression, codec version 0). */
export function encodeMeshopt(data: Uint8Array, count: number, byteStride: number, mode: MeshoptMode): Uint8Array {
  if (data.byteLength !== count * byteStride) throw new Error(`meshopt: ${data.byteLength} bytes ≠ ${count} × ${byteStride}`);
  return MeshoptEncoder.encodeGltfBuffer(data, count, byteStride, mode);
}

/** Decodes one meshopt-encoded bufferView (the decoder Cesium runs). */
export function decodeMeshopt(src: Uint8Array, count: number, byteStride: number, mode: MeshoptMode, filter = "NONE"): Uint8Array {
  const out = new Uint8Array(count * byteStride);
  MeshoptDecoder.decodeGltfBuffer(out, count, byteStride, src, mode, filter);
  return out;
}

/**
 * The bytes of a bufferView (copied, so typed arrays over it are aligned); meshopt-compressed
 * views are decoded.
 */
export function bufferViewBytes(json: GltfJson, bin: Uint8Array, index: number): Uint8Array {
  const bv = json.bufferViews?.[index];
  if (!bv) throw new Error(`bufferView ${index} does not exist`);
  const mo = bv.extensions?.[MESHOPT] ?? bv.extensions?.KHR_meshopt_compression;
  if (mo) {
    if (mo.buffer !== 0) throw new Error(`bufferView ${index}: compressed data in buffer ${mo.buffer}, expected the GLB's buffer 0`);
    const start = mo.byteOffset ?? 0;
    if (start + mo.byteLength > bin.byteLength) throw new Error(`bufferView ${index}: compressed data runs past the end of the buffer`);
    let out: Uint8Array;
    try {
      out = decodeMeshopt(bin.subarray(start, start + mo.byteLength), mo.count, mo.byteStride, mo.mode, mo.filter ?? "NONE");
    } catch (e) {
      throw new Error(`bufferView ${index}: meshopt decode failed (${(e as Error).message})`, { cause: e });
    }
    if (out.byteLength !== bv.byteLength)
      throw new Error(`bufferView ${index}: decodes to ${out.byteLength} bytes, declares ${bv.byteLength}`);
    return out;
  }
  if ((bv.buffer ?? 0) !== 0)
    throw new Error(`bufferView ${index} is in buffer ${bv.buffer} without compression (only the GLB buffer has data)`);
  const start = bv.byteOffset ?? 0;
  if (start + bv.byteLength > bin.byteLength) throw new Error(`bufferView ${index} runs past the end of the buffer`);
  return bin.slice(start, start + bv.byteLength);
}

const COMPONENTS: Record<string, number> = { SCALAR: 1, VEC2: 2, VEC3: 3, VEC4: 4, MAT4: 16 };

const CTORS = {
  [COMPONENT.BYTE]: Int8Array,
  [COMPONENT.UNSIGNED_BYTE]: Uint8Array,
  [COMPONENT.SHORT]: Int16Array,
  [COMPONENT.UNSIGNED_SHORT]: Uint16Array,
  [COMPONENT.UNSIGNED_INT]: Uint32Array,
  [COMPONENT.FLOAT]: Float32Array,
} as const;

export type AccessorArray = Float32Array | Uint32Array | Uint16Array | Int16Array | Uint8Array | Int8Array;

/** Reads a tightly packed (or strided, or meshopt-compressed) accessor into a typed array, raw. */
export function readAccessor(json: GltfJson, bin: Uint8Array, index: number): AccessorArray {
  const acc = json.accessors?.[index];
  if (!acc) throw new Error(`accessor ${index} does not exist`);
  const comps = COMPONENTS[acc.type];
  const bv = json.bufferViews[acc.bufferView];
  const Ctor = CTORS[acc.componentType as keyof typeof CTORS];
  if (!Ctor) throw new Error(`accessor ${index}: componentType ${acc.componentType} is not supported`);
  const size = Ctor.BYTES_PER_ELEMENT;
  const stride = bv.byteStride ?? size * comps;
  const view = bufferViewBytes(json, bin, acc.bufferView);
  const out = new Ctor(acc.count * comps);
  const base = acc.byteOffset ?? 0;
  const dv = new DataView(view.buffer, view.byteOffset, view.byteLength);
  for (let i = 0; i < acc.count; i++) {
    for (let c = 0; c < comps; c++) {
      const o = base + i * stride + c * size;
      out[i * comps + c] =
        Ctor === Float32Array
          ? dv.getFloat32(o, true)
          : Ctor === Uint32Array
            ? dv.getUint32(o, true)
            : Ctor === Uint16Array
              ? dv.getUint16(o, true)
              : Ctor === Int16Array
                ? dv.getInt16(o, true)
                : Ctor === Int8Array
                  ? dv.getInt8(o)
                  : dv.getUint8(o);
    }
  }
  return out;
}

/** An accessor as floats: normalized integers mapped to [0, 1] / [-1, 1] as glTF defines. */
export function readAccessorFloat(json: GltfJson, bin: Uint8Array, index: number): Float64Array {
  const acc = json.accessors[index];
  const raw = readAccessor(json, bin, index);
  const out = new Float64Array(raw.length);
  const div = !acc.normalized
    ? 1
    : acc.componentType === COMPONENT.BYTE
      ? 127
      : acc.componentType === COMPONENT.UNSIGNED_BYTE
        ? 255
        : acc.componentType === COMPONENT.SHORT
          ? 32767
          : acc.componentType === COMPONENT.UNSIGNED_SHORT
            ? 65535
            : 1;
  for (let i = 0; i < raw.length; i++) out[i] = div === 1 ? raw[i] : Math.max(raw[i] / div, -1);
  return out;
}

/**
 * POSITION of a primitive in its mesh's frame as the viewer places it: dequantized
 * (KHR_mesh_quantization) and with the translation/scale of the node that draws the mesh.
 * Rotations and node hierarchies are not written by the baker and are refused.
 */
export function readPositions(json: GltfJson, bin: Uint8Array, accessor: number, meshIndex = 0): Float64Array {
  const pos = readAccessorFloat(json, bin, accessor);
  const nodes: GltfJson[] = (json.nodes ?? []).filter((n: GltfJson) => n.mesh === meshIndex);
  if (nodes.length !== 1) throw new Error(`mesh ${meshIndex} is drawn by ${nodes.length} nodes, expected 1`);
  const node = nodes[0];
  if (node.matrix || node.rotation || node.children)
    throw new Error(`mesh ${meshIndex}: node has a matrix, rotation or children (the baker writes translation/scale only)`);
  const t = node.translation ?? [0, 0, 0];
  const s = node.scale ?? [1, 1, 1];
  for (let i = 0; i < pos.length; i += 3) {
    for (let k = 0; k < 3; k++) pos[i + k] = t[k] + s[k] * pos[i + k];
  }
  return pos;
}

/**
 * The same GLB with every meshopt-compressed bufferView decoded into the BIN chunk (what the
 * viewer holds after decoding). The Khronos validator does not implement
 * EXT_meshopt_compression, so it can only check the vertex data of this form.
 */
export function decompressGlb(bytes: Uint8Array): Uint8Array {
  const { json, bin } = readGlb(bytes);
  const compressed = (json.bufferViews ?? []).some((bv: GltfJson) => bv.extensions?.[MESHOPT] ?? bv.extensions?.KHR_meshopt_compression);
  if (!compressed) return bytes;
  const b = new BinaryBuilder();
  (json.bufferViews as GltfJson[]).forEach((bv, i) => {
    const v = b.bufferViews[b.addView(bufferViewBytes(json, bin, i), bv.target !== undefined ? { target: bv.target } : {})];
    if (bv.byteStride !== undefined) v.byteStride = bv.byteStride;
  });
  const data = b.finish();
  const drop = (list: string[] | undefined) => list?.filter((e) => e !== MESHOPT && e !== "KHR_meshopt_compression");
  const out: GltfJson = {
    ...json,
    extensionsUsed: drop(json.extensionsUsed),
    extensionsRequired: drop(json.extensionsRequired),
    bufferViews: b.bufferViews,
    buffers: [{ byteLength: data.byteLength }],
  };
  if (!out.extensionsRequired?.length) delete out.extensionsRequired;
  return writeGlb(out, data);
}
