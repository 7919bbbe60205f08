import { describe, expect, it } from "vitest";
import { validateCatalog, type LayerStyle } from "../../src/domain/catalog";
import { basemapStyle, highlightStyle, legendFor } from "../../src/domain/style";
import catalogJson from "../../data/catalog.json";

const night: LayerStyle = {
  color: {
    type: "categorical",
    property: "use",
    categories: { a: "#111111", b: "#222222" },
    labels: { a: { zh: "甲", en: "A" } },
    default: "#000000",
  },
  dayColor: { type: "categorical", property: "use", categories: { a: "#eeeeee", b: "#dddddd" }, default: "#ffffff" },
  opacity: 0.5,
};

describe("day palette (style.dayColor)", () => {
  it("the night basemap keeps the style object itself (no restyle)", () => {
    expect(basemapStyle(night, "night")).toBe(night);
  });
  it("the day basemap swaps in dayColor, keeps the rest, borrows the labels", () => {
    const d = basemapStyle(night, "day");
    expect(d.color).toEqual({ ...night.dayColor, labels: { a: { zh: "甲", en: "A" } } });
    expect(d.opacity).toBe(0.5);
    expect(legendFor(d.color, "en", { zh: "", en: "" })).toEqual([
      { color: "#eeeeee", label: "A" },
      { color: "#dddddd", label: "b" },
    ]);
  });
  it("a style without dayColor is the same on both basemaps", () => {
    const s: LayerStyle = { color: { type: "constant", color: "#1f6fb8" } };
    expect(basemapStyle(s, "day")).toBe(s);
  });
  it("a highlight applies on top of the day palette", () => {
    const h = highlightStyle(basemapStyle(night, "day"), { layerIds: ["x"], property: "use", value: "a" } as never);
    expect(h.color.type).toBe("highlight");
    expect((h.color as { base: { categories: Record<string, string> } }).base.categories.a).toBe("#eeeeee");
  });
  it("the catalog validates dayColor like color, naming the field", () => {
    const bad = structuredClone(catalogJson) as { layers: { style: Record<string, unknown> }[] };
    bad.layers[1].style.dayColor = { type: "constant", color: "beige" };
    expect(() => validateCatalog(bad)).toThrow(/layers\[1\]\.style\.dayColor\.color/);
    // The shipped catalog gives the ground and the buildings a day palette.
    const cat = validateCatalog(catalogJson);
    for (const id of ["landuse", "roads", "buildings"]) expect(cat.layers.find((l) => l.id === id)?.style.dayColor, id).toBeDefined();
  });
});

describe("catalog field `tiles` (ground baked to 3D Tiles)", () => {
  const base = structuredClone(catalogJson) as { layers: Array<Record<string, unknown>> };
  it("is kept for polygon/line layers and picks the ground-tiles renderer", async () => {
    const { rendererKind } = await import("../../src/domain/catalog");
    const cat = validateCatalog(base);
    const landuse = cat.layers.find((l) => l.id === "landuse")!;
    expect(landuse.tiles).toBe("generated/tiles/ground/tileset.json");
    expect(rendererKind(landuse)).toBe("ground-tiles");
    expect(rendererKind(cat.layers.find((l) => l.id === "pipes-gas")!)).toBe("line");
  });
  it("is refused on a point layer or when it is not a tileset.json, naming the field", () => {
    const bad = structuredClone(base);
    const i = bad.layers.findIndex((l) => l.kind === "point");
    bad.layers[i].tiles = "generated/tiles/ground/tileset.json";
    expect(() => validateCatalog(bad)).toThrow(new RegExp(`layers\\[${i}\\]\\.tiles: only polygon and line`));
    const bad2 = structuredClone(base);
    bad2.layers[1].tiles = "ground.glb";
    expect(() => validateCatalog(bad2)).toThrow(/layers\[1\]\.tiles: expected the URL of a tileset\.json/);
  });
});
