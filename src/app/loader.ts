// A small pool of parsing workers; the main thread never parses a big GeoJSON file.
import type { LayerSpec } from "../domain/catalog";
import type { ParsedLayer } from "../domain/geojson";
import { M, MessageError } from "../domain/messages";
import type { ParseRequest, ParseResponse } from "./parse.worker";

type Pending = { resolve(l: ParsedLayer): void; reject(e: Error): void; onProgress(p: number): void };

/**
 * Layers computed in the browser (analysis results) have `analysis:<id>` URLs; the cockpit
 * worker publishes them as blob: URLs (same origin, nothing leaves the machine).
 */
export function createAnalysisRegistry() {
  let publishFn: (urls: Record<string, string>) => void = () => {};
  let published = new Promise<Record<string, string>>((resolve) => (publishFn = resolve));
  let current: Record<string, string> | undefined;
  return {
    /** Publishes the results; a later call (the cockpit recomputed) replaces them. */
    publish(layers: Record<string, string>) {
      const urls: Record<string, string> = {};
      for (const [id, text] of Object.entries(layers)) urls[id] = URL.createObjectURL(new Blob([text], { type: "application/geo+json" }));
      if (current) {
        const old = current;
        // Renderers fetch the new URLs when reloaded; the old ones go once nobody reads them.
        setTimeout(() => Object.values(old).forEach((u) => URL.revokeObjectURL(u)), 60_000);
        published = Promise.resolve(urls);
      } else publishFn(urls);
      current = urls;
    },
    async resolve(url: string): Promise<string> {
      const m = /^analysis:(.+)$/.exec(url);
      if (!m) return new URL(url, document.baseURI).href;
      const urls = await published;
      const u = urls[m[1]];
      if (!u) throw new MessageError(M.analysisMissing(m[1]));
      return u;
    },
  };
}

export function createLoader(
  resolveUrl: (url: string) => Promise<string> = async (u) => new URL(u, document.baseURI).href,
  poolSize = Math.max(1, Math.min(2, (navigator.hardwareConcurrency || 2) - 1)),
) {
  const workers: Worker[] = [];
  const pending = new Map<number, Pending>();
  let seq = 0;
  let next = 0;
  const worker = () => {
    if (workers.length < poolSize) {
      const w = new Worker(new URL("./parse.worker.ts", import.meta.url), { type: "module" });
      w.onmessage = (e: MessageEvent<ParseResponse>) => {
        const m = e.data;
        const p = pending.get(m.reqId);
        if (!p) return;
        if (m.type === "progress") return p.onProgress(m.progress);
        pending.delete(m.reqId);
        if (m.type === "done") p.resolve(m.layer);
        else p.reject(new MessageError(m.error));
      };
      w.onerror = (e) => {
        for (const [id, p] of pending) {
          p.reject(new MessageError({ zh: `解析线程出错：${e.message}`, en: `parser worker failed: ${e.message}` }));
          pending.delete(id);
        }
      };
      workers.push(w);
    }
    return workers[next++ % workers.length];
  };
  return async (spec: LayerSpec, onProgress: (p: number) => void): Promise<ParsedLayer> => {
    if (spec.kind === "3dtiles") throw new Error("3D Tiles are not parsed by the worker");
    const reqId = ++seq;
    const url = await resolveUrl(spec.url);
    return new Promise((resolve, reject) => {
      pending.set(reqId, { resolve, reject, onProgress });
      const req: ParseRequest = { reqId, url, kind: spec.kind as ParsedLayer["kind"] };
      worker().postMessage(req);
    });
  };
}
