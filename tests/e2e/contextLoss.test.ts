// WebGL context loss, simulated with WEBGL_lose_context: the app says what happened (zh/en),
// mounts a new scene with the same layers and camera, and says how long it took; on a kiosk it
// reloads itself to the same URL state (the notice it shows for 1.5 s first is the same
// mechanism as above). No white screen, no silent black canvas.

import type { Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import {
  api,
  describeBrowser,
  pixelStats,
  sceneScreenshot,
  screenshot,
  startHarness,
  waitForReady,
  whenIdle,
  type Harness,
} from "./harness";

interface W {
  warmcity: {
    contextLosses(): Array<{ atMs: number; recoveredMs?: number }>;
    setLayerVisible(id: string, on: boolean): void;
  };
}

/** Loses the scene canvas's WebGL context the way a GPU reset does; false if the extension is missing. */
const loseContext = (page: Page) =>
  page.evaluate(() => {
    const canvas = document.querySelector(".cesium-widget canvas") as HTMLCanvasElement | null;
    const gl = (canvas?.getContext("webgl2") ?? canvas?.getContext("webgl")) as WebGLRenderingContext | null;
    const ext = gl?.getExtension("WEBGL_lose_context");
    if (!ext) return false;
    ext.loseContext();
    return true;
  });

const sceneContextOk = (page: Page) =>
  page.evaluate(() => {
    const canvas = document.querySelector(".cesium-widget canvas") as HTMLCanvasElement | null;
    const gl = (canvas?.getContext("webgl2") ?? canvas?.getContext("webgl")) as WebGLRenderingContext | null;
    return !!gl && !gl.isContextLost();
  });

const noticeTexts = (page: Page) => page.locator('[data-testid="notice"]').allTextContents();

describeBrowser("WebGL context loss", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it("says so in zh and en, restores the scene with the same layers and camera, and times it", async () => {
    const p = await h.open("?quality=low");
    try {
      const page = p.page;
      await waitForReady(page, 300_000, p.record);
      // A layer the default view does not show, so "kept its layer state" means something.
      await page.evaluate(() => (window as unknown as W).warmcity.setLayerVisible("pipes-gas", true));
      await whenIdle(page, 180_000);
      const before = await api.layers(page);
      const visibleBefore = before
        .filter((l) => l.visible)
        .map((l) => l.id)
        .sort();
      expect(visibleBefore).toContain("pipes-gas");
      const camBefore = await api.camera(page);

      expect(await loseContext(page), "WEBGL_lose_context available").toBe(true);
      await expect.poll(() => noticeTexts(page), { timeout: 10_000 }).toContainEqual(expect.stringContaining("图形上下文丢失"));
      await screenshot(page, "context-lost");

      await expect
        .poll(() => page.evaluate(() => (window as unknown as W).warmcity.contextLosses()[0]?.recoveredMs), {
          timeout: 240_000,
          interval: 500,
        })
        .toBeGreaterThan(0);
      const [loss] = await page.evaluate(() => (window as unknown as W).warmcity.contextLosses());
      console.log(`[context-loss] recovered in ${(loss.recoveredMs! / 1000).toFixed(1)} s`);

      expect(await sceneContextOk(page), "the new scene has a live context").toBe(true);
      const after = await api.layers(page);
      expect(
        after
          .filter((l) => l.visible)
          .map((l) => l.id)
          .sort(),
      ).toEqual(visibleBefore);
      for (const l of after.filter((x) => x.visible)) expect(l.status, `${l.id}: ${l.error ?? ""}`).toBe("ready");
      const camAfter = await api.camera(page);
      expect(Math.abs(camAfter.lonDeg - camBefore.lonDeg)).toBeLessThan(1e-4);
      expect(Math.abs(camAfter.latDeg - camBefore.latDeg)).toBeLessThan(1e-4);
      expect(Math.abs(camAfter.heightM / camBefore.heightM - 1)).toBeLessThan(0.01);

      // The notice says it is back, and no longer that it is lost.
      const texts = await noticeTexts(page);
      expect(texts.some((t) => t.includes("三维画面已恢复"))).toBe(true);
      expect(texts.some((t) => t.includes("图形上下文丢失"))).toBe(false);
      await page.click('[data-testid="lang-switch"]');
      await expect.poll(() => noticeTexts(page), { timeout: 10_000 }).toContainEqual(expect.stringContaining("The 3D view is back"));

      // Drawn, not a blank or black canvas.
      const png = await sceneScreenshot(page, "context-restored");
      const st = pixelStats(png);
      expect(st.distinctColors, "restored scene has content").toBeGreaterThan(50);
      expect(st.meanVariance).toBeGreaterThan(50);
      expect(p.record.pageErrors).toEqual([]);
    } finally {
      await p.close();
    }
  }, 600_000);

  it("in kiosk mode reloads itself to the same state", async () => {
    const p = await h.open("?quality=low&kiosk=1&layers=roads,pipes-gas");
    try {
      const page = p.page;
      await waitForReady(page, 300_000, p.record);
      await page.evaluate(() => ((window as unknown as { __beforeReload: boolean }).__beforeReload = true));
      // In kiosk mode the tour plays and the URL follows what is on screen (share link): the
      // state to come back to is the URL at the moment of the loss, not the one first opened.
      await expect.poll(() => new URL(page.url()).searchParams.get("tour"), { timeout: 60_000 }).toBeTruthy();
      const before = new URL(page.url()).searchParams;
      // A real reload fires "load"; "framenavigated" also fires for the share-link URL's
      // history.replaceState (presenter mode), which is not a reload.
      const nav = page.waitForEvent("load", { timeout: 120_000 });
      expect(await loseContext(page)).toBe(true);
      await nav;
      await waitForReady(page, 300_000, p.record);
      expect(await page.evaluate(() => (window as unknown as { __beforeReload?: boolean }).__beforeReload)).toBeUndefined();
      const after = new URL(page.url()).searchParams;
      for (const k of ["kiosk", "tour", "quality"]) expect(after.get(k), `URL parameter ${k} after the reload`).toBe(before.get(k));
      expect(after.get("kiosk")).toBe("1");
      expect(
        (await api.layers(page)).some((l) => l.visible),
        "layers are shown again",
      ).toBe(true);
      expect(await sceneContextOk(page)).toBe(true);
    } finally {
      await p.close();
    }
  }, 600_000);
});
