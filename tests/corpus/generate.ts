// Writes the bad-input corpus (tests/corpus/files/) and its expectations (tests/corpus/cases.json).
// Run once with `npx tsx tests/corpus/generate.ts` after changing a case; the output is committed
// so a reader can open each file. tests/e2e/corpus.test.ts runs every case through the built app.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "files");
mkdirSync(out, { recursive: true });

/** Where the good layers and the tiles sit (a tile of the baked demo city, in Dongsheng). */
export const SITE = { lonDeg: 109.9155, latDeg: 39.7815 };
const P = (dx: number, dy: number): [number, number] => [+(SITE.lonDeg + dx).toFixed(6), +(SITE.latDeg + dy).toFixed(6)];
const square = (cx: number, cy: number, h: number) => [
  [P(cx - h, cy - h), P(cx + h, cy - h), P(cx + h, cy + h), P(cx - h, cy + h), P(cx - h, cy - h)],
];
const fc = (features: unknown[]) => ({ type: "FeatureCollection", features });
const feat = (geometry: unknown, properties: Record<string, unknown> = {}, id?: unknown) => ({
  type: "Feature",
  ...(id !== undefined ? { id } : {}),
  geometry,
  properties,
});
const poly = (cx = 0.01, cy = 0, h = 0.002) => ({ type: "Polygon", coordinates: square(cx, cy, h) });
const pt = (dx = 0, dy = 0) => ({ type: "Point", coordinates: P(dx, dy) });

type Expect = {
  status: "ready" | "error";
  zh?: string;
  en?: string;
  notice?: { zh: string; en: string };
  minFeatures?: number;
  check?: string;
};
interface Case {
  id: string;
  what: string;
  kind: "point" | "line" | "polygon" | "3dtiles";
  /** File under files/, or a served special: @404 @500 @hang @huge @cors. */
  file: string;
  expect: Expect;
  /** Catalog fields for this case's layer beyond the defaults. */
  layer?: { pickable?: boolean; style?: Record<string, unknown> };
}
const cases: Case[] = [];
const write = (name: string, body: string | Buffer) => writeFileSync(join(out, name), body);
const add = (c: Case, body?: string | Buffer | object) => {
  if (body !== undefined) write(c.file, typeof body === "string" || Buffer.isBuffer(body) ? body : JSON.stringify(body));
  cases.push(c);
};

// ---- the good layers every case must leave drawn and pickable ----
add(
  {
    id: "good-polygons",
    what: "valid polygons (control)",
    kind: "polygon",
    file: "good-polygons.geojson",
    expect: { status: "ready", minFeatures: 2 },
  },
  fc([
    feat(poly(0.012, -0.006, 0.0015), { name: "好的面 good polygon A" }, "good-a"),
    feat(poly(0.018, -0.006, 0.0015), { name: "good polygon B" }, "good-b"),
  ]),
);
add(
  {
    id: "good-points",
    what: "valid points (control)",
    kind: "point",
    file: "good-points.geojson",
    expect: { status: "ready", minFeatures: 3 },
  },
  fc([
    feat(pt(0.001, 0.001), { name: "p1" }, "p1"),
    feat(pt(0.002, 0.001), { name: "p2" }, "p2"),
    feat(pt(0.003, 0.001), { name: "p3" }, "p3"),
  ]),
);

add(
  {
    id: "not-pickable-cover",
    what: "a `pickable: false` layer drawn over good polygon B (clicks go through it)",
    kind: "polygon",
    file: "cover.geojson",
    expect: { status: "ready", minFeatures: 1 },
    layer: { pickable: false, style: { color: { type: "constant", color: "#00ff0060" }, heightOffsetM: 40 } },
  },
  fc([feat(poly(0.018, -0.006, 0.003), { name: "cover (not pickable)" }, "cover")]),
);

// ---- files that are not GeoJSON at all ----
add(
  {
    id: "malformed-json",
    what: "truncated JSON",
    kind: "polygon",
    file: "malformed.geojson",
    expect: { status: "error", zh: "不是有效的 JSON", en: "Not valid JSON" },
  },
  '{"type":"FeatureCollection","features":[{"type":"Feature","geometry":',
);
add(
  {
    id: "html-instead",
    what: "HTML served where JSON was expected",
    kind: "polygon",
    file: "html.geojson",
    expect: { status: "error", zh: "收到的是网页（HTML）", en: "Got an HTML page instead of the data file" },
  },
  "<!doctype html><html><body>Not here</body></html>",
);
add(
  {
    id: "empty-file",
    what: "zero-byte file",
    kind: "point",
    file: "empty.geojson",
    expect: { status: "error", zh: "文件是空的", en: "The file is empty" },
  },
  "",
);
add(
  {
    id: "nan-token",
    what: "NaN written into the JSON",
    kind: "point",
    file: "nan.geojson",
    expect: { status: "error", zh: "不是有效的 JSON", en: "Not valid JSON" },
  },
  '{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[NaN,39.7]},"properties":{}}]}',
);
add(
  {
    id: "single-feature",
    what: "a Feature, not a FeatureCollection",
    kind: "point",
    file: "single-feature.geojson",
    expect: {
      status: "error",
      zh: "不是 GeoJSON 要素集合（FeatureCollection），而是 “Feature”",
      en: "Not a GeoJSON FeatureCollection (got “Feature”)",
    },
  },
  feat(pt()),
);
add(
  {
    id: "topojson",
    what: "TopoJSON",
    kind: "polygon",
    file: "topo.json",
    expect: { status: "error", zh: "而是 “Topology”", en: "(got “Topology”)" },
  },
  { type: "Topology", objects: {}, arcs: [] },
);
add(
  {
    id: "array-root",
    what: "a bare array of features",
    kind: "point",
    file: "array.geojson",
    expect: { status: "error", zh: "而是 an array", en: "(got an array)" },
  },
  [feat(pt())],
);
add(
  {
    id: "no-features",
    what: "FeatureCollection without features",
    kind: "point",
    file: "no-features.geojson",
    expect: { status: "error", zh: "缺少 features 数组", en: "has no features array" },
  },
  { type: "FeatureCollection" },
);
add(
  {
    id: "features-not-objects",
    what: "features that are numbers and strings",
    kind: "point",
    file: "not-objects.geojson",
    expect: { status: "error", zh: "全部 3 个要素都无法使用（3 个不是要素）", en: "All 3 features are unusable (3× not a feature)" },
  },
  { type: "FeatureCollection", features: [1, "x", null] },
);

// ---- geometry problems ----
add(
  {
    id: "null-geometry",
    what: "every feature has geometry null",
    kind: "point",
    file: "null-geometry.geojson",
    expect: { status: "error", zh: "全部 2 个要素都无法使用（2 个没有几何）", en: "All 2 features are unusable (2× no geometry)" },
  },
  fc([feat(null), feat(null)]),
);
add(
  {
    id: "missing-geometry",
    what: "one feature without geometry among good ones",
    kind: "point",
    file: "missing-geometry.geojson",
    expect: {
      status: "ready",
      minFeatures: 2,
      notice: { zh: "已跳过 1 个无效要素（1 个没有几何）", en: "1 invalid feature(s) skipped (1× no geometry)" },
    },
  },
  fc([feat(pt(0.004, 0.002)), { type: "Feature", properties: {} }, feat(pt(0.005, 0.002))]),
);
add(
  {
    id: "infinity",
    what: "1e999 (Infinity after parsing)",
    kind: "point",
    file: "infinity.geojson",
    expect: { status: "ready", minFeatures: 1, notice: { zh: "1 个坐标不是有限数值", en: "1× coordinates are not finite numbers" } },
  },
  '{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[1e999,39.7]},"properties":{}},{"type":"Feature","geometry":{"type":"Point","coordinates":[109.92,39.783]},"properties":{}}]}',
);
add(
  {
    id: "huge-coords",
    what: "coordinates like 1e20",
    kind: "line",
    file: "huge.geojson",
    expect: { status: "error", zh: "坐标超出经纬度范围", en: "coordinates out of range" },
  },
  fc([
    feat({
      type: "LineString",
      coordinates: [
        [1e20, 5],
        [1e21, 6],
      ],
    }),
  ]),
);
add(
  {
    id: "out-of-range-lat",
    what: "latitude 95",
    kind: "point",
    file: "lat95.geojson",
    expect: { status: "ready", minFeatures: 1, notice: { zh: "1 个坐标超出经纬度范围", en: "1× coordinates out of range" } },
  },
  fc([feat({ type: "Point", coordinates: [109.9, 95] }), feat(pt(0.006, 0.002))]),
);
add(
  {
    id: "swapped-latlon",
    what: "lat, lon instead of lon, lat",
    kind: "polygon",
    file: "swapped.geojson",
    expect: { status: "error", zh: "经纬度是否写反", en: "lon/lat swapped?" },
  },
  fc([feat({ type: "Polygon", coordinates: [square(0, 0, 0.001)[0].map(([x, y]) => [y, x])] })]),
);
add(
  {
    id: "string-coords",
    what: "coordinates as strings",
    kind: "point",
    file: "string-coords.geojson",
    expect: { status: "error", zh: "坐标格式无效", en: "invalid coordinates" },
  },
  fc([feat({ type: "Point", coordinates: ["109.9", "39.7"] })]),
);
add(
  {
    id: "unclosed-ring",
    what: "polygon ring whose last point is not the first",
    kind: "polygon",
    file: "unclosed.geojson",
    expect: { status: "ready", minFeatures: 1, notice: { zh: "环未闭合", en: "ring not closed" } },
  },
  fc([feat({ type: "Polygon", coordinates: [square(0.02, 0.004, 0.001)[0].slice(0, 4)] }), feat(poly(0.024, 0.004, 0.001))]),
);
add(
  {
    id: "self-intersecting",
    what: "bow-tie polygon",
    kind: "polygon",
    file: "bowtie.geojson",
    expect: { status: "ready", minFeatures: 1, notice: { zh: "自相交", en: "self-intersecting" } },
  },
  fc([feat({ type: "Polygon", coordinates: [[P(0.03, 0), P(0.032, 0.002), P(0.032, 0), P(0.03, 0.002), P(0.03, 0)]] })]),
);
add(
  {
    id: "too-few-points",
    what: "a line with one point",
    kind: "line",
    file: "one-point-line.geojson",
    expect: { status: "error", zh: "点数不足", en: "too few points" },
  },
  fc([feat({ type: "LineString", coordinates: [P(0, 0)] })]),
);
add(
  {
    id: "empty-collection",
    what: "FeatureCollection with no features",
    kind: "polygon",
    file: "empty-collection.geojson",
    expect: { status: "ready", notice: { zh: "文件里没有要素", en: "the file has no features" } },
  },
  fc([]),
);
add(
  {
    id: "mixed-types",
    what: "points and lines in a polygon layer",
    kind: "polygon",
    file: "mixed.geojson",
    expect: { status: "ready", minFeatures: 1, notice: { zh: "Point 几何不能用于面图层", en: "Point geometry in a polygon layer" } },
  },
  fc([feat(pt()), feat({ type: "LineString", coordinates: [P(0, 0), P(0.001, 0.001)] }), feat(poly(0.028, 0.006, 0.001))]),
);
add(
  {
    id: "wrong-kind",
    what: "a line file in a point layer",
    kind: "point",
    file: "lines-as-points.geojson",
    expect: { status: "error", zh: "LineString 几何不能用于点图层", en: "LineString geometry in a point layer" },
  },
  fc([feat({ type: "LineString", coordinates: [P(0, 0), P(0.001, 0.001)] })]),
);
add(
  {
    id: "unknown-geometry",
    what: "geometry type Circle",
    kind: "point",
    file: "circle.geojson",
    expect: { status: "error", zh: "Circle 几何不能用于点图层", en: "Circle geometry in a point layer" },
  },
  fc([feat({ type: "Circle", coordinates: P(0, 0), radius: 5 })]),
);
add(
  {
    id: "geometry-collection",
    what: "a GeometryCollection feature",
    kind: "polygon",
    file: "geometry-collection.geojson",
    expect: { status: "error", zh: "GeometryCollection 几何不能用于面图层", en: "GeometryCollection geometry in a polygon layer" },
  },
  fc([feat({ type: "GeometryCollection", geometries: [poly()] })]),
);

// ---- ids and properties ----
add(
  {
    id: "no-ids",
    what: "features without ids (their index is used)",
    kind: "point",
    file: "no-ids.geojson",
    expect: { status: "ready", minFeatures: 2 },
  },
  fc([feat(pt(0.007, 0.002)), feat(pt(0.008, 0.002))]),
);
add(
  {
    id: "duplicate-ids",
    what: "two features with the same id",
    kind: "point",
    file: "dup-ids.geojson",
    expect: { status: "ready", minFeatures: 2, notice: { zh: "要素 id 重复", en: "duplicate feature id" } },
  },
  fc([feat(pt(0.009, 0.002), {}, "same"), feat(pt(0.01, 0.002), {}, "same")]),
);
add(
  {
    id: "object-id",
    what: "an id that is an object",
    kind: "point",
    file: "object-id.geojson",
    expect: { status: "ready", minFeatures: 1 },
  },
  '{"type":"FeatureCollection","features":[{"type":"Feature","id":{"toString":"x"},"geometry":{"type":"Point","coordinates":[109.9265,39.7835]},"properties":{}}]}',
);
add(
  {
    id: "proto-keys",
    what: "__proto__ / constructor / prototype property keys",
    kind: "point",
    file: "proto.geojson",
    expect: { status: "ready", minFeatures: 1, check: "no-pollution" },
  },
  '{"type":"FeatureCollection","features":[{"type":"Feature","id":"proto","geometry":{"type":"Point","coordinates":[109.9275,39.7835]},"properties":{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},"prototype":{"polluted":"yes"},"name":"proto"}}],"__proto__":{"polluted":"yes"}}',
);
add(
  {
    id: "html-values",
    what: "property values that are HTML and script",
    kind: "point",
    file: "html-values.geojson",
    expect: { status: "ready", minFeatures: 1, check: "no-script" },
  },
  fc([
    feat(
      pt(0.013, 0.002),
      { name: '<img src=x onerror="window.__xss=1">', note: "<script>window.__xss=2</script>", link: "javascript:window.__xss=3" },
      "xss",
    ),
  ]),
);
add(
  {
    id: "long-string",
    what: "a 1 MB property string",
    kind: "point",
    file: "long-string.geojson",
    expect: { status: "ready", minFeatures: 1, notice: { zh: "属性值过长，已截断", en: "property value too long, cut" } },
  },
  fc([feat(pt(0.014, 0.002), { big: "长".repeat(1000) + "x".repeat(1 << 20) })]),
);
add(
  {
    id: "deep-nesting",
    what: "a property nested 50,000 levels deep",
    kind: "point",
    file: "deep.geojson",
    expect: { status: "ready", minFeatures: 1, notice: { zh: "属性嵌套过深，已截断", en: "property nested too deeply, cut" } },
  },
  `{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[109.9305,39.7835]},"properties":{"deep":${"[".repeat(50_000)}${"]".repeat(50_000)}}}]}`,
);
add(
  {
    id: "utf8-bom",
    what: "UTF-8 file with a byte-order mark",
    kind: "point",
    file: "bom.geojson",
    expect: { status: "ready", minFeatures: 1 },
  },
  "\uFEFF" + JSON.stringify(fc([feat(pt(0.016, 0.002), { name: "带 BOM" })])),
);

// ---- transport ----
add({
  id: "http-404",
  what: "file not found",
  kind: "polygon",
  file: "@404",
  expect: { status: "error", zh: "HTTP 404（文件不存在）", en: "HTTP 404 (file not found)" },
});
add({
  id: "http-500",
  what: "server error",
  kind: "line",
  file: "@500",
  expect: { status: "error", zh: "HTTP 500（服务器出错）", en: "HTTP 500 (server error)" },
});
add({
  id: "never-finishes",
  what: "a response that sends headers and a few bytes, then nothing",
  kind: "point",
  file: "@hang",
  expect: { status: "error", zh: "秒内没有收到数据，已停止等待", en: "stopped waiting" },
});
add({
  id: "huge-200mb",
  what: "a 200 MB GeoJSON",
  kind: "polygon",
  file: "@huge",
  expect: { status: "error", zh: "文件过大（200 MB", en: "File too large (200 MB" },
});
add({
  id: "cors",
  what: "another origin without Access-Control-Allow-Origin",
  kind: "point",
  file: "@cors",
  expect: { status: "error", zh: "不允许跨域访问（CORS）", en: "does not allow cross-origin requests (CORS)" },
});

// ---- 3D Tiles ----
const glb = readFileSync(join(here, "../../public/generated/tiles/buildings/tiles/t3210.glb"));
write("tile.glb", glb);
const badMagic = Buffer.from(glb);
badMagic.write("JUNK", 0, "latin1");
write("bad-magic.glb", badMagic);
write("truncated.glb", glb.subarray(0, Math.floor(glb.length / 2)));
const tileNode = {
  boundingVolume: { region: [1.9183588909477751, 0.6943102979057212, 1.9186733995387741, 0.6945316670009907, -0.01, 54.61] },
  geometricError: 0,
  transform: [
    -0.9401521394200326, -0.34075497757763634, 0, 0, 0.2180629501330626, -0.6016415388947134, 0.768424367427053, 0, -0.26184442809271485,
    0.7224358130190291, 0.6399406156389306, 0, -1672373.6222354928, 4614123.761394225, 4059873.853664788, 1,
  ],
};
const tileset = (uri: string, version = "1.1") => ({
  asset: { version },
  geometricError: 500,
  root: { ...tileNode, refine: "ADD", content: { uri } },
});
add(
  {
    id: "tiles-third-party",
    what: "a valid tileset without our baker's feature count",
    kind: "3dtiles",
    file: "tiles-good.json",
    expect: { status: "ready", minFeatures: 1 },
  },
  tileset("tile.glb"),
);
add(
  {
    id: "tiles-missing-content",
    what: "tileset whose content file is missing",
    kind: "3dtiles",
    file: "tiles-missing.json",
    expect: {
      status: "error",
      zh: "瓦片内容 missing.glb 无法显示：服务器返回 HTTP 404",
      en: "Tile content missing.glb cannot be shown: HTTP 404",
    },
  },
  tileset("missing.glb"),
);
add(
  {
    id: "tiles-bad-magic",
    what: "content glb with a bad magic (the official validator misses it)",
    kind: "3dtiles",
    file: "tiles-bad-magic.json",
    expect: { status: "error", zh: "不是 glb 文件（文件头是 “JUNK”", en: "Not a glb file (header “JUNK”" },
  },
  tileset("bad-magic.glb"),
);
add(
  {
    id: "tiles-truncated",
    what: "content glb cut in half",
    kind: "3dtiles",
    file: "tiles-truncated.json",
    expect: { status: "error", zh: "glb 文件不完整", en: "Truncated glb" },
  },
  tileset("truncated.glb"),
);
add(
  {
    id: "tiles-bad-version",
    what: "tileset.json with asset.version 2.0",
    kind: "3dtiles",
    file: "tiles-version.json",
    expect: { status: "error", zh: "3D Tiles 版本 “2.0” 不受支持", en: "3D Tiles version “2.0” is not supported" },
  },
  tileset("tile.glb", "2.0"),
);
add(
  {
    id: "tiles-no-root",
    what: "tileset.json without root",
    kind: "3dtiles",
    file: "tiles-no-root.json",
    expect: { status: "error", zh: "tileset.json 无效：缺少 root", en: "Invalid tileset.json: no root" },
  },
  { asset: { version: "1.1" }, geometricError: 1 },
);
add({
  id: "tiles-html",
  what: "HTML where tileset.json was expected",
  kind: "3dtiles",
  file: "html.geojson",
  expect: { status: "error", zh: "收到的是网页（HTML）", en: "Got an HTML page" },
});
add({
  id: "tiles-404",
  what: "tileset.json not found",
  kind: "3dtiles",
  file: "@404",
  expect: { status: "error", zh: "HTTP 404（文件不存在）", en: "HTTP 404 (file not found)" },
});

console.log(`${cases.length} data cases`);

// ---- manifests, one field wrong at a time (each a page load that must end on the error screen) ----
interface ManifestCase {
  id: string;
  file: string;
  /** Raw text to serve instead, or a mutation of the shipped manifest. */
  text?: string;
  status?: number;
  path?: Array<string | number>;
  value?: unknown;
  /** The field the error screen must name ("(file)" for unreadable files). */
  field: string;
  /** Also run as a page load in the browser (all run in node). */
  browser?: boolean;
}
const manifests: ManifestCase[] = [
  { id: "catalog-malformed", browser: true, file: "catalog.json", text: '{"version":1,"groups":[', field: "(file)" },
  { id: "catalog-html", browser: true, file: "catalog.json", text: "<!doctype html><title>404</title>", field: "(file)" },
  { id: "catalog-404", browser: true, file: "catalog.json", status: 404, field: "(file)" },
  { id: "catalog-version", file: "catalog.json", path: ["version"], value: 2, field: "version" },
  { id: "catalog-groups", file: "catalog.json", path: ["groups"], value: "base", field: "groups" },
  { id: "catalog-group-id", file: "catalog.json", path: ["groups", 0, "id"], value: "Base Map", field: "groups[0].id" },
  { id: "catalog-title", file: "catalog.json", path: ["layers", 0, "title"], value: "行政区划", field: "layers[0].title" },
  { id: "catalog-group-ref", file: "catalog.json", path: ["layers", 0, "group"], value: "nowhere", field: "layers[0].group" },
  { id: "catalog-kind", browser: true, file: "catalog.json", path: ["layers", 0, "kind"], value: "mesh", field: "layers[0].kind" },
  { id: "catalog-url", file: "catalog.json", path: ["layers", 0, "url"], value: "", field: "layers[0].url" },
  { id: "catalog-visible", file: "catalog.json", path: ["layers", 0, "visible"], value: "yes", field: "layers[0].visible" },
  { id: "catalog-pickable", file: "catalog.json", path: ["layers", 0, "pickable"], value: null, field: "layers[0].pickable" },
  {
    id: "catalog-color-type",
    file: "catalog.json",
    path: ["layers", 0, "style", "color", "type"],
    value: "rainbow",
    field: "layers[0].style.color.type",
  },
  { id: "catalog-opacity", file: "catalog.json", path: ["layers", 0, "style", "opacity"], value: 5, field: "layers[0].style.opacity" },
  { id: "catalog-dup-id", file: "catalog.json", path: ["layers", 1, "id"], value: "districts", field: "layers[1].id" },
  {
    id: "catalog-proto",
    browser: true,
    file: "catalog.json",
    text: '{"__proto__":{"polluted":"yes"},"version":1,"groups":"x","layers":[]}',
    field: "groups",
  },
  { id: "views-default", file: "views.json", path: ["defaultView"], value: "nowhere", field: "defaultView" },
  { id: "views-camera", browser: true, file: "views.json", path: ["views", 0, "camera", "latDeg"], value: 200, field: "views[0].camera" },
  { id: "views-layers", file: "views.json", path: ["views", 0, "layers"], value: "roads", field: "views[0].layers" },
  { id: "kpis-calculator", browser: true, file: "kpis.json", path: ["kpis", 0, "calculator"], value: "magic", field: "kpis[0].calculator" },
  { id: "kpis-target", file: "kpis.json", path: ["kpis", 0, "target"], value: "lots", field: "kpis[0].target" },
  { id: "kpis-sources", file: "kpis.json", path: ["sources", "parks"], value: "", field: "sources.parks" },
  {
    id: "kpis-sources-layer",
    browser: true,
    file: "kpis.json",
    path: ["sources", "unicorns"],
    value: "x.geojson",
    field: "sources.unicorns",
  },
  { id: "charts-measure", browser: true, file: "charts.json", path: ["charts", 0, "measure"], value: "vibes", field: "charts[0].measure" },
];

writeFileSync(join(here, "cases.json"), JSON.stringify({ site: SITE, cases, manifests }, null, 1) + "\n");
console.log(`${manifests.length} manifest cases written`);
