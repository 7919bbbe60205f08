// Browser tests of the inspector's toolkit (issue 8) in Debian's Chromium on SwiftShader:
// labelled inspector for a clicked building and pipe, a filter by install year and its count,
// underground mode (camera below the surface), an excavation over a known pipe and its hit list,
// search → fly → select, a measured distance of known length, CSV export, and property values
// that look like HTML shown literally. Two page loads (1280×800, then 1920×1080 with URL
// parameters). Expected values are computed here from the built data, never typed in.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { distance as turfDistance } from "@turf/turf";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import {
  DIST_DIR,
  cspReports,
  describeBrowser,
  screenshot,
  startHarness,
  waitForReady,
  whenIdle,
  type Harness,
  type OpenedPage,
} from "./harness";

type Feature = { id: string; properties: Record<string, unknown>; geometry: { type: string; coordinates: unknown } };
const readLayer = (name: string): Feature[] =>
  JSON.parse(readFileSync(join(DIST_DIR, "generated/city", `${name}.geojson`), "utf8")).features;

const gas = readLayer("pipes-gas");
// A known pipe: the first north–south gas segment longer than 100 m.
const pipe = gas.find((f) => {
  const c = f.geometry.coordinates as number[][];
  return f.geometry.type === "LineString" && c.length === 2 && c[0][0] === c[1][0] && Math.abs(c[1][1] - c[0][1]) > 0.001;
})!;
const pc = pipe.geometry.coordinates as number[][];
const pipeLon = pc[0][0];
const pipeLatMid = (pc[0][1] + pc[1][1]) / 2;
// A pit 2·0.0001° of latitude long around its middle, narrow in longitude (±0.00004° ≈ 3.4 m).
const PIT_HALF_LAT = 0.0001;
const pit: Array<[number, number]> = [
  [pipeLon - 0.00004, pipeLatMid - PIT_HALF_LAT],
  [pipeLon + 0.00004, pipeLatMid - PIT_HALF_LAT],
  [pipeLon + 0.00004, pipeLatMid + PIT_HALF_LAT],
  [pipeLon - 0.00004, pipeLatMid + PIT_HALF_LAT],
];
// The pipe runs straight through the pit from its south edge to its north edge.
const expectedLengthM = turfDistance([pipeLon, pipeLatMid - PIT_HALF_LAT], [pipeLon, pipeLatMid + PIT_HALF_LAT], { units: "meters" });
const YEARS = { min: 2008, max: 2012 };
const expectedYearCount = gas.filter((f) => {
  const y = Number(f.properties.installYear);
  return y >= YEARS.min && y <= YEARS.max;
}).length;
const compounds = readLayer("compounds");
const HTML_NAME = `<img src=x onerror="window.__xss=1">小区`;
const HTML_MATERIAL = `<b onmouseover=alert(1)>PE</b>`;
const target = compounds.find(
  (c) =>
    typeof c.properties.name === "string" &&
    compounds.filter((d) => d.properties.name === c.properties.name).length === 1 &&
    c.id !== compounds[0].id,
)!;
// Compounds renovated 2015–2019: the "old compounds renovated" KPI over the filtered layer.
const RENOVATED = { min: 2015, max: 2019 };
const expectedRenovated = compounds.filter((c) => {
  const y = c.properties.renovationYear;
  return typeof y === "number" && y >= RENOVATED.min && y <= RENOVATED.max;
}).length;
const expectedRenovatedAll = compounds.filter((c) => typeof c.properties.renovationYear === "number").length;
const buildings = readLayer("buildings");
const tallest = buildings.reduce((a, b) => (Number(b.properties.heightM) > Number(a.properties.heightM) ? b : a));

function centroid(f: Feature): [number, number] {
  const ring = (
    f.geometry.type === "Polygon" ? (f.geometry.coordinates as number[][][])[0] : (f.geometry.coordinates as number[][][][])[0][0]
  ).slice(0, -1);
  return [ring.reduce((s, p) => s + p[0], 0) / ring.length, ring.reduce((s, p) => s + p[1], 0) / ring.length];
}

/** Untyped access to window.warmcity inside page.evaluate. */
type W = Record<string, (...a: unknown[]) => unknown> & { ready: boolean };
const wc = (page: Page) => ({
  call: <T>(name: string, ...args: unknown[]) =>
    page.evaluate(({ name, args }) => ((window as unknown as { warmcity: W }).warmcity[name] as (...a: unknown[]) => unknown)(...args), {
      name,
      args,
    }) as Promise<T>,
});

async function lookDown(page: Page, lon: number, lat: number, heightM: number) {
  await wc(page).call("flyTo", { lonDeg: lon, latDeg: lat, heightM, headingDeg: 0, pitchDeg: -90 }, 0);
  await whenIdle(page);
}

async function inspectorLabels(page: Page): Promise<Record<string, string>> {
  const rows = page.locator('[data-testid="inspector"] table.props tr');
  await rows.first().waitFor({ timeout: 30_000 });
  const out: Record<string, string> = {};
  for (let i = 0; i < (await rows.count()); i++) {
    const key = (await rows.nth(i).getAttribute("data-key")) ?? "";
    out[key] = `${await rows.nth(i).locator("th").innerText()}|${await rows.nth(i).locator("td").innerText()}`;
  }
  return out;
}

describeBrowser("inspector toolkit", () => {
  let h: Harness;
  let p: OpenedPage;
  beforeAll(async () => {
    h = await startHarness();
    p = await h.open("?quality=low&layers=landuse,roads,buildings,pipes-gas,compounds", {
      beforeGoto: async (page) => {
        // Property values that look like HTML, in the data the app loads (and the search index).
        await page.route(/compounds\.geojson$/, async (route) => {
          const res = await route.fetch();
          const j = await res.json();
          for (const f of j.features) if (f.id === target.id) f.properties.name = HTML_NAME;
          await route.fulfill({ response: res, body: JSON.stringify(j) });
        });
        await page.route(/pipes-gas\.geojson$/, async (route) => {
          const res = await route.fetch();
          const j = await res.json();
          for (const f of j.features) if (f.id === pipe.id) f.properties.material = HTML_MATERIAL;
          await route.fulfill({ response: res, body: JSON.stringify(j) });
        });
      },
    });
    await waitForReady(p.page, 420_000, p.record);
  }, 480_000);
  afterAll(async () => {
    await p?.close();
    await h?.close();
  }, 300_000);

  it("a clicked building and a clicked pipe show readable labels with units, not raw keys", async () => {
    const page = p.page;
    const [lon, lat] = centroid(tallest);
    await lookDown(page, lon, lat, Number(tallest.properties.heightM) + 500);
    await page.mouse.click(640, 400);
    const b = await inspectorLabels(page);
    expect(b.heightM, JSON.stringify(b)).toMatch(/^高度\|[\d.,]+ m$/);
    expect(b.use).toMatch(/^用途\|(居住|商业|公共|工业)$/);
    // the pipe's surface line, seen from straight above its middle
    await lookDown(page, pipeLon, pipeLatMid, 250);
    await page.mouse.click(640, 400);
    await page.waitForFunction(
      (id) =>
        (window as unknown as { warmcity: { selection(): { featureId: string } | undefined } }).warmcity.selection()?.featureId === id,
      pipe.id,
      { timeout: 30_000 },
    );
    const l = await inspectorLabels(page);
    expect(l.diameterMm).toBe(`管径|${pipe.properties.diameterMm} mm`);
    expect(l.installYear).toBe(`敷设年份|${pipe.properties.installYear}`);
    // an HTML-looking value is text: shown literally, nothing injected
    expect(l.material).toBe(`材质|${HTML_MATERIAL}`);
    expect(await page.locator('[data-testid="inspector"] b').count()).toBe(0);
  }, 300_000);

  it("filters pipes by install year: the count matches the data and is shown in the panel", async () => {
    const page = p.page;
    const r = await wc(page).call<{ matched: number; total: number }>("setFilter", "pipes-gas", { installYear: YEARS });
    expect(r).toEqual({ matched: expectedYearCount, total: gas.length });
    await page.getByTestId("filter-toggle").click();
    await page.getByTestId("filter-layer").selectOption("pipes-gas");
    await expect.poll(() => page.getByTestId("filter-count").innerText()).toContain(expectedYearCount.toLocaleString("en-US"));
    const f = await wc(page).call<Record<string, { matched: number }>>("filters");
    expect(f["pipes-gas"].matched).toBe(expectedYearCount);
    // a filter that matches nothing says so, and the scene keeps working
    await wc(page).call("setFilter", "pipes-gas", { installYear: { min: 1800, max: 1801 } });
    await expect.poll(() => page.getByTestId("insp-hint").innerText()).toMatch(/没有符合筛选条件/);
    await expect(wc(page).call("setFilter", "pipes-gas", { depthM: { min: 1 } })).rejects.toThrow(/cannot be filtered/);
    await wc(page).call("setFilter", "pipes-gas", {});
    expect(await wc(page).call("filters")).toEqual({});
    await page.getByTestId("filter-toggle").click();
  }, 300_000);

  it("the cockpit shows the KPI and chart figures over the filtered features, marked as filtered", async () => {
    const page = p.page;
    expect(expectedRenovated).toBeGreaterThan(0);
    expect(expectedRenovated).toBeLessThan(expectedRenovatedAll);
    const card = page.getByTestId("kpi-old-compounds-renovated");
    await expect.poll(() => card.getAttribute("data-status"), { timeout: 240_000 }).toBe("ready");
    expect(await card.locator(".kpi-value .num").innerText()).toBe(expectedRenovatedAll.toLocaleString("zh-CN"));
    await wc(page).call("setFilter", "compounds", { renovationYear: RENOVATED });
    const filtered = page.getByTestId("kpi-filtered-old-compounds-renovated");
    await expect.poll(() => filtered.getAttribute("data-status"), { timeout: 120_000 }).toBe("ready");
    expect(Number(await filtered.getAttribute("data-value"))).toBe(expectedRenovated);
    const text = await filtered.innerText();
    expect(text).toMatch(/筛选后/);
    expect(text).toContain(expectedRenovated.toLocaleString("zh-CN"));
    expect(text).toContain(`全部 ${expectedRenovatedAll.toLocaleString("zh-CN")}`);
    // the full figure stays; a KPI that reads no filtered layer gets no filtered line
    expect(await card.locator(".kpi-value .num").innerText()).toBe(expectedRenovatedAll.toLocaleString("zh-CN"));
    expect(await page.getByTestId("kpi-filtered-greenways-km").count()).toBe(0);
    // a filter on a pipe network marks the pipe chart as filtered
    await wc(page).call("setFilter", "pipes-gas", { installYear: YEARS });
    const chart = page.getByTestId("chart-pipe-length-by-network");
    await expect.poll(() => chart.getAttribute("data-filtered"), { timeout: 120_000 }).toBe("ready");
    await expect.poll(() => page.getByTestId("kpi-filtered-pipes-built-renewed-km").getAttribute("data-status")).toBe("ready");
    await screenshot(page, "inspector-filtered-figures");
    await chart.getByTestId("chart-filter-toggle").click();
    expect(await chart.getAttribute("data-filtered")).toBeNull();
    await wc(page).call("setFilter", "pipes-gas", {});
    await wc(page).call("setFilter", "compounds", {});
    await expect.poll(() => page.getByTestId("kpi-filtered-old-compounds-renovated").count()).toBe(0);
  }, 420_000);

  it("excavates a pit over a known pipe: the hit list has it with its length inside, rows select, CSV exports", async () => {
    const page = p.page;
    const rows = await wc(page).call<Array<{ featureId: string; lengthInPitM?: number; layerId: string; material?: string }>>(
      "excavate",
      pit,
      3,
    );
    const hit = rows.find((r) => r.featureId === pipe.id);
    expect(hit, JSON.stringify(rows.map((r) => r.featureId))).toBeDefined();
    expect(hit!.lengthInPitM!).toBeCloseTo(expectedLengthM, 0);
    expect(rows.every((r) => r.layerId.startsWith("pipe"))).toBe(true);
    await lookDown(page, pipeLon, pipeLatMid - 0.0006, 120);
    await wc(page).call("flyTo", { lonDeg: pipeLon, latDeg: pipeLatMid - 0.0005, heightM: 60, headingDeg: 0, pitchDeg: -40 }, 0);
    await whenIdle(page);
    const list = page.getByTestId("hit-list");
    await list.waitFor();
    expect(await page.getByTestId("hit-row").count()).toBe(rows.length);
    // the HTML-looking material is shown literally in the list
    await expect.poll(() => list.innerText()).toContain(HTML_MATERIAL);
    await screenshot(page, "inspector-excavation");
    await page.locator(`[data-testid="hit-row"][data-id="${pipe.id}"]`).click();
    await expect
      .poll(() =>
        wc(page)
          .call<{ featureId: string } | undefined>("selection")
          .then((s) => s?.featureId),
      )
      .toBe(pipe.id);
    // CSV from the panel's button: a download, UTF-8 with BOM, one line per row + header
    const [dl] = await Promise.all([page.waitForEvent("download"), page.getByTestId("hits-export-csv").click()]);
    const csv = readFileSync((await dl.path())!, "utf8");
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const lines = csv.slice(1).trim().split("\r\n");
    expect(lines).toHaveLength(rows.length + 1);
    expect(lines[0]).toMatch(/^图层,类型,管网,编号,材质/);
    const mine = lines.find((l) => l.includes(pipe.id))!;
    expect(mine).toContain("燃气");
    // bad input: a self-intersecting outline is refused with a message, the pit stays
    const bowtie = [pit[0], pit[2], pit[1], pit[3]];
    await expect(wc(page).call("excavate", bowtie, 3)).rejects.toThrow(/crosses itself/);
    await expect.poll(() => page.getByTestId("insp-hint").innerText()).toMatch(/自相交/);
    // said in the middle of the scene (a toast), not beside the toolbar
    const toast = await page.getByTestId("insp-hint").boundingBox();
    expect(toast!.y + toast!.height).toBeLessThan(400);
    await screenshot(page, "inspector-pit-refused");
    expect((await wc(page).call<{ rows: unknown[] }>("excavation")).rows).toHaveLength(rows.length);
    await wc(page).call("clearExcavation");
  }, 300_000);

  it("underground mode lets the camera go below the surface and says so", async () => {
    const page = p.page;
    await wc(page).call("setUnderground", true, 0.3);
    await wc(page).call("flyTo", { lonDeg: pipeLon + 0.0002, latDeg: pipeLatMid - 0.0004, heightM: -25, headingDeg: 0, pitchDeg: 10 }, 0);
    await whenIdle(page);
    const cam = await wc(page).call<{ heightM: number }>("camera");
    expect(cam.heightM).toBeLessThan(0);
    await expect.poll(() => page.getByTestId("depth-readout").innerText()).toMatch(/相机埋深 .* 地下/);
    await screenshot(page, "inspector-underground");
    // A new exaggeration rebuilds the tubes: the old ones stay on screen until the new are ready.
    type Ug = { pipeScale: number; tubes: { shown: number; building: number } };
    expect((await wc(page).call<Ug>("underground")).tubes).toEqual({ shown: 1, building: 0 });
    await wc(page).call("setPipeScale", 12);
    let during: Ug["tubes"] | undefined;
    for (const t0 = Date.now(); !during && Date.now() - t0 < 30_000;) {
      const u = await wc(page).call<Ug>("underground");
      if (u.tubes.building > 0) during = u.tubes;
    }
    expect(during, "a rebuild was seen").toBeDefined();
    expect(during!.shown, "tubes shown while the new ones build").toBe(1);
    await whenIdle(page);
    expect(await wc(page).call<Ug>("underground")).toMatchObject({ pipeScale: 12, tubes: { shown: 1, building: 0 } });
    await wc(page).call("setUnderground", false);
    expect((await wc(page).call<{ on: boolean }>("underground")).on).toBe(false);
  }, 300_000);

  it("search finds a compound by name, flies there and selects it; HTML-looking names stay text", async () => {
    const page = p.page;
    const name = String(target.properties.name);
    const groups = await wc(page).call<Array<{ layer: string; results: Array<{ id: string }> }>>("search", name);
    expect(groups[0].layer).toBe("compounds");
    expect(groups[0].results[0].id).toBe(target.id);
    await page.getByTestId("search-input").fill(name);
    await page.locator(`[data-testid="search-hit"][data-id="${target.id}"]`).click();
    await expect
      .poll(
        () =>
          wc(page)
            .call<{ featureId: string } | undefined>("selection")
            .then((s) => s?.featureId),
        { timeout: 30_000 },
      )
      .toBe(target.id);
    const [clon, clat] = centroid(target);
    await expect
      .poll(
        async () => {
          const cam = await wc(page).call<{ lonDeg: number; latDeg: number }>("camera");
          return turfDistance([cam.lonDeg, cam.latDeg], [clon, clat], { units: "meters" });
        },
        { timeout: 60_000 },
      )
      .toBeLessThan(800);
    // an empty query gives no results; an unknown id a notice
    expect(await wc(page).call("search", "   ")).toEqual([]);
    expect(await wc(page).call("select", "compounds", "no-such-id")).toBe(false);
    // its name in the loaded layer was replaced by an HTML-looking string: shown literally, nothing ran
    await expect.poll(() => page.locator(".inspector-name").innerText()).toBe(HTML_NAME);
    expect(await page.locator('[data-testid="inspector"] img').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
  }, 300_000);

  it("measures a known distance: 200 px across a straight-down view from 1,000 m", async () => {
    const page = p.page;
    await lookDown(page, 109.79, 39.6, 1000);
    const width = await page.evaluate(() => document.querySelector(".cesium-widget canvas")!.getBoundingClientRect().width);
    await page.getByTestId("tool-distance").click();
    await page.mouse.click(540, 400);
    await page.mouse.click(740, 400);
    await page.mouse.dblclick(740, 400);
    await expect
      .poll(() =>
        wc(page)
          .call<unknown[]>("measurements")
          .then((m) => m.length),
      )
      .toBe(1);
    const [m] = await wc(page).call<Array<{ value: number; points: number[][] }>>("measurements");
    // horizontal field of view 60°: the view is 2·h·tan 30° wide on the ground
    const expected = (200 / width) * 2 * 1000 * Math.tan(Math.PI / 6);
    expect(m.value / expected).toBeGreaterThan(0.97);
    expect(m.value / expected).toBeLessThan(1.03);
    expect(m.value).toBeCloseTo(turfDistance(m.points[0].slice(0, 2), m.points[1].slice(0, 2), { units: "meters" }), 3);
    await expect.poll(() => page.getByTestId("measure-list").innerText()).toMatch(/距离 [\d.]+ m/);
    await screenshot(page, "inspector-measure");
    await page.getByTestId("measure-item").first().click();
    expect(await wc(page).call("measurements")).toEqual([]);
  }, 300_000);

  it("exports the selection as CSV and the view as PNG; no foreign requests, no page errors", async () => {
    const page = p.page;
    expect(await wc(page).call("select", "buildings", tallest.id)).toBe(true);
    const csv = await wc(page).call<string>("exportData", "selection", "csv");
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(csv).toContain(tallest.id);
    expect(csv.split("\r\n")[0]).toContain("高度");
    const png = await wc(page).call<string>("exportPng");
    expect(png.startsWith("data:image/png;base64,")).toBe(true);
    expect(png.length).toBeGreaterThan(10_000);
    expect(p.record.foreignRequests).toEqual([]);
    expect(p.record.pageErrors).toEqual([]);
    // everything above ran under the production CSP (no eval, no foreign origin)
    expect(p.record.cspViolations).toEqual([]);
    expect(cspReports(h.server)).toEqual([]);
  }, 300_000);

  it("underground=1 and select=<layer>:<id> at 1920×1080: starts underground with the pipe selected and its tubes drawn", async () => {
    await p.close();
    p = await h.open(`?quality=low&layers=landuse,pipes-gas&underground=1&select=pipes-gas:${pipe.id}`, {
      viewport: { width: 1920, height: 1080 },
    });
    const page = p.page;
    await waitForReady(page, 420_000, p.record);
    await expect
      .poll(
        () =>
          wc(page)
            .call<{ featureId: string } | undefined>("selection")
            .then((s) => s?.featureId),
        { timeout: 60_000 },
      )
      .toBe(pipe.id);
    expect((await wc(page).call<{ on: boolean }>("underground")).on).toBe(true);
    await whenIdle(page);
    await wc(page).call("flyTo", { lonDeg: pipeLon + 0.0008, latDeg: pipeLatMid - 0.0012, heightM: -12, headingDeg: -20, pitchDeg: 8 }, 0);
    await whenIdle(page);
    expect((await wc(page).call<{ heightM: number }>("camera")).heightM).toBeLessThan(0);
    await screenshot(page, "inspector-underground-1920");
    expect(p.record.pageErrors).toEqual([]);
  }, 400_000);
});
