// A tiny static server for the bench: serves the built app under several prefixes, each with
// its own `generated/` folder, so the same build can load the 1× and the 4× city
// (/x1/index.html, /x4/bench.html …; the app uses relative URLs, so a prefix just works).
import { createReadStream, statSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize, resolve, sep } from "node:path";

const MIME: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".geojson": "application/geo+json; charset=utf-8",
  ".glb": "model/gltf-binary",
  ".gltf": "model/gltf+json",
  ".b3dm": "application/octet-stream",
  ".subtree": "application/octet-stream",
  ".bin": "application/octet-stream",
  ".wasm": "application/wasm",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".webp": "image/webp",
  ".ktx2": "image/ktx2",
  ".svg": "image/svg+xml",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
  ".ttf": "font/ttf",
  ".txt": "text/plain; charset=utf-8",
  ".xml": "application/xml; charset=utf-8",
};

export interface Site {
  /** URL prefix without slashes, e.g. "x1". */
  prefix: string;
  /** The built app (dist/). */
  appDir: string;
  /** Served as <prefix>/generated/ instead of appDir/generated. */
  generatedDir: string;
}

/** One response the server finished sending (for "bytes transferred until ready"). */
export interface Served {
  prefix: string;
  path: string;
  /** Body bytes sent (the file's size; HEAD and errors count 0). */
  bytes: number;
  /** Date.now() when the last byte was handed to the socket. */
  endEpochMs: number;
}

export interface BenchServer {
  origin: string;
  url(prefix: string, path: string): string;
  /** Responses sent since the last clearTraffic(), in the order they finished. */
  traffic(): Served[];
  clearTraffic(): void;
  close(): Promise<void>;
}

/** Resolves `rel` inside `root`, or undefined if it escapes it. */
function inside(root: string, rel: string): string | undefined {
  const abs = normalize(join(root, rel));
  return abs === root || abs.startsWith(root + sep) ? abs : undefined;
}

export async function startBenchServer(sites: Site[]): Promise<BenchServer> {
  const byPrefix = new Map(sites.map((s) => [s.prefix, { app: resolve(s.appDir), gen: resolve(s.generatedDir) }]));
  let served: Served[] = [];
  const server = createServer((req, res) => {
    let path: string;
    try {
      path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    const m = /^\/([^/]+)\/(.*)$/.exec(path);
    const site = m && byPrefix.get(m[1]);
    if (!m || !site) {
      res.writeHead(404).end("unknown prefix");
      return;
    }
    let rel = m[2] || "index.html";
    let file: string | undefined;
    if (rel.startsWith("generated/")) file = inside(site.gen, rel.slice("generated/".length));
    else file = inside(site.app, rel);
    try {
      if (file && statSync(file).isDirectory()) {
        rel = join(rel, "index.html");
        file = join(file, "index.html");
      }
      const st = file ? statSync(file) : undefined;
      if (!file || !st?.isFile()) throw new Error("missing");
      res.writeHead(200, {
        "content-type": MIME[extname(file).toLowerCase()] ?? "application/octet-stream",
        "content-length": st.size,
        "cache-control": "no-cache",
      });
      if (req.method === "HEAD") res.end();
      else {
        const prefix = m[1];
        res.on("finish", () => served.push({ prefix, path: rel, bytes: st.size, endEpochMs: Date.now() }));
        createReadStream(file).pipe(res);
      }
    } catch {
      res.writeHead(404, { "content-type": "text/plain" }).end(`not found: ${path}`);
    }
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    url: (prefix, p) => `${origin}/${prefix}/${p.replace(/^\//, "")}`,
    traffic: () => [...served],
    clearTraffic: () => {
      served = [];
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
