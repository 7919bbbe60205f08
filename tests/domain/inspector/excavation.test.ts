// Excavation hit list on a hand-made fixture. Everything is laid out in metres around one
// point (the pit's centre), so the expected lengths can be worked out on paper.
import { describe, expect, it } from "vitest";
import { flattenFeatures } from "../../../src/domain/geojson";
import { makeProjection } from "../../../src/domain/analysis/projection";
import { buildPitIndex, excavate, validatePit } from "../../../src/domain/inspector/excavation";
import { UserError } from "../../../src/domain/inspector/errors";

const P = makeProjection(109.8, 39.6);
const ll = (x: number, y: number): [number, number] => [P.lon0 + x / P.kx, P.lat0 + y / P.ky];
const line = (id: string, pts: Array<[number, number]>, props: Record<string, unknown>) => ({
  type: "Feature",
  id,
  properties: { id, ...props },
  geometry: { type: "LineString", coordinates: pts.map(([x, y]) => ll(x, y)) },
});
const point = (id: string, x: number, y: number, props: Record<string, unknown>) => ({
  type: "Feature",
  id,
  properties: { id, ...props },
  geometry: { type: "Point", coordinates: ll(x, y) },
});

const gas = flattenFeatures(
  [
    // A: straight through the middle, 40 m long → 10 m inside the 10 × 10 m pit
    line(
      "A",
      [
        [-20, 0],
        [20, 0],
      ],
      { network: "gas", material: "PE", diameterMm: 200, depthM: 1.5, installYear: 2010 },
    ),
    // B: the diagonal → 10·√2 = 14.14 m inside
    line(
      "B",
      [
        [-20, -20],
        [20, 20],
      ],
      { network: "gas", material: "steel", diameterMm: 110, depthM: 1.2, installYear: 1998, renewalYear: 2021 },
    ),
    // C: 3 m north of the pit: not hit
    line(
      "C",
      [
        [-20, 8],
        [20, 8],
      ],
      { network: "gas", diameterMm: 110, depthM: 1.2, installYear: 2000 },
    ),
    // E: an L: 5 m along y = 2 (x −5 → 0), then 3 m up x = 0 (y 2 → 5) → 8 m inside
    line(
      "E",
      [
        [-20, 2],
        [0, 2],
        [0, 20],
      ],
      { network: "gas", diameterMm: 90, depthM: 1.3, installYear: 2015 },
    ),
  ],
  "line",
);
const drainage = flattenFeatures(
  // D: 1000 mm at 3.0 m: its top is at 2.5 m, below a 2 m pit, inside a 3 m one
  [
    line(
      "D",
      [
        [0, -20],
        [0, 20],
      ],
      { network: "drainage", material: "concrete", diameterMm: 1000, depthM: 3.0, installYear: 1995 },
    ),
  ],
  "line",
);
const nodes = flattenFeatures(
  [
    point("V", 1, 1, { network: "gas", nodeType: "valve", depthM: 1.2 }),
    point("M", 3, -3, { network: "drainage", nodeType: "manhole", depthM: 4, topDepthM: 0 }),
    point("deep", -2, -2, { network: "water", nodeType: "valve", depthM: 2.5 }),
    point("far", 30, 30, { network: "gas", nodeType: "valve", depthM: 1.2 }),
  ],
  "point",
);
const index = buildPitIndex([
  { layerId: "pipes-gas", data: gas },
  { layerId: "pipes-drainage", data: drainage },
  { layerId: "pipe-nodes", data: nodes },
]);
const square = [ll(-5, -5), ll(5, -5), ll(5, 5), ll(-5, 5)];

describe("excavation hit list", () => {
  it("lists every pipe and node the pit reaches, with the length inside", () => {
    const { rows, pit } = excavate(index, square, 2);
    expect(pit.areaM2).toBeCloseTo(100, 1);
    const byId = Object.fromEntries(rows.map((r) => [r.featureId, r]));
    expect(Object.keys(byId).sort()).toEqual(["A", "B", "E", "M", "V"]);
    expect(byId.A.lengthInPitM).toBeCloseTo(10, 1);
    expect(byId.B.lengthInPitM).toBeCloseTo(14.1, 1);
    expect(byId.E.lengthInPitM).toBeCloseTo(8, 1);
    expect(byId.A).toMatchObject({
      layerId: "pipes-gas",
      kind: "pipe",
      network: "gas",
      material: "PE",
      diameterMm: 200,
      depthM: 1.5,
      installYear: 2010,
      renewed: false,
    });
    expect(byId.B).toMatchObject({ renewed: true, renewalYear: 2021 });
    expect(byId.V).toMatchObject({ kind: "node", nodeType: "valve" });
    expect(byId.M.lengthInPitM).toBeUndefined();
  });

  it("a deeper pit reaches the deep sewer and the deep valve", () => {
    const ids = excavate(index, square, 3)
      .rows.map((r) => r.featureId)
      .sort();
    expect(ids).toEqual(["A", "B", "D", "E", "M", "V", "deep"]);
    expect(excavate(index, square, 3).rows.find((r) => r.featureId === "D")!.lengthInPitM).toBeCloseTo(10, 1);
  });

  it("the outline's direction and a closing point do not matter", () => {
    const cw = [...square].reverse();
    const closed = [...square, square[0]];
    const ids = (p: unknown) => excavate(index, p, 2).rows.map((r) => `${r.featureId}:${r.lengthInPitM ?? ""}`);
    expect(ids(cw)).toEqual(ids(square));
    expect(ids(closed)).toEqual(ids(square));
  });

  it("a concave pit counts only the parts inside", () => {
    // a U open to the north: the notch x ∈ [−1, 1], y ∈ [−1, 5] is outside the pit
    const u = [ll(-5, -5), ll(5, -5), ll(5, 5), ll(1, 5), ll(1, -1), ll(-1, -1), ll(-1, 5), ll(-5, 5)];
    const rows = excavate(index, u, 2).rows;
    // A (y = 0) crosses the notch: 10 − 2 = 8 m inside
    expect(rows.find((r) => r.featureId === "A")!.lengthInPitM).toBeCloseTo(8, 1);
    // V at (1,1) lies on the notch edge; M at (3,−3) is inside
    expect(rows.some((r) => r.featureId === "M")).toBe(true);
  });

  it("rejects a degenerate or self-intersecting outline, and a bad depth, with a message in both languages", () => {
    const expectUserError = (f: () => unknown, en: RegExp) => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(UserError);
        expect((e as UserError).text("en")).toMatch(en);
        expect((e as UserError).text("zh")).toMatch(/[\u4e00-\u9fff]/);
        return;
      }
      throw new Error("expected a UserError");
    };
    expectUserError(() => validatePit([ll(0, 0), ll(5, 0)], 2), /three distinct points/);
    expectUserError(() => validatePit([ll(0, 0), ll(5, 0), ll(10, 0)], 2), /no area/);
    expectUserError(() => validatePit([ll(-5, -5), ll(5, 5), ll(5, -5), ll(-5, 5)], 2), /crosses itself/);
    expectUserError(() => validatePit(square, 0), /depth/);
    expectUserError(
      () =>
        validatePit(
          [
            [1, 2],
            ["x", 3],
            [4, 5],
          ],
          2,
        ),
      /invalid point/,
    );
    expectUserError(() => validatePit("nope", 2), /array/);
  });

  it("an empty index gives an empty list, not an error", () => {
    expect(excavate(buildPitIndex([]), square, 2).rows).toEqual([]);
  });
});
