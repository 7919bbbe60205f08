// The built-up area outline (建成区): the union of developed cells, traced as polygons along
// the road centre lines that bound them. Works in grid index space (so it is exact and fast),
// then maps vertices to metres.

import { type Ring, type V2, pointInRing, signedArea } from "./geo";
import type { Grid } from "./grid";

/** Rings (outer counter-clockwise, holes clockwise) of the union of cells where `inside` is true. */
export function traceCells(g: Grid, inside: (i: number, j: number) => boolean): Array<{ outer: Ring; holes: Ring[] }> {
  const inc = (i: number, j: number) => i >= 0 && j >= 0 && i < g.nu && j < g.nv && inside(i, j);
  const key = (i: number, j: number) => i * 100003 + j;
  const out = new Map<number, Array<[number, number, number, number]>>(); // from → edges [i0,j0,i1,j1]
  const add = (i0: number, j0: number, i1: number, j1: number) => {
    const k = key(i0, j0);
    const l = out.get(k);
    if (l) l.push([i0, j0, i1, j1]);
    else out.set(k, [[i0, j0, i1, j1]]);
  };
  for (let i = 0; i < g.nu; i++)
    for (let j = 0; j < g.nv; j++) {
      if (!inc(i, j)) continue;
      if (!inc(i, j - 1)) add(i, j, i + 1, j);
      if (!inc(i + 1, j)) add(i + 1, j, i + 1, j + 1);
      if (!inc(i, j + 1)) add(i + 1, j + 1, i, j + 1);
      if (!inc(i - 1, j)) add(i, j + 1, i, j);
    }
  const rings: Array<Array<[number, number]>> = [];
  const starts = [...out.keys()].sort((a, b) => a - b);
  for (const s of starts) {
    for (;;) {
      const list = out.get(s);
      if (!list || list.length === 0) break;
      let e = list.shift()!;
      const ring: Array<[number, number]> = [[e[0], e[1]]];
      for (let guard = 0; guard < 1e7; guard++) {
        const [, , ei, ej] = e;
        if (ei === ring[0][0] && ej === ring[0][1]) break; // closed
        ring.push([ei, ej]);
        const cands = out.get(key(ei, ej));
        if (!cands || cands.length === 0) break;
        // at a pinch (two cells touching at a corner) take the left-most turn: rings stay simple
        const dx = ei - e[0];
        const dy = ej - e[1];
        let bi = 0;
        let best = -Infinity;
        cands.forEach((c, k) => {
          const cx = c[2] - c[0];
          const cy = c[3] - c[1];
          const score = (dx * cy - dy * cx) * 10 + (dx * cx + dy * cy);
          if (score > best) {
            best = score;
            bi = k;
          }
        });
        e = cands.splice(bi, 1)[0];
      }
      rings.push(ring);
    }
  }
  // to metres, dropping collinear vertices
  const toM = (r: Array<[number, number]>): Ring => {
    const pts: V2[] = r.map(([i, j]) => [g.us[i].pos, g.vs[j].pos]);
    const keep: V2[] = [];
    for (let k = 0; k < pts.length; k++) {
      const a = pts[(k - 1 + pts.length) % pts.length];
      const b = pts[k];
      const c = pts[(k + 1) % pts.length];
      const cross = (b[0] - a[0]) * (c[1] - b[1]) - (b[1] - a[1]) * (c[0] - b[0]);
      if (Math.abs(cross) > 1e-6) keep.push(b);
    }
    return keep;
  };
  const metric = rings.map(toM).filter((r) => r.length >= 3);
  const outers = metric.filter((r) => signedArea(r) > 0).map((outer) => ({ outer, holes: [] as Ring[] }));
  for (const h of metric.filter((r) => signedArea(r) < 0)) {
    // a point just inside the hole (right of its first edge, since holes run clockwise)
    const [a, b] = [h[0], h[1]];
    const len = Math.hypot(b[0] - a[0], b[1] - a[1]) || 1;
    const p: V2 = [(a[0] + b[0]) / 2 + ((b[1] - a[1]) / len) * 1, (a[1] + b[1]) / 2 - ((b[0] - a[0]) / len) * 1];
    const owner = outers.filter((o) => pointInRing(p, o.outer)).sort((x, y) => signedArea(x.outer) - signedArea(y.outer))[0];
    if (owner) owner.holes.push(h);
  }
  return outers;
}
