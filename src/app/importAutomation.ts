// window.warmcity members for bringing your own data (kept apart from automation.ts so the
// import feature stays in its own files): addData, removeData, useAs, useDemo, imports.
import type { Importer, AddDataInput } from "./imports";
import type { BundleExporter } from "./bundle";
import type { Store } from "./store";

export interface ImportApi {
  /** Imports a file (bytes or text) or a URL; resolves to the new layer id (the largest when a
   * file holds several geometry kinds; all ids are in `imports()`), rejects with the UI's message. */
  addData(input: AddDataInput): Promise<string>;
  removeData(layerId: string): boolean;
  /** Swaps an imported layer in for the demo layer of a role (throws the UI's message if it cannot). */
  useAs(layerId: string, role: string): void;
  /** Back to the demo layer for a role. */
  useDemo(role: string): void;
  /** Imported layers: id → {name, format, crs, featureCount, role?}. */
  imports(): Record<string, { name: string; format: string; crs: string; featureCount: number; role?: string }>;
  /** The imported layers, their settings and the current views as a bundle zip (what catalog=<zip> and npm run import take). */
  exportBundle(): Promise<Uint8Array>;
}

declare module "./automation" {
  // Optional in the type: installed right after the core API.
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- module augmentation: merges ImportApi into WarmCityApi
  interface WarmCityApi extends Partial<ImportApi> {}
}

export function installImportAutomation(store: Store, importer: Importer, exporter: BundleExporter): void {
  const api: ImportApi = {
    exportBundle: () => exporter.exportBundle(),
    async addData(input) {
      const ids = await importer.add(input).promise;
      return ids[0];
    },
    removeData: (id) => importer.remove(id),
    useAs: (id, role) => importer.useAs(id, role),
    useDemo: (role) => importer.useDemo(role),
    imports() {
      const s = store.get();
      const out: ReturnType<ImportApi["imports"]> = {};
      for (const [id, m] of Object.entries(s.imports ?? {})) {
        const role = Object.entries(s.roleSwaps ?? {}).find(([, sw]) => sw.layerId === id)?.[0];
        out[id] = { name: m.name, format: m.format, crs: m.crs, featureCount: m.featureCount, ...(role ? { role } : {}) };
      }
      return out;
    },
  };
  if (window.warmcity) Object.assign(window.warmcity, api);
}
