// Measurement maths: polyline distance with each leg, geodesic polygon area, height above and
// depth below the ground. The same formulas as turf (haversine on turf's mean earth radius for
// distances; the spherical-excess ring area of turf.area, on the same radius in turf 7), so the
// numbers agree with the KPI calculators; tests check them against turf on fixtures.
import { UserError } from "./errors";

export type LonLat = [number, number];
const RAD = Math.PI / 180;
/** turf's mean earth radius (turf.distance / turf.length). */
export const MEAN_EARTH_RADIUS_M = 6371008.8;
/** turf.area's radius (turf 7 uses its mean earth radius here too). */
const AREA_RADIUS_M = MEAN_EARTH_RADIUS_M;

/** Great-circle distance (haversine), metres. */
export function distanceM(a: LonLat, b: LonLat): number {
  const dLat = (b[1] - a[1]) * RAD;
  const dLon = (b[0] - a[0]) * RAD;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * RAD) * Math.cos(b[1] * RAD) * Math.sin(dLon / 2) ** 2;
  return 2 * MEAN_EARTH_RADIUS_M * Math.atan2(Math.sqrt(h), Math.sqrt(1 - h));
}

function checkPoints(points: unknown, min: number, what: { zh: string; en: string }): LonLat[] {
  if (!Array.isArray(points)) throw new UserError(`${what.zh}需要经纬度点的数组`, `${what.en} needs an array of [lon, lat] points`);
  const out: LonLat[] = [];
  for (const p of points) {
    if (
      !Array.isArray(p) ||
      typeof p[0] !== "number" ||
      typeof p[1] !== "number" ||
      !Number.isFinite(p[0]) ||
      !Number.isFinite(p[1]) ||
      Math.abs(p[0]) > 180 ||
      Math.abs(p[1]) > 90
    )
      throw new UserError(`${what.zh}中有无效的坐标点`, `${what.en}: invalid point ${JSON.stringify(p)}`);
    out.push([p[0], p[1]]);
  }
  if (out.length < min) throw new UserError(`${what.zh}至少需要 ${min} 个点`, `${what.en} needs at least ${min} points`);
  return out;
}

export interface DistanceResult {
  legsM: number[];
  totalM: number;
}

export function measureDistance(points: unknown): DistanceResult {
  const pts = checkPoints(points, 2, { zh: "距离量测", en: "a distance" });
  const legsM: number[] = [];
  for (let i = 1; i < pts.length; i++) legsM.push(distanceM(pts[i - 1], pts[i]));
  return { legsM, totalM: legsM.reduce((s, x) => s + x, 0) };
}

/** Geodesic area of a ring (m²), the spherical-excess formula turf.area uses. */
export function ringAreaM2(ring: LonLat[]): number {
  const n = ring.length;
  if (n < 3) return 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const lo = ring[i];
    const mid = ring[(i + 1) % n];
    const up = ring[(i + 2) % n];
    total += (up[0] * RAD - lo[0] * RAD) * Math.sin(mid[1] * RAD);
  }
  return Math.abs((total * AREA_RADIUS_M * AREA_RADIUS_M) / 2);
}

export interface AreaResult {
  areaM2: number;
  perimeterM: number;
}

export function measureArea(points: unknown): AreaResult {
  let pts = checkPoints(points, 3, { zh: "面积量测", en: "an area" });
  const f = pts[0],
    l = pts[pts.length - 1];
  if (pts.length > 3 && f[0] === l[0] && f[1] === l[1]) pts = pts.slice(0, -1);
  if (pts.length < 3) throw new UserError("面积量测至少需要 3 个点", "an area needs at least 3 points");
  const perimeterM = measureDistance([...pts, pts[0]]).totalM;
  return { areaM2: ringAreaM2(pts), perimeterM };
}

/** Height of a point above the ground (positive) or its depth below it (negative height). */
export function heightAboveGround(pointHeightM: number, groundHeightM = 0): number {
  return pointHeightM - groundHeightM;
}

const LOC = { zh: "zh-CN", en: "en-US" } as const;
/** 12.3 m / 1.23 km; 512 m² / 1.2 ha / 1.20 km². */
export function formatLength(m: number, lang: "zh" | "en"): string {
  if (Math.abs(m) >= 1000) return `${(m / 1000).toLocaleString(LOC[lang], { maximumFractionDigits: 2, minimumFractionDigits: 2 })} km`;
  return `${m.toLocaleString(LOC[lang], { maximumFractionDigits: 1, minimumFractionDigits: 1 })} m`;
}
export function formatArea(m2: number, lang: "zh" | "en"): string {
  if (m2 >= 1e6) return `${(m2 / 1e6).toLocaleString(LOC[lang], { maximumFractionDigits: 2, minimumFractionDigits: 2 })} km²`;
  if (m2 >= 1e4)
    return `${(m2 / 1e4).toLocaleString(LOC[lang], { maximumFractionDigits: 2, minimumFractionDigits: 2 })} ${lang === "zh" ? "公顷" : "ha"}`;
  return `${m2.toLocaleString(LOC[lang], { maximumFractionDigits: 0 })} m²`;
}
