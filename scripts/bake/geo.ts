// WGS84 maths for the baker, hand-written so the baker does not load all of Cesium (2 s of
// import time) and so the tests can check it against Cesium's own Transforms independently.

export const WGS84_A = 6378137.0;
export const WGS84_F = 1 / 298.257223563;
export const WGS84_E2 = WGS84_F * (2 - WGS84_F);
const WGS84_B = WGS84_A * (1 - WGS84_F);
const EP2 = (WGS84_A * WGS84_A - WGS84_B * WGS84_B) / (WGS84_B * WGS84_B);

export const DEG = Math.PI / 180;

/** Geodetic (radians, radians, metres above the ellipsoid) → ECEF metres. */
export function geodeticToEcef(
  lonRad: number,
  latRad: number,
  h: number,
  out: Float64Array | number[] = new Float64Array(3),
): Float64Array | number[] {
  const sinLat = Math.sin(latRad);
  const cosLat = Math.cos(latRad);
  const n = WGS84_A / Math.sqrt(1 - WGS84_E2 * sinLat * sinLat);
  out[0] = (n + h) * cosLat * Math.cos(lonRad);
  out[1] = (n + h) * cosLat * Math.sin(lonRad);
  out[2] = (n * (1 - WGS84_E2) + h) * sinLat;
  return out;
}

/**
 * ECEF → geodetic [lonRad, latRad, h]. Bowring's closed-form start, then two fixed-point
 * steps of lat = atan2(z + e²·N·sin(lat), p): well below a millimetre near the surface.
 */
export function ecefToGeodetic(
  x: number,
  y: number,
  z: number,
  out: Float64Array | number[] = new Float64Array(3),
): Float64Array | number[] {
  const p = Math.hypot(x, y);
  const theta = Math.atan2(z * WGS84_A, p * WGS84_B);
  const st = Math.sin(theta);
  const ct = Math.cos(theta);
  let lat = Math.atan2(z + EP2 * WGS84_B * st * st * st, p - WGS84_E2 * WGS84_A * ct * ct * ct);
  for (let i = 0; i < 2; i++) {
    const s = Math.sin(lat);
    const n = WGS84_A / Math.sqrt(1 - WGS84_E2 * s * s);
    lat = Math.atan2(z + WGS84_E2 * n * s, p);
  }
  const s = Math.sin(lat);
  const n = WGS84_A / Math.sqrt(1 - WGS84_E2 * s * s);
  // Near the poles p/cos(lat) is ill-conditioned; use the z form there.
  const h = Math.abs(s) < 0.9 ? p / Math.cos(lat) - n : z / s - n * (1 - WGS84_E2);
  out[0] = Math.atan2(y, x);
  out[1] = lat;
  out[2] = h;
  return out;
}

/**
 * East-north-up frame at a geodetic origin (height 0): a column-major 4x4 ENU→ECEF matrix,
 * the same as Cesium's Transforms.eastNorthUpToFixedFrame.
 */
export function enuToEcefMatrix(lonRad: number, latRad: number, h = 0): number[] {
  const o = geodeticToEcef(lonRad, latRad, h);
  const sl = Math.sin(lonRad);
  const cl = Math.cos(lonRad);
  const sp = Math.sin(latRad);
  const cp = Math.cos(latRad);
  // columns: east, north, up, origin
  return [-sl, cl, 0, 0, -sp * cl, -sp * sl, cp, 0, cp * cl, cp * sl, sp, 0, o[0], o[1], o[2], 1];
}

/** Column-major 4x4 × point. */
export function transformPoint(
  m: ArrayLike<number>,
  x: number,
  y: number,
  z: number,
  out: Float64Array | number[] = new Float64Array(3),
): Float64Array | number[] {
  out[0] = m[0] * x + m[4] * y + m[8] * z + m[12];
  out[1] = m[1] * x + m[5] * y + m[9] * z + m[13];
  out[2] = m[2] * x + m[6] * y + m[10] * z + m[14];
  return out;
}

/** Column-major 4x4 product a × b. */
export function multiplyMatrices(a: ArrayLike<number>, b: ArrayLike<number>): number[] {
  const r = new Array<number>(16).fill(0);
  for (let c = 0; c < 4; c++) {
    for (let rI = 0; rI < 4; rI++) {
      let s = 0;
      for (let k = 0; k < 4; k++) s += a[k * 4 + rI] * b[c * 4 + k];
      r[c * 4 + rI] = s;
    }
  }
  return r;
}

export const IDENTITY4: readonly number[] = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];

/**
 * Cesium's default y-up → z-up correction for glTF content in 3D Tiles (Axis.Y_UP_TO_Z_UP):
 * glTF (x, y, z) → tile frame (x, −z, y). So a local ENU point (e, n, u) is written to glTF as
 * (e, u, −n).
 */
export const Y_UP_TO_Z_UP: readonly number[] = [1, 0, 0, 0, 0, 0, 1, 0, 0, -1, 0, 0, 0, 0, 0, 1];

/**
 * A local ENU tangent frame: ECEF ↔ local east/north/up metres around an origin. Rigid, so
 * the inverse is the transpose.
 */
export class EnuFrame {
  readonly matrix: number[];
  private readonly ox: number;
  private readonly oy: number;
  private readonly oz: number;
  private readonly ecef = new Float64Array(3);

  constructor(
    readonly lonRad: number,
    readonly latRad: number,
  ) {
    this.matrix = enuToEcefMatrix(lonRad, latRad, 0);
    this.ox = this.matrix[12];
    this.oy = this.matrix[13];
    this.oz = this.matrix[14];
  }

  /** Geodetic → local ENU metres (written into out[o..o+2]). */
  toLocal(lonRad: number, latRad: number, h: number, out: Float64Array | number[], o = 0): void {
    const e = geodeticToEcef(lonRad, latRad, h, this.ecef);
    const dx = e[0] - this.ox;
    const dy = e[1] - this.oy;
    const dz = e[2] - this.oz;
    const m = this.matrix;
    out[o] = m[0] * dx + m[1] * dy + m[2] * dz;
    out[o + 1] = m[4] * dx + m[5] * dy + m[6] * dz;
    out[o + 2] = m[8] * dx + m[9] * dy + m[10] * dz;
  }
}
