// Grid clustering of points for zoomed-out views. Pure and deterministic: the renderer
// picks a cell size from the camera height and draws one marker per cluster.

export interface Cluster {
  lonDeg: number;
  latDeg: number;
  count: number;
  /** Index of one member (the first), for picking a single point. */
  first: number;
}

/**
 * Groups points (flat lon,lat pairs) into square cells of `cellM` metres; each cluster sits at
 * its members' mean. `visible[i] === false` excludes a point (filtered out).
 */
export function clusterPoints(coords: ArrayLike<number>, cellM: number, visible?: ArrayLike<boolean>): Cluster[] {
  const n = coords.length / 2;
  if (!(cellM > 0)) throw new Error("cell size must be positive");
  const cells = new Map<string, { sx: number; sy: number; count: number; first: number }>();
  const mPerDegLat = 111_320;
  for (let i = 0; i < n; i++) {
    if (visible && !visible[i]) continue;
    const lon = coords[2 * i];
    const lat = coords[2 * i + 1];
    const mPerDegLon = mPerDegLat * Math.cos((lat * Math.PI) / 180);
    const key = `${Math.floor((lon * mPerDegLon) / cellM)}:${Math.floor((lat * mPerDegLat) / cellM)}`;
    const c = cells.get(key);
    if (c) {
      c.sx += lon;
      c.sy += lat;
      c.count++;
    } else cells.set(key, { sx: lon, sy: lat, count: 1, first: i });
  }
  return [...cells.values()].map((c) => ({ lonDeg: c.sx / c.count, latDeg: c.sy / c.count, count: c.count, first: c.first }));
}

/** Cell size for a camera height: about 1/5 of the camera height, none when close. */
export function clusterCellForHeight(heightM: number): number | undefined {
  if (heightM < 2500) return undefined;
  return Math.max(150, heightM / 5);
}
