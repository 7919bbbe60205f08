// Shared planning steps for a district: the plan interface, helpers to place superblocks,
// and the "500 m to a park" gap filling that turns blocks into community parks until every
// home is within reach of one.

import type { District, WaterProps } from "../../src/domain/citySchema";
import type { Box, Ring, V2 } from "./geo";
import { boxDist } from "./geo";
import { type BlockKind, type Cell, Grid, type GridLine, RESIDENTIAL_KINDS, type Superblock } from "./grid";
import type { River } from "./water";

export interface WaterBody {
  name: string;
  waterType: WaterProps["waterType"];
  ring: Ring;
}

export interface Plan {
  district: District;
  grid: Grid;
  river?: River;
  water: WaterBody[];
  /** Park polygons need holes here (ponds inside parks), keyed by superblock id. */
  parkHoles: Map<number, Ring[]>;
  roadName(axis: "u" | "v", line: GridLine, t: number): string;
  centre: V2;
  /** Relative ground height (m), for finding low spots. */
  elevation(p: V2): number;
  /** Residents this district must total, if fixed by a fact. */
  population?: number;
}

/** Superblock over the cells whose centres lie inside [u0,u1]×[v0,v1] (grid coordinates, m). */
export function superblockAt(
  g: Grid,
  u0: number,
  v0: number,
  u1: number,
  v1: number,
  kind: BlockKind,
  extra: Partial<Superblock> = {},
  accept: (c: Cell) => boolean = (c) => c.zone !== "out" && c.zone !== "water" && !c.waterCut,
): Superblock | undefined {
  const i0 = g.cellIndexAt("u", u0 + 1);
  const i1 = g.cellIndexAt("u", u1 - 1) + 1;
  const j0 = g.cellIndexAt("v", v0 + 1);
  const j1 = g.cellIndexAt("v", v1 - 1) + 1;
  for (let i = i0; i < i1; i++) for (let j = j0; j < j1; j++) if (!accept(g.cells[i][j])) return undefined;
  return g.addSuperblock({ i0, i1, j0, j1, kind, ...extra });
}

export const isResidential = (c: Cell): boolean => c.zone === "dev" && RESIDENTIAL_KINDS.includes(c.kind);

/** Park boxes (≥ 1 ha) known at planning time: park/square/riverside cells and superblocks. */
function parkBoxes(g: Grid): Box[] {
  const out: Box[] = [];
  const seen = new Set<number>();
  for (const col of g.cells)
    for (const c of col) {
      if (c.zone !== "dev" || !(c.kind === "park" || c.kind === "square" || c.kind === "riverside")) continue;
      if (c.sb >= 0) {
        if (seen.has(c.sb)) continue;
        seen.add(c.sb);
        const s = g.superblocks[c.sb];
        out.push(g.blockBox(s.i0, s.j0, s.i1, s.j1));
      } else out.push(g.blockBox(c.i, c.j));
    }
  return out;
}

/**
 * Sample points over a block (5 × 5). Being within `reach` of some park at every sample, with
 * samples ≤ ~41 m apart, keeps every point of the block within reach + 29 m — the caller passes
 * a reach with that margin. (Corners alone are not enough: two parks can each cover two corners
 * and leave the middle uncovered.)
 */
function corners(b: Box): V2[] {
  const out: V2[] = [];
  for (let a = 0; a <= 4; a++) for (let c = 0; c <= 4; c++) out.push([b.u0 + ((b.u1 - b.u0) * a) / 4, b.v0 + ((b.v1 - b.v0) * c) / 4]);
  return out;
}

/**
 * Greedy set cover: while some residential block has a point farther than `reach` from every
 * park, convert the residential block that brings the most uncovered blocks within reach into a
 * community park. Scores only ever fall as parks are added, so a lazy greedy (re-score the best
 * candidate, take it if it still beats the runner-up) gives the same choice as re-scoring all.
 * Returns the number of parks added.
 */
export function fillParkGaps(g: Grid, reach: number, name: (n: number) => string): number {
  const parks = parkBoxes(g);
  const samples = new Map<Cell, V2[]>();
  const samplesOf = (c: Cell) => {
    let s = samples.get(c);
    if (!s) samples.set(c, (s = corners(g.blockBox(c.i, c.j))));
    return s;
  };
  const within = (c: Cell, box: Box) => samplesOf(c).every((p) => boxDist(p, box) <= reach);
  const coveredBy = (c: Cell, list: Box[]) => samplesOf(c).every((p) => list.some((pk) => boxDist(p, pk) <= reach));
  const residential = g.cells.flat().filter((c) => isResidential(c) && c.sb < 0);
  const uncovered = new Set(residential.filter((c) => !coveredBy(c, parks)));
  const span = Math.ceil((2 * reach) / Math.max(150, g.us[1].pos - g.us[0].pos)) + 1;
  const near = (c: Cell, f: (o: Cell) => void) => {
    for (let di = -span; di <= span; di++)
      for (let dj = -span; dj <= span; dj++) {
        const o = g.cell(c.i + di, c.j + dj);
        if (o) f(o);
      }
  };
  const score = (c: Cell) => {
    if (!isResidential(c) || c.sb >= 0) return 0;
    const box = g.blockBox(c.i, c.j);
    let n = 0;
    near(c, (o) => {
      if (uncovered.has(o) && within(o, box)) n++;
    });
    return n;
  };
  // candidates: residential cells near an uncovered one; max-heap on (score, then lower index)
  const key = (c: Cell) => c.i * 100003 + c.j;
  const cand = new Set<Cell>();
  for (const u of uncovered) near(u, (o) => isResidential(o) && o.sb < 0 && cand.add(o));
  type E = { c: Cell; s: number };
  const heap: E[] = [];
  const better = (a: E, b: E) => a.s > b.s || (a.s === b.s && key(a.c) < key(b.c));
  const push = (e: E) => {
    heap.push(e);
    let i = heap.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!better(heap[i], heap[p])) break;
      [heap[i], heap[p]] = [heap[p], heap[i]];
      i = p;
    }
  };
  const pop = (): E | undefined => {
    const top = heap[0];
    const last = heap.pop();
    if (heap.length && last) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && better(heap[l], heap[m])) m = l;
        if (r < heap.length && better(heap[r], heap[m])) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m], heap[i]];
        i = m;
      }
    }
    return top;
  };
  for (const c of [...cand].sort((a, b) => key(a) - key(b))) push({ c, s: score(c) });
  let added = 0;
  while (uncovered.size > 0 && heap.length > 0 && added < 5000) {
    const e = pop()!;
    const s = score(e.c);
    if (s <= 0) continue;
    if (s < e.s && heap.length && better(heap[0], { c: e.c, s })) {
      push({ c: e.c, s });
      continue;
    }
    const best = e.c;
    const sb = g.addSuperblock({
      i0: best.i,
      i1: best.i + 1,
      j0: best.j,
      j1: best.j + 1,
      kind: "park",
      parkType: "community",
      name: name(added + 1),
    });
    if (!sb) continue;
    added++;
    const box = g.blockBox(best.i, best.j);
    parks.push(box);
    uncovered.delete(best);
    near(best, (o) => {
      if (uncovered.has(o) && within(o, box)) uncovered.delete(o);
    });
  }
  return added;
}
