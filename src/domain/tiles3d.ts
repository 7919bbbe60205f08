// Checks on 3D Tiles input that the renderer runs before and after Cesium sees it: Cesium
// reports a bad tileset.json as a raw English exception and a bad content file not at all
// (the layer showed "ready"), and the official 3D Tiles validator skips content whose magic it
// does not recognise. Pure: bytes and JSON in, a zh/en reason (or nothing) out.
import type { I18n } from "./catalog";
import { M } from "./messages";

const SUPPORTED = ["1.0", "1.1"];

/** What is wrong with a parsed tileset.json, or undefined when Cesium can take it. */
export function checkTilesetJson(json: unknown): I18n | undefined {
  if (typeof json !== "object" || json === null || Array.isArray(json))
    return M.tilesetInvalid({ zh: "不是 JSON 对象", en: "not a JSON object" });
  const t = json as { asset?: { version?: unknown }; root?: unknown; geometricError?: unknown };
  if (typeof t.asset !== "object" || t.asset === null) return M.tilesetInvalid({ zh: "缺少 asset", en: "no asset" });
  const v = t.asset.version;
  if (typeof v !== "string" || !SUPPORTED.includes(v)) return M.tilesetVersion(String(v));
  if (typeof t.root !== "object" || t.root === null) return M.tilesetInvalid({ zh: "缺少 root", en: "no root" });
  const root = t.root as { boundingVolume?: unknown; geometricError?: unknown };
  if (typeof root.boundingVolume !== "object" || root.boundingVolume === null)
    return M.tilesetInvalid({ zh: "root 缺少 boundingVolume", en: "root has no boundingVolume" });
  if (typeof root.geometricError !== "number" || !Number.isFinite(root.geometricError))
    return M.tilesetInvalid({ zh: "root.geometricError 不是数字", en: "root.geometricError is not a number" });
  return undefined;
}

const MAGICS: Record<string, string> = { glTF: "glb", b3dm: "b3dm", i3dm: "i3dm", pnts: "pnts", cmpt: "cmpt" };

/**
 * What is wrong with a content file's bytes, judged by its name and header: a .glb (and the
 * other binary formats) must start with its magic and be as long as its header says.
 */
export function checkTileContent(file: string, bytes: Uint8Array): I18n | undefined {
  const ext = /\.([a-z0-9]+)(?:[?#].*)?$/i.exec(file)?.[1]?.toLowerCase();
  if (ext === "json" || ext === "subtree" || ext === "gltf") return undefined;
  if (bytes.length < 12) return M.glbTruncated(12, bytes.length);
  const magic = String.fromCharCode(bytes[0], bytes[1], bytes[2], bytes[3]);
  const expected = ext && Object.values(MAGICS).includes(ext) ? ext : "glb";
  if (MAGICS[magic] !== expected) return M.glbMagic(magic.replace(/[^\x20-\x7e]/g, "?"));
  const declared = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(8, true);
  if (declared > bytes.length) return M.glbTruncated(declared, bytes.length);
  return undefined;
}
