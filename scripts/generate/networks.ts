// Linear networks that follow the streets: road centre lines, the five utility pipe networks
// (each offset from the centre line by its own share of the road width, as in a standard
// Chinese cross-section, so they never lie on top of each other), street-tree canopy strips,
// reclaimed-water irrigation laterals, and greenways.

import type { PipeNetwork, PipeProps, RoadClass } from "../../src/domain/citySchema";
import { type Box, type Frame, type V2, boxH, boxW, ellipse, polylineLength, sliceLine } from "./geo";
import { type Cell, type RoadSeg, isDev, RESIDENTIAL_KINDS } from "./grid";
import type { Plan } from "./plan";
import type { Rng } from "./rng";
import { type World, boxPolygon, lineString } from "./world";

export interface SegRec {
  plan: Plan;
  seg: RoadSeg;
  roadIndex: number;
}

const sideDev = (c: Cell | undefined) => isDev(c);

export function addRoads(plan: Plan, segs: RoadSeg[], world: World): SegRec[] {
  const out: SegRec[] = [];
  for (const seg of segs) {
    out.push({ plan, seg, roadIndex: world.roads.length });
    world.roads.push({
      props: {
        id: world.id("road", plan.district),
        name: seg.name,
        district: plan.district,
        source: "synthetic",
        roadClass: seg.line.cls,
        widthM: seg.line.widthM,
        builtYear: seg.year,
        bridge: seg.bridge ? true : undefined,
      },
      geometry: lineString(plan.grid.frame, [seg.a, seg.b]),
    });
  }
  return out;
}

/** Offset of each network from the road centre line, as a share of the half width. */
const OFFSET: Record<Exclude<PipeNetwork, "reclaimed">, number> = { drainage: 0.1, water: -0.35, gas: 0.45, heating: -0.65 };
const RECLAIMED_OFFSET = 0.82;

const DIAMETER: Record<PipeNetwork, Record<RoadClass, [number, number]>> = {
  gas: { expressway: [315, 315], arterial: [315, 250], secondary: [200, 160], branch: [110, 90] },
  water: { expressway: [800, 800], arterial: [800, 600], secondary: [400, 300], branch: [200, 150] },
  drainage: { expressway: [1500, 1500], arterial: [1500, 1200], secondary: [1000, 800], branch: [600, 500] },
  heating: { expressway: [800, 800], arterial: [800, 700], secondary: [500, 400], branch: [250, 200] },
  reclaimed: { expressway: [500, 500], arterial: [500, 400], secondary: [300, 250], branch: [200, 160] },
};
const DEPTH: Record<PipeNetwork, [number, number]> = {
  gas: [1.2, 1.6],
  water: [1.5, 2.0],
  drainage: [2.5, 4.5],
  heating: [1.8, 2.5],
  reclaimed: [1.2, 1.6],
};

export function material(network: PipeNetwork, year: number): string {
  switch (network) {
    case "gas":
      return year < 2005 ? "steel" : "PE";
    case "water":
      return year < 2000 ? "cast-iron" : "ductile-iron";
    case "drainage":
      return year < 2005 ? "concrete" : "HDPE";
    case "heating":
      return "pre-insulated-steel";
    case "reclaimed":
      return year < 2012 ? "ductile-iron" : "PE";
  }
}

export function addPipes(recs: SegRec[], world: World, rng: Rng, referenceYear: number): void {
  for (const { plan, seg } of recs) {
    if (seg.bridge) continue;
    if (!sideDev(seg.sideLo) && !sideDev(seg.sideHi)) continue;
    const hw = seg.line.widthM / 2;
    const frame = plan.grid.frame;
    const nrm: V2 = seg.axis === "u" ? [-1, 0] : [0, 1];
    const off = (d: number): V2[] => [
      [seg.a[0] + nrm[0] * d, seg.a[1] + nrm[1] * d],
      [seg.b[0] + nrm[0] * d, seg.b[1] + nrm[1] * d],
    ];
    const heated = [seg.sideLo, seg.sideHi].some(
      (c) =>
        isDev(c) &&
        (RESIDENTIAL_KINDS.includes(c!.kind) ||
          ["commercial", "commercial-old", "cbd", "gov", "school", "hospital", "culture"].includes(c!.kind)),
    );
    const cls = seg.line.cls;
    const y = seg.year;
    const years: Record<PipeNetwork, number> = {
      gas: Math.max(y + rng.int(0, 3), 1994 + rng.int(0, 6)),
      water: y + rng.int(0, 1),
      drainage: y,
      heating: y + rng.int(0, 2),
      reclaimed: Math.max(y, 2008 + rng.int(0, 12)),
    };
    const mk = (network: PipeNetwork, pts: V2[]) => {
      const installYear = Math.min(referenceYear, years[network]);
      const [d0, d1] = DIAMETER[network][cls];
      const props: PipeProps = {
        id: world.id(`pipe-${network}`, plan.district),
        district: plan.district,
        source: "synthetic",
        network,
        material: material(network, installYear),
        diameterMm: rng.chance(0.5) ? d0 : d1,
        depthM: Math.round(rng.range(DEPTH[network][0], DEPTH[network][1]) * 10) / 10,
        installYear,
        pressureClass:
          network === "gas"
            ? cls === "branch"
              ? "low"
              : cls === "secondary"
                ? rng.chance(0.5)
                  ? "medium"
                  : "low"
                : "medium"
            : undefined,
      };
      world.pipes[network].push({ props, geometry: lineString(frame, pts) });
    };
    mk("drainage", off(OFFSET.drainage * hw));
    mk("water", off(OFFSET.water * hw));
    mk("gas", off(OFFSET.gas * hw));
    if (heated) mk("heating", off(OFFSET.heating * hw));
    mk("reclaimed", off(RECLAIMED_OFFSET * hw));
    mk("reclaimed", off(-RECLAIMED_OFFSET * hw));
  }
}

/** Reclaimed-water laterals (irrigation feeders) — candidates; calibration decides how many are laid. */
export interface Lateral {
  frame: Frame;
  pts: V2[];
  district: World["parks"][number]["props"]["district"];
  year: number;
  lengthM: number;
}

export function lateralCandidates(
  world: World,
  irrigation: Array<{ frame: Frame; box: Box; holes: Box[]; district: Lateral["district"]; year: number }>,
): Lateral[] {
  const out: Lateral[] = [];
  for (const s of world.strips) {
    if (!s.feed) continue;
    const pts = [s.feed[0], s.feed[1]];
    out.push({ frame: s.frame, pts, district: s.props.district, year: Math.max(2010, s.props.year), lengthM: polylineLength(pts) });
  }
  for (const p of irrigation) {
    // a comb of irrigation lines every 40 m across the park, skipping ponds
    for (let v = p.box.v0 + 20; v < p.box.v1 - 10; v += 40) {
      if (p.holes.some((h) => v > h.v0 - 5 && v < h.v1 + 5)) continue;
      const pts: V2[] = [
        [p.box.u0 + 6, v],
        [p.box.u1 - 6, v],
      ];
      if (boxW(p.box) < 30) continue;
      out.push({ frame: p.frame, pts, district: p.district, year: Math.max(2010, p.year), lengthM: polylineLength(pts) });
    }
  }
  return out;
}

/** Street-tree canopy strips on both sides of every road next to developed land. */
export function addTreeStrips(recs: SegRec[], world: World): void {
  for (const { plan, seg } of recs) {
    if (seg.bridge) continue;
    const g = plan.grid;
    const hw = seg.line.widthM / 2;
    const cross = seg.axis === "u" ? g.vs : g.us;
    const c0 = cross[seg.k];
    const c1 = cross[seg.k + 1];
    // along the segment (which may have been cut short at a river bank)
    const along = seg.axis === "u" ? [seg.a[1], seg.b[1]] : [seg.a[0], seg.b[0]];
    const s0 = Math.max(c0.pos + c0.widthM / 2 + 2, Math.min(...along));
    const s1 = Math.min(c1.pos - c1.widthM / 2 - 2, Math.max(...along));
    if (s1 - s0 < 10) continue;
    const weight = seg.line.cls === "arterial" ? 1.5 : seg.line.cls === "secondary" ? 1.2 : 1;
    for (const [cell, sgn] of [
      [seg.sideLo, -1],
      [seg.sideHi, 1],
    ] as const) {
      if (!isDev(cell)) continue;
      // no street trees between two cells of one superblock (there is no street there)
      const a: V2 = seg.axis === "u" ? [seg.line.pos, s0] : [s0, seg.line.pos];
      const b: V2 = seg.axis === "u" ? [seg.line.pos, s1] : [s1, seg.line.pos];
      const n: V2 = seg.axis === "u" ? [sgn, 0] : [0, sgn];
      world.treeStrips.push({
        props: { id: world.id("tree", plan.district), district: plan.district, source: "synthetic", canopy: true },
        frame: g.frame,
        a,
        b,
        n,
        inner: hw + 1,
        weight,
        maxWidthM: g.setbackM - 2,
      });
    }
  }
}

export interface GreenwayDraft {
  frame: Frame;
  pts: V2[];
  type: "riverside" | "urban" | "community";
  name: string;
  district: Lateral["district"];
  priority: number;
}

/** Cuts a polyline into pieces of about `len` metres. */
export function chunks(pts: V2[], len: number): V2[][] {
  const L = polylineLength(pts);
  const n = Math.max(1, Math.round(L / len));
  const out: V2[][] = [];
  for (let k = 0; k < n; k++) out.push(sliceLine(pts, (k * L) / n, ((k + 1) * L) / n));
  return out.filter((p) => p.length >= 2);
}

/** A loop path 25 m inside a park's edge. */
export function parkLoop(box: Box): V2[] | undefined {
  if (boxW(box) < 150 || boxH(box) < 150) return undefined;
  const e = ellipse((box.u0 + box.u1) / 2, (box.v0 + box.v1) / 2, boxW(box) / 2 - 25, boxH(box) / 2 - 25, 40, 3);
  return [...e, e[0]];
}

/** Planted medians (道路绿地) on the wide roads: counted as attached green. */
export function addMedians(recs: SegRec[], world: World): void {
  for (const { plan, seg } of recs) {
    if (seg.bridge || (!isDev(seg.sideLo) && !isDev(seg.sideHi))) continue;
    const kbs = plan.district === "kangbashi";
    const oldCore = [seg.sideLo, seg.sideHi].some((c) => isDev(c) && c!.ring === 0) && !kbs;
    const width = seg.line.cls === "arterial" ? (kbs ? 12 : oldCore ? 2.5 : 5) : seg.line.cls === "secondary" && kbs ? 5 : 0;
    if (!width) continue;
    const g = plan.grid;
    const cross = seg.axis === "u" ? g.vs : g.us;
    const s0 = cross[seg.k].pos + cross[seg.k].widthM / 2 + 4;
    const s1 = cross[seg.k + 1].pos - cross[seg.k + 1].widthM / 2 - 4;
    if (s1 - s0 < 20) continue;
    const h = width / 2;
    const p = seg.line.pos;
    const box: Box = seg.axis === "u" ? { u0: p - h, u1: p + h, v0: s0, v1: s1 } : { u0: s0, u1: s1, v0: p - h, v1: p + h };
    world.green.push({
      props: {
        id: world.id("green", plan.district),
        name: `${seg.name}中央绿化带`,
        district: plan.district,
        source: "synthetic",
        greenType: "attached",
        year: seg.year,
      },
      geometry: boxPolygon(g.frame, box),
    });
  }
}
