import { describe, expect, it } from "vitest";
import type { ColorRule } from "../../src/domain/catalog";
import { colorFor, extrusionFor, legendFor, parseHex, tilesStyleJson, toHex } from "../../src/domain/style";

const title = { zh: "层", en: "Layer" };

describe("colours", () => {
  it("parses the three hex forms", () => {
    expect(parseHex("#f00")).toEqual([1, 0, 0, 1]);
    expect(parseHex("#00ff00")).toEqual([0, 1, 0, 1]);
    expect(parseHex("#0000ff80")[3]).toBeCloseTo(128 / 255);
    expect(() => parseHex("#xyz")).toThrow();
    expect(toHex([1, 0.5, 0, 1])).toBe("#ff8000");
  });

  it("maps categories, falling back to the default", () => {
    const rule: ColorRule = { type: "categorical", property: "use", categories: { a: "#ff0000" }, default: "#0000ff" };
    expect(colorFor(rule, { use: "a" })).toEqual([1, 0, 0, 1]);
    expect(colorFor(rule, { use: "b" })).toEqual([0, 0, 1, 1]);
    expect(colorFor(rule, {})).toEqual([0, 0, 1, 1]);
    expect(colorFor(rule, { use: "a" }, 0.5)).toEqual([1, 0, 0, 0.5]);
  });

  it("categorises booleans by their string form", () => {
    const rule: ColorRule = { type: "categorical", property: "smart", categories: { true: "#ffffff" }, default: "#000000" };
    expect(colorFor(rule, { smart: true })).toEqual([1, 1, 1, 1]);
    expect(colorFor(rule, { smart: false })).toEqual([0, 0, 0, 1]);
  });

  it("interpolates ramps and clamps at both ends", () => {
    const rule: ColorRule = {
      type: "ramp",
      property: "h",
      stops: [
        [0, "#000000"],
        [100, "#ffffff"],
      ],
    };
    expect(colorFor(rule, { h: 50 })[0]).toBeCloseTo(0.5);
    expect(colorFor(rule, { h: -5 })).toEqual([0, 0, 0, 1]);
    expect(colorFor(rule, { h: 500 })).toEqual([1, 1, 1, 1]);
    expect(colorFor(rule, { h: "abc" })).toEqual([0, 0, 0, 1]);
  });

  it("builds legends in the chosen language", () => {
    const rule: ColorRule = {
      type: "categorical",
      property: "t",
      categories: { a: "#111111", b: "#222222" },
      labels: { a: { zh: "甲", en: "A" } },
      default: "#000000",
    };
    expect(legendFor(rule, "zh", title)).toEqual([
      { color: "#111111", label: "甲" },
      { color: "#222222", label: "b" },
    ]);
    expect(legendFor({ type: "constant", color: "#123456" }, "en", title)).toEqual([{ color: "#123456", label: "Layer" }]);
    expect(
      legendFor(
        {
          type: "ramp",
          property: "h",
          stops: [
            [0, "#000000"],
            [50, "#ffffff"],
          ],
          unit: "m",
        },
        "en",
        title,
      ).map((e) => e.label),
    ).toEqual(["0 m", "≥ 50 m"]);
  });

  it("extrudes from a property or a constant", () => {
    expect(extrusionFor({ color: { type: "constant", color: "#fff" }, extrude: { property: "heightM" } }, { heightM: 30 })).toBe(30);
    expect(extrusionFor({ color: { type: "constant", color: "#fff" }, extrude: { property: "heightM" } }, { heightM: -1 })).toBeUndefined();
    expect(extrusionFor({ color: { type: "constant", color: "#fff" }, extrude: { heightM: 5 } }, {})).toBe(5);
    expect(extrusionFor({ color: { type: "constant", color: "#fff" } }, {})).toBeUndefined();
  });
});

describe("3D Tiles style expressions", () => {
  it("turns categories into conditions with a default last", () => {
    const json = tilesStyleJson({ type: "categorical", property: "use", categories: { "it's": "#ff0000" }, default: "#00ff00" }, 0.5);
    expect(json.color).toEqual({
      conditions: [
        ["${use} === 'it\\'s'", "color('#ff0000', 0.5)"],
        ["true", "color('#00ff00', 0.5)"],
      ],
    });
  });

  it("samples ramps into descending thresholds", () => {
    const json = tilesStyleJson({
      type: "ramp",
      property: "heightM",
      stops: [
        [0, "#000000"],
        [160, "#ffffff"],
      ],
    });
    const conds = (json.color as { conditions: [string, string][] }).conditions;
    expect(conds[0][0]).toBe("${heightM} >= 155");
    expect(conds[0][1]).toBe("color('#ffffff', 1)");
    expect(conds.at(-1)).toEqual(["true", "color('#000000', 1)"]);
  });

  it("uses a constant colour directly", () => {
    expect(tilesStyleJson({ type: "constant", color: "#336699" }).color).toBe("color('#336699', 1)");
  });
});
