// The cockpit (驾驶舱): view switcher across the top, KPI cards and charts docked at the sides.
// Every number comes from the worker's calculators; targets come from data/kpis.json.
import { lazy, Suspense, useMemo, useState } from "react";
import type { Lang } from "../domain/catalog";
import { groupLabel, type ChartData, type ChartSpec } from "../domain/charts";
import { meetsTarget, type KpiDef } from "../domain/kpi/manifest";
import { importedRolesOf } from "../domain/imports";
import { layersForCalculator } from "../domain/kpiLayers";
import { setHighlight, type AppState, type Highlight } from "../domain/state";
import type { AnalysisId, ViewSpec, ViewsManifest } from "../domain/views";
import type { Updater } from "../app/store";
import type { EChartsOption } from "./EChart";
import { formatNumber, t } from "./i18n";
import { filtersByName } from "../domain/inspector/figures";
import { currentFigures, inspectorOf } from "../domain/inspector/state";
import "./figures.css";

// ECharts (≈0.5 MB) is fetched when the first chart has its figures (after the scene is ready
// and the cockpit worker is done), not with the bundle that has to load before the first frame.
const EChart = lazy(() => import("./EChart"));

const TXT = {
  kpis: { zh: "核心指标", en: "Key figures" },
  charts: { zh: "统计分析", en: "Analysis" },
  target: { zh: "目标", en: "Target" },
  computing: { zh: "正在根据图层数据计算…", en: "Computing from the layer data…" },
  loading: { zh: "加载中…", en: "Loading…" },
  noData: { zh: "无数据", en: "No data" },
  failed: { zh: "指标计算失败", en: "KPI computation failed" },
  met: { zh: "达标", en: "met" },
  notMet: { zh: "未达标", en: "not met" },
  computedIn: { zh: "由图层数据实时计算", en: "computed from the layer data" },
  clear: { zh: "清除高亮", en: "Clear highlight" },
  highlighted: { zh: "高亮", en: "Highlighted" },
  greenAccess: { zh: "“300米见绿、500米见园”分析", en: "300 m to green, 500 m to a park" },
  residentsGreen: { zh: "300米见绿人口占比", en: "Residents with green ≤ 300 m" },
  residentsPark: { zh: "500米见园人口占比", en: "Residents with a park ≤ 500 m" },
  uncovered: { zh: "未覆盖住宅", en: "Homes not covered" },
  lifeCircle: { zh: "15分钟生活圈分析", en: "15-minute life circle" },
  allServices: { zh: "五类设施全覆盖人口", en: "Residents reaching all five" },
  gapHomes: { zh: "存在缺口的住宅", en: "Homes with a gap" },
  pipeCondition: { zh: "管网年龄结构", en: "Pipe age structure" },
  gasOld: { zh: "超20年未改造燃气管", en: "Gas pipes > 20 y unrenewed" },
  waterlogging: { zh: "内涝风险分析", en: "Waterlogging risk" },
  spots: { zh: "易涝点", en: "Spots" },
  highRisk: { zh: "高风险", en: "High risk" },
  drainsNear: { zh: "周边排水管", en: "Drains nearby" },
  flagged: { zh: "需关注", en: "Flagged" },
  years: { zh: "年", en: "y" },
  computedMs: { zh: "空间索引计算", en: "indexed, computed in" },
} as const;
const tx = (lang: Lang, k: keyof typeof TXT) => TXT[k][lang];

export function ViewSwitcher({
  views,
  current,
  lang,
  onSelect,
}: {
  views: ViewsManifest;
  current: string | undefined;
  lang: Lang;
  onSelect(id: string): void;
}) {
  const cur = views.views.find((v) => v.id === current);
  const app = cur?.app ?? views.apps[0]?.id;
  const scenarios = views.views.filter((v) => v.app === app && v.id !== app);
  return (
    <nav className="view-switcher" data-testid="view-switcher">
      <div className="apps">
        {views.apps.map((a) => (
          <button
            key={a.id}
            className={a.id === app ? "on" : ""}
            data-testid={`view-${a.id}`}
            title={a.description[lang]}
            onClick={() => onSelect(views.views.some((v) => v.id === a.id) ? a.id : (views.views.find((v) => v.app === a.id)?.id ?? a.id))}
          >
            {a.title[lang]}
          </button>
        ))}
      </div>
      {scenarios.length > 0 && (
        <div className="scenarios">
          {scenarios.map((v) => (
            <button key={v.id} className={v.id === current ? "on" : ""} data-testid={`view-${v.id}`} onClick={() => onSelect(v.id)}>
              {v.title[lang]}
            </button>
          ))}
        </div>
      )}
    </nav>
  );
}

export function formatKpi(value: number, unit: string, def: KpiDef | undefined, lang: Lang): { num: string; unit: string } {
  const unitLabel =
    def?.unitLabel?.[lang] || (unit === "count" ? "" : unit === "m²/person" ? (lang === "zh" ? "平方米/人" : "m²/person") : unit);
  if (unit === "m²" && value >= 1e5)
    return lang === "zh"
      ? { num: formatNumber(value / 1e4, lang, 1), unit: "万平方米" }
      : { num: formatNumber(value / 1e6, lang, 2), unit: "million m²" };
  const digits = unit === "count" ? 0 : unit === "%" || unit === "km" || unit === "m²/person" || unit === "ha" ? 1 : 0;
  return { num: formatNumber(value, lang, digits), unit: unitLabel };
}

function KpiCard({
  id,
  def,
  state,
  missingRef,
  onClick,
}: {
  id: string;
  def: KpiDef | undefined;
  state: AppState;
  missingRef?: string;
  onClick(): void;
}) {
  const lang = state.lang;
  const r = state.cockpit.kpis[id];
  const title = def?.title[lang] ?? id;
  let body: React.ReactNode;
  let status = "loading";
  if (missingRef) {
    status = "missing";
    body = (
      <div className="kpi-missing">
        {tx(lang, "noData")}: {missingRef}
      </div>
    );
  } else if (state.cockpit.status === "error") {
    status = "missing";
    body = <div className="kpi-missing">{state.cockpit.error?.[lang]}</div>;
  } else if (!r) {
    // Before its figure arrives (the cockpit starts once the scene is ready) a card says so, never 0.
    body = <div className="kpi-value skeleton">{tx(lang, "loading")}</div>;
  } else if (r.missing) {
    status = "missing";
    body = (
      <div className="kpi-missing">
        {tx(lang, "noData")}: {r.missing[lang]}
      </div>
    );
  } else {
    status = "ready";
    const f = formatKpi(r.value, r.unit, def, lang);
    const ok = def ? meetsTarget(r.value, def) : undefined;
    const t = def ? formatKpi(def.target, def.unit, def, lang) : undefined;
    body = (
      <>
        <div className="kpi-value">
          <span className="num">{f.num}</span>
          <span className="kpi-unit">{f.unit}</span>
        </div>
        {t && (
          <div className={`kpi-target ${ok ? "ok" : "miss"}`} title={ok ? tx(lang, "met") : tx(lang, "notMet")}>
            <span className="kpi-mark">{ok ? "✓" : "✗"}</span> {tx(lang, "target")} {t.num}
            {t.unit ? ` ${t.unit}` : ""}
          </div>
        )}
        <FilteredKpi id={id} def={def} state={state} full={f.num} />
      </>
    );
  }
  return (
    <button
      className={`kpi-card kpi-${status}`}
      data-testid={`kpi-${id}`}
      data-status={status}
      onClick={onClick}
      title={def?.description?.[lang] ?? title}
    >
      <div className="kpi-title">
        {title}
        <ImportedBadge state={state} roles={def ? importedRolesOf(state, def.calculator) : []} />
      </div>
      {body}
    </button>
  );
}

/** Layer names (ids and roles) under an active filter. */
function filteredNames(state: AppState): Set<string> {
  return new Set(Object.keys(filtersByName(state.catalog.layers, inspectorOf(state).filters, state.roleSwaps)));
}

/** "筛选后 123（全部 456）": the KPI over the features the inspector's filters keep. */
function FilteredKpi({ id, def, state, full }: { id: string; def: KpiDef | undefined; state: AppState; full: string }) {
  const lang = state.lang;
  if (!def) return null;
  const names = filteredNames(state);
  if (!layersForCalculator(def.calculator).some((l) => names.has(l))) return null;
  const fig = currentFigures(state);
  const r = fig?.kpis[id];
  if (!r || fig.status !== "ready")
    return (
      <div className="kpi-filtered" data-testid={`kpi-filtered-${id}`} data-status={fig?.status === "error" ? "error" : "computing"}>
        {fig?.status === "error" ? `${t(lang, "filtered")}: ${fig.error?.[lang] ?? ""}` : t(lang, "filteredComputing")}
      </div>
    );
  if (r.missing)
    return (
      <div className="kpi-filtered kpi-missing" data-testid={`kpi-filtered-${id}`} data-status="missing">
        {t(lang, "filtered")}: {r.missing[lang]}
      </div>
    );
  const f = formatKpi(r.value, r.unit, def, lang);
  return (
    <div
      className="kpi-filtered"
      data-testid={`kpi-filtered-${id}`}
      data-status="ready"
      data-value={r.value}
      title={t(lang, "filteredTip")}
    >
      <span className="kpi-filtered-tag">{t(lang, "filtered")}</span>
      <span className="num">{f.num}</span>
      {f.unit && <span className="kpi-unit">{f.unit}</span>}
      <span className="kpi-filtered-of">
        {lang === "zh" ? `（${t(lang, "filteredAll")} ${full}）` : `${t(lang, "filteredAll")} ${full}`}
      </span>
    </div>
  );
}

/** Marks a figure computed from imported data (a role swapped in "我的数据"). */
function ImportedBadge({ state, roles }: { state: AppState; roles: string[] }) {
  if (!roles.length) return null;
  const names = roles
    .map((r) => state.catalog.layers.find((l) => l.id === state.roleSwaps?.[r]?.layerId)?.title[state.lang] ?? r)
    .join(", ");
  return (
    <span className="kpi-imported" data-testid="kpi-imported" title={`${t(state.lang, "importBadgeTip")}: ${names}`}>
      {t(state.lang, "importBadge")}
    </span>
  );
}

const PALETTE = ["#3ee0ff", "#46e39a", "#ffb84d", "#ff6b8b", "#a98bff", "#f5e960", "#5b8cff", "#ff9a1f"];
// Pipe networks keep their legend colours in charts too.
const KEY_COLORS: Record<string, string> = {
  gas: "#ff5fc8",
  water: "#2fa8ff",
  drainage: "#b8742e",
  heating: "#ff9a1f",
  reclaimed: "#58f0c8",
  available: "#3dff8b",
  charging: "#3fb8ff",
  fault: "#ff4d4f",
  offline: "#8c8c8c",
};

export function chartOption(spec: ChartSpec, data: ChartData, lang: Lang, fontPx: number): EChartsOption {
  const text = { color: "#cfe6ff", fontSize: fontPx };
  const cats = data.categories.map((c) => groupLabel(spec.groupBy, c, lang));
  const unit = spec.unit[lang];
  const fmt = (v: number) => formatNumber(v, lang, spec.measure === "count" ? 0 : 1);
  const tooltip = {
    trigger: spec.type === "pie" ? "item" : "axis",
    textStyle: { fontSize: fontPx },
    valueFormatter: (v: number) => `${fmt(v)} ${unit}`,
  };
  if (spec.type === "pie")
    return {
      color: data.categories.map((c, i) => KEY_COLORS[c] ?? PALETTE[i % PALETTE.length]),
      tooltip,
      legend: { bottom: 0, textStyle: text, itemWidth: 12, itemHeight: 10, type: "scroll" },
      series: [
        {
          type: "pie",
          radius: ["38%", "66%"],
          center: ["50%", "44%"],
          label: { color: "#e6f4ff", fontSize: fontPx, formatter: "{d}%" },
          data: data.categories.map((_c, i) => ({ name: cats[i], value: +data.totals[i].toFixed(3) })),
        },
      ],
    };
  const stacked = spec.type === "stackedBar";
  return {
    color: data.series.map((s, i) => KEY_COLORS[s.key] ?? PALETTE[i % PALETTE.length]),
    tooltip,
    legend: stacked ? { top: 0, textStyle: text, itemWidth: 12, itemHeight: 10, type: "scroll" } : undefined,
    grid: { left: 8, right: 12, top: stacked ? 28 : 12, bottom: 4, containLabel: true },
    xAxis: {
      type: "category",
      data: cats,
      // Rotate when the labels would not fit side by side.
      axisLabel: { ...text, interval: 0, rotate: cats.join("").length > 18 ? 30 : 0 },
      axisLine: { lineStyle: { color: "#3a6a8f" } },
    },
    yAxis: { type: "value", axisLabel: text, splitLine: { lineStyle: { color: "rgba(64,200,255,0.12)" } } },
    series: data.series.map((s) => ({
      type: "bar",
      name: groupLabel(spec.stackBy, s.key, lang) || spec.title[lang],
      stack: stacked ? "all" : undefined,
      barMaxWidth: 28,
      // Unstacked bars take their category's colour (a pipe network keeps its legend colour).
      data: s.values.map((v, i) =>
        stacked ? +v.toFixed(3) : { value: +v.toFixed(3), itemStyle: { color: KEY_COLORS[data.categories[i]] ?? PALETTE[0] } },
      ),
    })),
  };
}

function ChartCard({ spec, state, onPick }: { spec: ChartSpec | undefined; id: string; state: AppState; onPick(h: Highlight): void }) {
  const lang = state.lang;
  // With a filter on a layer it reads, the chart shows the filtered figures (a toggle shows all).
  const [showAll, setShowAll] = useState(false);
  const names = filteredNames(state);
  const touched = !!spec && spec.layers.some((l) => names.has(l));
  const fig = touched ? currentFigures(state) : undefined;
  const filteredData = fig?.status === "ready" ? fig.charts[spec!.id] : undefined;
  const data = spec ? (touched && !showAll ? filteredData : state.cockpit.charts[spec.id]) : undefined;
  const fontPx = Math.round(Math.max(12, Math.min(22, window.innerWidth / 150)));
  const option = useMemo(
    () => (spec && data && !data.missing ? chartOption(spec, data, lang, fontPx) : undefined),
    [spec, data, lang, fontPx],
  );
  return (
    <div
      className={`chart-card${touched && !showAll ? " chart-filtered" : ""}`}
      data-testid={spec ? `chart-${spec.id}` : undefined}
      data-filtered={touched && !showAll ? (filteredData ? "ready" : "computing") : undefined}
    >
      <div className="chart-title">
        {spec?.title[lang]}
        {spec && <span className="chart-unit">（{spec.unit[lang]}）</span>}
        {spec && <ImportedBadge state={state} roles={spec.layers.filter((l) => state.roleSwaps?.[l])} />}
        {touched && (
          <button
            className="chart-filter-toggle"
            data-testid="chart-filter-toggle"
            aria-pressed={!showAll}
            title={t(lang, "filteredTip")}
            onClick={() => setShowAll(!showAll)}
          >
            {showAll ? t(lang, "filteredShowFiltered") : `${t(lang, "filtered")} · ${t(lang, "filteredShowAll")}`}
          </button>
        )}
      </div>
      {!data ? (
        <div className="chart-empty">
          {touched && !showAll
            ? fig?.status === "error"
              ? fig.error?.[lang]
              : t(lang, "filteredComputing")
            : state.cockpit.status === "error"
              ? state.cockpit.error?.[lang]
              : tx(lang, "computing")}
        </div>
      ) : data.missing ? (
        <div className="kpi-missing">
          {tx(lang, "noData")}: {data.missing[lang]}
        </div>
      ) : (
        option && (
          <Suspense fallback={<div className="echart" />}>
            <EChart
              option={option}
              onClick={(p) => {
                if (!spec) return;
                const key = data.categories[p.dataIndex];
                if (key === undefined) return;
                onPick({
                  layerIds: spec.layers,
                  property: spec.groupBy.property,
                  value: key,
                  binSize: spec.groupBy.binSize,
                  label: `${spec.title[lang]} · ${groupLabel(spec.groupBy, key, lang)}`,
                });
              }}
            />
          </Suspense>
        )
      )}
    </div>
  );
}

const CATEGORY_LABEL: Record<string, { zh: string; en: string }> = {
  school: { zh: "学校", en: "School" },
  clinic: { zh: "卫生", en: "Clinic" },
  market: { zh: "菜市场", en: "Market" },
  park: { zh: "公园", en: "Park" },
  "elderly-care": { zh: "养老", en: "Elderly care" },
  "community-service": { zh: "社区服务", en: "Community" },
  childcare: { zh: "托育", en: "Childcare" },
};

function Stat({ label, value, unit }: { label: string; value: string; unit?: string }) {
  return (
    <div className="stat">
      <div className="kpi-title">{label}</div>
      <div className="kpi-value">
        <span className="num">{value}</span>
        {unit && <span className="kpi-unit">{unit}</span>}
      </div>
    </div>
  );
}

function AnalysisCard({ id, state }: { id: AnalysisId; state: AppState }) {
  const lang = state.lang;
  const a = state.cockpit.analyses;
  const pct = (x: number) => formatNumber(100 * x, lang, 1);
  const ms = (x: number) => `${tx(lang, "computedMs")} ${formatNumber(x, lang, 0)} ms`;
  let title: string;
  let body: React.ReactNode = <div className="chart-empty">{tx(lang, "computing")}</div>;
  if (id === "green-access") {
    title = tx(lang, "greenAccess");
    const g = a?.greenAccess;
    if (g)
      body = (
        <>
          <div className="stat-row">
            <Stat label={tx(lang, "residentsGreen")} value={pct(g.shareGreen)} unit="%" />
            <Stat label={tx(lang, "residentsPark")} value={pct(g.sharePark)} unit="%" />
            <Stat label={tx(lang, "uncovered")} value={formatNumber(g.buildingsUncovered, lang)} />
          </div>
          <div className="analysis-foot">{ms(g.ms)}</div>
        </>
      );
  } else if (id === "life-circle") {
    title = tx(lang, "lifeCircle");
    const l = a?.lifeCircle;
    if (l)
      body = (
        <>
          <div className="stat-row">
            <Stat label={tx(lang, "allServices")} value={pct(l.shareAll)} unit="%" />
            <Stat label={tx(lang, "gapHomes")} value={formatNumber(l.gaps, lang)} />
          </div>
          <ul className="bars">
            {l.categories.map((c) => (
              <li key={c.category}>
                <span>{CATEGORY_LABEL[c.category]?.[lang] ?? c.category}</span>
                <span className="bar">
                  <span style={{ width: `${Math.round(100 * c.share)}%` }} />
                </span>
                <span className="num">{pct(c.share)}%</span>
              </li>
            ))}
          </ul>
          <div className="analysis-foot">{ms(l.ms)}</div>
        </>
      );
  } else if (id === "pipe-condition") {
    title = tx(lang, "pipeCondition");
    const p = a?.pipeCondition;
    if (p) {
      const max = Math.max(1e-9, ...p.byAge.map((b) => b.lengthKm));
      body = (
        <>
          <ul className="bars">
            {p.byAge.map((b) => (
              <li key={b.ageClass}>
                <span>
                  {b.ageClass} {tx(lang, "years")}
                </span>
                <span className="bar">
                  <span style={{ width: `${Math.round((100 * b.lengthKm) / max)}%` }} />
                </span>
                <span className="num">{formatNumber(b.lengthKm, lang, 0)} km</span>
              </li>
            ))}
          </ul>
          <div className="stat-row">
            <Stat
              label={tx(lang, "gasOld")}
              value={formatNumber(p.gasOverAgeUnrenewed.count, lang)}
              unit={`(${formatNumber(p.gasOverAgeUnrenewed.lengthKm, lang, 1)} km)`}
            />
          </div>
          <div className="analysis-foot">{ms(p.ms)}</div>
        </>
      );
    }
  } else {
    title = tx(lang, "waterlogging");
    const w = a?.waterlogging;
    if (w)
      body = (
        <>
          <div className="stat-row">
            <Stat label={tx(lang, "spots")} value={formatNumber(w.points, lang)} />
            <Stat label={tx(lang, "highRisk")} value={formatNumber(w.high, lang)} />
            <Stat label={tx(lang, "drainsNear")} value={formatNumber(w.drainagePipesNearby, lang)} />
            <Stat label={tx(lang, "flagged")} value={formatNumber(w.flaggedPipesNearby, lang)} />
          </div>
          <div className="analysis-foot">{ms(w.ms)}</div>
        </>
      );
  }
  if (a?.error) body = <div className="kpi-missing">{a.error[lang]}</div>;
  return (
    <div className="chart-card analysis-card" data-testid={`analysis-${id}`} data-status={body && a && !a.error ? "ready" : "loading"}>
      <div className="chart-title">{title}</div>
      {body}
    </div>
  );
}

export function CockpitPanels({
  state,
  dispatch,
  view,
  views,
  kpiDefs,
  charts,
}: {
  state: AppState;
  dispatch(u: Updater): void;
  view: ViewSpec | undefined;
  views: ViewsManifest;
  kpiDefs: Map<string, KpiDef>;
  charts: Map<string, ChartSpec>;
}) {
  const lang = state.lang;
  if (!view) return null;
  const pick = (h: Highlight) =>
    dispatch((s) => {
      let out = setHighlight(s, h);
      for (const id of h.layerIds)
        if (out.layers[id]) out = { ...out, layers: { ...out.layers, [id]: { ...out.layers[id], visible: true } } };
      return out;
    });
  const problems = views.problems[view.id] ?? [];
  return (
    <section className="panel cockpit" data-testid="cockpit" data-status={state.cockpit.status}>
      <h2 className="panel-title">
        {view.title[lang]}
        <span className="en-sub">{tx(lang, "computedIn")}</span>
      </h2>
      <div className="panel-scroll">
        <p className="view-desc">{view.description[lang]}</p>
        {state.cockpit.status === "computing" && (
          <div className="progress cockpit-progress" data-testid="cockpit-progress">
            <div style={{ width: `${Math.round((state.cockpit.progress ?? 0) * 100)}%` }} />
          </div>
        )}
        {state.highlight && (
          <div className="highlight-chip" data-testid="highlight">
            {tx(lang, "highlighted")}: {state.highlight.label}
            <button className="text-btn" onClick={() => dispatch((s) => setHighlight(s, undefined))}>
              {tx(lang, "clear")}
            </button>
          </div>
        )}
        <div className="kpi-grid">
          {view.kpis.map((id) => {
            const def = kpiDefs.get(id);
            return (
              <KpiCard
                key={id}
                id={id}
                def={def}
                state={state}
                missingRef={def ? undefined : problems.find((p) => p.includes(`"${id}"`))}
                onClick={() =>
                  def &&
                  pick({
                    layerIds: layersForCalculator(def.calculator).filter((l) => state.layers[l]),
                    label: def.title[lang],
                  })
                }
              />
            );
          })}
        </div>
        {view.analyses.map((id) => (
          <AnalysisCard key={id} id={id} state={state} />
        ))}
        {view.charts
          .filter((id) => charts.has(id))
          .map((id) => (
            <ChartCard key={id} id={id} spec={charts.get(id)} state={state} onPick={pick} />
          ))}
        {view.charts
          .filter((id) => !charts.has(id))
          .map((id) => (
            <div className="kpi-missing" key={`missing-${id}`}>
              {tx(lang, "noData")}: {problems.find((p) => p.includes(`"${id}"`)) ?? id}
            </div>
          ))}
      </div>
    </section>
  );
}
