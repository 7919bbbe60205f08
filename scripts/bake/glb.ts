// Minimal GLB container writer/reader. Every bufferView starts on an 8-byte boundary: that
// satisfies glTF's accessor alignment and EXT_structural_metadata's 8-byte rule for
// property-table buffers at once.

export const ARRAY_BUFFER = 34962;
export const ELEMENT_ARRAY_BUFFER = 34963;

export const COMPONENT = { UNSIGNED_BYTE: 5121, UNSIGNED_SHORT: 5123, UNSIGNED_INT: 5125, FLOAT: 5126 } as const;

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
}

/** Collects binary blobs into one buffer, handing out bufferView indices in call order. */
export class BinaryBuilder {
  readonly bufferViews: GltfBufferView[] = [];
  private readonly parts: Uint8Array[] = [];
  private length = 0;

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

/** The bytes of a bufferView (copied, so typed arrays over it are aligned). */
export function bufferViewBytes(json: GltfJson, bin: Uint8Array, index: number): Uint8Array {
  const bv = json.bufferViews?.[index];
  if (!bv) throw new Error(`bufferView ${index} does not exist`);
  const start = bv.byteOffset ?? 0;
  if (start + bv.byteLength > bin.byteLength) throw new Error(`bufferView ${index} runs past the end of the buffer`);
  return bin.slice(start, start + bv.byteLength);
}

const COMPONENTS: Record<string, number> = { SCALAR: 1, VEC2: 2, VEC3: 3, VEC4: 4, MAT4: 16 };

/** Reads a tightly packed (or strided) accessor into a typed array. */
export function readAccessor(json: GltfJson, bin: Uint8Array, index: number): Float32Array | Uint32Array | Uint16Array | Uint8Array {
  const acc = json.accessors?.[index];
  if (!acc) throw new Error(`accessor ${index} does not exist`);
  const comps = COMPONENTS[acc.type];
  const bv = json.bufferViews[acc.bufferView];
  const Ctor =
    acc.componentType === COMPONENT.FLOAT ? Float32Array
    : acc.componentType === COMPONENT.UNSIGNED_INT ? Uint32Array
    : acc.componentType === COMPONENT.UNSIGNED_SHORT ? Uint16Array
    : Uint8Array;
  const elemBytes = Ctor.BYTES_PER_ELEMENT * comps;
  const stride = bv.byteStride ?? elemBytes;
  const out = new Ctor(acc.count * comps);
  const base = (bv.byteOffset ?? 0) + (acc.byteOffset ?? 0);
  const dv = new DataView(bin.buffer, bin.byteOffset, bin.byteLength);
  for (let i = 0; i < acc.count; i++) {
    for (let c = 0; c < comps; c++) {
      const o = base + i * stride + c * Ctor.BYTES_PER_ELEMENT;
      out[i * comps + c] =
        Ctor === Float32Array ? dv.getFloat32(o, true)
        : Ctor === Uint32Array ? dv.getUint32(o, true)
        : Ctor === Uint16Array ? dv.getUint16(o, true)
        : dv.getUint8(o);
    }
  }
  return out;
}
