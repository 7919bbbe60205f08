// Fetches and parses a GeoJSON layer off the main thread, reporting download progress.
import type { I18n } from "../domain/catalog";
import { flattenFeatures, parseGeoJsonText, type ParsedLayer } from "../domain/geojson";
import { messageOf } from "../domain/messages";
import { fetchText } from "./fetchText";

export interface ParseRequest {
  reqId: number;
  url: string;
  kind: ParsedLayer["kind"];
}
export type ParseResponse =
  | { reqId: number; type: "progress"; progress: number }
  | { reqId: number; type: "done"; layer: ParsedLayer }
  | { reqId: number; type: "error"; error: I18n };

const post = (m: ParseResponse, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(m, transfer);

self.onmessage = async (e: MessageEvent<ParseRequest>) => {
  const { reqId, url, kind } = e.data;
  try {
    const text = await fetchText(url, (progress) => post({ reqId, type: "progress", progress }));
    const { features } = parseGeoJsonText(text);
    const layer = flattenFeatures(features, kind);
    const transfer: Transferable[] = [layer.coords.buffer, layer.parts.buffer];
    if (layer.rings) transfer.push(layer.rings.buffer);
    post({ reqId, type: "done", layer }, transfer);
  } catch (err) {
    post({ reqId, type: "error", error: messageOf(err, "数据文件无法读取") });
  }
};
