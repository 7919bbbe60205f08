// The layer tree: groups with a tri-state toggle, rows with toggle, status, count, opacity
// and legend. Pure React: it reads state and dispatches named updaters.
import { useState } from "react";
import type { Lang, LayerSpec } from "../domain/catalog";
import { groupVisibility, setGroupVisible, setLayerOpacity, setLayerVisible, type AppState } from "../domain/state";
import { basemapStyle, legendFor } from "../domain/style";
import type { Updater } from "../app/store";
import { formatNumber, t } from "./i18n";

interface Props {
  state: AppState;
  dispatch(u: Updater): void;
  onRetry(id: string): void;
}

function Swatch({ color, kind }: { color: string; kind: LayerSpec["kind"] }) {
  const shape = kind === "line" ? "swatch-line" : kind === "point" ? "swatch-point" : "swatch-fill";
  return <span className={`swatch ${shape}`} style={{ background: color }} aria-hidden />;
}

function LayerRow({ spec, state, dispatch, onRetry }: { spec: LayerSpec } & Props) {
  const ls = state.layers[spec.id];
  const lang: Lang = state.lang;
  const [open, setOpen] = useState(false);
  const legend = legendFor(basemapStyle(spec.style, state.basemap).color, lang, spec.title);
  const status =
    ls.status === "loading"
      ? `${t(lang, "loading")}${ls.progress !== undefined ? ` ${Math.round(ls.progress * 100)}%` : "…"}`
      : ls.status === "ready"
        ? `${formatNumber(ls.featureCount ?? 0, lang)}${ls.skipped ? ` · ${ls.skipped} ${t(lang, "skipped")}` : ""}`
        : ls.status === "idle"
          ? ""
          : t(lang, "failed");
  return (
    <li className={`layer-row status-${ls.status}`} data-testid={`layer-row-${spec.id}`} data-status={ls.status}>
      <div className="layer-line">
        <label className="layer-label">
          <input
            type="checkbox"
            data-testid={`layer-toggle-${spec.id}`}
            checked={ls.visible}
            onChange={(e) => dispatch((s) => setLayerVisible(s, spec.id, e.target.checked))}
          />
          <Swatch color={legend[0]?.color ?? "#888"} kind={spec.kind} />
          <span className="layer-title">{spec.title[lang]}</span>
        </label>
        <span className="layer-status" title={ls.status === "ready" ? t(lang, "features") : undefined}>
          {ls.status === "loading" && <span className="spinner" aria-hidden />}
          {status}
        </span>
        <button className="icon-btn" aria-expanded={open} aria-label={t(lang, "legend")} onClick={() => setOpen(!open)}>
          {open ? "▾" : "▸"}
        </button>
      </div>
      {ls.status === "loading" && ls.progress !== undefined && (
        <div className="progress">
          <div style={{ width: `${Math.round(ls.progress * 100)}%` }} />
        </div>
      )}
      {ls.status === "error" && (
        <div className="layer-error" role="alert">
          <span>⚠ {ls.error?.[lang]}</span>
          <button className="text-btn" onClick={() => onRetry(spec.id)}>
            {t(lang, "retry")}
          </button>
        </div>
      )}
      {open && (
        <div className="layer-detail">
          <label className="opacity">
            {t(lang, "opacity")}
            <input
              type="range"
              min={0}
              max={1}
              step={0.05}
              value={ls.opacity}
              data-testid={`layer-opacity-${spec.id}`}
              onChange={(e) => dispatch((s) => setLayerOpacity(s, spec.id, Number(e.target.value)))}
            />
            <span className="num">{Math.round(ls.opacity * 100)}%</span>
          </label>
          <ul className="legend">
            {legend.map((e) => (
              <li key={e.label + e.color}>
                <Swatch color={e.color} kind={spec.kind} />
                {e.label}
              </li>
            ))}
          </ul>
          {spec.description && <p className="layer-desc">{spec.description[lang]}</p>}
          {spec.source && <p className="layer-source">{spec.source[lang]}</p>}
        </div>
      )}
    </li>
  );
}

export default function LayerPanel(props: Props) {
  const { state, dispatch } = props;
  const lang = state.lang;
  const [closed, setClosed] = useState<Record<string, boolean>>({});
  return (
    <section className="panel layer-panel" data-testid="layer-panel" aria-label={t(lang, "layers")}>
      <h2 className="panel-title">
        {t(lang, "layers")} <span className="en-sub">{lang === "zh" ? "Layers" : "图层"}</span>
      </h2>
      <div className="panel-scroll">
        {state.catalog.groups.map((g) => {
          const layers = state.catalog.layers.filter((l) => l.group === g.id);
          if (!layers.length) return null;
          const vis = groupVisibility(state, g.id);
          return (
            <div className="layer-group" key={g.id} data-testid={`layer-group-${g.id}`}>
              <div className="group-line">
                <input
                  type="checkbox"
                  data-testid={`group-toggle-${g.id}`}
                  checked={vis === "on"}
                  ref={(el) => {
                    if (el) el.indeterminate = vis === "mixed";
                  }}
                  onChange={(e) => dispatch((s) => setGroupVisible(s, g.id, e.target.checked))}
                  aria-label={g.title[lang]}
                />
                <button className="group-title" onClick={() => setClosed({ ...closed, [g.id]: !closed[g.id] })}>
                  {closed[g.id] ? "▸" : "▾"} {g.title[lang]}
                </button>
              </div>
              {!closed[g.id] && (
                <ul className="layer-list">
                  {layers.map((l) => (
                    <LayerRow key={l.id} spec={l} {...props} />
                  ))}
                </ul>
              )}
            </div>
          );
        })}
      </div>
    </section>
  );
}
