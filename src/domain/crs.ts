// Coordinate systems Chinese data arrives in, and their conversion to WGS84 (what the scene
// draws). Pure: proj4 for the Gauss-Krüger projections and any other .prj, gcoord for the
// obfuscated GCJ-02 (AMap/Tencent) and BD-09 (Baidu) systems.
//
// CGCS2000 geographic vs WGS84: the two frames agree to a few centimetres at the epoch of use
// (the ellipsoids differ by 0.1 mm in the semi-minor axis), far below map scale, so CGCS2000
// degrees are used as WGS84 degrees, and CGCS2000 Gauss-Krüger uses the GRS80 ellipsoid (as
// EPSG:4491–4554 do) with no datum shift.
import gcoord from "gcoord";
import proj4 from "proj4";
import type { I18n } from "./catalog";

export type Crs =
  | { type: "wgs84" }
  | { type: "cgcs2000" }
  | { type: "gcj02" }
  | { type: "bd09" }
  /** CGCS2000 Gauss-Krüger. zonePrefix: the easting carries the zone number (37 395 648 m). */
  | { type: "gk"; zoneWidth: 3 | 6; centralMeridianDeg: number; zonePrefix: boolean }
  /** Anything else proj4 understands (a .prj's WKT, a proj string), e.g. UTM or Web Mercator. */
  | { type: "proj4"; def: string; name: string };

export class CrsError extends Error {
  constructor(readonly msg: I18n) {
    super(msg.en);
    this.name = "CrsError";
  }
}

/** Zone number of a Gauss-Krüger zone from its central meridian. */
export const gkZone = (zoneWidth: 3 | 6, cmDeg: number): number => (zoneWidth === 3 ? cmDeg / 3 : (cmDeg + 3) / 6);
export const gkCentralMeridian = (zoneWidth: 3 | 6, zone: number): number => (zoneWidth === 3 ? zone * 3 : zone * 6 - 3);
export const gkFalseEasting = (c: Extract<Crs, { type: "gk" }>): number =>
  500_000 + (c.zonePrefix ? gkZone(c.zoneWidth, c.centralMeridianDeg) * 1_000_000 : 0);

/** The EPSG code of a CGCS2000 system, when it has one (EPSG:4490, 4491–4554). */
export function epsgOf(c: Crs): number | undefined {
  if (c.type === "cgcs2000") return 4490;
  if (c.type === "wgs84") return 4326;
  if (c.type !== "gk") return undefined;
  const cm = c.centralMeridianDeg;
  if (c.zoneWidth === 6) {
    const i = (cm - 75) / 6;
    if (!Number.isInteger(i) || i < 0 || i > 10) return undefined;
    return (c.zonePrefix ? 4491 : 4502) + i;
  }
  const i = (cm - 75) / 3;
  if (!Number.isInteger(i) || i < 0 || i > 20) return undefined;
  return (c.zonePrefix ? 4513 : 4534) + i;
}

function fromEpsg(code: number): Crs | undefined {
  if (code === 4326 || code === 4979 || code === 4978) return { type: "wgs84" };
  if (code === 4490 || code === 4479 || code === 4480) return { type: "cgcs2000" };
  if (code >= 4491 && code <= 4501) return { type: "gk", zoneWidth: 6, zonePrefix: true, centralMeridianDeg: 75 + 6 * (code - 4491) };
  if (code >= 4502 && code <= 4512) return { type: "gk", zoneWidth: 6, zonePrefix: false, centralMeridianDeg: 75 + 6 * (code - 4502) };
  if (code >= 4513 && code <= 4533) return { type: "gk", zoneWidth: 3, zonePrefix: true, centralMeridianDeg: 75 + 3 * (code - 4513) };
  if (code >= 4534 && code <= 4554) return { type: "gk", zoneWidth: 3, zonePrefix: false, centralMeridianDeg: 75 + 3 * (code - 4534) };
  if (code === 3857 || code === 900913)
    return {
      type: "proj4",
      name: "EPSG:3857",
      def: "+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +nadgrids=@null +no_defs",
    };
  if ((code >= 32601 && code <= 32660) || (code >= 32701 && code <= 32760)) {
    const south = code > 32700;
    const zone = code - (south ? 32700 : 32600);
    return { type: "proj4", name: `EPSG:${code}`, def: `+proj=utm +zone=${zone}${south ? " +south" : ""} +datum=WGS84 +units=m +no_defs` };
  }
  return undefined;
}

/**
 * Reads a CRS name as users, GeoJSON `crs` members and the command line write it:
 * "EPSG:4546", "urn:ogc:def:crs:EPSG::4490", "CRS84", "wgs84", "cgcs2000", "gcj02", "bd09",
 * "gk3:111" (3° zone, CM 111°E, no prefix), "gk3z:37" (3° zone 37, prefixed easting),
 * "gk6:111", "gk6z:19".
 */
export function parseCrs(input: string): Crs | undefined {
  const s = input.trim().toLowerCase();
  if (/^(wgs\s*-?84|crs84|urn:ogc:def:crs:ogc:1\.3:crs84|urn:ogc:def:crs:ogc::crs84)$/.test(s)) return { type: "wgs84" };
  if (/^(cgcs\s*-?2000|china geodetic coordinate system 2000)$/.test(s)) return { type: "cgcs2000" };
  if (/^(gcj-?02|gcj|amap|gaode|tencent|mars)$/.test(s)) return { type: "gcj02" };
  if (/^(bd-?09|baidu|bd09ll)$/.test(s)) return { type: "bd09" };
  const epsg = /^(?:epsg:{1,2}|urn:ogc:def:crs:epsg:[\d.]*:)(\d+)$/.exec(s);
  if (epsg) return fromEpsg(Number(epsg[1]));
  const gk = /^gk([36])(z?):(\d+)$/.exec(s);
  if (gk) {
    const zoneWidth = Number(gk[1]) as 3 | 6;
    const n = Number(gk[3]);
    const prefixed = gk[2] === "z";
    const cm = prefixed ? gkCentralMeridian(zoneWidth, n) : n;
    if (!validCm(zoneWidth, cm)) return undefined;
    return { type: "gk", zoneWidth, zonePrefix: prefixed, centralMeridianDeg: cm };
  }
  return undefined;
}

const validCm = (w: 3 | 6, cm: number) => Number.isInteger(cm) && cm >= 72 && cm <= 138 && (w === 3 ? cm % 3 === 0 : (cm + 3) % 6 === 0);

/** A canonical string for a CRS (EPSG code when it has one), accepted back by parseCrs. */
export function crsKey(c: Crs): string {
  const e = epsgOf(c);
  if (e) return `EPSG:${e}`;
  if (c.type === "proj4") return c.name;
  if (c.type === "gk")
    return `gk${c.zoneWidth}${c.zonePrefix ? "z" : ""}:${c.zonePrefix ? gkZone(c.zoneWidth, c.centralMeridianDeg) : c.centralMeridianDeg}`;
  return c.type;
}

export function crsLabel(c: Crs): I18n {
  switch (c.type) {
    case "wgs84":
      return { zh: "WGS84 经纬度", en: "WGS84 degrees" };
    case "cgcs2000":
      return { zh: "CGCS2000 经纬度（按 WGS84 处理，地图尺度上相同）", en: "CGCS2000 degrees (treated as WGS84: identical at map scale)" };
    case "gcj02":
      return { zh: "GCJ-02 火星坐标（高德/腾讯）", en: "GCJ-02 (AMap/Tencent)" };
    case "bd09":
      return { zh: "BD-09 百度坐标", en: "BD-09 (Baidu)" };
    case "gk": {
      const z = gkZone(c.zoneWidth, c.centralMeridianDeg);
      const e = epsgOf(c);
      const tail = e ? ` · EPSG:${e}` : "";
      return c.zonePrefix
        ? {
            zh: `CGCS2000 高斯-克吕格 ${c.zoneWidth}°带 第${z}带（横坐标含带号，中央经线 ${c.centralMeridianDeg}°E）${tail}`,
            en: `CGCS2000 Gauss-Krüger ${c.zoneWidth}° zone ${z} (zone number in easting, CM ${c.centralMeridianDeg}°E)${tail}`,
          }
        : {
            zh: `CGCS2000 高斯-克吕格 ${c.zoneWidth}°带 中央经线 ${c.centralMeridianDeg}°E（不含带号）${tail}`,
            en: `CGCS2000 Gauss-Krüger ${c.zoneWidth}° CM ${c.centralMeridianDeg}°E (no zone prefix)${tail}`,
          };
    }
    case "proj4":
      return { zh: c.name, en: c.name };
  }
}

function gkDef(c: Extract<Crs, { type: "gk" }>): string {
  return `+proj=tmerc +lat_0=0 +lon_0=${c.centralMeridianDeg} +k=1 +x_0=${gkFalseEasting(c)} +y_0=0 +ellps=GRS80 +units=m +no_defs`;
}

export type Transform = (x: number, y: number) => [number, number];

/** x,y in the CRS → WGS84 lon,lat degrees. */
export function toWgs84(c: Crs): Transform {
  switch (c.type) {
    case "wgs84":
    case "cgcs2000":
      return (x, y) => [x, y];
    case "gcj02":
      return (x, y) => gcoord.transform([x, y], gcoord.GCJ02, gcoord.WGS84) as [number, number];
    case "bd09":
      return (x, y) => gcoord.transform([x, y], gcoord.BD09, gcoord.WGS84) as [number, number];
    case "gk":
    case "proj4": {
      const p = proj4(c.type === "gk" ? gkDef(c) : c.def, "WGS84");
      return (x, y) => p.forward([x, y]) as [number, number];
    }
  }
}

/** WGS84 → the CRS (for export and tests). */
export function fromWgs84(c: Crs): Transform {
  switch (c.type) {
    case "wgs84":
    case "cgcs2000":
      return (x, y) => [x, y];
    case "gcj02":
      return (x, y) => gcoord.transform([x, y], gcoord.WGS84, gcoord.GCJ02) as [number, number];
    case "bd09":
      return (x, y) => gcoord.transform([x, y], gcoord.WGS84, gcoord.BD09) as [number, number];
    case "gk":
    case "proj4": {
      const p = proj4("WGS84", c.type === "gk" ? gkDef(c) : c.def);
      return (x, y) => p.forward([x, y]) as [number, number];
    }
  }
}

export const isGeographic = (c: Crs): boolean => c.type === "wgs84" || c.type === "cgcs2000" || c.type === "gcj02" || c.type === "bd09";

/**
 * The CRS of an ESRI/OGC WKT (.prj). Recognises CGCS2000 Gauss-Krüger by name or by its
 * parameters (central meridian + false easting), geographic WGS84/CGCS2000, and otherwise
 * hands the WKT to proj4. Undefined when proj4 cannot read it either.
 */
export function crsFromWkt(wkt: string): Crs | undefined {
  const w = wkt.replace(/\s+/g, " ").trim();
  if (!w) return undefined;
  const head = /^(PROJCS|PROJCRS|GEOGCS|GEOGCRS|GEODCRS)\s*\[\s*"([^"]*)"/i.exec(w);
  const kind = head?.[1].toUpperCase();
  const name = head?.[2] ?? "";
  const epsgTail =
    /AUTHORITY\s*\[\s*"EPSG"\s*,\s*"?(\d+)"?\s*\]\s*\]\s*$/i.exec(w) ?? /ID\s*\[\s*"EPSG"\s*,\s*(\d+)\s*\]\s*\]\s*$/i.exec(w);
  if (epsgTail) {
    const c = fromEpsg(Number(epsgTail[1]));
    if (c) return c;
  }
  const isCgcs = /CGCS[_ ]?2000|China[_ ]Geodetic[_ ]Coordinate[_ ]System[_ ]2000|China_2000/i.test(w);
  if (kind === "GEOGCS" || kind === "GEOGCRS" || kind === "GEODCRS") {
    if (isCgcs) return { type: "cgcs2000" };
    if (/WGS[_ ]?(19)?84/i.test(w)) return { type: "wgs84" };
  }
  if ((kind === "PROJCS" || kind === "PROJCRS") && isCgcs && /Transverse[_ ]Mercator|Gauss[_ -]Kruger/i.test(w)) {
    const param = (p: string): number | undefined => {
      const m = new RegExp(`(?:PARAMETER|PARAMETER)\\s*\\[\\s*"${p}"\\s*,\\s*(-?[\\d.]+)`, "i").exec(w);
      return m ? Number(m[1]) : undefined;
    };
    const cm = param("Central_Meridian") ?? param("Longitude of natural origin");
    const fe = param("False_Easting") ?? param("False easting");
    const scale = param("Scale_Factor") ?? param("Scale factor at natural origin") ?? 1;
    const lat0 = param("Latitude_Of_Origin") ?? param("Latitude of natural origin") ?? 0;
    if (cm !== undefined && fe !== undefined && scale === 1 && lat0 === 0) {
      const width: 3 | 6 = /3[_ ]Degree/i.test(name) || (cm % 6 !== 3 && cm % 3 === 0) ? 3 : 6;
      const prefixed = fe > 1_000_000;
      const c: Crs = { type: "gk", zoneWidth: width, zonePrefix: prefixed, centralMeridianDeg: cm };
      if (validCm(width, cm) && (!prefixed || Math.abs(fe - gkFalseEasting(c)) < 1)) return c;
    }
  }
  try {
    proj4(w, "WGS84").forward([0, 0]);
    return { type: "proj4", def: w, name: name || "WKT" };
  } catch {
    return undefined;
  }
}

/** The CRS named by a GeoJSON (2008) `crs` member, if any. */
export function crsFromGeoJsonMember(crs: unknown): Crs | undefined {
  const name = (crs as { properties?: { name?: unknown } } | undefined)?.properties?.name;
  return typeof name === "string" ? parseCrs(name) : undefined;
}

export interface Bbox {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

/** What raw coordinates look like, as a sentence: used when they cannot be in the chosen CRS. */
export function guessCrs(b: Bbox): { guess?: Crs; text: I18n } {
  const inDeg = Math.abs(b.minX) <= 180 && Math.abs(b.maxX) <= 180 && Math.abs(b.minY) <= 90 && Math.abs(b.maxY) <= 90;
  // China spans 73–135°E, 18–54°N: latitude first means the columns are swapped.
  if (b.minX >= 15 && b.maxX <= 55 && b.minY >= 70 && b.maxY <= 136)
    return {
      text: { zh: "看起来是“纬度, 经度”顺序（两列对调了）", en: "they look like latitude, longitude (the two columns are swapped)" },
    };
  if (inDeg) {
    return {
      guess: { type: "wgs84" },
      text: { zh: "看起来是经纬度（WGS84/CGCS2000/GCJ-02 之一）", en: "they look like degrees (WGS84, CGCS2000 or GCJ-02)" },
    };
  }
  // Gauss-Krüger northing in China: about 1.9–6.0 million metres.
  const northingOk = b.minY > 1_000_000 && b.maxY < 7_000_000;
  if (northingOk && b.minX >= 13_000_000 && b.maxX < 46_000_000) {
    const zone = Math.floor(b.minX / 1_000_000);
    if (zone === Math.floor(b.maxX / 1_000_000)) {
      if (zone >= 25 && zone <= 45) {
        const cm = gkCentralMeridian(3, zone);
        return {
          guess: { type: "gk", zoneWidth: 3, zonePrefix: true, centralMeridianDeg: cm },
          text: {
            zh: `看起来是 CGCS2000 高斯-克吕格 3°带投影米，横坐标含带号 ${zone}（中央经线 ${cm}°E）`,
            en: `they look like CGCS2000 Gauss-Krüger 3° metres with zone number ${zone} in the easting (CM ${cm}°E)`,
          },
        };
      }
      if (zone >= 13 && zone <= 23) {
        const cm = gkCentralMeridian(6, zone);
        return {
          guess: { type: "gk", zoneWidth: 6, zonePrefix: true, centralMeridianDeg: cm },
          text: {
            zh: `看起来是 CGCS2000 高斯-克吕格 6°带投影米，横坐标含带号 ${zone}（中央经线 ${cm}°E）`,
            en: `they look like CGCS2000 Gauss-Krüger 6° metres with zone number ${zone} in the easting (CM ${cm}°E)`,
          },
        };
      }
    }
  }
  if (northingOk && b.minX > 0 && b.maxX < 1_000_000)
    return {
      text: {
        zh: "看起来是高斯-克吕格投影米（横坐标不含带号，约 500 km 附近）：请选择对应的中央经线",
        en: "they look like Gauss-Krüger metres without a zone prefix (eastings near 500 km): choose the central meridian",
      },
    };
  if (Math.abs(b.minX) <= 20_037_509 && Math.abs(b.maxX) <= 20_037_509 && b.minX > 8_000_000 && b.maxY < 8_000_000 && b.minY > 1_500_000)
    return {
      guess: fromEpsg(3857),
      text: { zh: "看起来是 Web 墨卡托投影米（EPSG:3857）", en: "they look like Web Mercator metres (EPSG:3857)" },
    };
  return {
    text: {
      zh: "看起来是某种投影坐标（米），请指定坐标系或附上 .prj",
      en: "they look like projected metres of some kind: choose the coordinate system or include the .prj",
    },
  };
}

/**
 * Checks raw coordinates against the CRS they are said to be in. Returns a reason (with a
 * guess of what they really are) when they cannot be in it, else undefined.
 */
export function checkBbox(c: Crs, b: Bbox): I18n | undefined {
  if (![b.minX, b.minY, b.maxX, b.maxY].every(Number.isFinite)) return { zh: "没有有效坐标", en: "no usable coordinates" };
  const label = crsLabel(c);
  const lo = `[${fmt(b.minX)}, ${fmt(b.minY)}]`;
  const hi = `[${fmt(b.maxX)}, ${fmt(b.maxY)}]`;
  const range = lo === hi ? lo : `${lo} – ${hi}`;
  const fail = (): I18n => {
    const g = guessCrs(b).text;
    return {
      zh: `坐标 ${range} 不可能是${label.zh}：${g.zh}`,
      en: `coordinates ${range} cannot be ${label.en}: ${g.en}`,
    };
  };
  if (isGeographic(c)) {
    if (Math.abs(b.minX) > 180 || Math.abs(b.maxX) > 180 || Math.abs(b.minY) > 90 || Math.abs(b.maxY) > 90) return fail();
    return undefined;
  }
  if (c.type === "gk") {
    const fe = gkFalseEasting(c);
    // A zone is at most 3° (6° zones) from its meridian: ≈ 340 km at 18°N; allow 1.5×.
    const halfWidthM = (c.zoneWidth === 6 ? 3 : 1.5) * 111_000 * 1.5;
    const ok = b.minX > fe - halfWidthM && b.maxX < fe + halfWidthM && b.minY > -100_000 && b.maxY < 10_000_000;
    return ok ? undefined : fail();
  }
  return undefined;
}

const fmt = (v: number) => (Math.abs(v) >= 1000 ? v.toFixed(0) : v.toFixed(4).replace(/\.?0+$/, ""));
