// The second-generation rendering core in real Chromium: the ground drawn from baked tiles (one
// row per layer, feature counts from the data), restyle in place (a view switch builds no
// geometry), picking a ground feature, the day palette, and a ground tile that fails to decode
// (an error on its layers' rows, the rest of the city drawn).

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import {
  DIST_DIR,
  api,
  decodePng,
  describeBrowser,
  diffFraction,
  pixelStats,
  sceneScreenshot,
  screenshot,
  startHarness,
  waitForReady,
  whenIdle,
  type Harness,
  type OpenedPage,
} from "./harness";

interface Stats {
  batchesBuilt: number;
  restyledInPlace: number;
}
type W = { warmcity: { setView(id: string): boolean; renderStats(): Stats; setLayerVisible(id: string, on: boolean): void } };

const catalog = JSON.parse(readFileSync(join(DIST_DIR, "data/catalog.json"), "utf8")) as {
  layers: Array<{ id: string; url: string; tiles?: string; visible: boolean }>;
};
const baked = catalog.layers.filter((l) => l.tiles);
const featuresIn = (url: string) => (JSON.parse(readFileSync(join(DIST_DIR, url), "utf8")) as { features: unknown[] }).features.length;

describeBrowser("rendering core: baked ground, restyle in place, tile errors", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  describeBrowser("the default view", () => {
    let p: OpenedPage;
    beforeAll(async () => {
      p = await h.open("?quality=low");
      await waitForReady(p.page, 240_000, p.record);
    }, 300_000);
    afterAll(async () => {
      await p?.close();
    });

    it("draws the ground from the baked tilesets: one ready row per layer with the GeoJSON's feature count", async () => {
      const layers = await api.layers(p.page);
      const shown = baked.filter((b) => layers.find((l) => l.id === b.id)?.visible);
      expect(shown.map((l) => l.id).sort()).toEqual(["greenways", "landuse", "parks", "roads", "water"]);
      for (const b of shown) {
        const l = layers.find((x) => x.id === b.id)!;
        expect(l.status, b.id).toBe("ready");
        expect(l.featureCount, b.id).toBe(featuresIn(b.url));
      }
      expect(p.record.requests.some((u) => /generated\/tiles\/ground\/tiles\/.+\.glb/.test(u))).toBe(true);
      const stats = pixelStats(await sceneScreenshot(p.page, "rendering-overview"));
      // The city, not a blank globe (the ground is flat and unlit: few distinct colours).
      expect(stats.distinctColors).toBeGreaterThan(60);
    });

    it("clicking the lake picks a water feature from the tiles and shows it in the inspector", async () => {
      // The home camera looks north over the lake, which fills the lower middle of the scene.
      await p.page.mouse.click(640, 590);
      await p.page.waitForSelector('[data-testid="inspector"]', { timeout: 30_000 });
      await whenIdle(p.page);
      const text = await p.page.locator('[data-testid="inspector"]').innerText();
      expect(text).toMatch(/水系|Water/);
      expect(text).toMatch(/water-/);
      await screenshot(p.page, "rendering-pick-water");
      const picked = await sceneScreenshot(p.page, "rendering-picked");
      // Closing the inspector drops the highlight.
      await p.page.locator('[data-testid="inspector"] button').first().click();
      await whenIdle(p.page);
      expect(diffFraction(picked, await sceneScreenshot(p.page, "rendering-unpicked"))).toBeGreaterThan(0.02);
    });

    it("hiding a ground layer changes the picture; showing it again restores it", async () => {
      await whenIdle(p.page);
      const before = await sceneScreenshot(p.page, "rendering-roads-on");
      await p.page.evaluate(() => (window as unknown as W).warmcity.setLayerVisible("roads", false));
      await whenIdle(p.page);
      const off = await sceneScreenshot(p.page, "rendering-roads-off");
      expect(diffFraction(before, off)).toBeGreaterThan(0.05);
      await p.page.evaluate(() => (window as unknown as W).warmcity.setLayerVisible("roads", true));
      await whenIdle(p.page);
      expect(diffFraction(before, await sceneScreenshot(p.page, "rendering-roads-on-again"))).toBeLessThan(0.01);
    });

    it("a view switch restyles in place: going back to a view builds no geometry at all", async () => {
      const setView = async (id: string) => {
        const ok = await p.page.evaluate((v) => (window as unknown as W).warmcity.setView(v), id);
        await p.page.waitForTimeout(2500); // the view's camera flight (1.5 s)
        return ok;
      };
      const stats = () => p.page.evaluate(() => (window as unknown as W).warmcity.renderStats());
      expect(await setView("gas")).toBe(true);
      await whenIdle(p.page);
      const gas = await sceneScreenshot(p.page, "rendering-gas-1");
      expect(await setView("overview")).toBe(true);
      await whenIdle(p.page);
      const s0 = await stats();
      expect(await setView("gas")).toBe(true);
      await whenIdle(p.page);
      const s1 = await stats();
      // Back in the gas view: the pipes are shown again and the buildings restyled, and
      // nothing was triangulated again.
      expect(s1.batchesBuilt).toBe(s0.batchesBuilt);
      expect(diffFraction(gas, await sceneScreenshot(p.page, "rendering-gas-2"))).toBeLessThan(0.01);
      // An opacity change on the pipes: attribute writes (in place), no new batch.
      await p.page.locator('[data-testid="layer-row-pipes-gas"] button[aria-expanded]').click();
      await p.page.locator('[data-testid="layer-opacity-pipes-gas"]').fill("0.2");
      await whenIdle(p.page);
      const s2 = await stats();
      expect(s2.batchesBuilt).toBe(s0.batchesBuilt);
      expect(s2.restyledInPlace).toBeGreaterThan(s1.restyledInPlace);
      expect(diffFraction(gas, await sceneScreenshot(p.page, "rendering-gas-faint"))).toBeGreaterThan(0.002);
      await p.page.locator('[data-testid="layer-opacity-pipes-gas"]').fill("1");
      await p.page.locator('[data-testid="layer-row-pipes-gas"] button[aria-expanded]').click();
      expect(await setView("overview")).toBe(true);
      await whenIdle(p.page);
    });

    it("the day basemap recolours the ground and buildings with the day palette", async () => {
      const night = pixelStats(await sceneScreenshot(p.page, "rendering-night"));
      await p.page.click('[data-testid="basemap-day"]');
      await whenIdle(p.page);
      const day = pixelStats(await sceneScreenshot(p.page, "rendering-day"));
      await screenshot(p.page, "rendering-day-full");
      const lum = (s: typeof night) => (s.mean[0] + s.mean[1] + s.mean[2]) / 3;
      // The night ground is navy (mean ≈ 40); the day ground is paper-light.
      expect(lum(day)).toBeGreaterThan(lum(night) + 40);
      await p.page.click('[data-testid="basemap-night"]');
      await whenIdle(p.page);
    });

    it("the translucent overlays (compounds) come from their own baked tileset, outlined, and pick whole", async () => {
      type Wc = W & { warmcity: { flyTo(c: object, s: number): Promise<void>; selection(): { featureId: string } | undefined } };
      const spec = catalog.layers.find((l) => l.id === "compounds")!;
      expect(spec.tiles).toBe("generated/tiles/overlays/tileset.json");
      expect(await p.page.evaluate(() => (window as unknown as W).warmcity.setView("housing"))).toBe(true);
      await whenIdle(p.page);
      const row = (await api.layers(p.page)).find((l) => l.id === "compounds")!;
      // one row, the polygons counted (the outline rows in the tiles are not features)
      expect(row.status).toBe("ready");
      expect(row.featureCount).toBe(featuresIn(spec.url));
      expect(p.record.requests.some((u) => /generated\/tiles\/overlays\/tiles\/.+\.glb/.test(u))).toBe(true);
      // the largest compound, straight down from 700 m, nothing else on top of it
      const fc = JSON.parse(readFileSync(join(DIST_DIR, spec.url), "utf8")) as {
        features: Array<{ id: string; properties: { id: string }; geometry: { type: string; coordinates: number[][][] } }>;
      };
      const box = (f: (typeof fc.features)[number]) => {
        const r = f.geometry.type === "Polygon" ? f.geometry.coordinates[0] : (f.geometry.coordinates[0] as unknown as number[][][])[0];
        const xs = r.map((q) => q[0]);
        const ys = r.map((q) => q[1]);
        return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
      };
      const big = fc.features
        .map((f) => ({ f, b: box(f) }))
        .sort((x, y) => (y.b[2] - y.b[0]) * (y.b[3] - y.b[1]) - (x.b[2] - x.b[0]) * (x.b[3] - x.b[1]))[0];
      await p.page.evaluate(() => {
        const w = (window as unknown as W).warmcity;
        for (const id of ["buildings", "facilities", "districts"]) w.setLayerVisible(id, false);
      });
      await p.page.evaluate((c) => (window as unknown as Wc).warmcity.flyTo({ ...c, heightM: 700, headingDeg: 0, pitchDeg: -90 }, 0), {
        lonDeg: (big.b[0] + big.b[2]) / 2,
        latDeg: (big.b[1] + big.b[3]) / 2,
      });
      // full opacity: the fill takes its ramp colour and the outline its outlineColor #ffc470, opaque
      await p.page.locator('[data-testid="layer-row-compounds"] button[aria-expanded]').click();
      await p.page.locator('[data-testid="layer-opacity-compounds"]').fill("1");
      await whenIdle(p.page);
      const near = (png: Buffer, rgb: number[]) => {
        const img = decodePng(png);
        let n = 0;
        for (let i = 0; i < img.data.length; i += 4)
          if (Math.abs(img.data[i] - rgb[0]) + Math.abs(img.data[i + 1] - rgb[1]) + Math.abs(img.data[i + 2] - rgb[2]) < 24) n++;
        return n;
      };
      const outlined = await sceneScreenshot(p.page, "rendering-compound-outline");
      expect(near(outlined, [0xff, 0xc4, 0x70]), "outline-coloured pixels").toBeGreaterThan(100);
      // picking it highlights the polygon and its outline; the inspector shows the compound
      await p.page.mouse.click(640, 400);
      await p.page.waitForFunction(
        (id) => (window as unknown as Wc).warmcity.selection()?.featureId === id,
        big.f.properties.id ?? big.f.id,
        { timeout: 30_000 },
      );
      await whenIdle(p.page);
      const picked = await sceneScreenshot(p.page, "rendering-compound-picked");
      expect(near(picked, [0xff, 0xd5, 0x4a]), "highlighted pixels").toBeGreaterThan(near(outlined, [0xff, 0xd5, 0x4a]) + 1000);
      // its outline turns highlight colour too (other compounds' outlines in view keep theirs)
      expect(near(picked, [0xff, 0xc4, 0x70]), "its outline highlighted too").toBeLessThan(near(outlined, [0xff, 0xc4, 0x70]) - 100);
      expect(await p.page.locator('[data-testid="inspector"]').innerText()).not.toMatch(/outline/);
      await p.page.locator('[data-testid="inspector"] button').first().click();
      await p.page.locator('[data-testid="layer-opacity-compounds"]').fill("0.45");
      await p.page.locator('[data-testid="layer-row-compounds"] button[aria-expanded]').click();
      expect(await p.page.evaluate(() => (window as unknown as W).warmcity.setView("overview"))).toBe(true);
      await whenIdle(p.page);
    }, 240_000);
  });

  it("a ground tile that fails to decode: an error on its layers' rows, the rest drawn", async () => {
    let broken = "";
    const q = await h.open("?quality=low", {
      beforeGoto: async (page) => {
        await page.route(/generated\/tiles\/ground\/tiles\/[^/]+\.glb$/, async (route) => {
          // the first ground tile asked for is garbage; the others are served
          if (!broken) {
            broken = route.request().url();
            return route.fulfill({ status: 200, contentType: "model/gltf-binary", body: Buffer.from("this is not a glb") });
          }
          return route.continue();
        });
      },
    });
    try {
      await waitForReady(q.page, 240_000, q.record);
      expect(broken).not.toBe("");
      const layers = await api.layers(q.page);
      const file = broken.replace(/^.*\//, "");
      for (const id of ["landuse", "roads"]) {
        const l = layers.find((x) => x.id === id)!;
        expect(l.status, id).toBe("error");
        expect(l.error, id).toContain(file);
      }
      expect(layers.find((x) => x.id === "buildings")!.status).toBe("ready");
      await q.page.locator('[data-testid="layer-row-landuse"] .layer-error').waitFor();
      const stats = pixelStats(await sceneScreenshot(q.page, "rendering-broken-tile"));
      // The rest of the city is drawn (a blank globe has a handful of colours; the full scene hundreds,
      // ~90 without the broken tile's ground and with tilesets unlit by an environment map).
      expect(stats.distinctColors).toBeGreaterThan(40);
      await screenshot(q.page, "rendering-broken-tile-full");
    } finally {
      await q.close();
    }
  }, 300_000);
});
