// The production Content-Security-Policy: one definition, shipped two ways — as a <meta> in the
// built HTML (works on any static host) and as a response header from `vite preview` (which
// also covers the workers: a dedicated worker gets its policy from its own response header,
// never from the page's <meta>). The README's nginx example prints `cspHeader()`.
//
// Why each source is there (measured in tests/e2e/csp.test.ts, zero violations required):
// - everything from 'self': the app, Cesium's workers/assets, manifests, tiles, GeoJSON;
// - blob: in connect-src: the planning-analysis result layers are handed from the cockpit
//   worker to the parse worker as blob: URLs (same machine, same origin);
// - data: in img-src: Cesium builds small images as data: URIs (billboard/label atlases,
//   the credit logo) and the page's empty favicon is `data:,`;
// - 'wasm-unsafe-eval': Cesium compiles WebAssembly decoders (Draco, Basis, meshopt) when a
//   tileset uses them; it allows WebAssembly.compile only, not JavaScript eval.
// - 'unsafe-inline' for STYLES only (measured: blocked without it): Cesium's credit display
//   appends a <style> element built from theme colours, Cesium's feature test for pixelated
//   canvases calls setAttribute("style", …), and ECharts renders tooltips as HTML with style
//   attributes. Hashes cannot cover the colour-dependent ones. Inline styles cannot run code;
//   untrusted text is rendered as text (React), never as HTML.
// No 'unsafe-eval' and no 'unsafe-inline' for scripts. The one eval Cesium brings is in the
// knockout copy its widgets bundle: `this || (0, eval)("this")`, run when the module loads to
// find the global object. `noEvalPlugin` rewrites it to `globalThis` at build time. Knockout's
// other `Function(...)` calls compile `data-bind` attributes, and only run for the knockout
// widgets (geocoder, base-layer picker, info box …), which the viewer does not create.
import type { Plugin } from "vite";

export const CSP_DIRECTIVES: Record<string, string[]> = {
  "default-src": ["'self'"],
  "script-src": ["'self'", "'wasm-unsafe-eval'"],
  "worker-src": ["'self'"],
  // A live broker on another origin (`live=wss://…`) must be listed at build time:
  // WARMCITY_CONNECT_SRC="wss://mqtt.city.example" npm run build. The recommended set-up needs
  // nothing: the site's reverse proxy serves the broker on its own /mqtt (deploy/README.md).
  "connect-src": ["'self'", "blob:", ...(process.env.WARMCITY_CONNECT_SRC ?? "").split(/\s+/).filter(Boolean)],
  "img-src": ["'self'", "data:", "blob:"],
  "style-src": ["'self'", "'unsafe-inline'"],
  "font-src": ["'self'", "data:"],
  "object-src": ["'none'"],
  "base-uri": ["'self'"],
  "form-action": ["'self'"],
};

/** Only meaningful as a header: browsers ignore (and warn about) these in a <meta>. */
const HEADER_ONLY: Record<string, string[]> = {
  "frame-ancestors": ["'self'"],
};

const join = (d: Record<string, string[]>) =>
  Object.entries(d)
    .map(([k, v]) => `${k} ${v.join(" ")}`)
    .join("; ");

export const cspMeta = (): string => join(CSP_DIRECTIVES);
export const cspHeader = (): string => join({ ...CSP_DIRECTIVES, ...HEADER_ONLY });

/** Headers for `vite preview` (and any deployment): the policy plus two cheap hardening headers. */
export const securityHeaders = (): Record<string, string> => ({
  "Content-Security-Policy": cspHeader(),
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
});

/** Replaces knockout's module-load `(0, eval)("this")` with `globalThis` (see above). */
export function noEvalPlugin(): Plugin {
  const EVAL_THIS = /\(0\s*,\s*eval\)\(\s*(["'`])this\1\s*\)/g;
  return {
    name: "warmcity-no-eval",
    transform(code, id) {
      if (!/knockout[^/]*\.js$/.test(id) || !EVAL_THIS.test(code)) return undefined;
      return { code: code.replace(EVAL_THIS, "globalThis"), map: null };
    },
  };
}

/**
 * Injects the policy right after the charset <meta> in built pages (not in `vite dev`: its
 * hot-reload client needs an inline preamble), and fails the build if a page has an inline
 * script the policy would block.
 */
export function cspPlugin(): Plugin {
  return {
    name: "warmcity-csp",
    apply: "build",
    transformIndexHtml: {
      order: "post",
      handler(html, ctx) {
        const inline = /<script(?![^>]*\bsrc=)[^>]*>[\s\S]*?<\/script>/i.exec(html);
        if (inline) throw new Error(`${ctx.filename}: inline <script> would be blocked by the CSP: ${inline[0].slice(0, 120)}`);
        return html.replace(
          /(<meta charset="[^"]*"\s*\/?>)/i,
          `$1\n    <meta http-equiv="Content-Security-Policy" content="${cspMeta()}" />`,
        );
      },
    },
  };
}
