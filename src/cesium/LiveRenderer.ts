// Live sensor layers (catalog kind "live"): one point per sensor, coloured by its state
// (normal / 提示 / 预警 / 报警 / no data) through the layer's colour rule, updated in place.
// The feed hands over one batch of changed sensors per drawn frame (already coalesced per
// sensor in the live worker); on arrival the hub recolours only those points, and asks for a
// frame only when a colour actually changed. Sensors in 预警/报警 pulse (a ring that breathes)
// while the alarm lasts.
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
let offBatches: (() => void) | undefined;
/** The app hands the feed to the scene here (src/cesium must not know how messages arrive). */
export function setLiveSource(s: LiveSource | undefined) {
  offBatches?.();
  source = s;
  // One subscription for all live layers: each batch is applied to the points once, on arrival.
  offBatches = s?.onMessages(() => LiveRenderer.onBatch());
  for (const r of LiveRenderer.all) r.attach();
}

const sensorState = sensorStateName;

// Bench probe (scripts/bench/live.ts): while started, every batch records for each sensor of a
// live layer it updates (its newest reading's payload `ts`): `applied` — Date.now() − ts when
// the batch is applied to the points on the main thread (from then on the scene's state is
// current, whether or not the colour changed), split into transport (publish → the live worker's
// receipt) and queued (receipt → applied: waiting for the page's pull, the batch, the hand-over).
// When the batch changed what is drawn, at the postRender of the next frame: Date.now() − ts for
// each of its sensors (message → drawn) and, once per batch, draw (applied → that postRender).
// Off by default: no cost.
type LatencyParts = { transport: number[]; queued: number[]; draw: number[]; applied: number[] };
let latencyProbe: number[] | undefined;
let latencyParts: LatencyParts | undefined;
const noParts = (): LatencyParts => ({ transport: [], queued: [], draw: [], applied: [] });
export const liveLatencyProbe = {
  start() {
    latencyProbe = [];
    latencyParts = noParts();
  },
  /** The samples (ms) since the last take. */
  take(): number[] {
    const out = latencyProbe ?? [];
    if (latencyProbe) latencyProbe = [];
    return out;
  },
  /** The parts of the samples since the last takeParts. */
  takeParts(): LatencyParts {
    const out = latencyParts ?? noParts();
    if (latencyParts) latencyParts = noParts();
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

  /** (Re)connects to the current feed: repaint from its state; each drawn frame lets it hand over the next batch. */
  attach() {
    this.offDrawn?.();
    if (!source) return;
    this.offDrawn = this.ctx.scene.postRender.addEventListener(() => source?.frameDrawn?.());
    this.refreshAll();
  }

  /**
   * A batch arrived (at most one per drawn frame, see src/app/live.ts): recolour the sensors that
   * changed, in every live layer, now. A frame is requested only when a point's colour or ring
   * changed: most readings move a value within its state (a charging pile stays "in use", a gauge
   * at 3 cm stays normal), and a still camera used to redraw the whole scene on SwiftShader for
   * each such batch, ~10 times a second, to show the same picture (the still camera's 555 ms/s of
   * main-thread time). When nothing visible changed the source is told at once that it may send
   * the next batch, instead of waiting for a frame that is not coming.
   */
  static onBatch() {
    if (!source || LiveRenderer.all.size === 0) return;
    const dirty = source.feed.takeDirty();
    let changed = false;
    for (const r of LiveRenderer.all) if (r.update(dirty)) changed = true;
    if (latencyProbe && dirty.length) LiveRenderer.probeBatch(dirty, changed);
    if (!changed) source.frameDrawn?.();
  }

  private static probeBatch(dirty: string[], drawn: boolean) {
    const feed = source?.feed;
    const first = LiveRenderer.all.values().next().value;
    if (!feed || !first || first.ctx.scene.isDestroyed()) return;
    const ts: number[] = [];
    const applied = Date.now();
    for (const id of dirty) {
      const s = feed.sensors.get(id);
      const t = s?.last?.ts;
      if (t !== undefined && [...LiveRenderer.all].some((r) => r.index.has(id))) {
        const r = s?.receivedAt ?? t;
        ts.push(t);
        latencyParts?.applied.push(applied - t);
        latencyParts?.transport.push(r - t);
        latencyParts?.queued.push(applied - r);
      }
    }
    if (!ts.length || !drawn) return;
    const off = first.ctx.scene.postRender.addEventListener(() => {
      off();
      const now = Date.now();
      for (const t of ts) latencyProbe?.push(now - t);
      latencyParts?.draw.push(now - applied);
    });
  }

  /** Repaints these sensors; true when a point's look changed (a frame is needed). */
  private update(ids: string[]): boolean {
    let changed = false;
    for (const id of ids) {
      const k = this.index.get(id);
      if (k === undefined) continue;
      if (this.paint(k)) changed = true;
    }
    if (changed) {
      this.lastDrawnAt = performance.now();
      this.ctx.requestRender();
      this.schedulePulse();
    }
    return changed;
  }

  private refreshAll() {
    this.painted = [];
    for (let k = 0; k < this.sensorIds.length; k++) this.paint(k);
    this.schedulePulse();
    this.ctx.requestRender();
  }

  /** Paints one point in its sensor's state; false when it already was (nothing to draw). */
  private paint(k: number): boolean {
    const s = source?.feed.sensors.get(this.sensorIds[k]);
    const state = sensorState(s);
    if (this.painted[k] === state) return false;
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
    return true;
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
