// Fetching a data file the way a kiosk that runs for days needs it: a clear zh/en message for
// 404/500/HTML/network/CORS failures, a stall timeout (no bytes for a while) instead of waiting
// forever, and a size limit checked before and while reading, so a 200 MB file is refused
// with a message instead of taking the tab down. Used by the parse and cockpit workers.
import type { I18n } from "../domain/catalog";
import { M, MessageError } from "../domain/messages";

export interface FetchLimits {
  /** Give up when no bytes arrived for this long (headers or body). */
  stallMs: number;
  /** Refuse files larger than this. */
  maxBytes: number;
}

export const DEFAULT_LIMITS: FetchLimits = { stallMs: 15_000, maxBytes: 150 * 1048576 };

const pathOf = (url: string) => {
  try {
    const u = new URL(url);
    return u.protocol === "blob:"
      ? "(analysis result)"
      : u.host === (globalThis.location?.host ?? "")
        ? u.pathname
        : `${u.host}${u.pathname}`;
  } catch {
    return url;
  }
};

export async function fetchText(url: string, onProgress?: (p: number) => void, limits: FetchLimits = DEFAULT_LIMITS): Promise<string> {
  const path = pathOf(url);
  const ctl = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stalled = false;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      stalled = true;
      ctl.abort();
    }, limits.stallMs);
  };
  const fail = (m: I18n): never => {
    throw new MessageError(m);
  };
  arm();
  try {
    let res: Response;
    try {
      res = await fetch(url, { signal: ctl.signal });
    } catch {
      return fail(stalled ? M.timeout(limits.stallMs / 1000, path) : M.network(path));
    }
    if (!res.ok) {
      ctl.abort();
      return fail(M.http(res.status, path));
    }
    const total = Number(res.headers.get("content-length")) || 0;
    if (total > limits.maxBytes) {
      ctl.abort();
      return fail(M.tooLarge(total, limits.maxBytes));
    }
    if (!res.body) return await res.text();
    const reader = res.body.getReader();
    const chunks: Uint8Array[] = [];
    let got = 0;
    let lastPost = 0;
    for (;;) {
      arm();
      let r: ReadableStreamReadResult<Uint8Array>;
      try {
        r = await reader.read();
      } catch {
        return fail(stalled ? M.timeout(limits.stallMs / 1000, path) : M.network(path));
      }
      if (r.done) break;
      chunks.push(r.value);
      got += r.value.length;
      if (got > limits.maxBytes) {
        ctl.abort();
        return fail(M.tooLarge(got, limits.maxBytes));
      }
      if (onProgress && total && got - lastPost > total / 20) {
        lastPost = got;
        onProgress(Math.min(0.95, got / total));
      }
    }
    const all = new Uint8Array(got);
    let o = 0;
    for (const c of chunks) {
      all.set(c, o);
      o += c.length;
    }
    return new TextDecoder().decode(all);
  } finally {
    clearTimeout(timer);
  }
}
