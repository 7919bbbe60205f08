// validateGroundTileset(dir): everything validateTileset checks (Khronos glTF validator on every
// glb, tileset structure, EXT_mesh_features / EXT_structural_metadata, vertex placement), plus
// what the Khronos validator cannot know about a baked ground tileset:
//  - every feature's `layer` is one the tileset declares (asset.extras.layers), and the leaves
//    hold each declared feature exactly once (their counts match what the layer panel shows);
//  - REPLACE honesty: an inner tile only holds features of its own subtree, and every feature it
//    leaves out is no larger than its geometricError (bbox diagonal of the feature's vertices);
//  - every feature that is in a table has triangles, and every triangle faces up;
//  - outlines (rows with part "outline", drawn as lines by a second mesh): each one has line
//    segments and only those, follows a fill of the same layer and id in the same tile (same
//    bounding box), and they are not counted as features (asset.extras.layers[…].outlines).

import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { readAccessor, readGlb, readPositions, type GltfJson } from "./glb";
import { OUTLINE_PART } from "./ground";
import { decodePropertyTables } from "./validate";
import { validateTileset, type TilesetReport, type ValidateOptions } from "./validate";

export interface GroundReport extends TilesetReport {
  /** Features per layer found in the leaves (outlines not counted). */
  leafFeatures: Record<string, number>;
  /** Outline rows per layer found in the leaves. */
  leafOutlines: Record<string, number>;
}

interface TileFeatures {
  /** `layer/id` → bbox diagonal of its vertices (m). */
  sizes: Map<string, number>;
}

/** Relative slack for size comparisons (the tile plane vs the baker's local metres). */
const SIZE_TOL = 0.01;
/** How far an outline's box may be from its fill's (m): two 16-bit quantizations of ≤ 30 km. */
const OUTLINE_BOX_TOL_M = 1;

export async function validateGroundTileset(dir: string, opts: ValidateOptions = {}): Promise<GroundReport> {
  const base = await validateTileset(dir, opts);
  // REPLACE refinement repeats big features in inner tiles on purpose.
  const report: GroundReport = {
    ...base,
    warnings: base.warnings.filter((w) => !/ids occur in more than one feature/.test(w)),
    leafFeatures: {},
    leafOutlines: {},
  };
  const err = (m: string) => report.errors.push(m);
  const root = resolve(dir);
  let tileset: GltfJson;
  try {
    tileset = JSON.parse(await readFile(join(root, "tileset.json"), "utf8"));
  } catch {
    return report; // already reported by validateTileset
  }
  const maybe: Record<string, { features: number; outlines?: number }> | undefined = tileset.asset?.extras?.layers;
  if (!maybe || typeof maybe !== "object") {
    err("asset.extras.layers is missing: the viewer cannot show per-layer feature counts");
    report.ok = false;
    return report;
  }
  const declared = maybe;

  const leafSeen = new Map<string, string>(); // key → tile path
  async function contentOf(tile: GltfJson, path: string): Promise<(TileFeatures & { outlines: Map<string, number> }) | undefined> {
    const uri: string | undefined = tile.content?.uri;
    if (!uri) return undefined;
    let json: GltfJson;
    let bin: Uint8Array;
    try {
      ({ json, bin } = readGlb(new Uint8Array(await readFile(join(root, uri)))));
    } catch {
      return undefined; // reported by validateTileset
    }
    const tables = decodePropertyTables(json, bin);
    const table = tables[0];
    if (!table?.columns.layer || !table.columns.id) {
      err(`${path} (${uri}): property table has no layer/id columns`);
      return undefined;
    }
    const prim = json.meshes?.[0]?.primitives?.[0];
    const linePrim = json.meshes?.[1]?.primitives?.[0];
    if (
      !json.meshes?.length ||
      json.meshes.length > 2 ||
      json.meshes.some((m: GltfJson) => m.primitives?.length !== 1) ||
      (prim?.mode ?? 4) !== 4 ||
      (linePrim && linePrim.mode !== 1)
    )
      err(`${path} (${uri}): expected one mesh with one triangle primitive (one draw per tile), and at most one more of lines (outlines)`);
    if (prim?.attributes?.NORMAL !== undefined) err(`${path} (${uri}): ground has normals; it is meant to be unlit`);
    const pos = readPositions(json, bin, prim.attributes.POSITION);
    const fid = readAccessor(json, bin, prim.attributes._FEATURE_ID_0);
    const idx = readAccessor(json, bin, prim.indices);
    const n = table.count;
    const isOutline = (i: number) => table.columns.part?.[i] === OUTLINE_PART;
    const box = Array.from({ length: n }, () => [Infinity, Infinity, -Infinity, -Infinity]);
    const tris = new Array<number>(n).fill(0);
    const segs = new Array<number>(n).fill(0);
    let down = 0;
    for (let t = 0; t < idx.length; t += 3) {
      const [a, b, c] = [idx[t], idx[t + 1], idx[t + 2]];
      // glTF y-up (e, u, −n) → plane (e, n)
      const ax = pos[3 * a],
        an = -pos[3 * a + 2];
      const bx = pos[3 * b],
        bn = -pos[3 * b + 2];
      const cx = pos[3 * c],
        cn = -pos[3 * c + 2];
      if ((bx - ax) * (cn - an) - (bn - an) * (cx - ax) < 0) down++;
      tris[fid[a]]++;
    }
    if (down) err(`${path} (${uri}): ${down} triangles face down (back-face culled from above)`);
    const grow = (p: Float64Array, ids: ArrayLike<number>) => {
      for (let v = 0; v < ids.length; v++) {
        const b = box[ids[v]];
        if (!b) continue;
        const e = p[3 * v];
        const nn = -p[3 * v + 2];
        b[0] = Math.min(b[0], e);
        b[1] = Math.min(b[1], nn);
        b[2] = Math.max(b[2], e);
        b[3] = Math.max(b[3], nn);
      }
    };
    grow(pos, fid);
    if (linePrim) {
      const lpos = readPositions(json, bin, linePrim.attributes.POSITION, 1);
      const lfid = readAccessor(json, bin, linePrim.attributes._FEATURE_ID_0);
      const lidx = readAccessor(json, bin, linePrim.indices);
      for (let s = 0; s < lidx.length; s += 2) {
        if (lfid[lidx[s]] !== lfid[lidx[s + 1]]) err(`${path} (${uri}): a line segment joins two features`);
        segs[lfid[lidx[s]]]++;
      }
      grow(lpos, lfid);
    }
    const sizes = new Map<string, number>();
    const fillBox = new Map<string, number[]>();
    const outlines = new Map<string, number>();
    for (let i = 0; i < n; i++) {
      const layer = String(table.columns.layer[i]);
      const id = String(table.columns.id[i]);
      if (!(layer in declared)) err(`${path} (${uri}): feature ${i} has layer "${layer}", not one of ${Object.keys(declared).join(", ")}`);
      const b = box[i];
      if (isOutline(i)) {
        if (tris[i] || !segs[i]) err(`${path} (${uri}): outline ${layer}/${id} has ${tris[i]} triangles and ${segs[i]} line segments`);
        outlines.set(`${layer}/${id}`, i);
        continue;
      }
      if (!tris[i] || segs[i]) err(`${path} (${uri}): feature ${layer}/${id} has ${tris[i]} triangles and ${segs[i]} line segments`);
      sizes.set(`${layer}/${id}`, Math.hypot(b[2] - b[0], b[3] - b[1]));
      fillBox.set(`${layer}/${id}`, b);
    }
    for (const [key, i] of outlines) {
      const f = fillBox.get(key);
      // The outer ring's vertices are the fill's: the same box, up to the two meshes' quantization.
      if (!f) err(`${path} (${uri}): outline ${key} has no fill in this tile`);
      else if (box[i].some((v, k) => Math.abs(v - f[k]) > OUTLINE_BOX_TOL_M))
        err(`${path} (${uri}): outline ${key} does not follow its fill (boxes differ by more than ${OUTLINE_BOX_TOL_M} m)`);
    }
    return { sizes, outlines };
  }

  /** Returns the features of the subtree's leaves with their sizes. */
  async function walk(tile: GltfJson, path: string): Promise<Map<string, number>> {
    const own = await contentOf(tile, path);
    const children: GltfJson[] = tile.children ?? [];
    if (!children.length) {
      const leaf = own?.sizes ?? new Map<string, number>();
      for (const key of leaf.keys()) {
        const prev = leafSeen.get(key);
        if (prev) err(`${path}: feature ${key} is also in leaf ${prev}`);
        leafSeen.set(key, path);
        const layer = key.slice(0, key.indexOf("/"));
        report.leafFeatures[layer] = (report.leafFeatures[layer] ?? 0) + 1;
      }
      for (const key of own?.outlines.keys() ?? []) {
        const layer = key.slice(0, key.indexOf("/"));
        report.leafOutlines[layer] = (report.leafOutlines[layer] ?? 0) + 1;
      }
      return leaf;
    }
    const subtree = new Map<string, number>();
    for (let i = 0; i < children.length; i++) for (const [k, v] of await walk(children[i], `${path}.children[${i}]`)) subtree.set(k, v);
    // An inner tile without content draws nothing: everything below it is "left out".
    const ownSizes = own?.sizes ?? new Map<string, number>();
    for (const key of ownSizes.keys())
      if (!subtree.has(key)) err(`${path}: holds ${key}, which no leaf below it has (REPLACE would lose or invent it)`);
    let worst: [string, number] | undefined;
    for (const [key, size] of subtree) if (!ownSizes.has(key) && (!worst || size > worst[1])) worst = [key, size];
    if (worst && worst[1] > tile.geometricError * (1 + SIZE_TOL) + 0.5)
      err(`${path}: geometricError ${tile.geometricError} m but it leaves out ${worst[0]}, ${worst[1].toFixed(1)} m across`);
    return subtree;
  }
  await walk(tileset.root, "root");
  for (const [layer, d] of Object.entries(declared))
    if ((report.leafFeatures[layer] ?? 0) !== d.features)
      err(`layer ${layer}: the leaves hold ${report.leafFeatures[layer] ?? 0} features, asset.extras.layers says ${d.features}`);
  for (const [layer, d] of Object.entries(declared))
    if ((report.leafOutlines[layer] ?? 0) !== (d.outlines ?? 0))
      err(`layer ${layer}: the leaves hold ${report.leafOutlines[layer] ?? 0} outlines, asset.extras.layers says ${d.outlines ?? 0}`);
  report.ok = report.ok && report.errors.length === 0;
  return report;
}
