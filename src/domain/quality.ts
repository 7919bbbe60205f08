// Render quality. `auto` looks at the WebGL renderer string: a software rasteriser
// (SwiftShader, llvmpipe, Microsoft Basic Render) gets the cheap settings, since there the
// frame time is dominated by pixels, not JavaScript.
import type { Quality } from "./urlState";

export interface QualitySettings {
  level: "low" | "high";
  msaaSamples: number;
  resolutionScale: number;
  skyAtmosphere: boolean;
  fog: boolean;
  fxaa: boolean;
  /** 3D Tiles maximumScreenSpaceError. */
  tilesSse: number;
  /** Cap on devicePixelRatio actually used for rendering. */
  maxPixelRatio: number;
  reason: string;
}

const SOFTWARE = /swiftshader|llvmpipe|softpipe|software|basic render|mesa offscreen/i;

export function isSoftwareRenderer(renderer: string | undefined): boolean {
  return !!renderer && SOFTWARE.test(renderer);
}

/**
 * Settings for a requested quality on a given renderer and screen.
 * Video walls and 4K screens are already large: rendering them at a devicePixelRatio of 2
 * would quadruple the pixels for little gain, so the pixel ratio is capped by the physical
 * pixel count (about 8.3 MP, one 4K screen, is where we stop).
 */
export function qualitySettings(
  requested: Quality,
  renderer: string | undefined,
  screen: { cssWidth: number; cssHeight: number; devicePixelRatio: number },
): QualitySettings {
  const software = isSoftwareRenderer(renderer);
  const level = requested === "auto" ? (software ? "low" : "high") : requested;
  const cssPixels = Math.max(1, screen.cssWidth * screen.cssHeight);
  const budget = 8.3e6;
  const maxPixelRatio = Math.max(0.5, Math.min(screen.devicePixelRatio || 1, Math.sqrt(budget / cssPixels)));
  const reason =
    requested === "auto"
      ? software
        ? `software renderer (${renderer}) → low`
        : `hardware renderer${renderer ? ` (${renderer})` : ""} → high`
      : `set to ${requested}`;
  if (level === "low")
    return {
      level,
      msaaSamples: 1,
      resolutionScale: software ? 0.5 : 0.75,
      skyAtmosphere: false,
      fog: false,
      fxaa: false,
      tilesSse: 24,
      maxPixelRatio: Math.min(1, maxPixelRatio),
      reason,
    };
  return {
    level,
    msaaSamples: 4,
    resolutionScale: 1,
    skyAtmosphere: true,
    fog: true,
    fxaa: false,
    tilesSse: 12,
    maxPixelRatio,
    reason,
  };
}
