import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { validateCatalog, type Catalog } from "../../src/domain/catalog";
import { aggregate, groupKey, groupLabel, validateCharts, type ChartSpec } from "../../src/domain/charts";
import { CALCULATORS, validateKpiManifest } from "../../src/domain/kpi";
import { CALCULATOR_LAYERS } from "../../src/domain/kpiLayers";
import { initialState } from "../../src/domain/state";
import { colorFor, highlightStyle, tilesStyleJson } from "../../src/domain/style";
import { applyView, validateViews } from "../../src/domain/views";

const read = (f: string) => JSON.parse(readFileSync(f, "utf8"));
const catalog = validateCatalog(read("data/catalog.json"), "data/catalog.json");
const kpis = validateKpiManifest(read("data/kpis.json"), "data/kpis.json", Object.keys(CALCULATORS));
const charts = validateCharts(read("data/charts.json"), "data/charts.json");
const known = { kpis: new Set(kpis.kpis.map((k) => k.id)), charts: new Set(charts.map((c) => c.id)) };
const views = validateViews(read("data/views.json"), "data/views.json", catalog, known);

describe("shipped manifests", () => {
  it("resolve every reference: views → layers, KPIs, charts; charts → layers; KPIs → calculators → layers", () => {
    expect(views.problems).toEqual({});
    const layerIds = new Set(catalog.layers.map((l) => l.id));
    const cityLayers = new Set([...layerIds, "builtup", "buildings"]);
    for (const c of charts) for (const l of c.layers) expect(layerIds, `chart ${c.id}`).toContain(l);
    for (const k of kpis.kpis) {
      expect(CALCULATORS, `kpi ${k.id}`).toHaveProperty(k.calculator);
      expect(CALCULATOR_LAYERS, `kpi ${k.id}`).toHaveProperty(k.calculator);
      for (const l of CALCULATOR_LAYERS[k.calculator]) expect(cityLayers).toContain(l);
    }
  });

  it("has the 4 applications and at least 12 scenarios, the named ones among them", () => {
    for (const a of ["engineering", "housing", "construction", "urban-management"]) expect(views.apps.map((x) => x.id)).toContain(a);
    const scenarios = views.views.filter((v) => !views.apps.some((a) => a.id === v.id));
    expect(scenarios.length).toBeGreaterThanOrEqual(12);
    for (const s of [
      "health-check",
      "gas",
      "heating",
      "waterlogging",
      "construction-sites",
      "property",
      "park-city",
      "reclaimed-water",
      "charging-parking",
      "old-compounds",
      "life-circle",
    ])
      expect(scenarios.map((v) => v.id)).toContain(s);
  });
});

describe("views", () => {
  const base = { version: 1, defaultView: "a", apps: [{ id: "x", title: { zh: "甲", en: "X" }, description: { zh: "d", en: "d" } }] };
  const cam = { lonDeg: 109, latDeg: 39, heightM: 1000, headingDeg: 0, pitchDeg: -45 };
  const view = (o: object) => ({
    id: "a",
    app: "x",
    title: { zh: "a", en: "a" },
    description: { zh: "d", en: "d" },
    layers: [],
    camera: cam,
    ...o,
  });
  it("opens a view naming a missing layer/KPI/chart, recording the problems", () => {
    const v = validateViews(
      { ...base, views: [view({ layers: ["roads", "nope"], kpis: ["ghost"], charts: ["phantom"] })] },
      "v.json",
      catalog,
      known,
    );
    expect(v.problems.a).toEqual([
      'layer "nope" is not in the catalog',
      'KPI "ghost" is not in the KPI manifest',
      'chart "phantom" is not in the chart manifest',
    ]);
  });
  it("rejects structural errors naming file and field", () => {
    expect(() => validateViews({ ...base, views: [view({ app: "zzz" })] }, "v.json", catalog, known)).toThrow(
      'v.json: views[0].app: no app with id "zzz"',
    );
    expect(() => validateViews({ ...base, views: [view({ camera: { ...cam, latDeg: 95 } })] }, "v.json", catalog, known)).toThrow(
      "views[0].camera: latitude",
    );
    expect(() => validateViews({ ...base, defaultView: "b", views: [view({})] }, "v.json", catalog, known)).toThrow("defaultView");
    expect(() => validateViews({ ...base, views: [view({ styles: { roads: { lineWidthPx: 999 } } })] }, "v.json", catalog, known)).toThrow(
      "views[0].styles.roads.lineWidthPx",
    );
  });
  it("applyView turns exactly its layers on, sets opacities and asks for its camera", () => {
    const v = views.views.find((x) => x.id === "gas")!;
    const s = applyView(initialState(catalog), v);
    const on = Object.entries(s.layers)
      .filter(([, l]) => l.visible)
      .map(([id]) => id)
      .sort();
    expect(on).toEqual([...v.layers].sort());
    expect(s.view).toBe("gas");
    expect(s.cameraRequest?.view).toEqual(v.camera);
    expect(s.layers.buildings.opacity).toBe(0.55);
  });
});

const fc = (props: Array<Record<string, unknown>>, geometry: object = { type: "Point", coordinates: [0, 0] }) =>
  props.map((p) => ({ type: "Feature" as const, properties: p, geometry: geometry as never }));

describe("chart aggregation", () => {
  const spec = (o: Partial<ChartSpec>): ChartSpec => ({
    id: "c",
    title: { zh: "c", en: "c" },
    type: "bar",
    layers: ["x"],
    groupBy: { property: "k" },
    measure: "count",
    unit: { zh: "个", en: "" },
    ...o,
  });
  it("counts by group, numeric keys in order, skipping features without the property", () => {
    const d = aggregate(spec({}), fc([{ k: 2 }, { k: 10 }, { k: 2 }, {}, { k: null }]));
    expect(d.categories).toEqual(["2", "10"]);
    expect(d.totals).toEqual([2, 1]);
    expect(d.ungrouped).toBe(2);
  });
  it("bins years into decades and stacks by another property in label order", () => {
    const s = spec({
      groupBy: { property: "year", binSize: 10 },
      stackBy: { property: "net", labels: { gas: { zh: "燃气", en: "Gas" }, water: { zh: "供水", en: "Water" } } },
    });
    const d = aggregate(
      s,
      fc([
        { year: 1995, net: "water" },
        { year: 1999, net: "gas" },
        { year: 2003, net: "gas" },
      ]),
    );
    expect(d.categories).toEqual(["1990", "2000"]);
    expect(d.series).toEqual([
      { key: "gas", values: [1, 1] },
      { key: "water", values: [1, 0] },
    ]);
    expect(groupLabel(s.groupBy, "1990", "zh")).toBe("1990年代");
    expect(groupLabel(s.stackBy, "gas", "en")).toBe("Gas");
    expect(groupKey(s.groupBy, { year: "abc" })).toBeUndefined();
  });
  it("measures line length in km", () => {
    // One degree of longitude along the equator ≈ 111.195 km (turf's mean earth radius).
    const d = aggregate(
      spec({ measure: "lengthKm" }),
      fc([{ k: "a" }], {
        type: "LineString",
        coordinates: [
          [0, 0],
          [1, 0],
        ],
      }),
    );
    expect(d.totals[0]).toBeCloseTo(111.195, 2);
  });
  it("rejects a chart manifest with a bad measure", () => {
    expect(() => validateCharts({ version: 1, charts: [{ ...spec({}), measure: "volume" }] }, "c.json")).toThrow(
      "c.json: charts[0].measure",
    );
  });
});

describe("highlight styles", () => {
  const cat: Catalog["layers"][number]["style"] = { color: { type: "constant", color: "#0000ff" } };
  it("colours matching features and dims the rest", () => {
    const h = highlightStyle(cat, { layerIds: ["x"], property: "year", value: "1990", binSize: 10, label: "" });
    expect(colorFor(h.color, { year: 1994 })).toEqual([1, 213 / 255, 74 / 255, 1]);
    expect(colorFor(h.color, { year: 2004 })).toEqual([0, 0, 1, 0.25]);
    const t = tilesStyleJson(h.color).color as { conditions: [string, string][] };
    expect(t.conditions[0][0]).toBe("${year} >= 1990 && ${year} < 2000");
    expect(t.conditions[1]).toEqual(["true", "color('#0000ff', 0.25)"]);
  });
  it("without a property highlights the whole layer", () => {
    const h = highlightStyle(cat, { layerIds: ["x"], label: "" });
    expect(colorFor(h.color, {})[0]).toBe(1);
  });
});
