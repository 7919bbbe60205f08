// No leaks under churn (short version; `npm run soak:churn` runs the full 300×/100×): after a
// warm-up, toggling every layer and switching every view must leave the same number of Cesium
// primitives, tilesets, workers and live object URLs, and a heap within +10 % (+2 MB) after GC.
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeBrowser, startHarness, waitForReady, type Harness, type OpenedPage } from "./harness";
import { TOLERANCE, churn, compare, fmt, instrument, snapshot, warmUp } from "./churn";

describeBrowser("no leaks under churn", () => {
  let h: Harness;
  let p: OpenedPage;
  beforeAll(async () => {
    h = await startHarness();
    p = await h.open("?quality=low", { beforeGoto: instrument });
    await waitForReady(p.page, 300_000, p.record);
  });
  afterAll(async () => {
    await p?.close();
    await h?.close();
  });

  it("toggling every layer and switching every view leaves primitives, workers, object URLs and heap where they were", async () => {
    await warmUp(p.page);
    // One churn round before the baseline: lazily made things (restyled batches of every
    // view, chart instances) exist from here on.
    await churn(p.page, 1, 1);
    const before = await snapshot(p.page);
    const n = await churn(p.page, 10, 2);
    const after = await snapshot(p.page);
    console.log(
      `[churn] ${n} changes\n  before: ${fmt(before)}\n  after:  ${fmt(after)}\n  tolerance: heap +${TOLERANCE.heapFraction * 100} % + ${TOLERANCE.heapSlackMB} MB, counts equal`,
    );
    expect(before.primitives).toBeGreaterThan(5);
    expect(compare(before, after)).toEqual([]);
    expect(p.record.pageErrors).toEqual([]);
  }, 900_000);
});
