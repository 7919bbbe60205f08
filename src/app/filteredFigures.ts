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

/** The filters in effect now, by city layer name, their key, and the figures they affect (none when no filter is on). */
function filtersInEffect(store: Store, m: Manifests) {
  const s = store.get();
  const ins = inspectorOf(s);
  const named = filtersByName(s.catalog.layers, ins.filters, s.roleSwaps);
  const affected = Object.keys(named).length ? affectedFigures(m.kpis, m.charts, named) : undefined;
  return { ins, named, key: filtersKey(ins.filters), affected };
}

/**
 * The filters in effect now, by city layer name, with their key, when some KPI or chart reads a
 * filtered layer: the full cockpit run answers these too, from the layers it reads anyway.
 */
export function filtersForFullRun(store: Store, m: Manifests): { named: NamedFilters; key: string } | undefined {
  const { named, key, affected } = filtersInEffect(store, m);
  if (!affected || (!affected.kpis.length && !affected.charts.length)) return undefined;
  return { named, key };
}

const stillInEffect = (store: Store, key: string) => filtersKey(inspectorOf(store.get()).filters) === key;

/** A "filtered" answer for `key`, kept only if those filters are still in effect. */
export function applyFiltered(store: Store, key: string, r: Extract<CockpitResponse, { type: "filtered" }>): void {
  if (!stillInEffect(store, key)) return;
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
  const { ins, named, key, affected } = filtersInEffect(store, m);
  const none = () => undefined;
  if (!affected) {
    if (ins.figures) store.dispatch((x) => setFilteredFigures(x, undefined));
    return none;
  }
  if (ins.figures?.key === key && ins.figures.status !== "computing") return none;
  if (!affected.kpis.length && !affected.charts.length) {
    store.dispatch((x) => setFilteredFigures(x, { key, status: "ready", kpis: {}, charts: {} }));
    return none;
  }
  store.dispatch((x) => setFilteredFigures(x, { key, status: "computing", kpis: {}, charts: {} }));
  if (!enabled) return none;
  let w: Worker | undefined;
  const t = setTimeout(() => {
    w = new Worker(new URL("./cockpit.worker.ts", import.meta.url), { type: "module" });
    w.onmessage = (e: MessageEvent<CockpitResponse>) => {
      const r = e.data;
      if (r.type === "progress") return;
      if (r.type === "filtered") applyFiltered(store, key, r);
      else if (stillInEffect(store, key))
        store.dispatch((x) =>
          setFilteredFigures(x, {
            key,
            status: "error",
            kpis: {},
            charts: {},
            error: r.type === "error" ? r.error : M.cockpitFailed(messageOf(r.type)),
          }),
        );
      w?.terminate();
    };
    w.onerror = (e) => {
      if (stillInEffect(store, key))
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
