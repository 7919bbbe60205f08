// Loads and validates every manifest the app runs on. They are fetched at run time (from
// data/, copied next to the built app) so an integrator can edit them without rebuilding;
// a bad one stops the app with an error screen naming the file and the field.
import { ManifestError } from "../domain/catalog";
import { validateManifests, type Manifests } from "../domain/manifestSet";

export type { Manifests };

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
  return validateManifests({ catalog: c, kpis: k, charts: ch, views: v, tours: t === ABSENT ? undefined : t }, base);
}
