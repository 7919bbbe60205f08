// The inspector's toolkit UI (no Cesium): search box, underground toggle, excavation, measure,
// filters, export, and the panels for the hit list, filters and measurements. Everything it
// does goes through the actions it is given (the app's inspector service) and named updaters.
// All property values are rendered as React text nodes: never as HTML.
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import { onBottomBars, standOnBars } from "./bottomBars";
import "./inspector.css";
import type { Lang } from "../domain/catalog";
import type { HitRow } from "../domain/inspector/excavation";
import { formatFieldValue, type FieldSpec } from "../domain/inspector/fields";
import { isRange, type FieldFilter, type FieldStats, type LayerFilter } from "../domain/inspector/filter";
import { formatArea, formatLength } from "../domain/inspector/measure";
import type { SearchGroup, SearchResult } from "../domain/inspector/search";
import {
  inspectorOf,
  removeMeasurement,
  setExcavation,
  setGroundAlpha,
  setInspectorMessage,
  setPipeScale,
  setPitDepth,
  setTool,
  setUnderground,
  type Tool,
} from "../domain/inspector/state";
import type { AppState } from "../domain/state";
import type { Updater } from "../app/store";
import { t } from "./i18n";

export interface InspectorActions {
  search(q: string): Promise<SearchGroup[]>;
  applyFilter(layerId: string, filter: LayerFilter): Promise<unknown>;
  stats(layerId: string): Promise<Record<string, FieldStats> | undefined>;
  fields(layerId: string): FieldSpec[] | undefined;
  selectFeature(layerId: string, featureId: string): Promise<unknown>;
  exportFile(what: "selection" | "filter" | "excavation", format: "csv" | "geojson", layerId?: string): Promise<unknown>;
  exportPng(): Promise<unknown>;
  cameraHeight(): number | undefined;
}

type Panel = "filter" | "hits" | "measure" | undefined;

export function InspectorTools({ state, dispatch, actions }: { state: AppState; dispatch(u: Updater): void; actions: InspectorActions }) {
  const lang = state.lang;
  const ins = inspectorOf(state);
  const [panel, setPanel] = useState<Panel>(undefined);
  const hasPit = !!ins.excavation;
  useEffect(() => {
    if (hasPit) setPanel("hits");
  }, [hasPit, ins.excavation]);
  useEffect(() => {
    if (ins.measurements.length) setPanel("measure");
  }, [ins.measurements.length]);
  const tool = (x: Tool) => () => dispatch((s) => setInspectorMessage(setTool(s, inspectorOf(s).tool === x ? undefined : x), undefined));
  const hint = ins.tool
    ? ins.tool === "excavate-rect"
      ? t(lang, "rectHint")
      : ins.tool === "height" || ins.tool === "depth"
        ? t(lang, "pickHint")
        : t(lang, "measureHint")
    : undefined;
  const msg = ins.message && ins.message.where !== "search" && ins.message.where !== "select" ? ins.message[lang] : undefined;
  const inScene = ins.message?.where === "excavation" || ins.message?.where === "measure";
  // The tour player (and its caption) and the live strip also sit at the bottom between the
  // docks: the toolbar stands on top of whichever of them is highest.
  const column = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    const col = column.current;
    if (!col) return;
    const place = () => standOnBars(col);
    place();
    window.addEventListener("resize", place);
    const off = onBottomBars(place);
    return () => {
      window.removeEventListener("resize", place);
      off();
    };
  }, []);
  return (
    <>
      {/* Outside the column: a transformed ancestor would make "fixed" relative to it. */}
      {msg && inScene && (
        // A refused pit or measurement: said in the middle of the scene, where the user was drawing.
        <div className="insp-hint error insp-toast" role="alert" data-testid="insp-hint">
          <span>{msg}</span>
          <button
            className="text-btn"
            aria-label={t(lang, "close")}
            data-testid="insp-toast-close"
            onClick={() => dispatch((s) => setInspectorMessage(s, undefined))}
          >
            ×
          </button>
        </div>
      )}
      <div className="insp-column" ref={column}>
        {panel === "filter" && <FilterPanel state={state} actions={actions} onClose={() => setPanel(undefined)} />}
        {panel === "hits" && ins.excavation && (
          <HitList state={state} dispatch={dispatch} actions={actions} onClose={() => setPanel(undefined)} />
        )}
        {panel === "measure" && ins.measurements.length > 0 && (
          <MeasureList state={state} dispatch={dispatch} onClose={() => setPanel(undefined)} />
        )}
        {(hint || (msg && !inScene)) && (
          <div className={`insp-hint ${msg ? "error" : ""}`} role="status" data-testid="insp-hint">
            {msg ?? hint}
          </div>
        )}
        <div className="insp-bar panel" data-testid="insp-bar">
          <SearchBox lang={lang} actions={actions} state={state} />
          <div className="insp-group">
            <button
              className={`tool-btn ${ins.underground ? "on" : ""}`}
              onClick={() => dispatch((s) => setUnderground(s, !inspectorOf(s).underground))}
              data-testid="underground-toggle"
              aria-pressed={ins.underground}
            >
              ⛏ {t(lang, "underground")}
            </button>
            {ins.underground && (
              <>
                <label className="tool-range" title={t(lang, "groundAlpha")}>
                  {t(lang, "groundAlpha")}
                  <input
                    type="range"
                    min={0.05}
                    max={1}
                    step={0.05}
                    value={ins.groundAlpha}
                    onChange={(e) => dispatch((s) => setGroundAlpha(s, Number(e.target.value)))}
                    data-testid="ground-alpha"
                  />
                </label>
                <DepthReadout lang={lang} actions={actions} />
              </>
            )}
            <label className="tool-range" title={t(lang, "pipeScale")}>
              {t(lang, "pipeScale")} <span className="num">{ins.pipeScale}×</span>
              <input
                type="range"
                min={1}
                max={20}
                step={1}
                value={ins.pipeScale}
                onChange={(e) => dispatch((s) => setPipeScale(s, Number(e.target.value)))}
                data-testid="pipe-scale"
              />
            </label>
          </div>
          <div className="insp-group">
            <button
              className={`tool-btn ${ins.tool === "excavate-rect" ? "on" : ""}`}
              onClick={tool("excavate-rect")}
              data-testid="tool-excavate-rect"
            >
              ▭ {t(lang, "excavateRect")}
            </button>
            <button
              className={`tool-btn ${ins.tool === "excavate-poly" ? "on" : ""}`}
              onClick={tool("excavate-poly")}
              data-testid="tool-excavate-poly"
            >
              ⬠ {t(lang, "excavatePoly")}
            </button>
            <label className="tool-num">
              {t(lang, "pitDepth")}
              <input
                type="number"
                min={0.1}
                max={100}
                step={0.5}
                value={ins.pitDepthM}
                onChange={(e) => dispatch((s) => setPitDepth(s, Number(e.target.value)))}
                data-testid="pit-depth"
              />
              m
            </label>
          </div>
          <div className="insp-group">
            {(["distance", "area", "height", "depth"] as const).map((k) => (
              <button
                key={k}
                className={`tool-btn ${ins.tool === k ? "on" : ""}`}
                onClick={tool(k)}
                data-testid={`tool-${k}`}
                disabled={k === "depth" && !ins.underground}
              >
                {t(lang, k === "distance" ? "mDistance" : k === "area" ? "mArea" : k === "height" ? "mHeight" : "mDepth")}
              </button>
            ))}
          </div>
          <div className="insp-group">
            <button
              className={`tool-btn ${panel === "filter" ? "on" : ""}`}
              onClick={() => setPanel(panel === "filter" ? undefined : "filter")}
              data-testid="filter-toggle"
            >
              ⛃ {t(lang, "filter")}
              {Object.keys(ins.filters).length > 0 && <span className="badge num">{Object.keys(ins.filters).length}</span>}
            </button>
            <button className="tool-btn" onClick={() => void actions.exportPng()} data-testid="export-png">
              ⤓ PNG
            </button>
          </div>
        </div>
      </div>
    </>
  );
}

function DepthReadout({ lang, actions }: { lang: Lang; actions: InspectorActions }) {
  const [h, setH] = useState<number | undefined>(actions.cameraHeight());
  useEffect(() => {
    const id = setInterval(() => setH(actions.cameraHeight()), 400);
    return () => clearInterval(id);
  }, [actions]);
  if (h === undefined) return null;
  const below = h < 0;
  return (
    <span className={`chip ${below ? "warn" : "ok"} depth-readout`} data-testid="depth-readout">
      {below
        ? `${t(lang, "cameraDepth")} ${formatLength(-h, lang)} · ${t(lang, "belowGround")}`
        : `${t(lang, "cameraHeight")} ${formatLength(h, lang)}`}
    </span>
  );
}

function SearchBox({ lang, actions, state }: { lang: Lang; actions: InspectorActions; state: AppState }) {
  const [q, setQ] = useState("");
  const [groups, setGroups] = useState<SearchGroup[] | undefined>();
  const [open, setOpen] = useState(false);
  const [loading, setLoading] = useState(false);
  const seq = useRef(0);
  useEffect(() => {
    const my = ++seq.current;
    if (!q.trim()) {
      setGroups(undefined);
      return;
    }
    setLoading(true);
    actions.search(q).then(
      (g) => {
        if (my !== seq.current) return;
        setGroups(g);
        setLoading(false);
      },
      () => setLoading(false),
    );
  }, [q, actions]);
  const title = (layer: string) => state.catalog.layers.find((l) => l.id === layer)?.title[lang] ?? layer;
  const typeLabel = (r: SearchResult) => {
    if (!r.type) return "";
    for (const f of actions.fields(r.layer) ?? []) if (f.values?.[r.type]) return f.values[r.type][lang];
    return r.type;
  };
  const choose = (r: SearchResult) => {
    setOpen(false);
    void actions.selectFeature(r.layer, r.id);
  };
  const first = groups?.[0]?.results[0];
  return (
    <div className="search-box">
      <input
        type="search"
        value={q}
        placeholder={t(lang, "searchPlaceholder")}
        onChange={(e) => {
          setQ(e.target.value);
          setOpen(true);
        }}
        onFocus={() => setOpen(true)}
        onKeyDown={(e) => {
          if (e.key === "Enter" && first) choose(first);
          if (e.key === "Escape") setOpen(false);
        }}
        aria-label={t(lang, "search")}
        data-testid="search-input"
      />
      {open && q.trim() !== "" && (
        <div className="search-results panel" data-testid="search-results">
          {loading && !groups && <div className="muted">{t(lang, "searchLoading")}</div>}
          {groups && groups.length === 0 && (
            <div className="muted" data-testid="search-none">
              {t(lang, "searchNone")}
            </div>
          )}
          {groups?.map((g) => (
            <div key={g.layer} className="search-group">
              <div className="search-group-title">{title(g.layer)}</div>
              {g.results.map((r) => (
                <button
                  key={r.id}
                  className="search-hit"
                  onClick={() => choose(r)}
                  data-testid="search-hit"
                  data-layer={r.layer}
                  data-id={r.id}
                >
                  <span className="search-name">{r.name ?? r.id}</span>
                  <span className="search-meta">{[typeLabel(r), r.name ? r.id : ""].filter(Boolean).join(" · ")}</span>
                </button>
              ))}
            </div>
          ))}
        </div>
      )}
    </div>
  );
}

function FilterPanel({ state, actions, onClose }: { state: AppState; actions: InspectorActions; onClose(): void }) {
  const lang = state.lang;
  const ins = inspectorOf(state);
  const layers = state.catalog.layers.filter((l) => (actions.fields(l.id) ?? []).some((f) => f.filterable && f.name !== "id"));
  const [layerId, setLayerId] = useState(
    () => Object.keys(ins.filters)[0] ?? layers.find((l) => l.id.startsWith("pipes-") && state.layers[l.id]?.visible)?.id ?? layers[0]?.id,
  );
  const [stats, setStats] = useState<Record<string, FieldStats> | undefined>();
  useEffect(() => {
    setStats(undefined);
    if (layerId) void actions.stats(layerId).then(setStats);
  }, [layerId, actions]);
  const fields = (actions.fields(layerId) ?? []).filter((f) => f.filterable);
  const filter = ins.filters[layerId] ?? {};
  const count = ins.filterCounts[layerId];
  const set = (name: string, f: FieldFilter | undefined) => {
    const next: LayerFilter = { ...filter };
    if (f === undefined) delete next[name];
    else next[name] = f;
    void actions.applyFilter(layerId, next);
  };
  return (
    <section className="panel insp-panel" data-testid="filter-panel">
      <h2 className="panel-title">
        {t(lang, "filter")}
        <button className="icon-btn" onClick={onClose} aria-label={t(lang, "close")}>
          ✕
        </button>
      </h2>
      <div className="filter-head">
        <label className="select">
          {t(lang, "filterLayer")}
          <select value={layerId} onChange={(e) => setLayerId(e.target.value)} data-testid="filter-layer">
            {layers.map((l) => (
              <option key={l.id} value={l.id}>
                {l.title[lang]}
                {ins.filters[l.id] ? " ●" : ""}
              </option>
            ))}
          </select>
        </label>
        <span className="filter-count num" data-testid="filter-count">
          {count
            ? `${t(lang, "matched")} ${count.matched.toLocaleString()} / ${t(lang, "of")} ${count.total.toLocaleString()}`
            : state.layers[layerId]?.featureCount
              ? `${t(lang, "of")} ${state.layers[layerId].featureCount!.toLocaleString()}`
              : ""}
        </span>
        <button
          className="text-btn"
          onClick={() => void actions.applyFilter(layerId, {})}
          disabled={!ins.filters[layerId]}
          data-testid="filter-clear"
        >
          {t(lang, "clearFilter")}
        </button>
        <button className="text-btn" onClick={() => void actions.exportFile("filter", "csv", layerId)} data-testid="filter-export-csv">
          ⤓ {t(lang, "exportCsv")}
        </button>
        <button className="text-btn" onClick={() => void actions.exportFile("filter", "geojson", layerId)}>
          ⤓ {t(lang, "exportGeoJson")}
        </button>
      </div>
      <div className="panel-scroll filter-fields">
        {!stats && <div className="muted">{t(lang, "loading")}…</div>}
        {stats &&
          fields.map((f) => (
            <FieldControl
              key={`${layerId}.${f.name}`}
              field={f}
              stats={stats[f.name]}
              value={filter[f.name]}
              lang={lang}
              onChange={(v) => set(f.name, v)}
            />
          ))}
      </div>
    </section>
  );
}

function FieldControl({
  field,
  stats,
  value,
  lang,
  onChange,
}: {
  field: FieldSpec;
  stats?: FieldStats;
  value?: FieldFilter;
  lang: Lang;
  onChange(v: FieldFilter | undefined): void;
}) {
  const numeric = field.type === "number" || field.type === "integer" || field.type === "year";
  const label = `${field.label[lang]}${field.unit ? ` (${field.unit})` : ""}`;
  if (numeric && stats?.min !== undefined && stats.max !== undefined) {
    const r = value && isRange(value) ? value : {};
    const lo = r.min ?? stats.min;
    const hi = r.max ?? stats.max;
    const step = field.type === "number" ? Math.max(0.1, +((stats.max - stats.min) / 100).toPrecision(1)) : 1;
    const change = (min: number, max: number) => onChange(min <= stats.min! && max >= stats.max! ? undefined : { min, max });
    return (
      <div className="field-ctl" data-testid={`field-${field.name}`}>
        <div className="field-label">
          {label}
          <span className="num field-range">
            {lo} – {hi}
          </span>
        </div>
        <div className="dual-range">
          <input
            type="range"
            min={stats.min}
            max={stats.max}
            step={step}
            value={lo}
            onChange={(e) => change(Math.min(Number(e.target.value), hi), hi)}
            aria-label={`${label} ${t(lang, "from")}`}
            data-testid={`range-min-${field.name}`}
          />
          <input
            type="range"
            min={stats.min}
            max={stats.max}
            step={step}
            value={hi}
            onChange={(e) => change(lo, Math.max(Number(e.target.value), lo))}
            aria-label={`${label} ${t(lang, "to")}`}
            data-testid={`range-max-${field.name}`}
          />
        </div>
        {field.name === "renewalYear" && (
          <PresenceToggle
            lang={lang}
            value={value && "present" in value ? value.present : undefined}
            onChange={(p) => onChange(p === undefined ? undefined : { present: p })}
          />
        )}
      </div>
    );
  }
  if (numeric && field.name === "renewalYear") {
    return (
      <div className="field-ctl">
        <div className="field-label">{label}</div>
        <PresenceToggle
          lang={lang}
          value={value && "present" in value ? value.present : undefined}
          onChange={(p) => onChange(p === undefined ? undefined : { present: p })}
        />
      </div>
    );
  }
  const values = Object.keys(stats?.values ?? {}).sort();
  if (!values.length) return null;
  const chosen = value && "values" in value ? new Set(value.values) : undefined;
  const toggle = (v: string) => {
    const next = new Set(chosen ?? values);
    if (next.has(v)) next.delete(v);
    else next.add(v);
    onChange(next.size === values.length ? undefined : { values: [...next] });
  };
  return (
    <div className="field-ctl" data-testid={`field-${field.name}`}>
      <div className="field-label">{label}</div>
      <div className="checks">
        {values.map((v) => (
          <label key={v} className="check">
            <input type="checkbox" checked={!chosen || chosen.has(v)} onChange={() => toggle(v)} data-testid={`check-${field.name}-${v}`} />
            {field.type === "boolean" ? formatFieldValue(undefined, v === "true", lang) : formatFieldValue(field, v, lang)}
            <span className="muted num"> {stats!.values![v].toLocaleString()}</span>
          </label>
        ))}
      </div>
    </div>
  );
}

function PresenceToggle({ lang, value, onChange }: { lang: Lang; value: boolean | undefined; onChange(v: boolean | undefined): void }) {
  return (
    <div className="seg small" role="group">
      {([undefined, true, false] as const).map((v) => (
        <button key={String(v)} className={value === v ? "on" : ""} onClick={() => onChange(v)} data-testid={`presence-${String(v)}`}>
          {v === undefined ? t(lang, "any") : v ? t(lang, "present") : t(lang, "absent")}
        </button>
      ))}
    </div>
  );
}

function HitList({
  state,
  dispatch,
  actions,
  onClose,
}: {
  state: AppState;
  dispatch(u: Updater): void;
  actions: InspectorActions;
  onClose(): void;
}) {
  const lang = state.lang;
  const ex = inspectorOf(state).excavation!;
  const pf = actions.fields("pipes-gas");
  const nf = actions.fields("pipe-nodes");
  const f = (n: string) => pf?.find((x) => x.name === n);
  const title = (layer: string) => state.catalog.layers.find((l) => l.id === layer)?.title[lang] ?? layer;
  const sel = state.selection;
  const rows = useMemo(() => ex.rows, [ex.rows]);
  return (
    <section className="panel insp-panel" data-testid="hit-list">
      <h2 className="panel-title">
        <span>
          {t(lang, "hitList")}{" "}
          <span className="num muted">
            ({rows.length} · {formatArea(ex.areaM2, lang)} · {ex.depthM} m)
          </span>
        </span>
        <span>
          <button className="text-btn" onClick={() => void actions.exportFile("excavation", "csv")} data-testid="hits-export-csv">
            ⤓ {t(lang, "exportCsv")}
          </button>
          <button className="text-btn" onClick={() => void actions.exportFile("excavation", "geojson")}>
            ⤓ {t(lang, "exportGeoJson")}
          </button>
          <button className="text-btn" onClick={() => dispatch((s) => setExcavation(s, undefined))} data-testid="pit-clear">
            {t(lang, "clearPit")}
          </button>
          <button className="icon-btn" onClick={onClose} aria-label={t(lang, "close")}>
            ✕
          </button>
        </span>
      </h2>
      {rows.length === 0 ? (
        <div className="muted" data-testid="hit-none">
          {t(lang, "hitNone")}
        </div>
      ) : (
        <div className="panel-scroll">
          <table className="hits">
            <thead>
              <tr>
                <th>{f("network")?.label[lang]}</th>
                <th>{t(lang, "kind")}</th>
                <th>{t(lang, "id")}</th>
                <th>{f("material")?.label[lang]}</th>
                <th>{f("diameterMm")?.label[lang]}</th>
                <th>{t(lang, "mDepth")}</th>
                <th>{f("installYear")?.label[lang]}</th>
                <th>{t(lang, "renewed")}</th>
                <th>{t(lang, "lengthInPit")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r: HitRow) => (
                <tr
                  key={`${r.layerId}:${r.featureId}`}
                  className={sel?.featureId === r.featureId ? "on" : ""}
                  onClick={() => void actions.selectFeature(r.layerId, r.featureId)}
                  data-testid="hit-row"
                  data-id={r.featureId}
                >
                  <td>{r.network ? formatFieldValue(f("network"), r.network, lang) : title(r.layerId)}</td>
                  <td>
                    {r.kind === "pipe"
                      ? t(lang, "pipe")
                      : formatFieldValue(
                          nf?.find((x) => x.name === "nodeType"),
                          r.nodeType,
                          lang,
                        )}
                  </td>
                  <td className="mono">{r.featureId}</td>
                  <td>{formatFieldValue(f("material"), r.material, lang)}</td>
                  <td className="num">{formatFieldValue(f("diameterMm"), r.diameterMm, lang)}</td>
                  <td className="num">{formatFieldValue(f("depthM"), r.depthM, lang)}</td>
                  <td className="num">{formatFieldValue(f("installYear"), r.installYear, lang)}</td>
                  <td>{r.renewed ? `✓ ${r.renewalYear ?? ""}` : "—"}</td>
                  <td className="num">{r.lengthInPitM !== undefined ? formatLength(r.lengthInPitM, lang) : "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function MeasureList({ state, dispatch, onClose }: { state: AppState; dispatch(u: Updater): void; onClose(): void }) {
  const lang = state.lang;
  const ms = inspectorOf(state).measurements;
  return (
    <section className="panel insp-panel small" data-testid="measure-list">
      <h2 className="panel-title">
        <span>
          {t(lang, "measure")} <span className="muted">· {t(lang, "deleteHint")}</span>
        </span>
        <button className="icon-btn" onClick={onClose} aria-label={t(lang, "close")}>
          ✕
        </button>
      </h2>
      <ul className="measure-items">
        {ms.map((m) => (
          <li key={m.id}>
            <button
              className="measure-item"
              onClick={() => dispatch((s) => removeMeasurement(s, m.id))}
              data-testid="measure-item"
              data-kind={m.kind}
              data-value={m.value}
            >
              <b>
                {t(lang, m.kind === "distance" ? "mDistance" : m.kind === "area" ? "mArea" : m.kind === "height" ? "mHeight" : "mDepth")}
              </b>{" "}
              <span className="num">{m.kind === "area" ? formatArea(m.value, lang) : formatLength(m.value, lang)}</span>
              {m.legsM && m.legsM.length > 1 && (
                <span className="muted num">
                  {" "}
                  ({t(lang, "legs")}: {m.legsM.map((l) => formatLength(l, lang)).join(" + ")})
                </span>
              )}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
