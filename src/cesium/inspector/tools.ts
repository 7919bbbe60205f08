// Drawing tools on the scene: excavation outlines (rectangle, polygon) and measurements
// (distance, area, height, depth). Left click adds a point, double click or right click
// finishes a polyline/polygon, Esc cancels. Points are reported as plain lon/lat/height.
import { Cartesian2, KeyboardEventModifier, ScreenSpaceEventHandler, ScreenSpaceEventType, type Viewer } from "cesium";
import type { Tool } from "../../domain/inspector/state";
import type { UndergroundScene } from "./UndergroundScene";

export type P3 = [number, number, number];

export class ToolController {
  private handler: ScreenSpaceEventHandler;
  private tool?: Tool;
  private points: P3[] = [];
  private hover?: P3;
  private onKey = (e: KeyboardEvent) => {
    if (e.key === "Escape" && this.tool) this.cancel();
  };

  constructor(
    private readonly viewer: Viewer,
    private readonly ug: UndergroundScene,
    private readonly events: { done(tool: Tool, points: P3[]): void; cancelled(): void; draft(points: P3[], closed: boolean): void },
  ) {
    this.handler = new ScreenSpaceEventHandler(viewer.scene.canvas);
    this.handler.setInputAction((e: { position: Cartesian2 }) => this.click(e.position), ScreenSpaceEventType.LEFT_CLICK);
    this.handler.setInputAction(() => this.finish(), ScreenSpaceEventType.LEFT_DOUBLE_CLICK);
    this.handler.setInputAction(() => this.finish(), ScreenSpaceEventType.RIGHT_CLICK);
    this.handler.setInputAction((e: { endPosition: Cartesian2 }) => this.move(e.endPosition), ScreenSpaceEventType.MOUSE_MOVE);
    void KeyboardEventModifier;
    window.addEventListener("keydown", this.onKey);
  }

  active(): boolean {
    return !!this.tool;
  }

  setTool(tool: Tool | undefined) {
    if (tool === this.tool) return;
    this.tool = tool;
    this.points = [];
    this.hover = undefined;
    this.viewer.scene.canvas.style.cursor = tool ? "crosshair" : "";
    this.events.draft([], false);
  }

  cancel() {
    this.setTool(undefined);
    this.events.cancelled();
  }

  private point(pos: Cartesian2): P3 | undefined {
    const t = this.tool;
    return t === "height" || t === "depth" ? this.ug.scenePoint(pos) : this.ug.groundPoint(pos);
  }

  private click(pos: Cartesian2) {
    const t = this.tool;
    if (!t) return;
    const p = this.point(pos);
    if (!p) return;
    // A double click also fires two clicks: ignore a click on the point just added.
    const last = this.points[this.points.length - 1];
    if (last && Math.abs(last[0] - p[0]) < 1e-7 && Math.abs(last[1] - p[1]) < 1e-7) return;
    this.points.push(p);
    if (t === "height" || t === "depth") return this.complete();
    if (t === "excavate-rect" && this.points.length === 2) return this.complete();
    this.draft();
  }

  private move(pos: Cartesian2) {
    if (!this.tool || !this.points.length) return;
    this.hover = this.point(pos);
    this.draft();
  }

  private draft() {
    const pts = this.hover ? [...this.points, this.hover] : this.points;
    if (this.tool === "excavate-rect" && pts.length === 2) return this.events.draft(rect(pts[0], pts[1]), true);
    this.events.draft(pts, this.tool === "area" || this.tool === "excavate-poly");
  }

  private finish() {
    const t = this.tool;
    if (!t || t === "excavate-rect" || t === "height" || t === "depth") return;
    this.complete();
  }

  private complete() {
    const t = this.tool!;
    const pts = t === "excavate-rect" ? rect(this.points[0], this.points[1]) : this.points;
    this.setTool(undefined);
    this.events.done(t, pts);
  }

  destroy() {
    window.removeEventListener("keydown", this.onKey);
    if (!this.handler.isDestroyed()) this.handler.destroy();
  }
}

function rect(a: P3, b: P3): P3[] {
  return [
    [a[0], a[1], 0],
    [b[0], a[1], 0],
    [b[0], b[1], 0],
    [a[0], b[1], 0],
  ];
}
