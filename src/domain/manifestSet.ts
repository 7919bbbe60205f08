// The set of manifests a city is made of (catalog, KPIs, charts, views, tours), validated
// together: the one check shared by the built-in data/ folder, a catalog= folder, a catalog=
// zip bundle and `npm run import -- bundle.zip`.
import { validateCatalog, type Catalog } from "./catalog";
import { validateCharts, type ChartSpec } from "./charts";
import { validateKpiManifest, CALCULATORS, type KpiManifest } from "./kpi";
import { validateTours, type ToursManifest } from "./tours";
import { validateViews, type ViewsManifest } from "./views";

export interface Manifests {
  catalog: Catalog;
  kpis: KpiManifest;
  charts: ChartSpec[];
  views: ViewsManifest;
  tours: ToursManifest;
}

export const MANIFEST_FILES = ["catalog.json", "kpis.json", "charts.json", "views.json", "tours.json"] as const;

/** Parsed JSON of each manifest; `tours` undefined when the city has none. `base` prefixes file names in errors. */
export function validateManifests(
  raw: { catalog: unknown; kpis: unknown; charts: unknown; views: unknown; tours?: unknown },
  base: string,
): Manifests {
  const catalog = validateCatalog(raw.catalog, `${base}catalog.json`);
  const kpis = validateKpiManifest(raw.kpis, `${base}kpis.json`, Object.keys(CALCULATORS));
  const charts = validateCharts(raw.charts, `${base}charts.json`);
  const views = validateViews(raw.views, `${base}views.json`, catalog, {
    kpis: new Set(kpis.kpis.map((x) => x.id)),
    charts: new Set(charts.map((x) => x.id)),
  });
  // Tours are checked for structure here; what they name (views, layers, KPIs, features) is
  // checked when a step plays, and a step that names something missing is skipped, not fatal.
  // A city without tours (another city's catalog= folder) has none to play; a tours.json that is
  // there but broken is still an error.
  const tours: ToursManifest = raw.tours === undefined ? { version: 1, tours: [] } : validateTours(raw.tours, `${base}tours.json`);
  return { catalog, kpis, charts, views, tours };
}
