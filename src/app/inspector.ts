// The inspector's app side: one data service (layer data loaded once through the parsing
// worker, the search index, the excavation index) and the actions the UI and window.warmcity
// share: search, filter, excavate, select, measure, export.
import type { Catalog, LayerSpec } from "../domain/catalog";
import type { ParsedLayer } from "../domain/geojson";
import { userMessage, UserError } from "../domain/inspector/errors";
import { buildPitIndex, excavate as excavatePit, type HitRow, type PitIndex } from "../domain/inspector/excavation";
import { featuresCsv, featuresGeoJson, hitListCsv, hitListGeoJson } from "../domain/inspector/export";
import { countMatches, matchesFilter, validateFilter } from "../domain/inspector/filter";
import type { FieldSpec } from "../domain/inspector/fields";
import { measureArea, measureDistance } from "../domain/inspector/measure";
import { SearchIndex, type SearchDoc, type SearchGroup, type TypeLabels } from "../domain/inspector/search";
import {
  addMeasurement,
  inspectorOf,
  setExcavation,
  setFilter,
  setFilterCount,
  setInspectorMessage,
  setTool,
  type Tool,
} from "../domain/inspector/state";
import { addNotice, select, setLayerVisible, type PickedFeature } from "../domain/state";
import type { SceneApi } from "../cesium/CesiumView";
import type { Store } from "./store";

type Loader = (spec: LayerSpec, onProgress: (p: number) => void) => Promise<ParsedLayer>;

export function fieldsOf(catalog: Catalog, layerId: string): FieldSpec[] | undefined {
  const spec = catalog.layers.find((l) => l.id === layerId);
  return spec?.fields ? catalog.fields?.[spec.fields] : undefined;
}

/**
 * `sceneReady` gates what only the panels need (a share link's filter counts): a layer's
 * GeoJSON that the scene does not draw is not read before the scene is ready.
 */
export function createInspector(
  store: Store,
  catalog: Catalog,
  load: Loader,
  getScene: () => SceneApi | undefined,
  sceneReady: Promise<void> = Promise.resolve(),
) {
  const cache = new Map<string, Promise<ParsedLayer | undefined>>();
  const specs = new Map(catalog.layers.map((l) => [l.id, l]));

  function data(layerId: string): Promise<ParsedLayer | undefined> {
    let p = cache.get(layerId);
    if (!p) {
      const spec = specs.get(layerId);
      if (!spec) return Promise.resolve(undefined);
      const src: LayerSpec | undefined =
        spec.kind === "3dtiles" ? (spec.features ? { ...spec, kind: "polygon", url: spec.features } : undefined) : spec;
      p = src
        ? load(src, () => {}).then((d) => {
            getScene()?.inspector?.remember(layerId, d);
            return d;
          })
        : Promise.resolve(undefined);
      p.catch(() => cache.delete(layerId));
      cache.set(layerId, p);
    }
    return p;
  }

  // ------------------------------------------------------------ search
  let searchP: Promise<SearchIndex> | undefined;
  function searchIndex(): Promise<SearchIndex> {
    if (!searchP) {
      const cityDir = catalog.layers.find((l) => l.id === "landuse")?.url.replace(/[^/]+$/, "") ?? "generated/city/";
      const types: TypeLabels[] = [];
      for (const l of catalog.layers) {
        const fs = l.fields ? catalog.fields?.[l.fields] : undefined;
        for (const f of fs ?? [])
          for (const [value, label] of Object.entries(f.values ?? {}))
            if (f.filterable && f.name !== "district") types.push({ layer: l.id, value, labels: [label.zh, label.en] });
      }
      searchP = fetch(new URL(`${cityDir}search-index.json`, document.baseURI).href)
        .then((r) => {
          if (!r.ok) throw new Error(`search index: HTTP ${r.status}`);
          return r.json() as Promise<SearchDoc>;
        })
        .then((doc) => new SearchIndex(doc, types));
      searchP.catch(() => (searchP = undefined));
    }
    return searchP;
  }
  async function search(q: string): Promise<SearchGroup[]> {
    const idx = await searchIndex();
    return idx.search(String(q ?? ""));
  }

  // ------------------------------------------------------------ filters
  async function applyFilter(layerId: string, raw: unknown): Promise<{ matched: number; total: number }> {
    const spec = specs.get(layerId);
    if (!spec) throw new UserError(`没有图层“${layerId}”`, `no layer "${layerId}"`);
    const filter = validateFilter(fieldsOf(catalog, layerId), raw);
    store.dispatch((s) => setFilter(s, layerId, filter));
    const d = await data(layerId);
    const count = d ? { matched: countMatches(d.props, filter), total: d.props.length } : { matched: NaN, total: NaN };
    if (!Object.keys(filter).length) store.dispatch((s) => setFilterCount(s, layerId, undefined));
    else store.dispatch((s) => setFilterCount(s, layerId, count));
    // A filter that matches again (or none) takes back the "matches nothing" message.
    if (count.matched !== 0 && inspectorOf(store.get()).message?.where === "filter")
      store.dispatch((s) => setInspectorMessage(s, undefined));
    if (count.matched === 0)
      store.dispatch((s) =>
        setInspectorMessage(s, {
          where: "filter",
          zh: `“${spec.title.zh}”没有符合筛选条件的要素`,
          en: `no feature of “${spec.title.en}” matches the filter`,
        }),
      );
    return count;
  }

  // Filters set without their counts (a share link's filter=, a tour step): count them from the data.
  const counting = new Map<string, string>();
  store.subscribe(() => {
    const ins = inspectorOf(store.get());
    for (const [id, f] of Object.entries(ins.filters)) {
      const key = JSON.stringify(f);
      if (ins.filterCounts[id] || counting.get(id) === key) continue;
      counting.set(id, key);
      const stillWanted = () => {
        const now = inspectorOf(store.get());
        return JSON.stringify(now.filters[id]) === key && !now.filterCounts[id];
      };
      sceneReady
        .then(() => data(id))
        .then(
          (d) => {
            if (counting.get(id) === key) counting.delete(id);
            if (d && stillWanted())
              store.dispatch((s) => setFilterCount(s, id, { matched: countMatches(d.props, f), total: d.props.length }));
          },
          () => counting.delete(id),
        );
    }
  });

  // ------------------------------------------------------------ excavation
  let pitIndexP: Promise<PitIndex> | undefined;
  function pitIndex(): Promise<PitIndex> {
    pitIndexP ??= Promise.all(
      catalog.layers.filter((l) => l.underground).map(async (l) => ({ layerId: l.id, data: await data(l.id) })),
    ).then((srcs) => buildPitIndex(srcs.filter((s): s is { layerId: string; data: ParsedLayer } => !!s.data)));
    pitIndexP.catch(() => (pitIndexP = undefined));
    return pitIndexP;
  }
  async function excavate(polygon: unknown, depthM?: unknown): Promise<HitRow[]> {
    const depth = depthM ?? inspectorOf(store.get()).pitDepthM;
    const idx = await pitIndex();
    try {
      const t0 = performance.now();
      const { pit, rows } = excavatePit(idx, polygon, depth);
      lastExcavationMs = performance.now() - t0;
      store.dispatch((s) =>
        setInspectorMessage(setExcavation(s, { ring: pit.ring, depthM: pit.depthM, areaM2: pit.areaM2, rows }), undefined),
      );
      return rows;
    } catch (e) {
      const m = e instanceof UserError ? e : new UserError(String((e as Error).message), String((e as Error).message));
      store.dispatch((s) => setInspectorMessage(s, { where: "excavation", zh: m.zh, en: m.en }));
      throw e;
    }
  }
  let lastExcavationMs = NaN;

  // ------------------------------------------------------------ selection
  async function selectFeature(layerId: string, featureId: string, fly = true): Promise<PickedFeature | undefined> {
    const spec = specs.get(layerId);
    const fail = (zh: string, en: string) => {
      store.dispatch((s) => addNotice(setInspectorMessage(s, { where: "select", zh, en }), "warn", { zh, en }));
      return undefined;
    };
    if (!spec) return fail(`没有图层“${layerId}”`, `no layer "${layerId}"`);
    // pickable: false layers (the tree canopy) are looked through by clicks, and not selectable here either.
    if (!spec.pickable) return fail(`图层“${spec.title.zh}”不可选取`, `layer “${spec.title.en}” cannot be selected`);
    const d = await data(layerId);
    const index = d ? d.ids.indexOf(String(featureId)) : -1;
    if (!d || index < 0)
      return fail(`图层“${spec.title.zh}”中没有编号为“${featureId}”的要素`, `layer “${spec.title.en}” has no feature “${featureId}”`);
    const picked: PickedFeature = { layerId, featureId: d.ids[index], properties: d.props[index] };
    if (!store.get().layers[layerId]?.visible) store.dispatch((s) => setLayerVisible(s, layerId, true));
    store.dispatch((s) => select(s, picked));
    if (fly) {
      const [lon, lat] = centre(d, index);
      const h = Number(d.props[index].heightM);
      await getScene()?.inspector?.lookAt(lon, lat, spec.underground ? 150 : 500, Number.isFinite(h) ? h : 0);
    }
    return picked;
  }

  /** Draws the selection marker for whatever is selected (from a click, the URL, a search …). */
  async function markSelection(sel: PickedFeature | undefined) {
    const sc = getScene()?.inspector;
    if (!sc) return;
    if (!sel) return sc.showSelection(undefined);
    const d = await data(sel.layerId);
    const index = d ? d.ids.indexOf(sel.featureId) : -1;
    if (!d || index < 0) return sc.showSelection(undefined);
    if (store.get().selection?.featureId !== sel.featureId) return;
    const h = Number(d.props[index].heightM);
    sc.showSelection({ layerId: sel.layerId, index, data: d, heightM: Number.isFinite(h) ? h : undefined });
  }

  // ------------------------------------------------------------ tools
  async function toolDone(tool: Tool, points: Array<[number, number, number]>) {
    try {
      if (tool === "excavate-rect" || tool === "excavate-poly") {
        await excavate(points.map((p) => [p[0], p[1]]));
        store.dispatch((s) => setTool(s, undefined));
        return;
      }
      if (tool === "distance") {
        const r = measureDistance(points.map((p) => [p[0], p[1]]));
        store.dispatch((s) => addMeasurement(s, { kind: "distance", points, value: r.totalM, legsM: r.legsM }));
      } else if (tool === "area") {
        const r = measureArea(points.map((p) => [p[0], p[1]]));
        store.dispatch((s) => addMeasurement(s, { kind: "area", points, value: r.areaM2 }));
      } else {
        const p = points[0];
        const value = tool === "height" ? Math.max(0, p[2]) : Math.max(0, -p[2]);
        store.dispatch((s) => addMeasurement(s, { kind: tool, points: [[p[0], p[1], 0], p], value }));
      }
    } catch (e) {
      store.dispatch((s) =>
        setInspectorMessage(setTool(s, undefined), {
          where: tool.startsWith("excavate") ? "excavation" : "measure",
          zh: userMessage(e, "zh"),
          en: userMessage(e, "en"),
        }),
      );
    }
  }

  // ------------------------------------------------------------ export
  function download(name: string, text: string, type: string) {
    const a = document.createElement("a");
    a.href = URL.createObjectURL(new Blob([text], { type }));
    a.download = name;
    document.body.appendChild(a);
    a.click();
    setTimeout(() => {
      URL.revokeObjectURL(a.href);
      a.remove();
    }, 1000);
  }
  async function exportText(what: "selection" | "filter" | "excavation", format: "csv" | "geojson", layerId?: string): Promise<string> {
    const s = store.get();
    const ins = inspectorOf(s);
    if (what === "excavation") {
      const ex = ins.excavation;
      if (!ex) throw new UserError("还没有开挖", "there is no excavation to export");
      return format === "csv" ? hitListCsv(ex.rows, fieldsOf(catalog, "pipes-gas"), s.lang) : hitListGeoJson(ex.rows, ex.ring, ex.depthM);
    }
    const id = what === "selection" ? s.selection?.layerId : layerId;
    if (!id)
      throw new UserError(
        what === "selection" ? "没有选中的要素" : "请指定图层",
        what === "selection" ? "nothing is selected" : "which layer?",
      );
    const d = await data(id);
    if (!d) throw new UserError("该图层没有可导出的数据", "this layer has no exportable data");
    const indices: number[] = [];
    if (what === "selection") {
      const i = d.ids.indexOf(s.selection!.featureId);
      if (i >= 0) indices.push(i);
    } else {
      const f = ins.filters[id];
      for (let i = 0; i < d.props.length; i++) if (matchesFilter(f, d.props[i])) indices.push(i);
    }
    return format === "csv"
      ? featuresCsv(
          fieldsOf(catalog, id),
          indices.map((i) => d.props[i]),
          s.lang,
        )
      : featuresGeoJson(d, indices);
  }
  async function exportFile(what: "selection" | "filter" | "excavation", format: "csv" | "geojson", layerId?: string) {
    try {
      const text = await exportText(what, format, layerId);
      const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, "");
      download(
        `warmcity-${what}${layerId ? `-${layerId}` : ""}-${stamp}.${format}`,
        text,
        format === "csv" ? "text/csv;charset=utf-8" : "application/geo+json",
      );
      return text;
    } catch (e) {
      store.dispatch((s) => addNotice(s, "warn", { zh: userMessage(e, "zh"), en: userMessage(e, "en") }));
      throw e;
    }
  }
  async function exportPng(): Promise<string> {
    const url = await getScene()?.inspector?.png();
    if (!url) throw new Error("scene not ready");
    const a = document.createElement("a");
    a.href = url;
    a.download = `warmcity-view-${new Date().toISOString().slice(0, 19).replace(/[:T]/g, "")}.png`;
    document.body.appendChild(a);
    a.click();
    a.remove();
    return url;
  }

  return {
    data,
    search,
    searchIndex,
    applyFilter,
    excavate,
    pitIndex,
    selectFeature,
    markSelection,
    toolDone,
    exportText,
    exportFile,
    exportPng,
    lastExcavationMs: () => lastExcavationMs,
  };
}

export type InspectorService = ReturnType<typeof createInspector>;

function centre(d: ParsedLayer, index: number): [number, number] {
  if (d.kind === "point") return [d.coords[2 * index], d.coords[2 * index + 1]];
  let x = 0,
    y = 0,
    n = 0;
  for (let k = 0; k < d.parts.length; k += 3) {
    if (d.parts[k] !== index) continue;
    const start = d.parts[k + 1];
    const count = d.kind === "line" ? d.parts[k + 2] : d.rings![0] !== undefined ? ringLen(d, k) : 0;
    for (let i = start; i < start + count; i++) {
      x += d.coords[2 * i];
      y += d.coords[2 * i + 1];
      n++;
    }
    break;
  }
  return n ? [x / n, y / n] : [0, 0];
}
function ringLen(d: ParsedLayer, k: number): number {
  let r = 0;
  for (let j = 0; j < k; j += 3) r += d.parts[j + 2];
  return d.rings![r];
}
