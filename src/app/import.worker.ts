// Parses one user file (or URL) off the main thread: fetch with progress, the format parsers
// and the CRS conversion from src/domain/import, heights for footprints. One worker per
// import, so "cancel" is simply terminate().
import type { I18n } from "../domain/catalog";
import { ImportError, importData, overBudget, IMPORT_BUDGET_BYTES, type ImportResult } from "../domain/import/parse";
import { addHeights, categoricalFields, fieldValues, ownColors } from "../domain/imports";

export interface ImportRequest {
  name: string;
  bytes?: ArrayBuffer;
  text?: string;
  url?: string;
  crs?: string;
  encoding?: string;
}
export interface ImportedLayerOut {
  kind: "point" | "line" | "polygon";
  /** GeoJSON text, WGS84. */
  text: string;
  count: number;
  fields: string[];
  fieldValues: Record<string, string[]>;
  hasHeight: boolean;
  /** The file's own colours (CZML), drawn as they are. */
  ownColors?: string[];
}
export type ImportResponse =
  | { type: "progress"; progress: number; step: string }
  | { type: "done"; result: Omit<ImportResult, "layers">; layers: ImportedLayerOut[] }
  /** The URL is a 3D Tiles tileset: the main thread adds it as a 3dtiles layer. */
  | { type: "tileset"; url: string }
  | { type: "error"; msg: I18n };

const post = (m: ImportResponse) => (self as unknown as Worker).postMessage(m);

async function fetchBytes(url: string, name: string): Promise<Uint8Array> {
  let res: Response;
  try {
    res = await fetch(url);
  } catch (e) {
    throw new ImportError({
      zh: `${name}：无法下载（${(e as Error).message}）`,
      en: `${name}: cannot be downloaded (${(e as Error).message})`,
    });
  }
  if (!res.ok) throw new ImportError({ zh: `${name}：下载失败 HTTP ${res.status}`, en: `${name}: download failed, HTTP ${res.status}` });
  const total = Number(res.headers.get("content-length")) || 0;
  if (total > IMPORT_BUDGET_BYTES) {
    const m = overBudget(total, IMPORT_BUDGET_BYTES);
    throw new ImportError({ zh: `${name}：${m.zh}`, en: `${name}: ${m.en}` });
  }
  if (!res.body) return new Uint8Array(await res.arrayBuffer());
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let got = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    got += value.length;
    if (total) post({ type: "progress", progress: 0.3 * Math.min(1, got / total), step: "download" });
  }
  const all = new Uint8Array(got);
  let o = 0;
  for (const c of chunks) {
    all.set(c, o);
    o += c.length;
  }
  return all;
}

function isTileset(bytes: Uint8Array): boolean {
  const head = new TextDecoder().decode(bytes.subarray(0, 4096)).trimStart();
  if (!head.startsWith("{") || !/"asset"\s*:/.test(head)) return false;
  try {
    const j = JSON.parse(new TextDecoder().decode(bytes)) as { asset?: unknown; root?: unknown };
    return typeof j.asset === "object" && typeof j.root === "object";
  } catch {
    return false;
  }
}

self.onmessage = async (e: MessageEvent<ImportRequest>) => {
  const req = e.data;
  try {
    let bytes: Uint8Array | undefined = req.bytes ? new Uint8Array(req.bytes) : undefined;
    if (req.url) {
      const got = await fetchBytes(req.url, req.name);
      if (isTileset(got)) return post({ type: "tileset", url: req.url });
      bytes = got;
    }
    const r = importData({ name: req.name, bytes, text: req.text, crs: req.crs, encoding: req.encoding }, (p, step) =>
      post({ type: "progress", progress: 0.3 + 0.6 * p, step }),
    );
    const layers: ImportedLayerOut[] = r.layers.map((l) => {
      const hasHeight = l.kind === "polygon" && addHeights(l.fc);
      const fields = categoricalFields(l.fc.features);
      return {
        kind: l.kind,
        text: JSON.stringify(l.fc),
        count: l.fc.features.length,
        fields,
        fieldValues: fieldValues(l.fc.features, fields),
        hasHeight,
        ownColors: ownColors(l.fc.features),
      };
    });
    const { layers: _l, ...result } = r;
    void _l;
    post({ type: "done", result, layers });
  } catch (err) {
    const msg: I18n =
      err instanceof ImportError
        ? err.msg
        : {
            zh: `${req.name}：无法读取（${(err as Error)?.message ?? String(err)}）`,
            en: `${req.name}: cannot be read (${(err as Error)?.message ?? String(err)})`,
          };
    post({ type: "error", msg });
  }
};
