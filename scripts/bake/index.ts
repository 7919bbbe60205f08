// Bakes building footprints (GeoJSON) into a 3D Tiles 1.1 tileset: one glb per quadtree leaf,
// buildings merged into a single primitive with EXT_mesh_features feature ids and an
// EXT_structural_metadata property table, so Cesium3DTileStyle expressions (${heightM} > 50,
// ${use} === "residential") and picking (feature.getProperty("id")) work.
//
//   npx tsx scripts/bake/index.ts in.geojson outDir [--max-per-tile 2000] [--flat-roofs] [--no-bottom-caps]
//
// Deterministic: same input and options → byte-identical output (no timestamps, input order
// kept within tiles, tiles visited in quadrant order).

import { existsSync } from "node:fs";
import { mkdir, readdir, rename, rm, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { DEG, EnuFrame } from "./geo";
import { buildTileMesh, type GeometryOptions, type TileMesh } from "./geometry";
import { COMPRESSION_EXTENSIONS, writeCompressedPrimitive } from "./compress";
import { BinaryBuilder, writeGlb } from "./glb";
import { BakeInputError, metresPerDegree, readBuildingsGeojson, type BakeBuilding, type InputReport } from "./input";
import { buildingSchema, CLASS_ID, encodePropertyTable } from "./metadata";
import { emptyRegion, positionsRegion, unionRegion, type Region } from "./region";
import { buildQuadtree, type QuadNode } from "./tiling";

export { BakeInputError } from "./input";

export interface BakeOptions {
  /** Most buildings per leaf tile (default 2,000; at most 65,535). */
  maxBuildingsPerTile?: number;
  /** Deepest quadtree level (default 12). */
  maxDepth?: number;
  /** Hip roofs on low-rise rectangular residential buildings (default true). */
  pitchedRoofs?: boolean;
  /** Close building undersides, for underground views (default true). */
  bottomCaps?: boolean;
  /** Progress/log lines (default: silent). */
  log?: (line: string) => void;
}

export interface BakeResult {
  tiles: number;
  /** Tiles with content (glb files). */
  contentTiles: number;
  buildings: number;
  /** Total bytes written (tileset.json + glbs). */
  bytes: number;
  vertices: number;
  triangles: number;
  maxDepth: number;
  /** What happened to the input: skipped features by reason, values stored as no data … */
  input: InputReport;
  ms: number;
}

export const TILESET_FILE = "tileset.json";
const CONTENT_DIR = "tiles";
/** Slack added to regions so float32 vertex round-off never pokes out (≈ 6 mm, 1 cm). */
const REGION_PAD_RAD = 1e-9;
const REGION_PAD_M = 0.01;

interface TileJson {
  boundingVolume: { region: number[] };
  geometricError: number;
  refine?: "ADD" | "REPLACE";
  transform?: number[];
  content?: { uri: string };
  children?: TileJson[];
}

export async function bakeBuildings(inputGeojsonPath: string, outDir: string, opts: BakeOptions = {}): Promise<BakeResult> {
  const t0 = performance.now();
  const maxPerTile = opts.maxBuildingsPerTile ?? 2000;
  if (!(maxPerTile >= 1 && maxPerTile <= 65535)) throw new RangeError(`maxBuildingsPerTile must be in [1, 65535], got ${maxPerTile}`);
  const geomOpts: GeometryOptions = { pitchedRoofs: opts.pitchedRoofs ?? true, bottomCaps: opts.bottomCaps ?? true };
  const log = opts.log ?? (() => {});

  const { buildings, report } = await readBuildingsGeojson(inputGeojsonPath);
  log(
    `read ${report.features} features: ${report.buildings} buildings, ${report.skipped} skipped ${JSON.stringify(report.skippedByReason)}`,
  );
  if (buildings.length === 0) {
    throw new BakeInputError(
      `"${inputGeojsonPath}" has no bakeable buildings (${report.features} features, ${report.skipped} skipped: ${JSON.stringify(report.skippedByReason)}; ${report.examples.slice(0, 3).join("; ")})`,
    );
  }

  const tree = buildQuadtree(buildings, maxPerTile, opts.maxDepth ?? 12);
  const out = resolve(outDir);
  const staging = `${out}.partial`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(join(staging, CONTENT_DIR), { recursive: true });

  const stats = { tiles: 0, contentTiles: 0, bytes: 0, vertices: 0, triangles: 0, maxDepth: 0 };
  const rootRegionDeg = footprintBboxDeg(buildings);
  const rootError = diagonalM(rootRegionDeg);

  async function visit(node: QuadNode): Promise<{ tile: TileJson; region: Region }> {
    stats.tiles++;
    stats.maxDepth = Math.max(stats.maxDepth, node.depth);
    if (node.children.length === 0) {
      const { glb, mesh, transform, positions } = bakeLeaf(node, geomOpts);
      const uri = `${CONTENT_DIR}/${node.key}.glb`;
      await writeFile(join(staging, uri), glb);
      stats.contentTiles++;
      stats.bytes += glb.byteLength;
      stats.vertices += mesh.vertexCount;
      stats.triangles += mesh.triangleCount;
      const region = pad(positionsRegion(positions, transform));
      log(`  ${uri}: ${node.buildings.length} buildings, ${mesh.vertexCount} vertices, ${glb.byteLength} bytes`);
      return { tile: { boundingVolume: { region }, geometricError: 0, transform, content: { uri } }, region };
    }
    let region = emptyRegion();
    const children: TileJson[] = [];
    for (const c of node.children) {
      const r = await visit(c);
      children.push(r.tile);
      region = unionRegion(region, r.region);
    }
    return { tile: { boundingVolume: { region }, geometricError: rootError / 2 ** node.depth, children }, region };
  }

  const { tile: root } = await visit(tree);
  // refine is set on the root only (children inherit it), placed after geometricError
  const { boundingVolume, geometricError, ...rest } = root;
  const rootOrdered: TileJson = { boundingVolume, geometricError, refine: "ADD", ...rest };
  const tileset = {
    asset: {
      version: "1.1",
      generator: "warm-city-twin scripts/bake",
      extras: { buildings: buildings.length, skippedFeatures: report.skipped, contentTiles: stats.contentTiles },
    },
    geometricError: rootError,
    root: rootOrdered,
  };
  const json = new TextEncoder().encode(JSON.stringify(tileset, null, 1) + "\n");
  await writeFile(join(staging, TILESET_FILE), json);
  stats.bytes += json.byteLength;

  await replaceDir(staging, out);
  const result: BakeResult = { ...stats, buildings: buildings.length, input: report, ms: Math.round(performance.now() - t0) };
  log(
    `wrote ${out}: ${result.contentTiles}/${result.tiles} tiles, ${result.buildings} buildings, ${result.bytes} bytes in ${result.ms} ms`,
  );
  return result;
}

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

function footprintBboxDeg(buildings: BakeBuilding[]): [number, number, number, number] {
  const r: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const b of buildings) {
    r[0] = Math.min(r[0], b.bbox[0]);
    r[1] = Math.min(r[1], b.bbox[1]);
    r[2] = Math.max(r[2], b.bbox[2]);
    r[3] = Math.max(r[3], b.bbox[3]);
  }
  return r;
}

/** Diagonal of a degree bbox in metres (at least 1 m, so errors stay positive). */
function diagonalM(b: [number, number, number, number]): number {
  const [kx, ky] = metresPerDegree((b[1] + b[3]) / 2);
  return Math.max(1, Math.round(Math.hypot((b[2] - b[0]) * kx, (b[3] - b[1]) * ky)));
}

function bakeLeaf(
  node: QuadNode,
  geomOpts: GeometryOptions,
): { glb: Uint8Array; mesh: TileMesh; transform: number[]; positions: Float64Array } {
  // Tile frame: ENU at the centre of the leaf's footprints, on the ellipsoid.
  const bbox = footprintBboxDeg(node.buildings);
  const frame = new EnuFrame(((bbox[0] + bbox[2]) / 2) * DEG, ((bbox[1] + bbox[3]) / 2) * DEG);
  const mesh = buildTileMesh(node.buildings, frame, geomOpts);
  const { glb, positions } = buildGlb(node, mesh);
  return { glb, mesh, transform: frame.matrix, positions };
}

/** The leaf's glb (quantized, meshopt-compressed) and the positions as the viewer sees them. */
function buildGlb(node: QuadNode, mesh: TileMesh): { glb: Uint8Array; positions: Float64Array } {
  const bin = new BinaryBuilder();
  // accessors 0..3: POSITION, NORMAL, _FEATURE_ID_0, indices
  const prim = writeCompressedPrimitive(bin, mesh, { reorder: "vertexCache" });
  // Property-table buffers: no target (they are not vertex/index data).
  const properties: Record<string, { values: number; stringOffsets?: number; stringOffsetType?: string }> = {};
  for (const col of encodePropertyTable(node.buildings.map((b) => b.props))) {
    const p: { values: number; stringOffsets?: number; stringOffsetType?: string } = { values: bin.addView(col.values) };
    if (col.stringOffsets) {
      p.stringOffsets = bin.addView(col.stringOffsets);
      p.stringOffsetType = "UINT32";
    }
    properties[col.name] = p;
  }
  const buffer = bin.finish();
  const n = node.buildings.length;
  const gltf = {
    asset: { version: "2.0", generator: "warm-city-twin scripts/bake" },
    extensionsUsed: ["EXT_mesh_features", "EXT_structural_metadata", ...COMPRESSION_EXTENSIONS],
    extensionsRequired: COMPRESSION_EXTENSIONS,
    extensions: {
      EXT_structural_metadata: {
        schema: buildingSchema(),
        propertyTables: [{ name: "buildings", class: CLASS_ID, count: n, properties }],
      },
    },
    scene: 0,
    scenes: [{ nodes: [0] }],
    nodes: [{ name: node.key, mesh: 0, ...prim.node }],
    meshes: [
      {
        name: node.key,
        primitives: [
          {
            attributes: prim.attributes,
            indices: prim.indices,
            material: 0,
            mode: 4,
            extensions: { EXT_mesh_features: { featureIds: [{ featureCount: n, attribute: 0, propertyTable: 0 }] } },
          },
        ],
      },
    ],
    materials: [
      {
        name: "building",
        pbrMetallicRoughness: { baseColorFactor: [0.92, 0.92, 0.92, 1], metallicFactor: 0, roughnessFactor: 0.8 },
        doubleSided: false,
      },
    ],
    accessors: prim.accessors,
    bufferViews: bin.bufferViews,
    buffers: bin.buffers(buffer.byteLength),
  };
  return { glb: writeGlb(gltf, buffer), positions: prim.dequantized };
}

/** Swaps the staged output in. Refuses to delete a directory that is not a previous bake. */
async function replaceDir(staging: string, out: string): Promise<void> {
  if (existsSync(out)) {
    const entries = await readdir(out);
    if (entries.length > 0 && !entries.includes(TILESET_FILE)) {
      await rm(staging, { recursive: true, force: true });
      throw new Error(`refusing to clean "${out}": it is not empty and has no ${TILESET_FILE} (not a previous bake)`);
    }
    await rm(out, { recursive: true, force: true });
  }
  await rename(staging, out);
}

// ---------------------------------------------------------------------------------------- CLI

async function main(argv: string[]): Promise<void> {
  const args = argv.filter((a) => !a.startsWith("--"));
  const flag = (name: string) => argv.includes(name);
  const valueOf = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const maxPer = valueOf("--max-per-tile");
  const positional = args.filter((a) => a !== maxPer);
  if (positional.length !== 2) {
    console.error("usage: npx tsx scripts/bake/index.ts <buildings.geojson> <outDir> [--max-per-tile N] [--flat-roofs] [--no-bottom-caps]");
    process.exit(2);
  }
  const result = await bakeBuildings(positional[0], positional[1], {
    maxBuildingsPerTile: maxPer ? Number(maxPer) : undefined,
    pitchedRoofs: !flag("--flat-roofs"),
    bottomCaps: !flag("--no-bottom-caps"),
    log: (l) => console.log(l),
  });
  const { input, ...rest } = result;
  console.log(JSON.stringify({ ...rest, skipped: input.skipped, skippedByReason: input.skippedByReason, badValues: input.badValues }));
  if (input.examples.length) console.log(`input notes (first ${input.examples.length}):\n  ${input.examples.join("\n  ")}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).catch((e) => {
    console.error(`bake failed: ${(e as Error).message}`);
    process.exit(1);
  });
}
