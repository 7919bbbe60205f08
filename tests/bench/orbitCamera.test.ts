// The render bench's start camera (bench/page/protocol.ts): every navigation-start case, the real
// app included (as its camera= URL value), opens here, so the app's orbit pivots on the orbit centre.
import { describe, expect, it } from "vitest";
import { BENCH_ORBIT, orbitStartCamera } from "../../bench/page/protocol";

describe("orbitStartCamera", () => {
  it("puts the camera south of the centre at range·sin(pitch) up, heading north, same pitch", () => {
    // 3500 m at 35° down: 3500·sin 35° = 2007.52 m up, 3500·cos 35° = 2867.03 m south.
    const [lon, lat, h, heading, pitch] = orbitStartCamera(BENCH_ORBIT);
    expect(lon).toBe(109.791);
    expect(h).toBe(2007.5);
    expect(heading).toBe(0);
    expect(pitch).toBe(-35);
    // WGS84 at 39.6° N: one degree of latitude is 111,024 m (meridional radius 6,361,349 m),
    // so 2867.03 m is 0.025823°: 39.597 − 0.025823 = 39.571177.
    expect(lat).toBeCloseTo(39.571177, 6);
  });

  it("straight down looks at the centre itself", () => {
    const [lon, lat, h] = orbitStartCamera({ lonDeg: 10, latDeg: 0, rangeM: 1000, pitchDeg: -90 });
    expect(lon).toBe(10);
    expect(lat).toBeCloseTo(0, 9);
    expect(h).toBe(1000);
  });
});
