// The churn scenario shared by the leak test (tests/e2e/churn.test.ts, short) and the soak
// (scripts/soak-churn.ts, full): toggle every layer N times and switch every view M times
// through window.warmcity, then compare what the page holds with what it held after warm-up.
// Instrumentation is installed from outside (an init script counting live workers and object
// URLs); the heap is read after a forced GC through the DevTools protocol.
import type { Page } from "playwright-core";

export interface Snapshot {
  heapMB: number;
  primitives: number;
  tilesets: number;
  groundPrimitives: number;
  workers: number;
  objectUrls: number;
}

export interface Tolerance {
  /** Heap after churn ≤ baseline × (1 + heapFraction) + heapSlackMB. */
  heapFraction: number;
  heapSlackMB: number;
}
export const TOLERANCE: Tolerance = { heapFraction: 0.1, heapSlackMB: 2 };

/** Counts live workers and object URLs in the page. Call before navigation. */
export async function instrument(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { __churn: { workers: number; urls: Set<string> } };
    w.__churn = { workers: 0, urls: new Set() };
    const W = window.Worker;
    window.Worker = class extends W {
      private alive = true;
      constructor(url: string | URL, opts?: WorkerOptions) {
        super(url, opts);
        w.__churn.workers++;
      }
      terminate() {
        if (this.alive) w.__churn.workers--;
        this.alive = false;
        super.terminate();
      }
    };
    const create = URL.createObjectURL.bind(URL);
    const revoke = URL.revokeObjectURL.bind(URL);
    URL.createObjectURL = (o: Blob | MediaSource) => {
      const u = create(o);
      w.__churn.urls.add(u);
      return u;
    };
    URL.revokeObjectURL = (u: string) => {
      w.__churn.urls.delete(u);
      revoke(u);
    };
  });
}

export async function snapshot(page: Page): Promise<Snapshot> {
  const cdp = await page.context().newCDPSession(page);
  try {
    // Twice: the first pass frees what finalisers release.
    await cdp.send("HeapProfiler.collectGarbage");
    await cdp.send("HeapProfiler.collectGarbage");
    const { usedSize } = (await cdp.send("Runtime.getHeapUsage")) as { usedSize: number };
    const s = await page.evaluate(() => {
      const w = window as unknown as {
        __churn: { workers: number; urls: Set<string> };
        warmcity: { sceneCounts(): { primitives: number; tilesets: number; groundPrimitives: number } };
      };
      return { ...w.warmcity.sceneCounts(), workers: w.__churn.workers, objectUrls: w.__churn.urls.size };
    });
    return { heapMB: usedSize / 1048576, ...s };
  } finally {
    await cdp.detach();
  }
}

interface Api {
  warmcity: {
    layers(): Array<{ id: string; visible: boolean }>;
    views(): string[];
    view(): string;
    setView(id: string): boolean;
    setLayerVisible(id: string, on: boolean): void;
    whenIdle(): Promise<void>;
  };
}

/** Shows every layer once and visits every view once, so caches and pools are full. */
export async function warmUp(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const wc = (window as unknown as Api).warmcity;
    const start = wc.view();
    for (const l of wc.layers()) wc.setLayerVisible(l.id, true);
    await wc.whenIdle();
    for (const v of wc.views()) {
      wc.setView(v);
      await new Promise((r) => setTimeout(r, 50));
    }
    wc.setView(start);
    await wc.whenIdle();
  });
}

/** The churn itself; ends in the view it started from, idle. Returns the number of state changes. */
export async function churn(page: Page, layerToggles: number, viewRounds: number): Promise<number> {
  return page.evaluate(
    async ([toggles, rounds]) => {
      const wc = (window as unknown as Api).warmcity;
      const start = wc.view();
      // Let React render and the scene reconcile between changes, as a user's clicks would.
      const tick = () => new Promise((r) => setTimeout(r, 0));
      let n = 0;
      const layers = wc.layers();
      for (let i = 0; i < toggles; i++)
        for (const l of layers) {
          wc.setLayerVisible(l.id, !l.visible);
          await tick();
          wc.setLayerVisible(l.id, l.visible);
          await tick();
          n += 2;
        }
      const views = wc.views();
      for (let i = 0; i < rounds; i++)
        for (const v of views) {
          wc.setView(v);
          await tick();
          n++;
        }
      wc.setView(start);
      await wc.whenIdle();
      return n;
    },
    [layerToggles, viewRounds] as const,
  );
}

export function compare(before: Snapshot, after: Snapshot, tol: Tolerance = TOLERANCE): string[] {
  const problems: string[] = [];
  const heapLimit = before.heapMB * (1 + tol.heapFraction) + tol.heapSlackMB;
  if (after.heapMB > heapLimit)
    problems.push(`heap ${after.heapMB.toFixed(1)} MB > ${heapLimit.toFixed(1)} MB (baseline ${before.heapMB.toFixed(1)} MB)`);
  for (const k of ["primitives", "tilesets", "groundPrimitives", "workers", "objectUrls"] as const)
    if (after[k] !== before[k]) problems.push(`${k}: ${before[k]} → ${after[k]}`);
  return problems;
}

export const fmt = (s: Snapshot) =>
  `heap ${s.heapMB.toFixed(1)} MB, primitives ${s.primitives}, tilesets ${s.tilesets}, ground ${s.groundPrimitives}, workers ${s.workers}, object URLs ${s.objectUrls}`;
