// The live city against a REAL broker: Debian's Mosquitto with the project's read-only ACL
// (deploy/), behind Debian's websockify; the viewer subscribes over WebSocket (mqtt.js) and
// the test publishes the simulator's own readings over MQTT/TCP as the "simulator" user.
// Messages really flow through the broker: values are drawn, a storm raises alarms that are
// listed, the broker is stopped and restarted mid-run (reconnecting, backoff, resubscribe,
// retained values, an alarm raised and cleared while the viewer was away is still listed),
// bad payloads and a 50k flood are dropped/coalesced while the scene stays live.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import mqtt, { type MqttClient } from "mqtt";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { SensorInfo } from "../../src/domain/live/feed";
import { alarmTopic } from "../../src/domain/live/topics";
import { loadRules, waterloggingDepths } from "../../scripts/live/runner";
import { loadSensorsFile, ensureSensorsFile } from "../../scripts/live/sensors";
import { Simulation } from "../../scripts/live/simulation";
import {
  decodePng,
  describeBrowser,
  REPO_ROOT,
  sceneScreenshot,
  screenshot,
  startHarness,
  waitForReady,
  type Harness,
  type OpenedPage,
} from "./harness";
import { CREDENTIALS, requireBrokerBinaries, startLiveBroker, type LiveBroker } from "./liveBroker";

type LiveInfo = {
  state: string;
  messagesPerS: number;
  received: number;
  accepted: number;
  dropped: number;
  droppedByReason: Record<string, number>;
  coalesced: number;
  sensorsSeen: number;
  activeAlarms: { notice: number; warning: number; alarm: number };
  alarms: Array<{ key: string; sensorId: string; ruleId: string; level: string; since: number; until?: number; acked: boolean }>;
  reconnects: number;
  sensor?: { ts: number; values: Record<string, number>; state: string; history: number };
};
type W = { warmcity: { live(id?: string): LiveInfo; flyTo(c: object, d?: number): Promise<void> } };
const live = (page: Page, id?: string) => page.evaluate((i) => (window as unknown as W).warmcity.live(i), id);
const poll = <T>(fn: () => Promise<T>, what: string, timeout = 90_000) => expect.poll(fn, { timeout, interval: 500, message: what });

/** Pixels within `tol` of a colour, in the scene canvas only. */
function countColour(png: Buffer, rgb: [number, number, number], tol = 40): number {
  const img = decodePng(png);
  let n = 0;
  for (let i = 0; i < img.data.length; i += 4)
    if (Math.abs(img.data[i] - rgb[0]) <= tol && Math.abs(img.data[i + 1] - rgb[1]) <= tol && Math.abs(img.data[i + 2] - rgb[2]) <= tol)
      n++;
  return n;
}
const ALARM_RED: [number, number, number] = [255, 77, 79];
const NORMAL_TEAL: [number, number, number] = [54, 207, 201];

// Readings are dated in July (the storm of July); the alarm rules run on sensor time.
const T0 = Date.UTC(2026, 6, 15, 6, 0, 0);

describeBrowser("live city through a real broker (Mosquitto + websockify)", () => {
  let broker: LiveBroker;
  let h: Harness;
  let pub: MqttClient;
  let p: OpenedPage;
  let sim: Simulation;
  let wl: SensorInfo[];
  let gasMain: SensorInfo;
  const measured: Record<string, number> = {};

  const publish = async (msgs: Array<{ topic: string; payload: string | Buffer; retain: boolean }>) => {
    for (const m of msgs) pub.publish(m.topic, m.payload, { qos: 0, retain: m.retain });
    // Let the client flush before the next step.
    await new Promise<void>((r) => pub.publish("e2e/sync", "", { qos: 1 }, () => r()));
  };
  const readingsAt = (sensors: SensorInfo[], simS: number) => sensors.flatMap((s) => sim.messages(s, T0 + simS * 1000));

  beforeAll(async () => {
    requireBrokerBinaries();
    ensureSensorsFile();
    broker = await startLiveBroker();
    measured.brokerStartMs = Math.round(broker.startMs);
    const sensors = loadSensorsFile();
    wl = sensors.filter((s) => s.kind === "waterlogging");
    // The storm starts at once; the gas main's drop is driven by hand below (events far away).
    sim = new Simulation({
      sensors,
      rules: loadRules(),
      seed: 7,
      startMs: T0,
      maxDepthCm: waterloggingDepths(),
      events: { stormAtS: 0, gasDropAtS: 900, heatingFaultAtS: 1e7 },
    });
    gasMain = sensors.find((s) => sim.gasMain.has(s.id))!;
    pub = await mqtt.connectAsync(broker.mqttUrl, { ...CREDENTIALS.simulator, clientId: "e2e-simulator", reconnectPeriod: 300 });
    // Retained values exist before the viewer connects: it must show them at once.
    await publish([...readingsAt(wl, 0), ...sim.messages(gasMain, T0)]);
    h = await startHarness();
    // Look straight down on Kangbashi's gauges (Dongsheng's are 25 km north-east).
    const kbs = wl.filter((s) => s.district === "kangbashi");
    const c = kbs.reduce((a, s) => [a[0] + s.lonDeg / kbs.length, a[1] + s.latDeg / kbs.length], [0, 0]);
    const q = new URLSearchParams({
      quality: "low",
      layers: "districts,live-waterlogging,live-gas",
      camera: `${c[0].toFixed(4)},${c[1].toFixed(4)},9000,0,-90`,
      // Through the page's own origin, as a site's reverse proxy does (the CSP allows no other).
      live: h.server.proxyWebSocket("/broker", Number(new URL(broker.wsUrl).port)),
      liveUser: CREDENTIALS.viewer.username,
      liveToken: CREDENTIALS.viewer.password,
    });
    p = await h.open(`?${q}`);
    await waitForReady(p.page, 240_000, p.record);
  });

  afterAll(async () => {
    mkdirSync(join(REPO_ROOT, "test-results"), { recursive: true });
    writeFileSync(
      join(REPO_ROOT, "test-results/live-broker.json"),
      JSON.stringify({ date: new Date().toISOString(), ...measured }, null, 2),
    );
    await p?.close();
    await h?.close();
    await pub?.endAsync(true);
    await broker?.close();
  });

  it("takes the retained values on connect and draws them; the storm raises an alarm that is listed and drawn red", async () => {
    const page = p.page;
    await poll(async () => (await live(page)).state, "connected").toBe("connected");
    await poll(async () => (await live(page)).sensorsSeen, "retained values of every gauge").toBeGreaterThanOrEqual(wl.length + 1);
    await page.waitForTimeout(1500);
    const before = await sceneScreenshot(page, "live-before-storm");
    const tealBefore = countColour(before, NORMAL_TEAL);
    const redBefore = countColour(before, ALARM_RED);
    expect(tealBefore, "gauges drawn in the normal colour").toBeGreaterThan(50);

    // The storm: 5 sim-minutes of readings, every 10 sim-seconds.
    const t0 = Date.now();
    for (let s = 10; s <= 300; s += 10) await publish(readingsAt(wl, s));
    measured.stormPublishMs = Date.now() - t0;
    await poll(async () => (await live(page)).activeAlarms.alarm, "an alarm (≥ 15 cm for ≥ 60 s)").toBeGreaterThan(0);
    const info = await live(page);
    const deep = info.alarms.find((a) => a.level === "alarm")!;
    expect(deep.ruleId).toBe("waterlogging-depth");
    // The panel lists it with its place, value and level.
    const row = page.locator(`[data-testid="alarm-row"][data-sensor="${deep.sensorId}"]`).first();
    await expect.poll(() => row.count()).toBe(1);
    const name = wl.find((s) => s.id === deep.sensorId)!.name;
    expect(await row.textContent()).toContain(name);
    expect(await row.textContent()).toMatch(/报警/);
    // The drawn value is the last one published.
    const expected = sim.reading(
      wl.find((s) => s.id === deep.sensorId)!,
      T0 + 300_000,
    ).values.value;
    await poll(async () => (await live(page, deep.sensorId)).sensor?.values.value, "last reading").toBe(expected);
    await page.waitForTimeout(1500);
    const after = await sceneScreenshot(page, "live-storm");
    expect(countColour(after, ALARM_RED), "alarmed gauges drawn red").toBeGreaterThan(redBefore + 30);
    await screenshot(page, "live-storm-panel");

    // The inspector's toolbar stands above the live strip, also when the strip grows later
    // (it registers as a bottom bar; the toolbar does not wait for its own next render).
    const gap = () =>
      page.evaluate(() => {
        const strip = document.querySelector('[data-testid="live-strip"]')!.getBoundingClientRect();
        const col = document.querySelector(".insp-column")!.getBoundingClientRect();
        return strip.top - col.bottom;
      });
    await poll(gap, "toolbar above the strip").toBeGreaterThanOrEqual(0);
    // …and the strip stands above the tour player bar, not over it.
    const overTourBar = () =>
      page.evaluate(() => {
        const strip = document.querySelector('[data-testid="live-strip"]')!.getBoundingClientRect();
        const bar = document.querySelector(".presenter-bottom")!.getBoundingClientRect();
        return bar.height > 0 ? bar.top - strip.bottom : 0;
      });
    await poll(overTourBar, "live strip above the tour bar").toBeGreaterThanOrEqual(0);
    await page.evaluate(() => {
      const pad = document.createElement("div");
      pad.id = "test-strip-pad";
      pad.style.height = "120px";
      document.querySelector('[data-testid="live-strip"]')!.appendChild(pad);
    });
    await poll(gap, "toolbar above the strip after it grew by 120 px").toBeGreaterThanOrEqual(0);
    await page.evaluate(() => document.getElementById("test-strip-pad")!.remove());
  });

  it("is pickable: the inspector shows the sensor and a sparkline of its last readings", async () => {
    const page = p.page;
    const info = await live(page);
    const target = wl.find((s) => s.id === info.alarms.find((a) => a.level === "alarm")!.sensorId)!;
    await page.evaluate((c) => (window as unknown as W).warmcity.flyTo(c, 0.5), {
      lonDeg: target.lonDeg,
      latDeg: target.latDeg,
      heightM: 900,
      headingDeg: 0,
      pitchDeg: -90,
    });
    const box = (await page.locator(".cesium-widget canvas").boundingBox())!;
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await expect.poll(() => page.locator('[data-testid="inspector"]').textContent(), { timeout: 30_000 }).toContain(target.name);
    const spark = page.locator('[data-testid="sparkline"]');
    await expect.poll(async () => Number(await spark.getAttribute("data-points")), { timeout: 30_000 }).toBeGreaterThanOrEqual(20);
    expect(await page.locator('[data-testid="sparkline"] polyline').count()).toBe(1);
    await screenshot(page, "live-sparkline");
  });

  it("survives a broker restart: reconnecting shown, backoff, resubscribe, retained values, no alarm lost", async () => {
    const page = p.page;
    const before = await live(page);
    const alarmsBefore = before.alarms.map((a) => `${a.sensorId}|${a.ruleId}`);
    // The broker goes down, WebSocket bridge included: the viewer sees nothing until both are back.
    await broker.stopBroker({ bridge: true });
    let bridgeUp = false;
    try {
      await poll(async () => page.getAttribute('[data-testid="live-strip"]', "data-state"), "reconnecting shown", 30_000).toBe(
        "reconnecting",
      );
      expect(await page.textContent('[data-testid="live-connection"]')).toContain("正在重连");
      // Backoff: attempts keep coming, further and further apart (1 s, 2 s, 4 s …).
      await poll(async () => (await live(page)).reconnects, "backoff attempts", 60_000).toBeGreaterThanOrEqual(before.reconnects + 3);
      // Mosquitto restarts (retained messages restored from its persistence file); the
      // publisher reconnects and, while the viewer is still away, the gas main loses pressure
      // and recovers (an alarm raised and cleared) and the gauges report.
      await broker.startBroker();
      await poll(async () => pub.connected, "publisher back", 30_000).toBe(true);
      const away: Array<{ topic: string; payload: string; retain: boolean }> = [];
      for (let s = 900; s <= 1600; s += 10) away.push(...sim.messages(gasMain, T0 + s * 1000));
      away.push(...readingsAt(wl, 1600));
      await publish(away);
      expect(
        away.some((m) => m.topic === alarmTopic(gasMain.district, gasMain.id)),
        "the gas main raised an alarm meanwhile",
      ).toBe(true);
      expect((await live(page)).state, "the viewer is still away").toBe("reconnecting");
      await broker.startBridge();
      bridgeUp = true;
    } finally {
      if (!bridgeUp) {
        await broker.startBroker().catch(() => undefined);
        await broker.startBridge().catch(() => undefined);
      }
    }
    await poll(async () => (await live(page)).state, "reconnected", 90_000).toBe("connected");
    // Retained alarm record: the gas alarm raised and cleared while away is listed (as cleared).
    await poll(
      async () =>
        (await live(page)).alarms.some((a) => a.sensorId === gasMain.id && a.ruleId === "gas-pressure-low" && a.until !== undefined),
      "gas alarm from the retained alarm topic",
    ).toBe(true);
    // Retained values: the gauges show what was published while away.
    const probe = wl[0];
    await poll(async () => (await live(page, probe.id)).sensor?.ts, "retained reading").toBe(T0 + 1_600_000);
    // Nothing raised before the outage was lost.
    const after = (await live(page)).alarms.map((a) => `${a.sensorId}|${a.ruleId}`);
    for (const k of alarmsBefore) expect(after).toContain(k);
    // Resubscribed: a new live message arrives.
    await publish(readingsAt([probe], 1610));
    await poll(async () => (await live(page, probe.id)).sensor?.ts, "live after resubscribe").toBe(T0 + 1_610_000);
    await screenshot(page, "live-after-restart");
  }, 300_000);

  it("drops and counts bad payloads, coalesces a 50k flood, and the scene stays live", async () => {
    const page = p.page;
    const d0 = (await live(page)).droppedByReason;
    const n = (r: string) => d0[r] ?? 0;
    const s = wl[1];
    const topic = `warmcity/${s.district}/waterlogging/${s.id}`;
    await publish([
      { topic, payload: "this is not json <img src=x onerror=alert(1)>", retain: false },
      { topic, payload: JSON.stringify({ ts: "now", value: 3 }), retain: false },
      { topic, payload: JSON.stringify({ ts: T0 + 1_700_000, value: "deep" }), retain: false },
      {
        topic: `warmcity/${s.district}/waterlogging/nobody-here`,
        payload: JSON.stringify({ ts: T0 + 1_700_000, value: 1 }),
        retain: false,
      },
      { topic, payload: Buffer.alloc(1024 * 1024, 0x20), retain: false },
    ]);
    await poll(async () => (await live(page)).droppedByReason, "bad payloads counted").toEqual({
      ...d0,
      "not-json": n("not-json") + 1,
      "bad-ts": n("bad-ts") + 1,
      "bad-value": n("bad-value") + 1,
      "unknown-sensor": n("unknown-sensor") + 1,
      "too-large": n("too-large") + 1,
    });
    // The diagnostics panel shows them, as text (no markup from the payload is interpreted).
    await page.click('[data-testid="live-connection"]');
    await expect.poll(() => page.textContent('[data-testid="live-diagnostics"]')).toMatch(/非JSON/);
    expect(await page.locator('[data-testid="live-diagnostics"] img').count()).toBe(0);

    // A flood: 50,000 readings in about a second, spread over the gauges.
    const r0 = (await live(page)).received;
    const flood: Array<{ topic: string; payload: string; retain: boolean }> = [];
    for (let i = 0; i < 50_000; i++) {
      const g = wl[i % wl.length];
      flood.push({
        topic: `warmcity/${g.district}/waterlogging/${g.id}`,
        payload: JSON.stringify({ ts: T0 + 1_800_000 + i, value: 1 + (i % 7) }),
        retain: false,
      });
    }
    const tf = Date.now();
    await publish(flood);
    measured.flood50kPublishMs = Date.now() - tf;
    // Mosquitto protects itself from a subscriber slower than the flood (max_queued_messages
    // 10,000 in deploy/): part of the flood is dropped at the broker; what arrives is all processed.
    await poll(async () => (await live(page)).received - r0, "flood received", 120_000).toBeGreaterThanOrEqual(10_000);
    let last = -1;
    for (;;) {
      const now = (await live(page)).received;
      if (now === last) break;
      last = now;
      await page.waitForTimeout(3000);
    }
    measured.flood50kReceivedInViewer = last - r0;
    const after = await page.evaluate(() => (window as unknown as W).warmcity.live());
    expect(after.received, "every message is either accepted or dropped-and-counted").toBe(after.accepted + after.dropped);
    expect(after.dropped - Object.values(d0).reduce((a, b) => a + b, 0), "the flood's readings are valid: none dropped").toBe(5);
    // The flood's ~1,000 readings per gauge outrun the page's batches: most are coalesced (the map
    // draws each gauge's latest), counted and shown in the diagnostics, never silently lost.
    expect(after.coalesced, "coalesced readings are counted").toBeGreaterThan(1000);
    expect(await page.textContent('[data-testid="live-coalesced"]')).toMatch(/已合并 [\d,]+/);
    // Still live: one more reading is taken and the page never threw.
    await publish(readingsAt([s], 1900));
    await poll(async () => (await live(page, s.id)).sensor?.ts, "live after the flood").toBe(T0 + 1_900_000);
    expect((await live(page)).state).toBe("connected");
    expect(p.record.pageErrors).toEqual([]);
    await screenshot(page, "live-diagnostics");
  }, 300_000);

  it("the viewer's credentials are read-only at the broker (ACL)", async () => {
    const viewer = await mqtt.connectAsync(broker.mqttUrl, { ...CREDENTIALS.viewer, clientId: "e2e-viewer-write" });
    const seen: string[] = [];
    pub.on("message", (t) => seen.push(t));
    await pub.subscribeAsync("warmcity/+/gas/forged");
    viewer.publish("warmcity/kangbashi/gas/forged", JSON.stringify({ ts: T0, value: 1 }));
    pub.publish("warmcity/kangbashi/gas/forged", JSON.stringify({ ts: T0, value: 2 }));
    await expect.poll(() => seen.length, { timeout: 10_000 }).toBe(1);
    await new Promise((r) => setTimeout(r, 500));
    expect(seen).toHaveLength(1); // only the simulator's
    await viewer.endAsync(true);
    const anon = mqtt.connect(broker.mqttUrl, { reconnectPeriod: 0, clientId: "e2e-anon" });
    const err = await new Promise<string>((r) => anon.once("error", (e) => r(e.message)));
    expect(err).toMatch(/Not authorized|Bad username/i);
    anon.end(true);
  });
});
