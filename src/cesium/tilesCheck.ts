// Our own checks around Cesium3DTileset: read tileset.json first (so a 404, an HTML page, a
// bad version or a missing root is a clear zh/en message, not a raw exception), and when
// Cesium reports a failed tile, fetch that file and say what is wrong with it (missing, not a
// glb, truncated). Cesium is not imported here; the renderer calls these.
import type { I18n } from "../domain/catalog";
import { M, MessageError } from "../domain/messages";
import { checkTileContent, checkTilesetJson } from "../domain/tiles3d";
import { fetchText } from "../app/fetchText";
import { parseJsonOrExplain } from "../domain/geojson";

/** Throws a MessageError when the tileset.json at `url` cannot be used. */
export async function preflightTileset(url: string): Promise<void> {
  const json = parseJsonOrExplain(await fetchText(url));
  const bad = checkTilesetJson(json);
  if (bad) throw new MessageError(bad);
}

const fileOf = (url: string) => {
  try {
    return new URL(url).pathname.split("/").pop() || url;
  } catch {
    return url;
  }
};

/** Why the content file at `url` failed, from the file itself; Cesium's message when the file looks fine. */
export async function describeTileFailure(url: string, cesiumMessage: string): Promise<I18n> {
  const file = fileOf(url);
  let why: I18n | undefined;
  try {
    const res = await fetch(url);
    if (!res.ok) why = { zh: M.http(res.status, file).zh, en: M.http(res.status, file).en };
    else why = checkTileContent(file, new Uint8Array(await res.arrayBuffer()));
  } catch {
    why = M.network(file);
  }
  return M.tileContent(file, why ?? { zh: `渲染器报错：${cesiumMessage}`, en: cesiumMessage });
}
