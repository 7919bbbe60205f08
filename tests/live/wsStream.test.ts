// The embedded broker's WebSocket stream (scripts/live/wsStream.ts): many MQTT packets per
// WebSocket frame, parsed by a real mqtt.js client over a real socket, in order and complete.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Aedes } from "aedes";
import mqtt from "mqtt";
import { WebSocketServer } from "ws";
import { describe, expect, it } from "vitest";
import { batchedWebSocketStream } from "../../scripts/live/wsStream";

describe("batchedWebSocketStream", () => {
  it("delivers 5,000 publishes through aedes in order, in far fewer WebSocket frames than packet writes", async () => {
    const http = createServer();
    await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
    const broker = await Aedes.createBroker();
    const wss = new WebSocketServer({ noServer: true });
    const streams: Array<ReturnType<typeof batchedWebSocketStream>> = [];
    http.on("upgrade", (req, socket, head) =>
      wss.handleUpgrade(req, socket, head, (ws) => {
        const s = batchedWebSocketStream(ws);
        streams.push(s);
        broker.handle(s as never, req);
      }),
    );
    const client = await mqtt.connectAsync(`ws://127.0.0.1:${(http.address() as AddressInfo).port}/mqtt`);
    try {
      const got: number[] = [];
      client.on("message", (_t, p) => got.push(JSON.parse(p.toString()).n));
      await client.subscribeAsync("warmcity/#");
      const N = 5000;
      for (let i = 0; i < N; i++)
        broker.publish(
          { cmd: "publish", topic: `warmcity/kbs/gas/s${i % 50}`, payload: Buffer.from(`{"n":${i}}`), qos: 0, retain: false, dup: false },
          () => {},
        );
      const t0 = Date.now();
      while (got.length < N && Date.now() - t0 < 20_000) await new Promise((r) => setTimeout(r, 20));
      expect(got).toEqual(Array.from({ length: N }, (_, i) => i));
      // mqtt-packet writes a publish in 5 pieces: unbatched that was ≥ 25,000 frames.
      const frames = streams.reduce((a, s) => a + s.framesSent(), 0);
      expect(frames).toBeGreaterThan(0);
      expect(frames).toBeLessThan(N / 10);
    } finally {
      await client.endAsync();
      await new Promise<void>((r) => broker.close(() => r()));
      wss.close();
      http.close();
    }
  });
});
