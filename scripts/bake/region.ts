// Region (EPSG:4979 [west, south, east, north, minH, maxH], radians/metres) of a glTF
// position array after Cesium's y-up→z-up correction and the tile transform: the ground truth
// for bounding volumes, shared by the baker and the validator.

import { ecefToGeodetic, multiplyMatrices, transformPoint, Y_UP_TO_Z_UP } from "./geo";

export type Region = [number, number, number, number, number, number];

export function emptyRegion(): Region {
  return [Infinity, Infinity, -Infinity, -Infinity, Infinity, -Infinity];
}

export function positionsRegion(positions: ArrayLike<number>, tileTransform: ArrayLike<number>, into: Region = emptyRegion()): Region {
  const m = multiplyMatrices(tileTransform, Y_UP_TO_Z_UP);
  const ecef = new Float64Array(3);
  const geo = new Float64Array(3);
  for (let i = 0; i < positions.length; i += 3) {
    transformPoint(m, positions[i], positions[i + 1], positions[i + 2], ecef);
    ecefToGeodetic(ecef[0], ecef[1], ecef[2], geo);
    if (geo[0] < into[0]) into[0] = geo[0];
    if (geo[1] < into[1]) into[1] = geo[1];
    if (geo[0] > into[2]) into[2] = geo[0];
    if (geo[1] > into[3]) into[3] = geo[1];
    if (geo[2] < into[4]) into[4] = geo[2];
    if (geo[2] > into[5]) into[5] = geo[2];
  }
  return into;
}

export function unionRegion(a: Region, b: ArrayLike<number>): Region {
  return [
    Math.min(a[0], b[0]),
    Math.min(a[1], b[1]),
    Math.max(a[2], b[2]),
    Math.max(a[3], b[3]),
    Math.min(a[4], b[4]),
    Math.max(a[5], b[5]),
  ];
}

/** Does outer contain inner, allowing `tolRad` / `tolM` of slack? */
export function regionContains(outer: ArrayLike<number>, inner: ArrayLike<number>, tolRad = 0, tolM = 0): boolean {
  return (
    inner[0] >= outer[0] - tolRad &&
    inner[1] >= outer[1] - tolRad &&
    inner[2] <= outer[2] + tolRad &&
    inner[3] <= outer[3] + tolRad &&
    inner[4] >= outer[4] - tolM &&
    inner[5] <= outer[5] + tolM
  );
}
