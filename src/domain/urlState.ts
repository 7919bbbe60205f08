// URL parameters for kiosk integrators and tests. Garbage never throws: every bad value
// becomes a notice the user can read, and the app falls back to its defaults.
import { isValidCamera, type CameraView } from "./camera";
import type { Lang } from "./catalog";
import { SHARE_PARAMS } from "./shareUrl";

export type Quality = "auto" | "low" | "high";
export const QUALITIES: readonly Quality[] = ["auto", "low", "high"];

export interface UrlState {
  layers?: string[];
  camera?: CameraView;
  lang?: Lang;
  quality?: Quality;
  view?: string;
  /** underground=1: start in underground mode. */
  underground?: boolean;
  /** select=<layerId>:<featureId> (or its old name sel=, from share links before they were one). */
  select?: { layerId: string; featureId: string };
  notices: UrlNotice[];
}

export interface UrlNotice {
  param: string;
  value: string;
  reason: string;
}

// The share-link and presenter parameters are parsed in shareUrl.ts; "catalog" is read before the manifests load (catalogUrl.ts).
const KNOWN = new Set(["layers", "camera", "lang", "quality", "view", "catalog", "live", "liveUser", "liveToken", "underground", "select"]);
const isKnown = (k: string) => KNOWN.has(k) || (SHARE_PARAMS as readonly string[]).includes(k);

/**
 * Parses a query string. `knownLayerIds` lets us drop unknown layer ids with a notice while
 * keeping the known ones (an integrator's typo should not blank the whole city).
 */
export function parseUrlState(search: string, knownLayerIds?: ReadonlySet<string>): UrlState {
  let params: URLSearchParams;
  try {
    params = new URLSearchParams(search);
  } catch {
    return { notices: [{ param: "?", value: search, reason: "unreadable query string" }] };
  }
  const out: UrlState = { notices: [] };
  const note = (param: string, value: string, reason: string) => out.notices.push({ param, value, reason });

  for (const key of new Set(params.keys())) if (!isKnown(key)) note(key, params.get(key) ?? "", "unknown parameter");

  const layers = params.get("layers");
  if (layers !== null) {
    const ids = layers
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    const unknown = knownLayerIds ? ids.filter((i) => !knownLayerIds.has(i)) : [];
    if (unknown.length) note("layers", unknown.join(","), "unknown layer id(s), ignored");
    const known = knownLayerIds ? ids.filter((i) => knownLayerIds.has(i)) : ids;
    // Nothing usable left (all unknown, or empty): keep the default layers rather than a blank city.
    if (known.length) out.layers = known;
  }

  const camera = params.get("camera");
  if (camera !== null) {
    const parts = camera.split(",").map((s) => s.trim());
    const nums = parts.map((s) => (s === "" ? NaN : Number(s)));
    if (parts.length !== 5 || nums.some((n) => !Number.isFinite(n)))
      note("camera", camera, "expected five numbers: lonDeg,latDeg,heightM,headingDeg,pitchDeg");
    else {
      const [lonDeg, latDeg, heightM, headingDeg, pitchDeg] = nums;
      const c = { lonDeg, latDeg, heightM, headingDeg, pitchDeg };
      const bad = isValidCamera(c);
      if (bad) note("camera", camera, bad);
      else out.camera = c;
    }
  }

  const lang = params.get("lang");
  if (lang !== null) {
    if (lang === "zh" || lang === "en") out.lang = lang;
    else note("lang", lang, 'expected "zh" or "en"');
  }

  const quality = params.get("quality");
  if (quality !== null) {
    if ((QUALITIES as readonly string[]).includes(quality)) out.quality = quality as Quality;
    else note("quality", quality, 'expected "auto", "low" or "high"');
  }

  const underground = params.get("underground");
  if (underground !== null) {
    if (underground === "1" || underground === "true") out.underground = true;
    else if (underground === "0" || underground === "false") out.underground = false;
    else note("underground", underground, 'expected "1" or "0"');
  }

  const selParam = params.has("select") ? "select" : "sel";
  const sel = params.get(selParam);
  if (sel !== null) {
    const k = sel.indexOf(":");
    if (k <= 0 || k === sel.length - 1) note(selParam, sel, "expected <layerId>:<featureId>");
    else out.select = { layerId: sel.slice(0, k), featureId: sel.slice(k + 1) };
  }

  const view = params.get("view");
  if (view !== null) {
    if (/^[a-z][a-z0-9_-]*$/.test(view)) out.view = view;
    else note("view", view, "not a view id");
  }
  return out;
}

export function formatCameraParam(c: CameraView): string {
  return [c.lonDeg.toFixed(5), c.latDeg.toFixed(5), c.heightM.toFixed(0), c.headingDeg.toFixed(1), c.pitchDeg.toFixed(1)].join(",");
}
