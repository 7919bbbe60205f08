// The live layer's hub on hand-made fixtures, in node with a fake scene: a batch is applied to
// the points on arrival; a frame is requested only when a point's colour changed (a still
// camera does not redraw the city for readings that leave every sensor in its state), and when
// nothing visible changed the feed is told at once that it may send the next batch.
import { afterEach, describe, expect, it } from "vitest";
import { LiveRenderer, setLiveSource } from "../../src/cesium/LiveRenderer";
import type { RenderContext } from "../../src/cesium/renderers";
import type { LayerSpec } from "../../src/domain/catalog";
import type { ParsedLayer } from "../../src/domain/geojson";
import type { AlarmRule } from "../../src/domain/live/alarms";
import { BatchSource, LiveMirror } from "../../src/domain/live/batch";
import { LiveFeed } from "../../src/domain/live/feed";
import { T0, depthRule, sensor } from "../domain/live/fixtures";

const rule: AlarmRule = { ...depthRule, minDurationS: 0 };
const sensors = [sensor("a"), sensor("b")];
const topic = (id: string) => `warmcity/kangbashi/waterlogging/${id}`;
const msg = (ts: number, v: number) => `{"ts":${ts},"value":${v},"unit":"cm"}`;
const spec = {
  id: "live-wl",
  kind: "live",
  live: { topic: "warmcity/+/waterlogging/+", on: "waterlogging" },
  style: {
    color: {
      type: "categorical",
      property: "state",
      categories: { normal: "#36cfc9", notice: "#3ee0ff", warning: "#ffb84d", alarm: "#ff4d4f", offline: "#5c6b7a" },
    },
    pointSizePx: 10,
  },
} as unknown as LayerSpec;
const data: ParsedLayer = {
  kind: "point",
  ids: ["a", "b"],
  props: sensors.map((s) => ({ id: s.id, kind: s.kind, district: s.district })),
  coords: new Float64Array([109.8, 39.6, 109.81, 39.61]),
  parts: new Uint32Array(),
  skipped: 0,
} as unknown as ParsedLayer;

function setup() {
  let renders = 0;
  let framesDrawnCalls = 0;
  const post = new Set<() => void>();
  const ctx = {
    scene: {
      primitives: { add: () => undefined, remove: () => undefined },
      postRender: {
        addEventListener(fn: () => void) {
          post.add(fn);
          return () => post.delete(fn);
        },
      },
      isDestroyed: () => false,
    },
    requestRender: () => renders++,
    onPostRender: () => () => undefined,
  } as unknown as RenderContext;
  const feed = new LiveFeed(sensors, [rule]);
  const src = new BatchSource(feed, 0, 1000);
  const mirror = new LiveMirror(sensors, [rule]);
  const subs = new Set<() => void>();
  setLiveSource({
    feed: mirror,
    onMessages(fn) {
      subs.add(fn);
      return () => subs.delete(fn);
    },
    frameDrawn: () => framesDrawnCalls++,
  });
  const layer = new LiveRenderer(ctx, spec, data);
  /** The worker's batch, applied on the main thread as src/app/live.ts does. */
  const deliver = (nowMs: number) => {
    mirror.apply(src.take(nowMs)!);
    for (const f of subs) f();
  };
  return {
    feed,
    src,
    mirror,
    layer,
    deliver,
    renders: () => renders,
    frameDrawnCalls: () => framesDrawnCalls,
    drawFrame: () => [...post].forEach((f) => f()),
  };
}

afterEach(() => {
  for (const r of [...LiveRenderer.all]) r.destroy();
  setLiveSource(undefined);
});

describe("LiveRenderer hub", () => {
  it("three readings of one sensor in one frame: one update, the latest value drawn, the alarm crossed in between still raised", () => {
    const t = setup();
    const r0 = t.renders();
    t.src.watch(["a"]); // a is picked in the inspector: its sparkline points travel too
    t.mirror.watch(["a"]);
    // Three readings of a between two frames: 2 cm, 16 cm (crosses 报警 with no minimum duration), 1 cm
    // (clears: below the 提示 threshold less the 2 cm hysteresis).
    t.feed.ingest(topic("a"), msg(T0 + 1000, 2), T0);
    t.feed.ingest(topic("a"), msg(T0 + 2000, 16), T0 + 1);
    t.feed.ingest(topic("a"), msg(T0 + 3000, 1), T0 + 2);
    expect(t.feed.stats(T0 + 3).coalesced).toBe(2);
    t.deliver(T0 + 3);
    // One delta for a, drawn as "normal" (1 cm): the first reading takes it from offline to normal.
    expect(t.mirror.sensors.get("a")!.last!.values.value).toBe(1);
    expect(t.mirror.sensors.get("a")!.history).toHaveLength(3); // the sparkline keeps all three
    expect(t.layer.featureProps(0)!.props.state).toBe("normal");
    expect(t.renders()).toBe(r0 + 1);
    // The engine saw the 16 cm in between: the episode is in the alarm list, cleared, with its peak.
    expect(t.mirror.alarms).toEqual([expect.objectContaining({ sensorId: "a", ruleId: "depth", peakLevel: "alarm", until: T0 + 3000 })]);
    expect(t.mirror.stats.coalesced).toBe(2);
  });

  it("asks for a frame only when a colour changed; otherwise lets the feed send the next batch at once", () => {
    const t = setup();
    t.feed.ingest(topic("a"), msg(T0 + 1000, 2), T0);
    t.deliver(T0 + 1);
    const r1 = t.renders();
    const f1 = t.frameDrawnCalls();
    // 2 → 3 cm: a new value, same state (normal): no frame, the feed may go on.
    t.feed.ingest(topic("a"), msg(T0 + 2000, 3), T0 + 10);
    t.deliver(T0 + 11);
    expect(t.renders()).toBe(r1);
    expect(t.frameDrawnCalls()).toBe(f1 + 1);
    // 3 → 12 cm: 预警 (warning): a frame is requested; the feed waits for it to be drawn.
    t.feed.ingest(topic("a"), msg(T0 + 3000, 12), T0 + 20);
    t.deliver(T0 + 21);
    expect(t.renders()).toBeGreaterThan(r1);
    expect(t.frameDrawnCalls()).toBe(f1 + 1);
    expect(t.layer.featureProps(0)!.props.state).toBe("warning");
    t.drawFrame();
    expect(t.frameDrawnCalls()).toBe(f1 + 2);
  });
});
