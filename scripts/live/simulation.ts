// The live city's simulator: seeded, realistic series for every sensor kind — diurnal cycles
// (Ordos local time, UTC+8), a summer storm that floods the low spots (depth follows each
// spot's own surveyed maximum), a pressure drop on one gas main, a heating substation fault.
// It runs the same alarm rules as the viewer and keeps a retained alarm record per sensor, so
// a viewer that was away finds the alarms raised meanwhile. Deterministic for a seed and start.
import { AlarmEngine, type AlarmEpisode, type AlarmRecord, type AlarmRule } from "../../src/domain/live/alarms";
import type { SensorInfo } from "../../src/domain/live/feed";
import { KIND_INFO } from "../../src/domain/live/kinds";
import { encodeReading } from "../../src/domain/live/payload";
import { alarmTopic, readingTopic, type SensorKind } from "../../src/domain/live/topics";

export interface Message {
  topic: string;
  payload: string;
  retain: boolean;
}

export interface ScenarioTimes {
  /** Sim seconds after start when the storm begins; it peaks 4 min later, rain stops at 10 min, water drains over 15 min. */
  stormAtS: number;
  gasDropAtS: number;
  heatingFaultAtS: number;
}

export interface SimulationOptions {
  sensors: SensorInfo[];
  rules: AlarmRule[];
  seed: number;
  /** Sim start time, ms since the epoch. */
  startMs: number;
  events?: Partial<ScenarioTimes>;
  /** Extra per-sensor depth info for waterlogging spots (their surveyed max depth, cm). */
  maxDepthCm?: Record<string, number>;
}

/** Seconds between two readings of a sensor, in sim time (before rate scaling). */
/** Each kind reports at its nominal period: one source, the live domain's kind table. */
export const PERIOD_S: Record<SensorKind, number> = Object.fromEntries(
  Object.values(KIND_INFO).map((k) => [k.kind, k.reportEveryS]),
) as Record<SensorKind, number>;
const UNIT: Record<SensorKind, string | undefined> = {
  gas: "kPa",
  heating: "°C",
  waterlogging: "cm",
  construction: undefined,
  elevator: undefined,
  charging: undefined,
  parking: "%",
};

/** Integer hash → [0, 1): stable noise per (seed, sensor, slot). */
function hash01(...xs: number[]): number {
  let h = 0x811c9dc5;
  for (const x of xs) {
    h ^= x | 0;
    h = Math.imul(h, 0x01000193);
    h ^= h >>> 13;
    h = Math.imul(h, 0x5bd1e995);
    h ^= h >>> 15;
  }
  return (h >>> 0) / 4294967296;
}
const strHash = (s: string) => {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
};
/** Smooth noise in [-1, 1] (value noise, interpolated between slots). */
function smooth(seed: number, id: number, tS: number, slotS: number): number {
  const x = tS / slotS;
  const i = Math.floor(x);
  const f = x - i;
  const a = hash01(seed, id, i) * 2 - 1;
  const b = hash01(seed, id, i + 1) * 2 - 1;
  const u = f * f * (3 - 2 * f);
  return a + (b - a) * u;
}
const clamp = (v: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, v));
const round = (v: number, d: number) => Math.round(v * 10 ** d) / 10 ** d;

export class Simulation {
  readonly times: ScenarioTimes;
  private engine: AlarmEngine;
  private episodes = new Map<string, AlarmEpisode[]>();
  private idHash: Map<string, number>;
  /** The gas sensors on the main that loses pressure, and the faulty substation. */
  readonly gasMain: Set<string>;
  readonly faultySubstation?: string;

  constructor(private readonly o: SimulationOptions) {
    this.times = { stormAtS: 20, gasDropAtS: 40, heatingFaultAtS: 60, ...o.events };
    this.engine = new AlarmEngine(o.rules);
    this.idHash = new Map(o.sensors.map((s) => [s.id, strHash(s.id)]));
    const gas = o.sensors.filter((s) => s.kind === "gas");
    const first = gas[Math.floor(hash01(o.seed, 1) * gas.length)];
    // "One main": the chosen monitoring point and its two nearest neighbours.
    const near = first
      ? [...gas]
          .sort(
            (a, b) =>
              Math.hypot(a.lonDeg - first.lonDeg, a.latDeg - first.latDeg) - Math.hypot(b.lonDeg - first.lonDeg, b.latDeg - first.latDeg),
          )
          .slice(0, 3)
      : [];
    this.gasMain = new Set(near.map((s) => s.id));
    const heat = o.sensors.filter((s) => s.kind === "heating");
    this.faultySubstation = heat[Math.floor(hash01(o.seed, 2) * heat.length)]?.id;
  }

  /** The reading of a sensor at sim time `ms`. */
  reading(s: SensorInfo, ms: number): { ts: number; values: Record<string, number>; unit?: string } {
    const seed = this.o.seed;
    const id = this.idHash.get(s.id) ?? 0;
    const tS = (ms - this.o.startMs) / 1000;
    const hour = (((ms / 3_600_000 + 8) % 24) + 24) % 24; // Asia/Shanghai
    const day = Math.sin(((hour - 9) / 24) * 2 * Math.PI); // peaks mid-afternoon
    const n = (slot: number, k = 0) => smooth(seed, id + k, tS, slot);
    const T = this.times;
    let values: Record<string, number>;
    switch (s.kind) {
      case "gas": {
        // Medium pressure A: ~0.22 MPa; demand peaks at breakfast and dinner pull it down a little.
        const peaks = Math.exp(-(((hour - 7.5) / 1.2) ** 2)) + Math.exp(-(((hour - 18.5) / 1.5) ** 2));
        let p = 222 - 9 * peaks + 2 * n(60);
        if (this.gasMain.has(s.id)) {
          const x = tS - T.gasDropAtS;
          // Drops over 3 min to ~90 kPa, holds 4 min (valve closed, repair), recovers over 3 min.
          const drop = x < 0 ? 0 : x < 180 ? x / 180 : x < 420 ? 1 : x < 600 ? 1 - (x - 420) / 180 : 0;
          p -= drop * (132 + 6 * hash01(seed, id));
        }
        values = { value: round(p, 1) };
        break;
      }
      case "heating": {
        // Supply temperature follows outdoor temperature: warmer water at night.
        let c = 86 - 4 * day + 0.8 * n(120);
        if (s.id === this.faultySubstation) {
          const x = tS - T.heatingFaultAtS;
          const fault = x < 0 ? 0 : x < 120 ? x / 120 : x < 720 ? 1 : x < 900 ? 1 - (x - 720) / 180 : 0;
          c -= fault * 34;
        }
        values = { value: round(c, 1) };
        break;
      }
      case "waterlogging": {
        const max = this.o.maxDepthCm?.[s.onFeature] ?? 15;
        const x = tS - T.stormAtS;
        // Rain intensity rises for 4 min, falls until 10 min; water builds with the rain and drains after.
        const rise = x < 0 ? 0 : x < 240 ? (x / 240) ** 1.5 : x < 600 ? 1 - 0.15 * ((x - 240) / 360) : Math.max(0, 0.85 - (x - 600) / 900);
        const depth = max * rise * (0.85 + (0.15 * (n(40) + 1)) / 2) + 0.3 * Math.max(0, n(30));
        values = { value: round(Math.max(0, depth), 1) };
        break;
      }
      case "construction": {
        const working = hour >= 7 && hour < 19 ? 1 : 0.25;
        const dirty = hash01(seed, id, 7) < 0.2 ? 1.9 : 1; // a few sites are dusty
        values = {
          pm10: Math.round(clamp((55 + 60 * working * dirty) * (1 + 0.25 * n(300, 1)), 5, 900)),
          noiseDb: round(clamp(45 + 22 * working + 4 * n(120, 2), 30, 110), 1),
        };
        break;
      }
      case "elevator": {
        // A rare fault lasting a few minutes: slots of 10 minutes, ~1 in 400 faulty.
        values = { value: hash01(seed, id, Math.floor(tS / 600), 3) < 0.0025 ? 1 : 0 };
        break;
      }
      case "charging": {
        const busy = 0.25 + 0.45 * Math.exp(-(((hour - 19) / 3) ** 2)) + 0.2 * Math.exp(-(((hour - 12) / 2) ** 2));
        const slot = Math.floor(tS / 1800);
        const fault = hash01(seed, id, 11) < 0.012; // ~1 % of piles are out of order
        values = { value: fault ? 2 : hash01(seed, id, slot, 5) < busy ? 1 : 0 };
        break;
      }
      case "parking": {
        const occ = 35 + 45 * Math.exp(-(((hour - 10) / 2.5) ** 2)) + 40 * Math.exp(-(((hour - 19.5) / 2) ** 2));
        values = { value: Math.round(clamp(occ * (0.85 + 0.2 * hash01(seed, id, 9)) + 3 * n(300), 0, 100)) };
        break;
      }
    }
    return { ts: Math.round(ms), values, unit: UNIT[s.kind] };
  }

  /** The messages for one reading: the retained reading, plus the retained alarm record when an alarm changed. */
  messages(s: SensorInfo, ms: number): Message[] {
    const r = this.reading(s, ms);
    const out: Message[] = [{ topic: readingTopic(s.district, s.kind, s.id), payload: encodeReading(r), retain: true }];
    const events = this.engine.evaluate(s.id, s.district, s.kind, r);
    if (events.length) {
      const list = this.episodes.get(s.id) ?? [];
      for (const ev of events) {
        const i = list.findIndex((e) => e.ruleId === ev.episode.ruleId && e.since === ev.episode.since);
        if (i >= 0) list[i] = ev.episode;
        else list.push(ev.episode);
      }
      const kept = list.slice(-5);
      this.episodes.set(s.id, kept);
      const rec: AlarmRecord = {
        ts: r.ts,
        episodes: kept.map(({ ruleId, level, peakLevel, since, until, value, peak, updated }) => ({
          ruleId,
          level,
          peakLevel,
          since,
          until,
          value,
          peak,
          updated,
        })),
      };
      out.push({ topic: alarmTopic(s.district, s.id), payload: JSON.stringify(rec), retain: true });
    }
    return out;
  }
}

export interface Schedule {
  /** Messages due up to sim time `ms` (each sensor at its period, scaled by `periodScale`). */
  due(ms: number): Message[];
}

/** A sensor behind its schedule by more than this (a stalled process) skips ahead instead of catching up. */
export const MAX_CATCH_UP_MS = 2000;

/** Every sensor reports once at start (so retained values exist), then at its kind's period. Every
 * reading due by `ms` is sent, several per call for a sensor whose period is shorter than the time
 * since the last call: at 5,000 msg/s a gauge reports every ~57 ms, and a timer that fires every
 * 50–100 ms on a busy machine must not cap it at one reading per tick (that held the offered rate
 * near 4,500/s). A backlog beyond MAX_CATCH_UP_MS is skipped, not sent in a burst. */
export function schedule(sim: Simulation, sensors: SensorInfo[], startMs: number, periodScale: number): Schedule {
  const next = new Float64Array(sensors.length);
  next.fill(startMs);
  return {
    due(ms) {
      const out: Message[] = [];
      for (let i = 0; i < sensors.length; i++) {
        if (next[i] > ms) continue;
        const s = sensors[i];
        const period = PERIOD_S[s.kind] * 1000 * periodScale;
        if (next[i] < ms - MAX_CATCH_UP_MS) next[i] += Math.ceil((ms - MAX_CATCH_UP_MS - next[i]) / period) * period;
        while (next[i] <= ms) {
          for (const m of sim.messages(s, next[i])) out.push(m);
          next[i] += period;
        }
      }
      return out;
    },
  };
}

/** Messages per sim second of the natural schedule. */
export function naturalRate(sensors: SensorInfo[]): number {
  return sensors.reduce((a, s) => a + 1 / PERIOD_S[s.kind], 0);
}
