// The live feed client: MQTT over WebSocket (mqtt.js) to the configured broker, subscribes to
// the city's topics, and feeds every message to the pure LiveFeed. Connection state, backoff
// (1 s → 2 s → 4 s … 30 s) and resubscription on reconnect are handled here; retained values
// and the retained alarm records arrive again after each (re)subscription.
import type { IClientOptions, MqttClient } from "mqtt";
import { validateAlarms } from "../domain/live/alarms";
import { LiveFeed, type SensorInfo } from "../domain/live/feed";
import type { LiveConfig } from "../domain/live/config";
import type { SensorKind } from "../domain/live/topics";

export type ConnectionState = "idle" | "connecting" | "connected" | "reconnecting" | "error";

export interface LiveClient {
  feed: LiveFeed;
  state(): ConnectionState;
  lastError(): string | undefined;
  reconnects(): number;
  nextRetryMs(): number;
  onMessages(fn: () => void): () => void;
  onState(fn: () => void): () => void;
  stop(): void;
}

export const LIVE_TOPICS = ["warmcity/#"];
export const NOTIFY_MIN_INTERVAL_MS = 100;

async function fetchJson(url: string): Promise<unknown> {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`HTTP ${r.status} for ${url}`);
  return r.json();
}

export async function loadLiveFeed(sensorsUrl: string, rulesUrl: string): Promise<LiveFeed> {
  const [fc, rules] = await Promise.all([fetchJson(sensorsUrl), fetchJson(rulesUrl)]);
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
  return new LiveFeed(sensors, validateAlarms(rules, rulesUrl).rules);
}

/**
 * Connects to the broker. mqtt.js (≈0.3 MB) is loaded here, on the first live view, not with
 * the app's first bundle: most sessions never open a live view.
 */
export async function connectLive(feed: LiveFeed, cfg: LiveConfig): Promise<LiveClient> {
  const { default: mqtt } = await import("mqtt");
  let state: ConnectionState = "connecting";
  let error: string | undefined;
  let reconnects = 0;
  let backoffMs = 1000;
  const msgSubs = new Set<() => void>();
  const stateSubs = new Set<() => void>();
  const setState = (s: ConnectionState) => {
    if (s === state) return;
    state = s;
    for (const f of stateSubs) f();
  };
  // Render requests are coalesced: at most one per animation frame, and at most 10 per second,
  // so a busy feed does not keep a software-rendered (SwiftShader) kiosk drawing flat out.
  let frameScheduled = false;
  let lastNotify = 0;
  const notify = () => {
    if (frameScheduled) return;
    frameScheduled = true;
    const wait = Math.max(0, NOTIFY_MIN_INTERVAL_MS - (performance.now() - lastNotify));
    setTimeout(
      () =>
        requestAnimationFrame(() => {
          frameScheduled = false;
          lastNotify = performance.now();
          for (const f of msgSubs) f();
        }),
      wait,
    );
  };
  const client: MqttClient = mqtt.connect(cfg.url, {
    username: cfg.username,
    password: cfg.password,
    clientId: `warmcity-viewer-${Math.random().toString(16).slice(2, 10)}`,
    clean: true,
    keepalive: 30,
    connectTimeout: 10_000,
    reconnectPeriod: backoffMs,
    resubscribe: false,
    // Plain setTimeout for keep-alive: mqtt.js's default in browsers builds a Worker from a
    // blob: URL, which the strict CSP (worker-src 'self') refuses.
    timerVariant: "native",
    // Brokers with native WebSockets answer the "mqtt" subprotocol; websockify in front of
    // Debian's Mosquitto answers only "binary", and only when it comes first (websockify 0.10
    // does not trim the space after the comma). Offer both, "binary" first.
    createWebsocket: (url: string) => new WebSocket(url, ["binary", "mqtt"]),
  } as IClientOptions);
  client.on("connect", () => {
    error = undefined;
    backoffMs = 1000;
    client.options.reconnectPeriod = backoffMs;
    // Subscribing again after every (re)connect brings the retained last values and alarm records.
    client.subscribe(LIVE_TOPICS, { qos: 0 }, (err) => {
      if (err) error = err.message;
    });
    setState("connected");
  });
  client.on("reconnect", () => {
    reconnects++;
    // Exponential backoff: the next attempt waits twice as long, up to 30 s.
    backoffMs = Math.min(30_000, backoffMs * 2);
    client.options.reconnectPeriod = backoffMs;
    setState("reconnecting");
  });
  client.on("close", () => {
    if (state === "connected" || state === "connecting") setState("reconnecting");
  });
  client.on("error", (e) => {
    error = e.message;
    for (const f of stateSubs) f();
  });
  client.on("message", (topic, payload) => {
    feed.ingest(topic, payload, Date.now());
    notify();
  });
  return {
    feed,
    state: () => state,
    lastError: () => error,
    reconnects: () => reconnects,
    nextRetryMs: () => backoffMs,
    onMessages(fn) {
      msgSubs.add(fn);
      return () => msgSubs.delete(fn);
    },
    onState(fn) {
      stateSubs.add(fn);
      return () => stateSubs.delete(fn);
    },
    stop() {
      client.end(true);
      setState("idle");
    },
  };
}
