// Title bar, notices, inspector and the manifest error screen.
import { useEffect, useState } from "react";
import type { I18n, Lang } from "../domain/catalog";
import type { Quality } from "../domain/urlState";
import { dismissNotice, select, setBasemap, setLang, setQuality, togglePanel, type AppState } from "../domain/state";
import type { Updater } from "../app/store";
import { t } from "./i18n";
import { inspectorRows, type FieldSpec } from "../domain/inspector/fields";

export function Clock({ lang }: { lang: Lang }) {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const id = setInterval(() => setNow(new Date()), 1000);
    return () => clearInterval(id);
  }, []);
  const loc = lang === "zh" ? "zh-CN" : "en-GB";
  return (
    <div className="clock">
      <span className="clock-time num">{now.toLocaleTimeString(loc, { hour12: false })}</span>
      <span className="clock-date">
        {now.toLocaleDateString(loc, { year: "numeric", month: "2-digit", day: "2-digit", weekday: "short" })}
      </span>
    </div>
  );
}

export function TitleBar({ state, dispatch, onHome }: { state: AppState; dispatch(u: Updater): void; onHome(): void }) {
  const lang = state.lang;
  // The city comes from the loaded catalog (catalog= names another city); the page title follows.
  const city = state.catalog.city;
  useEffect(() => {
    document.title = city ? `暖城孪生 Warm City Twin · ${city.name.zh}` : "暖城孪生 Warm City Twin";
  }, [city]);
  return (
    <header className="titlebar" data-testid="titlebar">
      <div className="titlebar-left">
        <button
          className="icon-btn big"
          onClick={() => dispatch(togglePanel)}
          aria-label={state.panelOpen ? t(lang, "collapse") : t(lang, "expand")}
          data-testid="panel-toggle"
        >
          ☰
        </button>
        <div className="status-chips">
          <span className="chip ok">● {t(lang, "offline")}</span>
          {city?.synthetic && <span className="chip warn">{t(lang, "synthetic")}</span>}
        </div>
      </div>
      <div className="titlebar-center">
        <h1 data-testid="city-title">{city ? `${t(lang, "appName")} · ${city.name[lang]}` : t(lang, "appName")}</h1>
        {city?.subtitle && <div className="subtitle">{city.subtitle[lang]}</div>}
      </div>
      <div className="titlebar-right">
        <button className="text-btn" onClick={onHome} data-testid="home-btn">
          ⌂ {t(lang, "home")}
        </button>
        <div className="seg" role="group" aria-label="basemap">
          {(["night", "day"] as const).map((b) => (
            <button
              key={b}
              className={state.basemap === b ? "on" : ""}
              onClick={() => dispatch((s) => setBasemap(s, b))}
              data-testid={`basemap-${b}`}
            >
              {t(lang, b)}
            </button>
          ))}
        </div>
        <label className="select">
          {t(lang, "quality")}
          <select
            value={state.quality}
            onChange={(e) => dispatch((s) => setQuality(s, e.target.value as Quality))}
            data-testid="quality-select"
          >
            <option value="auto">{t(lang, "qAuto")}</option>
            <option value="low">{t(lang, "qLow")}</option>
            <option value="high">{t(lang, "qHigh")}</option>
          </select>
        </label>
        <button className="lang-btn" data-testid="lang-switch" onClick={() => dispatch((s) => setLang(s, s.lang === "zh" ? "en" : "zh"))}>
          {lang === "zh" ? "EN" : "中文"}
        </button>
        <Clock lang={lang} />
      </div>
    </header>
  );
}

/** At most this many notices cover the scene at once; the rest wait behind a count. */
const MAX_NOTICES = 4;

export function Notices({ state, dispatch }: { state: AppState; dispatch(u: Updater): void }) {
  if (!state.notices.length) return null;
  // Warnings before information, then oldest first; the rest wait until one is dismissed.
  const ordered = [...state.notices].sort((a, b) => Number(a.level === "info") - Number(b.level === "info") || a.id - b.id);
  const hidden = ordered.length - MAX_NOTICES;
  return (
    <div className="notices" role="status">
      {hidden > 0 && (
        <div className="notice-more" data-testid="notice-more">
          {t(state.lang, "moreNotices").replace("{n}", String(hidden))}
        </div>
      )}
      {ordered.slice(0, MAX_NOTICES).map((n) => (
        <div key={n.id} className={`notice ${n.level}`} data-testid="notice">
          <span>{n.text[state.lang]}</span>
          <button className="icon-btn" onClick={() => dispatch((s) => dismissNotice(s, n.id))} aria-label={t(state.lang, "dismiss")}>
            ✕
          </button>
        </div>
      ))}
    </div>
  );
}

export function Inspector({
  state,
  dispatch,
  fields,
  onExport,
}: {
  state: AppState;
  dispatch(u: Updater): void;
  fields?: FieldSpec[];
  onExport?(format: "csv" | "geojson"): void;
}) {
  const sel = state.selection;
  if (!sel) return null;
  const lang = state.lang;
  const spec = state.catalog.layers.find((l) => l.id === sel.layerId);
  const name = spec?.nameProperty ? sel.properties[spec.nameProperty] : undefined;
  return (
    <section className="panel inspector" data-testid="inspector">
      <h2 className="panel-title">
        {t(lang, "inspector")}
        <button className="icon-btn" onClick={() => dispatch((s) => select(s, undefined))} aria-label={t(lang, "close")}>
          ✕
        </button>
      </h2>
      <div className="inspector-head">
        <div className="inspector-layer">{spec?.title[lang] ?? sel.layerId}</div>
        <div className="inspector-name">{typeof name === "string" ? name : sel.featureId}</div>
      </div>
      <table className="props">
        <tbody>
          {inspectorRows(fields, sel.properties, lang).map((r) => (
            <tr key={r.key} data-key={r.key}>
              <th title={r.key}>{r.label}</th>
              <td>{r.value}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {onExport && (
        <div className="inspector-actions">
          <button className="text-btn" onClick={() => onExport("csv")} data-testid="selection-export-csv">
            ⤓ CSV
          </button>
          <button className="text-btn" onClick={() => onExport("geojson")}>
            ⤓ GeoJSON
          </button>
        </div>
      )}
    </section>
  );
}

export function ErrorScreen({ title, explain, detail }: { title: string; explain?: I18n; detail: string }) {
  return (
    <div className="error-screen" data-testid="error-screen" role="alert">
      <h1>{title}</h1>
      {explain && (
        <>
          <p lang="zh-CN" data-testid="error-zh">
            {explain.zh}
          </p>
          <p lang="en" data-testid="error-en">
            {explain.en}
          </p>
        </>
      )}
      <pre>{detail}</pre>
    </div>
  );
}
