import { describe, expect, it } from "vitest";
import { validateCatalog } from "../../src/domain/catalog";
import {
  addNotice,
  groupVisibility,
  initialState,
  layerError,
  layerLoading,
  layerReady,
  setGroupVisible,
  setLayerOpacity,
  setLayerVisible,
  visibleLayersSettled,
} from "../../src/domain/state";
import { parseUrlState } from "../../src/domain/urlState";

const style = { color: { type: "constant", color: "#fff" } };
const catalog = validateCatalog({
  version: 1,
  groups: [
    { id: "a", title: { zh: "甲", en: "A" } },
    { id: "b", title: { zh: "乙", en: "B" } },
  ],
  layers: [
    { id: "x", title: { zh: "x", en: "x" }, group: "a", kind: "point", url: "x", visible: true, pickable: true, style },
    { id: "y", title: { zh: "y", en: "y" }, group: "a", kind: "line", url: "y", visible: false, pickable: true, style },
    {
      id: "z",
      title: { zh: "z", en: "z" },
      group: "b",
      kind: "polygon",
      url: "z",
      visible: true,
      pickable: true,
      style: { ...style, opacity: 0.4 },
    },
  ],
});

describe("state updaters", () => {
  it("starts from the catalog defaults", () => {
    const s = initialState(catalog);
    expect(s.layers.x).toMatchObject({ visible: true, opacity: 1, status: "idle" });
    expect(s.layers.y.visible).toBe(false);
    expect(s.layers.z.opacity).toBe(0.4);
    expect(s.lang).toBe("zh");
  });

  it("takes the visible set, language and camera from the URL, and turns URL problems into notices", () => {
    const url = parseUrlState("?layers=y&lang=en&camera=109,39,900,0,-45&quality=bogus", new Set(["x", "y", "z"]));
    const s = initialState(catalog, url);
    expect(
      Object.entries(s.layers)
        .filter(([, l]) => l.visible)
        .map(([id]) => id),
    ).toEqual(["y"]);
    expect(s.lang).toBe("en");
    expect(s.cameraRequest?.view.heightM).toBe(900);
    expect(s.notices).toHaveLength(1);
    expect(s.notices[0].text.en).toContain("quality=bogus");
    expect(s.notices[0].text.zh).toContain("网址参数 “quality=bogus”");
  });

  it("toggles layers and groups without touching other state", () => {
    const s0 = initialState(catalog);
    const s1 = setLayerVisible(s0, "y", true);
    expect(s1.layers.y.visible).toBe(true);
    expect(s0.layers.y.visible).toBe(false);
    expect(s1.layers.x).toBe(s0.layers.x);
    expect(groupVisibility(s0, "a")).toBe("mixed");
    expect(groupVisibility(setGroupVisible(s0, "a", true), "a")).toBe("on");
    expect(groupVisibility(setGroupVisible(s0, "a", false), "a")).toBe("off");
    expect(setLayerVisible(s0, "nope", true)).toBe(s0);
  });

  it("clamps opacity and ignores NaN", () => {
    const s = initialState(catalog);
    expect(setLayerOpacity(s, "x", 3).layers.x.opacity).toBe(1);
    expect(setLayerOpacity(s, "x", -1).layers.x.opacity).toBe(0);
    expect(setLayerOpacity(s, "x", NaN)).toBe(s);
  });

  it("tracks load status; settled only when every visible layer is ready or failed", () => {
    let s = initialState(catalog);
    expect(visibleLayersSettled(s)).toBe(false);
    s = layerLoading(s, "x", 0.5);
    expect(s.layers.x).toMatchObject({ status: "loading", progress: 0.5 });
    s = layerReady(s, "x", 12, 1);
    expect(s.layers.x).toMatchObject({ status: "ready", featureCount: 12, skipped: 1, progress: undefined });
    expect(visibleLayersSettled(s)).toBe(false);
    s = layerError(s, "z", "HTTP 404");
    expect(visibleLayersSettled(s)).toBe(true);
    // A bare library message gets a Chinese frame; the English stays as it was.
    expect(s.layers.z.error).toEqual({ zh: "加载失败：HTTP 404", en: "HTTP 404" });
  });

  it("does not repeat an identical notice", () => {
    const s = addNotice(addNotice(initialState(catalog), "warn", "same"), "warn", "same");
    expect(s.notices).toHaveLength(1);
  });
});
