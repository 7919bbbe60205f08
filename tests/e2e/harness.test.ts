// Tests of the harness itself, on a tiny hand-made page, so that "no foreign request" and "the
// canvas is not blank" in viewer.test.ts cannot pass because the recorder or the pixel maths
// is broken. Every expected number here can be worked out by hand.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deflateSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  browserSuiteMode,
  decodePng,
  describeBrowser,
  diffFraction,
  mimeType,
  pixelStats,
  sceneScreenshot,
  startHarness,
  startStaticServer,
  waitForReady,
  type Harness,
  type Image,
} from "./harness";

// ---------------------------------------------------------------------------------------------
// A minimal PNG encoder for fixtures: RGB, 8-bit, one chosen filter per row (all five used).
// ---------------------------------------------------------------------------------------------

function crc32(buf: Buffer): number {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}
function chunk(type: string, body: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(body.length);
  const tb = Buffer.concat([Buffer.from(type, "latin1"), body]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(tb));
  return Buffer.concat([len, tb, crc]);
}
function encodeRgbPng(width: number, height: number, rgb: Uint8Array): Buffer {
  const stride = width * 3;
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) {
    const filter = y % 5;
    const cur = rgb.subarray(y * stride, (y + 1) * stride);
    const prev = y > 0 ? rgb.subarray((y - 1) * stride, y * stride) : new Uint8Array(stride);
    const out = Buffer.alloc(stride + 1);
    out[0] = filter;
    for (let i = 0; i < stride; i++) {
      const a = i >= 3 ? cur[i - 3] : 0;
      const b = prev[i];
      const c = i >= 3 ? prev[i - 3] : 0;
      const pred =
        filter === 0
          ? 0
          : filter === 1
            ? a
            : filter === 2
              ? b
              : filter === 3
                ? (a + b) >> 1
                : (() => {
                    const p = a + b - c;
                    const pa = Math.abs(p - a);
                    const pb = Math.abs(p - b);
                    const pc = Math.abs(p - c);
                    return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
                  })();
      out[i + 1] = (cur[i] - pred) & 0xff;
    }
    rows.push(out);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(Buffer.concat(rows))),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

describe("harness: PNG decoding and pixel statistics", () => {
  it("decodes all five PNG row filters exactly", () => {
    const w = 7;
    const h = 10;
    const rgb = new Uint8Array(w * h * 3);
    for (let i = 0; i < rgb.length; i++) rgb[i] = (i * 37 + (i >> 3) * 11) & 0xff;
    const img = decodePng(encodeRgbPng(w, h, rgb));
    expect([img.width, img.height]).toEqual([w, h]);
    for (let p = 0; p < w * h; p++) {
      expect([img.data[p * 4], img.data[p * 4 + 1], img.data[p * 4 + 2], img.data[p * 4 + 3]]).toEqual([
        rgb[p * 3],
        rgb[p * 3 + 1],
        rgb[p * 3 + 2],
        255,
      ]);
    }
  });

  it("mean/variance and diff fraction on a half-black, half-white image", () => {
    const w = 4;
    const h = 2;
    const data = new Uint8Array(w * h * 4);
    // Left half black, right half white: mean 127.5, variance 127.5² = 16256.25 per channel.
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data.set(x < 2 ? [0, 0, 0, 255] : [255, 255, 255, 255], (y * w + x) * 4);
    const img: Image = { width: w, height: h, data };
    const s = pixelStats(img);
    expect(s.mean).toEqual([127.5, 127.5, 127.5]);
    expect(s.variance).toEqual([16256.25, 16256.25, 16256.25]);
    expect(s.distinctColors).toBe(2);
    expect(pixelStats(img, { x: 0, y: 0, width: 2, height: 2 }).meanVariance).toBe(0);

    const black: Image = { width: w, height: h, data: new Uint8Array(w * h * 4).fill(0) };
    expect(diffFraction(img, black)).toBe(0.5);
    expect(diffFraction(img, black, { clip: { x: 2, y: 0, width: 2, height: 2 } })).toBe(1);
    expect(diffFraction(img, img)).toBe(0);
  });

  it("fails loudly without Chromium in CI, skips elsewhere", () => {
    expect(browserSuiteMode({}, true)).toBe("run");
    expect(browserSuiteMode({ CI: "true" }, true)).toBe("run");
    expect(browserSuiteMode({ CI: "true" }, false)).toBe("fail");
    expect(browserSuiteMode({ CI: "1" }, false)).toBe("fail");
    expect(browserSuiteMode({}, false)).toBe("skip");
    expect(browserSuiteMode({ CI: "false" }, false)).toBe("skip");
  });

  it("knows the MIME types the viewer's data needs", () => {
    expect(mimeType("a/b/tileset.json")).toMatch(/^application\/json/);
    expect(mimeType("x.geojson")).toMatch(/^application\/geo\+json/);
    expect(mimeType("tile.glb")).toBe("model/gltf-binary");
    expect(mimeType("Cesium.js")).toMatch(/^text\/javascript/);
    expect(mimeType("a.wasm")).toBe("application/wasm");
  });
});

// ---------------------------------------------------------------------------------------------
// The server and the recorder, on a fixture page.
// ---------------------------------------------------------------------------------------------

const FIXTURE_HTML = `<!doctype html><html><head><meta charset="utf-8"><title>fixture</title></head>
<body style="margin:0;background:#000">
<div id="panel" style="position:absolute;left:0;top:0;width:200px;height:100px;background:#fff">图层</div>
<canvas id="c" width="400" height="200" style="display:block;width:400px;height:200px"></canvas>
<script>
  const gl = document.getElementById("c").getContext("webgl2", { preserveDrawingBuffer: false });
  // Left half pure red, right half pure blue, drawn with WebGL so the SwiftShader path is used.
  gl.enable(gl.SCISSOR_TEST);
  gl.scissor(0, 0, 200, 200); gl.clearColor(1, 0, 0, 1); gl.clear(gl.COLOR_BUFFER_BIT);
  gl.scissor(200, 0, 200, 200); gl.clearColor(0, 0, 1, 1); gl.clear(gl.COLOR_BUFFER_BIT);
  new Worker("w.js");
  fetch("data.geojson").then((r) => r.json()).then(() => {
    console.error("fixture console error");
    setTimeout(() => { throw new Error("fixture page error"); }, 0);
    window.warmcity = { ready: true };
  });
  fetch("http://foreign.invalid/tile.png").catch(() => {});
</script></body></html>`;

describeBrowser("harness: server, Chromium and the request recorder", () => {
  let dir: string;
  let h: Harness;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "wc-e2e-fixture-"));
    writeFileSync(join(dir, "index.html"), FIXTURE_HTML);
    writeFileSync(join(dir, "w.js"), `fetch("worker.json");`);
    writeFileSync(join(dir, "worker.json"), "{}");
    writeFileSync(join(dir, "data.geojson"), `{"type":"FeatureCollection","features":[]}`);
    writeFileSync(join(dir, "m.glb"), Buffer.from("glTF"));
    // A hand-written fixture page with inline scripts: served without the app's CSP.
    h = await startHarness(dir, {});
  });
  afterAll(async () => {
    await h?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("serves files with their MIME types, 404s missing ones, refuses paths outside the root", async () => {
    const glb = await fetch(h.url("m.glb"));
    expect(glb.status).toBe(200);
    expect(glb.headers.get("content-type")).toBe("model/gltf-binary");
    expect((await fetch(h.url("data.geojson"))).headers.get("content-type")).toMatch(/geo\+json/);
    expect((await fetch(h.url("worker.json"))).headers.get("content-type")).toMatch(/application\/json/);
    expect((await fetch(h.url(""))).headers.get("content-type")).toMatch(/text\/html/);
    expect((await fetch(h.url("nope.json"))).status).toBe(404);
    // A raw request (fetch would normalise the dots away).
    const status = await new Promise<number>((ok, fail) => {
      const u = new URL(h.server.origin);
      request({ host: u.hostname, port: u.port, path: "/..%2f..%2f..%2fetc%2fpasswd" }, (res) => {
        res.resume();
        ok(res.statusCode ?? 0);
      })
        .on("error", fail)
        .end();
    });
    expect(status).toBe(403);
  });

  it("records page and worker requests, flags foreign hosts, catches console and page errors", async () => {
    const p = await h.open("", {
      viewport: { width: 400, height: 200 },
      // Never let a test touch the network: the foreign requests are answered here.
      beforeGoto: async (page) => {
        await page.route("http://foreign.invalid/**", (r) => r.fulfill({ status: 204, body: "" }));
      },
    });
    try {
      await waitForReady(p.page, 30_000);
      await expect.poll(() => p.record.requests.some((u) => u.endsWith("/worker.json"))).toBe(true);
      await expect.poll(() => p.record.pageErrors.length).toBe(1);
      expect(p.record.foreignRequests).toContain("http://foreign.invalid/tile.png");
      expect(p.record.foreignRequests.every((u) => u.includes("foreign.invalid"))).toBe(true);
      expect(p.record.requests.filter((u) => u.startsWith(h.server.origin)).length).toBeGreaterThanOrEqual(4);
      expect(p.record.consoleErrors.map((e) => e.text)).toContain("fixture console error");
      expect(p.record.pageErrors[0]).toContain("fixture page error");

      // Scene-only screenshot: the white panel is hidden, the canvas is half red, half blue.
      const shot = await sceneScreenshot(p.page, "harness-fixture");
      const s = pixelStats(shot);
      expect([s.width, s.height]).toEqual([400, 200]);
      expect(s.mean[0]).toBeCloseTo(127.5, 0);
      expect(s.mean[1]).toBeCloseTo(0, 0);
      expect(s.mean[2]).toBeCloseTo(127.5, 0);
      expect(s.variance[0]).toBeGreaterThan(16000);
      const left = pixelStats(shot, { x: 0, y: 0, width: 200, height: 200 });
      expect(left.mean.map(Math.round)).toEqual([255, 0, 0]);
      expect(left.meanVariance).toBe(0);
    } finally {
      await p.close();
    }
  });

  it("a static server refuses to start without index.html (no build = a clear error)", async () => {
    const empty = mkdtempSync(join(tmpdir(), "wc-e2e-empty-"));
    try {
      await expect(startStaticServer(empty)).rejects.toThrow(/index\.html is missing/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
