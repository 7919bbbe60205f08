// Each KPI calculator on a tiny fixture whose answer is worked out by hand in a comment.

import { CALCULATOR_LAYERS } from "../../src/domain/kpiLayers";
import { describe, expect, it } from "vitest";
import type { Feature, Geometry } from "geojson";
import {
  CALCULATORS,
  RegionClipper,
  type CityData,
  type KpiOptions,
  childcarePlaces,
  communityServicePlaces,
  computeKpis,
  UndeclaredLayerError,
  deadEndRoadsOpened,
  elderlyCarePlaces,
  elevatorsAdded,
  featuredStreetStalls,
  featuredStreets,
  greenAddedOrUpgradedHa,
  greenCommunities,
  greenCoverageRatio,
  greenSpaceRatio,
  greenWithinReach,
  greenwaysKm,
  heatMeteredFloorArea,
  oldCompoundsRenovated,
  oldGasPipesUnrenewed,
  parkGreenPerCapita,
  parkWithinReach,
  pipesBuiltOrRenewedKm,
  pocketParks,
  publicChargingPiles,
  reclaimedPipeKm,
  roadsBuiltOrRebuiltKm,
  smartParkingLots,
  smartSecurityCompounds,
  spongeCityShare,
} from "../../src/domain/kpi";
import { base, fc, feat, lineM, pointM, rectM } from "./kpiFixtures";

const O: KpiOptions = { referenceYear: 2024, sinceYear: 2013 };
const city = (c: Record<string, unknown>) => c as CityData;
const close = (v: number, expected: number, rel = 1e-4) =>
  expect(Math.abs(v - expected)).toBeLessThanOrEqual(Math.abs(expected) * rel + 1e-9);

describe("housing calculators", () => {
  // three old compounds: A renovated (2 elevators, green, smart), B renovated (3 elevators,
  // smart), C not renovated → renovated 2, elevators 5, green communities 1, smart security 2
  const c = city({
    compounds: fc(
      feat(rectM(0, 0, 10, 10), {
        ...base("A"),
        builtYear: 1990,
        renovationYear: 2019,
        elevatorsAdded: 2,
        households: 100,
        greenCommunity: true,
        smartSecurity: true,
      }),
      feat(rectM(20, 0, 30, 10), {
        ...base("B"),
        builtYear: 1992,
        renovationYear: 2021,
        elevatorsAdded: 3,
        households: 80,
        smartSecurity: true,
      }),
      feat(rectM(40, 0, 50, 10), { ...base("C"), builtYear: 1995, elevatorsAdded: 0, households: 60 }),
    ),
  });
  it("counts renovated compounds, elevators, green and smart-security compounds", () => {
    expect(oldCompoundsRenovated(c, O)).toEqual({ value: 2, unit: "count" });
    expect(elevatorsAdded(c, O).value).toBe(5);
    expect(greenCommunities(c, O).value).toBe(1);
    expect(smartSecurityCompounds(c, O).value).toBe(2);
  });

  it("sums heat-metered floor area, optionally for one district", () => {
    // metered: 1,000 m² (Kangbashi) + 500 m² (Dongsheng); unmetered 2,000 m² → 1,500 all, 1,000 in Kangbashi
    const b = (id: string, district: string, floorAreaM2: number, heatMetered: boolean) =>
      feat(rectM(0, 0, 10, 10), {
        ...base(id),
        district,
        use: "residential",
        floors: 5,
        heightM: 15,
        yearBuilt: 2010,
        residents: 10,
        heatMetered,
        floorAreaM2,
      });
    const cc = city({ buildings: fc(b("1", "kangbashi", 1000, true), b("2", "kangbashi", 2000, false), b("3", "dongsheng", 500, true)) });
    expect(heatMeteredFloorArea(cc, O)).toEqual({ value: 1500, unit: "m²" });
    expect(heatMeteredFloorArea(cc, { ...O, district: "kangbashi" }).value).toBe(1000);
  });
});

describe("street calculators", () => {
  // roads: 1 km built 2015 (featured street "甲", 300 stalls), 2 km built 2000, 0.5 km rebuilt
  // 2020 (featured "甲" again, 200 stalls, a dead end opened), 0.5 km built 2019 (featured "乙",
  // 100 stalls). Built or rebuilt since 2013: 1 + 0.5 + 0.5 = 2 km. Featured streets: 甲, 乙 = 2.
  const r = (id: string, len: number, builtYear: number, extra: object = {}) =>
    feat(lineM([0, 0], [len, 0]), { ...base(id), roadClass: "branch", widthM: 16, builtYear, ...extra });
  const c = city({
    roads: fc(
      r("a", 1000, 2015, { featuredStreet: "甲", stalls: 300 }),
      r("b", 2000, 2000),
      r("c", 500, 2020, { featuredStreet: "甲", stalls: 200, deadEndOpened: true }),
      r("d", 500, 2019, { featuredStreet: "乙", stalls: 100 }),
    ),
  });
  it("counts featured streets by name, sums their stalls, counts opened dead ends", () => {
    expect(featuredStreets(c, O).value).toBe(2);
    expect(featuredStreetStalls(c, O).value).toBe(600);
    expect(deadEndRoadsOpened(c, O).value).toBe(1);
  });
  it("measures roads built or rebuilt within the window", () => {
    const v = roadsBuiltOrRebuiltKm(c, O);
    expect(v.unit).toBe("km");
    close(v.value, 2, 1e-3);
  });
  it("counts smart parking lots and charging piles (points only)", () => {
    const cc = city({
      parking: fc(
        feat(rectM(0, 0, 50, 40), { ...base("p1"), smart: true, spaces: 60 }),
        feat(rectM(60, 0, 100, 40), { ...base("p2"), smart: false, spaces: 50 }),
      ),
      charging: {
        type: "FeatureCollection",
        features: [
          feat(pointM(1, 1), { ...base("c1"), status: "available", powerKw: 60, operator: "x" }),
          feat(pointM(4, 1), { ...base("c2"), status: "fault", powerKw: 7, operator: "x" }),
          feat(lineM([0, 0], [1, 1]), { ...base("bad"), status: "available", powerKw: 7, operator: "x" }),
        ],
      },
    });
    expect(smartParkingLots(cc, O).value).toBe(1);
    expect(publicChargingPiles(cc, O).value).toBe(2);
  });
});

describe("green calculators", () => {
  // Built-up area: a 100 m × 100 m square = 10,000 m².
  // Park: 30 m × 100 m inside it = 3,000 m² → green space ratio 30 %.
  const builtup = fc(feat(rectM(0, 0, 100, 100), { ...base("bu"), areaM2: 10000 }));
  const park = feat(rectM(0, 0, 30, 100), { ...base("park"), parkType: "comprehensive", areaM2: 3000, year: 2015 });
  it("green space ratio of a 100 m square with a 30 m × 100 m park is 30 %", () => {
    const v = greenSpaceRatio(city({ builtup, parks: fc(park) }), O);
    expect(v.unit).toBe("%");
    close(v.value, 30);
  });
  it("clips green that lies half outside the built-up area", () => {
    // + green strip x 95..105 (10 m × 100 m = 1,000 m², half outside) → +500 m² → 35 %
    const green = fc(feat(rectM(95, 0, 105, 100), { ...base("g"), greenType: "protective", year: 2010 }));
    close(greenSpaceRatio(city({ builtup, parks: fc(park), green }), O).value, 35);
    // coverage adds tree canopy: + 10 m × 10 m inside → +100 m² → 36 %
    const trees = fc(feat(rectM(50, 50, 60, 60), { ...base("t"), canopy: true }));
    close(greenCoverageRatio(city({ builtup, parks: fc(park), green, trees }), O).value, 36);
    // tree canopy is not green space: the ratio stays 35 %
    close(greenSpaceRatio(city({ builtup, parks: fc(park), green, trees }), O).value, 35);
  });
  it("counts pocket parks in both layers", () => {
    // parks: 2 pocket + 1 comprehensive; green: 1 pocket small green + 1 attached → 3
    const c = city({
      parks: fc(
        feat(rectM(0, 0, 20, 20), { ...base("p1"), parkType: "pocket", areaM2: 400, year: 2020 }),
        feat(rectM(30, 0, 50, 20), { ...base("p2"), parkType: "pocket", areaM2: 400, year: 2021 }),
        park,
      ),
      green: fc(
        feat(rectM(60, 0, 80, 20), { ...base("g1"), greenType: "small", pocket: true, year: 2020 }),
        feat(rectM(60, 30, 80, 50), { ...base("g2"), greenType: "attached", year: 2020 }),
      ),
    });
    expect(pocketParks(c, O).value).toBe(3);
  });
  it("sums green land added or upgraded since sinceYear in hectares", () => {
    // park 100 × 100 m opened 2015 = 1 ha counts; green 100 × 50 m from 2010 does not → 1 ha
    const c = city({
      parks: fc(feat(rectM(0, 0, 100, 100), { ...base("p"), parkType: "community", areaM2: 10000, year: 2015 })),
      green: fc(feat(rectM(0, 200, 100, 250), { ...base("g"), greenType: "protective", year: 2010 })),
    });
    const v = greenAddedOrUpgradedHa(c, O);
    expect(v.unit).toBe("ha");
    close(v.value, 1);
  });
  it("measures greenways", () => {
    // 1 km + an L of 300 m + 200 m = 1.5 km
    const c = city({
      greenways: fc(
        feat(lineM([0, 0], [1000, 0]), { ...base("a"), greenwayType: "riverside" }),
        feat(lineM([0, 100], [300, 100], [300, 300]), { ...base("b"), greenwayType: "urban" }),
      ),
    });
    close(greenwaysKm(c, O).value, 1.5, 1e-3);
  });
  it("divides park area by residents", () => {
    // park 10,000 m²; residents 200 + 50 = 250 → 40 m² per person
    const b = (id: string, residents: number) =>
      feat(rectM(200, 0, 210, 10), {
        ...base(id),
        use: "residential",
        floors: 5,
        heightM: 15,
        yearBuilt: 2000,
        residents,
        heatMetered: false,
        floorAreaM2: 500,
      });
    const c = city({
      parks: fc(feat(rectM(0, 0, 100, 100), { ...base("p"), parkType: "community", areaM2: 10000, year: 2010 })),
      buildings: fc(b("1", 200), b("2", 50)),
    });
    const v = parkGreenPerCapita(c, O);
    expect(v.unit).toBe("m²/person");
    close(v.value, 40);
  });
  it("measures the share of residents within reach of parks and green", () => {
    // park 100 × 100 m (1 ha) at x 0..100. Homes (10 × 10 m, centroid 5 m in):
    // A centroid x=305 → 205 m from the park edge, 10 people; B centroid x=805 → 705 m, 30 people.
    // Within 500 m of a ≥ 1 ha park: 10 / 40 = 25 %.
    const home = (id: string, x: number, residents: number) =>
      feat(rectM(x, 40, x + 10, 50), {
        ...base(id),
        use: "residential",
        floors: 6,
        heightM: 18,
        yearBuilt: 2000,
        residents,
        heatMetered: false,
        floorAreaM2: 600,
      });
    const parks = fc(feat(rectM(0, 0, 100, 100), { ...base("p"), parkType: "community", areaM2: 10000, year: 2010 }));
    const buildings = fc(home("A", 300, 10), home("B", 800, 30));
    close(parkWithinReach(city({ parks, buildings }), { ...O, radiusM: 500, minAreaM2: 10000 }).value, 25);
    // with a 600 m² green right next to B (x 820..850 × 40..60), "300 m to green" covers both → 100 %
    const green = fc(feat(rectM(820, 40, 850, 60), { ...base("g"), greenType: "small", year: 2020 }));
    close(greenWithinReach(city({ parks, green, buildings }), { ...O, radiusM: 300, minAreaM2: 400 }).value, 100);
    // ... but not if the green is smaller than the 400 m² minimum (10 × 20 m = 200 m²) → only A → 25 %
    const tiny = fc(feat(rectM(820, 40, 830, 60), { ...base("g"), greenType: "small", year: 2020 }));
    close(greenWithinReach(city({ parks, green: tiny, buildings }), { ...O, radiusM: 300, minAreaM2: 400 }).value, 25);
  });
});

describe("pipe calculators", () => {
  const pipe = (id: string, network: string, installYear: number, renewalYear?: number, len = 1000) =>
    feat(lineM([0, 0], [len, 0]), { ...base(id), network, material: "PE", diameterMm: 200, depthM: 1.5, installYear, renewalYear });
  it("measures the reclaimed-water network", () => {
    // 1 km + 2.5 km = 3.5 km
    const c = city({ "pipes-reclaimed": fc(pipe("r1", "reclaimed", 2015), pipe("r2", "reclaimed", 2010, undefined, 2500)) });
    close(reclaimedPipeKm(c, O).value, 3.5, 1e-3);
  });
  it("counts pipes built or renewed within the window, across the four networks", () => {
    // gas installed 2015 ✓ 1 km; water 2000 renewed 2018 ✓ 1 km; drainage 2000 never renewed ✗;
    // heating 2010 renewed 2012 (before the window) ✗; reclaimed is not one of the four ✗ → 2 km
    const c = city({
      "pipes-gas": fc(pipe("g", "gas", 2015)),
      "pipes-water": fc(pipe("w", "water", 2000, 2018)),
      "pipes-drainage": fc(pipe("d", "drainage", 2000)),
      "pipes-heating": fc(pipe("h", "heating", 2010, 2012)),
      "pipes-reclaimed": fc(pipe("r", "reclaimed", 2020)),
    });
    close(pipesBuiltOrRenewedKm(c, O).value, 2, 1e-3);
  });
  it("counts gas pipes older than 20 years left unrenewed, as of the reference year", () => {
    // as of 2024: 2000 unrenewed (24 y) ✓; 2004 (20 y, not older than 20) ✗; 1990 renewed 2010 ✗;
    // 1995 with a renewal planned for 2030 (after the reference year) ✓ → 2
    const c = city({
      "pipes-gas": fc(pipe("a", "gas", 2000), pipe("b", "gas", 2004), pipe("c", "gas", 1990, 2010), pipe("d", "gas", 1995, 2030)),
    });
    expect(oldGasPipesUnrenewed(c, O).value).toBe(2);
    // the same pipes as of 2010: only 1990 (20 y) … is not older than 20 either → 0 (ages are relative to the year passed in)
    expect(oldGasPipesUnrenewed(c, { ...O, referenceYear: 2010 }).value).toBe(0);
  });
});

describe("people and sponge-city calculators", () => {
  it("counts facilities by type", () => {
    const f = (id: string, facilityType: string) => feat(pointM(0, 0), { ...base(id), facilityType });
    const c = city({
      facilities: fc(f("1", "community-service"), f("2", "elderly-care"), f("3", "elderly-care"), f("4", "childcare"), f("5", "school")),
    });
    expect(communityServicePlaces(c, O).value).toBe(1);
    expect(elderlyCarePlaces(c, O).value).toBe(2);
    expect(childcarePlaces(c, O).value).toBe(1);
  });
  it("measures the sponge-city share of the built-up area", () => {
    // built-up 100 × 100 m; sponge block 100 × 25 m → 25 %; a non-sponge block does not count
    const c = city({
      builtup: fc(feat(rectM(0, 0, 100, 100), { ...base("bu"), areaM2: 10000 })),
      landuse: fc(
        feat(rectM(0, 0, 100, 25), { ...base("l1"), landUse: "residential", builtUp: true, sponge: true }),
        feat(rectM(0, 25, 100, 100), { ...base("l2"), landUse: "residential", builtUp: true }),
      ),
    });
    close(spongeCityShare(c, O).value, 25);
  });
});

describe("robustness and the registry", () => {
  it("treats missing layers as empty and skips bad features", () => {
    const bad = {
      type: "FeatureCollection",
      features: [
        { type: "Feature", properties: null, geometry: null },
        { type: "Feature", properties: { parkType: "pocket" }, geometry: { type: "Point", coordinates: [0, 0] } },
      ] as Feature<Geometry | null>[],
    };
    const c = city({ parks: bad, green: bad, buildings: bad, compounds: bad, "pipes-gas": bad, builtup: bad });
    const all = computeKpis(c, O);
    for (const [id, v] of Object.entries(all)) expect(Number.isFinite(v.value), id).toBe(true);
    expect(all.pocketParks.value).toBe(1); // the bad-geometry pocket park still counts as one pocket park
    expect(computeKpis({}, O).greenSpaceRatio.value).toBe(0);
  });
  it("keys results by manifest id and merges per-KPI params", () => {
    const b = (id: string, district: string) =>
      feat(rectM(0, 0, 10, 10), {
        ...base(id),
        district,
        use: "residential",
        floors: 5,
        heightM: 15,
        yearBuilt: 2010,
        residents: 10,
        heatMetered: true,
        floorAreaM2: 100,
      });
    const c = city({ buildings: fc(b("1", "kangbashi"), b("2", "dongsheng")) });
    const manifest = {
      version: 1 as const,
      params: O,
      sources: {},
      kpis: [
        {
          id: "heat-all",
          title: { zh: "甲", en: "a" },
          unit: "m²" as const,
          target: 1,
          tolerance: { kind: "exact" as const },
          calculator: "heatMeteredFloorArea",
        },
        {
          id: "heat-kbs",
          title: { zh: "乙", en: "b" },
          unit: "m²" as const,
          target: 1,
          tolerance: { kind: "exact" as const },
          calculator: "heatMeteredFloorArea",
          params: { district: "kangbashi" as const },
        },
      ],
    };
    const r = computeKpis(c, { manifest });
    expect(Object.keys(r)).toEqual(["heat-all", "heat-kbs"]);
    expect(r["heat-all"].value).toBe(200);
    expect(r["heat-kbs"].value).toBe(100);
    expect(Object.keys(computeKpis(c, { ...O, only: ["elevatorsAdded"] }))).toEqual(["elevatorsAdded"]);
    expect(Object.keys(CALCULATORS).length).toBeGreaterThan(20);
  });
  it("each calculator sees only the layers it declares, so removing `green` from pocketParks fails", () => {
    const bad = { type: "FeatureCollection", features: [] as Feature<Geometry | null>[] };
    const c = city({ parks: bad, green: bad, buildings: bad, compounds: bad, builtup: bad });
    // Every calculator runs within its declaration on a full city.
    expect(() => computeKpis(c, O)).not.toThrow();
    // The mutation the review asked about: pocketParks without "green".
    const layers = CALCULATOR_LAYERS as Record<string, readonly string[]>;
    const saved = layers.pocketParks;
    layers.pocketParks = saved.filter((l) => l !== "green");
    try {
      expect(() => computeKpis(c, { ...O, only: ["pocketParks"] })).toThrow(UndeclaredLayerError);
      expect(() => computeKpis(c, { ...O, only: ["pocketParks"] })).toThrow(/reads the "green" layer but does not declare it/);
    } finally {
      layers.pocketParks = saved;
    }
    // One source: the calculator names and their layer lists are the same registry.
    expect(Object.keys(CALCULATOR_LAYERS).sort()).toEqual(Object.keys(CALCULATORS).sort());
  });
  it("measures the built-up area", () => {
    // two 1 km × 0.5 km outlines = 1 km²
    const c = city({
      builtup: fc(
        feat(rectM(0, 0, 1000, 500), { ...base("a"), areaM2: 5e5 }),
        feat(rectM(2000, 0, 3000, 500), { ...base("b"), areaM2: 5e5 }),
      ),
    });
    close(CALCULATORS.builtUpAreaKm2(c, O).value, 1);
  });
  it("clips a polygon that straddles the region boundary exactly", () => {
    // region 100 × 100; polygon x 50..150 × y 0..40 = 4,000 m², half inside → 2,000 m²
    const clip = new RegionClipper([rectM(0, 0, 100, 100)]);
    close(clip.regionAreaM2, 10000);
    close(clip.areaInsideM2(rectM(50, 0, 150, 40)), 2000);
    close(clip.areaInsideM2(rectM(10, 10, 20, 20)), 100);
    // a non-convex L straddling x = 100: L = [90..130]×[0..10] ∪ [90..100]×[10..40] (400 + 300 = 700 m²);
    // the part with x < 100 is [90..100]×[0..10] + [90..100]×[10..40] = 100 + 300 = 400 m²
    const L = {
      type: "Polygon" as const,
      coordinates: [
        [
          [90, 0],
          [130, 0],
          [130, 10],
          [100, 10],
          [100, 40],
          [90, 40],
          [90, 0],
        ].map(([x, y]) => [x / 111195.08, y / 111195.08]),
      ],
    };
    close(clip.areaInsideM2(L), 400, 1e-3);
    // a region with a hole: 100 × 100 minus a 20 × 20 hole; a 40 × 40 square over the hole → 1,600 − 400
    const holed = new RegionClipper([
      { type: "Polygon", coordinates: [rectM(0, 0, 100, 100).coordinates[0], rectM(40, 40, 60, 60).coordinates[0].slice().reverse()] },
    ]);
    close(holed.regionAreaM2, 9600, 1e-3);
    close(holed.areaInsideM2(rectM(30, 30, 70, 70)), 1200, 1e-3);
    expect(clip.areaInsideM2(rectM(200, 0, 210, 10))).toBe(0);
  });
});
