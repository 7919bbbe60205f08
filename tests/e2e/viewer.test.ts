// Browser tests of the built viewer (dist/) in Debian's Chromium on SwiftShader, through the
// automation contract: URL parameters, window.warmcity, and the layer panel's data-testids.
//
// Page loads are the expensive part here (Cesium + software WebGL), so each load is shared by
// several checks, in order: the default load → the URL parameter loads → the broken-file load.
// Screenshots for humans land in test-results/screenshots/ (default.png, default-en.png, …).

import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DIST_DIR,
  REPO_ROOT,
  api,
  describeBrowser,
  diagnose,
  diffFraction,
  pixelStats,
  sceneScreenshot,
  screenshot,
  startHarness,
  waitForReady,
  whenIdle,
  type CameraState,
  type ConsoleEntry,
  type Harness,
  type LayerState,
  type OpenedPage,
  type PageRecord,
  type WarmCityApi,
} from "./harness";

// ---------------------------------------------------------------------------------------------
// The catalog as built (what the app fetches), read here so the tests follow the data.
// ---------------------------------------------------------------------------------------------

interface CatalogLayer {
  id: string;
  title: { zh: string; en: string };
  kind: string;
  url: string;
  /** Baked ground tileset the scene draws instead of the GeoJSON. */
  tiles?: string;
  visible: boolean;
}

function readCatalog(): CatalogLayer[] {
  const built = join(DIST_DIR, "data", "catalog.json");
  const file = existsSync(built) ? built : join(REPO_ROOT, "data", "catalog.json");
  const raw = JSON.parse(readFileSync(file, "utf8")) as { layers: CatalogLayer[] };
  if (!Array.isArray(raw.layers) || raw.layers.length < 3) throw new Error(`${file}: expected a catalog with layers`);
  return raw.layers;
}

/**
 * The layers a plain load shows: the default themed view's layers when there is a views
 * manifest (data/views.json, "defaultView"), else the catalog's `visible` flags.
 */
function readDefaultVisible(catalog: CatalogLayer[]): string[] {
  const built = join(DIST_DIR, "data", "views.json");
  const file = existsSync(built) ? built : join(REPO_ROOT, "data", "views.json");
  if (existsSync(file)) {
    const raw = JSON.parse(readFileSync(file, "utf8")) as { defaultView?: string; views?: Array<{ id: string; layers?: string[] }> };
    const view = raw.views?.find((v) => v.id === raw.defaultView);
    if (view?.layers) return [...view.layers].sort();
  }
  return catalog
    .filter((l) => l.visible)
    .map((l) => l.id)
    .sort();
}

// ---------------------------------------------------------------------------------------------
// Console messages that are not the app's fault. Each entry says why; keep this list short.
// ---------------------------------------------------------------------------------------------

const BENIGN_CONSOLE_ERRORS: Array<{ re: RegExp; why: string }> = [];

function unexpectedConsoleErrors(entries: ConsoleEntry[]): ConsoleEntry[] {
  return entries.filter((e) => !BENIGN_CONSOLE_ERRORS.some((b) => b.re.test(e.text)));
}

function expectClean(record: PageRecord, what: string): void {
  expect(record.foreignRequests, `${what}: requests to hosts other than the test server`).toEqual([]);
  expect(record.pageErrors, `${what}: uncaught page errors`).toEqual([]);
  expect(unexpectedConsoleErrors(record.consoleErrors), `${what}: console errors`).toEqual([]);
  expect(record.failedResponses, `${what}: HTTP errors from the app's own files`).toEqual([]);
  // ERR_ABORTED is the page cancelling its own request (Cesium drops tile requests that left
  // the view; a fetch superseded by a newer one is aborted): not a failure of the server.
  expect(
    record.failedRequests.filter((f) => f.failure !== "net::ERR_ABORTED"),
    `${what}: requests that failed`,
  ).toEqual([]);
}

// ---------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------

const HAN = /\p{Script=Han}/u;

/** Size of a layer's file in the build (smallest first keeps the extra page loads quick). */
function builtSize(l: CatalogLayer): number {
  try {
    return statSync(join(DIST_DIR, l.url.replace(/^\.?\//, ""))).size;
  } catch {
    return Number.MAX_SAFE_INTEGER;
  }
}
const bySize = (a: CatalogLayer, b: CatalogLayer): number => builtSize(a) - builtSize(b);

const visibleIds = (layers: LayerState[]): string[] =>
  layers
    .filter((l) => l.visible)
    .map((l) => l.id)
    .sort();

function angleDiffDeg(a: number, b: number): number {
  return Math.abs(((((a - b) % 360) + 540) % 360) - 180);
}

/** Mismatches between two camera states (empty = the same within tolerance). */
function cameraMismatches(actual: CameraState | undefined, expected: CameraState, loose = false): string[] {
  if (!actual) return ["camera() returned nothing"];
  const out: string[] = [];
  const degTol = loose ? 1e-3 : 2e-4; // 2e-4° ≈ 20 m here
  const hTol = Math.max(loose ? 20 : 5, expected.heightM * (loose ? 0.02 : 0.005));
  const angTol = loose ? 1 : 0.5;
  if (Math.abs(actual.lonDeg - expected.lonDeg) > degTol) out.push(`lonDeg ${actual.lonDeg} vs ${expected.lonDeg}`);
  if (Math.abs(actual.latDeg - expected.latDeg) > degTol) out.push(`latDeg ${actual.latDeg} vs ${expected.latDeg}`);
  if (Math.abs(actual.heightM - expected.heightM) > hTol) out.push(`heightM ${actual.heightM} vs ${expected.heightM}`);
  if (angleDiffDeg(actual.headingDeg, expected.headingDeg) > angTol) out.push(`headingDeg ${actual.headingDeg} vs ${expected.headingDeg}`);
  if (Math.abs(actual.pitchDeg - expected.pitchDeg) > angTol) out.push(`pitchDeg ${actual.pitchDeg} vs ${expected.pitchDeg}`);
  return out;
}

async function visibleNoticeTexts(page: Page): Promise<string[]> {
  const notices = page.locator('[data-testid="notice"]');
  const texts: string[] = [];
  for (let i = 0; i < (await notices.count()); i++) {
    const n = notices.nth(i);
    if (await n.isVisible()) texts.push((await n.innerText()).trim());
  }
  return texts;
}

async function waitForLayers(page: Page, predicate: string, arg: unknown, timeoutMs = 60_000): Promise<void> {
  // predicate: body of (layers, arg) => boolean, evaluated in the page.
  try {
    await page.waitForFunction(
      ({ body, a }) => {
        const w = (window as unknown as { warmcity?: WarmCityApi }).warmcity;
        if (!w) return false;
        return new Function("layers", "arg", body)(w.layers(), a) as boolean;
      },
      { body: predicate, a: arg },
      { timeout: timeoutMs, polling: 200 },
    );
  } catch (e) {
    throw new Error(
      `layers() never satisfied: ${predicate} (${JSON.stringify(arg)}): ${(e as Error).message.split("\n")[0]}\n${await diagnose(page)}`,
      { cause: e },
    );
  }
}

const timings: Record<string, number> = {};
async function openAndWait(h: Harness, name: string, query: string, beforeGoto?: (p: Page) => Promise<void>): Promise<OpenedPage> {
  const t0 = Date.now();
  const opened = await h.open(query, { beforeGoto });
  timings[`${name}: load event`] = Date.now() - t0;
  await waitForReady(opened.page, 200_000, opened.record);
  timings[`${name}: warmcity.ready`] = Date.now() - t0;
  return opened;
}

// ---------------------------------------------------------------------------------------------

describeBrowser("viewer (built app in dist/, Chromium + SwiftShader)", () => {
  let h: Harness;
  let catalog: CatalogLayer[];
  let defaultVisible: string[];
  /** The camera after a plain load: the home view every bad ?camera= must fall back to. */
  let homeCamera: CameraState | undefined;

  beforeAll(async () => {
    catalog = readCatalog();
    defaultVisible = readDefaultVisible(catalog);
    h = await startHarness();
  });

  afterAll(async () => {
    await h?.close();
    console.log(
      "[e2e] timings (ms):\n" +
        Object.entries(timings)
          .map(([k, v]) => `  ${k}: ${v}`)
          .join("\n"),
    );
  });

  const byId = (id: string): CatalogLayer => {
    const l = catalog.find((c) => c.id === id);
    if (!l) throw new Error(`no layer ${id} in the catalog`);
    return l;
  };

  // -------------------------------------------------------------------------------------------
  describe("default load", () => {
    let p: OpenedPage;
    let page: Page;
    let homeShot: Buffer;

    beforeAll(async () => {
      p = await openAndWait(h, "default", "");
      page = p.page;
      homeCamera = await api.camera(page);
    });
    afterAll(async () => {
      await p?.close();
    });

    it("loads offline (no request to another host) with no console or page errors, every layer ready", async () => {
      expectClean(p.record, "default load");
      expect(p.record.requests.length).toBeGreaterThan(5);
      const layers = await api.layers(page);
      expect(layers.map((l) => l.id).sort()).toEqual(catalog.map((l) => l.id).sort());
      expect(visibleIds(layers)).toEqual(defaultVisible);
      for (const l of layers.filter((x) => x.visible)) {
        expect(l.status, `layer ${l.id}: ${l.error ?? ""}`).toBe("ready");
        expect(l.featureCount, `layer ${l.id} feature count`).toBeGreaterThan(0);
      }
      expect(await api.errors(page)).toEqual([]);
      expect(await page.locator('[data-testid="error-screen"]').count()).toBe(0);
      expect(await visibleNoticeTexts(page), "a plain load shows no notice").toEqual([]);
      expect(homeCamera, "camera() after load").toBeDefined();
    });

    it("renders the city: the scene is not blank; Chinese labels by default; default.png saved", async () => {
      homeShot = await sceneScreenshot(page, "default-scene");
      const stats = pixelStats(homeShot);
      console.log(
        "[e2e] default scene pixel stats",
        JSON.stringify({ mean: stats.mean, variance: stats.variance, colours: stats.distinctColors }),
      );
      expect(stats.meanVariance, "scene pixel variance (a blank canvas is ~0)").toBeGreaterThan(150);
      expect(stats.distinctColors, "distinct colours in the scene").toBeGreaterThan(64);
      // The centre of the scene is where the city is: it must not be one flat colour either.
      const centre = {
        x: stats.width * 0.3,
        y: stats.height * 0.3,
        width: stats.width * 0.4,
        height: stats.height * 0.4,
      };
      expect(pixelStats(homeShot, centre).meanVariance, "centre of the scene").toBeGreaterThan(50);

      const full = await screenshot(page, "default");
      expect(pixelStats(full).meanVariance).toBeGreaterThan(150);

      for (const l of catalog.slice(0, 5)) {
        const row = page.locator(`[data-testid="layer-row-${l.id}"]`);
        await expect.poll(() => row.innerText()).toContain(l.title.zh);
      }
      const titles = (await api.layers(page)).map((l) => l.title);
      expect(
        titles.every((t) => HAN.test(t)),
        `layer titles in Chinese: ${titles.join(", ")}`,
      ).toBe(true);
    });

    it("toggling a layer in the panel changes layers() and the pixels, and toggling back restores them", async () => {
      // A layer that covers many pixels, so the change is unmistakable; it must have loaded.
      const ready = (await api.layers(page)).filter((l) => l.visible && l.status === "ready").map((l) => l.id);
      const prefer = ["buildings", "landuse", "water", "parks", "roads"];
      const id = prefer.find((x) => ready.includes(x)) ?? ready[0];
      expect(id, "a visible, loaded layer to toggle").toBeDefined();
      const toggle = page.locator(`[data-testid="layer-toggle-${id}"]`);
      await expect.poll(() => toggle.isChecked()).toBe(true);

      await toggle.click();
      await waitForLayers(page, "return layers.find(l => l.id === arg).visible === false", id);
      expect(await toggle.isChecked()).toBe(false);
      await whenIdle(page);
      const hidden = await sceneScreenshot(page, `toggle-${id}-off`);
      const changed = diffFraction(homeShot, hidden);
      console.log(`[e2e] hiding ${id} changed ${(changed * 100).toFixed(2)} % of the scene's pixels`);
      expect(changed, `fraction of scene pixels changed by hiding ${id}`).toBeGreaterThan(0.005);

      await toggle.click();
      await waitForLayers(page, "const l = layers.find(l => l.id === arg); return l.visible && l.status === 'ready'", id);
      expect(await toggle.isChecked()).toBe(true);
      await whenIdle(page);
      const restored = await sceneScreenshot(page, `toggle-${id}-on`);
      const back = diffFraction(homeShot, restored);
      console.log(`[e2e] showing ${id} again leaves ${(back * 100).toFixed(2)} % of pixels different from before`);
      expect(back, "showing the layer again brings the scene back").toBeLessThan(changed / 2);
    });

    it("warmcity.setLayerVisible(id, false) hides a layer and the panel follows", async () => {
      const startVisible = visibleIds(await api.layers(page));
      const id = ["roads", "water", "parks"].find((x) => startVisible.includes(x)) ?? startVisible[1];
      const before = await sceneScreenshot(page, `api-${id}-on`);
      await page.evaluate((x) => (window as unknown as { warmcity: WarmCityApi }).warmcity.setLayerVisible(x, false), id);
      await waitForLayers(page, "return layers.find(l => l.id === arg).visible === false", id);
      await expect.poll(() => page.locator(`[data-testid="layer-toggle-${id}"]`).isChecked()).toBe(false);
      await whenIdle(page);
      const after = await sceneScreenshot(page, `api-${id}-off`);
      expect(diffFraction(before, after), `pixels changed by hiding ${id}`).toBeGreaterThan(0.001);

      await page.evaluate((x) => (window as unknown as { warmcity: WarmCityApi }).warmcity.setLayerVisible(x, true), id);
      await waitForLayers(page, "const l = layers.find(l => l.id === arg); return l.visible && l.status === 'ready'", id);
      await expect.poll(() => page.locator(`[data-testid="layer-toggle-${id}"]`).isChecked()).toBe(true);
      expect(visibleIds(await api.layers(page))).toEqual(startVisible);
    });

    it("the language switch shows English labels (default-en.png saved)", async () => {
      await page.locator('[data-testid="lang-switch"]').click();
      const sample = catalog.slice(0, 5);
      for (const l of sample) {
        const row = page.locator(`[data-testid="layer-row-${l.id}"]`);
        await expect.poll(() => row.innerText()).toContain(l.title.en);
        expect(await row.innerText()).not.toContain(l.title.zh);
      }
      const layers = await api.layers(page);
      for (const l of layers) expect(l.title, `${l.id} title in English`).toBe(byId(l.id).title.en);
      await whenIdle(page);
      await screenshot(page, "default-en");
    });

    it("warmcity.flyTo() moves the camera to the target; camera() reports it after the flight", async () => {
      const target: CameraState = { lonDeg: 109.781, latDeg: 39.588, heightM: 1600, headingDeg: 25, pitchDeg: -40 };
      const t0 = Date.now();
      await page.evaluate((c) => (window as unknown as { warmcity: WarmCityApi }).warmcity.flyTo(c), target);
      timings["flyTo (incl. next frame)"] = Date.now() - t0;
      const cam = await api.camera(page);
      expect(cameraMismatches(cam, target), `camera after flyTo: ${JSON.stringify(cam)}`).toEqual([]);
      await whenIdle(page);
      const there = await sceneScreenshot(page, "flyto");
      expect(diffFraction(homeShot, there), "the view changed").toBeGreaterThan(0.05);
      expect(pixelStats(there).meanVariance).toBeGreaterThan(100);
    });

    it("stayed offline and error-free for the whole session", () => {
      expectClean(p.record, "default session (after toggles, language switch and flight)");
    });
  });

  // -------------------------------------------------------------------------------------------
  describe("URL parameters", () => {
    it("?layers=a,b&lang=en shows exactly that visible set, in English, with no notice", async () => {
      // One layer hidden by default and one shown by default, so both directions are tested.
      const shown = (l: CatalogLayer) => defaultVisible.includes(l.id);
      const vector = [...catalog].filter((l) => l.kind !== "3dtiles").sort(bySize);
      const hiddenByDefault = vector.find((l) => !shown(l)) ?? catalog[0];
      const shownByDefault = vector.find((l) => shown(l) && l.kind === "polygon" && l.id !== hiddenByDefault.id) ?? catalog[1];
      const want = [hiddenByDefault.id, shownByDefault.id].sort();
      const p = await openAndWait(h, "?layers=a,b&lang=en", `?layers=${want.join(",")}&lang=en`);
      try {
        const layers = await api.layers(p.page);
        expect(visibleIds(layers)).toEqual(want);
        for (const id of want) expect(layers.find((l) => l.id === id)?.status, id).toBe("ready");
        for (const l of catalog) {
          const text = await p.page.locator(`[data-testid="layer-row-${l.id}"]`).innerText();
          expect(text, `row ${l.id}`).toContain(l.title.en);
          expect(text, `row ${l.id}`).not.toContain(l.title.zh);
          expect(await p.page.locator(`[data-testid="layer-toggle-${l.id}"]`).isChecked(), `toggle ${l.id}`).toBe(want.includes(l.id));
        }
        expect(await visibleNoticeTexts(p.page)).toEqual([]);
        expect(await api.errors(p.page)).toEqual([]);
        await screenshot(p.page, "layers-en");
        expectClean(p.record, "?layers&lang=en load");
      } finally {
        await p.close();
      }
    });

    it("bad values (camera=abc, unknown layers only, lang=xx, quality=ultra): notices name each parameter; defaults apply", async () => {
      const p = await openAndWait(h, "bad params #1", "?camera=abc&layers=no-such-layer&lang=xx&quality=ultra");
      try {
        const notices = await visibleNoticeTexts(p.page);
        console.log("[e2e] notices for bad params #1:", notices);
        for (const param of ["camera", "layers", "lang", "quality"])
          expect(
            notices.some((t) => t.includes(param)),
            `a visible notice names "${param}": ${JSON.stringify(notices)}`,
          ).toBe(true);
        expect(homeCamera, "home camera from the default load").toBeDefined();
        const cam = await api.camera(p.page);
        expect(cameraMismatches(cam, homeCamera!, true), `camera with camera=abc: ${JSON.stringify(cam)}`).toEqual([]);
        const layers = await api.layers(p.page);
        // Only unknown ids: fall back to the default set rather than blanking the city.
        // (soft: the checks below still run and report if this one fails)
        expect.soft(visibleIds(layers), "visible layers when every id in layers= is unknown").toEqual(defaultVisible);
        // lang=xx falls back to Chinese.
        for (const l of catalog.slice(0, 3))
          expect(await p.page.locator(`[data-testid="layer-row-${l.id}"]`).innerText()).toContain(l.title.zh);
        expect(await p.page.locator('[data-testid="error-screen"]').count()).toBe(0);
        expect(p.record.pageErrors).toEqual([]);
        expect(p.record.foreignRequests).toEqual([]);
        await screenshot(p.page, "bad-params");
      } finally {
        await p.close();
      }
    });

    it("bad values (camera out of range, some unknown layer ids): notices; home camera; the known ids apply", async () => {
      const known = catalog
        .filter((l) => defaultVisible.includes(l.id) && l.kind !== "3dtiles")
        .sort(bySize)
        .slice(0, 2)
        .map((l) => l.id)
        .sort();
      const p = await openAndWait(h, "bad params #2", `?camera=999,99,1,1,1&layers=${known.join(",")},nope-xyz`);
      try {
        const notices = await visibleNoticeTexts(p.page);
        console.log("[e2e] notices for bad params #2:", notices);
        for (const param of ["camera", "layers"])
          expect(
            notices.some((t) => t.includes(param)),
            `a visible notice names "${param}": ${JSON.stringify(notices)}`,
          ).toBe(true);
        expect(
          notices.some((t) => t.includes("nope-xyz")),
          "the notice names the unknown id",
        ).toBe(true);
        const cam = await api.camera(p.page);
        expect(cameraMismatches(cam, homeCamera!, true), `camera with camera=999,99,…: ${JSON.stringify(cam)}`).toEqual([]);
        expect(visibleIds(await api.layers(p.page))).toEqual(known);
        expect(p.record.pageErrors).toEqual([]);
        expect(p.record.foreignRequests).toEqual([]);
      } finally {
        await p.close();
      }
    });
  });

  // -------------------------------------------------------------------------------------------
  describe("broken layer files", () => {
    it("a missing (404) or invalid (not JSON) layer file shows an error row; the rest of the city loads", async () => {
      // Layers the scene draws from their GeoJSON (baked ground layers are drawn from tiles:
      // their broken tileset is the third case below).
      const vector = catalog.filter((l) => l.kind !== "3dtiles" && !l.tiles);
      const missing = vector.find((l) => l.id === "districts") ?? vector[0];
      const invalid = vector.find((l) => l.id === "pipes-gas" && l.id !== missing.id) ?? vector.find((l) => l.id !== missing.id)!;
      const tiles = catalog.find((l) => l.kind === "3dtiles");
      // A ground tileset the default view does not use, so the default ground stays healthy.
      const ground = catalog.find((l) => l.tiles && !defaultVisible.includes(l.id));
      const healthy = catalog
        .filter(
          (l) =>
            defaultVisible.includes(l.id) &&
            l.kind !== "3dtiles" &&
            l.id !== missing.id &&
            l.id !== invalid.id &&
            (!l.tiles || l.tiles !== ground?.tiles),
        )
        .sort(bySize)
        .slice(0, 3);
      const broken = [missing, invalid, ...(tiles ? [tiles] : []), ...(ground ? [ground] : [])];
      const shown = [...broken, ...healthy].map((l) => l.id);
      const glob = (u: string) => `**/${u.replace(/^\.?\//, "")}*`;

      const p = await openAndWait(h, "broken files", `?layers=${shown.join(",")}`, async (page) => {
        await page.route(glob(missing.url), (r) => r.fulfill({ status: 404, contentType: "text/plain", body: "not found" }));
        await page.route(glob(invalid.url), (r) => r.fulfill({ status: 200, contentType: "application/json", body: "{not json" }));
        // A missing 3D Tiles tileset is a different code path (Cesium3DTileset.fromUrl).
        if (tiles) await page.route(glob(tiles.url), (r) => r.fulfill({ status: 404, contentType: "text/plain", body: "not found" }));
        // A missing ground tileset: every layer baked into it shows the error.
        if (ground?.tiles)
          await page.route(glob(ground.tiles), (r) => r.fulfill({ status: 404, contentType: "text/plain", body: "not found" }));
      });
      try {
        const page = p.page;
        const layers = await api.layers(page);
        for (const b of broken) {
          const row = page.locator(`[data-testid="layer-row-${b.id}"]`);
          expect(await row.getAttribute("data-status"), `row ${b.id} status`).toBe("error");
          expect(await row.isVisible(), `row ${b.id} visible`).toBe(true);
          const errorRow = page.locator(`[data-testid="layer-row-${b.id}"][data-status="error"]`);
          const text = (await errorRow.innerText()).replace(b.title.zh, "").trim();
          console.log(`[e2e] error row ${b.id}: ${JSON.stringify(text)}`);
          expect(text.replace(/\s+/g, "").length, `row ${b.id} gives a reason`).toBeGreaterThan(4);
          const l = layers.find((x) => x.id === b.id)!;
          expect(l.status).toBe("error");
          expect(l.error && l.error.length > 3, `layers()[${b.id}].error = ${l.error}`).toBe(true);
          expect(text, `the row shows layers().error of ${b.id}`).toContain(l.error!.slice(0, 20));
        }
        for (const ok of healthy) expect(layers.find((x) => x.id === ok.id)?.status, `${ok.id} still loads`).toBe("ready");
        const errors = await api.errors(page);
        for (const b of broken)
          expect(
            errors.some((e) => e.includes(b.id)),
            `errors() mentions ${b.id}: ${JSON.stringify(errors)}`,
          ).toBe(true);
        expect(await page.locator('[data-testid="error-screen"]').count()).toBe(0);
        expect(p.record.pageErrors, "a bad file must not throw out of the app").toEqual([]);
        expect(p.record.foreignRequests).toEqual([]);
        const stats = pixelStats(await sceneScreenshot(page, "broken-files-scene"));
        expect(stats.meanVariance, "the healthy layers still render").toBeGreaterThan(100);
        await screenshot(page, "broken-files");
      } finally {
        await p.close();
      }
    });
  });
});
