// Fetches and parses a GeoJSON layer off the main thread, reporting download progress.
import { flattenFeatures, parseGeoJsonText, type ParsedLayer } from "../domain/geojson";

export interface ParseRequest {
  reqId: number;
  url: string;
  kind: ParsedLayer["kind"];
}
export type ParseResponse =
  | { reqId: number; type: "progress"; progress: number }
  | { reqId: number; type: "done"; layer: ParsedLayer }
  | { reqId: number; type: "error"; error: string };

const post = (m: ParseResponse, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(m, transfer);

async function readText(reqId: number, res: Response): Promise<string> {
  const total = Number(res.headers.get("content-length")) || 0;
  if (!res.body || !total) return res.text();
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let got = 0;
  let lastPost = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    got += value.length;
    if (got - lastPost > total / 20) {
      lastPost = got;
      post({ reqId, type: "progress", progress: Math.min(0.95, got / total) });
    }
  }
  const all = new Uint8Array(got);
  let o = 0;
  for (const c of chunks) {
    all.set(c, o);
    o += c.length;
  }
  return new TextDecoder().decode(all);
}

self.onmessage = async (e: MessageEvent<ParseRequest>) => {
  const { reqId, url, kind } = e.data;
  try {
    const res = await fetch(url);
    if (!res.ok) throw new Error(`HTTP ${res.status} ${res.statusText || ""} for ${new URL(url).pathname}`.replace(/\s+for/, " for"));
    const text = await readText(reqId, res);
    const { features } = parseGeoJsonText(text);
    const layer = flattenFeatures(features, kind);
    const transfer: Transferable[] = [layer.coords.buffer, layer.parts.buffer];
    if (layer.rings) transfer.push(layer.rings.buffer);
    post({ reqId, type: "done", layer }, transfer);
  } catch (err) {
    post({ reqId, type: "error", error: err instanceof Error ? err.message : String(err) });
  }
};
