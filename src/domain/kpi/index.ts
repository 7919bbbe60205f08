// KPI maths for the cockpit and the generator's calibration. Pure: GeoJSON in, numbers out.

import { CALCULATOR_DEFS, CALCULATOR_LAYERS } from "../kpiLayers";
import type { KpiManifest } from "./manifest";
import { CITY_LAYERS, type Calculator, type CityData, type KpiOptions, type KpiValue } from "./types";

export * from "./types";
export * from "./manifest";
export * from "./calculators";
export { RegionClipper, areaM2, lengthKm } from "./geo";

/** Every calculator by name (manifests refer to these names), derived from CALCULATOR_DEFS. */
export const CALCULATORS: Readonly<Record<string, Calculator>> = Object.fromEntries(
  Object.entries(CALCULATOR_DEFS).map(([name, d]) => [name, d.fn]),
);

/** A calculator read a city layer that CALCULATOR_DEFS does not list for it: a programming error. */
export class UndeclaredLayerError extends Error {
  name = "UndeclaredLayerError";
}

/** The city as one calculator may see it: only the layers it declares. */
export function cityFor(city: CityData, calculator: string): CityData {
  const allowed = new Set<string>(CALCULATOR_LAYERS[calculator] ?? []);
  const layers = new Set<string>(CITY_LAYERS);
  return new Proxy(city, {
    get(target, prop, receiver) {
      if (typeof prop === "string" && layers.has(prop) && !allowed.has(prop))
        throw new UndeclaredLayerError(
          `KPI calculator "${calculator}" reads the "${prop}" layer but does not declare it in CALCULATOR_DEFS (src/domain/kpiLayers.ts)`,
        );
      return Reflect.get(target, prop, receiver);
    },
  });
}

export interface ComputeKpisOptions extends Partial<KpiOptions> {
  /** With a manifest: results are keyed by KPI id, each with its own params merged in. */
  manifest?: KpiManifest;
  /** Only these ids (manifest) or calculator names (no manifest). */
  only?: readonly string[];
}

/**
 * Computes KPIs. With a manifest, one entry per manifest KPI (keyed by its id); without, one
 * per calculator (keyed by its name). A calculator that throws on bad data yields NaN for that
 * KPI instead of failing the whole panel.
 */
export function computeKpis(city: CityData, opts: ComputeKpisOptions = {}): Record<string, KpiValue> {
  const { manifest, only, ...rest } = opts;
  const base: KpiOptions = {
    referenceYear: rest.referenceYear ?? manifest?.params.referenceYear ?? NaN,
    sinceYear: rest.sinceYear ?? manifest?.params.sinceYear ?? NaN,
    ...withoutUndefined(manifest?.params ?? {}),
    ...withoutUndefined(rest),
  };
  const jobs: Array<[string, string, Partial<KpiOptions>]> = manifest
    ? manifest.kpis.map((k) => [k.id, k.calculator, k.params ?? {}])
    : Object.keys(CALCULATORS).map((n) => [n, n, {}]);
  const out: Record<string, KpiValue> = {};
  for (const [id, name, params] of jobs) {
    if (only && !only.includes(id)) continue;
    const fn = CALCULATORS[name];
    if (!fn) {
      out[id] = { value: NaN, unit: "count" };
      continue;
    }
    try {
      out[id] = fn(cityFor(city, name), { ...base, ...withoutUndefined(params) });
    } catch (e) {
      if (e instanceof UndeclaredLayerError) throw e;
      out[id] = { value: NaN, unit: "count" };
    }
  }
  return out;
}

function withoutUndefined<T extends object>(o: T): Partial<T> {
  const r: Partial<T> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) (r as Record<string, unknown>)[k] = v;
  return r;
}
