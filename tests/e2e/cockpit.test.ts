// Browser tests of the cockpit: every themed view opens (switcher and ?view=), the KPIs equal
// the seed figures on the demo city, a failed layer makes its KPIs say "no data", and the
// layout holds at the three wall sizes (no panel overlaps another or leaves the screen).
import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { meetsTarget, validateKpiManifest, CALCULATORS } from "../../src/domain/kpi";
import { describeBrowser, screenshot, startHarness, waitForReady, type Harness, type OpenedPage } from "./harness";

interface ViewJson {
  id: string;
  app: string;
  layers: string[];
  kpis: string[];
  charts: string[];
}
const viewsJson = JSON.parse(readFileSync("data/views.json", "utf8")) as { defaultView: string; apps: { id: string }[]; views: ViewJson[] };
const kpis = validateKpiManifest(JSON.parse(readFileSync("data/kpis.json", "utf8")), "data/kpis.json", Object.keys(CALCULATORS));

type W = {
  warmcity: {
    view(): string | undefined;
    setView(id: string): boolean;
    layers(): Array<{ id: string; visible: boolean; status: string }>;
    kpis(): Record<string, { value: number; unit: string; missing?: string }>;
    whenKpis(): Promise<void>;
    whenIdle(): Promise<void>;
  };
};
const kpiValues = (page: Page) => page.evaluate(() => (window as unknown as W).warmcity.kpis());
const whenKpis = (page: Page) => page.evaluate(() => (window as unknown as W).warmcity.whenKpis());

describeBrowser("cockpit", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  describe("views and KPIs on the demo city", () => {
    let p: OpenedPage;
    beforeAll(async () => {
      // 1280×800: the big sizes are covered by the layout tests; here pixels only cost time.
      p = await h.open("?quality=low");
      await waitForReady(p.page);
      await whenKpis(p.page);
    });
    afterAll(async () => {
      await p?.close();
    });

    it("computes every KPI of the manifest from the data, equal to the seed figures", async () => {
      const values = await kpiValues(p.page);
      const report = kpis.kpis.map((k) => ({ id: k.id, value: values[k.id]?.value, target: k.target, missing: values[k.id]?.missing }));
      for (const r of report) {
        expect(r.missing, `${r.id} has no value`).toBeUndefined();
        const def = kpis.kpis.find((k) => k.id === r.id)!;
        expect(meetsTarget(r.value!, def), `${r.id}: ${r.value} vs target ${r.target}`).toBe(true);
      }
      // The numbers on screen are the computed ones.
      const card = p.page.locator('[data-testid="kpi-charging-piles"] .num');
      await expect.poll(() => card.textContent()).toMatch(/3,228/);
    });

    it("switches every view from the switcher or the API: layers, KPI cards, charts", async () => {
      const page = p.page;
      for (const v of viewsJson.views) {
        const isApp = viewsJson.apps.some((a) => a.id === v.id);
        if (isApp) await page.click(`[data-testid="view-${v.id}"]`);
        else {
          // Scenarios are on the second row, shown once their application is selected.
          await page.click(`[data-testid="view-${v.app}"]`);
          await page.click(`[data-testid="view-${v.id}"]`);
        }
        expect(await page.evaluate(() => (window as unknown as W).warmcity.view())).toBe(v.id);
        const layers = await page.evaluate(() => (window as unknown as W).warmcity.layers());
        expect(
          layers
            .filter((l) => l.visible)
            .map((l) => l.id)
            .sort(),
          `visible layers of ${v.id}`,
        ).toEqual([...v.layers].sort());
        for (const k of v.kpis) await expect.poll(() => page.locator(`[data-testid="kpi-${k}"]`).getAttribute("data-status")).toBe("ready");
        for (const c of v.charts) await expect.poll(() => page.locator(`[data-testid="chart-${c}"] canvas`).count()).toBeGreaterThan(0);
      }
      await page.evaluate(() => (window as unknown as W).warmcity.whenIdle());
      const errors = await page.evaluate(() => (window as unknown as { warmcity: { errors(): string[] } }).warmcity.errors());
      expect(errors).toEqual([]);
      // Switching through every view loads nearly every layer of the city once (on a software
      // renderer and two cores that is minutes); a slow run is not a failure of the cockpit.
    }, 900_000);

    it("clicking a KPI card highlights its layer in the scene", async () => {
      const page = p.page;
      expect(await page.evaluate(() => (window as unknown as W).warmcity.setView("charging-parking"))).toBe(true);
      await page.evaluate(() => (window as unknown as W).warmcity.whenIdle());
      await page.click('[data-testid="kpi-charging-piles"]');
      await expect.poll(() => page.locator('[data-testid="highlight"]').count()).toBe(1);
      await page.evaluate(() => (window as unknown as W).warmcity.whenIdle());
      await screenshot(page, "cockpit-highlight-charging");
    }, 600_000);
  });

  it("opens ?view=<id> directly and answers an unknown id with a notice and the default view", async () => {
    const good = await h.open("?view=gas&quality=low");
    try {
      await waitForReady(good.page);
      expect(await good.page.evaluate(() => (window as unknown as W).warmcity.view())).toBe("gas");
    } finally {
      await good.close();
    }
    const bad = await h.open("?view=no-such-view&quality=low");
    try {
      await waitForReady(bad.page);
      expect(await bad.page.evaluate(() => (window as unknown as W).warmcity.view())).toBe(viewsJson.defaultView);
      await expect.poll(() => bad.page.locator('[data-testid="notice"]').first().textContent()).toContain("view=no-such-view");
    } finally {
      await bad.close();
    }
  });

  it("says 'no data' on the KPIs of a layer that failed, instead of 0", async () => {
    const p = await h.open("?view=charging-parking&quality=low", {
      beforeGoto: async (page) => {
        await page.route("**/generated/city/charging.geojson", (r) => r.fulfill({ status: 404, body: "not here" }));
      },
    });
    try {
      await waitForReady(p.page);
      await whenKpis(p.page);
      const v = await kpiValues(p.page);
      expect(v["charging-piles"].missing).toMatch(/charging: HTTP 404/);
      expect(Number.isNaN(v["charging-piles"].value)).toBe(true);
      expect(v["smart-parking-lots"].missing).toBeUndefined();
      const card = p.page.locator('[data-testid="kpi-charging-piles"]');
      expect(await card.getAttribute("data-status")).toBe("missing");
      expect(await card.textContent()).toContain("无数据");
      // The reason in the user's language (the worker's messages are zh/en pairs).
      expect(await card.textContent()).toContain("图层 charging 读取失败（服务器返回 HTTP 404）");
    } finally {
      await p.close();
    }
  });

  describe.each([
    [1920, 1080],
    [3840, 1080],
    [3840, 2160],
  ])("layout at %i×%i", (width, height) => {
    it("docks panels at the sides without overlap, all on screen", async () => {
      const p = await h.open("?view=park-city&quality=low", { viewport: { width, height } });
      try {
        await waitForReady(p.page);
        await whenKpis(p.page);
        await p.page.evaluate(() => (window as unknown as W).warmcity.whenIdle());
        await screenshot(p.page, `cockpit-${width}x${height}`);
        const boxes = await p.page.evaluate(() => {
          const pick = (sel: string) => {
            const el = document.querySelector(sel);
            if (!el) return undefined;
            const r = el.getBoundingClientRect();
            return { sel, x: r.x, y: r.y, w: r.width, h: r.height };
          };
          return [
            pick('[data-testid="titlebar"] .titlebar-center'),
            pick('[data-testid="view-switcher"]'),
            pick(".dock-left .layer-panel"),
            pick('[data-testid="cockpit"]'),
            pick(".credits-bar"),
          ];
        });
        for (const b of boxes) {
          expect(b, "panel present").toBeDefined();
          expect(b!.x, `${b!.sel} left edge`).toBeGreaterThanOrEqual(0);
          expect(b!.y, `${b!.sel} top edge`).toBeGreaterThanOrEqual(0);
          expect(b!.x + b!.w, `${b!.sel} right edge`).toBeLessThanOrEqual(width + 0.5);
          expect(b!.y + b!.h, `${b!.sel} bottom edge`).toBeLessThanOrEqual(height + 0.5);
        }
        for (let i = 0; i < boxes.length; i++)
          for (let j = i + 1; j < boxes.length; j++) {
            const a = boxes[i]!;
            const b = boxes[j]!;
            const overlap =
              Math.max(0, Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x)) *
              Math.max(0, Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y));
            expect(overlap, `${a.sel} overlaps ${b.sel}`).toBe(0);
          }
        // Text stays readable from a distance: nothing under 12 px.
        const minFont = await p.page.evaluate(() =>
          Math.min(
            ...[...document.querySelectorAll(".app > :not(.scene) *")]
              .filter((e) => e.childNodes.length && (e as HTMLElement).offsetParent && e.textContent?.trim())
              .map((e) => parseFloat(getComputedStyle(e).fontSize)),
          ),
        );
        expect(minFont).toBeGreaterThanOrEqual(12);
      } finally {
        await p.close();
      }
    });
  });
});
