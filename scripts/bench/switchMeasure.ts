// The view-switch measure of issue 7, shared by the render bench (scripts/bench.ts) and the
// profiling driver (scripts/bench/viewSwitch.ts), so both time the same thing:
// setView through VIEW_CYCLE twice (the first pass loads what each view needs, the second
// revisits); per switch, setView → whenIdle() (the app's own "drawn"), and setView → the camera
// arrived at the view's camera (the switch flies there) and whenIdle() resolved again.
// Each switch also leaves `switch:<view>:start|idle|arrived|drawn` marks on the page's timeline.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";

export const VIEW_CYCLE = ["health-check", "life-circle", "overview", "urban-management", "waterlogging", "overview"];

export interface ViewSwitch {
  view: string;
  pass: number;
  /** setView → whenIdle() resolved (layers settled and drawn as the app defines it). */
  idleMs?: number;
  /** setView → the camera arrived at the view's camera and whenIdle() resolved again. */
  drawnMs?: number;
  error?: string;
}

/** Runs the cycle in `page` (the app, ready); `onSwitch` hears of each switch as it ends. */
export async function measureViewSwitches(page: Page, root: string, onSwitch?: (s: ViewSwitch) => void): Promise<ViewSwitch[]> {
  const views = (JSON.parse(readFileSync(join(root, "data", "views.json"), "utf8")) as { views: Array<{ id: string; camera: unknown }> })
    .views;
  const cams = Object.fromEntries(views.filter((v) => VIEW_CYCLE.includes(v.id)).map((v) => [v.id, v.camera]));
  const switches: ViewSwitch[] = [];
  for (const pass of [1, 2])
    for (const view of VIEW_CYCLE) {
      const r = await page.evaluate(
        async ({ view, cam }) => {
          type W = {
            setView(id: string): boolean;
            whenIdle(): Promise<void>;
            camera(): { lonDeg: number; latDeg: number; heightM: number } | undefined;
          };
          const w = (window as unknown as { warmcity: W }).warmcity;
          const c = cam as { lonDeg: number; latDeg: number; heightM: number };
          const t0 = performance.now();
          performance.mark(`switch:${view}:start`);
          const out: { idleMs?: number; drawnMs?: number; error?: string } = {};
          try {
            if (!w.setView(view)) return { error: `setView("${view}") refused` };
            await w.whenIdle();
            out.idleMs = performance.now() - t0;
            performance.mark(`switch:${view}:idle`);
            for (;;) {
              const k = w.camera();
              if (k && Math.abs(k.lonDeg - c.lonDeg) < 1e-4 && Math.abs(k.latDeg - c.latDeg) < 1e-4 && Math.abs(k.heightM - c.heightM) < 5)
                break;
              if (performance.now() - t0 > 120_000) throw new Error("the camera did not arrive within 120 s");
              await new Promise((r) => setTimeout(r, 25));
            }
            performance.mark(`switch:${view}:arrived`);
            await w.whenIdle();
            out.drawnMs = performance.now() - t0;
            performance.mark(`switch:${view}:drawn`);
          } catch (e) {
            out.error = e instanceof Error ? e.message : String(e);
          }
          return out;
        },
        { view, cam: cams[view] },
      );
      const s: ViewSwitch = {
        view,
        pass,
        idleMs: r.idleMs === undefined ? undefined : Math.round(r.idleMs),
        drawnMs: r.drawnMs === undefined ? undefined : Math.round(r.drawnMs),
        error: r.error,
      };
      switches.push(s);
      onSwitch?.(s);
    }
  return switches;
}
