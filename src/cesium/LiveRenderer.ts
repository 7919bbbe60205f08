// Live sensor layers (catalog kind "live"): one point per sensor, coloured by its state
// (normal / 提示 / 预警 / 报警 / no data) through the layer's colour rule, updated in place.
// The feed marks sensors dirty as messages arrive; once per frame (scene.preRender) the hub
// drains that set and recolours only those points — a flood of messages costs one update per
// sensor per frame. Sensors in 预警/报警 pulse (a ring that breathes) while the alarm lasts.
import { Cartesian3, Color, PointPrimitiveCollection, type PointPrimitive } from "cesium";
import type { LayerSpec, LayerStyle } from "../domain/catalog";
import type { LiveView } from "../domain/live/batch";
import { sensorStateName } from "../domain/live/feed";
import { KIND_INFO } from "../domain/live/kinds";
import { readingTopic, topicMatches, type SensorKind } from "../domain/live/topics";
import type { ParsedLayer } from "../domain/geojson";
import { colorFor } from "../domain/style";
import type { PickedFeature } from "../domain/state";
import type { CreateArgs, Created, LayerRenderer } from "./contract";
import { parsePickId, pickId, type RenderContext } from "./renderers";

export interface LiveSource {
  feed: LiveView;
  /** Called when a batch of changed sensors arrived (at most once per drawn frame). */
  onMessages(fn: () => void): () => void;
  /** The scene drew a frame: the source may hand over the next batch. */
  frameDrawn?(): void;
}

let source: LiveSource | undefined;
/** The app hands the feed to the scene here (src/cesium must not know how messages arrive). */
export function setLiveSource(s: LiveSource | undefined) {
  source = s;
  for (const r of LiveRenderer.all) r.attach();
}

const sensorState = sensorStateName;

// Bench probe (scripts/bench/live.ts): while started, every frame that recolours sensors
// records, at that frame's postRender (the new colours are in the drawn frame), Date.now()
// minus the payload `ts` of each recoloured sensor's newest reading, and its parts: transport
// (publish → the live worker's receipt), queued (receipt → the start of the frame that draws
// it: worker batch, hand-over, waiting for a frame) and draw (that frame's preRender →
// postRender). Off by default: no cost.
type LatencyParts = { transport: number[]; queued: number[]; draw: number[] };
let latencyProbe: number[] | undefined;
let latencyParts: LatencyParts | undefined;
export const liveLatencyProbe = {
  start() {
    latencyProbe = [];
    latencyParts = { transport: [], queued: [], draw: [] };
  },
  /** The samples (ms) since the last take. */
  take(): number[] {
    const out = latencyProbe ?? [];
    if (latencyProbe) latencyProbe = [];
    return out;
  },
  /** The parts of the samples since the last takeParts. */
  takeParts(): LatencyParts {
    const out = latencyParts ?? { transport: [], queued: [], draw: [] };
    if (latencyParts) latencyParts = { transport: [], queued: [], draw: [] };
    return out;
  },
  stop() {
    latencyProbe = undefined;
    latencyParts = undefined;
  },
};

export class LiveRenderer implements LayerRenderer {
  static readonly all = new Set<LiveRenderer>();
  private readonly points = new PointPrimitiveCollection();
  private readonly rings = new PointPrimitiveCollection();
  private readonly index = new Map<string, number>();
  private readonly sensorIds: string[] = [];
  private readonly ringOf = new Map<number, PointPrimitive>();
  private style: LayerStyle;
  private opacity = 1;
  private offMessages?: () => void;
  private offFrame?: () => void;
  private offDrawn?: () => void;
  /** The state each point was last painted in: a reading that leaves it unchanged costs nothing. */
  private painted: string[] = [];
  private pulseTimer?: ReturnType<typeof setTimeout>;
  /** Time of the last message→drawn update, for the bench. */
  lastDrawnAt = 0;

  constructor(
    private readonly ctx: RenderContext,
    private readonly spec: LayerSpec,
    data: ParsedLayer,
  ) {
    this.style = spec.style;
    const filter = spec.live?.topic ?? "#";
    const h = spec.style.heightOffsetM ?? 0;
    for (let i = 0; i < data.ids.length; i++) {
      const p = data.props[i] as { id?: string; kind?: SensorKind; district?: string };
      if (!p.id || !p.kind || !p.district || !topicMatches(filter, readingTopic(p.district, p.kind, p.id))) continue;
      const k = this.sensorIds.length;
      this.sensorIds.push(p.id);
      this.index.set(p.id, k);
      this.points.add({
        position: Cartesian3.fromDegrees(data.coords[2 * i], data.coords[2 * i + 1], h),
        pixelSize: spec.style.pointSizePx ?? 10,
        disableDepthTestDistance: Number.POSITIVE_INFINITY,
        id: pickId(spec.id, k),
      });
    }
    ctx.scene.primitives.add(this.rings);
    ctx.scene.primitives.add(this.points);
    LiveRenderer.all.add(this);
    this.attach();
  }

  get layerId() {
    return this.spec.id;
  }
  get sensorCount() {
    return this.sensorIds.length;
  }

  /** (Re)connects to the current feed: one frame hook, and a render request when messages arrive. */
  attach() {
    this.offMessages?.();
    this.offFrame?.();
    this.offDrawn?.();
    if (!source) return;
    // A batch of panel figures alone (counters, sent at least every second) needs no frame: a still
    // scene stays still.
    this.offMessages = source.onMessages(() => {
      if (source && source.feed.dirtyCount() > 0) this.ctx.requestRender();
    });
    this.offFrame = this.ctx.scene.preRender.addEventListener(() => LiveRenderer.drain());
    this.offDrawn = this.ctx.scene.postRender.addEventListener(() => source?.frameDrawn?.());
    this.refreshAll();
  }

  private static drainedFrame = -1;
  /** Once per frame for all live layers: recolour the sensors that changed. */
  private static drain() {
    if (!source) return;
    const frame = performance.now();
    if (frame - LiveRenderer.drainedFrame < 1) return;
    LiveRenderer.drainedFrame = frame;
    const dirty = source.feed.takeDirty();
    if (!dirty.length) return;
    for (const r of LiveRenderer.all) r.update(dirty);
    if (latencyProbe) LiveRenderer.probeFrame(dirty);
  }

  private static probeFrame(dirty: string[]) {
    const feed = source?.feed;
    const first = LiveRenderer.all.values().next().value;
    if (!feed || !first || first.ctx.scene.isDestroyed()) return;
    const ts: number[] = [];
    const rx: number[] = [];
    for (const id of dirty) {
      const s = feed.sensors.get(id);
      const t = s?.last?.ts;
      if (t !== undefined && [...LiveRenderer.all].some((r) => r.index.has(id))) {
        ts.push(t);
        rx.push(s?.receivedAt ?? t);
      }
    }
    if (!ts.length) return;
    const pre = Date.now();
    const off = first.ctx.scene.postRender.addEventListener(() => {
      off();
      const now = Date.now();
      for (let i = 0; i < ts.length; i++) {
        latencyProbe?.push(now - ts[i]);
        latencyParts?.transport.push(rx[i] - ts[i]);
        latencyParts?.queued.push(pre - rx[i]);
        latencyParts?.draw.push(now - pre);
      }
    });
  }

  private update(ids: string[]) {
    let changed = false;
    for (const id of ids) {
      const k = this.index.get(id);
      if (k === undefined) continue;
      this.paint(k);
      changed = true;
    }
    if (changed) {
      this.lastDrawnAt = performance.now();
      this.schedulePulse();
    }
  }

  private refreshAll() {
    this.painted = [];
    for (let k = 0; k < this.sensorIds.length; k++) this.paint(k);
    this.schedulePulse();
    this.ctx.requestRender();
  }

  private paint(k: number) {
    const s = source?.feed.sensors.get(this.sensorIds[k]);
    const state = sensorState(s);
    if (this.painted[k] === state) return;
    this.painted[k] = state;
    const c = colorFor(this.style.color, { state }, this.opacity);
    const p = this.points.get(k);
    p.color = new Color(c[0], c[1], c[2], c[3]);
    p.outlineColor = Color.fromCssColorString(this.style.outlineColor ?? "#000000").withAlpha(this.opacity);
    p.outlineWidth = 1.5;
    const alarmed = !!s && s.level >= 1;
    const ring = this.ringOf.get(k);
    if (alarmed && !ring) {
      this.ringOf.set(
        k,
        this.rings.add({
          position: p.position,
          color: new Color(c[0], c[1], c[2], 0.25),
          outlineColor: new Color(c[0], c[1], c[2], 0.9),
          outlineWidth: 2,
          pixelSize: (this.style.pointSizePx ?? 10) * 2.4,
          disableDepthTestDistance: Number.POSITIVE_INFINITY,
          id: pickId(this.spec.id, k),
        }),
      );
    } else if (!alarmed && ring) {
      this.rings.remove(ring);
      this.ringOf.delete(k);
    } else if (ring) {
      ring.color = new Color(c[0], c[1], c[2], 0.25);
      ring.outlineColor = new Color(c[0], c[1], c[2], 0.9);
    }
  }

  /** Alarms breathe: the rings grow and fade at ~4 Hz while any alarm is shown (cheap on a software GPU). */
  private schedulePulse() {
    if (this.pulseTimer || this.ringOf.size === 0 || !this.points.show) return;
    const tick = () => {
      this.pulseTimer = undefined;
      if (this.ringOf.size === 0 || this.ctx.scene.isDestroyed() || !this.points.show) return;
      const phase = (Math.sin(performance.now() / 400) + 1) / 2;
      const base = this.style.pointSizePx ?? 10;
      for (const ring of this.ringOf.values()) {
        ring.pixelSize = base * (1.6 + 1.4 * phase);
        ring.outlineColor = ring.outlineColor.withAlpha(0.95 - 0.6 * phase);
      }
      this.ctx.requestRender();
      this.pulseTimer = setTimeout(tick, 250);
    };
    tick();
  }

  setShow(show: boolean) {
    this.points.show = show;
    this.rings.show = show;
    if (show) this.schedulePulse();
    this.ctx.requestRender();
  }
  setStyle(style: LayerStyle, opacity: number) {
    this.style = style;
    this.opacity = opacity;
    for (let k = 0; k < this.sensorIds.length; k++) this.points.get(k).pixelSize = style.pointSizePx ?? 10;
    this.refreshAll();
  }
  drawn() {
    return true;
  }
  /** Picking: the sensor's latest reading as plain data (the inspector adds the sparkline). */
  pick(picked: unknown): PickedFeature | undefined {
    const id = parsePickId((picked as { id?: unknown } | undefined)?.id);
    if (!id || id.layerId !== this.spec.id) return undefined;
    const f = this.featureProps(id.index);
    return f && { layerId: this.spec.id, featureId: f.id, properties: f.props };
  }
  clearPick() {
    /* sensors are recoloured by their state; a pick leaves no highlight to clear */
  }
  featureProps(index: number) {
    const id = this.sensorIds[index];
    const s = id ? source?.feed.sensors.get(id) : undefined;
    if (!id) return undefined;
    const info = s?.info;
    const k = info ? KIND_INFO[info.kind] : undefined;
    const v = k && s?.last ? s.last.values[k.field] : undefined;
    return {
      id,
      props: {
        name: info?.name,
        sensorId: id,
        state: sensorState(s),
        ...(k ? { [k.field === "value" ? "value" : k.field]: v, unit: s?.last?.unit ?? k.unit } : {}),
        ...(s?.last && Object.keys(s.last.values).length > 1 ? s.last.values : {}),
        time: s?.last ? new Date(s.last.ts).toISOString() : undefined,
        district: info?.district,
        onLayer: info?.onLayer,
        onFeature: info?.onFeature,
      },
    };
  }
  destroy() {
    LiveRenderer.all.delete(this);
    this.offMessages?.();
    this.offFrame?.();
    this.offDrawn?.();
    if (this.pulseTimer) clearTimeout(this.pulseTimer);
    if (!this.ctx.scene.isDestroyed()) {
      this.ctx.scene.primitives.remove(this.points);
      this.ctx.scene.primitives.remove(this.rings);
    }
    this.ctx.requestRender();
  }
}

/** Registry factory for kind "live": sensors are points; the feed colours them. */
export async function createLiveLayer(a: CreateArgs<RenderContext>): Promise<Created> {
  const data = await a.loadVector({ ...a.spec, kind: "point" }, a.onProgress);
  if (a.ctx.scene.isDestroyed()) throw new Error("scene destroyed while loading");
  const live = new LiveRenderer(a.ctx, a.spec, data);
  return { renderer: live, featureCount: live.sensorCount, skipped: 0 };
}
