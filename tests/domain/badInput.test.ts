// The pure side of bad input: property sanitising (depth, length, prototype keys), feature
// checks with zh/en reasons, self-intersection. Hand-made fixtures; the browser corpus
// (tests/e2e/corpus.test.ts) runs the same kinds of files through the built app.
import { describe, expect, it } from "vitest";
import { MAX_PROPERTY_CHARS, MAX_PROPERTY_DEPTH, flattenFeatures, ringSelfIntersects, safeProps } from "../../src/domain/geojson";
import { M, MessageError, messageOf } from "../../src/domain/messages";

const f = (geometry: unknown, properties: Record<string, unknown> = {}, id?: unknown) => ({ type: "Feature", id, geometry, properties });
const square = [
  [0, 0],
  [1, 0],
  [1, 1],
  [0, 1],
  [0, 0],
];

describe("safeProps", () => {
  it("cuts nesting at the limit without recursion (100,000 levels deep)", () => {
    const deep = JSON.parse(`{"a":${"[".repeat(100_000)}${"]".repeat(100_000)}}`);
    const { props, cut } = safeProps(deep);
    expect(cut).toEqual(["deepProperty"]);
    // Now small enough to clone and stringify.
    expect(() => structuredClone(props)).not.toThrow();
    let depth = 0;
    for (let v: unknown = props.a; Array.isArray(v); v = v[0]) depth++;
    expect(depth).toBe(MAX_PROPERTY_DEPTH - 1);
  });
  it("cuts long strings", () => {
    const { props, cut } = safeProps({ s: "x".repeat(1 << 20), t: "short" });
    expect((props.s as string).length).toBe(MAX_PROPERTY_CHARS + 1);
    expect(props.t).toBe("short");
    expect(cut).toEqual(["longString"]);
  });
  it("keeps __proto__, constructor and prototype as plain data: nothing is polluted", () => {
    const raw = JSON.parse('{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":2}},"prototype":{"polluted":3}}');
    const { props } = safeProps(raw);
    expect(Object.keys(props).sort()).toEqual(["__proto__", "constructor", "prototype"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const copy = structuredClone(props);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect((copy as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("feature checks, with reasons in both languages", () => {
  it("skips out-of-range (swapped) and non-finite coordinates, says which", () => {
    const l = flattenFeatures(
      [
        f({ type: "Point", coordinates: [39.6, 109.8] }),
        f({ type: "Point", coordinates: [Number.POSITIVE_INFINITY, 1] }),
        f({ type: "Point", coordinates: [109.8, 39.6] }),
      ],
      "point",
    );
    expect(l.ids).toEqual(["2"]);
    expect(l.skippedWhy.en).toBe("1× coordinates out of range (lon/lat swapped?); 1× coordinates are not finite numbers");
    expect(l.skippedWhy.zh).toBe("1 个坐标超出经纬度范围（经纬度是否写反？）；1 个坐标不是有限数值");
  });
  it("skips unclosed rings and wrong geometry types, keeps the rest", () => {
    const open = [
      [0, 0],
      [1, 0],
      [1, 1],
      [0, 1],
    ];
    const l = flattenFeatures(
      [
        f({ type: "Polygon", coordinates: [open] }),
        f({ type: "Point", coordinates: [1, 1] }),
        f({ type: "Polygon", coordinates: [square] }),
      ],
      "polygon",
    );
    expect(l.ids).toEqual(["2"]);
    expect(l.skippedWhy.en).toBe("1× polygon ring not closed (first point ≠ last point); 1× Point geometry in a polygon layer");
    expect(l.skippedWhy.zh).toContain("Point 几何不能用于面图层");
  });
  it("draws self-intersecting polygons and duplicate ids with a caveat", () => {
    const bowtie = [
      [0, 0],
      [2, 2],
      [2, 0],
      [0, 2],
      [0, 0],
    ];
    const l = flattenFeatures(
      [f({ type: "Polygon", coordinates: [bowtie] }, {}, "a"), f({ type: "Polygon", coordinates: [square] }, {}, "a")],
      "polygon",
    );
    expect(l.ids).toEqual(["a", "a"]);
    expect(l.skipped).toBe(0);
    expect(l.caveats?.en).toBe("1× self-intersecting polygon, may look wrong; 1× duplicate feature id");
  });
  it("ringSelfIntersects: square no, bow-tie yes", () => {
    expect(ringSelfIntersects(square)).toBe(false);
    expect(
      ringSelfIntersects([
        [0, 0],
        [2, 2],
        [2, 0],
        [0, 2],
        [0, 0],
      ]),
    ).toBe(true);
  });
  it("an id that is not a string or number falls back to the index", () => {
    const l = flattenFeatures([f({ type: "Point", coordinates: [1, 1] }, {}, { evil: true })], "point");
    expect(l.ids).toEqual(["0"]);
  });
});

describe("messages", () => {
  it("keep both languages through MessageError, frame foreign errors in Chinese", () => {
    const e = new MessageError(M.http(404, "/x.geojson"));
    expect(e.message).toBe("HTTP 404 (file not found) for /x.geojson");
    expect(messageOf(e).zh).toBe("服务器返回 HTTP 404（文件不存在）：/x.geojson");
    expect(messageOf(new Error("boom"), "加载失败")).toEqual({ zh: "加载失败：boom", en: "boom" });
  });
});
