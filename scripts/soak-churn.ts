// The full churn soak (README "No leaks under churn"): every layer toggled 300 times and every
// view switched 100 times through window.warmcity against the built app in Chromium, with the
// page's heap (after GC), Cesium primitives/tilesets, workers and object URLs compared with the
// warmed-up start. Prints the figures and exits non-zero when a tolerance is missed.
//   npm run soak:churn [-- --toggles 300 --views 100]
import { churn, compare, fmt, instrument, snapshot, warmUp, TOLERANCE } from "../tests/e2e/churn";
import { startHarness, waitForReady } from "../tests/e2e/harness";

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const toggles = arg("toggles", 300);
const views = arg("views", 100);

const h = await startHarness();
try {
  const p = await h.open("?quality=low", {
    beforeGoto: async (page) => {
      // tsx (esbuild keepNames) wraps named functions in __name(); the page has no such helper.
      await page.addInitScript({ content: "globalThis.__name = (f) => f;" });
      await instrument(page);
    },
  });
  await waitForReady(p.page, 600_000, p.record);
  await warmUp(p.page);
  await churn(p.page, 1, 1);
  const before = await snapshot(p.page);
  const t0 = Date.now();
  const n = await churn(p.page, toggles, views);
  const after = await snapshot(p.page);
  const problems = compare(before, after);
  console.log(
    `churn soak ${new Date().toISOString().slice(0, 10)}: ${toggles}× every layer, ${views}× every view = ${n} changes in ${((Date.now() - t0) / 1000).toFixed(0)} s`,
  );
  console.log(`  before: ${fmt(before)}`);
  console.log(`  after:  ${fmt(after)}`);
  console.log(
    `  tolerance: heap +${TOLERANCE.heapFraction * 100} % + ${TOLERANCE.heapSlackMB} MB, counts equal → ${problems.length ? `MISS: ${problems.join("; ")}` : "PASS"}`,
  );
  console.log(`  uncaught errors: ${p.record.pageErrors.length}`);
  await p.close();
  process.exitCode = problems.length || p.record.pageErrors.length ? 1 : 0;
} finally {
  await h.close();
}
