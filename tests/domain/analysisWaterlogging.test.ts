import { describe, expect, it } from "vitest";
import { naiveWaterloggingRisk, waterloggingRisk } from "../../src/domain/analysis";
import { fc, isPlainData, line, multiLine, point, PROJ } from "./analysisFixtures";

// Radius 300 m around spot S1 at (0, 0) (risk high, 25 cm):
//   D1 drainage (−400, 100)→(400, 100), Ø800, 2 m deep: distance 100, inside the circle
//      2·√(300² − 100²) = 565.685 m of its 800 m
//   D2 drainage (0, −200)→(0, −600), Ø400 (< 600: undersized): distance 200, inside 100 m
//   D4 drainage (200, −100)→(200, −150), Ø1000, 5 m deep (> 4 m: deep): distance √(200² + 100²)
//      = 223.607, wholly inside: 50 m
//   D3 drainage (500, 0)→(900, 0): 500 m away, not near
//   G  gas (−400, 0)→(400, 0): not drainage, ignored
//   R1 road (−400, 0)→(400, 0): distance 0, inside 600 m; R2 road (−300, 250)→(300, 250):
//      distance 250, inside 2·√(300² − 250²) = 331.662 m
// drainage inside = 715.685, flagged inside (D2 + D4) = 150, roads inside = 931.662
// deficit = 1 − 715.685 / 931.662 = 0.231819, flagged share = 150 / 715.685 = 0.209589
// score = 100·(0.35·1 + 0.25·(25/50) + 0.25·0.231819 + 0.15·0.209589) = 56.4393 → medium
// Spot S2 at (5,000, 0), risk low, no depth: nothing near → deficit 1:
// score = 100·(0.35/3 + 0 + 0.25 + 0) = 36.6667 → medium. S3 has no risk → skipped.
const spots = fc([
  point({ id: "S1", risk: "high", maxDepthCm: 25 }, 0, 0),
  point({ id: "S2", risk: "low" }, 5000, 0),
  point({ id: "S3" }, 0, 0),
]);
const pipes = fc([
  line({ id: "D1", network: "drainage", diameterMm: 800, depthM: 2 }, [-400, 100], [400, 100]),
  line({ id: "D2", network: "drainage", diameterMm: 400, depthM: 2.5 }, [0, -200], [0, -600]),
  line({ id: "D3", network: "drainage", diameterMm: 800, depthM: 2 }, [500, 0], [900, 0]),
  line({ id: "D4", network: "drainage", diameterMm: 1000, depthM: 5 }, [200, -100], [200, -150]),
  line({ id: "G", network: "gas", diameterMm: 200, depthM: 1 }, [-400, 0], [400, 0]),
  line({ id: "nonet" }, [0, 0], [10, 0]),
]);
const roads = fc([
  line({ id: "R1", roadClass: "arterial" }, [-400, 0], [400, 0]),
  line({ id: "R2", roadClass: "branch" }, [-300, 250], [300, 250]),
]);

describe("waterloggingRisk (城市内涝)", () => {
  const r = waterloggingRisk(spots, pipes, roads, { projection: PROJ });
  const s1 = r.points.find((p) => p.id === "S1")!;
  const s2 = r.points.find((p) => p.id === "S2")!;

  it("finds drainage pipes and roads within the radius with their length inside it", () => {
    expect(s1.pipes.map((p) => [p.id, +p.distM.toFixed(3), +p.lengthWithinM.toFixed(3), p.deep, p.undersized])).toEqual([
      ["D1", 100, 565.685, false, false],
      ["D2", 200, 100, false, true],
      ["D4", 223.607, 50, true, false],
    ]);
    expect(s1.pipes[0]).toMatchObject({ diameterMm: 800, depthM: 2 });
    expect(s1.pipes[0].lengthM).toBeCloseTo(800, 6);
    expect(s1.roads.map((x) => [x.id, +x.distM.toFixed(3), +x.lengthWithinM.toFixed(3), x.roadClass])).toEqual([
      ["R1", 0, 600, "arterial"],
      ["R2", 250, 331.662, "branch"],
    ]);
    expect(s1.drainageLengthWithinM).toBeCloseTo(715.685, 3);
    expect(s1.roadLengthWithinM).toBeCloseTo(931.662, 3);
    expect(s1.flaggedPipes).toBe(2);
    expect(s1.flaggedLengthWithinM).toBeCloseTo(150, 6);
  });

  it("scores spots on an explainable 0–100 scale, highest first", () => {
    expect(s1.score).toBeCloseTo(56.4393, 3);
    expect(s1.scoreClass).toBe("medium");
    expect(s2.score).toBeCloseTo(36.6667, 3);
    expect(s2.pipes).toEqual([]);
    expect(r.points.map((p) => p.id)).toEqual(["S1", "S2"]);
  });

  it("sums totals and counts skipped features", () => {
    expect(r.totals).toMatchObject({
      points: 2,
      byRisk: { low: 1, medium: 0, high: 1 },
      byScoreClass: { low: 0, medium: 2, high: 0 },
      pointsWithoutDrainage: 1,
      drainagePipesNearby: 3,
      flaggedPipesNearby: 2,
    });
    expect(r.totals.meanScore).toBeCloseTo((56.4393 + 36.6667) / 2, 3);
    expect(r.skipped.points).toEqual({ count: 1, reasons: { "missing risk": 1 } });
    expect(r.skipped.pipes).toEqual({ count: 1, reasons: { "missing network": 1 } });
  });

  it("honours options: radius, thresholds, weights", () => {
    const small = waterloggingRisk(spots, pipes, roads, { projection: PROJ, radiusM: 150 });
    expect(small.points[0].pipes.map((p) => p.id)).toEqual(["D1"]); // 2·√(150² − 100²) = 223.607 m inside
    expect(small.points[0].drainageLengthWithinM).toBeCloseTo(223.607, 3);
    const strict = waterloggingRisk(spots, pipes, roads, { projection: PROJ, minDrainDiameterMm: 900, deepPipeDepthM: 10 });
    expect(strict.points[0].pipes.map((p) => p.undersized)).toEqual([true, true, false]);
    const riskOnly = waterloggingRisk(spots, pipes, roads, { projection: PROJ, weights: { risk: 1, depth: 0, deficit: 0, flagged: 0 } });
    expect(riskOnly.points.map((p) => [p.id, +p.score.toFixed(3), p.scoreClass])).toEqual([
      ["S1", 100, "high"],
      ["S2", 33.333, "low"],
    ]);
  });

  it("sums a MultiLineString pipe's parts once", () => {
    const m = waterloggingRisk(
      fc([point({ id: "S", risk: "medium" }, 0, 0)]),
      fc([
        multiLine(
          { id: "M", network: "drainage", diameterMm: 800 },
          [
            [-100, 0],
            [100, 0],
          ],
          [
            [0, 50],
            [0, 400],
          ],
        ),
      ]),
      fc([]),
      { projection: PROJ },
    );
    // 200 m + (300 − 50) m inside; distance 0
    expect(m.points[0].pipes).toHaveLength(1);
    expect(m.points[0].pipes[0].lengthWithinM).toBeCloseTo(450, 6);
    expect(m.points[0].pipes[0].lengthM).toBeCloseTo(550, 6);
  });

  it("copes with empty inputs and returns plain data", () => {
    const e = waterloggingRisk(fc([]), fc([]), fc([]));
    expect(e.totals).toMatchObject({ points: 0, meanScore: 0, drainagePipesNearby: 0 });
    const noNet = waterloggingRisk(spots, fc([]), fc([]), { projection: PROJ });
    expect(noNet.totals.pointsWithoutDrainage).toBe(2);
    expect(isPlainData(r)).toBe(true);
  });

  it("agrees with the naive turf version (lineSplit by a 256-gon circle)", () => {
    const n = naiveWaterloggingRisk(spots, pipes, roads);
    expect(n.points.map((p) => p.id)).toEqual(r.points.map((p) => p.id));
    n.points.forEach((p, i) => {
      const q = r.points[i];
      expect(p.pipes.map((x) => x.id)).toEqual(q.pipes.map((x) => x.id));
      expect(p.roads.map((x) => x.id)).toEqual(q.roads.map((x) => x.id));
      expect(Math.abs(p.drainageLengthWithinM - q.drainageLengthWithinM)).toBeLessThan(0.5);
      expect(Math.abs(p.score - q.score)).toBeLessThan(0.1);
    });
  });
});
