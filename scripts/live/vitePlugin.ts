// The embedded live feed for `npm start` / `npm run dev`: an in-process MQTT broker (aedes)
// on the app's own origin (WebSocket upgrade on `/mqtt`), fed by the simulator, so a newcomer
// sees a live city with no setup and the app still talks only to its own origin. Browsers may
// subscribe but never publish. Production uses a real broker (deploy/, README).
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { Aedes } from "aedes";
import type { Plugin } from "vite";
import { WebSocketServer, createWebSocketStream } from "ws";
import { ensureSensorsFile } from "./sensors";
import { runSimulation, type Running } from "./runner";

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
      const stream = createWebSocketStream(ws);
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
        sink: (msgs) => {
          for (const m of msgs)
            broker.publish(
              { cmd: "publish", topic: m.topic, payload: Buffer.from(m.payload), qos: 0, retain: m.retain, dup: false },
              () => {},
            );
        },
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
