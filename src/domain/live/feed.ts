// The live feed's state in the viewer: every MQTT message goes through `ingest` (validate,
// count, keep the last readings of each sensor, run the alarm rules). Rendering pulls the
// set of sensors that changed once per frame (`takeDirty`), so a flood of messages costs at
// most one update per sensor per frame. Pure and mutable for speed (50k messages/s must not
// allocate a new state object each); the UI reads snapshots.
import { AlarmBook, AlarmEngine, validateAlarmRecord, type AlarmLevel, type AlarmRule, type LevelIndex } from "./alarms";
import { KIND_INFO, onlineWindowMs } from "./kinds";
import { HistoryStore, type HistoryPoint } from "./history";
import { decodeJson, validateReading, DROP_REASONS, type DropReason, type Reading } from "./payload";
import { parseTopic, type SensorKind } from "./topics";

export interface SensorInfo {
  id: string;
  kind: SensorKind;
  district: string;
  name: string;
  lonDeg: number;
  latDeg: number;
  /** The feature the sensor sits on: layer id and feature id. */
  onLayer: string;
  onFeature: string;
}

export interface SensorState {
  info: SensorInfo;
  last?: Reading;
  /** Local receive time of the last reading (ms). */
  receivedAt?: number;
  level: LevelIndex;
}

/** A sensor in the worker's feed: its slot in the feed's sparkline store. */
interface FeedSensor extends SensorState {
  slot: number;
}

export interface LiveStats {
  received: number;
  accepted: number;
  dropped: Record<DropReason, number>;
  droppedTotal: number;
  /** Valid readings superseded by a newer one of the same sensor before they were handed to the
   * scene: the alarm engine saw them, the map shows only the newest (coalescing, counted). */
  coalesced: number;
  lastDrop?: { reason: DropReason; detail: string; topic: string };
  messagesPerS: number;
  sensorsSeen: number;
  sensorsOnline: number;
  sensorsTotal: number;
  activeAlarms: Record<AlarmLevel, number>;
}

export interface WorstReading {
  kind: SensorKind;
  sensorId: string;
  name: string;
  value: number;
  unit: string;
  level: LevelIndex;
}

const RATE_WINDOW_S = 5;

export class LiveFeed {
  readonly sensors = new Map<string, FeedSensor>();
  /** The last `historyLen` readings of each sensor's main value (for the sparkline). */
  private readonly store: HistoryStore;
  readonly engine: AlarmEngine;
  readonly book = new AlarmBook();
  private rulesById: Map<string, AlarmRule>;
  private dirty = new Set<string>();
  private received = 0;
  private accepted = 0;
  private coalesced = 0;
  private dropped = Object.fromEntries(DROP_REASONS.map((r) => [r, 0])) as Record<DropReason, number>;
  private lastDrop?: LiveStats["lastDrop"];
  private buckets = new Map<number, number>();
  /** Bumps on every accepted change; the UI re-reads when it moved. */
  version = 0;

  constructor(sensors: SensorInfo[], rules: AlarmRule[], historyLen = 60) {
    for (const info of sensors) this.sensors.set(info.id, { info, level: -1, slot: this.sensors.get(info.id)?.slot ?? this.sensors.size });
    this.store = new HistoryStore(this.sensors.size, historyLen);
    this.engine = new AlarmEngine(rules);
    this.rulesById = new Map(rules.map((r) => [r.id, r]));
  }

  private drop(reason: DropReason, detail: string, topic: string) {
    this.dropped[reason]++;
    this.lastDrop = { reason, detail, topic: topic.slice(0, 120) };
    return reason;
  }

  /** One MQTT message. Returns "ok" or why it was dropped; never throws on bad input. */
  ingest(topic: string, payload: Uint8Array | string, nowMs: number): "ok" | DropReason {
    this.received++;
    const sec = Math.floor(nowMs / 1000);
    this.buckets.set(sec, (this.buckets.get(sec) ?? 0) + 1);
    const t = parseTopic(topic);
    if (!t) return this.drop("bad-topic", "not warmcity/<district>/<kind>/<sensorId>", topic);
    const s = this.sensors.get(t.sensorId);
    if (!s) return this.drop("unknown-sensor", t.sensorId, topic);
    if (t.kind === "alarm") return this.ingestAlarmRecord(s, payload, topic);
    if (t.kind !== s.info.kind || t.district !== s.info.district) return this.drop("wrong-kind", `${t.district}/${t.kind}`, topic);
    const r = validateReading(payload);
    if (!r.ok) return this.drop(r.reason, r.detail, topic);
    const reading = r.value;
    const field = KIND_INFO[s.info.kind].field;
    const v = reading.values[field];
    if (v === undefined) return this.drop("bad-value", `no ${field}`, topic);
    // A retained value re-sent on reconnect, or a late message, must not rewind the sensor.
    if (s.last && reading.ts < s.last.ts) {
      s.receivedAt = nowMs;
      this.accepted++;
      return "ok";
    }
    const same = s.last?.ts === reading.ts;
    s.last = reading;
    s.receivedAt = nowMs;
    if (!same) {
      this.store.push(s.slot, reading.ts, v);
      for (const ev of this.engine.evaluate(s.info.id, s.info.district, s.info.kind, reading)) this.book.upsert(ev.episode);
      s.level = this.engine.levelOf(s.info.id, s.info.kind);
    }
    this.accepted++;
    if (!same && this.dirty.has(s.info.id)) this.coalesced++;
    this.dirty.add(s.info.id);
    this.version++;
    return "ok";
  }

  private ingestAlarmRecord(s: SensorState, payload: Uint8Array | string, topic: string): "ok" | DropReason {
    // An empty retained message deletes the record on the broker: nothing to merge.
    if ((typeof payload === "string" ? payload.length : payload.byteLength) === 0) {
      this.accepted++;
      return "ok";
    }
    const j = decodeJson(payload);
    if (!j.ok) return this.drop(j.reason, j.detail, topic);
    const rec = validateAlarmRecord(j.value, this.rulesById);
    if (typeof rec === "string") return this.drop("bad-shape", rec, topic);
    for (const e of rec.episodes) this.book.upsert({ ...e, sensorId: s.info.id, district: s.info.district, kind: s.info.kind });
    // The sensor's colour follows its worst active alarm, wherever the alarm was evaluated.
    const active = this.book.active().filter((e) => e.sensorId === s.info.id);
    const lv = Math.max(-1, ...active.map((e) => ["notice", "warning", "alarm"].indexOf(e.level))) as LevelIndex;
    if (lv > s.level) s.level = lv;
    this.accepted++;
    this.dirty.add(s.info.id);
    this.version++;
    return "ok";
  }

  /** A sensor's last readings of its main value, oldest first: the newest `n`, or all that are kept. */
  history(id: string, n?: number): HistoryPoint[] {
    const s = this.sensors.get(id);
    return s ? this.store.tail(s.slot, n) : [];
  }

  /** How many readings of a sensor ever entered its history (a batch sends only the new ones). */
  historyCount(id: string): number {
    const s = this.sensors.get(id);
    return s ? this.store.count(s.slot) : 0;
  }

  /** Bytes held by the sparkline store (fixed at construction). */
  historyBytes(): number {
    return this.store.byteLength;
  }

  /** How many sensors changed since the last takeDirty. */
  dirtyCount(): number {
    return this.dirty.size;
  }

  /** Sensors changed since the last call: the renderer updates each once per frame. */
  takeDirty(): string[] {
    if (this.dirty.size === 0) return [];
    const out = [...this.dirty];
    this.dirty.clear();
    return out;
  }

  ack(key: string) {
    if (this.book.ack(key)) this.version++;
  }

  /** Online: heard within the kind's window (`onlineWindowMs`: 3 reporting periods, at least a minute). */
  stats(nowMs: number): LiveStats {
    const sec = Math.floor(nowMs / 1000);
    let n = 0;
    for (const [s, c] of this.buckets) {
      if (s < sec - RATE_WINDOW_S) this.buckets.delete(s);
      else if (s < sec) n += c;
    }
    let seen = 0;
    let online = 0;
    for (const s of this.sensors.values()) {
      if (s.receivedAt === undefined) continue;
      seen++;
      if (nowMs - s.receivedAt <= onlineWindowMs(s.info.kind)) online++;
    }
    const droppedTotal = Object.values(this.dropped).reduce((a, b) => a + b, 0);
    return {
      received: this.received,
      accepted: this.accepted,
      dropped: { ...this.dropped },
      droppedTotal,
      coalesced: this.coalesced,
      lastDrop: this.lastDrop,
      messagesPerS: n / RATE_WINDOW_S,
      sensorsSeen: seen,
      sensorsOnline: online,
      sensorsTotal: this.sensors.size,
      activeAlarms: this.book.activeByLevel(),
    };
  }

  /** The worst current reading of each kind (highest depth, lowest pressure …). */
  worstByKind(): WorstReading[] {
    const out = new Map<SensorKind, WorstReading>();
    for (const s of this.sensors.values()) {
      if (!s.last) continue;
      const k = KIND_INFO[s.info.kind];
      const v = s.last.values[k.field];
      const cur = out.get(s.info.kind);
      const worse = !cur || s.level > cur.level || (s.level === cur.level && (k.worst === "max" ? v > cur.value : v < cur.value));
      if (worse)
        out.set(s.info.kind, { kind: s.info.kind, sensorId: s.info.id, name: s.info.name, value: v, unit: k.unit, level: s.level });
    }
    return [...out.values()];
  }
}

const STATE_NAMES = ["notice", "warning", "alarm"] as const;
/** A sensor's state as the map colours it: normal / notice / warning / alarm, or offline before its first reading. */
export function sensorStateName(s: SensorState | undefined): "offline" | "normal" | "notice" | "warning" | "alarm" {
  if (!s?.last) return "offline";
  return s.level >= 0 ? STATE_NAMES[s.level as 0 | 1 | 2] : "normal";
}
