// The live feed split across two threads. The worker (src/app/live.worker.ts) owns the MQTT
// client and the LiveFeed: every message is validated, counted and run through the alarm
// engine there, and each sensor's latest reading is kept (coalescing: a sensor that reported
// ten times since the last batch is sent once). The main thread asks for a batch once per
// drawn frame and applies it to a LiveMirror, which the scene and the panels read. A batch
// holds only the sensors that changed since the previous one (their latest reading and level),
// plus, at most every `uiIntervalMs`, the counters, the alarm list and the worst reading per kind
// for the panels. Sparkline points travel only for the sensors the page watches (the one picked
// in the inspector): the first batch after `watch` carries that sensor's whole history, later
// ones the points added since. Sending every sensor's points to the page made each batch
// thousands of small arrays to clone and kept 60 points × 3,711 sensors on the page's heap, which
// grew by ~9 MB during a 60 s bench run as the histories filled. Pure: tested in node.
import type { AlarmRule, BookEntry, LevelIndex } from "./alarms";
import type { LiveFeed, LiveStats, SensorInfo, SensorState, WorstReading } from "./feed";
import type { HistoryPoint } from "./history";
import { DROP_REASONS, type DropReason, type Reading } from "./payload";

/** A sensor as the page sees it: its state, and sparkline points if the page watches it. */
export interface MirroredSensor extends SensorState {
  /** Last readings of the kind's main value, oldest first (watched sensors only; else empty). */
  history: HistoryPoint[];
  /** How many points were ever appended to `history`. */
  historyCount: number;
}

/** What the scene reads: the sensors' current state and which changed since the last frame. */
export interface LiveView {
  readonly sensors: ReadonlyMap<string, MirroredSensor>;
  takeDirty(): string[];
}

export interface SensorDelta {
  id: string;
  last?: Reading;
  receivedAt?: number;
  level: LevelIndex;
  /** Watched sensors only: sparkline points added since the previous batch (oldest first, at most the history length). */
  hist?: HistoryPoint[];
  /** `hist` is the whole history (the sensor was just watched): replace, do not append. */
  full?: true;
}

export interface LiveBatch {
  sensors: SensorDelta[];
  /** Counters, alarm list and worst readings: present at most every uiIntervalMs. */
  ui?: { stats: LiveStats; alarms: BookEntry[]; worst: WorstReading[] };
}

/** Worker side: turns the feed's dirty set into batches of changed sensors. */
export class BatchSource {
  private sentHistory = new Map<string, number>();
  private watched = new Set<string>();
  /** Newly watched sensors: the next batch carries their whole history. */
  private needFull = new Set<string>();
  private lastUiAt = Number.NEGATIVE_INFINITY;
  private uiVersion = -1;
  private bookVersion = -1;

  constructor(
    readonly feed: LiveFeed,
    private readonly uiIntervalMs = 250,
    /** Counters such as messages/s and sensors online change with time alone: resend at least this often. */
    private readonly uiRefreshMs = 1000,
  ) {}

  /** The sensors whose sparkline points the page wants (replaces the previous set). */
  watch(ids: readonly string[]) {
    const next = new Set(ids.filter((id) => this.feed.sensors.has(id)));
    for (const id of next) if (!this.watched.has(id)) this.needFull.add(id);
    for (const id of this.watched) if (!next.has(id)) this.sentHistory.delete(id);
    for (const id of this.needFull) if (!next.has(id)) this.needFull.delete(id);
    this.watched = next;
  }

  /** Is there anything to send at `nowMs`? (Changed sensors, a newly watched sensor, or a due panel update.) */
  pending(nowMs: number): boolean {
    return this.feed.dirtyCount() > 0 || this.needFull.size > 0 || this.uiDue(nowMs);
  }

  private uiDue(nowMs: number): boolean {
    if (nowMs - this.lastUiAt < this.uiIntervalMs) return false;
    return this.feed.version !== this.uiVersion || this.feed.book.version !== this.bookVersion || nowMs - this.lastUiAt >= this.uiRefreshMs;
  }

  /** The next batch, or undefined when nothing changed. */
  take(nowMs: number): LiveBatch | undefined {
    const ids = this.feed.takeDirty();
    for (const id of this.needFull) if (!ids.includes(id)) ids.push(id);
    const ui = this.uiDue(nowMs);
    if (!ids.length && !ui) return undefined;
    const sensors: SensorDelta[] = [];
    for (const id of ids) {
      const s = this.feed.sensors.get(id);
      if (!s) continue;
      const d: SensorDelta = { id, last: s.last, receivedAt: s.receivedAt, level: s.level };
      if (this.watched.has(id)) {
        const full = this.needFull.delete(id);
        const sent = full ? 0 : (this.sentHistory.get(id) ?? 0);
        const count = this.feed.historyCount(id);
        this.sentHistory.set(id, count);
        if (full) {
          d.full = true;
          d.hist = this.feed.history(id);
        } else if (count > sent) d.hist = this.feed.history(id, count - sent);
      }
      sensors.push(d);
    }
    const batch: LiveBatch = { sensors };
    if (ui) {
      this.lastUiAt = nowMs;
      this.uiVersion = this.feed.version;
      this.bookVersion = this.feed.book.version;
      batch.ui = { stats: this.feed.stats(nowMs), alarms: this.feed.book.list(), worst: this.feed.worstByKind() };
    }
    return batch;
  }
}

const emptyStats = (total: number): LiveStats => ({
  received: 0,
  accepted: 0,
  dropped: Object.fromEntries(DROP_REASONS.map((r) => [r, 0])) as Record<DropReason, number>,
  droppedTotal: 0,
  coalesced: 0,
  messagesPerS: 0,
  sensorsSeen: 0,
  sensorsOnline: 0,
  sensorsTotal: total,
  activeAlarms: { notice: 0, warning: 0, alarm: 0 },
});

/** Main-thread side: the sensors' state as of the last batch, read by the scene and the panels. */
export class LiveMirror implements LiveView {
  readonly sensors = new Map<string, MirroredSensor>();
  readonly rules: AlarmRule[];
  stats: LiveStats;
  alarms: BookEntry[] = [];
  worst: WorstReading[] = [];
  /** Batches applied (the UI re-reads when it moved). */
  version = 0;
  private dirty = new Set<string>();
  private acked = new Set<string>();

  constructor(
    sensors: SensorInfo[],
    rules: AlarmRule[],
    private readonly historyLen = 60,
  ) {
    for (const info of sensors) this.sensors.set(info.id, { info, history: [], historyCount: 0, level: -1 });
    this.rules = rules;
    this.stats = emptyStats(sensors.length);
  }

  apply(b: LiveBatch) {
    for (const d of b.sensors) {
      const s = this.sensors.get(d.id);
      if (!s) continue;
      s.last = d.last;
      s.receivedAt = d.receivedAt;
      s.level = d.level;
      if (d.full) {
        s.history = d.hist ?? [];
        s.historyCount = s.history.length;
      } else if (d.hist?.length) {
        s.history.push(...d.hist);
        s.historyCount += d.hist.length;
        if (s.history.length > this.historyLen) s.history.splice(0, s.history.length - this.historyLen);
      }
      this.dirty.add(d.id);
    }
    if (b.ui) {
      this.stats = b.ui.stats;
      // An acknowledgement made here shows at once, before the worker's next list arrives.
      this.alarms = b.ui.alarms.map((a) => (!a.acked && this.acked.has(a.key) ? { ...a, acked: true } : a));
      for (const k of this.acked) if (!b.ui.alarms.some((a) => a.key === k && !a.acked)) this.acked.delete(k);
      this.worst = b.ui.worst;
    }
    this.version++;
  }

  /** Keeps sparkline points only for these sensors (the worker is told separately and sends their whole history). */
  watch(ids: readonly string[]) {
    const keep = new Set(ids);
    for (const [id, s] of this.sensors)
      if (!keep.has(id) && s.history.length) {
        s.history = [];
        s.historyCount = 0;
      }
  }

  /** Marks an alarm acknowledged locally (the worker is told separately). */
  ack(key: string) {
    this.acked.add(key);
    this.alarms = this.alarms.map((a) => (a.key === key ? { ...a, acked: true } : a));
    this.version++;
  }

  takeDirty(): string[] {
    if (this.dirty.size === 0) return [];
    const out = [...this.dirty];
    this.dirty.clear();
    return out;
  }
}
