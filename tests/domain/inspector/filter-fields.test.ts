// Field dictionary, inspector formatting and attribute filters on hand-made fixtures.
import { Expression } from "cesium";
import { describe, expect, it } from "vitest";
import { validateCatalog } from "../../../src/domain/catalog";
import { formatFieldValue, inspectorRows, type FieldSpec } from "../../../src/domain/inspector/fields";
import {
  countMatches,
  fieldStats,
  filterExpression,
  filterStyle,
  matchesFilter,
  validateFilter,
} from "../../../src/domain/inspector/filter";
import { colorFor, tilesStyleJson } from "../../../src/domain/style";

const PIPE: FieldSpec[] = [
  { name: "network", label: { zh: "管网", en: "Network" }, type: "category", filterable: true, values: { gas: { zh: "燃气", en: "Gas" } } },
  { name: "material", label: { zh: "材质", en: "Material" }, type: "category", filterable: true },
  { name: "diameterMm", label: { zh: "管径", en: "Diameter" }, type: "integer", unit: "mm", filterable: true },
  { name: "depthM", label: { zh: "埋深", en: "Depth" }, type: "number", unit: "m" },
  { name: "installYear", label: { zh: "敷设年份", en: "Installed" }, type: "year", filterable: true },
  { name: "renewalYear", label: { zh: "改造年份", en: "Renewed" }, type: "year", filterable: true },
];
const pipes = [
  { id: "p1", network: "gas", material: "PE", diameterMm: 110, depthM: 1.2, installYear: 1998 },
  { id: "p2", network: "gas", material: "steel", diameterMm: 315, depthM: 1.5, installYear: 2004, renewalYear: 2020 },
  { id: "p3", network: "gas", material: "PE", diameterMm: 160, depthM: 1.4, installYear: 2010 },
  { id: "p4", network: "gas", material: "PE", diameterMm: 200, depthM: 1.6, installYear: 2016 },
];

describe("field dictionary", () => {
  it("turns raw keys into labels with units; unknown keys stay, values are plain text", () => {
    const rows = inspectorRows(
      PIPE,
      { id: "p1", diameterMm: 110, network: "gas", depthM: 1.25, note: "<img src=x onerror=alert(1)>" },
      "zh",
    );
    expect(rows.slice(0, 3)).toEqual([
      { key: "network", label: "管网", value: "燃气" },
      { key: "diameterMm", label: "管径", value: "110 mm" },
      { key: "depthM", label: "埋深", value: "1.25 m" },
    ]);
    expect(rows.find((r) => r.key === "note")!.value).toBe("<img src=x onerror=alert(1)>");
    expect(inspectorRows(PIPE, { diameterMm: 1200 }, "en")[0]).toEqual({ key: "diameterMm", label: "Diameter", value: "1,200 mm" });
    expect(formatFieldValue(PIPE[4], 2004, "zh")).toBe("2004");
    expect(formatFieldValue(undefined, true, "zh")).toBe("是");
  });

  it("is validated with the catalog: a layer naming an unknown field set, a unit on a category", () => {
    const base = { version: 1, groups: [{ id: "g", title: { zh: "组", en: "G" } }] };
    const layer = {
      id: "l",
      title: { zh: "层", en: "L" },
      group: "g",
      kind: "line",
      url: "x.geojson",
      visible: true,
      pickable: true,
      style: { color: { type: "constant", color: "#fff" } },
    };
    const ok = validateCatalog({ ...base, fields: { pipe: PIPE }, layers: [{ ...layer, fields: "pipe" }] });
    expect(ok.layers[0].fields).toBe("pipe");
    expect(ok.fields!.pipe[2].unit).toBe("mm");
    expect(() => validateCatalog({ ...base, fields: { pipe: PIPE }, layers: [{ ...layer, fields: "pipes" }] })).toThrow(
      /layers\[0\]\.fields: no field set "pipes"/,
    );
    expect(() =>
      validateCatalog({
        ...base,
        fields: { pipe: [{ name: "network", label: { zh: "a", en: "b" }, type: "category", unit: "m" }] },
        layers: [],
      }),
    ).toThrow(/fields\.pipe\[0\]\.unit/);
    expect(() =>
      validateCatalog({ ...base, fields: { pipe: [{ name: "x", label: { zh: "a", en: "b" }, type: "colour" }] }, layers: [] }),
    ).toThrow(/fields\.pipe\[0\]\.type/);
  });
});

describe("filters", () => {
  it("ranges are inclusive, categories match by value, presence tests renewal", () => {
    expect(countMatches(pipes, { installYear: { min: 2000, max: 2010 } })).toBe(2); // p2 2004, p3 2010
    expect(countMatches(pipes, { installYear: { max: 2000 } })).toBe(1);
    expect(countMatches(pipes, { material: { values: ["PE"] } })).toBe(3);
    expect(countMatches(pipes, { material: { values: ["PE"] }, diameterMm: { min: 150 } })).toBe(2); // p3, p4
    expect(countMatches(pipes, { renewalYear: { present: true } })).toBe(1);
    expect(countMatches(pipes, { renewalYear: { present: false } })).toBe(3);
    expect(countMatches(pipes, { material: { values: [] } })).toBe(0);
    expect(countMatches(pipes, {})).toBe(4);
    expect(matchesFilter({ installYear: { min: 2000 } }, { installYear: undefined })).toBe(false);
  });

  it("validates user input with messages in both languages", () => {
    expect(validateFilter(PIPE, { installYear: { min: 2000 }, material: ["PE"] })).toEqual({
      installYear: { min: 2000 },
      material: { values: ["PE"] },
    });
    expect(() => validateFilter(PIPE, { depthM: { min: 1 } })).toThrow(/cannot be filtered/);
    expect(() => validateFilter(PIPE, { colour: ["red"] })).toThrow(/cannot be filtered/);
    expect(() => validateFilter(PIPE, { material: { min: 1 } })).toThrow(/not numeric/);
    expect(() => validateFilter(PIPE, { installYear: { min: 2010, max: 2000 } })).toThrow(/min 2010 > max 2000/);
    expect(() => validateFilter(PIPE, "x")).toThrow(/object/);
  });

  it("field statistics give slider ranges and checkbox counts", () => {
    const s = fieldStats(PIPE, pipes);
    expect(s.installYear).toEqual({ min: 1998, max: 2016 });
    expect(s.material.values).toEqual({ PE: 3, steel: 1 });
  });

  it("a filter style hides non-matching features (alpha 0) and keeps the rest's colours", () => {
    const style = filterStyle({ color: { type: "constant", color: "#ff0000" } }, { installYear: { min: 2005 } });
    expect(colorFor(style.color, pipes[0])[3]).toBe(0);
    expect(colorFor(style.color, pipes[2])).toEqual([1, 0, 0, 1]);
  });

  it("the 3D Tiles show expression agrees with matchesFilter, evaluated by Cesium itself", () => {
    const filter = validateFilter(PIPE, {
      installYear: { min: 2000, max: 2010 },
      material: ["PE", "steel"],
      renewalYear: { present: false },
    });
    const json = tilesStyleJson(filterStyle({ color: { type: "constant", color: "#00ff00" } }, filter).color);
    expect(json.show).toBe(filterExpression(filter));
    const expr = new Expression(json.show!);
    const feature = (p: Record<string, unknown>) => ({ getPropertyInherited: (k: string) => p[k] });
    for (const p of [...pipes, { id: "nothing" }, { installYear: "2005", material: "PE" }])
      expect(expr.evaluate(feature(p) as never), JSON.stringify(p)).toBe(matchesFilter(filter, p));
  });
});

import { featuresCsv, featuresGeoJson, toCsv } from "../../../src/domain/inspector/export";
import { flattenFeatures } from "../../../src/domain/geojson";
describe("export", () => {
  it("CSV: BOM, labels in the header, quoting, formula cells defused", () => {
    const csv = featuresCsv(
      PIPE,
      [
        { id: "p1", diameterMm: 110, material: "PE, 'x'" },
        { id: "p2", note: '=HYPERLINK("x")' },
      ],
      "zh",
    );
    expect(csv.startsWith("\uFEFF")).toBe(true);
    const lines = csv.slice(1).trim().split("\r\n");
    // dictionary fields first (in its order), then the other keys
    expect(lines[0]).toBe("材质,管径,id,note");
    expect(lines[1]).toBe(`"PE, 'x'",110,p1,`);
    expect(lines[2]).toBe(`,,p2,"'=HYPERLINK(""x"")"`);
    expect(toCsv(["a"], [[-12.5]])).toBe("\uFEFFa\r\n-12.5\r\n");
  });
  it("GeoJSON rebuilt from parsed arrays round-trips", () => {
    const fc = [
      {
        type: "Feature",
        id: "a",
        properties: { id: "a" },
        geometry: {
          type: "Polygon",
          coordinates: [
            [
              [0, 0],
              [1, 0],
              [1, 1],
              [0, 0],
            ],
            [
              [0.2, 0.1],
              [0.8, 0.1],
              [0.8, 0.6],
              [0.2, 0.1],
            ],
          ],
        },
      },
      {
        type: "Feature",
        id: "b",
        properties: { id: "b" },
        geometry: {
          type: "Polygon",
          coordinates: [
            [
              [5, 5],
              [6, 5],
              [6, 6],
              [5, 5],
            ],
          ],
        },
      },
    ];
    const out = JSON.parse(featuresGeoJson(flattenFeatures(fc, "polygon"), [1, 0]));
    expect(out.features[0]).toEqual(fc[1]);
    expect(out.features[1]).toEqual(fc[0]);
  });
});
