// Builds the offline search index (search-index.json) from the generated layers, with the pinyin
// of every Chinese name computed here (pinyin-pro) so the app needs no pinyin dictionary.
import { customPinyin, pinyin } from "pinyin-pro";
import { buildSearchDoc, type Pinyin, type SearchDoc, type SourceLayer } from "../../src/domain/inspector/search";
import type { Feat } from "./output";

// Place names whose reading differs from the common one (什 in 康巴什 is shí).
customPinyin({ 康巴什: "kāng bā shí", 乌兰木伦: "wū lán mù lún" });

export const toPinyin: Pinyin = (text) => {
  const syll = pinyin(text, { toneType: "none", type: "array", nonZh: "consecutive" }).map((s) =>
    s.toLowerCase().replace(/[^a-z0-9]/g, ""),
  );
  return { initials: syll.map((s) => s[0] ?? "").join(""), full: syll.join("") };
};

/** A representative point: the first vertex of a line, the middle of a polygon's outer ring's box. */
function at(f: Feat): [number, number] {
  const g = f.geometry;
  if (g.type === "Point") return [g.coordinates[0], g.coordinates[1]];
  if (g.type === "LineString") {
    const c = g.coordinates[Math.floor(g.coordinates.length / 2)];
    return [c[0], c[1]];
  }
  const ring = g.type === "Polygon" ? g.coordinates[0] : g.type === "MultiPolygon" ? g.coordinates[0][0] : undefined;
  if (!ring) return [0, 0];
  let x0 = Infinity,
    y0 = Infinity,
    x1 = -Infinity,
    y1 = -Infinity;
  for (const [x, y] of ring) {
    x0 = Math.min(x0, x);
    x1 = Math.max(x1, x);
    y0 = Math.min(y0, y);
    y1 = Math.max(y1, y);
  }
  return [(x0 + x1) / 2, (y0 + y1) / 2];
}

export interface SearchLayerSpec {
  layerId: string;
  feats: Feat[];
  typeProperty?: string;
  byId?: boolean;
  dedupeNames?: boolean;
  englishProperty?: string;
}

export function searchIndex(layers: SearchLayerSpec[]): SearchDoc {
  const src: SourceLayer[] = layers.map((l) => ({
    layerId: l.layerId,
    nameProperty: "name",
    englishProperty: l.englishProperty,
    typeProperty: l.typeProperty,
    byId: !!l.byId,
    dedupeNames: l.dedupeNames,
    features: l.feats.map((f) => {
      const props = f.props as Record<string, unknown>;
      return { id: String(props.id ?? (typeof props.adcode === "number" ? `district-${props.adcode}` : "")), props, at: at(f) };
    }),
  }));
  return buildSearchDoc(src, toPinyin);
}

/** Compact JSON: one row per line (diffable, and small enough to load on first search). */
export function searchIndexText(doc: SearchDoc): string {
  return `{"version":1,"layers":${JSON.stringify(doc.layers)},"rows":[\n${doc.rows.map((r) => JSON.stringify(r)).join(",\n")}\n]}\n`;
}
