// The bench's view-switch figure on its own, for working on it (not part of npm test):
//
//   npx tsx scripts/bench/viewSwitch.ts [--rounds 2] [--cases app,before] [--before-dir /tmp/wct-before]
//        [--no-build] [--profile out.cpuprofile]
//
// Same page, sequence and measure as `npm run bench` (scripts/bench.ts viewSwitches): index.html?quality=low
// at 1280×800 on SwiftShader; after ready (and, for the app, the cockpit's KPIs) setView through
// VIEW_CYCLE twice, each switch timed from setView until the camera arrived at the view's camera and
// whenIdle() resolved. Cases alternate (app, before, app, before …) so that the shared machine's load
// falls on both. --profile records a CPU profile (CDP) of the app's first round and prints where the
// time went, by function and by script. The before tree is a built checkout of e6693bb (its dist-bench/
// and public/generated/), as scripts/bench.ts makes it under .cache/before-<sha>/.
import { spawnSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Page } from "playwright-core";
import { orbitStartCamera, BENCH_ORBIT } from "../../bench/page/protocol";
import { startBenchServer } from "./server";
import { measureViewSwitches, type ViewSwitch } from "./switchMeasure";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../../tests/e2e/harness";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

function arg(name: string, dflt?: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : dflt;
}
const rounds = Number(arg("--rounds", "2"));
const cases = arg("--cases", "app,before")!.split(",");
const beforeDir = resolve(arg("--before-dir", "/tmp/wct-before")!);
const profileOut = arg("--profile");
const dist = join(ROOT, ".cache", "switch-dist");

type Switch = ViewSwitch;
const cycle = (page: Page): Promise<Switch[]> => measureViewSwitches(page, ROOT);

/** Times every program link (the first getProgramParameter after linkProgram) and keeps its #defines. */
const SHADER_PROBE = `(() => {
  window.__progs = [];
  const pending = new Map();
  for (const C of [WebGLRenderingContext, WebGL2RenderingContext]) {
    const link = C.prototype.linkProgram, gpp = C.prototype.getProgramParameter;
    C.prototype.linkProgram = function (p) {
      const src = this.getAttachedShaders(p).map((s) => this.getShaderSource(s)).join("\\n");
      const defs = (src.match(/#define [A-Za-z_0-9]+/g) || []).map((d) => d.slice(8)).filter((d, i, a) => a.indexOf(d) === i).slice(0, 14).join(" ");
      const unis = (src.match(/uniform [a-z0-9A-Z_]+ [a-zA-Z_0-9]+/g) || []).map((d) => d.split(" ")[2]).filter((d, i, a) => a.indexOf(d) === i).slice(0, 8).join(",");
      pending.set(p, defs + " | " + src.length + " | " + unis);
      return link.call(this, p);
    };
    C.prototype.getProgramParameter = function (p, k) {
      const t = performance.now();
      const r = gpp.call(this, p, k);
      const d = pending.get(p);
      if (d !== undefined) { pending.delete(p); window.__progs.push([t, performance.now() - t, d]); }
      return r;
    };
  }
})();`;

const median = (xs: number[]) => {
  const v = [...xs].sort((a, b) => a - b);
  return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
};

type Node = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] };
function summarise(profile: { nodes: Node[]; samples: number[]; timeDeltas: number[] }) {
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000));
  const byFn = new Map<string, number>();
  const byUrl = new Map<string, number>();
  for (const n of profile.nodes) {
    const t = self.get(n.id) ?? 0;
    if (!t) continue;
    const url = n.callFrame.url.replace(/^.*\/(x1|b1)\//, "");
    const k = `${n.callFrame.functionName || "(anon)"} ${url}:${n.callFrame.lineNumber}`;
    byFn.set(k, (byFn.get(k) ?? 0) + t);
    byUrl.set(url || "(native)", (byUrl.get(url || "(native)") ?? 0) + t);
  }
  const top = (m: Map<string, number>, n: number) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, v]) => `  ${Math.round(v).toString().padStart(7)} ms  ${k}`)
      .join("\n");
  console.log(`self time by script:\n${top(byUrl, 12)}\nself time by function:\n${top(byFn, 40)}`);
}

async function main() {
  if (!process.argv.includes("--no-build")) {
    const r = spawnSync(join(ROOT, "node_modules", ".bin", "vite"), ["build", "--logLevel", "warn", "--outDir", dist, "--emptyOutDir"], {
      cwd: ROOT,
      stdio: "inherit",
    });
    if (r.status !== 0) throw new Error("vite build failed");
  }
  const sites = [{ prefix: "x1", appDir: dist, generatedDir: join(ROOT, "public", "generated") }];
  // --base-dist DIR: another build of the app (e.g. the branch point), served as case "base".
  const baseDist = arg("--base-dist");
  if (baseDist) sites.push({ prefix: "x0", appDir: resolve(baseDist), generatedDir: join(ROOT, "public", "generated") });
  if (cases.includes("before"))
    sites.push({ prefix: "b1", appDir: join(beforeDir, "dist-bench"), generatedDir: join(beforeDir, "public", "generated") });
  for (const s of sites) if (!existsSync(join(s.appDir, "index.html"))) throw new Error(`${s.appDir}/index.html missing`);
  const server = await startBenchServer(sites);
  const results: Record<string, number[]> = {};
  try {
    for (let round = 0; round < rounds; round++)
      for (const c of cases) {
        const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
        try {
          const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
          const errors: string[] = [];
          page.on("pageerror", (e) => errors.push(String(e)));
          if (process.argv.includes("--shaders")) await page.addInitScript(SHADER_PROBE);
          const la0 = loadavg()[0];
          await page.goto(
            server.url(
              c === "app" ? "x1" : c === "base" ? "x0" : "b1",
              `index.html?quality=low&camera=${orbitStartCamera(BENCH_ORBIT).join(",")}`,
            ),
          );
          await page.waitForFunction(() => (window as unknown as { warmcity?: { ready: boolean } }).warmcity?.ready, undefined, {
            timeout: 400_000,
            polling: 200,
          });
          if (c !== "before")
            await page.evaluate(() =>
              Promise.race([
                (window as unknown as { warmcity: { whenKpis(): Promise<void> } }).warmcity.whenKpis(),
                new Promise((r) => setTimeout(r, 120_000)),
              ]),
            );
          const profiling = profileOut && c === "app" && round === 0;
          const cdp = profiling ? await page.context().newCDPSession(page) : undefined;
          if (cdp) {
            await cdp.send("Profiler.enable");
            await cdp.send("Profiler.setSamplingInterval", { interval: 500 });
            await cdp.send("Profiler.start");
          }
          const t = Date.now();
          const sw = await cycle(page);
          const wall = Date.now() - t;
          if (cdp) {
            const { profile } = await cdp.send("Profiler.stop");
            writeFileSync(profileOut!, JSON.stringify(profile));
            summarise(profile as never);
          }
          if (process.argv.includes("--shaders") && c === "app" && round === 0) {
            const progs = await page.evaluate(() => (window as unknown as { __progs: Array<[number, number, string]> }).__progs);
            const marks = await page.evaluate(() =>
              performance
                .getEntriesByType("mark")
                .filter((m) => m.name.startsWith("switch:"))
                .map((m) => [m.name, m.startTime] as [string, number]),
            );
            writeFileSync(join(dirname(profileOut ?? "/tmp/x"), "shaders.json"), JSON.stringify({ progs, marks }));
            console.log(`programs linked after ready: ${progs.length}, ${Math.round(progs.reduce((a, p) => a + p[1], 0))} ms`);
          }
          const la1 = loadavg()[0];
          const drawn = sw.filter((s) => s.drawnMs !== undefined).map((s) => s.drawnMs!);
          const m = median(drawn);
          (results[c] ??= []).push(m);
          console.log(
            `${c} round ${round + 1}: median ${m} ms (pass 1 ${median(drawn.slice(0, 6))}, pass 2 ${median(drawn.slice(6))}), cycle ${wall} ms, load ${la0.toFixed(1)}→${la1.toFixed(1)}\n  ${sw
              .map((s) => `${s.view}#${s.pass} ${s.error ?? `${s.idleMs}/${s.drawnMs}`}`)
              .join(", ")}${errors.length ? `\n  page errors: ${errors.slice(0, 3).join(" | ")}` : ""}`,
          );
        } finally {
          await browser.close();
        }
      }
  } finally {
    await server.close();
  }
  for (const [c, xs] of Object.entries(results)) console.log(`${c}: medians ${xs.join(", ")} ms`);
  if (results.app && results.before)
    console.log(`after / before (median of round medians): ${(median(results.app) / median(results.before)).toFixed(3)}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
