// Analysis benchmark: the indexed planning analyses (Flatbush/KDBush + exact planar refinement)
// against their naive twins (every pair, turf on the sphere), in the same run, on the demo city
// (public/generated/city) when it exists, else on a seeded synthetic city of ~30k buildings.
//
// The naive versions are far too slow for the whole city, so they run on a seeded random sample
// (of residential buildings, or of waterlogging spots) and are extrapolated linearly:
//   naive(full) ≈ setup + (naive(sample) − setup) × full / sample
// where `setup` (turf features, areas, circles) is the naive run with an empty sample. The sample's
// naive answers are also compared with the indexed answers for the same buildings/spots.
//
//   NODE_OPTIONS=--expose-gc npx tsx scripts/bench-analysis.ts [--synthetic] [--city DIR] [--sample 300] [--points 20]
//        [--repeats 3] [--seed 1] [--out bench-results/analysis.json]
//
// `runAnalysisBench(opts)` is what `npm run bench` (scripts/bench.ts) calls.
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import {
  greenAccess,
  lifeCircle,
  naiveGreenAccess,
  naiveLifeCircle,
  naivePipeCondition,
  naiveWaterloggingRisk,
  pipeCondition,
  seededRandom,
  syntheticCity,
  waterloggingRisk,
} from "../src/domain/analysis";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

export interface AnalysisBenchOptions {
  /** Folder with the city's <layer>.geojson. Default public/generated/city. */
  cityDir?: string;
  /** Use the synthetic city even if the demo city exists. */
  synthetic?: boolean;
  /** Seed of the synthetic city and of the samples. Default 1. */
  seed?: number;
  /** Residential buildings the naive green-access / life-circle run on. Default 30. */
  sampleBuildings?: number;
  /** Waterlogging spots the naive waterlogging run is on. Default 20. */
  samplePoints?: number;
  /** Indexed runs are timed as the median of this many (after one warm-up). Default 3. */
  repeats?: number;
  /** Where to write the JSON; false not to write. Default bench-results/analysis.json. */
  out?: string | false;
  /** Year pipe ages are measured at. Default: params.referenceYear of data/kpis.json (else 2024). */
  asOfYear?: number;
  log?: (line: string) => void;
  /** Accepted for scripts/bench.ts's call signature; the analysis bench has one scale. */
  scales?: number[];
}

export interface AnalysisBenchRow {
  analysis: string;
  /** What was analysed, e.g. "31,204 homes × 3,010 green / 512 parks". */
  inputs: string;
  indexedMs: number;
  /** Naive time for the whole input (extrapolated when sampled). */
  naiveMs: number;
  /** What the naive version actually ran on and took. */
  naiveMeasured: { ms: number; setupMs: number; sampled: number; total: number; unit: string };
  /** naiveMs / indexedMs. */
  ratio: number;
  /** ratio ≥ target, for the analyses over pairs (undefined for pipeCondition, which has none). */
  meetsTarget?: boolean;
  /** Indexed vs naive on the naive's sample. */
  agreement: string;
}

export interface AnalysisBenchResult {
  source: "demo" | "synthetic";
  cityDir?: string;
  sizes: Record<string, number>;
  rows: AnalysisBenchRow[];
  table: string;
  notes: string[];
  targetRatio: number;
  /** loadAvg: the 1-minute load average at start and end — other processes skew timings. */
  environment: { node: string; cpu: string; cores: number; date: string; loadAvg: [number, number] };
}

const TARGET_RATIO = 20;
type FC = { type: "FeatureCollection"; features: Record<string, unknown>[] };
const fc = (features: Record<string, unknown>[]): FC => ({ type: "FeatureCollection", features });
const propsOf = (f: Record<string, unknown>) => (f.properties ?? {}) as Record<string, unknown>;

interface City {
  buildings: FC;
  green: FC;
  parks: FC;
  facilities: FC;
  pipes: FC;
  roads: FC;
  waterlogging: FC;
}

function loadDemoCity(dir: string, log: (s: string) => void): City {
  const read = (layer: string): FC => {
    const file = join(dir, `${layer}.geojson`);
    if (!existsSync(file)) {
      log(`  (demo city has no ${layer}.geojson — empty)`);
      return fc([]);
    }
    const j = JSON.parse(readFileSync(file, "utf8")) as { features?: Record<string, unknown>[] };
    return fc(Array.isArray(j.features) ? j.features : []);
  };
  const pipeFiles = readdirSync(dir).filter((f) => /^pipes-.+\.geojson$/.test(f));
  return {
    buildings: read("buildings"),
    green: read("green"),
    parks: read("parks"),
    facilities: read("facilities"),
    pipes: fc(pipeFiles.flatMap((f) => read(f.replace(/\.geojson$/, "")).features)),
    roads: read("roads"),
    waterlogging: read("waterlogging"),
  };
}

const now = () => performance.now();
/** Collect garbage between runs when node runs with --expose-gc (the main bench may). */
const gc = () => (globalThis as { gc?: () => void }).gc?.();
function time<T>(fn: () => T): { ms: number; value: T } {
  gc();
  const t = now();
  const value = fn();
  return { ms: now() - t, value };
}
/**
 * One warm-up (JIT), then the median of at least `repeats` runs — more (up to 25) while they
 * add up to less than a second, so fast analyses are not timed on a single noisy run.
 */
function timeIndexed<T>(fn: () => T, repeats: number): { ms: number; value: T } {
  let value = fn();
  const ms: number[] = [];
  let total = 0;
  while (ms.length < repeats || (total < 1000 && ms.length < 25)) {
    const r = time(fn);
    ms.push(r.ms);
    total += r.ms;
    value = r.value;
  }
  ms.sort((a, b) => a - b);
  return { ms: ms[Math.floor(ms.length / 2)], value };
}

function sampleOf<T>(xs: readonly T[], n: number, rnd: () => number): T[] {
  if (n >= xs.length) return [...xs];
  const a = [...xs];
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(rnd() * (a.length - i));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a.slice(0, n);
}

/** The KPI manifest's reference year, so pipe ages match the cockpit's figures. */
function referenceYear(): number {
  try {
    const j = JSON.parse(readFileSync(join(ROOT, "data/kpis.json"), "utf8")) as { params?: { referenceYear?: unknown } };
    const y = j.params?.referenceYear;
    return typeof y === "number" && Number.isFinite(y) ? y : 2024;
  } catch {
    return 2024;
  }
}

const fmt = (n: number, d = 0) => n.toLocaleString("en-US", { minimumFractionDigits: d, maximumFractionDigits: d });

/** Naive on a sample, extrapolated: setup + (sample − setup) × total / sampled. */
function naiveSampled(runEmpty: () => unknown, runSample: () => unknown, sampled: number, total: number) {
  runEmpty(); // warm-up of the setup path
  const setup = time(runEmpty).ms;
  const sample = time(runSample);
  const perItem = sampled > 0 ? Math.max(0, sample.ms - setup) / sampled : 0;
  return { est: setup + perItem * total, measured: sample.ms, setup, value: sample.value };
}

export async function runAnalysisBench(opts: AnalysisBenchOptions = {}): Promise<AnalysisBenchResult> {
  const log = opts.log ?? ((s: string) => console.log(s));
  const seed = opts.seed ?? 1;
  const repeats = Math.max(1, opts.repeats ?? 3);
  const nSample = opts.sampleBuildings ?? 30;
  const nPoints = opts.samplePoints ?? 20;
  const asOfYear = opts.asOfYear ?? referenceYear();
  const cityDir = opts.cityDir ?? join(ROOT, "public/generated/city");
  const notes: string[] = [];
  const load0 = loadavg()[0];

  let city: City;
  let source: AnalysisBenchResult["source"];
  if (!opts.synthetic && existsSync(join(cityDir, "buildings.geojson"))) {
    log(`  loading the demo city from ${cityDir}`);
    city = loadDemoCity(cityDir, log);
    source = "demo";
  } else {
    log("  no demo city (or --synthetic): generating a seeded synthetic city");
    city = syntheticCity({ seed }) as unknown as City;
    source = "synthetic";
  }
  const sizes = Object.fromEntries(Object.entries(city).map(([k, v]) => [k, (v as FC).features.length]));
  log(
    `  sizes: ${Object.entries(sizes)
      .map(([k, v]) => `${k} ${fmt(v)}`)
      .join(", ")}`,
  );

  const rnd = seededRandom(seed * 7919 + 1);
  const isHome = (f: Record<string, unknown>) => {
    const p = propsOf(f);
    return p.use === "residential" && typeof p.residents === "number" && p.residents > 0;
  };
  const homes = city.buildings.features.filter(isHome);
  const homeSample = fc(sampleOf(homes, nSample, rnd));
  const sampleIds = new Set(homeSample.features.map((f) => String(propsOf(f).id ?? f.id)));
  const rows: AnalysisBenchRow[] = [];
  const row = (
    analysis: string,
    inputs: string,
    indexedMs: number,
    n: { est: number; measured: number; setup: number },
    sampled: number,
    total: number,
    unit: string,
    agreement: string,
    paired = true,
  ) => {
    const ratio = n.est / Math.max(indexedMs, 1e-6);
    rows.push({
      analysis,
      inputs,
      indexedMs,
      naiveMs: n.est,
      naiveMeasured: { ms: n.measured, setupMs: n.setup, sampled, total, unit },
      ratio,
      meetsTarget: paired ? ratio >= TARGET_RATIO : undefined,
      agreement,
    });
    log(`  ${analysis}: indexed ${fmt(indexedMs, 1)} ms, naive ≈ ${fmt(n.est)} ms → ${fmt(ratio, 1)}×`);
  };

  // 1. 300 m to green, 500 m to a park
  {
    const idx = timeIndexed(() => greenAccess(city.buildings, city.green, city.parks), repeats);
    const total = idx.value.totals.buildings;
    const n = naiveSampled(
      () => naiveGreenAccess(fc([]), city.green, city.parks),
      () => naiveGreenAccess(homeSample, city.green, city.parks),
      homeSample.features.length,
      total,
    );
    const naive = n.value as ReturnType<typeof naiveGreenAccess>;
    const byId = new Map(idx.value.buildings.filter((b) => sampleIds.has(b.id)).map((b) => [b.id, b]));
    let same = 0;
    let maxDiff = 0;
    for (const b of naive.buildings) {
      const a = byId.get(b.id);
      if (!a) continue;
      if (a.greenOk === b.greenOk && a.parkOk === b.parkOk) same++;
      maxDiff = Math.max(maxDiff, Math.abs((a.distGreenM ?? 0) - (b.distGreenM ?? 0)), Math.abs((a.distParkM ?? 0) - (b.distParkM ?? 0)));
    }
    row(
      "greenAccess",
      `${fmt(total)} homes × ${fmt(idx.value.greenSpaces.counted)} green / ${fmt(idx.value.parks.counted)} parks`,
      idx.ms,
      n,
      naive.buildings.length,
      total,
      "homes",
      `${same}/${naive.buildings.length} same flags, max |Δd| ${maxDiff.toFixed(2)} m`,
    );
  }

  // 2. 15-minute life circle
  {
    const idx = timeIndexed(() => lifeCircle(city.buildings, city.facilities, city.parks), repeats);
    const total = idx.value.totals.buildings;
    const n = naiveSampled(
      () => naiveLifeCircle(fc([]), city.facilities, city.parks),
      () => naiveLifeCircle(homeSample, city.facilities, city.parks),
      homeSample.features.length,
      total,
    );
    const naive = n.value as ReturnType<typeof naiveLifeCircle>;
    const byId = new Map(idx.value.buildings.map((b) => [b.id, b]));
    const same = naive.buildings.filter((b) => byId.get(b.id)?.covered.join() === b.covered.join()).length;
    row(
      "lifeCircle",
      `${fmt(total)} homes × ${fmt(sizes.facilities)} facilities + ${fmt(idx.value.categories.find((c) => c.category === "park")?.available ?? 0)} parks`,
      idx.ms,
      n,
      naive.buildings.length,
      total,
      "homes",
      `${same}/${naive.buildings.length} same categories`,
    );
  }

  // 3. Pipe condition (no pairs: naive = turf.length per segment, on everything)
  {
    const idx = timeIndexed(() => pipeCondition(city.pipes, { asOfYear }), repeats);
    const t = timeIndexed(() => naivePipeCondition(city.pipes, { asOfYear }), repeats); // cheap enough to time alike
    const dKm = Math.abs(t.value.totals.lengthKm - idx.value.totals.lengthKm);
    row(
      "pipeCondition",
      `${fmt(idx.value.totals.count)} segments, ${fmt(idx.value.totals.lengthKm, 1)} km`,
      idx.ms,
      { est: t.ms, measured: t.ms, setup: 0 },
      idx.value.totals.count,
      idx.value.totals.count,
      "segments",
      `as of ${asOfYear}: gas >20 y unrenewed ${idx.value.gasOverAgeUnrenewed.count} vs ${t.value.gasOverAgeUnrenewed.count}; length Δ ${((dKm / Math.max(t.value.totals.lengthKm, 1e-9)) * 100).toFixed(3)} %`,
      false,
    );
    notes.push("pipeCondition has no pairs to index: its 'naive' is turf.length per segment vs planar length in the local projection.");
  }

  // 4. Waterlogging risk
  {
    const idx = timeIndexed(() => waterloggingRisk(city.waterlogging, city.pipes, city.roads), repeats);
    const total = idx.value.totals.points;
    const spots = fc(sampleOf(city.waterlogging.features, nPoints, rnd));
    const n = naiveSampled(
      () => naiveWaterloggingRisk(fc([]), city.pipes, city.roads),
      () => naiveWaterloggingRisk(spots, city.pipes, city.roads),
      spots.features.length,
      total,
    );
    const naive = n.value as ReturnType<typeof naiveWaterloggingRisk>;
    const byId = new Map(idx.value.points.map((p) => [p.id, p]));
    let same = 0;
    let maxScore = 0;
    for (const q of naive.points) {
      const p = byId.get(q.id);
      if (!p) continue;
      // As sets: pipes meeting at a vertex tie on distance, and planar vs geodesic breaks ties differently.
      if (
        p.pipes
          .map((x) => x.id)
          .sort()
          .join() ===
        q.pipes
          .map((x) => x.id)
          .sort()
          .join()
      )
        same++;
      maxScore = Math.max(maxScore, Math.abs(p.score - q.score));
    }
    const drains = city.pipes.features.filter((f) => propsOf(f).network === "drainage").length;
    row(
      "waterloggingRisk",
      `${fmt(total)} spots × ${fmt(drains)} drainage + ${fmt(sizes.roads)} roads`,
      idx.ms,
      n,
      naive.points.length,
      total,
      "spots",
      `${same}/${naive.points.length} same pipes, max |Δscore| ${maxScore.toFixed(3)}`,
    );
  }

  notes.push(
    `Indexed: median of ≥ ${repeats} runs after a warm-up, including projection and index building. ` +
      `Naive: one run on a seeded sample (${nSample} homes / ${nPoints} spots), extrapolated as setup + per-item × total.`,
  );
  const cores = cpus().length;
  if (Math.max(load0, loadavg()[0]) > cores)
    notes.push(
      `Load average ${load0.toFixed(1)} → ${loadavg()[0].toFixed(1)} on ${cores} cores: other processes were running; absolute times are inflated and noisy.`,
    );
  const table = formatTable(rows, source, notes);
  const result: AnalysisBenchResult = {
    source,
    cityDir: source === "demo" ? cityDir : undefined,
    sizes,
    rows,
    table,
    notes,
    targetRatio: TARGET_RATIO,
    environment: {
      node: process.version,
      cpu: cpus()[0]?.model ?? "?",
      cores: cpus().length,
      date: new Date().toISOString(),
      loadAvg: [+load0.toFixed(2), +loadavg()[0].toFixed(2)],
    },
  };
  if (opts.out !== false) {
    const out = resolve(ROOT, opts.out ?? "bench-results/analysis.json");
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, JSON.stringify({ ...result, table: undefined }, null, 2) + "\n");
    log(`  wrote ${out}`);
  }
  return result;
}

function formatTable(rows: AnalysisBenchRow[], source: string, notes: string[]): string {
  const head = ["analysis", "inputs", "indexed ms", "naive ms", "naive ran on", "ratio", `≥${TARGET_RATIO}×`, "indexed vs naive"];
  const body = rows.map((r) => [
    r.analysis,
    r.inputs,
    fmt(r.indexedMs, 1),
    (r.naiveMeasured.sampled < r.naiveMeasured.total ? "≈ " : "") + fmt(r.naiveMs),
    r.naiveMeasured.sampled < r.naiveMeasured.total
      ? `${fmt(r.naiveMeasured.sampled)}/${fmt(r.naiveMeasured.total)} ${r.naiveMeasured.unit}, ${fmt(r.naiveMeasured.ms)} ms`
      : `all, ${fmt(r.naiveMeasured.ms)} ms`,
    `${fmt(r.ratio, 1)}×`,
    r.meetsTarget === undefined ? "n/a" : r.meetsTarget ? "✓" : "✗",
    r.agreement,
  ]);
  const w = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i >= 2 && i <= 3 ? c.padStart(w[i]) : c.padEnd(w[i]))).join(" │ ");
  return [
    `Analyses on the ${source} city (indexed = Flatbush/KDBush + planar refinement; naive = all pairs with turf)`,
    line(head),
    w.map((n) => "─".repeat(n)).join("─┼─"),
    ...body.map(line),
    ...notes.map((n) => `  ${n}`),
  ].join("\n");
}

function parseCli(argv: string[]): AnalysisBenchOptions {
  const o: AnalysisBenchOptions = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = () => argv[++i];
    if (a === "--synthetic") o.synthetic = true;
    else if (a === "--city") o.cityDir = resolve(v());
    else if (a === "--sample") o.sampleBuildings = Number(v());
    else if (a === "--points") o.samplePoints = Number(v());
    else if (a === "--repeats") o.repeats = Number(v());
    else if (a === "--seed") o.seed = Number(v());
    else if (a === "--out") o.out = v();
    else throw new Error(`unknown argument ${a}`);
  }
  return o;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const o = parseCli(process.argv.slice(2));
  runAnalysisBench(o)
    .then((r) => console.log("\n" + r.table))
    .catch((e: unknown) => {
      console.error(`bench-analysis: ${e instanceof Error ? e.stack : String(e)}`);
      process.exit(1);
    });
}
