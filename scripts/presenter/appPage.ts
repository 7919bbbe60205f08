// Shared by the tour bench and the soak: build the app into its own folder (so neither
// clobbers dist/ that npm test uses), serve it on 127.0.0.1, open it in headless Chromium on
// SwiftShader with a CDP session for heap-after-GC figures.
import { spawnSync } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { CDPSession, Page } from "playwright-core";
import { startHarness, waitForReady, type Harness, type OpenedPage } from "../../tests/e2e/harness";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

export function buildApp(outDir: string): void {
  const r = spawnSync(join(ROOT, "node_modules", ".bin", "vite"), ["build", "--logLevel", "warn", "--outDir", outDir, "--emptyOutDir"], {
    cwd: ROOT,
    stdio: "inherit",
  });
  if (r.status !== 0) throw new Error(`vite build failed (exit ${r.status})`);
}

export interface AppPage {
  h: Harness;
  o: OpenedPage;
  page: Page;
  cdp: CDPSession;
  close(): Promise<void>;
}

export async function openApp(dist: string, query: string, viewport = { width: 1280, height: 800 }): Promise<AppPage> {
  const h = await startHarness(dist);
  const o = await h.open(query, { viewport });
  await waitForReady(o.page, 600_000, o.record);
  const cdp = await o.context.newCDPSession(o.page);
  return {
    h,
    o,
    page: o.page,
    cdp,
    close: async () => {
      await o.close().catch(() => undefined);
      await h.close();
    },
  };
}

export async function heapAfterGcMb(cdp: CDPSession): Promise<number> {
  await cdp.send("HeapProfiler.collectGarbage");
  await cdp.send("HeapProfiler.collectGarbage");
  const u = (await cdp.send("Runtime.getHeapUsage")) as { usedSize: number };
  return u.usedSize / 1e6;
}

/** window.warmcity, typed loosely for evaluate() bodies. */
export type W = {
  warmcity: {
    tour(): { id: string; step: number; steps: number; playing: boolean; loop: boolean; cycle: number; phase?: string } | undefined;
    playTour(id: string, o?: { step?: number; loop?: boolean; timeScale?: number }): boolean;
    pauseTour(): void;
    orbit(on?: boolean): boolean;
    sceneStats(): { frames: number; primitives: number; medianFrameMs?: number };
    whenIdle(): Promise<void>;
    whenKpis(): Promise<void>;
    errors(): string[];
  };
};

/**
 * Waits until `pred(arg)` is true in the page. The predicate is a function that Playwright
 * serializes and calls through the DevTools protocol; it must not build code from a string
 * (`new Function`, eval): the app's CSP (script-src 'self') refuses that in the page.
 */
export async function waitFor(page: Page, pred: (arg: number) => boolean, arg: number, timeoutMs: number): Promise<void> {
  await page.waitForFunction(pred, arg, { timeout: timeoutMs, polling: 100 });
}
