// A bare Cesium Viewer with the app's offline options and the app's `quality=low` settings
// (src/cesium/CesiumView.tsx), without React or any panel. Every bench case uses this viewer,
// so all of them render the same number of pixels with the same passes.
import {
  buildModuleUrl,
  Color,
  ColorGeometryInstanceAttribute,
  GeometryInstance,
  ImageryLayer,
  Ion,
  PerInstanceColorAppearance,
  PolygonGeometry,
  PolygonHierarchy,
  PolylineColorAppearance,
  PolylineGeometry,
  Primitive,
  TileMapServiceImageryProvider,
  Viewer,
  Cartesian3,
} from "cesium";
import { qualitySettings, type QualitySettings } from "../../src/domain/quality";
import { pumpUntil } from "./measure";
import { webglRenderer } from "../../src/cesium/webgl";

Ion.defaultAccessToken = "";

export interface BenchViewer {
  viewer: Viewer;
  quality: QualitySettings;
  renderer: string | undefined;
  /** What the last dataSourceDisplay.update() (run by every viewer.render()) returned. */
  lastDataSourceUpdate(): boolean;
}

/** Same options as CesiumView's resium <Viewer>, plus useDefaultRenderLoop off (the bench drives frames). */
export function createBenchViewer(container: HTMLElement): BenchViewer {
  const renderer = webglRenderer();
  // Exactly what the app picks for ?quality=low on this machine.
  const quality = qualitySettings("low", renderer, {
    cssWidth: window.innerWidth,
    cssHeight: window.innerHeight,
    devicePixelRatio: window.devicePixelRatio,
  });
  const viewer = new Viewer(container, {
    baseLayer: ImageryLayer.fromProviderAsync(TileMapServiceImageryProvider.fromUrl(buildModuleUrl("Assets/Textures/NaturalEarthII")), {}),
    animation: false,
    timeline: false,
    baseLayerPicker: false,
    geocoder: false,
    homeButton: false,
    sceneModePicker: false,
    navigationHelpButton: false,
    fullscreenButton: false,
    infoBox: false,
    selectionIndicator: false,
    scene3DOnly: true,
    requestRenderMode: true,
    maximumRenderTimeChange: Infinity,
    msaaSamples: quality.msaaSamples,
    contextOptions: { webgl: { alpha: false, antialias: false, powerPreference: "high-performance", preserveDrawingBuffer: true } },
    skyBox: false,
    useDefaultRenderLoop: false,
  });
  applyLowQualityNight(viewer, quality);

  const dsd = viewer.dataSourceDisplay;
  const update = dsd.update.bind(dsd);
  let last = false;
  dsd.update = (time) => (last = update(time));
  return { viewer, quality, renderer, lastDataSourceUpdate: () => last };
}

/** CesiumView's applyQuality + applyBasemap("night") for a `low` quality. */
function applyLowQualityNight(viewer: Viewer, q: QualitySettings) {
  const scene = viewer.scene;
  viewer.useBrowserRecommendedResolution = false;
  viewer.resolutionScale = q.resolutionScale;
  const dpr = window.devicePixelRatio || 1;
  if (dpr > q.maxPixelRatio) viewer.resolutionScale = (q.resolutionScale * q.maxPixelRatio) / dpr;
  scene.msaaSamples = q.msaaSamples;
  scene.fog.enabled = q.fog;
  scene.postProcessStages.fxaa.enabled = q.fxaa;
  scene.backgroundColor = Color.fromCssColorString("#050b18");
  scene.globe.baseColor = Color.fromCssColorString("#0a1426");
  scene.globe.showGroundAtmosphere = false;
  if (scene.skyAtmosphere) scene.skyAtmosphere.show = false;
  if (scene.skyBox) scene.skyBox.show = false;
  if (scene.sun) scene.sun.show = false;
  if (scene.moon) scene.moon.show = false;
  const layer = viewer.imageryLayers.get(0);
  if (layer) {
    layer.brightness = 0.32;
    layer.contrast = 1.2;
    layer.saturation = 0.25;
    layer.hue = 0.55;
  }
  scene.globe.depthTestAgainstTerrain = false;
}

/**
 * Cesium's geometry workers load their scripts and modules on first use, which would be
 * charged to whichever case runs first. Build one small extruded polygon, one flat polygon
 * and one polyline asynchronously and wait for them, so every case starts warm.
 */
export async function warmUpGeometryWorkers(viewer: Viewer, timeoutMs: number): Promise<void> {
  const ring = (lon: number, lat: number) =>
    Cartesian3.fromDegreesArray([lon, lat, lon + 0.001, lat, lon + 0.001, lat + 0.001, lon, lat + 0.001]);
  const colour = ColorGeometryInstanceAttribute.fromColor(Color.WHITE);
  const polys = new Primitive({
    geometryInstances: [
      new GeometryInstance({
        geometry: new PolygonGeometry({
          polygonHierarchy: new PolygonHierarchy(ring(0, 0)),
          height: 0,
          extrudedHeight: 10,
          vertexFormat: PerInstanceColorAppearance.VERTEX_FORMAT,
        }),
        attributes: { color: colour },
      }),
    ],
    appearance: new PerInstanceColorAppearance({ translucent: false, closed: true }),
    asynchronous: true,
  });
  const flat = new Primitive({
    geometryInstances: [
      new GeometryInstance({
        geometry: new PolygonGeometry({
          polygonHierarchy: new PolygonHierarchy(ring(1, 1)),
          height: 1,
          vertexFormat: PerInstanceColorAppearance.FLAT_VERTEX_FORMAT,
        }),
        attributes: { color: colour },
      }),
    ],
    appearance: new PerInstanceColorAppearance({ flat: true, translucent: true }),
    asynchronous: true,
  });
  const lines = new Primitive({
    geometryInstances: [
      new GeometryInstance({
        geometry: new PolylineGeometry({ positions: ring(2, 2), width: 2, vertexFormat: PolylineColorAppearance.VERTEX_FORMAT }),
        attributes: { color: colour },
      }),
    ],
    appearance: new PolylineColorAppearance({ translucent: false }),
    asynchronous: true,
  });
  const all = [polys, flat, lines];
  for (const p of all) viewer.scene.primitives.add(p);
  const ok = await pumpUntil(viewer, () => all.every((p) => p.ready), timeoutMs);
  for (const p of all) viewer.scene.primitives.remove(p);
  if (!ok) throw new Error(`geometry-worker warm-up did not finish in ${timeoutMs} ms`);
}
