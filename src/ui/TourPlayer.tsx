// The tour player (play/pause/next/previous, progress bar with step titles, loop, orbit, copy
// link, fullscreen) and the lower-third caption for a video wall. No Cesium here: the app
// passes plain data and callbacks.
import type { KpiDef } from "../domain/kpi";
import type { AppState } from "../domain/state";
import { interpolateCaption, stepDurationS, type Tour } from "../domain/tours";
import { formatKpi } from "./Cockpit";
import { t } from "./i18n";
import { IconEdit, IconFullscreen, IconLink, IconLoop, IconNext, IconOrbit, IconPause, IconPlay, IconPrev } from "./icons";
import "./presenter.css";

export interface PlayerControls {
  tours: Tour[];
  current?: Tour;
  /** Key that changes whenever a step (re)starts or a phase changes, and its timing. */
  phase?: { seq: number; name: "flying" | "dwell"; durationS: number };
  kiosk: boolean;
  interactive: boolean;
  orbiting: boolean;
  editorOpen: boolean;
  play(id: string): void;
  togglePlay(): void;
  next(): void;
  prev(): void;
  goto(step: number): void;
  setLoop(on: boolean): void;
  stop(): void;
  orbit(): void;
  copyLink(): void;
  fullscreen(): void;
  toggleEditor(): void;
}

export function TourPlayerBar({ state, c }: { state: AppState; c: PlayerControls }) {
  const lang = state.lang;
  const p = state.tour;
  const tour = c.current;
  const total = tour ? tour.steps.reduce((a, s) => a + stepDurationS(s), 0) : 0;
  return (
    <div className="tour-bar panel" data-testid="tour-bar" data-playing={p?.playing ? "true" : "false"}>
      <div className="tour-controls">
        {!c.kiosk && c.tours.length > 0 && (
          <select
            className="tour-select"
            aria-label={t(lang, "chooseTour")}
            data-testid="tour-select"
            value={p?.id ?? ""}
            onChange={(e) => (e.target.value ? c.play(e.target.value) : c.stop())}
          >
            <option value="">{t(lang, "chooseTour")}</option>
            {c.tours.map((x) => (
              <option key={x.id} value={x.id}>
                {x.id === "draft" ? `${t(lang, "author")} · ${x.title[lang]}` : x.title[lang]}
              </option>
            ))}
          </select>
        )}
        <button
          className="icon-btn big"
          onClick={c.prev}
          disabled={!p}
          aria-label={t(lang, "prevStep")}
          title={`${t(lang, "prevStep")} (←, PageUp)`}
          data-testid="tour-prev"
        >
          <IconPrev />
        </button>
        <button
          className="icon-btn big play"
          onClick={c.togglePlay}
          aria-label={p?.playing ? t(lang, "pause") : t(lang, "play")}
          title={`${p?.playing ? t(lang, "pause") : t(lang, "play")} (space)`}
          data-testid="tour-play"
        >
          {p?.playing ? <IconPause /> : <IconPlay />}
        </button>
        <button
          className="icon-btn big"
          onClick={c.next}
          disabled={!p}
          aria-label={t(lang, "nextStep")}
          title={`${t(lang, "nextStep")} (→, PageDown)`}
          data-testid="tour-next"
        >
          <IconNext />
        </button>
        {tour && p && (
          <div
            className="tour-progress"
            data-testid="tour-progress"
            role="progressbar"
            aria-valuemin={1}
            aria-valuemax={tour.steps.length}
            aria-valuenow={p.step + 1}
          >
            {tour.steps.map((s, i) => {
              const state_ = i < p.step ? "done" : i === p.step ? "current" : "todo";
              const running = i === p.step && c.phase && p.playing;
              return (
                <button
                  key={i}
                  className={`tour-seg ${state_}`}
                  style={{ flexGrow: total ? stepDurationS(s) / total : 1 }}
                  onClick={() => c.goto(i)}
                  title={`${i + 1}. ${s.title[lang]}`}
                  data-testid={`tour-seg-${i}`}
                >
                  <span className="tour-seg-track">
                    <span
                      key={running ? `${c.phase!.seq}-${c.phase!.name}` : "still"}
                      className={`tour-seg-fill ${running ? c.phase!.name : ""}`}
                      style={running ? { animationDuration: `${c.phase!.durationS}s` } : undefined}
                    />
                  </span>
                  <span className="tour-seg-title">{s.title[lang]}</span>
                </button>
              );
            })}
          </div>
        )}
        {!tour && c.tours.length > 0 && <div className="tour-hint">{t(lang, "chooseTour")} · space / PageDown</div>}
        {p && !c.kiosk && (
          <button
            className={`icon-btn ${p.loop ? "on" : ""}`}
            onClick={() => c.setLoop(!p.loop)}
            aria-pressed={p.loop}
            title={t(lang, "loop")}
            data-testid="tour-loop"
          >
            <IconLoop />
          </button>
        )}
        <button
          className={`icon-btn ${c.orbiting ? "on" : ""}`}
          onClick={c.orbit}
          aria-pressed={c.orbiting}
          title={t(lang, "orbitHint")}
          data-testid="orbit-btn"
        >
          <IconOrbit /> <span className="btn-label">{t(lang, "orbit")}</span>
        </button>
        {!c.kiosk && (
          <button className="icon-btn" onClick={c.copyLink} title={t(lang, "copyLink")} data-testid="copy-link">
            <IconLink /> <span className="btn-label">{t(lang, "copyLink")}</span>
          </button>
        )}
        <button
          className="icon-btn"
          onClick={c.fullscreen}
          title={t(lang, "fullscreen")}
          aria-label={t(lang, "fullscreen")}
          data-testid="fullscreen-btn"
        >
          <IconFullscreen />
        </button>
        {!c.kiosk && (
          <button
            className={`icon-btn ${c.editorOpen ? "on" : ""}`}
            onClick={c.toggleEditor}
            title={t(lang, "authoring")}
            data-testid="author-btn"
          >
            <IconEdit /> <span className="btn-label">{t(lang, "author")}</span>
          </button>
        )}
      </div>
      {c.kiosk && c.interactive && (
        <div className="tour-hint" data-testid="kiosk-interactive">
          {t(lang, "kioskInteractive")}
        </div>
      )}
    </div>
  );
}

/** Lower-third caption: step title and text with the KPI figures the cockpit computed. */
export function TourCaption({ state, tour, kpiDefs }: { state: AppState; tour?: Tour; kpiDefs: Map<string, KpiDef> }) {
  const p = state.tour;
  const step = p && tour?.steps[p.step];
  if (!p || !step) return null;
  const lang = state.lang;
  const parts = interpolateCaption(step.caption, lang, (id) => {
    const r = state.cockpit.kpis[id];
    if (!r || r.missing || !Number.isFinite(r.value)) return undefined;
    const f = formatKpi(r.value, r.unit, kpiDefs.get(id), lang);
    return f.unit ? `${f.num} ${f.unit}` : f.num;
  });
  const pending = state.cockpit.status !== "ready" && state.cockpit.status !== "error";
  return (
    <div className="tour-caption" data-testid="tour-caption" aria-live="polite">
      <div className="tour-caption-title">
        <span className="tour-caption-step num">
          {p.step + 1}/{tour!.steps.length}
        </span>
        {tour!.title[lang]} · {step.title[lang]}
      </div>
      <p className="tour-caption-text">
        {parts.map((part, i) =>
          "text" in part ? (
            <span key={i}>{part.text}</span>
          ) : (
            <strong key={i} className="tour-figure num" data-kpi={part.kpi} data-testid="tour-figure">
              {part.value ?? (pending ? "…" : t(lang, "noValue"))}
            </strong>
          ),
        )}
      </p>
    </div>
  );
}
