// One renderer per layer kind. Each owns its Cesium objects, keyed by layer id in the
// LayerManager; data is parsed once (in the worker) and kept, so toggling, opacity and style
// changes rebuild GPU batches at most — never re-fetch.
import {
  Cartesian2,
  Cartesian3,
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
  VerticalOrigin,
  type Scene,
} from "cesium";
import type { LayerSpec, LayerStyle } from "../domain/catalog";
import { clusterCellForHeight, clusterPoints } from "../domain/cluster";
import type { ParsedLayer } from "../domain/geojson";
import { colorFor, extrusionFor, tilesStyleJson, type Rgba } from "../domain/style";

export interface RenderContext {
  scene: Scene;
  /** Called when a renderer changed something and the scene must be drawn again. */
  requestRender: () => void;
}

export interface LayerRenderer {
  readonly layerId: string;
  setShow(show: boolean): void;
  /** Apply a style/opacity; may rebuild batches from kept data. */
  setStyle(style: LayerStyle, opacity: number): void;
  /** True once everything the layer shows is on the GPU (primitives ready, tiles loaded). */
  drawn(): boolean;
  /** Properties of feature `index`, for picking. */
  featureProps(index: number): { id: string; props: Record<string, unknown> } | undefined;
  /** Called on camera changes (clustering). */
  onCamera?(heightM: number): void;
  highlight?(index: number | undefined): void;
  destroy(): void;
}

const toColor = (c: Rgba) => new Color(c[0], c[1], c[2], c[3]);
export const pickId = (layerId: string, index: number) => `${layerId}#${index}`;
export function parsePickId(id: unknown): { layerId: string; index: number } | undefined {
  if (typeof id !== "string") return undefined;
  const k = id.lastIndexOf("#");
  if (k < 0) return undefined;
  const index = Number(id.slice(k + 1));
  return Number.isInteger(index) ? { layerId: id.slice(0, k), index } : undefined;
}

function positions(coords: Float64Array, start: number, count: number, h: number): Cartesian3[] {
  const out: Cartesian3[] = new Array(count);
  for (let i = 0; i < count; i++) out[i] = Cartesian3.fromDegrees(coords[2 * (start + i)], coords[2 * (start + i) + 1], h);
  return out;
}

/**
 * A batch of geometry instances drawn by one Primitive. Rebuilding swaps in a new primitive
 * once it is ready, so a style change never blanks the layer.
 */
class PrimitiveBatch {
  private current?: Primitive;
  private pending?: Primitive;
  constructor(
    private readonly ctx: RenderContext,
    private readonly collection: PrimitiveCollection,
  ) {}
  build(instances: GeometryInstance[], appearance: PerInstanceColorAppearance | PolylineColorAppearance) {
    if (this.pending) this.collection.remove(this.pending);
    if (instances.length === 0) {
      if (this.current) this.collection.remove(this.current);
      this.current = undefined;
      this.pending = undefined;
      return;
    }
    const p = new Primitive({ geometryInstances: instances, appearance, asynchronous: true, releaseGeometryInstances: true });
    this.pending = p;
    this.collection.add(p);
    const swap = () => {
      if (p.isDestroyed() || this.pending !== p) return;
      if (!p.ready) {
        setTimeout(swap, 50);
        this.ctx.requestRender();
        return;
      }
      if (this.current) this.collection.remove(this.current);
      this.current = p;
      this.pending = undefined;
      this.ctx.requestRender();
    };
    swap();
  }
  ready(): boolean {
    return !this.pending && (!this.current || this.current.ready);
  }
  primitive(): Primitive | undefined {
    return this.current;
  }
}

abstract class VectorRenderer implements LayerRenderer {
  protected readonly collection = new PrimitiveCollection();
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
  featureProps(index: number) {
    if (index < 0 || index >= this.data.ids.length) return undefined;
    return { id: this.data.ids[index], props: this.data.props[index] };
  }
  destroy() {
    if (!this.ctx.scene.isDestroyed()) this.ctx.scene.primitives.remove(this.collection);
    this.ctx.requestRender();
  }
}

export class PolygonRenderer extends VectorRenderer {
  private fill = new PrimitiveBatch(this.ctx, this.collection);
  private outline = new PrimitiveBatch(this.ctx, this.collection);

  setStyle(style: LayerStyle, opacity: number) {
    const { coords, parts, rings, props } = this.data;
    const h = style.heightOffsetM ?? 0;
    const fills: GeometryInstance[] = [];
    const lines: GeometryInstance[] = [];
    const outline = style.outlineColor ? colorFor({ type: "constant", color: style.outlineColor }, undefined, Math.min(1, opacity * 1.6)) : undefined;
    // Footprints with style.extrude (imported buildings with heights) become lit prisms.
    const extruded = !!style.extrude;
    let ringCursor = 0;
    for (let k = 0; k < parts.length; k += 3) {
      const fi = parts[k];
      let start = parts[k + 1];
      const ringCount = parts[k + 2];
      const ringPositions: Cartesian3[][] = [];
      for (let r = 0; r < ringCount; r++) {
        const n = rings![ringCursor++];
        ringPositions.push(positions(coords, start, n, h));
        start += n;
      }
      const c = colorFor(style.color, props[fi], opacity);
      if (c[3] > 0.001)
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
            id: pickId(this.spec.id, fi),
            attributes: { color: ColorGeometryInstanceAttribute.fromColor(toColor(c)) },
          }),
        );
      if (outline)
        lines.push(
          new GeometryInstance({
            geometry: new PolylineGeometry({
              positions: ringPositions[0],
              width: 1.5,
              vertexFormat: PolylineColorAppearance.VERTEX_FORMAT,
            }),
            id: pickId(this.spec.id, fi),
            attributes: { color: ColorGeometryInstanceAttribute.fromColor(toColor(outline)) },
          }),
        );
    }
    const translucent = opacity < 1 || fills.length > 0 && colorFor(style.color, props[0], 1)[3] < 1;
    this.fill.build(fills, new PerInstanceColorAppearance({ flat: !extruded, translucent, closed: false }));
    this.outline.build(lines, new PolylineColorAppearance({ translucent: true }));
  }
  drawn() {
    return this.fill.ready() && this.outline.ready();
  }
}

export class LineRenderer extends VectorRenderer {
  private batch = new PrimitiveBatch(this.ctx, this.collection);
  setStyle(style: LayerStyle, opacity: number) {
    const { coords, parts, props } = this.data;
    const h = style.heightOffsetM ?? 0;
    const width = style.lineWidthPx ?? 2;
    const instances: GeometryInstance[] = [];
    for (let k = 0; k < parts.length; k += 3) {
      const fi = parts[k];
      instances.push(
        new GeometryInstance({
          geometry: new PolylineGeometry({
            positions: positions(coords, parts[k + 1], parts[k + 2], h),
            width,
            vertexFormat: PolylineColorAppearance.VERTEX_FORMAT,
            arcType: undefined,
          }),
          id: pickId(this.spec.id, fi),
          attributes: { color: ColorGeometryInstanceAttribute.fromColor(toColor(colorFor(style.color, props[fi], opacity))) },
        }),
      );
    }
    this.batch.build(instances, new PolylineColorAppearance({ translucent: opacity < 1 }));
  }
  drawn() {
    return this.batch.ready();
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
    this.points.removeAll();
    for (let i = 0; i < this.data.ids.length; i++) {
      this.points.add({
        position: Cartesian3.fromDegrees(coords[2 * i], coords[2 * i + 1], h),
        color: toColor(colorFor(style.color, props[i], opacity)),
        pixelSize: style.pointSizePx ?? 8,
        outlineColor: outline,
        outlineWidth: outline ? 1.5 : 0,
        // Markers sit on the flat ground; without this the ground clips them in half.
        disableDepthTestDistance: Number.POSITIVE_INFINITY,
        id: pickId(this.spec.id, i),
      });
    }
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
      for (const c of clusterPoints(this.data.coords, this.cellM!)) {
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
  highlight(index: number | undefined) {
    if (this.highlighted !== undefined && this.highlighted < this.points.length) {
      const p = this.points.get(this.highlighted);
      p.pixelSize = this.style?.pointSizePx ?? 8;
      p.outlineColor = Color.fromCssColorString(this.style?.outlineColor ?? "#000000");
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

/** Buildings and other pre-baked content through Cesium3DTileset, styled from the manifest. */
export class TilesRenderer implements LayerRenderer {
  private highlightedFeature?: { setColor: (c: Color) => void; restore: Color };
  private constructor(
    private readonly ctx: RenderContext,
    readonly layerId: string,
    readonly tileset: Cesium3DTileset,
  ) {}
  static async create(ctx: RenderContext, spec: LayerSpec, url: string, sse: number): Promise<TilesRenderer> {
    const tileset = await Cesium3DTileset.fromUrl(url, {
      maximumScreenSpaceError: sse,
      // Deep-blue city blocks at night should not flicker from lighting: keep it flat-ish.
      shadows: 0,
    });
    if (ctx.scene.isDestroyed()) throw new Error("scene destroyed while loading");
    ctx.scene.primitives.add(tileset);
    tileset.tileLoad.addEventListener(() => ctx.requestRender());
    tileset.allTilesLoaded.addEventListener(() => ctx.requestRender());
    return new TilesRenderer(ctx, spec.id, tileset);
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
  featureProps() {
    return undefined;
  }
  highlightFeature(feature: { color: Color } | undefined) {
    if (this.highlightedFeature) this.highlightedFeature.setColor(this.highlightedFeature.restore);
    this.highlightedFeature = undefined;
    if (feature) {
      const restore = Color.clone(feature.color);
      this.highlightedFeature = { setColor: (c) => (feature.color = c), restore };
      feature.color = Color.fromCssColorString("#ffd54a");
    }
    this.ctx.requestRender();
  }
  destroy() {
    if (!this.ctx.scene.isDestroyed()) this.ctx.scene.primitives.remove(this.tileset);
    this.ctx.requestRender();
  }
}
