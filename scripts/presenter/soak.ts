// npm run soak — the kiosk loop for N cycles in headless Chromium, with accelerated flights and
// dwells; prints per cycle the JS heap after GC, Cesium's primitive count, the median frame
// time and the errors logged. Default: one hour of tour time (cycles = 3600 s / tour length).
//
//   npx tsx scripts/presenter/soak.ts [--cycles N] [--tour platform] [--time-scale 0.05] [--no-build]
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { tourDurationS, validateTours } from "../../src/domain/tours";
import { buildApp, heapAfterGcMb, openApp, ROOT, waitFor, type W } from "./appPage";

const args = process.argv.slice(2);
const arg = (k: string, d?: string) => {
  const i = args.indexOf(`--${k}`);
  return i >= 0 ? args[i + 1] : d;
};
const tourId = arg("tour", "platform")!;
const timeScale = Number(arg("time-scale", "0.05"));
const tours = validateTours(JSON.parse(readFileSync(join(ROOT, "data", "tours.json"), "utf8")), "data/tours.json");
const tour = tours.tours.find((t) => t.id === tourId);
if (!tour) throw new Error(`no tour "${tourId}" in data/tours.json`);
const cycles = Number(arg("cycles", String(Math.ceil(3600 / tourDurationS(tour)))));
const dist = join(ROOT, ".cache", "soak-dist");
if (!args.includes("--no-build")) buildApp(dist);

console.log(`soak: tour ${tourId} (${tourDurationS(tour)} s of tour time a cycle), ${cycles} cycles at time scale ${timeScale}`);
const app = await openApp(dist, `?kiosk=1&tour=${tourId}&quality=low`);
const { page, cdp, o } = app;
const rows: Array<{ cycle: number; s: number; heapMb: number; primitives: number; medianFrameMs?: number; errors: number }> = [];
try {
  await page.evaluate(() => (window as unknown as W).warmcity.whenKpis());
  await page.evaluate(([id, k]) => (window as unknown as W).warmcity.playTour(id as string, { loop: true, timeScale: k as number }), [
    tourId,
    timeScale,
  ] as const);
  console.log("cycle   wall s   heap after GC MB   primitives   median frame ms   errors");
  let t = Date.now();
  for (let c = 1; c <= cycles; c++) {
    await waitFor(page, (n) => ((window as unknown as W).warmcity.tour()?.cycle ?? 0) >= n, c, 600_000);
    const heapMb = await heapAfterGcMb(cdp);
    const st = await page.evaluate(() => (window as unknown as W).warmcity.sceneStats());
    const errors =
      (await page.evaluate(() => (window as unknown as W).warmcity.errors())).length +
      o.record.pageErrors.length +
      o.record.consoleErrors.length;
    const row = { cycle: c, s: (Date.now() - t) / 1000, heapMb, primitives: st.primitives, medianFrameMs: st.medianFrameMs, errors };
    t = Date.now();
    rows.push(row);
    console.log(
      `${String(c).padStart(5)}   ${row.s.toFixed(1).padStart(6)}   ${heapMb.toFixed(1).padStart(16)}   ${String(row.primitives).padStart(10)}   ${(row.medianFrameMs ?? NaN).toFixed(0).padStart(15)}   ${String(errors).padStart(6)}`,
    );
  }
  const first = rows[0];
  const last = rows[rows.length - 1];
  console.log(
    `heap after GC: cycle 1 ${first.heapMb.toFixed(1)} MB → cycle ${last.cycle} ${last.heapMb.toFixed(1)} MB (${(last.heapMb - first.heapMb).toFixed(1)} MB); errors ${last.errors}`,
  );
  if (last.errors)
    console.log(
      JSON.stringify(
        {
          errors: await page.evaluate(() => (window as unknown as W).warmcity.errors()),
          page: o.record.pageErrors,
          console: o.record.consoleErrors.slice(0, 5),
        },
        null,
        1,
      ),
    );
} finally {
  await app.close();
}
