// validateTileset(dir): checks a baked buildings tileset the way a careful reviewer would.
//  - tileset.json structure: asset.version 1.1, regions well-formed, every child region inside
//    its parent's, geometricError strictly decreasing parent → child, content files exist;
//  - every glb through the Khronos glTF validator (npm gltf-validator);
//  - EXT_mesh_features / EXT_structural_metadata, which that validator does NOT check (it
//    reports them as UNSUPPORTED_EXTENSION infos): schema, property-table buffers (8-byte
//    alignment, lengths, string offsets, enum values, UTF-8), feature ids within the table;
//  - geometry placement: every vertex, put through Cesium's y-up→z-up correction and the tile
//    transform, lies inside its tile's region.
// Reusable on the real generated tileset (calibration suite).

import { existsSync } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { join, relative, resolve, sep } from "node:path";
import * as gltfValidator from "gltf-validator";
import { IDENTITY4, multiplyMatrices } from "./geo";
import { bufferViewBytes, decompressGlb, readAccessor, readGlb, readPositions, type GltfJson } from "./glb";
import { positionsRegion, regionContains } from "./region";

export interface KhronosCounts {
  errors: number;
  warnings: number;
  infos: number;
  hints: number;
}

export interface GlbReport {
  uri: string;
  bytes: number;
  vertices: number;
  triangles: number;
  features: number;
  khronos: KhronosCounts & { byCode: Record<string, number>; messages: string[] };
  /** Problems found by this module's own checks (extensions, placement). */
  errors: string[];
  warnings: string[];
}

export interface TilesetReport {
  dir: string;
  ok: boolean;
  tiles: number;
  contentTiles: number;
  maxDepth: number;
  buildings: number;
  bytes: number;
  vertices: number;
  triangles: number;
  errors: string[];
  warnings: string[];
  /** Khronos validator totals over all glbs, and issue counts by code. */
  khronos: KhronosCounts & { byCode: Record<string, number>; version: string };
  glbs: GlbReport[];
}

export interface ValidateOptions {
  /** Run the Khronos validator (default true; it dominates the run time). */
  khronos?: boolean;
  /** Check every vertex against its tile's region (default true). */
  checkVertices?: boolean;
  /** Messages kept per glb (default 20). */
  maxMessages?: number;
}

/** Slack for vertex-in-region checks: float32 round-off, well under a millimetre. */
const TOL_RAD = 1e-10;
const TOL_M = 1e-3;
const SEVERITY = ["error", "warning", "info", "hint"];

export async function validateTileset(dir: string, opts: ValidateOptions = {}): Promise<TilesetReport> {
  const root = resolve(dir);
  const report: TilesetReport = {
    dir: root,
    ok: false,
    tiles: 0,
    contentTiles: 0,
    maxDepth: 0,
    buildings: 0,
    bytes: 0,
    vertices: 0,
    triangles: 0,
    errors: [],
    warnings: [],
    khronos: { errors: 0, warnings: 0, infos: 0, hints: 0, byCode: {}, version: gltfValidator.version() },
    glbs: [],
  };
  const err = (m: string) => report.errors.push(m);

  let tileset: GltfJson;
  try {
    const text = await readFile(join(root, "tileset.json"), "utf8");
    report.bytes += Buffer.byteLength(text);
    tileset = JSON.parse(text);
  } catch (e) {
    err(`tileset.json: ${(e as Error).message}`);
    return report;
  }
  if (tileset?.asset?.version !== "1.1") err(`asset.version is ${JSON.stringify(tileset?.asset?.version)}, expected "1.1"`);
  if (!isNonNegative(tileset.geometricError)) err(`tileset geometricError ${tileset.geometricError} is not a number ≥ 0`);
  if (!tileset.root || typeof tileset.root !== "object") {
    err("tileset has no root tile");
    return finish(report);
  }
  if (tileset.root.refine !== "ADD" && tileset.root.refine !== "REPLACE")
    err(`root.refine is ${JSON.stringify(tileset.root.refine)}, expected "ADD" or "REPLACE"`);
  if (isNonNegative(tileset.geometricError) && tileset.root.geometricError > tileset.geometricError) {
    report.warnings.push(`root geometricError ${tileset.root.geometricError} > tileset geometricError ${tileset.geometricError}`);
  }

  const ids = new Map<string, number>();
  const maxMessages = opts.maxMessages ?? 20;

  async function walk(
    tile: GltfJson,
    path: string,
    parent: { region?: number[]; error: number; transform: number[] } | undefined,
    depth: number,
  ) {
    report.tiles++;
    report.maxDepth = Math.max(report.maxDepth, depth);
    const region: number[] | undefined = tile.boundingVolume?.region;
    if (!tile.boundingVolume) err(`${path}: no boundingVolume`);
    else if (!region) report.warnings.push(`${path}: bounding volume is not a region (not checked)`);
    else {
      const why = badRegion(region);
      if (why) err(`${path}: region ${why}`);
      else if (parent?.region && !regionContains(parent.region, region, 1e-12, 1e-6))
        err(`${path}: region ${fmt(region)} is not inside its parent's ${fmt(parent.region)}`);
    }
    if (!isNonNegative(tile.geometricError)) err(`${path}: geometricError ${tile.geometricError} is not a number ≥ 0`);
    else if (parent && !(tile.geometricError < parent.error))
      err(`${path}: geometricError ${tile.geometricError} does not decrease from its parent's ${parent.error}`);
    if (tile.refine !== undefined && tile.refine !== "ADD" && tile.refine !== "REPLACE")
      err(`${path}: refine ${JSON.stringify(tile.refine)}`);
    let transform = parent?.transform ?? [...IDENTITY4];
    if (tile.transform !== undefined) {
      if (!Array.isArray(tile.transform) || tile.transform.length !== 16 || !tile.transform.every(Number.isFinite))
        err(`${path}: transform is not 16 numbers`);
      else transform = multiplyMatrices(transform, tile.transform);
    }
    const contents = [tile.content, ...(tile.contents ?? [])].filter(Boolean);
    for (const content of contents) {
      report.contentTiles++;
      const uri: string | undefined = content.uri ?? content.url;
      if (typeof uri !== "string") {
        err(`${path}: content has no uri`);
        continue;
      }
      const file = resolve(root, decodeURIComponent(uri));
      if (file !== root && !file.startsWith(root + sep)) {
        err(`${path}: content uri ${uri} points outside the tileset directory`);
        continue;
      }
      if (!existsSync(file)) {
        err(`${path}: content ${uri} does not exist`);
        continue;
      }
      if (!uri.toLowerCase().endsWith(".glb")) {
        report.warnings.push(`${path}: content ${uri} is not a .glb (not checked)`);
        report.bytes += (await stat(file)).size;
        continue;
      }
      const g = await checkGlb(file, relative(root, file), region, transform, opts, maxMessages);
      report.glbs.push(g);
      report.bytes += g.bytes;
      report.vertices += g.vertices;
      report.triangles += g.triangles;
      report.buildings += g.features;
      for (const id of g.ids ?? []) ids.set(id, (ids.get(id) ?? 0) + 1);
      delete g.ids;
    }
    const children: GltfJson[] = tile.children ?? [];
    if (!Array.isArray(children)) err(`${path}: children is not an array`);
    for (let i = 0; i < children.length; i++) {
      await walk(children[i], `${path}.children[${i}]`, { region, error: tile.geometricError, transform }, depth + 1);
    }
  }
  await walk(tileset.root, "root", undefined, 0);

  let dupes = 0;
  for (const n of ids.values()) if (n > 1) dupes++;
  if (dupes) report.warnings.push(`${dupes} building ids occur in more than one feature`);
  for (const g of report.glbs) {
    for (const k of ["errors", "warnings", "infos", "hints"] as const) report.khronos[k] += g.khronos[k];
    for (const [code, n] of Object.entries(g.khronos.byCode)) report.khronos.byCode[code] = (report.khronos.byCode[code] ?? 0) + n;
  }
  return finish(report);
}

function finish(report: TilesetReport): TilesetReport {
  report.ok = report.errors.length === 0 && report.khronos.errors === 0 && report.glbs.every((g) => g.errors.length === 0);
  return report;
}

function isNonNegative(v: unknown): v is number {
  return typeof v === "number" && Number.isFinite(v) && v >= 0;
}

function fmt(r: ArrayLike<number>): string {
  return `[${Array.from(r, (v) => +v.toFixed(9)).join(", ")}]`;
}

function badRegion(r: unknown): string | undefined {
  if (!Array.isArray(r) || r.length !== 6 || !r.every((v) => typeof v === "number" && Number.isFinite(v))) return "is not 6 finite numbers";
  const [w, s, e, n, lo, hi] = r;
  if (w < -Math.PI || e > Math.PI || s < -Math.PI / 2 || n > Math.PI / 2) return `${fmt(r)} is out of range (radians expected)`;
  if (s > n) return `${fmt(r)} has south > north`;
  if (w > e) return `${fmt(r)} has west > east (antimeridian crossing is not expected here)`;
  if (lo > hi) return `${fmt(r)} has minimumHeight > maximumHeight`;
  return undefined;
}

async function checkGlb(
  file: string,
  uri: string,
  region: number[] | undefined,
  transform: number[],
  opts: ValidateOptions,
  maxMessages: number,
): Promise<GlbReport & { ids?: string[] }> {
  const bytes = new Uint8Array(await readFile(file));
  const g: GlbReport & { ids?: string[] } = {
    uri,
    bytes: bytes.byteLength,
    vertices: 0,
    triangles: 0,
    features: 0,
    khronos: { errors: 0, warnings: 0, infos: 0, hints: 0, byCode: {}, messages: [] },
    errors: [],
    warnings: [],
  };
  if (opts.khronos ?? true) {
    const record = (r: Awaited<ReturnType<typeof gltfValidator.validateBytes>>, prefix: string) => {
      g.khronos.errors += r.issues.numErrors;
      g.khronos.warnings += r.issues.numWarnings;
      g.khronos.infos += r.issues.numInfos;
      g.khronos.hints += r.issues.numHints;
      for (const m of r.issues.messages) {
        const code = prefix + m.code;
        g.khronos.byCode[code] = (g.khronos.byCode[code] ?? 0) + 1;
        if (g.khronos.messages.length < maxMessages || m.severity <= 1)
          g.khronos.messages.push(`${prefix}${SEVERITY[m.severity] ?? m.severity} ${m.code} ${m.pointer ?? ""}: ${m.message}`);
      }
    };
    record(await gltfValidator.validateBytes(bytes, { uri, format: "glb", maxIssues: 0, writeTimestamp: false }), "");
    // The validator skips meshopt-compressed data (unsupported extension): validate the decoded
    // form as well, so accessor bounds, index ranges and quantized attributes are checked.
    let decoded: Uint8Array | undefined;
    try {
      decoded = decompressGlb(bytes);
    } catch (e) {
      g.errors.push(`${uri}: cannot decode: ${(e as Error).message}`);
    }
    if (decoded && decoded !== bytes)
      record(await gltfValidator.validateBytes(decoded, { uri, format: "glb", maxIssues: 0, writeTimestamp: false }), "decoded ");
  }
  let json: GltfJson;
  let bin: Uint8Array;
  try {
    ({ json, bin } = readGlb(bytes));
  } catch (e) {
    g.errors.push(`${uri}: ${(e as Error).message}`);
    return g;
  }
  try {
    const meta = checkStructuralMetadata(json, bin, g.errors, g.warnings);
    g.ids = meta.ids;
    checkMeshFeatures(json, bin, meta.counts, g);
    if (opts.checkVertices ?? true) checkPlacement(json, bin, region, transform, uri, g);
  } catch (e) {
    g.errors.push(`${uri}: ${(e as Error).message}`);
  }
  return g;
}

const SCALAR_SIZE: Record<string, number> = {
  INT8: 1,
  UINT8: 1,
  INT16: 2,
  UINT16: 2,
  INT32: 4,
  UINT32: 4,
  INT64: 8,
  UINT64: 8,
  FLOAT32: 4,
  FLOAT64: 8,
};
const TYPE_COMPONENTS: Record<string, number> = { SCALAR: 1, VEC2: 2, VEC3: 3, VEC4: 4, MAT2: 4, MAT3: 9, MAT4: 16 };

export interface DecodedPropertyTable {
  name?: string;
  class: string;
  count: number;
  /** column name → one value per row (undefined where the class's noData sentinel is stored). */
  columns: Record<string, Array<string | number | boolean | undefined>>;
}

/**
 * Decodes the EXT_structural_metadata property tables of a glb (single values of SCALAR,
 * STRING, BOOLEAN and ENUM properties — what the baker writes). Throws on malformed data.
 */
export function decodePropertyTables(json: GltfJson, bin: Uint8Array): DecodedPropertyTable[] {
  const ext = json.extensions?.EXT_structural_metadata;
  if (!ext) return [];
  const schema = ext.schema;
  const out: DecodedPropertyTable[] = [];
  for (const table of ext.propertyTables ?? []) {
    const cls = schema?.classes?.[table.class];
    if (!cls) throw new Error(`property table class ${table.class} is not in the schema`);
    const count: number = table.count;
    const columns: DecodedPropertyTable["columns"] = {};
    for (const [name, prop] of Object.entries<GltfJson>(table.properties ?? {})) {
      const def = cls.properties?.[name];
      if (!def) throw new Error(`property ${name} is not in class ${table.class}`);
      if (def.array) throw new Error(`property ${name}: arrays are not supported by this decoder`);
      const values = bufferViewBytes(json, bin, prop.values);
      const dv = new DataView(values.buffer, values.byteOffset, values.byteLength);
      const col: Array<string | number | boolean | undefined> = [];
      if (def.type === "STRING") {
        const offType = prop.stringOffsetType ?? "UINT32";
        const offBytes = bufferViewBytes(json, bin, prop.stringOffsets);
        const size = SCALAR_SIZE[offType];
        if (offBytes.byteLength !== (count + 1) * size)
          throw new Error(`property ${name}: stringOffsets has ${offBytes.byteLength} bytes, expected ${(count + 1) * size}`);
        const odv = new DataView(offBytes.buffer, offBytes.byteOffset, offBytes.byteLength);
        const off = (i: number) =>
          size === 4
            ? odv.getUint32(i * 4, true)
            : size === 2
              ? odv.getUint16(i * 2, true)
              : size === 1
                ? odv.getUint8(i)
                : Number(odv.getBigUint64(i * 8, true));
        if (off(0) !== 0) throw new Error(`property ${name}: first string offset is ${off(0)}, expected 0`);
        if (off(count) !== values.byteLength)
          throw new Error(`property ${name}: last string offset ${off(count)} ≠ values length ${values.byteLength}`);
        const dec = new TextDecoder("utf-8", { fatal: true });
        for (let i = 0; i < count; i++) {
          const a = off(i);
          const b = off(i + 1);
          if (b < a) throw new Error(`property ${name}: string offsets decrease at row ${i}`);
          col.push(dec.decode(values.subarray(a, b)));
        }
      } else if (def.type === "BOOLEAN") {
        if (values.byteLength < Math.ceil(count / 8)) throw new Error(`property ${name}: ${values.byteLength} bytes for ${count} booleans`);
        for (let i = 0; i < count; i++) col.push(((values[i >> 3] >> (i & 7)) & 1) === 1);
      } else if (def.type === "ENUM") {
        const en = schema.enums?.[def.enumType];
        if (!en) throw new Error(`property ${name}: enum ${def.enumType} is not in the schema`);
        const vt = en.valueType ?? "UINT16";
        const size = SCALAR_SIZE[vt];
        if (values.byteLength !== count * size) throw new Error(`property ${name}: ${values.byteLength} bytes, expected ${count * size}`);
        const names = new Map<number, string>(en.values.map((v: { name: string; value: number }) => [v.value, v.name]));
        for (let i = 0; i < count; i++) {
          const code = readScalar(dv, vt, i * size);
          const n = names.get(code);
          if (n === undefined) throw new Error(`property ${name}: row ${i} has enum code ${code} not in ${def.enumType}`);
          col.push(n);
        }
      } else if (def.type === "SCALAR") {
        const ct: string = def.componentType;
        const size = SCALAR_SIZE[ct];
        if (!size) throw new Error(`property ${name}: unknown componentType ${ct}`);
        if (values.byteLength !== count * size) throw new Error(`property ${name}: ${values.byteLength} bytes, expected ${count * size}`);
        for (let i = 0; i < count; i++) col.push(readScalar(dv, ct, i * size));
      } else {
        if (!TYPE_COMPONENTS[def.type]) throw new Error(`property ${name}: unknown type ${def.type}`);
        throw new Error(`property ${name}: type ${def.type} is not supported by this decoder`);
      }
      if (def.noData !== undefined) {
        for (let i = 0; i < col.length; i++) if (col[i] === def.noData) col[i] = undefined;
      }
      columns[name] = col;
    }
    out.push({ name: table.name, class: table.class, count, columns });
  }
  return out;
}

function readScalar(dv: DataView, ct: string, o: number): number {
  switch (ct) {
    case "INT8":
      return dv.getInt8(o);
    case "UINT8":
      return dv.getUint8(o);
    case "INT16":
      return dv.getInt16(o, true);
    case "UINT16":
      return dv.getUint16(o, true);
    case "INT32":
      return dv.getInt32(o, true);
    case "UINT32":
      return dv.getUint32(o, true);
    case "INT64":
      return Number(dv.getBigInt64(o, true));
    case "UINT64":
      return Number(dv.getBigUint64(o, true));
    case "FLOAT32":
      return dv.getFloat32(o, true);
    case "FLOAT64":
      return dv.getFloat64(o, true);
    default:
      throw new Error(`unknown componentType ${ct}`);
  }
}

function checkStructuralMetadata(
  json: GltfJson,
  bin: Uint8Array,
  errors: string[],
  warnings: string[],
): { counts: number[]; ids: string[] } {
  const used: string[] = json.extensionsUsed ?? [];
  const ext = json.extensions?.EXT_structural_metadata;
  if (!ext) {
    warnings.push("no EXT_structural_metadata: features have no properties");
    return { counts: [], ids: [] };
  }
  if (!used.includes("EXT_structural_metadata")) errors.push("EXT_structural_metadata is used but not listed in extensionsUsed");
  if (!ext.schema) {
    if (ext.schemaUri) warnings.push("external schemaUri not checked");
    else errors.push("EXT_structural_metadata has no schema");
    return { counts: [], ids: [] };
  }
  if (typeof ext.schema.id !== "string" || !/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(ext.schema.id))
    errors.push(`schema.id ${JSON.stringify(ext.schema.id)} is missing or not an identifier`);
  const counts: number[] = [];
  const tables: GltfJson[] = ext.propertyTables ?? [];
  for (let t = 0; t < tables.length; t++) {
    const table = tables[t];
    counts.push(table.count);
    if (!Number.isInteger(table.count) || table.count < 1) errors.push(`propertyTables[${t}].count ${table.count} is not an integer ≥ 1`);
    const cls = ext.schema.classes?.[table.class];
    if (!cls) continue; // reported by the decoder below
    for (const [name, def] of Object.entries<GltfJson>(cls.properties ?? {})) {
      if (def.required && !table.properties?.[name]) errors.push(`propertyTables[${t}]: required property ${name} is missing`);
      if (def.noData !== undefined && def.required) errors.push(`class ${table.class}.${name}: noData on a required property`);
      if (def.noData !== undefined && def.type === "BOOLEAN") errors.push(`class ${table.class}.${name}: noData is not allowed on BOOLEAN`);
    }
    for (const [name, prop] of Object.entries<GltfJson>(table.properties ?? {})) {
      for (const key of ["values", "arrayOffsets", "stringOffsets"]) {
        const idx = prop[key];
        if (idx === undefined) continue;
        const bv = json.bufferViews?.[idx];
        if (!bv) {
          errors.push(`propertyTables[${t}].${name}.${key}: bufferView ${idx} does not exist`);
          continue;
        }
        if ((bv.byteOffset ?? 0) % 8 !== 0)
          errors.push(`propertyTables[${t}].${name}.${key}: bufferView ${idx} byteOffset ${bv.byteOffset} is not 8-byte aligned`);
        if (bv.target !== undefined)
          errors.push(`propertyTables[${t}].${name}.${key}: bufferView ${idx} has a target (only vertex/index data may)`);
        if (bv.byteStride !== undefined) errors.push(`propertyTables[${t}].${name}.${key}: bufferView ${idx} has a byteStride`);
      }
    }
  }
  let ids: string[] = [];
  try {
    const decoded = decodePropertyTables(json, bin);
    for (const d of decoded) {
      const col = d.columns.id;
      if (col) ids = ids.concat(col.filter((v): v is string => typeof v === "string"));
    }
  } catch (e) {
    errors.push(`EXT_structural_metadata: ${(e as Error).message}`);
  }
  return { counts, ids };
}

function checkMeshFeatures(json: GltfJson, bin: Uint8Array, tableCounts: number[], g: GlbReport): void {
  const used: string[] = json.extensionsUsed ?? [];
  for (const [m, mesh] of (json.meshes ?? []).entries()) {
    for (const [p, prim] of (mesh.primitives ?? []).entries()) {
      const where = `meshes[${m}].primitives[${p}]`;
      const pos = prim.attributes?.POSITION;
      if (pos !== undefined) g.vertices += json.accessors[pos].count;
      if (prim.indices !== undefined && (prim.mode ?? 4) === 4) g.triangles += json.accessors[prim.indices].count / 3;
      const ext = prim.extensions?.EXT_mesh_features;
      if (!ext) continue;
      if (!used.includes("EXT_mesh_features")) g.errors.push("EXT_mesh_features is used but not listed in extensionsUsed");
      for (const [k, fid] of (ext.featureIds ?? []).entries()) {
        const w = `${where} featureIds[${k}]`;
        if (!Number.isInteger(fid.featureCount) || fid.featureCount < 1)
          g.errors.push(`${w}: featureCount ${fid.featureCount} is not an integer ≥ 1`);
        if (fid.propertyTable !== undefined) {
          const count = tableCounts[fid.propertyTable];
          if (count === undefined) g.errors.push(`${w}: propertyTable ${fid.propertyTable} does not exist`);
          else if (fid.featureCount > count) g.errors.push(`${w}: featureCount ${fid.featureCount} > property table count ${count}`);
        }
        if (fid.attribute === undefined) continue;
        const acc = prim.attributes?.[`_FEATURE_ID_${fid.attribute}`];
        if (acc === undefined) {
          g.errors.push(`${w}: attribute _FEATURE_ID_${fid.attribute} is missing`);
          continue;
        }
        const a = json.accessors[acc];
        if (a.type !== "SCALAR" || a.normalized) g.errors.push(`${w}: feature id accessor must be SCALAR and not normalized`);
        const values = readAccessor(json, bin, acc);
        const seen = new Set<number>();
        const limit = fid.propertyTable !== undefined ? tableCounts[fid.propertyTable] : fid.featureCount;
        let bad = 0;
        for (const v of values) {
          if (v === fid.nullFeatureId) continue;
          if (!Number.isInteger(v) || v < 0 || v >= limit) bad++;
          else seen.add(v);
        }
        if (bad) g.errors.push(`${w}: ${bad} vertices have feature ids outside [0, ${limit})`);
        if (seen.size !== fid.featureCount)
          g.warnings.push(`${w}: featureCount ${fid.featureCount} but ${seen.size} distinct ids are used`);
        g.features += seen.size;
      }
    }
  }
}

function checkPlacement(
  json: GltfJson,
  bin: Uint8Array,
  region: number[] | undefined,
  transform: number[],
  uri: string,
  g: GlbReport,
): void {
  if (!region) return;
  // The baker writes one node per mesh with at most a translation/scale (the dequantization of
  // KHR_mesh_quantization positions); other layouts are only partly checked.
  const nodes: GltfJson[] = json.nodes ?? [];
  if (nodes.some((n) => n.matrix || n.rotation || n.children)) {
    g.warnings.push(`${uri}: node matrices/rotations/children present; vertex placement check skipped`);
    return;
  }
  for (const [m, mesh] of (json.meshes ?? []).entries()) {
    for (const prim of mesh.primitives ?? []) {
      if (prim.attributes?.POSITION === undefined) continue;
      const pos = readPositions(json, bin, prim.attributes.POSITION, m);
      const r = positionsRegion(pos, transform);
      if (!regionContains(region, r, TOL_RAD, TOL_M))
        g.errors.push(`${uri}: vertices span ${fmt(r)}, outside the tile region ${fmt(region)}`);
    }
  }
}
