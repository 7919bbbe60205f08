// Hand-made building fixtures whose answers can be worked out on paper: rectangles given in
// metres around a point near Kangbashi (converted with the WGS84 radii of curvature).

import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from "geojson";
import type { BuildingProps } from "../../src/domain/citySchema";

export const ORIGIN: [number, number] = [109.79, 39.6];

const A = 6378137;
const E2 = 0.0066943799901413165;
/** Metres per degree of lon / lat at latDeg (independent of the baker's own helper). */
export function mPerDeg(latDeg: number): [number, number] {
  const phi = (latDeg * Math.PI) / 180;
  const w = Math.sqrt(1 - E2 * Math.sin(phi) ** 2);
  return [((A / w) * Math.cos(phi) * Math.PI) / 180, ((A * (1 - E2)) / w ** 3) * (Math.PI / 180)];
}

/** lon/lat of a point dx metres east, dy metres north of ORIGIN. */
export function at(dx: number, dy: number): [number, number] {
  const [kx, ky] = mPerDeg(ORIGIN[1]);
  return [ORIGIN[0] + dx / kx, ORIGIN[1] + dy / ky];
}

/** Closed CCW ring of an axis-aligned rectangle: SW corner at (x, y) metres, w east, d north. */
export function rectRing(x: number, y: number, w: number, d: number): number[][] {
  return [at(x, y), at(x + w, y), at(x + w, y + d), at(x, y + d), at(x, y)];
}

type Props = Omit<BuildingProps, "floors" | "yearBuilt"> & { floors?: number; yearBuilt?: number };

function feature(geometry: Polygon | MultiPolygon, properties: Props): Feature<Polygon | MultiPolygon, Props> {
  return { type: "Feature", geometry, properties };
}

/**
 * Five buildings:
 *  b-box        10 m E × 20 m N × 30 m, commercial, flat roof: volume 6,000 m³, footprint 200 m²
 *  b-courtyard  40 × 40 with a 20 × 20 courtyard, 16 m: footprint 1,200 m², volume 19,200 m³
 *  b-house      12 E × 30 N, 12 m, residential 3 floors → hip roof (rise 0.29 × 12 = 3.48 m)
 *  b-twin       MultiPolygon of two 10 × 10 squares (outer rings given clockwise), 8 m
 *  b-tower      20 × 20 × 60 m residential, floors missing (→ no data)
 */
export function smallCity(): FeatureCollection<Polygon | MultiPolygon, Props> {
  const cw = (ring: number[][]) => ring.slice().reverse();
  return {
    type: "FeatureCollection",
    features: [
      feature(
        { type: "Polygon", coordinates: [rectRing(0, 0, 10, 20)] },
        {
          id: "b-box",
          use: "commercial",
          floors: 10,
          heightM: 30,
          yearBuilt: 2012,
          residents: 0,
          heatMetered: true,
          floorAreaM2: 2000,
          name: "康巴什大厦",
          district: "kangbashi",
          landmark: true,
          source: "synthetic",
        },
      ),
      feature(
        { type: "Polygon", coordinates: [rectRing(200, 0, 40, 40), cw(rectRing(210, 10, 20, 20))] },
        {
          id: "b-courtyard",
          use: "public",
          floors: 4,
          heightM: 16,
          yearBuilt: 1998,
          residents: 0,
          heatMetered: false,
          floorAreaM2: 4800,
          district: "kangbashi",
          source: "synthetic",
        },
      ),
      feature(
        { type: "Polygon", coordinates: [rectRing(-150, 100, 12, 30)] },
        {
          id: "b-house",
          use: "residential",
          floors: 3,
          heightM: 12,
          yearBuilt: 1995,
          residents: 36,
          heatMetered: true,
          floorAreaM2: 1080,
          compoundId: "cmp-007",
          district: "kangbashi",
          source: "synthetic",
        },
      ),
      feature(
        { type: "MultiPolygon", coordinates: [[cw(rectRing(-100, -200, 10, 10))], [cw(rectRing(-80, -200, 10, 10))]] },
        {
          id: "b-twin",
          use: "industrial",
          floors: 2,
          heightM: 8,
          yearBuilt: 2005,
          residents: 0,
          heatMetered: false,
          floorAreaM2: 400,
          source: "synthetic",
        },
      ),
      feature(
        { type: "Polygon", coordinates: [rectRing(100, 300, 20, 20)] },
        {
          id: "b-tower",
          use: "residential",
          heightM: 60,
          yearBuilt: 2015,
          residents: 300,
          heatMetered: true,
          floorAreaM2: 8000,
          compoundId: "cmp-012",
          district: "kangbashi",
          source: "synthetic",
        },
      ),
    ],
  };
}

export const EXPECTED_VOLUME: Record<string, number> = {
  "b-box": 10 * 20 * 30,
  "b-courtyard": 1200 * 16,
  // walls to the eave + hip roof: w·h·(L−w)/2 + w²·h/3 with w 12, L 30, h 3.48
  "b-house": 360 * (12 - 3.48) + (12 * 3.48 * 18) / 2 + (144 * 3.48) / 3,
  "b-twin": 2 * 100 * 8,
  "b-tower": 20 * 20 * 60,
};

const made: string[] = [];

export async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `wct-bake-${prefix}-`));
  made.push(dir);
  return dir;
}

/** Removes the temp dirs this test file made (call from afterAll). */
export async function cleanupTempDirs(): Promise<void> {
  await Promise.all(made.splice(0).map((d) => rm(d, { recursive: true, force: true })));
}

export async function writeJson(dir: string, name: string, value: unknown): Promise<string> {
  const p = join(dir, name);
  await writeFile(p, typeof value === "string" ? value : JSON.stringify(value));
  return p;
}
