// Calibration: the layout is generated plausibly first, then adjusted deterministically so the
// figures the cockpit computes — with the very calculators in src/domain/kpi — match the seed
// figures in data/kpis.json. Counts are made exact by construction; lengths and areas are
// reached by choosing which segments were renewed, which laterals were laid, how wide the green
// strips between buildings are, and so on, never by editing the calculators' inputs after the
// fact in ways the data could not explain.

import type { BuildingProps, PipeNetwork, PipeProps } from "../../src/domain/citySchema";
import type { LineString } from "geojson";
import { RegionClipper, areaM2, lengthKm } from "../../src/domain/kpi/geo";
import { isOldUnrenewedGasPipe } from "../../src/domain/kpi/calculators";
import type { KpiOptions } from "../../src/domain/kpi/types";
import { type V2, polylineLength, sliceLine } from "./geo";
import type { Block } from "./blocks";
import { type GreenwayDraft, type Lateral, material } from "./networks";
import type { Rng } from "./rng";
import { type AreaGeom, type Rec, type World, boxPolygon, greenRecs, lineString, scaledStripBox, treeStripPolygon } from "./world";

export type Log = (msg: string) => void;

/** Splits an integer total over weights so the parts sum exactly (largest remainder). */
export function apportion(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum <= 0 || total <= 0) return weights.map(() => 0);
  const raw = weights.map((w) => (total * w) / sum);
  const out = raw.map(Math.floor);
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = raw.map((r, i) => [r - out[i], i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (left <= 0) break;
    out[i]++;
    left--;
  }
  return out;
}

/** Residents: Kangbashi's census figure fixed; Dongsheng's core sized so park green per capita holds. */
export function assignResidents(w: World, perCapitaTarget: number, kangbashiPopulation: number, log: Log): void {
  const parkArea = w.parks.reduce((s, p) => s + areaM2(p.geometry), 0);
  const total = Math.round(parkArea / perCapitaTarget);
  let dongsheng = total - kangbashiPopulation;
  if (dongsheng < 50_000) {
    log(
      `residents: park area ${(parkArea / 1e6).toFixed(2)} km² is too small for ${perCapitaTarget} m²/person; Dongsheng floored at 50,000`,
    );
    dongsheng = 50_000;
  }
  for (const [d, pop] of [
    ["kangbashi", kangbashiPopulation],
    ["dongsheng", dongsheng],
  ] as const) {
    const homes = w.buildings.filter((b) => b.props.district === d && b.props.use === "residential");
    // villas house fewer people per m² than flats
    const weights = homes.map((b) => b.props.floorAreaM2 * (b.props.floors <= 3 ? 0.6 : 1));
    apportion(pop, weights).forEach((n, i) => (homes[i].props.residents = n));
  }
  log(
    `residents: kangbashi ${kangbashiPopulation.toLocaleString("en")}, dongsheng ${dongsheng.toLocaleString("en")}; parks ${(parkArea / 1e6).toFixed(2)} km²`,
  );
}

/** Heat metering in Kangbashi: newest-first random order until the metered floor area reaches the target. */
export function assignHeatMetering(w: World, targetM2: number, rng: Rng): void {
  const cands = rng.shuffle(w.buildings.filter((b) => b.props.district === "kangbashi" && b.props.use !== "industrial"));
  let s = 0;
  for (const b of cands) {
    const a = b.props.floorAreaM2;
    if (s + a <= targetM2 + a / 2 && s < targetM2) {
      b.props.heatMetered = true;
      s += a;
    }
  }
}

export function calibrateCompounds(
  w: World,
  t: { renovated: number; elevators: number; green: number; smart: number },
  rng: Rng,
  referenceYear: number,
  log: Log,
): void {
  const byCompound = new Map<string, Rec<BuildingProps>[]>();
  for (const b of w.buildings) {
    const id = b.props.compoundId;
    if (!id) continue;
    const l = byCompound.get(id) ?? [];
    l.push(b);
    byCompound.set(id, l);
  }
  for (const c of w.compounds) {
    const res = (byCompound.get(c.props.id) ?? []).reduce((s, b) => s + b.props.residents, 0);
    c.props.households = Math.max(1, Math.round(res / 2.6));
  }
  if (w.compounds.length < t.renovated) log(`compounds: only ${w.compounds.length} old compounds for ${t.renovated} renovations`);
  const order = rng.shuffle([...w.compounds]);
  const renovated = order.slice(0, t.renovated);
  for (const c of renovated) c.props.renovationYear = rng.int(2016, referenceYear - 1);
  // elevators: one per stairwell of 5+ storey walk-ups in renovated compounds
  const units: Rec<BuildingProps>[] = [];
  for (const c of renovated)
    for (const b of byCompound.get(c.props.id) ?? []) {
      if (b.props.floors < 5 || b.props.use !== "residential") continue;
      const stairwells = Math.max(1, Math.min(4, Math.round(b.props.floorAreaM2 / b.props.floors / 11 / 20)));
      for (let k = 0; k < stairwells; k++) units.push(b);
    }
  rng.shuffle(units);
  if (units.length < t.elevators) log(`elevators: only ${units.length} stairwells for ${t.elevators} elevators`);
  for (const b of units.slice(0, t.elevators)) b.props.elevatorsAdded = (b.props.elevatorsAdded ?? 0) + 1;
  const elevByCompound = new Map<string, number>();
  for (const b of units.slice(0, t.elevators)) elevByCompound.set(b.props.compoundId!, (elevByCompound.get(b.props.compoundId!) ?? 0) + 1);
  for (const c of w.compounds) c.props.elevatorsAdded = elevByCompound.get(c.props.id) ?? 0;
  const pickFlags = (n: number, key: "greenCommunity" | "smartSecurity") => {
    const pool = [...rng.shuffle([...renovated]), ...rng.shuffle(order.slice(t.renovated))];
    pool.slice(0, n).forEach((c) => (c.props[key] = true));
  };
  pickFlags(t.green, "greenCommunity");
  pickFlags(t.smart, "smartSecurity");
}

/**
 * Green space ratio and green coverage: the width of the green strips between buildings
 * (a single factor k ≤ 1 of the room between the rows) and the width of street-tree canopy.
 */
export function calibrateGreen(w: World, ratioTarget: number, coverageTarget: number, log: Log): void {
  const clip = new RegionClipper(w.builtup.map((b) => b.geometry));
  const B = clip.regionAreaM2;
  const inside = (gs: AreaGeom[]) => gs.reduce((s, g) => s + clip.areaInsideM2(g), 0);
  const parksIn = inside(w.parks.map((p) => p.geometry));
  const fixedIn = inside(w.green.map((g) => g.geometry));
  const stripGeoms = (k: number) => w.strips.map((s) => boxPolygon(s.frame, scaledStripBox(s, k)));
  const needGreen = (ratioTarget / 100) * B - parksIn - fixedIn;
  const strips1 = inside(stripGeoms(1));
  let k = needGreen / strips1;
  // the clipped area is not exactly linear in k at the edges: two secant steps settle it
  for (let it = 0; it < 2 && k > 0 && k <= 1; it++) {
    const got = inside(stripGeoms(k));
    if (got > 0) k *= needGreen / got;
  }
  if (k > 1)
    log(`green: strips at full width give ${(((parksIn + fixedIn + strips1) / B) * 100).toFixed(2)} %, below the ${ratioTarget} % target`);
  w.stripK = Math.max(0.05, Math.min(1, k));

  const needTrees = ((coverageTarget - ratioTarget) / 100) * B;
  let width = 2;
  for (let it = 0; it < 4; it++) {
    const got = inside(w.treeStrips.map((t) => treeStripPolygon(t, width)));
    if (got <= 0) break;
    width *= needTrees / got;
  }
  w.treeWidthM = Math.round(width * 1000) / 1000;
  log(
    `green: built-up ${(B / 1e6).toFixed(2)} km², parks ${(parksIn / 1e6).toFixed(2)}, fixed green ${(fixedIn / 1e6).toFixed(2)}, strips ${(strips1 / 1e6).toFixed(2)} km² at k=1 → k=${w.stripK.toFixed(3)}; tree width ${w.treeWidthM} m`,
  );
}

/** Green land added or upgraded within the window (ha). */
export function calibrateGreenAdded(w: World, targetHa: number, o: KpiOptions, rng: Rng, log: Log): void {
  const items = [...w.parks, ...greenRecs(w)].map((r) => ({ r, a: areaM2(r.geometry) / 1e4 }));
  // greenRecs() makes new objects for strips, but their props are the strips' own objects
  const inWin = (y: number) => y >= o.sinceYear && y <= o.referenceYear;
  let s = items.filter((x) => inWin(x.r.props.year)).reduce((a, x) => a + x.a, 0);
  if (s > targetHa) {
    for (const x of rng.shuffle(items.filter((x) => inWin(x.r.props.year)))) {
      if (s - x.a < targetHa) continue;
      x.r.props.year = o.sinceYear - rng.int(1, 3);
      s -= x.a;
    }
  } else {
    for (const x of rng.shuffle(items.filter((x) => !inWin(x.r.props.year)))) {
      if (s + x.a > targetHa) continue;
      x.r.props.year = rng.int(o.sinceYear, o.referenceYear - 1);
      s += x.a;
    }
  }
  log(`green added/upgraded: ${s.toFixed(1)} ha`);
}

/** Pipes built or renewed in the window; every gas pipe past its age limit gets renewed. */
export function calibratePipes(w: World, targetKm: number, o: KpiOptions, rng: Rng, log: Log): void {
  const nets: PipeNetwork[] = ["gas", "water", "drainage", "heating"];
  const items = nets.flatMap((n) => w.pipes[n].map((r) => ({ r, km: lengthKm(r.geometry) })));
  const inWin = (y: number | undefined) => y !== undefined && y >= o.sinceYear && y <= o.referenceYear;
  const counts = (x: (typeof items)[number]) => inWin(x.r.props.installYear) || inWin(x.r.props.renewalYear);
  let s = items.filter(counts).reduce((a, x) => a + x.km, 0);
  if (s > targetKm) {
    // too much new network: some of it was in fact laid just before the window
    for (const x of rng.shuffle(items.filter((x) => inWin(x.r.props.installYear)))) {
      if (s <= targetKm) break;
      x.r.props.installYear = o.sinceYear - 1;
      s -= x.km;
    }
  }
  const renew = (x: (typeof items)[number], year: number) => {
    x.r.props.renewalYear = year;
    x.r.props.material = material(x.r.props.network, year);
  };
  const maxAge = o.maxAgeYears ?? 20;
  const oldGas = rng.shuffle(items.filter((x) => x.r.props.network === "gas" && isOldUnrenewedGasPipe(x.r.props, o)));
  for (const x of oldGas) {
    if (s + x.km <= targetKm) {
      renew(x, rng.int(o.sinceYear, o.referenceYear - 1));
      s += x.km;
    } else renew(x, rng.int(Math.max(x.r.props.installYear + 1, o.referenceYear - maxAge), o.sinceYear - 1));
  }
  // then the oldest pipes of the other networks, as old compounds were renovated
  const pool = rng.shuffle(items.filter((x) => !counts(x) && x.r.props.renewalYear === undefined));
  pool.sort((a, b) => a.r.props.installYear - b.r.props.installYear);
  for (const x of pool) {
    if (s + x.km > targetKm) continue;
    renew(x, rng.int(o.sinceYear, o.referenceYear - 1));
    s += x.km;
  }
  log(`pipes built or renewed: ${s.toFixed(2)} km (${oldGas.length} old gas segments renewed)`);
}

export function calibrateRoads(w: World, targetKm: number, o: KpiOptions, rng: Rng, log: Log): void {
  const items = w.roads.map((r) => ({ r, km: lengthKm(r.geometry) }));
  const inWin = (y: number) => y >= o.sinceYear && y <= o.referenceYear;
  let s = items.filter((x) => inWin(x.r.props.builtYear)).reduce((a, x) => a + x.km, 0);
  if (s > targetKm) {
    for (const x of rng.shuffle(items.filter((x) => inWin(x.r.props.builtYear) && !x.r.props.featuredStreet && !x.r.props.deadEndOpened))) {
      if (s <= targetKm) break;
      if (s - x.km < targetKm * 0.998) continue;
      x.r.props.builtYear = o.sinceYear - 1;
      s -= x.km;
    }
  } else {
    const pool = rng.shuffle(items.filter((x) => !inWin(x.r.props.builtYear) && x.r.props.roadClass !== "expressway"));
    pool.sort((a, b) => a.r.props.builtYear - b.r.props.builtYear);
    for (const x of pool) {
      if (s + x.km > targetKm) continue;
      x.r.props.builtYear = rng.int(o.sinceYear, o.referenceYear - 1);
      s += x.km;
    }
  }
  log(`roads built or rebuilt: ${s.toFixed(2)} km`);
}

/** Lays reclaimed-water laterals until the network reaches its length; the last one is cut to fit. */
export function calibrateReclaimed(w: World, laterals: Lateral[], targetKm: number, rng: Rng, referenceYear: number, log: Log): void {
  let s = w.pipes.reclaimed.reduce((a, r) => a + lengthKm(r.geometry), 0);
  if (s > targetKm) {
    // a bigger city than the central one (scale > 1): the mains run along one side of the
    // branch roads only, until the network fits
    const drop = new Set<Rec<PipeProps, LineString>>();
    const branch = w.pipes.reclaimed.filter((r, i) => i % 2 === 1 && r.props.diameterMm <= 200);
    for (const r of rng.shuffle([...branch])) {
      if (s <= targetKm) break;
      drop.add(r);
      s -= lengthKm(r.geometry);
    }
    w.pipes.reclaimed = w.pipes.reclaimed.filter((r) => !drop.has(r));
    if (s > targetKm) log(`reclaimed: mains alone are ${s.toFixed(1)} km, over the ${targetKm} km target`);
  }
  const mains = s;
  const add = (l: Lateral, pts: V2[]) => {
    const geometry = lineString(l.frame, pts);
    const km = lengthKm(geometry);
    w.pipes.reclaimed.push({
      props: {
        id: w.id("pipe-reclaimed", l.district),
        district: l.district,
        source: "synthetic",
        network: "reclaimed",
        material: "PE",
        diameterMm: rng.pick([63, 75, 90, 110]),
        depthM: Math.round(rng.range(0.8, 1.2) * 10) / 10,
        installYear: Math.min(referenceYear, l.year + rng.int(0, 4)),
      },
      geometry,
    });
    return km;
  };
  const pool = rng.shuffle([...laterals]);
  let k = 0;
  for (; k < pool.length && s < targetKm; k++) {
    const l = pool[k];
    const km = l.lengthM / 1000;
    if (s + km <= targetKm) s += add(l, l.pts);
    else {
      const rest = (targetKm - s) * 1000;
      if (rest > 5) s += add(l, sliceLine(l.pts, 0, rest));
      break;
    }
  }
  if (s < targetKm * 0.99) log(`reclaimed: laterals exhausted at ${s.toFixed(1)} km (mains ${mains.toFixed(1)} km)`);
  log(`reclaimed water: mains ${mains.toFixed(1)} km + ${k} laterals = ${s.toFixed(2)} km`);
}

export function calibrateGreenways(w: World, drafts: GreenwayDraft[], targetKm: number, rng: Rng, log: Log): void {
  const ordered = [...drafts].sort((a, b) => a.priority - b.priority);
  // shuffle within equal priority, deterministically
  const groups = new Map<number, GreenwayDraft[]>();
  for (const d of ordered) groups.set(d.priority, [...(groups.get(d.priority) ?? []), d]);
  const seq = [...groups.keys()].sort((a, b) => a - b).flatMap((p) => rng.shuffle(groups.get(p)!));
  let s = 0;
  const add = (d: GreenwayDraft, pts: V2[]) => {
    const geometry = lineString(d.frame, pts);
    w.greenways.push({
      props: { id: w.id("greenway", d.district), name: d.name, district: d.district, source: "synthetic", greenwayType: d.type },
      geometry,
    });
    return lengthKm(geometry);
  };
  for (const d of seq) {
    if (s >= targetKm) break;
    const km = polylineLength(d.pts) / 1000;
    if (s + km <= targetKm) s += add(d, d.pts);
    else if ((targetKm - s) * 1000 > 50) s += add(d, sliceLine(d.pts, 0, (targetKm - s) * 1000));
  }
  if (s < targetKm * 0.99) log(`greenways: only ${s.toFixed(1)} km of candidates`);
  log(`greenways: ${s.toFixed(2)} km in ${w.greenways.length} pieces`);
}

/** Sponge-city blocks: the newest blocks and the parks first, until the share passes the target. */
export function calibrateSponge(w: World, blocks: Block[], minShare: number, log: Log): void {
  const clip = new RegionClipper(w.builtup.map((b) => b.geometry));
  const B = clip.regionAreaM2;
  const blockOf = new Map(blocks.map((b) => [b.landuseId, b]));
  const cands = w.landuse
    .filter((l) => l.props.builtUp)
    .map((l) => ({ l, b: blockOf.get(l.props.id) }))
    .sort((x, y) => (y.b?.year ?? 0) - (x.b?.year ?? 0) || (x.l.props.id < y.l.props.id ? -1 : 1));
  let s = 0;
  for (const { l } of cands) {
    if ((100 * s) / B >= minShare + 3) break;
    l.props.sponge = true;
    s += clip.areaInsideM2(l.geometry);
  }
  log(`sponge city: ${((100 * s) / B).toFixed(1)} % of the built-up area`);
}
