// Cesium finds its workers and assets through CESIUM_BASE_URL; it must be set before the
// cesium module is evaluated, so main.tsx imports this file first. Relative to the page, so
// the app works under any path prefix.
declare global {
  interface Window {
    CESIUM_BASE_URL?: string;
  }
}
window.CESIUM_BASE_URL = new URL("./cesium/", document.baseURI).href;
export {};
