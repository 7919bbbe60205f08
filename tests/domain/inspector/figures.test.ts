// "Filtered" cockpit figures on a hand-made city: which figures a filter touches, and the KPIs
// and charts recomputed over the kept features by the same calculators.
import type { Feature, FeatureCollection } from "geojson";
import { describe, expect, it } from "vitest";
import type { ChartSpec } from "../../../src/domain/charts";
import { affectedFigures, computeFilteredFigures, filterCity, filtersByName, layersNeeded } from "../../../src/domain/inspector/figures";
import type { KpiManifest } from "../../../src/domain/kpi";

const poly = (id: string, props: Record<string, unknown>): Feature => ({
  type: "Feature",
  id,
  properties: props,
  geometry: {
    type: "Polygon",
    coordinates: [
      [
        [0, 0],
        [0.001, 0],
        [0.001, 0.001],
        [0, 0.001],
        [0, 0],
      ],
    ],
  },
});
// A gas pipe 0.01° of latitude long on the equator's meridian: 1.11195 km (R = 6371.0088 km).
const pipe = (id: string, props: Record<string, unknown>): Feature => ({
  type: "Feature",
  id,
  properties: props,
  geometry: {
    type: "LineString",
    coordinates: [
      [0, 0],
      [0, 0.01],
    ],
  },
});
const fc = (features: Feature[]): FeatureCollection => ({ type: "FeatureCollection", features });

// Four compounds: three renovated (2019, 2021, 2022), two in Kangbashi of which one renovated.
const compounds = fc([
  poly("c1", { district: "kangbashi", renovationYear: 2019 }),
  poly("c2", { district: "kangbashi" }),
  poly("c3", { district: "dongsheng", renovationYear: 2021 }),
  poly("c4", { district: "dongsheng", renovationYear: 2022 }),
]);
// Gas pipes installed 1995 (not renewed), 2015 and 2020: with sinceYear 2013, two are "built or renewed".
const gas = fc([
  pipe("g1", { network: "gas", installYear: 1995 }),
  pipe("g2", { network: "gas", installYear: 2015 }),
  pipe("g3", { network: "gas", installYear: 2020 }),
]);
const water = fc([pipe("w1", { network: "water", installYear: 2016 })]);

const manifest: KpiManifest = {
  version: 1,
  params: { referenceYear: 2024, sinceYear: 2013 },
  sources: {},
  kpis: [
    {
      id: "renovated",
      title: { zh: "改造", en: "Renovated" },
      unit: "count",
      target: 0,
      tolerance: { kind: "exact" },
      calculator: "oldCompoundsRenovated",
    },
    {
      id: "pipes-km",
      title: { zh: "管网", en: "Pipes" },
      unit: "km",
      target: 0,
      tolerance: { kind: "exact" },
      calculator: "pipesBuiltOrRenewedKm",
    },
    {
      id: "old-gas",
      title: { zh: "老旧燃气", en: "Old gas" },
      unit: "count",
      target: 0,
      tolerance: { kind: "exact" },
      calculator: "oldGasPipesUnrenewed",
    },
    {
      id: "greenways",
      title: { zh: "绿道", en: "Greenways" },
      unit: "km",
      target: 0,
      tolerance: { kind: "exact" },
      calculator: "greenwaysKm",
    },
  ],
} as unknown as KpiManifest;
const charts: ChartSpec[] = [
  {
    id: "by-district",
    title: { zh: "分区", en: "By district" },
    type: "bar",
    layers: ["compounds"],
    groupBy: { property: "district" },
    measure: "count",
    unit: { zh: "个", en: "count" },
  },
  {
    id: "pipes-by-network",
    title: { zh: "管网", en: "Networks" },
    type: "bar",
    layers: ["pipes-gas", "pipes-water"],
    groupBy: { property: "network" },
    measure: "count",
    unit: { zh: "段", en: "segments" },
  },
];
const city = { compounds, "pipes-gas": gas, "pipes-water": water };
const KM = 1.11195;

describe("filtered cockpit figures", () => {
  it("maps a layer's filter to its id and its role; a role swapped to another layer is left alone", () => {
    const layers = [
      { id: "compounds", role: "compounds" },
      { id: "my-gas", role: undefined },
      { id: "pipes-gas", role: "pipes-gas" },
    ];
    const f = { installYear: { min: 2000 } };
    expect(filtersByName(layers, { compounds: { district: { values: ["kangbashi"] } } })).toEqual({
      compounds: { district: { values: ["kangbashi"] } },
    });
    // the gas role reads the imported layer: the demo layer's filter stays on the demo layer only
    expect(filtersByName(layers, { "pipes-gas": f }, { "pipes-gas": { layerId: "my-gas" } })).toEqual({ "pipes-gas": f });
    expect(filtersByName(layers, { "my-gas": f }, { "pipes-gas": { layerId: "my-gas" } })).toEqual({ "my-gas": f, "pipes-gas": f });
    expect(filtersByName(layers, { compounds: {} })).toEqual({});
  });

  it("names the figures a filter touches and the layers they need", () => {
    const a = affectedFigures(manifest, charts, { "pipes-gas": { installYear: { min: 2000 } } });
    expect(a).toEqual({ kpis: ["pipes-km", "old-gas"], charts: ["pipes-by-network"] });
    // the four-network KPI needs the unfiltered networks too
    expect(layersNeeded(manifest, charts, a).sort()).toEqual(["pipes-drainage", "pipes-gas", "pipes-heating", "pipes-water"].sort());
    expect(affectedFigures(manifest, charts, {})).toEqual({ kpis: [], charts: [] });
  });

  it("filterCity keeps the matching features of filtered layers and leaves the others as they are", () => {
    const r = filterCity(city, { compounds: { renovationYear: { min: 2020 } } });
    expect(r.compounds.features.map((f) => f.id)).toEqual(["c3", "c4"]);
    expect(r["pipes-gas"]).toBe(gas);
    expect(compounds.features).toHaveLength(4);
  });

  it("recomputes the affected KPIs and charts over the kept features", () => {
    // compounds in Kangbashi: c1 (renovated 2019) and c2 (never) → 1 renovated; chart: kangbashi 2
    const k = computeFilteredFigures(city, manifest, charts, { compounds: { district: { values: ["kangbashi"] } } });
    expect(Object.keys(k.kpis)).toEqual(["renovated"]);
    expect(k.kpis.renovated).toEqual({ value: 1, unit: "count" });
    expect(k.charts["by-district"].categories).toEqual(["kangbashi"]);
    expect(k.charts["by-district"].totals).toEqual([2]);
    expect(k.charts["pipes-by-network"]).toBeUndefined();

    // gas installed 2010 or later: g2 and g3, both in the window; water w1 (2016) unfiltered.
    const p = computeFilteredFigures(city, manifest, charts, { "pipes-gas": { installYear: { min: 2010 } } });
    expect(p.kpis["pipes-km"].value).toBeCloseTo(3 * KM, 3);
    // the old unrenewed gas pipe (1995) is filtered out
    expect(p.kpis["old-gas"].value).toBe(0);
    expect(p.charts["pipes-by-network"].categories.sort()).toEqual(["gas", "water"]);
    expect(p.charts["pipes-by-network"].totals.reduce((a, b) => a + b)).toBe(3);

    // unfiltered: the same 3 km in the window (the 1995 pipe is outside it either way), and 1 old gas pipe
    const all = computeFilteredFigures(city, manifest, charts, { "pipes-gas": {} });
    expect(all.kpis["pipes-km"].value).toBeCloseTo(3 * KM, 3);
    expect(all.kpis["old-gas"].value).toBe(1);
  });

  it("a filter that keeps nothing gives zero, not an error", () => {
    const r = computeFilteredFigures(city, manifest, charts, { compounds: { renovationYear: { min: 2030 } } });
    expect(r.kpis.renovated).toEqual({ value: 0, unit: "count" });
    expect(r.charts["by-district"].totals).toEqual([]);
  });
});
