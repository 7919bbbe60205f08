// Tours as data (data/tours.json): scripted camera stories for presenters (汇报) that loop
// unattended on a kiosk. Pure: types, the manifest validator, caption interpolation, tour
// timing and the playback updaters. The player that runs them lives in src/app/tourPlayer.ts.
//
// A camera shot is a target point plus range/heading/pitch (not a camera position), so the
// same shot frames the same thing on a 16:9 screen and on a 32:9 wall: the target sits in the
// middle of the screen and the vertical field of view is kept (src/cesium/camera.ts).
//
// Figures on screen are never typed into captions: a caption names a KPI as `{kpi:<id>}` and
// the player puts the value the cockpit computed from the data in its place.
//
// A step may set the inspector's attribute filters (`filters`: layer id → filter, as
// warmcity.setFilter takes them); they replace the filters in effect, `{}` clears them.
// checkStep reports unknown layers and filters the layer's fields do not allow.
import { expectObj, i18n, id as idField, ManifestCursor, ManifestError, type I18n, type Lang } from "./catalog";
import type { LayerFilter } from "./inspector/filter";
import { initialInspector } from "./inspector/state";

export interface ShotTarget {
  lonDeg: number;
  latDeg: number;
  /** Height of the target point above the ellipsoid (the demo city's ground is at 0). */
  heightM: number;
}

export interface CameraShot {
  target: ShotTarget;
  /** Distance from the camera to the target. */
  rangeM: number;
  /** Compass direction the camera looks in (0 = north, 90 = east). */
  headingDeg: number;
  /** Below the horizon is negative: −90 looks straight down. */
  pitchDeg: number;
}

export type StepHighlight = { kpi: string } | { layer: string; featureId: string };

export interface TourStep {
  title: I18n;
  shot: CameraShot;
  /** Seconds the camera takes to fly to the shot. */
  flightS: number;
  /** Seconds the step stays on screen after arriving. */
  dwellS: number;
  /** Switch to this themed view first (its layers and cockpit; the shot still decides the camera). */
  view?: string;
  /** Layer toggles applied after the view. */
  layersOn: string[];
  layersOff: string[];
  highlight?: StepHighlight;
  /** Slowly circle the target during the dwell. */
  orbit: boolean;
  /** May contain `{kpi:<id>}` placeholders. */
  caption: I18n;
  /**
   * Attribute filters the step sets, by layer id (checked against the layer's fields when the
   * step plays). They replace the filters in effect; `{}` clears them; absent keeps them.
   */
  filters?: Record<string, Record<string, unknown>>;
}

export interface Tour {
  id: string;
  title: I18n;
  description?: I18n;
  steps: TourStep[];
}

export interface ToursManifest {
  version: 1;
  tours: Tour[];
}

type Obj = Record<string, unknown>;

const STEP_KEYS = new Set(["title", "shot", "flightS", "dwellS", "view", "layers", "highlight", "orbit", "caption", "filters"]);
const TOUR_KEYS = new Set(["id", "title", "description", "steps"]);
const PLACEHOLDER = /\{([^{}]*)\}/g;
const KPI_REF = /^kpi:([a-z][a-z0-9_-]*)$/;

function describe(v: unknown): string {
  if (v === undefined) return "nothing (missing)";
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  return `${typeof v} ${JSON.stringify(v)?.slice(0, 40)}`;
}

function num(at: ManifestCursor, o: Obj, key: string, min: number, max: number): number {
  const v = o[key];
  if (typeof v !== "number" || !Number.isFinite(v) || v < min || v > max)
    throw at.child(key).err(`expected a number in [${min}, ${max}], got ${describe(v)}`);
  return v;
}

function ids(at: ManifestCursor, v: unknown): string[] {
  if (v === undefined) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== "string" || !x)) throw at.err("expected an array of layer ids");
  return v as string[];
}

function checkCaption(at: ManifestCursor, c: I18n): I18n {
  for (const lang of ["zh", "en"] as const)
    for (const m of c[lang].matchAll(PLACEHOLDER))
      if (!KPI_REF.test(m[1])) throw at.child(lang).err(`placeholder "{${m[1]}}" is not {kpi:<id>}`);
  return c;
}

function shot(at: ManifestCursor, v: unknown): CameraShot {
  const o = expectObj(at, v);
  const t = expectObj(at.child("target"), o.target);
  const tat = at.child("target");
  const target: ShotTarget = {
    lonDeg: num(tat, t, "lonDeg", -180, 180),
    latDeg: num(tat, t, "latDeg", -90, 90),
    heightM: t.heightM === undefined ? 0 : num(tat, t, "heightM", -1000, 10_000),
  };
  return {
    target,
    rangeM: num(at, o, "rangeM", 10, 1_000_000),
    headingDeg: num(at, o, "headingDeg", -360, 360),
    // Looking up at a target from below ground makes no shot: −90 (down) … 0 (horizon).
    pitchDeg: num(at, o, "pitchDeg", -90, 0),
  };
}

function highlight(at: ManifestCursor, v: unknown): StepHighlight | undefined {
  if (v === undefined) return undefined;
  const o = expectObj(at, v);
  if (typeof o.kpi === "string" && o.kpi) return { kpi: o.kpi };
  if (typeof o.layer === "string" && o.layer && typeof o.featureId === "string" && o.featureId)
    return { layer: o.layer, featureId: o.featureId };
  throw at.err(`expected {"kpi": "<id>"} or {"layer": "<id>", "featureId": "<id>"}, got ${describe(v)}`);
}

export function validateStep(at: ManifestCursor, v: unknown): TourStep {
  const o = expectObj(at, v);
  for (const k of Object.keys(o)) if (!STEP_KEYS.has(k)) throw at.child(k).err(`unknown field (known: ${[...STEP_KEYS].join(", ")})`);
  let layersOn: string[] = [];
  let layersOff: string[] = [];
  if (o.layers !== undefined) {
    const lo = expectObj(at.child("layers"), o.layers);
    for (const k of Object.keys(lo)) if (k !== "on" && k !== "off") throw at.child("layers").child(k).err("unknown field (known: on, off)");
    layersOn = ids(at.child("layers").child("on"), lo.on);
    layersOff = ids(at.child("layers").child("off"), lo.off);
  }
  if (o.view !== undefined && (typeof o.view !== "string" || !o.view))
    throw at.child("view").err(`expected a view id, got ${describe(o.view)}`);
  if (o.orbit !== undefined && typeof o.orbit !== "boolean")
    throw at.child("orbit").err(`expected true or false, got ${describe(o.orbit)}`);
  let filters: TourStep["filters"];
  if (o.filters !== undefined) {
    const fo = expectObj(at.child("filters"), o.filters);
    filters = {};
    for (const [layer, f] of Object.entries(fo)) filters[layer] = expectObj(at.child("filters").child(layer), f);
  }
  return {
    title: i18n(at.child("title"), o.title),
    shot: shot(at.child("shot"), o.shot),
    flightS: num(at, o, "flightS", 0, 120),
    dwellS: num(at, o, "dwellS", 0.1, 3600),
    ...(o.view !== undefined ? { view: o.view as string } : {}),
    layersOn,
    layersOff,
    ...(o.highlight !== undefined ? { highlight: highlight(at.child("highlight"), o.highlight) } : {}),
    orbit: o.orbit === true,
    caption: checkCaption(at.child("caption"), i18n(at.child("caption"), o.caption)),
    ...(filters ? { filters } : {}),
  };
}

export function validateTour(raw: unknown, file: string, index = 0): Tour {
  const pre = new ManifestCursor(file, `tours[${index}]`);
  const o = expectObj(pre, raw);
  const tid = idField(pre, o);
  const at = new ManifestCursor(file, `tours[${index}](${tid})`);
  for (const k of Object.keys(o)) if (!TOUR_KEYS.has(k)) throw at.child(k).err(`unknown field (known: ${[...TOUR_KEYS].join(", ")})`);
  if (!Array.isArray(o.steps) || o.steps.length === 0) throw at.child("steps").err("expected a non-empty array of steps");
  return {
    id: tid,
    title: i18n(at.child("title"), o.title),
    ...(o.description !== undefined ? { description: i18n(at.child("description"), o.description) } : {}),
    steps: o.steps.map((s, i) => validateStep(at.child("steps").child(i), s)),
  };
}

/** Structural validation; throws ManifestError naming file, tour, step and field. */
export function validateTours(raw: unknown, file: string): ToursManifest {
  const root = new ManifestCursor(file, "");
  const o = expectObj(root, raw);
  if (o.version !== 1) throw root.child("version").err(`expected 1, got ${describe(o.version)}`);
  if (!Array.isArray(o.tours)) throw root.child("tours").err("expected an array of tours");
  const seen = new Set<string>();
  const tours = o.tours.map((t, i) => {
    const tour = validateTour(t, file, i);
    if (seen.has(tour.id)) throw root.child("tours").child(i).child("id").err(`duplicate tour id "${tour.id}"`);
    seen.add(tour.id);
    return tour;
  });
  return { version: 1, tours };
}

/** A JSON text as the manifest accepts it; for the authoring panel's import. */
export function parseToursJson(text: string, file: string): ToursManifest {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new ManifestError(file, "(file)", `not valid JSON: ${(e as Error).message}`);
  }
  return validateTours(raw, file);
}

// ---------------------------------------------------------------------------------------------
// References: what a step names that does not exist. A step with a missing view, layer or
// feature is skipped (with a notice) and the tour goes on; a missing KPI only blanks its figure.
// ---------------------------------------------------------------------------------------------

export interface KnownRefs {
  views: ReadonlySet<string>;
  layers: ReadonlySet<string>;
  kpis: ReadonlySet<string>;
  /** Whether a feature exists; undefined when it cannot be told (then the step plays). */
  feature?: (layer: string, featureId: string) => boolean | undefined;
  /** Checks a step's filter against the layer's fields: the filter as it applies, or why not. */
  filter?: (layer: string, raw: unknown) => { filter: LayerFilter } | { error: string };
}

export interface StepCheck {
  /** Reasons to skip the step. */
  fatal: string[];
  /** KPI ids a caption or highlight names that do not exist. */
  missingKpis: string[];
}

export function captionKpis(c: I18n): string[] {
  const out = new Set<string>();
  for (const lang of ["zh", "en"] as const) for (const m of c[lang].matchAll(PLACEHOLDER)) out.add(KPI_REF.exec(m[1])?.[1] ?? m[1]);
  return [...out];
}

export function checkStep(step: TourStep, known: KnownRefs): StepCheck {
  const fatal: string[] = [];
  if (step.view && !known.views.has(step.view)) fatal.push(`view "${step.view}" does not exist`);
  for (const l of [...step.layersOn, ...step.layersOff]) if (!known.layers.has(l)) fatal.push(`layer "${l}" is not in the catalog`);
  const h = step.highlight;
  if (h && "layer" in h) {
    if (!known.layers.has(h.layer)) fatal.push(`layer "${h.layer}" is not in the catalog`);
    else if (known.feature?.(h.layer, h.featureId) === false) fatal.push(`feature "${h.featureId}" is not in layer "${h.layer}"`);
  }
  for (const [layer, raw] of Object.entries(step.filters ?? {})) {
    const r = known.layers.has(layer) ? known.filter?.(layer, raw) : undefined;
    if (!known.layers.has(layer)) fatal.push(`filter: layer "${layer}" is not in the catalog`);
    else if (r && "error" in r) fatal.push(`filter on "${layer}": ${r.error}`);
  }
  const kpis = captionKpis(step.caption);
  if (h && "kpi" in h) kpis.push(h.kpi);
  return { fatal, missingKpis: [...new Set(kpis.filter((k) => !known.kpis.has(k)))] };
}

// ---------------------------------------------------------------------------------------------
// Captions
// ---------------------------------------------------------------------------------------------

export type CaptionPart = { text: string } | { kpi: string; value?: string };

/**
 * Splits a caption into text and KPI figures. `format` gives the computed value of a KPI as
 * display text (number and unit) or undefined when it is not computed (yet, or at all).
 */
export function interpolateCaption(c: I18n, lang: Lang, format: (kpiId: string) => string | undefined): CaptionPart[] {
  const src = c[lang];
  const parts: CaptionPart[] = [];
  let last = 0;
  for (const m of src.matchAll(PLACEHOLDER)) {
    if (m.index! > last) parts.push({ text: src.slice(last, m.index) });
    const kpi = KPI_REF.exec(m[1])?.[1] ?? m[1];
    const value = format(kpi);
    parts.push(value === undefined ? { kpi } : { kpi, value });
    last = m.index! + m[0].length;
  }
  if (last < src.length) parts.push({ text: src.slice(last) });
  return parts;
}

// ---------------------------------------------------------------------------------------------
// Timing
// ---------------------------------------------------------------------------------------------

/** Seconds a step takes (flight + dwell), scaled (a soak runs tours faster). */
export function stepDurationS(step: TourStep, timeScale = 1): number {
  return (step.flightS + step.dwellS) * timeScale;
}

export function tourDurationS(tour: Tour, timeScale = 1): number {
  return tour.steps.reduce((a, s) => a + stepDurationS(s, timeScale), 0);
}

/** Each step's share of the progress bar, as [start, end) fractions of the tour's time. */
export function stepSegments(tour: Tour): Array<{ start: number; end: number }> {
  const total = tourDurationS(tour) || 1;
  let t = 0;
  return tour.steps.map((s) => {
    const start = t / total;
    t += stepDurationS(s);
    return { start, end: t / total };
  });
}

/** Fraction of the whole tour done at `elapsedS` into step `index` (for the progress bar). */
export function tourProgress(tour: Tour, index: number, elapsedS: number): number {
  const seg = stepSegments(tour)[index];
  if (!seg) return 0;
  const d = stepDurationS(tour.steps[index]);
  const f = d > 0 ? Math.min(1, Math.max(0, elapsedS / d)) : 1;
  return seg.start + (seg.end - seg.start) * f;
}

/** The step after `index`; wraps to 0 when looping, undefined at the end otherwise. */
export function nextStepIndex(index: number, count: number, loop: boolean): number | undefined {
  if (index + 1 < count) return index + 1;
  return loop && count > 0 ? 0 : undefined;
}

export function prevStepIndex(index: number, count: number, loop: boolean): number {
  if (index > 0) return index - 1;
  return loop && count > 0 ? count - 1 : 0;
}

/**
 * Heading rate for the sandbox orbit so the scene around the target moves across the screen at
 * `screenFractionPerS` of the view's width per second whatever the range, screen size or zoom:
 * turning the heading by ω moves what is near the target by ω·cos(pitch) radians of view angle
 * (the camera's circle has radius range·cos(pitch) and is seen from `range`), so
 * ω = fraction · horizontalFov / cos(pitch). Looking straight down the circle degenerates to a
 * spin in place; cos is floored so that case stays slow.
 */
export function orbitRateDegPerS(pitchDeg: number, horizontalFovDeg: number, screenFractionPerS = 0.01): number {
  const c = Math.max(0.35, Math.cos((pitchDeg * Math.PI) / 180));
  return (screenFractionPerS * horizontalFovDeg) / c;
}

// ---------------------------------------------------------------------------------------------
// Playback state (lives in AppState.tour) and its named updaters.
// ---------------------------------------------------------------------------------------------

export interface TourPlayback {
  id: string;
  step: number;
  playing: boolean;
  loop: boolean;
  /** Bumped on every (re)start of a step, so the player re-runs the same step on request. */
  seq: number;
  /** Completed loops. */
  cycle: number;
}

export function startTour(cur: TourPlayback | undefined, id: string, opts: { step?: number; loop?: boolean } = {}): TourPlayback {
  return { id, step: opts.step ?? 0, playing: true, loop: opts.loop ?? cur?.loop ?? false, seq: (cur?.seq ?? 0) + 1, cycle: 0 };
}

export function gotoStep(p: TourPlayback, step: number): TourPlayback {
  return { ...p, step, seq: p.seq + 1 };
}

/** Advances to the next step; at the end a looping tour wraps (cycle + 1), a plain one stops. */
export function advance(p: TourPlayback, count: number): TourPlayback {
  const n = nextStepIndex(p.step, count, p.loop);
  if (n === undefined) return { ...p, playing: false };
  return { ...p, step: n, seq: p.seq + 1, cycle: n === 0 ? p.cycle + 1 : p.cycle };
}

// ---------------------------------------------------------------------------------------------
// Applying a step to the app state (everything but the camera, which the player flies).
// ---------------------------------------------------------------------------------------------

export interface StepContext {
  /** The step's view, resolved (undefined: the step does not switch views). */
  view?: import("./views").ViewSpec;
  /** For a KPI highlight: the layers its calculator reads and its title. */
  kpi?: { layerIds: string[]; label: string };
  /** For a feature highlight: its properties when known (then the inspector shows it). */
  featureProps?: Record<string, unknown>;
  /** The step's filters as checked (checkStep's `filter`): they replace the filters in effect. */
  filters?: Record<string, LayerFilter>;
}

export function applyTourStep(
  s: import("./state").AppState,
  step: TourStep,
  ctx: StepContext,
  applyView: (s: import("./state").AppState, v: import("./views").ViewSpec) => import("./state").AppState,
): import("./state").AppState {
  let out = ctx.view ? applyView(s, ctx.view) : s;
  const layers = { ...out.layers };
  const show = (id: string, visible: boolean) => {
    if (layers[id]) layers[id] = { ...layers[id], visible };
  };
  step.layersOn.forEach((id) => show(id, true));
  step.layersOff.forEach((id) => show(id, false));
  const h = step.highlight;
  let highlight: import("./state").Highlight | undefined;
  let selection = out.selection;
  if (h && "kpi" in h && ctx.kpi && ctx.kpi.layerIds.length) {
    highlight = { layerIds: ctx.kpi.layerIds, label: ctx.kpi.label };
    ctx.kpi.layerIds.forEach((id) => show(id, true));
  } else if (h && "layer" in h) {
    highlight = { layerIds: [h.layer], property: "id", value: h.featureId, label: h.featureId };
    show(h.layer, true);
    if (ctx.featureProps) selection = { layerId: h.layer, featureId: h.featureId, properties: ctx.featureProps };
  }
  out = { ...out, layers, highlight, selection };
  if (ctx.filters) {
    // The counts of the replaced filters are stale: the inspector recomputes them.
    const ins = out.inspector ?? initialInspector();
    out = { ...out, inspector: { ...ins, filters: { ...ctx.filters }, filterCounts: {} } };
  }
  return out;
}

/**
 * The `filters` a step recorded now should carry so that playing it shows what the author saw:
 * the filters in effect (copied), or `{}` when none are in effect but an earlier step sets
 * some (a step without `filters` would keep those), or nothing at all otherwise.
 */
export function recordedFilters(
  current: Record<string, LayerFilter> | undefined,
  earlier: readonly Pick<TourStep, "filters">[],
): Record<string, LayerFilter> | undefined {
  const on = Object.entries(current ?? {}).filter(([, f]) => Object.keys(f).length > 0);
  if (on.length) return Object.fromEntries(on.map(([layer, f]) => [layer, structuredClone(f)]));
  return earlier.some((st) => st.filters && Object.keys(st.filters).length > 0) ? {} : undefined;
}

/** A validated tour back in the manifest's JSON form (what export writes and import reads). */
export function tourToJson(t: Tour): Record<string, unknown> {
  return {
    id: t.id,
    title: t.title,
    ...(t.description ? { description: t.description } : {}),
    steps: t.steps.map((s) => ({
      title: s.title,
      shot: {
        target: {
          lonDeg: +s.shot.target.lonDeg.toFixed(6),
          latDeg: +s.shot.target.latDeg.toFixed(6),
          ...(s.shot.target.heightM ? { heightM: s.shot.target.heightM } : {}),
        },
        rangeM: Math.round(s.shot.rangeM),
        headingDeg: +s.shot.headingDeg.toFixed(1),
        pitchDeg: +s.shot.pitchDeg.toFixed(1),
      },
      flightS: s.flightS,
      dwellS: s.dwellS,
      ...(s.view ? { view: s.view } : {}),
      ...(s.layersOn.length || s.layersOff.length
        ? { layers: { ...(s.layersOn.length ? { on: s.layersOn } : {}), ...(s.layersOff.length ? { off: s.layersOff } : {}) } }
        : {}),
      ...(s.highlight ? { highlight: s.highlight } : {}),
      ...(s.orbit ? { orbit: true } : {}),
      caption: s.caption,
      ...(s.filters ? { filters: s.filters } : {}),
    })),
  };
}

/** Moves step `from` to `to` (authoring: reorder). */
export function moveStep(t: Tour, from: number, to: number): Tour {
  if (from === to || from < 0 || to < 0 || from >= t.steps.length || to >= t.steps.length) return t;
  const steps = [...t.steps];
  const [s] = steps.splice(from, 1);
  steps.splice(to, 0, s);
  return { ...t, steps };
}
