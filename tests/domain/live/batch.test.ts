// The live feed across two threads (src/domain/live/batch.ts), on hand-made fixtures: the
// worker-side coalescing (a batch carries each changed sensor once, with its latest reading
// and only the sparkline points added since the previous batch), the throttled panel part,
// the alarm engine seeing every reading even when the batches coalesce them, and the
// main-thread mirror applying batches (history trimmed, dirty set, acknowledgement).
import { describe, expect, it } from "vitest";
import { BatchSource, LiveMirror } from "../../../src/domain/live/batch";
import { LiveFeed } from "../../../src/domain/live/feed";
import { T0, depthRule, sensor } from "./fixtures";

const sensors = [sensor("a"), sensor("b"), sensor("c")];
const topic = (id: string) => `warmcity/kangbashi/waterlogging/${id}`;
const msg = (ts: number, v: number) => `{"ts":${ts},"value":${v},"unit":"cm"}`;

describe("BatchSource (worker side)", () => {
  it("sends each changed sensor once with its latest reading and only the new sparkline points", () => {
    const feed = new LiveFeed(sensors, []);
    const src = new BatchSource(feed, 250, 1000);
    expect(src.pending(T0)).toBe(true); // the first panel update is due at once
    expect(src.take(T0)).toMatchObject({ sensors: [] });
    expect(src.take(T0 + 10)).toBeUndefined(); // nothing changed, panels sent 10 ms ago
    src.watch(["a", "b"]); // the page wants these sensors' sparkline points
    // a: 3 readings, b: 1 reading, c: none.
    feed.ingest(topic("a"), msg(T0 + 1000, 1), T0 + 20);
    feed.ingest(topic("a"), msg(T0 + 2000, 2), T0 + 21);
    feed.ingest(topic("b"), msg(T0 + 1000, 7), T0 + 22);
    feed.ingest(topic("a"), msg(T0 + 3000, 3), T0 + 23);
    expect(src.pending(T0 + 30)).toBe(true);
    const b1 = src.take(T0 + 30)!;
    expect(b1.ui).toBeUndefined(); // panels at most every 250 ms
    expect(b1.sensors.map((d) => d.id).sort()).toEqual(["a", "b"]);
    const a1 = b1.sensors.find((d) => d.id === "a")!;
    expect(a1.last?.values.value).toBe(3);
    expect(a1.full).toBe(true); // first batch after watch: the whole history
    expect(a1.hist).toEqual([
      [T0 + 1000, 1],
      [T0 + 2000, 2],
      [T0 + 3000, 3],
    ]);
    expect(a1.receivedAt).toBe(T0 + 23);
    // Next batch: only a's one new point.
    feed.ingest(topic("a"), msg(T0 + 4000, 4), T0 + 40);
    const b2 = src.take(T0 + 50)!;
    expect(b2.sensors).toEqual([
      { id: "a", last: { ts: T0 + 4000, values: { value: 4 }, unit: "cm" }, receivedAt: T0 + 40, level: -1, hist: [[T0 + 4000, 4]] },
    ]);
    // A late reading (older ts) does not rewind the sensor: nothing to send.
    feed.ingest(topic("a"), msg(T0 + 3500, 9), T0 + 60);
    expect(src.take(T0 + 70)).toBeUndefined();
  });

  it("sends at most the history length of points when a sensor reported more than that between batches", () => {
    const feed = new LiveFeed([sensor("a")], [], 5);
    const src = new BatchSource(feed);
    src.watch(["a"]);
    for (let i = 1; i <= 8; i++) feed.ingest(topic("a"), msg(T0 + i * 1000, i), T0);
    const d = src.take(T0)!.sensors[0];
    expect(d.hist!.map((h) => h[1])).toEqual([4, 5, 6, 7, 8]);
  });

  it("the panel part: due after 250 ms when something changed, and every second regardless (counters age)", () => {
    const feed = new LiveFeed(sensors, []);
    const src = new BatchSource(feed, 250, 1000);
    expect(src.take(T0)!.ui?.stats.received).toBe(0);
    feed.ingest(topic("c"), msg(T0, 1), T0 + 100);
    expect(src.take(T0 + 100)!.ui).toBeUndefined(); // changed, but only 100 ms after the last
    expect(src.pending(T0 + 200)).toBe(false); // c was sent; panels not due yet
    expect(src.pending(T0 + 250)).toBe(true); // feed.version moved since the last panel update
    expect(src.take(T0 + 250)!.ui?.stats).toMatchObject({ received: 1, accepted: 1, sensorsSeen: 1 });
    expect(src.pending(T0 + 900)).toBe(false); // nothing changed
    expect(src.take(T0 + 1250)?.ui?.stats.received).toBe(1); // a second later: resent
  });

  it("coalescing never hides an alarm from the engine: a raise-and-clear between two batches is in the alarm list", () => {
    const feed = new LiveFeed(sensors, [depthRule]);
    const src = new BatchSource(feed, 0, 1000);
    src.take(T0);
    src.watch(["b"]);
    // Between two batches: 16 cm for 70 s (alarm raised after 60 s), then 1 cm (cleared).
    for (let s = 0; s <= 70; s += 10) feed.ingest(topic("b"), msg(T0 + s * 1000, 16), T0 + s);
    feed.ingest(topic("b"), msg(T0 + 80_000, 1), T0 + 80);
    const b = src.take(T0 + 100)!;
    // The sensor itself is sent once, normal again …
    expect(b.sensors).toHaveLength(1);
    expect(b.sensors[0]).toMatchObject({ id: "b", level: -1 });
    expect(b.sensors[0].hist).toHaveLength(9);
    // … and the episode the engine saw is listed, cleared, with its peak level.
    expect(b.ui!.alarms).toEqual([
      expect.objectContaining({ sensorId: "b", ruleId: "depth", level: "alarm", peakLevel: "alarm", since: T0, until: T0 + 80_000 }),
    ]);
  });
});

describe("LiveMirror (main-thread side)", () => {
  it("applies batches: latest reading and level, history appended and trimmed, dirty once per batch", () => {
    const feed = new LiveFeed(sensors, [depthRule], 4);
    const src = new BatchSource(feed, 0, 1000);
    const mirror = new LiveMirror(sensors, [depthRule], 4);
    expect(mirror.takeDirty()).toEqual([]);
    expect(mirror.stats.sensorsTotal).toBe(3);
    src.watch(["a", "b", "c"]);
    mirror.watch(["a", "b", "c"]);
    mirror.apply(src.take(T0 - 1)!); // the (empty) histories of the newly watched sensors
    mirror.takeDirty();
    for (let i = 1; i <= 3; i++) feed.ingest(topic("a"), msg(T0 + i * 1000, i), T0);
    mirror.apply(src.take(T0)!);
    expect(mirror.takeDirty()).toEqual(["a"]);
    expect(mirror.takeDirty()).toEqual([]);
    for (let i = 4; i <= 6; i++) feed.ingest(topic("a"), msg(T0 + i * 1000, i), T0);
    feed.ingest(topic("c"), msg(T0, 20), T0);
    mirror.apply(src.take(T0 + 1)!);
    expect(mirror.takeDirty().sort()).toEqual(["a", "c"]);
    // The mirror holds what the worker's feed holds.
    for (const id of ["a", "b", "c"]) {
      const m = mirror.sensors.get(id)!;
      const f = feed.sensors.get(id)!;
      expect([m.last, m.receivedAt, m.level, m.history, m.historyCount]).toEqual([
        f.last,
        f.receivedAt,
        f.level,
        feed.history(id),
        feed.historyCount(id),
      ]);
    }
    expect(mirror.sensors.get("a")!.history.map((h) => h[1])).toEqual([3, 4, 5, 6]);
    expect(mirror.stats).toMatchObject({ received: 7, sensorsSeen: 2 });
    expect(mirror.worst).toEqual([expect.objectContaining({ sensorId: "c", value: 20 })]);
  });

  it("sparkline points travel only for watched sensors: the whole history when watched, then what is new; unwatched ones are freed", () => {
    const feed = new LiveFeed(sensors, []);
    const src = new BatchSource(feed, 0, 1000);
    const mirror = new LiveMirror(sensors, []);
    for (let i = 1; i <= 3; i++) feed.ingest(topic("a"), msg(T0 + i * 1000, i), T0);
    feed.ingest(topic("b"), msg(T0 + 1000, 7), T0);
    mirror.apply(src.take(T0)!);
    // Nobody watches: latest readings only, no points on the page.
    expect(mirror.sensors.get("a")!.last!.values.value).toBe(3);
    expect(mirror.sensors.get("a")!.history).toEqual([]);
    // The inspector picks a: the next batch carries a's three points, even though a did not change.
    src.watch(["a"]);
    mirror.watch(["a"]);
    expect(src.pending(T0 + 1)).toBe(true);
    const b = src.take(T0 + 1)!;
    expect(b.sensors).toEqual([expect.objectContaining({ id: "a", full: true })]);
    mirror.apply(b);
    expect(mirror.sensors.get("a")!.history.map((h) => h[1])).toEqual([1, 2, 3]);
    // New readings of a and b: a's one new point is appended, b carries none.
    feed.ingest(topic("a"), msg(T0 + 4000, 4), T0);
    feed.ingest(topic("b"), msg(T0 + 2000, 8), T0);
    const b2 = src.take(T0 + 2)!;
    expect(b2.sensors.find((d) => d.id === "b")!.hist).toBeUndefined();
    mirror.apply(b2);
    expect(mirror.sensors.get("a")!.history.map((h) => h[1])).toEqual([1, 2, 3, 4]);
    expect(mirror.sensors.get("b")!.history).toEqual([]);
    // Unpicked: the page lets a's points go.
    src.watch([]);
    mirror.watch([]);
    expect(mirror.sensors.get("a")!.history).toEqual([]);
    feed.ingest(topic("a"), msg(T0 + 5000, 5), T0);
    expect(src.take(T0 + 3)!.sensors[0].hist).toBeUndefined();
  });

  it("an acknowledgement shows at once and holds until the worker's list carries it", () => {
    const feed = new LiveFeed(sensors, [depthRule]);
    const src = new BatchSource(feed, 0, 1000);
    const mirror = new LiveMirror(sensors, [depthRule]);
    feed.ingest(topic("a"), msg(T0, 16), T0);
    feed.ingest(topic("a"), msg(T0 + 61_000, 16), T0);
    mirror.apply(src.take(T0)!);
    const key = mirror.alarms[0].key;
    expect(mirror.alarms[0].acked).toBe(false);
    mirror.ack(key);
    expect(mirror.alarms[0].acked).toBe(true);
    // A batch computed before the worker got the ack still shows it acknowledged.
    feed.ingest(topic("a"), msg(T0 + 62_000, 17), T0);
    mirror.apply(src.take(T0 + 1)!);
    expect(mirror.alarms[0].acked).toBe(true);
    feed.ack(key);
    mirror.apply(src.take(T0 + 2)!);
    expect(mirror.alarms[0].acked).toBe(true);
  });
});
