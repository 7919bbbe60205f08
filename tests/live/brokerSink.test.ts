// The simulator's feed into the embedded broker: bounded concurrency, off the caller's stack, in
// order, nothing lost below the backlog cap — a start-up burst of every sensor once used to
// overflow the stack inside aedes' emitter queue.
import { Aedes } from "aedes";
import { describe, expect, it } from "vitest";
import { brokerSink } from "../../scripts/live/vitePlugin";

const msg = (i: number) => ({ topic: `warmcity/kbs/gas/s${i}`, payload: JSON.stringify({ ts: i, value: i }), retain: false });

describe("brokerSink", () => {
  it("never has more than 64 publishes in flight, keeps order and publishes all of a 50k burst", async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const seen: string[] = [];
    const pending: Array<() => void> = [];
    const broker = {
      publish(packet: { topic: string }, cb: (err?: Error) => void) {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        seen.push(packet.topic);
        // Half complete at once (synchronously, as aedes may), half later.
        if (seen.length % 2) {
          inFlight--;
          cb();
        } else
          pending.push(() => {
            inFlight--;
            cb();
          });
      },
    };
    const sink = brokerSink(broker as never);
    sink(Array.from({ length: 50_000 }, (_, i) => msg(i)));
    expect(seen.length).toBe(0); // not on the caller's stack
    while (seen.length < 50_000) {
      await new Promise((r) => setImmediate(r));
      pending.splice(0).forEach((f) => f());
    }
    expect(maxInFlight).toBeLessThanOrEqual(64);
    expect(seen[0]).toBe("warmcity/kbs/gas/s0");
    expect(seen[49_999]).toBe("warmcity/kbs/gas/s49999");
    expect(new Set(seen).size).toBe(50_000);
    expect(sink.dropped()).toBe(0);
  });

  it("drains a 30k burst through a real aedes broker whose slow subscriber leaves mid-burst", async () => {
    // Reproduces the stack overflow of the old synchronous loop: a slow WebSocket client lets
    // aedes' emitter queue fill; when it leaves, the queue drained recursively (RangeError,
    // reported by vitest as an unhandled error, failing the run).
    const broker = await Aedes.createBroker();
    let got = 0;
    const slow = (_p: unknown, cb: () => void) => {
      got++;
      setTimeout(cb, 30);
    };
    await new Promise<void>((r) => broker.subscribe("warmcity/#", slow, r));
    const sink = brokerSink(broker);
    sink(Array.from({ length: 30_000 }, (_, i) => msg(i)));
    await new Promise((r) => setTimeout(r, 150));
    await new Promise<void>((r) => broker.unsubscribe("warmcity/#", slow, r));
    const t0 = Date.now();
    while (sink.pending() > 0 && Date.now() - t0 < 60_000) await new Promise((r) => setTimeout(r, 20));
    await new Promise<void>((r) => broker.close(() => r()));
    expect(got).toBeGreaterThan(0);
    expect(sink.pending()).toBe(0);
    expect(sink.dropped()).toBe(0);
  });
});
