// Where the live city's sensors are: derived, deterministically, from the demo city's own
// features (waterlogging points, medium-pressure gas mains, heating mains' substations,
// active construction sites, renovated compounds with added elevators, charging piles, smart
// parking lots). Written to public/generated/live/sensors.geojson, which the viewer loads
// (live layers and the feed's sensor registry) and the simulator publishes for.
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { SensorInfo } from "../../src/domain/live/feed";
import type { SensorKind } from "../../src/domain/live/topics";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const ROOT_DIR = ROOT;
export const CITY_DIR = join(ROOT, "public/generated/city");
export const SENSORS_FILE = join(ROOT, "public/generated/live/sensors.geojson");

type Feature = { id?: string; properties: Record<string, unknown>; geometry: { type: string; coordinates: unknown } };

/** A representative point: the point itself, a line's first vertex (a node), a polygon's centroid of its outer ring. */
function anchor(g: Feature["geometry"]): [number, number] | undefined {
  const c = g.coordinates as never;
  if (g.type === "Point") return c;
  if (g.type === "LineString") return (c as number[][])[0] as [number, number];
  if (g.type === "MultiLineString") return (c as number[][][])[0][0] as [number, number];
  const ring = g.type === "Polygon" ? (c as number[][][])[0] : g.type === "MultiPolygon" ? (c as number[][][][])[0][0] : undefined;
  if (!ring) return undefined;
  let x = 0;
  let y = 0;
  const n = ring.length - 1;
  for (let i = 0; i < n; i++) {
    x += ring[i][0];
    y += ring[i][1];
  }
  return [x / n, y / n];
}

const DISTRICT: Record<string, string> = { kangbashi: "kangbashi", dongsheng: "dongsheng" };
const NAMES: Record<SensorKind, { zh: string }> = {
  gas: { zh: "燃气压力监测点" },
  heating: { zh: "换热站" },
  waterlogging: { zh: "积水监测点" },
  construction: { zh: "工地扬尘噪声监测" },
  elevator: { zh: "加装电梯" },
  charging: { zh: "充电桩" },
  parking: { zh: "智慧停车场" },
};

/** Every `step`-th element, so the sample is spread over the whole city and stable. */
const spread = <T>(xs: T[], max: number) =>
  xs.length <= max ? xs : xs.filter((_, i) => i % Math.ceil(xs.length / max) === 0).slice(0, max);

export function deriveSensors(readLayer: (name: string) => Feature[]): SensorInfo[] {
  const out: SensorInfo[] = [];
  const add = (kind: SensorKind, layer: string, f: Feature, prefix: string, name?: string) => {
    const p = anchor(f.geometry);
    const fid = String(f.properties.id ?? f.id);
    if (!p) return;
    out.push({
      id: `${prefix}-${fid}`.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 64),
      kind,
      district: DISTRICT[String(f.properties.district)] ?? "ordos",
      name: name ?? String(f.properties.name ?? `${NAMES[kind].zh} ${fid.slice(-6)}`),
      lonDeg: +p[0].toFixed(6),
      latDeg: +p[1].toFixed(6),
      onLayer: layer,
      onFeature: fid,
    });
  };
  for (const f of readLayer("waterlogging")) add("waterlogging", "waterlogging", f, "wl");
  const gas = readLayer("pipes-gas").filter((f) => f.properties.pressureClass === "medium" && Number(f.properties.diameterMm) >= 160);
  for (const f of spread(gas, 80)) add("gas", "pipes-gas", f, "gp");
  const heat = readLayer("pipes-heating").filter((f) => Number(f.properties.diameterMm) >= 700);
  for (const f of spread(heat, 60)) add("heating", "pipes-heating", f, "hs");
  for (const f of readLayer("construction").filter((f) => f.properties.status === "active")) add("construction", "construction", f, "cs");
  for (const f of readLayer("compounds").filter((f) => Number(f.properties.elevatorsAdded) > 0))
    add("elevator", "compounds", f, "el", `${String(f.properties.name ?? "")} ${NAMES.elevator.zh}`);
  for (const f of readLayer("charging")) add("charging", "charging", f, "cp");
  for (const f of readLayer("parking").filter((f) => f.properties.smart === true)) add("parking", "parking", f, "pk");
  return out;
}

export function readCityLayer(name: string): Feature[] {
  return (JSON.parse(readFileSync(join(CITY_DIR, `${name}.geojson`), "utf8")) as { features: Feature[] }).features;
}

export function sensorsGeoJson(sensors: SensorInfo[]): string {
  return JSON.stringify({
    type: "FeatureCollection",
    features: sensors.map((s) => ({
      type: "Feature",
      geometry: { type: "Point", coordinates: [s.lonDeg, s.latDeg] },
      properties: { id: s.id, kind: s.kind, district: s.district, name: s.name, onLayer: s.onLayer, onFeature: s.onFeature },
    })),
  });
}

/** Writes the sensors file when it is missing or older than the city it was derived from. */
export function ensureSensorsFile(): SensorInfo[] | undefined {
  const stamp = join(CITY_DIR, ".stamp.json");
  if (!existsSync(stamp)) return undefined;
  if (
    existsSync(SENSORS_FILE) &&
    statSync(SENSORS_FILE).mtimeMs >= statSync(stamp).mtimeMs &&
    statSync(SENSORS_FILE).mtimeMs >= statSync(fileURLToPath(import.meta.url)).mtimeMs
  )
    return loadSensorsFile();
  const sensors = deriveSensors(readCityLayer);
  mkdirSync(dirname(SENSORS_FILE), { recursive: true });
  writeFileSync(SENSORS_FILE, sensorsGeoJson(sensors));
  return sensors;
}

export function loadSensorsFile(file = SENSORS_FILE): SensorInfo[] {
  const fc = JSON.parse(readFileSync(file, "utf8")) as { features: Feature[] };
  return fc.features.map((f) => {
    const p = f.properties as Record<string, string>;
    const [lon, lat] = f.geometry.coordinates as [number, number];
    return {
      id: p.id,
      kind: p.kind as SensorKind,
      district: p.district,
      name: p.name,
      lonDeg: lon,
      latDeg: lat,
      onLayer: p.onLayer,
      onFeature: p.onFeature,
    };
  });
}
