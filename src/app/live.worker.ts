// The live feed's worker: the MQTT client (mqtt.js over WebSocket to the configured broker),
// JSON parsing, validation, counters, the alarm engine (fed every valid reading, so hysteresis
// and minimum durations see every transition) and per-sensor coalescing all run here, off the
// main thread, so a busy feed never queues behind the scene's frames. The main thread asks
// for a batch ("pull") once per drawn frame; the answer holds only the sensors that changed
// (src/domain/live/batch.ts). Connection state, backoff (1 s → 2 s → … 30 s) and
// resubscription on every (re)connect (which brings the retained values and alarm records
// again) are handled here too.
import mqtt, { type MqttClient } from "mqtt";
import { validateAlarms, type AlarmRule } from "../domain/live/alarms";
import { BatchSource, type LiveBatch } from "../domain/live/batch";
import type { LiveConfig } from "../domain/live/config";
import { LiveFeed, type SensorInfo } from "../domain/live/feed";
import type { SensorKind } from "../domain/live/topics";

export type ConnectionState = "idle" | "connecting" | "connected" | "reconnecting" | "error";

export interface ConnectionInfo {
  state: ConnectionState;
  error?: string;
  reconnects: number;
  nextRetryMs: number;
}

export type LiveWorkerRequest =
  | { type: "start"; sensorsUrl: string; rulesUrl: string; cfg: Pick<LiveConfig, "url" | "username" | "password"> }
  | { type: "pull" }
  | { type: "ack"; key: string }
  /** The sensors whose sparkline points the page wants (the one picked in the inspector). */
  | { type: "watch"; ids: string[] }
  | { type: "stop" };

export type LiveWorkerResponse =
  | { type: "init"; sensors: SensorInfo[]; rules: AlarmRule[] }
  | { type: "fatal"; message: string }
  | ({ type: "state" } & ConnectionInfo)
  | { type: "batch"; batch: LiveBatch };

export const LIVE_TOPICS = ["warmcity/#"];
const KEEPALIVE_S = 30;

const post = (m: LiveWorkerResponse) => (self as unknown as Worker).postMessage(m);

async function fetchJson(url: string): Promise<unknown> {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`HTTP ${r.status} for ${url}`);
  return r.json();
}

function sensorsOf(fc: unknown): SensorInfo[] {
  const sensors: SensorInfo[] = [];
  for (const f of (fc as { features?: Array<{ geometry?: { coordinates?: number[] }; properties?: Record<string, string> }> }).features ??
    []) {
    const p = f.properties ?? {};
    const c = f.geometry?.coordinates;
    if (!p.id || !p.kind || !c) continue;
    sensors.push({
      id: p.id,
      kind: p.kind as SensorKind,
      district: p.district,
      name: p.name,
      lonDeg: c[0],
      latDeg: c[1],
      onLayer: p.onLayer,
      onFeature: p.onFeature,
    });
  }
  return sensors;
}

let source: BatchSource | undefined;
let client: MqttClient | undefined;
let pullWaiting = false;
let flushTimer: ReturnType<typeof setTimeout> | undefined;
const conn: ConnectionInfo = { state: "connecting", reconnects: 0, nextRetryMs: 1000 };
const postState = () => post({ type: "state", ...conn });

/** Answers a waiting pull with the changes so far (messages that arrive in one burst share a batch). */
function flush() {
  flushTimer = undefined;
  if (!pullWaiting || !source) return;
  const batch = source.take(Date.now());
  if (!batch) return;
  pullWaiting = false;
  post({ type: "batch", batch });
}
const scheduleFlush = () => {
  if (pullWaiting && !flushTimer && source?.pending(Date.now())) flushTimer = setTimeout(flush, 0);
};
// Counters (messages/s, sensors online) change with time alone: a waiting pull is answered
// with them even when no message arrives.
setInterval(scheduleFlush, 250);

function connect(feed: LiveFeed, cfg: Pick<LiveConfig, "url" | "username" | "password">) {
  const c: MqttClient = mqtt.connect(cfg.url, {
    username: cfg.username,
    password: cfg.password,
    clientId: `warmcity-viewer-${Math.random().toString(16).slice(2, 10)}`,
    clean: true,
    keepalive: KEEPALIVE_S,
    connectTimeout: 10_000,
    reconnectPeriod: conn.nextRetryMs,
    resubscribe: false,
    // Plain setTimeout for keep-alive: mqtt.js's default builds a Worker from a blob: URL,
    // which the strict CSP (worker-src 'self') refuses.
    timerVariant: "native",
    // Brokers with native WebSockets answer the "mqtt" subprotocol; websockify in front of
    // Debian's Mosquitto answers only "binary", and only when it comes first (websockify 0.10
    // does not trim the space after the comma). Offer both, "binary" first.
    createWebsocket: (url: string) => new WebSocket(url, ["binary", "mqtt"]),
  } as mqtt.IClientOptions);
  // mqtt.js drops the connection when a PINGRESP is 15 s late, but under a burst the broker's
  // PINGRESP queues behind the readings it is still sending: the link is alive, only busy. While
  // packets keep arriving, ping again instead of reconnecting (a reconnect loses what is in
  // flight and brings every retained value again, deepening the backlog). A silent link still
  // times out as before.
  let lastPacketAt = Date.now();
  c.on("packetreceive", () => {
    lastPacketAt = Date.now();
  });
  const dropOnTimeout = c.onKeepaliveTimeout.bind(c);
  c.onKeepaliveTimeout = () => {
    if (Date.now() - lastPacketAt > KEEPALIVE_S * 500) return dropOnTimeout();
    c.reschedulePing(true);
    c.sendPing();
  };
  const setState = (s: ConnectionState) => {
    if (s === conn.state) return;
    conn.state = s;
    postState();
  };
  c.on("connect", () => {
    conn.error = undefined;
    conn.nextRetryMs = 1000;
    c.options.reconnectPeriod = conn.nextRetryMs;
    // Subscribing again after every (re)connect brings the retained last values and alarm records.
    c.subscribe(LIVE_TOPICS, { qos: 0 }, (err) => {
      if (err) {
        conn.error = err.message;
        postState();
      }
    });
    setState("connected");
  });
  c.on("reconnect", () => {
    conn.reconnects++;
    // Exponential backoff: the next attempt waits twice as long, up to 30 s.
    conn.nextRetryMs = Math.min(30_000, conn.nextRetryMs * 2);
    c.options.reconnectPeriod = conn.nextRetryMs;
    conn.state = "reconnecting";
    postState();
  });
  c.on("close", () => {
    if (conn.state === "connected" || conn.state === "connecting") setState("reconnecting");
  });
  c.on("error", (e) => {
    conn.error = e.message;
    postState();
  });
  c.on("message", (topic, payload) => {
    feed.ingest(topic, payload, Date.now());
    scheduleFlush();
  });
  return c;
}

self.onmessage = async (ev: MessageEvent<LiveWorkerRequest>) => {
  const m = ev.data;
  if (m.type === "pull") {
    pullWaiting = true;
    scheduleFlush();
  } else if (m.type === "watch") {
    source?.watch(m.ids);
    scheduleFlush();
  } else if (m.type === "ack") {
    source?.feed.ack(m.key);
    scheduleFlush();
  } else if (m.type === "stop") {
    client?.end(true);
    conn.state = "idle";
    postState();
  } else if (m.type === "start" && !client) {
    try {
      const [fc, rulesRaw] = await Promise.all([fetchJson(m.sensorsUrl), fetchJson(m.rulesUrl)]);
      const sensors = sensorsOf(fc);
      const rules = validateAlarms(rulesRaw, m.rulesUrl).rules;
      const feed = new LiveFeed(sensors, rules);
      source = new BatchSource(feed);
      post({ type: "init", sensors, rules });
      postState();
      client = connect(feed, m.cfg);
    } catch (e) {
      post({ type: "fatal", message: (e as Error).message });
    }
  }
};
