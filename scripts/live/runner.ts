// Runs the simulation against a clock and hands its messages to a sink (an MQTT client, the
// embedded broker, a recording). Also replays a recording at 1×–120×.
import { createReadStream, createWriteStream, readFileSync, type WriteStream } from "node:fs";
import { createInterface } from "node:readline";
import { validateAlarms } from "../../src/domain/live/alarms";
import type { SensorInfo } from "../../src/domain/live/feed";
import { ensureSensorsFile, readCityLayer, ROOT_DIR } from "./sensors";
import { Simulation, naturalRate, schedule, type Message, type ScenarioTimes } from "./simulation";

export type Sink = (messages: Message[]) => void;

export interface RunOptions {
  sink: Sink;
  seed?: number;
  /** Sim seconds per real second (1 = real time). */
  clock?: number;
  /** Target messages per real second; default: the natural schedule (≈ 30/s at clock 1). */
  rate?: number;
  startMs?: number;
  events?: Partial<ScenarioTimes>;
  /** Record every message to this NDJSON file: {t: sim ms since start, topic, payload, retain}. */
  record?: string;
  sensors?: SensorInfo[];
  tickMs?: number;
}

export interface Running {
  stop(): Promise<void>;
  readonly sent: number;
  readonly sim: Simulation;
}

export function loadRules() {
  return validateAlarms(JSON.parse(readFileSync(`${ROOT_DIR}/data/alarms.json`, "utf8")), "data/alarms.json").rules;
}

export function waterloggingDepths(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const f of readCityLayer("waterlogging")) out[String(f.properties.id)] = Number(f.properties.maxDepthCm) || 15;
  return out;
}

export const MAX_RATE = 5000;

export function runSimulation(o: RunOptions): Running {
  const sensors = o.sensors ?? ensureSensorsFile();
  if (!sensors) throw new Error("the demo city is missing: run `npm run data` first");
  const clock = o.clock ?? 1;
  const startMs = o.startMs ?? Date.now();
  const sim = new Simulation({
    sensors,
    rules: loadRules(),
    seed: o.seed ?? 1,
    startMs,
    events: o.events,
    maxDepthCm: waterloggingDepths(),
  });
  const rate = o.rate === undefined ? undefined : Math.min(MAX_RATE, Math.max(1, o.rate));
  const scale = rate ? (naturalRate(sensors) * clock) / rate : 1;
  const sched = schedule(sim, sensors, startMs, scale);
  let rec: WriteStream | undefined = o.record ? createWriteStream(o.record) : undefined;
  let sent = 0;
  const t0 = performance.now();
  const tick = () => {
    const simNow = startMs + (performance.now() - t0) * clock;
    const msgs = sched.due(simNow);
    if (!msgs.length) return;
    sent += msgs.length;
    if (rec) for (const m of msgs) rec.write(`${JSON.stringify({ t: Math.round(simNow - startMs), ...m })}\n`);
    o.sink(msgs);
  };
  tick();
  const timer = setInterval(tick, o.tickMs ?? 50);
  return {
    sim,
    get sent() {
      return sent;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        clearInterval(timer);
        if (!rec) return resolve();
        rec.end(() => resolve());
        rec = undefined;
      }),
  };
}

/** Replays a recording: message i is sent at t_i / speed after the start. */
export async function replay(file: string, speed: number, sink: Sink, signal?: AbortSignal): Promise<number> {
  if (!(speed >= 1 && speed <= 120)) throw new Error(`--speed must be between 1 and 120, got ${speed}`);
  const rl = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  const t0 = performance.now();
  let n = 0;
  let batch: Message[] = [];
  let batchT = 0;
  for await (const line of rl) {
    if (signal?.aborted) break;
    if (!line.trim()) continue;
    let m: { t: number; topic: string; payload: string; retain: boolean };
    try {
      m = JSON.parse(line);
    } catch {
      throw new Error(`${file}:${n + 1}: not a JSON line`);
    }
    const at = m.t / speed;
    if (at > batchT && batch.length) {
      sink(batch);
      batch = [];
    }
    const wait = at - (performance.now() - t0);
    if (wait > 5) await new Promise((r) => setTimeout(r, wait));
    batchT = at;
    batch.push({ topic: m.topic, payload: m.payload, retain: m.retain });
    n++;
  }
  if (batch.length) sink(batch);
  return n;
}
