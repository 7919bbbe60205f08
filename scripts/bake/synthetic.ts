// Seeded synthetic buildings around Kangbashi for scale tests of the baker (not the demo city:
// scripts/generate makes that). Random rotated rectangles, some L-shapes and courtyards.
//
//   npx tsx scripts/bake/synthetic.ts <count> <out.geojson> [seed]

import { writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { Feature, FeatureCollection, Polygon } from "geojson";
import type { BuildingProps, BuildingUse } from "../../src/domain/citySchema";
import { metresPerDegree } from "./input";

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SyntheticOptions {
  seed?: number;
  centre?: [number, number];
  /** Half-size of the area, metres (east-west, north-south). */
  halfExtentM?: [number, number];
}

export function syntheticBuildings(count: number, opts: SyntheticOptions = {}): FeatureCollection<Polygon, BuildingProps> {
  const rnd = mulberry32(opts.seed ?? 1);
  const [lon0, lat0] = opts.centre ?? [109.79, 39.6];
  const [hx, hy] = opts.halfExtentM ?? [7000, 5000];
  const [kx, ky] = metresPerDegree(lat0);
  const uses: BuildingUse[] = ["residential", "residential", "residential", "commercial", "public", "industrial"];
  const features: Feature<Polygon, BuildingProps>[] = [];
  for (let i = 0; i < count; i++) {
    // Half the buildings crowd a dense core (uneven density gives the quadtree uneven depth),
    // the rest spread evenly over the area.
    const core = rnd() < 0.5;
    const cx = core ? (rnd() + rnd() + rnd() - 1.5) * hx * 0.25 : (rnd() * 2 - 1) * hx;
    const cy = core ? (rnd() + rnd() + rnd() - 1.5) * hy * 0.25 : (rnd() * 2 - 1) * hy;
    const use = uses[Math.floor(rnd() * uses.length)];
    const w = 10 + rnd() * 50;
    const d = 10 + rnd() * 20;
    const angle = rnd() * Math.PI;
    const shapeRoll = rnd();
    const floors = use === "residential" ? 2 + Math.floor(rnd() * 30) : 1 + Math.floor(rnd() * (use === "commercial" ? 60 : 8));
    const heightM = Math.round(floors * (use === "commercial" ? 3.8 : 3) * 10) / 10 + 0.5;
    // local outline in metres
    let outer: number[][];
    let hole: number[][] | undefined;
    if (shapeRoll < 0.1) {
      // L shape
      outer = [
        [-w / 2, -d / 2],
        [w / 2, -d / 2],
        [w / 2, 0],
        [0, 0],
        [0, d / 2 + 10],
        [-w / 2, d / 2 + 10],
      ];
    } else if (shapeRoll < 0.13) {
      // courtyard
      outer = [
        [-w / 2 - 10, -d / 2 - 10],
        [w / 2 + 10, -d / 2 - 10],
        [w / 2 + 10, d / 2 + 10],
        [-w / 2 - 10, d / 2 + 10],
      ];
      hole = [
        [-w / 2, -d / 2],
        [-w / 2, d / 2],
        [w / 2, d / 2],
        [w / 2, -d / 2],
      ];
    } else {
      outer = [
        [-w / 2, -d / 2],
        [w / 2, -d / 2],
        [w / 2, d / 2],
        [-w / 2, d / 2],
      ];
    }
    const c = Math.cos(angle);
    const s = Math.sin(angle);
    const toLonLat = (ring: number[][]) => {
      const pts = ring.map(([x, y]) => {
        const ex = cx + x * c - y * s;
        const ny = cy + x * s + y * c;
        return [round7(lon0 + ex / kx), round7(lat0 + ny / ky)];
      });
      return [...pts, pts[0]];
    };
    const coordinates = hole ? [toLonLat(outer), toLonLat(hole)] : [toLonLat(outer)];
    const footprint = w * d;
    features.push({
      type: "Feature",
      geometry: { type: "Polygon", coordinates },
      properties: {
        id: `syn-${String(i).padStart(6, "0")}`,
        use,
        floors,
        heightM,
        yearBuilt: 1985 + Math.floor(rnd() * 40),
        residents: use === "residential" ? Math.floor(footprint * floors * 0.03) : 0,
        heatMetered: rnd() < 0.4,
        floorAreaM2: Math.round(footprint * floors),
        compoundId: use === "residential" ? `cmp-${Math.floor(rnd() * 400)}` : undefined,
        name: rnd() < 0.05 ? `合成楼${i}号` : undefined,
        district: "kangbashi",
        source: "synthetic",
      },
    });
  }
  return { type: "FeatureCollection", features };
}

function round7(v: number): number {
  return Math.round(v * 1e7) / 1e7;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const [count, out, seed] = process.argv.slice(2);
  if (!count || !out) {
    console.error("usage: npx tsx scripts/bake/synthetic.ts <count> <out.geojson> [seed]");
    process.exit(2);
  }
  const fc = syntheticBuildings(Number(count), { seed: seed ? Number(seed) : 1 });
  await writeFile(out, JSON.stringify(fc));
  console.log(`wrote ${fc.features.length} synthetic buildings to ${out}`);
}
