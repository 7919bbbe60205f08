// "Filtered" figures for the cockpit: the KPIs and charts recomputed over the features an
// attribute filter keeps, by the same calculators and the same aggregation as the full figures.
// Pure: which figures a set of filters touches, which layers they need, and the computation.
import type { Feature, FeatureCollection } from "geojson";
import type { LayerSpec } from "../catalog";
import { aggregate, type ChartData, type ChartSpec } from "../charts";
import { computeKpis, type CityData, type KpiManifest, type KpiValue } from "../kpi";
import { layersForCalculator } from "../kpiLayers";
import { isEmptyFilter, matchesFilter, type LayerFilter } from "./filter";

/** City layer name (a role the calculators read, or a catalog layer id a chart reads) → filter. */
export type NamedFilters = Record<string, LayerFilter>;

/**
 * The inspector keys filters by catalog layer id; the calculators read layers by role. A filter
 * on a layer applies under its id and under its role, unless that role reads another layer
 * (an imported layer swapped in for it, in which case the imported layer's filter applies).
 */
export function filtersByName(
  layers: ReadonlyArray<Pick<LayerSpec, "id" | "role">>,
  filters: Record<string, LayerFilter>,
  roleSwaps: Record<string, { layerId: string }> = {},
): NamedFilters {
  const out: NamedFilters = {};
  for (const [id, f] of Object.entries(filters)) {
    if (isEmptyFilter(f)) continue;
    out[id] = f;
    const role = layers.find((l) => l.id === id)?.role;
    if (role && (!roleSwaps[role] || roleSwaps[role].layerId === id)) out[role] = f;
    for (const [r, sw] of Object.entries(roleSwaps)) if (sw.layerId === id) out[r] = f;
  }
  return out;
}

/** The KPIs and charts that read at least one filtered layer. */
export function affectedFigures(
  manifest: Pick<KpiManifest, "kpis">,
  charts: ReadonlyArray<Pick<ChartSpec, "id" | "layers">>,
  filtered: NamedFilters,
): { kpis: string[]; charts: string[] } {
  const names = new Set(Object.keys(filtered));
  return {
    kpis: manifest.kpis.filter((k) => layersForCalculator(k.calculator).some((l) => names.has(l))).map((k) => k.id),
    charts: charts.filter((c) => c.layers.some((l) => names.has(l))).map((c) => c.id),
  };
}

/** Every layer the affected figures read (filtered or not: a KPI over four networks needs all four). */
export function layersNeeded(
  manifest: Pick<KpiManifest, "kpis">,
  charts: ReadonlyArray<Pick<ChartSpec, "id" | "layers">>,
  affected: { kpis: string[]; charts: string[] },
): string[] {
  const out = new Set<string>();
  for (const k of manifest.kpis) if (affected.kpis.includes(k.id)) for (const l of layersForCalculator(k.calculator)) out.add(l);
  for (const c of charts) if (affected.charts.includes(c.id)) for (const l of c.layers) out.add(l);
  return [...out];
}

/** The city with each filtered layer reduced to the features its filter keeps (others as they are). */
export function filterCity(city: Record<string, FeatureCollection | undefined>, filtered: NamedFilters): Record<string, FeatureCollection> {
  const out: Record<string, FeatureCollection> = {};
  for (const [name, fc] of Object.entries(city)) {
    if (!fc) continue;
    const f = filtered[name];
    out[name] = f ? { ...fc, features: fc.features.filter((x) => matchesFilter(f, x.properties ?? undefined)) } : fc;
  }
  return out;
}

export interface FilteredFigures {
  kpis: Record<string, KpiValue>;
  charts: Record<string, ChartData>;
}

/** The affected KPIs and charts computed over the filtered city, by the cockpit's own calculators. */
export function computeFilteredFigures(
  city: Record<string, FeatureCollection | undefined>,
  manifest: KpiManifest,
  charts: readonly ChartSpec[],
  filtered: NamedFilters,
): FilteredFigures {
  const affected = affectedFigures(manifest, charts, filtered);
  const reduced = filterCity(city, filtered);
  const kpis = affected.kpis.length ? computeKpis(reduced as CityData, { manifest, only: affected.kpis }) : {};
  const chartData: Record<string, ChartData> = {};
  for (const c of charts)
    if (affected.charts.includes(c.id))
      chartData[c.id] = aggregate(
        c,
        c.layers.flatMap((l): Feature[] => reduced[l]?.features ?? []),
      );
  return { kpis, charts: chartData };
}
