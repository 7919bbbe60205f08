// The export bundle in the browser: "导出数据包 / Export bundle" in 我的数据 and
// warmcity.exportBundle() zip the imported layers, their settings and the current views
// (src/domain/bundle.ts); `?catalog=<…>.zip` opens such a zip as a city (its data served to the
// scene as same-origin blob: URLs; nothing leaves the machine).
import type { CameraView } from "../domain/camera";
import { ManifestError } from "../domain/catalog";
import { bundleFiles, openBundle, relocateBundle, zipBundle, type BundleLayer } from "../domain/bundle";
import { addNotice } from "../domain/state";
import type { Manifests } from "./manifests";
import type { Store } from "./store";

/** Fetches a bundle zip and returns its manifests, validated, with layer URLs pointing into it. */
export async function loadBundleManifests(url: string): Promise<Manifests> {
  let res: Response;
  try {
    res = await fetch(url);
  } catch (e) {
    throw new ManifestError(url, "(file)", `cannot be fetched: ${(e as Error).message}`);
  }
  if (!res.ok) throw new ManifestError(url, "(file)", `HTTP ${res.status}`);
  const { manifests, files } = openBundle(new Uint8Array(await res.arrayBuffer()), url);
  const blobs = new Map<string, string>();
  return relocateBundle(manifests, (path) => {
    const bytes = files[path];
    // openBundle has checked that every relative layer URL is in the zip.
    if (!bytes) return new URL(path, url).href;
    let u = blobs.get(path);
    if (!u) {
      const type = path.endsWith(".json") || path.endsWith(".geojson") ? "application/json" : "application/octet-stream";
      u = URL.createObjectURL(new Blob([bytes.slice().buffer], { type }));
      blobs.set(path, u);
    }
    return u;
  });
}

export function createBundleExporter(store: Store, manifests: Manifests, camera: () => CameraView | undefined) {
  async function exportBundle(): Promise<Uint8Array> {
    const s = store.get();
    const swapped = new Map(Object.entries(s.roleSwaps ?? {}).map(([role, sw]) => [sw.layerId, role]));
    const layers: BundleLayer[] = [];
    for (const spec of s.catalog.layers) {
      if (!s.imports?.[spec.id]) continue;
      const text = spec.kind === "3dtiles" ? undefined : await (await fetch(spec.url)).text();
      layers.push({
        spec,
        visible: s.layers[spec.id]?.visible ?? true,
        opacity: s.layers[spec.id]?.opacity ?? 1,
        role: swapped.get(spec.id),
        text,
      });
    }
    const demoRoles: Record<string, string> = {};
    for (const l of s.catalog.layers) if (l.role && !s.imports?.[l.id]) demoRoles[l.id] = l.role;
    return zipBundle(
      bundleFiles({
        layers,
        city: s.catalog.city,
        views: manifests.views,
        currentView: s.view,
        camera: camera(),
        kpis: manifests.kpis,
        charts: manifests.charts,
        demoRoles,
      }),
    );
  }

  /** The button: saves warmcity-bundle-<date>.zip, or says why not. */
  async function download(): Promise<void> {
    if (!Object.keys(store.get().imports ?? {}).length) {
      store.dispatch((s) =>
        addNotice(s, "info", s.lang === "zh" ? "没有可导出的导入图层：先导入数据" : "No imported layers to export: import some data first"),
      );
      return;
    }
    try {
      const bytes = await exportBundle();
      const a = document.createElement("a");
      a.href = URL.createObjectURL(new Blob([bytes.slice().buffer], { type: "application/zip" }));
      a.download = `warmcity-bundle-${new Date().toISOString().slice(0, 10)}.zip`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(a.href), 60_000);
    } catch (e) {
      const m = (e as Error).message;
      store.dispatch((s) => addNotice(s, "error", s.lang === "zh" ? `导出数据包失败：${m}` : `Exporting the bundle failed: ${m}`));
    }
  }
  return { exportBundle, download };
}

export type BundleExporter = ReturnType<typeof createBundleExporter>;
