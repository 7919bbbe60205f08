// MQTT topics of the live city: `warmcity/<district>/<kind>/<sensorId>` for readings and
// `warmcity/<district>/alarm/<sensorId>` for the retained alarm record of a sensor. Pure.

/** Sensor kinds, one per monitored scenario of the seed (城镇燃气, 供热, 城市内涝 …). */
export const SENSOR_KINDS = ["gas", "heating", "waterlogging", "construction", "elevator", "charging", "parking"] as const;
export type SensorKind = (typeof SENSOR_KINDS)[number];
export const ALARM_KIND = "alarm";
export const TOPIC_ROOT = "warmcity";

const SEGMENT = /^[A-Za-z0-9_-]{1,64}$/;

export interface ParsedTopic {
  district: string;
  kind: SensorKind | typeof ALARM_KIND;
  sensorId: string;
}

/** Parses a topic; undefined when it does not follow the scheme (the message is then dropped). */
export function parseTopic(topic: string): ParsedTopic | undefined {
  if (topic.length > 256) return undefined;
  const p = topic.split("/");
  if (p.length !== 4 || p[0] !== TOPIC_ROOT) return undefined;
  const [, district, kind, sensorId] = p;
  if (!SEGMENT.test(district) || !SEGMENT.test(sensorId)) return undefined;
  if (kind !== ALARM_KIND && !(SENSOR_KINDS as readonly string[]).includes(kind)) return undefined;
  return { district, kind: kind as ParsedTopic["kind"], sensorId };
}

export function readingTopic(district: string, kind: SensorKind, sensorId: string): string {
  return `${TOPIC_ROOT}/${district}/${kind}/${sensorId}`;
}
export function alarmTopic(district: string, sensorId: string): string {
  return `${TOPIC_ROOT}/${district}/${ALARM_KIND}/${sensorId}`;
}

/** MQTT topic filter matching (`+` one level, `#` the rest), as a broker does it. */
export function topicMatches(filter: string, topic: string): boolean {
  const f = filter.split("/");
  const t = topic.split("/");
  for (let i = 0; i < f.length; i++) {
    if (f[i] === "#") return true;
    if (i >= t.length) return false;
    if (f[i] !== "+" && f[i] !== t[i]) return false;
  }
  return f.length === t.length;
}

/** A valid subscription filter (as written in the catalog). */
export function isTopicFilter(filter: string): boolean {
  const f = filter.split("/");
  return filter.length > 0 && f.every((s, i) => s === "+" || (s === "#" && i === f.length - 1) || (s.length > 0 && !/[+#]/.test(s)));
}
