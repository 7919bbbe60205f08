// The strict Content-Security-Policy (scripts/csp.ts): the built pages carry it as a <meta>,
// `vite preview` sends it as headers, and the app runs under it with zero violations over the
// default view, the cockpit (KPI worker, charts) and every themed view. The harness serves
// every browser test with the same headers plus a report-uri, so violations inside workers
// (which fire no event in the page) are counted too.

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { preview } from "vite";
import { afterAll, beforeAll, expect, it } from "vitest";
import { cspHeader, cspMeta } from "../../scripts/csp";
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

interface W {
  warmcity: { views(): string[]; setView(id: string): boolean; whenKpis(): Promise<void>; errors(): string[] };
}

it("the built pages carry the policy as their first <meta> after the charset, with no inline script", () => {
  for (const page of ["index.html", "bench.html"]) {
    const html = readFileSync(join(DIST_DIR, page), "utf8");
    const m = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html);
    expect(m?.[1], page).toBe(cspMeta());
    expect(html.indexOf("Content-Security-Policy"), `${page}: policy before any script`).toBeLessThan(html.indexOf("<script"));
    expect(/<script(?![^>]*\bsrc=)[^>]*>/.test(html), `${page}: inline script`).toBe(false);
  }
  // Cesium's bundled knockout evaluates a string when its module loads; the build rewrites it.
  for (const f of readdirSync(join(DIST_DIR, "assets")).filter((f) => f.endsWith(".js")))
    expect(/\(0\s*,\s*eval\)/.test(readFileSync(join(DIST_DIR, "assets", f), "utf8")), `${f}: (0, eval) left in the bundle`).toBe(false);
  // The policy itself: nothing foreign, no eval, no inline script.
  expect(cspHeader()).toMatch(/^default-src 'self';/);
  expect(cspHeader()).not.toMatch(/'unsafe-eval'|https?:|\*/);
  const scriptSrc = /script-src ([^;]+)/.exec(cspHeader())![1];
  expect(scriptSrc).toBe("'self' 'wasm-unsafe-eval'");
});

it("vite preview sends the same policy as a header (so workers run under it too)", async () => {
  const server = await preview({ preview: { port: 0, host: "127.0.0.1" }, logLevel: "silent" });
  try {
    const base = server.resolvedUrls!.local[0];
    for (const path of ["", "cesium/Workers/createGeometry.js", "data/catalog.json"]) {
      const res = await fetch(base + path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get("content-security-policy"), path).toBe(cspHeader());
      expect(res.headers.get("x-content-type-options"), path).toBe("nosniff");
    }
  } finally {
    await server.close();
  }
});

describeBrowser("strict CSP in the browser", () => {
  let h: Harness;
  let p: OpenedPage;
  beforeAll(async () => {
    h = await startHarness();
    p = await h.open("?quality=low");
    await waitForReady(p.page, 300_000, p.record);
  });
  afterAll(async () => {
    await p?.close();
    await h?.close();
  });

  it("zero violations over the default view, the cockpit and every themed view", async () => {
    const page = p.page;
    await page.evaluate(() => (window as unknown as W).warmcity.whenKpis());
    const views = await page.evaluate(() => (window as unknown as W).warmcity.views());
    expect(views.length).toBeGreaterThan(3);
    // Every view's layers are requested when the view is shown (a layer keeps loading after
    // it is hidden again), so a quick pass reaches every file; the full draw of each view is
    // the cockpit test's job, which runs under the same headers.
    for (const v of views) {
      expect(await page.evaluate((id) => (window as unknown as W).warmcity.setView(id), v)).toBe(true);
      await page.waitForTimeout(400);
    }
    await whenIdle(page, 300_000);
    await screenshot(page, "csp-last-view");
    // Reports are sent asynchronously: give the browser a moment to deliver any.
    await page.waitForTimeout(1500);
    expect(p.record.cspViolations).toEqual([]);
    expect(cspReports(h.server)).toEqual([]);
    expect(p.record.pageErrors).toEqual([]);
    expect(await page.evaluate(() => (window as unknown as W).warmcity.errors())).toEqual([]);
    console.log(`[csp] ${views.length} views, ${p.record.requests.length} requests, 0 violations`);
  }, 900_000);

  it("the counter works: an injected inline script is blocked and counted", async () => {
    const page = p.page;
    const before = p.record.cspViolations.length;
    await page.evaluate(() => {
      const s = document.createElement("script");
      s.textContent = "window.__injected = true";
      document.head.appendChild(s);
    });
    await expect.poll(() => p.record.cspViolations.length).toBeGreaterThan(before);
    expect(await page.evaluate(() => (window as unknown as { __injected?: boolean }).__injected)).toBeUndefined();
    await expect.poll(() => cspReports(h.server).length).toBeGreaterThan(0);
  });
});
