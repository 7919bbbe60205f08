// Tiny hand-made cities for the KPI calculator tests. Everything is drawn in metres around
// (0° E, 0° N), where one metre is 1/111,195.08 of a degree both ways (turf's earth radius,
// cos 0° = 1), so a 100 m × 100 m square has an area of 10,000 m² to within a few parts per
// million and answers can be worked out by hand.

import type { Feature, LineString, Point, Polygon } from "geojson";

export const M = 1 / 111195.08;
export const ll = (x: number, y: number): [number, number] => [x * M, y * M];

export function rectM(x0: number, y0: number, x1: number, y1: number): Polygon {
  return { type: "Polygon", coordinates: [[ll(x0, y0), ll(x1, y0), ll(x1, y1), ll(x0, y1), ll(x0, y0)]] };
}
export function lineM(...pts: Array<[number, number]>): LineString {
  return { type: "LineString", coordinates: pts.map(([x, y]) => ll(x, y)) };
}
export function pointM(x: number, y: number): Point {
  return { type: "Point", coordinates: ll(x, y) };
}
export function feat<G extends Polygon | LineString | Point, P>(geometry: G, properties: P): Feature<G, P> {
  return { type: "Feature", geometry, properties };
}
export function fc<G extends Polygon | LineString | Point, P>(...features: Array<Feature<G, P>>) {
  return { type: "FeatureCollection" as const, features };
}
export const base = (id: string) => ({ id, source: "synthetic" as const });
