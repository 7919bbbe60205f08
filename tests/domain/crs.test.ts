// Control points worked out independently of the code under test:
// - Gauss-Krüger: PROJ 9.1.1 `cs2cs` (Debian proj-bin, the C library, not proj4js), e.g.
//   `echo "39.604 109.785" | cs2cs -f %.4f EPSG:4490 EPSG:4546` → 4386266.2039 395648.1327
//   (EPSG axis order northing, easting; the tests below write easting, northing).
// - GCJ-02 / BD-09: npm `coordtransform` 2.1.2 (wandergis, a separate implementation of the
//   published obfuscation formulas), wgs84togcj02 then gcj02tobd09 on known WGS84 points; the
//   code under test (gcoord) must invert them back to the WGS84 point within 1 m.
import { describe, expect, it } from "vitest";
import {
  checkBbox,
  crsFromGeoJsonMember,
  crsFromWkt,
  crsKey,
  epsgOf,
  fromWgs84,
  guessCrs,
  parseCrs,
  toWgs84,
  type Crs,
} from "../../src/domain/crs";

/** Metres between two lon/lat points (equirectangular is plenty at the metre scale). */
function distM(a: [number, number], b: [number, number]): number {
  const k = Math.PI / 180;
  const x = (b[0] - a[0]) * k * Math.cos(((a[1] + b[1]) / 2) * k);
  const y = (b[1] - a[1]) * k;
  return Math.hypot(x, y) * 6_371_000;
}

// [lon, lat] WGS84/CGCS2000 → [easting, northing] from cs2cs.
const GK: Array<{ epsg: number; crs: string; lonlat: [number, number]; en: [number, number]; where: string }> = [
  { epsg: 4546, crs: "gk3:111", lonlat: [109.785, 39.604], en: [395648.1327, 4386266.2039], where: "Genghis Khan Square, Kangbashi" },
  { epsg: 4546, crs: "gk3:111", lonlat: [109.778, 39.6], en: [395040.8722, 4385830.2289], where: "Ordos Museum" },
  { epsg: 4546, crs: "gk3:111", lonlat: [109.96, 39.81], en: [410943.8427, 4408950.3038], where: "Dongsheng" },
  { epsg: 4525, crs: "gk3z:37", lonlat: [109.785, 39.604], en: [37395648.1327, 4386266.2039], where: "Kangbashi, zone prefix" },
  { epsg: 4525, crs: "gk3z:37", lonlat: [109.96, 39.81], en: [37410943.8427, 4408950.3038], where: "Dongsheng, zone prefix" },
  { epsg: 4508, crs: "gk6:111", lonlat: [109.785, 39.604], en: [395648.1327, 4386266.2039], where: "Kangbashi 6° (same CM)" },
  { epsg: 4497, crs: "gk6z:19", lonlat: [109.96, 39.81], en: [19410943.8427, 4408950.3038], where: "Dongsheng 6° zone 19" },
  { epsg: 4527, crs: "gk3z:39", lonlat: [116.3975, 39.9087], en: [39448481.5746, 4419565.4353], where: "Beijing, 3° zone 39" },
  { epsg: 4547, crs: "gk3:114", lonlat: [114.0579, 22.5431], en: [505955.8462, 2493941.2457], where: "Shenzhen" },
  { epsg: 4499, crs: "gk6z:21", lonlat: [121.4737, 31.2304], en: [21354575.4792, 3457523.539], where: "Shanghai 6° zone 21 (CM 123)" },
  { epsg: 4549, crs: "gk3:120", lonlat: [121.4737, 31.2304], en: [640412.315, 3457455.4886], where: "Shanghai 3° CM 120" },
];

const OBF = [
  { wgs: [109.785, 39.604], gcj: [109.790706776, 39.605012726], bd: [109.797106633, 39.611305629] },
  { wgs: [109.778, 39.6], gcj: [109.783716056, 39.601019492], bd: [109.790138886, 39.60723657] },
  { wgs: [109.96, 39.81], gcj: [109.965615158, 39.810955461], bd: [109.972183503, 39.816707998] },
  { wgs: [116.3975, 39.9087], gcj: [116.403743573, 39.910103499], bd: [116.410116586, 39.91644275] },
] as Array<Record<"wgs" | "gcj" | "bd", [number, number]>>;

describe("Gauss-Krüger (CGCS2000) against PROJ cs2cs control points", () => {
  for (const p of GK) {
    it(`${p.crs} = EPSG:${p.epsg}: ${p.where}`, () => {
      const c = parseCrs(p.crs)!;
      expect(c).toBeDefined();
      expect(epsgOf(c)).toBe(p.epsg);
      expect(parseCrs(`EPSG:${p.epsg}`)).toEqual(c);
      const back = toWgs84(c)(p.en[0], p.en[1]);
      expect(distM(back, p.lonlat)).toBeLessThan(1);
      const fwd = fromWgs84(c)(p.lonlat[0], p.lonlat[1]);
      expect(Math.hypot(fwd[0] - p.en[0], fwd[1] - p.en[1])).toBeLessThan(1);
      expect(checkBbox(c, { minX: p.en[0], maxX: p.en[0], minY: p.en[1], maxY: p.en[1] })).toBeUndefined();
    });
  }
});

describe("GCJ-02 and BD-09 against coordtransform's forward formulas", () => {
  for (const p of OBF) {
    it(`${p.wgs.join(",")}`, () => {
      // Sanity: the offset is real here (hundreds of metres), so "converted" is not "labelled".
      expect(distM(p.gcj, p.wgs)).toBeGreaterThan(300);
      expect(distM(toWgs84({ type: "gcj02" })(...p.gcj), p.wgs)).toBeLessThan(1);
      expect(distM(toWgs84({ type: "bd09" })(...p.bd), p.wgs)).toBeLessThan(1);
    });
  }
});

describe("CRS names, .prj and GeoJSON crs members", () => {
  it("parses the names users write", () => {
    expect(parseCrs("EPSG:4326")).toEqual({ type: "wgs84" });
    expect(parseCrs("urn:ogc:def:crs:OGC:1.3:CRS84")).toEqual({ type: "wgs84" });
    expect(parseCrs("urn:ogc:def:crs:EPSG::4490")).toEqual({ type: "cgcs2000" });
    expect(parseCrs("GCJ02")).toEqual({ type: "gcj02" });
    expect(parseCrs("bd09")).toEqual({ type: "bd09" });
    expect(parseCrs("gk3:112")).toBeUndefined(); // 112 is no 3° central meridian
    expect(parseCrs("nonsense")).toBeUndefined();
    expect(crsKey(parseCrs("gk3z:37")!)).toBe("EPSG:4525");
    expect(crsFromGeoJsonMember({ type: "name", properties: { name: "urn:ogc:def:crs:EPSG::4546" } })).toEqual(parseCrs("gk3:111"));
  });
  it("CGCS2000 degrees are WGS84 degrees (stated: identical at map scale)", () => {
    expect(toWgs84({ type: "cgcs2000" })(109.785, 39.604)).toEqual([109.785, 39.604]);
  });
  it("reads ESRI .prj WKT for 3° GK with and without zone prefix", () => {
    // As written by ArcGIS for EPSG:4546 and EPSG:4525.
    const cm111 =
      'PROJCS["CGCS2000_3_Degree_GK_CM_111E",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",111.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]';
    const z37 = cm111.replace("CM_111E", "Zone_37").replace('"False_Easting",500000.0', '"False_Easting",37500000.0');
    expect(crsFromWkt(cm111)).toEqual({ type: "gk", zoneWidth: 3, zonePrefix: false, centralMeridianDeg: 111 });
    expect(crsFromWkt(z37)).toEqual({ type: "gk", zoneWidth: 3, zonePrefix: true, centralMeridianDeg: 111 });
    const geog =
      'GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]';
    expect(crsFromWkt(geog)).toEqual({ type: "wgs84" });
  });
  it("hands other projections (UTM 49N) to proj4", () => {
    const utm =
      'PROJCS["WGS_1984_UTM_Zone_49N",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",111.0],PARAMETER["Scale_Factor",0.9996],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]';
    const c = crsFromWkt(utm)!;
    expect(c.type).toBe("proj4");
    // UTM 49N shares CM 111 with the GK zone: easting scaled by 0.9996 about 500 km.
    const gkE = 395648.1327;
    const utmE = 500000 + (gkE - 500000) * 0.9996;
    const utmN = 4386266.2039 * 0.9996;
    expect(distM(toWgs84(c)(utmE, utmN), [109.785, 39.604])).toBeLessThan(1);
  });
});

describe("impossible coordinates get a guess", () => {
  const wgs: Crs = { type: "wgs84" };
  it("prefixed GK metres given as degrees → names zone 37 and CM 111", () => {
    const m = checkBbox(wgs, { minX: 37395040, maxX: 37410943, minY: 4385830, maxY: 4408950 })!;
    expect(m.en).toMatch(/cannot be WGS84.*Gauss-Krüger 3°.*zone number 37.*CM 111/);
    expect(m.zh).toMatch(/高斯-克吕格 3°带.*带号 37/);
  });
  it("GK metres without prefix", () => {
    expect(checkBbox(wgs, { minX: 395040, maxX: 410943, minY: 4385830, maxY: 4408950 })!.en).toMatch(/without a zone prefix/);
  });
  it("6° prefixed and Web Mercator", () => {
    expect(guessCrs({ minX: 19395648, maxX: 19410943, minY: 4386266, maxY: 4408950 }).guess).toEqual(parseCrs("gk6z:19"));
    expect(guessCrs({ minX: 12221000, maxX: 12240000, minY: 4806000, maxY: 4836000 }).text.en).toMatch(/Web Mercator/);
  });
  it("swapped lat/lon columns", () => {
    expect(checkBbox(wgs, { minX: 39.5, maxX: 39.8, minY: 109.7, maxY: 109.9 })!.en).toMatch(/swapped/);
  });
  it("degrees given as GK metres, and a prefix mismatch", () => {
    const gk = parseCrs("gk3:111")!;
    expect(checkBbox(gk, { minX: 109.7, maxX: 109.9, minY: 39.5, maxY: 39.8 })!.en).toMatch(/look like degrees/);
    expect(checkBbox(gk, { minX: 37395040, maxX: 37410943, minY: 4385830, maxY: 4408950 })!.en).toMatch(/zone number 37/);
    expect(checkBbox(parseCrs("gk3z:37")!, { minX: 395040, maxX: 410943, minY: 4385830, maxY: 4408950 })!.en).toMatch(
      /without a zone prefix/,
    );
  });
});
