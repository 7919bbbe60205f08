// Keeps imported layers across reloads in IndexedDB: the converted GeoJSON once (store
// "data"), the small things that change (spec, meta, opacity; store "meta"), and the role
// swaps (store "settings"). Every failure is reported, never thrown: a private-mode browser
// or a full disk only means the import is not kept, and the user is told so.
import type { LayerSpec } from "../domain/catalog";
import type { ImportedMeta, RoleSwap } from "../domain/imports";

export interface StoredLayer {
  id: string;
  spec: LayerSpec;
  meta: ImportedMeta;
  visible: boolean;
  opacity: number;
}

const DB = "warmcity-imports";
const VERSION = 1;

export type PersistProblem =
  { kind: "unavailable"; detail: string } | { kind: "quota"; detail: string } | { kind: "error"; detail: string };

export class ImportStore {
  private db?: Promise<IDBDatabase>;
  constructor(private readonly dbName = DB) {}

  private open(): Promise<IDBDatabase> {
    this.db ??= new Promise<IDBDatabase>((resolve, reject) => {
      if (typeof indexedDB === "undefined") return reject(problem("unavailable", "this browser has no IndexedDB"));
      let req: IDBOpenDBRequest;
      try {
        req = indexedDB.open(this.dbName, VERSION);
      } catch (e) {
        return reject(problem("unavailable", (e as Error).message));
      }
      req.onupgradeneeded = () => {
        const db = req.result;
        for (const s of ["data", "meta", "settings"]) if (!db.objectStoreNames.contains(s)) db.createObjectStore(s);
      };
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(problem("unavailable", req.error?.message ?? "IndexedDB cannot be opened"));
      req.onblocked = () => reject(problem("unavailable", "IndexedDB is blocked by another tab"));
    });
    return this.db;
  }

  private async tx(stores: string[], mode: IDBTransactionMode, fn: (t: IDBTransaction) => void): Promise<void> {
    const db = await this.open();
    await new Promise<void>((resolve, reject) => {
      const t = db.transaction(stores, mode);
      t.oncomplete = () => resolve();
      t.onabort = t.onerror = () => {
        const err = t.error;
        reject(err?.name === "QuotaExceededError" ? problem("quota", err.message) : problem("error", err?.message ?? "transaction failed"));
      };
      fn(t);
    });
  }

  /** Stores a new layer: its data (GeoJSON text, or nothing for a tileset URL) and its meta. */
  putLayer(l: StoredLayer, text: string | undefined): Promise<void> {
    return this.tx(["data", "meta"], "readwrite", (t) => {
      if (text !== undefined) t.objectStore("data").put(text, l.id);
      t.objectStore("meta").put(l, l.id);
    });
  }
  putMeta(l: StoredLayer): Promise<void> {
    return this.tx(["meta"], "readwrite", (t) => t.objectStore("meta").put(l, l.id));
  }
  deleteLayer(id: string): Promise<void> {
    return this.tx(["data", "meta"], "readwrite", (t) => {
      t.objectStore("data").delete(id);
      t.objectStore("meta").delete(id);
    });
  }
  putSwaps(swaps: Record<string, RoleSwap>): Promise<void> {
    return this.tx(["settings"], "readwrite", (t) => t.objectStore("settings").put(swaps, "roleSwaps"));
  }

  async loadAll(): Promise<{ layers: Array<StoredLayer & { text?: string }>; swaps: Record<string, RoleSwap> }> {
    const db = await this.open();
    const all = <T>(store: string) =>
      new Promise<Array<[string, T]>>((resolve, reject) => {
        const t = db.transaction([store], "readonly");
        const os = t.objectStore(store);
        const keys = os.getAllKeys();
        const vals = os.getAll();
        t.oncomplete = () => resolve((keys.result as string[]).map((k, i) => [k, vals.result[i] as T]));
        t.onerror = () => reject(problem("error", t.error?.message ?? "read failed"));
      });
    const [meta, data, settings] = await Promise.all([all<StoredLayer>("meta"), all<string>("data"), all<unknown>("settings")]);
    const texts = new Map(data);
    const swaps = (settings.find(([k]) => k === "roleSwaps")?.[1] ?? {}) as Record<string, RoleSwap>;
    return { layers: meta.map(([id, m]) => ({ ...m, text: texts.get(id) })), swaps };
  }
}

function problem(kind: PersistProblem["kind"], detail: string): PersistProblem {
  return { kind, detail };
}
