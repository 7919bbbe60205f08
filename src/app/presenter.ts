// Presenter mode: the tour player, kiosk behaviour (loop, idle return, hidden cursor, wake
// lock), the sandbox orbit, and the share-link URL that follows the state. It drives the store
// only through named updaters and the scene only through SceneApi.cameraControl.
import type { SceneApi } from "../cesium/CesiumView";
import { layersForCalculator } from "../domain/kpiLayers";
import { DEFAULT_IDLE_S, shareQuery, shareStateOf, type ShareParams } from "../domain/shareUrl";
import { addNotice, select, type AppState } from "../domain/state";
import {
  advance,
  applyTourStep,
  checkStep,
  gotoStep,
  prevStepIndex,
  startTour,
  type CameraShot,
  type Tour,
  type TourPlayback,
} from "../domain/tours";
import { applyView } from "../domain/views";
import { t, type StringKey } from "../ui/i18n";
import type { Manifests } from "./manifests";
import type { Store } from "./store";
import { validateFilter, type LayerFilter } from "../domain/inspector/filter";
import { UserError } from "../domain/inspector/errors";
import { fieldsOf } from "./inspector";

/** What the automation API (window.warmcity) gets from presenter mode. */
export interface PresenterApi {
  /** Starts a tour (from its first step, or `step`); false and a notice for an unknown id. */
  playTour(id: string, opts?: { step?: number; loop?: boolean; timeScale?: number }): boolean;
  pauseTour(): void;
  resumeTour(): void;
  nextStep(): void;
  prevStep(): void;
  tour():
    | {
        id: string;
        step: number;
        steps: number;
        playing: boolean;
        loop: boolean;
        cycle: number;
        title: string;
        stepTitle: string;
        phase?: "flying" | "dwell";
      }
    | undefined;
  tours(): string[];
  /** The shot of the current step (for tests: where its target is). */
  tourShot(): CameraShot | undefined;
  /** Where the current step's target point is on the screen (CSS px), for caption checks. */
  tourTargetOnScreen(): { x: number; y: number } | undefined;
  /** Selects a feature as a click in the inspector would (false when it does not exist). */
  selectFeature(layerId: string, featureId: string): Promise<boolean>;
  /** Start / stop the sandbox orbit; returns whether it runs. */
  orbit(on?: boolean): boolean;
  /** The share link of what is on screen now. */
  shareUrl(): string;
  /** Frames rendered since start, Cesium primitives, median frame time. */
  sceneStats(): { frames: number; primitives: number; medianFrameMs?: number } | undefined;
  kiosk(): { on: boolean; idleS: number; wakeLock: string; interactive: boolean };
}

export type FeatureLookup = (layerId: string, featureId: string) => Promise<Record<string, unknown> | undefined | null>;

export interface PresenterOptions {
  store: Store;
  manifests: Manifests;
  scene: () => SceneApi | undefined;
  /** Properties of a feature; undefined = no such feature; null = cannot tell. */
  feature: FeatureLookup;
  url: ShareParams;
}

export const DRAFT_TOUR_ID = "draft";

export function createPresenter(o: PresenterOptions) {
  const { store, manifests } = o;
  let draft: Tour | undefined;
  let timeScale = 1;
  let runningSeq: number | undefined;
  let dwellTimer: ReturnType<typeof setTimeout> | undefined;
  let consecutiveSkips = 0;
  let phase: { seq: number; name: "flying" | "dwell"; startedAt: number; durationS: number } | undefined;
  const phaseFns = new Set<() => void>();
  const kiosk = { on: o.url.kiosk, idleS: o.url.idleS ?? DEFAULT_IDLE_S, wakeLock: "off", interactive: false };
  const isOrbiting = () => o.scene()?.cameraControl.orbiting() ?? false;
  /** A previewed step pauses after its dwell instead of going on. */
  let previewSeq: number | undefined;

  const allTours = (): Tour[] => [...manifests.tours.tours, ...(draft ? [{ ...draft, id: DRAFT_TOUR_ID }] : [])];
  const findTour = (id: string | undefined) => allTours().find((x) => x.id === id);
  const lang = () => store.get().lang;
  const tx = (k: StringKey) => t(lang(), k);
  const notice = (level: "info" | "warn", text: string) => store.dispatch((s) => addNotice(s, level, text));
  const setTour = (f: (p: TourPlayback | undefined, s: AppState) => TourPlayback | undefined) =>
    store.dispatch((s) => {
      const next = f(s.tour, s);
      return next === s.tour ? s : { ...s, tour: next };
    });
  const setPhase = (p: typeof phase) => {
    phase = p;
    phaseFns.forEach((f) => f());
  };

  const known = {
    views: new Set(manifests.views.views.map((v) => v.id)),
    layers: new Set(manifests.catalog.layers.map((l) => l.id)),
    kpis: new Set(manifests.kpis.kpis.map((k) => k.id)),
  };

  function stopRunning() {
    runningSeq = undefined;
    if (dwellTimer) clearTimeout(dwellTimer);
    dwellTimer = undefined;
    o.scene()?.cameraControl.stopOrbit();
    setPhase(undefined);
  }

  async function run(p: TourPlayback) {
    const seq = p.seq;
    runningSeq = seq;
    if (dwellTimer) clearTimeout(dwellTimer);
    const stale = () => runningSeq !== seq || !store.get().tour?.playing;
    const tour = findTour(p.id);
    const step = tour?.steps[p.step];
    const scene = o.scene();
    if (!tour || !step || !scene) return;
    let featureProps: Record<string, unknown> | undefined;
    let featureMissing = false;
    const h = step.highlight;
    if (h && "layer" in h && known.layers.has(h.layer)) {
      const props = await o.feature(h.layer, h.featureId).catch(() => null);
      if (stale()) return;
      if (props === undefined) featureMissing = true;
      else if (props) featureProps = props;
    }
    const filters: Record<string, LayerFilter> = {};
    const filter = (layer: string, raw: unknown) => {
      try {
        return { filter: (filters[layer] = validateFilter(fieldsOf(manifests.catalog, layer), raw)) };
      } catch (e) {
        return { error: e instanceof UserError ? e[lang()] : String(e) };
      }
    };
    const check = checkStep(step, { ...known, feature: () => !featureMissing, filter });
    if (check.fatal.length) {
      consecutiveSkips++;
      notice("warn", `${tx("tourStepSkipped")} · ${tour.title[lang()]} #${p.step + 1} “${step.title[lang()]}”: ${check.fatal.join("; ")}`);
      if (consecutiveSkips >= tour.steps.length) {
        notice("warn", `${tx("tourNothingToPlay")}: ${tour.title[lang()]}`);
        setTour((cur) => (cur ? { ...cur, playing: false } : cur));
        return;
      }
      setTour((cur) => (cur && cur.seq === seq ? advance(cur, tour.steps.length) : cur));
      return;
    }
    consecutiveSkips = 0;
    const view = step.view ? manifests.views.views.find((v) => v.id === step.view) : undefined;
    const kpiDef = h && "kpi" in h ? manifests.kpis.kpis.find((k) => k.id === h.kpi) : undefined;
    const kpi = kpiDef
      ? { layerIds: layersForCalculator(kpiDef.calculator).filter((l) => known.layers.has(l)), label: kpiDef.title[lang()] }
      : undefined;
    const ctx = { view, kpi, featureProps, ...(step.filters ? { filters } : {}) };
    store.dispatch((s) => applyTourStep(s, step, ctx, (st, v) => applyView(st, v, { keepCamera: true })));
    setPhase({ seq, name: "flying", startedAt: performance.now(), durationS: step.flightS * timeScale });
    await scene.cameraControl.flyToShot(step.shot, step.flightS * timeScale);
    if (stale()) return;
    setPhase({ seq, name: "dwell", startedAt: performance.now(), durationS: step.dwellS * timeScale });
    if (step.orbit) scene.cameraControl.startOrbit();
    dwellTimer = setTimeout(
      () => {
        if (stale()) return;
        if (previewSeq === seq) return setTour((cur) => (cur ? { ...cur, playing: false } : cur));
        setTour((cur) => (cur && cur.seq === seq ? advance(cur, tour.steps.length) : cur));
      },
      step.dwellS * timeScale * 1000,
    );
  }

  store.subscribe(() => {
    const p = store.get().tour;
    if (!p || !p.playing) {
      if (runningSeq !== undefined) stopRunning();
      return;
    }
    if (p.seq !== runningSeq) void run(p);
  });

  // ------------------------------------------------------------------------------------------
  // Player controls
  // ------------------------------------------------------------------------------------------

  function playTour(id: string, opts: { step?: number; loop?: boolean; timeScale?: number } = {}): boolean {
    const tour = findTour(id);
    if (!tour) {
      notice("warn", `${tx("tourUnknown")}: “${id}”`);
      return false;
    }
    if (opts.timeScale !== undefined && opts.timeScale > 0) timeScale = opts.timeScale;
    previewSeq = undefined;
    const step = Math.min(Math.max(0, opts.step ?? 0), tour.steps.length - 1);
    consecutiveSkips = 0;
    setTour((cur) => startTour(cur, id, { step, loop: opts.loop ?? (kiosk.on ? true : cur?.id === id ? cur.loop : false) }));
    return true;
  }
  const pauseTour = () => setTour((cur) => (cur && cur.playing ? { ...cur, playing: false } : cur));
  const resumeTour = () => setTour((cur) => (cur && !cur.playing ? { ...gotoStep(cur, cur.step), playing: true } : cur));
  const count = () => findTour(store.get().tour?.id)?.steps.length ?? 0;
  const nextStep = () =>
    setTour((cur) => {
      if (!cur) return cur;
      const n = count();
      const to = cur.step + 1 < n ? gotoStep(cur, cur.step + 1) : cur.loop ? { ...gotoStep(cur, 0), cycle: cur.cycle + 1 } : cur;
      return { ...to, playing: true };
    });
  const prevStep = () => setTour((cur) => (cur ? { ...gotoStep(cur, prevStepIndex(cur.step, count(), cur.loop)), playing: true } : cur));
  const gotoStepIndex = (i: number) => setTour((cur) => (cur ? { ...gotoStep(cur, i), playing: true } : cur));
  const togglePlay = () => {
    const cur = store.get().tour;
    if (!cur) playTour(manifests.tours.tours[0]?.id ?? "");
    else if (cur.playing) pauseTour();
    else resumeTour();
  };
  const setLoop = (loop: boolean) => setTour((cur) => (cur ? { ...cur, loop } : cur));
  const stopTour = () => setTour(() => undefined);

  // ------------------------------------------------------------------------------------------
  // Orbit
  // ------------------------------------------------------------------------------------------

  function orbit(on = !isOrbiting()): boolean {
    const cc = o.scene()?.cameraControl;
    if (!cc) return false;
    if (on) {
      // A free orbit and a playing tour would fight over the camera: the orbit wins.
      pauseTour();
      cc.startOrbit();
    } else cc.stopOrbit();
    return cc.orbiting();
  }

  // ------------------------------------------------------------------------------------------
  // Input: keyboard / presenter remote, input that stops the orbit or hands a kiosk to a visitor
  // ------------------------------------------------------------------------------------------

  let idleTimer: ReturnType<typeof setTimeout> | undefined;
  let cursorTimer: ReturnType<typeof setTimeout> | undefined;
  const cursorFns = new Set<(hidden: boolean) => void>();
  const armIdle = () => {
    if (!kiosk.on) return;
    if (idleTimer) clearTimeout(idleTimer);
    idleTimer = setTimeout(() => {
      kiosk.interactive = false;
      const cur = store.get().tour;
      if (cur) resumeTour();
      else playTour(manifests.tours.tours[0]?.id ?? "", { loop: true });
      phaseFns.forEach((f) => f());
    }, kiosk.idleS * 1000);
  };
  /** A visitor (or a presenter) touched the scene: stop the orbit; a kiosk pauses its tour. */
  function userInput() {
    o.scene()?.cameraControl.stopOrbit();
    if (kiosk.on) {
      if (store.get().tour?.playing) {
        kiosk.interactive = true;
        pauseTour();
        phaseFns.forEach((f) => f());
      }
      armIdle();
    }
  }
  function onKey(e: KeyboardEvent) {
    const el = e.target as HTMLElement | null;
    if (el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName))) return;
    const k = e.key;
    if (k === " " || k === "Spacebar") togglePlay();
    else if (k === "ArrowRight" || k === "PageDown") {
      if (store.get().tour) nextStep();
      else togglePlay();
    } else if (k === "ArrowLeft" || k === "PageUp") prevStep();
    else {
      userInput();
      return;
    }
    // Handled: keep the focused button from also "clicking" on space.
    e.preventDefault();
    if (kiosk.on) armIdle();
  }
  const onMove = () => {
    cursorFns.forEach((f) => f(false));
    if (cursorTimer) clearTimeout(cursorTimer);
    cursorTimer = setTimeout(() => cursorFns.forEach((f) => f(true)), 3000);
    if (kiosk.on) armIdle();
  };

  async function wakeLock() {
    const wl = (
      navigator as Navigator & { wakeLock?: { request(t: "screen"): Promise<{ addEventListener(e: string, f: () => void): void }> } }
    ).wakeLock;
    if (!wl) {
      kiosk.wakeLock = "unsupported";
      return;
    }
    try {
      const lock = await wl.request("screen");
      kiosk.wakeLock = "active";
      lock.addEventListener("release", () => (kiosk.wakeLock = "released"));
    } catch (e) {
      kiosk.wakeLock = `refused: ${(e as Error).message}`;
    }
  }

  /** Hooks input up to the scene element; returns the cleanup. Called once the scene is ready. */
  function attach(sceneEl: HTMLElement): () => void {
    const input = () => userInput();
    sceneEl.addEventListener("pointerdown", input);
    sceneEl.addEventListener("wheel", input, { passive: true });
    sceneEl.addEventListener("touchstart", input, { passive: true });
    window.addEventListener("keydown", onKey, true);
    window.addEventListener("pointermove", onMove, { passive: true });
    const onVis = () => kiosk.on && document.visibilityState === "visible" && void wakeLock();
    document.addEventListener("visibilitychange", onVis);
    const cc = o.scene()?.cameraControl;
    const offOrbit = cc?.onOrbitChange(() => scheduleUrl());
    const offMove = cc?.onMoveEnd(() => scheduleUrl());
    if (kiosk.on) {
      void wakeLock();
      onMove();
    }
    return () => {
      sceneEl.removeEventListener("pointerdown", input);
      sceneEl.removeEventListener("wheel", input);
      sceneEl.removeEventListener("touchstart", input);
      window.removeEventListener("keydown", onKey, true);
      window.removeEventListener("pointermove", onMove);
      document.removeEventListener("visibilitychange", onVis);
      offOrbit?.();
      offMove?.();
      if (idleTimer) clearTimeout(idleTimer);
      if (cursorTimer) clearTimeout(cursorTimer);
    };
  }

  /** After the first ready frame: autoplay `tour=` (or the kiosk's loop), or start `orbit=1`. */
  function start() {
    const u = o.url;
    if (u.tour) {
      if (!findTour(u.tour)) notice("warn", `${tx("tourUnknown")}: tour=${u.tour}`);
      else return void playTour(u.tour, { step: u.step, loop: kiosk.on || undefined });
    }
    if (kiosk.on && manifests.tours.tours[0]) return void playTour(manifests.tours.tours[0].id, { loop: true });
    if (u.orbit) orbit(true);
  }

  // ------------------------------------------------------------------------------------------
  // Share link: the URL follows the state (debounced history.replaceState)
  // ------------------------------------------------------------------------------------------

  function shareUrl(): string {
    const s = store.get();
    const view = manifests.views.views.find((v) => v.id === s.view);
    const cam = o.scene()?.camera();
    const share = shareStateOf(s, view, cam, { kiosk: kiosk.on, idleS: kiosk.idleS, orbit: isOrbiting() });
    // The authoring draft lives in this browser only: a link to it would open nothing elsewhere.
    if (share.tour?.id === DRAFT_TOUR_ID) share.tour = undefined;
    const q = shareQuery(share);
    return `${location.origin}${location.pathname}${q ? `?${q}` : ""}`;
  }
  let urlTimer: ReturnType<typeof setTimeout> | undefined;
  let urlEnabled = false;
  function scheduleUrl() {
    if (!urlEnabled) return;
    if (urlTimer) clearTimeout(urlTimer);
    urlTimer = setTimeout(() => {
      const u = shareUrl();
      if (u !== location.href) history.replaceState(history.state, "", u);
    }, 400);
  }
  let lastShared: unknown[] = [];
  store.subscribe(() => {
    const s = store.get();
    // Only what a link carries; loading progress and KPI results do not rewrite the URL.
    const key = [
      s.view,
      s.layers,
      s.selection,
      s.lang,
      s.basemap,
      s.quality,
      s.tour?.id,
      s.tour?.step,
      s.inspector?.underground,
      s.inspector?.filters,
    ];
    const layerKey = Object.values(s.layers)
      .map((l) => `${l.visible}${l.opacity}`)
      .join();
    key[1] = layerKey;
    if (key.some((v, i) => v !== lastShared[i])) {
      lastShared = key;
      scheduleUrl();
    }
  });
  /** Starts rewriting the URL (after boot, so the URL a user opened is never clobbered early). */
  const followUrl = () => {
    urlEnabled = true;
    scheduleUrl();
  };

  // ------------------------------------------------------------------------------------------
  // What the UI and the automation API read
  // ------------------------------------------------------------------------------------------

  const api: PresenterApi = {
    playTour,
    pauseTour,
    resumeTour,
    nextStep,
    prevStep,
    tour() {
      const p = store.get().tour;
      const tour = findTour(p?.id);
      if (!p || !tour) return undefined;
      return {
        id: p.id,
        step: p.step,
        steps: tour.steps.length,
        playing: p.playing,
        loop: p.loop,
        cycle: p.cycle,
        title: tour.title[lang()],
        stepTitle: tour.steps[p.step]?.title[lang()] ?? "",
        ...(phase && phase.seq === p.seq ? { phase: phase.name } : {}),
      };
    },
    tours: () => allTours().map((x) => x.id),
    tourShot: () => {
      const p = store.get().tour;
      return findTour(p?.id)?.steps[p?.step ?? -1]?.shot;
    },
    tourTargetOnScreen() {
      const p = store.get().tour;
      const shot = findTour(p?.id)?.steps[p?.step ?? -1]?.shot;
      return shot ? o.scene()?.cameraControl.project(shot.target) : undefined;
    },
    async selectFeature(layerId, featureId) {
      const props = await o.feature(layerId, featureId);
      if (!props) return false;
      store.dispatch((s) => select(s, { layerId, featureId, properties: props }));
      return true;
    },
    orbit,
    shareUrl,
    sceneStats: () => o.scene()?.cameraControl.stats(),
    kiosk: () => ({ ...kiosk }),
  };

  return {
    api,
    preview(id: string, step: number) {
      if (playTour(id, { step, loop: false })) previewSeq = store.get().tour?.seq;
    },
    attach,
    start,
    followUrl,
    togglePlay,
    gotoStep: gotoStepIndex,
    setLoop,
    stopTour,
    orbit,
    orbiting: isOrbiting,
    findTour,
    allTours,
    setDraft(t: Tour | undefined) {
      draft = t;
    },
    phase: () => phase,
    onPhase(fn: () => void) {
      phaseFns.add(fn);
      return () => void phaseFns.delete(fn);
    },
    onCursor(fn: (hidden: boolean) => void) {
      cursorFns.add(fn);
      return () => cursorFns.delete(fn);
    },
    kiosk: () => kiosk,
    currentShot: () => o.scene()?.cameraControl.currentShot(),
    previewShot: (shot: CameraShot, durationS = 2) => o.scene()?.cameraControl.flyToShot(shot, durationS),
  };
}

export type Presenter = ReturnType<typeof createPresenter>;
