// npm run bench:pipes (also run by npm run bench) — the inspector's pipes in 3D (issue 8): the
// five pipe networks as the app draws them (batched PolylineVolumeGeometry tubes, one Primitive
// per layer, src/cesium/inspector/UndergroundScene.ts) against the same pipes as one Cesium
// Entity with `polylineVolume` graphics per segment, side by side in the same run, as ratios.
//
//   app     the built app, index.html?quality=low&underground=1&layers=<the five pipe layers>
//           &camera=<CAMERA>: time from navigation start to window.warmcity.ready (ready waits
//           for the tubes: CesiumView's whenDrawn includes the inspector's tube builds).
//   entity  bench.html (bench/page/pipes.ts): the same GeoJSON from generated/city, same depth,
//           same 8-sided cross-section with diameter × the app's default exaggeration, same
//           colours, on the bench's bare viewer with the app's offline `quality=low` options and
//           the app's underground settings (globe translucency at the default ground alpha):
//           time from navigation start to the first frame with every entity drawn
//           (DataSourceDisplay ready) and the globe loaded. Capped at --timeout s; on timeout it
//           reports how many tube instances were drawn by then.
//
// Frame time, identical for both: after ready, the app's own sandbox orbit
// (src/cesium/cameraControl.ts startOrbit: warmcity.orbit(true) in the app, the same function on
// the baseline page) turns the camera around the point under the screen centre while Cesium's
// render loop draws in requestRenderMode; an init script in both pages records every
// requestAnimationFrame timestamp for --seconds s (after 3 s unmeasured). The frame time is the
// interval between animation frames (what a user sees: JS + SwiftShader rasterising), median and
// p95; Cesium's own preRender→postRender time (JS only) is reported next to it.
//
// Each case runs in a fresh headless Chromium (SwiftShader) at 1280×800 CSS px. Writes
// bench-results/pipes.json.
//
//   npx tsx scripts/bench/pipes.ts [--no-build] [--seconds 20] [--timeout 300] [--repeat 1] [--cases app,entity]
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { dirname, join, relative } from "node:path";
import { chromium, type Page } from "playwright-core";
import type { PipesBaselineOptions, PipesBaselineProgress } from "../../bench/page/pipes";
import { CHROMIUM_ARGS as HARNESS_ARGS, CHROMIUM_PATH, chromiumVersion } from "../../tests/e2e/harness";
import { ROOT } from "../presenter/appPage";
import { CpuContention, processTreeMemory, type ProcMem } from "./procmem";
import { startBenchServer, type BenchServer } from "./server";

const argv = process.argv.slice(2);
const arg = (k: string, d: string) => {
  const i = argv.indexOf(`--${k}`);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : d;
};
const SECONDS = Number(arg("seconds", "20"));
const TIMEOUT_S = Number(arg("timeout", "300"));
const REPEAT = Math.max(1, Math.floor(Number(arg("repeat", "1"))));
const BUILD = !argv.includes("--no-build");
const CASES = arg("cases", "app,entity")
  .split(",")
  .map((c) => c.trim());
if (!CASES.length || CASES.some((c) => c !== "app" && c !== "entity")) throw new Error("--cases: app, entity or app,entity");
if (!(SECONDS > 0) || !(TIMEOUT_S > 0) || !(REPEAT >= 1)) throw new Error("--seconds, --timeout and --repeat must be positive numbers");

const PIPE_LAYERS = ["pipes-gas", "pipes-water", "pipes-drainage", "pipes-heating", "pipes-reclaimed"];
/**
 * Camera: 1,150 m south of Kangbashi's centre (109.791 E, 39.597 N), 964 m up, looking north
 * 40° down — the centre of the screen is the city centre at 1.5 km; the orbit circles it.
 */
const CAMERA: [number, number, number, number, number] = [109.791, 39.5867, 964, 0, -40];
/** The app's default ground alpha in underground mode (src/domain/inspector/state.ts). */
const GROUND_ALPHA = 0.35;
const VIEWPORT = { width: 1280, height: 800 };
const SETTLE_MS = 3000;
const ARGS = [...HARNESS_ARGS, "--enable-precise-memory-info", "--js-flags=--expose-gc"];
const BENCH_DIST = join(ROOT, ".cache", "bench-dist");
const OUT = join(ROOT, "bench-results", "pipes.json");

const log = (s: string) => console.log(s);
const r1 = (x: number | undefined) => (x === undefined ? undefined : Math.round(x * 10) / 10);
const r2 = (x: number | undefined) => (x === undefined ? undefined : Math.round(x * 100) / 100);
const quantile = (xs: number[], q: number) => {
  if (!xs.length) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  return s[lo] + (s[Math.ceil(pos)] - s[lo]) * (pos - lo);
};

/** Records every animation frame's timestamp while __pipeFrames.on (a string: tsx helpers do not exist in the page). */
const FRAME_PROBE =
  "window.__pipeFrames = { on: false, t: [] }; requestAnimationFrame(function f(ts) { var p = window.__pipeFrames; if (p.on) p.t.push(ts); requestAnimationFrame(f); });";
/** The app's ready moment, polled from the start (the page's performance.now() = ms from navigation start). */
const READY_PROBE =
  "(function poll() { if (window.warmcity && window.warmcity.ready) window.__pipesReadyAt = performance.now(); else setTimeout(poll, 10); })();";

type CaseName = "app" | "entity";
interface Record_ {
  case: CaseName;
  round: number;
  status: "ok" | "timeout" | "error" | "crashed";
  error?: string;
  /** Navigation start → tubes drawn, s. */
  readyS?: number;
  /** entity: GeoJSON fetched+parsed / entities added, s from navigation start. */
  parsedS?: number;
  addedS?: number;
  pipes?: number;
  /** app: primitives in the scene at ready (nested collections counted). */
  primitives?: number;
  perLayer?: Record<string, number>;
  /** entity on timeout: tube instances in drawn primitives at the deadline. */
  drawnInstances?: number;
  frameMedianMs?: number;
  frameP95Ms?: number;
  frames?: number;
  /** Cesium renders per animation frame during the orbit (≈1: every frame drew the scene). */
  rendersPerFrame?: number;
  /** Cesium's preRender→postRender, median of the last ≤ 240 frames (JS only). */
  renderJsMedianMs?: number;
  /** app: the same orbit measured again with the app's panels hidden (diagnostic). */
  uiHidden?: { frameMedianMs?: number; frameP95Ms?: number; frames?: number; renderJsMedianMs?: number };
  heapMB?: number;
  proc?: ProcMem;
  othersCpu?: number;
  loadAvg1?: [number, number];
  wallS: number;
  notes: string[];
}

async function heapMB(page: Page): Promise<number | undefined> {
  return page.evaluate(async () => {
    const w = window as unknown as { gc?: () => void };
    for (let i = 0; i < 3; i++) {
      w.gc?.();
      await new Promise((r) => setTimeout(r, 0));
    }
    const mem = (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory;
    return mem ? Math.round((mem.usedJSHeapSize / 2 ** 20) * 10) / 10 : undefined;
  });
}

type OrbitPage = {
  start(): Promise<boolean>;
  stop(): Promise<unknown>;
  stats(): Promise<{ frames: number; medianFrameMs?: number } | undefined>;
};

/** The measured orbit: same for both cases. */
async function orbitFrames(page: Page, o: OrbitPage, rec: Record_) {
  if (!(await o.start())) throw new Error("the orbit did not start");
  await page.waitForTimeout(SETTLE_MS);
  const s0 = await o.stats();
  await page.evaluate(() => {
    const p = (window as unknown as { __pipeFrames: { on: boolean; t: number[] } }).__pipeFrames;
    p.t = [];
    p.on = true;
  });
  await page.waitForTimeout(SECONDS * 1000);
  const t = await page.evaluate(() => {
    const p = (window as unknown as { __pipeFrames: { on: boolean; t: number[] } }).__pipeFrames;
    p.on = false;
    return p.t;
  });
  const s1 = await o.stats();
  await o.stop();
  const iv = t.slice(1).map((x, i) => x - t[i]);
  if (iv.length < 3) throw new Error(`only ${t.length} animation frames in ${SECONDS} s`);
  rec.frames = iv.length;
  rec.frameMedianMs = r1(quantile(iv, 0.5));
  rec.frameP95Ms = r1(quantile(iv, 0.95));
  if (s0 && s1) rec.rendersPerFrame = r2((s1.frames - s0.frames) / t.length);
  rec.renderJsMedianMs = r1(s1?.medianFrameMs);
}

type WC = {
  warmcity?: {
    ready?: boolean;
    orbit(on?: boolean): boolean;
    sceneStats(): { frames: number; medianFrameMs?: number } | undefined;
    underground(): { on: boolean; pipeScale: number; groundAlpha: number };
    layers(): Array<{ id: string; visible: boolean; status: string; featureCount: number }>;
    errors(): string[];
    sceneCounts?(): { primitives: number } | undefined;
  };
  __pipesReadyAt?: number;
};

async function appCase(page: Page, server: BenchServer, rec: Record_) {
  await page.addInitScript(READY_PROBE);
  const q = `quality=low&underground=1&layers=${PIPE_LAYERS.join(",")}&camera=${CAMERA.join(",")}`;
  await page.goto(server.url("x1", `index.html?${q}`), { waitUntil: "load" });
  // Progress every 15 s: primitives in the scene (nested collections counted) and the JS heap.
  const peek = () =>
    page.evaluate(() => {
      const w = window as unknown as WC;
      const mem = (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory;
      return { primitives: w.warmcity?.sceneCounts?.()?.primitives, heapMB: mem ? Math.round(mem.usedJSHeapSize / 2 ** 20) : undefined };
    });
  for (;;) {
    const done = await page
      .waitForFunction(() => (window as unknown as WC).__pipesReadyAt !== undefined, undefined, { timeout: 15_000, polling: 200 })
      .then(() => true)
      .catch(() => false);
    if (done) break;
    const p = await peek();
    log(
      `    app: not ready after ${Math.round((await page.evaluate(() => performance.now())) / 1000)} s — ${p.primitives ?? "?"} primitives, heap ${p.heapMB ?? "?"} MB`,
    );
    if ((await page.evaluate(() => performance.now())) > TIMEOUT_S * 1000) {
      rec.status = "timeout";
      rec.notes.push(`not ready after ${TIMEOUT_S} s (${p.primitives ?? "?"} primitives in the scene, heap ${p.heapMB ?? "?"} MB)`);
      return;
    }
  }
  rec.primitives = (await peek()).primitives;
  const info = await page.evaluate(() => {
    const w = window as unknown as WC;
    const api = w.warmcity!;
    return { readyAt: w.__pipesReadyAt!, ug: api.underground(), layers: api.layers().filter((l) => l.visible), errors: api.errors() };
  });
  rec.readyS = r2(info.readyAt / 1000);
  rec.perLayer = Object.fromEntries(info.layers.map((l) => [l.id, l.featureCount]));
  rec.pipes = info.layers.filter((l) => PIPE_LAYERS.includes(l.id)).reduce((a, l) => a + l.featureCount, 0);
  const missing = PIPE_LAYERS.filter((id) => !info.layers.some((l) => l.id === id && l.status === "ready"));
  if (missing.length) throw new Error(`pipe layers not ready in the app: ${missing.join(", ")}`);
  if (!info.ug.on) throw new Error("the app is not in underground mode (underground=1 ignored?)");
  rec.notes.push(`underground: ground alpha ${info.ug.groundAlpha}, pipe exaggeration ×${info.ug.pipeScale}`);
  for (const e of info.errors.slice(0, 5)) rec.notes.push(`app: ${e}`);
  await orbitFrames(
    page,
    {
      start: () => page.evaluate(() => (window as unknown as WC).warmcity!.orbit(true)),
      stop: () => page.evaluate(() => (window as unknown as WC).warmcity!.orbit(false)),
      stats: () => page.evaluate(() => (window as unknown as WC).warmcity!.sceneStats()),
    },
    rec,
  );
  // Diagnostic, not a target: the same orbit with the app's panels hidden (visibility only: the
  // scene, its size and the layers stay), to tell the scene's cost from compositing the UI over it.
  await page.addStyleTag({
    content: "body * { visibility: hidden !important; } .cesium-widget, .cesium-widget * { visibility: visible !important; }",
  });
  const bare: Record_ = { case: "app", round: rec.round, status: "ok", wallS: 0, notes: [] };
  await orbitFrames(
    page,
    {
      start: () => page.evaluate(() => (window as unknown as WC).warmcity!.orbit(true)),
      stop: () => page.evaluate(() => (window as unknown as WC).warmcity!.orbit(false)),
      stats: () => page.evaluate(() => (window as unknown as WC).warmcity!.sceneStats()),
    },
    bare,
  );
  rec.uiHidden = {
    frameMedianMs: bare.frameMedianMs,
    frameP95Ms: bare.frameP95Ms,
    frames: bare.frames,
    renderJsMedianMs: bare.renderJsMedianMs,
  };
  log(`    app with its panels hidden: frame median ${bare.frameMedianMs} ms (p95 ${bare.frameP95Ms}, ${bare.frames} frames)`);
}

async function entityCase(page: Page, server: BenchServer, rec: Record_) {
  await page.goto(server.url("x1", "bench.html"), { waitUntil: "load" });
  await page.waitForFunction(() => !!window.warmcityPipesBench, undefined, { timeout: 60_000 });
  const opts: PipesBaselineOptions = { layers: PIPE_LAYERS, camera: CAMERA, groundAlpha: GROUND_ALPHA, deadlineMs: TIMEOUT_S * 1000 };
  await page.evaluate((o) => window.warmcityPipesBench!.start(o), opts);
  let p: PipesBaselineProgress;
  let lastLog = Date.now();
  for (;;) {
    p = await page.evaluate(() => window.warmcityPipesBench!.progress());
    if (p.phase === "ready" || p.phase === "timeout" || p.phase === "error") break;
    if (Date.now() - lastLog > 15_000) {
      lastLog = Date.now();
      log(`    entity: ${p.phase}, ${p.entities.toLocaleString("en-US")} entities`);
    }
    await page.waitForTimeout(500);
  }
  rec.parsedS = r2(p.parsedAtMs === undefined ? undefined : p.parsedAtMs / 1000);
  rec.addedS = r2(p.addedAtMs === undefined ? undefined : p.addedAtMs / 1000);
  rec.pipes = p.entities;
  rec.perLayer = p.perLayer;
  if (p.phase === "error") throw new Error(p.error ?? "baseline failed");
  if (p.phase === "timeout") {
    rec.status = "timeout";
    rec.drawnInstances = p.drawnInstances;
    rec.notes.push(
      `not drawn after ${TIMEOUT_S} s: ${p.drawnInstances?.toLocaleString("en-US") ?? "?"} of ${p.entities.toLocaleString("en-US")} tubes drawn by then; frame time measured on that partial scene`,
    );
  } else rec.readyS = r2(p.readyAtMs! / 1000);
  await orbitFrames(
    page,
    {
      start: () => page.evaluate(() => window.warmcityPipesBench!.orbit(true)),
      stop: () => page.evaluate(() => window.warmcityPipesBench!.orbit(false)),
      stats: () => page.evaluate(() => window.warmcityPipesBench!.stats()),
    },
    rec,
  );
}

async function runCase(server: BenchServer, name: CaseName, round: number): Promise<Record_> {
  const t0 = performance.now();
  const la0 = loadavg()[0];
  const rec: Record_ = { case: name, round, status: "ok", wallS: 0, notes: [] };
  const bs = await chromium.launchServer({ executablePath: CHROMIUM_PATH, args: ARGS, headless: true });
  const pid = bs.process().pid;
  const cpu = new CpuContention(pid);
  try {
    const browser = await chromium.connect(bs.wsEndpoint());
    const page = await browser.newPage({ viewport: VIEWPORT, deviceScaleFactor: 1 });
    const errors: string[] = [];
    const foreign: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("request", (r) => {
      if (!r.url().startsWith(server.origin) && !/^(data|blob):/.test(r.url())) foreign.push(r.url());
    });
    await page.addInitScript(FRAME_PROBE);
    const hard = (TIMEOUT_S + 2 * SECONDS + 180) * 1000;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      (name === "app" ? appCase(page, server, rec) : entityCase(page, server, rec)).finally(() => clearTimeout(timer)),
      new Promise((_, rej) => (timer = setTimeout(() => rej(new Error(`no result after ${hard / 1000} s`)), hard))),
    ]);
    rec.heapMB = await heapMB(page);
    rec.proc = processTreeMemory(pid);
    mkdirSync(dirname(OUT), { recursive: true });
    await page.screenshot({ path: join(dirname(OUT), `pipes-${name}.png`) }).catch(() => undefined);
    if (errors.length) rec.notes.push(...errors.slice(0, 5).map((e) => `page: ${e}`));
    if (foreign.length) rec.notes.push(`requests to other hosts: ${foreign.slice(0, 3).join(", ")}`);
  } catch (e) {
    rec.status = rec.status === "timeout" ? "timeout" : /crash|closed/i.test(String(e)) ? "crashed" : "error";
    rec.error = e instanceof Error ? e.message.split("\n")[0] : String(e);
  } finally {
    const share = cpu.othersShare();
    if (share !== undefined) rec.othersCpu = r2(share);
    await bs.kill().catch(() => undefined);
  }
  rec.loadAvg1 = [r2(la0)!, r2(loadavg()[0])!];
  rec.wallS = r1((performance.now() - t0) / 1000)!;
  if ((rec.othersCpu ?? 0) > 0.15)
    rec.notes.push(
      `other processes used ${Math.round(rec.othersCpu! * 100)} % of the machine's CPU during this case: its times are inflated`,
    );
  return rec;
}

const median = (xs: Array<number | undefined>) => {
  const v = xs.filter((x): x is number => x !== undefined);
  return v.length ? r2(quantile(v, 0.5)) : undefined;
};

async function main() {
  const tStart = performance.now();
  if (!existsSync(CHROMIUM_PATH))
    throw new Error(`Chromium not found at ${CHROMIUM_PATH} (apt-get install chromium, or set CHROMIUM_PATH)`);
  let dist = BENCH_DIST;
  if (BUILD) {
    log("› vite build");
    const r = spawnSync(
      join(ROOT, "node_modules", ".bin", "vite"),
      ["build", "--logLevel", "warn", "--outDir", BENCH_DIST, "--emptyOutDir"],
      { cwd: ROOT, stdio: "inherit" },
    );
    if (r.status !== 0) throw new Error(`vite build failed (exit ${r.status})`);
  } else if (!existsSync(join(BENCH_DIST, "bench.html"))) dist = join(ROOT, "dist");
  if (!existsSync(join(dist, "bench.html"))) throw new Error(`${relative(ROOT, dist)}/bench.html is missing: run without --no-build`);
  const generated = join(ROOT, "public", "generated");
  for (const id of PIPE_LAYERS)
    if (!existsSync(join(generated, "city", `${id}.geojson`)))
      throw new Error(`public/generated/city/${id}.geojson missing: run npm run data`);
  const server = await startBenchServer([{ prefix: "x1", appDir: dist, generatedDir: generated }]);
  log(
    `› serving ${relative(ROOT, dist)}/ at ${server.origin}/x1/ — camera ${CAMERA.join(",")}, ${SECONDS} s orbit, ready cap ${TIMEOUT_S} s`,
  );
  const runs: Record_[] = [];
  try {
    for (let round = 1; round <= REPEAT; round++)
      for (const c of (["app", "entity"] as const).filter((x) => CASES.includes(x))) {
        log(`› ${c}${REPEAT > 1 ? ` (round ${round}/${REPEAT})` : ""} — load average ${loadavg()[0].toFixed(1)}`);
        const r = await runCase(server, c, round);
        runs.push(r);
        log(
          `  ${r.status}${r.error ? `: ${r.error}` : ""} — ready ${r.readyS ?? "–"} s, frame median ${r.frameMedianMs ?? "–"} ms (p95 ${r.frameP95Ms ?? "–"}, ${r.frames ?? 0} frames, ${r.rendersPerFrame ?? "–"} renders/frame, Cesium JS ${r.renderJsMedianMs ?? "–"} ms), heap ${r.heapMB ?? "–"} MB, other CPU ${r.othersCpu !== undefined ? Math.round(r.othersCpu * 100) : "–"} % (${r.wallS} s)`,
        );
      }
  } finally {
    await server.close();
  }
  const summary = (c: CaseName) => {
    const rs = runs.filter((r) => r.case === c);
    const ok = rs.filter((r) => r.status === "ok");
    const use = ok.length ? ok : rs;
    return {
      case: c,
      status: !rs.length ? "not run" : ok.length === rs.length ? "ok" : rs.map((r) => r.status).join(","),
      readyS: median(ok.map((r) => r.readyS)),
      frameMedianMs: median(use.map((r) => r.frameMedianMs)),
      frameP95Ms: median(use.map((r) => r.frameP95Ms)),
      renderJsMedianMs: median(use.map((r) => r.renderJsMedianMs)),
      heapMB: median(use.map((r) => r.heapMB)),
      browserMB: median(use.map((r) => r.proc?.totalMB)),
      pipes: rs[0]?.pipes,
      uiHiddenFrameMedianMs: median(use.map((r) => r.uiHidden?.frameMedianMs)),
    };
  };
  const app = summary("app");
  const ent = summary("entity");
  const ratio = (a?: number, b?: number) => (a !== undefined && b !== undefined && b > 0 ? Math.round((a / b) * 1000) / 1000 : undefined);
  const entTimedOut = runs.some((r) => r.case === "entity" && r.status === "timeout");
  const ratios = {
    readyAppOverEntity: ratio(app.readyS, ent.readyS),
    frameAppOverEntity: ratio(app.frameMedianMs, ent.frameMedianMs),
    heapAppOverEntity: ratio(app.heapMB, ent.heapMB),
    frameAppPanelsHiddenOverEntity: ratio(app.uiHiddenFrameMedianMs, ent.frameMedianMs),
    ...(entTimedOut
      ? { note: `entity baseline not drawn within ${TIMEOUT_S} s: ready ratio ≤ ${ratio(app.readyS, TIMEOUT_S)} (app ready / cap)` }
      : {}),
  };
  log("");
  log(
    `Pipe bench — Chromium ${chromiumVersion()}, ${cpus().length} cores, 1280×800 CSS px, quality=low, five networks (${app.pipes ?? ent.pipes ?? "?"} segments)`,
  );
  log("case     ready s   frame median ms   p95 ms   Cesium JS ms   heap MB   browser MB   status");
  for (const s of [app, ent])
    log(
      `${s.case.padEnd(8)} ${String(s.readyS ?? "–").padStart(7)}   ${String(s.frameMedianMs ?? "–").padStart(15)}   ${String(s.frameP95Ms ?? "–").padStart(6)}   ${String(s.renderJsMedianMs ?? "–").padStart(12)}   ${String(s.heapMB ?? "–").padStart(7)}   ${String(s.browserMB ?? "–").padStart(10)}   ${s.status}`,
    );
  if (app.uiHiddenFrameMedianMs !== undefined)
    log(
      `app with its panels hidden (diagnostic): frame median ${app.uiHiddenFrameMedianMs} ms → ${ratio(app.uiHiddenFrameMedianMs, ent.frameMedianMs) ?? "n/a"} of entity`,
    );
  log(
    `ratios app / entity: ready ${ratios.readyAppOverEntity ?? "n/a"}, frame ${ratios.frameAppOverEntity ?? "n/a"}, heap ${ratios.heapAppOverEntity ?? "n/a"}${"note" in ratios ? ` (${ratios.note})` : ""}`,
  );
  for (const r of runs) for (const n of [...(r.error ? [`error: ${r.error}`] : []), ...r.notes]) log(`  ${r.case}#${r.round}: ${n}`);
  const json = {
    generatedAt: new Date().toISOString(),
    machine: { cores: cpus().length, memGB: Math.round(totalmem() / 2 ** 30), node: process.version, chromium: chromiumVersion() },
    settings: {
      viewport: VIEWPORT,
      quality: "low",
      camera: CAMERA,
      layers: PIPE_LAYERS,
      groundAlpha: GROUND_ALPHA,
      orbitSeconds: SECONDS,
      settleMs: SETTLE_MS,
      timeoutS: TIMEOUT_S,
      repeat: REPEAT,
      chromiumArgs: ARGS,
    },
    summary: { app, entity: ent },
    ratios,
    runs,
    wallS: r1((performance.now() - tStart) / 1000),
  };
  mkdirSync(dirname(OUT), { recursive: true });
  writeFileSync(OUT, JSON.stringify(json, null, 2) + "\n");
  log(`wrote ${relative(ROOT, OUT)} (${json.wallS} s in all)`);
}

main().catch((e: unknown) => {
  console.error(`bench:pipes: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
