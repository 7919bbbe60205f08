// `?catalog=<url>`: another city's manifests (catalog, views, KPIs, charts) from a folder or a
// catalog.json URL, validated like the built-in ones. Layer URLs in that catalog are relative
// to the catalog's folder (so a city folder can be copied anywhere), not to the app.
import type { Catalog } from "./catalog";

export interface CatalogSource {
  /** Folder the manifests are read from, ending in "/". */
  base: string;
  custom: boolean;
  /** Why the parameter was ignored. */
  problem?: string;
  /** A bundle zip (an export of 我的数据, or a city folder zipped): its URL. */
  zip?: string;
}

export function catalogSource(search: string, pageUrl: string, fallback = "data/"): CatalogSource {
  let v: string | null;
  try {
    v = new URLSearchParams(search).get("catalog");
  } catch {
    v = null;
  }
  if (v === null || v.trim() === "") return { base: fallback, custom: false };
  let u: URL;
  try {
    u = new URL(v.trim(), pageUrl);
  } catch {
    return { base: fallback, custom: false, problem: "not a URL" };
  }
  if (u.protocol !== "http:" && u.protocol !== "https:")
    return { base: fallback, custom: false, problem: `only http(s) URLs, got ${u.protocol}` };
  if (/\.zip$/i.test(u.pathname)) return { base: `${u.origin}${u.pathname.replace(/[^/]+$/, "")}`, custom: true, zip: u.href };
  const path = u.pathname.endsWith(".json") ? u.pathname.replace(/[^/]+$/, "") : u.pathname.endsWith("/") ? u.pathname : `${u.pathname}/`;
  return { base: `${u.origin}${path}`, custom: true };
}

/** Resolves kpis.json `sources` (layers the KPIs read but the catalog does not draw) against the folder. */
export function relocateSources(sources: Record<string, string>, base: string): Record<string, string> {
  return Object.fromEntries(Object.entries(sources).map(([name, url]) => [name, new URL(url, base).href]));
}

/** Resolves the catalog's layer URLs against its folder (analysis: URLs stay as they are). */
export function relocateCatalog(c: Catalog, base: string): Catalog {
  const abs = (url: string) => (/^analysis:/.test(url) ? url : new URL(url, base).href);
  return { ...c, layers: c.layers.map((l) => ({ ...l, url: abs(l.url), ...(l.features ? { features: abs(l.features) } : {}) })) };
}
