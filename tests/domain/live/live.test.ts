// The live city's pure core on hand-made fixtures: topics, payload validation, alarm rules and
// their state machine (thresholds, hysteresis, minimum duration), the alarm book's merge of
// local and retained records, and the feed's counting and per-frame coalescing.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { AlarmBook, AlarmEngine, targetLevel, validateAlarms, type AlarmRule } from "../../../src/domain/live/alarms";
import { LiveFeed, type SensorInfo } from "../../../src/domain/live/feed";
import { MAX_PAYLOAD_BYTES, validateReading } from "../../../src/domain/live/payload";
import { onlineWindowMs } from "../../../src/domain/live/kinds";
import { isTopicFilter, parseTopic, topicMatches } from "../../../src/domain/live/topics";
import { T0, depthRule } from "./fixtures";

const pressureRule: AlarmRule = {
  ...depthRule,
  id: "pressure",
  kind: "gas",
  direction: "below",
  thresholds: { warning: 150, alarm: 100 },
  hysteresis: 5,
  minDurationS: 0,
};

describe("topics", () => {
  it("parses the scheme and rejects everything else", () => {
    expect(parseTopic("warmcity/kangbashi/waterlogging/wl-1")).toEqual({ district: "kangbashi", kind: "waterlogging", sensorId: "wl-1" });
    expect(parseTopic("warmcity/kangbashi/alarm/wl-1")?.kind).toBe("alarm");
    expect(parseTopic("warmcity/kangbashi/volcano/wl-1")).toBeUndefined();
    expect(parseTopic("warmcity/kangbashi/gas")).toBeUndefined();
    expect(parseTopic("other/kangbashi/gas/x")).toBeUndefined();
    expect(parseTopic("warmcity/kang bashi/gas/x")).toBeUndefined();
    expect(parseTopic("warmcity/a/gas/x/extra")).toBeUndefined();
  });
  it("matches filters like a broker", () => {
    expect(topicMatches("warmcity/+/gas/+", "warmcity/kangbashi/gas/g1")).toBe(true);
    expect(topicMatches("warmcity/+/gas/+", "warmcity/kangbashi/heating/g1")).toBe(false);
    expect(topicMatches("warmcity/#", "warmcity/a/b/c")).toBe(true);
    expect(topicMatches("warmcity/+/gas", "warmcity/a/gas/x")).toBe(false);
    expect(isTopicFilter("warmcity/+/gas/+")).toBe(true);
    expect(isTopicFilter("warmcity/#/gas")).toBe(false);
    expect(isTopicFilter("warmcity/ga+s")).toBe(false);
  });
});

describe("payload validation", () => {
  it("accepts value and values, with a unit", () => {
    expect(validateReading(`{"ts":${T0},"value":12.5,"unit":"cm"}`)).toEqual({
      ok: true,
      value: { ts: T0, values: { value: 12.5 }, unit: "cm" },
    });
    const r = validateReading(new TextEncoder().encode(`{"ts":${T0},"values":{"pm10":88,"noiseDb":61}}`));
    expect(r.ok && r.value.values).toEqual({ pm10: 88, noiseDb: 61 });
  });
  it("drops bad input with a reason, never throws", () => {
    const reason = (p: string | Uint8Array) => {
      const r = validateReading(p);
      return r.ok ? "ok" : r.reason;
    };
    expect(reason("not json {")).toBe("not-json");
    expect(reason("[1,2]")).toBe("bad-shape");
    expect(reason(`{"ts":${T0}}`)).toBe("bad-shape");
    expect(reason(`{"ts":"yesterday","value":1}`)).toBe("bad-ts");
    expect(reason(`{"ts":12,"value":1}`)).toBe("bad-ts");
    expect(reason(`{"ts":${T0},"value":"12"}`)).toBe("bad-value");
    expect(reason(`{"ts":${T0},"value":null}`)).toBe("bad-value");
    expect(reason(`{"ts":${T0},"values":{"a":true}}`)).toBe("bad-value");
    expect(reason(`{"ts":${T0},"values":{"__proto__":1}}`)).toBe("bad-shape");
    expect(reason(`{"ts":${T0},"value":1,"unit":{"x":1}}`)).toBe("bad-shape");
    // A 1 MB message is refused on its size, before any parsing.
    const big = new Uint8Array(1024 * 1024).fill(32);
    expect(reason(big)).toBe("too-large");
    expect(reason(`{"ts":${T0},"value":1,"pad":"${"x".repeat(MAX_PAYLOAD_BYTES)}"}`)).toBe("too-large");
  });
});

describe("alarm rules manifest", () => {
  it("validates the shipped data/alarms.json (the GB 51222 15 cm rule is an alarm)", () => {
    const m = validateAlarms(JSON.parse(readFileSync("data/alarms.json", "utf8")), "data/alarms.json");
    const wl = m.rules.find((r) => r.id === "waterlogging-depth")!;
    expect(wl.thresholds.alarm).toBe(15);
    expect(targetLevel(wl, 15, -1)).toBe(2);
    expect(targetLevel(wl, 14.9, -1)).toBe(1);
    expect(new Set(m.rules.map((r) => r.kind)).size).toBe(7);
  });
  it("names the file and the field of a mistake", () => {
    const bad = (rules: unknown) => () => validateAlarms({ version: 1, rules }, "alarms.json");
    const rule = {
      id: "r",
      kind: "gas",
      field: "value",
      direction: "below",
      thresholds: { warning: 150 },
      hysteresis: 1,
      minDurationS: 0,
      title: { zh: "甲", en: "a" },
    };
    expect(bad([{ ...rule, kind: "volcano" }])).toThrow(/alarms\.json: rules\[0\]\.kind: expected one of/);
    expect(bad([{ ...rule, thresholds: { warning: 150, alarm: 180 } }])).toThrow(/rules\[0\]\.thresholds\.alarm: must be less/);
    expect(bad([{ ...rule, thresholds: { severe: 1 } }])).toThrow(/thresholds\.severe: unknown level/);
    expect(bad([{ ...rule, thresholds: {} }])).toThrow(/thresholds: needs at least one level/);
    expect(bad([{ ...rule, hysteresis: -1 }])).toThrow(/rules\[0\]\.hysteresis/);
    expect(bad([rule, rule])).toThrow(/duplicate rule id "r"/);
    expect(bad([{ ...rule, direction: "up" }])).toThrow(/direction/);
  });
});

describe("alarm state machine", () => {
  const read = (e: AlarmEngine, v: number, tS: number) =>
    e.evaluate("wl-1", "kangbashi", "waterlogging", { ts: T0 + tS * 1000, values: { value: v } });

  it("raises only after the minimum duration, from the moment the condition began", () => {
    const e = new AlarmEngine([depthRule]);
    expect(read(e, 16, 0)).toEqual([]); // pending
    expect(read(e, 17, 30)).toEqual([]); // 30 s < 60 s
    const ev = read(e, 18, 60);
    expect(ev).toHaveLength(1);
    expect(ev[0].type).toBe("raised");
    expect(ev[0].episode).toMatchObject({ level: "alarm", since: T0, value: 18, peak: 18 });
  });
  it("a short spike never raises", () => {
    const e = new AlarmEngine([depthRule]);
    read(e, 20, 0);
    read(e, 3, 30);
    expect(read(e, 3, 90)).toEqual([]);
    expect(e.levelOf("wl-1", "waterlogging")).toBe(-1);
  });
  it("hysteresis: 14 cm keeps an alarm raised at 15 (15 − 2 = 13), 12.9 lowers it to a warning, 2.9 clears", () => {
    const e = new AlarmEngine([depthRule]);
    read(e, 16, 0);
    read(e, 16, 60);
    expect(read(e, 14, 70)).toEqual([]);
    expect(e.levelOf("wl-1", "waterlogging")).toBe(2);
    const down = read(e, 12.9, 80);
    expect(down[0]).toMatchObject({ type: "changed", episode: { level: "warning", peakLevel: "alarm", peak: 16 } });
    expect(read(e, 3.1, 90)[0].episode.level).toBe("notice");
    const clear = read(e, 2.9, 100);
    expect(clear[0]).toMatchObject({ type: "cleared", episode: { until: T0 + 100_000, since: T0 } });
    expect(e.levelOf("wl-1", "waterlogging")).toBe(-1);
  });
  it("below-rules work the other way (gas pressure drop), without a minimum duration", () => {
    const e = new AlarmEngine([pressureRule]);
    const g = (v: number, s: number) => e.evaluate("g1", "kangbashi", "gas", { ts: T0 + s * 1000, values: { value: v } });
    expect(g(200, 0)).toEqual([]);
    expect(g(140, 1)[0]).toMatchObject({ type: "raised", episode: { level: "warning" } });
    expect(g(90, 2)[0]).toMatchObject({ type: "changed", episode: { level: "alarm", peak: 90 } });
    expect(g(104, 3)).toEqual([]); // 104 ≤ 100 + 5: still an alarm
    expect(g(156, 4)[0]).toMatchObject({ type: "cleared" });
  });
  it("ignores readings older than the episode (retained re-delivery)", () => {
    const e = new AlarmEngine([pressureRule]);
    e.evaluate("g1", "k", "gas", { ts: T0 + 10_000, values: { value: 90 } });
    expect(e.evaluate("g1", "k", "gas", { ts: T0, values: { value: 200 } })).toEqual([]);
    expect(e.levelOf("g1", "gas")).toBe(2);
  });
});

describe("alarm book", () => {
  const ep = (since: number, until: number | undefined, level: "notice" | "warning" | "alarm", updated: number) => ({
    sensorId: "wl-1",
    district: "k",
    kind: "waterlogging" as const,
    ruleId: "depth",
    level,
    peakLevel: level,
    since,
    until,
    value: 1,
    peak: 1,
    updated,
  });
  it("merges a local and a retained record of the same alarm, keeps distinct ones apart", () => {
    const b = new AlarmBook();
    b.upsert(ep(T0 + 30_000, undefined, "warning", T0 + 40_000)); // viewer joined late
    b.upsert(ep(T0, undefined, "alarm", T0 + 50_000)); // broker's record: began earlier, now worse
    expect(b.list()).toHaveLength(1);
    expect(b.list()[0]).toMatchObject({ since: T0, level: "alarm", peakLevel: "alarm" });
    b.upsert(ep(T0 + 600_000, T0 + 700_000, "notice", T0 + 700_000)); // a later, cleared one
    expect(b.list()).toHaveLength(2);
    // A later episode of the same sensor and rule means the first one ended (its clearing was
    // missed): it is closed at its last known time, not left active for ever.
    expect(b.activeByLevel()).toEqual({ notice: 0, warning: 0, alarm: 0 });
    expect(b.list().map((e) => e.until)).toEqual([T0 + 700_000, T0 + 50_000]);
  });
  it("acknowledging sticks until the alarm escalates", () => {
    const b = new AlarmBook();
    const e = b.upsert(ep(T0, undefined, "warning", T0));
    expect(b.ack(e.key)).toBe(true);
    expect(b.list()[0].acked).toBe(true);
    b.upsert({ ...ep(T0, undefined, "warning", T0 + 1000), value: 2 });
    expect(b.list()[0].acked).toBe(true);
    b.upsert(ep(T0, undefined, "alarm", T0 + 2000));
    expect(b.list()[0].acked).toBe(false);
  });
});

describe("live feed", () => {
  const sensors: SensorInfo[] = [
    {
      id: "wl-1",
      kind: "waterlogging",
      district: "kangbashi",
      name: "康平路",
      lonDeg: 109.8,
      latDeg: 39.6,
      onLayer: "waterlogging",
      onFeature: "w1",
    },
    {
      id: "wl-2",
      kind: "waterlogging",
      district: "kangbashi",
      name: "北区",
      lonDeg: 109.81,
      latDeg: 39.61,
      onLayer: "waterlogging",
      onFeature: "w2",
    },
    { id: "g-1", kind: "gas", district: "dongsheng", name: "燃气", lonDeg: 109.9, latDeg: 39.8, onLayer: "pipes-gas", onFeature: "p1" },
  ];
  const msg = (ts: number, v: number) => `{"ts":${ts},"value":${v},"unit":"cm"}`;

  it("coalesces: three messages for one sensor in a frame are one update with the latest value", () => {
    const f = new LiveFeed(sensors, [depthRule]);
    const now = T0;
    for (const [i, v] of [1, 2, 3].entries())
      expect(f.ingest("warmcity/kangbashi/waterlogging/wl-1", msg(T0 + i * 1000, v), now)).toBe("ok");
    expect(f.takeDirty()).toEqual(["wl-1"]);
    expect(f.takeDirty()).toEqual([]);
    expect(f.sensors.get("wl-1")!.last!.values.value).toBe(3);
    expect(f.history("wl-1").map((h) => h[1])).toEqual([1, 2, 3]);
  });
  it("counts drops by reason and keeps going", () => {
    const f = new LiveFeed(sensors, [depthRule]);
    expect(f.ingest("warmcity/kangbashi/waterlogging/nobody", msg(T0, 1), T0)).toBe("unknown-sensor");
    expect(f.ingest("warmcity/kangbashi/gas/wl-1", msg(T0, 1), T0)).toBe("wrong-kind");
    expect(f.ingest("random/topic", msg(T0, 1), T0)).toBe("bad-topic");
    expect(f.ingest("warmcity/kangbashi/waterlogging/wl-1", "<script>alert(1)</script>", T0)).toBe("not-json");
    expect(f.ingest("warmcity/kangbashi/waterlogging/wl-1", new Uint8Array(1 << 20), T0)).toBe("too-large");
    expect(f.ingest("warmcity/kangbashi/waterlogging/wl-1", msg(T0, 4), T0)).toBe("ok");
    const s = f.stats(T0 + 1000);
    expect(s).toMatchObject({ received: 6, accepted: 1, droppedTotal: 5, sensorsSeen: 1, sensorsTotal: 3 });
    expect(s.dropped).toMatchObject({ "unknown-sensor": 1, "wrong-kind": 1, "bad-topic": 1, "not-json": 1, "too-large": 1 });
    expect(s.lastDrop?.reason).toBe("too-large");
  });
  it("messages/s over the last 5 whole seconds; sensors go offline when stale", () => {
    const f = new LiveFeed(sensors, []);
    for (let i = 0; i < 50; i++) f.ingest("warmcity/kangbashi/waterlogging/wl-2", msg(T0 + i, i), T0 + i * 100); // 50 msgs over 5 s
    expect(f.stats(T0 + 5000).messagesPerS).toBe(10);
    expect(f.stats(T0 + 5000).sensorsOnline).toBe(1);
    expect(f.stats(T0 + 5000 + 200_000).sensorsOnline).toBe(0);
    // Last heard at T0 + 4.9 s; a water gauge reports every 10 s, so it is online for a minute.
    expect(f.stats(T0 + 4900 + 60_000).sensorsOnline).toBe(1);
    expect(f.stats(T0 + 4900 + 60_001).sensorsOnline).toBe(0);
  });
  it("judges 'online' against each kind's reporting period (3 periods, at least a minute)", () => {
    expect(onlineWindowMs("waterlogging")).toBe(60_000); // 10 s period → the 1-minute floor
    expect(onlineWindowMs("heating")).toBe(90_000); // 30 s
    expect(onlineWindowMs("charging")).toBe(900_000); // 300 s: a pile that reported 4 min ago is online
  });
  it("raises alarms from readings, merges the retained alarm topic, and finds the worst reading", () => {
    const f = new LiveFeed(sensors, [depthRule]);
    f.ingest("warmcity/kangbashi/waterlogging/wl-1", msg(T0, 16), T0);
    f.ingest("warmcity/kangbashi/waterlogging/wl-1", msg(T0 + 61_000, 17), T0);
    f.ingest("warmcity/kangbashi/waterlogging/wl-2", msg(T0 + 61_000, 8), T0);
    expect(f.stats(T0).activeAlarms).toEqual({ notice: 0, warning: 0, alarm: 1 });
    // wl-2's warning was raised by the broker-side engine while this viewer was away.
    const rec = {
      ts: T0,
      episodes: [{ ruleId: "depth", level: "warning", peakLevel: "warning", since: T0 - 120_000, value: 11, peak: 12, updated: T0 - 1000 }],
    };
    expect(f.ingest("warmcity/kangbashi/alarm/wl-2", JSON.stringify(rec), T0)).toBe("ok");
    expect(f.stats(T0).activeAlarms).toEqual({ notice: 0, warning: 1, alarm: 1 });
    expect(f.ingest("warmcity/kangbashi/alarm/wl-2", JSON.stringify({ ts: T0, episodes: [{ ruleId: "nope" }] }), T0)).toBe("bad-shape");
    expect(f.worstByKind()).toEqual([{ kind: "waterlogging", sensorId: "wl-1", name: "康平路", value: 17, unit: "cm", level: 2 }]);
  });
});

describe("live layers in the catalog", () => {
  const base = { version: 1, groups: [{ id: "g", title: { zh: "组", en: "G" } }] };
  const spot = {
    id: "spots",
    title: { zh: "点", en: "Spots" },
    group: "g",
    kind: "point",
    url: "a.geojson",
    visible: false,
    pickable: true,
    style: { color: { type: "constant", color: "#fff" } },
  };
  const liveLayer = (live: unknown) => ({ ...spot, id: "live-spots", kind: "live", url: "sensors.geojson", live });
  it("binds a topic filter and the layer the sensors sit on", async () => {
    const { validateCatalog } = await import("../../../src/domain/catalog");
    const c = validateCatalog({ ...base, layers: [spot, liveLayer({ topic: "warmcity/+/waterlogging/+", on: "spots" })] });
    expect(c.layers[1].live).toEqual({ topic: "warmcity/+/waterlogging/+", on: "spots" });
    expect(() => validateCatalog({ ...base, layers: [spot, liveLayer({ topic: "warmcity/#/x", on: "spots" })] })).toThrow(
      /layers\[1\]\.live\.topic: not an MQTT topic filter/,
    );
    expect(() => validateCatalog({ ...base, layers: [spot, liveLayer({ topic: "warmcity/#", on: "nowhere" })] })).toThrow(
      /layers\[1\]\.live\.on: no layer with id "nowhere"/,
    );
    expect(() => validateCatalog({ ...base, layers: [spot, liveLayer(undefined)] })).toThrow(/layers\[1\]\.live: expected an object/);
  });
  it("the shipped live layers cover every sensor kind and sit on existing layers", async () => {
    const { validateCatalog } = await import("../../../src/domain/catalog");
    const c = validateCatalog(JSON.parse(readFileSync("data/catalog.json", "utf8")), "data/catalog.json");
    const kinds = c.layers.filter((l) => l.kind === "live").map((l) => l.live!.topic.split("/")[2]);
    expect(kinds.sort()).toEqual(["charging", "construction", "elevator", "gas", "heating", "parking", "waterlogging"]);
  });
});

describe("live config from the URL", () => {
  it("defaults to the app's own origin, accepts ws(s) brokers, refuses other schemes", async () => {
    const { liveConfig } = await import("../../../src/domain/live/config");
    expect(liveConfig("", "https://city.example/twin/")).toMatchObject({ url: "wss://city.example/twin/mqtt", explicit: false });
    expect(liveConfig("?live=ws://127.0.0.1:9001&liveUser=viewer&liveToken=t", "http://127.0.0.1:4173/")).toEqual({
      url: "ws://127.0.0.1:9001/",
      username: "viewer",
      password: "t",
      explicit: true,
    });
    const bad = liveConfig("?live=http://evil.example/", "http://127.0.0.1:4173/");
    expect(bad).toMatchObject({ url: "ws://127.0.0.1:4173/mqtt", explicit: false });
    expect(bad.problem).toMatch(/expected a ws:\/\/ or wss:\/\/ URL/);
  });
});
