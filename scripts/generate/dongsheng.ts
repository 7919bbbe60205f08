// Dongsheng (东胜区): the older city ~25 km north-east of Kangbashi. A denser 200 m grid,
// slightly rotated, grown outwards from the centre: the old core (1980s–1990s walk-ups, where
// most old compounds are), a middle ring of 2000s estates, and new high-rise edges.

import { DS_EW_MAJOR, DS_LANES, DS_NS_MAJOR, cnNumber } from "./names";
import { Frame, type Ring, ellipse } from "./geo";
import { Grid, type GridLine, type BlockKind } from "./grid";
import type { RoadClass } from "../../src/domain/citySchema";
import { type Plan, superblockAt } from "./plan";
import { type Rng, noise1d } from "./rng";
import { FACTS } from "./params";

const SPACING = 200;
const WIDTH: Record<RoadClass, number> = { expressway: 60, arterial: 40, secondary: 30, branch: 16 };

function lines(extent: number): GridLine[] {
  const out: GridLine[] = [];
  const k1 = Math.ceil(extent / SPACING);
  for (let k = -k1; k <= k1; k++) {
    const m = Math.abs(k);
    const cls: RoadClass = m % 4 === 0 ? "arterial" : m % 2 === 0 ? "secondary" : "branch";
    out.push({ pos: k * SPACING, cls, widthM: WIDTH[cls], index: out.length });
  }
  return out;
}

export function planDongsheng(rng: Rng, scale: number): Plan {
  const s = Math.sqrt(scale);
  const frame = new Frame(FACTS.dongsheng.centreLon, FACTS.dongsheng.centreLat, -8);
  const R0 = 4700 * s;
  const [a, b, c] = [rng.range(0, 6.28), rng.range(0, 6.28), rng.range(0, 6.28)];
  const R = (th: number) => R0 * (1 + 0.13 * Math.sin(2 * th + a) + 0.08 * Math.sin(3 * th + b) + 0.05 * Math.sin(5 * th + c));
  const ext = R0 * 1.3 + 700;
  const grid = new Grid("dongsheng", frame, lines(ext), lines(ext), 6);
  const polar = (u: number, v: number) => {
    const th = Math.atan2(v, u);
    return { th, r: Math.hypot(u, v), R: R(th) };
  };

  const hospitals = new Set<string>();
  for (const col of grid.cells)
    for (const cell of col) {
      const { r, R: Rt } = polar(cell.cu, cell.cv);
      if (r < Rt) cell.zone = "dev";
      else if (r < Rt + 450) cell.zone = "vacant";
      else continue;
      const q = r / Rt;
      cell.ring = q < 0.6 ? 0 : q < 0.82 ? 1 : 2;
      cell.year = cell.ring === 0 ? rng.int(1984, 2000) : cell.ring === 1 ? rng.int(2001, 2012) : rng.int(2013, 2020);
      if (cell.zone === "vacant") cell.year = rng.int(2021, 2024);
      cell.kind = cell.ring === 0 ? "res-old" : cell.ring === 1 ? "res-mid" : "res-new";
    }

  // landmark parcels: parks and the district government, placed by polar position and snapped
  // to the grid; if the spot is taken, nudge it
  const place = (deg: number, q: number, w: number, h: number, kind: BlockKind, extra: object): number => {
    const th = (deg * Math.PI) / 180;
    const rr = q * R(th);
    for (const [du, dv] of [
      [0, 0],
      [SPACING, 0],
      [-SPACING, 0],
      [0, SPACING],
      [0, -SPACING],
      [SPACING, SPACING],
      [-SPACING, -SPACING],
    ]) {
      const u0 = Math.round((rr * Math.cos(th) - w / 2) / SPACING) * SPACING + du;
      const v0 = Math.round((rr * Math.sin(th) - h / 2) / SPACING) * SPACING + dv;
      const sb = superblockAt(grid, u0, v0, u0 + w, v0 + h, kind, extra, (cl) => cl.zone === "dev" && cl.sb < 0);
      if (sb) return sb.id;
    }
    return -1;
  };
  const parkHoles = new Map<number, Ring[]>();
  const water: Plan["water"] = [];
  const hong = place(50, 0.72, 1600, 1200, "park", { name: "红海子湿地公园", parkType: "comprehensive" });
  if (hong >= 0) {
    const sbk = grid.superblocks[hong];
    const box = grid.blockBox(sbk.i0, sbk.j0, sbk.i1, sbk.j1);
    const pond = ellipse((box.u0 + box.u1) / 2, (box.v0 + box.v1) / 2, (box.u1 - box.u0) * 0.32, (box.v1 - box.v0) * 0.27, 40, 2.4);
    parkHoles.set(hong, [pond]);
    water.push({ name: "红海子", waterType: "lake", ring: pond });
  }
  place(200, 0.62, 800, 600, "park", { name: "体育公园", parkType: "comprehensive" });
  place(120, 0.3, 600, 400, "park", { name: "东胜公园", parkType: "comprehensive" });
  place(300, 0.42, 400, 400, "park", { name: "天骄公园", parkType: "comprehensive" });
  place(20, 0.45, 400, 400, "park", { name: "林荫公园", parkType: "comprehensive" });
  place(160, 0.7, 600, 400, "park", { name: "铜川公园", parkType: "comprehensive" });
  place(250, 0.35, 400, 400, "park", { name: "民族团结公园", parkType: "comprehensive" });
  place(340, 0.7, 600, 600, "park", { name: "市民公园", parkType: "comprehensive" });
  place(95, 0.55, 600, 400, "park", { name: "植物园", parkType: "comprehensive" });
  place(140, 0.82, 600, 600, "park", { name: "森林公园", parkType: "comprehensive" });
  place(300, 0.78, 600, 400, "park", { name: "滨水公园", parkType: "comprehensive" });
  place(215, 0.85, 600, 600, "park", { name: "南山公园", parkType: "comprehensive" });
  place(350, 0.45, 600, 400, "park", { name: "西山公园", parkType: "comprehensive" });
  place(110, 0.7, 600, 600, "park", { name: "北山公园", parkType: "comprehensive" });
  // a linear park along a seasonal stream (沟道) crossing the city from north to south
  place(270, 0.5, 200, 2400, "park", { name: "铜川沟带状公园", parkType: "comprehensive" });
  place(30, 0.15, 400, 200, "square", { name: "太阳广场", parkType: "square" });
  place(80, 0.25, 200, 200, "gov", { name: "东胜区人民政府" });
  place(265, 0.18, 200, 200, "gov", { name: "东胜区政务服务中心" });

  const cand = grid.cells.flat().filter((cl) => cl.zone === "dev" && cl.sb < 0 && cl.ring < 2);
  for (let k = 0; k < 4 && cand.length; k++) {
    const cl = cand.splice(rng.int(0, cand.length - 1), 1)[0];
    hospitals.add(`${cl.i},${cl.j}`);
  }
  for (const col of grid.cells)
    for (const cl of col) {
      if (cl.zone !== "dev" || cl.sb >= 0) continue;
      const { th, r, R: Rt } = polar(cl.cu, cl.cv);
      const deg = ((th * 180) / Math.PI + 360) % 360;
      const onCentralStreet =
        [grid.us[cl.i].pos, grid.us[cl.i + 1].pos, grid.vs[cl.j].pos, grid.vs[cl.j + 1].pos].includes(0) && r < 2000 * s;
      const corner =
        (grid.us[cl.i].cls === "arterial" || grid.us[cl.i + 1].cls === "arterial") &&
        (grid.vs[cl.j].cls === "arterial" || grid.vs[cl.j + 1].cls === "arterial");
      if (hospitals.has(`${cl.i},${cl.j}`)) cl.kind = "hospital";
      else if (cl.i % 5 === 2 && cl.j % 4 === 1) cl.kind = "school";
      else if (cl.ring === 0 && onCentralStreet) cl.kind = "commercial-old";
      else if (cl.ring === 0 && corner && rng.chance(0.3)) cl.kind = "commercial-old";
      // the old town's single-storey courtyard houses (城镇平房区), towards the edge of the core
      else if (cl.ring === 0 && r / Rt > 0.3 && rng.chance(0.14)) cl.kind = "res-bungalow";
      else if (cl.ring >= 1 && deg > 200 && deg < 255 && r / Rt > 0.6) cl.kind = "industrial";
      else if (cl.ring >= 1 && corner && rng.chance(0.3)) cl.kind = "commercial";
    }

  const seed = rng.fork("ds-terrain").seed;
  const lanes = grid.us.filter((l) => l.cls === "branch");
  const lanesV = grid.vs.filter((l) => l.cls === "branch");
  const majorName = (list: readonly string[], line: GridLine, ls: GridLine[]) => {
    // centre line gets the first name, then alternate outwards
    const majors = ls.filter((l) => l.cls !== "branch");
    const k = majors.indexOf(line);
    const mid = majors.findIndex((l) => l.pos === 0);
    const d = k - mid;
    const order = d === 0 ? 0 : d > 0 ? 2 * d - 1 : -2 * d;
    return list[order % list.length] + (order >= list.length ? cnNumber(Math.floor(order / list.length) + 1) : "");
  };
  const laneName = (line: GridLine, ls: GridLine[], suffix: string, off: number) => {
    const k = ls.indexOf(line) + off;
    const base = DS_LANES[k % DS_LANES.length];
    return k >= DS_LANES.length ? `${base}${cnNumber(Math.floor(k / DS_LANES.length) + 1)}${suffix}` : `${base}${suffix}`;
  };
  const roadName = (axis: "u" | "v", line: GridLine, t: number): string => {
    if (axis === "u") {
      if (line.cls === "branch") return laneName(line, lanes, "路", 7);
      return majorName(DS_NS_MAJOR, line, grid.us) + (t >= 0 ? "北路" : "南路");
    }
    if (line.cls === "branch") return laneName(line, lanesV, "巷", 0);
    return majorName(DS_EW_MAJOR, line, grid.vs) + (t < 0 ? "西街" : "东街");
  };

  return {
    district: "dongsheng",
    grid,
    water,
    parkHoles,
    roadName,
    centre: [0, 0],
    elevation: (p) => 1460 + 25 * noise1d(seed, p[0] / 1500 + 3.1) + 18 * noise1d(seed + 7, p[1] / 1200 + 1.7),
  };
}
