import { describe, expect, it } from "vitest";
import { greenAccess, naiveGreenAccess } from "../../src/domain/analysis";
import { building, fc, isPlainData, multiPolygon, PROJ, polygon, rect } from "./analysisFixtures";

// Layout (metres east/north of the origin):
//   park P1: the square 0..200 × 0..200 (40,000 m²)
//   green G1: 795..805 × 145..155 — 100 m², below the 400 m² floor, does not count for 见绿
//   green G2: 85..115 × 900..930 — 900 m², counts
//   A (100 residents) centred (450, 100): 250 m east of P1's edge x = 200 → greenOk, parkOk
//   B (50) at (800, 100): 600 m from P1; G1 is 45 m away but too small → neither
//   C (30) at (100, 100): inside P1 → both, distance 0
//   H (20) at (100, 690): G2's edge y = 900 is 210 m away, P1's edge y = 200 is 490 m → both
//   D commercial, E residential with 0 residents → ignored; F without residents → skipped
// Residents 200; green ok A + C + H = 150 → 0.75; park ok A + C + H = 150 → 0.75.
const buildings = fc([
  building("A", 450, 100, { residents: 100 }),
  building("B", 800, 100, { residents: 50 }),
  building("C", 100, 100, { residents: 30 }),
  building("H", 100, 690, { residents: 20 }),
  building("D", 300, 100, { use: "commercial", residents: 0 }),
  building("E", 300, 150, { residents: 0 }),
  building("F", 300, 50, {}),
]);
const parks = fc([polygon({ id: "P1", parkType: "community" }, rect(0, 0, 200, 200))]);
const greens = fc([
  polygon({ id: "G1", greenType: "small", pocket: true }, rect(795, 145, 805, 155)),
  polygon({ id: "G2", greenType: "small" }, rect(85, 900, 115, 930)),
]);

describe("greenAccess (300米见绿、500米见园)", () => {
  const r = greenAccess(buildings, greens, parks, { projection: PROJ });
  const byId = Object.fromEntries(r.buildings.map((b) => [b.id, b]));

  it("measures each residential building to the nearest green / park edge, 0 inside", () => {
    expect(r.buildings.map((b) => b.id)).toEqual(["A", "B", "C", "H"]);
    expect(byId.A.distGreenM).toBeCloseTo(250, 6);
    expect(byId.A.distParkM).toBeCloseTo(250, 6);
    expect(byId.A).toMatchObject({ greenOk: true, parkOk: true, residents: 100 });
    expect(byId.B.distGreenM).toBeCloseTo(600, 6); // G1 at 45 m is below the minimum area
    expect(byId.B).toMatchObject({ greenOk: false, parkOk: false });
    expect(byId.C).toMatchObject({ greenOk: true, parkOk: true, distGreenM: 0, distParkM: 0 });
    expect(byId.H.distGreenM).toBeCloseTo(210, 6);
    expect(byId.H.distParkM).toBeCloseTo(490, 6);
    expect(byId.H).toMatchObject({ greenOk: true, parkOk: true });
  });

  it("weights shares by residents, exactly", () => {
    expect(r.totals).toEqual({
      buildings: 4,
      residents: 200,
      residentsGreenOk: 150,
      residentsParkOk: 150,
      residentsBothOk: 150,
      shareGreen: 0.75,
      sharePark: 0.75,
      shareBoth: 0.75,
      buildingsUncovered: 1,
      buildingsGreenUncovered: 1,
      buildingsParkUncovered: 1,
      buildingsIgnored: 2,
    });
    expect(r.greenSpaces).toEqual({ counted: 2, belowMinArea: 1 }); // P1 + G2; G1 too small
    expect(r.parks).toEqual({ counted: 1, belowMinArea: 0 });
    expect(r.skipped.buildings).toEqual({ count: 1, reasons: { "missing residents": 1 } });
  });

  it("lets the minimum green area and the radii be configured", () => {
    const r0 = greenAccess(buildings, greens, parks, { projection: PROJ, minGreenAreaM2: 0 });
    const b = r0.buildings.find((x) => x.id === "B")!;
    expect(b.distGreenM).toBeCloseTo(45, 6); // G1's edge y = 145 from (800, 100)
    expect(b.greenOk).toBe(true);
    expect(r0.totals.shareGreen).toBe(1);
    const r1 = greenAccess(buildings, greens, parks, { projection: PROJ, parkRadiusM: 400, greenRadiusM: 200 });
    // park: A 250 ✓, C 0 ✓, H 490 ✗ → 130 / 200; green: A 250 ✗, C ✓, H 210 ✗ → 30 / 200
    expect(r1.totals.residentsParkOk).toBe(130);
    expect(r1.totals.residentsGreenOk).toBe(30);
    // Parks below 1 ha do not count for 见园 by default (as the KPI manifest), but are green.
    const pocket = fc([polygon({ id: "pocket", parkType: "pocket" }, rect(700, 0, 760, 60))]); // 3,600 m²
    const rp = greenAccess(buildings, greens, pocket, { projection: PROJ });
    expect(rp.parks).toEqual({ counted: 0, belowMinArea: 1 });
    const bp = rp.buildings.find((x) => x.id === "B")!;
    expect(bp.distGreenM).toBeCloseTo(Math.hypot(40, 40), 6); // B (800, 100) to the corner (760, 60)
    expect(bp).toMatchObject({ greenOk: true, parkOk: false, distParkM: undefined });
    const r2 = greenAccess(buildings, greens, parks, { projection: PROJ, minParkAreaM2: 50_000 });
    expect(r2.parks).toEqual({ counted: 0, belowMinArea: 1 });
    expect(r2.buildings.every((x) => !x.parkOk && x.distParkM === undefined)).toBe(true);
  });

  it("handles parks with a hole (a lake) and MultiPolygon parks", () => {
    // Park Q: 0..400 square with a lake 150..250; a building in the lake is 50 m from the shore.
    // Park M: two parts, one far away (5 km) and one 2,000..2,100 × 0..100; K at (2,300, 50) is
    // 200 m from the near part.
    const q = polygon({ id: "Q" }, rect(0, 0, 400, 400), rect(150, 150, 250, 250).reverse());
    const m = multiPolygon({ id: "M" }, [rect(5000, 5000, 5100, 5100)], [rect(2000, 0, 2100, 100)]);
    const res = greenAccess(
      fc([building("lake", 200, 200, { residents: 10 }), building("K", 2300, 50, { residents: 10 })]),
      fc([]),
      fc([q, m]),
      { projection: PROJ },
    );
    const [lake, k] = res.buildings;
    expect(lake.distParkM).toBeCloseTo(50, 6);
    expect(lake.parkOk).toBe(true);
    expect(k.distParkM).toBeCloseTo(200, 6);
    expect(k.distGreenM).toBeCloseTo(200, 6); // parks are green spaces too
  });

  it("copes with empty inputs", () => {
    const none = greenAccess(fc([]), fc([]), fc([]));
    expect(none.totals).toMatchObject({ buildings: 0, residents: 0, shareGreen: 0, sharePark: 0, shareBoth: 0 });
    const noGreen = greenAccess(buildings, [], undefined as never, { projection: PROJ });
    expect(noGreen.buildings.every((b) => !b.greenOk && !b.parkOk && b.distGreenM === undefined)).toBe(true);
    expect(noGreen.totals.buildingsUncovered).toBe(4);
  });

  it("skips and counts bad features instead of throwing", () => {
    const bad = fc([
      null,
      { type: "Feature", properties: { id: "nogeom", use: "residential", residents: 5 }, geometry: null },
      {
        type: "Feature",
        properties: { id: "pt", use: "residential", residents: 5 },
        geometry: { type: "Point", coordinates: [109.79, 39.6] },
      },
      { type: "Feature", properties: { id: "nouse", residents: 5 }, geometry: { type: "Polygon", coordinates: [rect(0, 0, 1, 1)] } },
      {
        type: "Feature",
        properties: { id: "nan", use: "residential", residents: 5 },
        geometry: {
          type: "Polygon",
          coordinates: [
            [
              [Number.NaN, 39.6],
              [109.8, 39.6],
              [109.8, 39.7],
            ],
          ],
        },
      },
      building("ok", 450, 100, { residents: 7 }),
    ]);
    const badParks = fc([
      { type: "Feature", properties: { id: "x" }, geometry: { type: "Polygon", coordinates: "nope" } },
      ...parks.features,
    ]);
    const res = greenAccess(bad, greens, badParks, { projection: PROJ });
    expect(res.buildings.map((b) => b.id)).toEqual(["ok"]);
    expect(res.skipped.buildings.count).toBe(5);
    expect(res.skipped.buildings.reasons).toMatchObject({ "not a feature": 1, "no geometry": 1, "missing use": 1 });
    expect(res.skipped.parks.count).toBe(1);
    expect(res.buildings[0].parkOk).toBe(true);
  });

  it("agrees with the naive turf version on the hand-made fixture", () => {
    const n = naiveGreenAccess(buildings, greens, parks);
    expect(n.totals).toEqual(r.totals);
    n.buildings.forEach((b, i) => {
      expect(b.distGreenM!).toBeCloseTo(r.buildings[i].distGreenM!, 0);
      expect(b.distParkM!).toBeCloseTo(r.buildings[i].distParkM!, 0);
    });
  });

  it("gives the same answers with the projection centred on the data", () => {
    const auto = greenAccess(buildings, greens, parks);
    expect(auto.totals).toEqual(r.totals);
    auto.buildings.forEach((b, i) => expect(Math.abs(b.distParkM! - r.buildings[i].distParkM!)).toBeLessThan(0.1));
  });

  it("returns plain serialisable objects", () => {
    expect(isPlainData(r)).toBe(true);
    expect(structuredClone(r)).toEqual(r);
  });
});
