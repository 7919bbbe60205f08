import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ManifestError, validateCatalog } from "../../src/domain/catalog";

const good = () => ({
  version: 1,
  groups: [{ id: "base", title: { zh: "底图", en: "Base" } }],
  layers: [
    {
      id: "parks",
      title: { zh: "公园", en: "Parks" },
      group: "base",
      kind: "polygon",
      url: "parks.geojson",
      visible: true,
      pickable: true,
      style: { color: { type: "constant", color: "#00ff00" }, opacity: 0.5 },
    },
  ],
});

function errorOf(raw: unknown): ManifestError {
  try {
    validateCatalog(raw, "cat.json");
  } catch (e) {
    expect(e).toBeInstanceOf(ManifestError);
    return e as ManifestError;
  }
  throw new Error("expected a ManifestError");
}

describe("validateCatalog", () => {
  it("accepts a good manifest and keeps its values", () => {
    const c = validateCatalog(good());
    expect(c.layers[0].style.opacity).toBe(0.5);
    expect(c.layers[0].kind).toBe("polygon");
  });

  it("city: the name the title bar shows, checked like every field; absent is allowed", () => {
    expect(validateCatalog(good()).city).toBeUndefined();
    const c = validateCatalog({ ...good(), city: { name: { zh: "某市", en: "Some city" }, synthetic: false } });
    expect(c.city).toEqual({ name: { zh: "某市", en: "Some city" }, synthetic: false });
    expect(errorOf({ ...good(), city: { name: { zh: "某市" } } }).field).toBe("city.name.en");
    expect(errorOf({ ...good(), city: { name: { zh: "a", en: "b" }, synthetic: "yes" } }).field).toBe("city.synthetic");
    const shipped = validateCatalog(JSON.parse(readFileSync("data/catalog.json", "utf8")));
    expect(shipped.city?.name.zh).toMatch(/鄂尔多斯/);
    expect(shipped.city?.synthetic).toBe(true);
    const sample = validateCatalog(JSON.parse(readFileSync("public/samples/mini-city/catalog.json", "utf8")));
    expect(sample.city?.name).toEqual({ zh: "示例小城", en: "Mini sample city" });
  });

  it("accepts the shipped data/catalog.json, every layer in a known group", () => {
    const c = validateCatalog(JSON.parse(readFileSync("data/catalog.json", "utf8")), "data/catalog.json");
    expect(c.layers.length).toBeGreaterThanOrEqual(15);
    const kinds = new Set(c.layers.map((l) => l.kind));
    expect([...kinds].sort()).toEqual(["3dtiles", "line", "live", "point", "polygon"]);
  });

  it.each([
    ["not an object", [], "(root)", "expected an object"],
    ["wrong version", { ...good(), version: 2 }, "version", "expected 1"],
    ["groups not an array", { ...good(), groups: {} }, "groups", "expected an array"],
  ])("rejects %s", (_n, raw, field, reason) => {
    const e = errorOf(raw);
    expect(e.field).toBe(field);
    expect(e.reason).toContain(reason);
    expect(e.message).toContain("cat.json");
  });

  const mutate = (f: (l: Record<string, any>) => void) => {
    const g = good();
    f(g.layers[0] as Record<string, any>);
    return g;
  };
  it.each([
    ["missing id", (l: any) => delete l.id, "layers[0].id", "non-empty string"],
    ["bad id", (l: any) => (l.id = "Parks Layer"), "layers[0].id", "lower-case id"],
    ["unknown kind", (l: any) => (l.kind = "raster"), "layers[0].kind", "expected one of"],
    ["unknown group", (l: any) => (l.group = "nope"), "layers[0].group", 'no group with id "nope"'],
    ["missing zh title", (l: any) => delete l.title.zh, "layers[0].title.zh", "non-empty string"],
    ["visible as string", (l: any) => (l.visible = "yes"), "layers[0].visible", "true or false"],
    ["bad colour", (l: any) => (l.style.color.color = "green"), "layers[0].style.color.color", "hex colour"],
    ["opacity out of range", (l: any) => (l.style.opacity = 2), "layers[0].style.opacity", "[0, 1]"],
    ["bad rule type", (l: any) => (l.style.color = { type: "rainbow" }), "layers[0].style.color.type", '"constant"'],
    [
      "ramp stops not increasing",
      (l: any) =>
        (l.style.color = {
          type: "ramp",
          property: "h",
          stops: [
            [10, "#000"],
            [5, "#fff"],
          ],
        }),
      "layers[0].style.color.stops[1]",
      "increase",
    ],
    [
      "label for unknown category",
      (l: any) =>
        (l.style.color = {
          type: "categorical",
          property: "t",
          categories: { a: "#000" },
          labels: { b: { zh: "乙", en: "B" } },
          default: "#fff",
        }),
      "layers[0].style.color.labels.b",
      "not in categories",
    ],
    ["cluster on polygons", (l: any) => (l.style.cluster = true), "layers[0].style.cluster", "only point layers"],
  ])("rejects a layer with %s, naming the field", (_n, f, field, reason) => {
    const e = errorOf(mutate(f));
    expect(e.field).toBe(field);
    expect(e.reason).toContain(reason);
  });

  it("rejects duplicate layer ids", () => {
    const g = good();
    g.layers.push({ ...g.layers[0] });
    const e = errorOf(g);
    expect(e.field).toBe("layers[1].id");
    expect(e.reason).toContain("duplicate");
  });
});
