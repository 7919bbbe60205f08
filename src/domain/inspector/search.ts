// Offline search over names, addresses, ids and types across the layers. The index is built from
// the data at data-preparation time (scripts/generate → search-index.json), with the pinyin of
// every Chinese name computed there (pinyin-pro), so the browser only loads a compact table and
// scans it: no online geocoder, no pinyin dictionary in the app bundle.
//
// Ranking (higher first): exact id 100 · exact name 95 · name prefix 85 · id prefix 75 ·
// name contains 65 (earlier is better) · pinyin initials prefix 60 · full pinyin prefix 58 ·
// English prefix 56 · initials/pinyin/English contains 45 · id contains 35 · type match 20.
// Ties: shorter name, then id. Results are grouped by layer, best group first.

export interface SearchEntry {
  layer: string;
  id: string;
  name?: string;
  /** Pinyin initials of the name, lower case ("kbsgy" for 康巴什公园). */
  py?: string;
  /** Full pinyin without tones or spaces ("kangbashigongyuan"). */
  pinyin?: string;
  /** English name or address, when the data has one. */
  en?: string;
  /** Category value of the layer's type field (parkType, facilityType …). */
  type?: string;
  lon: number;
  lat: number;
}

/** The file format: columns, so 80k entries stay small. */
export interface SearchDoc {
  version: 1;
  layers: string[];
  /** [layerIndex, id, lon, lat, name, py, pinyin, en, type]; trailing empty strings are left out. */
  rows: Array<Array<string | number>>;
}

export interface SourceFeature {
  id: string;
  props: Record<string, unknown>;
  /** A representative point (lon, lat). */
  at: [number, number];
}

export interface SourceLayer {
  layerId: string;
  features: SourceFeature[];
  nameProperty?: string;
  englishProperty?: string;
  typeProperty?: string;
  /** Index features without a name by their id (buildings, pipes, piles). */
  byId: boolean;
  /** Keep one entry per name (road segments sharing a street name). */
  dedupeNames?: boolean;
}

export type Pinyin = (text: string) => { initials: string; full: string };

const HAN = /[\u3400-\u9fff]/;

export function buildSearchDoc(layers: SourceLayer[], pinyin: Pinyin): SearchDoc {
  const doc: SearchDoc = { version: 1, layers: layers.map((l) => l.layerId), rows: [] };
  const cache = new Map<string, { initials: string; full: string }>();
  layers.forEach((l, li) => {
    const seen = new Set<string>();
    for (const f of l.features) {
      const rawName = l.nameProperty ? f.props[l.nameProperty] : undefined;
      const name = typeof rawName === "string" && rawName.trim() ? rawName.trim() : "";
      if (!name && !l.byId) continue;
      if (name && l.dedupeNames) {
        if (seen.has(name)) continue;
        seen.add(name);
      }
      let py = "";
      let full = "";
      if (name && HAN.test(name)) {
        let p = cache.get(name);
        if (!p) cache.set(name, (p = pinyin(name)));
        py = p.initials;
        full = p.full;
      }
      const en = l.englishProperty && typeof f.props[l.englishProperty] === "string" ? (f.props[l.englishProperty] as string) : "";
      const type = l.typeProperty && f.props[l.typeProperty] !== undefined ? String(f.props[l.typeProperty]) : "";
      const row: Array<string | number> = [
        li,
        f.id,
        Math.round(f.at[0] * 1e6) / 1e6,
        Math.round(f.at[1] * 1e6) / 1e6,
        name,
        py,
        full,
        en,
        type,
      ];
      while (row.length > 4 && row[row.length - 1] === "") row.pop();
      doc.rows.push(row);
    }
  });
  return doc;
}

/** Category labels per layer, so "公园"/"park" finds features of that type. */
export interface TypeLabels {
  layer: string;
  value: string;
  labels: string[];
}

export interface SearchResult {
  layer: string;
  id: string;
  name?: string;
  type?: string;
  score: number;
  lon: number;
  lat: number;
}

export interface SearchGroup {
  layer: string;
  results: SearchResult[];
}

export class SearchIndex {
  readonly size: number;
  private readonly layer: Uint16Array;
  private readonly ids: string[];
  private readonly idsLower: string[];
  private readonly names: string[];
  private readonly namesLower: string[];
  private readonly py: string[];
  private readonly full: string[];
  private readonly en: string[];
  private readonly types: string[];
  private readonly lon: Float64Array;
  private readonly lat: Float64Array;

  constructor(
    readonly doc: SearchDoc,
    private readonly typeLabels: TypeLabels[] = [],
  ) {
    if (!doc || doc.version !== 1 || !Array.isArray(doc.layers) || !Array.isArray(doc.rows))
      throw new Error("search index: not a version-1 search document");
    const n = doc.rows.length;
    this.size = n;
    this.layer = new Uint16Array(n);
    this.ids = new Array(n);
    this.idsLower = new Array(n);
    this.names = new Array(n);
    this.namesLower = new Array(n);
    this.py = new Array(n);
    this.full = new Array(n);
    this.en = new Array(n);
    this.types = new Array(n);
    this.lon = new Float64Array(n);
    this.lat = new Float64Array(n);
    const s = (v: unknown) => (typeof v === "string" ? v : "");
    doc.rows.forEach((r, i) => {
      this.layer[i] = Number(r[0]);
      this.ids[i] = s(r[1]);
      this.idsLower[i] = this.ids[i].toLowerCase();
      this.lon[i] = Number(r[2]);
      this.lat[i] = Number(r[3]);
      this.names[i] = s(r[4]);
      this.namesLower[i] = this.names[i].toLowerCase();
      this.py[i] = s(r[5]);
      this.full[i] = s(r[6]);
      this.en[i] = s(r[7]).toLowerCase();
      this.types[i] = s(r[8]);
    });
  }

  /** Ranked results, at most `limit`, grouped by layer (best group first). Empty query → none. */
  search(query: string, limit = 50): SearchGroup[] {
    const q = query.trim().toLowerCase().replace(/\s+/g, " ");
    if (!q) return [];
    const qNoSpace = q.replace(/ /g, "");
    const ascii = /^[a-z0-9 _-]+$/.test(q);
    const typeHits = new Set<string>();
    for (const t of this.typeLabels)
      if (t.labels.some((l) => l && (l.toLowerCase() === q || (q.length >= 2 && l.toLowerCase().includes(q)))))
        typeHits.add(`${t.layer}\u0000${t.value}`);
    const layers = this.doc.layers;
    // Keep only the best `limit` while scanning (a bounded sorted list): a query like "pipe"
    // matches 35k ids, and sorting them all would cost more than the scan.
    const top: Array<[number, number]> = [];
    const key = (i: number) => this.names[i] || this.ids[i];
    const better = (a: [number, number], b: [number, number]) =>
      a[1] !== b[1]
        ? a[1] > b[1]
        : key(a[0]).length !== key(b[0]).length
          ? key(a[0]).length < key(b[0]).length
          : this.ids[a[0]] < this.ids[b[0]];
    const offer = (c: [number, number]) => {
      if (top.length >= limit && !better(c, top[top.length - 1])) return;
      let lo = 0,
        hi = top.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (better(c, top[mid])) hi = mid;
        else lo = mid + 1;
      }
      top.splice(lo, 0, c);
      if (top.length > limit) top.pop();
    };
    for (let i = 0; i < this.size; i++) {
      let s = 0;
      const nl = this.namesLower[i];
      const id = this.idsLower[i];
      if (id === q) s = 100;
      else if (nl) {
        if (nl === q) s = 95;
        else if (nl.startsWith(q)) s = 85;
        else {
          const k = nl.indexOf(q);
          if (k >= 0) s = 65 - Math.min(10, k);
        }
      }
      if (s < 75 && q.length >= 3 && id.startsWith(q)) s = 75;
      if (s < 60 && ascii) {
        const py = this.py[i];
        const full = this.full[i];
        const en = this.en[i];
        if (py && py.startsWith(qNoSpace)) s = 60;
        else if (full && full.startsWith(qNoSpace)) s = 58;
        else if (en && en.startsWith(q)) s = 56;
        else if (
          (py && qNoSpace.length >= 2 && py.includes(qNoSpace)) ||
          (full && qNoSpace.length >= 3 && full.includes(qNoSpace)) ||
          (en && q.length >= 3 && en.includes(q))
        )
          s = 45;
      }
      if (s < 35 && q.length >= 4 && id.includes(q)) s = 35;
      if (s < 20 && typeHits.size && this.types[i] && typeHits.has(`${layers[this.layer[i]]}\u0000${this.types[i]}`)) s = 20;
      if (s > 0) offer([i, s]);
    }
    const groups = new Map<string, SearchGroup>();
    for (const [i, score] of top) {
      const layer = layers[this.layer[i]];
      let g = groups.get(layer);
      if (!g) groups.set(layer, (g = { layer, results: [] }));
      g.results.push({
        layer,
        id: this.ids[i],
        ...(this.names[i] ? { name: this.names[i] } : {}),
        ...(this.types[i] ? { type: this.types[i] } : {}),
        score,
        lon: this.lon[i],
        lat: this.lat[i],
      });
    }
    return [...groups.values()];
  }

  /** The entry of a feature id (for select=layer:id when the layer's data is not loaded). */
  find(layerId: string, featureId: string): SearchResult | undefined {
    const li = this.doc.layers.indexOf(layerId);
    for (let i = 0; i < this.size; i++)
      if (this.layer[i] === li && this.ids[i] === featureId)
        return { layer: layerId, id: featureId, name: this.names[i] || undefined, score: 100, lon: this.lon[i], lat: this.lat[i] };
    return undefined;
  }
}
