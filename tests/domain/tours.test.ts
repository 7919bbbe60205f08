import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ManifestError, validateCatalog } from "../../src/domain/catalog";
import { CALCULATORS, validateKpiManifest } from "../../src/domain/kpi";
import {
  advance,
  checkStep,
  interpolateCaption,
  nextStepIndex,
  orbitRateDegPerS,
  parseToursJson,
  prevStepIndex,
  recordedFilters,
  startTour,
  stepSegments,
  tourDurationS,
  tourProgress,
  validateTours,
  type Tour,
} from "../../src/domain/tours";
import { validateCharts } from "../../src/domain/charts";
import { validateViews } from "../../src/domain/views";

const step = (over: Record<string, unknown> = {}) => ({
  title: { zh: "一", en: "One" },
  shot: { target: { lonDeg: 109.78, latDeg: 39.6 }, rangeM: 1000, headingDeg: 0, pitchDeg: -30 },
  flightS: 2,
  dwellS: 8,
  caption: { zh: "绿道 {kpi:greenways-km}", en: "Greenways {kpi:greenways-km}" },
  ...over,
});
const manifest = (steps: unknown[], extra: Record<string, unknown> = {}) => ({
  version: 1,
  tours: [{ id: "t1", title: { zh: "游", en: "Tour" }, steps, ...extra }],
});

function errorOf(f: () => unknown): ManifestError {
  try {
    f();
  } catch (e) {
    if (e instanceof ManifestError) return e;
    throw e;
  }
  throw new Error("expected a ManifestError");
}

describe("validateTours", () => {
  it("accepts a minimal tour and fills defaults", () => {
    const m = validateTours(manifest([step()]), "tours.json");
    const s = m.tours[0].steps[0];
    expect(s.shot.target.heightM).toBe(0);
    expect(s.orbit).toBe(false);
    expect(s.layersOn).toEqual([]);
    expect(s.view).toBeUndefined();
  });

  it("names file, tour, step and field in errors", () => {
    const e = errorOf(() =>
      validateTours(
        manifest([step(), step({ shot: { target: { lonDeg: 109, latDeg: 39 }, rangeM: -5, headingDeg: 0, pitchDeg: -30 } })]),
        "data/tours.json",
      ),
    );
    expect(e.file).toBe("data/tours.json");
    expect(e.field).toBe("tours[0](t1).steps[1].shot.rangeM");
    expect(e.message).toContain("data/tours.json: tours[0](t1).steps[1].shot.rangeM");
  });

  it("refuses unknown fields, bad placeholders, pitch above the horizon, empty tours, duplicates", () => {
    expect(errorOf(() => validateTours(manifest([step({ zoom: 3 })]), "f")).field).toBe("tours[0](t1).steps[0].zoom");
    expect(errorOf(() => validateTours(manifest([step({ caption: { zh: "{greenways}", en: "x" } })]), "f")).field).toBe(
      "tours[0](t1).steps[0].caption.zh",
    );
    expect(
      errorOf(() =>
        validateTours(manifest([step({ shot: { target: { lonDeg: 1, latDeg: 1 }, rangeM: 100, headingDeg: 0, pitchDeg: 10 } })]), "f"),
      ).field,
    ).toBe("tours[0](t1).steps[0].shot.pitchDeg");
    expect(errorOf(() => validateTours(manifest([]), "f")).field).toBe("tours[0](t1).steps");
    expect(errorOf(() => validateTours(manifest([step({ orbit: "yes" })]), "f")).field).toBe("tours[0](t1).steps[0].orbit");
    expect(errorOf(() => validateTours(manifest([step({ highlight: { kpi: 3 } })]), "f")).field).toBe("tours[0](t1).steps[0].highlight");
    expect(errorOf(() => validateTours({ version: 2, tours: [] }, "f")).field).toBe("version");
    const two = { version: 1, tours: [manifest([step()]).tours[0], manifest([step()]).tours[0]] };
    expect(errorOf(() => validateTours(two, "f")).field).toBe("tours[1].id");
    expect(errorOf(() => parseToursJson("{not json", "import.json")).field).toBe("(file)");
  });
});

describe("checkStep", () => {
  const known = {
    views: new Set(["overview"]),
    layers: new Set(["buildings", "parks"]),
    kpis: new Set(["greenways-km"]),
    feature: (layer: string, id: string) => (layer === "buildings" ? id === "b1" : undefined),
  };
  const s = (over: Record<string, unknown>) => validateTours(manifest([step(over)]), "f").tours[0].steps[0];
  it("a missing view, layer or feature is fatal (the step is skipped)", () => {
    expect(checkStep(s({ view: "nope" }), known).fatal).toEqual(['view "nope" does not exist']);
    expect(checkStep(s({ layers: { on: ["parks", "ghost"] } }), known).fatal).toEqual(['layer "ghost" is not in the catalog']);
    expect(checkStep(s({ highlight: { layer: "buildings", featureId: "b2" } }), known).fatal).toEqual([
      'feature "b2" is not in layer "buildings"',
    ]);
    expect(checkStep(s({ highlight: { layer: "buildings", featureId: "b1" } }), known).fatal).toEqual([]);
    // Cannot tell (undefined): the step plays.
    expect(checkStep(s({ highlight: { layer: "parks", featureId: "p9" } }), known).fatal).toEqual([]);
  });
  it("a missing KPI only blanks its figure", () => {
    const c = checkStep(s({ caption: { zh: "{kpi:ghost}", en: "{kpi:greenways-km}" }, highlight: { kpi: "ghost2" } }), known);
    expect(c.fatal).toEqual([]);
    expect(c.missingKpis).toEqual(["ghost", "ghost2"]);
  });
});

describe("captions", () => {
  it("puts computed values in place of {kpi:id}", () => {
    const parts = interpolateCaption({ zh: "绿道 {kpi:a}，覆盖率 {kpi:b}。", en: "" }, "zh", (k) => (k === "a" ? "178.7 公里" : undefined));
    expect(parts).toEqual([{ text: "绿道 " }, { kpi: "a", value: "178.7 公里" }, { text: "，覆盖率 " }, { kpi: "b" }, { text: "。" }]);
    expect(interpolateCaption({ zh: "", en: "{kpi:a}" }, "en", () => "1")).toEqual([{ kpi: "a", value: "1" }]);
  });
});

describe("timing", () => {
  const tour: Tour = validateTours(manifest([step({ flightS: 2, dwellS: 8 }), step({ flightS: 5, dwellS: 25 })]), "f").tours[0];
  it("durations and progress-bar segments", () => {
    expect(tourDurationS(tour)).toBe(40);
    expect(tourDurationS(tour, 0.1)).toBeCloseTo(4);
    expect(stepSegments(tour)).toEqual([
      { start: 0, end: 0.25 },
      { start: 0.25, end: 1 },
    ]);
    expect(tourProgress(tour, 0, 5)).toBeCloseTo(0.125);
    expect(tourProgress(tour, 1, 15)).toBeCloseTo(0.25 + 0.75 * 0.5);
    expect(tourProgress(tour, 1, 999)).toBe(1);
  });
  it("next / previous, with and without loop", () => {
    expect(nextStepIndex(0, 3, false)).toBe(1);
    expect(nextStepIndex(2, 3, false)).toBeUndefined();
    expect(nextStepIndex(2, 3, true)).toBe(0);
    expect(prevStepIndex(0, 3, false)).toBe(0);
    expect(prevStepIndex(0, 3, true)).toBe(2);
  });
  it("playback: a looping tour wraps and counts cycles; a plain one stops at the end", () => {
    let p = startTour(undefined, "t1", { loop: true });
    p = advance(advance(p, 2), 2);
    expect(p).toMatchObject({ step: 0, playing: true, cycle: 1, seq: 3 });
    const q = advance(advance(startTour(undefined, "t1"), 2), 2);
    expect(q).toMatchObject({ step: 1, playing: false });
  });
  it("orbit rate keeps screen speed: independent of range, faster when looking flatter-down", () => {
    // Level camera (pitch 0): ω = 1 % · 60° / cos 0 = 0.6 °/s.
    expect(orbitRateDegPerS(0, 60, 0.01)).toBeCloseTo(0.6);
    // Pitch −60: cos = 0.5 → twice as fast in heading, same sweep on screen.
    expect(orbitRateDegPerS(-60, 60, 0.01)).toBeCloseTo(1.2);
    // Straight down is floored (cos ≥ 0.35), not infinite.
    expect(orbitRateDegPerS(-90, 60, 0.01)).toBeCloseTo(0.6 / 0.35);
  });
});

describe("shipped data/tours.json", () => {
  const read = (f: string) => JSON.parse(readFileSync(f, "utf8"));
  const tours = validateTours(read("data/tours.json"), "data/tours.json");
  const catalog = validateCatalog(read("data/catalog.json"), "data/catalog.json");
  const kpis = validateKpiManifest(read("data/kpis.json"), "data/kpis.json", Object.keys(CALCULATORS));
  const charts = validateCharts(read("data/charts.json"), "data/charts.json");
  const views = validateViews(read("data/views.json"), "data/views.json", catalog, {
    kpis: new Set(kpis.kpis.map((k) => k.id)),
    charts: new Set(charts.map((c) => c.id)),
  });
  const known = {
    views: new Set(views.views.map((v) => v.id)),
    layers: new Set(catalog.layers.map((l) => l.id)),
    kpis: new Set(kpis.kpis.map((k) => k.id)),
  };

  it("ships the three stories, every reference resolving", () => {
    expect(tours.tours.map((t) => t.id)).toEqual(expect.arrayContaining(["platform", "park-city", "lifelines"]));
    for (const t of tours.tours)
      for (const [i, s] of t.steps.entries()) expect(checkStep(s, known), `${t.id} step ${i}`).toEqual({ fatal: [], missingKpis: [] });
  });

  it("types no figure into a caption: numbers come from {kpi:…} (only the names of standards keep digits)", () => {
    // Names, not figures: "1+4+N", "300米见绿、500米见园", "超20年".
    const names = /1\+4\+N|3D|300\s?(米|m)|500\s?(米|m)|20\s?(年|years)|15\s?(分钟|minute)/g;
    let figures = 0;
    for (const t of tours.tours)
      for (const s of t.steps)
        for (const lang of ["zh", "en"] as const) {
          const text = s.caption[lang].replace(/\{kpi:[^}]+\}/g, "").replace(names, "");
          expect(text, `${t.id} "${s.title.en}" ${lang}`).not.toMatch(/\d/);
          figures += (s.caption[lang].match(/\{kpi:/g) ?? []).length;
        }
    expect(figures).toBeGreaterThanOrEqual(20);
  });

  it("the park-city and lifelines stories show the reach and pipe figures", () => {
    const kpisOf = (id: string) => tours.tours.find((t) => t.id === id)!.steps.flatMap((s) => s.caption.zh.match(/\{kpi:([^}]+)\}/g) ?? []);
    expect(kpisOf("park-city")).toEqual(
      expect.arrayContaining(["{kpi:green-within-300m}", "{kpi:park-within-500m}", "{kpi:greenways-km}"]),
    );
    expect(kpisOf("lifelines")).toEqual(expect.arrayContaining(["{kpi:pipes-built-renewed-km}", "{kpi:old-gas-pipes-unrenewed}"]));
  });
});

describe("applyTourStep", () => {
  const read = (f: string) => JSON.parse(readFileSync(f, "utf8"));
  const catalog = validateCatalog(read("data/catalog.json"), "data/catalog.json");
  it("switches the view, toggles layers, highlights a KPI's layers or one feature", async () => {
    const { initialState } = await import("../../src/domain/state");
    const { applyView } = await import("../../src/domain/views");
    const { applyTourStep } = await import("../../src/domain/tours");
    const s0 = initialState(catalog);
    const view = {
      id: "v",
      app: "a",
      title: { zh: "", en: "" },
      description: { zh: "", en: "" },
      layers: ["roads", "parks"],
      camera: { lonDeg: 0, latDeg: 0, heightM: 100, headingDeg: 0, pitchDeg: -30 },
      styles: {},
      kpis: [],
      charts: [],
      analyses: [],
    };
    const st = validateTours(
      manifest([step({ view: "v", layers: { on: ["water"], off: ["parks"] }, highlight: { kpi: "greenways-km" } })]),
      "f",
    ).tours[0].steps[0];
    const s1 = applyTourStep(s0, st, { view, kpi: { layerIds: ["greenways"], label: "绿道" } }, applyView);
    const on = Object.entries(s1.layers)
      .filter(([, l]) => l.visible)
      .map(([id]) => id)
      .sort();
    expect(on).toEqual(["greenways", "roads", "water"]);
    expect(s1.view).toBe("v");
    expect(s1.highlight).toEqual({ layerIds: ["greenways"], label: "绿道" });
    // the camera is the player's business: applyView was told nothing about it here
    const f = validateTours(manifest([step({ highlight: { layer: "buildings", featureId: "b1" } })]), "f").tours[0].steps[0];
    const s2 = applyTourStep(s1, f, { featureProps: { id: "b1", name: "博物馆" } }, applyView);
    expect(s2.highlight).toMatchObject({ layerIds: ["buildings"], property: "id", value: "b1" });
    expect(s2.selection).toEqual({ layerId: "buildings", featureId: "b1", properties: { id: "b1", name: "博物馆" } });
    expect(s2.layers.buildings.visible).toBe(true);
  });
});

describe("authoring helpers", () => {
  it("tourToJson is accepted by the validator and round-trips; moveStep reorders", async () => {
    const { tourToJson, moveStep } = await import("../../src/domain/tours");
    const t = validateTours(
      manifest([step({ view: "overview", layers: { off: ["trees"] }, orbit: true }), step({ title: { zh: "二", en: "Two" } })]),
      "f",
    ).tours[0];
    const again = validateTours({ version: 1, tours: [tourToJson(t)] }, "export.json").tours[0];
    expect(again).toEqual(t);
    expect(moveStep(t, 1, 0).steps.map((s) => s.title.en)).toEqual(["Two", "One"]);
    expect(moveStep(t, 1, 5)).toBe(t);
  });
});

describe("tour steps that set filters", () => {
  const read = (f: string) => JSON.parse(readFileSync(f, "utf8"));
  const catalog = validateCatalog(read("data/catalog.json"), "data/catalog.json");
  const s = (over: Record<string, unknown>) => validateTours(manifest([step(over)]), "f").tours[0].steps[0];
  const fields = (layer: string) => catalog.fields?.[catalog.layers.find((l) => l.id === layer)?.fields ?? ""];

  it("validates their shape, names the field in errors, and round-trips through export", async () => {
    const { tourToJson } = await import("../../src/domain/tours");
    const f = { "pipes-gas": { installYear: { min: 2008, max: 2012 } } };
    const st = s({ filters: f });
    expect(st.filters).toEqual(f);
    expect(s({}).filters).toBeUndefined();
    expect(errorOf(() => s({ filters: ["pipes-gas"] })).message).toMatch(/filters/);
    expect(errorOf(() => s({ filters: { "pipes-gas": 3 } })).message).toMatch(/filters.*pipes-gas/);
    const t = validateTours(manifest([step({ filters: f }), step({ filters: {} })]), "f").tours[0];
    const back = validateTours({ version: 1, tours: [tourToJson(t)] }, "f").tours[0];
    expect(back.steps.map((x) => x.filters)).toEqual([f, {}]);
  });

  it("checkStep: an unknown layer or a filter the fields do not allow is fatal", async () => {
    const { validateFilter } = await import("../../src/domain/inspector/filter");
    const known = {
      views: new Set<string>(),
      layers: new Set(["pipes-gas", "compounds"]),
      kpis: new Set(["greenways-km"]),
      filter: (layer: string, raw: unknown) => {
        try {
          return { filter: validateFilter(fields(layer), raw) };
        } catch (e) {
          return { error: (e as Error).message };
        }
      },
    };
    expect(checkStep(s({ filters: { "pipes-gas": { installYear: { min: 2008 } } } }), known).fatal).toEqual([]);
    expect(checkStep(s({ filters: { ghost: {} } }), known).fatal).toEqual(['filter: layer "ghost" is not in the catalog']);
    expect(checkStep(s({ filters: { "pipes-gas": { depthM: { min: 1 } } } }), known).fatal[0]).toMatch(
      /pipes-gas.*depthM.*cannot be filtered/,
    );
  });

  it("applyTourStep replaces the filters in effect (and drops their stale counts); no key keeps them", async () => {
    const { initialState } = await import("../../src/domain/state");
    const { applyView } = await import("../../src/domain/views");
    const { applyTourStep } = await import("../../src/domain/tours");
    const { setFilter, setFilterCount, inspectorOf } = await import("../../src/domain/inspector/state");
    let s0 = setFilter(initialState(catalog), "compounds", { renovationYear: { min: 2015 } });
    s0 = setFilterCount(s0, "compounds", { matched: 3, total: 9 });
    const gas = { installYear: { min: 2008, max: 2012 } };
    const s1 = applyTourStep(s0, s({ filters: { "pipes-gas": gas } }), { filters: { "pipes-gas": gas } }, applyView);
    expect(inspectorOf(s1).filters).toEqual({ "pipes-gas": gas });
    expect(inspectorOf(s1).filterCounts).toEqual({});
    expect(inspectorOf(applyTourStep(s1, s({}), {}, applyView)).filters).toEqual({ "pipes-gas": gas });
    expect(inspectorOf(applyTourStep(s1, s({ filters: {} }), { filters: {} }, applyView)).filters).toEqual({});
  });
});

describe("recordedFilters (a step recorded by the tour editor)", () => {
  it("copies the filters in effect, leaving out layers whose filter is empty", () => {
    const current = { parks: { parkType: { values: ["pocket"] } }, compounds: {} };
    const got = recordedFilters(current, []);
    expect(got).toEqual({ parks: { parkType: { values: ["pocket"] } } });
    // A copy: editing the app's filters later does not change the recorded step.
    (current.parks.parkType.values as string[]).push("community");
    expect(got!.parks.parkType).toEqual({ values: ["pocket"] });
  });
  it("with no filters in effect: nothing, unless an earlier step sets some — then {} (clear)", () => {
    expect(recordedFilters({}, [{}, { filters: {} }])).toBeUndefined();
    expect(recordedFilters(undefined, [])).toBeUndefined();
    expect(recordedFilters({ parks: {} }, [{ filters: { parks: { areaHa: { min: 1 } } } }])).toEqual({});
  });
});
