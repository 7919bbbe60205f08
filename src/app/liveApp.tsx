// Composition of the live city: starts the feed client when a live layer is shown (or the
// URL names a broker), hands the feed to the scene, renders the live strip and the sensor
// card, and adds `warmcity.live()` to the automation API.
import { useEffect, useMemo, useState } from "react";
import { liveLatencyProbe, setLiveSource } from "../cesium/LiveRenderer";
import type { AlarmLevel, AlarmRule } from "../domain/live/alarms";
import { liveConfig } from "../domain/live/config";
import type { LiveMirror } from "../domain/live/batch";
import { sensorStateName } from "../domain/live/feed";
import { addNotice, requestCamera, type AppState } from "../domain/state";
import type { ViewSpec } from "../domain/views";
import { SensorCard, LiveStrip, usePolled, type LiveSnapshot } from "../ui/LivePanels";
import { startLive, type LiveClient } from "./live";
import type { Store } from "./store";

export interface LiveInfo {
  state: LiveSnapshot["state"];
  broker: string;
  messagesPerS: number;
  received: number;
  accepted: number;
  dropped: number;
  droppedByReason: Record<string, number>;
  /** Readings superseded by a newer one of the same sensor before the scene drew them (counted, not dropped: the alarm rules saw them). */
  coalesced: number;
  sensorsSeen: number;
  sensorsOnline: number;
  activeAlarms: Record<AlarmLevel, number>;
  alarms: Array<{
    key: string;
    sensorId: string;
    ruleId: string;
    level: AlarmLevel;
    since: number;
    until?: number;
    value: number;
    acked: boolean;
  }>;
  reconnects: number;
  /** With a sensor id: its last reading (sensor time), state and how many readings the sparkline holds. */
  sensor?: { ts: number; values: Record<string, number>; state: string; history: number };
}

interface Live {
  feed: LiveMirror;
  client: LiveClient;
  rules: Map<string, AlarmRule>;
}

let live: Live | undefined;
let starting: Promise<Live | undefined> | undefined;
const cfg = liveConfig(window.location.search, document.baseURI);

function snapshot(l: Live | undefined): LiveSnapshot | undefined {
  if (!l) return undefined;
  return {
    state: l.client.state(),
    error: l.client.lastError(),
    nextRetryS: l.client.nextRetryMs() / 1000,
    broker: cfg.url,
    stats: l.feed.stats,
    alarms: l.feed.alarms,
    worst: l.feed.worst,
  };
}

export function liveInfo(sensorId?: string): LiveInfo {
  const s = snapshot(live);
  if (!live || !s)
    return {
      state: "idle",
      broker: cfg.url,
      messagesPerS: 0,
      received: 0,
      accepted: 0,
      dropped: 0,
      droppedByReason: {},
      coalesced: 0,
      sensorsSeen: 0,
      sensorsOnline: 0,
      activeAlarms: { notice: 0, warning: 0, alarm: 0 },
      alarms: [],
      reconnects: 0,
    };
  return {
    state: s.state,
    broker: cfg.url,
    messagesPerS: s.stats.messagesPerS,
    received: s.stats.received,
    accepted: s.stats.accepted,
    dropped: s.stats.droppedTotal,
    droppedByReason: Object.fromEntries(Object.entries(s.stats.dropped).filter(([, n]) => n > 0)),
    coalesced: s.stats.coalesced,
    sensorsSeen: s.stats.sensorsSeen,
    sensorsOnline: s.stats.sensorsOnline,
    activeAlarms: s.stats.activeAlarms,
    alarms: s.alarms.map((a) => ({
      key: a.key,
      sensorId: a.sensorId,
      ruleId: a.ruleId,
      level: a.level,
      since: a.since,
      until: a.until,
      value: a.value,
      acked: a.acked,
    })),
    reconnects: live.client.reconnects(),
    ...(sensorId ? { sensor: sensorInfo(live.feed, sensorId) } : {}),
  };
}

function sensorInfo(feed: LiveMirror, id: string): LiveInfo["sensor"] {
  const s = feed.sensors.get(id);
  if (!s?.last) return undefined;
  return { ts: s.last.ts, values: { ...s.last.values }, state: sensorStateName(s), history: s.history.length };
}

function start(sensorsUrl: string, store: Store): Promise<Live | undefined> {
  starting ??= (async () => {
    try {
      // MQTT, parsing, validation, alarms and coalescing run in the live worker; the page keeps a mirror.
      const client = await startLive(new URL(sensorsUrl, document.baseURI).href, new URL("data/alarms.json", document.baseURI).href, cfg);
      const feed = client.mirror;
      live = { feed, client, rules: new Map(feed.rules.map((r) => [r.id, r])) };
      setLiveSource({ feed, onMessages: client.onMessages, frameDrawn: client.frameDrawn });
      return live;
    } catch (e) {
      store.dispatch((s) =>
        addNotice(s, "error", {
          zh: `实时数据无法启动：${(e as Error).message}`,
          en: `Live feed could not start: ${(e as Error).message}`,
        }),
      );
      return undefined;
    }
  })();
  return starting;
}

export function LiveSection({ store, state, view }: { store: Store; state: AppState; view: ViewSpec | undefined }) {
  const liveLayers = useMemo(() => state.catalog.layers.filter((l) => l.kind === "live"), [state.catalog]);
  const anyVisible = liveLayers.some((l) => state.layers[l.id]?.visible);
  const [ready, setReady] = useState<Live | undefined>(live);
  useEffect(() => {
    const w = window.warmcity;
    if (w) {
      w.live = liveInfo;
      w.liveLatencyProbe = liveLatencyProbe;
    }
    if (cfg.problem)
      store.dispatch((s) =>
        addNotice(s, "warn", {
          zh: `实时数据地址无效，已改用本站：${cfg.problem}`,
          en: `Live feed address invalid, using this site: ${cfg.problem}`,
        }),
      );
  }, [store]);
  useEffect(() => {
    if ((anyVisible || cfg.explicit) && liveLayers[0]) void start(liveLayers[0].url, store).then(setReady);
  }, [anyVisible, liveLayers, store]);
  const snap = usePolled(() => snapshot(ready), 500, [ready]);
  if (!ready || !snap || !(anyVisible || cfg.explicit)) return null;
  const scenarioKinds = (view?.layers ?? [])
    .map((id) => state.catalog.layers.find((l) => l.id === id))
    .filter((l) => l?.kind === "live" && state.layers[l.id]?.visible)
    .map((l) => l!.live!.topic.split("/")[2]);
  return (
    <LiveStrip
      snap={snap}
      lang={state.lang}
      rules={ready.rules}
      scenarioKinds={scenarioKinds}
      names={(id) => ready.feed.sensors.get(id)?.info.name ?? id}
      onAck={(key) => ready.client.ack(key)}
      onFly={(id) => {
        const s = ready.feed.sensors.get(id)?.info;
        if (!s) return;
        // Look at the sensor from 1,400 m south, 1,000 m up, 45° down: it lands above the middle of
        // the screen, clear of the live strip and the toolbar (from 700 m it sat behind them).
        store.dispatch((st) =>
          requestCamera(st, { lonDeg: s.lonDeg, latDeg: s.latDeg - 1400 / 111_320, heightM: 1000, headingDeg: 0, pitchDeg: -45 }),
        );
      }}
    />
  );
}

/** The sparkline card for a selected live sensor (in the left dock, under the inspector). */
export function LiveSensorCard({ state }: { state: AppState }) {
  const sel = state.selection;
  const isLive = !!sel && state.catalog.layers.find((l) => l.id === sel.layerId)?.kind === "live";
  const sensor = usePolled(() => (isLive && live ? live.feed.sensors.get(sel!.featureId) : undefined), 500, [isLive, sel?.featureId]);
  // Sparkline points travel from the live worker only for the picked sensor.
  const watchId = isLive ? sel!.featureId : undefined;
  useEffect(() => {
    live?.client.watch(watchId ? [watchId] : []);
  }, [watchId]);
  const [, force] = useState(0);
  useEffect(() => {
    if (!isLive) return;
    const id = setInterval(() => force((n) => n + 1), 1000);
    return () => clearInterval(id);
  }, [isLive]);
  if (!sensor || !live) return null;
  return <SensorCard sensor={sensor} lang={state.lang} rules={live.feed.rules} />;
}
