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
    };
    const q = shareQuery(s);
    expect(q).toBe(
      "view=overview&layers=parks,roads&opacity=parks:0.4&camera=109.78123,39.60001,1234,45.5,-30.0&sel=buildings:bld-kbs-001802&lang=en&basemap=day&quality=low&tour=park-city&step=3&kiosk=1&idle=30&orbit=1&underground=1",
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
      notices: [],
    });
  });

  it("garbage becomes notices, never a throw", () => {
    const p = parseShareParams("opacity=parks:7,ghost:0.5,x&sel=nocolon&basemap=dusk&tour=Bad!&step=0&idle=1", known);
    expect(p.notices.map((n) => n.param)).toEqual(["opacity", "opacity", "opacity", "sel", "basemap", "tour", "step", "idle"]);
    expect(p).toEqual({ idleS: 90, kiosk: false, orbit: false, notices: p.notices });
    // the core parser knows the share parameters: no "unknown parameter" notice for them
    expect(parseUrlState("kiosk=1&idle=30&orbit=1&tour=a&step=2&sel=a:b&opacity=a:1&basemap=day").notices).toEqual([]);
  });
});
