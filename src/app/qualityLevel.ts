// The quality level in effect (URL `quality=`, or `auto` from the WebGL renderer), for the
// panels: at `low` they drop what a software rasteriser pays for on every frame of a moving
// scene (the backdrop blur, soft shadows, endless CSS animations; see theme.css `.quality-low`).
import { webglRenderer } from "../cesium/webgl";
import { qualitySettings, type QualitySettings } from "../domain/quality";
import type { Quality } from "../domain/urlState";

export function qualityLevelOf(requested: Quality): QualitySettings["level"] {
  return qualitySettings(requested, webglRenderer(), {
    cssWidth: window.innerWidth,
    cssHeight: window.innerHeight,
    devicePixelRatio: window.devicePixelRatio,
  }).level;
}
