// npm run bench — the render benchmark (not part of npm test).
//
// Builds the app (unless --no-build) into .cache/bench-dist, serves it on 127.0.0.1 with the 1× city and a
// generated 4× city under /x1/ and /x4/, and drives headless Chromium (SwiftShader) through
// playwright-core at 1280×800 with the app's `quality=low` settings for every case:
//
//   empty      globe + NaturalEarthII only
//   app        the default view through the app's own LayerManager/renderers (bench.html)
//   app-page   the real app, index.html?quality=low: time to window.warmcity.ready from
//              navigation start, and memory (no frame timing: the app hides its scene)
//   entity     baseline A: GeoJsonDataSource + extruded polygon entities
//   primitive  baseline B: every default layer as batched Primitives built at load from the
//              GeoJSON (buildings as one batch of extruded polygons; no baked ground)
//   app/bldg, primitive/bldg, entity/bldg   the same with only the buildings layer shown
//              (opt-in: --buildings-only, or name them in --cases)
//
// Each case runs in a fresh browser, one after another, with a timeout. Prints a table and
// the project's target ratios, writes bench-results/render.json.
//
//   npx tsx scripts/bench.ts [--scales 1,4] [--cases empty,app,app-page,entity,primitive]
//        [--frames 120] [--timeout 300] [--frames-budget 90] [--no-build] [--no-analysis]
//        [--city-x1 DIR] [--city-x4 DIR]   (a `generated/` folder to serve for that scale)
//        [--regen]                         (regenerate the scaled cities even if cached)
//        [--quiet-wait 30]                 (seconds to wait before a case for the load average to drop)
//        [--repeat 1]                      (rounds; the table shows per-case medians over rounds)
//        [--breakdown 6]                   (frames per variant of the frame-time breakdown of app and
//                                           primitive at the first scale; 0 = skip)
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium, type Page } from "playwright-core";
import type { BenchCaseId, BenchCaseOptions, BenchCaseResult, LayerReport } from "../bench/page/protocol";
import { CpuContention, machineBusy, processTreeMemory, type ProcMem } from "./bench/procmem";
import { startBenchServer, type BenchServer } from "./bench/server";
import { CHROMIUM_PATH, chromiumVersion } from "../tests/e2e/harness";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
/**
 * The bench builds into its own folder, so that it neither clobbers nor is clobbered by a
 * `vite build` another process (npm test) runs into dist/ at the same time.
 */
const BENCH_DIST = join(ROOT, ".cache", "bench-dist");
let DIST = BENCH_DIST;
const CHROMIUM = CHROMIUM_PATH;
/** DESIGN.md "Toolchain facts", plus GC and precise heap numbers, plus no background throttling. */
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
  "--use-angle=swiftshader",
  "--enable-unsafe-swiftshader",
  "--enable-precise-memory-info",
  "--js-flags=--expose-gc",
  "--disable-background-timer-throttling",
  "--disable-renderer-backgrounding",
  "--disable-backgrounding-occluded-windows",
];
const VIEWPORT = { width: 1280, height: 800 };
/** Kangbashi centre (DESIGN.md), orbited at 3.5 km. */
const ORBIT = { lonDeg: 109.791, latDeg: 39.597, rangeM: 3500, pitchDeg: -35 };

/** `…/bldg`: the same case with only the buildings layer shown (isolates the buildings technique). */
type CaseName = BenchCaseId | "app-page" | "app/bldg" | "primitive/bldg" | "entity/bldg";
const DEFAULT_CASES: CaseName[] = ["empty", "app", "app-page", "entity", "primitive"];
const BUILDINGS_ONLY: CaseName[] = ["app/bldg", "primitive/bldg", "entity/bldg"];
const ALL_CASES: CaseName[] = [...DEFAULT_CASES, ...BUILDINGS_ONLY];

interface Args {
  scales: number[];
  cases: CaseName[];
  build: boolean;
  frames: number;
  timeoutS: number;
  framesBudgetS: number;
  analysis: boolean;
  regen: boolean;
  quietWaitS: number;
  breakdownFrames: number;
  repeat: number;
  city: Map<number, string>;
  out: string;
}

function parseArgs(argv: string[]): Args {
  const a: Args = {
    scales: [1, 4],
    cases: [...DEFAULT_CASES],
    build: true,
    frames: 120,
    timeoutS: 300,
    framesBudgetS: 90,
    analysis: true,
    regen: false,
    quietWaitS: 30,
    breakdownFrames: 6,
    repeat: 1,
    city: new Map(),
    out: join(ROOT, "bench-results", "render.json"),
  };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const v = () => {
      const x = argv[++i];
      if (x === undefined) throw new Error(`${k} needs a value`);
      return x;
    };
    const [key, inline] = k.includes("=") ? [k.slice(0, k.indexOf("=")), k.slice(k.indexOf("=") + 1)] : [k, undefined];
    const val = () => inline ?? v();
    if (key === "--scales") a.scales = val().split(",").map(Number);
    else if (key === "--cases")
      a.cases = val()
        .split(",")
        .map((s) => s.trim()) as CaseName[];
    else if (key === "--frames") a.frames = Number(val());
    else if (key === "--timeout") a.timeoutS = Number(val());
    else if (key === "--frames-budget") a.framesBudgetS = Number(val());
    else if (key === "--no-build") a.build = false;
    else if (key === "--buildings-only") a.cases.push(...BUILDINGS_ONLY.filter((c) => !a.cases.includes(c)));
    else if (key === "--no-analysis") a.analysis = false;
    else if (key === "--regen") a.regen = true;
    else if (key === "--quiet-wait") a.quietWaitS = Number(val());
    else if (key === "--breakdown") a.breakdownFrames = Number(val());
    else if (key === "--repeat") a.repeat = Math.max(1, Math.floor(Number(val())));
    else if (key === "--out") a.out = resolve(val());
    else if (/^--city-x\d+$/.test(key)) a.city.set(Number(key.slice("--city-x".length)), resolve(val()));
    else if (key === "--help" || key === "-h") {
      console.log(
        readFileSync(fileURLToPath(import.meta.url), "utf8")
          .split("\n")
          .filter((l) => l.startsWith("//"))
          .join("\n"),
      );
      process.exit(0);
    } else throw new Error(`unknown argument ${k}`);
  }
  if (!a.scales.length || a.scales.some((s) => !Number.isInteger(s) || s < 1)) throw new Error("--scales: positive integers, e.g. 1,4");
  for (const c of a.cases) if (!ALL_CASES.includes(c)) throw new Error(`--cases: unknown case "${c}" (known: ${ALL_CASES.join(", ")})`);
  if (!(a.frames >= 1)) throw new Error("--frames: at least 1");
  return a;
}

const log = (s: string) => console.log(s);

// ---------------------------------------------------------------------------------------------
// Build and data
// ---------------------------------------------------------------------------------------------

function build() {
  log("› vite build");
  const r = spawnSync(
    join(ROOT, "node_modules", ".bin", "vite"),
    ["build", "--logLevel", "warn", "--outDir", BENCH_DIST, "--emptyOutDir"],
    { cwd: ROOT, stdio: "inherit" },
  );
  if (r.status !== 0) throw new Error(`vite build failed (exit ${r.status})`);
}

function checkCity(dir: string, what: string) {
  const need = ["city/buildings.geojson", "tiles/buildings/tileset.json", "tiles/ground/tileset.json"];
  const missing = need.filter((f) => !existsSync(join(dir, f)));
  if (missing.length)
    throw new Error(`${what} (${relative(ROOT, dir) || dir}) lacks ${missing.join(", ")}: run \`npm run data\` (or pass --city-xN)`);
}

/** Hash of everything that determines the generated city, to know when a cached copy is stale. */
function generatorStamp(scale: number): string {
  const h = createHash("sha256").update(`scale=${scale}\n`);
  const walk = (p: string) => {
    if (!existsSync(p)) return;
    if (statSync(p).isDirectory()) for (const n of readdirSync(p).sort()) walk(join(p, n));
    else h.update(relative(ROOT, p)).update(readFileSync(p));
  };
  for (const p of ["scripts/generate", "scripts/bake", "src/domain/kpi", "src/domain/citySchema.ts", "data/kpis.json", "data/catalog.json"])
    walk(join(ROOT, p));
  return h.digest("hex").slice(0, 16);
}

/**
 * The city at `scale`× in .cache/bench-city-x<scale>/generated (the app's public/generated
 * stays 1×), made by the project's own generator and baker and reused while they and their
 * inputs are unchanged. Generated in a child process so its memory is gone before the
 * browser cases run.
 */
function scaledCity(scale: number, regen: boolean): string {
  const base = join(ROOT, ".cache", `bench-city-x${scale}`);
  const out = join(base, "generated");
  const stampFile = join(base, "stamp.txt");
  const stamp = generatorStamp(scale);
  if (!regen && existsSync(stampFile) && readFileSync(stampFile, "utf8").trim() === stamp) {
    checkCity(out, `cached ${scale}× city`);
    return out;
  }
  log(`› generating the ${scale}× city into ${relative(ROOT, out)} (cached until the generator changes)`);
  const t0 = performance.now();
  const r = spawnSync(
    process.execPath,
    [join(ROOT, "node_modules", "tsx", "dist", "cli.mjs"), fileURLToPath(import.meta.url), "--make-city", String(scale), out],
    {
      cwd: ROOT,
      stdio: "inherit",
    },
  );
  if (r.status !== 0) throw new Error(`generating the ${scale}× city failed (exit ${r.status})`);
  checkCity(out, `${scale}× city`);
  writeFileSync(stampFile, stamp + "\n");
  log(`  ${scale}× city ready in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  return out;
}

/** Child-process half of scaledCity: scripts/generate's generateCity + scripts/bake's bakeBuildings. */
async function makeCity(scale: number, outDir: string) {
  type Gen = {
    generateCity(o: {
      seed: number;
      scale: number;
      outDir: string;
      log?: (m: string) => void;
    }): Promise<{ summary: { layers: Record<string, number> } }>;
    DEFAULT_SEED: number;
  };
  type Bake = {
    bakeBuildings(
      input: string,
      out: string,
      o?: { log?: (l: string) => void },
    ): Promise<{ contentTiles: number; buildings: number; ms: number }>;
  };
  const gen = (await import(pathToFileURL(join(ROOT, "scripts", "generate", "index.ts")).href)) as Gen;
  const bake = (await import(pathToFileURL(join(ROOT, "scripts", "bake", "index.ts")).href)) as Bake;
  const cityDir = join(outDir, "city");
  mkdirSync(cityDir, { recursive: true });
  const { summary } = await gen.generateCity({ seed: gen.DEFAULT_SEED, scale, outDir: cityDir, log: (m) => log(`  ${m}`) });
  log(`  generated ${summary.layers.buildings?.toLocaleString("en-US")} buildings at ${scale}×`);
  const b = await bake.bakeBuildings(join(cityDir, "buildings.geojson"), join(outDir, "tiles", "buildings"));
  log(`  baked ${b.buildings.toLocaleString("en-US")} buildings into ${b.contentTiles} tiles in ${(b.ms / 1000).toFixed(1)} s`);
  // The ground layers the catalog bakes (catalog URLs are relative to the folder above generated/).
  const ground = await import(pathToFileURL(join(ROOT, "scripts", "bake", "ground.ts")).href);
  const catalog = JSON.parse(readFileSync(join(ROOT, "data", "catalog.json"), "utf8"));
  for (const t of ground.groundTilesets(catalog, dirname(outDir))) {
    const g = await ground.bakeGround(t.layers, t.outDir);
    log(
      `  baked ground ${t.layers.map((l: { id: string }) => l.id).join(", ")} into ${g.contentTiles} tiles in ${(g.ms / 1000).toFixed(1)} s`,
    );
  }
}

function countFeatures(file: string): number | undefined {
  try {
    const text = readFileSync(file, "utf8");
    return (JSON.parse(text) as { features: unknown[] }).features.length;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Running one case
// ---------------------------------------------------------------------------------------------

type Status = "ok" | "timeout" | "crashed" | "error";

export interface CaseRecord {
  case: CaseName;
  scale: number;
  status: Status;
  error?: string;
  /** Seconds; `app-page` from navigation start, the others from the start of loading. */
  readyS?: number;
  medianMs?: number;
  p95Ms?: number;
  jsMedianMs?: number;
  frames?: number;
  heapMB?: number;
  proc?: ProcMem;
  buildings?: number;
  drawCommands?: number;
  setupS?: number;
  wallS: number;
  /** Fraction of all cores busy just before the case (none of the bench's processes running). */
  busyBefore?: number;
  /** Share of the machine's CPU other processes used while the case ran (0 = none). */
  othersCpu?: number;
  layers?: LayerReport[];
  tiles?: BenchCaseResult["tiles"];
  breakdown?: BenchCaseResult["breakdown"];
  renderer?: string;
  drawingBufferPx?: [number, number];
  notes: string[];
  /** --repeat: each round's numbers (the fields above are their medians). */
  rounds?: Array<Pick<CaseRecord, "status" | "readyS" | "medianMs" | "p95Ms" | "heapMB" | "othersCpu">>;
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new TimeoutError(`${what}: no answer after ${Math.round(ms / 1000)} s`)), ms);
    }),
  ]);
}
class TimeoutError extends Error {}
class CrashError extends Error {}

/**
 * SwiftShader rasterises on the CPU, so anything else running (a test suite, a build) shows
 * up directly in frame times. Between cases none of our processes run: sample how busy the
 * machine is and wait a little for it to calm down.
 */
async function waitForQuiet(maxWaitS: number): Promise<number | undefined> {
  const t0 = performance.now();
  let busy = await machineBusy(1500);
  let warned = false;
  while (busy !== undefined && busy > 0.25 && performance.now() - t0 < maxWaitS * 1000) {
    if (!warned)
      log(`  other processes keep ${Math.round(busy * 100)} % of the CPU busy: waiting up to ${maxWaitS} s for them to calm down`);
    warned = true;
    await new Promise((r) => setTimeout(r, 3000));
    busy = await machineBusy(1500);
  }
  return busy === undefined ? undefined : Math.round(busy * 100) / 100;
}

async function runCase(server: BenchServer, name: CaseName, scale: number, args: Args): Promise<CaseRecord> {
  const busyBefore = await waitForQuiet(args.quietWaitS);
  const t0 = performance.now();
  const rec: CaseRecord = { case: name, scale, status: "ok", wallS: 0, busyBefore, notes: [] };
  const browserServer = await chromium.launchServer({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  const pid = browserServer.process().pid;
  const cpu = new CpuContention(pid);
  try {
    const browser = await chromium.connect(browserServer.wsEndpoint());
    const page = await browser.newPage({ viewport: VIEWPORT, deviceScaleFactor: 1 });
    let crashReject: (e: Error) => void = () => {};
    const crashed = new Promise<never>((_, reject) => (crashReject = reject));
    crashed.catch(() => {});
    page.on("crash", () => crashReject(new CrashError("the page crashed (out of memory?)")));
    const pageErrors: string[] = [];
    page.on("pageerror", (e) => pageErrors.push(e.message));
    page.on("console", (m) => {
      const t = m.text();
      if (t.startsWith("[bench]")) log(`    ${t.slice(8)}`);
      else if (m.type() === "error" && pageErrors.length < 20) pageErrors.push(t.slice(0, 300));
    });
    const hardMs = (args.timeoutS + args.framesBudgetS + 240) * 1000;
    const work =
      name === "app-page"
        ? appPage(page, server, scale, args, rec)
        : benchPage(page, server, name.replace("/bldg", "") as BenchCaseId, name.endsWith("/bldg"), scale, args, rec);
    await withTimeout(Promise.race([work, crashed]), hardMs, name);
    // Whole-browser memory while the case's content is still loaded.
    rec.proc = processTreeMemory(pid);
    if (pageErrors.length) rec.notes.push(...pageErrors.slice(0, 5).map((e) => `page: ${e}`));
  } catch (e) {
    rec.status = e instanceof CrashError ? "crashed" : e instanceof TimeoutError ? "timeout" : "error";
    rec.error = e instanceof Error ? e.message : String(e);
    if (/crash|Target closed|has been closed/i.test(rec.error) && rec.status === "error") rec.status = "crashed";
  } finally {
    const share = cpu.othersShare();
    if (share !== undefined) rec.othersCpu = Math.round(share * 100) / 100;
    await browserServer.kill().catch(() => {});
  }
  rec.wallS = round1((performance.now() - t0) / 1000);
  if ((rec.othersCpu ?? 0) > 0.15)
    rec.notes.push(
      `other processes used ${Math.round(rec.othersCpu! * 100)} % of the machine's CPU during this case: its times are inflated`,
    );
  return rec;
}

async function benchPage(
  page: Page,
  server: BenchServer,
  caseId: BenchCaseId,
  onlyBuildings: boolean,
  scale: number,
  args: Args,
  rec: CaseRecord,
) {
  await page.goto(server.url(`x${scale}`, "bench.html"), { waitUntil: "load" });
  await page.waitForFunction(() => !!window.warmcityBench, undefined, { timeout: 60_000 });
  const opts: BenchCaseOptions = {
    caseId,
    frames: args.frames,
    warmupStops: 8,
    orbit: ORBIT,
    readyTimeoutMs: args.timeoutS * 1000,
    framesBudgetMs: args.framesBudgetS * 1000,
    breakdownFrames: (caseId === "app" || caseId === "primitive") && !onlyBuildings && scale === args.scales[0] ? args.breakdownFrames : 0,
    onlyBuildings,
  };
  const r = await page.evaluate((o) => window.warmcityBench!.run(o), opts);
  rec.status = r.status === "ok" ? "ok" : r.status === "timeout" ? "timeout" : "error";
  if (r.error) rec.error = r.error;
  rec.setupS = round1(r.setupMs / 1000);
  if (r.readyMs !== undefined) rec.readyS = round2(r.readyMs / 1000);
  if (r.frames) {
    rec.medianMs = r.frames.medianMs;
    rec.p95Ms = r.frames.p95Ms;
    rec.jsMedianMs = r.frames.jsMedianMs;
    rec.frames = r.frames.count;
  }
  rec.heapMB = r.heapMB;
  rec.buildings = r.buildings;
  rec.drawCommands = r.drawCommands;
  rec.layers = r.layers;
  rec.tiles = r.tiles;
  rec.breakdown = r.breakdown;
  rec.renderer = r.renderer;
  rec.drawingBufferPx = r.drawingBufferPx;
  rec.notes.push(...r.notes);
  for (const l of r.layers) if (l.status !== "ready") rec.notes.push(`layer ${l.id}: ${l.status}${l.error ? ` — ${l.error}` : ""}`);
}

declare global {
  interface Window {
    __benchReadyAt?: number;
  }
}

/** The real app: time from navigation start to window.warmcity.ready, then memory. */
async function appPage(page: Page, server: BenchServer, scale: number, args: Args, rec: CaseRecord) {
  // A string, not a function: tsx's helpers (__name) do not exist in the page.
  await page.addInitScript(
    "(function poll() { if (window.warmcity && window.warmcity.ready) window.__benchReadyAt = performance.now(); else setTimeout(poll, 10); })();",
  );
  await page.goto(server.url(`x${scale}`, "index.html?quality=low"), { waitUntil: "load" });
  try {
    await page.waitForFunction(() => window.__benchReadyAt !== undefined, undefined, { timeout: args.timeoutS * 1000, polling: 200 });
  } catch {
    rec.status = "timeout";
  }
  const info = await page.evaluate(async () => {
    const w = window as unknown as { gc?: () => void };
    for (let i = 0; i < 3; i++) {
      w.gc?.();
      await new Promise((r) => setTimeout(r, 0));
    }
    const mem = (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory;
    const api = window.warmcity;
    return {
      readyAt: window.__benchReadyAt,
      heap: mem ? mem.usedJSHeapSize / 2 ** 20 : undefined,
      layers: api?.layers().filter((l) => l.visible) ?? [],
      errors: api?.errors() ?? [],
      quality: api?.quality(),
      // The app's own start-up marks (App.tsx): where the time from navigation start goes.
      marks: performance
        .getEntriesByType("mark")
        .filter((m) => m.name.startsWith("warmcity:"))
        .map((m) => `${m.name.slice(9)} ${(m.startTime / 1000).toFixed(2)} s`),
    };
  });
  if (info.readyAt !== undefined) rec.readyS = round2(info.readyAt / 1000);
  rec.heapMB = info.heap !== undefined ? round1(info.heap) : undefined;
  rec.layers = info.layers.map((l) => ({
    id: l.id,
    kind: l.kind,
    status: l.status === "ready" ? "ready" : l.status === "error" ? "error" : "pending",
    features: l.featureCount,
    error: l.error,
  }));
  rec.buildings = info.layers.find((l) => l.id === "buildings")?.featureCount;
  if (info.quality) rec.notes.push(`quality ${info.quality.level} (${info.quality.reason})`);
  if (info.marks.length) rec.notes.push(`timeline: ${info.marks.join(", ")}`);
  for (const e of info.errors.slice(0, 5)) rec.notes.push(`app: ${e}`);
}

// ---------------------------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------------------------

const round1 = (v: number) => Math.round(v * 10) / 10;
const round2 = (v: number) => Math.round(v * 100) / 100;

export interface Ratio {
  target: string;
  scale?: number;
  measured?: number;
  limit: number;
  /** "≤" or "<". */
  op: "≤" | "<";
  verdict: "PASS" | "MISS" | "n/a";
  detail: string;
}

/**
 * One record per case and scale: with --repeat, the median of each measured number over the
 * successful rounds (the individual rounds stay in `rounds`).
 */
function aggregate(runs: CaseRecord[]): CaseRecord[] {
  const groups = new Map<string, CaseRecord[]>();
  for (const r of runs) {
    const k = `${r.case}@${r.scale}`;
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  const med = (xs: Array<number | undefined>): number | undefined => {
    const v = xs.filter((x): x is number => x !== undefined).sort((a, b) => a - b);
    if (!v.length) return undefined;
    const m = v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    return Math.round(m * 100) / 100;
  };
  return [...groups.values()].map((rs) => {
    if (rs.length === 1) return rs[0];
    const ok = rs.filter((r) => r.status === "ok");
    const base = { ...(ok.at(-1) ?? rs.at(-1)!) };
    if (ok.length) {
      base.readyS = med(ok.map((r) => r.readyS));
      base.medianMs = med(ok.map((r) => r.medianMs));
      base.p95Ms = med(ok.map((r) => r.p95Ms));
      base.jsMedianMs = med(ok.map((r) => r.jsMedianMs));
      base.heapMB = med(ok.map((r) => r.heapMB));
    }
    if (ok.length < rs.length)
      base.notes = [
        ...base.notes,
        `${rs.length - ok.length} of ${rs.length} rounds: ${rs
          .filter((r) => r.status !== "ok")
          .map((r) => r.status)
          .join(", ")}`,
      ];
    base.rounds = rs.map((r) => ({
      status: r.status,
      readyS: r.readyS,
      medianMs: r.medianMs,
      p95Ms: r.p95Ms,
      heapMB: r.heapMB,
      othersCpu: r.othersCpu,
    }));
    return base;
  });
}

function ratios(recs: CaseRecord[], scales: number[]): Ratio[] {
  const get = (c: CaseName, s: number) => recs.find((r) => r.case === c && r.scale === s);
  const empty = recs.find((r) => r.case === "empty");
  const out: Ratio[] = [];
  const add = (
    target: string,
    scale: number | undefined,
    num: number | undefined,
    den: number | undefined,
    limit: number,
    op: "≤" | "<",
    why: string,
  ) => {
    if (/^(\w+\/?\w* not run(, )?)+$/.test(why)) return; // none of its cases was asked for
    if (num === undefined || den === undefined || !(den > 0)) {
      out.push({ target, scale, limit, op, verdict: "n/a", detail: why });
      return;
    }
    const m = num / den;
    const ok = op === "≤" ? m <= limit : m < limit;
    out.push({
      target,
      scale,
      measured: Math.round(m * 1000) / 1000,
      limit,
      op,
      verdict: ok ? "PASS" : "MISS",
      detail: `${fmt(num)} / ${fmt(den)}`,
    });
  };
  const missing = (...rs: Array<[CaseName, CaseRecord | undefined]>) =>
    rs
      .map(([n, r]) => (r ? (r.status === "ok" ? "" : `${n} ${r.status}`) : `${n} not run`))
      .filter(Boolean)
      .join(", ") || "not measured";
  for (const s of scales) {
    const app = get("app", s);
    const ent = get("entity", s);
    const prim = get("primitive", s);
    const ok = (r?: CaseRecord) => (r?.status === "ok" ? r : undefined);
    add(
      "time to ready: app ≤ 1/10 of entity baseline",
      s,
      ok(app)?.readyS,
      ok(ent)?.readyS,
      0.1,
      "≤",
      missing(["app", app], ["entity", ent]),
    );
    add(
      "time to ready: app ≤ 1/3 of batched-Primitive baseline",
      s,
      ok(app)?.readyS,
      ok(prim)?.readyS,
      1 / 3,
      "≤",
      missing(["app", app], ["primitive", prim]),
    );
    add(
      "frame time: app ≤ 1/2 of entity baseline",
      s,
      ok(app)?.medianMs,
      ok(ent)?.medianMs,
      0.5,
      "≤",
      missing(["app", app], ["entity", ent]),
    );
    add("heap: app ≤ 1/10 of entity baseline", s, ok(app)?.heapMB, ok(ent)?.heapMB, 0.1, "≤", missing(["app", app], ["entity", ent]));
    add(
      "all-layers frame time ≤ 1.5× empty scene",
      s,
      ok(app)?.medianMs,
      empty?.status === "ok" ? empty.medianMs : undefined,
      1.5,
      "≤",
      missing(["app", app], ["empty", empty]),
    );
  }
  for (const s of scales) {
    const app = get("app/bldg", s);
    const ent = get("entity/bldg", s);
    const prim = get("primitive/bldg", s);
    if (!app && !ent && !prim) continue;
    const ok = (r?: CaseRecord) => (r?.status === "ok" ? r : undefined);
    add(
      "buildings only — ready: 3D Tiles ≤ 1/10 of entities",
      s,
      ok(app)?.readyS,
      ok(ent)?.readyS,
      0.1,
      "≤",
      missing(["app/bldg", app], ["entity/bldg", ent]),
    );
    add(
      "buildings only — ready: 3D Tiles ≤ 1/3 of batched Primitive",
      s,
      ok(app)?.readyS,
      ok(prim)?.readyS,
      1 / 3,
      "≤",
      missing(["app/bldg", app], ["primitive/bldg", prim]),
    );
    add(
      "buildings only — frame: 3D Tiles ≤ 1/2 of entities",
      s,
      ok(app)?.medianMs,
      ok(ent)?.medianMs,
      0.5,
      "≤",
      missing(["app/bldg", app], ["entity/bldg", ent]),
    );
    add(
      "buildings only — heap: 3D Tiles ≤ 1/10 of entities",
      s,
      ok(app)?.heapMB,
      ok(ent)?.heapMB,
      0.1,
      "≤",
      missing(["app/bldg", app], ["entity/bldg", ent]),
    );
  }
  const a1 = get("app", 1);
  for (const s of scales.filter((x) => x > 1)) {
    const as = get("app", s);
    add(
      `1× → ${s}× raises the app's frame time by < 1.5×`,
      s,
      as?.status === "ok" ? as.medianMs : undefined,
      a1?.status === "ok" ? a1.medianMs : undefined,
      1.5,
      "<",
      missing(["app", a1], ["app", as]),
    );
  }
  return out;
}

const fmt = (v: number | undefined, digits = 1) => (v === undefined ? "–" : v >= 100 ? v.toFixed(0) : v.toFixed(digits));

function pad(s: string, n: number, right = false) {
  // CJK-free content, so string length is the column width.
  return right ? s.padStart(n) : s.padEnd(n);
}

function table(recs: CaseRecord[]): string {
  const head = [
    "case",
    "scale",
    "ready s",
    "median ms",
    "p95 ms",
    "js ms",
    "heap MB",
    "browser MB",
    "gpu MB",
    "buildings",
    "draws",
    "other CPU",
    "status",
  ];
  const rows = recs.map((r) => [
    r.case,
    r.case === "empty" ? "–" : `${r.scale}×`,
    r.readyS === undefined ? "–" : r.readyS.toFixed(2),
    fmt(r.medianMs),
    fmt(r.p95Ms),
    fmt(r.jsMedianMs),
    fmt(r.heapMB),
    r.proc ? String(r.proc.totalMB) : "–",
    r.proc ? String(r.proc.gpuMB) : "–",
    r.buildings === undefined ? "–" : r.buildings.toLocaleString("en-US"),
    r.drawCommands === undefined ? "–" : String(r.drawCommands),
    r.othersCpu === undefined ? "–" : `${Math.round(r.othersCpu * 100)} %`,
    r.status === "ok" ? (r.frames !== undefined ? `ok (${r.frames} frames)` : "ok") : r.status,
  ]);
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => pad(c, w[i], i >= 2 && i <= 11)).join("  ");
  return [line(head), w.map((n) => "-".repeat(n)).join("  "), ...rows.map(line)].join("\n");
}

function breakdownTable(r: CaseRecord): string {
  const all = r.breakdown!.find((b) => b.label === "all")!.medianMs;
  const lines = r.breakdown!.map((b) => {
    const cost = b.label.startsWith("without ") ? `  cost ${fmt(all - b.medianMs).padStart(5)} ms` : "";
    return `    ${b.label.padEnd(36)} ${fmt(b.medianMs).padStart(6)} ms${cost}`;
  });
  return [`  ${r.case} ${r.scale}×:`, ...lines].join("\n");
}

function ratioTable(rs: Ratio[]): string {
  return rs
    .map((r) => {
      const m = r.measured === undefined ? "   –  " : r.measured.toFixed(3);
      const lim = r.limit === 1 / 3 ? "1/3" : String(r.limit);
      return `${r.verdict.padEnd(4)}  ${m.padStart(7)} ${r.op} ${lim.padEnd(4)}  ${r.scale ? `${r.scale}×` : "  "}  ${r.target}  (${r.detail})`;
    })
    .join("\n");
}

// ---------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const tStart = performance.now();
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);
  if (args.build) build();
  else if (!existsSync(join(BENCH_DIST, "bench.html"))) DIST = join(ROOT, "dist"); // --no-build: use whatever was built last
  if (!existsSync(join(DIST, "bench.html")))
    throw new Error(`${relative(ROOT, DIST)}/bench.html is missing: run without --no-build (vite build makes it)`);

  // Data per scale.
  const cities = new Map<number, string>();
  for (const s of args.scales) {
    const dir = args.city.get(s) ?? (s === 1 ? join(ROOT, "public", "generated") : scaledCity(s, args.regen));
    checkCity(dir, `${s}× city`);
    cities.set(s, dir);
  }
  const server = await startBenchServer([...cities].map(([s, dir]) => ({ prefix: `x${s}`, appDir: DIST, generatedDir: dir })));
  log(`› serving ${relative(ROOT, DIST)}/ at ${server.origin}/x{${args.scales.join(",")}}/`);
  const cityInfo = Object.fromEntries(
    [...cities].map(([s, dir]) => [
      `${s}x`,
      { dir: relative(ROOT, dir), buildings: countFeatures(join(dir, "city", "buildings.geojson")) },
    ]),
  );
  for (const [k, v] of Object.entries(cityInfo)) log(`  ${k}: ${v.dir} (${v.buildings?.toLocaleString("en-US") ?? "?"} buildings)`);

  const runs: CaseRecord[] = [];
  try {
    // Cheap cases first, so a slow baseline at 4× cannot starve them of the time budget.
    // With --repeat, whole rounds repeat, so a busy spell hits every case alike.
    const order: CaseName[] = ["empty", "app", "app-page", "primitive", "entity", "app/bldg", "primitive/bldg", "entity/bldg"];
    for (let round = 1; round <= args.repeat; round++)
      for (const s of args.scales)
        for (const c of order) {
          if (!args.cases.includes(c)) continue;
          if (c === "empty" && s !== args.scales[0]) continue; // the empty globe does not depend on the city
          log(`› ${c} ${c === "empty" ? "" : `${s}×`}${args.repeat > 1 ? ` (round ${round}/${args.repeat})` : ""}`);
          const r = await runCase(server, c, s, args);
          runs.push(r);
          log(
            `  ${r.status}${r.error ? `: ${r.error.split("\n")[0]}` : ""} — ready ${r.readyS ?? "–"} s, median ${fmt(r.medianMs)} ms, p95 ${fmt(r.p95Ms)} ms, heap ${fmt(r.heapMB)} MB, browser ${r.proc?.totalMB ?? "–"} MB (${r.wallS} s)`,
          );
        }
  } finally {
    await server.close();
  }
  const recs = aggregate(runs);

  const rs = ratios(recs, args.scales);
  const renderer = recs.find((r) => r.renderer)?.renderer;
  const buffer = recs.find((r) => r.drawingBufferPx)?.drawingBufferPx;
  log("");
  log(
    `Render bench — Chromium ${chromiumVersion()} on ${renderer ?? "?"}, ${VIEWPORT.width}×${VIEWPORT.height} CSS px → drawing buffer ${buffer?.join("×") ?? "?"} (quality=low: resolutionScale 0.5, msaa 1, no sky/atmosphere/fog)`,
  );
  log(
    `orbit: ${args.frames} frames around ${ORBIT.latDeg} N ${ORBIT.lonDeg} E at ${ORBIT.rangeM} m, pitch ${ORBIT.pitchDeg}°; ${cpus().length} cores`,
  );
  log("ready: bench cases from the start of loading (viewer built, workers warm); app-page from navigation start.");
  log("heap: JS heap after forced GC; browser/gpu MB: PSS of the whole Chromium / its GPU process (SwiftShader buffers).");
  log("other CPU: share of the machine other processes used during the case (SwiftShader is CPU-bound: >15 % inflates times).");
  log("");
  log(table(recs));
  log("");
  log("Targets:");
  log(ratioTable(rs));
  const withBreakdown = recs.filter((r) => r.breakdown?.length);
  if (withBreakdown.length) {
    log("");
    log("What the frame time is made of (median of a short orbit; cost = all − without):");
    for (const r of withBreakdown) log(breakdownTable(r));
  }
  const timed = recs.filter((r) => r.layers?.some((l) => l.loadedMs !== undefined));
  if (timed.length) {
    log("");
    log("Layer timeline, s from the start of loading: data handed to the scene / drawn (on the GPU) → case ready:");
    const sec = (ms?: number) => (ms === undefined ? "?" : (ms / 1000).toFixed(1));
    for (const r of timed) {
      const ls = [...r.layers!]
        .filter((l) => l.loadedMs !== undefined)
        .sort((a, b) => (a.drawnMs ?? a.loadedMs!) - (b.drawnMs ?? b.loadedMs!));
      const cells = ls.map((l) => `${l.id} ${sec(l.loadedMs)}${l.drawnMs !== undefined ? `/${sec(l.drawnMs)}` : ""}`);
      log(`  ${`${r.case} ${r.scale}×`.padEnd(18)} ${cells.join(", ")} → ${r.readyS?.toFixed(1) ?? r.status}`);
    }
  }
  const tiled = recs.filter((r) => r.tiles);
  if (tiled.length) {
    log("");
    for (const r of tiled)
      log(
        `3D Tiles in ${r.case} ${r.scale}× (orbit average): ${r.tiles!.tilesSelected} tiles, ${r.tiles!.featuresSelected.toLocaleString("en-US")} of ${r.tiles!.featuresLoaded.toLocaleString("en-US")} loaded buildings, ${r.tiles!.trianglesSelected.toLocaleString("en-US")} triangles drawn`,
      );
  }
  const notes = recs.filter((r) => r.notes.length || r.error);
  if (notes.length) {
    log("");
    log("Notes:");
    for (const r of notes)
      for (const n of [...(r.error ? [`error: ${r.error.split("\n")[0]}`] : []), ...r.notes]) log(`  ${r.case} ${r.scale}×: ${n}`);
  }

  let analysis: unknown;
  if (args.analysis) analysis = await runAnalysis(args);
  if (args.analysis)
    await import("./bench/import").then((m) => m.runImportBench({ log })).catch((e) => log(`(import bench not run: ${e})`)); // writes bench-results/import.json

  const json = {
    generatedAt: new Date().toISOString(),
    machine: {
      cores: cpus().length,
      memGB: Math.round(totalmem() / 2 ** 30),
      node: process.version,
      chromium: chromiumVersion(),
      renderer,
    },
    settings: {
      viewport: VIEWPORT,
      drawingBufferPx: buffer,
      quality: "low (resolutionScale 0.5, msaa 1, no sky/atmosphere/fog)",
      frames: args.frames,
      orbit: ORBIT,
      timeoutS: args.timeoutS,
      chromiumArgs: CHROMIUM_ARGS,
      cities: cityInfo,
    },
    results: recs,
    targets: rs,
    ...(analysis !== undefined ? { analysis } : {}),
    wallS: round1((performance.now() - tStart) / 1000),
  };
  mkdirSync(dirname(args.out), { recursive: true });
  writeFileSync(args.out, JSON.stringify(json, null, 2) + "\n");
  log("");
  log(`wrote ${relative(ROOT, args.out)} (${json.wallS} s in all)`);
}

/** scripts/bench-analysis.ts (another engineer's) when it exists; the render bench works without it. */
async function runAnalysis(args: Args): Promise<unknown> {
  const file = join(ROOT, "scripts", "bench-analysis.ts");
  if (!existsSync(file)) return undefined;
  let mod: { runAnalysisBench?: (opts: unknown) => unknown };
  try {
    mod = (await import(pathToFileURL(file).href)) as typeof mod;
  } catch (e) {
    log(`\n(analysis bench not run: ${e instanceof Error ? e.message : String(e)})`);
    return { error: String(e) };
  }
  if (typeof mod.runAnalysisBench !== "function") return undefined;
  log("\nAnalysis bench (scripts/bench-analysis.ts):");
  try {
    const r = await mod.runAnalysisBench({ scales: args.scales, log });
    if (typeof r === "string") log(r);
    else if (r && typeof r === "object" && typeof (r as { table?: unknown }).table === "string") log((r as { table: string }).table);
    else if (r !== undefined) log(JSON.stringify(r, null, 2));
    return r;
  } catch (e) {
    log(`  analysis bench failed: ${e instanceof Error ? e.message : String(e)}`);
    return { error: String(e) };
  }
}

const argv = process.argv.slice(2);
(argv[0] === "--make-city" ? makeCity(Number(argv[1]), resolve(argv[2])) : main()).catch((e: unknown) => {
  console.error(`bench: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
