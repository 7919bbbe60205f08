import { describe, expect, it } from "vitest";
import { formatCameraParam, parseUrlState } from "../../src/domain/urlState";

const known = new Set(["buildings", "parks", "roads"]);

describe("parseUrlState", () => {
  it("reads every parameter when well formed", () => {
    const s = parseUrlState("?layers=parks,roads&camera=109.78,39.6,2500,45,-30&lang=en&quality=low&view=gas", known);
    expect(s.layers).toEqual(["parks", "roads"]);
    expect(s.camera).toEqual({ lonDeg: 109.78, latDeg: 39.6, heightM: 2500, headingDeg: 45, pitchDeg: -30 });
    expect(s.lang).toBe("en");
    expect(s.quality).toBe("low");
    expect(s.view).toBe("gas");
    expect(s.notices).toEqual([]);
  });

  it("is empty with no parameters", () => {
    expect(parseUrlState("", known)).toEqual({ notices: [] });
  });

  it("keeps known layer ids and reports unknown ones", () => {
    const s = parseUrlState("?layers=parks,nope,,buildings", known);
    expect(s.layers).toEqual(["parks", "buildings"]);
    expect(s.notices).toEqual([{ param: "layers", value: "nope", reason: "unknown layer id(s), ignored" }]);
  });

  it.each([["abc"], ["1,2,3"], ["109,39,,0,0"], ["109,39,1000,0,0,7"], ["NaN,39,1000,0,0"], ["Infinity,39,1000,0,0"]])(
    "rejects camera=%s with a notice",
    (cam) => {
      const s = parseUrlState(`?camera=${encodeURIComponent(cam)}`, known);
      expect(s.camera).toBeUndefined();
      expect(s.notices[0].param).toBe("camera");
    },
  );

  it.each([
    ["999,39,1000,0,0", "longitude"],
    ["109,-91,1000,0,0", "latitude"],
    ["109,39,0,0,0", "height"],
    ["109,39,1000,0,120", "pitch"],
  ])("rejects out-of-range camera=%s", (cam, word) => {
    const s = parseUrlState(`?camera=${cam}`, known);
    expect(s.camera).toBeUndefined();
    expect(s.notices[0].reason).toContain(word);
  });

  it("keeps the default layers when no id is known or the list is empty", () => {
    expect(parseUrlState("?layers=nope,zilch", known).layers).toBeUndefined();
    expect(parseUrlState("?layers=", known).layers).toBeUndefined();
  });

  it("rejects bad lang, quality, view and unknown parameters, one notice each", () => {
    const s = parseUrlState("?lang=fr&quality=ultra&view=Bad%20View&foo=1", known);
    expect(s.lang).toBeUndefined();
    expect(s.quality).toBeUndefined();
    expect(s.view).toBeUndefined();
    expect(s.notices.map((n) => n.param).sort()).toEqual(["foo", "lang", "quality", "view"]);
  });

  it("survives garbage", () => {
    for (const q of ["?%E0%A4%A", "?&&&=", "?camera", "?layers=", "?lang=&lang=zh", "#x", "?" + "a=".repeat(1000)])
      expect(() => parseUrlState(q, known)).not.toThrow();
  });

  it("formats a camera parameter that parses back", () => {
    const cam = { lonDeg: 109.78123, latDeg: 39.60001, heightM: 2500, headingDeg: 10.5, pitchDeg: -30 };
    expect(parseUrlState(`?camera=${formatCameraParam(cam)}`, known).camera).toEqual(cam);
  });
});
