// The building blocks: projection error bound, exact segment-index queries vs brute force,
// disc clipping, polygon containment with holes, centroid.
import { distance } from "@turf/turf";
import { describe, expect, it } from "vitest";
import { makeProjection, seededRandom } from "../../src/domain/analysis";
import { pointSegmentDist2, polygonsCentroid, segmentLengthInDisc } from "../../src/domain/analysis/geometry";
import { PolygonIndex, SegmentIndex } from "../../src/domain/analysis/spatial";

describe("local projection", () => {
  it("stays within the stated error at Ordos scale (≤ 0.2 % for ±0.13° of latitude)", () => {
    const p = makeProjection(109.85, 39.7);
    const rnd = seededRandom(3);
    let worst = 0;
    for (let i = 0; i < 2000; i++) {
      const a = [109.7 + 0.3 * rnd(), 39.57 + 0.26 * rnd()];
      const b = [a[0] + (rnd() - 0.5) * 0.02, a[1] + (rnd() - 0.5) * 0.02];
      const planar = Math.hypot((b[0] - a[0]) * p.kx, (b[1] - a[1]) * p.ky);
      const sphere = distance(a, b, { units: "meters" });
      worst = Math.max(worst, Math.abs(planar - sphere) / sphere);
    }
    expect(worst).toBeLessThan(0.002);
    expect(worst).toBeGreaterThan(0.0005); // the bound is not vacuous
  });
});

describe("geometry primitives", () => {
  it("point–segment distance, clamped to the ends", () => {
    expect(pointSegmentDist2(0, 5, -10, 0, 10, 0)).toBe(25);
    expect(pointSegmentDist2(13, 4, -10, 0, 10, 0)).toBe(25); // 3-4-5 from the end (10, 0)
    expect(pointSegmentDist2(1, 1, 0, 0, 0, 0)).toBe(2); // degenerate segment
  });
  it("length of a segment inside a disc", () => {
    expect(segmentLengthInDisc(0, 0, 5, -10, 3, 10, 3)).toBeCloseTo(8, 12); // chord 2·√(25 − 9)
    expect(segmentLengthInDisc(0, 0, 5, 0, 3, 10, 3)).toBeCloseTo(4, 12); // from inside out
    expect(segmentLengthInDisc(0, 0, 5, -1, 0, 1, 0)).toBeCloseTo(2, 12); // wholly inside
    expect(segmentLengthInDisc(0, 0, 5, -10, 6, 10, 6)).toBe(0); // misses
  });
  it("area-weighted centroid, holes subtracted", () => {
    const sq = (x0: number, y0: number, x1: number, y1: number) => new Float64Array([x0, y0, x1, y0, x1, y1, x0, y1, x0, y0]);
    expect(polygonsCentroid([[sq(0, 0, 4, 2)]])).toEqual([2, 1]);
    // 4×4 square minus the 2×4 right half as a "hole" region → centroid of the left half.
    const [cx, cy] = polygonsCentroid([[sq(0, 0, 4, 4), sq(2, 0, 4, 4)]]);
    expect(cx).toBeCloseTo(1, 12);
    expect(cy).toBeCloseTo(2, 12);
  });
});

describe("segment index", () => {
  const rnd = seededRandom(11);
  const items = Array.from({ length: 300 }, () => {
    const runs: Float64Array[] = [];
    const n = 1 + Math.floor(rnd() * 2);
    for (let k = 0; k < n; k++) {
      const x = rnd() * 5000;
      const y = rnd() * 5000;
      runs.push(new Float64Array([x, y, x + (rnd() - 0.5) * 400, y + (rnd() - 0.5) * 400, x + (rnd() - 0.5) * 400, y]));
    }
    return runs;
  });
  const idx = new SegmentIndex(items);
  const brute = (x: number, y: number) => {
    let best = Infinity;
    for (let s = 0; s < idx.size; s++) best = Math.min(best, idx.dist2(s, x, y));
    return Math.sqrt(best);
  };

  it("nearest is exact (matches brute force)", () => {
    for (let i = 0; i < 500; i++) {
      const x = rnd() * 7000 - 1000;
      const y = rnd() * 7000 - 1000;
      const d = brute(x, y);
      expect(idx.nearest(x, y)!.dist).toBeCloseTo(d, 9);
      expect(idx.nearest(x, y, 100)!.dist).toBeCloseTo(d, 9); // with a search hint, hit or miss
    }
  });

  it("radius queries find exactly the segments within r", () => {
    for (let i = 0; i < 200; i++) {
      const x = rnd() * 5000;
      const y = rnd() * 5000;
      const r = 50 + rnd() * 300;
      const found: number[] = [];
      idx.forEachWithin(x, y, r, (s) => found.push(s));
      const expected: number[] = [];
      for (let s = 0; s < idx.size; s++) if (idx.dist2(s, x, y) <= r * r) expected.push(s);
      expect(found.sort((a, b) => a - b)).toEqual(expected);
      expect(idx.anyWithin(x, y, r)).toBe(expected.length > 0);
    }
  });

  it("empty indexes answer nothing", () => {
    const e = new SegmentIndex([]);
    expect(e.nearest(0, 0)).toBeUndefined();
    expect(e.anyWithin(0, 0, 1e9)).toBe(false);
    expect(new PolygonIndex([]).distance(0, 0)).toBeUndefined();
  });
});

describe("polygon index", () => {
  const ring = (x0: number, y0: number, x1: number, y1: number) => new Float64Array([x0, y0, x1, y0, x1, y1, x0, y1, x0, y0]);
  const idx = new PolygonIndex([[[ring(0, 0, 100, 100), ring(40, 40, 60, 60)]], [[ring(200, 0, 300, 100)], [ring(500, 500, 600, 600)]]]);
  it("containment respects holes and multipolygon parts", () => {
    expect(idx.contains(10, 10)).toBe(true);
    expect(idx.contains(50, 50)).toBe(false); // in the hole
    expect(idx.distance(50, 50)).toBeCloseTo(10, 12);
    expect(idx.contains(550, 550)).toBe(true);
    expect(idx.distance(150, 50)).toBeCloseTo(50, 12);
    expect(idx.within(150, 50, 49)).toBe(false);
    expect(idx.within(150, 50, 50)).toBe(true);
  });
});
