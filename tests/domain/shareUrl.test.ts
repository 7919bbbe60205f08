import { describe, expect, it } from "vitest";
import { parseShareParams, shareQuery, type ShareState } from "../../src/domain/shareUrl";
import { parseUrlState } from "../../src/domain/urlState";

const known = new Set(["buildings", "parks", "roads"]);
const base: ShareState = {
  view: "overview",
  viewLayers: ["buildings", "roads"],
  layers: ["buildings", "roads"],
  opacity: {},
  lang: "zh",
  basemap: "night",
  quality: "auto",
  kiosk: false,
  idleS: 90,
  orbit: false,
};

describe("share links", () => {
  it("leave defaults out", () => {
    expect(shareQuery(base)).toBe("view=overview");
  });

  it("round-trip every field through the URL parsers", () => {
    const s: ShareState = {
      ...base,
      layers: ["parks", "roads"],
      opacity: { parks: 0.4 },
      camera: { lonDeg: 109.78123, latDeg: 39.60001, heightM: 1234, headingDeg: 45.5, pitchDeg: -30 },
      selection: { layerId: "buildings", featureId: "bld-kbs-001802" },
      lang: "en",
      basemap: "day",
      quality: "low",
      tour: { id: "park-city", step: 2 },
      kiosk: true,
      idleS: 30,
      orbit: true,
      underground: true,
      filters: {
        roads: { builtYear: { min: 2008, max: 2012 }, roadClass: { values: ["主干路", "a,b:c~d.e*!%"] } },
        buildings: { heightM: { min: 1.5 }, renewed: { present: true }, note: { present: false }, use: { values: [] } },
      },
    };
    const q = shareQuery(s);
    expect(q).toBe(
      "view=overview&layers=parks,roads&opacity=parks:0.4&camera=109.78123,39.60001,1234,45.5,-30.0&select=buildings:bld-kbs-001802&lang=en&basemap=day&quality=low&tour=park-city&step=3&kiosk=1&idle=30&orbit=1&underground=1" +
        "&filter=buildings:heightM:1.5..,note:!,renewed:*,use:" +
        `&filter=roads:builtYear:2008..2012,roadClass:${encodeURIComponent("主干路~a%2Cb%3Ac%7Ed%2Ee%2A%21%25").replace(/%2C/g, ",").replace(/%3A/g, ":")}`,
    );
    const core = parseUrlState(q, known);
    expect(core.notices).toEqual([]);
    expect(core).toMatchObject({
      view: "overview",
      layers: ["parks", "roads"],
      lang: "en",
      quality: "low",
      camera: s.camera,
      underground: true,
      select: s.selection,
    });
    const p = parseShareParams(q, known);
    expect(p).toEqual({
      opacity: { parks: 0.4 },
      selection: s.selection,
      basemap: "day",
      tour: "park-city",
      step: 2,
      kiosk: true,
      idleS: 30,
      orbit: true,
      filters: s.filters,
      notices: [],
    });
  });

  it("select= is the one selection parameter; sel= from older links means the same", () => {
    expect(parseUrlState("sel=buildings:b1", known).select).toEqual({ layerId: "buildings", featureId: "b1" });
    expect(parseShareParams("sel=buildings:b1", known).selection).toEqual({ layerId: "buildings", featureId: "b1" });
    // both given: select= wins
    expect(parseUrlState("select=roads:r1&sel=buildings:b1", known).select).toEqual({ layerId: "roads", featureId: "r1" });
    expect(parseShareParams("select=roads:r1&sel=buildings:b1", known).selection).toEqual({ layerId: "roads", featureId: "r1" });
    expect(shareQuery({ ...base, selection: { layerId: "roads", featureId: "r1" } })).toBe("view=overview&select=roads:r1");
  });

  it("filter=: one per layer; bad parts are notices, the well-formed conditions still apply", () => {
    const p = parseShareParams("filter=roads:builtYear:2010..,x:1..2..3,bad&filter=ghost:a:1&filter=Nope&filter=parks:parkType:", known);
    expect(p.filters).toEqual({ roads: { builtYear: { min: 2010 } }, parks: { parkType: { values: [] } } });
    expect(p.notices.map((n) => [n.param, n.value])).toEqual([
      ["filter", "x:1..2..3"],
      ["filter", "bad"],
      ["filter", "ghost:a:1"],
      ["filter", "Nope"],
    ]);
    expect(parseUrlState("filter=roads:builtYear:2010..").notices).toEqual([]);
  });

  it("garbage becomes notices, never a throw", () => {
    const p = parseShareParams("opacity=parks:7,ghost:0.5,x&sel=nocolon&basemap=dusk&tour=Bad!&step=0&idle=1", known);
    expect(p.notices.map((n) => n.param)).toEqual(["opacity", "opacity", "opacity", "basemap", "tour", "step", "idle"]);
    // a bad selection is reported once, by the core parser
    expect(parseUrlState("sel=nocolon").notices.map((n) => n.param)).toEqual(["sel"]);
    expect(p).toEqual({ idleS: 90, kiosk: false, orbit: false, notices: p.notices });
    // the core parser knows the share parameters: no "unknown parameter" notice for them
    expect(parseUrlState("kiosk=1&idle=30&orbit=1&tour=a&step=2&sel=a:b&opacity=a:1&basemap=day").notices).toEqual([]);
  });
});
