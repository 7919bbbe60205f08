// The cockpit's "filtered" figures (issue 8 §5): when an attribute filter is active on a layer a
// KPI or chart reads, the cockpit worker recomputes those figures over the features the filter
// keeps, with the same calculators, and the panels show them beside the full figures.
import { affectedFigures, filtersByName, type NamedFilters } from "../domain/inspector/figures";
import { filtersKey, inspectorOf, setFilteredFigures } from "../domain/inspector/state";
import { M, messageOf } from "../domain/messages";
import type { CockpitRequest, CockpitResponse } from "./cockpit.worker";
import { cockpitUrls } from "./cockpitUrls";
import type { Manifests } from "./manifests";
import type { Store } from "./store";

/**
 * The filters in effect now, by city layer name, with their key, when some KPI or chart reads a
 * filtered layer: the full cockpit run answers these too, from the layers it reads anyway.
 */
export function filtersForFullRun(store: Store, m: Manifests): { named: NamedFilters; key: string } | undefined {
  const s = store.get();
  const ins = inspectorOf(s);
  const named = filtersByName(s.catalog.layers, ins.filters, s.roleSwaps);
  if (!Object.keys(named).length) return undefined;
  const affected = affectedFigures(m.kpis, m.charts, named);
  if (!affected.kpis.length && !affected.charts.length) return undefined;
  return { named, key: filtersKey(ins.filters) };
}

/** A "filtered" answer for `key`, kept only if those filters are still in effect. */
export function applyFiltered(store: Store, key: string, r: Extract<CockpitResponse, { type: "filtered" }>): void {
  if (filtersKey(inspectorOf(store.get()).filters) !== key) return;
  store.dispatch((x) => setFilteredFigures(x, { key, status: "ready", kpis: r.kpis, charts: r.charts }));
}

/** A slider drags through many filters: compute for the one the user stops at. */
const SETTLE_MS = 300;

/**
 * Starts (after a short settle) the computation for the filters in effect now, unless the
 * figures for them are already there. `enabled` is false until the full cockpit run has
 * finished: that run answers the filters in effect when it starts (filtersForFullRun), so
 * a second worker does not fetch and parse the same layers beside it. Returns a cancel
 * function for the effect's cleanup.
 */
export function startFilteredFigures(store: Store, m: Manifests, enabled: boolean): () => void {
  const s = store.get();
  const ins = inspectorOf(s);
  const named = filtersByName(s.catalog.layers, ins.filters, s.roleSwaps);
  const none = () => undefined;
  if (!Object.keys(named).length) {
    if (ins.figures) store.dispatch((x) => setFilteredFigures(x, undefined));
    return none;
  }
  const key = filtersKey(ins.filters);
  if (ins.figures?.key === key && ins.figures.status !== "computing") return none;
  const affected = affectedFigures(m.kpis, m.charts, named);
  if (!affected.kpis.length && !affected.charts.length) {
    store.dispatch((x) => setFilteredFigures(x, { key, status: "ready", kpis: {}, charts: {} }));
    return none;
  }
  store.dispatch((x) => setFilteredFigures(x, { key, status: "computing", kpis: {}, charts: {} }));
  if (!enabled) return none;
  let w: Worker | undefined;
  const current = () => filtersKey(inspectorOf(store.get()).filters) === key;
  const t = setTimeout(() => {
    w = new Worker(new URL("./cockpit.worker.ts", import.meta.url), { type: "module" });
    w.onmessage = (e: MessageEvent<CockpitResponse>) => {
      const r = e.data;
      if (r.type === "progress") return;
      if (current())
        store.dispatch((x) =>
          setFilteredFigures(
            x,
            r.type === "filtered"
              ? { key, status: "ready", kpis: r.kpis, charts: r.charts }
              : { key, status: "error", kpis: {}, charts: {}, error: r.type === "error" ? r.error : M.cockpitFailed(messageOf(r.type)) },
          ),
        );
      w?.terminate();
    };
    w.onerror = (e) => {
      if (current())
        store.dispatch((x) =>
          setFilteredFigures(x, { key, status: "error", kpis: {}, charts: {}, error: M.cockpitFailed({ zh: e.message, en: e.message }) }),
        );
    };
    const req: CockpitRequest = { manifest: m.kpis, charts: m.charts, urls: cockpitUrls(store.get(), m), filters: named };
    w.postMessage(req);
  }, SETTLE_MS);
  return () => {
    clearTimeout(t);
    w?.terminate();
  };
}
