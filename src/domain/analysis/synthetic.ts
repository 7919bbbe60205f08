// A seeded synthetic city for the analysis tests and benchmark (not the demo city — that is
// scripts/generate's job). Deterministic: the same options give the same features.
import type { Feature, FeatureCollection, LineString, MultiPolygon, Point, Polygon, Position } from "geojson";
import { EARTH_RADIUS_M } from "./projection";

export interface SyntheticCityOptions {
  seed?: number;
  buildings?: number;
  greens?: number;
  parks?: number;
  facilities?: number;
  pipes?: number;
  roads?: number;
  waterlogging?: number;
  /** Centre lon, lat. Default Kangbashi (109.791, 39.597). */
  center?: [number, number];
  /** Width and height of the city in metres. Default: ~250 buildings per km², 6:5 aspect. */
  sizeM?: [number, number];
}

type Props = Record<string, unknown>;
export interface SyntheticCity {
  buildings: FeatureCollection<Polygon, Props>;
  green: FeatureCollection<Polygon | MultiPolygon, Props>;
  parks: FeatureCollection<Polygon | MultiPolygon, Props>;
  facilities: FeatureCollection<Point, Props>;
  pipes: FeatureCollection<LineString, Props>;
  roads: FeatureCollection<LineString, Props>;
  waterlogging: FeatureCollection<Point, Props>;
}

/** mulberry32: small, fast, good enough for layout. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FACILITY_TYPES = ["community-service", "elderly-care", "childcare", "school", "clinic", "market"];
const NETWORKS = ["gas", "water", "drainage", "heating", "reclaimed"];
const ROAD_CLASSES = ["expressway", "arterial", "secondary", "branch"];
const RISKS = ["low", "medium", "high"];

export function syntheticCity(opts: SyntheticCityOptions = {}): SyntheticCity {
  const rnd = seededRandom(opts.seed ?? 1);
  const nB = opts.buildings ?? 30_000;
  const [lon0, lat0] = opts.center ?? [109.791, 39.597];
  const side = Math.sqrt(nB / 250) * 1000; // m, for 250 buildings per km²
  const [W, H] = opts.sizeM ?? [side * 1.1, side / 1.1];
  const ky = (EARTH_RADIUS_M * Math.PI) / 180;
  const kx = ky * Math.cos((lat0 * Math.PI) / 180);
  const ll = (x: number, y: number): Position => [lon0 + x / kx, lat0 + y / ky];
  const rand = (a: number, b: number) => a + (b - a) * rnd();
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const randXY = (): [number, number] => [rand(-W / 2, W / 2), rand(-H / 2, H / 2)];

  /** A star-shaped ring of n corners around (cx, cy), radius in [0.6, 1]·R, closed, CCW. */
  const blob = (cx: number, cy: number, R: number, n: number): Position[] => {
    const angles = Array.from({ length: n }, (_, k) => ((k + rand(0.1, 0.9)) / n) * 2 * Math.PI);
    const ring = angles.map((a) => {
      const r = R * rand(0.6, 1);
      return ll(cx + r * Math.cos(a), cy + r * Math.sin(a));
    });
    ring.push(ring[0]);
    return ring;
  };
  const circleRing = (cx: number, cy: number, r: number, n: number, cw: boolean): Position[] => {
    const ring = Array.from({ length: n }, (_, k) => {
      const a = ((cw ? -k : k) / n) * 2 * Math.PI;
      return ll(cx + r * Math.cos(a), cy + r * Math.sin(a));
    });
    ring.push(ring[0]);
    return ring;
  };
  const polyline = (stepMin: number, stepMax: number, nMin: number, nMax: number): Position[] => {
    let [x, y] = randXY();
    const n = Math.floor(rand(nMin, nMax + 1));
    const pts = [ll(x, y)];
    let horizontal = rnd() < 0.5;
    for (let k = 1; k < n; k++) {
      const step = rand(stepMin, stepMax) * (rnd() < 0.5 ? -1 : 1);
      if (horizontal) x += step;
      else y += step;
      // a little skew so segments are not all axis-aligned
      if (horizontal) y += rand(-0.1, 0.1) * Math.abs(step);
      else x += rand(-0.1, 0.1) * Math.abs(step);
      pts.push(ll(x, y));
      horizontal = !horizontal;
    }
    return pts;
  };
  const fc = <G extends Feature["geometry"]>(features: Feature<G, Props>[]): FeatureCollection<G, Props> => ({
    type: "FeatureCollection",
    features,
  });

  const buildings: Feature<Polygon, Props>[] = [];
  for (let i = 0; i < nB; i++) {
    const [cx, cy] = randXY();
    const w = rand(10, 40);
    const d = rand(10, 20);
    const th = rand(0, Math.PI);
    const c = Math.cos(th);
    const s = Math.sin(th);
    const corner = (u: number, v: number) => ll(cx + u * c - v * s, cy + u * s + v * c);
    const ring = [corner(-w / 2, -d / 2), corner(w / 2, -d / 2), corner(w / 2, d / 2), corner(-w / 2, d / 2)];
    ring.push(ring[0]);
    const residential = rnd() < 0.75;
    const floors = Math.floor(rand(2, 30));
    buildings.push({
      type: "Feature",
      properties: {
        id: `b-${i}`,
        use: residential ? "residential" : pick(["commercial", "public", "industrial"]),
        floors,
        heightM: floors * 3,
        residents: residential ? (rnd() < 0.05 ? 0 : Math.floor(rand(10, 400))) : 0,
        source: "synthetic",
      },
      geometry: { type: "Polygon", coordinates: [ring] },
    });
  }

  const green: Feature<Polygon | MultiPolygon, Props>[] = [];
  for (let i = 0; i < (opts.greens ?? 2_500); i++) {
    const [cx, cy] = randXY();
    const R = rand(8, 60);
    const ring = blob(cx, cy, R, Math.floor(rand(4, 10)));
    const multi = rnd() < 0.1;
    green.push({
      type: "Feature",
      properties: { id: `g-${i}`, greenType: pick(["protective", "attached", "square", "small"]), source: "synthetic" },
      geometry: multi
        ? { type: "MultiPolygon", coordinates: [[ring], [blob(cx + rand(-300, 300), cy + rand(-300, 300), R, 5)]] }
        : { type: "Polygon", coordinates: [ring] },
    });
  }

  const parks: Feature<Polygon | MultiPolygon, Props>[] = [];
  for (let i = 0; i < (opts.parks ?? 500); i++) {
    const [cx, cy] = randXY();
    const R = rand(40, 250);
    const outer = blob(cx, cy, R, Math.floor(rand(6, 16)));
    // Some parks have a lake (a hole), some are split in two parts.
    const rings = rnd() < 0.2 ? [outer, circleRing(cx, cy, R * 0.3, 12, true)] : [outer];
    const multi = rnd() < 0.1;
    parks.push({
      type: "Feature",
      properties: { id: `p-${i}`, parkType: pick(["comprehensive", "square", "riverside", "pocket", "community"]), source: "synthetic" },
      geometry: multi
        ? { type: "MultiPolygon", coordinates: [rings, [blob(cx + rand(-800, 800), cy + rand(-800, 800), R / 2, 6)]] }
        : { type: "Polygon", coordinates: rings },
    });
  }

  const facilities: Feature<Point, Props>[] = [];
  for (let i = 0; i < (opts.facilities ?? 500); i++)
    facilities.push({
      type: "Feature",
      properties: { id: `f-${i}`, facilityType: pick(FACILITY_TYPES), source: "synthetic" },
      geometry: { type: "Point", coordinates: ll(...randXY()) },
    });

  const pipes: Feature<LineString, Props>[] = [];
  for (let i = 0; i < (opts.pipes ?? 20_000); i++) {
    const network = pick(NETWORKS);
    const installYear = Math.floor(rand(1985, 2025));
    const renewed = rnd() < 0.3 && installYear < 2020;
    pipes.push({
      type: "Feature",
      properties: {
        id: `pipe-${i}`,
        network,
        material: "synthetic",
        diameterMm: pick([100, 200, 300, 400, 500, 600, 800, 1000, 1200]),
        depthM: Math.round(rand(0.8, 6) * 10) / 10,
        installYear,
        ...(renewed ? { renewalYear: Math.floor(rand(installYear + 1, 2025)) } : {}),
        source: "synthetic",
      },
      geometry: { type: "LineString", coordinates: polyline(30, 150, 2, 4) },
    });
  }

  const roads: Feature<LineString, Props>[] = [];
  for (let i = 0; i < (opts.roads ?? 5_000); i++)
    roads.push({
      type: "Feature",
      properties: { id: `r-${i}`, roadClass: pick(ROAD_CLASSES), source: "synthetic" },
      geometry: { type: "LineString", coordinates: polyline(100, 400, 2, 6) },
    });

  const waterlogging: Feature<Point, Props>[] = [];
  for (let i = 0; i < (opts.waterlogging ?? 150); i++)
    waterlogging.push({
      type: "Feature",
      properties: { id: `w-${i}`, risk: pick(RISKS), maxDepthCm: Math.floor(rand(5, 80)), source: "synthetic" },
      geometry: { type: "Point", coordinates: ll(...randXY()) },
    });

  return {
    buildings: fc(buildings),
    green: fc(green),
    parks: fc(parks),
    facilities: fc(facilities),
    pipes: fc(pipes),
    roads: fc(roads),
    waterlogging: fc(waterlogging),
  };
}
