// The baker's hand-written WGS84 maths against Cesium's.

import { Cartesian3, Cartographic, Math as CesiumMath, Matrix4, Transforms } from "cesium";
import { describe, expect, it } from "vitest";
import { DEG, ecefToGeodetic, EnuFrame, enuToEcefMatrix, geodeticToEcef } from "../../scripts/bake/geo";
import { metresPerDegree } from "../../scripts/bake/input";

const places: Array<[number, number, number]> = [
  [109.79, 39.6, 0],
  [109.96, 39.81, 1305],
  [-70, -33, 250],
  [0, 0, 0],
  [179.9, 85, 8000],
];

describe("geo", () => {
  it("geodetic → ECEF matches Cesium to 0.1 mm", () => {
    for (const [lon, lat, h] of places) {
      const mine = geodeticToEcef(lon * DEG, lat * DEG, h);
      const theirs = Cartesian3.fromDegrees(lon, lat, h);
      expect(Math.abs(mine[0] - theirs.x) + Math.abs(mine[1] - theirs.y) + Math.abs(mine[2] - theirs.z)).toBeLessThan(1e-4);
    }
  });

  it("ECEF → geodetic round-trips to sub-millimetre", () => {
    for (const [lon, lat, h] of places) {
      const c = Cartesian3.fromDegrees(lon, lat, h);
      const [lo, la, hh] = ecefToGeodetic(c.x, c.y, c.z);
      const ref = Cartographic.fromCartesian(c);
      expect(Math.abs(lo - ref.longitude)).toBeLessThan(1e-10);
      expect(Math.abs(la - ref.latitude)).toBeLessThan(1e-10);
      expect(Math.abs(hh - h)).toBeLessThan(1e-4);
    }
  });

  it("the ENU frame is Cesium's eastNorthUpToFixedFrame, and toLocal inverts it", () => {
    for (const [lon, lat] of places) {
      const mine = enuToEcefMatrix(lon * DEG, lat * DEG);
      const theirs = Matrix4.toArray(Transforms.eastNorthUpToFixedFrame(Cartesian3.fromDegrees(lon, lat, 0)));
      for (let i = 0; i < 16; i++) expect(mine[i]).toBeCloseTo(theirs[i], 6);
      const frame = new EnuFrame(lon * DEG, lat * DEG);
      const local = [0, 0, 0];
      frame.toLocal((lon + 0.001) * DEG, (lat + 0.001) * DEG, 30, local);
      const back = Matrix4.multiplyByPoint(Matrix4.fromColumnMajorArray(mine), Cartesian3.fromArray(local), new Cartesian3());
      const want = Cartesian3.fromDegrees(lon + 0.001, lat + 0.001, 30);
      expect(Cartesian3.distance(back, want)).toBeLessThan(1e-6);
    }
  });

  it("metres per degree near Kangbashi agree with Cesium's geodesic distance", () => {
    const [kx, ky] = metresPerDegree(39.6);
    const a = Cartesian3.fromDegrees(109.79, 39.6);
    const e = Cartesian3.fromDegrees(109.79 + 100 / kx, 39.6);
    const n = Cartesian3.fromDegrees(109.79, 39.6 + 100 / ky);
    expect(Cartesian3.distance(a, e)).toBeCloseTo(100, 3);
    expect(Cartesian3.distance(a, n)).toBeCloseTo(100, 3);
    expect(CesiumMath.toRadians(1)).toBeCloseTo(DEG, 15);
  });
});
