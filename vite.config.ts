import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";
import { viteStaticCopy } from "vite-plugin-static-copy";
import { cspPlugin, noEvalPlugin, securityHeaders } from "./scripts/csp";
import { liveFeedPlugin } from "./scripts/live/vitePlugin";

// Cesium ships its workers, assets and widgets as static files that must be served next to
// the app; CESIUM_BASE_URL tells Cesium where. Everything is served from our own origin, so
// the viewer makes no request to any other host.
const cesiumSource = "node_modules/cesium/Build/Cesium";
const cesiumBase = "cesium";

export default defineConfig({
  base: "./",
  define: { CESIUM_BASE_URL: JSON.stringify(`./${cesiumBase}`) },
  plugins: [
    react(),
    viteStaticCopy({
      targets: ["Workers", "Assets", "ThirdParty", "Widgets"].map((dir) => ({
        src: `${cesiumSource}/${dir}`,
        dest: cesiumBase,
      })),
    }),
    // The manifests are fetched at run time (validated on load), so an integrator can edit
    // them in a built app without rebuilding.
    viteStaticCopy({ targets: [{ src: "data/*.json", dest: "data" }] }),
    // The strict Content-Security-Policy as a <meta> in the built pages (scripts/csp.ts).
    cspPlugin(),
    noEvalPlugin(),
    // The live city: an embedded MQTT broker on /mqtt fed by the simulator (dev and preview).
    liveFeedPlugin(),
  ],
  build: {
    chunkSizeWarningLimit: 6000,
    sourcemap: false,
    // bench.html: the render benchmark page (npm run bench), a second entry next to the app.
    rolldownOptions: { input: { main: "index.html", bench: "bench.html" } },
  },
  resolve: {
    // osmtogeojson ships a Lo-Dash 2 custom build that compiles its iterators with Function()
    // when it loads, which the strict CSP refuses (the import worker would not start). It uses
    // clone, compact, each, isArray, isEmpty and merge, which behave the same in lodash 4.
    alias: [{ find: /^\.\/lodash\.custom\.js$/, replacement: "lodash" }],
  },
  worker: { format: "es" },
  server: { host: "127.0.0.1", port: 5173 },
  // The same policy as response headers, so the workers run under it too.
  preview: { host: "127.0.0.1", port: 4173, headers: securityHeaders() },
});
