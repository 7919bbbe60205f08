// Bakes the flat ground layers (land use, water, roads, parks, greenways, other green, tree
// canopy …) into 3D Tiles 1.1 at build time, so the viewer triangulates nothing at load.
//
// - Layers that name the same `tiles` URL in data/catalog.json share one tileset, and in each
//   tile ONE primitive holds every layer's triangles: one draw call per tile. A `layer` property
//   tells the features apart; the viewer shows, hides and colours each layer through one
//   Cesium3DTileStyle (src/cesium/groundTiles.ts).
// - Polygons are triangulated flat at the layer's heightOffsetM; lines become ribbons of their
//   real width (`widthM`, else the layer's default) with mitred joins.
// - Features: EXT_mesh_features (one feature id per vertex) + EXT_structural_metadata (one
//   property table per tile; the class is the union of the layers' GeoJSON properties).
// - Hierarchy: a quadtree by feature centroid. Leaves hold every feature of their cell at full
//   detail (geometricError 0). An inner tile holds the features of its subtree whose size is at
//   least 1/16 of the tile (big blocks, the river, long roads) and is REPLACEd by its children;
//   its geometricError is that size threshold, an upper bound on any feature it leaves out — so
//   far away the city is drawn from a few coarse tiles, near by from the leaves.
// - Outlines: a polygon layer baked with `outline` (its catalog style has an outlineColor: the
//   translucent overlays — compounds, parking, construction) also gets every ring as GL lines
//   (one pixel wide at any distance, like the vector outlines they replace), a little above the
//   fill, in a second mesh of the same glb. Each outline is a row of its own in the property
//   table — the fill's properties and id plus `part: "outline"` — so the one style colours it
//   with the layer's outlineColor, and filters, highlight and picking treat it as its polygon.
//   Outline rows are not features: asset.extras.layers counts polygons (`outlines` on its own).
// - No normals and KHR_materials_unlit: the ground is drawn in its palette colours, unlit.
// - Triangles are written top layer first, so a GPU with early depth rejection shades each
//   ground pixel about once (the ground is opaque; translucency only where a user asks).
//
// Deterministic: same inputs → byte-identical files.

import { existsSync, readFileSync } from "node:fs";
import { mkdir, readdir, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { ShapeUtils, Vector2 } from "three";
import { DEG, EnuFrame } from "./geo";
import { COMPRESSION_EXTENSIONS, writeCompressedLines, writeCompressedPrimitive } from "./compress";
import { BinaryBuilder, writeGlb } from "./glb";
import { metresPerDegree, type LonLat } from "./input";
import { positionsRegion, unionRegion, emptyRegion, type Region } from "./region";

export const GROUND_SCHEMA_ID = "warm_city_ground";
export const GROUND_CLASS_ID = "groundFeature";

/** One catalog layer to bake. */
export interface GroundLayerInput {
  id: string;
  kind: "polygon" | "line";
  /** GeoJSON FeatureCollection file. */
  file: string;
  /** Height above the ellipsoid (the layer's style.heightOffsetM). */
  heightM: number;
  /** Ribbon width for lines without a numeric `widthM` property. */
  defaultWidthM?: number;
  /** Polygons only: also bake each ring as lines (rows with `part: "outline"`). */
  outline?: boolean;
}

/** Height of an outline above its fill (m): enough not to z-fight, too little to see as a gap. */
export const OUTLINE_LIFT_M = 0.3;
/** The `part` value of an outline row (the fill's rows have no `part`). */
export const OUTLINE_PART = "outline";

export interface GroundBakeOptions {
  /** Most features per leaf tile (default 3,000). */
  maxFeaturesPerTile?: number;
  maxDepth?: number;
  log?: (line: string) => void;
}

export interface GroundBakeResult {
  tiles: number;
  contentTiles: number;
  bytes: number;
  vertices: number;
  triangles: number;
  /** Sliver triangles that 16-bit position quantization turned over or flat, left out. */
  droppedSlivers: { triangles: number; areaM2: number };
  /** Largest position quantization step of any tile, metres. */
  maxStepM: number;
  layers: Record<string, LayerCounts>;
  /** Outline line segments (GL lines), all tiles. */
  lineSegments: number;
  ms: number;
}

/** Per layer: polygons/lines baked, features skipped, and (outlined layers) outline rows. */
export interface LayerCounts {
  features: number;
  skipped: number;
  outlines?: number;
}

interface GroundFeature {
  layer: string;
  layerIndex: number;
  props: Record<string, string | number>;
  /** Polygons: rings per polygon (first outer); lines: one ring = the line. */
  polygons?: LonLat[][][];
  line?: LonLat[];
  widthM: number;
  heightM: number;
  /** Its rings are baked as outline lines too. */
  outline: boolean;
  centroid: LonLat;
  bbox: [number, number, number, number];
  /** bbox diagonal, metres: the error made by leaving the feature out. */
  sizeM: number;
}

type PropType = "STRING" | "FLOAT64";
export interface GroundClassProperty {
  type: "STRING" | "SCALAR";
  componentType?: "FLOAT64";
  required?: boolean;
  noData?: string | number;
  semantic?: string;
  description?: string;
}

const LINE_MITER_LIMIT = 2.5;
/** "No data" for numbers: Cesium then returns undefined, as for a missing GeoJSON property. */
export const NUMBER_NO_DATA = -1e300;
const REGION_PAD_RAD = 1e-9;
const REGION_PAD_M = 0.01;

/** Reads the layers' GeoJSON into ground features; unusable features are counted, not thrown. */
export function readGroundLayers(layers: GroundLayerInput[]): {
  features: GroundFeature[];
  report: Record<string, LayerCounts>;
} {
  const features: GroundFeature[] = [];
  const report: Record<string, LayerCounts> = {};
  layers.forEach((layer, layerIndex) => {
    const json = JSON.parse(readFileSync(layer.file, "utf8")) as { type?: string; features?: unknown[] };
    if (json.type !== "FeatureCollection" || !Array.isArray(json.features))
      throw new Error(`${layer.file}: not a GeoJSON FeatureCollection`);
    const r: LayerCounts = (report[layer.id] = { features: 0, skipped: 0 });
    const outlined = layer.kind === "polygon" && !!layer.outline;
    if (outlined) r.outlines = 0;
    for (const raw of json.features) {
      const f = toFeature(raw, layer, layerIndex);
      if (f) {
        features.push(f);
        r.features++;
        if (f.outline) r.outlines!++;
      } else r.skipped++;
    }
  });
  return { features, report };
}

const isPos = (p: unknown): p is LonLat =>
  Array.isArray(p) &&
  p.length >= 2 &&
  Number.isFinite(p[0]) &&
  Number.isFinite(p[1]) &&
  Math.abs(p[0] as number) <= 180 &&
  Math.abs(p[1] as number) <= 90;

function toFeature(raw: unknown, layer: GroundLayerInput, layerIndex: number): GroundFeature | undefined {
  const f = raw as { geometry?: { type?: string; coordinates?: unknown }; properties?: Record<string, unknown> | null };
  const g = f?.geometry;
  if (!g) return undefined;
  const props: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(f.properties ?? {})) {
    if (typeof v === "number" && Number.isFinite(v)) props[k] = v;
    else if (typeof v === "string") props[k] = v;
    // Booleans become "true"/"false", as the catalog's categorical keys spell them.
    else if (typeof v === "boolean") props[k] = String(v);
  }
  let polygons: LonLat[][][] | undefined;
  let line: LonLat[] | undefined;
  if (layer.kind === "polygon") {
    const polys = g.type === "Polygon" ? [g.coordinates] : g.type === "MultiPolygon" ? (g.coordinates as unknown[]) : undefined;
    if (!Array.isArray(polys)) return undefined;
    polygons = [];
    for (const poly of polys) {
      if (!Array.isArray(poly)) continue;
      const rings = (poly as unknown[])
        .filter((r): r is LonLat[] => Array.isArray(r) && r.length >= 4 && r.every(isPos))
        .map((r) => r.map((p) => [p[0], p[1]] as LonLat));
      if (rings.length) polygons.push(rings);
    }
    if (!polygons.length) return undefined;
  } else {
    const lines = g.type === "LineString" ? [g.coordinates] : g.type === "MultiLineString" ? (g.coordinates as unknown[]) : undefined;
    if (!Array.isArray(lines)) return undefined;
    // A multi-line becomes one feature per part would break ids; keep the longest part.
    const parts = lines.filter((l): l is LonLat[] => Array.isArray(l) && l.length >= 2 && l.every(isPos));
    if (!parts.length) return undefined;
    line = parts.sort((a, b) => b.length - a.length)[0].map((p) => [p[0], p[1]] as LonLat);
  }
  const bbox: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  const visit = (p: LonLat) => {
    bbox[0] = Math.min(bbox[0], p[0]);
    bbox[1] = Math.min(bbox[1], p[1]);
    bbox[2] = Math.max(bbox[2], p[0]);
    bbox[3] = Math.max(bbox[3], p[1]);
  };
  polygons?.forEach((poly) => poly[0].forEach(visit));
  line?.forEach(visit);
  const widthM = typeof props.widthM === "number" && props.widthM > 0 ? props.widthM : (layer.defaultWidthM ?? 6);
  const [kx, ky] = metresPerDegree((bbox[1] + bbox[3]) / 2);
  // For a ribbon, an upper bound of its bbox diagonal: mitred corners reach out up to
  // LINE_MITER_LIMIT half-widths on each side.
  const sizeM =
    Math.hypot((bbox[2] - bbox[0]) * kx, (bbox[3] - bbox[1]) * ky) + (line ? 2 * Math.SQRT2 * LINE_MITER_LIMIT * (widthM / 2) : 0);
  return {
    layer: layer.id,
    layerIndex,
    props,
    polygons,
    line,
    widthM,
    heightM: layer.heightM,
    outline: !!polygons && !!layer.outline,
    centroid: [(bbox[0] + bbox[2]) / 2, (bbox[1] + bbox[3]) / 2],
    bbox,
    sizeM,
  };
}

/**
 * The metadata class: `layer`, then every property any feature has, typed by its values; `part`
 * (our own, "outline" on outline rows) when a feature has an outline.
 */
export function groundClass(features: GroundFeature[]): { name: string; properties: Record<string, GroundClassProperty> } {
  const types = new Map<string, PropType>();
  for (const f of features)
    for (const [k, v] of Object.entries(f.props)) {
      const t: PropType = typeof v === "number" ? "FLOAT64" : "STRING";
      const prev = types.get(k);
      types.set(k, prev && prev !== t ? "STRING" : t);
    }
  const properties: Record<string, GroundClassProperty> = {
    layer: { type: "STRING", required: true, description: "Catalog layer id (data/catalog.json)." },
  };
  const outlines = features.some((f) => f.outline);
  if (outlines) types.set("part", "STRING");
  for (const k of [...types.keys()].sort()) {
    if (k === "layer") continue;
    const t = types.get(k)!;
    properties[k] = t === "STRING" ? { type: "STRING", noData: "" } : { type: "SCALAR", componentType: "FLOAT64", noData: NUMBER_NO_DATA };
    if (k === "id") properties[k].semantic = "ID";
    if (k === "name") properties[k].semantic = "NAME";
    if (k === "part" && outlines)
      properties[k] = {
        type: "STRING",
        noData: "",
        description: `"${OUTLINE_PART}" on a polygon's outline (lines; same id and properties as its fill); no data on the fill.`,
      };
  }
  return { name: "Ground feature", properties };
}

// ------------------------------------------------------------------------------ tiling

interface Node {
  key: string;
  depth: number;
  box: [number, number, number, number];
  features: GroundFeature[];
  children: Node[];
}

function buildTree(features: GroundFeature[], maxPer: number, maxDepth: number): Node {
  const box: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const f of features) {
    box[0] = Math.min(box[0], f.centroid[0]);
    box[1] = Math.min(box[1], f.centroid[1]);
    box[2] = Math.max(box[2], f.centroid[0]);
    box[3] = Math.max(box[3], f.centroid[1]);
  }
  const split = (key: string, depth: number, fs: GroundFeature[], b: [number, number, number, number]): Node => {
    if (fs.length <= maxPer || depth >= maxDepth) return { key, depth, box: b, features: fs, children: [] };
    const mx = (b[0] + b[2]) / 2;
    const my = (b[1] + b[3]) / 2;
    const quads: GroundFeature[][] = [[], [], [], []];
    for (const f of fs) quads[(f.centroid[0] >= mx ? 1 : 0) + (f.centroid[1] >= my ? 2 : 0)].push(f);
    const boxes: [number, number, number, number][] = [
      [b[0], b[1], mx, my],
      [mx, b[1], b[2], my],
      [b[0], my, mx, b[3]],
      [mx, my, b[2], b[3]],
    ];
    const children: Node[] = [];
    quads.forEach((q, i) => q.length && children.push(split(key + i, depth + 1, q, boxes[i])));
    // A cell whose features all share one quadrant: skip the empty level.
    if (children.length === 1) return { ...children[0], key, depth };
    return { key, depth, box: b, features: fs, children };
  };
  return split("g", 0, features, box);
}

/** Size below which an inner tile leaves a feature to its children (metres). */
function threshold(node: Node): number {
  const [kx, ky] = metresPerDegree((node.box[1] + node.box[3]) / 2);
  const extent = Math.max((node.box[2] - node.box[0]) * kx, (node.box[3] - node.box[1]) * ky, 1);
  return extent / 16;
}

// ------------------------------------------------------------------------------ geometry

interface Mesh {
  positions: Float32Array;
  featureIds: Float32Array;
  indices: Uint16Array | Uint32Array;
  vertexCount: number;
  triangleCount: number;
  min: [number, number, number];
  max: [number, number, number];
}

function buildMesh(features: GroundFeature[], frame: EnuFrame): Mesh {
  const pos: number[] = [];
  const fid: number[] = [];
  const idx: number[] = [];
  let n = 0;
  const local = new Float64Array(3);
  const put = (lon: number, lat: number, h: number, id: number) => {
    frame.toLocal(lon * DEG, lat * DEG, h, local);
    // ENU → glTF y-up: (e, u, −n)
    pos.push(local[0], local[2], -local[1]);
    fid.push(id);
    return n++;
  };
  /**
   * A triangle, wound counter-clockwise seen from above (so it faces up) in the very plane the
   * vertices are written in (the tile's ENU frame, float32); slivers under 10 cm² are dropped
   * (their winding is float noise).
   */
  const f32 = new Float32Array(6);
  const tri = (a: number, b: number, c: number) => {
    f32[0] = pos[3 * a];
    f32[1] = -pos[3 * a + 2];
    f32[2] = pos[3 * b];
    f32[3] = -pos[3 * b + 2];
    f32[4] = pos[3 * c];
    f32[5] = -pos[3 * c + 2];
    const cr = (f32[2] - f32[0]) * (f32[5] - f32[1]) - (f32[3] - f32[1]) * (f32[4] - f32[0]);
    if (Math.abs(cr) / 2 < 1e-3) return;
    if (cr > 0) idx.push(a, b, c);
    else idx.push(a, c, b);
  };
  // Top layer first (see the header): later layers in the catalog are drawn above earlier ones.
  const order = features.map((_, i) => i).sort((a, b) => features[b].layerIndex - features[a].layerIndex || a - b);
  for (const i of order) {
    const f = features[i];
    if (f.polygons) for (const rings of f.polygons) emitPolygon(rings, f.heightM, i);
    else if (f.line) emitRibbon(f.line, f.widthM, f.heightM, i);
  }

  function emitPolygon(rings: LonLat[][], h: number, id: number) {
    const [kx, ky] = metresPerDegree(rings[0][0][1]);
    const x0 = rings[0][0][0];
    const y0 = rings[0][0][1];
    const clean = cleanRings(rings);
    if (clean[0].length < 3) return;
    const v2 = (r: LonLat[]) => r.map((p) => new Vector2((p[0] - x0) * kx, (p[1] - y0) * ky));
    const outer = v2(clean[0]);
    const holes = clean
      .slice(1)
      .filter((r) => r.length >= 3)
      .map(v2);
    const tris = ShapeUtils.triangulateShape(outer, holes);
    const flat = [clean[0], ...clean.slice(1).filter((r) => r.length >= 3)].flat();
    const base = n;
    for (const p of flat) put(p[0], p[1], h, id);
    for (const t of tris) tri(base + t[0], base + t[1], base + t[2]);
  }

  function emitRibbon(line: LonLat[], widthM: number, h: number, id: number) {
    const [kx, ky] = metresPerDegree(line[0][1]);
    const pts: [number, number][] = [];
    for (const p of line) {
      const q: [number, number] = [p[0] * kx, p[1] * ky];
      if (!pts.length || Math.hypot(q[0] - pts[pts.length - 1][0], q[1] - pts[pts.length - 1][1]) > 0.01) pts.push(q);
    }
    if (pts.length < 2) return;
    const half = widthM / 2;
    const base = n;
    for (let i = 0; i < pts.length; i++) {
      const prev = pts[Math.max(0, i - 1)];
      const next = pts[Math.min(pts.length - 1, i + 1)];
      // left normals of the segments before and after this vertex
      const nIn = i > 0 ? leftNormal(prev, pts[i]) : leftNormal(pts[i], next);
      const nOut = i < pts.length - 1 ? leftNormal(pts[i], next) : nIn;
      let mx = nIn[0] + nOut[0];
      let my = nIn[1] + nOut[1];
      const ml = Math.hypot(mx, my);
      if (ml < 1e-9) {
        mx = nIn[0];
        my = nIn[1];
      } else {
        mx /= ml;
        my /= ml;
      }
      const scale = Math.min(LINE_MITER_LIMIT, 1 / Math.max(1e-6, mx * nIn[0] + my * nIn[1]));
      const ox = mx * half * scale;
      const oy = my * half * scale;
      put((pts[i][0] + ox) / kx, (pts[i][1] + oy) / ky, h, id);
      put((pts[i][0] - ox) / kx, (pts[i][1] - oy) / ky, h, id);
    }
    for (let i = 0; i + 1 < pts.length; i++) {
      const l0 = base + 2 * i;
      const r0 = l0 + 1;
      const l1 = l0 + 2;
      const r1 = l0 + 3;
      // (r0, r1, l1) and (r0, l1, l0): counter-clockwise from above for a left normal.
      tri(r0, r1, l1);
      tri(r0, l1, l0);
    }
  }

  const positions = new Float32Array(pos);
  const min: [number, number, number] = [Infinity, Infinity, Infinity];
  const max: [number, number, number] = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < positions.length; i += 3)
    for (let c = 0; c < 3; c++) {
      min[c] = Math.min(min[c], positions[i + c]);
      max[c] = Math.max(max[c], positions[i + c]);
    }
  return {
    positions,
    featureIds: new Float32Array(fid),
    indices: n > 65535 ? new Uint32Array(idx) : new Uint16Array(idx),
    vertexCount: n,
    triangleCount: idx.length / 3,
    min,
    max,
  };
}

/** Rings without repeated points (closer than 1 cm) and without the closing point. */
function cleanRings(rings: LonLat[][]): LonLat[][] {
  const [kx, ky] = metresPerDegree(rings[0][0][1]);
  return rings.map((r) => {
    const out: LonLat[] = [];
    for (const p of r)
      if (!out.length || Math.hypot((p[0] - out[out.length - 1][0]) * kx, (p[1] - out[out.length - 1][1]) * ky) > 0.01) out.push(p);
    while (out.length > 1 && Math.hypot((out[0][0] - out[out.length - 1][0]) * kx, (out[0][1] - out[out.length - 1][1]) * ky) <= 0.01)
      out.pop();
    return out;
  });
}

interface LineMesh {
  positions: Float32Array;
  featureIds: Float32Array;
  indices: Uint16Array | Uint32Array;
  segments: number;
}

/**
 * The outlines of the features at `outlined` (indices into `features`) as GL line segments,
 * OUTLINE_LIFT_M above their fill: every ring (outer and holes) closed, feature id
 * `firstRow + k` for the k-th outlined feature (its outline row in the property table).
 */
function buildLines(features: GroundFeature[], outlined: number[], firstRow: number, frame: EnuFrame): LineMesh | undefined {
  const pos: number[] = [];
  const fid: number[] = [];
  const idx: number[] = [];
  const local = new Float64Array(3);
  let n = 0;
  outlined.forEach((i, k) => {
    const f = features[i];
    for (const poly of f.polygons ?? [])
      for (const ring of cleanRings(poly)) {
        if (ring.length < 3) continue;
        const base = n;
        for (const p of ring) {
          frame.toLocal(p[0] * DEG, p[1] * DEG, f.heightM + OUTLINE_LIFT_M, local);
          pos.push(local[0], local[2], -local[1]);
          fid.push(firstRow + k);
          n++;
        }
        for (let v = 0; v < ring.length; v++) idx.push(base + v, base + ((v + 1) % ring.length));
      }
  });
  if (!idx.length) return undefined;
  return {
    positions: new Float32Array(pos),
    featureIds: new Float32Array(fid),
    indices: n > 65535 ? new Uint32Array(idx) : new Uint16Array(idx),
    segments: idx.length / 2,
  };
}

function leftNormal(a: [number, number], b: [number, number]): [number, number] {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const l = Math.hypot(dx, dy) || 1;
  return [-dy / l, dx / l];
}

// ------------------------------------------------------------------------------ glb

const utf8 = new TextEncoder();

/** A row of a tile's property table: a feature, or (part "outline") the outline of one. */
interface Row {
  f: GroundFeature;
  outline: boolean;
}

function encodeTable(features: Row[], cls: ReturnType<typeof groundClass>, bin: BinaryBuilder) {
  const n = features.length;
  const properties: Record<string, { values: number; stringOffsets?: number; stringOffsetType?: string }> = {};
  const outlines = "part" in cls.properties;
  for (const [name, def] of Object.entries(cls.properties)) {
    const get = ({ f, outline }: Row) =>
      name === "layer" ? f.layer : name === "part" && outlines ? (outline ? OUTLINE_PART : undefined) : f.props[name];
    if (def.type === "STRING") {
      const parts = features.map((f) => {
        const v = get(f);
        return utf8.encode(v === undefined ? "" : String(v));
      });
      const total = parts.reduce((a, b) => a + b.length, 0);
      // glTF forbids empty bufferViews: a column with no value in this tile is left out
      // (readers then return the class default, i.e. no data).
      if (total === 0 && !def.required) continue;
      const values = new Uint8Array(total);
      const offsets = new Uint32Array(n + 1);
      let o = 0;
      parts.forEach((b, i) => {
        offsets[i] = o;
        values.set(b, o);
        o += b.length;
      });
      offsets[n] = o;
      properties[name] = {
        values: bin.addView(values),
        stringOffsets: bin.addView(new Uint8Array(offsets.buffer)),
        stringOffsetType: "UINT32",
      };
    } else {
      const arr = new Float64Array(n);
      features.forEach((f, i) => {
        const v = get(f);
        arr[i] = typeof v === "number" ? v : (def.noData as number);
      });
      properties[name] = { values: bin.addView(new Uint8Array(arr.buffer)) };
    }
  }
  return properties;
}

/**
 * The tile's glb (quantized, meshopt-compressed) and the positions as the viewer sees them. Mesh
 * 0: the fills and ribbons (rows 0..n−1, one per feature); mesh 1, when a feature is outlined:
 * its outlines as lines (rows n.., one per outlined feature).
 */
function buildGlb(
  key: string,
  features: GroundFeature[],
  mesh: Mesh,
  cls: ReturnType<typeof groundClass>,
  frame: EnuFrame,
): {
  glb: Uint8Array;
  positions: Float64Array[];
  dropped: { triangles: number; areaM2: number };
  stepM: number;
  lines?: LineMesh;
} {
  const bin = new BinaryBuilder();
  // accessors 0..2: POSITION, _FEATURE_ID_0, indices
  const prim = writeCompressedPrimitive(bin, mesh, { upFacing: true, reorder: "vertexFetch" });
  const fills = features.length;
  const outlined = features.flatMap((f, i) => (f.outline ? [i] : []));
  const lines = outlined.length ? buildLines(features, outlined, fills, frame) : undefined;
  // accessors 3..5: the outlines' POSITION, _FEATURE_ID_0, indices
  const linePrim = lines ? writeCompressedLines(bin, lines, prim.accessors.length) : undefined;
  const rows: Row[] = [
    ...features.map((f) => ({ f, outline: false })),
    ...(lines ? outlined.map((i) => ({ f: features[i], outline: true })) : []),
  ];
  const properties = encodeTable(rows, cls, bin);
  const buffer = bin.finish();
  const n = rows.length;
  const featureIds = (count: number) => ({ EXT_mesh_features: { featureIds: [{ featureCount: count, attribute: 0, propertyTable: 0 }] } });
  const gltf = {
    asset: { version: "2.0", generator: "warm-city-twin scripts/bake/ground" },
    extensionsUsed: ["EXT_mesh_features", "EXT_structural_metadata", "KHR_materials_unlit", ...COMPRESSION_EXTENSIONS],
    extensionsRequired: COMPRESSION_EXTENSIONS,
    extensions: {
      EXT_structural_metadata: {
        schema: { id: GROUND_SCHEMA_ID, name: "Warm City Twin ground", version: "1.0.0", classes: { [GROUND_CLASS_ID]: cls } },
        propertyTables: [{ name: "ground", class: GROUND_CLASS_ID, count: n, properties }],
      },
    },
    scene: 0,
    scenes: [{ nodes: linePrim ? [0, 1] : [0] }],
    nodes: [{ name: key, mesh: 0, ...prim.node }, ...(linePrim ? [{ name: `${key}-outlines`, mesh: 1, ...linePrim.node }] : [])],
    meshes: [
      {
        name: key,
        primitives: [{ attributes: prim.attributes, indices: prim.indices, material: 0, mode: 4, extensions: featureIds(fills) }],
      },
      ...(linePrim
        ? [
            {
              name: `${key}-outlines`,
              primitives: [
                {
                  attributes: linePrim.attributes,
                  indices: linePrim.indices,
                  material: 0,
                  mode: 1,
                  extensions: featureIds(outlined.length),
                },
              ],
            },
          ]
        : []),
    ],
    materials: [
      {
        name: "ground",
        pbrMetallicRoughness: { baseColorFactor: [1, 1, 1, 1], metallicFactor: 0, roughnessFactor: 1 },
        extensions: { KHR_materials_unlit: {} },
      },
    ],
    accessors: [...prim.accessors, ...(linePrim?.accessors ?? [])],
    bufferViews: bin.bufferViews,
    buffers: bin.buffers(buffer.byteLength),
  };
  return {
    glb: writeGlb(gltf, buffer),
    positions: linePrim ? [prim.dequantized, linePrim.dequantized] : [prim.dequantized],
    dropped: prim.dropped,
    stepM: Math.max(prim.stepM, linePrim?.stepM ?? 0),
    lines,
  };
}

// ------------------------------------------------------------------------------ tileset

interface TileJson {
  boundingVolume: { region: number[] };
  geometricError: number;
  refine?: "ADD" | "REPLACE";
  transform?: number[];
  content?: { uri: string };
  children?: TileJson[];
}

export async function bakeGround(layers: GroundLayerInput[], outDir: string, opts: GroundBakeOptions = {}): Promise<GroundBakeResult> {
  const t0 = performance.now();
  const log = opts.log ?? (() => {});
  const { features, report } = readGroundLayers(layers);
  if (!features.length) throw new Error(`no usable ground features in ${layers.map((l) => l.file).join(", ")}`);
  const cls = groundClass(features);
  const tree = buildTree(features, opts.maxFeaturesPerTile ?? 3000, opts.maxDepth ?? 10);
  const out = resolve(outDir);
  const staging = `${out}.partial`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(join(staging, "tiles"), { recursive: true });
  const stats = {
    tiles: 0,
    contentTiles: 0,
    bytes: 0,
    vertices: 0,
    triangles: 0,
    lineSegments: 0,
    droppedSlivers: { triangles: 0, areaM2: 0 },
    maxStepM: 0,
  };

  // One local frame for the whole tileset (transform on the root only, so every tile's
  // transform is the same whatever its depth). Vertices are computed from exact geodetic
  // positions, and float32 keeps millimetres over the ~30 km the city spans.
  const ext = [Infinity, Infinity, -Infinity, -Infinity];
  for (const f of features) {
    ext[0] = Math.min(ext[0], f.bbox[0]);
    ext[1] = Math.min(ext[1], f.bbox[1]);
    ext[2] = Math.max(ext[2], f.bbox[2]);
    ext[3] = Math.max(ext[3], f.bbox[3]);
  }
  const frame = new EnuFrame(((ext[0] + ext[2]) / 2) * DEG, ((ext[1] + ext[3]) / 2) * DEG);
  const [ekx, eky] = metresPerDegree((ext[1] + ext[3]) / 2);
  const extentM = Math.hypot((ext[2] - ext[0]) * ekx, (ext[3] - ext[1]) * eky);

  async function content(node: Node, fs: GroundFeature[]): Promise<{ uri: string; region: Region } | undefined> {
    if (!fs.length) return undefined;
    const mesh = buildMesh(fs, frame);
    if (!mesh.triangleCount) return undefined;
    const { glb, positions, dropped, stepM, lines } = buildGlb(node.key, fs, mesh, cls, frame);
    const uri = `tiles/${node.key}.glb`;
    await writeFile(join(staging, uri), glb);
    stats.contentTiles++;
    stats.bytes += glb.byteLength;
    stats.vertices += mesh.vertexCount + (lines ? lines.featureIds.length : 0);
    stats.lineSegments += lines?.segments ?? 0;
    stats.triangles += mesh.triangleCount - dropped.triangles;
    stats.droppedSlivers.triangles += dropped.triangles;
    stats.droppedSlivers.areaM2 += dropped.areaM2;
    stats.maxStepM = Math.max(stats.maxStepM, stepM);
    log(
      `  ${uri}: ${fs.length} features, ${mesh.vertexCount} vertices, ${glb.byteLength} bytes, step ${stepM.toFixed(3)} m, ${dropped.triangles} slivers dropped`,
    );
    return { uri, region: pad(positions.map((p) => positionsRegion(p, frame.matrix)).reduce(unionRegion)) };
  }

  const all = (node: Node): GroundFeature[] => node.features;

  async function visit(node: Node): Promise<{ tile: TileJson; region: Region }> {
    stats.tiles++;
    if (!node.children.length) {
      const c = await content(node, all(node));
      const region = c?.region ?? emptyRegion();
      return { tile: { boundingVolume: { region }, geometricError: 0, ...(c ? { content: { uri: c.uri } } : {}) }, region };
    }
    const children: TileJson[] = [];
    let region = emptyRegion();
    for (const ch of node.children) {
      const r = await visit(ch);
      children.push(r.tile);
      region = unionRegion(region, r.region);
    }
    const th = threshold(node);
    const coarse = all(node).filter((f) => f.sizeM >= th);
    const c = await content(node, coarse);
    if (c) region = unionRegion(region, c.region);
    const tile: TileJson = { boundingVolume: { region }, geometricError: round(th), ...(c ? { content: { uri: c.uri } } : {}), children };
    return { tile, region };
  }
  const { tile: root } = await visit(tree);
  const { boundingVolume, geometricError, ...rest } = root;
  const tileset = {
    asset: {
      version: "1.1",
      generator: "warm-city-twin scripts/bake/ground",
      extras: { layers: report, featureCount: features.length, contentTiles: stats.contentTiles },
    },
    // The error of not drawing the tileset at all. A tileset of one leaf (the overlays: root error
    // 0) leaves out all of it: its extent. Cesium skips a whole tileset whose own error is under
    // the screen-space limit, so a token 1 m hid it from every view.
    geometricError: round(geometricError > 0 ? Math.max(geometricError * 2, 1) : Math.max(extentM, 1)),
    root: { boundingVolume, geometricError, refine: "REPLACE", transform: frame.matrix, ...rest },
  };
  const json = utf8.encode(JSON.stringify(tileset, null, 1) + "\n");
  await writeFile(join(staging, "tileset.json"), json);
  stats.bytes += json.byteLength;
  await replaceDir(staging, out);
  const result: GroundBakeResult = { ...stats, layers: report, ms: Math.round(performance.now() - t0) };
  log(`wrote ${out}: ${stats.contentTiles}/${stats.tiles} tiles, ${features.length} features, ${stats.bytes} bytes in ${result.ms} ms`);
  return result;
}

const round = (v: number) => Math.round(v * 100) / 100;

function pad(r: Region): Region {
  return [
    r[0] - REGION_PAD_RAD,
    r[1] - REGION_PAD_RAD,
    r[2] + REGION_PAD_RAD,
    r[3] + REGION_PAD_RAD,
    r[4] - REGION_PAD_M,
    r[5] + REGION_PAD_M,
  ];
}

async function replaceDir(staging: string, out: string): Promise<void> {
  if (existsSync(out)) {
    const entries = await readdir(out);
    if (entries.length > 0 && !entries.includes("tileset.json")) {
      await rm(staging, { recursive: true, force: true });
      throw new Error(`refusing to clean "${out}": it is not empty and has no tileset.json (not a previous bake)`);
    }
    await rm(out, { recursive: true, force: true });
  }
  await mkdir(dirname(out), { recursive: true });
  await rename(staging, out);
}

// ------------------------------------------------------------------------------ catalog

interface CatalogLayerJson {
  id: string;
  kind: string;
  url: string;
  tiles?: string;
  style?: { heightOffsetM?: number; lineWidthPx?: number; outlineColor?: string };
}

/**
 * The tilesets the catalog asks for: layers grouped by their `tiles` URL, in catalog order (the
 * draw order). URLs are relative to the served root, i.e. to `publicDir`.
 */
export function groundTilesets(
  catalog: { layers: CatalogLayerJson[] },
  publicDir: string,
): Array<{ url: string; outDir: string; layers: GroundLayerInput[] }> {
  const groups = new Map<string, GroundLayerInput[]>();
  for (const l of catalog.layers) {
    if (!l.tiles) continue;
    if (l.kind !== "polygon" && l.kind !== "line")
      throw new Error(`catalog layer ${l.id}: only polygon and line layers can be baked to ground tiles`);
    const list = groups.get(l.tiles) ?? [];
    list.push({
      id: l.id,
      kind: l.kind,
      file: join(publicDir, l.url),
      heightM: l.style?.heightOffsetM ?? 0,
      defaultWidthM: l.kind === "line" ? GREENWAY_WIDTH_M : undefined,
      ...(l.kind === "polygon" && l.style?.outlineColor ? { outline: true } : {}),
    });
    groups.set(l.tiles, list);
  }
  return [...groups].map(([url, layers]) => ({ url, outDir: join(publicDir, dirname(url)), layers }));
}

/** Width of a line feature without `widthM` (greenways: a footpath-and-cycle lane). */
const GREENWAY_WIDTH_M = 8;
