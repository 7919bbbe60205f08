// Camera flights to tour shots, the sandbox orbit, the shot under the screen centre (for
// "record this shot"), projecting a target to the screen, and render counters for the bench
// and soak. Thin: the maths of the orbit speed and the shot data types are in the domain.
import {
  BoundingSphere,
  Cartesian2,
  Cartesian3,
  Cartographic,
  Ellipsoid,
  HeadingPitchRange,
  Math as CMath,
  Matrix4,
  PerspectiveFrustum,
  SceneTransforms,
  Transforms,
  type Camera,
  type Viewer as CesiumViewer,
} from "cesium";
import { orbitRateDegPerS, type CameraShot, type ShotTarget } from "../domain/tours";
import { countLeafPrimitives } from "./sceneStats";

const scratchEnu = new Matrix4();
const scratchInv = new Matrix4();
const scratchDir = new Cartesian3();
const scratchUp = new Cartesian3();

/**
 * The camera's heading and pitch (radians), computed as Cesium's `Camera#heading` / `#pitch`
 * getters compute them, but without touching the camera. Those getters move the camera into its
 * local east-north-up frame and back; the round trip's round-off (~1e-15) changes `up`, `right`
 * and `direction`, which the scene's request-render check reads as a camera move and draws a
 * frame. The share link reads the camera at every move end, so one read kept a still scene
 * drawing a frame every half second (a tour's still dwell, a kiosk at rest).
 */
export function headingPitchOf(camera: Camera, ellipsoid: Ellipsoid = Ellipsoid.WGS84): { heading: number; pitch: number } {
  const enu = Transforms.eastNorthUpToFixedFrame(camera.positionWC, ellipsoid, scratchEnu);
  const toLocal = Matrix4.inverseTransformation(enu, scratchInv);
  const d = Cartesian3.normalize(Matrix4.multiplyByPointAsVector(toLocal, camera.directionWC, scratchDir), scratchDir);
  const u = Cartesian3.normalize(Matrix4.multiplyByPointAsVector(toLocal, camera.upWC, scratchUp), scratchUp);
  // Looking straight down or up, the heading is the up vector's.
  const h = CMath.equalsEpsilon(Math.abs(d.z), 1, CMath.EPSILON3) ? Math.atan2(u.y, u.x) : Math.atan2(d.y, d.x);
  return { heading: CMath.TWO_PI - CMath.zeroToTwoPi(h - CMath.PI_OVER_TWO), pitch: CMath.PI_OVER_TWO - CMath.acosClamped(d.z) };
}

export interface CameraControl {
  /** Flies so that `shot.target` is in the middle of the screen; resolves on arrival or cancel. */
  flyToShot(shot: CameraShot, durationS: number): Promise<void>;
  /** The current camera as a shot: the point under the screen centre, range, heading, pitch. */
  currentShot(): CameraShot;
  /** Screen position (CSS pixels, from the canvas's top-left) of a target, if in front of the camera. */
  project(target: ShotTarget): { x: number; y: number } | undefined;
  startOrbit(screenFractionPerS?: number): void;
  stopOrbit(): void;
  orbiting(): boolean;
  onOrbitChange(fn: (on: boolean) => void): () => void;
  /** Called once the camera stops moving (after a flight, a drag, an orbit step …). */
  onMoveEnd(fn: () => void): () => void;
  /** Frames rendered since start, and recent frame render times. */
  stats(): { frames: number; primitives: number; medianFrameMs: number | undefined; recentFrames: number };
  destroy(): void;
}

/** 16:9: wider screens keep this vertical field of view instead of Cesium's fixed horizontal one. */
const REF_ASPECT = 16 / 9;
const DEFAULT_FOV = CMath.toRadians(60);

export function installCameraControl(viewer: CesiumViewer): CameraControl {
  const scene = viewer.scene;
  const camera = viewer.camera;

  // Same framing on 16:9 and 32:9: Cesium's `fov` is the horizontal angle on a landscape
  // canvas, so a 32:9 wall would see half the vertical extent of a 16:9 screen and a tour
  // shot would crop its subject. Above 16:9 widen the horizontal angle to keep the vertical one.
  let lastAspect = 0;
  const keepVerticalFov = () => {
    const f = camera.frustum;
    if (!(f instanceof PerspectiveFrustum)) return;
    const aspect = scene.canvas.clientWidth / Math.max(1, scene.canvas.clientHeight);
    if (Math.abs(aspect - lastAspect) < 1e-3) return;
    lastAspect = aspect;
    if (aspect <= REF_ASPECT) f.fov = DEFAULT_FOV;
    else {
      const fovy = 2 * Math.atan(Math.tan(DEFAULT_FOV / 2) / REF_ASPECT);
      f.fov = 2 * Math.atan(Math.tan(fovy / 2) * aspect);
    }
  };

  let frames = 0;
  let t0 = 0;
  const durations: number[] = [];
  const removePre = scene.preRender.addEventListener(() => {
    keepVerticalFov();
    t0 = performance.now();
  });
  const removePost = scene.postRender.addEventListener(() => {
    frames++;
    durations.push(performance.now() - t0);
    if (durations.length > 240) durations.shift();
  });

  const moveEndFns = new Set<() => void>();
  const removeMoveEnd = camera.moveEnd.addEventListener(() => moveEndFns.forEach((f) => f()));

  const center = () => new Cartesian2(scene.canvas.clientWidth / 2, scene.canvas.clientHeight / 2);

  function currentShot(): CameraShot {
    const hp = headingPitchOf(camera, scene.globe.ellipsoid);
    const headingDeg = CMath.toDegrees(hp.heading);
    const pitchDeg = Math.min(0, CMath.toDegrees(hp.pitch));
    // The globe here is the bare ellipsoid (the city's ground is drawn on it), so the point
    // under the centre is the ray's hit on the ellipsoid; looking above the horizon, aim 1 km ahead.
    const hit = camera.pickEllipsoid(center(), scene.globe.ellipsoid);
    const target =
      hit ?? Cartesian3.add(camera.positionWC, Cartesian3.multiplyByScalar(camera.directionWC, 1000, new Cartesian3()), new Cartesian3());
    const c = Cartographic.fromCartesian(target);
    return {
      target: { lonDeg: CMath.toDegrees(c.longitude), latDeg: CMath.toDegrees(c.latitude), heightM: Math.max(0, Math.round(c.height)) },
      rangeM: Math.max(10, Cartesian3.distance(camera.positionWC, target)),
      headingDeg,
      pitchDeg,
    };
  }

  let flightCancel: (() => void) | undefined;
  function flyToShot(shot: CameraShot, durationS: number): Promise<void> {
    stopOrbit();
    return new Promise<void>((resolve) => {
      flightCancel?.();
      flightCancel = resolve;
      const t = shot.target;
      camera.flyToBoundingSphere(new BoundingSphere(Cartesian3.fromDegrees(t.lonDeg, t.latDeg, t.heightM), 0), {
        offset: new HeadingPitchRange(CMath.toRadians(shot.headingDeg), CMath.toRadians(shot.pitchDeg), shot.rangeM),
        duration: durationS,
        complete: () => resolve(),
        cancel: () => resolve(),
      });
      scene.requestRender();
    });
  }

  // Sandbox orbit: requestRenderMode stays on; the orbit asks for a frame per animation frame
  // while it runs and for none once it stops.
  let orbit: { raf: number } | undefined;
  const orbitFns = new Set<(on: boolean) => void>();
  function startOrbit(screenFractionPerS = 0.01) {
    stopOrbit();
    const shot = currentShot();
    const target = Cartesian3.fromDegrees(shot.target.lonDeg, shot.target.latDeg, shot.target.heightM);
    const f = camera.frustum as PerspectiveFrustum;
    const rate = CMath.toRadians(orbitRateDegPerS(shot.pitchDeg, CMath.toDegrees(f.fov ?? DEFAULT_FOV), screenFractionPerS));
    let heading = CMath.toRadians(shot.headingDeg);
    const pitch = CMath.toRadians(shot.pitchDeg);
    let last = performance.now();
    const o = { raf: 0 };
    const tick = (now: number) => {
      if (orbit !== o || scene.isDestroyed()) return;
      // Real time, so the speed on screen stays the same when frames are slow (software GL);
      // capped so a stalled tab does not jump half a turn.
      const dt = Math.min(1, (now - last) / 1000);
      last = now;
      heading += rate * dt;
      camera.lookAt(target, new HeadingPitchRange(heading, pitch, shot.rangeM));
      camera.lookAtTransform(Matrix4.IDENTITY);
      scene.requestRender();
      o.raf = requestAnimationFrame(tick);
    };
    orbit = o;
    o.raf = requestAnimationFrame(tick);
    orbitFns.forEach((fn) => fn(true));
  }
  function stopOrbit() {
    if (!orbit) return;
    cancelAnimationFrame(orbit.raf);
    orbit = undefined;
    orbitFns.forEach((fn) => fn(false));
  }

  return {
    flyToShot,
    currentShot,
    project(t) {
      const p = SceneTransforms.worldToWindowCoordinates(scene, Cartesian3.fromDegrees(t.lonDeg, t.latDeg, t.heightM));
      return p ? { x: p.x, y: p.y } : undefined;
    },
    startOrbit,
    stopOrbit,
    orbiting: () => !!orbit,
    onOrbitChange(fn) {
      orbitFns.add(fn);
      return () => orbitFns.delete(fn);
    },
    onMoveEnd(fn) {
      moveEndFns.add(fn);
      return () => moveEndFns.delete(fn);
    },
    stats() {
      const sorted = [...durations].sort((a, b) => a - b);
      return {
        frames,
        primitives: scene.isDestroyed() ? 0 : countLeafPrimitives(scene.primitives),
        medianFrameMs: sorted.length ? sorted[Math.floor(sorted.length / 2)] : undefined,
        recentFrames: sorted.length,
      };
    },
    destroy() {
      stopOrbit();
      flightCancel?.();
      removePre();
      removePost();
      removeMoveEnd();
      moveEndFns.clear();
      orbitFns.clear();
    },
  };
}
