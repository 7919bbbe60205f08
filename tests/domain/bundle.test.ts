// The export bundle round trip: imported layers + settings + the app's views → zip → opened and
// validated like the built-in manifests → the data it points at loads and the KPIs come from it.
import { readFileSync } from "node:fs";
import { strFromU8, strToU8, zipSync } from "fflate";
import type { FeatureCollection } from "geojson";
import { describe, expect, it } from "vitest";
import { bundleFiles, EXPORT_VIEW_ID, openBundle, relocateBundle, zipBundle, type BundleInput } from "../../src/domain/bundle";
import { ManifestError, type LayerSpec } from "../../src/domain/catalog";
import { computeKpis, type CityData } from "../../src/domain/kpi";
import { validateManifests } from "../../src/domain/manifestSet";

const read = (dir: string, f: string) => JSON.parse(readFileSync(`${dir}/${f}`, "utf8"));
const app = validateManifests(
  {
    catalog: read("data", "catalog.json"),
    kpis: read("data", "kpis.json"),
    charts: read("data", "charts.json"),
    views: read("data", "views.json"),
  },
  "data/",
);

// Three piles (points) swapped in for "charging", one hand-drawn polygon without a role.
const piles: FeatureCollection = {
  type: "FeatureCollection",
  features: [
    [109.7862, 39.6041, "东"],
    [109.7831, 39.6039, "西"],
    [109.7781, 39.6002, "北"],
  ].map(([lon, lat, name]) => ({ type: "Feature", properties: { 名称: name }, geometry: { type: "Point", coordinates: [lon, lat] } })),
} as FeatureCollection;
const area: FeatureCollection = {
  type: "FeatureCollection",
  features: [
    {
      type: "Feature",
      properties: { name: "地块" },
      geometry: {
        type: "Polygon",
        coordinates: [
          [
            [109.78, 39.6],
            [109.79, 39.6],
            [109.79, 39.61],
            [109.78, 39.6],
          ],
        ],
      },
    },
  ],
};
const spec = (id: string, kind: LayerSpec["kind"], extra: Partial<LayerSpec> = {}): LayerSpec => ({
  id,
  title: { zh: `${id}.csv`, en: `${id}.csv` },
  group: "mydata",
  kind,
  url: `blob:http://127.0.0.1/${id}`,
  visible: true,
  pickable: true,
  style: { color: { type: "constant", color: "#ffb020" }, pointSizePx: 10 },
  ...extra,
});
const demoRoles = Object.fromEntries(app.catalog.layers.filter((l) => l.role).map((l) => [l.id, l.role!]));
const input = (): BundleInput => ({
  layers: [
    { spec: spec("my-1", "point", { nameProperty: "名称" }), visible: true, opacity: 0.6, role: "charging", text: JSON.stringify(piles) },
    {
      spec: spec("my-2", "polygon", { style: { color: { type: "constant", color: "#36cfc9" }, outlineColor: "#ffffff" } }),
      visible: false,
      opacity: 1,
      text: JSON.stringify(area),
    },
  ],
  city: app.catalog.city,
  views: app.views,
  currentView: "charging-parking",
  camera: { lonDeg: 109.784, latDeg: 39.585, heightM: 2600, headingDeg: 0, pitchDeg: -45 },
  kpis: app.kpis,
  charts: app.charts,
  demoRoles,
});

describe("export bundle", () => {
  it("round trip: export → zip → opened and validated like the built-in manifests → its data gives the KPIs", () => {
    const zip = zipBundle(bundleFiles(input()));
    const { manifests: m, files } = openBundle(zip, "b.zip");
    // Catalog: the two imports with their settings (opacity, role, style, name field), data inside the zip.
    expect(m.catalog.layers.map((l) => [l.id, l.kind, l.url, l.role, l.visible])).toEqual([
      ["my-1", "point", "data/my-1.geojson", "charging", true],
      ["my-2", "polygon", "data/my-2.geojson", undefined, false],
    ]);
    expect(m.catalog.layers[0].style.opacity).toBe(0.6);
    expect(m.catalog.layers[0].nameProperty).toBe("名称");
    expect(m.catalog.layers[1].style.outlineColor).toBe("#ffffff");
    expect(m.catalog.city?.name).toEqual({ zh: "我的数据", en: "My data" });
    expect(m.catalog.city?.subtitle?.zh).toBe("鄂尔多斯城市信息模型沙盘 · 导出包 · 2 个导入图层");
    // Views: opens on the view at export (camera, the visible layer); the app's views that show
    // the demo charging piles show the import instead; views without a bundle layer are left out.
    expect(m.views.defaultView).toBe(EXPORT_VIEW_ID);
    const ev = m.views.views[0];
    expect(ev).toMatchObject({ id: "export", layers: ["my-1"], camera: { lonDeg: 109.784, heightM: 2600 } });
    const cp = m.views.views.find((v) => v.id === "charging-parking")!;
    expect(cp.layers).toEqual(["my-1"]);
    expect(cp.camera).toEqual(app.views.views.find((v) => v.id === "charging-parking")!.camera);
    const withCharging = app.views.views.filter((v) => v.layers.includes("charging")).map((v) => v.id);
    expect(m.views.views.slice(1).map((v) => v.id)).toEqual(withCharging);
    expect(m.views.problems).toEqual({});
    // KPIs: only those the bundle's roles can compute (charging piles), not the demo's others.
    expect(m.kpis.kpis.map((k) => k.calculator)).toEqual(["publicChargingPiles"]);
    // Charts on charging piles group by status/district: the imported piles have neither → none.
    expect(app.charts.some((c) => c.layers.includes("charging"))).toBe(true);
    expect(m.charts).toEqual([]);
    // With a status field, the by-status chart comes along.
    const withStatus = input();
    withStatus.layers[0].text = JSON.stringify({
      ...piles,
      features: piles.features.map((f) => ({ ...f, properties: { ...f.properties, status: "available" } })),
    });
    const ids = openBundle(zipBundle(bundleFiles(withStatus)), "s.zip").manifests.charts.map((c) => c.id);
    expect(ids).toContain("charging-by-status");
    // Load: the layer URLs resolve to the zip's files; the KPIs computed from them count 3 piles.
    const r = relocateBundle(m, (p) => `zip:${p}`);
    expect(r.catalog.layers[0].url).toBe("zip:data/my-1.geojson");
    const data = (u: string) => JSON.parse(strFromU8(files[u.slice(4)])) as FeatureCollection;
    expect(data(r.catalog.layers[1].url).features).toHaveLength(1);
    const v = computeKpis({ charging: data(r.catalog.layers[0].url) } as CityData, { manifest: m.kpis });
    expect(v["charging-piles"].value).toBe(3);
  });

  it("a zipped city folder (the mini-city sample, inside one folder) opens too", () => {
    const dir = "public/samples/mini-city";
    const names = ["catalog.json", "views.json", "kpis.json", "charts.json", "piles.geojson", "parks.geojson"];
    const zip = zipSync(Object.fromEntries(names.map((n) => [`mini-city/${n}`, new Uint8Array(readFileSync(`${dir}/${n}`))])));
    const { manifests: m, files } = openBundle(zip, "mini.zip");
    expect(m.catalog.city?.name.en).toBe("Mini sample city");
    const fc = (p: string) => JSON.parse(strFromU8(files[p]));
    const v = computeKpis({ charging: fc("piles.geojson"), parks: fc("parks.geojson") } as CityData, { manifest: m.kpis });
    expect([v["charging-piles"].value, v["pocket-parks"].value]).toEqual([5, 2]);
  });

  it("bad bundles: a ManifestError naming the zip, the file inside and the field", () => {
    const files = bundleFiles(input());
    const err = (bytes: Uint8Array) => {
      try {
        openBundle(bytes, "b.zip");
      } catch (e) {
        expect(e).toBeInstanceOf(ManifestError);
        return (e as Error).message;
      }
      throw new Error("expected an error");
    };
    const zip = zipBundle(files);
    expect(err(zip.slice(0, zip.length - 30))).toMatch(/^b\.zip: \(file\): not a readable zip/);
    expect(err(zipSync({ "x.geojson": strToU8("{}") }))).toMatch(/no catalog\.json in the zip \(it holds x\.geojson\)/);
    const { ["data/my-1.geojson"]: _gone, ...noData } = files;
    void _gone;
    expect(err(zipBundle(noData))).toBe('b.zip!/catalog.json: layers[0].url: "data/my-1.geojson" is not in the zip');
    const badCat = JSON.parse(files["catalog.json"]);
    badCat.layers[1].kind = "blob";
    expect(err(zipBundle({ ...files, "catalog.json": JSON.stringify(badCat) }))).toMatch(
      /^b\.zip!\/catalog\.json: layers\[1\]\.kind: expected one of/,
    );
    const { ["views.json"]: _v, ...noViews } = files;
    void _v;
    expect(err(zipBundle(noViews))).toBe("b.zip!/views.json: (file): missing from the zip");
  });
});
