// The street grid of one district: grid lines (roads) in a local frame, the cells between
// them, what each cell is used for, "superblocks" (several cells merged into one parcel, e.g.
// a large park or the government compound — the grid lines inside them are not built), and the
// road segments that follow from all that.

import type { District, LandUse, RoadClass } from "../../src/domain/citySchema";
import type { Box, Frame, V2 } from "./geo";

export interface GridLine {
  pos: number;
  cls: RoadClass;
  widthM: number;
  /** Index among lines of this orientation. */
  index: number;
}

export type Zone = "out" | "water" | "vacant" | "dev";

export type BlockKind =
  | "res-old"
  | "res-mid"
  | "res-new"
  | "res-kbs"
  | "res-villa"
  | "res-bungalow"
  | "commercial"
  | "commercial-old"
  | "cbd"
  | "gov"
  | "school"
  | "hospital"
  | "culture"
  | "industrial"
  | "park"
  | "square"
  | "riverside"
  | "construction"
  | "vacant";

export const RESIDENTIAL_KINDS: readonly BlockKind[] = ["res-old", "res-mid", "res-new", "res-kbs", "res-villa", "res-bungalow"];

export interface Cell {
  i: number;
  j: number;
  cu: number;
  cv: number;
  zone: Zone;
  kind: BlockKind;
  /** Year the area was built (buildings, pipes and roads draw their years around it). */
  year: number;
  /** Superblock id or -1. */
  sb: number;
  /** The cell's box touches water. */
  waterCut: boolean;
  /** 0 = old core, 1 = middle, 2 = outer/new. */
  ring: number;
}

export interface Superblock {
  id: number;
  i0: number;
  i1: number; // exclusive (cell index)
  j0: number;
  j1: number;
  kind: BlockKind;
  name?: string;
  parkType?: "comprehensive" | "square" | "riverside" | "community";
}

export interface RoadSeg {
  /** "u" = the line runs north–south (constant u), "v" = east–west (constant v). */
  axis: "u" | "v";
  line: GridLine;
  /** Index of the segment along the line (cell index of the other axis). */
  k: number;
  a: V2;
  b: V2;
  bridge: boolean;
  /** Cells on the two sides (lower/higher coordinate), possibly undefined at the grid edge. */
  sideLo?: Cell;
  sideHi?: Cell;
  year: number;
  name: string;
}

export class Grid {
  readonly cells: Cell[][] = []; // [i][j]
  readonly superblocks: Superblock[] = [];
  constructor(
    readonly district: District,
    readonly frame: Frame,
    readonly us: GridLine[],
    readonly vs: GridLine[],
    readonly setbackM: number,
  ) {
    for (let i = 0; i < us.length - 1; i++) {
      const col: Cell[] = [];
      for (let j = 0; j < vs.length - 1; j++)
        col.push({
          i,
          j,
          cu: (us[i].pos + us[i + 1].pos) / 2,
          cv: (vs[j].pos + vs[j + 1].pos) / 2,
          zone: "out",
          kind: "vacant",
          year: 2010,
          sb: -1,
          waterCut: false,
          ring: 1,
        });
      this.cells.push(col);
    }
  }
  get nu(): number {
    return this.us.length - 1;
  }
  get nv(): number {
    return this.vs.length - 1;
  }
  cell(i: number, j: number): Cell | undefined {
    return this.cells[i]?.[j];
  }
  /** Box of the cell between road centre lines. */
  cellBox(i: number, j: number, i1 = i + 1, j1 = j + 1): Box {
    return { u0: this.us[i].pos, v0: this.vs[j].pos, u1: this.us[i1].pos, v1: this.vs[j1].pos };
  }
  /** The buildable parcel: the cell box minus half the road widths and the setback. */
  blockBox(i0: number, j0: number, i1 = i0 + 1, j1 = j0 + 1): Box {
    const s = this.setbackM;
    return {
      u0: this.us[i0].pos + this.us[i0].widthM / 2 + s,
      u1: this.us[i1].pos - this.us[i1].widthM / 2 - s,
      v0: this.vs[j0].pos + this.vs[j0].widthM / 2 + s,
      v1: this.vs[j1].pos - this.vs[j1].widthM / 2 - s,
    };
  }
  /** Adds a superblock over cells [i0, i1) × [j0, j1); cells keep their other fields. */
  addSuperblock(sb: Omit<Superblock, "id">): Superblock | undefined {
    if (sb.i0 < 0 || sb.j0 < 0 || sb.i1 > this.nu || sb.j1 > this.nv || sb.i1 <= sb.i0 || sb.j1 <= sb.j0) return undefined;
    for (let i = sb.i0; i < sb.i1; i++) for (let j = sb.j0; j < sb.j1; j++) if (this.cells[i][j].sb >= 0) return undefined;
    const s: Superblock = { ...sb, id: this.superblocks.length };
    this.superblocks.push(s);
    for (let i = sb.i0; i < sb.i1; i++)
      for (let j = sb.j0; j < sb.j1; j++) {
        const c = this.cells[i][j];
        c.sb = s.id;
        c.kind = sb.kind;
        c.zone = "dev";
      }
    return s;
  }
  /** Index of the line at (or nearest to) a coordinate. */
  lineIndexNear(axis: "u" | "v", pos: number): number {
    const ls = axis === "u" ? this.us : this.vs;
    let best = 0;
    for (let k = 1; k < ls.length; k++) if (Math.abs(ls[k].pos - pos) < Math.abs(ls[best].pos - pos)) best = k;
    return best;
  }
  /** Index of the cell containing a coordinate (clamped). */
  cellIndexAt(axis: "u" | "v", pos: number): number {
    const ls = axis === "u" ? this.us : this.vs;
    for (let k = 0; k < ls.length - 1; k++) if (pos < ls[k + 1].pos) return k;
    return ls.length - 2;
  }
}

export const isDev = (c: Cell | undefined): boolean => !!c && c.zone === "dev";

export function landUseOf(kind: BlockKind): LandUse {
  switch (kind) {
    case "res-old":
    case "res-mid":
    case "res-new":
    case "res-kbs":
    case "res-villa":
    case "res-bungalow":
      return "residential";
    case "commercial":
    case "commercial-old":
    case "cbd":
      return "commercial";
    case "gov":
    case "school":
    case "hospital":
    case "culture":
      return "public";
    case "industrial":
      return "industrial";
    case "park":
    case "square":
    case "riverside":
      return "green";
    default:
      return "vacant";
  }
}

/**
 * Road segments between consecutive crossings. A segment exists when it borders developed
 * land (and is not inside a superblock), or is a planned arterial/secondary road between
 * vacant cells; arterials bridge short gaps of water between developed land.
 */
export function deriveRoads(
  g: Grid,
  name: (axis: "u" | "v", line: GridLine, t: number) => string,
  yearOf: (lo: Cell | undefined, hi: Cell | undefined) => number,
): RoadSeg[] {
  const segs: RoadSeg[] = [];
  for (const axis of ["u", "v"] as const) {
    const lines = axis === "u" ? g.us : g.vs;
    const cross = axis === "u" ? g.vs : g.us;
    for (let li = 0; li < lines.length; li++) {
      const line = lines[li];
      const exists: boolean[] = [];
      const sides: Array<[Cell | undefined, Cell | undefined]> = [];
      for (let k = 0; k < cross.length - 1; k++) {
        const lo = axis === "u" ? g.cell(li - 1, k) : g.cell(k, li - 1);
        const hi = axis === "u" ? g.cell(li, k) : g.cell(k, li);
        sides.push([lo, hi]);
        const sameSb = !!lo && !!hi && lo.sb >= 0 && lo.sb === hi.sb;
        const dev = isDev(lo) || isDev(hi);
        const planned =
          line.cls !== "branch" && (lo?.zone === "vacant" || hi?.zone === "vacant") && lo?.zone !== "out" && hi?.zone !== "out";
        exists.push(!sameSb && (dev || planned) && !(lo?.zone === "water" && hi?.zone === "water"));
      }
      const bridge: boolean[] = exists.map(() => false);
      if (line.cls === "arterial" || line.cls === "expressway") {
        // bridge gaps of up to 6 segments whose sides are water
        let last = -1;
        for (let k = 0; k < exists.length; k++) {
          if (!exists[k]) continue;
          if (last >= 0 && k - last > 1 && k - last <= 7) {
            let wet = false;
            for (let m = last + 1; m < k; m++) {
              const [lo, hi] = sides[m];
              if (lo?.zone === "water" || hi?.zone === "water" || lo?.waterCut || hi?.waterCut) wet = true;
            }
            if (wet)
              for (let m = last + 1; m < k; m++) {
                exists[m] = true;
                bridge[m] = true;
              }
          }
          last = k;
        }
      }
      for (let k = 0; k < exists.length; k++) {
        if (!exists[k]) continue;
        const [lo, hi] = sides[k];
        const a: V2 = axis === "u" ? [line.pos, cross[k].pos] : [cross[k].pos, line.pos];
        const b: V2 = axis === "u" ? [line.pos, cross[k + 1].pos] : [cross[k + 1].pos, line.pos];
        const t = (cross[k].pos + cross[k + 1].pos) / 2;
        const wetSides = lo?.zone === "water" || hi?.zone === "water";
        segs.push({
          axis,
          line,
          k,
          a,
          b,
          bridge: bridge[k] || (wetSides && !isDev(lo) && !isDev(hi)),
          sideLo: lo,
          sideHi: hi,
          year: yearOf(lo, hi),
          name: name(axis, line, t),
        });
      }
    }
  }
  return segs;
}

/**
 * Drops road segments that would run through water, and keeps bridges only where a run of
 * bridge segments starts and ends on dry land (a road crossing the river, not lying in it).
 */
export function dropWetRoads(segs: RoadSeg[], clearance: (p: V2) => number, maxBridgeM = 1300): RoadSeg[] {
  const wet = (s: RoadSeg) => {
    for (let t = 0; t <= 1.0001; t += 0.125) {
      const p: V2 = [s.a[0] + (s.b[0] - s.a[0]) * t, s.a[1] + (s.b[1] - s.a[1]) * t];
      if (clearance(p) < s.line.widthM / 2 + 2) return true;
    }
    return false;
  };
  const dry = (p: V2, w: number) => clearance(p) > w / 2 + 2;
  const keep = new Map<RoadSeg, RoadSeg>();
  const byLine = new Map<string, RoadSeg[]>();
  for (const s of segs) {
    const k = `${s.axis}:${s.line.pos}`;
    byLine.set(k, [...(byLine.get(k) ?? []), s]);
  }
  for (const list of byLine.values()) {
    list.sort((a, b) => a.k - b.k);
    for (let x = 0; x < list.length; x++) {
      const s = list[x];
      if (!wet(s)) {
        s.bridge = false;
        keep.set(s, s);
        continue;
      }
      if (s.line.cls !== "arterial" && s.line.cls !== "expressway") {
        // a street that runs into the river stops at the bank
        const t = trimToDry(s, clearance);
        if (t) keep.set(s, t);
        continue;
      }
      // the wet run containing s
      let y = x;
      while (y + 1 < list.length && list[y + 1].k === list[y].k + 1 && wet(list[y + 1])) y++;
      const run = list.slice(x, y + 1);
      // a bridge crosses the water: dry at both ends and not longer than a crossing should be
      const span = Math.hypot(run[run.length - 1].b[0] - run[0].a[0], run[run.length - 1].b[1] - run[0].a[1]);
      if (span <= maxBridgeM && dry(run[0].a, s.line.widthM) && dry(run[run.length - 1].b, s.line.widthM))
        for (const r of run) {
          r.bridge = true;
          keep.set(r, r);
        }
      x = y;
    }
  }
  return segs.filter((s) => keep.has(s)).map((s) => keep.get(s)!);
}

/** Shortens a segment wet at one end so it ends 5 m short of the water; undefined if too short. */
function trimToDry(s: RoadSeg, clearance: (p: V2) => number): RoadSeg | undefined {
  const need = s.line.widthM / 2 + 2;
  const at = (t: number): V2 => [s.a[0] + (s.b[0] - s.a[0]) * t, s.a[1] + (s.b[1] - s.a[1]) * t];
  const len = Math.hypot(s.b[0] - s.a[0], s.b[1] - s.a[1]);
  const dryA = clearance(s.a) > need;
  const dryB = clearance(s.b) > need;
  if (dryA === dryB) return undefined;
  const step = 5 / len;
  let t = dryA ? 0 : 1;
  const dir = dryA ? 1 : -1;
  while (t + dir * step >= 0 && t + dir * step <= 1 && clearance(at(t + dir * step)) > need) t += dir * step;
  t -= dir * step; // a little short of the water
  const end = at(Math.max(0, Math.min(1, t)));
  const trimmed: RoadSeg = dryA ? { ...s, b: end } : { ...s, a: end };
  return Math.hypot(trimmed.b[0] - trimmed.a[0], trimmed.b[1] - trimmed.a[1]) >= 30 ? trimmed : undefined;
}
