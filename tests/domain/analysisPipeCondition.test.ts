import { describe, expect, it } from "vitest";
import { naivePipeCondition, pipeCondition } from "../../src/domain/analysis";
import { fc, isPlainData, line, multiLine, PROJ } from "./analysisFixtures";

// As of 2025 (lengths along straight metre lines, so they are exact in the projection):
//   gas1   installed 2000, never renewed, 1,000 m → age 25, 20–30, older than 20 and unrenewed
//   gas2   installed 1990, renewed 2015,   500 m → age 10 (from renewal), 10–20; renewed
//   gas3   installed 2005, never renewed,   200 m → age 20 → 20–30, but not *over* 20
//   water1 installed 1980,                  300 m → 45, 30+
//   water2 installed 2020, renewal planned 2030 (after asOfYear: not renewed yet), 100 m → 0–10
//   drain1 installed 2024, MultiLineString 100 m + 50 m → 0–10, 150 m
//   tel1   network "telecom" (non-standard), installed 2010, 80 m → 10–20, listed after the five
//   skipped: no installYear, no network, installed 2030, a Point, renewal before install
const pipes = fc([
  line({ id: "gas1", network: "gas", installYear: 2000 }, [0, 0], [1000, 0]),
  line({ id: "gas2", network: "gas", installYear: 1990, renewalYear: 2015 }, [0, 10], [300, 10], [300, 210]),
  line({ id: "gas3", network: "gas", installYear: 2005 }, [0, 20], [0, 220]),
  line({ id: "water1", network: "water", installYear: 1980 }, [0, 30], [300, 30]),
  line({ id: "water2", network: "water", installYear: 2020, renewalYear: 2030 }, [0, 40], [100, 40]),
  multiLine(
    { id: "drain1", network: "drainage", installYear: 2024 },
    [
      [0, 50],
      [100, 50],
    ],
    [
      [0, 60],
      [0, 110],
    ],
  ),
  line({ id: "tel1", network: "telecom", installYear: 2010 }, [0, 70], [80, 70]),
  line({ id: "noyear", network: "gas" }, [0, 0], [1, 0]),
  line({ id: "nonet", installYear: 2000 }, [0, 0], [1, 0]),
  line({ id: "future", network: "gas", installYear: 2030 }, [0, 0], [1, 0]),
  {
    type: "Feature",
    properties: { id: "pt", network: "gas", installYear: 2000 },
    geometry: { type: "Point", coordinates: [109.79, 39.6] },
  },
  line({ id: "backwards", network: "water", installYear: 2010, renewalYear: 2000 }, [0, 0], [1, 0]),
]);

describe("pipeCondition (管网年龄)", () => {
  const r = pipeCondition(pipes, { asOfYear: 2025, projection: PROJ });
  const net = (n: string) => r.networks.find((x) => x.network === n)!;
  const cls = (n: string) => net(n).byAge.map((b) => [b.ageClass, b.count, +b.lengthKm.toFixed(9), b.ids]);

  it("buckets length by age class per network, counting from renewal", () => {
    expect(r.networks.map((n) => n.network)).toEqual(["gas", "water", "drainage", "heating", "reclaimed", "telecom"]);
    expect(cls("gas")).toEqual([
      ["0-10", 0, 0, []],
      ["10-20", 1, 0.5, ["gas2"]],
      ["20-30", 2, 1.2, ["gas1", "gas3"]],
      ["30+", 0, 0, []],
    ]);
    expect(net("gas")).toMatchObject({ count: 3, renewedCount: 1 });
    expect(net("gas").lengthKm).toBeCloseTo(1.7, 9);
    expect(net("gas").renewedLengthKm).toBeCloseTo(0.5, 9);
    expect(cls("water")).toEqual([
      ["0-10", 1, 0.1, ["water2"]],
      ["10-20", 0, 0, []],
      ["20-30", 0, 0, []],
      ["30+", 1, 0.3, ["water1"]],
    ]);
    expect(net("water").renewedCount).toBe(0); // the 2030 renewal has not happened by 2025
    expect(net("drainage").lengthKm).toBeCloseTo(0.15, 9);
    expect(net("heating")).toMatchObject({ count: 0, lengthKm: 0 });
    expect(cls("telecom")[1]).toEqual(["10-20", 1, 0.08, ["tel1"]]);
    expect(r.totals.count).toBe(7);
    expect(r.totals.lengthKm).toBeCloseTo(1.7 + 0.4 + 0.15 + 0.08, 9);
    expect(r.totals.byAge.map((b) => b.count)).toEqual([2, 2, 2, 1]);
  });

  it("reports gas pipes older than 20 years that were never renewed", () => {
    expect(r.gasOverAgeUnrenewed.count).toBe(1);
    expect(r.gasOverAgeUnrenewed.ids).toEqual(["gas1"]);
    expect(r.gasOverAgeUnrenewed.lengthKm).toBeCloseTo(1, 9);
    // A year later gas3 turns 21 too.
    expect(pipeCondition(pipes, { asOfYear: 2026 }).gasOverAgeUnrenewed.ids).toEqual(["gas1", "gas3"]);
  });

  it("shows 0 when every old gas pipe was renewed (the seed's figure)", () => {
    const renewed = fc([
      line({ id: "g1", network: "gas", installYear: 1995, renewalYear: 2021 }, [0, 0], [500, 0]),
      line({ id: "g2", network: "gas", installYear: 2012 }, [0, 10], [500, 10]),
    ]);
    const z = pipeCondition(renewed, { asOfYear: 2025 });
    expect(z.gasOverAgeUnrenewed).toEqual({ count: 0, lengthKm: 0, ids: [] });
  });

  it("skips and counts bad segments", () => {
    expect(r.skipped).toEqual({
      count: 5,
      reasons: {
        "missing installYear": 1,
        "missing network": 1,
        "installed after asOfYear": 1,
        "geometry Point is not a line": 1,
        "renewalYear before installYear": 1,
      },
    });
  });

  it("copes with empty input and returns plain data", () => {
    const e = pipeCondition(fc([]), { asOfYear: 2025 });
    expect(e.totals).toEqual({
      count: 0,
      lengthKm: 0,
      byAge: ["0-10", "10-20", "20-30", "30+"].map((ageClass) => ({ ageClass, count: 0, lengthKm: 0 })),
    });
    expect(e.networks).toHaveLength(5);
    expect(isPlainData(r)).toBe(true);
  });

  it("agrees with turf.length within the projection's error", () => {
    const n = naivePipeCondition(pipes, { asOfYear: 2025 });
    expect(n.totals.count).toBe(r.totals.count);
    expect(Math.abs(n.totals.lengthKm - r.totals.lengthKm) / n.totals.lengthKm).toBeLessThan(1e-3);
    expect(n.gasOverAgeUnrenewed.ids).toEqual(r.gasOverAgeUnrenewed.ids);
  });
});
