// Bring-your-own-data: one file (bytes or text) → WGS84 GeoJSON, split by geometry kind so the
// existing point / line / polygon renderers draw it. Pure; runs in the import worker (browser)
// and in `npm run import` (node). Every format goes through a maintained parser — papaparse,
// shpjs (+ parsedbf), @tmcw/togeojson, osmtogeojson, fflate for zips, @xmldom/xmldom because
// Web Workers have no DOMParser — and every failure becomes an ImportError whose message, in
// Chinese and English, names the file and the reason.
import { DOMParser } from "@xmldom/xmldom";
import { gpx as gpxToGeoJson, kml as kmlToGeoJson } from "@tmcw/togeojson";
import { unzipSync } from "fflate";
import type { Feature, FeatureCollection, Geometry, Position } from "geojson";
import osmtogeojson from "osmtogeojson";
import Papa from "papaparse";
import { parseDbf, parseShp } from "shpjs";
import type { I18n } from "../catalog";
import { IMPORT_BUDGET_BYTES, overBudget } from "./budget";
import { checkBbox, crsFromGeoJsonMember, crsFromWkt, crsKey, crsLabel, parseCrs, toWgs84, type Bbox, type Crs } from "../crs";

export type ImportFormat = "geojson" | "csv" | "kml" | "kmz" | "gpx" | "shapefile" | "czml" | "osm";
export type VectorKind = "point" | "line" | "polygon";

export interface ImportInput {
  name: string;
  bytes?: Uint8Array;
  text?: string;
  /** A CRS name (parseCrs) chosen by the user; overrides nothing read from the file (.prj/crs). */
  crs?: string;
  /** Text encoding chosen by the user ("utf-8", "gbk"); otherwise detected. */
  encoding?: string;
  /** Memory budget (bytes) for one file; IMPORT_BUDGET_BYTES by default. */
  budgetBytes?: number;
}

export interface ImportedCollection {
  kind: VectorKind;
  fc: FeatureCollection;
}

export interface ImportResult {
  format: ImportFormat;
  layers: ImportedCollection[];
  crs: string;
  crsLabel: I18n;
  /** Where the CRS came from. */
  crsSource: "file" | "user" | "default";
  encoding?: string;
  featureCount: number;
  skipped: number;
  warnings: I18n[];
}

export { IMPORT_BUDGET_BYTES, overBudget };

export class ImportError extends Error {
  constructor(readonly msg: I18n) {
    super(msg.en);
    this.name = "ImportError";
  }
}

type Progress = (fraction: number, step: string) => void;

const fail = (name: string, zh: string, en: string): never => {
  throw new ImportError({ zh: `${name}：${zh}`, en: `${name}: ${en}` });
};

// --------------------------------------------------------------------------- text and encodings

const utf8Fatal = () => new TextDecoder("utf-8", { fatal: true });

/** UTF-8 if it decodes strictly, else GBK (GB18030, its superset) — what Chinese Excel writes. */
export function decodeText(name: string, bytes: Uint8Array, encoding?: string): { text: string; encoding: string } {
  const enc = encoding?.trim().toLowerCase();
  if (enc && enc !== "auto") {
    if (enc === "utf-8" || enc === "utf8") {
      try {
        return { text: stripBom(utf8Fatal().decode(bytes)), encoding: "utf-8" };
      } catch {
        return fail(
          name,
          "不是有效的 UTF-8 文本（很可能是 GBK 编码）：请把编码选为 GBK",
          "is not valid UTF-8 text (probably GBK): choose the GBK encoding",
        );
      }
    }
    try {
      return { text: stripBom(new TextDecoder(enc).decode(bytes)), encoding: enc };
    } catch {
      return fail(name, `不支持的编码“${encoding}”`, `unsupported encoding "${encoding}"`);
    }
  }
  try {
    return { text: stripBom(utf8Fatal().decode(bytes)), encoding: "utf-8" };
  } catch {
    return { text: new TextDecoder("gb18030").decode(bytes), encoding: "gbk" };
  }
}
const stripBom = (s: string) => (s.charCodeAt(0) === 0xfeff ? s.slice(1) : s);

// --------------------------------------------------------------------------- detection

const ext = (name: string) => /\.([a-z0-9]+)$/i.exec(name)?.[1].toLowerCase() ?? "";
const isZip = (b: Uint8Array | undefined) =>
  !!b && b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && (b[2] === 3 || b[2] === 5) && (b[3] === 4 || b[3] === 6);

/** An OSM PBF file: a 4-byte header length, then a BlobHeader whose type is "OSMHeader". */
function isOsmPbf(b: Uint8Array | undefined): boolean {
  if (!b || b.length < 16) return false;
  const head = String.fromCharCode(...b.subarray(4, Math.min(b.length, 40)));
  return head.includes("OSMHeader");
}

function unzip(name: string, bytes: Uint8Array): Record<string, Uint8Array> {
  try {
    const files = unzipSync(bytes);
    return Object.fromEntries(Object.entries(files).filter(([k]) => !k.includes("__MACOSX") && !k.endsWith("/")));
  } catch (e) {
    return fail(
      name,
      `压缩包已损坏或不完整（${(e as Error).message}）`,
      `the zip archive is damaged or truncated (${(e as Error).message})`,
    );
  }
}

function parseXml(name: string, text: string) {
  const errors: string[] = [];
  let doc: ReturnType<DOMParser["parseFromString"]> | undefined;
  try {
    doc = new DOMParser({
      onError: (level: string, msg: string) => {
        if (level !== "warning") errors.push(msg);
      },
    }).parseFromString(text, "text/xml");
  } catch (e) {
    errors.push((e as Error).message);
  }
  if (errors.length || !doc?.documentElement)
    fail(name, `XML 无法解析（${(errors[0] ?? "").slice(0, 100)}）`, `the XML cannot be parsed (${(errors[0] ?? "").slice(0, 100)})`);
  return doc!;
}

// --------------------------------------------------------------------------- format readers

interface Raw {
  format: ImportFormat;
  fc: FeatureCollection;
  /** CRS stated by the file itself (.prj, GeoJSON crs). Formats that are WGS84 by spec say so. */
  fileCrs?: Crs;
  /** The format is WGS84 by definition (KML, GPX, OSM, CZML): a user CRS does not apply. */
  wgs84ByDefinition?: boolean;
  encoding?: string;
  skipped: number;
  warnings: I18n[];
}

function readGeoJson(name: string, text: string): Raw {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return fail(
      name,
      `不是有效的 JSON（${(e as Error).message.slice(0, 80)}）`,
      `is not valid JSON (${(e as Error).message.slice(0, 80)})`,
    );
  }
  const o = json as { type?: string; features?: unknown; crs?: unknown };
  let features: unknown[];
  if (o?.type === "FeatureCollection" && Array.isArray(o.features)) features = o.features;
  else if (o?.type === "Feature") features = [o];
  else if (typeof o?.type === "string" && "coordinates" in (o as object)) features = [{ type: "Feature", geometry: o, properties: {} }];
  else
    return fail(
      name,
      "不是 GeoJSON（需要 FeatureCollection、Feature 或几何对象）",
      "is not GeoJSON (expected a FeatureCollection, Feature or geometry)",
    );
  let fileCrs: Crs | undefined;
  if (o.crs !== undefined) {
    fileCrs = crsFromGeoJsonMember(o.crs);
    if (!fileCrs) {
      const n = JSON.stringify((o.crs as { properties?: { name?: unknown } })?.properties?.name ?? o.crs).slice(0, 60);
      fail(name, `不认识的坐标系 ${n}：请在导入时选择坐标系`, `unknown coordinate system ${n}: choose one when importing`);
    }
  }
  return { format: "geojson", fc: { type: "FeatureCollection", features: features as Feature[] }, fileCrs, skipped: 0, warnings: [] };
}

const LON_COLS = ["lon", "lng", "long", "longitude", "经度", "东经", "point_x", "wgs84_lon", "gcj02_lon", "bd09_lon"];
const LAT_COLS = ["lat", "latitude", "纬度", "北纬", "point_y", "wgs84_lat", "gcj02_lat", "bd09_lat"];
const X_COLS = ["x", "x坐标", "easting", "东坐标", "横坐标"];
const Y_COLS = ["y", "y坐标", "northing", "北坐标", "纵坐标"];

function readCsv(name: string, text: string, encoding: string): Raw {
  const parsed = Papa.parse<Record<string, unknown>>(text, {
    header: true,
    skipEmptyLines: "greedy",
    dynamicTyping: true,
    transformHeader: (h) => h.trim(),
  });
  const fields = parsed.meta.fields ?? [];
  const find = (cands: string[]) => fields.find((f) => cands.includes(f.toLowerCase()));
  const lon = find(LON_COLS) ?? find(X_COLS);
  const lat = lon && LON_COLS.includes(lon.toLowerCase()) ? find(LAT_COLS) : find(Y_COLS);
  if (!lon || !lat)
    fail(
      name,
      `找不到坐标列（需要 经度/纬度、lon/lat、lng/lat 或 x/y 列；文件中的列：${fields.slice(0, 12).join("、") || "无"}）`,
      `has no coordinate columns (looked for lon/lat, lng/lat, longitude/latitude, 经度/纬度 or x/y; found: ${fields.slice(0, 12).join(", ") || "none"})`,
    );
  const features: Feature[] = [];
  let skipped = 0;
  for (const row of parsed.data) {
    const x = Number(row[lon!]);
    const y = Number(row[lat!]);
    if (row[lon!] === null || row[lon!] === "" || !Number.isFinite(x) || !Number.isFinite(y)) {
      skipped++;
      continue;
    }
    const properties: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(row)) if (k !== lon && k !== lat && k !== "__parsed_extra" && v !== null) properties[k] = v;
    features.push({ type: "Feature", geometry: { type: "Point", coordinates: [x, y] }, properties });
  }
  // A user whose file is all strings decoded as GBK fine; one decoded as UTF-8 by force gets
  // mojibake — decodeText catches that earlier. Here: parse errors are per row.
  const warnings: I18n[] = [];
  if (skipped)
    warnings.push({ zh: `${name}：${skipped} 行坐标无效，已跳过`, en: `${name}: ${skipped} row(s) without valid coordinates skipped` });
  return { format: "csv", fc: { type: "FeatureCollection", features }, skipped, warnings, encoding };
}

function readKmlText(name: string, text: string, format: "kml" | "kmz"): Raw {
  const doc = parseXml(name, text);
  const fc = kmlToGeoJson(doc as never) as FeatureCollection;
  return { format, fc, wgs84ByDefinition: true, skipped: 0, warnings: [] };
}

function readGpx(name: string, text: string): Raw {
  const fc = gpxToGeoJson(parseXml(name, text) as never) as FeatureCollection;
  return { format: "gpx", fc, wgs84ByDefinition: true, skipped: 0, warnings: [] };
}

function readOsm(name: string, text: string): Raw {
  const doc = parseXml(name, text);
  // Count ways that reference nodes the file does not contain (a cut-out extract, a broken
  // export): osmtogeojson drops or truncates them, and the user should know.
  const nodeIds = new Set<string>();
  const nodes = doc.getElementsByTagName("node");
  for (let i = 0; i < nodes.length; i++) nodeIds.add(nodes[i].getAttribute("id") ?? "");
  const ways = doc.getElementsByTagName("way");
  let broken = 0;
  for (let i = 0; i < ways.length; i++) {
    const nds = ways[i].getElementsByTagName("nd");
    for (let j = 0; j < nds.length; j++)
      if (!nodeIds.has(nds[j].getAttribute("ref") ?? "")) {
        broken++;
        break;
      }
  }
  const fc = osmtogeojson(doc as never, { flatProperties: true });
  const warnings: I18n[] = [];
  if (broken)
    warnings.push({
      zh: `${name}：${broken} 条路径引用了文件中不存在的节点（引用断裂），这些路径不完整或已跳过`,
      en: `${name}: ${broken} way(s) reference nodes missing from the file (broken references); they are incomplete or skipped`,
    });
  if (ways.length && broken === ways.length && !fc.features.some((f) => f.geometry && f.geometry.type !== "Point"))
    fail(
      name,
      `所有 ${broken} 条路径都引用了不存在的节点（OSM 引用断裂）`,
      `all ${broken} way(s) reference missing nodes (broken OSM references)`,
    );
  return { format: "osm", fc, wgs84ByDefinition: true, skipped: 0, warnings };
}

/**
 * CZML as a static layer: points, polylines and polygons at fixed positions (cartographicDegrees
 * or cartographicRadians), with their name, description, properties and colour (`_color`, what
 * the automatic style draws them in). A static layer cannot move: packets whose positions change
 * with time (an epoch with samples, interval lists, references) are left out and counted in a
 * notice, as are positions it cannot read (e.g. cartesian).
 */
function readCzml(name: string, packets: unknown[]): Raw {
  const features: Feature[] = [];
  let timeDynamic = 0;
  let unreadable = 0;
  type Obj = Record<string, unknown>;
  const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
  // Time-varying: an interval list, an epoch (sampled values), a reference to another packet.
  const dynamic = (v: unknown) =>
    Array.isArray(v) ||
    (isObj(v) && (v.epoch !== undefined || v.interval !== undefined || v.reference !== undefined || v.references !== undefined));
  const deg = (v: unknown): Position[] | undefined => {
    if (!isObj(v)) return undefined;
    const rad = Array.isArray(v.cartographicRadians);
    const a = (rad ? v.cartographicRadians : v.cartographicDegrees) as unknown;
    if (!Array.isArray(a) || a.length === 0 || a.length % 3 !== 0 || !a.every((n) => typeof n === "number")) return undefined;
    const k = rad ? 180 / Math.PI : 1;
    const out: Position[] = [];
    for (let i = 0; i < a.length; i += 3) out.push([a[i] * k, a[i + 1] * k, a[i + 2]]);
    return out;
  };
  const hex = (c: unknown): string | undefined => {
    if (!isObj(c)) return undefined;
    const f = Array.isArray(c.rgba) ? (c.rgba as number[]) : Array.isArray(c.rgbaf) ? (c.rgbaf as number[]).map((x) => x * 255) : undefined;
    if (!f || f.length !== 4 || !f.every((x) => typeof x === "number" && Number.isFinite(x))) return undefined;
    return (
      "#" +
      f
        .map((x) =>
          Math.max(0, Math.min(255, Math.round(x)))
            .toString(16)
            .padStart(2, "0"),
        )
        .join("")
    );
  };
  const materialColor = (m: unknown): string | undefined => {
    if (!isObj(m)) return undefined;
    for (const k of ["solidColor", "polylineOutline", "polylineGlow", "polylineArrow", "polylineDash", "grid", "stripe"])
      if (isObj(m[k])) return hex((m[k] as Obj).color);
    return undefined;
  };
  const text = (v: unknown): string | undefined =>
    typeof v === "string" ? v : isObj(v) && typeof v.string === "string" ? v.string : undefined;
  for (const p of packets.slice(1) as unknown[]) {
    if (!isObj(p)) continue;
    const props: Record<string, unknown> = { id: p.id, name: text(p.name) };
    const description = text(p.description);
    if (description !== undefined) props.description = description;
    const pp = p.properties;
    if (isObj(pp)) for (const [k, v] of Object.entries(pp)) if (typeof v !== "object" || v === null) props[k] = v;
    const polyline = isObj(p.polyline) ? p.polyline : undefined;
    const polygon = isObj(p.polygon) ? p.polygon : undefined;
    const point = isObj(p.point) ? p.point : isObj(p.billboard) ? p.billboard : undefined;
    const shapes = [polygon?.positions, polyline?.positions, p.position].filter((v) => v !== undefined);
    if (!shapes.length) continue; // the document packet, styles, clocks: nothing to draw
    if (shapes.some(dynamic)) {
      timeDynamic++;
      continue;
    }
    let geometry: Geometry | undefined;
    let color: string | undefined;
    const poly = deg(polygon?.positions);
    const line = deg(polyline?.positions);
    const pos = deg(p.position);
    if (poly && poly.length >= 3) {
      geometry = { type: "Polygon", coordinates: [[...poly, poly[0]]] };
      color = materialColor(polygon!.material) ?? hex(polygon!.outlineColor);
    } else if (line && line.length >= 2) {
      geometry = { type: "LineString", coordinates: line };
      color = materialColor(polyline!.material);
    } else if (pos && pos.length === 1) {
      geometry = { type: "Point", coordinates: pos[0] };
      color = hex(point?.color);
    }
    if (!geometry) {
      unreadable++;
      continue;
    }
    if (color) props._color = color;
    features.push({ type: "Feature", id: String(p.id ?? features.length), geometry, properties: props });
  }
  const warnings: I18n[] = [];
  if (timeDynamic)
    warnings.push({
      zh: `${name}：${timeDynamic} 个 CZML 对象的位置随时间变化（动态 CZML），静态图层只能显示固定位置，这些对象未导入`,
      en: `${name}: ${timeDynamic} CZML packet(s) move over time (time-dynamic CZML); a static layer shows fixed positions only, so they were not imported`,
    });
  if (unreadable)
    warnings.push({
      zh: `${name}：${unreadable} 个 CZML 对象的位置无法读取（只支持 cartographicDegrees / cartographicRadians），已跳过`,
      en: `${name}: ${unreadable} CZML packet(s) with positions it cannot read (only cartographicDegrees / cartographicRadians) skipped`,
    });
  // Both kinds are said in the warnings above (not as "without usable geometry").
  return { format: "czml", fc: { type: "FeatureCollection", features }, wgs84ByDefinition: true, skipped: 0, warnings };
}

function readShapefile(name: string, files: Record<string, Uint8Array>, userCrs: Crs | undefined, encoding?: string): Raw {
  const names = Object.keys(files);
  const shps = names.filter((n) => /\.shp$/i.test(n));
  const byBase = (base: string, e: string) => names.find((n) => n.toLowerCase() === `${base}.${e}`.toLowerCase());
  const features: Feature[] = [];
  let fileCrs: Crs | undefined;
  let usedEncoding: string | undefined;
  const warnings: I18n[] = [];
  for (const shp of shps) {
    const base = shp.slice(0, -4);
    const short = shp.split("/").pop()!;
    const dbfName = byBase(base, "dbf");
    if (!dbfName)
      fail(
        name,
        `${short} 缺少 .dbf 属性文件（Shapefile 至少需要 .shp、.dbf 和 .prj）`,
        `${short} has no .dbf attribute file (a Shapefile needs .shp, .dbf and .prj)`,
      );
    const prjName = byBase(base, "prj");
    let crs: Crs | undefined;
    if (prjName) {
      const wkt = new TextDecoder().decode(files[prjName]);
      crs = crsFromWkt(wkt);
      if (!crs)
        fail(
          name,
          `${short} 的 .prj 坐标系无法识别：${wkt.slice(0, 60)}…`,
          `the .prj of ${short} names a coordinate system that cannot be read: ${wkt.slice(0, 60)}…`,
        );
    } else if (!userCrs) {
      fail(
        name,
        `${short} 缺少 .prj 坐标系文件：请在导入时选择坐标系，或把 .prj 一起打包`,
        `${short} has no .prj projection file: choose the coordinate system when importing, or include the .prj in the zip`,
      );
    }
    if (fileCrs && crs && crsKey(fileCrs) !== crsKey(crs))
      fail(
        name,
        "压缩包内各 Shapefile 的坐标系不同，请分开导入",
        "the Shapefiles in the zip use different coordinate systems: import them separately",
      );
    fileCrs = crs ?? fileCrs;
    const dbf = files[dbfName!];
    const cpgName = byBase(base, "cpg");
    const enc =
      encoding && encoding !== "auto" ? encoding : cpgName ? normaliseCpg(new TextDecoder().decode(files[cpgName])) : dbfEncoding(dbf);
    usedEncoding = enc;
    let geoms: Geometry[];
    let rows: Record<string, unknown>[];
    try {
      geoms = parseShp(new DataView(files[shp].buffer, files[shp].byteOffset, files[shp].byteLength), false);
    } catch (e) {
      return fail(name, `${short} 已损坏（${(e as Error).message}）`, `${short} is damaged (${(e as Error).message})`);
    }
    try {
      rows = parseDbf(new DataView(dbf.buffer, dbf.byteOffset, dbf.byteLength), enc);
    } catch (e) {
      return fail(name, `${dbfName} 已损坏（${(e as Error).message}）`, `${dbfName} is damaged (${(e as Error).message})`);
    }
    if (rows.length !== geoms.length)
      warnings.push({
        zh: `${name}：${short} 有 ${geoms.length} 个图形但 .dbf 有 ${rows.length} 行`,
        en: `${name}: ${short} has ${geoms.length} shapes but its .dbf has ${rows.length} rows`,
      });
    geoms.forEach((g, i) => features.push({ type: "Feature", geometry: g, properties: rows[i] ?? {} }));
  }
  return { format: "shapefile", fc: { type: "FeatureCollection", features }, fileCrs, encoding: usedEncoding, skipped: 0, warnings };
}

/** A .cpg's code page as a WHATWG encoding label ("936" and "ANSI 936" are GBK, not windows-936). */
export function normaliseCpg(cpg: string): string {
  const c = cpg.trim().toLowerCase();
  if (/^(ansi\s*)?(936|54936)$|^(cp|ms)?936$|^gb2312$|^gbk$|^gb18030$/.test(c)) return "gbk";
  if (/^(utf-?8|65001)$/.test(c)) return "utf-8";
  return cpg.trim();
}

/**
 * The text encoding of a .dbf without a .cpg: its language driver byte (0x4D = GBK, code page
 * 936), else UTF-8 when every record decodes strictly as UTF-8, else GBK.
 */
export function dbfEncoding(dbf: Uint8Array): string {
  const ldid = dbf[29];
  if (ldid === 0x4d || ldid === 0x7a) return "gbk";
  const headerLen = dbf[8] | (dbf[9] << 8);
  try {
    utf8Fatal().decode(dbf.subarray(headerLen));
    return "utf-8";
  } catch {
    return "gbk";
  }
}

// --------------------------------------------------------------------------- the pipeline

function readRaw(input: ImportInput, userCrs: Crs | undefined, progress: Progress): Raw {
  const { name } = input;
  const e = ext(name);
  const budget = input.budgetBytes ?? IMPORT_BUDGET_BYTES;
  const size = input.bytes?.length ?? input.text?.length ?? 0;
  if (size > budget) fail(name, overBudget(size, budget).zh, overBudget(size, budget).en);
  if (isZip(input.bytes) || e === "zip" || e === "kmz") {
    if (!input.bytes) fail(name, "压缩包需要以二进制读取", "a zip must be given as bytes");
    progress(0.1, "unzip");
    const files = unzip(name, input.bytes!);
    const kmlFile = Object.keys(files).find((n) => /\.kml$/i.test(n));
    if (e === "kmz" || (kmlFile && !Object.keys(files).some((n) => /\.shp$/i.test(n)))) {
      if (!kmlFile) fail(name, "KMZ 中没有 .kml 文件", "the KMZ contains no .kml file");
      return readKmlText(name, decodeText(name, files[kmlFile!], "utf-8").text, "kmz");
    }
    if (!Object.keys(files).some((n) => /\.shp$/i.test(n)))
      fail(
        name,
        `压缩包中没有 .shp 或 .kml 文件（包含：${Object.keys(files).slice(0, 8).join("、") || "无"}）`,
        `the zip contains no .shp or .kml file (it has: ${Object.keys(files).slice(0, 8).join(", ") || "nothing"})`,
      );
    return readShapefile(name, files, userCrs, input.encoding);
  }
  if (e === "pbf" || isOsmPbf(input.bytes))
    // No maintained parser that runs in a browser worker fits (README, "OSM PBF"): say what to do.
    fail(
      name,
      "暂不支持 .osm.pbf（二进制 OSM）。请先用 osmium 转成 OSM XML：osmium cat 文件.osm.pbf -o 文件.osm（Debian 软件包 osmium-tool），再导入 .osm 文件；大文件（超过 200 MB）用 npm run import -- 文件.osm --as <用途>",
      ".osm.pbf (binary OSM) is not supported. Convert it to OSM XML with osmium first: osmium cat file.osm.pbf -o file.osm (Debian package osmium-tool), then import the .osm file; for big files (over 200 MB) use npm run import -- file.osm --as <role>",
    );
  if (e === "shp" || e === "dbf")
    fail(name, "请把 .shp、.dbf、.prj（和 .cpg）打包成一个 zip 再导入", "zip the .shp, .dbf, .prj (and .cpg) together and import the zip");
  const { text, encoding } =
    input.text !== undefined
      ? { text: input.text, encoding: undefined }
      : decodeText(name, input.bytes ?? new Uint8Array(), input.encoding);
  progress(0.2, "parse");
  const head = text.slice(0, 2000).trimStart();
  if (!head) fail(name, "文件是空的", "the file is empty");
  if (head.startsWith("<")) {
    const root = /<(?:[a-z]+:)?(kml|gpx|osm)\b/i.exec(head)?.[1].toLowerCase();
    if (root === "kml") return readKmlText(name, text, "kml");
    if (root === "gpx") return readGpx(name, text);
    if (root === "osm") return readOsm(name, text);
    return fail(name, "不认识的 XML（支持 KML、GPX、OSM XML）", "unrecognised XML (KML, GPX and OSM XML are supported)");
  }
  if (head.startsWith("{") || head.startsWith("[")) {
    if (head.startsWith("[")) {
      let arr: unknown;
      try {
        arr = JSON.parse(text);
      } catch (err) {
        return fail(
          name,
          `不是有效的 JSON（${(err as Error).message.slice(0, 80)}）`,
          `is not valid JSON (${(err as Error).message.slice(0, 80)})`,
        );
      }
      if (Array.isArray(arr) && (arr[0] as { id?: unknown })?.id === "document") return readCzml(name, arr);
      return fail(
        name,
        "是 JSON 数组但不是 CZML（第一个对象的 id 应为 document）",
        'is a JSON array but not CZML (its first packet must have id "document")',
      );
    }
    if (/"asset"\s*:/.test(head) && /"root"\s*:/.test(text.slice(0, 200000)))
      fail(
        name,
        "这是 3D Tiles 的 tileset.json：它的瓦片是单独的文件，请用“网址”方式添加",
        "this is a 3D Tiles tileset.json: its tiles are separate files, add it by URL instead",
      );
    return readGeoJson(name, text);
  }
  if (["csv", "txt", "tsv"].includes(e) || /[,;\t]/.test(head.split("\n")[0] ?? "")) return readCsv(name, text, encoding ?? "utf-8");
  return fail(
    name,
    "不认识的文件格式（支持 GeoJSON、CSV、KML/KMZ、GPX、Shapefile zip、CZML、OSM XML）",
    "unrecognised file format (GeoJSON, CSV, KML/KMZ, GPX, zipped Shapefile, CZML and OSM XML are supported)",
  );
}

/** Calls fn on every position of a geometry. */
function eachPosition(g: Geometry, fn: (p: Position) => void): void {
  switch (g.type) {
    case "Point":
      return fn(g.coordinates);
    case "MultiPoint":
    case "LineString":
      return g.coordinates.forEach(fn);
    case "MultiLineString":
    case "Polygon":
      return g.coordinates.forEach((r) => r.forEach(fn));
    case "MultiPolygon":
      return g.coordinates.forEach((p) => p.forEach((r) => r.forEach(fn)));
    case "GeometryCollection":
      return g.geometries.forEach((x) => eachPosition(x, fn));
  }
}

const KIND_OF: Record<string, VectorKind> = {
  Point: "point",
  MultiPoint: "point",
  LineString: "line",
  MultiLineString: "line",
  Polygon: "polygon",
  MultiPolygon: "polygon",
};

/** Parses one file into WGS84 layers, one per geometry kind present. Throws ImportError. */
export function importData(input: ImportInput, onProgress: Progress = () => {}): ImportResult {
  const { name } = input;
  let userCrs: Crs | undefined;
  if (input.crs && input.crs !== "auto") {
    userCrs = parseCrs(input.crs);
    if (!userCrs) fail(name, `不认识的坐标系“${input.crs}”`, `unknown coordinate system "${input.crs}"`);
  }
  const raw = readRaw(input, userCrs, onProgress);
  onProgress(0.6, "coordinates");
  const crs: Crs = raw.wgs84ByDefinition ? { type: "wgs84" } : (raw.fileCrs ?? userCrs ?? { type: "wgs84" });
  const crsSource: ImportResult["crsSource"] = raw.wgs84ByDefinition || raw.fileCrs ? "file" : userCrs ? "user" : "default";

  // Explode collections and multipoints, drop features without usable geometry.
  const flat: Feature[] = [];
  let skipped = raw.skipped;
  const good = (p: Position) => Array.isArray(p) && p.length >= 2 && Number.isFinite(p[0]) && Number.isFinite(p[1]);
  for (const f of raw.fc.features) {
    const g = f?.geometry;
    if (!g) {
      skipped++;
      continue;
    }
    const parts: Geometry[] =
      g.type === "GeometryCollection"
        ? g.geometries
        : g.type === "MultiPoint"
          ? g.coordinates.map((c) => ({ type: "Point", coordinates: c }))
          : [g];
    for (const part of parts) {
      let ok = KIND_OF[part.type] !== undefined;
      if (ok) eachPosition(part, (p) => (ok &&= good(p)));
      if (!ok) {
        skipped++;
        continue;
      }
      flat.push({ type: "Feature", id: f.id, geometry: part, properties: { ...(f.properties ?? {}) } });
    }
  }
  if (!flat.length) {
    const what =
      raw.format === "kml" || raw.format === "kmz"
        ? { zh: "KML 中没有带坐标的地标", en: "the KML has no placemarks with coordinates" }
        : { zh: "没有带有效坐标的要素", en: "it has no features with usable coordinates" };
    fail(name, what.zh, what.en);
  }
  const bbox: Bbox = { minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity };
  for (const f of flat)
    eachPosition(f.geometry, (p) => {
      if (p[0] < bbox.minX) bbox.minX = p[0];
      if (p[0] > bbox.maxX) bbox.maxX = p[0];
      if (p[1] < bbox.minY) bbox.minY = p[1];
      if (p[1] > bbox.maxY) bbox.maxY = p[1];
    });
  const bad = checkBbox(crs, bbox);
  if (bad) {
    const hint =
      crsSource === "default"
        ? {
            zh: "（未指定坐标系，按 WGS84 读取；可在导入时选择坐标系）",
            en: " (no coordinate system given, read as WGS84; choose one when importing)",
          }
        : { zh: "", en: "" };
    fail(name, bad.zh + hint.zh, bad.en + hint.en);
  }
  const tf = toWgs84(crs);
  if (crs.type !== "wgs84" && crs.type !== "cgcs2000")
    for (const f of flat)
      eachPosition(f.geometry, (p) => {
        const [x, y] = tf(p[0], p[1]);
        p[0] = +x.toFixed(8);
        p[1] = +y.toFixed(8);
      });
  onProgress(0.85, "layers");
  const byKind = new Map<VectorKind, Feature[]>();
  flat.forEach((f, i) => {
    const k = KIND_OF[f.geometry.type];
    const props = f.properties as Record<string, unknown>;
    // Keep the file's own ids; make one when there is none (pick and highlight need them).
    if (props.id === undefined || props.id === null || props.id === "") props.id = f.id !== undefined ? String(f.id) : `f${i + 1}`;
    if (!byKind.has(k)) byKind.set(k, []);
    byKind.get(k)!.push(f);
  });
  const order: VectorKind[] = ["polygon", "line", "point"];
  const layers = order
    .filter((k) => byKind.has(k))
    .map((kind) => ({ kind, fc: { type: "FeatureCollection", features: byKind.get(kind)! } as FeatureCollection }));
  layers.sort((a, b) => b.fc.features.length - a.fc.features.length);
  return {
    format: raw.format,
    layers,
    crs: crsKey(crs),
    crsLabel: crsLabel(crs),
    crsSource,
    encoding: raw.encoding,
    featureCount: flat.length,
    skipped,
    warnings: raw.warnings,
  };
}
