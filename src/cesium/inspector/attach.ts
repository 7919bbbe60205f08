// Hooks the inspector's scene parts into the viewer: one call from CesiumView's setup, one
// sync per state change, and a pick hook. Everything else lives in ./UndergroundScene, ./tools.
import { Cartesian3, Math as CMath, type Viewer } from "cesium";
import type { ParsedLayer } from "../../domain/geojson";
import { formatArea, formatLength } from "../../domain/inspector/measure";
import { inspectorOf, type Tool } from "../../domain/inspector/state";
import type { AppState, PickedFeature } from "../../domain/state";
import { ToolController, type P3 } from "./tools";
import { UndergroundScene, type DataSource } from "./UndergroundScene";

export interface InspectorHooks {
  data: DataSource;
  onToolDone(tool: Tool, points: P3[]): void;
  onToolCancel(): void;
  onMeasurementClick(id: number): void;
}

export interface InspectorSceneApi {
  /** A PNG of the current view (data: URL). */
  png(): Promise<string>;
  /** Marks a selected feature (outline; a tube turns yellow). */
  showSelection(sel: { layerId: string; index: number; data: ParsedLayer; heightM?: number } | undefined): void;
  remember(layerId: string, data: ParsedLayer): void;
  /** Flies to look at a point from about `rangeM` away. */
  lookAt(lon: number, lat: number, rangeM?: number, heightM?: number): Promise<void>;
  busy(): boolean;
  /** Tube batches on screen and builds under way. */
  tubeCounts(): { shown: number; building: number };
}

export function attachInspector(viewer: Viewer, initial: AppState, hooks: () => InspectorHooks | undefined) {
  const ug = new UndergroundScene(viewer, initial.catalog, (id) => hooks()?.data(id) ?? Promise.resolve(undefined));
  const tools = new ToolController(viewer, ug, {
    done: (tool, points) => hooks()?.onToolDone(tool, points),
    cancelled: () => hooks()?.onToolCancel(),
    draft: (points, closed) => {
      draft = points.length ? { points, closed } : undefined;
      redraw();
    },
  });
  let draft: { points: P3[]; closed: boolean } | undefined;
  let last: AppState = initial;
  const redraw = () => {
    const ins = inspectorOf(last);
    ug.drawMeasurements(
      ins.measurements.map((m) => ({
        id: m.id,
        points: m.points,
        closed: m.kind === "area",
        label:
          m.kind === "area"
            ? formatArea(m.value, last.lang)
            : m.kind === "distance"
              ? formatLength(m.value, last.lang)
              : `${m.kind === "height" ? (last.lang === "zh" ? "高度 " : "Height ") : last.lang === "zh" ? "埋深 " : "Depth "}${formatLength(m.value, last.lang)}`,
      })),
      draft,
    );
  };
  let lastMeasurements: unknown;
  const api: InspectorSceneApi = {
    png: () =>
      new Promise((resolve) => {
        const off = viewer.scene.postRender.addEventListener(() => {
          off();
          resolve(viewer.scene.canvas.toDataURL("image/png"));
        });
        viewer.scene.requestRender();
      }),
    showSelection: (sel) => ug.showSelection(sel),
    remember: (id, data) => ug.remember(id, data),
    lookAt: (lon, lat, rangeM = 600, heightM = 0) =>
      new Promise((resolve) => {
        const pitch = -45;
        const d = rangeM * Math.cos(CMath.toRadians(45));
        const dest = Cartesian3.fromDegrees(lon, lat - d / 111_195, heightM + rangeM * Math.sin(CMath.toRadians(45)));
        viewer.camera.flyTo({
          destination: dest,
          orientation: { heading: 0, pitch: CMath.toRadians(pitch), roll: 0 },
          duration: 1.2,
          complete: () => resolve(),
          cancel: () => resolve(),
        });
        viewer.scene.requestRender();
      }),
    busy: () => ug.busy(),
    tubeCounts: () => ug.tubeCounts(),
  };
  return {
    api,
    sync(state: AppState) {
      last = state;
      ug.sync(state);
      const ins = inspectorOf(state);
      tools.setTool(ins.tool);
      if (ins.measurements !== lastMeasurements) {
        lastMeasurements = ins.measurements;
        redraw();
      }
    },
    /** A drawing tool is active: it takes clicks itself (./tools). */
    toolActive: () => tools.active(),
    /** A click in pick mode: tools swallow it; a measurement label deletes itself. */
    pick(picked: unknown): { handled: boolean; feature?: PickedFeature } {
      if (tools.active()) return { handled: true };
      const m = ug.pickMeasurement(picked);
      if (m !== undefined) {
        hooks()?.onMeasurementClick(m);
        return { handled: true };
      }
      const f = ug.pick(picked);
      return f ? { handled: true, feature: f } : { handled: false };
    },
    destroy() {
      tools.destroy();
      ug.destroy();
    },
  };
}
