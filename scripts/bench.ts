// npm run bench — the render benchmark (not part of npm test).
//
// Builds the app (unless --no-build) into .cache/bench-dist, serves it on 127.0.0.1 with the 1× city and a
// generated 4× city under /x1/ and /x4/, and the app as it was before issue 7 (--before-ref, built once into
// .cache/before-<sha>/ with its own 1× and 4× city) under /b1/ and /b4/, and drives headless Chromium
// (SwiftShader) through playwright-core at 1280×800 with the app's `quality=low` settings.
//
// Headline cases — every one a page a user would write, timed from navigation start (the page's
// performance.now()), every one starting at the same camera (the orbit's heading-0 pose, BENCH_ORBIT),
// every one orbited afterwards by the app's own sandbox orbit (src/cesium/cameraControl.ts startOrbit,
// Cesium's render loop in requestRenderMode) while an init script records animation-frame intervals:
//
//   empty      bench.html?case=empty: globe + NaturalEarthII only
//   app        THE REAL APP: index.html?quality=low&camera=<orbit start>: ready = window.warmcity.ready;
//              first frame with the city = the app's `warmcity:first-city-frame` mark; view switches
//   before     the real app as it was before issue 7 (--before-ref): ready, bytes and view switches only
//   entity     bench.html?case=entity — baseline A: GeoJsonDataSource + extruded polygon entities
//   primitive  bench.html?case=primitive — baseline B: every default layer as batched Primitives built at
//              load from the GeoJSON (buildings as one batch of extruded polygons; no baked ground)
//
// Diagnostics (opt-in, name them in --cases), the older protocol on bench.html: timed from the start of
// loading after a warm-up, frames rendered one at a time and timed to GPU completion along a 120-step orbit:
//   bench-app  the default view through the app's own LayerManager/renderers, without the app's UI
//   app/bldg, primitive/bldg, entity/bldg   only the buildings layer (--buildings-only adds them)
//
// Each case runs in a fresh browser, one after another, with a timeout. Prints a table, the issue's
// target table (1× and 4×, PASS/MISS) and the same as markdown, and writes bench-results/render.json and
// bench-results/render.md.
//
//   npx tsx scripts/bench.ts [--quick] [--scales 1,4] [--cases empty,app,before,primitive,entity]
//        [--seconds 20] [--settle 3]       (orbit: measured seconds after unmeasured settle seconds)
//        [--timeout 300] [--no-build] [--no-analysis]
//        [--budget-min 0]                  (start no case after this many minutes; kill -USR2 <pid> does the same now)
//        [--before-ref e6693bb | --before-dir DIR | --no-before]
//        [--city-x1 DIR] [--city-x4 DIR]   (a `generated/` folder to serve for that scale)
//        [--regen]                         (regenerate the scaled cities even if cached)
//        [--quiet-wait 30]                 (seconds to wait before a case for the machine to calm down)
//        [--repeat 1]                      (rounds; the table shows per-case medians over rounds)
//        [--frames 120] [--frames-budget 90] [--breakdown 6]   (the diagnostic protocol's orbit)
//   --quick = --scales 1 --seconds 6 --settle 2 --timeout 240 --quiet-wait 5 --no-analysis
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium, type Page } from "playwright-core";
import {
  BENCH_ORBIT,
  orbitStartCamera,
  type BenchCaseId,
  type BenchCaseOptions,
  type BenchCaseResult,
  type LayerReport,
  type NavCaseProgress,
} from "../bench/page/protocol";
import { CpuContention, machineBusy, processTreeMemory, type ProcMem } from "./bench/procmem";
import { startBenchServer, type BenchServer } from "./bench/server";
import { measureViewSwitches, VIEW_CYCLE, type ViewSwitch } from "./bench/switchMeasure";
import { CHROMIUM_ARGS as HARNESS_ARGS, CHROMIUM_PATH, chromiumVersion } from "../tests/e2e/harness";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
/**
 * The bench builds into its own folder, so that it neither clobbers nor is clobbered by a
 * `vite build` another process (npm test) runs into dist/ at the same time.
 */
const BENCH_DIST = join(ROOT, ".cache", "bench-dist");
let DIST = BENCH_DIST;
const CHROMIUM = CHROMIUM_PATH;
/** The browser tests' flags (DESIGN.md "Toolchain facts", no background throttling), plus GC and precise heap numbers. */
const CHROMIUM_ARGS = [...HARNESS_ARGS, "--enable-precise-memory-info", "--js-flags=--expose-gc"];
const VIEWPORT = { width: 1280, height: 800 };
const ORBIT = BENCH_ORBIT;
/** The commit before issue 7 landed on main (the "before" of the view-switch and bytes targets). */
const BEFORE_REF = "e6693bb";
/** The views switched to, in order, twice (data/views.json; the same ids and cameras before issue 7). */

/** Navigation-start cases (headline), and the older bench-page protocol (diagnostics). */
const NAV_CASES = ["empty", "app", "before", "primitive", "entity"] as const;
type NavCaseName = (typeof NAV_CASES)[number];
type CaseName = NavCaseName | "bench-app" | "app/bldg" | "primitive/bldg" | "entity/bldg";
const DEFAULT_CASES: CaseName[] = [...NAV_CASES];
const BUILDINGS_ONLY: CaseName[] = ["app/bldg", "primitive/bldg", "entity/bldg"];
const ALL_CASES: CaseName[] = [...DEFAULT_CASES, "bench-app", ...BUILDINGS_ONLY];
const isNav = (c: CaseName): c is NavCaseName => (NAV_CASES as readonly string[]).includes(c);
/** The bench page's case id for a diagnostic case. */
const benchId = (c: CaseName): BenchCaseId => (c === "bench-app" ? "app" : (c.replace("/bldg", "") as BenchCaseId));

interface Args {
  quick: boolean;
  /** No case starts after this many minutes (0 = no limit). */
  budgetMin: number;
  seconds: number;
  settleS: number;
  beforeRef: string;
  beforeDir?: string;
  before: boolean;
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
    quick: false,
    budgetMin: 0,
    seconds: 20,
    settleS: 3,
    beforeRef: BEFORE_REF,
    before: true,
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
    if (key === "--quick") {
      a.quick = true;
      a.scales = [1];
      a.seconds = 6;
      a.settleS = 2;
      a.timeoutS = 240;
      a.quietWaitS = 5;
      a.analysis = false;
    } else if (key === "--seconds") a.seconds = Number(val());
    else if (key === "--budget-min") a.budgetMin = Number(val());
    else if (key === "--settle") a.settleS = Number(val());
    else if (key === "--before-ref") a.beforeRef = val();
    else if (key === "--before-dir") a.beforeDir = resolve(val());
    else if (key === "--no-before") a.before = false;
    else if (key === "--scales") a.scales = val().split(",").map(Number);
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
  if (!(a.seconds > 0) || !(a.settleS >= 0) || !(a.timeoutS > 0)) throw new Error("--seconds, --settle and --timeout: positive numbers");
  if (!a.before) a.cases = a.cases.filter((c) => c !== "before");
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

/**
 * The app as it was before issue 7, built once from git into .cache/before-<sha>/: its sources
 * (git archive), this checkout's node_modules linked in (a superset of its dependencies), its own
 * `npm run data` for the 1× city, its own vite build, and its own bench's --make-city for larger
 * scales — so "before" is measured by the same driver, on the same machine, in the same run.
 */
function beforeTree(args: Args): { dist: string; city: Map<number, string> } {
  let dir = args.beforeDir;
  const tsx = join(ROOT, "node_modules", "tsx", "dist", "cli.mjs");
  const run = (what: string, cmd: string, argv: string[], cwd: string) => {
    log(`› before issue 7: ${what}`);
    const r = spawnSync(cmd, argv, { cwd, stdio: "inherit" });
    if (r.status !== 0) throw new Error(`before issue 7: ${what} failed (exit ${r.status})`);
  };
  if (!dir) {
    const rev = spawnSync("git", ["rev-parse", "--short=10", `${args.beforeRef}^{commit}`], { cwd: ROOT, encoding: "utf8" });
    if (rev.status !== 0) throw new Error(`--before-ref ${args.beforeRef}: not a commit here (${rev.stderr.trim()})`);
    dir = join(ROOT, ".cache", `before-${rev.stdout.trim()}`);
    if (!existsSync(join(dir, "package.json"))) {
      mkdirSync(dir, { recursive: true });
      run(`sources of ${rev.stdout.trim()} (git archive)`, "sh", ["-c", `git archive ${rev.stdout.trim()} | tar -x -C '${dir}'`], ROOT);
    }
    if (!existsSync(join(dir, "node_modules"))) symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"));
    if (!existsSync(join(dir, "public", "generated", "tiles", "buildings", "tileset.json")))
      run("npm run data", process.execPath, [tsx, "scripts/prepare.ts"], dir);
    if (!existsSync(join(dir, "dist-bench", "index.html")))
      run(
        "vite build",
        join(ROOT, "node_modules", ".bin", "vite"),
        ["build", "--logLevel", "warn", "--outDir", "dist-bench", "--emptyOutDir"],
        dir,
      );
  }
  const city = new Map<number, string>();
  for (const s of args.scales) {
    const out = s === 1 ? join(dir, "public", "generated") : join(dir, ".cache", `bench-city-x${s}`, "generated");
    if (s > 1 && !existsSync(join(out, "tiles", "buildings", "tileset.json")))
      run(`the ${s}× city (its own generator and baker)`, process.execPath, [tsx, "scripts/bench.ts", "--make-city", String(s), out], dir);
    city.set(s, out);
  }
  const dist = join(dir, "dist-bench");
  if (!existsSync(join(dist, "index.html"))) throw new Error(`before issue 7: ${dist}/index.html is missing`);
  return { dist, city };
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
  /** "navigation start" (headline cases) or "bench page" (diagnostics: from the start of loading, after a warm-up). */
  protocol?: "navigation start" | "bench page";
  /** Seconds; navigation-start cases from navigation start, the diagnostics from the start of loading. */
  readyS?: number;
  /** Seconds from navigation start to the first rendered frame that drew any of the city's layers. */
  firstCityS?: number;
  /** Body bytes the server sent for this page from navigation start until ready (workers' requests included). */
  bytes?: number;
  bytesByKind?: Record<string, number>;
  requests?: number;
  /** View switches (app, before): setView → camera arrived and the app reports drawn (whenIdle), ms. */
  viewSwitch?: {
    medianMs?: number;
    medianIdleMs?: number;
    firstPassMedianMs?: number;
    secondPassMedianMs?: number;
    switches: ViewSwitch[];
  };
  /** Orbit: Cesium renders per animation frame (≈1 when every frame drew the scene). */
  rendersPerFrame?: number;
  /** The app's start-up marks (performance marks warmcity:*), s from navigation start. */
  marks?: Record<string, number>;
  /** os.loadavg()[0] before and after the case. */
  loadAvg?: [number, number];
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
  const load0 = loadavg()[0];
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
    const hardMs = (args.timeoutS + args.framesBudgetS + args.settleS + args.seconds + 240 + 2 * VIEW_CYCLE.length * 150) * 1000;
    const work = isNav(name)
      ? navCase(page, server, name, scale, args, rec)
      : benchPage(page, server, benchId(name), name.endsWith("/bldg"), scale, args, rec);
    await withTimeout(Promise.race([work, crashed]), hardMs, name);
    // Whole-browser memory while the case's content is still loaded.
    rec.proc = processTreeMemory(pid);
    // The bench server has no MQTT broker (npm start's preview has one): the live feed's retries are expected.
    const errs = [...new Set(pageErrors.filter((e) => !/\/mqtt' failed/.test(e)))];
    if (errs.length) rec.notes.push(...errs.slice(0, 5).map((e) => `page: ${e}`));
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
  rec.loadAvg = [round1(load0), round1(loadavg()[0])];
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
  rec.protocol = "bench page";
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
    __benchFrames?: { on: boolean; t: number[] };
  }
}

/** Records every animation frame's timestamp while __benchFrames.on (strings: tsx's helpers do not exist in the page). */
const FRAME_PROBE =
  "window.__benchFrames = { on: false, t: [] }; requestAnimationFrame(function f(ts) { var p = window.__benchFrames; if (p.on) p.t.push(ts); requestAnimationFrame(f); });";
/** The app's ready moment, polled from the start (the page's performance.now() = ms from navigation start). */
const READY_PROBE =
  "(function poll() { if (window.warmcity && window.warmcity.ready) window.__benchReadyAt = performance.now(); else setTimeout(poll, 10); })();";

/** window.warmcity as the driver uses it (both the current app and the one before issue 7). */
type WarmCity = {
  ready: boolean;
  layers(): Array<{ id: string; kind: string; visible: boolean; status: string; featureCount: number; error?: string }>;
  errors(): string[];
  quality(): { level: string; reason: string; renderer?: string } | undefined;
  setView(id: string): boolean;
  whenIdle(): Promise<void>;
  camera(): { lonDeg: number; latDeg: number; heightM: number } | undefined;
  orbit?(on?: boolean): boolean;
  sceneStats?(): { frames: number; medianFrameMs?: number } | undefined;
};

function kindOf(path: string): string {
  if (path.startsWith("generated/tiles/")) return "tiles";
  if (path.startsWith("generated/")) return "geojson/json data";
  if (path.startsWith("cesium/")) return "cesium assets";
  if (path.startsWith("data/")) return "manifests";
  return "app";
}

/**
 * A navigation-start case: load the page (the real app, or bench.html?case=…), wait for ready, count
 * the bytes served until then, orbit with the app's orbit and time animation frames, take the heap
 * after GC, and for the app (and the app before issue 7) switch views.
 */
async function navCase(page: Page, server: BenchServer, name: NavCaseName, scale: number, args: Args, rec: CaseRecord) {
  rec.protocol = "navigation start";
  const isApp = name === "app" || name === "before";
  const prefix = name === "before" ? `b${scale}` : `x${scale}`;
  const path = isApp
    ? `index.html?quality=low&camera=${orbitStartCamera(ORBIT).join(",")}`
    : `bench.html?case=${name}&timeout=${args.timeoutS}`;
  await page.addInitScript(FRAME_PROBE);
  if (isApp) await page.addInitScript(READY_PROBE);
  server.clearTraffic();
  await page.goto(server.url(prefix, path), { waitUntil: "commit" });

  // Ready, polled from node (the page's clock is ms from navigation start).
  let lastLog = 0;
  let readyAt: number | undefined;
  for (;;) {
    const st = await page
      .evaluate((app) => {
        if (app) {
          const w = (window as unknown as { warmcity?: { layers(): Array<{ id: string; visible: boolean; status: string }> } }).warmcity;
          return {
            now: performance.now(),
            readyAt: window.__benchReadyAt,
            done: window.__benchReadyAt !== undefined,
            phase: undefined as string | undefined,
            error: undefined as string | undefined,
            waiting: w
              ? w
                  .layers()
                  .filter((l) => l.visible && l.status !== "ready" && l.status !== "error")
                  .map((l) => l.id)
                  .join(" ") || "drawing"
              : "app start",
          };
        }
        const p = window.warmcityBench?.progress();
        return {
          now: performance.now(),
          readyAt: p?.readyAtMs,
          done: !!p && p.phase !== "loading",
          phase: p?.phase,
          error: p?.error,
          waiting: p?.waitingFor ?? "",
        };
      }, isApp)
      .catch(() => undefined); // the document may still be replacing the about:blank one
    if (st?.done) {
      if (st.phase && st.phase !== "ready") {
        rec.status = st.phase === "timeout" ? "timeout" : "error";
        if (st.error) rec.error = st.error;
        if (st.phase === "timeout")
          rec.notes.push(`not ready ${args.timeoutS} s after navigation start (waiting for ${st.waiting || "?"})`);
      }
      readyAt = st.readyAt;
      break;
    }
    if (st && st.now > args.timeoutS * 1000) {
      rec.status = "timeout";
      rec.notes.push(`not ready ${args.timeoutS} s after navigation start (waiting for ${st.waiting || "?"})`);
      break;
    }
    if (st && st.now - lastLog > 15_000) {
      lastLog = st.now;
      if (st.now > 1000) log(`    ${name}: ${Math.round(st.now / 1000)} s from navigation start, waiting for ${st.waiting || "?"}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }

  const timeOrigin = await page.evaluate(() => performance.timeOrigin);
  if (readyAt !== undefined) {
    rec.readyS = round2(readyAt / 1000);
    const until = timeOrigin + readyAt;
    const served = server.traffic().filter((t) => t.prefix === prefix && t.endEpochMs <= until + 1);
    rec.bytes = served.reduce((a, t) => a + t.bytes, 0);
    rec.requests = served.length;
    rec.bytesByKind = {};
    for (const t of served) rec.bytesByKind[kindOf(t.path)] = (rec.bytesByKind[kindOf(t.path)] ?? 0) + t.bytes;
    const top = [...served].sort((x, y) => y.bytes - x.bytes).slice(0, 6);
    rec.notes.push(`largest responses until ready: ${top.map((t) => `${t.path} ${mb(t.bytes)} MB`).join(", ")}`);
  }

  if (isApp) {
    const info = await page.evaluate(() => {
      const api = (window as unknown as { warmcity?: WarmCity }).warmcity;
      return {
        layers: api?.layers().filter((l) => l.visible) ?? [],
        errors: api?.errors() ?? [],
        quality: api?.quality(),
        camera: api?.camera(),
        marks: performance
          .getEntriesByType("mark")
          .filter((m) => m.name.startsWith("warmcity:"))
          .map((m) => [m.name.slice(9), m.startTime] as [string, number]),
      };
    });
    rec.layers = info.layers.map((l) => ({
      id: l.id,
      kind: l.kind,
      status: l.status === "ready" ? "ready" : l.status === "error" ? "error" : "pending",
      features: l.featureCount,
      error: l.error,
    }));
    rec.buildings = info.layers.find((l) => l.id === "buildings")?.featureCount;
    rec.renderer = info.quality?.renderer;
    rec.marks = Object.fromEntries(info.marks.filter(([k]) => !k.startsWith("layer-ready:")).map(([k, v]) => [k, round2(v / 1000)]));
    const city = info.marks.find(([k]) => k === "first-city-frame");
    if (city) rec.firstCityS = round2(city[1] / 1000);
    if (info.quality) rec.notes.push(`quality ${info.quality.level} (${info.quality.reason})`);
    if (info.camera)
      rec.notes.push(
        `camera at ready: ${info.camera.lonDeg.toFixed(5)}, ${info.camera.latDeg.toFixed(5)}, ${Math.round(info.camera.heightM)} m`,
      );
    const order = info.marks
      .filter(([k]) => !k.startsWith("layer-ready:"))
      .sort((a, b) => a[1] - b[1])
      .map(([k, v]) => `${k} ${(v / 1000).toFixed(2)} s`);
    if (order.length) rec.notes.push(`timeline: ${order.join(", ")}`);
    for (const e of info.errors.slice(0, 5)) rec.notes.push(`app: ${e}`);
  } else {
    const p = (await page.evaluate(() => window.warmcityBench?.progress())) as NavCaseProgress | undefined;
    if (p) {
      if (p.firstCityAtMs !== undefined) rec.firstCityS = round2(p.firstCityAtMs / 1000);
      rec.layers = p.layers;
      rec.buildings = p.buildings;
      rec.drawCommands = p.drawCommands;
      rec.renderer = p.renderer;
      rec.drawingBufferPx = p.drawingBufferPx;
      if (p.viewerAtMs !== undefined) rec.marks = { viewer: round2(p.viewerAtMs / 1000) };
      rec.notes.push(...p.notes);
      for (const l of p.layers) if (l.status !== "ready") rec.notes.push(`layer ${l.id}: ${l.status}${l.error ? ` — ${l.error}` : ""}`);
    }
  }
  if (rec.status !== "ok") return;

  // The app keeps working after ready (the cockpit's KPI worker, the panels' data): let that
  // finish (at most 120 s) so the orbit measures the scene with the default view, not start-up.
  if (name === "app") {
    const t = Date.now();
    const settled = await page
      .evaluate(() =>
        Promise.race([
          (window as unknown as { warmcity: { whenKpis(): Promise<void> } }).warmcity.whenKpis().then(() => true),
          new Promise<boolean>((r) => setTimeout(() => r(false), 120_000)),
        ]),
      )
      .catch(() => false);
    rec.notes.push(
      `orbit started ${round1((Date.now() - t) / 1000)} s after ready (${settled ? "the cockpit's KPIs were done" : "KPIs not done after 120 s"})`,
    );
  }
  // Frame timing while orbiting (not for `before`: its targets are view switches and bytes).
  if (name !== "before") await orbitFrames(page, isApp, args, rec);
  rec.heapMB = await page.evaluate(async () => {
    const w = window as unknown as { gc?: () => void };
    for (let i = 0; i < 3; i++) {
      w.gc?.();
      await new Promise((r) => setTimeout(r, 0));
    }
    const mem = (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory;
    return mem ? Math.round((mem.usedJSHeapSize / 2 ** 20) * 10) / 10 : undefined;
  });
  if (isApp) rec.viewSwitch = await viewSwitches(page);
}

/** The measured orbit, identical in every page: the app's sandbox orbit, animation-frame intervals. */
async function orbitFrames(page: Page, isApp: boolean, args: Args, rec: CaseRecord) {
  const started = await page.evaluate((app) => {
    const b = window.warmcityBench;
    const w = (window as unknown as { warmcity?: WarmCity }).warmcity;
    return app ? (w?.orbit?.(true) ?? false) : (b?.orbit(true) ?? false);
  }, isApp);
  if (!started) {
    rec.notes.push("the orbit did not start: no frame timing");
    return;
  }
  await page.waitForTimeout(args.settleS * 1000);
  const stats = () =>
    page.evaluate((app) => {
      const w = (window as unknown as { warmcity?: WarmCity }).warmcity;
      return app ? w?.sceneStats?.() : window.warmcityBench?.stats();
    }, isApp);
  const s0 = await stats();
  await page.evaluate(() => {
    window.__benchFrames!.t = [];
    window.__benchFrames!.on = true;
  });
  await page.waitForTimeout(args.seconds * 1000);
  const t = await page.evaluate(() => {
    window.__benchFrames!.on = false;
    return window.__benchFrames!.t;
  });
  const s1 = await stats();
  await page.evaluate((app) => {
    const w = (window as unknown as { warmcity?: WarmCity }).warmcity;
    return app ? w?.orbit?.(false) : window.warmcityBench?.orbit(false);
  }, isApp);
  const iv = t.slice(1).map((x, i) => x - t[i]);
  if (iv.length < 3) {
    rec.notes.push(`only ${t.length} animation frames in ${args.seconds} s: no frame timing`);
    return;
  }
  const sorted = [...iv].sort((a, b) => a - b);
  const q = (x: number) => {
    const pos = (sorted.length - 1) * x;
    const lo = Math.floor(pos);
    return sorted[lo] + (sorted[Math.ceil(pos)] - sorted[lo]) * (pos - lo);
  };
  rec.frames = iv.length;
  rec.medianMs = round1(q(0.5));
  rec.p95Ms = round1(q(0.95));
  if (s0 && s1) rec.rendersPerFrame = round2((s1.frames - s0.frames) / t.length);
  if (s1?.medianFrameMs !== undefined) rec.jsMedianMs = round1(s1.medianFrameMs);
}

/**
 * setView through VIEW_CYCLE twice (the first pass loads what each view needs, the second
 * revisits): per switch, setView → whenIdle() (the app's own "drawn"), and setView → the camera
 * arrived at the view's camera (the switch flies there) and whenIdle() resolved again.
 */
async function viewSwitches(page: Page): Promise<CaseRecord["viewSwitch"]> {
  const switches = await measureViewSwitches(page, ROOT, (s) =>
    log(`    setView ${s.view} (pass ${s.pass}): ${s.error ?? `idle ${s.idleMs} ms, camera arrived and drawn ${s.drawnMs} ms`}`),
  );
  const med = (xs: Array<number | undefined>) => {
    const v = xs.filter((x): x is number => x !== undefined).sort((a, b) => a - b);
    return v.length ? (v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2) : undefined;
  };
  return {
    medianMs: med(switches.map((x) => x.drawnMs)),
    medianIdleMs: med(switches.map((x) => x.idleMs)),
    firstPassMedianMs: med(switches.filter((x) => x.pass === 1).map((x) => x.drawnMs)),
    secondPassMedianMs: med(switches.filter((x) => x.pass === 2).map((x) => x.drawnMs)),
    switches,
  };
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
  op: "≤";
  verdict: "PASS" | "MISS" | "n/a";
  /** The two figures, or why there is no ratio. */
  detail: string;
  /** The denominator's case timed out: the ratio is at most `measured`. */
  upperBound?: boolean;
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

/** The issue's target table: figure, getter, limit. */
interface TargetDef {
  target: string;
  num: CaseName;
  den: CaseName;
  value(r: CaseRecord): number | undefined;
  unit: string;
  limit: number;
  /** The denominator at 1× (growth). */
  growth?: boolean;
}
const TARGETS: TargetDef[] = [
  { target: "time to ready, app / Entity baseline", num: "app", den: "entity", value: (r) => r.readyS, unit: "s", limit: 0.1 },
  {
    target: "time to ready, app / batched-Primitive baseline",
    num: "app",
    den: "primitive",
    value: (r) => r.readyS,
    unit: "s",
    limit: 0.33,
  },
  {
    target: "first frame with the city visible, app / batched-Primitive baseline",
    num: "app",
    den: "primitive",
    value: (r) => r.firstCityS,
    unit: "s",
    limit: 0.2,
  },
  {
    target: "median frame time while orbiting, app / Entity baseline",
    num: "app",
    den: "entity",
    value: (r) => r.medianMs,
    unit: "ms",
    limit: 0.5,
  },
  {
    target: "p95 frame time while orbiting, app / Entity baseline",
    num: "app",
    den: "entity",
    value: (r) => r.p95Ms,
    unit: "ms",
    limit: 0.5,
  },
  {
    target: "median frame time, app / batched-Primitive baseline",
    num: "app",
    den: "primitive",
    value: (r) => r.medianMs,
    unit: "ms",
    limit: 1,
  },
  { target: "JS heap after GC, app / Entity baseline", num: "app", den: "entity", value: (r) => r.heapMB, unit: "MB", limit: 0.1 },
  {
    target: "median frame time with the default view, app / empty globe",
    num: "app",
    den: "empty",
    value: (r) => r.medianMs,
    unit: "ms",
    limit: 1.5,
  },
  {
    target: "view switch (setView → camera arrived and drawn), after / before issue 7",
    num: "app",
    den: "before",
    value: (r) => r.viewSwitch?.medianMs,
    unit: "ms",
    limit: 0.2,
  },
  {
    target: "bytes transferred for the default view until ready, after / before issue 7",
    num: "app",
    den: "before",
    value: (r) => (r.bytes === undefined ? undefined : r.bytes / 1e6),
    unit: "MB",
    limit: 0.4,
  },
  {
    target: "growth of the app's time to ready, 1× → N×",
    num: "app",
    den: "app",
    value: (r) => r.readyS,
    unit: "s",
    limit: 1.5,
    growth: true,
  },
  {
    target: "growth of the app's median frame time, 1× → N×",
    num: "app",
    den: "app",
    value: (r) => r.medianMs,
    unit: "ms",
    limit: 1.2,
    growth: true,
  },
];

function ratios(recs: CaseRecord[], scales: number[], timeoutS: number): Ratio[] {
  const get = (c: CaseName, s: number) => recs.find((r) => r.case === c && (r.scale === s || c === "empty"));
  const out: Ratio[] = [];
  for (const t of TARGETS)
    for (const s of scales) {
      if (t.growth && s === 1) continue;
      const n = get(t.num, s);
      const d = t.growth ? get(t.den, 1) : get(t.den, s);
      const label = (c: CaseName, sc: number) => (c === "empty" ? "empty" : `${c} ${sc}×`);
      const nLabel = label(t.num, s);
      const dLabel = label(t.den, t.growth ? 1 : s);
      const base = { target: t.target, scale: s, limit: t.limit, op: "≤" as const };
      if (!n || !d) {
        out.push({
          ...base,
          verdict: "n/a",
          detail: [!n ? `${nLabel} not run` : "", !d ? `${dLabel} not run` : ""].filter(Boolean).join(", "),
        });
        continue;
      }
      const nv = n.status === "ok" || t.value(n) !== undefined ? t.value(n) : undefined;
      const dv = d.status === "ok" || t.value(d) !== undefined ? t.value(d) : undefined;
      if (nv !== undefined && dv === undefined && d.status === "timeout" && t.target.startsWith("time to ready")) {
        // The baseline never got ready: its time is more than the timeout, the ratio less than this.
        const m = nv / timeoutS;
        out.push({
          ...base,
          measured: round3(m),
          upperBound: true,
          verdict: m <= t.limit ? "PASS" : "n/a",
          detail: `${fmt(nv)} s / more than ${timeoutS} s (${dLabel} not ready within the timeout)`,
        });
        continue;
      }
      if (nv === undefined || dv === undefined || !(dv > 0)) {
        const why = (r: CaseRecord, l: string) => (r.status !== "ok" ? `${l} ${r.status}` : `${l}: not measured`);
        out.push({
          ...base,
          verdict: "n/a",
          detail: [nv === undefined ? why(n, nLabel) : "", dv === undefined ? why(d, dLabel) : ""].filter(Boolean).join(", "),
        });
        continue;
      }
      const m = nv / dv;
      out.push({
        ...base,
        measured: round3(m),
        verdict: m <= t.limit ? "PASS" : "MISS",
        detail: `${fmt(nv, 2)} / ${fmt(dv, 2)} ${t.unit}`,
      });
    }
  return out;
}

const round3 = (v: number) => Math.round(v * 1000) / 1000;
const fmt = (v: number | undefined, digits = 1) => (v === undefined ? "–" : v >= 100 ? v.toFixed(0) : v.toFixed(digits));

function pad(s: string, n: number, right = false) {
  // CJK-free content, so string length is the column width.
  return right ? s.padStart(n) : s.padEnd(n);
}

const mb = (b: number | undefined) => (b === undefined ? "–" : (b / 1e6).toFixed(2));

function caseRows(recs: CaseRecord[]): { head: string[]; rows: string[][] } {
  const head = [
    "case",
    "scale",
    "ready s",
    "city s",
    "median ms",
    "p95 ms",
    "js ms",
    "heap MB",
    "browser MB",
    "bytes MB",
    "switch ms",
    "buildings",
    "other CPU",
    "load",
    "status",
  ];
  const rows = recs.map((r) => [
    r.protocol === "bench page" ? `${r.case} (bench page)` : r.case,
    r.case === "empty" ? "–" : `${r.scale}×`,
    r.readyS === undefined ? "–" : r.readyS.toFixed(2),
    r.firstCityS === undefined ? "–" : r.firstCityS.toFixed(2),
    fmt(r.medianMs),
    fmt(r.p95Ms),
    fmt(r.jsMedianMs),
    fmt(r.heapMB),
    r.proc ? String(r.proc.totalMB) : "–",
    mb(r.bytes),
    r.viewSwitch?.medianMs === undefined ? "–" : String(Math.round(r.viewSwitch.medianMs)),
    r.buildings === undefined ? "–" : r.buildings.toLocaleString("en-US"),
    r.othersCpu === undefined ? "–" : `${Math.round(r.othersCpu * 100)} %`,
    r.loadAvg ? `${r.loadAvg[0]}→${r.loadAvg[1]}` : "–",
    r.status === "ok" ? (r.frames !== undefined ? `ok (${r.frames} frames)` : "ok") : r.status,
  ]);
  return { head, rows };
}

function table(recs: CaseRecord[]): string {
  const { head, rows } = caseRows(recs);
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => pad(c, w[i], i >= 2 && i <= 13)).join("  ");
  return [line(head), w.map((n) => "-".repeat(n)).join("  "), ...rows.map(line)].join("\n");
}

const verdictText = (r: Ratio | undefined) =>
  !r
    ? "–"
    : r.measured === undefined
      ? `n/a (${r.detail})`
      : `${r.upperBound ? "< " : ""}${r.measured.toFixed(3)} ${r.verdict} (${r.detail})`;

/** The issue's target table as markdown: one row per figure, one column per scale. */
function markdownTargets(rs: Ratio[], scales: number[]): string {
  const lines = [`| figure | target | ${scales.map((s) => `${s}×`).join(" | ")} |`, `|---|---|${scales.map(() => "---|").join("")}`];
  for (const t of TARGETS) {
    const cells = scales.map((s) => (t.growth && s === 1 ? "–" : verdictText(rs.find((r) => r.target === t.target && r.scale === s))));
    lines.push(`| ${t.target.replace(" N×", ` ${scales.filter((s) => s > 1).join("/") || "N"}×`)} | ≤ ${t.limit} | ${cells.join(" | ")} |`);
  }
  return lines.join("\n");
}

function markdownCases(recs: CaseRecord[]): string {
  const { head, rows } = caseRows(recs);
  return [`| ${head.join(" | ")} |`, `|${head.map(() => "---|").join("")}`, ...rows.map((r) => `| ${r.join(" | ")} |`)].join("\n");
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
      const m = r.measured === undefined ? "   –  " : `${r.upperBound ? "<" : ""}${r.measured.toFixed(3)}`;
      return `${r.verdict.padEnd(4)}  ${m.padStart(7)} ${r.op} ${String(r.limit).padEnd(4)}  ${r.scale ? `${r.scale}×` : "  "}  ${r.target}  (${r.detail})`;
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
  const sites = [...cities].map(([s, dir]) => ({ prefix: `x${s}`, appDir: DIST, generatedDir: dir }));
  let beforeInfo: { dist: string; city: Record<string, string> } | undefined;
  if (args.cases.includes("before")) {
    const b = beforeTree(args);
    for (const [s, dir] of b.city) sites.push({ prefix: `b${s}`, appDir: b.dist, generatedDir: dir });
    beforeInfo = { dist: b.dist, city: Object.fromEntries([...b.city].map(([s, d]) => [`${s}x`, d])) };
    log(`› before issue 7 (${args.beforeDir ?? args.beforeRef}): ${b.dist}`);
  }
  const server = await startBenchServer(sites);
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
    const order: CaseName[] = ["empty", "app", "before", "primitive", "entity", "bench-app", "app/bldg", "primitive/bldg", "entity/bldg"];
    let stop = false;
    process.on("SIGUSR2", () => {
      stop = true;
      log("  (SIGUSR2: no further case will start; the report follows the running one)");
    });
    for (let round = 1; round <= args.repeat; round++)
      for (const s of args.scales)
        for (const c of order) {
          if (!args.cases.includes(c)) continue;
          if (stop || (args.budgetMin && performance.now() - tStart > args.budgetMin * 60_000)) {
            log(`› ${c} ${s}× skipped (${stop ? "stopped" : `--budget-min ${args.budgetMin} spent`})`);
            continue;
          }
          if (c === "empty" && s !== args.scales[0]) continue; // the empty globe does not depend on the city
          log(`› ${c} ${c === "empty" ? "" : `${s}×`}${args.repeat > 1 ? ` (round ${round}/${args.repeat})` : ""}`);
          const r = await runCase(server, c, s, args);
          runs.push(r);
          log(
            `  ${r.status}${r.error ? `: ${r.error.split("\n")[0]}` : ""} — ready ${r.readyS ?? "–"} s, first city frame ${r.firstCityS ?? "–"} s, bytes ${mb(r.bytes)} MB, view switch ${r.viewSwitch?.medianMs ?? "–"} ms, median ${fmt(r.medianMs)} ms, p95 ${fmt(r.p95Ms)} ms, heap ${fmt(r.heapMB)} MB, browser ${r.proc?.totalMB ?? "–"} MB (${r.wallS} s)`,
          );
        }
  } finally {
    await server.close();
  }
  const recs = aggregate(runs);

  const rs = ratios(recs, args.scales, args.timeoutS);
  const renderer = recs.find((r) => r.renderer)?.renderer;
  const buffer = recs.find((r) => r.drawingBufferPx)?.drawingBufferPx;
  log("");
  log(
    `Render bench — Chromium ${chromiumVersion()} on ${renderer ?? "?"}, ${VIEWPORT.width}×${VIEWPORT.height} CSS px → drawing buffer ${buffer?.join("×") ?? "?"} (quality=low: resolutionScale 0.5, msaa 1, no sky/atmosphere/fog)`,
  );
  const cam = orbitStartCamera(ORBIT);
  const startedAt = new Date(Date.now() - (performance.now() - tStart));
  const machine = `${cpus().length} cores (${cpus()[0]?.model.trim() ?? "?"}), ${Math.round(totalmem() / 2 ** 30)} GB, Node ${process.version}, Chromium ${chromiumVersion()} on ${renderer ?? "?"}`;
  const loads = runs.flatMap((r) => r.loadAvg ?? []);
  const others = runs.map((r) => r.othersCpu).filter((x): x is number => x !== undefined);
  const loadLine = `load average (1 min) ${loads.length ? `${Math.min(...loads)}–${Math.max(...loads)}` : "?"}; other processes' share of the CPU during the cases ${others.length ? `${Math.round(Math.min(...others) * 100)}–${Math.round(Math.max(...others) * 100)} %` : "?"}`;
  log(
    `camera: every navigation-start case opens at ${cam.join(", ")} (lon, lat, height m, heading, pitch: south of ${ORBIT.latDeg} N ${ORBIT.lonDeg} E at ${ORBIT.rangeM} m range, pitch ${ORBIT.pitchDeg}°) and is orbited by the app's sandbox orbit for ${args.seconds} s after ${args.settleS} s; ${cpus().length} cores`,
  );
  log("ready and city: s from navigation start (diagnostic bench-page cases: from the start of loading, after a warm-up).");
  log("city: first rendered frame that drew any layer content (a tileset with draw commands or a ready batched Primitive).");
  log(
    "frame: interval between animation frames while orbiting (what a user sees: JS, SwiftShader and compositing); js = Cesium's render call alone.",
  );
  log("heap: JS heap after forced GC; browser MB: PSS of the whole Chromium; bytes: bodies served until ready (workers included).");
  log("switch: median setView → camera arrived and drawn over the view cycle; other CPU / load: how busy the machine was.");
  log(`machine: ${machine}; ${loadLine}`);
  log("");
  log(table(recs));
  log("");
  log("Targets:");
  log(ratioTable(rs));
  const md = [
    `Run of ${startedAt.toISOString().slice(0, 16).replace("T", " ")} UTC (${round1((performance.now() - tStart) / 60_000)} min), ${machine}, ${VIEWPORT.width}×${VIEWPORT.height} CSS px at quality=low (drawing buffer ${buffer?.join("×") ?? "?"}); ${loadLine}.`,
    "",
    markdownTargets(rs, args.scales),
    "",
    markdownCases(recs),
    "",
  ].join("\n");
  log("");
  log("Markdown (for the README):");
  log("");
  log(md);
  const views = recs.filter((r) => r.viewSwitch?.switches.length);
  if (views.length) {
    log("");
    log("View switches (ms: setView → whenIdle / → camera arrived and drawn):");
    for (const r of views)
      log(
        `  ${`${r.case} ${r.scale}×`.padEnd(12)} ${r.viewSwitch!.switches.map((x) => `${x.view}#${x.pass} ${x.error ? "ERR" : `${x.idleMs}/${x.drawnMs}`}`).join(", ")}; medians: all ${r.viewSwitch!.medianMs ?? "–"}, first pass ${r.viewSwitch!.firstPassMedianMs ?? "–"}, second pass ${r.viewSwitch!.secondPassMedianMs ?? "–"}, to whenIdle ${r.viewSwitch!.medianIdleMs ?? "–"}`,
      );
  }
  const bytes = recs.filter((r) => r.bytesByKind);
  if (bytes.length) {
    log("");
    log("Bytes served until ready, by kind (MB):");
    for (const r of bytes)
      log(
        `  ${`${r.case} ${r.scale}×`.padEnd(14)} ${Object.entries(r.bytesByKind!)
          .map(([k, v]) => `${k} ${mb(v)}`)
          .join(", ")} (${r.requests} requests)`,
      );
  }
  const withBreakdown = recs.filter((r) => r.breakdown?.length);
  if (withBreakdown.length) {
    log("");
    log("What the frame time is made of (median of a short orbit; cost = all − without):");
    for (const r of withBreakdown) log(breakdownTable(r));
  }
  const timed = recs.filter((r) => r.layers?.some((l) => l.loadedMs !== undefined));
  if (timed.length) {
    log("");
    log(
      "Layer timeline, s from navigation start (bench-page diagnostics: from the start of loading): data handed to the scene / drawn (on the GPU) → case ready:",
    );
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
      summary: machine,
      load: loadLine,
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
      orbit: ORBIT,
      startCamera: cam,
      orbitSeconds: args.seconds,
      settleSeconds: args.settleS,
      viewCycle: VIEW_CYCLE,
      before: beforeInfo ? { ref: args.beforeDir ? undefined : args.beforeRef, ...beforeInfo } : undefined,
      diagnosticFrames: args.frames,
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
  writeFileSync(args.out.replace(/\.json$/, "") + ".md", md);
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
