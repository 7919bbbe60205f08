// A small pool of parsing workers; the main thread never parses a big GeoJSON file.
import type { LayerSpec } from "../domain/catalog";
import type { ParsedLayer } from "../domain/geojson";
import type { ParseRequest, ParseResponse } from "./parse.worker";

type Pending = { resolve(l: ParsedLayer): void; reject(e: Error): void; onProgress(p: number): void };

export function createLoader(poolSize = Math.max(1, Math.min(2, (navigator.hardwareConcurrency || 2) - 1))) {
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
        else p.reject(new Error(m.error));
      };
      w.onerror = (e) => {
        for (const [id, p] of pending) {
          p.reject(new Error(`parser worker failed: ${e.message}`));
          pending.delete(id);
        }
      };
      workers.push(w);
    }
    return workers[next++ % workers.length];
  };
  return (spec: LayerSpec, onProgress: (p: number) => void): Promise<ParsedLayer> => {
    if (spec.kind === "3dtiles") return Promise.reject(new Error("3D Tiles are not parsed by the worker"));
    const reqId = ++seq;
    const url = new URL(spec.url, document.baseURI).href;
    return new Promise((resolve, reject) => {
      pending.set(reqId, { resolve, reject, onProgress });
      const req: ParseRequest = { reqId, url, kind: spec.kind as ParsedLayer["kind"] };
      worker().postMessage(req);
    });
  };
}
