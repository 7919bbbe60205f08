// Search ranking on a hand-made index (pinyin given by hand, as pinyin-pro would give it).
import { describe, expect, it } from "vitest";
import { buildSearchDoc, SearchIndex, type Pinyin } from "../../../src/domain/inspector/search";

const PY: Record<string, [string, string]> = {
  康巴什公园: ["kbsgy", "kangbashigongyuan"],
  电业小区: ["dyxq", "dianyexiaoqu"],
  电力公园: ["dlgy", "dianligongyuan"],
  康和小区: ["khxq", "kangheqxiaoqu"],
  青春山路: ["ccsl", "qingchunshanlu"],
};
const pinyin: Pinyin = (t) => ({ initials: PY[t]?.[0] ?? "", full: PY[t]?.[1] ?? "" });

const doc = buildSearchDoc(
  [
    {
      layerId: "compounds",
      nameProperty: "name",
      byId: false,
      features: [
        { id: "compound-1", props: { name: "电业小区" }, at: [109.9, 39.8] },
        { id: "compound-2", props: { name: "康和小区" }, at: [109.8, 39.6] },
      ],
    },
    {
      layerId: "parks",
      nameProperty: "name",
      typeProperty: "parkType",
      byId: false,
      features: [
        { id: "park-1", props: { name: "康巴什公园", parkType: "comprehensive" }, at: [109.79, 39.6] },
        { id: "park-2", props: { name: "电力公园", parkType: "pocket" }, at: [109.95, 39.81] },
      ],
    },
    {
      layerId: "roads",
      nameProperty: "name",
      byId: false,
      dedupeNames: true,
      features: [
        { id: "road-1", props: { name: "青春山路" }, at: [109.78, 39.61] },
        { id: "road-2", props: { name: "青春山路" }, at: [109.78, 39.62] },
      ],
    },
    { layerId: "pipes-gas", byId: true, features: [{ id: "pipe-gas-kbs-000001", props: {}, at: [109.7, 39.6] }] },
    {
      layerId: "districts",
      nameProperty: "name",
      englishProperty: "nameEn",
      byId: false,
      features: [{ id: "d1", props: { name: "康巴什区", nameEn: "Kangbashi" }, at: [109.79, 39.6] }],
    },
  ],
  pinyin,
);
const index = new SearchIndex(doc, [{ layer: "parks", value: "pocket", labels: ["口袋公园", "Pocket park"] }]);
const flat = (q: string) => index.search(q).flatMap((g) => g.results.map((r) => r.id));

describe("search", () => {
  it("a road that shares its name over segments appears once", () => {
    expect(doc.rows.filter((r) => r[4] === "青春山路")).toHaveLength(1);
  });

  it("Chinese: exact and prefix names before names that only contain the text", () => {
    expect(flat("电业小区")[0]).toBe("compound-1");
    // 电: both 电业小区 and 电力公园 start with it; shorter name first on a tie
    expect(flat("电")).toEqual(["compound-1", "park-2"]);
    // 小区: contained in both compounds, nothing else
    expect(flat("小区").sort()).toEqual(["compound-1", "compound-2"]);
  });

  it("pinyin initials and full pinyin", () => {
    expect(flat("kbs")).toEqual(["park-1"]);
    expect(flat("dyxq")).toEqual(["compound-1"]);
    expect(flat("dianli")).toEqual(["park-2"]);
    expect(flat("KBS")).toEqual(["park-1"]);
  });

  it("English names, ids and type labels", () => {
    expect(flat("kangbashi")).toContain("d1");
    expect(flat("pipe-gas-kbs-000001")).toEqual(["pipe-gas-kbs-000001"]);
    expect(flat("pipe-gas")).toEqual(["pipe-gas-kbs-000001"]);
    expect(flat("口袋公园")).toEqual(["park-2"]);
    expect(flat("pocket park")).toEqual(["park-2"]);
  });

  it("results are grouped by layer, best group first; empty queries give nothing", () => {
    const groups = index.search("康");
    // all three start with 康 (85); shorter names first: 康和小区, 康巴什区 (4 chars), 康巴什公园 (5)
    expect(groups.map((g) => g.layer)).toEqual(["compounds", "districts", "parks"]);
    expect(groups[0].results[0].score).toBeGreaterThanOrEqual(groups[groups.length - 1].results[0].score);
    expect(index.search("   ")).toEqual([]);
    expect(index.search("不存在的地方")).toEqual([]);
  });

  it("finds an entry by layer and id", () => {
    expect(index.find("compounds", "compound-2")).toMatchObject({ name: "康和小区", lon: 109.8 });
    expect(index.find("compounds", "nope")).toBeUndefined();
  });
});
