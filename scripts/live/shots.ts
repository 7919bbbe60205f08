// Screenshots of the live city as a user sees it, to look at (not a test): the built app under
// `vite preview` with the embedded broker and simulator (as `npm start`), the simulated clock
// at 1× (the storm comes 20 s after the server starts), at 1280×800 in Chromium:
//   live-view-storm.png      the waterlogging view (buildings, risk layers, gauges) during the storm
//   live-view-alarms.png     the same with the alarm panel after "fly to" on the worst alarm
//   live-view-sparkline.png  a flooded gauge picked: the inspector with its sparkline
// Written to test-results/screenshots/. Needs `vite build` first.
//
//   npx tsx scripts/live/shots.ts [--lang en] [--width 1280 --height 800]
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { preview } from "vite";
import { CHROMIUM_ARGS, CHROMIUM_PATH, REPO_ROOT } from "../../tests/e2e/harness";
import { loadSensorsFile } from "./sensors";

const args = process.argv.slice(2);
const arg = (k: string, d: string) => {
  const i = args.indexOf(`--${k}`);
  return i >= 0 ? args[i + 1] : d;
};
const lang = arg("lang", "zh");
const width = Number(arg("width", "1280"));
const height = Number(arg("height", "800"));
// Real time: the page can take minutes to load on a loaded machine, and at 1× the storm floods
// the low spots from about 4 min after the server starts and drains after 10 min.
process.env.WARMCITY_SIM_CLOCK ??= "1";
const out = join(REPO_ROOT, "test-results", "screenshots");
mkdirSync(out, { recursive: true });
const suffix = lang === "zh" && width === 1280 ? "" : `-${lang}-${width}x${height}`;

type W = {
  warmcity: {
    ready: boolean;
    live(id?: string): { state: string; activeAlarms: { alarm: number }; alarms: Array<{ sensorId: string; level: string }> };
    flyTo(c: object, d?: number): Promise<void>;
  };
};
const server = await preview({ preview: { port: 0, host: "127.0.0.1" }, logLevel: "silent" });
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
try {
  const page = await browser.newPage({ viewport: { width, height }, deviceScaleFactor: 1 });
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(`${server.resolvedUrls!.local[0]}?quality=low&view=waterlogging&lang=${lang}`);
  await page.waitForFunction(() => (window as unknown as W).warmcity?.ready === true, undefined, { timeout: 600_000, polling: 500 });
  console.log("[shots] app ready; waiting for the storm's alarms …");
  await page.waitForFunction(() => (window as unknown as W).warmcity.live().activeAlarms.alarm >= 1, undefined, {
    timeout: 300_000,
    polling: 1000,
  });
  console.log("[shots] alarms raised");
  await page.waitForTimeout(3000);
  writeFileSync(join(out, `live-view-storm${suffix}.png`), await page.screenshot({ timeout: 120_000 }));
  const info = await page.evaluate(() => (window as unknown as W).warmcity.live());
  const worst = info.alarms.find((a) => a.level === "alarm")!;
  await page.locator(`[data-testid="alarm-row"][data-sensor="${worst.sensorId}"] [data-testid="alarm-fly"]`).first().click();
  await page.waitForTimeout(6000);
  writeFileSync(join(out, `live-view-alarms${suffix}.png`), await page.screenshot({ timeout: 120_000 }));
  const s = loadSensorsFile().find((x) => x.id === worst.sensorId)!;
  await page.evaluate((c) => (window as unknown as W).warmcity.flyTo(c, 0.5), {
    lonDeg: s.lonDeg,
    latDeg: s.latDeg,
    heightM: 900,
    headingDeg: 0,
    pitchDeg: -90,
  });
  await page.waitForTimeout(3000);
  const box = (await page.locator(".cesium-widget canvas").boundingBox())!;
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  await page.waitForSelector('[data-testid="sparkline"]', { timeout: 60_000 });
  await page.waitForTimeout(2500);
  writeFileSync(join(out, `live-view-sparkline${suffix}.png`), await page.screenshot({ timeout: 120_000 }));
  console.log(
    `wrote live-view-{storm,alarms,sparkline}${suffix}.png to ${out}; page errors: ${errors.length ? errors.join(" | ") : "none"}`,
  );
} finally {
  await browser.close();
  await server.close();
}
