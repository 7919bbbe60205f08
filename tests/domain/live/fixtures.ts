// Hand-made fixtures shared by the live tests: a waterlogging depth rule (5 / 10 / 15 cm,
// hysteresis 2 cm, 60 s minimum duration unless told) and a gauge on a waterlogging point.
import type { AlarmRule } from "../../../src/domain/live/alarms";
import type { SensorInfo } from "../../../src/domain/live/feed";

/** 15 July 2026 08:00 UTC. */
export const T0 = Date.UTC(2026, 6, 15, 8, 0, 0);

export const depthRule: AlarmRule = {
  id: "depth",
  kind: "waterlogging",
  field: "value",
  direction: "above",
  thresholds: { notice: 5, warning: 10, alarm: 15 },
  hysteresis: 2,
  minDurationS: 60,
  unit: "cm",
  title: { zh: "积水", en: "Depth" },
};

export const sensor = (id: string): SensorInfo => ({
  id,
  kind: "waterlogging",
  district: "kangbashi",
  name: id,
  lonDeg: 109.8,
  latDeg: 39.6,
  onLayer: "waterlogging",
  onFeature: id,
});
