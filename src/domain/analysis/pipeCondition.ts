// Pipe condition (管网年龄): segment length by age class per network, and the gas segments
// older than the limit that were never renewed (the seed's "gas pipes older than 20 years left
// unrenewed: 0"). Age is counted from renewalYear when the segment was renewed (by asOfYear),
// else from installYear. No pairs here, so no spatial index: lengths are planar in the local
// projection (same error bound as everywhere, ≤ 0.2 % at city scale).
import { currentYear } from "./common";
import { featureList, finiteNumber, idOf, planarLengthM, propsOf, rawFeature, Skips, type FeaturesInput, type Props } from "./features";
import { projectionForFeatures } from "./projection";
import type { AgeClass, PipeConditionOptions, PipeConditionResult, PipeNetworkCondition } from "./types";

export const AGE_CLASSES: readonly AgeClass[] = ["0-10", "10-20", "20-30", "30+"];
export const STANDARD_NETWORKS = ["gas", "water", "drainage", "heating", "reclaimed"] as const;

export function ageClassOf(ageYears: number): AgeClass {
  return ageYears < 10 ? "0-10" : ageYears < 20 ? "10-20" : ageYears < 30 ? "20-30" : "30+";
}

export interface PipeAttrs {
  network: string;
  installYear: number;
  /** Only when renewed by asOfYear. */
  renewalYear?: number;
  diameterMm?: number;
  depthM?: number;
}

/** Reads and checks a pipe's attributes; a string is the reason to skip it. */
export function pipeAttrs(p: Props, asOfYear: number): PipeAttrs | string {
  if (typeof p.network !== "string" || !p.network) return "missing network";
  if (!finiteNumber(p.installYear)) return "missing installYear";
  if (p.installYear > asOfYear) return "installed after asOfYear";
  const renewal = finiteNumber(p.renewalYear) && p.renewalYear <= asOfYear ? p.renewalYear : undefined;
  if (renewal !== undefined && renewal < p.installYear) return "renewalYear before installYear";
  return {
    network: p.network,
    installYear: p.installYear,
    renewalYear: renewal,
    diameterMm: finiteNumber(p.diameterMm) && p.diameterMm > 0 ? p.diameterMm : undefined,
    depthM: finiteNumber(p.depthM) ? p.depthM : undefined,
  };
}

export function resolvePipeConditionOptions(o: PipeConditionOptions): PipeConditionResult["options"] {
  return { asOfYear: o.asOfYear ?? currentYear(), gasAgeLimitYears: o.gasAgeLimitYears ?? 20 };
}

/** Accumulates segments into the result; shared with the naive version (which measures with turf). */
export class PipeConditionBuilder {
  private readonly nets = new Map<string, PipeNetworkCondition>();
  private readonly gas = { count: 0, lengthKm: 0, ids: [] as string[] };
  constructor(private readonly options: PipeConditionResult["options"]) {
    for (const n of STANDARD_NETWORKS) this.net(n);
  }
  private net(name: string): PipeNetworkCondition {
    let n = this.nets.get(name);
    if (!n) {
      n = {
        network: name,
        count: 0,
        lengthKm: 0,
        renewedCount: 0,
        renewedLengthKm: 0,
        byAge: AGE_CLASSES.map((ageClass) => ({ ageClass, count: 0, lengthKm: 0, ids: [] })),
      };
      this.nets.set(name, n);
    }
    return n;
  }
  add(id: string, a: PipeAttrs, lengthKm: number): void {
    const { asOfYear, gasAgeLimitYears } = this.options;
    const n = this.net(a.network);
    n.count++;
    n.lengthKm += lengthKm;
    if (a.renewalYear !== undefined) {
      n.renewedCount++;
      n.renewedLengthKm += lengthKm;
    }
    const age = asOfYear - (a.renewalYear ?? a.installYear);
    const bucket = n.byAge[AGE_CLASSES.indexOf(ageClassOf(age))];
    bucket.count++;
    bucket.lengthKm += lengthKm;
    bucket.ids.push(id);
    if (a.network === "gas" && a.renewalYear === undefined && asOfYear - a.installYear > gasAgeLimitYears) {
      this.gas.count++;
      this.gas.lengthKm += lengthKm;
      this.gas.ids.push(id);
    }
  }
  result(skipped: Skips): PipeConditionResult {
    const standard = new Set<string>(STANDARD_NETWORKS);
    const networks = [
      ...STANDARD_NETWORKS.map((n) => this.nets.get(n)!),
      ...[...this.nets.values()].filter((n) => !standard.has(n.network)).sort((a, b) => (a.network < b.network ? -1 : 1)),
    ];
    return {
      options: this.options,
      networks,
      totals: {
        count: networks.reduce((s, n) => s + n.count, 0),
        lengthKm: networks.reduce((s, n) => s + n.lengthKm, 0),
        byAge: AGE_CLASSES.map((ageClass, k) => ({
          ageClass,
          count: networks.reduce((s, n) => s + n.byAge[k].count, 0),
          lengthKm: networks.reduce((s, n) => s + n.byAge[k].lengthKm, 0),
        })),
      },
      gasOverAgeUnrenewed: this.gas,
      skipped: skipped.toJSON(),
    };
  }
}

/** @param pipes pipe segments of any networks (concatenate the pipes-<network> layers). */
export function pipeCondition(pipes: FeaturesInput, options: PipeConditionOptions = {}): PipeConditionResult {
  const o = resolvePipeConditionOptions(options);
  const proj = options.projection ?? projectionForFeatures(featureList(pipes));
  const skips = new Skips();
  const acc = new PipeConditionBuilder(o);
  featureList(pipes).forEach((f0, i) => {
    const f = rawFeature(f0);
    if (!f) return skips.skip("not a feature");
    const p = propsOf(f);
    const a = pipeAttrs(p, o.asOfYear);
    if (typeof a === "string") return skips.skip(a);
    const m = planarLengthM(f.geometry, proj);
    if (typeof m === "string") return skips.skip(m);
    acc.add(idOf(f, p, i), a, m / 1000);
  });
  return acc.result(skips);
}
