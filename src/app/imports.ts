// The import controller: runs one worker per import (progress, cancel), turns its result into
// "我的数据" layers (blob: URLs of the converted GeoJSON, same origin, nothing leaves the
// machine), persists them (IndexedDB), and exposes the actions the UI and window.warmcity use.
import type { I18n, LayerSpec } from "../domain/catalog";
import { crsLabel, parseCrs } from "../domain/crs";
import {
  addImportedLayer,
  autoStyle,
  removeImportedLayer,
  setImportedStyle,
  useAs as useAsUpdater,
  useAsProblem,
  useDemo as useDemoUpdater,
  type ImportedMeta,
} from "../domain/imports";
import { addNotice, cockpitProgress } from "../domain/state";
import { IMPORT_BUDGET_BYTES, overBudget } from "../domain/import/budget";
import type { ImportRequest, ImportResponse } from "./import.worker";
import { ImportStore, type PersistProblem, type StoredLayer } from "./persist";
import type { Store } from "./store";

export interface AddDataInput {
  name?: string;
  bytes?: ArrayBuffer | Uint8Array;
  text?: string;
  url?: string;
  crs?: string;
  encoding?: string;
}

export interface ImportJob {
  id: number;
  name: string;
  progress: number;
  step: string;
  status: "running" | "error" | "cancelled";
  error?: I18n;
}

export class ImportFailure extends Error {
  constructor(
    readonly msg: I18n,
    lang: "zh" | "en",
  ) {
    super(lang === "zh" ? msg.zh : msg.en);
    this.name = "ImportFailure";
  }
}

const nameOfUrl = (u: string) => decodeURIComponent(new URL(u, document.baseURI).pathname.split("/").filter(Boolean).pop() ?? u);

export function createImporter(store: Store, persist = new ImportStore()) {
  let jobs: ImportJob[] = [];
  const jobSubs = new Set<() => void>();
  const workers = new Map<number, { w: Worker; reject(e: Error): void }>();
  let jobSeq = 0;
  let batchSeq = 0;
  const setJobs = (j: ImportJob[]) => {
    jobs = j;
    for (const f of jobSubs) f();
  };
  const patchJob = (id: number, p: Partial<ImportJob>) => setJobs(jobs.map((j) => (j.id === id ? { ...j, ...p } : j)));
  const lang = () => store.get().lang;
  const say = (m: I18n, level: "info" | "warn" | "error" = "error") =>
    store.dispatch((s) => addNotice(s, level, s.lang === "zh" ? m.zh : m.en));

  let persistWarned = false;
  const persistProblem = (p: unknown, name?: string) => {
    if (persistWarned) return;
    persistWarned = true;
    const pp = p as PersistProblem;
    const who = name ? { zh: `“${name}”`, en: `"${name}"` } : { zh: "导入的图层", en: "imported layers" };
    const m: I18n =
      pp?.kind === "quota"
        ? {
            zh: `浏览器存储空间已满，${who.zh}本次可以使用，但刷新后不会保留（已保存的导入不受影响）。请移除不用的导入图层，或用 npm run import 在构建时导入。`,
            en: `Browser storage is full: ${who.en} can be used now but will not survive a reload (imports already kept are safe). Remove imports you do not need, or import at build time with npm run import.`,
          }
        : {
            zh: `此浏览器无法保存导入的数据（隐私/无痕模式或禁用了 IndexedDB：${pp?.detail ?? ""}），导入的图层刷新后不会保留。可用 npm run import 把数据放进项目。`,
            en: `This browser cannot keep imported data (private mode or IndexedDB disabled: ${pp?.detail ?? ""}); imported layers will not survive a reload. Use npm run import to put the data into the project.`,
          };
    say(m, "warn");
  };

  const nextLayerId = () => {
    const used = new Set(store.get().catalog.layers.map((l) => l.id));
    for (let k = 1; ; k++) if (!used.has(`my-${k}`)) return `my-${k}`;
  };

  const stored = (id: string): StoredLayer | undefined => {
    const s = store.get();
    const spec = s.catalog.layers.find((l) => l.id === id);
    const meta = s.imports?.[id];
    if (!spec || !meta) return undefined;
    return {
      id,
      spec: { ...spec, url: spec.kind === "3dtiles" ? spec.url : "" },
      meta,
      visible: s.layers[id]?.visible ?? true,
      opacity: s.layers[id]?.opacity ?? 1,
    };
  };

  function addLayer(spec: LayerSpec, meta: ImportedMeta, text: string | undefined) {
    store.dispatch((s) => addImportedLayer(s, spec, meta));
    const rec = stored(spec.id);
    if (rec) persist.putLayer(rec, text).catch((e) => persistProblem(e, meta.name));
  }

  function add(input: AddDataInput): { jobId: number; promise: Promise<string[]> } {
    const name = input.name ?? (input.url ? nameOfUrl(input.url) : "data");
    const jobId = ++jobSeq;
    setJobs([
      ...jobs.filter((j) => j.status === "running" || j.status === "error"),
      { id: jobId, name, progress: 0, step: "start", status: "running" },
    ]);
    const promise = new Promise<string[]>((resolve, reject) => {
      const w = new Worker(new URL("./import.worker.ts", import.meta.url), { type: "module" });
      const fail = (msg: I18n) => {
        w.terminate();
        workers.delete(jobId);
        patchJob(jobId, { status: "error", error: msg });
        say(msg);
        reject(new ImportFailure(msg, lang()));
      };
      workers.set(jobId, {
        w,
        reject: (e) => {
          w.terminate();
          workers.delete(jobId);
          reject(e);
        },
      });
      w.onmessage = (e: MessageEvent<ImportResponse>) => {
        const m = e.data;
        if (m.type === "progress") return patchJob(jobId, { progress: m.progress, step: m.step });
        w.terminate();
        workers.delete(jobId);
        if (m.type === "error") return fail(m.msg);
        const batch = `b${Date.now().toString(36)}${++batchSeq}`;
        if (m.type === "tileset") {
          const id = nextLayerId();
          const spec: LayerSpec = {
            id,
            title: { zh: name, en: name },
            group: "mydata",
            kind: "3dtiles",
            url: m.url,
            visible: true,
            pickable: true,
            style: { color: { type: "constant", color: "#d9e8ff" } },
          };
          addLayer(
            spec,
            {
              name: input.url ?? name,
              format: "3dtiles",
              crs: "EPSG:4978",
              crsLabel: { zh: "3D Tiles（地心坐标）", en: "3D Tiles (earth-centred)" },
              featureCount: 0,
              fields: [],
              hasHeight: false,
              batch,
            },
            undefined,
          );
          setJobs(jobs.filter((j) => j.id !== jobId));
          return resolve([id]);
        }
        const ids: string[] = [];
        const kindZh = { point: "点", line: "线", polygon: "面" } as const;
        const multi = m.layers.length > 1;
        for (const l of m.layers) {
          const id = nextLayerId();
          const colorIndex = Number(id.slice(3)) - 1;
          const title = multi ? { zh: `${name}（${kindZh[l.kind]}）`, en: `${name} (${l.kind}s)` } : { zh: name, en: name };
          const url = URL.createObjectURL(new Blob([l.text], { type: "application/geo+json" }));
          const spec: LayerSpec = {
            id,
            title,
            group: "mydata",
            kind: l.kind,
            url,
            visible: true,
            pickable: true,
            style: autoStyle(l.kind, colorIndex, { hasHeight: l.hasHeight, ownColors: l.ownColors }),
            nameProperty: ["name", "名称", "NAME", "Name"].find((k) => l.fields.includes(k)),
            source: { zh: `导入：${name} · ${m.result.crsLabel.zh}`, en: `Imported: ${name} · ${m.result.crsLabel.en}` },
          };
          const meta: ImportedMeta = {
            name,
            format: m.result.format,
            crs: m.result.crs,
            crsLabel: m.result.crsLabel,
            encoding: m.result.encoding,
            featureCount: l.count,
            fields: l.fields,
            fieldValues: l.fieldValues,
            hasHeight: l.hasHeight,
            ...(l.ownColors ? { ownColors: l.ownColors } : {}),
            batch,
            colorIndex,
          };
          addLayer(spec, meta, l.text);
          ids.push(id);
        }
        for (const wm of m.result.warnings) say(wm, "warn");
        if (m.result.skipped)
          say(
            {
              zh: `${name}：${m.result.skipped} 个要素没有可用的几何，已跳过`,
              en: `${name}: ${m.result.skipped} feature(s) without usable geometry skipped`,
            },
            "info",
          );
        setJobs(jobs.filter((j) => j.id !== jobId));
        resolve(ids);
      };
      w.onerror = (e) => fail({ zh: `${name}：解析程序出错（${e.message}）`, en: `${name}: the parser failed (${e.message})` });
      let bytes: ArrayBuffer | undefined;
      if (input.bytes) bytes = input.bytes instanceof Uint8Array ? input.bytes.slice().buffer : input.bytes.slice(0);
      const req: ImportRequest = {
        name,
        bytes,
        text: input.text,
        url: input.url ? new URL(input.url, document.baseURI).href : undefined,
        crs: input.crs,
        encoding: input.encoding,
      };
      w.postMessage(req, bytes ? [bytes] : []);
    });
    promise.catch(() => {});
    return { jobId, promise };
  }

  /** A file over the memory budget is refused before it is read (the message says what to do). */
  function refuseIfTooBig(name: string, size: number): boolean {
    if (size <= IMPORT_BUDGET_BYTES) return false;
    const m = overBudget(size, IMPORT_BUDGET_BYTES);
    const msg = { zh: `${name}：${m.zh}`, en: `${name}: ${m.en}` };
    setJobs([...jobs, { id: ++jobSeq, name, progress: 0, step: "", status: "error", error: msg }]);
    say(msg);
    return true;
  }

  /** Cancels a running import (its worker is terminated), or dismisses a failed one. */
  function cancel(jobId: number) {
    const r = workers.get(jobId);
    if (!r) return setJobs(jobs.filter((j) => j.id !== jobId));
    const name = jobs.find((j) => j.id === jobId)?.name ?? "";
    r.reject(new ImportFailure({ zh: `${name}：已取消导入`, en: `${name}: import cancelled` }, lang()));
    setJobs(jobs.filter((j) => j.id !== jobId));
  }

  function remove(layerId: string): boolean {
    const s = store.get();
    if (!s.imports?.[layerId]) return false;
    const spec = s.catalog.layers.find((l) => l.id === layerId);
    const before = s.roleSwaps;
    store.dispatch((x) => removeImportedLayer(x, layerId));
    persist.deleteLayer(layerId).catch(() => {});
    swapsChanged(before);
    // The cockpit worker may still be reading it: revoke once it has moved on.
    if (spec?.url.startsWith("blob:")) setTimeout(() => URL.revokeObjectURL(spec.url), 60_000);
    return true;
  }

  function useAs(layerId: string, role: string): void {
    const bad = useAsProblem(store.get(), layerId, role);
    if (bad) {
      say(bad, "warn");
      throw new ImportFailure(bad, lang());
    }
    const before = store.get().roleSwaps;
    store.dispatch((s) => useAsUpdater(s, layerId, role));
    swapsChanged(before);
  }

  /** The cockpit recomputes on a swap: say so at once, so whenKpis() waits for the new figures. */
  function swapsChanged(before: unknown) {
    if (store.get().roleSwaps === before) return;
    if (store.get().cockpit.status !== "idle") store.dispatch((s) => cockpitProgress(s, 0, "start"));
    persist.putSwaps(store.get().roleSwaps ?? {}).catch(() => {});
  }

  function useDemo(role: string): void {
    const before = store.get().roleSwaps;
    store.dispatch((s) => useDemoUpdater(s, role));
    swapsChanged(before);
  }

  function restyle(layerId: string, field: string | undefined) {
    const s = store.get();
    const meta = s.imports?.[layerId];
    const spec = s.catalog.layers.find((l) => l.id === layerId);
    if (!meta || !spec || spec.kind === "3dtiles") return;
    const style = autoStyle(spec.kind, meta.colorIndex ?? 0, {
      hasHeight: meta.hasHeight,
      ownColors: meta.ownColors,
      field,
      values: field ? meta.fieldValues?.[field] : undefined,
    });
    store.dispatch((x) => setImportedStyle(x, layerId, style, field));
    const rec = stored(layerId);
    if (rec) persist.putMeta(rec).catch(() => {});
  }

  /** Visibility and opacity are kept too: saved when they change. */
  let lastSaved = new Map<string, string>();
  store.subscribe(() => {
    const s = store.get();
    if (!s.imports) return;
    const next = new Map<string, string>();
    for (const id of Object.keys(s.imports)) {
      const ls = s.layers[id];
      const key = `${ls?.visible}|${ls?.opacity}`;
      next.set(id, key);
      const prev = lastSaved.get(id);
      if (prev !== undefined && prev !== key) {
        const rec = stored(id);
        if (rec) persist.putMeta(rec).catch(() => {});
      }
    }
    lastSaved = next;
  });

  /** Brings back what was imported before the reload. */
  async function restore(): Promise<number> {
    let data: Awaited<ReturnType<ImportStore["loadAll"]>>;
    try {
      data = await persist.loadAll();
    } catch (e) {
      if ((e as PersistProblem)?.kind === "unavailable") persistProblem(e);
      return 0;
    }
    let n = 0;
    for (const l of data.layers.sort((a, b) => a.id.localeCompare(b.id, "en", { numeric: true }))) {
      if (store.get().layers[l.id]) continue;
      let url = l.spec.url;
      if (l.spec.kind !== "3dtiles") {
        if (l.text === undefined) continue;
        url = URL.createObjectURL(new Blob([l.text], { type: "application/geo+json" }));
      }
      store.dispatch((s) => {
        const out = addImportedLayer(s, { ...l.spec, url, visible: l.visible }, l.meta);
        return { ...out, layers: { ...out.layers, [l.id]: { ...out.layers[l.id], opacity: l.opacity } } };
      });
      n++;
    }
    for (const [role, sw] of Object.entries(data.swaps))
      // The demo's visibility to restore later is the current view's, not the one saved.
      if (store.get().imports?.[sw.layerId] && !useAsProblem(store.get(), sw.layerId, role))
        store.dispatch((s) => useAsUpdater(s, sw.layerId, role));
    return n;
  }

  return {
    add,
    refuseIfTooBig,
    cancel,
    remove,
    useAs,
    useDemo,
    restyle,
    restore,
    jobs: () => jobs,
    subscribeJobs(fn: () => void) {
      jobSubs.add(fn);
      return () => jobSubs.delete(fn);
    },
  };
}

export type Importer = ReturnType<typeof createImporter>;

/** The CRS choices offered in the import panel: auto + the systems Chinese data comes in. */
export const CRS_CHOICES: Array<{ key: string; label: I18n }> = [
  { key: "auto", label: { zh: "自动（读取 .prj / crs，否则 WGS84）", en: "Auto (.prj / crs, else WGS84)" } },
  ...["wgs84", "cgcs2000", "gcj02", "bd09", "gk3:111", "gk3z:37", "gk6:111", "gk6z:19", "EPSG:3857"].map((key) => ({
    key,
    label: crsLabel(parseCrs(key)!),
  })),
];
