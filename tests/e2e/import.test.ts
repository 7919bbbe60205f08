// Bring your own data, in real Chromium: a GBK CSV of charging piles dropped on the window
// becomes a "我的数据" layer; "用作 公共充电桩" swaps it in and the cockpit's KPI becomes the
// count in the file (and says it comes from imported data); switching back restores the demo;
// bad files give a message naming the file while every other layer stays as it was; imports
// and the swap survive a reload (IndexedDB); removing restores the demo; footprints with
// building:levels come in extruded; a running import can be cancelled; the bundle exported through
// the panel (imported layer + settings + views, a zip) opens with catalog=<zip URL> in a fresh page.
import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { gbkEncoder } from "../../scripts/import/shapefileWriter";
import { describeBrowser, screenshot, startHarness, waitForReady, type Harness, type OpenedPage } from "./harness";

type Api = {
  warmcity: {
    layers(): Array<{ id: string; group: string; visible: boolean; status: string; featureCount: number; kind: string }>;
    kpis(): Record<string, { value: number; missing?: string }>;
    whenKpis(): Promise<void>;
    whenIdle(): Promise<void>;
    errors(): string[];
    setView(id: string): boolean;
    flyTo(c: object, s?: number): Promise<void>;
    addData(i: { name: string; text?: string; bytes?: Uint8Array; crs?: string }): Promise<string>;
    removeData(id: string): boolean;
    useAs(id: string, role: string): void;
    useDemo(role: string): void;
    imports(): Record<string, { name: string; format: string; crs: string; featureCount: number; role?: string }>;
    exportBundle(): Promise<Uint8Array>;
  };
};
/** The bundle the first test exports through the panel; the catalog= test opens it in a fresh page. */
let bundleZip: Buffer | undefined;
const w = (page: Page) => ({
  layers: () => page.evaluate(() => (window as unknown as Api).warmcity.layers()),
  kpi: async (id: string) => {
    await page.evaluate(() => (window as unknown as Api).warmcity.whenKpis());
    return page.evaluate((k) => (window as unknown as Api).warmcity.kpis()[k], id);
  },
  imports: () => page.evaluate(() => (window as unknown as Api).warmcity.imports()),
});

// Seven charging piles around Genghis Khan Square, as Excel on Chinese Windows saves a CSV (GBK).
const PILES_CSV =
  "名称,经度,纬度,状态\n" +
  [
    ["成吉思汗广场东", 109.7862, 39.6041, "空闲"],
    ["成吉思汗广场西", 109.7831, 39.6039, "充电中"],
    ["博物馆停车场", 109.7781, 39.6002, "空闲"],
    ["乌兰木伦湖北", 109.7905, 39.5921, "故障"],
    ["康巴什区政府", 109.7855, 39.6132, "空闲"],
    ["图书馆", 109.7802, 39.6011, "充电中"],
    ["大剧院", 109.7818, 39.6008, "空闲"],
  ]
    .map((r) => r.join(","))
    .join("\n");

/** Drops files on the window the way a browser does (a DataTransfer with File objects). */
async function dropFile(page: Page, name: string, bytes: Uint8Array) {
  await page.evaluate(
    ({ name, data }) => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array(data)], name));
      for (const type of ["dragenter", "dragover", "drop"])
        window.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
    },
    { name, data: Array.from(bytes) },
  );
}

async function waitLayer(page: Page, id: string) {
  await expect
    .poll(async () => (await w(page).layers()).find((l) => l.id === id)?.status, { timeout: 120_000, interval: 500 })
    .toMatch(/ready|error/);
  return (await w(page).layers()).find((l) => l.id === id)!;
}

describeBrowser("bring your own data", () => {
  let h: Harness;
  let p: OpenedPage;
  // Generous: on a shared 2-core box other suites' browsers can make the first frame slow.
  beforeAll(async () => {
    h = await startHarness();
    p = await h.open("?quality=low");
    await waitForReady(p.page, 400_000);
  }, 420_000);
  afterAll(async () => {
    await p?.close();
    await h?.close();
  });

  it("a dropped GBK CSV of charging piles becomes a 我的数据 layer; 用作 公共充电桩 makes the KPI its count", async () => {
    const page = p.page;
    expect((await w(page).kpi("charging-piles")).value).toBe(3228);
    expect(await page.locator('[data-testid="city-title"]').textContent()).toBe("暖城孪生 · 鄂尔多斯城市信息模型沙盘");
    await dropFile(page, "充电桩.csv", gbkEncoder()(PILES_CSV));
    const layer = await waitLayer(page, "my-1");
    expect(layer).toMatchObject({ status: "ready", featureCount: 7, group: "mydata", kind: "point", visible: true });
    expect((await w(page).imports())["my-1"]).toMatchObject({ name: "充电桩.csv", format: "csv", crs: "EPSG:4326" });
    await expect.poll(() => page.locator('[data-testid="layer-group-mydata"]').textContent()).toContain("我的数据");
    await expect.poll(() => page.locator('[data-testid="import-panel"]').textContent()).toContain("GBK");

    // Swap it in through the panel, as a user would.
    await page.selectOption('[data-testid="import-role-my-1"]', "charging");
    expect((await w(page).kpi("charging-piles")).value).toBe(7);
    const layers = await w(page).layers();
    expect(layers.find((l) => l.id === "charging")!.visible).toBe(false);
    expect(layers.find((l) => l.id === "my-1")!.visible).toBe(true);
    await expect.poll(() => page.locator('[data-testid="kpi-charging-piles"] [data-testid="kpi-imported"]').count()).toBe(1);
    await expect.poll(() => page.locator('[data-testid="kpi-charging-piles"] .num').textContent()).toBe("7");
    // Other KPIs are still the demo's and are not marked.
    expect(await page.locator('[data-testid="kpi-imported"]').count()).toBeLessThanOrEqual(2);
    await page.evaluate(() =>
      (window as unknown as Api).warmcity.flyTo({ lonDeg: 109.784, latDeg: 39.585, heightM: 2600, headingDeg: 0, pitchDeg: -45 }, 0),
    );
    await page.evaluate(() => (window as unknown as Api).warmcity.whenIdle());
    await screenshot(page, "import-1280-swapped");

    // Switching views keeps the swap: the charging view shows the user's layer, not the demo.
    await page.evaluate(() => (window as unknown as Api).warmcity.setView("charging-parking"));
    const inView = await w(page).layers();
    expect(inView.find((l) => l.id === "charging")!.visible).toBe(false);
    expect(inView.find((l) => l.id === "my-1")!.visible).toBe(true);

    // Export the bundle (imported layer + settings + views) with the panel's button: a real download.
    const [dl] = await Promise.all([page.waitForEvent("download"), page.click('[data-testid="import-export"]')]);
    expect(dl.suggestedFilename()).toMatch(/^warmcity-bundle-\d{4}-\d\d-\d\d\.zip$/);
    bundleZip = readFileSync((await dl.path())!);
    expect(bundleZip.subarray(0, 4)).toEqual(Buffer.from([0x50, 0x4b, 3, 4]));
    const viaApi = await page.evaluate(async () => (await (window as unknown as Api).warmcity.exportBundle()).length);
    expect(Math.abs(viaApi - bundleZip.length)).toBeLessThan(64);

    // Back to the demo.
    await page.selectOption('[data-testid="import-role-my-1"]', "");
    expect((await w(page).kpi("charging-piles")).value).toBe(3228);
    expect((await w(page).layers()).find((l) => l.id === "charging")!.visible).toBe(true);
  });

  it("bad files: a message naming the file and the reason; every other layer untouched", async () => {
    const page = p.page;
    const before = (await w(page).layers()).map((l) => [l.id, l.visible, l.status]);
    const reasons = await page.evaluate(async () => {
      const api = (window as unknown as Api).warmcity;
      const out: string[] = [];
      const tries: Array<{ name: string; text?: string; bytes?: Uint8Array; crs?: string }> = [
        { name: "无坐标.csv", text: "名称,地址\n甲,康巴什\n" },
        {
          name: "越界.geojson",
          text: JSON.stringify({
            type: "FeatureCollection",
            features: [{ type: "Feature", properties: {}, geometry: { type: "Point", coordinates: [37395648, 4386266] } }],
          }),
        },
        { name: "坏的.zip", bytes: new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]) },
        {
          name: "空.kml",
          text: '<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document><Placemark><name>x</name></Placemark></Document></kml>',
        },
      ];
      for (const t of tries)
        try {
          await api.addData(t);
          out.push(`${t.name}: imported?!`);
        } catch (e) {
          out.push((e as Error).message);
        }
      return out;
    });
    expect(reasons[0]).toMatch(/^无坐标\.csv：找不到坐标列/);
    expect(reasons[1]).toMatch(/^越界\.geojson：.*高斯-克吕格 3°带.*带号 37/);
    expect(reasons[2]).toMatch(/^坏的\.zip：压缩包已损坏或不完整/);
    expect(reasons[3]).toMatch(/^空\.kml：KML 中没有带坐标的地标/);
    // Shown where the user looks: the panel and the notices.
    await expect.poll(() => page.locator('[data-testid="import-error"]').count()).toBeGreaterThanOrEqual(4);
    const errs = await page.evaluate(() => (window as unknown as Api).warmcity.errors());
    expect(errs.some((e) => e.includes("无坐标.csv"))).toBe(true);
    const after = (await w(page).layers()).map((l) => [l.id, l.visible, l.status]);
    expect(after).toEqual(before);
    await screenshot(page, "import-1280-errors");
    // English too.
    await page.click('[data-testid="lang-switch"]');
    const en = await page.evaluate(async () => {
      try {
        await (window as unknown as Api).warmcity.addData({ name: "nocoords.csv", text: "a,b\n1,2\n" });
        return "imported?!";
      } catch (e) {
        return (e as Error).message;
      }
    });
    expect(en).toMatch(/^nocoords\.csv: has no coordinate columns.*found: a, b/);
    await page.click('[data-testid="lang-switch"]');
  });

  // A reload is a second cold start of the whole city: give it the time a loaded CI box needs.
  it("imports and the swap survive a reload; removing the layer brings the demo back", { timeout: 420_000 }, async () => {
    const page = p.page;
    await page.evaluate(() => (window as unknown as Api).warmcity.useAs("my-1", "charging"));
    expect((await w(page).kpi("charging-piles")).value).toBe(7);
    await page.reload();
    await waitForReady(page, 380_000);
    await expect.poll(async () => (await w(page).imports())["my-1"]?.role, { timeout: 60_000 }).toBe("charging");
    expect((await waitLayer(page, "my-1")).featureCount).toBe(7);
    expect((await w(page).kpi("charging-piles")).value).toBe(7);
    expect(await page.evaluate(() => (window as unknown as Api).warmcity.removeData("my-1"))).toBe(true);
    expect((await w(page).kpi("charging-piles")).value).toBe(3228);
    // The charging view shows the demo piles again.
    await page.evaluate(() => (window as unknown as Api).warmcity.setView("charging-parking"));
    const layers = await w(page).layers();
    expect(layers.some((l) => l.id === "my-1")).toBe(false);
    expect(layers.find((l) => l.id === "charging")!.visible).toBe(true);
    expect(await w(page).imports()).toEqual({});
  });

  it("footprints with building:levels from the file picker come in extruded", async () => {
    const page = p.page;
    const sq = (x: number, y: number, d: number) => [
      [
        [x, y],
        [x + d, y],
        [x + d, y + d],
        [x, y + d],
        [x, y],
      ],
    ];
    const fc = {
      type: "FeatureCollection",
      features: Array.from({ length: 24 }, (_, i) => ({
        type: "Feature",
        properties: { name: `楼${i + 1}`, "building:levels": 3 + (i % 8) * 4, use: i % 3 ? "住宅" : "商业" },
        geometry: { type: "Polygon", coordinates: sq(109.781 + (i % 6) * 0.0012, 39.596 + Math.floor(i / 6) * 0.001, 0.0007) },
      })),
    };
    await page
      .locator('[data-testid="import-file"]')
      .setInputFiles({ name: "buildings.geojson", mimeType: "application/geo+json", buffer: Buffer.from(JSON.stringify(fc)) });
    await expect.poll(async () => Object.keys(await w(page).imports()).length, { timeout: 60_000 }).toBe(1);
    const id = Object.keys(await w(page).imports())[0];
    const layer = await waitLayer(page, id);
    expect(layer).toMatchObject({ status: "ready", featureCount: 24, kind: "polygon" });
    await page.selectOption(`[data-testid="import-style-${id}"]`, "use");
    await page.evaluate(() =>
      (window as unknown as Api).warmcity.flyTo({ lonDeg: 109.784, latDeg: 39.588, heightM: 900, headingDeg: 0, pitchDeg: -35 }, 0),
    );
    await page.evaluate(() => (window as unknown as Api).warmcity.whenIdle());
    await screenshot(page, "import-1280-buildings");
  });

  it("a running import can be cancelled", async () => {
    const page = p.page;
    const msg = await page.evaluate(async () => {
      const feats = Array.from({ length: 150_000 }, (_, i) => ({
        type: "Feature",
        properties: { i },
        geometry: { type: "Point", coordinates: [109.7 + (i % 1000) * 1e-4, 39.5 + Math.floor(i / 1000) * 1e-3] },
      }));
      const p = (window as unknown as Api).warmcity.addData({
        name: "big.geojson",
        text: JSON.stringify({ type: "FeatureCollection", features: feats }),
      });
      await new Promise((r) => setTimeout(r, 50));
      (document.querySelector('[data-testid="import-cancel"]') as HTMLButtonElement | null)?.click();
      try {
        await p;
        return "finished";
      } catch (e) {
        return (e as Error).message;
      }
    });
    expect(msg).toMatch(/big\.geojson.*(已取消导入|import cancelled)/);
    expect(Object.values(await w(page).imports()).some((m) => m.name === "big.geojson")).toBe(false);
  });

  it("looks right at 1920×1080", async () => {
    const page = p.page;
    // Same page, resized: a second cold start costs minutes on a software renderer.
    await page.setViewportSize({ width: 1920, height: 1080 });
    await dropFile(page, "充电桩.csv", gbkEncoder()(PILES_CSV));
    await expect
      .poll(async () => Object.values(await w(page).imports()).filter((m) => m.name === "充电桩.csv").length, { timeout: 60_000 })
      .toBe(1);
    const id = Object.entries(await w(page).imports()).find(([, m]) => m.name === "充电桩.csv")![0];
    await waitLayer(page, id);
    await page.selectOption(`[data-testid="import-style-${id}"]`, "状态");
    await page.evaluate(() =>
      (window as unknown as Api).warmcity.flyTo({ lonDeg: 109.784, latDeg: 39.588, heightM: 2600, headingDeg: 0, pitchDeg: -45 }, 0),
    );
    await page.evaluate(() => (window as unknown as Api).warmcity.whenIdle());
    await screenshot(page, "import-1920-panel");
    const box = await page.locator('[data-testid="import-panel"]').boundingBox();
    expect(box!.y + box!.height).toBeLessThanOrEqual(1080);
  });

  // A fresh page is a cold start (its waitForReady allows 300 s): the test's own timeout is above it.
  it("?catalog= loads another city's manifests, validated; a missing one says which file", { timeout: 400_000 }, async () => {
    const o = await h.open("?quality=low&catalog=samples/mini-city/");
    try {
      await waitForReady(o.page, 300_000);
      expect((await w(o.page).layers()).map((l) => l.id)).toEqual(["piles", "parks"]);
      expect((await w(o.page).kpi("charging-piles")).value).toBe(5);
      expect((await w(o.page).kpi("pocket-parks")).value).toBe(2);
      expect(await o.page.evaluate(() => (window as unknown as Api).warmcity.errors())).toEqual([]);
      // The title bar names the catalog's city (catalog.json `city`), not Ordos.
      expect(await o.page.locator('[data-testid="city-title"]').textContent()).toBe("暖城孪生 · 示例小城");
      expect(await o.page.title()).toBe("暖城孪生 Warm City Twin · 示例小城");
      await screenshot(o.page, "import-1280-catalog-param");
    } finally {
      await o.close();
    }
    const bad = await h.open("?catalog=samples/nowhere/");
    try {
      await bad.page.waitForSelector('[data-testid="error-screen"]', { timeout: 60_000 });
      expect(await bad.page.locator('[data-testid="error-screen"]').textContent()).toContain("samples/nowhere/catalog.json");
    } finally {
      await bad.close();
    }
  });
  // A fresh page is a cold start: generous for a loaded CI box (the bundle city itself is one layer).
  it("the bundle exported through the panel opens with catalog=<zip URL> in a fresh page", { timeout: 400_000 }, async () => {
    // The bundle exported in the first test, served as a zip URL and opened with catalog= in a
    // fresh page: the imported layer is the city's charging piles, and the KPI counts its 7.
    expect(bundleZip).toBeDefined();
    const b = await h.open("?quality=low&catalog=exports/my-bundle.zip", {
      beforeGoto: async (pg) => {
        await pg.route("**/exports/my-bundle.zip", (r) => r.fulfill({ body: bundleZip!, contentType: "application/zip" }));
      },
    });
    try {
      await waitForReady(b.page, 360_000);
      expect(await waitLayer(b.page, "my-1")).toMatchObject({ status: "ready", featureCount: 7, kind: "point", visible: true });
      expect((await w(b.page).layers()).map((l) => l.id)).toEqual(["my-1"]);
      expect((await w(b.page).kpi("charging-piles")).value).toBe(7);
      expect(await b.page.locator('[data-testid="city-title"]').textContent()).toBe("暖城孪生 · 我的数据");
      expect(await b.page.evaluate(() => (window as unknown as Api).warmcity.errors())).toEqual([]);
      await screenshot(b.page, "import-1280-bundle");
    } finally {
      await b.close();
    }
  });
});
