// What each sensor kind measures: the value the map colours and the sparkline draws, its
// unit, which end of the scale is "worst" (for the cockpit's worst-reading card) and the
// scenario view it belongs to. Pure data.
import type { I18n } from "../catalog";
import type { SensorKind } from "./topics";

export interface KindInfo {
  kind: SensorKind;
  title: I18n;
  /** Key in the reading's values ("value" for single-value payloads). */
  field: string;
  unit: string;
  worst: "max" | "min";
  digits: number;
  /** How often a sensor of this kind reports (seconds): the simulator's period, and what
   * "online" is judged against (heard within 3 periods, at least a minute). */
  reportEveryS: number;
}

/** A sensor counts as online when heard within this long (ms). */
export function onlineWindowMs(kind: SensorKind): number {
  return Math.max(60, 3 * KIND_INFO[kind].reportEveryS) * 1000;
}

export const KIND_INFO: Record<SensorKind, KindInfo> = {
  gas: {
    kind: "gas",
    title: { zh: "燃气压力", en: "Gas pressure" },
    field: "value",
    unit: "kPa",
    worst: "min",
    digits: 0,
    reportEveryS: 10,
  },
  heating: {
    kind: "heating",
    title: { zh: "换热站供水温度", en: "Substation supply temp." },
    field: "value",
    unit: "°C",
    worst: "min",
    digits: 1,
    reportEveryS: 30,
  },
  waterlogging: {
    kind: "waterlogging",
    title: { zh: "积水深度", en: "Water depth" },
    field: "value",
    unit: "cm",
    worst: "max",
    digits: 1,
    reportEveryS: 10,
  },
  construction: {
    kind: "construction",
    title: { zh: "工地扬尘PM10", en: "Site dust PM10" },
    field: "pm10",
    unit: "µg/m³",
    worst: "max",
    digits: 0,
    reportEveryS: 60,
  },
  elevator: {
    kind: "elevator",
    title: { zh: "电梯故障", en: "Elevator faults" },
    field: "value",
    unit: "",
    worst: "max",
    digits: 0,
    reportEveryS: 60,
  },
  charging: {
    kind: "charging",
    title: { zh: "充电桩状态", en: "Charging pile state" },
    field: "value",
    unit: "",
    worst: "max",
    digits: 0,
    reportEveryS: 300,
  },
  parking: {
    kind: "parking",
    title: { zh: "停车场占用率", en: "Parking occupancy" },
    field: "value",
    unit: "%",
    worst: "max",
    digits: 0,
    reportEveryS: 60,
  },
};
