// Filling blocks: buildings laid out the way Chinese planners do (slab rows facing south with
// sunlight spacing, point towers, shop rows along old streets, podium + tower lots, the CBD's
// towers, landmarks on the axis), the green between rows (attached green, 附属绿地), protective
// green along arterials, and the carve-outs for parking lots and pocket parks. Everything is
// placed on a per-block rectangle inset from the roads, so nothing overlaps a road or water.

import { difference, featureCollection, feature } from "@turf/turf";
import type { Feature, MultiPolygon, Polygon } from "geojson";
import type { BuildingUse, District, GreenProps, ParkType } from "../../src/domain/citySchema";
import { areaM2 } from "../../src/domain/kpi/geo";
import { type Box, type Ring, boxH, boxW, chamfered, ellipse, lShape, rect, round7, signedArea } from "./geo";
import { type BlockKind, type Cell, type Grid, type GridLine, type Superblock, RESIDENTIAL_KINDS, landUseOf } from "./grid";
import { DS_LANES, compoundName, estateName } from "./names";
import type { Plan } from "./plan";
import type { Rng } from "./rng";
import { type AreaGeom, type World, boxPolygon, polygon } from "./world";

export type Carve = { type: "parking"; smart: boolean } | { type: "pocket-park" } | { type: "pocket-green" };

export interface Block {
  plan: Plan;
  grid: Grid;
  district: District;
  landuseId: string;
  box: Box;
  kind: BlockKind;
  year: number;
  ring: number;
  cells: Cell[];
  sb?: Superblock;
  edges: { w: GridLine; e: GridLine; s: GridLine; n: GridLine };
  carve: Carve[];
  /** Indices into world.buildings made for this block. */
  buildings: number[];
  /** Whether the block is a water-cut riverside piece (geometry clipped). */
  clipped?: AreaGeom;
  name?: string;
}

const clamp = (x: number, a: number, b: number) => Math.max(a, Math.min(b, x));

/** Clipping makes new vertices: round them like every other coordinate (7 decimals). */
export function roundGeom(g: AreaGeom): AreaGeom {
  const r = (ring: number[][]) => ring.map((p) => [round7(p[0]), round7(p[1])]);
  return g.type === "Polygon"
    ? { type: "Polygon", coordinates: g.coordinates.map(r) }
    : { type: "MultiPolygon", coordinates: g.coordinates.map((p) => p.map(r)) };
}

export function collectBlocks(plan: Plan, world: World, waterGeoms: AreaGeom[]): Block[] {
  const g = plan.grid;
  const out: Block[] = [];
  const seenSb = new Set<number>();
  const waterFc = waterGeoms.map((w) => feature(w));
  for (const col of g.cells)
    for (const c of col) {
      if (c.zone !== "dev" && c.zone !== "vacant") continue;
      let i0 = c.i;
      let i1 = c.i + 1;
      let j0 = c.j;
      let j1 = c.j + 1;
      let sb: Superblock | undefined;
      if (c.sb >= 0) {
        if (seenSb.has(c.sb)) continue;
        seenSb.add(c.sb);
        sb = g.superblocks[c.sb];
        ({ i0, i1, j0, j1 } = sb);
      }
      const box = g.blockBox(i0, j0, i1, j1);
      if (boxW(box) < 20 || boxH(box) < 20) continue;
      const cells: Cell[] = [];
      for (let i = i0; i < i1; i++) for (let j = j0; j < j1; j++) cells.push(g.cells[i][j]);
      const b: Block = {
        plan,
        grid: g,
        district: plan.district,
        landuseId: world.id("lu", plan.district),
        box,
        kind: c.zone === "vacant" ? "vacant" : c.kind,
        year: c.year,
        ring: c.ring,
        cells,
        sb,
        edges: { w: g.us[i0], e: g.us[i1], s: g.vs[j0], n: g.vs[j1] },
        carve: [],
        buildings: [],
        name: sb?.name,
      };
      if (c.waterCut && c.zone === "dev") {
        // riverside piece: the parcel minus the water
        let geom: AreaGeom | undefined = boxPolygon(g.frame, box);
        for (const w of waterFc) {
          if (!geom) break;
          const d = difference(featureCollection([feature(geom), w as Feature<Polygon | MultiPolygon>]));
          geom = d ? (d.geometry as AreaGeom) : undefined;
        }
        if (!geom || areaM2(geom) < 3000) continue;
        b.clipped = roundGeom(geom);
      }
      out.push(b);
    }
  return out;
}

interface Ctx {
  world: World;
  rng: Rng;
  /** Running numbers for estate and old-compound names. */
  estateCounter: { n: number };
  compoundCounter: { n: number };
}

interface Bld {
  ring: Ring;
  box: Box;
  use: BuildingUse;
  floors: number;
  storeyM: number;
  year: number;
  name?: string;
  landmark?: boolean;
  compound?: number; // index into local compounds of the block
}

interface StripDraft {
  box: Box;
  axis: "u" | "v";
  greenType: GreenProps["greenType"];
  /** Not resized by calibration (bands, lawns). */
  fixed?: boolean;
}

export function fillBlock(b: Block, ctx: Ctx): void {
  const { world, rng } = ctx;
  const g = b.grid;
  const frame = g.frame;
  const d = b.district;
  const landUse = landUseOf(b.kind);
  const builtUp = b.kind !== "vacant";
  world.landuse.push({
    props: { id: b.landuseId, district: d, source: "synthetic", landUse, builtUp },
    geometry: b.clipped ?? boxPolygon(frame, b.box),
  });
  if (b.kind === "vacant") return;

  if (b.kind === "park" || b.kind === "square" || b.kind === "riverside") {
    const parkType: ParkType = b.sb?.parkType ?? (b.kind === "square" ? "square" : b.kind === "riverside" ? "riverside" : "community");
    const holes = b.sb ? (b.plan.parkHoles.get(b.sb.id) ?? []) : [];
    const geometry = b.clipped ?? polygon(frame, rect(b.box.u0, b.box.v0, b.box.u1, b.box.v1), holes);
    let name = b.name;
    const fountain = b.district === "kangbashi" && Math.abs(b.cells[0].cu) < 10 && b.cells[0].cv < -800 && b.cells[0].cv > -1300;
    if (fountain) name = "乌兰木伦湖音乐喷泉广场";
    world.parks.push({
      props: {
        id: world.id("park", d),
        name: name ?? (parkType === "riverside" ? "乌兰木伦河滨河公园" : undefined),
        district: d,
        source: "synthetic",
        parkType: fountain ? "square" : parkType,
        areaM2: Math.round(areaM2(geometry)),
        year: b.year,
      },
      geometry,
    });
    return;
  }

  const blds: Bld[] = [];
  const strips: StripDraft[] = [];
  const fixedGreen: StripDraft[] = [];
  let area: Box = { ...b.box };
  const kbs = d === "kangbashi";

  // edges: protective green along arterials (new areas), shop rows along old streets
  const oldStreet = b.kind === "res-old" || b.kind === "commercial-old";
  // protective green along the big roads (Kangbashi's boulevards are famously wide)
  const bandDepth = (l: GridLine) =>
    oldStreet
      ? 0
      : l.cls === "arterial"
        ? kbs
          ? 40
          : b.ring >= 1
            ? 32
            : 12
        : l.cls === "secondary"
          ? kbs
            ? 18
            : b.ring >= 1
              ? 12
              : 0
          : 0;
  const shopDepth = (l: GridLine) => (b.kind === "res-old" && l.cls !== "branch" ? rng.range(10, 12) : 0);
  // edges on the city's rim (nothing developed across the road) get a shelter belt (防护林带)
  const is = b.cells.map((c) => c.i);
  const js = b.cells.map((c) => c.j);
  const [i0, i1, j0, j1] = [Math.min(...is), Math.max(...is), Math.min(...js), Math.max(...js)];
  const across = (side: "w" | "e" | "s" | "n"): Cell[] => {
    const out: Cell[] = [];
    if (side === "w" || side === "e") for (let j = j0; j <= j1; j++) out.push(g.cell(side === "w" ? i0 - 1 : i1 + 1, j)!);
    else for (let i = i0; i <= i1; i++) out.push(g.cell(i, side === "s" ? j0 - 1 : j1 + 1)!);
    return out;
  };
  const rim = (side: "w" | "e" | "s" | "n") => across(side).every((c) => !c || c.zone !== "dev");
  for (const side of ["w", "e", "s", "n"] as const) {
    const l = b.edges[side];
    let band = bandDepth(l);
    if (rim(side)) band = Math.max(band, kbs ? 40 : 30);
    else if (b.kind === "industrial") band = Math.max(band, 20);
    const shop = band ? 0 : shopDepth(l);
    const depth = band || shop;
    if (!depth) continue;
    const strip: Box =
      side === "w"
        ? { ...area, u1: area.u0 + depth }
        : side === "e"
          ? { ...area, u0: area.u1 - depth }
          : side === "s"
            ? { ...area, v1: area.v0 + depth }
            : { ...area, v0: area.v1 - depth };
    if (band) fixedGreen.push({ box: strip, axis: side === "w" || side === "e" ? "u" : "v", greenType: "protective" });
    else shopRow(strip, side === "w" || side === "e" ? "v" : "u", b.year, blds, rng);
    const gap = band ? 0 : 6;
    if (side === "w") area.u0 += depth + gap;
    if (side === "e") area.u1 -= depth + gap;
    if (side === "s") area.v0 += depth + gap;
    if (side === "n") area.v1 -= depth + gap;
  }
  area = { u0: area.u0 + 4, v0: area.v0 + 4, u1: area.u1 - 4, v1: area.v1 - 4 };
  if (boxW(area) < 30 || boxH(area) < 30) area = { ...b.box };

  // compounds (old) or estates
  const compounds: Box[] = [];
  if (RESIDENTIAL_KINDS.includes(b.kind)) {
    if (b.kind === "res-old" && boxH(area) > 130) {
      const mid = (area.v0 + area.v1) / 2;
      compounds.push({ ...area, v1: mid - 5 }, { ...area, v0: mid + 5 });
    } else compounds.push(area);
    compounds.forEach((cb, ci) => residentialRows(cb, b, rng, blds, strips, ci, fixedGreen));
  } else if (b.kind === "commercial" || b.kind === "commercial-old") commercialLots(area, b, rng, blds, strips);
  else if (b.kind === "cbd") cbdTowers(area, b, rng, blds, strips);
  else if (b.kind === "school") school(area, b, rng, blds, strips);
  else if (b.kind === "hospital") hospital(area, b, rng, blds, strips);
  else if (b.kind === "gov") government(area, b, rng, blds, strips);
  else if (b.kind === "culture") culture(area, b, rng, blds, strips);
  else if (b.kind === "industrial") industrial(area, b, rng, blds, strips);

  // carve parking lots and pocket parks out of the inner area
  for (const cv of b.carve) {
    const corner = rng.int(0, 3);
    const atLeft = corner % 2 === 0;
    const atBottom = corner < 2;
    let w: number;
    let h: number;
    if (cv.type === "parking") {
      w = Math.min(boxW(area), rng.range(60, 110));
      h = Math.min(boxH(area) * 0.6, rng.range(38, 52));
    } else {
      const side = cv.type === "pocket-park" ? rng.range(34, 58) : rng.range(22, 36);
      w = Math.min(boxW(area) * 0.6, side);
      h = Math.min(boxH(area) * 0.6, side * rng.range(0.8, 1.2));
    }
    const r: Box = {
      u0: atLeft ? area.u0 : area.u1 - w,
      u1: atLeft ? area.u0 + w : area.u1,
      v0: atBottom ? area.v0 : area.v1 - h,
      v1: atBottom ? area.v0 + h : area.v1,
    };
    const m = 4;
    const hit = (x: Box) => x.u0 < r.u1 + m && x.u1 > r.u0 - m && x.v0 < r.v1 + m && x.v1 > r.v0 - m;
    for (let k = blds.length - 1; k >= 0; k--) if (hit(blds[k].box)) blds.splice(k, 1);
    for (const list of [strips, fixedGreen])
      for (let k = list.length - 1; k >= 0; k--) {
        const s = list[k];
        if (!hit(s.box)) continue;
        const t = trim(s.box, r, m);
        if (t) s.box = t;
        else list.splice(k, 1);
      }
    const geometry = boxPolygon(frame, r);
    if (cv.type === "parking") {
      const id = world.id("parking", d);
      world.parkingLocal.set(id, { frame, box: r });
      world.parking.push({
        props: {
          id,
          name: `${b.plan.roadName("v", b.edges.s, (b.box.u0 + b.box.u1) / 2)}${cv.smart ? "智慧停车场" : "停车场"}`,
          district: d,
          source: "synthetic",
          smart: cv.smart,
          spaces: Math.floor((boxW(r) * boxH(r)) / 27),
        },
        geometry,
      });
    } else if (cv.type === "pocket-park")
      world.parks.push({
        props: {
          id: world.id("park", d),
          name: undefined,
          district: d,
          source: "synthetic",
          parkType: "pocket",
          areaM2: Math.round(areaM2(geometry)),
          year: b.year,
        },
        geometry,
      });
    else
      world.green.push({
        props: { id: world.id("green", d), district: d, source: "synthetic", greenType: "small", pocket: true, year: b.year },
        geometry,
      });
  }

  // emit buildings
  const estateIds: string[] = [];
  const estateNames: string[] = [];
  if (RESIDENTIAL_KINDS.includes(b.kind)) {
    compounds.forEach((cb) => {
      if (b.kind === "res-old") {
        const id = world.id("compound", d);
        const name = compoundName(ctx.compoundCounter.n++);
        world.compounds.push({
          props: {
            id,
            name,
            district: d,
            source: "synthetic",
            builtYear: b.year,
            elevatorsAdded: 0,
            households: 0,
            greenCommunity: false,
            smartSecurity: false,
          },
          geometry: boxPolygon(frame, cb),
        });
        estateIds.push(id);
        estateNames.push(name);
      } else {
        const n = ctx.estateCounter.n++;
        estateIds.push(`estate-${d === "kangbashi" ? "kbs" : "ds"}-${String(n + 1).padStart(5, "0")}`);
        estateNames.push(b.kind === "res-bungalow" ? `${DS_LANES[n % DS_LANES.length]}平房区` : estateName(n));
      }
    });
  }
  const perCompound = new Map<number, number>();
  for (const x of blds) {
    const heightM = Math.round(x.floors * x.storeyM * 10) / 10;
    let name = x.name;
    let compoundId: string | undefined;
    if (x.compound !== undefined && estateIds[x.compound]) {
      compoundId = estateIds[x.compound];
      const k = (perCompound.get(x.compound) ?? 0) + 1;
      perCompound.set(x.compound, k);
      name = name ?? `${estateNames[x.compound]}${k}号楼`;
    }
    const footprint = Math.abs(signedArea(x.ring));
    b.buildings.push(world.buildings.length);
    world.buildings.push({
      props: {
        id: world.id("bld", d),
        name,
        district: d,
        source: "synthetic",
        use: x.use,
        floors: x.floors,
        heightM,
        yearBuilt: x.year,
        compoundId,
        residents: 0,
        heatMetered: false,
        floorAreaM2: Math.round(footprint * x.floors),
        landmark: x.landmark ? true : undefined,
      },
      geometry: polygon(frame, x.ring),
    });
  }
  for (const s of [...fixedGreen, ...strips]) {
    if (boxW(s.box) < 3 || boxH(s.box) < 3) continue;
    const props: GreenProps = { id: world.id("green", d), district: d, source: "synthetic", greenType: s.greenType, year: b.year };
    if (s.greenType === "protective" || s.fixed) world.green.push({ props, geometry: boxPolygon(frame, s.box) });
    else {
      // a lateral of the reclaimed-water main feeds each strip from the nearer side road
      const fromWest = (s.box.u0 + s.box.u1) / 2 < (b.box.u0 + b.box.u1) / 2;
      const vc = (s.box.v0 + s.box.v1) / 2;
      const uc = (s.box.u0 + s.box.u1) / 2;
      const feed: [[number, number], [number, number]] =
        s.axis === "v"
          ? fromWest
            ? [
                [b.edges.w.pos + b.edges.w.widthM * 0.4, vc],
                [s.box.u1, vc],
              ]
            : [
                [b.edges.e.pos - b.edges.e.widthM * 0.4, vc],
                [s.box.u0, vc],
              ]
          : [
              [uc, b.edges.s.pos + b.edges.s.widthM * 0.4],
              [uc, s.box.v1],
            ];
      world.strips.push({ props, frame, box: s.box, axis: s.axis, feed });
    }
  }
}

/** Cuts box s so it no longer meets r (+margin), along s's long axis; undefined if too little is left. */
function trim(s: Box, r: Box, m: number): Box | undefined {
  if (boxW(s) >= boxH(s)) {
    const left = { ...s, u1: Math.min(s.u1, r.u0 - m) };
    const right = { ...s, u0: Math.max(s.u0, r.u1 + m) };
    const best = boxW(left) >= boxW(right) ? left : right;
    return boxW(best) >= 10 ? best : undefined;
  }
  const low = { ...s, v1: Math.min(s.v1, r.v0 - m) };
  const high = { ...s, v0: Math.max(s.v0, r.v1 + m) };
  const best = boxH(low) >= boxH(high) ? low : high;
  return boxH(best) >= 10 ? best : undefined;
}

function shopRow(strip: Box, along: "u" | "v", year: number, out: Bld[], rng: Rng): void {
  const len = along === "u" ? boxW(strip) : boxH(strip);
  let x = rng.range(2, 8);
  while (x + 16 < len) {
    const l = Math.min(len - x, rng.range(16, 40));
    const box: Box =
      along === "u"
        ? { u0: strip.u0 + x, u1: strip.u0 + x + l, v0: strip.v0, v1: strip.v1 }
        : { v0: strip.v0 + x, v1: strip.v0 + x + l, u0: strip.u0, u1: strip.u1 };
    out.push({
      ring: rect(box.u0, box.v0, box.u1, box.v1),
      box,
      use: "commercial",
      floors: rng.pick([1, 2, 2, 3]),
      storeyM: 3.6,
      year: year + rng.int(0, 8),
      compound: undefined,
    });
    x += l + rng.range(4, 9);
  }
}

interface RowSpec {
  floors: number;
  depth: number;
  len: [number, number];
  gap: number;
  sgap: [number, number];
  /** Square-ish point towers instead of slabs. */
  point?: boolean;
  jitterFloors: boolean;
}

function rowSpec(kind: BlockKind, rng: Rng): RowSpec {
  switch (kind) {
    case "res-old": {
      const floors = rng.weighted([
        [4, 0.12],
        [5, 0.38],
        [6, 0.4],
        [7, 0.1],
      ] as const);
      return { floors, depth: rng.range(10, 12), len: [26, 48], gap: clamp(1.1 * floors * 3, 16, 24), sgap: [6, 12], jitterFloors: true };
    }
    case "res-mid": {
      if (rng.chance(0.55)) return { floors: 6, depth: rng.range(12, 13.5), len: [28, 48], gap: 20, sgap: [9, 15], jitterFloors: false };
      const floors = rng.int(11, 18);
      return {
        floors,
        depth: rng.range(14, 15.5),
        len: [30, 50],
        gap: clamp(0.9 * floors * 3, 22, 44),
        sgap: [14, 22],
        jitterFloors: true,
      };
    }
    case "res-new": {
      const floors = rng.int(18, 33);
      const point = rng.chance(0.6);
      return {
        floors,
        depth: point ? rng.range(20, 24) : rng.range(14.5, 16),
        len: point ? [22, 27] : [42, 60],
        gap: clamp(0.65 * floors * 3, 30, 56),
        sgap: point ? [22, 32] : [16, 24],
        point,
        jitterFloors: true,
      };
    }
    case "res-villa":
      return { floors: 3, depth: rng.range(12, 14), len: [16, 30], gap: 14, sgap: [8, 12], jitterFloors: false };
    case "res-bungalow":
      return { floors: 1, depth: rng.range(8, 10), len: [9, 16], gap: 6, sgap: [1.2, 3], jitterFloors: false };
    default: {
      // Kangbashi estates: mostly 11–18 storey slabs, some 6-storey
      if (rng.chance(0.35)) return { floors: 6, depth: 13, len: [34, 56], gap: 24, sgap: [10, 16], jitterFloors: false };
      const floors = rng.int(11, 18);
      return {
        floors,
        depth: rng.range(13.5, 15),
        len: [30, 52],
        gap: clamp(1.0 * floors * 3, 24, 50),
        sgap: [14, 22],
        jitterFloors: true,
      };
    }
  }
}

function residentialRows(area: Box, b: Block, rng: Rng, out: Bld[], strips: StripDraft[], compound: number, lawns: StripDraft[]): void {
  const spec = rowSpec(b.kind, rng);
  const H = boxH(area);
  const W = boxW(area);
  let n = Math.floor((H + spec.gap) / (spec.depth + spec.gap));
  if (n < 1) {
    if (H < spec.depth) return;
    n = 1;
  }
  let gap = n > 1 ? (H - n * spec.depth) / (n - 1) : 0;
  let margin = 0;
  if (n > 1 && gap > spec.gap * 1.6) {
    gap = spec.gap * 1.6;
    margin = (H - n * spec.depth - (n - 1) * gap) / 2;
  } else if (n === 1) margin = (H - spec.depth) / 2;
  const rowsV: Array<[number, number]> = [];
  for (let r = 0; r < n; r++) {
    const v0 = area.v0 + margin + r * (spec.depth + gap);
    rowsV.push([v0, v0 + spec.depth]);
    // fill the row from west to east, then centre it
    const row: Box[] = [];
    let x = 0;
    for (;;) {
      let len = rng.range(spec.len[0], spec.len[1]);
      if (x + len > W) {
        if (W - x >= spec.len[0]) len = W - x;
        else break;
      }
      row.push({ u0: x, u1: x + len, v0, v1: v0 + spec.depth });
      x += len + rng.range(spec.sgap[0], spec.sgap[1]);
    }
    if (!row.length) continue;
    const used = row[row.length - 1].u1;
    const shift = area.u0 + (W - used) / 2;
    // lawns between the buildings of a row and at its ends (fixed attached green)
    const xs = [area.u0 + 1, ...row.flatMap((bx) => [bx.u0 + shift - 2.5, bx.u1 + shift + 2.5]), area.u1 - 1];
    for (let q = 0; q + 1 < xs.length; q += 2)
      if (xs[q + 1] - xs[q] >= 4)
        lawns.push({
          box: { u0: xs[q], u1: xs[q + 1], v0: v0 + 1, v1: v0 + spec.depth - 1 },
          axis: "u",
          greenType: "attached",
          fixed: true,
        });
    for (const bx of row) {
      const box = { ...bx, u0: bx.u0 + shift, u1: bx.u1 + shift };
      // an occasional slab is stepped back by a metre or two: rows of identical boxes look fake
      const dv = spec.point ? 0 : rng.chance(0.25) ? rng.range(-1.5, 1.5) : 0;
      const vv0 = Math.max(area.v0, box.v0 + dv);
      const vv1 = Math.min(area.v1, box.v1 + dv);
      const floors = Math.max(2, spec.floors + (spec.jitterFloors && rng.chance(0.3) ? rng.pick([-1, 1, 2]) : 0));
      out.push({
        ring: rect(box.u0, vv0, box.u1, vv1),
        box: { u0: box.u0, u1: box.u1, v0: vv0, v1: vv1 },
        use: "residential",
        floors,
        storeyM: 3,
        year: b.year + rng.int(0, 2),
        compound,
      });
    }
  }
  // attached green between the rows (and in wide margins)
  const edges: Array<[number, number]> = [];
  if (rowsV.length && margin > 8) edges.push([area.v0 + 2, rowsV[0][0] - 2.5]);
  for (let r = 0; r + 1 < rowsV.length; r++) edges.push([rowsV[r][1] + 2.5, rowsV[r + 1][0] - 2.5]);
  if (rowsV.length && margin > 8) edges.push([rowsV[rowsV.length - 1][1] + 2.5, area.v1 - 2]);
  for (const [v0, v1] of edges) {
    if (v1 - v0 < 4) continue;
    const strip: Box = { u0: area.u0 + 2, u1: area.u1 - 2, v0, v1 };
    // a small neighbourhood building (kindergarten, community rooms, bike sheds) at one end of
    // some of the courtyards, as in most Chinese estates
    if (b.kind !== "res-villa" && v1 - v0 >= 14 && boxW(strip) > 90 && rng.chance(0.55)) {
      const len = rng.range(18, 32);
      const east = rng.chance(0.5);
      const bx: Box = east
        ? { u0: strip.u1 - len, u1: strip.u1, v0: v0 + 2, v1: v1 - 2 }
        : { u0: strip.u0, u1: strip.u0 + len, v0: v0 + 2, v1: v1 - 2 };
      const deep = Math.min(boxH(bx), rng.range(12, 20));
      const cv = (bx.v0 + bx.v1) / 2;
      bx.v0 = cv - deep / 2;
      bx.v1 = cv + deep / 2;
      const kinder = rng.chance(0.35);
      out.push({
        ring: rect(bx.u0, bx.v0, bx.u1, bx.v1),
        box: bx,
        use: kinder ? "public" : "commercial",
        floors: kinder ? 3 : rng.int(1, 2),
        storeyM: kinder ? 3.6 : 3.3,
        year: b.year + rng.int(0, 3),
        compound,
      });
      if (east) strip.u1 = bx.u0 - 4;
      else strip.u0 = bx.u1 + 4;
    }
    strips.push({ box: strip, axis: "v", greenType: "attached" });
  }
}

function lots(area: Box, target: number, gap: number): Box[] {
  const W = boxW(area);
  const H = boxH(area);
  const nx = Math.max(1, Math.round((W + gap) / (target + gap)));
  const ny = Math.max(1, Math.round((H + gap) / (target + gap)));
  const lw = (W - (nx - 1) * gap) / nx;
  const lh = (H - (ny - 1) * gap) / ny;
  const out: Box[] = [];
  for (let j = 0; j < ny; j++)
    for (let i = 0; i < nx; i++)
      out.push({
        u0: area.u0 + i * (lw + gap),
        u1: area.u0 + i * (lw + gap) + lw,
        v0: area.v0 + j * (lh + gap),
        v1: area.v0 + j * (lh + gap) + lh,
      });
  return out;
}

/** Green strips in the gaps between lots: full-width ones between rows, short ones between the lots of a row. */
function lotGapStrips(area: Box, ls: Box[], strips: StripDraft[]): void {
  const rows = [...new Set(ls.map((l) => l.v0))].sort((x, y) => x - y);
  const tops = rows.map((v0) => Math.max(...ls.filter((l) => l.v0 === v0).map((l) => l.v1)));
  for (let r = 0; r + 1 < rows.length; r++) {
    const v0 = tops[r] + 3;
    const v1 = rows[r + 1] - 3;
    if (v1 - v0 >= 4) strips.push({ box: { u0: area.u0 + 2, u1: area.u1 - 2, v0, v1 }, axis: "v", greenType: "attached" });
  }
  rows.forEach((v0, r) => {
    const row = ls.filter((l) => l.v0 === v0).sort((x, y) => x.u0 - y.u0);
    for (let k = 0; k + 1 < row.length; k++) {
      const u0 = row[k].u1 + 3;
      const u1 = row[k + 1].u0 - 3;
      if (u1 - u0 >= 4) strips.push({ box: { u0, u1, v0: v0 + 2, v1: tops[r] - 2 }, axis: "u", greenType: "attached" });
    }
  });
}

function commercialLots(area: Box, b: Block, rng: Rng, out: Bld[], strips: StripDraft[]): void {
  const old = b.kind === "commercial-old";
  const ls = lots(area, old ? 52 : 80, old ? 12 : 18);
  for (const lot of ls) {
    const lw = boxW(lot);
    const lh = boxH(lot);
    const roll = rng.random();
    const year = b.year + rng.int(0, 6);
    if (roll < (old ? 0.2 : 0.35) && lw > 34 && lh > 50) {
      const side = Math.min(lw - 6, lh * 0.55, rng.range(26, 34));
      const cu = (lot.u0 + lot.u1) / 2;
      const t: Box = { u0: cu - side / 2, u1: cu + side / 2, v0: lot.v1 - side, v1: lot.v1 };
      out.push({
        ring: rect(t.u0, t.v0, t.u1, t.v1),
        box: t,
        use: "commercial",
        floors: old ? rng.int(12, 24) : rng.int(18, 32),
        storeyM: 3.6,
        year,
      });
      const podH = Math.min(20, lh - side - 8);
      if (podH > 10) {
        const p: Box = { u0: lot.u0 + 2, u1: lot.u1 - 2, v0: lot.v0, v1: lot.v0 + podH };
        out.push({ ring: rect(p.u0, p.v0, p.u1, p.v1), box: p, use: "commercial", floors: rng.int(3, 4), storeyM: 4.5, year });
      }
    } else if (roll < 0.65 && lw > 30 && lh > 30) {
      const du = Math.min(lw * 0.45, rng.range(15, 22));
      const dv = Math.min(lh * 0.45, rng.range(15, 22));
      out.push({
        ring: lShape(lot.u0, lot.v0, lot.u1, lot.v1, du, dv, rng.int(0, 3)),
        box: lot,
        use: "commercial",
        floors: old ? rng.int(4, 9) : rng.int(5, 12),
        storeyM: 3.6,
        year,
      });
    } else {
      const s = 3;
      const x: Box = { u0: lot.u0 + s, u1: lot.u1 - s, v0: lot.v0 + s, v1: lot.v1 - s };
      if (boxW(x) > 8 && boxH(x) > 8)
        out.push({
          ring: rect(x.u0, x.v0, x.u1, x.v1),
          box: x,
          use: "commercial",
          floors: old ? rng.int(3, 7) : rng.int(3, 6),
          storeyM: 4.5,
          year,
        });
    }
  }
  lotGapStrips(area, ls, strips);
}

const CBD_NAMES = [
  "康巴什金融中心",
  "南岸双子塔",
  "鄂尔多斯国际商务中心",
  "湖景大厦",
  "南岸环球中心",
  "伊泰大厦",
  "汇能大厦",
  "康巴什国际大厦",
];

function cbdTowers(area: Box, b: Block, rng: Rng, out: Bld[], strips: StripDraft[]): void {
  const ls = lots(area, 80, 30);
  for (const lot of ls) {
    const side = Math.min(boxW(lot) - 6, boxH(lot) - 6, rng.range(36, 44));
    const cu = (lot.u0 + lot.u1) / 2;
    const cv = (lot.v0 + lot.v1) / 2;
    const t: Box = { u0: cu - side / 2, u1: cu + side / 2, v0: cv - side / 2, v1: cv + side / 2 };
    const floors = rng.int(36, 52);
    out.push({
      ring: rng.chance(0.6) ? chamfered(t.u0, t.v0, t.u1, t.v1, side * 0.18) : rect(t.u0, t.v0, t.u1, t.v1),
      box: t,
      use: "commercial",
      floors,
      storeyM: 4.1,
      year: b.year + rng.int(0, 4),
      name: `${rng.pick(CBD_NAMES)}${"ABCD"[out.length % 4]}座`,
      landmark: floors * 4.1 >= 180,
    });
  }
  lotGapStrips(area, ls, strips);
}

function school(area: Box, b: Block, rng: Rng, out: Bld[], strips: StripDraft[]): void {
  const H = boxH(area);
  const W = boxW(area);
  const year = b.year + rng.int(0, 2);
  // sports ground in the south half, teaching buildings in the north half
  const top = area.v1;
  const slabs = Math.min(3, Math.max(1, Math.floor((H * 0.5) / 34)));
  const gw = Math.min(40, W * 0.3);
  for (let k = 0; k < slabs; k++) {
    const v1 = top - 6 - k * 34;
    // the top slab shares its band with the gym in the north-east corner
    const len = Math.min(k === 0 ? W - gw - 32 : W - 20, rng.range(60, 84));
    const u0 = area.u0 + 10;
    out.push({
      ring: rect(u0, v1 - 15, u0 + len, v1),
      box: { u0, u1: u0 + len, v0: v1 - 15, v1 },
      use: "public",
      floors: rng.int(4, 5),
      storeyM: 3.6,
      year,
    });
    if (k + 1 < slabs)
      strips.push({ box: { u0: u0 + 4, u1: u0 + len - 4, v0: v1 - 34 + 3, v1: v1 - 15 - 3 }, axis: "v", greenType: "attached" });
  }
  out.push({
    ring: rect(area.u1 - gw - 6, top - 36, area.u1 - 6, top - 6),
    box: { u0: area.u1 - gw - 6, u1: area.u1 - 6, v0: top - 36, v1: top - 6 },
    use: "public",
    floors: 2,
    storeyM: 6,
    year,
  });
}

function hospital(area: Box, b: Block, rng: Rng, out: Bld[], strips: StripDraft[]): void {
  const W = boxW(area);
  const H = boxH(area);
  const year = b.year + rng.int(0, 3);
  const main: Box = { u0: area.u0 + 10, u1: area.u0 + Math.min(W - 20, 110), v0: area.v1 - Math.min(H * 0.45, 70), v1: area.v1 - 8 };
  out.push({
    ring: lShape(main.u0, main.v0, main.u1, main.v1, 22, 20, 2),
    box: main,
    use: "public",
    floors: rng.int(10, 16),
    storeyM: 3.9,
    year,
    name: b.district === "kangbashi" ? "康巴什区人民医院" : "东胜区人民医院",
  });
  const low: Box = { u0: area.u0 + 10, u1: area.u1 - 10, v0: area.v0 + 8, v1: area.v0 + 8 + Math.min(30, H * 0.2) };
  out.push({ ring: rect(low.u0, low.v0, low.u1, low.v1), box: low, use: "public", floors: rng.int(4, 6), storeyM: 4.2, year });
  if (main.v0 - low.v1 > 14)
    strips.push({ box: { u0: area.u0 + 6, u1: area.u1 - 6, v0: low.v1 + 4, v1: main.v0 - 4 }, axis: "v", greenType: "attached" });
}

function government(area: Box, b: Block, rng: Rng, out: Bld[], strips: StripDraft[]): void {
  const year = b.year;
  const W = boxW(area);
  const cu = (area.u0 + area.u1) / 2;
  if (b.name === "鄂尔多斯市人民政府") {
    // the city government: a long, tall slab on the axis with two lower wings
    const v1 = area.v1 - 20;
    const mainW = Math.min(W * 0.45, 190);
    out.push({
      ring: rect(cu - mainW / 2, v1 - 48, cu + mainW / 2, v1),
      box: { u0: cu - mainW / 2, u1: cu + mainW / 2, v0: v1 - 48, v1 },
      use: "public",
      floors: 22,
      storeyM: 4,
      year,
      name: b.name,
      landmark: true,
    });
    for (const sgn of [-1, 1]) {
      const u0 = sgn < 0 ? area.u0 + 20 : cu + mainW / 2 + 14;
      const u1 = sgn < 0 ? cu - mainW / 2 - 14 : area.u1 - 20;
      if (u1 - u0 > 20)
        out.push({
          ring: rect(u0, v1 - 40, u1, v1 - 4),
          box: { u0, u1, v0: v1 - 40, v1: v1 - 4 },
          use: "public",
          floors: 10,
          storeyM: 4,
          year,
          name: `${b.name}${sgn < 0 ? "西" : "东"}楼`,
        });
    }
    strips.push({ box: { u0: area.u0 + 10, u1: area.u1 - 10, v0: area.v0 + 10, v1: v1 - 70 }, axis: "v", greenType: "attached" });
    return;
  }
  const n = W > 150 ? 2 : 1;
  const bw = (W - 30 - (n - 1) * 20) / n;
  for (let k = 0; k < n; k++) {
    const u0 = area.u0 + 15 + k * (bw + 20);
    const bx: Box = { u0, u1: u0 + bw, v0: area.v1 - 10 - rng.range(24, 34), v1: area.v1 - 10 };
    out.push({ ring: rect(bx.u0, bx.v0, bx.u1, bx.v1), box: bx, use: "public", floors: rng.int(6, 14), storeyM: 3.9, year, name: b.name });
  }
  strips.push({ box: { u0: area.u0 + 8, u1: area.u1 - 8, v0: area.v0 + 8, v1: area.v1 - 54 }, axis: "v", greenType: "attached" });
}

function culture(area: Box, b: Block, rng: Rng, out: Bld[], strips: StripDraft[]): void {
  const frame = b.grid.frame;
  const year = b.year;
  if (b.name === "鄂尔多斯博物馆") {
    // the museum's flowing blob, at its real position (39.600 N, 109.778 E)
    const [mu, mv] = frame.fromLonLat(109.778, 39.6);
    const cu = clamp(mu, area.u0 + 115, area.u1 - 115);
    const cv = clamp(mv, area.v0 + 75, area.v1 - 75);
    out.push({
      ring: ellipse(cu, cv, 105, 68, 36, 2.2),
      box: { u0: cu - 105, u1: cu + 105, v0: cv - 68, v1: cv + 68 },
      use: "public",
      floors: 8,
      storeyM: 5,
      year,
      name: b.name,
      landmark: true,
    });
    strips.push({ box: { u0: area.u0 + 8, u1: area.u1 - 8, v0: area.v0 + 6, v1: cv - 68 - 12 }, axis: "v", greenType: "attached" });
    return;
  }
  if (b.name === "鄂尔多斯图书馆·大剧院") {
    const cu = (area.u0 + area.u1) / 2;
    const lib: Box = { u0: cu - 80, u1: cu + 80, v0: area.v1 - 20 - 90, v1: area.v1 - 20 };
    out.push({
      ring: rect(lib.u0, lib.v0, lib.u1, lib.v1),
      box: lib,
      use: "public",
      floors: 7,
      storeyM: 4.5,
      year,
      name: "鄂尔多斯图书馆",
      landmark: true,
    });
    const tv = area.v0 + 20 + 60;
    out.push({
      ring: ellipse(cu, tv, 72, 58, 36, 2),
      box: { u0: cu - 72, u1: cu + 72, v0: tv - 58, v1: tv + 58 },
      use: "public",
      floors: 9,
      storeyM: 5,
      year,
      name: "鄂尔多斯大剧院",
      landmark: true,
    });
    if (lib.v0 - (tv + 58) > 16)
      strips.push({ box: { u0: area.u0 + 8, u1: area.u1 - 8, v0: tv + 58 + 5, v1: lib.v0 - 5 }, axis: "v", greenType: "attached" });
    return;
  }
  if (b.name === "鄂尔多斯体育中心") {
    const cu = (area.u0 + area.u1) / 2;
    const cv = (area.v0 + area.v1) / 2 + 60;
    out.push({
      ring: ellipse(cu, cv, 135, 112, 48, 2),
      box: { u0: cu - 135, u1: cu + 135, v0: cv - 112, v1: cv + 112 },
      use: "public",
      floors: 10,
      storeyM: 5,
      year,
      name: "鄂尔多斯体育场",
      landmark: true,
    });
    const gym: Box = { u0: cu - 70, u1: cu + 70, v0: area.v0 + 20, v1: area.v0 + 20 + 70 };
    if (gym.v1 < cv - 112 - 10)
      out.push({
        ring: chamfered(gym.u0, gym.v0, gym.u1, gym.v1, 18),
        box: gym,
        use: "public",
        floors: 6,
        storeyM: 5,
        year,
        name: "鄂尔多斯体育馆",
        landmark: true,
      });
    return;
  }
  const x: Box = { u0: area.u0 + 20, u1: area.u1 - 20, v0: area.v0 + 30, v1: area.v1 - 30 };
  out.push({ ring: rect(x.u0, x.v0, x.u1, x.v1), box: x, use: "public", floors: rng.int(3, 6), storeyM: 5, year, name: b.name });
}

function industrial(area: Box, b: Block, rng: Rng, out: Bld[], strips: StripDraft[]): void {
  const ls = lots(area, 100, 16);
  for (const lot of ls) {
    const x: Box = { u0: lot.u0 + 6, u1: lot.u1 - 6, v0: lot.v0 + 6, v1: lot.v1 - 22 };
    if (boxW(x) < 20 || boxH(x) < 15) continue;
    out.push({
      ring: rect(x.u0, x.v0, x.u1, x.v1),
      box: x,
      use: "industrial",
      floors: rng.int(1, 2),
      storeyM: 7,
      year: b.year + rng.int(0, 5),
    });
    const o: Box = { u0: lot.u0 + 6, u1: lot.u0 + 6 + Math.min(30, boxW(x)), v0: lot.v1 - 18, v1: lot.v1 - 4 };
    out.push({ ring: rect(o.u0, o.v0, o.u1, o.v1), box: o, use: "industrial", floors: 3, storeyM: 3.6, year: b.year + rng.int(0, 5) });
  }
  lotGapStrips(area, ls, strips);
}
