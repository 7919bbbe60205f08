import { describe, expect, it } from "vitest";
import { clusterCellForHeight, clusterPoints } from "../../src/domain/cluster";
import { flattenFeatures, GeoJsonError, parseGeoJsonText } from "../../src/domain/geojson";
import { isSoftwareRenderer, qualitySettings } from "../../src/domain/quality";
import { angleDiffDeg } from "../../src/domain/camera";

const f = (geometry: unknown, properties: Record<string, unknown> = {}) => ({ type: "Feature", geometry, properties });

describe("GeoJSON flattening", () => {
  it("rejects what is not a FeatureCollection, with a reason", () => {
    expect(() => parseGeoJsonText("{not json")).toThrow(GeoJsonError);
    expect(() => parseGeoJsonText("{not json")).toThrow(/Not valid JSON/);
    expect(() => parseGeoJsonText('{"type":"Feature"}')).toThrow(/Not a GeoJSON FeatureCollection \(got “Feature”\)/);
    expect(() => parseGeoJsonText('{"type":"FeatureCollection"}')).toThrow(/no features array/);
    try {
      parseGeoJsonText("[1]");
    } catch (e) {
      expect((e as GeoJsonError).i18n.zh).toBe("不是 GeoJSON 要素集合（FeatureCollection），而是 an array");
    }
  });

  it("flattens points and skips bad ones, counting why", () => {
    const l = flattenFeatures(
      [
        f({ type: "Point", coordinates: [1, 2] }, { id: "a" }),
        f({ type: "Point", coordinates: [500, 2] }),
        f(null),
        7,
        f({
          type: "LineString",
          coordinates: [
            [0, 0],
            [1, 1],
          ],
        }),
      ],
      "point",
    );
    expect(l.ids).toEqual(["a"]);
    expect(Array.from(l.coords)).toEqual([1, 2]);
    expect(l.skipped).toBe(4);
    expect(l.skippedReasons.join(";")).toContain("no geometry");
  });

  it("flattens multi-part lines into parts of one feature", () => {
    const l = flattenFeatures(
      [
        f(
          {
            type: "MultiLineString",
            coordinates: [
              [
                [0, 0],
                [1, 0],
              ],
              [
                [2, 2],
                [3, 3],
                [4, 4],
              ],
              [[9, 9]],
            ],
          },
          { id: "m" },
        ),
      ],
      "line",
    );
    expect(l.ids).toEqual(["m"]);
    // parts: [featureIndex, startPair, count]; the one-point line is dropped.
    expect(Array.from(l.parts)).toEqual([0, 0, 2, 0, 2, 3]);
    expect(l.coords.length).toBe(10);
  });

  it("flattens polygons with holes, ring lengths kept in order", () => {
    const outer = [
      [0, 0],
      [4, 0],
      [4, 4],
      [0, 4],
      [0, 0],
    ];
    const hole = [
      [1, 1],
      [2, 1],
      [2, 2],
      [1, 1],
    ];
    const l = flattenFeatures(
      [
        f({ type: "Polygon", coordinates: [outer, hole] }),
        f({
          type: "Polygon",
          coordinates: [
            [
              [0, 0],
              [1, 1],
            ],
          ],
        }),
      ],
      "polygon",
    );
    expect(l.ids).toEqual(["0"]);
    expect(Array.from(l.parts)).toEqual([0, 0, 2]);
    expect(Array.from(l.rings!)).toEqual([5, 4]);
    expect(l.skipped).toBe(1);
  });
});

describe("clustering", () => {
  it("groups points in the same cell and averages them", () => {
    // Two points 10 m apart and one ~1.1 km away, with 500 m cells: two clusters.
    const lat = 39.6;
    const coords = [109.0001, lat + 0.00001, 109.0001, lat + 0.0001, 109.0001, lat + 0.01];
    const cs = clusterPoints(coords, 500).sort((a, b) => b.count - a.count);
    expect(cs.map((c) => c.count)).toEqual([2, 1]);
    expect(cs[0].latDeg).toBeCloseTo(lat + 0.000055, 8);
    expect(cs[0].first).toBe(0);
  });
  it("respects a visibility mask and refuses a zero cell", () => {
    expect(clusterPoints([0, 0, 0, 0], 100, [true, false])[0].count).toBe(1);
    expect(() => clusterPoints([0, 0], 0)).toThrow();
  });
  it("does not cluster close to the ground", () => {
    expect(clusterCellForHeight(800)).toBeUndefined();
    expect(clusterCellForHeight(8000)).toBe(1600);
  });
});

describe("quality", () => {
  const screen = { cssWidth: 1920, cssHeight: 1080, devicePixelRatio: 1 };
  it("detects software renderers", () => {
    expect(isSoftwareRenderer("ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero)), SwiftShader driver)")).toBe(true);
    expect(isSoftwareRenderer("llvmpipe (LLVM 15.0.6, 256 bits)")).toBe(true);
    expect(isSoftwareRenderer("ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 Direct3D11)")).toBe(false);
    expect(isSoftwareRenderer(undefined)).toBe(false);
  });
  it("auto drops MSAA, atmosphere and resolution on software", () => {
    const q = qualitySettings("auto", "SwiftShader", screen);
    expect(q).toMatchObject({ level: "low", msaaSamples: 1, skyAtmosphere: false, fog: false, resolutionScale: 0.5 });
    expect(qualitySettings("auto", "NVIDIA", screen).level).toBe("high");
    expect(qualitySettings("high", "SwiftShader", screen).level).toBe("high");
  });
  it("caps the pixel ratio on video walls and 4K", () => {
    // 3840×2160 CSS px at dpr 2 would be 33 MP; the cap keeps it near one 4K frame (8.3 MP).
    const q = qualitySettings("high", "NVIDIA", { cssWidth: 3840, cssHeight: 2160, devicePixelRatio: 2 });
    expect(q.maxPixelRatio).toBeCloseTo(Math.sqrt(8.3e6 / (3840 * 2160)), 5);
    expect(qualitySettings("high", "NVIDIA", { cssWidth: 1280, cssHeight: 800, devicePixelRatio: 2 }).maxPixelRatio).toBe(2);
  });
  it("wraps heading differences", () => {
    expect(angleDiffDeg(359, 1)).toBe(2);
    expect(angleDiffDeg(0, 360)).toBe(0);
  });
});

describe("GeoJSON errors a user can read", () => {
  it("names an HTML page answered for a missing file", () => {
    expect(() => parseGeoJsonText("<!doctype html><html></html>")).toThrow(/HTML page instead of the data file/);
  });
});
