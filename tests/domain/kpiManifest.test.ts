// The KPI manifest (data/kpis.json): validation with readable errors, and target checks.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CALCULATORS, ManifestError, meetsTarget, validateKpiManifest } from "../../src/domain/kpi";

const raw = () => JSON.parse(readFileSync("data/kpis.json", "utf8"));

describe("data/kpis.json", () => {
  it("is valid and every calculator resolves", () => {
    const m = validateKpiManifest(raw(), "data/kpis.json", Object.keys(CALCULATORS));
    expect(m.kpis.length).toBeGreaterThanOrEqual(20);
    for (const k of m.kpis) expect(CALCULATORS[k.calculator], k.id).toBeTypeOf("function");
  });
  it("holds the seed figures as targets, counts exact, lengths and ratios within 1 %", () => {
    const m = validateKpiManifest(raw(), "data/kpis.json");
    const t = (calc: string) => m.kpis.find((k) => k.calculator === calc)!;
    const exact = [
      "oldCompoundsRenovated",
      "elevatorsAdded",
      "smartParkingLots",
      "publicChargingPiles",
      "pocketParks",
      "oldGasPipesUnrenewed",
    ];
    for (const c of exact) expect(t(c).tolerance, c).toEqual({ kind: "exact" });
    for (const c of [
      "greenwaysKm",
      "reclaimedPipeKm",
      "pipesBuiltOrRenewedKm",
      "greenCoverageRatio",
      "greenSpaceRatio",
      "parkGreenPerCapita",
    ])
      expect(t(c).tolerance, c).toEqual({ kind: "relative", value: 0.01 });
    expect(t("oldGasPipesUnrenewed").target).toBe(0);
  });
});

describe("validateKpiManifest", () => {
  it("names the file and the field on errors", () => {
    const bad = raw();
    bad.kpis[2].unit = "furlongs";
    expect(() => validateKpiManifest(bad, "kpis.json")).toThrow(ManifestError);
    expect(() => validateKpiManifest(bad, "kpis.json")).toThrow(/kpis\.json: kpis\[2\]\.unit: expected one of/);
    const b2 = raw();
    b2.kpis[0].calculator = "nope";
    expect(() => validateKpiManifest(b2, "kpis.json", Object.keys(CALCULATORS))).toThrow(
      /kpis\[0\]\.calculator: no calculator named "nope"/,
    );
    const b3 = raw();
    b3.kpis[1].id = b3.kpis[0].id;
    expect(() => validateKpiManifest(b3, "kpis.json")).toThrow(/duplicate KPI id/);
    const b4 = raw();
    b4.kpis[0].tolerance = { kind: "relative", value: 2 };
    expect(() => validateKpiManifest(b4, "kpis.json")).toThrow(/tolerance\.value: expected a fraction/);
    const b5 = raw();
    delete b5.params.referenceYear;
    expect(() => validateKpiManifest(b5, "kpis.json")).toThrow(/params\.referenceYear/);
  });
});

describe("meetsTarget", () => {
  it("applies each tolerance kind", () => {
    expect(meetsTarget(345, { target: 345, tolerance: { kind: "exact" } })).toBe(true);
    expect(meetsTarget(344, { target: 345, tolerance: { kind: "exact" } })).toBe(false);
    // 1 % of 178.7 = 1.787
    expect(meetsTarget(180.4, { target: 178.7, tolerance: { kind: "relative", value: 0.01 } })).toBe(true);
    expect(meetsTarget(180.6, { target: 178.7, tolerance: { kind: "relative", value: 0.01 } })).toBe(false);
    expect(meetsTarget(23, { target: 20, tolerance: { kind: "atLeast" } })).toBe(true);
    expect(meetsTarget(19.9, { target: 20, tolerance: { kind: "atLeast" } })).toBe(false);
    expect(meetsTarget(0, { target: 0, tolerance: { kind: "atMost" } })).toBe(true);
    expect(meetsTarget(NaN, { target: 0, tolerance: { kind: "atMost" } })).toBe(false);
  });
});
