// The bad-input corpus (tests/corpus/, written by tests/corpus/generate.ts) run through the
// built app in Chromium. Data cases: one page whose catalog (served in place of
// data/catalog.json) holds a layer per case next to two good layers; every case must end with
// its expected message in the layer row or the notice bar, in Chinese and in English, with no
// uncaught error, no prototype pollution, no script run from data, and the good layers still
// drawn and pickable. Manifest cases: one page load each, which must end on the error screen
// naming the file and field in both languages.

import { createReadStream, existsSync, readFileSync, statSync } from "node:fs";
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { Readable } from "node:stream";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DIST_DIR,
  REPO_ROOT,
  api,
  describeBrowser,
  mimeType,
  productionHeaders,
  screenshot,
  startHarness,
  waitForReady,
  whenIdle,
  type ExtraRoute,
  type Harness,
  type OpenedPage,
} from "./harness";

interface Expect {
  status: "ready" | "error";
  zh?: string;
  en?: string;
  notice?: { zh: string; en: string };
  minFeatures?: number;
  check?: string;
}
interface DataCase {
  id: string;
  what: string;
  kind: string;
  file: string;
  expect: Expect;
  layer?: { pickable?: boolean; style?: Record<string, unknown> };
}
interface ManifestCase {
  id: string;
  file: string;
  text?: string;
  status?: number;
  path?: Array<string | number>;
  value?: unknown;
  field: string;
  browser?: boolean;
}
const CORPUS = join(REPO_ROOT, "tests", "corpus");
const { site, cases, manifests } = JSON.parse(readFileSync(join(CORPUS, "cases.json"), "utf8")) as {
  site: { lonDeg: number; latDeg: number };
  cases: DataCase[];
  manifests: ManifestCase[];
};
const layerId = (c: DataCase) => `c-${c.id}`;

it("the corpus has at least 40 cases, each with a file or a served special and an expectation", () => {
  expect(cases.length + manifests.length).toBeGreaterThanOrEqual(40);
  for (const c of cases) {
    if (!c.file.startsWith("@")) expect(existsSync(join(CORPUS, "files", c.file)), c.file).toBe(true);
    if (c.expect.status === "error") expect(c.expect.zh && c.expect.en, c.id).toBeTruthy();
  }
});

// ---------------------------------------------------------------------------------------------
// What the server answers in place of the shipped manifests, and the specials.
// ---------------------------------------------------------------------------------------------

let corsOrigin = "";
const builtManifest = (file: string) => JSON.parse(readFileSync(join(DIST_DIR, "data", file), "utf8")) as unknown;

function dataCatalog() {
  const style = (c: DataCase) =>
    c.kind === "3dtiles"
      ? { color: { type: "constant", color: "#ffcc00" } }
      : c.kind === "polygon"
        ? { color: { type: "constant", color: c.id.startsWith("good") ? "#ff00ff" : "#8844ff" }, opacity: 1 }
        : c.kind === "line"
          ? { color: { type: "constant", color: "#00ffcc" }, lineWidthPx: 3 }
          : { color: { type: "constant", color: "#ffffff" }, pointSizePx: 10 };
  return {
    version: 1,
    groups: [{ id: "corpus", title: { zh: "坏输入案例", en: "Bad-input cases" } }],
    layers: cases.map((c) => ({
      id: layerId(c),
      title: { zh: `案例 ${c.id}`, en: `case ${c.id}` },
      group: "corpus",
      kind: c.kind,
      url: c.file === "@cors" ? `${corsOrigin}/corpus/good-points.geojson` : `corpus/${c.file}`,
      visible: true,
      pickable: true,
      nameProperty: "name",
      style: style(c),
      ...c.layer,
    })),
  };
}

function dataViews() {
  return {
    version: 1,
    defaultView: "corpus",
    apps: [{ id: "corpus", title: { zh: "坏输入", en: "Bad input" }, description: { zh: "坏输入案例", en: "Bad-input cases" } }],
    views: [
      {
        id: "corpus",
        app: "corpus",
        title: { zh: "坏输入", en: "Bad input" },
        description: { zh: "坏输入案例", en: "Bad-input cases" },
        layers: cases.map(layerId),
        camera: { lonDeg: site.lonDeg + 0.006, latDeg: site.latDeg - 0.02, heightM: 2200, headingDeg: 0, pitchDeg: -45 },
        kpis: [],
        charts: [],
      },
    ],
  };
}

/** The manifest case being served (undefined: the data corpus). */
let manifestCase: ManifestCase | undefined;
const hanging = new Set<ServerResponse>();

function setAt(root: unknown, path: Array<string | number>, value: unknown) {
  let o = root as Record<string | number, unknown>;
  for (const k of path.slice(0, -1)) o = o[k] as Record<string | number, unknown>;
  o[path[path.length - 1]] = value;
}

const json = (res: ServerResponse, body: unknown) => {
  res.writeHead(200, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...productionHeadersWithCors() });
  res.end(typeof body === "string" ? body : JSON.stringify(body));
};

function productionHeadersWithCors(): Record<string, string> {
  const h = productionHeaders();
  // The integrator has allowed the data server in the policy; that server then fails CORS.
  return {
    ...h,
    "Content-Security-Policy": h["Content-Security-Policy"].replace("connect-src 'self' blob:", `connect-src 'self' blob: ${corsOrigin}`),
  };
}

const route: ExtraRoute = (_req, res, pathname) => {
  const m = /^\/data\/([a-z]+\.json)$/.exec(pathname);
  if (m) {
    const file = m[1];
    const mc = manifestCase;
    if (mc && mc.file === file) {
      if (mc.status) {
        res.writeHead(mc.status, { "content-type": "text/plain" });
        res.end("not found");
      } else if (mc.text !== undefined) json(res, mc.text);
      else {
        const body = builtManifest(file);
        setAt(body, mc.path!, mc.value);
        json(res, body);
      }
      return true;
    }
    if (!mc && file === "catalog.json") return (json(res, dataCatalog()), true);
    if (!mc && file === "views.json") return (json(res, dataViews()), true);
    return false;
  }
  const c = /^\/corpus\/(.+)$/.exec(pathname)?.[1];
  if (!c) return false;
  if (c === "@404") {
    res.writeHead(404, { "content-type": "text/plain" });
    res.end("not found");
  } else if (c === "@500") {
    res.writeHead(500, { "content-type": "text/plain" });
    res.end("internal error");
  } else if (c === "@hang") {
    // Headers and a few bytes, then nothing, ever (closed when the test ends).
    res.writeHead(200, { "content-type": "application/geo+json" });
    res.write('{"type":"FeatureCollection","features":[');
    hanging.add(res);
  } else if (c === "@huge") {
    // 200 MB announced and streamed on demand: nothing is held in memory here.
    const size = 200 * 1048576;
    const chunk = Buffer.alloc(1 << 20, 0x20);
    let sent = 0;
    res.writeHead(200, { "content-type": "application/geo+json", "content-length": String(size) });
    new Readable({
      read() {
        if (sent >= size) return this.push(null);
        sent += chunk.length;
        this.push(chunk);
      },
    }).pipe(res);
  } else {
    const file = join(CORPUS, "files", c);
    if (!file.startsWith(join(CORPUS, "files")) || !existsSync(file)) {
      res.writeHead(404);
      res.end();
      return true;
    }
    res.writeHead(200, {
      "content-type": mimeType(file),
      "content-length": String(statSync(file).size),
      "cache-control": "no-store",
      ...productionHeadersWithCors(),
    });
    createReadStream(file).pipe(res);
  }
  return true;
};

// ---------------------------------------------------------------------------------------------

const rowText = (page: Page, id: string) => page.locator(`[data-testid="layer-row-${id}"]`).innerText();
/** Every notice, shown or waiting behind the "more" line (the bar shows four at a time). */
const notices = (page: Page, lang: "zh" | "en") =>
  page.evaluate((l) => (window as unknown as { warmcity: { notices(l: string): string[] } }).warmcity.notices(l), lang);
const shownNotices = (page: Page) => page.locator('[data-testid="notice"]').allInnerTexts();

describeBrowser("bad-input corpus in the browser", () => {
  let h: Harness;
  let cors: Server;
  beforeAll(async () => {
    // A second origin that serves the good file without Access-Control-Allow-Origin.
    cors = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/geo+json" });
      res.end(readFileSync(join(CORPUS, "files", "good-points.geojson")));
    });
    await new Promise<void>((ok) => cors.listen(0, "127.0.0.1", ok));
    corsOrigin = `http://127.0.0.1:${(cors.address() as AddressInfo).port}`;
    h = await startHarness(DIST_DIR, productionHeadersWithCors(), route);
  });
  afterAll(async () => {
    for (const r of hanging) r.destroy();
    await h?.close();
    await new Promise<void>((ok) => cors.close(() => ok()));
  });

  describe("data files", () => {
    let p: OpenedPage;
    beforeAll(async () => {
      manifestCase = undefined;
      p = await h.open("?quality=low");
      await waitForReady(p.page, 300_000, p.record);
    });
    afterAll(async () => {
      await p?.close();
    });

    it("every case ends as expected, with its message in Chinese in the row or the notice bar", async () => {
      const page = p.page;
      const layers = await api.layers(page);
      const results: string[] = [];
      for (const c of cases) {
        const l = layers.find((x) => x.id === layerId(c))!;
        expect(l.status, `${c.id} (${c.what}): ${l.error ?? ""}`).toBe(c.expect.status);
        if (c.expect.minFeatures) expect(l.featureCount, `${c.id} feature count`).toBeGreaterThanOrEqual(c.expect.minFeatures);
        if (c.expect.status === "error") {
          const text = await rowText(page, layerId(c));
          expect(text, `${c.id}: row text`).toContain(c.expect.zh!);
          results.push(`${c.id}: ${l.error}`);
        }
      }
      const ns = await notices(page, "zh");
      for (const c of cases)
        if (c.expect.notice)
          expect(
            ns.some((n) => n.includes(c.expect.notice!.zh)),
            `${c.id}: notice “${c.expect.notice.zh}” in ${JSON.stringify(ns)}`,
          ).toBe(true);
      // The bar shows four, the rest are counted, not stacked over the scene.
      const shown = await shownNotices(page);
      expect(shown.length).toBe(Math.min(4, ns.length));
      for (const s of shown) expect(ns.some((n) => s.includes(n))).toBe(true);
      if (ns.length > 4)
        await expect.poll(() => page.locator('[data-testid="notice-more"]').innerText()).toContain(`另有 ${ns.length - 4} 条提示`);
      await screenshot(page, "corpus-zh");
      console.log(`[corpus] ${cases.length} data cases:\n  ${results.join("\n  ")}`);
    });

    it("nothing uncaught, nothing polluted, no script from data, no raw stack overflow", async () => {
      const page = p.page;
      expect(p.record.pageErrors).toEqual([]);
      expect(await page.evaluate(() => ({}) as Record<string, unknown>)).toEqual({});
      expect(await page.evaluate(() => (({}) as Record<string, unknown>).polluted)).toBeUndefined();
      expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).toBeUndefined();
      const body = await page.locator("body").innerText();
      expect(body).not.toMatch(/Maximum call stack|RangeError|TypeError|undefined is not/);
      expect(p.record.cspViolations).toEqual([]);
    });

    it("every message is there in English too", async () => {
      const page = p.page;
      await page.click('[data-testid="lang-switch"]');
      for (const c of cases)
        if (c.expect.status === "error") expect(await rowText(page, layerId(c)), `${c.id}: row text (en)`).toContain(c.expect.en!);
      const ns = await notices(page, "en");
      for (const c of cases)
        if (c.expect.notice)
          expect(
            ns.some((n) => n.includes(c.expect.notice!.en)),
            `${c.id}: notice “${c.expect.notice.en}”`,
          ).toBe(true);
      for (const s of await shownNotices(page))
        expect(
          ns.some((n) => s.includes(n)),
          `shown notice in English: ${s}`,
        ).toBe(true);
      await screenshot(page, "corpus-en");
    });
    it("the good layers are drawn and pickable; HTML in a property shows as text", async () => {
      const page = p.page;
      const flyOver = (dLon: number, dLat: number, heightM: number) =>
        page.evaluate(
          ([lon, lat, hM]) =>
            (window as unknown as { warmcity: { flyTo(c: object, s: number): Promise<void> } }).warmcity.flyTo(
              { lonDeg: lon, latDeg: lat, heightM: hM, headingDeg: 0, pitchDeg: -90 },
              0,
            ),
          [site.lonDeg + dLon, site.latDeg + dLat, heightM] as const,
        );
      const clickCentre = async () => {
        const box = (await page.locator(".cesium-widget canvas").boundingBox())!;
        await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
      };
      // A user reads and closes the notices before clicking into the scene behind them.
      for (let i = 0; i < 40 && (await page.locator('[data-testid="notice"] button').count()); i++)
        await page.locator('[data-testid="notice"] button').first().click();
      await flyOver(0.012, -0.006, 500);
      await whenIdle(page, 120_000);
      await screenshot(page, "corpus-good-polygon");
      await clickCentre();
      await expect.poll(() => page.locator('[data-testid="inspector"]').innerText(), { timeout: 10_000 }).toContain("good polygon A");

      // `pickable: false` means it: the cover over polygon B is clicked through.
      await flyOver(0.018, -0.006, 500);
      await whenIdle(page, 120_000);
      await clickCentre();
      await expect.poll(() => page.locator('[data-testid="inspector"]').innerText(), { timeout: 10_000 }).toContain("good polygon B");
      expect(await page.locator('[data-testid="inspector"]').innerText()).not.toContain("cover");

      await flyOver(0.013, 0.002, 300);
      await whenIdle(page, 120_000);
      await clickCentre();
      const insp = page.locator('[data-testid="inspector"]');
      await expect.poll(() => insp.innerText(), { timeout: 10_000 }).toContain('<img src=x onerror="window.__xss=1">');
      expect(await insp.locator("img, script").count()).toBe(0);
      expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).toBeUndefined();
    });
  });

  it("a bad manifest stops on the error screen naming file and field, in zh and en", async () => {
    const seen: string[] = [];
    // One page load each is slow on a software renderer: the browser runs one case per kind of
    // failure; tests/domain/corpusManifests.test.ts runs all of them through the same code in node.
    for (const mc of manifests.filter((m) => m.browser)) {
      manifestCase = mc;
      const p = await h.open("?quality=low");
      try {
        const page = p.page;
        await page.locator('[data-testid="error-screen"]').waitFor({ timeout: 60_000 });
        const zh = await page.locator('[data-testid="error-zh"]').innerText();
        const en = await page.locator('[data-testid="error-en"]').innerText();
        if (mc.field === "(file)") {
          expect(zh, mc.id).toBe(`配置文件 data/${mc.file} 无法读取`);
          expect(en, mc.id).toBe(`The manifest data/${mc.file} cannot be read`);
        } else {
          expect(zh, mc.id).toBe(`配置文件 data/${mc.file} 中的 ${mc.field} 有误`);
          expect(en, mc.id).toBe(`data/${mc.file}: ${mc.field} is invalid`);
        }
        expect(p.record.pageErrors, mc.id).toEqual([]);
        expect(await page.evaluate(() => (({}) as Record<string, unknown>).polluted), mc.id).toBeUndefined();
        seen.push(`${mc.id}: ${await page.locator('[data-testid="error-screen"] pre').innerText()}`);
        if (mc.id === "catalog-kind") await screenshot(page, "corpus-manifest-error");
      } finally {
        await p.close();
      }
    }
    manifestCase = undefined;
    console.log(`[corpus] ${manifests.length} manifest cases:\n  ${seen.join("\n  ")}`);
  }, 900_000);
});
