// The embedded live feed for `npm start` / `npm run dev`: an in-process MQTT broker (aedes)
// on the app's own origin (WebSocket upgrade on `/mqtt`), fed by the simulator, so a newcomer
// sees a live city with no setup and the app still talks only to its own origin. Browsers may
// subscribe but never publish. Production uses a real broker (deploy/, README).
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { Aedes } from "aedes";
import type { Plugin } from "vite";
import { WebSocketServer } from "ws";
import { ensureSensorsFile } from "./sensors";
import { runSimulation, type Running, type Sink } from "./runner";
import { batchedWebSocketStream } from "./wsStream";

type HttpLike = {
  on(ev: "upgrade", fn: (req: IncomingMessage, socket: Duplex, head: Buffer) => void): unknown;
  once(ev: "close", fn: () => void): unknown;
};

export async function attachEmbeddedBroker(http: HttpLike, opts: { clock?: number; rate?: number; simulate?: boolean } = {}) {
  const broker = await Aedes.createBroker({
    // Read-only for every network client: the feed comes from the simulator in this process.
    authorizePublish: (_client, _packet, cb) => cb(new Error("read-only broker")),
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  http.on("upgrade", (req, socket, head) => {
    const path = (req.url ?? "").split("?")[0];
    if (!path.endsWith("/mqtt")) return; // e.g. Vite's own HMR socket
    wss.handleUpgrade(req, socket, head, (ws) => {
      // One WebSocket frame per event-loop turn, not one per mqtt-packet write (scripts/live/wsStream.ts).
      const stream = batchedWebSocketStream(ws);
      stream.on("error", () => stream.destroy());
      broker.handle(stream as never, req);
    });
  });
  let run: Running | undefined;
  try {
    if (opts.simulate !== false)
      run = runSimulation({
        clock: opts.clock ?? Number(process.env.WARMCITY_SIM_CLOCK ?? 1),
        rate: opts.rate ?? (process.env.WARMCITY_SIM_RATE ? Number(process.env.WARMCITY_SIM_RATE) : undefined),
        sink: brokerSink(broker),
      });
  } catch (e) {
    console.warn(`[live] simulator not started: ${(e as Error).message}`);
  }
  const close = () => {
    void run?.stop();
    wss.close();
    broker.close();
  };
  http.once("close", close);
  return { broker, close };
}

type SimMessage = Parameters<Sink>[0][number];

/** At most this many publishes in aedes at once: below its emitter's concurrency (100), so its
 * queue never fills. A full mqemitter queue is drained by recursion, one frame per queued
 * message, and the start-up burst (every sensor once, thousands) overflowed the stack. */
const MAX_IN_FLIGHT = 64;
/** The simulator's backlog when the broker cannot keep up: the oldest readings are dropped
 * beyond this (a newer reading of the same sensor follows) and counted. */
const MAX_QUEUED = 200_000;

/** Feeds the simulator's batches into the broker with bounded concurrency, off the caller's stack.
 * `payloadOf` (the live bench) gives the payload at the moment of publishing, e.g. stamped with the time. */
export function brokerSink(broker: Pick<Aedes, "publish">, payloadOf: (m: SimMessage) => string = (m) => m.payload) {
  let queue: SimMessage[] = [];
  let head = 0;
  let inFlight = 0;
  let scheduled = false;
  let dropped = 0;
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(pump);
  };
  const done = () => {
    inFlight--;
    schedule();
  };
  function pump() {
    scheduled = false;
    while (head < queue.length && inFlight < MAX_IN_FLIGHT) {
      const m = queue[head++];
      inFlight++;
      broker.publish({ cmd: "publish", topic: m.topic, payload: Buffer.from(payloadOf(m)), qos: 0, retain: m.retain, dup: false }, done);
    }
    if (head === queue.length) {
      queue = [];
      head = 0;
    } else if (head > 65_536) {
      queue = queue.slice(head);
      head = 0;
    }
  }
  const sink = (msgs: SimMessage[]) => {
    for (const m of msgs) queue.push(m);
    const over = queue.length - head - MAX_QUEUED;
    if (over > 0) {
      head += over;
      dropped += over;
    }
    schedule();
  };
  sink.dropped = () => dropped;
  sink.pending = () => queue.length - head + inFlight;
  return sink;
}

export function liveFeedPlugin(): Plugin {
  return {
    name: "warmcity-live-feed",
    buildStart() {
      ensureSensorsFile();
    },
    async configureServer(server) {
      ensureSensorsFile();
      if (server.httpServer) await attachEmbeddedBroker(server.httpServer);
    },
    async configurePreviewServer(server) {
      await attachEmbeddedBroker(server.httpServer);
      console.log("  ➜  Live feed: embedded MQTT broker on /mqtt (simulated sensors)");
    },
  };
}
