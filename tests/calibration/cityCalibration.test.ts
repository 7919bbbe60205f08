// The demo city at scale 1 against the seed figures in data/kpis.json, computed with the same
// calculators the cockpit uses. Reads public/generated/city when it is fresh (same seed, scale
// and inputs: see scripts/prepare.ts), otherwise generates a city into a temporary directory.

import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import Flatbush from "flatbush";
import type { Feature, Geometry, MultiPolygon, Polygon } from "geojson";
import { area, feature, featureCollection, intersect } from "@turf/turf";
import { CITY_LAYERS, type CityData, computeKpis, meetsTarget } from "../../src/domain/kpi";
import { DEFAULT_SEED, generateCity, loadManifest } from "../../scripts/generate/index";
import { CITY_DIR, isFresh } from "../../scripts/prepare";

const manifest = loadManifest();
let dir = CITY_DIR;
let tmp: string | undefined;
let city: CityData;
const layer = (name: string) => city[name as keyof CityData]!.features as unknown as Feature<Geometry, Record<string, unknown>>[];

beforeAll(async () => {
  if (!isFresh(DEFAULT_SEED, 1)) {
    tmp = mkdtempSync(join(tmpdir(), "wct-city-"));
    dir = tmp;
    await generateCity({ seed: DEFAULT_SEED, scale: 1, outDir: dir });
  }
  const c: Record<string, unknown> = {};
  for (const l of CITY_LAYERS) c[l] = JSON.parse(readFileSync(join(dir, `${l}.geojson`), "utf8"));
  city = c as CityData;
}, 300_000);

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe("the demo city meets the seed figures", () => {
  let values: ReturnType<typeof computeKpis>;
  beforeAll(() => {
    values = computeKpis(city, { manifest });
  }, 120_000);

  for (const k of manifest.kpis)
    it(`${k.id} (${k.title.en}): target ${k.target} ${k.unit}, ${k.tolerance.kind}`, () => {
      const v = values[k.id];
      expect(v.unit).toBe(k.unit);
      expect(meetsTarget(v.value, k), `${k.id} = ${v.value}, target ${k.target}`).toBe(true);
    });

  it("counts are exact and lengths/ratios within 1 % (the brief's list)", () => {
    const byCalc = (c: string) => {
      const k = manifest.kpis.find((x) => x.calculator === c)!;
      return { v: values[k.id].value, t: k.target };
    };
    for (const c of ["oldCompoundsRenovated", "elevatorsAdded", "smartParkingLots", "publicChargingPiles", "pocketParks"]) {
      const { v, t } = byCalc(c);
      expect(v, c).toBe(t);
    }
    for (const c of [
      "greenwaysKm",
      "reclaimedPipeKm",
      "pipesBuiltOrRenewedKm",
      "greenCoverageRatio",
      "greenSpaceRatio",
      "parkGreenPerCapita",
    ]) {
      const { v, t } = byCalc(c);
      expect(Math.abs(v - t) / t, `${c} = ${v} vs ${t}`).toBeLessThanOrEqual(0.01);
    }
    expect(byCalc("oldGasPipesUnrenewed").v).toBe(0);
  });
});

describe("the demo city is well formed", () => {
  it("every feature is synthetic (boundaries excepted) with a unique string id", () => {
    const ids = new Set<string>();
    const problems: string[] = [];
    for (const l of CITY_LAYERS) {
      if (l === "districts") continue;
      for (const f of layer(l)) {
        const p = f.properties;
        if (typeof p.id !== "string") problems.push(`${l}: id ${p.id}`);
        if (p.source !== "synthetic") problems.push(`${l} ${p.id}: source ${p.source}`);
        if (ids.has(p.id as string)) problems.push(`duplicate id ${p.id}`);
        if (!f.geometry) problems.push(`${l} ${p.id}: no geometry`);
        ids.add(p.id as string);
      }
    }
    expect(problems.slice(0, 10)).toEqual([]);
    const d = layer("districts");
    expect(d.map((f) => f.properties.adcode).sort()).toEqual([150600, 150602, 150603]);
  });

  it("has a city's worth of buildings, heights and landmarks in the right places", () => {
    const b = layer("buildings");
    expect(b.length).toBeGreaterThanOrEqual(25_000);
    expect(b.length).toBeLessThanOrEqual(35_000);
    const tallest = Math.max(...b.map((f) => f.properties.heightM as number));
    expect(tallest).toBeGreaterThan(180);
    expect(tallest).toBeLessThan(240);
    for (const f of b) {
      const p = f.properties;
      expect(p.heightM as number).toBeGreaterThan(0);
      expect(p.floorAreaM2 as number).toBeGreaterThan(0);
      // homes are floors × 3 m; offices, halls and sheds have taller storeys (3.3–7 m)
      const h = p.heightM as number;
      const n = p.floors as number;
      if (p.use === "residential") expect(h, `${p.id}`).toBeCloseTo(n * 3, 5);
      else {
        expect(h, `${p.id}`).toBeGreaterThanOrEqual(n * 3 - 0.01);
        expect(h, `${p.id}`).toBeLessThanOrEqual(n * 7 + 0.01);
      }
    }
    // the museum stands at its real place (39.600 N, 109.778 E), the CBD towers south of the lake
    const museum = b.find((f) => f.properties.name === "鄂尔多斯博物馆")!;
    const [mlon, mlat] = (museum.geometry as Polygon).coordinates[0][0];
    expect(Math.abs(mlon - 109.778) * 85_700).toBeLessThan(300);
    expect(Math.abs(mlat - 39.6) * 111_195).toBeLessThan(300);
    const towers = b.filter((f) => (f.properties.heightM as number) > 150);
    const lake = layer("water").find((f) => f.properties.name === "乌兰木伦湖")!;
    const lakeLat = Math.min(...(lake.geometry as Polygon).coordinates[0].map((p) => p[1]));
    expect(towers.length).toBeGreaterThan(5);
    for (const t of towers) expect((t.geometry as Polygon).coordinates[0][0][1]).toBeLessThan(lakeLat);
    // older, lower Dongsheng; newer Kangbashi
    const mean = (xs: number[]) => xs.reduce((a, x) => a + x, 0) / xs.length;
    const ds = b.filter((f) => f.properties.district === "dongsheng");
    const kb = b.filter((f) => f.properties.district === "kangbashi");
    expect(mean(ds.map((f) => f.properties.yearBuilt as number))).toBeLessThan(mean(kb.map((f) => f.properties.yearBuilt as number)));
  });

  it("puts no building on a road or in the water", () => {
    const roads = layer("roads").filter((f) => f.geometry.type === "LineString");
    const idx = new Flatbush(roads.length);
    const kx = 85_700;
    const ky = 111_195;
    for (const r of roads) {
      const c = (r.geometry as { coordinates: number[][] }).coordinates;
      const xs = c.map((p) => p[0] * kx);
      const ys = c.map((p) => p[1] * ky);
      idx.add(Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys));
    }
    idx.finish();
    const water = layer("water").map((f) => (f.geometry as Polygon).coordinates[0].map((p) => [p[0] * kx, p[1] * ky]));
    const inRing = (x: number, y: number, r: number[][]) => {
      let inside = false;
      for (let i = 0, j = r.length - 1; i < r.length; j = i++)
        if (r[i][1] > y !== r[j][1] > y && x < ((r[j][0] - r[i][0]) * (y - r[i][1])) / (r[j][1] - r[i][1]) + r[i][0]) inside = !inside;
      return inside;
    };
    let bad = 0;
    for (const f of layer("buildings")) {
      for (const [lon, lat] of (f.geometry as Polygon).coordinates[0]) {
        const x = lon * kx;
        const y = lat * ky;
        for (const w of water) if (inRing(x, y, w)) bad++;
        for (const i of idx.search(x - 40, y - 40, x + 40, y + 40)) {
          const r = roads[i];
          const [a, b] = (r.geometry as { coordinates: number[][] }).coordinates;
          if (!b) continue;
          const ax = a[0] * kx,
            ay = a[1] * ky,
            bx = b[0] * kx,
            by = b[1] * ky;
          const dx = bx - ax,
            dy = by - ay;
          const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)));
          const d = Math.hypot(x - ax - t * dx, y - ay - t * dy);
          if (d < (r.properties.widthM as number) / 2 - 0.5) bad++;
        }
      }
    }
    expect(bad).toBe(0);
  });

  it("has no overlapping buildings, and green, parks and parking do not overlap buildings or each other", () => {
    // areas are summed, not unioned, by the green calculators: the layers must be disjoint
    const polys = (l: string) => layer(l).filter((f) => f.geometry.type === "Polygon" || f.geometry.type === "MultiPolygon");
    const bbox = (f: Feature<Geometry, Record<string, unknown>>) => {
      const g = f.geometry as Polygon | MultiPolygon;
      const ring = g.type === "Polygon" ? g.coordinates[0] : g.coordinates.flatMap((p) => p[0]);
      const xs = ring.map((p) => p[0]);
      const ys = ring.map((p) => p[1]);
      return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
    };
    const overlaps: string[] = [];
    const pairs: Array<[string, string]> = [
      ["buildings", "buildings"],
      ["buildings", "green"],
      ["buildings", "parks"],
      ["buildings", "parking"],
      ["parks", "green"],
      ["trees", "green"],
      ["trees", "parks"],
    ];
    for (const [la, lb] of pairs) {
      const A = polys(la);
      const B = la === lb ? A : polys(lb);
      const idx = new Flatbush(B.length);
      for (const f of B) {
        const [x0, y0, x1, y1] = bbox(f);
        idx.add(x0, y0, x1, y1);
      }
      idx.finish();
      A.forEach((f, i) => {
        const [x0, y0, x1, y1] = bbox(f);
        for (const j of idx.search(x0, y0, x1, y1)) {
          if (la === lb && j <= i) continue;
          const x = intersect(featureCollection([feature(f.geometry as Polygon), feature(B[j].geometry as Polygon)]));
          if (x && area(x) > 1) overlaps.push(`${f.properties.id} × ${B[j].properties.id}: ${area(x).toFixed(1)} m²`);
        }
      });
    }
    expect(overlaps.slice(0, 10)).toEqual([]);
  }, 240_000);

  it("rounds every coordinate to 7 decimals", () => {
    let bad = 0;
    const walk = (c: unknown): void => {
      if (typeof c === "number") {
        if (Math.round(c * 1e7) / 1e7 !== c) bad++;
      } else if (Array.isArray(c)) c.forEach(walk);
    };
    for (const l of CITY_LAYERS) for (const f of layer(l)) walk((f.geometry as { coordinates: unknown }).coordinates);
    expect(bad).toBe(0);
  });

  it("keeps the files reasonable", () => {
    const s = JSON.parse(readFileSync(join(dir, "summary.json"), "utf8"));
    expect(s.seed).toBe(DEFAULT_SEED);
    expect(s.scale).toBe(1);
    expect(s.bytes.buildings).toBeLessThan(40 * 1024 * 1024);
    expect(s.layers.buildings).toBe(layer("buildings").length);
  });
});
