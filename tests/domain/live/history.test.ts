// The sparkline ring buffer (src/domain/live/history.ts): small cases worked out by hand.
import { describe, expect, it } from "vitest";
import { HistoryStore } from "../../../src/domain/live/history";
import { LiveFeed } from "../../../src/domain/live/feed";
import { sensor } from "./fixtures";

describe("HistoryStore", () => {
  it("keeps the last `capacity` points per sensor, oldest first, and counts every push", () => {
    const h = new HistoryStore(2, 3);
    expect(h.tail(0)).toEqual([]);
    h.push(0, 10, 1);
    h.push(0, 20, 2);
    expect(h.tail(0)).toEqual([
      [10, 1],
      [20, 2],
    ]);
    h.push(0, 30, 3);
    h.push(0, 40, 4); // overwrites (10, 1)
    h.push(0, 50, 5); // overwrites (20, 2)
    expect(h.tail(0)).toEqual([
      [30, 3],
      [40, 4],
      [50, 5],
    ]);
    expect([h.length(0), h.count(0)]).toEqual([3, 5]);
    // The other sensor's slots are untouched.
    expect([h.length(1), h.count(1), h.tail(1)]).toEqual([0, 0, []]);
    h.push(1, 7, -1.5);
    expect(h.tail(1)).toEqual([[7, -1.5]]);
    expect(h.tail(0)).toEqual([
      [30, 3],
      [40, 4],
      [50, 5],
    ]);
  });

  it("tail(n) gives the newest n points across the wrap, clamped to what is held", () => {
    const h = new HistoryStore(1, 4);
    for (let i = 1; i <= 6; i++) h.push(0, i * 100, i); // holds 3, 4, 5, 6; the write position is after 6
    expect(h.tail(0, 2)).toEqual([
      [500, 5],
      [600, 6],
    ]);
    expect(h.tail(0, 0)).toEqual([]);
    expect(h.tail(0, 99).map((p) => p[1])).toEqual([3, 4, 5, 6]);
  });

  it("takes its memory once: the byte length does not change as histories fill", () => {
    const h = new HistoryStore(3, 60);
    const before = h.byteLength;
    // 3 sensors × 60 points × (ts, value) × 8 bytes, plus head and held (Int32) and pushed (Float64) per sensor.
    expect(before).toBe(3 * 60 * 2 * 8 + 3 * 4 + 3 * 4 + 3 * 8);
    for (let i = 0; i < 500; i++) h.push(i % 3, i, i);
    expect(h.byteLength).toBe(before);
  });

  it("refuses a capacity below one", () => {
    expect(() => new HistoryStore(1, 0)).toThrow(/capacity/);
  });
});

describe("LiveFeed history", () => {
  const T0 = Date.UTC(2026, 6, 15, 14); // readings' ts must be ms since the epoch
  const msg = (ts: number, value: number) => JSON.stringify({ ts: T0 + ts, value, unit: "cm" });
  const pts = (list: Array<[number, number]>) => list.map(([ts, v]) => [T0 + ts, v]);

  it("a repeated timestamp or an older reading adds no point; a sensor listed twice keeps one slot", () => {
    const f = new LiveFeed([sensor("a"), sensor("b"), sensor("a")], [], 3);
    expect(f.sensors.size).toBe(2);
    const t = "warmcity/kangbashi/waterlogging/";
    f.ingest(t + "a", msg(1000, 1), 0);
    f.ingest(t + "a", msg(1000, 1), 0); // the same reading again (a retained value on reconnect)
    f.ingest(t + "a", msg(500, 9), 0); // older: does not rewind
    f.ingest(t + "b", msg(2000, 4), 0);
    for (let i = 2; i <= 5; i++) f.ingest(t + "a", msg(1000 * i, i), 0);
    expect(f.history("a")).toEqual(
      pts([
        [3000, 3],
        [4000, 4],
        [5000, 5],
      ]),
    );
    expect(f.historyCount("a")).toBe(5);
    expect(f.history("b")).toEqual(pts([[2000, 4]]));
    expect(f.history("nope")).toEqual([]);
    expect(f.historyBytes()).toBe(2 * 3 * 2 * 8 + 2 * 4 + 2 * 4 + 2 * 8);
  });
});
