// ?catalog=<url>: where the manifests come from, and the sample city validating like the demo.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { validateCatalog } from "../../src/domain/catalog";
import { catalogSource, relocateCatalog, relocateSources } from "../../src/domain/catalogUrl";
import { validateCharts } from "../../src/domain/charts";
import { CALCULATORS, computeKpis, validateKpiManifest, type CityData } from "../../src/domain/kpi";
import { validateViews } from "../../src/domain/views";

const page = "http://127.0.0.1:4173/index.html?catalog=x";
describe("catalog= parameter", () => {
  it("folders and catalog.json URLs, relative or absolute; default otherwise", () => {
    expect(catalogSource("", page)).toEqual({ base: "data/", custom: false });
    expect(catalogSource("?catalog=samples/mini-city/", page)).toEqual({ base: "http://127.0.0.1:4173/samples/mini-city/", custom: true });
    expect(catalogSource("?catalog=samples/mini-city/catalog.json", page).base).toBe("http://127.0.0.1:4173/samples/mini-city/");
    expect(catalogSource("?catalog=https://city.example/gis", page).base).toBe("https://city.example/gis/");
    // A bundle zip (export of 我的数据, or a zipped city folder).
    expect(catalogSource("?catalog=exports/my%20city.ZIP", page)).toEqual({
      base: "http://127.0.0.1:4173/exports/",
      custom: true,
      zip: "http://127.0.0.1:4173/exports/my%20city.ZIP",
    });
    expect(catalogSource("?catalog=javascript:alert(1)", page)).toMatchObject({
      base: "data/",
      custom: false,
      problem: expect.stringMatching(/http/),
    });
  });
  it("layer URLs become relative to the catalog's folder", () => {
    const c = validateCatalog(JSON.parse(readFileSync("public/samples/mini-city/catalog.json", "utf8")));
    const r = relocateCatalog(c, "http://h/samples/mini-city/");
    expect(r.layers[0].url).toBe("http://h/samples/mini-city/piles.geojson");
  });
  it("the sample city (public/samples/mini-city) validates and its KPIs come from its data", () => {
    const dir = "public/samples/mini-city/";
    const read = (f: string) => JSON.parse(readFileSync(dir + f, "utf8"));
    const catalog = validateCatalog(read("catalog.json"), "catalog.json");
    const kpis = validateKpiManifest(read("kpis.json"), "kpis.json", Object.keys(CALCULATORS));
    const charts = validateCharts(read("charts.json"), "charts.json");
    const views = validateViews(read("views.json"), "views.json", catalog, {
      kpis: new Set(kpis.kpis.map((k) => k.id)),
      charts: new Set(charts.map((c) => c.id)),
    });
    expect(views.problems).toEqual({});
    const city = { charging: read("piles.geojson"), parks: read("parks.geojson") } as CityData;
    const v = computeKpis(city, { manifest: kpis });
    expect(v["charging-piles"].value).toBe(5);
    expect(v["pocket-parks"].value).toBe(2);
  });
});

describe("kpis.json sources under catalog=", () => {
  it("are resolved against the city's folder, like its layer URLs", () => {
    expect(
      relocateSources({ builtup: "city/builtup.geojson", buildings: "https://other.example/b.geojson" }, "http://h/samples/x/"),
    ).toEqual({
      builtup: "http://h/samples/x/city/builtup.geojson",
      buildings: "https://other.example/b.geojson",
    });
  });
});
