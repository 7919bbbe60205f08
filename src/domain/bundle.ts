// The export bundle: imported layers ("我的数据") with their settings and the current views,
// as a zip holding a city folder — catalog.json, views.json, kpis.json, charts.json and the
// data under data/ — that `?catalog=<url of the zip>` opens and `npm run import -- bundle.zip`
// takes in. The manifests are the project's own kind and are validated by the same code
// (manifestSet.ts) wherever the bundle is opened. Pure: bytes in, bytes out (fflate).
import { strFromU8, strToU8, unzipSync, zipSync } from "fflate";
import type { CameraView } from "./camera";
import { ManifestError, type CitySpec, type LayerSpec } from "./catalog";
import type { ChartSpec } from "./charts";
import type { KpiManifest } from "./kpi";
import { CALCULATOR_LAYERS } from "./kpiLayers";
import { MY_DATA_GROUP } from "./imports";
import { validateManifests, type Manifests } from "./manifestSet";
import type { ViewsManifest } from "./views";

export interface BundleLayer {
  spec: LayerSpec;
  visible: boolean;
  opacity: number;
  /** The role it stands in for (a role swap), if any. */
  role?: string;
  /** The converted GeoJSON (vector layers). A 3D Tiles layer keeps its URL. */
  text?: string;
}

export interface BundleInput {
  layers: BundleLayer[];
  /** The city of the catalog in use (the bundle is named after it). */
  city?: CitySpec;
  /** The views in use, the one shown, and where the camera is. */
  views: ViewsManifest;
  currentView?: string;
  camera?: CameraView;
  kpis: KpiManifest;
  charts: ChartSpec[];
  /** Demo (non-imported) catalog layer id → its role: a view naming it shows the swapped-in import. */
  demoRoles: Record<string, string>;
}

/** The view the bundle opens on: the layers and the camera at export. */
export const EXPORT_VIEW_ID = "export";

const dataPath = (id: string) => `data/${id}.geojson`;

/** The bundle's manifests and data files, by path (plain objects/strings: tested before zipping). */
export function bundleFiles(input: BundleInput): Record<string, string> {
  const roles = new Set(input.layers.map((l) => l.role).filter((r): r is string => !!r));
  const ids = new Set(input.layers.map((l) => l.spec.id));
  const importOfRole = new Map(input.layers.filter((l) => l.role).map((l) => [l.role!, l.spec.id]));

  const layers = input.layers.map((l) => {
    const s = l.spec;
    return {
      id: s.id,
      title: s.title,
      group: MY_DATA_GROUP.id,
      kind: s.kind,
      url: s.kind === "3dtiles" ? s.url : dataPath(s.id),
      visible: l.visible,
      pickable: s.pickable,
      style: { ...s.style, opacity: l.opacity },
      ...(s.nameProperty ? { nameProperty: s.nameProperty } : {}),
      ...(s.description ? { description: s.description } : {}),
      ...(s.source ? { source: s.source } : {}),
      ...(l.role ? { role: l.role } : {}),
    };
  });
  const n = layers.length;
  const catalog = {
    version: 1,
    city: {
      // Short (the title bar is one line at 1280 px); the city it was exported from goes underneath.
      name: { zh: "我的数据", en: "My data" },
      subtitle: {
        zh: `${input.city ? `${input.city.name.zh} · ` : ""}导出包 · ${n} 个导入图层`,
        en: `${input.city ? `${input.city.name.en} · ` : ""}exported bundle · ${n} imported layer${n === 1 ? "" : "s"}`,
      },
    },
    groups: [MY_DATA_GROUP],
    layers,
  };

  // KPIs and charts that the bundle's own roles can compute (a KPI whose inputs are not in the
  // bundle would count nothing: left out rather than shown as zero).
  const covered = (need: readonly string[]) => need.length > 0 && need.every((r) => roles.has(r));
  const kpiDefs = input.kpis.kpis.filter((k) => covered(CALCULATOR_LAYERS[k.calculator] ?? []));
  // A chart also needs the fields it groups by: an import without them would draw an empty chart.
  const propsOf = new Map<string, Set<string>>();
  for (const l of input.layers)
    if (l.role && l.text) {
      const keys = new Set<string>();
      try {
        for (const f of (JSON.parse(l.text) as { features?: Array<{ properties?: object | null }> }).features ?? [])
          Object.keys(f.properties ?? {}).forEach((k) => keys.add(k));
      } catch {
        // not JSON: no fields
      }
      propsOf.set(l.role, keys);
    }
  const hasField = (roles: string[], p: string | undefined) => !p || roles.some((r) => propsOf.get(r)?.has(p));
  const charts = input.charts.filter(
    (c) => covered(c.layers) && hasField(c.layers, c.groupBy.property) && hasField(c.layers, c.stackBy?.property),
  );
  const kpiIds = new Set(kpiDefs.map((k) => k.id));
  const chartIds = new Set(charts.map((c) => c.id));

  // Views: the one at export first (the bundle opens on it), then every view of the app that shows
  // one of the bundle's layers — a demo layer of a swapped role becomes the import, as in the app.
  const mapLayers = (list: string[]) => [
    ...new Set(
      list.flatMap((id) =>
        ids.has(id) ? [id] : input.demoRoles[id] && importOfRole.has(input.demoRoles[id]) ? [importOfRole.get(input.demoRoles[id])!] : [],
      ),
    ),
  ];
  const current = input.views.views.find((v) => v.id === input.currentView);
  const defaultCam = input.views.views.find((v) => v.id === input.views.defaultView)?.camera;
  const camera = input.camera ?? current?.camera ?? defaultCam;
  const exportId = input.views.views.some((v) => v.id === EXPORT_VIEW_ID) ? `${EXPORT_VIEW_ID}-bundle` : EXPORT_VIEW_ID;
  const appViews = input.views.views
    .map((v) => ({
      id: v.id,
      app: v.app,
      title: v.title,
      description: v.description,
      layers: mapLayers(v.layers),
      camera: v.camera,
      kpis: v.kpis.filter((k) => kpiIds.has(k)),
      charts: v.charts.filter((c) => chartIds.has(c)),
    }))
    .filter((v) => v.layers.length > 0);
  const usedApps = new Set(appViews.map((v) => v.app));
  const views = {
    version: 1,
    defaultView: exportId,
    apps: [
      { id: MY_DATA_GROUP.id, title: MY_DATA_GROUP.title, description: { zh: "导出的导入图层", en: "Exported imported layers" } },
      ...input.views.apps.filter((a) => usedApps.has(a.id) && a.id !== MY_DATA_GROUP.id),
    ],
    views: [
      {
        id: exportId,
        app: MY_DATA_GROUP.id,
        title: { zh: "导出时的视角", en: "View at export" },
        description: {
          zh: current ? `导出时的图层与视角（当时的专题：${current.title.zh}）` : "导出时的图层与视角",
          en: current ? `Layers and camera at export (view then: ${current.title.en})` : "Layers and camera at export",
        },
        layers: input.layers.filter((l) => l.visible).map((l) => l.spec.id),
        ...(camera ? { camera } : {}),
        kpis: [...kpiIds],
        charts: [...chartIds],
      },
      ...appViews,
    ],
  };
  const kpis = { version: 1, params: input.kpis.params, kpis: kpiDefs, sources: {} };
  const files: Record<string, string> = {
    "catalog.json": JSON.stringify(catalog, null, 1),
    "views.json": JSON.stringify(views, null, 1),
    "kpis.json": JSON.stringify(kpis, null, 1),
    "charts.json": JSON.stringify({ version: 1, charts }, null, 1),
  };
  for (const l of input.layers) if (l.spec.kind !== "3dtiles" && l.text !== undefined) files[dataPath(l.spec.id)] = l.text;
  return files;
}

/** The zip: the city folder at the root of the archive. */
export function zipBundle(files: Record<string, string>): Uint8Array {
  // Data is already compact JSON; level 6 is fflate's default and halves GeoJSON.
  return zipSync(Object.fromEntries(Object.entries(files).map(([p, t]) => [p, strToU8(t)])), { level: 6 });
}

export interface OpenedBundle {
  manifests: Manifests;
  /** Every file in the bundle by its path inside the city folder. */
  files: Record<string, Uint8Array>;
}

/**
 * Opens a bundle zip: finds the city folder (the root, or the one folder the zip holds, as a
 * zip made by hand from a folder has), parses and validates its manifests like the built-in
 * ones. `name` is used in error messages ("bundle.zip!/catalog.json: layers[0].kind: …").
 */
export function openBundle(bytes: Uint8Array, name: string): OpenedBundle {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes);
  } catch (e) {
    throw new ManifestError(name, "(file)", `not a readable zip (${(e as Error).message})`);
  }
  const paths = Object.keys(entries).filter((p) => !p.endsWith("/") && !p.startsWith("__MACOSX/"));
  const cat = paths.filter((p) => /(^|\/)catalog\.json$/.test(p)).sort((a, b) => a.split("/").length - b.split("/").length)[0];
  if (!cat) throw new ManifestError(name, "(file)", `no catalog.json in the zip (it holds ${paths.slice(0, 5).join(", ") || "nothing"})`);
  const prefix = cat.slice(0, -"catalog.json".length);
  const files: Record<string, Uint8Array> = {};
  for (const p of paths) if (p.startsWith(prefix)) files[p.slice(prefix.length)] = entries[p];
  const base = `${name}!/${prefix}`;
  const json = (f: string, optional = false): unknown => {
    const b = files[f];
    if (!b) {
      if (optional) return undefined;
      throw new ManifestError(`${base}${f}`, "(file)", "missing from the zip");
    }
    try {
      return JSON.parse(strFromU8(b));
    } catch (e) {
      throw new ManifestError(`${base}${f}`, "(file)", `not valid JSON: ${(e as Error).message}`);
    }
  };
  const manifests = validateManifests(
    {
      catalog: json("catalog.json"),
      kpis: json("kpis.json"),
      charts: json("charts.json"),
      views: json("views.json"),
      tours: json("tours.json", true),
    },
    base,
  );
  // A relative data URL must be in the zip (an absolute one — a 3D Tiles URL — is left as it is).
  manifests.catalog.layers.forEach((l, i) => {
    for (const key of ["url", "features", "tiles"] as const) {
      const u = l[key];
      if (u && !isAbsolute(u) && !files[normalise(u)])
        throw new ManifestError(`${base}catalog.json`, `layers[${i}].${key}`, `"${u}" is not in the zip`);
    }
  });
  return { manifests, files };
}

const isAbsolute = (u: string) => /^[a-z][a-z0-9+.-]*:/i.test(u) || u.startsWith("/");
/** "./data/x.geojson" → "data/x.geojson". */
export const normalise = (u: string) => u.replace(/^(\.\/)+/, "");

/** Points the bundle's relative URLs at `urlOf(path)` (blob: URLs in the browser, files at build time). */
export function relocateBundle(m: Manifests, urlOf: (path: string) => string): Manifests {
  const map = (u: string) => (isAbsolute(u) ? u : urlOf(normalise(u)));
  return {
    ...m,
    catalog: {
      ...m.catalog,
      layers: m.catalog.layers.map((l) => ({
        ...l,
        url: map(l.url),
        ...(l.features ? { features: map(l.features) } : {}),
        ...(l.tiles ? { tiles: map(l.tiles) } : {}),
      })),
    },
    kpis: { ...m.kpis, sources: Object.fromEntries(Object.entries(m.kpis.sources).map(([k, u]) => [k, map(u)])) },
  };
}
