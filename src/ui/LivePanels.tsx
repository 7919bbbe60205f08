// Live-city panels (no Cesium): the strip at the bottom of the scene with cockpit cards
// (sensors online, active alarms by level, worst reading per scenario), the alarm list
// (time, place, value, level; acknowledge; fly to) and the diagnostics line (connection,
// messages/s, dropped messages by reason); and the sensor card with a sparkline of its last
// readings. Every string through i18n; payload text is only ever rendered as text.
import { useEffect, useState } from "react";
import type { Lang } from "../domain/catalog";
import { ALARM_LEVELS, type AlarmLevel, type AlarmRule, type BookEntry } from "../domain/live/alarms";
import type { MirroredSensor } from "../domain/live/batch";
import type { LiveStats, WorstReading } from "../domain/live/feed";
import { KIND_INFO } from "../domain/live/kinds";
import type { DropReason } from "../domain/live/payload";
import { BOTTOM_BAR, useBottomBarRef } from "./bottomBars";
import { formatNumber, t, type StringKey } from "./i18n";
import "./live.css";

export interface LiveSnapshot {
  state: "idle" | "connecting" | "connected" | "reconnecting" | "error";
  error?: string;
  nextRetryS: number;
  broker: string;
  stats: LiveStats;
  alarms: BookEntry[];
  worst: WorstReading[];
}

const LEVEL_KEY: Record<AlarmLevel, StringKey> = { notice: "levelNotice", warning: "levelWarning", alarm: "levelAlarm" };
const STATE_KEY: Record<LiveSnapshot["state"], StringKey> = {
  idle: "liveIdle",
  connecting: "liveConnecting",
  connected: "liveConnected",
  reconnecting: "liveReconnecting",
  error: "liveError",
};
const DROP_KEY: Record<DropReason, StringKey> = {
  "too-large": "dropTooLarge",
  "not-json": "dropNotJson",
  "bad-shape": "dropBadShape",
  "bad-ts": "dropBadTs",
  "bad-value": "dropBadValue",
  "bad-topic": "dropBadTopic",
  "unknown-sensor": "dropUnknownSensor",
  "wrong-kind": "dropWrongKind",
};

/** Re-reads a snapshot at most every `ms` (React never re-renders per message). */
export function usePolled<T>(read: () => T, ms: number, deps: unknown[] = []): T {
  const [v, setV] = useState(read);
  useEffect(() => {
    setV(read());
    const id = setInterval(() => setV(read()), ms);
    return () => clearInterval(id);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  return v;
}

// One formatter per language: Date.toLocaleString with options builds a new Intl.DateTimeFormat
// per call, and the alarm list formats up to 60 rows twice a second (8 % of a still camera's
// main thread during the live bench, the largest single JS function in its profile).
const timeFormats = new Map<Lang, Intl.DateTimeFormat>();
const fmtTime = (ms: number, lang: Lang) => {
  let f = timeFormats.get(lang);
  if (!f) {
    f = new Intl.DateTimeFormat(lang === "zh" ? "zh-CN" : "en-GB", {
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hour12: false,
    });
    timeFormats.set(lang, f);
  }
  return f.format(ms);
};

function fmtValue(v: number, kind: keyof typeof KIND_INFO, lang: Lang, unit?: string) {
  const k = KIND_INFO[kind];
  return `${formatNumber(v, lang, k.digits)}${(unit ?? k.unit) ? ` ${unit ?? k.unit}` : ""}`;
}

export function LiveStrip({
  snap,
  lang,
  rules,
  names,
  onAck,
  onFly,
  scenarioKinds,
}: {
  snap: LiveSnapshot;
  lang: Lang;
  rules: Map<string, AlarmRule>;
  names: (sensorId: string) => string;
  onAck(key: string): void;
  onFly(sensorId: string): void;
  /** Kinds of the live layers in the current view (the cards show those first). */
  scenarioKinds: string[];
}) {
  const [diagOpen, setDiagOpen] = useState(false);
  const barRef = useBottomBarRef(BOTTOM_BAR.live);
  const s = snap.stats;
  const worst = [...snap.worst].sort(
    (a, b) => Number(scenarioKinds.includes(b.kind)) - Number(scenarioKinds.includes(a.kind)) || b.level - a.level,
  );
  const shownWorst = worst.filter((w) => scenarioKinds.length === 0 || scenarioKinds.includes(w.kind)).slice(0, 3);
  return (
    <section className="panel live-strip" data-testid="live-strip" data-state={snap.state} ref={barRef}>
      <header className="live-head">
        <span className="live-title">{t(lang, "liveTitle")}</span>
        <button
          className={`live-conn live-conn-${snap.state}`}
          data-testid="live-connection"
          onClick={() => setDiagOpen(!diagOpen)}
          title={t(lang, "diagTitle")}
        >
          <span className="dot" /> {t(lang, STATE_KEY[snap.state])}
          {snap.state === "reconnecting" && ` · ${Math.round(snap.nextRetryS)} ${t(lang, "liveRetryIn")}`}
          {" · "}
          <span data-testid="live-rate">{formatNumber(s.messagesPerS, lang, 0)}</span> {t(lang, "diagRate")}
          {s.droppedTotal > 0 && (
            <span className="live-dropped" data-testid="live-dropped">
              {" · "}
              {t(lang, "diagDropped")} {formatNumber(s.droppedTotal, lang)}
            </span>
          )}
        </button>
      </header>
      {diagOpen && (
        <div className="live-diag" data-testid="live-diagnostics">
          <div>
            {t(lang, "diagBroker")}: <code>{snap.broker}</code>
            {snap.error && <span className="live-err"> — {snap.error}</span>}
          </div>
          <div>
            {t(lang, "diagReceived")} {formatNumber(s.received, lang)} · {t(lang, "diagDropped")} {formatNumber(s.droppedTotal, lang)}
            {(Object.keys(s.dropped) as DropReason[])
              .filter((r) => s.dropped[r] > 0)
              .map((r) => (
                <span key={r} className="live-drop-reason" data-testid={`drop-${r}`}>
                  {" "}
                  {t(lang, DROP_KEY[r])} {formatNumber(s.dropped[r], lang)}
                </span>
              ))}
          </div>
          <div data-testid="live-coalesced">
            {t(lang, "diagCoalesced")} {formatNumber(s.coalesced, lang)} <span className="muted">{t(lang, "diagCoalescedHint")}</span>
          </div>
          {s.lastDrop && (
            <div className="live-lastdrop">
              {t(lang, "diagLastDrop")}: {t(lang, DROP_KEY[s.lastDrop.reason])} — <code>{s.lastDrop.topic}</code>{" "}
              <code>{s.lastDrop.detail}</code>
            </div>
          )}
        </div>
      )}
      <div className="live-cards">
        <div className="live-card" data-testid="live-online">
          <div className="live-card-title">{t(lang, "liveSensorsOnline")}</div>
          <div className="live-card-value">
            <span className="num">{formatNumber(s.sensorsOnline, lang)}</span>
            <span className="of"> / {formatNumber(s.sensorsTotal, lang)}</span>
          </div>
        </div>
        <div className="live-card" data-testid="live-alarm-counts">
          <div className="live-card-title">{t(lang, "liveActiveAlarms")}</div>
          <div className="live-levels">
            {[...ALARM_LEVELS].reverse().map((lv) => (
              <span key={lv} className={`lv lv-${lv}`} data-testid={`alarms-${lv}`}>
                {t(lang, LEVEL_KEY[lv])} <b className="num">{s.activeAlarms[lv]}</b>
              </span>
            ))}
          </div>
        </div>
        <div className="live-card live-worst" data-testid="live-worst">
          <div className="live-card-title">{t(lang, "liveWorst")}</div>
          {shownWorst.length === 0 && <div className="muted">{t(lang, "liveNoReadings")}</div>}
          {shownWorst.map((w) => (
            <div key={w.kind} className={`worst-row lv-${w.level >= 0 ? ALARM_LEVELS[w.level as 0 | 1 | 2] : "normal"}`}>
              <span className="worst-kind">{KIND_INFO[w.kind].title[lang]}</span>
              <b className="num">{fmtValue(w.value, w.kind, lang)}</b>
              <span className="worst-name" title={w.name}>
                {w.name}
              </span>
            </div>
          ))}
        </div>
      </div>
      <AlarmList alarms={snap.alarms} lang={lang} rules={rules} names={names} onAck={onAck} onFly={onFly} />
    </section>
  );
}

function AlarmList({
  alarms,
  lang,
  rules,
  names,
  onAck,
  onFly,
}: {
  alarms: BookEntry[];
  lang: Lang;
  rules: Map<string, AlarmRule>;
  names: (sensorId: string) => string;
  onAck(key: string): void;
  onFly(sensorId: string): void;
}) {
  return (
    <div className="alarm-list" data-testid="alarm-panel">
      <div className="alarm-list-title">
        {t(lang, "alarmPanel")} <span className="muted">({alarms.filter((a) => a.until === undefined).length})</span>
      </div>
      {alarms.length === 0 ? (
        <div className="muted alarm-none">{t(lang, "alarmNone")}</div>
      ) : (
        <table className="alarms">
          <thead>
            <tr>
              <th>{t(lang, "alarmLevel")}</th>
              <th>{t(lang, "alarmTime")}</th>
              <th>{t(lang, "alarmPlace")}</th>
              <th>{t(lang, "alarmValue")}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {alarms.slice(0, 60).map((a) => {
              const rule = rules.get(a.ruleId);
              return (
                <tr
                  key={a.key}
                  className={`alarm-row lv-${a.level} ${a.until !== undefined ? "cleared" : ""} ${a.acked ? "acked" : ""}`}
                  data-testid="alarm-row"
                  data-sensor={a.sensorId}
                  data-level={a.level}
                >
                  <td>
                    <span className={`lv-badge lv-${a.level}`}>{t(lang, LEVEL_KEY[a.level])}</span>
                  </td>
                  <td className="num">{fmtTime(a.since, lang)}</td>
                  <td className="alarm-place" title={rule?.basis?.[lang] ?? ""}>
                    <div>{names(a.sensorId)}</div>
                    <div className="muted">{rule?.title[lang] ?? a.ruleId}</div>
                  </td>
                  <td className="num">
                    {fmtValue(a.value, a.kind, lang, rule?.unit)}
                    {a.peak !== a.value && (
                      <div className="muted">
                        {t(lang, "alarmPeak")} {fmtValue(a.peak, a.kind, lang, rule?.unit)}
                      </div>
                    )}
                  </td>
                  <td className="alarm-actions">
                    {a.until !== undefined && <span className="muted">{t(lang, "alarmCleared")}</span>}
                    <button onClick={() => onFly(a.sensorId)} data-testid="alarm-fly">
                      {t(lang, "alarmFly")}
                    </button>
                    {a.acked ? (
                      <span className="muted">{t(lang, "alarmAcked")}</span>
                    ) : (
                      <button onClick={() => onAck(a.key)} data-testid="alarm-ack">
                        {t(lang, "alarmAck")}
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </div>
  );
}

/** The selected sensor: its last readings as a sparkline, with the alarm thresholds drawn in. */
export function SensorCard({ sensor, lang, rules }: { sensor: MirroredSensor; lang: Lang; rules: AlarmRule[] }) {
  const k = KIND_INFO[sensor.info.kind];
  const h = sensor.history;
  const W = 260;
  const H = 70;
  const thresholds = rules
    .filter((r) => r.kind === sensor.info.kind && r.field === k.field)
    .flatMap((r) => ALARM_LEVELS.filter((lv) => r.thresholds[lv] !== undefined).map((lv) => ({ lv, v: r.thresholds[lv]! })));
  const vs = h.map((p) => p[1]);
  const lo = Math.min(...vs, ...thresholds.map((x) => x.v));
  const hi = Math.max(...vs, ...thresholds.map((x) => x.v));
  const span = hi - lo || 1;
  const x = (i: number) => (h.length <= 1 ? W / 2 : (i / (h.length - 1)) * (W - 8) + 4);
  const y = (v: number) => H - 6 - ((v - lo) / span) * (H - 12);
  const last = h[h.length - 1];
  return (
    <section className="panel sensor-card" data-testid="sensor-card">
      <div className="sensor-head">
        <span>{k.title[lang]}</span>
        {last && (
          <b className="num" data-testid="sensor-value">
            {fmtValue(last[1], sensor.info.kind, lang, sensor.last?.unit)}
          </b>
        )}
      </div>
      <div className="muted">
        {t(lang, "sparkline")} ({h.length}){last ? ` · ${fmtTime(last[0], lang)}` : ""}
      </div>
      <svg
        className="sparkline"
        data-testid="sparkline"
        data-points={h.length}
        viewBox={`0 0 ${W} ${H}`}
        width="100%"
        height={H}
        preserveAspectRatio="none"
      >
        {thresholds.map((th) => (
          <line key={th.lv} className={`th lv-${th.lv}`} x1={0} x2={W} y1={y(th.v)} y2={y(th.v)} />
        ))}
        {h.length > 1 && <polyline points={h.map((p, i) => `${x(i).toFixed(1)},${y(p[1]).toFixed(1)}`).join(" ")} />}
        {last && <circle cx={x(h.length - 1)} cy={y(last[1])} r={3} />}
      </svg>
    </section>
  );
}
