// Alarm rules (data/alarms.json, validated like the catalog) and the alarm state machine:
// thresholds per level (提示 notice / 预警 warning / 报警 alarm), hysteresis so a value that
// hovers at a threshold does not flap, and a minimum duration before an alarm is raised.
// Durations are measured in sensor time (the readings' `ts`), so a replay at 60× raises the
// same alarms at the same simulated moments as the live feed did. Pure.
import { ManifestCursor, expectObj, i18n, id as idField, str, type I18n } from "../catalog";
import type { Reading } from "./payload";
import { SENSOR_KINDS, type SensorKind } from "./topics";

export const ALARM_LEVELS = ["notice", "warning", "alarm"] as const;
export type AlarmLevel = (typeof ALARM_LEVELS)[number];
/** -1 = normal, 0..2 = index in ALARM_LEVELS. */
export type LevelIndex = -1 | 0 | 1 | 2;
/** Level name of an index ≥ 0. */
export const levelAt = (i: number): AlarmLevel => ALARM_LEVELS[Math.max(0, Math.min(2, i))] as AlarmLevel;

export interface AlarmRule {
  id: string;
  kind: SensorKind;
  /** Which value of the reading: "value" for single-value payloads, else a key of `values`. */
  field: string;
  /** "above": the level is reached when value ≥ threshold; "below": when value ≤ threshold. */
  direction: "above" | "below";
  thresholds: Partial<Record<AlarmLevel, number>>;
  hysteresis: number;
  minDurationS: number;
  unit: string;
  title: I18n;
  basis?: I18n;
}

export interface AlarmManifest {
  version: 1;
  rules: AlarmRule[];
}

type Obj = Record<string, unknown>;
const describe = (v: unknown) => (v === undefined ? "nothing (missing)" : JSON.stringify(v)?.slice(0, 40));

function numberIn(at: ManifestCursor, o: Obj, key: string, min: number, max: number): number {
  const v = o[key];
  if (typeof v !== "number" || !Number.isFinite(v) || v < min || v > max)
    throw at.child(key).err(`expected a number in [${min}, ${max}], got ${describe(v)}`);
  return v;
}

/** Validates data/alarms.json; throws ManifestError naming file and field. */
export function validateAlarms(raw: unknown, file = "alarms.json"): AlarmManifest {
  const root = new ManifestCursor(file, "");
  const o = expectObj(root, raw);
  if (o.version !== 1) throw root.child("version").err(`expected 1, got ${describe(o.version)}`);
  if (!Array.isArray(o.rules)) throw root.child("rules").err(`expected an array, got ${describe(o.rules)}`);
  const seen = new Set<string>();
  const rules = o.rules.map((r, i): AlarmRule => {
    const at = root.child("rules").child(i);
    const ro = expectObj(at, r);
    const rid = idField(at, ro);
    if (seen.has(rid)) throw at.child("id").err(`duplicate rule id "${rid}"`);
    seen.add(rid);
    const kind = ro.kind as SensorKind;
    if (!SENSOR_KINDS.includes(kind)) throw at.child("kind").err(`expected one of ${SENSOR_KINDS.join(", ")}, got ${describe(ro.kind)}`);
    const direction = ro.direction;
    if (direction !== "above" && direction !== "below")
      throw at.child("direction").err(`expected "above" or "below", got ${describe(direction)}`);
    const th = expectObj(at.child("thresholds"), ro.thresholds);
    const thresholds: AlarmRule["thresholds"] = {};
    for (const k of Object.keys(th))
      if (!(ALARM_LEVELS as readonly string[]).includes(k))
        throw at
          .child("thresholds")
          .child(k)
          .err(`unknown level; expected ${ALARM_LEVELS.join(", ")}`);
    let prev: number | undefined;
    for (const lv of ALARM_LEVELS) {
      if (th[lv] === undefined) continue;
      const v = numberIn(at.child("thresholds"), th, lv, -1e9, 1e9);
      if (prev !== undefined && (direction === "above" ? v <= prev : v >= prev))
        throw at
          .child("thresholds")
          .child(lv)
          .err(`must be ${direction === "above" ? "greater" : "less"} than the lower level's threshold (${prev})`);
      thresholds[lv] = prev = v;
    }
    if (prev === undefined) throw at.child("thresholds").err("needs at least one level");
    return {
      id: rid,
      kind,
      field: str(at, ro, "field")!,
      direction,
      thresholds,
      hysteresis: numberIn(at, ro, "hysteresis", 0, 1e6),
      minDurationS: numberIn(at, ro, "minDurationS", 0, 86_400),
      unit: typeof ro.unit === "string" ? ro.unit : "",
      title: i18n(at.child("title"), ro.title),
      basis: ro.basis === undefined ? undefined : i18n(at.child("basis"), ro.basis),
    };
  });
  return { version: 1, rules };
}

/** One alarm, from the moment its condition began to the moment it cleared. */
export interface AlarmEpisode {
  sensorId: string;
  district: string;
  kind: SensorKind;
  ruleId: string;
  /** Current level (while active) or the level it had when it cleared. */
  level: AlarmLevel;
  peakLevel: AlarmLevel;
  /** Sensor time the condition began (ms). */
  since: number;
  /** Sensor time it cleared; undefined while active. */
  until?: number;
  value: number;
  /** Worst value seen during the episode. */
  peak: number;
  /** Sensor time of the last update. */
  updated: number;
}

export type AlarmEvent = { type: "raised" | "changed" | "cleared"; episode: AlarmEpisode };

interface RuleState {
  level: LevelIndex;
  pendingSince?: number;
  episode?: AlarmEpisode;
}

const worse = (r: AlarmRule, a: number, b: number) => (r.direction === "above" ? Math.max(a, b) : Math.min(a, b));

/** The level a value reaches, given the level the sensor is at now (hysteresis applies at or below it). */
export function targetLevel(rule: AlarmRule, v: number, current: LevelIndex): LevelIndex {
  let target = -1;
  for (let i = 0; i < ALARM_LEVELS.length; i++) {
    const thr = rule.thresholds[ALARM_LEVELS[i]];
    if (thr === undefined) continue;
    const eff = i <= current ? (rule.direction === "above" ? thr - rule.hysteresis : thr + rule.hysteresis) : thr;
    if (rule.direction === "above" ? v >= eff : v <= eff) target = i;
  }
  return target as LevelIndex;
}

/** Per (sensor, rule) state machine: normal → pending → raised → changed … → cleared. */
export class AlarmEngine {
  private byKind = new Map<SensorKind, AlarmRule[]>();
  private states = new Map<string, RuleState>();
  constructor(readonly rules: AlarmRule[]) {
    for (const r of rules) this.byKind.set(r.kind, [...(this.byKind.get(r.kind) ?? []), r]);
  }
  rulesFor(kind: SensorKind): AlarmRule[] {
    return this.byKind.get(kind) ?? [];
  }
  levelOf(sensorId: string, kind: SensorKind): LevelIndex {
    let worst: LevelIndex = -1;
    for (const r of this.rulesFor(kind)) {
      const s = this.states.get(`${sensorId}|${r.id}`);
      if (s && s.level > worst) worst = s.level;
    }
    return worst;
  }
  evaluate(sensorId: string, district: string, kind: SensorKind, reading: Reading): AlarmEvent[] {
    const events: AlarmEvent[] = [];
    for (const rule of this.rulesFor(kind)) {
      const v = reading.values[rule.field];
      if (v === undefined) continue;
      const key = `${sensorId}|${rule.id}`;
      let s = this.states.get(key);
      if (!s) this.states.set(key, (s = { level: -1 }));
      // Readings that arrive out of order (a replayed or retained value) do not rewind time.
      if (s.episode && reading.ts < s.episode.updated) continue;
      const target = targetLevel(rule, v, s.level);
      if (target > s.level) {
        s.pendingSince ??= reading.ts;
        if (reading.ts - s.pendingSince < rule.minDurationS * 1000) {
          if (s.episode) s.episode = { ...s.episode, value: v, peak: worse(rule, s.episode.peak, v), updated: reading.ts };
          continue;
        }
        const level = levelAt(target);
        if (s.level < 0) {
          s.episode = {
            sensorId,
            district,
            kind,
            ruleId: rule.id,
            level,
            peakLevel: level,
            since: s.pendingSince,
            value: v,
            peak: v,
            updated: reading.ts,
          };
          events.push({ type: "raised", episode: s.episode });
        } else {
          const e = s.episode!;
          s.episode = {
            ...e,
            level,
            peakLevel: levelAt(Math.max(target, ALARM_LEVELS.indexOf(e.peakLevel))),
            value: v,
            peak: worse(rule, e.peak, v),
            updated: reading.ts,
          };
          events.push({ type: "changed", episode: s.episode });
        }
        s.level = target;
        s.pendingSince = undefined;
        continue;
      }
      s.pendingSince = undefined;
      if (!s.episode) continue;
      if (target < 0) {
        s.episode = { ...s.episode, until: reading.ts, value: v, updated: reading.ts };
        events.push({ type: "cleared", episode: s.episode });
        s.episode = undefined;
        s.level = -1;
      } else if (target < s.level) {
        s.level = target;
        s.episode = { ...s.episode, level: levelAt(target), value: v, updated: reading.ts };
        events.push({ type: "changed", episode: s.episode });
      } else s.episode = { ...s.episode, value: v, peak: worse(rule, s.episode.peak, v), updated: reading.ts };
    }
    return events;
  }
}

export const episodeKey = (e: Pick<AlarmEpisode, "sensorId" | "ruleId" | "since">) => `${e.sensorId}|${e.ruleId}|${e.since}`;

export interface BookEntry extends AlarmEpisode {
  key: string;
  acked: boolean;
}

/**
 * The viewer's alarm list: episodes it evaluated itself, merged with the retained alarm
 * records a broker holds (so an alarm raised while the viewer was disconnected is not lost).
 * Two records of the same sensor and rule whose time spans overlap are the same alarm.
 */
export class AlarmBook {
  private entries = new Map<string, BookEntry>();
  version = 0;
  constructor(private readonly maxEntries = 500) {}

  upsert(e: AlarmEpisode): BookEntry {
    // An active episode spans [since, updated] as far as anyone knows.
    const same = (a: AlarmEpisode) => a.sensorId === e.sensorId && a.ruleId === e.ruleId;
    const overlap = (a: AlarmEpisode) => same(a) && a.since <= (e.until ?? e.updated) && e.since <= (a.until ?? a.updated);
    let found: BookEntry | undefined;
    for (const x of [...this.entries.values()]) {
      if (overlap(x)) found = x;
      // A later episode of the same sensor and rule means an older "active" one has ended
      // (its clearing was missed while disconnected): close it at its last known time.
      else if (same(x) && x.until === undefined && x.updated < e.since) this.entries.set(x.key, { ...x, until: x.updated });
    }
    let next: BookEntry;
    if (found) {
      this.entries.delete(found.key);
      const newer = e.updated >= found.updated ? e : found;
      const peakIdx = Math.max(ALARM_LEVELS.indexOf(found.peakLevel), ALARM_LEVELS.indexOf(e.peakLevel));
      const since = Math.min(found.since, e.since);
      next = {
        ...newer,
        since,
        peakLevel: levelAt(peakIdx),
        peak: newer.peak,
        key: episodeKey({ ...newer, since }),
        // Escalation re-arms acknowledgement: an operator who acknowledged a warning must see the alarm.
        acked: found.acked && ALARM_LEVELS.indexOf(newer.level) <= ALARM_LEVELS.indexOf(found.level),
      };
    } else next = { ...e, key: episodeKey(e), acked: false };
    this.entries.set(next.key, next);
    if (this.entries.size > this.maxEntries) {
      // Forget the oldest cleared alarms first.
      const cleared = [...this.entries.values()].filter((x) => x.until !== undefined).sort((a, b) => a.updated - b.updated);
      for (const x of cleared.slice(0, this.entries.size - this.maxEntries)) this.entries.delete(x.key);
    }
    this.version++;
    return next;
  }
  ack(key: string): boolean {
    const e = this.entries.get(key);
    if (!e || e.acked) return false;
    this.entries.set(key, { ...e, acked: true });
    this.version++;
    return true;
  }
  /** Active first (worst level, newest), then cleared (newest). */
  list(): BookEntry[] {
    const lv = (e: BookEntry) => ALARM_LEVELS.indexOf(e.level);
    return [...this.entries.values()].sort(
      (a, b) =>
        Number(a.until !== undefined) - Number(b.until !== undefined) ||
        (a.until === undefined ? lv(b) - lv(a) || b.since - a.since : b.until! - a.until!),
    );
  }
  active(): BookEntry[] {
    return this.list().filter((e) => e.until === undefined);
  }
  activeByLevel(): Record<AlarmLevel, number> {
    const out: Record<AlarmLevel, number> = { notice: 0, warning: 0, alarm: 0 };
    for (const e of this.entries.values()) if (e.until === undefined) out[e.level]++;
    return out;
  }
}

/** The retained alarm record of one sensor: its last few episodes (active or cleared). */
export interface AlarmRecord {
  ts: number;
  episodes: Array<Pick<AlarmEpisode, "ruleId" | "level" | "peakLevel" | "since" | "until" | "value" | "peak" | "updated">>;
}

export function validateAlarmRecord(o: Record<string, unknown>, rules: Map<string, AlarmRule>): AlarmRecord | string {
  const isNum = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
  if (!isNum(o.ts) || !Array.isArray(o.episodes) || o.episodes.length > 20) return "bad alarm record";
  const episodes: AlarmRecord["episodes"] = [];
  for (const e of o.episodes as unknown[]) {
    if (typeof e !== "object" || e === null) return "bad episode";
    const x = e as Record<string, unknown>;
    const lv = (v: unknown) => (ALARM_LEVELS as readonly unknown[]).includes(v);
    if (typeof x.ruleId !== "string" || !rules.has(x.ruleId)) return "unknown rule";
    if (!lv(x.level) || !lv(x.peakLevel) || !isNum(x.since) || !isNum(x.value) || !isNum(x.peak) || !isNum(x.updated)) return "bad episode";
    if (x.until !== undefined && !isNum(x.until)) return "bad episode";
    episodes.push({
      ruleId: x.ruleId,
      level: x.level as AlarmLevel,
      peakLevel: x.peakLevel as AlarmLevel,
      since: x.since,
      until: x.until as number | undefined,
      value: x.value,
      peak: x.peak,
      updated: x.updated,
    });
  }
  return { ts: o.ts, episodes };
}
