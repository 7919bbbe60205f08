// Kangbashi (康巴什区): the planned new city. A north–south central axis (x = 0 at 109.785 E)
// runs from the government buildings at the foot of 青春山 south through Genghis Khan Square and
// the culture square (museum, library, theatre) to the fountain square on 乌兰木伦湖; the CBD
// towers stand across the lake; the Wulan Mulun river wraps the district from west to south.
// Wide roads on a 250 m grid that follows the axis.

import { KBS_EW_MAJOR, KBS_NS_MAJOR, cnNumber } from "./names";
import { Frame, type V2 } from "./geo";
import { Grid, type GridLine } from "./grid";
import type { RoadClass } from "../../src/domain/citySchema";
import { type Plan, superblockAt } from "./plan";
import { River } from "./water";
import { type Rng, noise1d } from "./rng";
import { FACTS } from "./params";

const SPACING = 250;
const WIDTH: Record<RoadClass, number> = { expressway: 70, arterial: 60, secondary: 40, branch: 24 };

function lineClass(pos: number): RoadClass {
  const idx = Math.round((Math.abs(pos) - SPACING / 2) / SPACING);
  if (idx % 4 === 2) return "arterial";
  if (idx % 4 === 0) return "secondary";
  return "branch";
}

function lines(min: number, max: number): GridLine[] {
  const out: GridLine[] = [];
  const k0 = Math.ceil((min - SPACING / 2) / SPACING);
  const k1 = Math.floor((max - SPACING / 2) / SPACING);
  for (let k = k0; k <= k1; k++) {
    const pos = SPACING / 2 + k * SPACING;
    const cls = lineClass(pos);
    out.push({ pos, cls, widthM: WIDTH[cls], index: out.length });
  }
  return out;
}

export function planKangbashi(rng: Rng, scale: number): Plan {
  const s = Math.sqrt(scale);
  const frame = new Frame(FACTS.kangbashi.axisLon, FACTS.kangbashi.centreLat, 0);
  const lakeHalfLen = 2300;
  const river = new River(
    [
      [-9500, 7200],
      [-7600, 5300],
      [-5900, 3600],
      [-4600, 2000],
      [-3700, 600],
      [-3100, -500],
      [-2400, -1200],
      [-1200, -1420],
      [0, -1430],
      [1200, -1400],
      [2400, -1250],
      [3800, -1050],
      [5600, -900],
      [7600, -1050],
      [9800, -1600],
      [12500, -2500],
      [16000, -3600],
    ],
    ([x]) => 85 + 290 * Math.max(0, 1 - Math.abs(x / lakeHalfLen) ** 3),
  );

  // region bounds, scaled
  const north = { w: -5200 * s, e: 6000 * s, n: 3600 * s };
  const south = { w: -2600 * s, e: 3200 * s, s: -1900 - 2000 * s };
  const grid = new Grid("kangbashi", frame, lines(north.w - 900, Math.max(north.e, south.e) + 900), lines(south.s - 700, north.n + 900), 8);
  const seed = rng.fork("kbs-edge").seed;
  // The region edges wobble a little (value noise) so the city does not end in a ruler line.
  const inNorth = (u: number, v: number, pad: number) =>
    u >= north.w - pad && u <= north.e + pad + 700 * noise1d(seed, v / 1500) && v <= north.n + pad + 650 * noise1d(seed + 1, u / 1400);
  const inSouth = (u: number, v: number, pad: number) =>
    u >= south.w - pad + 200 * noise1d(seed + 2, v / 700) &&
    u <= south.e + pad + 250 * noise1d(seed + 3, v / 700) &&
    v >= south.s - pad + 250 * noise1d(seed + 4, u / 800);
  const fringe = 450;
  /** North of the river = left of its flow; the CBD side = right. */
  const inRegion = (p: V2, side: number, pad = 0) => (side > 0 ? inNorth(p[0], p[1], pad) : inSouth(p[0], p[1], pad));

  // 1. zones from water and region
  for (const col of grid.cells)
    for (const c of col) {
      const b = grid.cellBox(c.i, c.j);
      const samples: V2[] = [
        [c.cu, c.cv],
        [b.u0, b.v0],
        [b.u1, b.v0],
        [b.u0, b.v1],
        [b.u1, b.v1],
        [c.cu, b.v0],
        [c.cu, b.v1],
        [b.u0, c.cv],
        [b.u1, c.cv],
      ];
      const clear = samples.map((p) => river.clearance(p));
      const cmin = Math.min(...clear);
      const side = river.side([c.cu, c.cv]);
      c.waterCut = cmin < 0;
      if (c.waterCut) {
        const landIn = samples.some((p, k) => clear[k] > 0 && inRegion(p, river.side(p)));
        c.zone = landIn ? "dev" : clear[0] < 0 ? "water" : "out";
        c.kind = landIn ? "riverside" : "vacant";
        continue;
      }
      if (inRegion([c.cu, c.cv], side)) {
        c.zone = "dev";
        const d = Math.hypot(c.cu, c.cv - 500);
        c.ring = side < 0 ? 1 : d < 2600 ? 0 : d < 4600 * s ? 1 : 2;
        c.kind = cmin < 380 ? "riverside" : "res-kbs";
      } else if (inRegion([c.cu, c.cv], side, fringe)) {
        c.zone = "vacant";
        c.ring = 2;
      }
      const ringYear = [2005, 2008, 2013][c.ring];
      c.year = ringYear + rng.int(0, c.ring === 2 ? 6 : 4);
    }

  // 2. the central axis and the landmark parcels
  const sb = (u0: number, v0: number, u1: number, v1: number, kind: Parameters<typeof superblockAt>[5], extra = {}) =>
    superblockAt(grid, u0, v0, u1, v1, kind, extra);
  sb(-375, 1625, 375, 1875, "gov", { name: "鄂尔多斯市人民政府" });
  sb(-875, 1875, 875, 2875, "park", { name: "青春山公园", parkType: "comprehensive" });
  sb(-375, 625, 375, 1125, "square", { name: "成吉思汗广场", parkType: "square" });
  sb(-125, 1125, 125, 1625, "square", { name: "行政广场", parkType: "square" });
  sb(-375, 1125, -125, 1625, "gov", { name: "鄂尔多斯市人大常委会" });
  sb(125, 1125, 375, 1625, "gov", { name: "政协鄂尔多斯市委员会" });
  sb(-875, 125, -375, 625, "culture", { name: "鄂尔多斯博物馆" });
  sb(-375, 125, 375, 625, "square", { name: "文化广场", parkType: "square" });
  sb(375, 125, 875, 625, "culture", { name: "鄂尔多斯图书馆·大剧院" });
  sb(-125, -875, 125, 125, "square", { name: "中轴线景观带", parkType: "square" });
  sb(1625, 625, 2625, 1625, "park", { name: "康巴什中心公园", parkType: "comprehensive" });
  sb(-2875, 1625, -1875, 2375, "park", { name: "北区公园", parkType: "comprehensive" });
  sb(3125, 2125, 4125, 2875, "park", { name: "康巴什植物园", parkType: "comprehensive" });
  sb(4125, 375, 5125, 1375, "culture", { name: "鄂尔多斯体育中心" });
  sb(1875, -3125, 2625, -2375, "park", { name: "滨湖公园", parkType: "comprehensive" });
  sb(-1875, -2875, -875, -2125, "park", { name: "水岸新城中心公园", parkType: "comprehensive" });

  // 3. everything else: CBD, commercial spine, schools, hospitals, villas
  const hospitals = new Set<string>();
  const cand = grid.cells.flat().filter((c) => c.zone === "dev" && c.sb < 0 && c.kind === "res-kbs" && c.ring < 2);
  for (let k = 0; k < 3 && cand.length; k++) {
    const c = cand.splice(rng.int(0, cand.length - 1), 1)[0];
    hospitals.add(`${c.i},${c.j}`);
  }
  for (const col of grid.cells)
    for (const c of col) {
      if (c.zone !== "dev" || c.sb >= 0 || c.kind !== "res-kbs") continue;
      const southBank = c.cv < -1500;
      const corner =
        grid.us[c.i].cls === "arterial" || grid.us[c.i + 1].cls === "arterial"
          ? grid.vs[c.j].cls === "arterial" || grid.vs[c.j + 1].cls === "arterial"
          : false;
      if (southBank && Math.abs(c.cu) < 900 && c.cv > -2650 && c.cv < -2100) {
        c.kind = "cbd";
        c.year = 2010 + rng.int(0, 5);
      } else if (southBank) c.kind = Math.abs(c.cu) < 2200 && c.cv > -3300 && rng.chance(0.5) ? "commercial" : "res-kbs";
      else if (Math.abs(c.cv - 375) < 500 && Math.abs(c.cu) > 800 && Math.abs(c.cu) < 2600) c.kind = "commercial";
      else if (corner && rng.chance(0.35)) c.kind = "commercial";
      else if (hospitals.has(`${c.i},${c.j}`)) c.kind = "hospital";
      else if (c.i % 4 === 1 && c.j % 3 === 1) c.kind = "school";
      else if ((c.ring === 2 && rng.chance(0.5)) || (c.ring === 1 && rng.chance(0.2))) c.kind = "res-villa";
    }

  // road names
  const majorsU = grid.us.filter((l) => l.cls !== "branch" && Math.abs(l.pos) > SPACING);
  const majorsV = [...grid.vs.filter((l) => l.cls !== "branch")].reverse();
  const branchU = grid.us.filter((l) => l.cls === "branch");
  const branchV = grid.vs.filter((l) => l.cls === "branch");
  const roadName = (axis: "u" | "v", line: GridLine, t: number): string => {
    const area = (axis === "u" ? t : line.pos) < -1500 ? "南区" : "北区";
    if (axis === "u") {
      if (Math.abs(line.pos) < SPACING) return line.pos < 0 ? "文化西路" : "文化东路";
      if (line.cls !== "branch") return KBS_NS_MAJOR[majorsU.indexOf(line) % KBS_NS_MAJOR.length];
      return `${area}${cnNumber(branchU.indexOf(line) + 1)}路`;
    }
    if (line.cls !== "branch") {
      const k = majorsV.indexOf(line);
      return KBS_EW_MAJOR[k % KBS_EW_MAJOR.length] + (k >= KBS_EW_MAJOR.length ? cnNumber(Math.floor(k / KBS_EW_MAJOR.length) + 1) : "");
    }
    return `${area}${cnNumber(branchV.indexOf(line) + 1)}街`;
  };

  const lakeIdx = river.pts.map((p, i) => [p, i] as const).filter(([p]) => Math.abs(p[0]) < lakeHalfLen * 0.82 && p[1] < -900);
  const i0 = lakeIdx[0][1];
  const i1 = lakeIdx[lakeIdx.length - 1][1];
  const n = river.pts.length - 1;
  return {
    district: "kangbashi",
    grid,
    river,
    water: [
      { name: "乌兰木伦河", waterType: "river", ring: river.stretch(0, i0) },
      { name: "乌兰木伦湖", waterType: "lake", ring: river.stretch(i0, i1) },
      { name: "乌兰木伦河", waterType: "river", ring: river.stretch(i1, n) },
    ],
    parkHoles: new Map(),
    roadName,
    centre: [0, 500],
    elevation: (p) => 1300 + Math.min(40, 0.006 * Math.max(0, river.clearance(p))) + 2 * noise1d(seed + 9, p[0] / 600 + p[1] / 900),
    population: Math.round(FACTS.kangbashi.population * scale),
  };
}
