// Indexed (Flatbush/KDBush + planar refinement) vs naive (all pairs, turf on the sphere) on a
// seeded random city of ~300 buildings. They may differ only by the projection's error
// (≤ 0.1 % here), so flags may differ only for distances within that error of a threshold.
import { area } from "@turf/turf";
import type { Feature, Polygon } from "geojson";
import { describe, expect, it } from "vitest";
import {
  greenAccess,
  lifeCircle,
  naiveGreenAccess,
  naiveLifeCircle,
  naivePipeCondition,
  naiveWaterloggingRisk,
  pipeCondition,
  syntheticCity,
  waterloggingRisk,
} from "../../src/domain/analysis";

const city = syntheticCity({
  seed: 20240601,
  buildings: 300,
  greens: 40,
  parks: 8,
  facilities: 30,
  pipes: 200,
  roads: 60,
  waterlogging: 25,
  sizeM: [2400, 2000],
});
const tol = (d: number) => 0.05 + 1e-3 * d;

describe("indexed analyses agree with naive all-pairs turf", () => {
  it("fixture is meaningful: no green area within 1 % of the 400 m² floor", () => {
    const areas = [...city.green.features, ...city.parks.features].map((f) => area(f as Feature<Polygon>));
    expect(areas.every((a) => Math.abs(a - 400) / 400 > 0.01)).toBe(true);
    expect(areas.some((a) => a < 400)).toBe(true);
    const parkAreas = city.parks.features.map((f) => area(f as Feature<Polygon>));
    expect(parkAreas.every((a) => Math.abs(a - 10_000) / 10_000 > 0.01)).toBe(true); // the 1 ha park floor
  });

  it("greenAccess", () => {
    const a = greenAccess(city.buildings, city.green, city.parks);
    const b = naiveGreenAccess(city.buildings, city.green, city.parks);
    expect(a.buildings.length).toBeGreaterThan(200);
    expect(a.buildings.map((x) => x.id)).toEqual(b.buildings.map((x) => x.id));
    expect(a.greenSpaces).toEqual(b.greenSpaces);
    let flagsDiffer = 0;
    a.buildings.forEach((x, i) => {
      const y = b.buildings[i];
      expect(Math.abs(x.distGreenM! - y.distGreenM!)).toBeLessThanOrEqual(tol(y.distGreenM!));
      expect(Math.abs(x.distParkM! - y.distParkM!)).toBeLessThanOrEqual(tol(y.distParkM!));
      if (x.greenOk !== y.greenOk) {
        flagsDiffer++;
        expect(Math.abs(y.distGreenM! - 300)).toBeLessThan(tol(300));
      }
      if (x.parkOk !== y.parkOk) {
        flagsDiffer++;
        expect(Math.abs(y.distParkM! - 500)).toBeLessThan(tol(500));
      }
    });
    if (flagsDiffer === 0) expect(a.totals).toEqual(b.totals);
    // The fixture should exercise both outcomes and the inside-a-park case.
    expect(a.totals.sharePark).toBeGreaterThan(0.2);
    expect(a.totals.sharePark).toBeLessThan(1);
    expect(a.buildings.some((x) => x.distParkM === 0)).toBe(true);
  });

  it("lifeCircle", () => {
    const a = lifeCircle(city.buildings, city.facilities, city.parks, { radiusM: 800 });
    const b = naiveLifeCircle(city.buildings, city.facilities, city.parks, { radiusM: 800 });
    expect(a.buildings).toEqual(b.buildings);
    expect(a.totals).toEqual(b.totals);
    expect(a.totals.shareAll).toBeGreaterThan(0);
    expect(a.totals.shareAll).toBeLessThan(1);
  });

  it("pipeCondition", () => {
    const a = pipeCondition(city.pipes, { asOfYear: 2025 });
    const b = naivePipeCondition(city.pipes, { asOfYear: 2025 });
    a.networks.forEach((n, i) => {
      const m = b.networks[i];
      expect(n.network).toBe(m.network);
      expect(n.count).toBe(m.count);
      expect(Math.abs(n.lengthKm - m.lengthKm)).toBeLessThanOrEqual(1e-3 * m.lengthKm);
      n.byAge.forEach((c, k) => expect(c.ids).toEqual(m.byAge[k].ids));
    });
    expect(a.gasOverAgeUnrenewed.ids).toEqual(b.gasOverAgeUnrenewed.ids);
    expect(a.gasOverAgeUnrenewed.count).toBeGreaterThan(0);
  });

  it("waterloggingRisk", () => {
    const a = waterloggingRisk(city.waterlogging, city.pipes, city.roads);
    const b = naiveWaterloggingRisk(city.waterlogging, city.pipes, city.roads);
    expect(a.points.length).toBe(25);
    const byId = new Map(b.points.map((p) => [p.id, p]));
    for (const p of a.points) {
      const q = byId.get(p.id)!;
      // Compared as sets: pipes meeting at a vertex tie on distance, and the two break ties differently.
      expect(p.pipes.map((x) => x.id).sort()).toEqual(q.pipes.map((x) => x.id).sort());
      expect(p.roads.map((x) => x.id).sort()).toEqual(q.roads.map((x) => x.id).sort());
      for (const x of p.pipes) {
        const y = q.pipes.find((z) => z.id === x.id)!;
        expect(Math.abs(x.distM - y.distM)).toBeLessThanOrEqual(tol(x.distM));
        expect(Math.abs(x.lengthWithinM - y.lengthWithinM)).toBeLessThanOrEqual(0.5 + 1e-3 * x.lengthWithinM);
      }
      expect(Math.abs(p.score - q.score)).toBeLessThan(0.2);
    }
    expect(a.totals.drainagePipesNearby).toBe(b.totals.drainagePipesNearby);
    expect(a.totals.flaggedPipesNearby).toBe(b.totals.flaggedPipesNearby);
  });
});
