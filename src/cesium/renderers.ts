// One renderer per layer kind (the registry in ./registry maps kinds to the factories at the
// bottom of this file). Each owns its Cesium objects; data is parsed once (in the worker) and
// kept. Styles are applied IN PLACE: vector batches are triangulated once and then recoloured
// through per-instance attributes (the way Cesium's own StaticGeometryColorBatch does it), tiles
// through Cesium3DTileStyle. Only a change of the geometry itself (height offset, line width,
// outline on/off) builds a new batch, swapped in when ready so the layer never blinks.
import {
  Cartesian2,
  Cartesian3,
  Cesium3DTileFeature,
  Cesium3DTileStyle,
  Cesium3DTileset,
  Color,
  ColorGeometryInstanceAttribute,
  DistanceDisplayCondition,
  GeometryInstance,
  HorizontalOrigin,
  LabelCollection,
  LabelStyle,
  PerInstanceColorAppearance,
  PointPrimitiveCollection,
  PolygonGeometry,
  PolygonHierarchy,
  PolylineColorAppearance,
  PolylineGeometry,
  Primitive,
  PrimitiveCollection,
  ShowGeometryInstanceAttribute,
  VerticalOrigin,
  type Scene,
} from "cesium";
import type { I18n, LayerSpec, LayerStyle } from "../domain/catalog";
import { describeTileFailure, preflightTileset } from "./tilesCheck";
import { clusterCellForHeight, clusterPoints } from "../domain/cluster";
import type { ParsedLayer } from "../domain/geojson";
import type { PickedFeature } from "../domain/state";
import {
  colorFor,
  extrusionFor,
  HIGHLIGHT_COLOR,
  hiddenByFilter,
  outlineOpacity,
  outlineRule,
  parseHex,
  tilesStyleJson,
  type Rgba,
} from "../domain/style";
import type { CreateArgs, Created, LayerRenderer, SceneHooks } from "./contract";
import { M, MessageError } from "../domain/messages";

export interface RenderContext extends SceneHooks {
  scene: Scene;
}

/** Renders since module load that built a new vector batch (triangulation); for tests/bench. */
export const batchStats = { built: 0, restyledInPlace: 0 };

const toColor = (c: Rgba) => new Color(c[0], c[1], c[2], c[3]);
function setRgba(out: Color, c: Rgba): Color {
  out.red = c[0];
  out.green = c[1];
  out.blue = c[2];
  out.alpha = c[3];
  return out;
}
const PICK_HIGHLIGHT = parseHex(HIGHLIGHT_COLOR);

/** Pick ids: `layer#feature` or, for the 2nd+ part of a multi-part feature, `layer#feature/part`. */
export const pickId = (layerId: string, index: number, part = 0) => (part ? `${layerId}#${index}/${part}` : `${layerId}#${index}`);
export function parsePickId(id: unknown): { layerId: string; index: number } | undefined {
  if (typeof id !== "string") return undefined;
  const k = id.lastIndexOf("#");
  if (k < 0) return undefined;
  const index = Number(id.slice(k + 1).replace(/\/\d+$/, ""));
  return Number.isInteger(index) ? { layerId: id.slice(0, k), index } : undefined;
}

function positions(coords: Float64Array, start: number, count: number, h: number): Cartesian3[] {
  const out: Cartesian3[] = new Array(count);
  for (let i = 0; i < count; i++) out[i] = Cartesian3.fromDegrees(coords[2 * (start + i)], coords[2 * (start + i) + 1], h);
  return out;
}

type AppearanceKind = "polygon" | "extruded" | "polyline";
const appearanceFor = (kind: AppearanceKind, translucent: boolean) =>
  kind === "polyline"
    ? new PolylineColorAppearance({ translucent })
    : new PerInstanceColorAppearance({ flat: kind === "polygon", translucent, closed: false });

/**
 * A batch of geometry instances drawn by one Primitive, built once. Colours and show flags are
 * per-instance attributes, rewritten in place by `recolor`; the appearance (opaque or
 * translucent pass) is swapped without touching the geometry. A rebuild (new geometry) swaps in
 * the new primitive when it is ready, driven by the scene's postRender event.
 */
class InstanceBatch {
  private current?: Primitive;
  private pending?: Primitive;
  private ids: string[] = [];
  private pendingIds: string[] = [];
  /** Feature index of every instance (several parts may belong to one feature). */
  private features: number[] = [];
  private pendingFeatures: number[] = [];
  private colors: Rgba[] = [];
  private translucent = false;
  private offFrame?: () => void;
  private highlighted?: number;

  constructor(
    private readonly ctx: RenderContext,
    private readonly collection: PrimitiveCollection,
    /** Set before `build`: extruded footprints need a lit appearance and normals. */
    public kind: AppearanceKind,
  ) {}

  /** Builds new geometry. `colors[i]` is the colour of `instances[i]`. */
  build(instances: GeometryInstance[], features: number[], colors: Rgba[]) {
    batchStats.built++;
    if (this.pending) this.collection.remove(this.pending);
    this.pending = undefined;
    this.colors = colors;
    if (instances.length === 0) {
      if (this.current) this.collection.remove(this.current);
      this.current = undefined;
      this.ids = [];
      this.features = [];
      return;
    }
    this.translucent = colors.some((c) => c[3] < 0.999);
    const p = new Primitive({
      geometryInstances: instances,
      appearance: appearanceFor(this.kind, this.translucent),
      asynchronous: true,
      releaseGeometryInstances: true,
    });
    this.pending = p;
    this.pendingIds = instances.map((i) => i.id as string);
    this.pendingFeatures = features;
    this.collection.add(p);
    this.watch();
  }

  /** Advance by frames until the pending primitive is ready, then swap it in. */
  private watch() {
    if (this.offFrame) return;
    this.offFrame = this.ctx.onPostRender(() => {
      const p = this.pending;
      if (!p || p.isDestroyed()) return this.unwatch();
      if (!p.ready) return this.ctx.requestRender();
      if (this.current) this.collection.remove(this.current);
      this.current = p;
      this.ids = this.pendingIds;
      this.features = this.pendingFeatures;
      this.pending = undefined;
      // Colours asked for while the batch was building.
      this.applyColors();
      this.unwatch();
      this.ctx.requestRender();
    });
    this.ctx.requestRender();
  }
  private unwatch() {
    this.offFrame?.();
    this.offFrame = undefined;
  }

  /** New colours for the same geometry: attribute writes only, no triangulation. */
  recolor(colors: Rgba[]) {
    batchStats.restyledInPlace++;
    this.colors = colors;
    if (this.current && !this.pending) this.applyColors();
  }

  private applyColors() {
    const p = this.current;
    if (!p || !p.ready) return;
    const translucent = this.colors.some(
      (c, i) => c[3] < 0.999 && (this.highlighted === undefined || this.features[i] !== this.highlighted),
    );
    if (translucent !== this.translucent) {
      // Opaque ↔ translucent pass: new render state and shader, same vertex buffers.
      this.translucent = translucent;
      p.appearance = appearanceFor(this.kind, translucent);
    }
    const color = new Color();
    for (let i = 0; i < this.ids.length; i++) {
      const a = p.getGeometryInstanceAttributes(this.ids[i]);
      if (!a) continue;
      const c = this.highlighted === this.features[i] ? PICK_HIGHLIGHT : this.colors[i];
      const show = c[3] > 0.001;
      a.show = ShowGeometryInstanceAttribute.toValue(show, a.show);
      if (show) a.color = ColorGeometryInstanceAttribute.toValue(setRgba(color, c), a.color);
    }
    this.ctx.requestRender();
  }

  highlight(feature: number | undefined) {
    if (feature === this.highlighted) return;
    this.highlighted = feature;
    this.applyColors();
  }

  ready(): boolean {
    return !this.pending && (!this.current || this.current.ready);
  }
  destroy() {
    this.unwatch();
  }
}

/** What changes the geometry of a vector batch (anything else is a recolour). */
function geometryKey(style: LayerStyle): string {
  return `${style.heightOffsetM ?? 0}|${style.lineWidthPx ?? 2}|${style.outlineColor ? 1 : 0}|${JSON.stringify(style.extrude ?? null)}`;
}

abstract class VectorRenderer implements LayerRenderer {
  protected readonly collection = new PrimitiveCollection();
  private pickedIndex?: number;
  constructor(
    protected readonly ctx: RenderContext,
    protected readonly spec: LayerSpec,
    protected readonly data: ParsedLayer,
  ) {
    ctx.scene.primitives.add(this.collection);
  }
  get layerId() {
    return this.spec.id;
  }
  setShow(show: boolean) {
    this.collection.show = show;
    this.ctx.requestRender();
  }
  abstract setStyle(style: LayerStyle, opacity: number): void;
  abstract drawn(): boolean;
  protected abstract highlight(index: number | undefined): void;
  pick(picked: unknown): PickedFeature | undefined {
    const id = parsePickId((picked as { id?: unknown } | undefined)?.id);
    if (!id || id.layerId !== this.spec.id || id.index < 0 || id.index >= this.data.ids.length) return undefined;
    this.pickedIndex = id.index;
    this.highlight(id.index);
    return { layerId: this.spec.id, featureId: this.data.ids[id.index], properties: this.data.props[id.index] };
  }
  clearPick() {
    if (this.pickedIndex === undefined) return;
    this.pickedIndex = undefined;
    this.highlight(undefined);
  }
  destroy() {
    if (!this.ctx.scene.isDestroyed()) this.ctx.scene.primitives.remove(this.collection);
    this.ctx.requestRender();
  }
}

export class PolygonRenderer extends VectorRenderer {
  private fill = new InstanceBatch(this.ctx, this.collection, "polygon");
  private outline = new InstanceBatch(this.ctx, this.collection, "polyline");
  private geometry?: string;

  setStyle(style: LayerStyle, opacity: number) {
    const { parts, props } = this.data;
    const fillColors: Rgba[] = [];
    const features: number[] = [];
    for (let k = 0; k < parts.length; k += 3) {
      features.push(parts[k]);
      fillColors.push(colorFor(style.color, props[parts[k]], opacity));
    }
    const rule = outlineRule(style);
    const outline = rule ? colorFor(rule, undefined, outlineOpacity(opacity)) : undefined;
    // A feature the inspector's filter hides loses its outline too.
    const outlineColors = outline
      ? features.map((f): Rgba => (hiddenByFilter(style.color, props[f]) ? [outline[0], outline[1], outline[2], 0] : outline))
      : [];
    const key = geometryKey(style);
    if (key === this.geometry) {
      this.fill.recolor(fillColors);
      this.outline.recolor(outlineColors);
      return;
    }
    this.geometry = key;
    this.buildGeometry(style, features, fillColors, outlineColors);
  }

  private buildGeometry(style: LayerStyle, features: number[], fillColors: Rgba[], outlineColors: Rgba[]) {
    const { coords, parts, rings, props } = this.data;
    const h = style.heightOffsetM ?? 0;
    const fills: GeometryInstance[] = [];
    const lines: GeometryInstance[] = [];
    const partOf = new Map<number, number>();
    // Footprints with style.extrude (imported buildings with heights) become lit prisms.
    const extruded = !!style.extrude;
    let ringCursor = 0;
    for (let k = 0, i = 0; k < parts.length; k += 3, i++) {
      const fi = parts[k];
      const part = partOf.get(fi) ?? 0;
      partOf.set(fi, part + 1);
      let start = parts[k + 1];
      const ringCount = parts[k + 2];
      const ringPositions: Cartesian3[][] = [];
      for (let r = 0; r < ringCount; r++) {
        const n = rings![ringCursor++];
        ringPositions.push(positions(coords, start, n, h));
        start += n;
      }
      const id = pickId(this.spec.id, fi, part);
      fills.push(
        new GeometryInstance({
          geometry: new PolygonGeometry({
            polygonHierarchy: new PolygonHierarchy(
              ringPositions[0],
              ringPositions.slice(1).map((p) => new PolygonHierarchy(p)),
            ),
            height: h,
            extrudedHeight: extruded ? h + (extrusionFor(style, props[fi]) ?? 0) : undefined,
            perPositionHeight: false,
            vertexFormat: extruded ? PerInstanceColorAppearance.VERTEX_FORMAT : PerInstanceColorAppearance.FLAT_VERTEX_FORMAT,
          }),
          id,
          attributes: {
            color: ColorGeometryInstanceAttribute.fromColor(toColor(fillColors[i])),
            show: new ShowGeometryInstanceAttribute(fillColors[i][3] > 0.001),
          },
        }),
      );
      if (outlineColors.length)
        lines.push(
          new GeometryInstance({
            geometry: new PolylineGeometry({
              positions: ringPositions[0],
              width: 1.5,
              vertexFormat: PolylineColorAppearance.VERTEX_FORMAT,
            }),
            id,
            attributes: {
              color: ColorGeometryInstanceAttribute.fromColor(toColor(outlineColors[i])),
              show: new ShowGeometryInstanceAttribute(outlineColors[i][3] > 0.001),
            },
          }),
        );
    }
    this.fill.kind = extruded ? "extruded" : "polygon";
    this.fill.build(fills, features, fillColors);
    this.outline.build(lines, features, outlineColors);
  }
  protected highlight(index: number | undefined) {
    this.fill.highlight(index);
  }
  drawn() {
    return this.fill.ready() && this.outline.ready();
  }
  waitingFor() {
    return "building the polygon batch";
  }
  destroy() {
    this.fill.destroy();
    this.outline.destroy();
    super.destroy();
  }
}

export class LineRenderer extends VectorRenderer {
  private batch = new InstanceBatch(this.ctx, this.collection, "polyline");
  private geometry?: string;
  setStyle(style: LayerStyle, opacity: number) {
    const { coords, parts, props } = this.data;
    const colors: Rgba[] = [];
    const features: number[] = [];
    for (let k = 0; k < parts.length; k += 3) {
      features.push(parts[k]);
      colors.push(colorFor(style.color, props[parts[k]], opacity));
    }
    const key = geometryKey(style);
    if (key === this.geometry) return this.batch.recolor(colors);
    this.geometry = key;
    const h = style.heightOffsetM ?? 0;
    const width = style.lineWidthPx ?? 2;
    const partOf = new Map<number, number>();
    const instances: GeometryInstance[] = [];
    for (let k = 0, i = 0; k < parts.length; k += 3, i++) {
      const fi = parts[k];
      const part = partOf.get(fi) ?? 0;
      partOf.set(fi, part + 1);
      instances.push(
        new GeometryInstance({
          geometry: new PolylineGeometry({
            positions: positions(coords, parts[k + 1], parts[k + 2], h),
            width,
            vertexFormat: PolylineColorAppearance.VERTEX_FORMAT,
          }),
          id: pickId(this.spec.id, fi, part),
          attributes: {
            color: ColorGeometryInstanceAttribute.fromColor(toColor(colors[i])),
            show: new ShowGeometryInstanceAttribute(colors[i][3] > 0.001),
          },
        }),
      );
    }
    this.batch.build(instances, features, colors);
  }
  protected highlight(index: number | undefined) {
    this.batch.highlight(index);
  }
  drawn() {
    return this.batch.ready();
  }
  waitingFor() {
    return "building the line batch";
  }
  destroy() {
    this.batch.destroy();
    super.destroy();
  }
}

/** Points in a PointPrimitiveCollection, clustered on a ground grid when the camera is high. */
export class PointRenderer extends VectorRenderer {
  private points = new PointPrimitiveCollection();
  private clusters = new PointPrimitiveCollection();
  private labels = new LabelCollection();
  private style?: LayerStyle;
  private opacity = 1;
  private cellM?: number;
  private highlighted?: number;
  private geometry?: string;
  private shown: boolean[] = [];

  constructor(ctx: RenderContext, spec: LayerSpec, data: ParsedLayer) {
    super(ctx, spec, data);
    this.collection.add(this.points);
    this.collection.add(this.clusters);
    this.collection.add(this.labels);
  }
  setStyle(style: LayerStyle, opacity: number) {
    this.style = style;
    this.opacity = opacity;
    const { coords, props } = this.data;
    const h = style.heightOffsetM ?? 0;
    const outline = style.outlineColor ? toColor(colorFor({ type: "constant", color: style.outlineColor }, undefined, opacity)) : undefined;
    const key = `${h}|${style.pointSizePx ?? 8}|${outline ? 1 : 0}`;
    // Points the inspector's filter hides are not drawn and not clustered.
    this.shown = props.map((pr) => !hiddenByFilter(style.color, pr));
    if (key === this.geometry) {
      // Same positions and sizes: recolour the existing points.
      for (let i = 0; i < this.points.length; i++) {
        const p = this.points.get(i);
        p.color = toColor(colorFor(style.color, props[i], opacity));
        p.show = this.shown[i];
        if (outline) p.outlineColor = outline;
      }
    } else {
      this.geometry = key;
      this.points.removeAll();
      for (let i = 0; i < this.data.ids.length; i++) {
        this.points.add({
          position: Cartesian3.fromDegrees(coords[2 * i], coords[2 * i + 1], h),
          color: toColor(colorFor(style.color, props[i], opacity)),
          show: this.shown[i],
          pixelSize: style.pointSizePx ?? 8,
          outlineColor: outline,
          outlineWidth: outline ? 1.5 : 0,
          // Markers sit on the flat ground; without this the ground clips them in half.
          disableDepthTestDistance: Number.POSITIVE_INFINITY,
          id: pickId(this.spec.id, i),
        });
      }
    }
    if (this.highlighted !== undefined) this.highlight(this.highlighted);
    this.renderClusters();
  }
  onCamera(heightM: number) {
    if (!this.style?.cluster) return;
    const cell = clusterCellForHeight(heightM);
    // Re-cluster only when the cell size changes noticeably (zoom), not on every pan.
    if (cell === this.cellM || (cell && this.cellM && Math.abs(cell / this.cellM - 1) < 0.25)) return;
    this.cellM = cell;
    this.renderClusters();
  }
  private renderClusters() {
    this.clusters.removeAll();
    this.labels.removeAll();
    const clustered = !!this.style?.cluster && this.cellM !== undefined;
    this.points.show = !clustered;
    if (clustered && this.style) {
      const h = (this.style.heightOffsetM ?? 0) + 2;
      for (const c of clusterPoints(this.data.coords, this.cellM!, this.shown)) {
        const pos = Cartesian3.fromDegrees(c.lonDeg, c.latDeg, h);
        if (c.count === 1) {
          this.clusters.add({
            position: pos,
            color: toColor(colorFor(this.style.color, this.data.props[c.first], this.opacity)),
            pixelSize: this.style.pointSizePx ?? 8,
            disableDepthTestDistance: Number.POSITIVE_INFINITY,
            id: pickId(this.spec.id, c.first),
          });
          continue;
        }
        const size = Math.min(44, 16 + 6 * Math.log2(c.count));
        // A cluster takes the colour of its first member when the layer is highlighted, so a
        // KPI or chart click shows at every zoom, not only once the clusters break up.
        const highlighted = this.style.color.type === "highlight";
        this.clusters.add({
          position: pos,
          color: highlighted
            ? toColor(colorFor(this.style.color, this.data.props[c.first], this.opacity))
            : Color.fromCssColorString("#0e7dd6").withAlpha(0.85 * this.opacity),
          outlineColor: Color.fromCssColorString("#8fe3ff").withAlpha(this.opacity),
          outlineWidth: 2,
          pixelSize: size,
          disableDepthTestDistance: Number.POSITIVE_INFINITY,
          id: pickId(this.spec.id, c.first),
        });
        this.labels.add({
          position: pos,
          text: String(c.count),
          font: "600 13px sans-serif",
          fillColor: Color.WHITE,
          outlineColor: Color.BLACK,
          outlineWidth: 2,
          style: LabelStyle.FILL_AND_OUTLINE,
          horizontalOrigin: HorizontalOrigin.CENTER,
          verticalOrigin: VerticalOrigin.CENTER,
          pixelOffset: Cartesian2.ZERO,
          disableDepthTestDistance: Number.POSITIVE_INFINITY,
          distanceDisplayCondition: new DistanceDisplayCondition(0, 1e7),
        });
      }
    }
    this.ctx.requestRender();
  }
  protected highlight(index: number | undefined) {
    if (this.highlighted !== undefined && this.highlighted < this.points.length) {
      const p = this.points.get(this.highlighted);
      p.pixelSize = this.style?.pointSizePx ?? 8;
      p.outlineColor = Color.fromCssColorString(this.style?.outlineColor ?? "#000000");
      p.outlineWidth = this.style?.outlineColor ? 1.5 : 0;
    }
    this.highlighted = index;
    if (index !== undefined && index < this.points.length) {
      const p = this.points.get(index);
      p.pixelSize = (this.style?.pointSizePx ?? 8) * 1.8;
      p.outlineColor = Color.YELLOW;
      p.outlineWidth = 3;
    }
    this.ctx.requestRender();
  }
  drawn() {
    return true;
  }
}

/**
 * Options every tileset of ours is created with.
 * - No shadows: deep-blue city blocks at night should not flicker from lighting.
 * - The dynamic environment map stays on. Turning it off (`environmentMapOptions: {enabled:
 *   false}`) cut seconds of start-up on SwiftShader (no sky cube map, no read-back, no shader
 *   recompiles), but a scene that had stopped kept rendering ~3 frames a second: the presenter
 *   test's still-scene check caught it (10 frames in 3 s, with the option; 0–2 without it).
 *   Until that is understood, a still kiosk drawing nothing matters more.
 */
export const TILESET_OPTIONS = { shadows: 0 } as const;

/**
 * Marks the page's timeline (`warmcity:first-tile:<name>`, performance.getEntriesByType("mark"))
 * after the first frame that drew one of the tileset's tiles: the city shows from then on,
 * streamed by screen-space error, while finer tiles keep loading until ready.
 */
export function markFirstDrawnTile(ctx: RenderContext, tileset: Cesium3DTileset, name: string): void {
  const offVisible = tileset.tileVisible.addEventListener(() => {
    offVisible();
    const offPost = ctx.onPostRender(() => {
      offPost();
      performance.mark(`warmcity:first-tile:${name}`);
    });
  });
}

/** Buildings and other pre-baked content through Cesium3DTileset, styled from the manifest. */
export class TilesRenderer implements LayerRenderer {
  private picked?: { feature: Cesium3DTileFeature; restore: Color };
  private failures = 0;
  private constructor(
    private readonly ctx: RenderContext,
    readonly layerId: string,
    readonly tileset: Cesium3DTileset,
  ) {}
  /** Features in the tiles loaded so far (for tilesets that do not state their total). */
  loadedFeatures = 0;
  static async create(
    ctx: RenderContext,
    spec: LayerSpec,
    url: string,
    sse: number,
    reportError: (reason: string | I18n) => void,
  ): Promise<TilesRenderer> {
    await preflightTileset(url);
    const tileset = await Cesium3DTileset.fromUrl(url, { ...TILESET_OPTIONS, maximumScreenSpaceError: sse });
    if (ctx.scene.isDestroyed()) throw new Error("scene destroyed while loading");
    ctx.scene.primitives.add(tileset);
    markFirstDrawnTile(ctx, tileset, spec.id);
    const r = new TilesRenderer(ctx, spec.id, tileset);
    tileset.tileLoad.addEventListener(() => ctx.requestRender());
    tileset.allTilesLoaded.addEventListener(() => ctx.requestRender());
    // Cesium only raises an event for a content file it cannot use; fetch it and say which file
    // and why (missing, not a glb, truncated). Having a listener also stops Cesium logging it.
    tileset.tileFailed.addEventListener((e: { url?: string; message?: string }) => {
      r.failures++;
      void describeTileFailure(e.url ?? "", String(e.message ?? "")).then(reportError);
      ctx.requestRender();
    });
    tileset.tileLoad.addEventListener(
      (tile: { content?: { featuresLength?: number } }) => (r.loadedFeatures += tile.content?.featuresLength ?? 0),
    );
    tileset.tileUnload.addEventListener(
      (tile: { content?: { featuresLength?: number } }) => (r.loadedFeatures -= tile.content?.featuresLength ?? 0),
    );
    return r;
  }
  setShow(show: boolean) {
    this.tileset.show = show;
    this.ctx.requestRender();
  }
  setStyle(style: LayerStyle, opacity: number) {
    this.tileset.style = new Cesium3DTileStyle(tilesStyleJson(style.color, opacity));
    this.ctx.requestRender();
  }
  setMaximumScreenSpaceError(sse: number) {
    this.tileset.maximumScreenSpaceError = sse;
  }
  drawn() {
    return this.tileset.tilesLoaded;
  }
  waitingFor() {
    return "tiles loading";
  }
  pick(picked: unknown): PickedFeature | undefined {
    if (!(picked instanceof Cesium3DTileFeature) || picked.tileset !== this.tileset) return undefined;
    const properties: Record<string, unknown> = {};
    for (const name of picked.getPropertyIds()) properties[name] = picked.getProperty(name);
    this.picked = { feature: picked, restore: Color.clone(picked.color) };
    picked.color = toColor(PICK_HIGHLIGHT);
    this.ctx.requestRender();
    return { layerId: this.layerId, featureId: String(properties.id ?? picked.featureId), properties };
  }
  clearPick() {
    if (!this.picked) return;
    // The tile may have been unloaded since; its feature is then gone with it.
    try {
      this.picked.feature.color = this.picked.restore;
    } catch {
      /* tile unloaded */
    }
    this.picked = undefined;
    this.ctx.requestRender();
  }
  destroy() {
    if (!this.ctx.scene.isDestroyed()) this.ctx.scene.primitives.remove(this.tileset);
    this.ctx.requestRender();
  }
}

// ---------------------------------------------------------------------------------------------
// Factories (registered by kind in ./registry)
// ---------------------------------------------------------------------------------------------

export async function createTiles(a: CreateArgs<RenderContext>): Promise<Created> {
  const renderer = await TilesRenderer.create(a.ctx, a.spec, a.resolveUrl(a.spec.url), a.maximumScreenSpaceError, a.reportError);
  // The baker records how many features the tileset holds in asset.extras.
  const extras = (renderer.tileset.asset as { extras?: { featureCount?: number; buildings?: number } } | undefined)?.extras;
  const stated = extras?.featureCount ?? extras?.buildings;
  if (stated !== undefined) return { renderer, featureCount: stated, skipped: 0 };
  // A third-party tileset does not say how many features it holds: count what the first view loads.
  await new Promise<void>((resolve) => {
    const off = renderer.tileset.allTilesLoaded.addEventListener(() => (off(), resolve()));
    setTimeout(() => (off(), resolve()), 30_000);
    a.ctx.requestRender();
  });
  return { renderer, featureCount: renderer.loadedFeatures, skipped: 0 };
}

/** A factory for GeoJSON-backed vector layers: load + parse (worker), then the renderer. */
export function vectorFactory(make: (ctx: RenderContext, spec: LayerSpec, data: ParsedLayer) => LayerRenderer) {
  return async (a: CreateArgs<RenderContext>): Promise<Created> => {
    const data = await a.loadVector(a.spec, a.onProgress);
    // An empty layer is a valid answer (e.g. an analysis that finds no gaps); a layer whose
    // every feature was unusable is an error.
    if (data.ids.length === 0 && data.skipped) throw new MessageError(M.allUnusable(data.skipped, data.skippedWhy));
    if (a.ctx.scene.isDestroyed()) throw new Error("scene destroyed while loading");
    return { renderer: make(a.ctx, a.spec, data), featureCount: data.ids.length, skipped: data.skipped };
  };
}
