// npm run bench:tour (also run by npm run bench) — frames rendered during a 10 s tour dwell on
// the real app, still vs with the sandbox orbit, side by side in the same run. The app keeps
// Cesium's requestRenderMode on, so a still dwell should cost (almost) no frames while an
// orbit renders every animation frame. Writes bench-results/tour.json.
//
//   npx tsx scripts/presenter/tourBench.ts [--no-build] [--dwell 10]
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildApp, openApp, ROOT, waitFor, type W } from "./appPage";

const args = process.argv.slice(2);
const arg = (k: string, d: string) => {
  const i = args.indexOf(`--${k}`);
  return i >= 0 ? args[i + 1] : d;
};
const dwellS = Number(arg("dwell", "10"));
const dist = join(ROOT, ".cache", "tour-bench-dist");
if (!args.includes("--no-build")) buildApp(dist);

const app = await openApp(dist, "?quality=low");
const { page } = app;
try {
  await page.evaluate(() => (window as unknown as W).warmcity.whenKpis());
  await page.evaluate(() => (window as unknown as W).warmcity.whenIdle());
  const frames = () => page.evaluate(() => (window as unknown as W).warmcity.sceneStats());

  /** Plays `step` of the platform tour with its dwell stretched to ≥ dwellS and counts frames in dwellS of it. */
  async function dwell(step: number, dwellInData: number) {
    const scale = (dwellS + 2) / dwellInData;
    await page.evaluate(([s, k]) => (window as unknown as W).warmcity.playTour("platform", { step: s, timeScale: k }), [
      step,
      scale,
    ] as const);
    await waitFor(
      page,
      (s) => {
        const t = (window as unknown as W).warmcity.tour();
        return !!t && t.step === s && t.phase === "dwell";
      },
      step,
      300_000,
    );
    await page.waitForTimeout(500);
    const a = await frames();
    const t0 = Date.now();
    await page.waitForTimeout(dwellS * 1000);
    const b = await frames();
    const s = (Date.now() - t0) / 1000;
    await page.evaluate(() => (window as unknown as W).warmcity.pauseTour());
    return {
      frames: b.frames - a.frames,
      seconds: +s.toFixed(2),
      fps: +((b.frames - a.frames) / s).toFixed(2),
      medianFrameMs: b.medianFrameMs,
    };
  }
  // Step 0 (CIM base platform) is a still dwell; step 5 (N scenarios) orbits the museum.
  const still = await dwell(0, 9);
  const orbit = await dwell(5, 12);
  const result = {
    date: new Date().toISOString(),
    viewport: "1280x800, quality=low, SwiftShader",
    dwellS,
    still,
    orbit,
    ratio: still.frames === 0 ? 0 : +(still.frames / Math.max(1, orbit.frames)).toFixed(3),
  };
  console.log("\ntour dwell frames (same run)");
  console.log("case          frames   seconds   fps     median frame ms");
  for (const [k, v] of [
    ["still dwell", still],
    ["orbit dwell", orbit],
  ] as const)
    console.log(
      `${k.padEnd(14)}${String(v.frames).padStart(6)}   ${String(v.seconds).padStart(7)}   ${String(v.fps).padStart(5)}   ${v.medianFrameMs?.toFixed(0) ?? "–"}`,
    );
  console.log(
    `still/orbit frames ratio: ${result.ratio} (target: a still dwell renders ≤ 2 frames) ${still.frames <= 2 ? "PASS" : "MISS"}`,
  );
  mkdirSync(join(ROOT, "bench-results"), { recursive: true });
  writeFileSync(join(ROOT, "bench-results", "tour.json"), JSON.stringify(result, null, 2));
} finally {
  await app.close();
}
