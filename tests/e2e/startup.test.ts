// Browser tests of what the real app reads before it is ready (issue 7, "bytes transferred for
// the default view"). The scene draws the ground, greenery and buildings from baked 3D Tiles;
// the GeoJSON behind them (buildings.geojson 12 MB, green.geojson 8 MB, the pipe networks …)
// is for the panels: the cockpit's KPIs, search, filters, export. None of it may be fetched
// before `window.warmcity.ready`, yet the KPI cards must fill from it afterwards, and a share
// link's filter must not start a second cockpit worker that reads the same files again.
//
// Ordering, not timing: a request counts as "before ready" when node heard of it before the
// page's own `warmcity:ready` mark (node hears of a request after the browser made it, so a
// request made after ready can never be counted before it).
import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeBrowser, screenshot, startHarness, waitForReady, type Harness } from "./harness";

interface LayerJson {
  id: string;
  kind: string;
  url: string;
  tiles?: string;
}
const catalog = JSON.parse(readFileSync("data/catalog.json", "utf8")) as { layers: LayerJson[] };
const views = JSON.parse(readFileSync("data/views.json", "utf8")) as {
  defaultView: string;
  views: Array<{ id: string; layers: string[]; kpis: string[] }>;
};
const overview = views.views.find((v) => v.id === views.defaultView)!;
/** The GeoJSON files the default view draws as GeoJSON (layers without baked tiles). */
const drawnGeoJson = new Set(
  catalog.layers
    .filter((l) => overview.layers.includes(l.id) && l.kind !== "3dtiles" && !l.tiles && l.url.endsWith(".geojson"))
    .map((l) => l.url.replace(/.*\//, "")),
);
const buildingCount = (JSON.parse(readFileSync("public/generated/city/buildings.geojson", "utf8")) as { features: unknown[] }).features
  .length;
const compounds = (
  JSON.parse(readFileSync("public/generated/city/compounds.geojson", "utf8")) as {
    features: Array<{ properties: Record<string, unknown> }>;
  }
).features;
const renovatedIn = (min: number, max: number) =>
  compounds.filter((c) => {
    const y = c.properties.renovationYear;
    return typeof y === "number" && y >= min && y <= max;
  }).length;

type Api = {
  warmcity?: {
    ready: boolean;
    whenKpis(): Promise<void>;
    kpis(): Record<string, { value: number; missing?: string }>;
    layers(): Array<{ id: string; status: string; featureCount: number }>;
  };
  __workers?: string[];
};

/** Counts the page's `new Worker(…)` by script URL (the cockpit worker is one of them). */
const COUNT_WORKERS = `(() => {
  const W = window.Worker;
  window.__workers = [];
  window.Worker = class extends W {
    constructor(url, opts) {
      super(url, opts);
      window.__workers.push(String(url));
    }
  };
})();`;

async function openRecorded(h: Harness, query: string) {
  const requests: Array<{ url: string; at: number }> = [];
  const p = await h.open(query, {
    beforeGoto: async (page) => {
      page.context().on("request", (r) => requests.push({ url: r.url(), at: Date.now() }));
      await page.addInitScript(COUNT_WORKERS);
    },
  });
  return { ...p, requests };
}

const file = (u: string) => new URL(u).pathname.replace(/.*\//, "");
const readyEpoch = (page: Page) =>
  page.evaluate(() => performance.timeOrigin + performance.getEntriesByName("warmcity:ready")[0].startTime);
const cockpitWorkers = async (page: Page) =>
  (await page.evaluate(() => (window as unknown as Api).__workers ?? [])).filter((u) => /cockpit\.worker/.test(u)).length;

describeBrowser("start-up reads", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it("the default view fetches no GeoJSON it does not draw before ready; KPI cards say loading, then fill from the data", async () => {
    expect(drawnGeoJson.size).toBeLessThan(3); // the test is about the undrawn sources: most layers are tiles
    const p = await openRecorded(h, "?quality=low");
    try {
      const page = p.page;
      // Before ready, a KPI card says it is loading (never a 0).
      const card = page.getByTestId(`kpi-${overview.kpis[0]}`);
      await card.waitFor({ timeout: 120_000 });
      const early = await page.evaluate((id) => {
        const el = document.querySelector(`[data-testid="kpi-${id}"]`);
        return {
          ready: (window as unknown as Api).warmcity?.ready === true,
          status: el?.getAttribute("data-status"),
          text: el?.textContent,
        };
      }, overview.kpis[0]);
      expect(early.ready, "the KPI cards were not shown before ready").toBe(false);
      expect(early.status).toBe("loading");
      expect(early.text).toContain("加载中");
      expect(early.text).not.toMatch(/\d/);
      await screenshot(page, "startup-kpis-loading");

      await waitForReady(page, 240_000, p.record);
      const ready = await readyEpoch(page);
      const before = p.requests.filter((r) => r.at < ready).map((r) => file(r.url));
      const geoBefore = before.filter((f) => f.endsWith(".geojson"));
      // It did load what it draws (districts), so the record is not empty by accident.
      for (const f of drawnGeoJson) expect(geoBefore, `${f} is drawn and must be read`).toContain(f);
      expect(
        geoBefore.filter((f) => !drawnGeoJson.has(f)),
        "GeoJSON the default view does not draw, fetched before ready",
      ).toEqual([]);
      // Layer rows of tile-backed layers still show their feature counts (stated by the baker).
      const layers = await page.evaluate(() => (window as unknown as Api).warmcity!.layers());
      expect(layers.find((l) => l.id === "buildings")?.featureCount).toBe(buildingCount);
      await expect.poll(() => page.getByTestId("layer-row-buildings").innerText()).toContain(buildingCount.toLocaleString("zh-CN"));

      // After ready the cockpit reads the sources and every card of the view fills from them.
      await page.evaluate(() => (window as unknown as Api).warmcity!.whenKpis());
      const kpis = await page.evaluate(() => (window as unknown as Api).warmcity!.kpis());
      for (const id of overview.kpis) {
        const c = page.getByTestId(`kpi-${id}`);
        await expect.poll(() => c.getAttribute("data-status"), { message: id }).toBe("ready");
        expect(kpis[id].missing, id).toBeUndefined();
        expect(kpis[id].value, id).toBeGreaterThan(0);
        expect(await c.locator(".num").innerText(), id).toMatch(/\d/);
      }
      expect(Number((await page.getByTestId("kpi-old-compounds-renovated").locator(".num").innerText()).replace(/\D/g, ""))).toBe(
        renovatedIn(-Infinity, Infinity),
      );
      await screenshot(page, "startup-kpis-filled");
      // One cockpit run, and no GeoJSON read twice (the worker and the main thread both parsing it).
      expect(await cockpitWorkers(page)).toBe(1);
      const geo = p.requests.map((r) => file(r.url)).filter((f) => f.endsWith(".geojson"));
      expect(geo.filter((f, i) => geo.indexOf(f) !== i)).toEqual([]);
      expect(geo).toContain("buildings.geojson");
    } finally {
      await p.close();
    }
  }, 480_000);

  it("a share link's filter: its counts wait for ready, and the one cockpit run also answers the filtered figures", async () => {
    const expected = renovatedIn(2015, 2019);
    expect(expected).toBeGreaterThan(0);
    const p = await openRecorded(h, "?quality=low&filter=compounds:renovationYear:2015..2019");
    try {
      const page = p.page;
      await waitForReady(page, 240_000, p.record);
      const ready = await readyEpoch(page);
      expect(p.requests.filter((r) => r.at < ready && file(r.url) === "compounds.geojson")).toEqual([]);
      const filtered = page.getByTestId("kpi-filtered-old-compounds-renovated");
      await expect.poll(() => filtered.getAttribute("data-status"), { timeout: 240_000 }).toBe("ready");
      expect(Number(await filtered.getAttribute("data-value"))).toBe(expected);
      expect(await cockpitWorkers(page)).toBe(1);
    } finally {
      await p.close();
    }
  }, 480_000);
});
