// Rivers and lakes. The Wulan Mulun river (乌兰木伦河) is modelled as a smooth centre line with
// a half-width profile; the lake (乌兰木伦湖) is the stretch where it widens south of the
// central axis. Cells ask the river how far they are from water ("clearance") and on which
// bank they lie.

import { type V2, chaikin, normals, resample, segDist } from "./geo";

export class River {
  readonly pts: V2[];
  readonly hw: number[];
  private readonly bbox: [number, number, number, number];
  constructor(control: V2[], halfWidth: (p: V2) => number, step = 40) {
    this.pts = resample(chaikin(control, 4), step);
    this.hw = this.pts.map(halfWidth);
    let x0 = Infinity;
    let y0 = Infinity;
    let x1 = -Infinity;
    let y1 = -Infinity;
    this.pts.forEach(([x, y], i) => {
      const w = this.hw[i];
      x0 = Math.min(x0, x - w);
      y0 = Math.min(y0, y - w);
      x1 = Math.max(x1, x + w);
      y1 = Math.max(y1, y + w);
    });
    this.bbox = [x0, y0, x1, y1];
  }

  /** Distance from p to the water's edge (negative inside the water). */
  clearance(p: V2): number {
    const [x0, y0, x1, y1] = this.bbox;
    const far = Math.max(x0 - p[0], p[0] - x1, y0 - p[1], p[1] - y1);
    if (far > 2000) return far;
    let best = Infinity;
    for (let i = 1; i < this.pts.length; i++) {
      const a = this.pts[i - 1];
      const b = this.pts[i];
      // cheap reject
      const dx = Math.min(Math.abs(p[0] - a[0]), Math.abs(p[0] - b[0]));
      const dy = Math.min(Math.abs(p[1] - a[1]), Math.abs(p[1] - b[1]));
      if (dx > best + 600 || dy > best + 600) continue;
      const { d, t } = segDist(p, a, b);
      const c = d - (this.hw[i - 1] * (1 - t) + this.hw[i] * t);
      if (c < best) best = c;
    }
    return best;
  }

  /** +1 if p is left of the direction of flow, −1 if right (by the nearest segment). */
  side(p: V2): number {
    let best = Infinity;
    let s = 1;
    for (let i = 1; i < this.pts.length; i++) {
      const a = this.pts[i - 1];
      const b = this.pts[i];
      const { d } = segDist(p, a, b);
      if (d < best) {
        best = d;
        const cross = (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0]);
        s = cross >= 0 ? 1 : -1;
      }
    }
    return s;
  }

  /** Polygon of the stretch between centre-line indices i0 and i1 (inclusive). */
  stretch(i0: number, i1: number): V2[] {
    const n = normals(this.pts);
    const left: V2[] = [];
    const right: V2[] = [];
    for (let i = i0; i <= i1; i++) {
      const p = this.pts[i];
      left.push([p[0] + n[i][0] * this.hw[i], p[1] + n[i][1] * this.hw[i]]);
      right.push([p[0] - n[i][0] * this.hw[i], p[1] - n[i][1] * this.hw[i]]);
    }
    return [...right, ...left.reverse()];
  }

  /** A bank line offset `extra` metres beyond the water's edge, on side +1 (left) or −1. */
  bank(side: number, extra: number): V2[] {
    const n = normals(this.pts);
    return this.pts.map((p, i) => {
      const d = side * (this.hw[i] + extra);
      return [p[0] + n[i][0] * d, p[1] + n[i][1] * d];
    });
  }
}
