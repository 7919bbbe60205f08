// The 3D scene: a resium Viewer set up for offline use, plus the imperative wiring (layer
// manager, picking, camera, quality) that reconciles it with app state.
import {
  buildModuleUrl,
  Cartesian2,
  Cartesian3,
  Color,
  Ion,
  ImageryLayer,
  Math as CMath,
  Resource,
  ScreenSpaceEventType,
  TileMapServiceImageryProvider,
  type Viewer as CesiumViewer,
} from "cesium";
import "cesium/Build/Cesium/Widgets/widgets.css";
import { useEffect, useMemo, useRef } from "react";
import { Viewer, useCesium } from "resium";
import { HOME_VIEW, type CameraView } from "../domain/camera";
import type { LayerSpec, LayerStyle } from "../domain/catalog";
import { qualitySettings, type QualitySettings } from "../domain/quality";
import type { AppState, PickedFeature } from "../domain/state";
import { LayerManager, type DrawnResult, type LayerEvents, type VectorLoader } from "./LayerManager";
import { defaultRenderers, renderContext } from "./registry";
import { batchStats, type RenderContext } from "./renderers";
import { headingPitchOf, installCameraControl, type CameraControl } from "./cameraControl";
import { webglRenderer } from "./webgl";
import { cityContentDrawn, sceneStats, type SceneStats } from "./sceneStats";
import { attachInspector, type InspectorHooks, type InspectorSceneApi } from "./inspector/attach";

// No Cesium ion: no token, no ion imagery, terrain or geocoder. Everything below comes from
// our own origin (Cesium's bundled NaturalEarthII and the city's own layers).
Ion.defaultAccessToken = "";

// Before its first image Cesium asks once whether createImageBitmap takes options, by decoding
// a 1×1 PNG and reading its pixels back (a synchronous getImageData). Asked later, in the middle
// of the first tile loads, that read waited seconds for a busy software GPU process (a 4.4 s
// main-thread stall in a start-up profile); asked now, while the page is still loading, it is free.
// (Not in Cesium's typings; the call is optional so a Cesium without it changes nothing.)
void (Resource as unknown as { supportsImageBitmapOptions?(): Promise<boolean> }).supportsImageBitmapOptions?.();

export interface SceneApi {
  camera(): CameraView;
  flyTo(view: CameraView, durationS?: number): Promise<void>;
  /**
   * Resolves after every visible layer is drawn and one more frame has rendered, or with the
   * reason when that has not happened within `timeoutMs`.
   */
  whenDrawn(timeoutMs?: number): Promise<DrawnResult>;
  renderer(): string | undefined;
  quality(): QualitySettings;
  requestRender(): void;
  /** Forget a failed layer so that the next sync loads it again. */
  retryLayer(id: string): void;
  /** Primitive and tileset counts (leak tests, soak). */
  sceneStats(): SceneStats;
  /** Vector batches triangulated vs recoloured in place since start (tests, bench). */
  renderStats(): { batchesBuilt: number; restyledInPlace: number };
  /** Tour shots, orbit, projection and render counters (cameraControl.ts). */
  cameraControl: CameraControl;
  /** Load a layer's data again (its source changed). */
  reloadLayer(id: string): void;
  /** Inspector tools' scene side (pipes underground, pits, measurements, PNG). */
  inspector?: InspectorSceneApi;
}

export interface CesiumViewProps {
  state: AppState;
  styleOf: (spec: LayerSpec) => LayerStyle;
  loadVector: VectorLoader;
  events: LayerEvents;
  onPick(p: PickedFeature | undefined): void;
  onApi(api: SceneApi): void;
  onFirstFrame(renderer: string | undefined, q: QualitySettings): void;
  /**
   * The WebGL context was lost (GPU reset, driver crash, too many contexts). Cesium cannot
   * recover a lost context, so the app mounts a new viewer; `camera` is where this one looked.
   */
  onContextLost?(camera: CameraView): void;
  inspector?: InspectorHooks;
}

// Resium creates the Viewer once from these read-only props; keep them module-level so the
// identity never changes between renders.
const baseLayer = ImageryLayer.fromProviderAsync(
  TileMapServiceImageryProvider.fromUrl(buildModuleUrl("Assets/Textures/NaturalEarthII")),
  {},
);
const contextOptions = {
  webgl: { alpha: false, antialias: false, powerPreference: "high-performance" as const, preserveDrawingBuffer: true },
};

function applyQuality(viewer: CesiumViewer, q: QualitySettings) {
  const scene = viewer.scene;
  viewer.resolutionScale = q.resolutionScale;
  viewer.useBrowserRecommendedResolution = false;
  // resolutionScale multiplies devicePixelRatio; cap the product for video walls / 4K.
  const dpr = window.devicePixelRatio || 1;
  if (dpr > q.maxPixelRatio) viewer.resolutionScale = (q.resolutionScale * q.maxPixelRatio) / dpr;
  scene.msaaSamples = q.msaaSamples;
  scene.fog.enabled = q.fog;
  if (scene.skyAtmosphere) scene.skyAtmosphere.show = q.skyAtmosphere;
  scene.postProcessStages.fxaa.enabled = q.fxaa;
  scene.requestRender();
}

function applyBasemap(viewer: CesiumViewer, basemap: AppState["basemap"], q: QualitySettings) {
  const scene = viewer.scene;
  const night = basemap === "night";
  scene.backgroundColor = night ? Color.fromCssColorString("#050b18") : Color.fromCssColorString("#9fc3e6");
  scene.globe.baseColor = night ? Color.fromCssColorString("#0a1426") : Color.fromCssColorString("#cfd8c4");
  scene.globe.showGroundAtmosphere = !night && q.level === "high";
  if (scene.skyAtmosphere) scene.skyAtmosphere.show = !night && q.skyAtmosphere;
  if (scene.skyBox) scene.skyBox.show = false;
  if (scene.sun) scene.sun.show = !night && q.level === "high";
  if (scene.moon) scene.moon.show = false;
  const layer = viewer.imageryLayers.get(0);
  if (layer) {
    layer.brightness = night ? 0.32 : 1;
    layer.contrast = night ? 1.2 : 1;
    layer.saturation = night ? 0.25 : 1;
    layer.hue = night ? 0.55 : 0;
  }
  scene.requestRender();
}

export function cameraOf(viewer: CesiumViewer): CameraView {
  const c = viewer.camera;
  const carto = c.positionCartographic;
  // Not c.heading / c.pitch: reading those nudges the camera (see headingPitchOf).
  const hp = headingPitchOf(c, viewer.scene.globe.ellipsoid);
  return {
    lonDeg: CMath.toDegrees(carto.longitude),
    latDeg: CMath.toDegrees(carto.latitude),
    heightM: carto.height,
    headingDeg: CMath.toDegrees(hp.heading),
    pitchDeg: CMath.toDegrees(hp.pitch),
  };
}

function destinationOf(v: CameraView) {
  return {
    destination: Cartesian3.fromDegrees(v.lonDeg, v.latDeg, v.heightM),
    orientation: { heading: CMath.toRadians(v.headingDeg), pitch: CMath.toRadians(v.pitchDeg), roll: 0 },
  };
}

export default function CesiumView(props: CesiumViewProps) {
  const renderer = useMemo(() => webglRenderer(), []);
  const initialQuality = useMemo(
    () =>
      qualitySettings(props.state.quality, renderer, {
        cssWidth: window.innerWidth,
        cssHeight: window.innerHeight,
        devicePixelRatio: window.devicePixelRatio,
      }),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only the first value matters: MSAA is chosen when the context is created
    [],
  );
  return (
    <Viewer
      full
      baseLayer={baseLayer}
      animation={false}
      timeline={false}
      baseLayerPicker={false}
      geocoder={false}
      homeButton={false}
      sceneModePicker={false}
      navigationHelpButton={false}
      fullscreenButton={false}
      infoBox={false}
      selectionIndicator={false}
      scene3DOnly
      requestRenderMode
      maximumRenderTimeChange={Infinity}
      msaaSamples={initialQuality.msaaSamples}
      contextOptions={contextOptions}
      skyBox={false}
    >
      <SceneWiring {...props} renderer={renderer} initialQuality={initialQuality} />
    </Viewer>
  );
}

/** Rendered inside resium's Viewer, so the Cesium viewer exists when its effects run. */
function SceneWiring(props: CesiumViewProps & { renderer: string | undefined; initialQuality: QualitySettings }) {
  const { viewer } = useCesium();
  const { renderer, initialQuality } = props;
  const managerRef = useRef<LayerManager<RenderContext> | undefined>(undefined);
  const propsRef = useRef(props);
  propsRef.current = props;
  const qualityRef = useRef<QualitySettings | undefined>(undefined);
  const inspectorRef = useRef<ReturnType<typeof attachInspector> | undefined>(undefined);

  // One-time setup.
  useEffect(() => {
    if (!viewer) return;
    const scene = viewer.scene;
    const manager = new LayerManager(
      renderContext(scene),
      defaultRenderers,
      (spec, onProgress) => propsRef.current.loadVector(spec, onProgress),
      {
        loading: (id, p) => propsRef.current.events.loading(id, p),
        ready: (id, n, s) => propsRef.current.events.ready(id, n, s),
        error: (id, r) => propsRef.current.events.error(id, r),
      },
      (url) => new URL(url, document.baseURI).href,
    );
    managerRef.current = manager;
    qualityRef.current = initialQuality;
    manager.setTilesSse(initialQuality.tilesSse);
    applyQuality(viewer, initialQuality);
    applyBasemap(viewer, propsRef.current.state.basemap, initialQuality);
    scene.globe.depthTestAgainstTerrain = false;
    scene.screenSpaceCameraController.minimumZoomDistance = 30;
    scene.screenSpaceCameraController.maximumZoomDistance = 2_000_000;
    const start = propsRef.current.state.cameraRequest?.view ?? HOME_VIEW;
    viewer.camera.setView(destinationOf(start));

    const inspector = attachInspector(viewer, propsRef.current.state, () => propsRef.current.inspector);
    inspectorRef.current = inspector;

    // Picking → plain data.
    viewer.screenSpaceEventHandler.setInputAction((e: { position: Cartesian2 }) => {
      // A drawing tool takes the click itself (./inspector/tools).
      if (inspector.toolActive()) return;
      // `pickable: false` layers (the tree canopy over parks) are looked through, not picked:
      // drill down to the first feature of a pickable layer.
      const pickable = (id: string) => propsRef.current.state.catalog.layers.find((l) => l.id === id)?.pickable ?? false;
      let hit: PickedFeature | undefined;
      for (const obj of scene.drillPick(e.position, 8)) {
        // The inspector's own objects first: a measurement label deletes itself, a pipe tube or
        // node shaft selects its feature.
        const ins = inspector.pick(obj);
        if (ins.handled) {
          if (!ins.feature) return scene.requestRender();
          manager.pick(undefined);
          hit = ins.feature;
          break;
        }
        const p = manager.pick(obj);
        if (p && pickable(p.layerId)) {
          hit = p;
          break;
        }
      }
      if (!hit) manager.pick(undefined);
      propsRef.current.onPick(hit);
      scene.requestRender();
    }, ScreenSpaceEventType.LEFT_CLICK);

    // The layers follow the camera height (point clustering): told when it moved by 10 %,
    // checked before each drawn frame. Not through camera.changed: while that event has a
    // listener, Cesium reads camera.heading and .roll at every update, and those getters nudge
    // the camera by round-off (see headingPitchOf), which the scene takes for a move and draws:
    // a still tour dwell kept drawing about 2 frames a second.
    // The same goes for the viewer's default data source: its EntityCluster listens to
    // camera.changed from the start. The app draws no entities, so that listener goes (Cesium
    // keeps the callback as `_cluster`; if a later Cesium renames it, nothing is removed and the
    // still-scene browser test says so).
    const cluster = viewer.dataSourceDisplay?.defaultDataSource.clustering as unknown as { _cluster?: () => void } | undefined;
    if (cluster?._cluster) viewer.camera.changed.removeEventListener(cluster._cluster);
    let lastHeight = Number.NaN;
    const onCam = () => {
      const h = viewer.camera.positionCartographic.height;
      if (Math.abs(h - lastHeight) <= 0.1 * Math.max(1, Math.abs(lastHeight))) return;
      lastHeight = h;
      manager.onCamera(h);
    };
    const removeCam = scene.preRender.addEventListener(onCam);
    onCam();

    // preventDefault asks the browser to allow a restore; the app replaces the viewer anyway.
    const onLost = (e: Event) => {
      e.preventDefault();
      propsRef.current.onContextLost?.(cameraOf(viewer));
    };
    scene.canvas.addEventListener("webglcontextlost", onLost);

    let firstFrame = false;
    let cityFrame = false;
    const removePost = scene.postRender.addEventListener(() => {
      if (!firstFrame) {
        firstFrame = true;
        propsRef.current.onFirstFrame(renderer, initialQuality);
      }
      // Start-up timeline (the render bench reads it): the first frame that drew any layer's content.
      if (!cityFrame && cityContentDrawn(scene)) {
        cityFrame = true;
        performance.mark("warmcity:first-city-frame");
      }
    });

    // Drawn = the layers (LayerManager) and the inspector's tubes/pit (built on demand).
    const whenDrawn = async (timeoutMs = 300_000): Promise<DrawnResult> => {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const r = await manager.whenDrawn(Math.max(1, until - Date.now()));
        if (!r.ok || scene.isDestroyed() || !inspector.api.busy()) return r;
        while (inspector.api.busy() && !scene.isDestroyed()) {
          if (Date.now() > until)
            return { ok: false, reason: `scene not drawn after ${Math.round(timeoutMs / 1000)} s; waiting for: underground pipes` };
          scene.requestRender();
          await new Promise((res) => setTimeout(res, 100));
        }
      }
    };

    const cameraControl = installCameraControl(viewer);
    propsRef.current.onApi({
      camera: () => cameraOf(viewer),
      flyTo: (view, durationS = 2) =>
        new Promise<void>((resolve) => {
          viewer.camera.flyTo({ ...destinationOf(view), duration: durationS, complete: () => resolve(), cancel: () => resolve() });
          scene.requestRender();
        }),
      whenDrawn,
      renderer: () => renderer,
      quality: () => qualityRef.current ?? initialQuality,
      requestRender: () => scene.requestRender(),
      retryLayer: (id) => manager.retry(id),
      sceneStats: () => sceneStats(scene),
      renderStats: () => ({ batchesBuilt: batchStats.built, restyledInPlace: batchStats.restyledInPlace }),
      cameraControl,
      reloadLayer: (id) => {
        manager.reload(id);
        scene.requestRender();
      },
      inspector: inspector.api,
    });

    return () => {
      scene.canvas.removeEventListener("webglcontextlost", onLost);
      cameraControl.destroy();
      removeCam();
      removePost();
      inspector.destroy();
      inspectorRef.current = undefined;
      manager.destroy();
      managerRef.current = undefined;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- set up once per Cesium viewer: renderer and initialQuality are fixed for its life, everything else is read through propsRef
  }, [viewer]);

  // Reconcile layers on every state change (cheap when nothing changed).
  useEffect(() => {
    managerRef.current?.sync(props.state, props.styleOf);
    inspectorRef.current?.sync(props.state);
  }, [props.state, props.styleOf]);

  // A selection closed in the UI also drops its highlight in the scene.
  const hasSelection = !!props.state.selection;
  useEffect(() => {
    if (!hasSelection) managerRef.current?.pick(undefined);
  }, [hasSelection]);

  // Quality and basemap switches.
  useEffect(() => {
    if (!viewer) return;
    const q = qualitySettings(props.state.quality, renderer, {
      cssWidth: window.innerWidth,
      cssHeight: window.innerHeight,
      devicePixelRatio: window.devicePixelRatio,
    });
    qualityRef.current = q;
    applyQuality(viewer, q);
    applyBasemap(viewer, props.state.basemap, q);
    managerRef.current?.setTilesSse(q.tilesSse);
  }, [viewer, props.state.quality, props.state.basemap, renderer]);

  // Camera requests (URL, home button, views, automation).
  const seq = props.state.cameraRequest?.seq;
  useEffect(() => {
    const req = props.state.cameraRequest;
    if (!viewer || !req || req.instant) return;
    viewer.camera.flyTo({ ...destinationOf(req.view), duration: 1.5 });
    viewer.scene.requestRender();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- fly once per camera request (its seq), not on every state change
  }, [seq]);

  return null;
}
