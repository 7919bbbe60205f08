// The live feed client on the main thread: starts the live worker (src/app/live.worker.ts:
// MQTT, parsing, validation, alarms and coalescing run there), keeps a LiveMirror of the
// sensors' state, and pulls one batch of changed sensors per drawn frame. The next pull goes
// out after the frame that drew the previous batch (the scene calls frameDrawn), at most
// NOTIFY_MIN_INTERVAL_MS apart, or after FALLBACK_PULL_MS when no frame is drawn (no live
// layer in the scene), so the panels still follow the feed.
import { LiveMirror } from "../domain/live/batch";
import type { LiveConfig } from "../domain/live/config";
import type { ConnectionInfo, ConnectionState, LiveWorkerRequest, LiveWorkerResponse } from "./live.worker";

export type { ConnectionState };

export interface LiveClient {
  mirror: LiveMirror;
  state(): ConnectionState;
  lastError(): string | undefined;
  reconnects(): number;
  nextRetryMs(): number;
  /** Called when a batch was applied (the scene requests a render). */
  onMessages(fn: () => void): () => void;
  onState(fn: () => void): () => void;
  /** The scene drew a frame (postRender): time to pull the next batch. */
  frameDrawn(): void;
  ack(key: string): void;
  /** Sparkline points are kept and sent only for these sensors (the picked one). */
  watch(ids: string[]): void;
  stop(): void;
}

/** Batches (and so render requests) at most every 100 ms: a busy feed does not keep a software-rendered kiosk drawing flat out. */
export const NOTIFY_MIN_INTERVAL_MS = 100;
const FALLBACK_PULL_MS = 1000;

export function startLive(sensorsUrl: string, rulesUrl: string, cfg: LiveConfig): Promise<LiveClient> {
  const w = new Worker(new URL("./live.worker.ts", import.meta.url), { type: "module" });
  const send = (m: LiveWorkerRequest) => w.postMessage(m);
  let conn: ConnectionInfo = { state: "connecting", reconnects: 0, nextRetryMs: 1000 };
  const msgSubs = new Set<() => void>();
  const stateSubs = new Set<() => void>();
  let mirror: LiveMirror | undefined;
  let lastPull = 0;
  let awaitingFrame = false;
  let pullTimer: ReturnType<typeof setTimeout> | undefined;
  const pull = () => {
    if (pullTimer) clearTimeout(pullTimer);
    pullTimer = undefined;
    awaitingFrame = false;
    lastPull = performance.now();
    send({ type: "pull" });
  };
  const pullSoon = () => {
    if (pullTimer) clearTimeout(pullTimer);
    pullTimer = setTimeout(pull, Math.max(0, NOTIFY_MIN_INTERVAL_MS - (performance.now() - lastPull)));
  };
  return new Promise<LiveClient>((resolve, reject) => {
    w.onerror = (e) => reject(new Error(e.message || "live worker failed to start"));
    w.onmessage = (ev: MessageEvent<LiveWorkerResponse>) => {
      const m = ev.data;
      if (m.type === "init") {
        mirror = new LiveMirror(m.sensors, m.rules);
        const client: LiveClient = {
          mirror,
          state: () => conn.state,
          lastError: () => conn.error,
          reconnects: () => conn.reconnects,
          nextRetryMs: () => conn.nextRetryMs,
          onMessages(fn) {
            msgSubs.add(fn);
            return () => msgSubs.delete(fn);
          },
          onState(fn) {
            stateSubs.add(fn);
            return () => stateSubs.delete(fn);
          },
          frameDrawn() {
            if (awaitingFrame) pullSoon();
          },
          watch(ids) {
            mirror!.watch(ids);
            send({ type: "watch", ids });
          },
          ack(key) {
            mirror!.ack(key);
            send({ type: "ack", key });
          },
          stop() {
            send({ type: "stop" });
            if (pullTimer) clearTimeout(pullTimer);
            w.terminate();
            conn = { ...conn, state: "idle" };
            for (const f of stateSubs) f();
          },
        };
        resolve(client);
        pull();
      } else if (m.type === "fatal") reject(new Error(m.message));
      else if (m.type === "state") {
        const { type: _t, ...info } = m;
        conn = info;
        for (const f of stateSubs) f();
      } else if (m.type === "batch" && mirror) {
        mirror.apply(m.batch);
        // Pull again after the frame that draws this batch, or after a while if none is drawn.
        awaitingFrame = true;
        if (pullTimer) clearTimeout(pullTimer);
        pullTimer = setTimeout(pull, FALLBACK_PULL_MS);
        for (const f of msgSubs) f();
      }
    };
    send({ type: "start", sensorsUrl, rulesUrl, cfg: { url: cfg.url, username: cfg.username, password: cfg.password } });
  });
}
