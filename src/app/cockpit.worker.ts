// Computes the cockpit: loads the city layers the KPIs and charts need, runs the pure
// calculators and aggregations from src/domain, posts plain results. Off the main thread so
// the scene keeps rendering while 30k buildings and 5 pipe networks are crunched.
import type { FeatureCollection } from "geojson";
import { aggregate, type ChartSpec } from "../domain/charts";
import { parseGeoJsonText } from "../domain/geojson";
import { computeKpis, type CityData, type KpiManifest } from "../domain/kpi";
import { ANALYSIS_INPUT_LAYERS, layersForCalculator } from "../domain/kpiLayers";
import type { CockpitState, KpiResult } from "../domain/state";
import type { I18n } from "../domain/catalog";
import { M, MessageError, messageOf } from "../domain/messages";
import { runAnalyses } from "../domain/analysisLayers";
import { affectedFigures, computeFilteredFigures, layersNeeded, type NamedFilters } from "../domain/inspector/figures";

export interface CockpitRequest {
  manifest: KpiManifest;
  charts: ChartSpec[];
  /** Absolute URL per city layer name. */
  urls: Record<string, string>;
  /**
   * "Filtered" mode (issue 8): recompute only the KPIs and charts that read a filtered layer,
   * over the features the filters keep (by city layer name), and answer with "filtered".
   */
  filters?: NamedFilters;
  /**
   * Full mode only: the filters in effect when the run starts. The same run then also answers
   * "filtered" (before "done") from the layers it has read anyway, so a share link's filter=
   * does not make a second worker fetch and parse the same files.
   */
  alsoFiltered?: NamedFilters;
}
export type CockpitResponse =
  | { type: "progress"; progress: number; step: string }
  | {
      type: "done";
      kpis: CockpitState["kpis"];
      charts: CockpitState["charts"];
      analyses: CockpitState["analyses"];
      /** Result layers as GeoJSON text, served to the scene through blob: URLs. */
      layers: Record<string, string>;
      computeMs: number;
    }
  | {
      type: "filtered";
      kpis: CockpitState["kpis"];
      charts: CockpitState["charts"];
    }
  | { type: "error"; error: I18n };

/** "layer: why; layer: why" in both languages. */
function failedLayers(layers: string[], failed: Record<string, I18n>): I18n {
  const each = layers.map((l) => M.kpiLayerFailed(l, failed[l]));
  return { zh: each.map((m) => m.zh).join("；"), en: each.map((m) => m.en).join("; ") };
}

/** The KPIs and charts that read a filtered layer, over the features the filters keep. */
function filteredResponse(
  city: Record<string, FeatureCollection>,
  failed: Record<string, I18n>,
  manifest: KpiManifest,
  charts: ChartSpec[],
  filters: NamedFilters,
): CockpitResponse {
  const r = computeFilteredFigures(city, manifest, charts, filters);
  const kpis: Record<string, KpiResult> = {};
  for (const [id, v] of Object.entries(r.kpis)) {
    const k = manifest.kpis.find((x) => x.id === id)!;
    const bad = layersForCalculator(k.calculator).filter((l) => failed[l]);
    kpis[id] = bad.length
      ? { value: NaN, unit: k.unit, missing: failedLayers(bad, failed) }
      : Number.isFinite(v.value)
        ? { value: v.value, unit: v.unit }
        : { value: NaN, unit: k.unit, missing: M.kpiNotComputable() };
  }
  const chartData: CockpitState["charts"] = {};
  for (const [id, d] of Object.entries(r.charts)) {
    const bad = charts.find((c) => c.id === id)!.layers.filter((l) => failed[l]);
    chartData[id] = bad.length ? { ...d, missing: failedLayers(bad, failed) } : d;
  }
  return { type: "filtered", kpis, charts: chartData };
}

const post = (m: CockpitResponse) => (self as unknown as Worker).postMessage(m);

self.onmessage = async (e: MessageEvent<CockpitRequest>) => {
  const { manifest, charts, urls, filters, alsoFiltered } = e.data;
  try {
    const needed = new Set<string>();
    if (filters) {
      for (const l of layersNeeded(manifest, charts, affectedFigures(manifest, charts, filters))) needed.add(l);
    } else {
      for (const k of manifest.kpis) for (const l of layersForCalculator(k.calculator)) needed.add(l);
      // The planning analyses read these too.
      for (const l of ANALYSIS_INPUT_LAYERS) needed.add(l);
      for (const c of charts) for (const l of c.layers) needed.add(l);
      if (alsoFiltered) for (const l of layersNeeded(manifest, charts, affectedFigures(manifest, charts, alsoFiltered))) needed.add(l);
    }
    const city: Record<string, FeatureCollection> = {};
    const failed: Record<string, I18n> = {};
    let done = 0;
    const names = [...needed];
    // Two at a time: enough to overlap network and parsing without doubling peak memory.
    const queue = [...names];
    const worker = async () => {
      for (let name = queue.shift(); name; name = queue.shift()) {
        const url = urls[name];
        // A role this city's catalog has no layer for is empty, as the calculators define it.
        if (!url) {
          done++;
          continue;
        }
        try {
          const res = await fetch(url);
          if (!res.ok) throw new MessageError(M.httpStatus(res.status));
          city[name] = parseGeoJsonText(await res.text()) as FeatureCollection;
        } catch (err) {
          failed[name] = messageOf(err, "读取失败");
        }
        done++;
        post({ type: "progress", progress: (0.8 * done) / names.length, step: name });
      }
    };
    await Promise.all([worker(), worker()]);
    if (filters) {
      post(filteredResponse(city, failed, manifest, charts, filters));
      return;
    }
    if (alsoFiltered && Object.keys(alsoFiltered).length) post(filteredResponse(city, failed, manifest, charts, alsoFiltered));
    const t0 = performance.now();
    post({ type: "progress", progress: 0.85, step: "kpis" });
    const values = computeKpis(city as CityData, { manifest });
    const kpis: Record<string, KpiResult> = {};
    for (const k of manifest.kpis) {
      const bad = layersForCalculator(k.calculator).filter((l) => failed[l]);
      const v = values[k.id];
      kpis[k.id] = bad.length
        ? { value: NaN, unit: k.unit, missing: failedLayers(bad, failed) }
        : !v || !Number.isFinite(v.value)
          ? { value: NaN, unit: k.unit, missing: M.kpiNotComputable() }
          : { value: v.value, unit: v.unit };
    }
    post({ type: "progress", progress: 0.95, step: "charts" });
    const chartData: CockpitState["charts"] = {};
    for (const c of charts) {
      const bad = c.layers.filter((l) => failed[l]);
      if (bad.length) {
        chartData[c.id] = { categories: [], series: [], totals: [], ungrouped: 0, missing: failedLayers(bad, failed) };
        continue;
      }
      chartData[c.id] = aggregate(
        c,
        c.layers.flatMap((l) => city[l]?.features ?? []),
      );
    }
    post({ type: "progress", progress: 0.97, step: "analyses" });
    let analyses: CockpitState["analyses"] = {};
    const layers: Record<string, string> = {};
    try {
      const r = runAnalyses(city as CityData, manifest.params.referenceYear);
      analyses = r.summary;
      for (const [id, fc] of Object.entries(r.layers)) layers[id] = JSON.stringify(fc);
    } catch (err) {
      analyses = { error: M.analysisFailed(messageOf(err)) };
    }
    post({ type: "done", kpis, charts: chartData, analyses, layers, computeMs: performance.now() - t0 });
  } catch (err) {
    post({ type: "error", error: M.cockpitFailed(messageOf(err)) });
  }
};
