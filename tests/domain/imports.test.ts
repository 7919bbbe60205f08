// Imported layers and role swaps, on a tiny hand-made catalog.
import type { Feature } from "geojson";
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { validateCatalog, type Catalog, type LayerSpec } from "../../src/domain/catalog";
import {
  addHeights,
  addImportedLayer,
  applyRoleSwaps,
  autoStyle,
  categoricalFields,
  fieldValues,
  heightOfProps,
  importedRolesOf,
  removeImportedLayer,
  setImportedStyle,
  swappedRoleUrls,
  useAs,
  useDemo,
  type ImportedMeta,
} from "../../src/domain/imports";
import { CALCULATOR_LAYERS, ROLES } from "../../src/domain/kpiLayers";
import { initialState } from "../../src/domain/state";

const catalog: Catalog = validateCatalog({
  version: 1,
  groups: [{ id: "transport", title: { zh: "交通", en: "Transport" } }],
  layers: [
    {
      id: "charging",
      role: "charging",
      title: { zh: "公共充电桩", en: "Public charging piles" },
      group: "transport",
      kind: "point",
      url: "c.geojson",
      visible: true,
      pickable: true,
      style: { color: { type: "constant", color: "#3fb8ff" } },
    },
    {
      id: "parks",
      role: "parks",
      title: { zh: "公园", en: "Parks" },
      group: "transport",
      kind: "polygon",
      url: "p.geojson",
      visible: false,
      pickable: true,
      style: { color: { type: "constant", color: "#00ff00" } },
    },
  ],
});
const meta = (name: string): ImportedMeta => ({
  name,
  format: "csv",
  crs: "EPSG:4326",
  crsLabel: { zh: "", en: "" },
  featureCount: 3,
  fields: [],
  hasHeight: false,
  batch: "b1",
});
const spec = (id: string, kind: LayerSpec["kind"]): LayerSpec => ({
  id,
  title: { zh: id, en: id },
  group: "x",
  kind,
  url: `blob:${id}`,
  visible: true,
  pickable: true,
  style: autoStyle(kind as "point", 0),
});

describe("roles", () => {
  it("are derived from the calculators' layer needs (plus the analyses' inputs), once each", () => {
    for (const ls of Object.values(CALCULATOR_LAYERS)) for (const l of ls) expect(ROLES).toContain(l);
    expect(new Set(ROLES).size).toBe(ROLES.length);
    expect(ROLES).toContain("charging");
    expect(ROLES).toContain("waterlogging");
  });
  it("a catalog role must be one of them, and at most one layer per role", () => {
    const bad = structuredClone(JSON.parse(JSON.stringify(catalog)));
    bad.layers[0].role = "chargers";
    expect(() => validateCatalog(bad)).toThrow(/layers\[0\]\.role: expected one of/);
    bad.layers[0].role = "parks";
    expect(() => validateCatalog(bad)).toThrow(/two layers declare role "parks"/);
  });
  it("the shipped catalog declares the roles of the demo layers", () => {
    const c = validateCatalog(JSON.parse(readFileSync(join(__dirname, "../../data/catalog.json"), "utf8")));
    expect(c.layers.find((l) => l.id === "charging")!.role).toBe("charging");
    expect(c.layers.filter((l) => l.role).length).toBeGreaterThanOrEqual(15);
  });
});

describe("imported layers", () => {
  const s0 = initialState(catalog);
  it("add → under 我的数据, visible; remove → gone, group gone", () => {
    const s1 = addImportedLayer(s0, spec("my-1", "point"), meta("piles.csv"));
    expect(s1.catalog.groups[0]).toMatchObject({ id: "mydata", title: { zh: "我的数据" } });
    expect(s1.catalog.layers.at(-1)).toMatchObject({ id: "my-1", group: "mydata" });
    expect(s1.layers["my-1"]).toMatchObject({ visible: true, status: "idle" });
    const s2 = removeImportedLayer(s1, "my-1");
    expect(s2.layers["my-1"]).toBeUndefined();
    expect(s2.catalog.groups.some((g) => g.id === "mydata")).toBe(false);
    expect(s2.catalog.layers).toHaveLength(2);
    expect(removeImportedLayer(s2, "charging")).toBe(s2); // catalog layers cannot be removed
  });
  it("useAs swaps the demo layer out, useDemo restores it as it was", () => {
    let s = addImportedLayer(s0, { ...spec("my-1", "point"), visible: false }, meta("piles.csv"));
    s = useAs(s, "my-1", "charging");
    expect(s.layers.charging.visible).toBe(false);
    expect(s.layers["my-1"].visible).toBe(true);
    expect(swappedRoleUrls(s)).toEqual({ charging: "blob:my-1" });
    expect(importedRolesOf(s, "publicChargingPiles")).toEqual(["charging"]);
    expect(importedRolesOf(s, "pocketParks")).toEqual([]);
    const back = useDemo(s, "charging");
    expect(back.layers.charging.visible).toBe(true);
    expect(back.layers["my-1"].visible).toBe(false);
    expect(swappedRoleUrls(back)).toEqual({});
  });
  it("a view that shows the demo layer shows the imported one instead", () => {
    let s = addImportedLayer(s0, spec("my-1", "polygon"), meta("parks.zip"));
    s = useAs(s, "my-1", "parks");
    s = { ...s, layers: { ...s.layers, parks: { ...s.layers.parks, visible: true }, "my-1": { ...s.layers["my-1"], visible: false } } };
    s = applyRoleSwaps(s);
    expect(s.layers.parks.visible).toBe(false);
    expect(s.layers["my-1"].visible).toBe(true);
    // Switching back now shows the demo as the view wanted it.
    expect(useDemo(s, "parks").layers.parks.visible).toBe(true);
  });
  it("a layer of the wrong kind cannot play the role: notice, nothing swapped", () => {
    let s = addImportedLayer(s0, spec("my-2", "polygon"), meta("areas.zip"));
    s = useAs(s, "my-2", "charging");
    expect(s.roleSwaps ?? {}).toEqual({});
    expect(s.notices.at(-1)!.text.zh).toMatch(/公共充电桩.*点要素/);
    expect(useAs(s, "my-2", "nonsense").notices.at(-1)!.text.zh).toMatch(/没有用途/);
  });
  it("removing a swapped-in layer restores the demo", () => {
    let s = addImportedLayer(s0, spec("my-1", "point"), meta("piles.csv"));
    s = removeImportedLayer(useAs(s, "my-1", "charging"), "my-1");
    expect(s.layers.charging.visible).toBe(true);
    expect(s.roleSwaps).toEqual({});
  });
  it("restyle keeps the field", () => {
    let s = addImportedLayer(s0, spec("my-1", "point"), meta("piles.csv"));
    const st = autoStyle("point", 1);
    s = setImportedStyle(s, "my-1", st, "type");
    expect(s.catalog.layers.find((l) => l.id === "my-1")!.style).toBe(st);
    expect(s.imports!["my-1"].styleField).toBe("type");
  });
});

describe("automatic style", () => {
  const f = (p: Record<string, unknown>): Feature => ({ type: "Feature", geometry: { type: "Point", coordinates: [0, 0] }, properties: p });
  it("heights from height, building:height or building:levels × 3 m", () => {
    expect(heightOfProps({ height: 24 })).toBe(24);
    expect(heightOfProps({ "building:height": "12.5 m" })).toBe(12.5);
    expect(heightOfProps({ "building:levels": "6" })).toBe(18);
    expect(heightOfProps({ 层数: 10 })).toBe(30);
    expect(heightOfProps({ name: "x" })).toBeUndefined();
    const fc = { type: "FeatureCollection" as const, features: [f({ "building:levels": 4 }), f({})] };
    expect(addHeights(fc)).toBe(true);
    expect(fc.features[0].properties!._heightM).toBe(12);
  });
  it("footprints with heights: ramp + extrusion; a chosen field: categorical; else a constant", () => {
    const h = autoStyle("polygon", 0, { hasHeight: true });
    expect(h.extrude).toEqual({ property: "_heightM" });
    expect(h.color.type).toBe("ramp");
    const feats = [f({ type: "快充" }), f({ type: "慢充" }), f({ type: "快充" })];
    expect(categoricalFields(feats)).toEqual(["type"]);
    expect(fieldValues(feats, ["type"])).toEqual({ type: ["快充", "慢充"] });
    const c = autoStyle("point", 0, { field: "type", values: fieldValues(feats, ["type"]).type });
    expect(c.color).toMatchObject({ type: "categorical", property: "type" });
    expect(Object.keys((c.color as { categories: object }).categories)).toEqual(["快充", "慢充"]);
    expect(autoStyle("line", 2).color).toEqual({ type: "constant", color: "#f759ab" });
  });
});
