// Where the viewer gets its live feed: `live=` (ws:// or wss:// URL of any MQTT-over-WebSocket
// broker), `liveUser=` and `liveToken=` from the page URL; by default the app's own origin
// (`/mqtt`, the embedded broker of `npm start`). Pure.

export interface LiveConfig {
  url: string;
  username?: string;
  password?: string;
  /** True when the URL named a broker (then the viewer connects even before a live layer is shown). */
  explicit: boolean;
  problem?: string;
}

export function liveConfig(search: string, baseUrl: string): LiveConfig {
  const q = new URLSearchParams(search);
  const own = new URL("mqtt", baseUrl);
  own.protocol = own.protocol === "https:" ? "wss:" : "ws:";
  const username = q.get("liveUser") || undefined;
  const password = q.get("liveToken") || undefined;
  const raw = q.get("live");
  if (!raw) return { url: own.href, username, password, explicit: false };
  let u: URL | undefined;
  try {
    u = new URL(raw);
  } catch {
    u = undefined;
  }
  if (!u || (u.protocol !== "ws:" && u.protocol !== "wss:"))
    return { url: own.href, username, password, explicit: false, problem: `live=${raw.slice(0, 80)}: expected a ws:// or wss:// URL` };
  return { url: u.href, username, password, explicit: true };
}
