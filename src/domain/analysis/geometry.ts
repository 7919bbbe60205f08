// Planar geometry on flat coordinate arrays [x0, y0, x1, y1, …] in the local metric projection.

/** Squared distance from P to segment AB. */
export function pointSegmentDist2(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  let t = 0;
  const len2 = dx * dx + dy * dy;
  if (len2 > 0) {
    t = ((px - ax) * dx + (py - ay) * dy) / len2;
    if (t < 0) t = 0;
    else if (t > 1) t = 1;
  }
  const ex = ax + t * dx - px;
  const ey = ay + t * dy - py;
  return ex * ex + ey * ey;
}

/**
 * Length of the part of segment AB inside the disc of radius r around C (exact: solve
 * |A + t(B−A) − C|² = r² for t and clamp to [0, 1]).
 */
export function segmentLengthInDisc(cx: number, cy: number, r: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const a = dx * dx + dy * dy;
  if (a === 0) return 0;
  const fx = ax - cx;
  const fy = ay - cy;
  const b = 2 * (fx * dx + fy * dy);
  const c = fx * fx + fy * fy - r * r;
  const disc = b * b - 4 * a * c;
  if (disc <= 0) return 0;
  const s = Math.sqrt(disc);
  const t1 = Math.max(0, (-b - s) / (2 * a));
  const t2 = Math.min(1, (-b + s) / (2 * a));
  return t2 > t1 ? (t2 - t1) * Math.sqrt(a) : 0;
}

/** Even–odd ray test of one closed ring (first point repeated last). */
export function ringContains(ring: Float64Array, x: number, y: number): boolean {
  let inside = false;
  const n = ring.length;
  for (let i = 0, j = n - 2; i < n; j = i, i += 2) {
    const xi = ring[i];
    const yi = ring[i + 1];
    const xj = ring[j];
    const yj = ring[j + 1];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Inside the outer ring (rings[0]) and outside every hole. */
export function polygonContains(rings: readonly Float64Array[], x: number, y: number): boolean {
  if (rings.length === 0 || !ringContains(rings[0], x, y)) return false;
  for (let k = 1; k < rings.length; k++) if (ringContains(rings[k], x, y)) return false;
  return true;
}

/** Signed shoelace area of a closed ring (positive when counter-clockwise). */
export function ringSignedArea(ring: Float64Array): number {
  let s = 0;
  for (let i = 0; i + 3 < ring.length; i += 2) s += ring[i] * ring[i + 3] - ring[i + 2] * ring[i + 1];
  return s / 2;
}

/** Area of a polygon: |outer| minus |holes| (orientation-agnostic). */
export function polygonArea(rings: readonly Float64Array[]): number {
  if (rings.length === 0) return 0;
  let a = Math.abs(ringSignedArea(rings[0]));
  for (let k = 1; k < rings.length; k++) a -= Math.abs(ringSignedArea(rings[k]));
  return Math.max(0, a);
}

/**
 * Area-weighted centroid of polygons (holes subtract). Falls back to the vertex mean of the
 * outer rings for degenerate (zero-area) input. Affine maps preserve centroids, so this equals
 * turf.centerOfMass in lon/lat for simple polygons.
 */
export function polygonsCentroid(polys: readonly (readonly Float64Array[])[]): [number, number] {
  let sa = 0;
  let sx = 0;
  let sy = 0;
  let mx = 0;
  let my = 0;
  let mn = 0;
  // Accumulate relative to the first vertex to keep the products small (precision).
  const ox = polys[0]?.[0]?.[0] ?? 0;
  const oy = polys[0]?.[0]?.[1] ?? 0;
  for (const rings of polys)
    rings.forEach((ring, k) => {
      const sign = k === 0 ? 1 : -1;
      const orient = ringSignedArea(ring) >= 0 ? 1 : -1;
      let a = 0;
      let cx = 0;
      let cy = 0;
      for (let i = 0; i + 3 < ring.length; i += 2) {
        const x0 = ring[i] - ox;
        const y0 = ring[i + 1] - oy;
        const x1 = ring[i + 2] - ox;
        const y1 = ring[i + 3] - oy;
        const cr = x0 * y1 - x1 * y0;
        a += cr;
        cx += (x0 + x1) * cr;
        cy += (y0 + y1) * cr;
        if (k === 0) {
          mx += x0;
          my += y0;
          mn++;
        }
      }
      // Normalise orientation, then add the outer ring and subtract holes.
      const w = sign * orient;
      sa += (w * a) / 2;
      sx += (w * cx) / 6;
      sy += (w * cy) / 6;
    });
  if (Math.abs(sa) > 1e-9) return [ox + sx / sa, oy + sy / sa];
  return mn > 0 ? [ox + mx / mn, oy + my / mn] : [ox, oy];
}

/** Planar length of a flat polyline. */
export function polylineLength(line: Float64Array): number {
  let s = 0;
  for (let i = 0; i + 3 < line.length; i += 2) s += Math.hypot(line[i + 2] - line[i], line[i + 3] - line[i + 1]);
  return s;
}
