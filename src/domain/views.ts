// Themed views (the "1+4+N" model): which layers are on and how they look, where the camera
// goes, which KPI cards and charts the cockpit shows. Data in data/views.json, validated here.
// Structural errors are fatal (ManifestError naming file and field); a reference to a layer,
// KPI or chart that does not exist is not: the view still opens and says what is missing.
import { isValidCamera, type CameraView } from "./camera";
import { expectObj, i18n, id as idField, layerStyle, ManifestCursor, str, type Catalog, type I18n, type LayerStyle } from "./catalog";
import { requestCamera, type AppState } from "./state";

export interface AppSpec {
  id: string;
  title: I18n;
  description: I18n;
}

export interface ViewSpec {
  id: string;
  app: string;
  title: I18n;
  description: I18n;
  layers: string[];
  camera: CameraView;
  /** Per-layer style overrides, already merged onto the catalog style and validated. */
  styles: Record<string, LayerStyle>;
  kpis: string[];
  charts: string[];
  /** Planning analyses whose summary cards the view shows. */
  analyses: AnalysisId[];
}

export const ANALYSIS_IDS = ["green-access", "life-circle", "pipe-condition", "waterlogging"] as const;
export type AnalysisId = (typeof ANALYSIS_IDS)[number];

export interface ViewsManifest {
  version: 1;
  defaultView: string;
  apps: AppSpec[];
  views: ViewSpec[];
  /** References that do not resolve, by view id; shown in the cockpit, never fatal. */
  problems: Record<string, string[]>;
}

type Obj = Record<string, unknown>;

function stringList(at: ManifestCursor, o: Obj, key: string): string[] {
  const v = o[key];
  if (v === undefined) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== "string")) throw at.child(key).err("expected an array of ids");
  return v as string[];
}

function camera(at: ManifestCursor, v: unknown): CameraView {
  const o = expectObj(at, v);
  const c = {
    lonDeg: o.lonDeg,
    latDeg: o.latDeg,
    heightM: o.heightM,
    headingDeg: o.headingDeg,
    pitchDeg: o.pitchDeg,
  } as CameraView;
  const bad = isValidCamera(c);
  if (bad) throw at.err(bad);
  return c;
}

export interface KnownIds {
  kpis: ReadonlySet<string>;
  charts: ReadonlySet<string>;
}

export function validateViews(raw: unknown, file: string, catalog: Catalog, known: KnownIds): ViewsManifest {
  const root = new ManifestCursor(file, "");
  const o = expectObj(root, raw);
  if (o.version !== 1) throw root.child("version").err(`expected 1, got ${JSON.stringify(o.version)}`);
  if (!Array.isArray(o.apps)) throw root.child("apps").err("expected an array");
  const apps = o.apps.map((a, i) => {
    const at = root.child("apps").child(i);
    const ao = expectObj(at, a);
    return { id: idField(at, ao), title: i18n(at.child("title"), ao.title), description: i18n(at.child("description"), ao.description) };
  });
  const appIds = new Set(apps.map((a) => a.id));
  if (!Array.isArray(o.views)) throw root.child("views").err("expected an array");
  const layerById = new Map(catalog.layers.map((l) => [l.id, l]));
  const problems: Record<string, string[]> = {};
  const seen = new Set<string>();
  const views = o.views.map((v, i): ViewSpec => {
    const at = root.child("views").child(i);
    const vo = expectObj(at, v);
    const vid = idField(at, vo);
    if (seen.has(vid)) throw at.child("id").err(`duplicate view id "${vid}"`);
    seen.add(vid);
    const app = str(at, vo, "app")!;
    if (!appIds.has(app)) throw at.child("app").err(`no app with id "${app}" in apps`);
    const issues: string[] = [];
    const layers = stringList(at, vo, "layers");
    for (const l of layers) if (!layerById.has(l)) issues.push(`layer "${l}" is not in the catalog`);
    const styles: Record<string, LayerStyle> = {};
    if (vo.styles !== undefined) {
      const so = expectObj(at.child("styles"), vo.styles);
      for (const [lid, override] of Object.entries(so)) {
        const spec = layerById.get(lid);
        if (!spec) {
          issues.push(`style for layer "${lid}", which is not in the catalog`);
          continue;
        }
        const merged = { ...spec.style, ...expectObj(at.child("styles").child(lid), override) };
        styles[lid] = layerStyle(at.child("styles").child(lid), merged, spec.kind);
      }
    }
    const kpis = stringList(at, vo, "kpis");
    for (const k of kpis) if (!known.kpis.has(k)) issues.push(`KPI "${k}" is not in the KPI manifest`);
    const charts = stringList(at, vo, "charts");
    for (const c of charts) if (!known.charts.has(c)) issues.push(`chart "${c}" is not in the chart manifest`);
    const analyses = stringList(at, vo, "analyses").filter((a): a is AnalysisId => {
      const ok = (ANALYSIS_IDS as readonly string[]).includes(a);
      if (!ok) issues.push(`analysis "${a}" does not exist (known: ${ANALYSIS_IDS.join(", ")})`);
      return ok;
    });
    if (issues.length) problems[vid] = issues;
    return {
      id: vid,
      app,
      title: i18n(at.child("title"), vo.title),
      description: i18n(at.child("description"), vo.description),
      layers,
      camera: camera(at.child("camera"), vo.camera),
      styles,
      kpis,
      charts,
      analyses,
    };
  });
  const defaultView = str(root, o, "defaultView")!;
  if (!seen.has(defaultView)) throw root.child("defaultView").err(`no view with id "${defaultView}"`);
  return { version: 1, defaultView, apps, views, problems };
}

/**
 * Switches to a view: its layers on (others off), its opacities, its camera. Data already
 * loaded stays loaded; the scene reconciles in place.
 */
export function applyView(s: AppState, view: ViewSpec, opts: { instantCamera?: boolean; keepCamera?: boolean } = {}): AppState {
  const on = new Set(view.layers);
  const layers = { ...s.layers };
  for (const spec of s.catalog.layers) {
    const cur = layers[spec.id];
    const opacity = view.styles[spec.id]?.opacity ?? spec.style.opacity ?? 1;
    layers[spec.id] = { ...cur, visible: on.has(spec.id), opacity };
  }
  const next: AppState = { ...s, layers, view: view.id, selection: undefined, highlight: undefined };
  return opts.keepCamera ? next : requestCamera(next, view.camera, opts.instantCamera);
}

/** The style a layer is drawn with in a view: the view's override or the catalog's. */
export function styleInView(view: ViewSpec | undefined, layerId: string, catalogStyle: LayerStyle): LayerStyle {
  return view?.styles[layerId] ?? catalogStyle;
}
