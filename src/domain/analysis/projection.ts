// A local metric projection for city-scale analyses: equirectangular around one reference
// latitude. x = R·cos(φ0)·(λ−λ0), y = R·(φ−φ0), with turf's spherical earth radius so the
// numbers agree with turf (which the naive cross-checks and the KPI calculators use).
//
// Error, on the sphere: north–south distances are exact; east–west distances at latitude φ are
// scaled by cos(φ0)/cos(φ), i.e. off by about tan(φ0)·|φ−φ0| (radians). Around Ordos
// (φ0 ≈ 39.7°, tan φ0 ≈ 0.83) data spanning ±0.05° of latitude (the Kangbashi core) is within
// 0.07 %, Kangbashi + Dongsheng together (±0.13°) within 0.19 % — under 0.6 m on a 300 m
// radius. That is far below the accuracy of footprint centroids as "where people live".

/** Turf's mean earth radius (m), so lengths agree with turf.length / turf.distance. */
export const EARTH_RADIUS_M = 6371008.8;
const RAD = Math.PI / 180;

export interface LocalProjection {
  /** Reference longitude / latitude in degrees (the origin of x, y). */
  lon0: number;
  lat0: number;
  /** Metres per degree of longitude / latitude at lat0. */
  kx: number;
  ky: number;
}

export function makeProjection(lon0: number, lat0: number): LocalProjection {
  return { lon0, lat0, kx: EARTH_RADIUS_M * RAD * Math.cos(lat0 * RAD), ky: EARTH_RADIUS_M * RAD };
}

/** Tracks the extent of the input coordinates so the projection can be centred on them. */
export class ExtentAccumulator {
  minLon = Infinity;
  minLat = Infinity;
  maxLon = -Infinity;
  maxLat = -Infinity;
  add(lon: number, lat: number): void {
    if (!Number.isFinite(lon) || !Number.isFinite(lat) || Math.abs(lon) > 180 || Math.abs(lat) > 90) return;
    if (lon < this.minLon) this.minLon = lon;
    if (lon > this.maxLon) this.maxLon = lon;
    if (lat < this.minLat) this.minLat = lat;
    if (lat > this.maxLat) this.maxLat = lat;
  }
  /** Visits every position of a GeoJSON coordinates array, however nested. */
  addCoordinates(c: unknown): void {
    if (!Array.isArray(c)) return;
    if (typeof c[0] === "number") {
      this.add(c[0], c[1] as number);
      return;
    }
    for (const x of c) this.addCoordinates(x);
  }
  /** Centred on the middle of the extent (minimises the worst latitude offset); 0,0 when empty. */
  projection(): LocalProjection {
    if (this.minLon > this.maxLon) return makeProjection(0, 0);
    return makeProjection((this.minLon + this.maxLon) / 2, (this.minLat + this.maxLat) / 2);
  }
}

/** A projection centred on the data of the given feature lists (any GeoJSON features). */
export function projectionForFeatures(...lists: ReadonlyArray<readonly unknown[]>): LocalProjection {
  const acc = new ExtentAccumulator();
  for (const list of lists)
    for (const f of list) {
      const g = (f as { geometry?: { coordinates?: unknown } } | null)?.geometry;
      if (g && typeof g === "object") acc.addCoordinates(g.coordinates);
    }
  return acc.projection();
}
