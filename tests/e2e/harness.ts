// Browser-test harness: serves the built app (dist/) from a tiny static server on 127.0.0.1,
// drives Debian's Chromium through playwright-core on SwiftShader, and records what a page
// did (every request, foreign hosts, console errors, uncaught errors, failed responses) so a
// test can assert the viewer is offline-clean. Also: PNG decoding and pixel statistics, so a
// test can tell a rendered city from a blank canvas and a layer toggle from no change.
//
// Kept dependency-free on purpose (node:http, node:zlib) so CI on a clean Debian with Node 20
// needs nothing but `npm ci` and `apt-get install chromium`.

import { spawnSync } from "node:child_process";
import { createReadStream, existsSync, mkdirSync, statSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { connect, type AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { dirname, extname, join, normalize, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { inflateSync } from "node:zlib";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { attachEmbeddedBroker } from "../../scripts/live/vitePlugin";
import { describe } from "vitest";
import { securityHeaders } from "../../scripts/csp";

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
/** The built app; E2E_DIST_DIR points the tests at another build. */
export const DIST_DIR = process.env.E2E_DIST_DIR ? resolve(process.env.E2E_DIST_DIR) : join(REPO_ROOT, "dist");
export const SCREENSHOT_DIR = join(REPO_ROOT, "test-results", "screenshots");

/** Chromium from Debian's apt package; CHROMIUM_PATH overrides for other machines. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** The Chromium version the benches report next to their figures ("?" if it cannot be read). */
export function chromiumVersion(path = CHROMIUM_PATH): string {
  const r = spawnSync(path, ["--version"], { encoding: "utf8" });
  return (
    (r.stdout ?? "")
      .trim()
      .replace(/^Chromium\s+/, "")
      .split(" ")[0] || "?"
  );
}

/**
 * Flags measured in DESIGN.md "Toolchain facts": no sandbox (root in a container), nothing that
 * phones home (so a foreign request in the log is the app's, not Chromium's), and WebGL2 on
 * SwiftShader because there is no GPU.
 */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu-sandbox",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
  "--use-angle=swiftshader",
  "--enable-unsafe-swiftshader",
  // Headless tabs are never "visible" to the scheduler; without these, rAF and timers in a
  // page can be throttled while another page loads, making software rendering slower still.
  "--disable-background-timer-throttling",
  "--disable-renderer-backgrounding",
  "--disable-backgrounding-occluded-windows",
];

// ---------------------------------------------------------------------------------------------
// Chromium presence: skip locally with a message, fail loudly in CI. Never a silent pass.
// ---------------------------------------------------------------------------------------------

export function chromiumAvailable(): boolean {
  try {
    return statSync(CHROMIUM_PATH).isFile();
  } catch {
    return false;
  }
}

/**
 * `describe` for browser suites. Without Chromium: in CI (process.env.CI set) it throws while
 * the file is collected, so the run fails; elsewhere the suite is reported as skipped with the
 * reason in its name and on stderr.
 */
export function browserSuiteMode(env: { CI?: string }, available: boolean): "run" | "skip" | "fail" {
  if (available) return "run";
  // CI=false / CI=0 are how some runners say "not CI"; anything else non-empty means CI.
  return env.CI && !/^(0|false)$/i.test(env.CI) ? "fail" : "skip";
}

export function describeBrowser(name: string, fn: () => void): void {
  const mode = browserSuiteMode(process.env, chromiumAvailable());
  if (mode === "run") {
    describe(name, fn);
    return;
  }
  const reason = `Chromium not found at ${CHROMIUM_PATH} (apt-get install chromium, or set CHROMIUM_PATH)`;
  if (mode === "fail") throw new Error(`[e2e] ${reason}: browser tests cannot run in CI without it.`);
  console.warn(`[e2e] SKIPPING "${name}": ${reason}.`);
  describe.skip(`${name} — SKIPPED: ${reason}`, fn);
}

// ---------------------------------------------------------------------------------------------
// Static server
// ---------------------------------------------------------------------------------------------

const MIME: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".htm": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".cjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".geojson": "application/geo+json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".md": "text/plain; charset=utf-8",
  ".xml": "application/xml; charset=utf-8",
  ".csv": "text/csv; charset=utf-8",
  ".glb": "model/gltf-binary",
  ".gltf": "model/gltf+json",
  ".b3dm": "application/octet-stream",
  ".i3dm": "application/octet-stream",
  ".pnts": "application/octet-stream",
  ".cmpt": "application/octet-stream",
  ".subtree": "application/octet-stream",
  ".terrain": "application/vnd.quantized-mesh",
  ".bin": "application/octet-stream",
  ".pbf": "application/x-protobuf",
  ".wasm": "application/wasm",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".avif": "image/avif",
  ".ktx2": "image/ktx2",
  ".svg": "image/svg+xml",
  ".ico": "image/x-icon",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
  ".ttf": "font/ttf",
  ".otf": "font/otf",
};

export function mimeType(path: string): string {
  return MIME[extname(path).toLowerCase()] ?? "application/octet-stream";
}

export interface ServedRequest {
  method: string;
  path: string;
  status: number;
}

export interface StaticServer {
  /** e.g. "http://127.0.0.1:43567" (no trailing slash). */
  origin: string;
  host: string;
  /** Every request the server answered, in order. */
  log: ServedRequest[];
  /**
   * Serve a WebSocket endpoint on this origin that relays to 127.0.0.1:`port` (as a site's
   * reverse proxy relays /mqtt to its broker), so the page reaches a real broker without
   * leaving its own origin (the production CSP allows no other). Returns the ws:// URL.
   */
  proxyWebSocket(path: string, port: number): string;
  close(): Promise<void>;
}

/** Where the pages report CSP violations (the server logs the POST; see `cspReports`). */
export const CSP_REPORT_PATH = "/__csp-report";

/**
 * The production headers (scripts/csp.ts, the same `vite preview` sends) plus a report-uri, so
 * a violation inside a worker — which fires no event in the page — still shows in the log.
 */
export function productionHeaders(): Record<string, string> {
  const h = securityHeaders();
  return { ...h, "Content-Security-Policy": `${h["Content-Security-Policy"]}; report-uri ${CSP_REPORT_PATH}` };
}

/** CSP reports the browser POSTed to the server (each is one violation, page or worker). */
export const cspReports = (server: StaticServer): ServedRequest[] => server.log.filter((r) => r.path === CSP_REPORT_PATH);

/**
 * Serves `root` read-only on 127.0.0.1 at a free port. `/` and directories serve index.html.
 * Every response carries the production security headers (strict CSP) unless `headers` says otherwise.
 */
/** A request handler tried before the static files; returns true when it answered. */
export type ExtraRoute = (req: IncomingMessage, res: ServerResponse, pathname: string) => boolean;

export async function startStaticServer(
  root: string = DIST_DIR,
  headers: Record<string, string> = productionHeaders(),
  extra?: ExtraRoute,
): Promise<StaticServer> {
  const rootAbs = resolve(root);
  if (!existsSync(join(rootAbs, "index.html")))
    throw new Error(`[e2e] ${rootAbs}/index.html is missing: run \`vite build\` first (npm test does).`);
  const log: ServedRequest[] = [];

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const method = req.method ?? "GET";
    let pathname = "/";
    try {
      pathname = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    } catch {
      return end(400, "bad url");
    }
    function end(status: number, body: string): void {
      log.push({ method, path: pathname, status });
      res.writeHead(status, { "content-type": "text/plain; charset=utf-8" });
      res.end(method === "HEAD" ? undefined : body);
    }
    if (method === "POST" && pathname === CSP_REPORT_PATH) {
      req.resume();
      log.push({ method, path: pathname, status: 204 });
      res.writeHead(204);
      res.end();
      return;
    }
    if (extra?.(req, res, pathname)) {
      log.push({ method, path: pathname, status: res.statusCode });
      return;
    }
    if (method !== "GET" && method !== "HEAD") return end(405, "method not allowed");
    let file = normalize(join(rootAbs, pathname));
    if (file !== rootAbs && !file.startsWith(rootAbs + sep)) return end(403, "forbidden");
    let st;
    try {
      st = statSync(file);
      if (st.isDirectory()) {
        file = join(file, "index.html");
        st = statSync(file);
      }
    } catch {
      return end(404, `not found: ${pathname}`);
    }
    log.push({ method, path: pathname, status: 200 });
    res.writeHead(200, {
      "content-type": mimeType(file),
      "content-length": String(st.size),
      // Every page load in a test must see the files as built, never a cached copy.
      "cache-control": "no-store",
      ...headers,
    });
    if (method === "HEAD") {
      res.end();
      return;
    }
    createReadStream(file).pipe(res);
  };

  const server: Server = createServer(handle);
  // Like `npm start`'s preview server, the app's origin answers on /mqtt (an embedded broker),
  // so views with live layers connect instead of logging failed WebSockets. No simulator here:
  // nothing flows unless a test publishes (the live tests use the real Debian broker instead).
  await attachEmbeddedBroker(server, { simulate: false });
  const proxies = new Map<string, number>();
  server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const target = proxies.get((req.url ?? "").split("?")[0]);
    if (target === undefined) return;
    const up = connect(target, "127.0.0.1", () => {
      const lines = [`GET / HTTP/1.1`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      up.write(lines.join("\r\n") + "\r\n\r\n");
      if (head.length) up.write(head);
      up.pipe(socket);
      socket.pipe(up);
    });
    up.on("error", () => socket.destroy());
    socket.on("error", () => up.destroy());
    up.on("close", () => socket.destroy());
    socket.on("close", () => up.destroy());
  });
  await new Promise<void>((ok, fail) => {
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => ok());
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    log,
    proxyWebSocket: (path, target) => {
      proxies.set(path, target);
      return `ws://127.0.0.1:${port}${path}`;
    },
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

// ---------------------------------------------------------------------------------------------
// Browser and pages
// ---------------------------------------------------------------------------------------------

export interface ConsoleEntry {
  type: string;
  text: string;
  url?: string;
}

export interface PageRecord {
  /** Every request URL the page (or its workers) made, in order. */
  requests: string[];
  /** http(s)/ws(s) requests to any host other than our server: must stay empty offline. */
  foreignRequests: string[];
  /** Responses from our own server with status >= 400 (with the status). */
  failedResponses: Array<{ url: string; status: number }>;
  /** Requests that never got a response (aborted, refused, blocked). */
  failedRequests: Array<{ url: string; failure: string }>;
  consoleErrors: ConsoleEntry[];
  consoleWarnings: ConsoleEntry[];
  pageErrors: string[];
  /** `securitypolicyviolation` events in the page (workers' land in `cspReports(server)`). */
  cspViolations: string[];
}

export interface OpenedPage {
  page: Page;
  context: BrowserContext;
  record: PageRecord;
  close(): Promise<void>;
}

export interface OpenOptions {
  viewport?: { width: number; height: number };
  /** Called on the fresh page before navigation (install page.route handlers here). */
  beforeGoto?: (page: Page) => Promise<void>;
  locale?: string;
}

export interface Harness {
  server: StaticServer;
  browser: Browser;
  /** Absolute URL of a path relative to the app root, e.g. url("?lang=en"). */
  url(pathAndQuery?: string): string;
  open(pathAndQuery?: string, opts?: OpenOptions): Promise<OpenedPage>;
  close(): Promise<void>;
}

export const DEFAULT_VIEWPORT = { width: 1280, height: 800 };

function isForeign(rawUrl: string, ownHost: string): boolean {
  let u: URL;
  try {
    u = new URL(rawUrl);
  } catch {
    return true; // unparseable: report it rather than guess
  }
  // data:, blob:, about:, chrome-extension: etc. never leave the machine.
  if (!/^(https?|wss?):$/.test(u.protocol)) return false;
  return u.host !== ownHost;
}

/** Starts the server and one shared Chromium. Share it across a file: launches are slow. */
export async function startHarness(root: string = DIST_DIR, headers?: Record<string, string>, extra?: ExtraRoute): Promise<Harness> {
  const server = await startStaticServer(root, headers, extra);
  let browser: Browser;
  try {
    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS,
      timeout: 60_000,
    });
  } catch (e) {
    await server.close();
    throw new Error(`[e2e] could not launch Chromium at ${CHROMIUM_PATH}: ${(e as Error).message}`, { cause: e });
  }
  const url = (p = ""): string => `${server.origin}/${p.replace(/^\//, "")}`;

  async function open(pathAndQuery = "", opts: OpenOptions = {}): Promise<OpenedPage> {
    const context = await browser.newContext({
      viewport: opts.viewport ?? DEFAULT_VIEWPORT,
      deviceScaleFactor: 1,
      // The users are in Ordos: a Chinese browser, China time.
      locale: opts.locale ?? "zh-CN",
      timezoneId: "Asia/Shanghai",
      serviceWorkers: "block",
    });
    const record: PageRecord = {
      requests: [],
      foreignRequests: [],
      failedResponses: [],
      failedRequests: [],
      consoleErrors: [],
      consoleWarnings: [],
      pageErrors: [],
      cspViolations: [],
    };
    // Context-level events also see requests from the page's dedicated workers.
    context.on("request", (req) => {
      const u = req.url();
      record.requests.push(u);
      if (isForeign(u, server.host)) record.foreignRequests.push(u);
    });
    context.on("response", (res) => {
      if (res.status() >= 400) record.failedResponses.push({ url: res.url(), status: res.status() });
    });
    context.on("requestfailed", (req) => {
      record.failedRequests.push({ url: req.url(), failure: req.failure()?.errorText ?? "?" });
    });
    const page = await context.newPage();
    page.on("websocket", (ws) => {
      record.requests.push(ws.url());
      if (isForeign(ws.url(), server.host)) record.foreignRequests.push(ws.url());
    });
    page.on("console", (msg) => {
      const loc = msg.location();
      const entry: ConsoleEntry = { type: msg.type(), text: msg.text(), url: loc?.url || undefined };
      if (msg.type() === "error") record.consoleErrors.push(entry);
      else if (msg.type() === "warning") record.consoleWarnings.push(entry);
    });
    page.on("pageerror", (err) => record.pageErrors.push(`${err.name}: ${err.message}\n${err.stack ?? ""}`));
    await page.exposeFunction("__e2eCspViolation", (v: string) => record.cspViolations.push(v));
    await page.addInitScript(() =>
      document.addEventListener("securitypolicyviolation", (e) =>
        (window as unknown as { __e2eCspViolation(v: string): void }).__e2eCspViolation(
          `${e.effectiveDirective} blocked ${e.blockedURI || "(inline)"} at ${e.sourceFile}:${e.lineNumber}`,
        ),
      ),
    );
    page.setDefaultTimeout(60_000);
    if (opts.beforeGoto) await opts.beforeGoto(page);
    await page.goto(url(pathAndQuery), { waitUntil: "load", timeout: 120_000 });
    return { page, context, record, close: () => context.close() };
  }

  return {
    server,
    browser,
    url,
    open,
    close: async () => {
      await browser.close().catch(() => undefined);
      await server.close();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The app's automation API (window.warmcity), typed here without touching the global Window
// type (the app declares its own).
// ---------------------------------------------------------------------------------------------

export interface CameraState {
  lonDeg: number;
  latDeg: number;
  heightM: number;
  headingDeg: number;
  pitchDeg: number;
}

export interface LayerState {
  id: string;
  title: string;
  kind: string;
  visible: boolean;
  status: "loading" | "ready" | "error";
  featureCount: number;
  error?: string;
}

export interface WarmCityApi {
  ready: boolean;
  layers(): LayerState[];
  camera(): CameraState;
  errors(): string[];
  setLayerVisible(id: string, on: boolean): void;
  flyTo(camera: CameraState): Promise<void>;
  whenIdle(): Promise<void>;
}

/** What the page knows about itself, for error messages when a wait times out. */
export async function diagnose(page: Page): Promise<string> {
  try {
    return await page.evaluate(() => {
      const api = (window as unknown as { warmcity?: WarmCityApi }).warmcity;
      if (!api) return "window.warmcity is not defined";
      const safe = <T>(f: () => T): T | string => {
        try {
          return f();
        } catch (e) {
          return `threw ${(e as Error).message}`;
        }
      };
      return JSON.stringify(
        { ready: api.ready, layers: safe(() => api.layers()), errors: safe(() => api.errors()), camera: safe(() => api.camera()) },
        null,
        1,
      );
    });
  } catch (e) {
    return `page.evaluate failed: ${(e as Error).message}`;
  }
}

/** The tail of a page's record, for error messages. */
export function summarizeRecord(record: PageRecord, max = 8): string {
  const tail = <T>(xs: T[]) => xs.slice(-max);
  return JSON.stringify(
    {
      requests: record.requests.length,
      foreignRequests: tail(record.foreignRequests),
      failedResponses: tail(record.failedResponses),
      failedRequests: tail(record.failedRequests),
      consoleErrors: tail(record.consoleErrors),
      pageErrors: tail(record.pageErrors).map((e) => e.slice(0, 600)),
    },
    null,
    1,
  );
}

/**
 * Polls `window.warmcity?.ready === true`; on timeout throws with what the page reports (and
 * what the harness recorded, when given the page's record).
 */
export async function waitForReady(page: Page, timeoutMs = 180_000, record?: PageRecord): Promise<number> {
  const t0 = Date.now();
  try {
    await page.waitForFunction(() => (window as unknown as { warmcity?: WarmCityApi }).warmcity?.ready === true, undefined, {
      timeout: timeoutMs,
      polling: 250,
    });
  } catch (e) {
    throw new Error(
      `[e2e] window.warmcity.ready did not become true within ${timeoutMs} ms (${(e as Error).message.split("\n")[0]}).\n` +
        `App state: ${await diagnose(page)}` +
        (record ? `\nPage record: ${summarizeRecord(record)}` : ""),
      { cause: e },
    );
  }
  return Date.now() - t0;
}

/** Waits for the app to finish pending loads and render a frame. */
export async function whenIdle(page: Page, timeoutMs = 120_000): Promise<void> {
  await page.evaluate(
    (ms) =>
      Promise.race([
        (window as unknown as { warmcity: WarmCityApi }).warmcity.whenIdle(),
        new Promise<void>((_, no) => setTimeout(() => no(new Error(`warmcity.whenIdle() took over ${ms} ms`)), ms)),
      ]),
    timeoutMs,
  );
}

export const api = {
  layers: (page: Page) => page.evaluate(() => (window as unknown as { warmcity: WarmCityApi }).warmcity.layers()),
  camera: (page: Page) => page.evaluate(() => (window as unknown as { warmcity: WarmCityApi }).warmcity.camera()),
  errors: (page: Page) => page.evaluate(() => (window as unknown as { warmcity: WarmCityApi }).warmcity.errors()),
};

// ---------------------------------------------------------------------------------------------
// Screenshots and pixels
// ---------------------------------------------------------------------------------------------

export interface Clip {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Full-viewport PNG (or a clip of it), saved to test-results/screenshots/<name>.png. */
export async function screenshot(page: Page, name: string, clip?: Clip): Promise<Buffer> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const buf = await page.screenshot({ type: "png", clip, animations: "disabled", timeout: 120_000 });
  writeFileSync(join(SCREENSHOT_DIR, `${name}.png`), buf);
  return buf;
}

export interface Image {
  width: number;
  height: number;
  /** RGBA, 8 bits a channel, row-major. */
  data: Uint8Array;
}

/** Decodes a non-interlaced 8-bit PNG (grey, grey+alpha, RGB, RGBA, palette) to RGBA. */
export function decodePng(png: Buffer | Uint8Array): Image {
  const buf = Buffer.from(png.buffer, png.byteOffset, png.byteLength);
  const SIG = [137, 80, 78, 71, 13, 10, 26, 10];
  for (let i = 0; i < 8; i++) if (buf[i] !== SIG[i]) throw new Error("not a PNG");
  let off = 8;
  let width = 0;
  let height = 0;
  let bitDepth = 0;
  let colorType = 0;
  let interlace = 0;
  let palette: Buffer | undefined;
  let trns: Buffer | undefined;
  const idat: Buffer[] = [];
  while (off < buf.length) {
    const len = buf.readUInt32BE(off);
    const type = buf.toString("latin1", off + 4, off + 8);
    const body = buf.subarray(off + 8, off + 8 + len);
    if (type === "IHDR") {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      bitDepth = body[8];
      colorType = body[9];
      interlace = body[12];
    } else if (type === "PLTE") palette = body;
    else if (type === "tRNS") trns = body;
    else if (type === "IDAT") idat.push(body);
    else if (type === "IEND") break;
    off += 12 + len;
  }
  if (bitDepth !== 8) throw new Error(`PNG bit depth ${bitDepth} not supported (8 only)`);
  if (interlace !== 0) throw new Error("interlaced PNG not supported");
  const channels = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 }[colorType];
  if (!channels) throw new Error(`PNG colour type ${colorType} not supported`);
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const px = new Uint8Array(stride * height);
  let prev = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const out = px.subarray(y * stride, (y + 1) * stride);
    for (let i = 0; i < stride; i++) {
      const a = i >= channels ? out[i - channels] : 0;
      const b = prev[i];
      const c = i >= channels ? prev[i - channels] : 0;
      let v = line[i];
      switch (filter) {
        case 0:
          break;
        case 1:
          v += a;
          break;
        case 2:
          v += b;
          break;
        case 3:
          v += (a + b) >> 1;
          break;
        case 4: {
          const p = a + b - c;
          const pa = Math.abs(p - a);
          const pb = Math.abs(p - b);
          const pc = Math.abs(p - c);
          v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
          break;
        }
        default:
          throw new Error(`bad PNG filter ${filter} on row ${y}`);
      }
      out[i] = v & 0xff;
    }
    prev = out;
  }
  const data = new Uint8Array(width * height * 4);
  for (let i = 0, j = 0; i < width * height; i++, j += channels) {
    const o = i * 4;
    if (colorType === 6) {
      data[o] = px[j];
      data[o + 1] = px[j + 1];
      data[o + 2] = px[j + 2];
      data[o + 3] = px[j + 3];
    } else if (colorType === 2) {
      data[o] = px[j];
      data[o + 1] = px[j + 1];
      data[o + 2] = px[j + 2];
      data[o + 3] = 255;
    } else if (colorType === 0 || colorType === 4) {
      data[o] = data[o + 1] = data[o + 2] = px[j];
      data[o + 3] = colorType === 4 ? px[j + 1] : 255;
    } else {
      const k = px[j];
      if (!palette) throw new Error("palette PNG without PLTE");
      data[o] = palette[k * 3];
      data[o + 1] = palette[k * 3 + 1];
      data[o + 2] = palette[k * 3 + 2];
      data[o + 3] = trns && k < trns.length ? trns[k] : 255;
    }
  }
  return { width, height, data };
}

function toImage(img: Buffer | Uint8Array | Image): Image {
  return "data" in img && "width" in img ? (img as Image) : decodePng(img as Buffer);
}

function clampClip(img: Image, clip?: Clip): Clip {
  if (!clip) return { x: 0, y: 0, width: img.width, height: img.height };
  const x = Math.max(0, Math.floor(clip.x));
  const y = Math.max(0, Math.floor(clip.y));
  const width = Math.min(img.width - x, Math.floor(clip.width));
  const height = Math.min(img.height - y, Math.floor(clip.height));
  if (width <= 0 || height <= 0) throw new Error(`clip ${JSON.stringify(clip)} is outside the ${img.width}×${img.height} image`);
  return { x, y, width, height };
}

export interface PixelStats {
  width: number;
  height: number;
  pixels: number;
  /** Per channel R, G, B. */
  mean: [number, number, number];
  variance: [number, number, number];
  /** Mean of the three channel variances: one number for "is anything drawn here". */
  meanVariance: number;
  /** Count of distinct colours quantised to 5 bits a channel (a flat fill has 1). */
  distinctColors: number;
}

/** Mean and variance per channel over the image or a clip of it. */
export function pixelStats(png: Buffer | Uint8Array | Image, clip?: Clip): PixelStats {
  const img = toImage(png);
  const c = clampClip(img, clip);
  const sum = [0, 0, 0];
  const sq = [0, 0, 0];
  const colors = new Set<number>();
  for (let y = c.y; y < c.y + c.height; y++) {
    for (let x = c.x; x < c.x + c.width; x++) {
      const o = (y * img.width + x) * 4;
      for (let k = 0; k < 3; k++) {
        const v = img.data[o + k];
        sum[k] += v;
        sq[k] += v * v;
      }
      colors.add(((img.data[o] >> 3) << 10) | ((img.data[o + 1] >> 3) << 5) | (img.data[o + 2] >> 3));
    }
  }
  const n = c.width * c.height;
  const mean = sum.map((s) => s / n) as [number, number, number];
  const variance = sq.map((s, k) => s / n - mean[k] * mean[k]) as [number, number, number];
  return {
    width: c.width,
    height: c.height,
    pixels: n,
    mean,
    variance,
    meanVariance: (variance[0] + variance[1] + variance[2]) / 3,
    distinctColors: colors.size,
  };
}

/**
 * Fraction (0..1) of pixels whose largest channel difference exceeds `threshold` (0..255)
 * between two same-size screenshots, optionally within a clip.
 */
export function diffFraction(
  a: Buffer | Uint8Array | Image,
  b: Buffer | Uint8Array | Image,
  opts: { clip?: Clip; threshold?: number } = {},
): number {
  const A = toImage(a);
  const B = toImage(b);
  if (A.width !== B.width || A.height !== B.height)
    throw new Error(`images differ in size: ${A.width}×${A.height} vs ${B.width}×${B.height}`);
  const c = clampClip(A, opts.clip);
  const t = opts.threshold ?? 16;
  let differing = 0;
  for (let y = c.y; y < c.y + c.height; y++) {
    for (let x = c.x; x < c.x + c.width; x++) {
      const o = (y * A.width + x) * 4;
      const d = Math.max(Math.abs(A.data[o] - B.data[o]), Math.abs(A.data[o + 1] - B.data[o + 1]), Math.abs(A.data[o + 2] - B.data[o + 2]));
      if (d > t) differing++;
    }
  }
  return differing / (c.width * c.height);
}

// ---------------------------------------------------------------------------------------------
// Scene-only screenshots: the 3D canvas without the UI panels drawn over it, so a pixel diff
// measures the scene, not a checkbox that changed state.
// ---------------------------------------------------------------------------------------------

const SCENE_ATTR = "data-e2e-scene";
const HIDE_STYLE_ID = "e2e-hide-ui";

/** Marks the largest on-screen <canvas> (the Cesium scene) and returns its rectangle. */
export async function sceneRect(page: Page): Promise<Clip> {
  const rect = await page.evaluate((attr) => {
    const canvases = Array.from(document.querySelectorAll("canvas"));
    const preferred = canvases.filter((c) => c.closest(".cesium-widget"));
    const pool = preferred.length ? preferred : canvases;
    let best: HTMLCanvasElement | undefined;
    let bestArea = 0;
    for (const c of pool) {
      const r = c.getBoundingClientRect();
      if (r.width * r.height > bestArea) {
        bestArea = r.width * r.height;
        best = c;
      }
    }
    if (!best) return undefined;
    best.setAttribute(attr, "");
    const r = best.getBoundingClientRect();
    const vw = window.innerWidth;
    const vh = window.innerHeight;
    const x = Math.max(0, r.left);
    const y = Math.max(0, r.top);
    return { x, y, width: Math.min(vw, r.right) - x, height: Math.min(vh, r.bottom) - y };
  }, SCENE_ATTR);
  if (!rect || rect.width < 10 || rect.height < 10) throw new Error("[e2e] no visible scene <canvas> on the page");
  return rect;
}

/**
 * Screenshot of the scene canvas alone: every other element is hidden with `visibility`
 * (layout unchanged, no re-render of the scene), then restored.
 */
export async function sceneScreenshot(page: Page, name: string): Promise<Buffer> {
  const clip = await sceneRect(page);
  await page.evaluate(
    ({ attr, id }) => {
      const s = document.createElement("style");
      s.id = id;
      s.textContent = `body * { visibility: hidden !important; } canvas[${attr}] { visibility: visible !important; }`;
      document.head.appendChild(s);
    },
    { attr: SCENE_ATTR, id: HIDE_STYLE_ID },
  );
  try {
    return await screenshot(page, name, clip);
  } finally {
    await page.evaluate((id) => document.getElementById(id)?.remove(), HIDE_STYLE_ID);
  }
}
