// npm run bench:live (also run by npm run bench) — the live feed under load (issue 12 §4).
// Serves the built app (dist/) from a small static server with the embedded aedes broker on
// /mqtt (no simulator: this script publishes), opens it in headless Chromium on SwiftShader
// (1280×800, ?quality=low&view=waterlogging) and runs two phases of the same length, same run:
//   (a) no feed — nothing is published;
//   (b) feed — the simulator's message generator (runSimulation, rate R msg/s) publishes into the
//       broker from this process.
// In both phases the camera orbits (warmcity.orbit), so the scene draws every animation frame
// in both and the frame times compare like with like (the app is in requestRenderMode: a still
// camera without a feed draws no frames at all, which would leave nothing to compare against).
//
// Latency: every reading's payload `ts` is overwritten with Date.now() at the moment it is
// handed to the broker (browser and Node share this machine's clock). In the page, the
// LiveRenderer's bench probe (warmcity.liveLatencyProbe) records for each sensor a batch updates
// Date.now() − ts when the batch is applied to the points on the main thread ("message →
// applied", with its parts publish → worker and worker → applied), and, for the batches that
// changed a colour (only those need a frame), at the next postRender, Date.now() − ts ("message
// → drawn"). A reading superseded by a newer one for the same sensor before the next batch is
// never drawn and so gives no sample (the viewer coalesces per sensor by design, and counts it);
// the figure is the age of what is on screen. Frame time: warmcity.sceneStats().medianFrameMs
// (preRender → postRender, the last ≤ 240 frames), sampled every 5 s and summarised per phase.
// Heap: CDP HeapProfiler.collectGarbage + Runtime.getHeapUsage at the start, middle and end of
// the feed. Received/dropped: warmcity.live(). Writes bench-results/live.json.
//
// Main-thread busy time: CDP Performance.getMetrics (TaskDuration, ScriptDuration of the page's
// main thread; the live worker's parsing is not in it) per phase. With `--modes orbit,still`
// (the default) the two phases run twice: camera orbiting (the scene draws flat out in both
// phases: frame-time ratio) and camera still (requestRenderMode: without a feed nothing is
// drawn; with it, each batch that changes a sensor's colour asks for one frame — this separates the feed's
// cost from the cost of drawing the orbiting city).
//
//   npx tsx scripts/bench/live.ts [--seconds 60] [--rate 5000] [--modes orbit,still] [--build]
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { chromium, type CDPSession, type Page } from "playwright-core";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../../tests/e2e/harness";
import { ALARM_KIND } from "../../src/domain/live/topics";
import { runSimulation, MAX_RATE } from "../live/runner";
import { attachEmbeddedBroker, brokerSink } from "../live/vitePlugin";
import { heapAfterGcMb, ROOT } from "../presenter/appPage";
import { startBenchServer } from "./server";

const args = process.argv.slice(2);
const arg = (k: string, d: string) => {
  const i = args.indexOf(`--${k}`);
  return i >= 0 ? args[i + 1] : d;
};
const seconds = Number(arg("seconds", "60"));
const rate = Number(arg("rate", "5000"));
if (!(seconds > 0) || !(rate > 0)) throw new Error("--seconds and --rate must be positive numbers");
const modes = arg("modes", "orbit,still").split(",").filter(Boolean) as Array<"orbit" | "still">;
if (!modes.length || modes.some((m) => m !== "orbit" && m !== "still")) throw new Error("--modes takes orbit and/or still");
if (rate > MAX_RATE) console.warn(`[bench:live] the simulator caps the rate at ${MAX_RATE}/s`);
const SAMPLE_MS = 5000;

const dist = join(ROOT, "dist");
if (!existsSync(join(dist, "index.html")) || args.includes("--build")) {
  console.log("[bench:live] building the app (vite build) …");
  const r = spawnSync(join(ROOT, "node_modules", ".bin", "vite"), ["build", "--logLevel", "warn"], { cwd: ROOT, stdio: "inherit" });
  if (r.status !== 0) throw new Error(`vite build failed (exit ${r.status})`);
}

type Parts = { transport: number[]; queued: number[]; draw: number[]; applied: number[] };
type Probe = { start(): void; take(): number[]; takeParts(): Parts; stop(): void };
type WC = {
  warmcity: {
    ready: boolean;
    orbit?(on?: boolean): boolean;
    sceneStats(): { frames: number; medianFrameMs?: number };
    live?(): {
      state: string;
      reconnects: number;
      received: number;
      accepted: number;
      dropped: number;
      droppedByReason: Record<string, number>;
      sensorsSeen: number;
    };
    liveLatencyProbe?: Probe;
  };
};

const pct = (xs: number[], p: number) => {
  if (!xs.length) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
type CpuProfile = {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number } }>;
  samples: number[];
  timeDeltas: number[];
};
/** `--profile`: the main thread's top functions by self time during the feed phase (CDP Profiler). */
function topSelfTime(p: CpuProfile, n = 15): string[] {
  const self = new Map<number, number>();
  p.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)));
  const byName = new Map<string, number>();
  let total = 0;
  for (const node of p.nodes) {
    const us = self.get(node.id) ?? 0;
    total += us;
    const f = node.callFrame;
    const k = `${f.functionName || "(anonymous)"} ${f.url.split("/").pop() ?? ""}:${f.lineNumber + 1}`;
    byName.set(k, (byName.get(k) ?? 0) + us);
  }
  return [...byName.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, us]) => `${((us / total) * 100).toFixed(1)} % ${k}`);
}
const r1 = (x: number | undefined) => (x === undefined ? undefined : Math.round(x * 10) / 10);

// scripts/bench/server.ts serves dist/ under /app/ (public/generated is copied into dist by the
// build). It does not hand out its http.Server, so a small front server on the page's origin
// relays file requests to it and takes the broker's WebSocket upgrade on /app/mqtt itself:
// the app talks only to its own origin, as under `npm start`.
const server = await startBenchServer([{ prefix: "app", appDir: dist, generatedDir: join(dist, "generated") }]);
let brokerClose: (() => void) | undefined;
let broker: Awaited<ReturnType<typeof attachEmbeddedBroker>>["broker"];
const front = createServer((req, res) => {
  const url = `${server.origin}${req.url ?? "/"}`;
  fetch(url, { method: req.method })
    .then(async (r) => {
      const body = Buffer.from(await r.arrayBuffer());
      res.writeHead(r.status, Object.fromEntries([...r.headers].filter(([k]) => k !== "content-encoding" && k !== "transfer-encoding")));
      res.end(body);
    })
    .catch(() => res.writeHead(502).end());
});
await new Promise<void>((r) => front.listen(0, "127.0.0.1", r));
const origin = `http://127.0.0.1:${(front.address() as AddressInfo).port}`;
{
  const b = await attachEmbeddedBroker(front, { simulate: false });
  broker = b.broker;
  brokerClose = b.close;
}

const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS, timeout: 60_000 });
let sim: ReturnType<typeof runSimulation> | undefined;
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
  const page: Page = await context.newPage();
  const pageErrors: string[] = [];
  page.on("pageerror", (e) => pageErrors.push(e.message));
  await page.goto(`${origin}/app/index.html?quality=low&view=waterlogging`);
  await page.waitForFunction(() => (window as unknown as WC).warmcity?.ready === true, undefined, { timeout: 600_000, polling: 250 });
  await page.waitForFunction(() => (window as unknown as WC).warmcity?.live?.().state === "connected", undefined, {
    timeout: 60_000,
    polling: 250,
  });
  const cdp: CDPSession = await context.newCDPSession(page);
  // The live worker's heap (its LiveFeed holds every sensor's last readings): through the
  // browser's CDP session, attached to the worker target (Target.sendMessageToTarget).
  const bcdp = await browser.newBrowserCDPSession();
  /** A CDP session on the live worker, through the browser session (flatten: false). */
  const attachWorker = async () => {
    const { targetInfos } = (await bcdp.send("Target.getTargets")) as {
      targetInfos: Array<{ targetId: string; type: string; url: string }>;
    };
    const t = targetInfos.find((x) => x.type === "worker" && x.url.includes("live.worker"));
    if (!t) return undefined;
    const { sessionId } = (await bcdp.send("Target.attachToTarget", { targetId: t.targetId, flatten: false })) as { sessionId: string };
    let id = 0;
    const call = (method: string, params: object = {}) =>
      new Promise<unknown>((resolve) => {
        const my = ++id;
        const on = (e: { sessionId: string; message: string }) => {
          const m = JSON.parse(e.message) as { id?: number; result?: unknown };
          if (e.sessionId === sessionId && m.id === my) {
            bcdp.off("Target.receivedMessageFromTarget", on);
            resolve(m.result);
          }
        };
        bcdp.on("Target.receivedMessageFromTarget", on);
        void bcdp.send("Target.sendMessageToTarget", { sessionId, message: JSON.stringify({ id: my, method, params }) });
      });
    return { call, detach: () => bcdp.send("Target.detachFromTarget", { sessionId }) };
  };
  const workerHeapAfterGcMb = async (): Promise<number | undefined> => {
    try {
      const w = await attachWorker();
      if (!w) return undefined;
      await w.call("HeapProfiler.collectGarbage");
      await w.call("HeapProfiler.collectGarbage");
      const u = (await w.call("Runtime.getHeapUsage")) as { usedSize: number };
      await w.detach();
      return u.usedSize / 1e6;
    } catch (e) {
      console.warn(`[bench:live] worker heap not read: ${(e as Error).message}`);
      return undefined;
    }
  };
  const hasProbe = await page.evaluate(() => !!(window as unknown as WC).warmcity.liveLatencyProbe);
  if (!hasProbe) throw new Error("warmcity.liveLatencyProbe missing: rebuild the app (npx tsx scripts/bench/live.ts --build)");
  await cdp.send("Performance.enable");
  const mainThread = async () => {
    const { metrics } = (await cdp.send("Performance.getMetrics")) as { metrics: Array<{ name: string; value: number }> };
    const v = (n: string) => metrics.find((m) => m.name === n)?.value ?? 0;
    return { task: v("TaskDuration"), script: v("ScriptDuration") };
  };

  const stats = () => page.evaluate(() => (window as unknown as WC).warmcity.sceneStats());
  const liveInfo = () => page.evaluate(() => (window as unknown as WC).warmcity.live!());

  /** One phase: frame-time samples every 5 s (and latency samples if the feed runs). */
  async function phase(withFeed: boolean) {
    const frameMedians: number[] = [];
    const latencies: number[] = [];
    const heapMb: number[] = [];
    const workerHeapMb: Array<number | undefined> = [];
    const before = await liveInfo();
    const m0 = await mainThread();
    const f0 = await stats();
    let published = 0;
    /** Handed to the broker by the end of the phase (the sink's backlog still drains after it). */
    let publishedInPhase = 0;
    let alarmRecords = 0;
    let stopped = false;
    let unpublished = () => 0;
    if (withFeed) {
      await page.evaluate(() => (window as unknown as WC).warmcity.liveLatencyProbe!.start());
      heapMb.push(await heapAfterGcMb(cdp));
      workerHeapMb.push(await workerHeapAfterGcMb());
      // The generator's batches go to the broker through the embedded broker's own sink
      // (brokerSink: bounded concurrency, off the caller's stack; what the broker cannot take
      // waits in its queue: generatedNotPublished). Each reading's payload ts is stamped with
      // the wall clock at the moment it is handed to the broker, by rewriting the leading
      // `{"ts":` number of the simulator's encoding (encodeReading): no JSON parse and
      // re-stringify per message, which with the old per-message loop cost the publisher more
      // than the broker did.
      const sink = brokerSink(broker, (m) => {
        published++;
        if (m.topic.split("/")[2] === ALARM_KIND) {
          alarmRecords++;
          return m.payload;
        }
        return m.payload.startsWith('{"ts":') ? `{"ts":${Date.now()}${m.payload.slice(m.payload.indexOf(","))}` : m.payload;
      });
      sim = runSimulation({
        rate,
        seed: 12,
        sink: (msgs) => {
          if (!stopped) sink(msgs);
        },
      });
      unpublished = () => sink.pending();
    }
    const profiling = withFeed && args.includes("--profile");
    const workerProf = profiling ? await attachWorker() : undefined;
    if (profiling) {
      await cdp.send("Profiler.enable");
      await cdp.send("Profiler.start");
      await workerProf?.call("Profiler.enable");
      await workerProf?.call("Profiler.start");
    }
    const t0 = Date.now();
    // The publisher stops on its own clock, whatever the page calls below cost.
    let publishS = 0;
    const stopTimer = withFeed
      ? setTimeout(() => {
          stopped = true;
          void sim?.stop();
          publishS = (Date.now() - t0) / 1000;
          publishedInPhase = published;
        }, seconds * 1000)
      : undefined;
    let midHeapTaken = false;
    let drainS = 0;
    let parts: Parts | undefined;
    while (Date.now() - t0 < seconds * 1000) {
      await page.waitForTimeout(Math.min(SAMPLE_MS, seconds * 1000 - (Date.now() - t0)));
      const s = await stats();
      if (s.medianFrameMs !== undefined) frameMedians.push(s.medianFrameMs);
      if (withFeed) latencies.push(...(await page.evaluate(() => (window as unknown as WC).warmcity.liveLatencyProbe!.take())));
      // Mid-phase heap in both phases, so both carry the same GC pauses.
      if (!midHeapTaken && Date.now() - t0 >= (seconds * 1000) / 2) {
        midHeapTaken = true;
        heapMb.push(await heapAfterGcMb(cdp));
        workerHeapMb.push(await workerHeapAfterGcMb());
      }
    }
    const elapsedS = (Date.now() - t0) / 1000;
    let profileTop: string[] | undefined;
    let workerProfileTop: string[] | undefined;
    if (profiling) {
      profileTop = topSelfTime(((await cdp.send("Profiler.stop")) as { profile: CpuProfile }).profile);
      const wp = (await workerProf?.call("Profiler.stop")) as { profile: CpuProfile } | undefined;
      if (wp) workerProfileTop = topSelfTime(wp.profile);
      await workerProf?.detach();
    }
    const fEnd = await stats();
    const m1 = await mainThread();
    if (withFeed) {
      clearTimeout(stopTimer);
      stopped = true;
      await sim?.stop();
      if (!publishS) {
        publishS = (Date.now() - t0) / 1000;
        publishedInPhase = published;
      }
      sim = undefined;
      heapMb.push(await heapAfterGcMb(cdp));
      workerHeapMb.push(await workerHeapAfterGcMb());
      // Let the backlog arrive and be drawn (until the received count stops growing for 2 s,
      // at most 30 s), then read the counters: what never arrives by then is counted as lost.
      const tDrain = Date.now();
      let last = -1;
      for (;;) {
        const n = (await liveInfo()).received;
        if (n === last || Date.now() - tDrain > 30_000) break;
        last = n;
        await page.waitForTimeout(2000);
      }
      drainS = (Date.now() - tDrain) / 1000;
      latencies.push(...(await page.evaluate(() => (window as unknown as WC).warmcity.liveLatencyProbe!.take())));
      parts = await page.evaluate(() => (window as unknown as WC).warmcity.liveLatencyProbe!.takeParts());
      await page.evaluate(() => (window as unknown as WC).warmcity.liveLatencyProbe!.stop());
    }
    const after = await liveInfo();
    return {
      seconds: +elapsedS.toFixed(1),
      frames: fEnd.frames - f0.frames,
      fps: +((fEnd.frames - f0.frames) / elapsedS).toFixed(2),
      // Wall time per drawn frame (the camera orbits, so the app draws as fast as it can): what
      // a viewer sees. medianFrameMs below is only preRender → postRender on the main thread;
      // SwiftShader's rasterising and the message handling between frames are not in it.
      wallMsPerFrame: fEnd.frames > f0.frames ? r1((elapsedS * 1000) / (fEnd.frames - f0.frames)) : undefined,
      medianFrameMs: r1(pct(frameMedians, 50)),
      // Main-thread busy time per second of the phase (tasks, and script within them).
      mainTaskMsPerS: r1(((m1.task - m0.task) * 1000) / elapsedS),
      mainScriptMsPerS: r1(((m1.script - m0.script) * 1000) / elapsedS),
      drainAfterFeedS: withFeed ? +drainS.toFixed(1) : undefined,
      frameMedianSamples: frameMedians.map((x) => r1(x)),
      ...(profileTop ? { mainThreadProfileTop: profileTop, workerProfileTop } : {}),
      published,
      publishedInPhase: withFeed ? publishedInPhase : undefined,
      publishedAlarmRecords: alarmRecords,
      generatedNotPublished: withFeed ? unpublished() : undefined,
      publishSeconds: withFeed ? +publishS.toFixed(1) : undefined,
      reconnects: after.reconnects - before.reconnects,
      connectionAtEnd: after.state,
      received: after.received - before.received,
      accepted: after.accepted - before.accepted,
      dropped: after.dropped - before.dropped,
      droppedByReason: Object.fromEntries(
        Object.entries(after.droppedByReason)
          .map(([k, v]) => [k, v - (before.droppedByReason[k] ?? 0)])
          .filter(([, v]) => v),
      ),
      latency: withFeed
        ? {
            samples: latencies.length,
            medianMs: r1(pct(latencies, 50)),
            p95Ms: r1(pct(latencies, 95)),
            maxMs: r1(pct(latencies, 100)),
            // Where the time goes (median / p95 of each part, ms).
            parts: parts && {
              transport: [r1(pct(parts.transport, 50)), r1(pct(parts.transport, 95))],
              queued: [r1(pct(parts.queued, 50)), r1(pct(parts.queued, 95))],
              draw: [r1(pct(parts.draw, 50)), r1(pct(parts.draw, 95))],
            },
            // Message → applied to the scene's points on the main thread, for every sensor update
            // shown by a live layer, whether or not it changed a colour (most do not, and then no
            // frame is drawn for them: the picture on screen is already right).
            applied: parts && {
              samples: parts.applied.length,
              medianMs: r1(pct(parts.applied, 50)),
              p95Ms: r1(pct(parts.applied, 95)),
            },
          }
        : undefined,
      heapAfterGcMb: withFeed ? { start: r1(heapMb[0]), middle: r1(heapMb[1]), end: r1(heapMb[2]) } : undefined,
      workerHeapAfterGcMb: withFeed ? { start: r1(workerHeapMb[0]), middle: r1(workerHeapMb[1]), end: r1(workerHeapMb[2]) } : undefined,
    };
  }

  const loadStart = loadavg();
  const runs: Record<string, unknown> = {};
  for (const mode of modes) {
    const orbiting = await page.evaluate((on) => (window as unknown as WC).warmcity.orbit?.(on) ?? false, mode === "orbit");
    if (mode === "orbit" && !orbiting) throw new Error("warmcity.orbit() did not start the orbit");
    await page.waitForTimeout(3000);
    console.log(`[bench:live] ${mode}: phase (a) no feed, ${seconds} s …`);
    const noFeed = await phase(false);
    console.log(`[bench:live] ${mode}: phase (b) feed at ${rate} msg/s, ${seconds} s …`);
    const feed = await phase(true);
    // The target is judged on wall time per drawn frame (orbit); the render-only ratio is reported beside it.
    const ratio = noFeed.wallMsPerFrame && feed.wallMsPerFrame ? +(feed.wallMsPerFrame / noFeed.wallMsPerFrame).toFixed(3) : undefined;
    const renderRatio = noFeed.medianFrameMs && feed.medianFrameMs ? +(feed.medianFrameMs / noFeed.medianFrameMs).toFixed(3) : undefined;
    const h = feed.heapAfterGcMb!;
    const heapDrift = h.start && h.end !== undefined ? +(((h.end - h.start) / h.start) * 100).toFixed(1) : undefined;
    const heapMaxDev = h.start
      ? +(Math.max(...[h.middle, h.end].map((x) => Math.abs(((x ?? h.start!) - h.start!) / h.start!))) * 100).toFixed(1)
      : undefined;
    const p95 = feed.latency!.p95Ms;
    const targets = {
      latencyP95: { target: "≤ 250 ms", value: p95, pass: p95 !== undefined && p95 <= 250 },
      ...(mode === "orbit" ? { frameRatio: { target: "≤ 1.2", value: ratio, pass: ratio !== undefined && ratio <= 1.2 } } : {}),
      heapFlat: { target: "±10 %", value: heapMaxDev, pass: heapMaxDev !== undefined && heapMaxDev <= 10 },
    };
    runs[mode] = {
      noFeed,
      feed,
      frameRatio: mode === "orbit" ? ratio : undefined,
      renderOnlyRatio: renderRatio,
      heapDriftPct: heapDrift,
      heapMaxDeviationPct: heapMaxDev,
      targets,
    };
    const row = (k: string, v: unknown) => console.log(`${k.padEnd(34)}${String(v ?? "–")}`);
    console.log(
      `\nlive feed bench, camera ${mode === "orbit" ? "orbiting" : "still"} (same run, ${seconds} s per phase, ${rate} msg/s target)`,
    );
    console.log("phase          frames   fps     wall ms/frame   median render ms   main busy ms/s   published   received   dropped");
    for (const [k, v] of [
      ["(a) no feed", noFeed],
      ["(b) feed", feed],
    ] as const)
      console.log(
        `${k.padEnd(14)}${String(v.frames).padStart(6)}   ${String(v.fps).padStart(5)}   ${String(v.wallMsPerFrame ?? "–").padStart(13)}   ${String(v.medianFrameMs ?? "–").padStart(16)}   ${String(v.mainTaskMsPerS ?? "–").padStart(14)}   ${String(v.published).padStart(9)}   ${String(v.received).padStart(8)}   ${String(v.dropped).padStart(7)}`,
      );
    row(
      "achieved publish rate (msg/s)",
      `${((feed.publishedInPhase ?? feed.published) / (feed.publishSeconds || feed.seconds)).toFixed(0)} in the phase (incl. one burst of every sensor at start); ${feed.published - (feed.publishedInPhase ?? 0)} more from the sink's backlog after it`,
    );
    row("page reconnects during the feed", `${feed.reconnects} (state at end: ${feed.connectionAtEnd})`);
    row("latency samples", feed.latency!.samples);
    const lp = feed.latency!.parts;
    if (lp)
      row(
        "latency parts median/p95 ms",
        `publish→worker ${lp.transport.join("/")}, worker→applied on the main thread ${lp.queued.join("/")} (every update); applied→drawn ${lp.draw.join("/")} (per drawing batch)`,
      );
    const ap = feed.latency!.applied;
    if (ap) row("message→applied median / p95 ms", `${ap.medianMs} / ${ap.p95Ms} (${ap.samples} sensor updates)`);
    row(
      "message→drawn median / p95 ms",
      `${feed.latency!.medianMs} / ${p95}  (target p95 ≤ 250) ${targets.latencyP95.pass ? "PASS" : "MISS"}`,
    );
    if (mode === "orbit")
      row("frame ratio feed / no feed (wall)", `${ratio}  (target ≤ 1.2) ${ratio !== undefined && ratio <= 1.2 ? "PASS" : "MISS"}`);
    row("render-only ratio (main thread)", renderRatio);
    row(
      "received ÷ published",
      `${((feed.received / Math.max(1, feed.published)) * 100).toFixed(1)} % (after a ${feed.drainAfterFeedS} s drain)`,
    );
    row(
      "heap after GC start/mid/end MB",
      `${h.start} / ${h.middle} / ${h.end}  (max dev ${heapMaxDev} %, target ±10 %) ${targets.heapFlat.pass ? "PASS" : "MISS"}`,
    );
    const wh = feed.workerHeapAfterGcMb!;
    row("live worker heap after GC s/m/e MB", `${wh.start} / ${wh.middle} / ${wh.end}`);
    row("dropped by reason", JSON.stringify(feed.droppedByReason));
    if (feed.mainThreadProfileTop) console.log(`main thread, top self time during the feed:\n  ${feed.mainThreadProfileTop.join("\n  ")}`);
    if (feed.workerProfileTop) console.log(`live worker, top self time during the feed:\n  ${feed.workerProfileTop.join("\n  ")}`);
  }
  await page.evaluate(() => (window as unknown as WC).warmcity.orbit?.(false));
  const loadEnd = loadavg();
  const result = {
    date: new Date().toISOString(),
    viewport: "1280x800, ?quality=low&view=waterlogging, SwiftShader",
    loadAverage: { start: loadStart.map((x) => +x.toFixed(2)), end: loadEnd.map((x) => +x.toFixed(2)) },
    seconds,
    rate,
    runs,
    pageErrors,
  };
  console.log(`load average (1/5/15 min) at start ${result.loadAverage.start.join(" / ")}, at end ${result.loadAverage.end.join(" / ")}`);
  if (pageErrors.length) console.log(`page errors: ${pageErrors.slice(0, 3).join(" | ")}`);
  mkdirSync(join(ROOT, "bench-results"), { recursive: true });
  writeFileSync(join(ROOT, "bench-results", "live.json"), JSON.stringify(result, null, 2));
  console.log("wrote bench-results/live.json");
} finally {
  await sim?.stop();
  await browser.close().catch(() => undefined);
  brokerClose?.();
  await new Promise<void>((r) => {
    front.closeAllConnections();
    front.close(() => r());
  });
  await server.close();
}
