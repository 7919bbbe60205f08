// The simulator on the demo city: sensors sit on the city's own features, series are seeded
// and deterministic, the scripted storm / gas drop / heating fault raise the alarms the rules
// say, a recording replays in order at speed; the embedded broker serves the feed read-only.
import { createServer } from "node:http";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import mqtt from "mqtt";
import { describe, expect, it } from "vitest";
import { LiveFeed } from "../../src/domain/live/feed";
import { loadRules, replay, runSimulation, waterloggingDepths } from "../../scripts/live/runner";
import { ensureSensorsFile } from "../../scripts/live/sensors";
import { Simulation, naturalRate } from "../../scripts/live/simulation";
import { parseSimulateArgs } from "../../scripts/live/simulate";
import { attachEmbeddedBroker } from "../../scripts/live/vitePlugin";

const sensors = ensureSensorsFile()!;
const rules = loadRules();
const T0 = Date.UTC(2026, 6, 15, 6, 0, 0);
const sim = (seed = 1) => new Simulation({ sensors, rules, seed, startMs: T0, maxDepthCm: waterloggingDepths() });

describe("simulator", () => {
  it("places every kind of sensor on the city's own features", () => {
    const byKind = new Map<string, number>();
    for (const s of sensors) byKind.set(s.kind, (byKind.get(s.kind) ?? 0) + 1);
    // One gauge per waterlogging spot, one status per public charging pile (3,228), one per smart lot (45).
    expect(Object.fromEntries(byKind)).toMatchObject({ waterlogging: 40, charging: 3228, parking: 45 });
    for (const k of ["gas", "heating", "construction", "elevator"]) expect(byKind.get(k)).toBeGreaterThan(10);
    const ids = new Set(sensors.map((s) => s.id));
    expect(ids.size).toBe(sensors.length);
    const wlIds = new Set(
      JSON.parse(readFileSync("public/generated/city/waterlogging.geojson", "utf8")).features.map(
        (f: { properties: { id: string } }) => f.properties.id,
      ),
    );
    for (const s of sensors.filter((x) => x.kind === "waterlogging")) expect(wlIds.has(s.onFeature)).toBe(true);
  });
  it("is deterministic for a seed, and a different seed differs", () => {
    const a = sim(1);
    const b = sim(1);
    const c = sim(2);
    const some = sensors.filter((_, i) => i % 97 === 0);
    const at = (s: Simulation) => some.map((x) => JSON.stringify(s.reading(x, T0 + 123_000)));
    expect(at(a)).toEqual(at(b));
    expect(at(a)).not.toEqual(at(c));
  });
  it("the storm floods the low spots past 15 cm, the gas main drops, the heating substation fails — and the rules raise alarms", () => {
    const s = sim(1);
    const feed = new LiveFeed(sensors, rules);
    const watched = sensors.filter((x) => x.kind === "waterlogging" || s.gasMain.has(x.id) || x.id === s.faultySubstation);
    for (let t = 0; t <= 900; t += 10)
      for (const x of watched) for (const m of s.messages(x, T0 + t * 1000)) expect(feed.ingest(m.topic, m.payload, T0)).toBe("ok");
    const active = feed.book.list();
    const rulesHit = new Set(active.map((a) => a.ruleId));
    expect(rulesHit).toEqual(new Set(["waterlogging-depth", "gas-pressure-low", "heating-supply-low"]));
    // The deepest spots (surveyed max ≥ 40 cm) are at alarm level; the shallow ones (≤ 10 cm) are not.
    const deep = sensors.filter((x) => x.kind === "waterlogging" && waterloggingDepths()[x.onFeature] >= 40);
    for (const d of deep) expect(feed.sensors.get(d.id)!.level).toBe(2);
    expect(
      Math.max(...sensors.filter((x) => x.kind === "waterlogging").map((x) => feed.sensors.get(x.id)!.last!.values.value)),
    ).toBeGreaterThan(30);
    // Before the storm: dry roads.
    const dry = sim(1);
    for (const x of sensors.filter((y) => y.kind === "waterlogging")) expect(dry.reading(x, T0 - 60_000).values.value).toBeLessThan(1);
  });
  it("publishes at the requested rate and records; the recording replays in order at 60×", async () => {
    const dir = mkdtempSync(join(tmpdir(), "warmcity-sim-"));
    const file = join(dir, "storm.ndjson");
    let n = 0;
    const run = runSimulation({ sink: (m) => (n += m.length), rate: 2000, record: file, startMs: T0, tickMs: 20 });
    await new Promise((r) => setTimeout(r, 1500));
    await run.stop();
    // The first tick sends every sensor's initial (retained) value; then ~2,000/s.
    expect(n - sensors.length).toBeGreaterThan(1000);
    expect(n - sensors.length).toBeLessThan(4500);
    const lines = readFileSync(file, "utf8").trim().split("\n");
    expect(lines.length).toBe(n);
    const got: string[] = [];
    const t0 = performance.now();
    const count = await replay(file, 60, (m) => got.push(...m.map((x) => x.topic)));
    expect(count).toBe(n);
    expect(got).toEqual(lines.map((l) => JSON.parse(l).topic));
    expect(performance.now() - t0).toBeLessThan(1500);
    expect(naturalRate(sensors)).toBeGreaterThan(20);
  });
  it("refuses bad arguments with a clear message", () => {
    expect(() => parseSimulateArgs(["--rate", "9000"])).toThrow(/--rate expects a number in \[1, 5000\]/);
    expect(() => parseSimulateArgs(["--speed", "500"])).toThrow(/--speed expects a number in \[1, 120\]/);
    expect(() => parseSimulateArgs(["--volume", "11"])).toThrow(/unknown option --volume/);
    expect(parseSimulateArgs(["--replay", "storm.ndjson", "--speed", "60"])).toMatchObject({ replay: "storm.ndjson", speed: 60 });
  });
});

describe("embedded broker (npm start)", () => {
  it("serves the simulated feed over WebSocket on /mqtt, read-only", async () => {
    const http = createServer();
    await new Promise<void>((r) => http.listen(0, "127.0.0.1", () => r()));
    const port = (http.address() as { port: number }).port;
    const b = await attachEmbeddedBroker(http, { clock: 60 });
    try {
      const c = await mqtt.connectAsync(`ws://127.0.0.1:${port}/mqtt`, { reconnectPeriod: 0 });
      const kinds = new Set<string>();
      let forged = 0;
      c.on("message", (t) => {
        kinds.add(t.split("/")[2]);
        if (t.endsWith("/forged")) forged++;
      });
      await c.subscribeAsync("warmcity/#");
      await expect.poll(() => kinds.size, { timeout: 20_000 }).toBeGreaterThanOrEqual(7);
      // A browser may not publish: the broker refuses (and drops the connection, as MQTT 3.1.1 allows).
      c.publish("warmcity/kangbashi/gas/forged", JSON.stringify({ ts: T0, value: 1 }));
      await new Promise((r) => setTimeout(r, 1000));
      expect(forged).toBe(0);
      await c.endAsync(true);
    } finally {
      b.close();
      http.close();
    }
  });
});
