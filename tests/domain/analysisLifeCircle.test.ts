import { describe, expect, it } from "vitest";
import { lifeCircle, naiveLifeCircle } from "../../src/domain/analysis";
import { building, fc, isPlainData, multiPolygon, point, PROJ, polygon, rect } from "./analysisFixtures";

// Radius 1,000 m. Residents: R1 100 at (0, 0), R2 50 at (1,500, 0), R3 25 at (3,000, 0),
// R4 25 at (1,500, 500). Facilities: school (900, 0), clinic (1,500, 990), market (2,200, 0),
// elderly-care (0, −500) and (2,000, 800), childcare (0, 0) (not required).
// Parks: P1 2,900..3,100 × 100..300; P2 MultiPolygon, one part far away, one 1,900..2,000 × 1,200..1,300.
//
//        school        clinic        market        elderly-care           park
// R1   900 ✓      1,797 ✗       2,200 ✗        500 ✓             P1 2,902 / P2 2,247 ✗
// R2   600 ✓        990 ✓         700 ✓        943 ✓ (2,000, 800)  P1 1,404 / P2 1,265 ✗
// R3 2,100 ✗      1,797 ✗         800 ✓      1,281 ✗             P1 100 ✓
// R4   781 ✓        490 ✓         860 ✓        583 ✓             P2 806 ✓
//
// All covered: R4 → 25 / 200 = 0.125. school R1 R2 R4 = 175 → 0.875; clinic R2 R4 = 75 →
// 0.375; market R2 R3 R4 = 100 → 0.5; elderly R1 R2 R4 = 175 → 0.875; park R3 R4 = 50 → 0.25.
const buildings = fc([
  building("R1", 0, 0, { residents: 100 }),
  building("R2", 1500, 0, { residents: 50 }),
  building("R3", 3000, 0, { residents: 25 }),
  building("R4", 1500, 500, { residents: 25 }),
  building("shop", 0, 10, { use: "commercial", residents: 0 }),
]);
const facilities = fc([
  point({ id: "school", facilityType: "school" }, 900, 0),
  point({ id: "clinic", facilityType: "clinic" }, 1500, 990),
  point({ id: "market", facilityType: "market" }, 2200, 0),
  point({ id: "old1", facilityType: "elderly-care" }, 0, -500),
  point({ id: "old2", facilityType: "elderly-care" }, 2000, 800),
  point({ id: "kids", facilityType: "childcare" }, 0, 0),
  point({ id: "untyped" }, 0, 0),
]);
const parks = fc([
  polygon({ id: "P1" }, rect(2900, 100, 3100, 300)),
  multiPolygon({ id: "P2" }, [rect(10000, 10000, 10100, 10100)], [rect(1900, 1200, 2000, 1300)]),
]);

describe("lifeCircle (15分钟生活圈)", () => {
  const r = lifeCircle(buildings, facilities, parks, { projection: PROJ });

  it("lists covered and missing categories per building", () => {
    expect(r.buildings).toEqual([
      { id: "R1", residents: 100, covered: ["school", "elderly-care"], missing: ["clinic", "market", "park"] },
      { id: "R2", residents: 50, covered: ["school", "clinic", "market", "elderly-care"], missing: ["park"] },
      { id: "R3", residents: 25, covered: ["market", "park"], missing: ["school", "clinic", "elderly-care"] },
      { id: "R4", residents: 25, covered: ["school", "clinic", "market", "elderly-care", "park"], missing: [] },
    ]);
  });

  it("computes residents-weighted shares per category and for all", () => {
    expect(r.totals).toEqual({
      buildings: 4,
      residents: 200,
      buildingsAllCovered: 1,
      residentsAllCovered: 25,
      shareAll: 0.125,
      buildingsIgnored: 1,
    });
    expect(r.categories.map((c) => [c.category, c.available, c.buildingsCovered, c.residentsCovered, c.share])).toEqual([
      ["school", 1, 3, 175, 0.875],
      ["clinic", 1, 2, 75, 0.375],
      ["market", 1, 3, 100, 0.5],
      ["elderly-care", 2, 3, 175, 0.875],
      ["park", 2, 2, 50, 0.25],
    ]);
    expect(r.options).toEqual({
      radiusM: 1000,
      required: ["school", "clinic", "market", "elderly-care", "park"],
      radiiM: { school: 1000, clinic: 1000, market: 1000, "elderly-care": 1000, park: 1000 },
      minParkAreaM2: 10_000,
    });
  });

  it("lists gaps, most residents first", () => {
    expect(r.gaps.map((g) => [g.id, g.missing.length])).toEqual([
      ["R1", 3],
      ["R2", 1],
      ["R3", 3],
    ]);
    expect(r.skipped.facilities).toEqual({ count: 1, reasons: { "missing facilityType": 1 } });
    expect(r.warnings).toEqual([]);
  });

  it("supports per-category radii and other required sets", () => {
    // School at 700 m: R1 (900) and R4 (781) drop out → only R2 → 50 / 200.
    const r7 = lifeCircle(buildings, facilities, parks, { projection: PROJ, radiiM: { school: 700 } });
    expect(r7.categories[0]).toMatchObject({ category: "school", radiusM: 700, residentsCovered: 50, share: 0.25 });
    expect(r7.totals.shareAll).toBe(0);
    // Childcare within 300 m (the 5-minute circle) is at R1's door; "library" does not exist.
    const rc = lifeCircle(buildings, facilities, parks, { projection: PROJ, required: ["childcare", "library"], radiusM: 300 });
    expect(rc.categories.map((c) => c.residentsCovered)).toEqual([100, 0]);
    expect(rc.warnings).toEqual(['no facilities of type "library" in the input']);
    expect(rc.gaps).toHaveLength(4);
  });

  it("copes with empty inputs", () => {
    const e = lifeCircle(fc([]), fc([]), fc([]));
    expect(e.totals).toMatchObject({ buildings: 0, residents: 0, shareAll: 0 });
    expect(e.categories.every((c) => c.share === 0 && c.available === 0)).toBe(true);
    expect(e.warnings).toHaveLength(5);
    const noFacilities = lifeCircle(buildings, [], parks, { projection: PROJ });
    expect(noFacilities.totals.shareAll).toBe(0);
    expect(noFacilities.categories.find((c) => c.category === "park")!.residentsCovered).toBe(50);
  });

  it("counts only parks of at least 1 ha by default", () => {
    // A 90 × 90 m (8,100 m²) park next to R1 does not count unless the floor is lowered.
    const small = fc([...parks.features, polygon({ id: "tiny" }, rect(-45, 20, 45, 110))]);
    const def = lifeCircle(buildings, facilities, small, { projection: PROJ });
    expect(def.categories.find((c) => c.category === "park")).toMatchObject({ available: 2, residentsCovered: 50 });
    const low = lifeCircle(buildings, facilities, small, { projection: PROJ, minParkAreaM2: 5000 });
    expect(low.categories.find((c) => c.category === "park")).toMatchObject({ available: 3, residentsCovered: 150 });
  });

  it("counts a building inside a park as covered by it", () => {
    const inside = lifeCircle(fc([building("in", 3000, 200, { residents: 1 })]), fc([]), parks, {
      projection: PROJ,
      required: ["park"],
      radiusM: 1,
    });
    expect(inside.buildings[0].covered).toEqual(["park"]);
  });

  it("agrees with the naive turf version and returns plain data", () => {
    const n = naiveLifeCircle(buildings, facilities, parks);
    expect(n.buildings).toEqual(r.buildings);
    expect(n.categories).toEqual(r.categories);
    expect(isPlainData(r)).toBe(true);
  });
});
