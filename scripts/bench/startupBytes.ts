// What the real app fetches from navigation start until `window.warmcity.ready`, and who asked
// for it (issue 7: "bytes transferred for the default view"). Serves one or more built apps
// (`--dist a=DIR --dist b=DIR`) with the same `generated/` city, loads `index.html?quality=low`
// (the default view) in a fresh headless Chromium per run, alternating the builds, and prints
// per run: ready time, bytes until ready, the browser's CPU seconds until ready, and (with
// --list) every response until ready with its size and initiator (the main thread's JS stack
// from the DevTools protocol, or "worker" for a dedicated worker's request).
//
//   npx tsx scripts/bench/startupBytes.ts --dist after=dist [--dist before=DIR] [--runs 3] [--list]
//       [--generated public/generated] [--query 'quality=low'] [--timeout 600]
import { readFileSync, readdirSync } from "node:fs";
import { loadavg } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../../tests/e2e/harness";
import { startBenchServer } from "./server";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

function arg(name: string): string[] {
  const out: string[] = [];
  const a = process.argv;
  for (let i = 0; i < a.length; i++) if (a[i] === `--${name}`) out.push(a[i + 1]);
  return out;
}
const dists = arg("dist").map((d) => {
  const [name, dir] = d.includes("=") ? d.split("=") : ["app", d];
  return { name, dir: resolve(ROOT, dir) };
});
if (!dists.length) dists.push({ name: "app", dir: join(ROOT, "dist") });
const runs = Number(arg("runs")[0] ?? 1);
const list = process.argv.includes("--list");
const generated = resolve(ROOT, arg("generated")[0] ?? "public/generated");
const query = arg("query")[0] ?? "quality=low";
const timeoutMs = Number(arg("timeout")[0] ?? 600) * 1000;
/** Seconds to keep listening after ready: what is fetched then, and what is fetched twice. */
const afterS = Number(arg("after")[0] ?? 0);

/** CPU jiffies (user+system) of a process and all its descendants. */
function treeJiffies(root: number): number {
  const kids = new Map<number, number[]>();
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const st = readFileSync(`/proc/${d}/stat`, "utf8");
      const f = st.slice(st.lastIndexOf(")") + 2).split(" ");
      const ppid = Number(f[1]);
      (kids.get(ppid) ?? kids.set(ppid, []).get(ppid)!).push(Number(d));
    } catch {
      /* gone */
    }
  }
  let sum = 0;
  const stack = [root];
  while (stack.length) {
    const p = stack.pop()!;
    try {
      const st = readFileSync(`/proc/${p}/stat`, "utf8");
      const f = st.slice(st.lastIndexOf(")") + 2).split(" ");
      sum += Number(f[11]) + Number(f[12]);
    } catch {
      /* gone */
    }
    stack.push(...(kids.get(p) ?? []));
  }
  return sum;
}

const server = await startBenchServer(dists.map((d) => ({ prefix: d.name, appDir: d.dir, generatedDir: generated })));
const mb = (b: number) => (b / 1e6).toFixed(2);
const results: Record<string, Array<{ readyS: number; bytes: number; cpuS: number; requests: number }>> = {};
try {
  for (let r = 0; r < runs; r++) {
    // Alternate: a b, b a, a b …
    const order = r % 2 ? [...dists].reverse() : dists;
    for (const d of order) {
      const bs = await chromium.launchServer({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
      const pid = bs.process().pid!;
      const browser = await chromium.connect(bs.wsEndpoint());
      try {
        const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
        const cdp = await page.context().newCDPSession(page);
        await cdp.send("Network.enable");
        const initiators = new Map<string, string>();
        cdp.on("Network.requestWillBeSent", (e) => {
          const st = e.initiator.stack;
          const frames: string[] = [];
          for (let s = st; s && frames.length < 6; s = s.parent)
            for (const f of s.callFrames)
              if (frames.length < 6) frames.push(`${f.functionName || "?"}@${f.url.replace(/.*\//, "")}:${f.lineNumber}`);
          initiators.set(e.request.url, `${e.initiator.type}${frames.length ? " " + frames.join(" < ") : ""}`);
        });
        const seen: Array<{ url: string; t: number; worker: boolean }> = [];
        page.context().on("request", (req) => {
          let worker = false;
          try {
            req.frame();
          } catch {
            worker = true;
          }
          seen.push({ url: req.url(), t: Date.now(), worker });
        });
        await page.addInitScript(
          "(function poll() { if (window.warmcity && window.warmcity.ready) window.__readyAt = performance.now(); else setTimeout(poll, 10); })();",
        );
        server.clearTraffic();
        const j0 = treeJiffies(pid);
        const load0 = loadavg()[0];
        await page.goto(server.url(d.name, `index.html?${query}`), { waitUntil: "commit" });
        let readyAt: number | undefined;
        const t0 = Date.now();
        while (readyAt === undefined && Date.now() - t0 < timeoutMs) {
          readyAt = await page.evaluate(() => (window as unknown as { __readyAt?: number }).__readyAt).catch(() => undefined);
          if (readyAt === undefined) await new Promise((res) => setTimeout(res, 100));
        }
        const cpuS = (treeJiffies(pid) - j0) / 100;
        if (readyAt === undefined) throw new Error(`${d.name}: not ready in ${timeoutMs / 1000} s`);
        const origin = await page.evaluate(() => performance.timeOrigin);
        const until = origin + readyAt;
        const served = server.traffic().filter((t) => t.prefix === d.name && t.endEpochMs <= until + 1);
        const bytes = served.reduce((a, t) => a + t.bytes, 0);
        (results[d.name] ??= []).push({ readyS: readyAt / 1000, bytes, cpuS, requests: served.length });
        console.log(
          `${d.name} run ${r + 1}: ready ${(readyAt / 1000).toFixed(1)} s, ${mb(bytes)} MB in ${served.length} responses, browser CPU ${cpuS.toFixed(1)} s, load ${load0.toFixed(1)}→${loadavg()[0].toFixed(1)}`,
        );
        if (list) {
          const byKind = new Map<string, number>();
          for (const t of served) {
            const k = /\.geojson$/.test(t.path)
              ? "geojson"
              : /\.(glb|b3dm|subtree)$|tileset\.json$/.test(t.path)
                ? "tiles"
                : /\.js$/.test(t.path)
                  ? "js"
                  : "other";
            byKind.set(k, (byKind.get(k) ?? 0) + t.bytes);
          }
          console.log(`  by kind: ${[...byKind].map(([k, b]) => `${k} ${mb(b)} MB`).join(", ")}`);
          for (const t of [...served].sort((a, b) => b.bytes - a.bytes)) {
            if (t.bytes < 50_000 && !/\.geojson$|\.json$/.test(t.path)) continue;
            const full = [...initiators.keys()].find((u) => new URL(u).pathname.endsWith("/" + t.path));
            const w = seen.find((s) => new URL(s.url).pathname.endsWith("/" + t.path))?.worker;
            console.log(`  ${mb(t.bytes).padStart(7)} MB  ${t.path}  ← ${full ? initiators.get(full) : w ? "worker" : "?"}`);
          }
        }
        if (afterS > 0) {
          await new Promise((res) => setTimeout(res, afterS * 1000));
          const later = server.traffic().filter((t) => t.prefix === d.name && t.endEpochMs > until + 1);
          console.log(`  after ready (${afterS} s): ${mb(later.reduce((a, t) => a + t.bytes, 0))} MB in ${later.length} responses`);
          const count = new Map<string, number>();
          for (const t of server.traffic().filter((x) => x.prefix === d.name)) count.set(t.path, (count.get(t.path) ?? 0) + 1);
          for (const t of [...later].sort((a, b) => b.bytes - a.bytes))
            if (t.bytes >= 50_000 || /json$/.test(t.path)) {
              const full = [...initiators.keys()].find((u) => new URL(u).pathname.endsWith("/" + t.path));
              const w = seen.find((s) => new URL(s.url).pathname.endsWith("/" + t.path))?.worker;
              console.log(
                `  ${mb(t.bytes).padStart(7)} MB  ${t.path} ×${count.get(t.path)}  ← ${full ? initiators.get(full) : w ? "worker" : "?"}`,
              );
            }
        }
      } finally {
        await browser.close().catch(() => undefined);
        await bs.close().catch(() => undefined);
      }
    }
  }
} finally {
  await server.close();
}
const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
for (const [name, rs] of Object.entries(results))
  console.log(
    `${name}: median ready ${med(rs.map((x) => x.readyS)).toFixed(1)} s (${rs.map((x) => x.readyS.toFixed(1)).join(", ")}), bytes ${mb(med(rs.map((x) => x.bytes)))} MB (${rs.map((x) => mb(x.bytes)).join(", ")}), browser CPU ${med(rs.map((x) => x.cpuS)).toFixed(1)} s (${rs.map((x) => x.cpuS.toFixed(1)).join(", ")})`,
  );
