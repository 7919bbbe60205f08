// Camera views as plain data (degrees and metres), so URL state, tours and views can name them.

export interface CameraView {
  lonDeg: number;
  latDeg: number;
  heightM: number;
  headingDeg: number;
  pitchDeg: number;
}

/**
 * Home: south of Kangbashi's central axis looking north along it, over the Wulan Mulun lake
 * towards Genghis Khan Square and the government buildings at the foot of 青春山.
 */
export const HOME_VIEW: CameraView = {
  lonDeg: 109.786,
  latDeg: 39.545,
  heightM: 3800,
  headingDeg: 0,
  pitchDeg: -32,
};

export function isValidCamera(c: CameraView): string | undefined {
  if (![c.lonDeg, c.latDeg, c.heightM, c.headingDeg, c.pitchDeg].every(Number.isFinite)) return "not all numbers";
  if (c.lonDeg < -180 || c.lonDeg > 180) return `longitude ${c.lonDeg} outside −180…180`;
  if (c.latDeg < -90 || c.latDeg > 90) return `latitude ${c.latDeg} outside −90…90`;
  if (c.heightM < 1 || c.heightM > 20_000_000) return `height ${c.heightM} m outside 1…20,000,000`;
  if (c.pitchDeg < -90 || c.pitchDeg > 90) return `pitch ${c.pitchDeg} outside −90…90`;
  return undefined;
}

/** Angular difference in degrees, wrapping at 360. */
export function angleDiffDeg(a: number, b: number): number {
  const d = ((((a - b) % 360) + 540) % 360) - 180;
  return Math.abs(d);
}
