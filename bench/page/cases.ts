// What each bench case puts into the scene, and when it counts as ready.
//   app        the app's LayerManager + renderers + parse workers (the real code path)
//   entity     baseline A: GeoJsonDataSource + extruded polygon entities
//   primitive  baseline B: buildings as one batched Primitive; the other layers as batched
//              Primitives built at load from their GeoJSON (the app's vector renderers)
// All cases load the same files and paint them with the same catalog colours.
import {
  Cesium3DTileset,
  Color,
  ColorGeometryInstanceAttribute,
  ConstantProperty,
  GeoJsonDataSource,
  GeometryInstance,
  JulianDate,
  PerInstanceColorAppearance,
  PointGraphics,
  PolygonGeometry,
  PolygonHierarchy,
  Primitive,
  PrimitiveCollection,
  Cartesian3,
  type Entity,
  type Viewer,
} from "cesium";
import { createLoader } from "../../src/app/loader";
import type { Catalog, LayerSpec, LayerStyle } from "../../src/domain/catalog";
import { setLayerVisible, type AppState } from "../../src/domain/state";
import { colorFor, type Rgba } from "../../src/domain/style";
import { LayerManager } from "../../src/cesium/LayerManager";
import { defaultRenderers, renderContext } from "../../src/cesium/registry";
import { tilesetsIn } from "../../src/cesium/sceneStats";
import { sceneReady, sceneWaitingFor } from "./measure";
import type { LayerReport } from "./protocol";

export interface CaseScene {
  /** Everything the case loads is drawn (checked after each pumped frame). */
  ready(): boolean;
  /** What it is still waiting for, for progress logs. */
  waitingFor(): string;
  layers(): LayerReport[];
  buildings(): number;
  onCamera(heightM: number): void;
  /** Top-level scene primitives by layer id (for the frame-time breakdown). */
  parts?(): Array<{ id: string; primitive: { show: boolean } }>;
  notes: string[];
}

export interface CaseContext {
  viewer: Viewer;
  catalog: Catalog;
  /** The app's initial state for ?quality=low (which layers the default view shows). */
  state: AppState;
  /** The style each layer is drawn with in that view (the app's styleOf). */
  styleOf(spec: LayerSpec): LayerStyle;
  tilesSse: number;
  lastDataSourceUpdate(): boolean;
  /** The buildings as GeoJSON footprints (what the baker reads), relative to the page. */
  buildingsGeojsonUrl: string;
  /** performance.now() when the case started loading. */
  t0: number;
  log(line: string): void;
}

const abs = (url: string) => new URL(url, document.baseURI).href;
const toColor = (c: Rgba) => new Color(c[0], c[1], c[2], c[3]);
const isBuildings = (spec: LayerSpec) => spec.kind === "3dtiles" && spec.id === "buildings";

export function visibleLayers(ctx: CaseContext): LayerSpec[] {
  return ctx.catalog.layers.filter((l) => ctx.state.layers[l.id]?.visible);
}

export function emptyCase(ctx: CaseContext): CaseScene {
  return {
    ready: () => sceneReady(ctx.viewer),
    waitingFor: () => sceneWaitingFor(ctx.viewer) ?? "",
    layers: () => [],
    buildings: () => 0,
    onCamera: () => {},
    notes: [],
  };
}

/** The app's own code path: LayerManager + renderers + the parse-worker loader. */
export function appCase(ctx: CaseContext, state: AppState = ctx.state): CaseScene {
  const scene = ctx.viewer.scene;
  const reports = new Map<string, LayerReport>();
  for (const spec of state.catalog.layers)
    if (state.layers[spec.id]?.visible) reports.set(spec.id, { id: spec.id, kind: spec.kind, status: "pending", features: 0 });
  // Which top-level primitive belongs to which layer: a renderer adds its collection or
  // tileset to scene.primitives before the layer reports ready.
  const owned = new Map<unknown, string>();
  const claim = (id: string) => {
    for (let i = 0; i < scene.primitives.length; i++) {
      const p = scene.primitives.get(i);
      // Renderers add a PrimitiveCollection (vector layers) or a Cesium3DTileset; anything
      // else at the top level (baseline B's buildings Primitive) is not the manager's.
      if (!owned.has(p) && (p instanceof PrimitiveCollection || p instanceof Cesium3DTileset)) owned.set(p, id);
    }
  };
  const manager = new LayerManager(
    renderContext(scene),
    defaultRenderers,
    createLoader(),
    {
      loading: () => {},
      ready: (id, n) => {
        const r = reports.get(id);
        if (r) Object.assign(r, { status: "ready", features: n, loadedMs: Math.round(performance.now() - ctx.t0) });
        claim(id);
        ctx.log(`layer ${id} ready (${n} features)`);
      },
      error: (id, reason) => {
        const r = reports.get(id);
        if (r) Object.assign(r, { status: "error", error: reason, loadedMs: Math.round(performance.now() - ctx.t0) });
        ctx.log(`layer ${id} FAILED: ${reason}`);
      },
    },
    abs,
  );
  manager.setTilesSse(ctx.tilesSse);
  manager.onCamera(ctx.viewer.camera.positionCartographic.height);
  manager.sync(state, ctx.styleOf);
  const tilesets = () => tilesetsIn(scene.primitives);
  return {
    ready: () => [...reports.values()].every((r) => r.status !== "pending") && manager.allDrawn() && sceneReady(ctx.viewer),
    waitingFor: () =>
      [
        [...reports.values()]
          .filter((r) => r.status === "pending")
          .map((r) => r.id)
          .join(" "),
        manager.allDrawn() ? "" : "LayerManager.allDrawn",
        sceneWaitingFor(ctx.viewer) ?? "",
      ]
        .filter(Boolean)
        .join("; "),
    layers: () => {
      // The tileset's building count comes from the baker's asset.extras.
      for (const t of tilesets()) {
        const extras = (t.asset as { extras?: { buildings?: number; featureCount?: number } } | undefined)?.extras;
        const r = reports.get("buildings");
        if (r && extras && !r.features) r.features = extras.buildings ?? extras.featureCount ?? 0;
      }
      return [...reports.values()];
    },
    buildings: () => reports.get("buildings")?.features ?? 0,
    onCamera: (h) => manager.onCamera(h),
    parts: () =>
      [...owned]
        .filter(([p]) => !(p as { isDestroyed?: () => boolean }).isDestroyed?.())
        .map(([primitive, id]) => ({ id, primitive: primitive as { show: boolean } })),
    notes: [],
  };
}

interface BuildingFeature {
  rings: number[][][][]; // polygons → rings → [lon, lat]
  props: Record<string, unknown>;
}

async function fetchBuildings(url: string): Promise<BuildingFeature[]> {
  const res = await fetch(abs(url));
  if (!res.ok) throw new Error(`HTTP ${res.status} for ${url}`);
  const json = (await res.json()) as {
    features: Array<{ geometry?: { type: string; coordinates: unknown }; properties?: Record<string, unknown> }>;
  };
  const out: BuildingFeature[] = [];
  for (const f of json.features) {
    const g = f.geometry;
    if (!g) continue;
    const rings =
      g.type === "Polygon" ? [g.coordinates as number[][][]] : g.type === "MultiPolygon" ? (g.coordinates as number[][][][]) : [];
    if (rings.length) out.push({ rings, props: f.properties ?? {} });
  }
  return out;
}

function ringPositions(ring: number[][]): Cartesian3[] {
  const n =
    ring.length > 1 && ring[0][0] === ring[ring.length - 1][0] && ring[0][1] === ring[ring.length - 1][1] ? ring.length - 1 : ring.length;
  const flat: number[] = [];
  for (let i = 0; i < n; i++) flat.push(ring[i][0], ring[i][1]);
  return Cartesian3.fromDegreesArray(flat);
}

/**
 * Baseline B: what a careful Cesium developer writes for buildings — one Primitive of
 * extruded PolygonGeometry instances with a per-instance colour (geometry built in Cesium's
 * workers at load time). The other default layers go through the app's renderers, so the
 * scene differs from `app` only in how the buildings are made.
 */
export function primitiveCase(ctx: CaseContext): CaseScene {
  const buildingsSpec = visibleLayers(ctx).find(isBuildings);
  // The other layers as batched Primitives built at load from the same GeoJSON (the vector
  // renderers), not from the baked ground tiles: baseline B is what a careful Cesium developer
  // writes without a bake step.
  const unbaked = { ...ctx.state, catalog: { ...ctx.state.catalog, layers: ctx.state.catalog.layers.map(({ tiles: _baked, ...l }) => l) } };
  const others = appCase(ctx, setLayerVisible(unbaked, "buildings", false));
  let primitive: Primitive | undefined;
  let loadedMs: number | undefined;
  let count = 0;
  let failed: string | undefined;
  const notes: string[] = [];
  if (buildingsSpec)
    void (async () => {
      try {
        const style = ctx.styleOf(buildingsSpec);
        const opacity = ctx.state.layers[buildingsSpec.id]?.opacity ?? style.opacity ?? 1;
        const features = await fetchBuildings(ctx.buildingsGeojsonUrl);
        const instances: GeometryInstance[] = [];
        for (const f of features) {
          const heightM = Number(f.props.heightM);
          if (!(heightM > 0)) continue;
          const color = ColorGeometryInstanceAttribute.fromColor(toColor(colorFor(style.color, f.props, opacity)));
          for (const poly of f.rings)
            instances.push(
              new GeometryInstance({
                geometry: new PolygonGeometry({
                  polygonHierarchy: new PolygonHierarchy(
                    ringPositions(poly[0]),
                    poly.slice(1).map((h) => new PolygonHierarchy(ringPositions(h))),
                  ),
                  height: 0,
                  extrudedHeight: heightM,
                  vertexFormat: PerInstanceColorAppearance.VERTEX_FORMAT,
                }),
                id: f.props.id,
                attributes: { color },
              }),
            );
          count++;
        }
        primitive = ctx.viewer.scene.primitives.add(
          new Primitive({
            geometryInstances: instances,
            appearance: new PerInstanceColorAppearance({ translucent: false, closed: true }),
            asynchronous: true,
            releaseGeometryInstances: true,
          }),
        ) as Primitive;
        loadedMs = Math.round(performance.now() - ctx.t0);
        ctx.log(`buildings primitive: ${count} buildings, ${instances.length} instances submitted`);
      } catch (e) {
        failed = e instanceof Error ? e.message : String(e);
        notes.push(`buildings: ${failed}`);
      }
    })();
  return {
    ready: () => (!buildingsSpec || failed !== undefined || (primitive?.ready ?? false)) && others.ready(),
    waitingFor: () =>
      [
        buildingsSpec && !failed && !primitive?.ready ? (primitive ? "buildings primitive" : "buildings instances") : "",
        others.waitingFor(),
      ]
        .filter(Boolean)
        .join("; "),
    layers: () => [
      ...others.layers(),
      ...(buildingsSpec
        ? [
            {
              id: "buildings",
              kind: "primitive",
              status: failed ? "error" : primitive?.ready ? "ready" : "pending",
              features: count,
              error: failed,
              loadedMs,
            } as LayerReport,
          ]
        : []),
    ],
    buildings: () => count,
    onCamera: (h) => others.onCamera(h),
    parts: () => [...(others.parts?.() ?? []), ...(primitive ? [{ id: "buildings", primitive }] : [])],
    notes,
  };
}

/**
 * Baseline A: what a Cesium user writes first — GeoJsonDataSource.load for every layer and
 * `polygon.extrudedHeight` on each building entity. Styled like the catalog (same colours,
 * widths and heights; outlines only where the catalog draws them, pins replaced by points),
 * so the baseline is not charged for work the app's picture does not contain.
 */
export function entityCase(ctx: CaseContext): CaseScene {
  const viewer = ctx.viewer;
  const reports = new Map<string, LayerReport>();
  const notes: string[] = [];
  let pending = 0;
  let buildingCount = 0;
  const now = JulianDate.now();
  const propsOf = (e: Entity) => (e.properties?.getValue(now) ?? {}) as Record<string, unknown>;

  const load = async (spec: LayerSpec, url: string, style: (e: Entity) => void) => {
    const report: LayerReport = { id: spec.id, kind: spec.kind, status: "pending", features: 0 };
    reports.set(spec.id, report);
    pending++;
    try {
      const ds = await GeoJsonDataSource.load(abs(url), { clampToGround: false });
      const entities = ds.entities.values;
      ds.entities.suspendEvents();
      for (const e of entities) style(e);
      ds.entities.resumeEvents();
      await viewer.dataSources.add(ds);
      report.features = entities.length;
      report.status = "ready";
      report.loadedMs = Math.round(performance.now() - ctx.t0);
      ctx.log(`datasource ${spec.id}: ${entities.length} entities`);
    } catch (e) {
      report.status = "error";
      report.error = e instanceof Error ? e.message : String(e);
      ctx.log(`datasource ${spec.id} FAILED: ${report.error}`);
    } finally {
      pending--;
    }
  };

  for (const spec of visibleLayers(ctx)) {
    const st = ctx.styleOf(spec);
    const opacity = ctx.state.layers[spec.id]?.opacity ?? st.opacity ?? 1;
    if (isBuildings(spec)) {
      void load(spec, ctx.buildingsGeojsonUrl, (e) => {
        if (!e.polygon) return;
        const p = propsOf(e);
        e.polygon.height = new ConstantProperty(0);
        e.polygon.extrudedHeight = new ConstantProperty(Number(p.heightM) || 0);
        e.polygon.material = toColor(colorFor(st.color, p, opacity)) as never;
        e.polygon.outline = new ConstantProperty(false);
        buildingCount++;
      });
      continue;
    }
    if (spec.kind === "3dtiles") {
      notes.push(`${spec.id}: 3D Tiles layer without a GeoJSON equivalent, not drawn in this baseline`);
      continue;
    }
    const outline = st.outlineColor
      ? toColor(colorFor({ type: "constant", color: st.outlineColor }, undefined, Math.min(1, opacity * 1.6)))
      : undefined;
    void load(spec, spec.url, (e) => {
      const p = propsOf(e);
      const c = toColor(colorFor(st.color, p, opacity));
      if (e.polygon) {
        e.polygon.height = new ConstantProperty(st.heightOffsetM ?? 0);
        e.polygon.material = c as never;
        e.polygon.outline = new ConstantProperty(!!outline);
        if (outline) e.polygon.outlineColor = new ConstantProperty(outline);
      }
      if (e.polyline) {
        e.polyline.material = c as never;
        e.polyline.width = new ConstantProperty(st.lineWidthPx ?? 2);
      }
      if (e.billboard) {
        // GeoJsonDataSource draws a 48 px pin per point; the app draws small dots.
        e.billboard = undefined;
        e.point = new PointGraphics({
          color: c,
          pixelSize: st.pointSizePx ?? 8,
          outlineColor: outline,
          outlineWidth: outline ? 1.5 : 0,
          disableDepthTestDistance: Number.POSITIVE_INFINITY,
        });
      }
    });
  }
  return {
    // dataSourceDisplay.ready is true on an empty viewer: require a frame whose update()
    // returned true, with every primitive (the entity batches) ready.
    ready: () => pending === 0 && ctx.lastDataSourceUpdate() && sceneReady(viewer),
    waitingFor: () =>
      [
        pending ? `${pending} data source(s) loading` : "",
        ctx.lastDataSourceUpdate() ? "" : "dataSourceDisplay.update",
        sceneWaitingFor(viewer) ?? "",
      ]
        .filter(Boolean)
        .join("; "),
    layers: () => [...reports.values()],
    buildings: () => buildingCount,
    onCamera: () => {},
    notes,
  };
}
