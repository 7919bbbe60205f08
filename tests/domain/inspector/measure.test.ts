// Measurement maths against hand-worked values and turf.
import { area as turfArea, distance as turfDistance, length as turfLength, lineString, polygon } from "@turf/turf";
import { describe, expect, it } from "vitest";
import { formatArea, formatLength, measureArea, measureDistance, ringAreaM2 } from "../../../src/domain/inspector/measure";

describe("measure", () => {
  it("one degree of longitude on the equator is R·π/180 = 111,195.08 m, as turf says", () => {
    const d = measureDistance([
      [0, 0],
      [1, 0],
    ]);
    expect(d.totalM).toBeCloseTo((6371008.8 * Math.PI) / 180, 3);
    expect(d.totalM).toBeCloseTo(turfDistance([0, 0], [1, 0], { units: "meters" }), 6);
  });

  it("a polyline gives each leg and their sum (turf.length)", () => {
    const pts: Array<[number, number]> = [
      [109.78, 39.6],
      [109.79, 39.6],
      [109.79, 39.61],
    ];
    const d = measureDistance(pts);
    expect(d.legsM).toHaveLength(2);
    // north–south leg: 0.01° of latitude = R·π/180·0.01 = 1,111.95 m
    expect(d.legsM[1]).toBeCloseTo(1111.95, 1);
    expect(d.totalM).toBeCloseTo(turfLength(lineString(pts), { units: "meters" }), 6);
  });

  it("geodesic area: the 1° × 1° cell at the equator is a²·Δλ·(sin 1° − sin 0°), as turf.area", () => {
    const ring: Array<[number, number]> = [
      [0, 0],
      [1, 0],
      [1, 1],
      [0, 1],
    ];
    const hand = 6371008.8 ** 2 * (Math.PI / 180) * Math.sin(Math.PI / 180);
    expect(ringAreaM2(ring)).toBeCloseTo(hand, -3);
    expect(measureArea(ring).areaM2 / turfArea(polygon([[...ring, ring[0]]]))).toBeCloseTo(1, 9);
  });

  it("a city block in Kangbashi agrees with turf, closed or not", () => {
    const ring: Array<[number, number]> = [
      [109.78, 39.6],
      [109.784, 39.6],
      [109.785, 39.603],
      [109.779, 39.602],
    ];
    const a = measureArea(ring);
    const b = measureArea([...ring, ring[0]]);
    expect(a.areaM2).toBeCloseTo(b.areaM2, 6);
    expect(a.areaM2 / turfArea(polygon([[...ring, ring[0]]]))).toBeCloseTo(1, 9);
    expect(a.perimeterM).toBeCloseTo(turfLength(lineString([...ring, ring[0]]), { units: "meters" }), 6);
  });

  it("bad input is a readable error", () => {
    expect(() => measureDistance([[0, 0]])).toThrow(/at least 2 points/);
    expect(() =>
      measureArea([
        [0, 0],
        [1, 1],
      ]),
    ).toThrow(/at least 3 points/);
    expect(() =>
      measureDistance([
        [0, 0],
        [NaN, 1],
      ]),
    ).toThrow(/invalid point/);
  });

  it("formats lengths and areas with units", () => {
    expect(formatLength(12.34, "en")).toBe("12.3 m");
    expect(formatLength(1234.5, "zh")).toBe("1.23 km");
    expect(formatArea(512, "en")).toBe("512 m²");
    expect(formatArea(25_000, "zh")).toBe("2.50 公顷");
    expect(formatArea(3_000_000, "en")).toBe("3.00 km²");
  });
});
