// Point and small-polygon layers: which blocks get parking lots and pocket parks, charging
// piles, public service places (一老一小 and the 15-minute life circle), waterlogging-prone low
// spots, construction sites, featured streets and opened dead-end roads.

import type { ChargingProps, District, FacilityType, RoadProps } from "../../src/domain/citySchema";
import { type Box, type V2, boxH, boxW } from "./geo";
import type { Block } from "./blocks";
import { type Cell, RESIDENTIAL_KINDS, isDev } from "./grid";
import { COMMUNITIES, FEATURED_STREETS, OPERATORS, cnNumber } from "./names";
import type { SegRec } from "./networks";
import type { Plan } from "./plan";
import type { Rng } from "./rng";
import { type World, boxPolygon, point } from "./world";

/** Farthest-point sampling: k well-spread picks from candidates (deterministic). */
export function spread<T>(cands: T[], pos: (t: T) => V2, k: number, start: V2): T[] {
  if (cands.length === 0 || k <= 0) return [];
  const P = cands.map(pos);
  const dmin = P.map(() => Infinity);
  const chosen: number[] = [];
  let first = 0;
  let best = Infinity;
  P.forEach((p, i) => {
    const d = Math.hypot(p[0] - start[0], p[1] - start[1]);
    if (d < best) {
      best = d;
      first = i;
    }
  });
  let next = first;
  while (chosen.length < Math.min(k, cands.length)) {
    chosen.push(next);
    const c = P[next];
    let far = -1;
    let farI = -1;
    for (let i = 0; i < P.length; i++) {
      const d = Math.hypot(P[i][0] - c[0], P[i][1] - c[1]);
      if (d < dmin[i]) dmin[i] = d;
      if (dmin[i] > far) {
        far = dmin[i];
        farI = i;
      }
    }
    if (far <= 0) break;
    next = farI;
  }
  return chosen.map((i) => cands[i]);
}

const centre = (b: Box): V2 => [(b.u0 + b.u1) / 2, (b.v0 + b.v1) / 2];

/** Marks blocks for smart/other parking lots and pocket parks / small green spaces. */
export function selectCarves(
  blocks: Block[],
  rng: Rng,
  n: { smartParking: number; otherParking: number; pocketParks: number; pocketGreen: number },
): void {
  const free = (b: Block) => b.carve.length === 0 && !b.sb && !b.clipped && boxW(b.box) > 120 && boxH(b.box) > 120;
  const commercial = rng.shuffle(blocks.filter((b) => free(b) && ["commercial", "commercial-old", "cbd", "hospital"].includes(b.kind)));
  const residential = rng.shuffle(blocks.filter((b) => free(b) && ["res-kbs", "res-mid", "res-new"].includes(b.kind)));
  const lots = [...commercial, ...residential];
  for (let k = 0; k < n.smartParking + n.otherParking && k < lots.length; k++)
    lots[k].carve.push({ type: "parking", smart: k < n.smartParking });
  // pocket parks close to people: mostly in the dense old core, some in Kangbashi
  const old = blocks.filter((b) => free(b) && b.kind === "res-old");
  const kbs = blocks.filter((b) => free(b) && b.kind === "res-kbs");
  const total = n.pocketParks + n.pocketGreen;
  const nOld = Math.min(old.length, Math.round(total * 0.7));
  const picks = [...spread(old, (b) => centre(b.box), nOld, [0, 0]), ...spread(kbs, (b) => centre(b.box), total - nOld, [0, 500])];
  rng.shuffle(picks);
  picks.forEach((b, k) => b.carve.push({ type: k < n.pocketParks ? "pocket-park" : "pocket-green" }));
}

const STATUS: ReadonlyArray<readonly [ChargingProps["status"], number]> = [
  ["available", 0.56],
  ["charging", 0.34],
  ["fault", 0.05],
  ["offline", 0.05],
];
const POWER: ReadonlyArray<readonly [number, number]> = [
  [7, 0.35],
  [60, 0.3],
  [120, 0.3],
  [180, 0.05],
];

/** Exactly `total` public charging piles: in the smart lots, some other lots, the rest at the kerb. */
export function addCharging(world: World, segs: SegRec[], rng: Rng, total: number): void {
  const pile = (frame: Parameters<typeof point>[0], p: V2, district: District | undefined, parkingId?: string) => {
    if (world.charging.length >= total) return;
    world.charging.push({
      props: {
        id: world.id("charger", district),
        district,
        source: "synthetic",
        status: rng.weighted(STATUS),
        powerKw: rng.weighted(POWER),
        operator: rng.pick(OPERATORS),
        parkingId,
      },
      geometry: point(frame, p),
    });
  };
  // along the long edges of a lot, 3 m apart, 2.5 m in from the edge
  const inLot = (id: string, district: District | undefined, want: number) => {
    const loc = world.parkingLocal.get(id);
    if (!loc) return;
    const { frame, box } = loc;
    let placed = 0;
    for (const v of [box.v0 + 2.5, box.v1 - 2.5, (box.v0 + box.v1) / 2])
      for (let u = box.u0 + 3; u <= box.u1 - 3 && placed < want; u += 3) {
        pile(frame, [u, v], district, id);
        placed++;
      }
  };
  for (const lot of world.parking) {
    const p = lot.props;
    if (p.smart) inLot(p.id, p.district, Math.max(12, Math.min(48, Math.round(p.spaces * 0.22))));
    else if (rng.chance(0.4)) inLot(p.id, p.district, rng.int(4, 10));
  }
  // kerbside clusters on arterial and secondary roads
  const kerb = rng.shuffle(
    segs.filter((s) => !s.seg.bridge && s.seg.line.cls !== "branch" && (isDev(s.seg.sideLo) || isDev(s.seg.sideHi))),
  );
  let round = 0;
  while (world.charging.length < total && kerb.length > 0 && round < 20) {
    for (const { plan, seg } of kerb) {
      if (world.charging.length >= total) break;
      const hw = seg.line.widthM / 2;
      const n = rng.int(4, 10);
      const len = Math.hypot(seg.b[0] - seg.a[0], seg.b[1] - seg.a[1]);
      const dir: V2 = [(seg.b[0] - seg.a[0]) / len, (seg.b[1] - seg.a[1]) / len];
      const side = isDev(seg.sideHi) ? 1 : -1;
      const nrm: V2 = seg.axis === "u" ? [side, 0] : [0, side];
      const s0 = len * (0.3 + 0.1 * round) - (n * 3) / 2;
      for (let k = 0; k < n; k++) {
        const s = s0 + k * 3;
        const off = hw - 1.5;
        pile(plan.grid.frame, [seg.a[0] + dir[0] * s + nrm[0] * off, seg.a[1] + dir[1] * s + nrm[1] * off], plan.district);
      }
    }
    round++;
  }
}

interface HomeSpot {
  district: District;
  plan: Plan;
  p: V2;
  community: string;
}

/** Community (社区) of a point: districts are cut into neighbourhoods of a few blocks. */
function communityOf(plan: Plan, c: Cell): string {
  const span = plan.district === "kangbashi" ? 3 : 4;
  const gi = Math.floor(c.i / span);
  const gj = Math.floor(c.j / span);
  const k = gi * 37 + gj * 11 + (plan.district === "kangbashi" ? 5 : 0);
  const base = COMMUNITIES[k % COMMUNITIES.length];
  const rep = Math.floor(k / COMMUNITIES.length) % 4;
  return rep ? `${base}${cnNumber(rep + 1)}` : base;
}

export function addFacilities(
  world: World,
  blocks: Block[],
  rng: Rng,
  counts: Record<"community-service" | "elderly-care" | "childcare", number>,
): void {
  const homes: HomeSpot[] = [];
  for (const b of blocks) {
    if (!RESIDENTIAL_KINDS.includes(b.kind)) continue;
    for (const bi of b.buildings) {
      const bp = world.buildings[bi];
      if (bp.props.use !== "residential") continue;
      const ring = bp.geometry.type === "Polygon" ? bp.geometry.coordinates[0] : bp.geometry.coordinates[0][0];
      const lon = ring.slice(0, -1).reduce((s, p) => s + p[0], 0) / (ring.length - 1);
      const lat = ring.slice(0, -1).reduce((s, p) => s + p[1], 0) / (ring.length - 1);
      homes.push({ district: b.district, plan: b.plan, p: b.grid.frame.fromLonLat(lon, lat), community: communityOf(b.plan, b.cells[0]) });
    }
  }
  const byD = (d: District) => homes.filter((h) => h.district === d);
  const add = (h: HomeSpot, facilityType: FacilityType, name: string) =>
    world.facilities.push({
      props: { id: world.id("facility", h.district), name, district: h.district, source: "synthetic", facilityType },
      geometry: point(h.plan.grid.frame, h.p),
    });
  const quota = (n: number, d: District) => {
    const share = byD("kangbashi").length / Math.max(1, homes.length);
    const k = Math.round(n * Math.max(0.15, Math.min(0.45, share)));
    return d === "kangbashi" ? k : n - k;
  };
  const used = new Set<HomeSpot>();
  const pick = (n: number, type: FacilityType, name: (h: HomeSpot, k: number) => string) => {
    for (const d of ["kangbashi", "dongsheng"] as const) {
      const cands = byD(d).filter((h) => !used.has(h));
      const start = d === "kangbashi" ? ([0, 500] as V2) : ([0, 0] as V2);
      spread(cands, (h) => h.p, quota(n, d), start).forEach((h, k) => {
        used.add(h);
        add(h, type, name(h, k));
      });
    }
  };
  pick(counts["community-service"], "community-service", (h) => `${h.community}社区党群服务中心`);
  const elderly = ["社区养老服务站", "日间照料中心", "老年食堂", "社区嵌入式养老院"];
  pick(counts["elderly-care"], "elderly-care", (h, k) => `${h.community}${elderly[k % elderly.length]}`);
  pick(counts.childcare, "childcare", (h) => `${h.community}普惠托育中心`);
  // the 15-minute life circle: a clinic per neighbourhood, a market per two, schools in school blocks
  const seenCommunity = new Set<string>();
  let market = 0;
  for (const h of rng.shuffle([...homes])) {
    const key = `${h.district}:${h.community}`;
    if (seenCommunity.has(key) || used.has(h)) continue;
    seenCommunity.add(key);
    used.add(h);
    add(h, "clinic", `${h.community}社区卫生服务站`);
    if (market++ % 2 === 0) {
      const m = homes.find((o) => o.community === h.community && o.district === h.district && !used.has(o));
      if (m) {
        used.add(m);
        add(m, "market", `${h.community}${rng.pick(["农贸市场", "便民菜市场", "生鲜超市"])}`);
      }
    }
  }
  const schoolNo: Record<District, number> = { kangbashi: 0, dongsheng: 0 };
  for (const b of blocks) {
    if (b.kind !== "school") continue;
    const n = ++schoolNo[b.district];
    const level = n % 3 === 0 ? "中学" : "小学";
    const dn = b.district === "kangbashi" ? "康巴什区" : "东胜区";
    world.facilities.push({
      props: {
        id: world.id("facility", b.district),
        name: `${dn}第${cnNumber(n)}${level}`,
        district: b.district,
        source: "synthetic",
        facilityType: "school",
      },
      geometry: point(b.grid.frame, centre(b.box)),
    });
  }
}

/** Low intersections (near the river, in hollows) that flood in heavy rain. */
export function addWaterlogging(world: World, plans: Plan[], segs: SegRec[], perDistrict: number): void {
  for (const plan of plans) {
    const seen = new Map<string, V2>();
    for (const s of segs)
      if (s.plan === plan && !s.seg.bridge && isDev(s.seg.sideLo) && isDev(s.seg.sideHi))
        for (const p of [s.seg.a, s.seg.b]) seen.set(`${p[0]},${p[1]}`, p);
    const g = plan.grid;
    // inside the city (all four corner blocks developed), lowest first, spread out
    const interior = (p: V2) => {
      const iu = g.lineIndexNear("u", p[0]);
      const iv = g.lineIndexNear("v", p[1]);
      for (const [i, j] of [
        [iu - 1, iv - 1],
        [iu, iv - 1],
        [iu - 1, iv],
        [iu, iv],
      ])
        if (!isDev(g.cell(i, j))) return false;
      return true;
    };
    const pts = [...seen.values()]
      .filter(interior)
      .map((p) => ({ p, z: plan.elevation(p) }))
      .sort((a, b) => a.z - b.z || a.p[0] - b.p[0] || a.p[1] - b.p[1]);
    const chosen: Array<{ p: V2; z: number }> = [];
    for (const c of pts) {
      if (chosen.length >= perDistrict) break;
      if (chosen.some((o) => Math.hypot(o.p[0] - c.p[0], o.p[1] - c.p[1]) < 800)) continue;
      chosen.push(c);
    }
    chosen.forEach((c, k) => {
      const risk = k < perDistrict / 4 ? "high" : k < perDistrict / 2 ? "medium" : "low";
      const iu = g.lineIndexNear("u", c.p[0]);
      const iv = g.lineIndexNear("v", c.p[1]);
      const name = `${plan.roadName("u", g.us[iu], c.p[1])}与${plan.roadName("v", g.vs[iv], c.p[0])}交叉口`;
      world.waterlogging.push({
        props: {
          id: world.id("waterlog", plan.district),
          name,
          district: plan.district,
          source: "synthetic",
          risk,
          maxDepthCm: risk === "high" ? 40 + ((k * 7) % 25) : risk === "medium" ? 20 + ((k * 5) % 20) : 10 + ((k * 3) % 10),
        },
        geometry: point(g.frame, c.p),
      });
    });
  }
}

export function addConstruction(world: World, blocks: Block[], rng: Rng, perDistrict: number, referenceYear: number): void {
  for (const d of ["kangbashi", "dongsheng"] as const) {
    const cands = blocks.filter((b) => {
      if (b.district !== d || b.kind !== "vacant") return false;
      const c = b.cells[0];
      return [
        [1, 0],
        [-1, 0],
        [0, 1],
        [0, -1],
      ].some(([di, dj]) => isDev(b.grid.cell(c.i + di, c.j + dj)));
    });
    const picks = spread(cands, (b) => centre(b.box), perDistrict, d === "kangbashi" ? [0, 500] : [0, 0]);
    picks.forEach((b, k) => {
      const box: Box = { u0: b.box.u0 + 8, v0: b.box.v0 + 8, u1: b.box.u1 - 8, v1: b.box.v1 - 8 };
      const projectType = rng.weighted([
        ["residential", 0.5],
        ["commercial", 0.2],
        ["public", 0.15],
        ["infrastructure", 0.15],
      ] as const);
      const label = { residential: "住宅", commercial: "商业综合体", public: "公共服务设施", infrastructure: "市政配套" }[projectType];
      world.construction.push({
        props: {
          id: world.id("site", d),
          name: `${d === "kangbashi" ? "康巴什" : "东胜"}${label}项目${cnNumber(k + 1)}期`,
          district: d,
          source: "synthetic",
          projectType,
          status: rng.weighted([
            ["planned", 0.2],
            ["active", 0.6],
            ["completing", 0.2],
          ] as const),
          startYear: referenceYear - rng.int(0, 2),
        },
        geometry: boxPolygon(b.grid.frame, box),
      });
    });
  }
}

/** Featured streets (网红特色街区): short runs of old-core lanes; `stalls` split by length, summing exactly. */
export function markFeaturedStreets(
  world: World,
  segs: SegRec[],
  rng: Rng,
  count: number,
  stalls: number,
  sinceYear: number,
  referenceYear: number,
): void {
  const lane = (s: SegRec) => {
    const c = [s.seg.sideLo, s.seg.sideHi];
    return !s.seg.bridge && s.seg.line.cls === "branch" && c.every((x) => isDev(x) && (x!.ring === 0 || s.plan.district === "kangbashi"));
  };
  const runs: SegRec[][] = [];
  const byLine = new Map<string, SegRec[]>();
  for (const s of segs) {
    if (!lane(s)) continue;
    const key = `${s.plan.district}:${s.seg.axis}:${s.seg.line.pos}`;
    const l = byLine.get(key) ?? [];
    l.push(s);
    byLine.set(key, l);
  }
  for (const l of byLine.values()) {
    l.sort((a, b) => a.seg.k - b.seg.k);
    for (let k = 0; k + 1 < l.length; k += 4) if (l[k + 1].seg.k === l[k].seg.k + 1) runs.push([l[k], l[k + 1]]);
  }
  const ds = rng.shuffle(runs.filter((r) => r[0].plan.district === "dongsheng"));
  const kb = rng.shuffle(runs.filter((r) => r[0].plan.district === "kangbashi" && r[0].seg.a[1] < -1500));
  const chosen = [...ds.slice(0, count - Math.min(1, kb.length)), ...kb.slice(0, Math.min(1, kb.length))];
  const names = [...FEATURED_STREETS.filter((n) => !n.startsWith("康巴什")), ...FEATURED_STREETS.filter((n) => n.startsWith("康巴什"))];
  const flat: Array<{ s: SegRec; name: string; len: number }> = [];
  chosen.forEach((run, k) => {
    const name = run[0].plan.district === "kangbashi" ? FEATURED_STREETS.find((n) => n.startsWith("康巴什"))! : names[k % names.length];
    for (const s of run) flat.push({ s, name, len: Math.hypot(s.seg.b[0] - s.seg.a[0], s.seg.b[1] - s.seg.a[1]) });
  });
  const totalLen = flat.reduce((a, f) => a + f.len, 0);
  const raw = flat.map((f) => (stalls * f.len) / totalLen);
  const base = raw.map(Math.floor);
  let left = stalls - base.reduce((a, b) => a + b, 0);
  raw
    .map((r, i) => [r - base[i], i] as const)
    .sort((a, b) => b[0] - a[0] || a[1] - b[1])
    .forEach(([, i]) => {
      if (left > 0) {
        base[i]++;
        left--;
      }
    });
  flat.forEach((f, i) => {
    const p: RoadProps = world.roads[f.s.roadIndex].props;
    p.featuredStreet = f.name;
    p.stalls = base[i];
    p.builtYear = rng.int(Math.max(sinceYear, referenceYear - 6), referenceYear - 1);
  });
}

/** Dead-end roads opened (打通断头路): short lanes in the old city, rebuilt within the window. */
export function markDeadEnds(world: World, segs: SegRec[], rng: Rng, count: number, sinceYear: number, referenceYear: number): void {
  const cands = rng.shuffle(
    segs.filter((s) => {
      const p = world.roads[s.roadIndex].props;
      return (
        s.plan.district === "dongsheng" &&
        s.seg.line.cls === "branch" &&
        !s.seg.bridge &&
        !p.featuredStreet &&
        [s.seg.sideLo, s.seg.sideHi].some((c) => isDev(c) && c!.ring <= 1)
      );
    }),
  );
  for (const s of cands.slice(0, count)) {
    const p = world.roads[s.roadIndex].props;
    p.deadEndOpened = true;
    p.builtYear = rng.int(sinceYear + 2, referenceYear - 1);
  }
}
