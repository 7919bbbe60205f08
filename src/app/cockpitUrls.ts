// Where the cockpit worker reads each city layer, by catalog layer id and by role. One place
// for the full cockpit run and the "filtered" figures run (filteredFigures.ts).
import { swappedRoleUrls } from "../domain/imports";
import type { AppState } from "../domain/state";
import type { Manifests } from "./manifests";

export function cockpitUrls(s: AppState, m: Manifests): Record<string, string> {
  const urls: Record<string, string> = {};
  const abs = (u: string) => new URL(u, document.baseURI).href;
  for (const l of m.catalog.layers) if (l.kind !== "3dtiles") urls[l.id] = abs(l.url);
  // The calculators read layers by role (another city's catalog names its layers freely).
  for (const l of m.catalog.layers) if (l.role && l.kind !== "3dtiles") urls[l.role] = abs(l.url);
  // A 3D Tiles layer's features as GeoJSON (e.g. buildings brought in by npm run import).
  for (const l of m.catalog.layers) if (l.role && l.features) urls[l.role] = abs(l.features);
  // Roles swapped for imported data (我的数据) read the user's layer instead of the demo's.
  Object.assign(urls, swappedRoleUrls(s));
  // Layers the KPIs read that are not drawn (the built-up area; buildings, drawn as 3D Tiles)
  // come from kpis.json `sources`. A city that names none has them empty, like any role its
  // catalog has no layer for.
  for (const [name, url] of Object.entries(m.kpis.sources)) urls[name] ??= abs(url);
  return urls;
}
