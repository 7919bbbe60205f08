// The inspector's scene: pipes as tubes and network nodes as shafts at their depth, underground
// mode (translucent globe, camera below the surface, a ground-level reference grid), the
// excavation pit (globe + tileset clipping polygons, walls and floor), measurement graphics and
// the selection marker. It owns its Cesium objects and reconciles them with plain app state.
//
// Tubes are BATCHED, not baked: one Primitive of PolylineVolumeGeometry instances per pipe
// layer (shafts: CylinderGeometry instances), built in Cesium's geometry workers only when they
// can be seen — in underground mode, or near a pit — and filtered/highlighted in place through
// per-instance show/colour attributes. Diameter exaggeration rebuilds the geometry.
import {
  BoundingSphere,
  Cartesian2,
  Cartesian3,
  Cartographic,
  ClippingPolygon,
  ClippingPolygonCollection,
  Color,
  ColorGeometryInstanceAttribute,
  CornerType,
  Cesium3DTileset,
  CylinderGeometry,
  GeometryInstance,
  LabelCollection,
  LabelStyle,
  Material,
  MaterialAppearance,
  Math as CMath,
  PerInstanceColorAppearance,
  PolygonGeometry,
  PolygonHierarchy,
  PolylineCollection,
  PolylineColorAppearance,
  PolylineGeometry,
  PolylineVolumeGeometry,
  Primitive,
  PrimitiveCollection,
  ShowGeometryInstanceAttribute,
  Transforms,
  VertexFormat,
  VerticalOrigin,
  WallGeometry,
  type Scene,
  type Viewer,
} from "cesium";
import type { LayerSpec } from "../../domain/catalog";
import type { ParsedLayer } from "../../domain/geojson";
import { matchesFilter } from "../../domain/inspector/filter";
import { inspectorOf, type InspectorState } from "../../domain/inspector/state";
import type { AppState, PickedFeature } from "../../domain/state";
import { colorFor } from "../../domain/style";
import { tilesetsIn } from "../sceneStats";

export type DataSource = (layerId: string) => Promise<ParsedLayer | undefined>;

const PICK_PREFIX = "ug:";
const HIGHLIGHT = Color.fromCssColorString("#ffd54a");
const PIT_MARGIN_DEG = 0.0008; // ~70 m around a pit: the tubes built when only a pit is open
/** Shaft radii (m) by node type: manholes ≈ Φ1000 wells, valves small, stations as a block. */
const NODE_RADIUS: Record<string, number> = { manhole: 0.5, valve: 0.25, "heat-exchange-station": 2.5 };

interface Batch {
  layerId: string;
  primitive: Primitive;
  /** instance id → feature index */
  features: number[];
  key: string;
}

function circle(r: number, n = 8): Cartesian2[] {
  const out: Cartesian2[] = [];
  for (let i = 0; i < n; i++) out.push(new Cartesian2(r * Math.cos((2 * Math.PI * i) / n), r * Math.sin((2 * Math.PI * i) / n)));
  return out;
}

/**
 * Underground, the tubes are lit by a sun behind the translucent ground and look dull against
 * it: their colours are lifted a fifth of the way towards white (a cheap "emissive" look).
 */
function lift(c: number[], underground: boolean): number[] {
  if (!underground) return c;
  return [c[0] + (1 - c[0]) * 0.2, c[1] + (1 - c[1]) * 0.2, c[2] + (1 - c[2]) * 0.2, c[3] ?? 1];
}

export class UndergroundScene {
  private readonly root = new PrimitiveCollection();
  private readonly tubes = new PrimitiveCollection();
  private readonly pitGroup = new PrimitiveCollection();
  private readonly gridGroup = new PrimitiveCollection();
  private readonly overlay = new PrimitiveCollection();
  private readonly labels: LabelCollection;
  private readonly selLines = new PolylineCollection();
  private batches = new Map<string, Batch>();
  private building = new Set<string>();
  private wanted = new Map<string, string>();
  private lastState?: AppState;
  private lastPitKey = "";
  private lastUnderground = false;
  private saved?: { alpha: number; collision: boolean; translucent: boolean; baseColor: Color };
  private highlighted?: { layerId: string; index: number };
  private destroyed = false;
  private readonly offPost: () => void;
  private readonly specs: Map<string, LayerSpec>;

  constructor(
    private readonly viewer: Viewer,
    catalog: { layers: LayerSpec[] },
    private readonly data: DataSource,
  ) {
    const scene = viewer.scene;
    this.specs = new Map(catalog.layers.map((l) => [l.id, l]));
    this.root.add(this.tubes);
    this.root.add(this.pitGroup);
    this.root.add(this.gridGroup);
    this.root.add(this.overlay);
    this.labels = new LabelCollection({ scene });
    this.root.add(this.labels);
    this.root.add(this.selLines);
    scene.primitives.add(this.root);
    this.offPost = scene.postRender.addEventListener(() => this.onFrame());
  }

  private get scene(): Scene {
    return this.viewer.scene;
  }

  /** Layers drawn underground. */
  undergroundLayers(): LayerSpec[] {
    return [...this.specs.values()].filter((s) => s.underground);
  }

  sync(state: AppState) {
    if (this.destroyed) return;
    this.lastState = state;
    const ins = inspectorOf(state);
    this.applyUnderground(ins);
    this.applyPit(ins);
    // Which tube batches are wanted, and with which geometry key.
    const pit = ins.excavation;
    const mode = ins.underground ? "all" : pit ? `pit:${pit.ring.map((p) => p.join(",")).join(";")}` : "";
    for (const spec of this.undergroundLayers()) {
      const visible = state.layers[spec.id]?.visible;
      const key = mode && visible ? `${mode}|${ins.pipeScale}` : "";
      this.wanted.set(spec.id, key);
      const b = this.batches.get(spec.id);
      // A batch built for another key (a new exaggeration, another pit) stays shown until its
      // replacement is ready and swapped in (onFrame): the tubes never blink out while building.
      if (b) b.primitive.show = !!key;
      // A batch with this key being built, or built and waiting for its primitive to be ready,
      // is not built again (every state change calls sync: without the pending check each one
      // started another full build of the layer while the first was still in the workers).
      const pending = this.pendingSwap.get(spec.id);
      const inFlight = this.building.has(`${spec.id}|${key}`) || (pending?.batch.key === key && !pending.batch.primitive.isDestroyed());
      if (key && (!b || b.key !== key) && !inFlight) void this.build(spec, key, ins);
      if (!key && b) {
        this.tubes.remove(b.primitive);
        this.batches.delete(spec.id);
      }
      if (b && key) this.recolor(b, state);
    }
    this.scene.requestRender();
  }

  private async build(spec: LayerSpec, key: string, ins: InspectorState) {
    const tag = `${spec.id}|${key}`;
    this.building.add(tag);
    try {
      const data = await this.data(spec.id);
      if (this.destroyed || !data || this.wanted.get(spec.id) !== key) return;
      const ug = spec.underground!;
      const scale = ins.pipeScale;
      const pit = ins.underground ? undefined : ins.excavation;
      let box: [number, number, number, number] | undefined;
      if (pit) {
        box = [Infinity, Infinity, -Infinity, -Infinity];
        for (const [x, y] of pit.ring) box = [Math.min(box[0], x), Math.min(box[1], y), Math.max(box[2], x), Math.max(box[3], y)];
        box = [box[0] - PIT_MARGIN_DEG, box[1] - PIT_MARGIN_DEG, box[2] + PIT_MARGIN_DEG, box[3] + PIT_MARGIN_DEG];
      }
      const near = (x: number, y: number) => !box || (x >= box[0] && x <= box[2] && y >= box[1] && y <= box[3]);
      const instances: GeometryInstance[] = [];
      const features: number[] = [];
      const { coords, parts, props } = data;
      const style = spec.style.color;
      if (data.kind === "line") {
        for (let k = 0; k < parts.length; k += 3) {
          const [f, start, count] = [parts[k], parts[k + 1], parts[k + 2]];
          let anyNear = false;
          for (let i = start; i < start + count && !anyNear; i++) anyNear = near(coords[2 * i], coords[2 * i + 1]);
          if (!anyNear) continue;
          const p = props[f];
          const depth = Number(p[ug.depthProperty]);
          const dia = ug.diameterProperty ? Number(p[ug.diameterProperty]) : 200;
          if (!Number.isFinite(depth)) continue;
          const positions: Cartesian3[] = [];
          for (let i = start; i < start + count; i++) positions.push(Cartesian3.fromDegrees(coords[2 * i], coords[2 * i + 1], -depth));
          if (positions.length < 2 || Cartesian3.distance(positions[0], positions[positions.length - 1]) < 0.05) continue;
          const c = lift(colorFor(style, p), ins.underground);
          instances.push(
            new GeometryInstance({
              geometry: new PolylineVolumeGeometry({
                polylinePositions: positions,
                shapePositions: circle(Math.max(0.02, ((Number.isFinite(dia) ? dia : 200) / 2000) * scale)),
                vertexFormat: PerInstanceColorAppearance.VERTEX_FORMAT,
                cornerType: CornerType.MITERED,
              }),
              id: `${PICK_PREFIX}${spec.id}#${f}`,
              attributes: {
                color: ColorGeometryInstanceAttribute.fromColor(new Color(c[0], c[1], c[2], 1)),
                show: new ShowGeometryInstanceAttribute(true),
              },
            }),
          );
          features.push(f);
        }
      } else {
        for (let f = 0; f < data.ids.length; f++) {
          const x = coords[2 * f],
            y = coords[2 * f + 1];
          if (!near(x, y)) continue;
          const p = props[f];
          const bottom = Number(p[ug.depthProperty]);
          if (!Number.isFinite(bottom)) continue;
          const top = ug.topDepthProperty ? Number(p[ug.topDepthProperty]) || 0 : 0;
          const length = Math.max(0.3, bottom - top + 0.3);
          const r = (NODE_RADIUS[String(p.nodeType)] ?? 0.4) * Math.min(scale, 3) ** 0.5;
          const c = lift(colorFor(style, p), ins.underground);
          const centre = Cartesian3.fromDegrees(x, y, -(top + bottom) / 2);
          instances.push(
            new GeometryInstance({
              geometry: new CylinderGeometry({
                length,
                topRadius: r,
                bottomRadius: r,
                slices: 10,
                vertexFormat: PerInstanceColorAppearance.VERTEX_FORMAT,
              }),
              modelMatrix: Transforms.eastNorthUpToFixedFrame(centre),
              id: `${PICK_PREFIX}${spec.id}#${f}`,
              attributes: {
                color: ColorGeometryInstanceAttribute.fromColor(new Color(c[0], c[1], c[2], 1)),
                show: new ShowGeometryInstanceAttribute(true),
              },
            }),
          );
          features.push(f);
        }
      }
      const primitive = new Primitive({
        geometryInstances: instances,
        appearance: new PerInstanceColorAppearance({ flat: false, translucent: false, closed: true }),
        asynchronous: true,
        releaseGeometryInstances: true,
        allowPicking: true,
      });
      primitive.show = false;
      this.tubes.add(primitive);
      const old = this.batches.get(spec.id);
      // A build this one supersedes (another key) is still waiting: it will never be swapped in.
      const superseded = this.pendingSwap.get(spec.id);
      if (superseded && !superseded.batch.primitive.isDestroyed()) this.tubes.remove(superseded.batch.primitive);
      this.pendingSwap.set(spec.id, { batch: { layerId: spec.id, primitive, features, key }, old });
      this.scene.requestRender();
    } finally {
      this.building.delete(tag);
    }
  }

  private pendingSwap = new Map<string, { batch: Batch; old?: Batch }>();

  private onFrame() {
    if (this.destroyed) return;
    for (const [id, { batch, old }] of [...this.pendingSwap]) {
      if (batch.primitive.isDestroyed()) {
        this.pendingSwap.delete(id);
        continue;
      }
      if (!batch.primitive.ready) {
        this.scene.requestRender();
        continue;
      }
      this.pendingSwap.delete(id);
      if (this.wanted.get(id) !== batch.key) {
        this.tubes.remove(batch.primitive);
        continue;
      }
      if (old && !old.primitive.isDestroyed()) this.tubes.remove(old.primitive);
      batch.primitive.show = true;
      this.batches.set(id, batch);
      if (this.lastState) this.recolor(batch, this.lastState);
      this.scene.requestRender();
    }
  }

  /** Filters (per-instance show) and the pick highlight (per-instance colour), in place. */
  private recolor(b: Batch, state: AppState) {
    const p = b.primitive;
    if (!p.ready) return;
    const spec = this.specs.get(b.layerId)!;
    const data = this.cache.get(b.layerId);
    if (!data) return;
    const filter = inspectorOf(state).filters[b.layerId];
    const underground = inspectorOf(state).underground;
    const col = new Color();
    for (const f of b.features) {
      const a = p.getGeometryInstanceAttributes(`${PICK_PREFIX}${b.layerId}#${f}`);
      if (!a) continue;
      const show = matchesFilter(filter, data.props[f]);
      a.show = ShowGeometryInstanceAttribute.toValue(show, a.show);
      const hl = this.highlighted?.layerId === b.layerId && this.highlighted.index === f;
      const c = hl ? [HIGHLIGHT.red, HIGHLIGHT.green, HIGHLIGHT.blue, 1] : lift(colorFor(spec.style.color, data.props[f]), underground);
      col.red = c[0];
      col.green = c[1];
      col.blue = c[2];
      col.alpha = 1;
      a.color = ColorGeometryInstanceAttribute.toValue(col, a.color);
    }
  }

  /** Data the app loaded for a layer, kept for recolouring and picking. */
  private cache = new Map<string, ParsedLayer>();
  remember(layerId: string, data: ParsedLayer) {
    this.cache.set(layerId, data);
  }

  /** Tube batches on screen and builds under way (automation: `warmcity.underground().tubes`). */
  tubeCounts(): { shown: number; building: number } {
    let shown = 0;
    for (const b of this.batches.values()) if (b.primitive.show && !b.primitive.isDestroyed()) shown++;
    return { shown, building: this.building.size + this.pendingSwap.size };
  }

  /** Tubes that are still being built (for whenDrawn). */
  busy(): boolean {
    return this.building.size > 0 || this.pendingSwap.size > 0;
  }

  pick(picked: unknown): PickedFeature | undefined {
    const id = (picked as { id?: unknown } | undefined)?.id;
    if (typeof id !== "string" || !id.startsWith(PICK_PREFIX)) return undefined;
    const k = id.lastIndexOf("#");
    const layerId = id.slice(PICK_PREFIX.length, k);
    const index = Number(id.slice(k + 1));
    const data = this.cache.get(layerId);
    if (!data || !Number.isInteger(index)) return undefined;
    return { layerId, featureId: data.ids[index], properties: data.props[index] };
  }

  /** Marks a selected feature: its tube turns yellow, and a yellow outline marks it on any layer. */
  showSelection(sel: { layerId: string; index: number; data: ParsedLayer; heightM?: number } | undefined) {
    this.selLines.removeAll();
    const prev = this.highlighted;
    this.highlighted = sel ? { layerId: sel.layerId, index: sel.index } : undefined;
    for (const id of new Set([prev?.layerId, sel?.layerId])) {
      const b = id ? this.batches.get(id) : undefined;
      if (b && this.lastState) this.recolor(b, this.lastState);
    }
    if (sel) {
      const { data, index } = sel;
      const spec = this.specs.get(sel.layerId);
      const depth = spec?.underground ? -Number(data.props[index][spec.underground.depthProperty]) || 0 : 0;
      const h = sel.heightM ?? 0;
      // One Material per polyline: a polyline destroys its material when it is removed, so a
      // shared one is destroyed twice on removeAll() (DeveloperError), which leaves the
      // collection half-emptied and stops rendering at the next frame.
      const addLine = (pts: Cartesian3[]) =>
        this.selLines.add({ positions: pts, width: 4, material: Material.fromType("Color", { color: HIGHLIGHT }) });
      const ring = (start: number, count: number, z: number) => {
        const pts: Cartesian3[] = [];
        for (let i = start; i < start + count; i++) pts.push(Cartesian3.fromDegrees(data.coords[2 * i], data.coords[2 * i + 1], z));
        return pts;
      };
      if (data.kind === "point") {
        const x = data.coords[2 * index],
          y = data.coords[2 * index + 1];
        addLine([Cartesian3.fromDegrees(x, y, Math.min(depth, 0)), Cartesian3.fromDegrees(x, y, 40)]);
      } else if (data.kind === "line") {
        for (let k = 0; k < data.parts.length; k += 3)
          if (data.parts[k] === index) addLine(ring(data.parts[k + 1], data.parts[k + 2], depth ? depth : 3));
      } else {
        let r = 0;
        for (let k = 0; k < data.parts.length; k += 3) {
          if (data.parts[k] === index) {
            const len = data.rings![r];
            addLine(ring(data.parts[k + 1], len, h + 0.5));
            if (h > 0) addLine(ring(data.parts[k + 1], len, 0.5));
          }
          r += data.parts[k + 2];
        }
      }
    }
    this.scene.requestRender();
  }

  // ---------------------------------------------------------------- underground mode

  private applyUnderground(ins: InspectorState) {
    const scene = this.scene;
    const globe = scene.globe;
    if (ins.underground && !this.saved) {
      this.saved = {
        alpha: globe.translucency.frontFaceAlpha,
        collision: scene.screenSpaceCameraController.enableCollisionDetection,
        translucent: globe.translucency.enabled,
        baseColor: globe.baseColor.clone(),
      };
    }
    if (ins.underground) {
      globe.translucency.enabled = true;
      globe.translucency.frontFaceAlpha = ins.groundAlpha;
      globe.translucency.backFaceAlpha = ins.groundAlpha;
      scene.screenSpaceCameraController.enableCollisionDetection = false;
      if (!this.lastUnderground) this.drawGrid();
    } else if (this.saved) {
      globe.translucency.enabled = this.saved.translucent;
      globe.translucency.frontFaceAlpha = this.saved.alpha;
      globe.translucency.backFaceAlpha = 1;
      scene.screenSpaceCameraController.enableCollisionDetection = this.saved.collision;
      this.saved = undefined;
      this.gridGroup.removeAll();
    }
    this.lastUnderground = ins.underground;
  }

  /**
   * A 100 m grid at ground level around where the camera looks: the "you are underground" cue.
   * Faint, thin and 1 km each way: seen from below at a low angle, a wider or brighter grid
   * piles up into bands that compete with the tubes (the 1280×800 design pass).
   */
  private drawGrid() {
    this.gridGroup.removeAll();
    const c = this.viewer.camera.positionCartographic;
    const lon0 = CMath.toDegrees(c.longitude);
    const lat0 = CMath.toDegrees(c.latitude);
    const dLat = 100 / 111_195;
    const dLon = dLat / Math.cos(c.latitude);
    const n = 10;
    const instances: GeometryInstance[] = [];
    const colour = ColorGeometryInstanceAttribute.fromColor(Color.fromCssColorString("#5fe3ff").withAlpha(0.22));
    for (let i = -n; i <= n; i++) {
      instances.push(
        new GeometryInstance({
          geometry: new PolylineGeometry({
            positions: Cartesian3.fromDegreesArrayHeights([lon0 + i * dLon, lat0 - n * dLat, 0.3, lon0 + i * dLon, lat0 + n * dLat, 0.3]),
            width: 1,
            vertexFormat: PolylineColorAppearance.VERTEX_FORMAT,
          }),
          attributes: { color: colour },
        }),
        new GeometryInstance({
          geometry: new PolylineGeometry({
            positions: Cartesian3.fromDegreesArrayHeights([lon0 - n * dLon, lat0 + i * dLat, 0.3, lon0 + n * dLon, lat0 + i * dLat, 0.3]),
            width: 1,
            vertexFormat: PolylineColorAppearance.VERTEX_FORMAT,
          }),
          attributes: { color: colour },
        }),
      );
    }
    this.gridGroup.add(
      new Primitive({ geometryInstances: instances, appearance: new PolylineColorAppearance({ translucent: true }), asynchronous: false }),
    );
  }

  // ---------------------------------------------------------------- excavation

  private tilesetClips = new Map<Cesium3DTileset, true>();

  private tilesets(): Cesium3DTileset[] {
    return tilesetsIn(this.scene.primitives);
  }

  private applyPit(ins: InspectorState) {
    const pit = ins.excavation;
    const key = pit ? `${pit.depthM}|${pit.ring.map((p) => p.join(",")).join(";")}` : "";
    if (key === this.lastPitKey) {
      // a tileset that loaded after the pit was dug gets its clipping too
      if (pit) for (const t of this.tilesets()) if (!this.tilesetClips.has(t)) this.clipTileset(t, pit.ring);
      return;
    }
    this.lastPitKey = key;
    const globe = this.scene.globe;
    this.pitGroup.removeAll();
    for (const t of this.tilesetClips.keys()) if (!t.isDestroyed()) t.clippingPolygons = undefined as never;
    this.tilesetClips.clear();
    if (!pit) {
      globe.clippingPolygons = undefined as never;
      return;
    }
    const positions = pit.ring.map(([x, y]) => Cartesian3.fromDegrees(x, y, 0));
    globe.clippingPolygons = new ClippingPolygonCollection({ polygons: [new ClippingPolygon({ positions })] });
    for (const t of this.tilesets()) this.clipTileset(t, pit.ring);
    const closed = [...positions, positions[0]];
    const wall = new GeometryInstance({
      geometry: WallGeometry.fromConstantHeights({
        positions: pit.ring.concat([pit.ring[0]]).map(([x, y]) => Cartesian3.fromDegrees(x, y, 0)),
        minimumHeight: -pit.depthM,
        maximumHeight: 0,
        vertexFormat: VertexFormat.POSITION_NORMAL_AND_ST,
      }),
    });
    this.pitGroup.add(
      new Primitive({
        geometryInstances: wall,
        appearance: new MaterialAppearance({
          material: Material.fromType("Color", { color: Color.fromCssColorString("#8a6a48") }),
          faceForward: true,
          closed: false,
        }),
        asynchronous: false,
      }),
    );
    this.pitGroup.add(
      new Primitive({
        geometryInstances: new GeometryInstance({
          geometry: new PolygonGeometry({
            polygonHierarchy: new PolygonHierarchy(pit.ring.map(([x, y]) => Cartesian3.fromDegrees(x, y, -pit.depthM))),
            height: -pit.depthM,
            perPositionHeight: false,
            vertexFormat: VertexFormat.POSITION_NORMAL_AND_ST,
          }),
        }),
        appearance: new MaterialAppearance({
          material: Material.fromType("Color", { color: Color.fromCssColorString("#5e4630") }),
          faceForward: true,
          closed: false,
        }),
        asynchronous: false,
      }),
    );
    const rim = new PolylineCollection();
    rim.add({
      positions: closed.map((p) => {
        const c = Cartographic.fromCartesian(p);
        return Cartesian3.fromRadians(c.longitude, c.latitude, 0.4);
      }),
      width: 3,
      material: Material.fromType("Color", { color: Color.fromCssColorString("#ffb347") }),
    });
    this.pitGroup.add(rim);
  }

  private clipTileset(t: Cesium3DTileset, ring: Array<[number, number]>) {
    t.clippingPolygons = new ClippingPolygonCollection({
      polygons: [new ClippingPolygon({ positions: ring.map(([x, y]) => Cartesian3.fromDegrees(x, y, 0)) })],
    });
    this.tilesetClips.set(t, true);
  }

  // ---------------------------------------------------------------- measurements

  drawMeasurements(
    items: Array<{ id: number; points: Array<[number, number, number]>; label: string; closed: boolean }>,
    draft?: { points: Array<[number, number, number]>; closed: boolean },
  ) {
    this.overlay.removeAll();
    this.labels.removeAll();
    const lines = new PolylineCollection();
    // A material per polyline (a polyline destroys its material when removed; see showSelection).
    const mat = () => Material.fromType("Color", { color: Color.fromCssColorString("#7cf7d4") });
    const draftMat = () => Material.fromType("Color", { color: Color.fromCssColorString("#ffe066") });
    const add = (pts: Array<[number, number, number]>, closed: boolean, m: () => Material) => {
      if (pts.length < 2) return;
      const ps = pts.map(([x, y, z]) => Cartesian3.fromDegrees(x, y, z + 0.5));
      lines.add({ positions: closed ? [...ps, ps[0]] : ps, width: 3, material: m() });
    };
    for (const it of items) {
      add(it.points, it.closed, mat);
      const last = it.points[it.points.length - 1];
      this.labels.add({
        position: Cartesian3.fromDegrees(last[0], last[1], last[2] + 2),
        text: it.label,
        font: "600 18px 'Noto Sans CJK SC', sans-serif",
        fillColor: Color.WHITE,
        outlineColor: Color.fromCssColorString("#04101f"),
        outlineWidth: 4,
        style: LabelStyle.FILL_AND_OUTLINE,
        verticalOrigin: VerticalOrigin.BOTTOM,
        pixelOffset: new Cartesian2(0, -6),
        disableDepthTestDistance: Number.POSITIVE_INFINITY,
        id: `measure:${it.id}`,
      });
    }
    if (draft) add(draft.points, draft.closed, draftMat);
    this.overlay.add(lines);
    this.scene.requestRender();
  }

  /** Distance (m) to the ground in a window position's direction: the point on the ellipsoid. */
  groundPoint(pos: Cartesian2): [number, number, number] | undefined {
    const c = this.viewer.camera.pickEllipsoid(pos, this.scene.globe.ellipsoid);
    if (!c) return undefined;
    const g = Cartographic.fromCartesian(c);
    return [CMath.toDegrees(g.longitude), CMath.toDegrees(g.latitude), 0];
  }

  /** The 3D point under the cursor (a roof, a pipe), or the ground. */
  scenePoint(pos: Cartesian2): [number, number, number] | undefined {
    if (this.scene.pickPositionSupported) {
      const p = this.scene.pickPosition(pos);
      if (p) {
        const g = Cartographic.fromCartesian(p);
        if (g && Number.isFinite(g.height)) return [CMath.toDegrees(g.longitude), CMath.toDegrees(g.latitude), g.height];
      }
    }
    return this.groundPoint(pos);
  }

  /** The measurement label under a click, if any (a click deletes it). */
  pickMeasurement(picked: unknown): number | undefined {
    const id = (picked as { id?: unknown } | undefined)?.id;
    if (typeof id === "string" && id.startsWith("measure:")) return Number(id.slice(8));
    return undefined;
  }

  boundingSphereOf(points: Array<[number, number]>): BoundingSphere {
    return BoundingSphere.fromPoints(points.map(([x, y]) => Cartesian3.fromDegrees(x, y, 0)));
  }

  destroy() {
    this.destroyed = true;
    this.offPost();
    const scene = this.scene;
    if (scene.isDestroyed()) return;
    scene.globe.clippingPolygons = undefined as never;
    scene.primitives.remove(this.root);
  }
}
