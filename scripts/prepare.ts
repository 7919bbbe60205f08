// Data preparation: `npm run data` / `tsx scripts/prepare.ts [--if-stale] [--seed N] [--scale S]`.
//
// Generates the demo city into public/generated/city/ (scripts/generate), bakes the buildings
// into 3D Tiles under public/generated/tiles/buildings/ and the ground layers that name a
// `tiles` URL in data/catalog.json into their tilesets (scripts/bake/ground.ts). The tiles
// are baked again whenever the baker's code, the catalog or the city changed (their own stamp,
// public/generated/tiles/.stamp.json).
// With --if-stale it does nothing when the outputs exist and were made from the same seed,
// scale and inputs (generator sources, the KPI calculators and data/kpis.json) — recorded in
// public/generated/city/.stamp.json — so `npm run dev` starts instantly after the first time.
// Bad arguments: a clear message and exit code 2.

import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { CITY_LAYERS } from "../src/domain/kpi/types";
import { DEFAULT_SCALE, DEFAULT_SEED, GENERATOR_VERSION, GenerateArgsError, generateCity, parseArgs } from "./generate/index";
import { boundaryFile } from "./generate/districts";
import { groundTilesets, bakeGround } from "./bake/ground";
import { bakeBuildings } from "./bake/index";

const ROOT = resolve(fileURLToPath(new URL(".", import.meta.url)), "..");
export const CITY_DIR = join(ROOT, "public/generated/city");
export const TILES_DIR = join(ROOT, "public/generated/tiles/buildings");
export const STAMP_FILE = join(CITY_DIR, ".stamp.json");
const CATALOG_FILE = join(ROOT, "data/catalog.json");
/** Stamp of the baked tiles (all tilesets under public/generated/tiles). */
export const BAKE_STAMP_FILE = join(ROOT, "public/generated/tiles/.stamp.json");

export interface Stamp {
  generatorVersion: number;
  seed: number;
  scale: number;
  inputHash: string;
}

function listFiles(dir: string, ext: RegExp): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...listFiles(p, ext));
    else if (ext.test(name)) out.push(p);
  }
  return out;
}

/** Files whose content determines the generated city. */
export function inputFiles(): string[] {
  const files = [
    ...listFiles(join(ROOT, "scripts/generate"), /\.ts$/),
    ...listFiles(join(ROOT, "src/domain/kpi"), /\.ts$/),
    join(ROOT, "src/domain/citySchema.ts"),
    join(ROOT, "data/kpis.json"),
    join(ROOT, "scripts/prepare.ts"),
  ];
  try {
    files.push(boundaryFile());
  } catch {
    // no boundary package: districts.geojson will be empty, nothing to hash
  }
  return files.filter((f) => existsSync(f));
}

export function inputHash(): string {
  const h = createHash("sha256");
  for (const f of inputFiles()) {
    h.update(relative(ROOT, f).replace(/\\/g, "/"));
    h.update("\0");
    h.update(readFileSync(f));
    h.update("\0");
  }
  return h.digest("hex");
}

export function readStamp(): Stamp | undefined {
  try {
    return JSON.parse(readFileSync(STAMP_FILE, "utf8")) as Stamp;
  } catch {
    return undefined;
  }
}

/** Whether public/generated/city holds a complete city made from these inputs. */
export function isFresh(seed: number, scale: number, hash = inputHash()): boolean {
  const s = readStamp();
  if (!s || s.seed !== seed || s.scale !== scale || s.inputHash !== hash || s.generatorVersion !== GENERATOR_VERSION) return false;
  return [...CITY_LAYERS.map((l) => join(CITY_DIR, `${l}.geojson`)), join(CITY_DIR, "summary.json")].every((f) => existsSync(f));
}

/**
 * Packages whose code shapes the baked bytes: meshoptimizer encodes every glb
 * (EXT_meshopt_compression), three triangulates every polygon (ShapeUtils). Their installed
 * versions go into the bake stamp, so an upgrade bakes again. (gltf-validator only checks the
 * output; no gltf-transform here.)
 */
export const BAKE_PACKAGES = ["meshoptimizer", "three"] as const;

/** The installed version of each of BAKE_PACKAGES ("missing" when it is not installed). */
export function bakePackageVersions(root = ROOT): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of BAKE_PACKAGES) {
    // Read the file itself: meshoptimizer's `exports` does not expose its package.json.
    try {
      out[name] = String(
        (JSON.parse(readFileSync(join(root, "node_modules", name, "package.json"), "utf8")) as { version?: unknown }).version,
      );
    } catch {
      out[name] = "missing";
    }
  }
  return out;
}

/**
 * What the baked tiles are made from: the baker's own code (every file under scripts/bake),
 * the versions of the packages it encodes and triangulates with, the catalog (which layers are
 * baked, their heights) and the generated city. A change to any of them makes `--if-stale`
 * bake again.
 */
export function bakeHash(cityHash = readStamp()?.inputHash ?? "", packages = bakePackageVersions()): string {
  const h = createHash("sha256");
  h.update(`city:${cityHash}\0`);
  for (const name of Object.keys(packages).sort()) h.update(`package:${name}@${packages[name]}\0`);
  // Data put in by `npm run import` is baked too (a ground layer's url can point at it).
  for (const f of [
    ...listFiles(join(ROOT, "scripts/bake"), /\.ts$/),
    CATALOG_FILE,
    ...listFiles(join(ROOT, "public/imported"), /\.geojson$/),
  ]) {
    h.update(relative(ROOT, f).replace(/\\/g, "/"));
    h.update("\0");
    h.update(readFileSync(f));
    h.update("\0");
  }
  return h.digest("hex");
}

/** Whether every baked tileset is up to date (what `npm run import` checks before it bakes what it changed). */
export function bakedTilesFresh(): boolean {
  return tilesFresh(bakeHash());
}

/** Records the tiles as made from the current inputs (after `npm run import` baked what it changed). */
export function stampBakedTiles(): void {
  writeFileSync(BAKE_STAMP_FILE, JSON.stringify({ bakeHash: bakeHash() }, null, 2) + "\n");
}

function tilesFresh(hash: string): boolean {
  let stamp: { bakeHash?: string } | undefined;
  try {
    stamp = JSON.parse(readFileSync(BAKE_STAMP_FILE, "utf8")) as { bakeHash?: string };
  } catch {
    return false;
  }
  if (stamp?.bakeHash !== hash || !existsSync(join(TILES_DIR, "tileset.json"))) return false;
  return groundTilesetsOf().every((t) => existsSync(join(t.outDir, "tileset.json")));
}

function groundTilesetsOf() {
  const catalog = JSON.parse(readFileSync(CATALOG_FILE, "utf8")) as {
    layers: Array<{ id: string; kind: string; url: string; tiles?: string }>;
  };
  return groundTilesets(catalog, join(ROOT, "public"));
}

async function bake(force: boolean): Promise<void> {
  const hash = bakeHash();
  if (!force && tilesFresh(hash)) return;
  const t0 = performance.now();
  await bakeBuildings(join(CITY_DIR, "buildings.geojson"), TILES_DIR);
  console.log(`prepare: baked 3D Tiles → ${relative(ROOT, TILES_DIR)} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  for (const t of groundTilesetsOf()) {
    const t1 = performance.now();
    const r = await bakeGround(t.layers, t.outDir);
    console.log(
      `prepare: baked ground tiles (${t.layers.map((l) => l.id).join(", ")}) → ${relative(ROOT, t.outDir)}: ${r.contentTiles} tiles, ${(r.bytes / 1e6).toFixed(1)} MB in ${((performance.now() - t1) / 1000).toFixed(1)} s (positions quantized to ≤ ${(r.maxStepM * 100).toFixed(1)} cm steps; ${r.droppedSlivers.triangles} sliver triangles, ${r.droppedSlivers.areaM2.toFixed(1)} m², turned over by it and left out)`,
    );
  }
  writeFileSync(BAKE_STAMP_FILE, JSON.stringify({ bakeHash: hash, packages: bakePackageVersions() }, null, 2) + "\n");
}

export async function prepare(argv: string[]): Promise<void> {
  const args = parseArgs(argv);
  const ifStale = args.flags.has("--if-stale");
  for (const f of args.flags)
    if (f !== "--if-stale") throw new GenerateArgsError(`unknown option ${f} (use --if-stale, --seed N, --scale S)`);
  if (args.out) throw new GenerateArgsError("--out is not supported here (prepare always writes public/generated/city)");
  const hash = inputHash();
  if (ifStale && isFresh(args.seed, args.scale, hash)) {
    console.log(`prepare: city is up to date (seed ${args.seed}, scale ${args.scale})`);
    await bake(false);
    return;
  }
  const t0 = performance.now();
  const { summary } = await generateCity({ seed: args.seed, scale: args.scale, outDir: CITY_DIR, log: (m) => console.log(`  ${m}`) });
  const stamp: Stamp = { generatorVersion: GENERATOR_VERSION, seed: args.seed, scale: args.scale, inputHash: hash };
  writeFileSync(STAMP_FILE, JSON.stringify(stamp, null, 2) + "\n");
  const missed = Object.entries(summary.kpis).filter(([, k]) => !k.met);
  console.log(
    `prepare: generated city (seed ${summary.seed}, scale ${summary.scale}, ${summary.layers.buildings.toLocaleString("en")} buildings) in ${((performance.now() - t0) / 1000).toFixed(1)} s` +
      (missed.length ? `; ${missed.length} KPI(s) off target: ${missed.map(([id]) => id).join(", ")}` : "; all KPIs on target"),
  );
  await bake(true);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  prepare(process.argv.slice(2)).catch((e) => {
    if (e instanceof GenerateArgsError) {
      console.error(`prepare: ${e.message}`);
      console.error(
        `usage: tsx scripts/prepare.ts [--if-stale] [--seed N (default ${DEFAULT_SEED})] [--scale S (0 < S ≤ 8, default ${DEFAULT_SCALE})]`,
      );
      process.exit(2);
    }
    console.error(e);
    process.exit(1);
  });
}
