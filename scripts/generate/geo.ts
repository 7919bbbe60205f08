// Local metric frames and small geometry helpers. The city is laid out in metres on a local
// plane per district (east = +u, north = +v, optionally rotated to follow the street grid) and
// converted to WGS84 lon/lat once, rounded to 7 decimals (~1 cm), when features are made.
// The earth radius matches turf's, so areas/lengths the KPI calculators measure agree with
// the metres the layout was planned in.

export type V2 = [number, number];
export type Ring = V2[];
export type LonLat = [number, number];

export const EARTH_RADIUS_M = 6371008.8;
export const M_PER_DEG_LAT = (EARTH_RADIUS_M * Math.PI) / 180;

export const round7 = (v: number): number => Math.round(v * 1e7) / 1e7;

export class Frame {
  readonly mPerDegLon: number;
  readonly cos: number;
  readonly sin: number;
  constructor(
    readonly lon0: number,
    readonly lat0: number,
    /** Grid rotation, degrees counter-clockwise from east. */
    readonly rotationDeg = 0,
  ) {
    this.mPerDegLon = M_PER_DEG_LAT * Math.cos((lat0 * Math.PI) / 180);
    const r = (rotationDeg * Math.PI) / 180;
    this.cos = Math.cos(r);
    this.sin = Math.sin(r);
  }
  /** Grid (u, v) metres → east/north metres from the origin. */
  toEN(u: number, v: number): V2 {
    return [u * this.cos - v * this.sin, u * this.sin + v * this.cos];
  }
  fromEN(x: number, y: number): V2 {
    return [x * this.cos + y * this.sin, -x * this.sin + y * this.cos];
  }
  toLonLat(u: number, v: number): LonLat {
    const [x, y] = this.toEN(u, v);
    return [round7(this.lon0 + x / this.mPerDegLon), round7(this.lat0 + y / M_PER_DEG_LAT)];
  }
  fromLonLat(lon: number, lat: number): V2 {
    return this.fromEN((lon - this.lon0) * this.mPerDegLon, (lat - this.lat0) * M_PER_DEG_LAT);
  }
  /** Closed lon/lat ring from a local ring (closing point added, counter-clockwise enforced). */
  ring(r: Ring): LonLat[] {
    const ccw = signedArea(r) >= 0 ? r : [...r].reverse();
    const out = ccw.map(([u, v]) => this.toLonLat(u, v));
    out.push(out[0]);
    return out;
  }
  /** Lon/lat ring for a hole (clockwise). */
  hole(r: Ring): LonLat[] {
    const cw = signedArea(r) <= 0 ? r : [...r].reverse();
    const out = cw.map(([u, v]) => this.toLonLat(u, v));
    out.push(out[0]);
    return out;
  }
  line(pts: V2[]): LonLat[] {
    return pts.map(([u, v]) => this.toLonLat(u, v));
  }
}

export function signedArea(r: Ring): number {
  let a = 0;
  for (let i = 0, j = r.length - 1; i < r.length; j = i++) a += (r[j][0] - r[i][0]) * (r[j][1] + r[i][1]);
  return a / 2;
}

export function rect(u0: number, v0: number, u1: number, v1: number): Ring {
  return [
    [u0, v0],
    [u1, v0],
    [u1, v1],
    [u0, v1],
  ];
}

/** An L-shaped footprint inside the box: the corner `corner` (0..3) keeps a wing of depths du/dv. */
export function lShape(u0: number, v0: number, u1: number, v1: number, du: number, dv: number, corner: number): Ring {
  // Built for corner 0 (south-west) then mirrored.
  const w = u1 - u0;
  const h = v1 - v0;
  let pts: V2[] = [
    [0, 0],
    [w, 0],
    [w, dv],
    [du, dv],
    [du, h],
    [0, h],
  ];
  if (corner === 1 || corner === 2) pts = pts.map(([x, y]) => [w - x, y]);
  if (corner === 2 || corner === 3) pts = pts.map(([x, y]) => [x, h - y]);
  return pts.map(([x, y]) => [u0 + x, v0 + y]);
}

/** Rectangle with chamfered corners (octagon), for towers. */
export function chamfered(u0: number, v0: number, u1: number, v1: number, c: number): Ring {
  return [
    [u0 + c, v0],
    [u1 - c, v0],
    [u1, v0 + c],
    [u1, v1 - c],
    [u1 - c, v1],
    [u0 + c, v1],
    [u0, v1 - c],
    [u0, v0 + c],
  ];
}

export function ellipse(cu: number, cv: number, ru: number, rv: number, n = 32, exp = 2): Ring {
  const out: Ring = [];
  for (let k = 0; k < n; k++) {
    const t = (2 * Math.PI * k) / n;
    const c = Math.cos(t);
    const s = Math.sin(t);
    // superellipse: exp 2 is an ellipse, larger is squarer
    out.push([cu + ru * Math.sign(c) * Math.abs(c) ** (2 / exp), cv + rv * Math.sign(s) * Math.abs(s) ** (2 / exp)]);
  }
  return out;
}

export function dist(a: V2, b: V2): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1]);
}

/** Distance from p to segment ab and the segment parameter of the nearest point. */
export function segDist(p: V2, a: V2, b: V2): { d: number; t: number } {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const l2 = dx * dx + dy * dy;
  let t = l2 === 0 ? 0 : ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / l2;
  t = Math.max(0, Math.min(1, t));
  return { d: Math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy), t };
}

export function pointInRing(p: V2, r: Ring): boolean {
  let inside = false;
  for (let i = 0, j = r.length - 1; i < r.length; j = i++) {
    const [xi, yi] = r[i];
    const [xj, yj] = r[j];
    if (yi > p[1] !== yj > p[1] && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

export function polylineLength(pts: V2[]): number {
  let l = 0;
  for (let i = 1; i < pts.length; i++) l += dist(pts[i - 1], pts[i]);
  return l;
}

/** Chaikin corner cutting: a smooth curve through a coarse control polygon. */
export function chaikin(pts: V2[], iterations = 3): V2[] {
  let p = pts;
  for (let it = 0; it < iterations; it++) {
    const q: V2[] = [p[0]];
    for (let i = 0; i < p.length - 1; i++) {
      const [a, b] = [p[i], p[i + 1]];
      q.push([0.75 * a[0] + 0.25 * b[0], 0.75 * a[1] + 0.25 * b[1]]);
      q.push([0.25 * a[0] + 0.75 * b[0], 0.25 * a[1] + 0.75 * b[1]]);
    }
    q.push(p[p.length - 1]);
    p = q;
  }
  return p;
}

/** Resample a polyline at (about) a fixed step. */
export function resample(pts: V2[], step: number): V2[] {
  const out: V2[] = [pts[0]];
  let carry = 0;
  for (let i = 1; i < pts.length; i++) {
    const a = pts[i - 1];
    const b = pts[i];
    const l = dist(a, b);
    let s = step - carry;
    while (s <= l) {
      out.push([a[0] + ((b[0] - a[0]) * s) / l, a[1] + ((b[1] - a[1]) * s) / l]);
      s += step;
    }
    carry = l - (s - step);
  }
  const last = pts[pts.length - 1];
  if (dist(out[out.length - 1], last) > step * 0.3) out.push(last);
  else out[out.length - 1] = last;
  return out;
}

/** Unit normals (pointing left of the direction of travel) at each vertex. */
export function normals(pts: V2[]): V2[] {
  return pts.map((_, i) => {
    const a = pts[Math.max(0, i - 1)];
    const b = pts[Math.min(pts.length - 1, i + 1)];
    const dx = b[0] - a[0];
    const dy = b[1] - a[1];
    const l = Math.hypot(dx, dy) || 1;
    return [-dy / l, dx / l];
  });
}

/** Offsets a polyline sideways by d(i) metres (positive = left). */
export function offsetLine(pts: V2[], d: (i: number) => number): V2[] {
  const n = normals(pts);
  return pts.map((p, i) => [p[0] + n[i][0] * d(i), p[1] + n[i][1] * d(i)]);
}

/** Cuts a polyline to the part between distances s0 and s1 along it. */
export function sliceLine(pts: V2[], s0: number, s1: number): V2[] {
  const out: V2[] = [];
  let acc = 0;
  for (let i = 1; i < pts.length; i++) {
    const a = pts[i - 1];
    const b = pts[i];
    const l = dist(a, b);
    const at = (s: number): V2 => {
      const t = l === 0 ? 0 : (s - acc) / l;
      return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t];
    };
    if (acc + l >= s0 && acc <= s1) {
      if (out.length === 0) out.push(at(Math.max(s0, acc)));
      if (acc + l <= s1) out.push(b);
      else {
        out.push(at(s1));
        break;
      }
    }
    acc += l;
  }
  return out;
}

export interface Box {
  u0: number;
  v0: number;
  u1: number;
  v1: number;
}
export const boxW = (b: Box) => b.u1 - b.u0;
export const boxH = (b: Box) => b.v1 - b.v0;
export const boxRing = (b: Box): Ring => rect(b.u0, b.v0, b.u1, b.v1);
export const boxCentre = (b: Box): V2 => [(b.u0 + b.u1) / 2, (b.v0 + b.v1) / 2];
export function boxDist(p: V2, b: Box): number {
  const dx = Math.max(b.u0 - p[0], 0, p[0] - b.u1);
  const dy = Math.max(b.v0 - p[1], 0, p[1] - b.v1);
  return Math.hypot(dx, dy);
}
