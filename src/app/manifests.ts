// Loads and validates every manifest the app runs on. They are fetched at run time (from
// data/, copied next to the built app) so an integrator can edit them without rebuilding;
// a bad one stops the app with an error screen naming the file and the field.
import { ManifestError, validateCatalog, type Catalog } from "../domain/catalog";
import { validateCharts, type ChartSpec } from "../domain/charts";
import { validateKpiManifest, CALCULATORS, type KpiManifest } from "../domain/kpi";
import { validateTours, type ToursManifest } from "../domain/tours";
import { validateViews, type ViewsManifest } from "../domain/views";

export interface Manifests {
  catalog: Catalog;
  kpis: KpiManifest;
  charts: ChartSpec[];
  views: ViewsManifest;
  tours: ToursManifest;
}

/** Returned for an optional manifest that is not there (HTTP 404). */
const ABSENT = Symbol("absent");

async function fetchJson(url: string, optional = false): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(url);
  } catch (e) {
    throw new ManifestError(url, "(file)", `cannot be fetched: ${(e as Error).message}`);
  }
  if (optional && res.status === 404) return ABSENT;
  if (!res.ok) throw new ManifestError(url, "(file)", `HTTP ${res.status}`);
  const text = await res.text();
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ManifestError(url, "(file)", `not valid JSON: ${(e as Error).message}`);
  }
}

export async function loadManifests(base = "data/"): Promise<Manifests> {
  const [c, k, ch, v, t] = await Promise.all(
    ["catalog.json", "kpis.json", "charts.json", "views.json", "tours.json"].map((f) => fetchJson(base + f, f === "tours.json")),
  );
  const catalog = validateCatalog(c, `${base}catalog.json`);
  const kpis = validateKpiManifest(k, `${base}kpis.json`, Object.keys(CALCULATORS));
  const charts = validateCharts(ch, `${base}charts.json`);
  const views = validateViews(v, `${base}views.json`, catalog, {
    kpis: new Set(kpis.kpis.map((x) => x.id)),
    charts: new Set(charts.map((x) => x.id)),
  });
  // Tours are checked for structure here; what they name (views, layers, KPIs, features) is
  // checked when a step plays, and a step that names something missing is skipped, not fatal.
  // A city without tours (another city's catalog= folder) has none to play; a tours.json that is
  // there but broken is still an error.
  const tours: ToursManifest = t === ABSENT ? { version: 1, tours: [] } : validateTours(t, `${base}tours.json`);
  return { catalog, kpis, charts, views, tours };
}
