// The embedded broker's WebSocket stream, with its writes gathered into one WebSocket message per
// event-loop turn. aedes writes each MQTT packet with mqtt-packet's writeToStream: five small
// writes (header, length, topic length, topic, payload). ws's createWebSocketStream has no
// _writev, so each write became its own WebSocket frame, sent one after another (the next only
// after the previous one's socket write completed): ~25,000 frames/s at 5,000 msg/s, each one a
// frame to mask-check, an IPC hop and a JS event in the browser. That serial chain, not the
// simulator, held the bench's offered rate near 550–900 msg/s. MQTT over WebSocket allows any
// number of packets, or parts of one, per frame (MQTT 5.0 §6.0), and mqtt.js parses a stream.
//
// Backpressure: a write is acknowledged at once while less than HIGH_WATER bytes are queued or
// in the socket; beyond that its callback waits for the frames before it to be sent, so aedes
// sees `write() === false` and waits for 'drain' as with any slow client.
import type { Duplex } from "node:stream";
import { createWebSocketStream, type WebSocket } from "ws";

export const HIGH_WATER = 256 * 1024;

export function batchedWebSocketStream(ws: WebSocket): Duplex & { framesSent(): number } {
  const stream = createWebSocketStream(ws) as Duplex & { framesSent(): number };
  let out: Buffer[] = [];
  let outBytes = 0;
  let scheduled = false;
  let frames = 0;
  /** Write callbacks held back until the socket drains below HIGH_WATER. */
  let held: Array<(err?: Error | null) => void> = [];

  const release = (err?: Error | null) => {
    if (!err && outBytes + ws.bufferedAmount >= HIGH_WATER) return;
    const cbs = held;
    held = [];
    for (const cb of cbs) cb(err);
  };
  const flush = () => {
    scheduled = false;
    if (!out.length) return;
    const buf = out.length === 1 ? out[0] : Buffer.concat(out, outBytes);
    out = [];
    outBytes = 0;
    frames++;
    ws.send(buf, { binary: true }, (err) => release(err));
  };
  const queue = (chunk: Buffer, cb: (err?: Error | null) => void) => {
    out.push(chunk);
    outBytes += chunk.length;
    if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
    if (outBytes + ws.bufferedAmount < HIGH_WATER) cb();
    else held.push(cb);
  };
  stream._write = (chunk: Buffer, _enc, cb) => queue(chunk, cb);
  stream._writev = (chunks, cb) => {
    const buf = Buffer.concat(chunks.map((c) => c.chunk as Buffer));
    queue(buf, cb);
  };
  stream.framesSent = () => frames;
  return stream;
}
