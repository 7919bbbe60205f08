// "导入数据 / Import data": drop zone (the whole window accepts drops), file picker, URL,
// coordinate system and encoding choices, running imports with progress and cancel, and per
// imported layer its style field, "use as" role and remove. Pure React: it calls the import
// controller's actions; the layers themselves appear under 我的数据 in the layer panel.
import { useEffect, useRef, useState, useSyncExternalStore } from "react";
import type { Lang } from "../domain/catalog";
import { demoLayersFor, roleTitle } from "../domain/imports";
import { ROLES } from "../domain/kpiLayers";
import type { AppState } from "../domain/state";
import { CRS_CHOICES, type Importer } from "../app/imports";
import { formatNumber, t } from "./i18n";
import "./import.css";

interface Props {
  state: AppState;
  importer: Importer;
  /** Saves the imported layers, their settings and the current views as a bundle zip. */
  onExport?: () => void;
}

export default function ImportPanel({ state, importer, onExport }: Props) {
  const lang: Lang = state.lang;
  const [open, setOpen] = useState(false);
  const [crs, setCrs] = useState("auto");
  const [encoding, setEncoding] = useState("auto");
  const [url, setUrl] = useState("");
  const [dragging, setDragging] = useState(false);
  const fileRef = useRef<HTMLInputElement>(null);
  const jobs = useSyncExternalStore(importer.subscribeJobs, importer.jobs, importer.jobs);
  const opts = useRef({ crs, encoding });
  opts.current = { crs, encoding };

  const addFiles = (files: FileList | File[]) => {
    for (const f of Array.from(files))
      if (!importer.refuseIfTooBig(f.name, f.size))
        void f.arrayBuffer().then((bytes) => importer.add({ name: f.name, bytes, crs: opts.current.crs, encoding: opts.current.encoding }));
  };

  // Dropping anywhere on the window imports; the panel opens so the progress is visible.
  useEffect(() => {
    let depth = 0;
    const hasFiles = (e: DragEvent) => !!e.dataTransfer && Array.from(e.dataTransfer.types).includes("Files");
    const over = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
    };
    const enter = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth++;
      setDragging(true);
    };
    const leave = () => {
      depth = Math.max(0, depth - 1);
      if (!depth) setDragging(false);
    };
    const drop = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth = 0;
      setDragging(false);
      setOpen(true);
      if (e.dataTransfer?.files.length) addFiles(e.dataTransfer.files);
    };
    window.addEventListener("dragover", over);
    window.addEventListener("dragenter", enter);
    window.addEventListener("dragleave", leave);
    window.addEventListener("drop", drop);
    return () => {
      window.removeEventListener("dragover", over);
      window.removeEventListener("dragenter", enter);
      window.removeEventListener("dragleave", leave);
      window.removeEventListener("drop", drop);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [importer]);

  useEffect(() => {
    if (jobs.length) setOpen(true);
  }, [jobs.length]);

  const imported = state.catalog.layers.filter((l) => state.imports?.[l.id]);
  const swappedRoleOf = (id: string) => Object.entries(state.roleSwaps ?? {}).find(([, s]) => s.layerId === id)?.[0];

  return (
    <section className="panel import-panel" data-testid="import-panel" aria-label={t(lang, "importTitle")}>
      <h2 className="panel-title">
        <button className="import-toggle" aria-expanded={open} data-testid="import-toggle" onClick={() => setOpen(!open)}>
          {open ? "▾" : "＋"} {t(lang, "importTitle")}
        </button>
        <span className="en-sub">{lang === "zh" ? "Import data" : "导入数据"}</span>
      </h2>
      {dragging && <div className="import-dropping">{t(lang, "importDropHere")}</div>}
      {/* Always mounted, so "choose files" works whether or not the panel is open. */}
      <input
        ref={fileRef}
        type="file"
        multiple
        hidden
        data-testid="import-file"
        accept=".geojson,.json,.csv,.txt,.kml,.kmz,.gpx,.zip,.czml,.osm,.xml,.pbf"
        onChange={(e) => {
          if (e.target.files) addFiles(e.target.files);
          e.target.value = "";
        }}
      />
      {open && (
        <div className="panel-scroll import-body">
          <div className="import-drop" data-testid="import-drop">
            <span>{t(lang, "importDrop")}</span>{" "}
            <button className="text-btn" onClick={() => fileRef.current?.click()}>
              {t(lang, "importChoose")}
            </button>
            <div className="import-formats">{t(lang, "importFormats")}</div>
          </div>
          <form
            className="import-url"
            onSubmit={(e) => {
              e.preventDefault();
              if (!url.trim()) return;
              importer.add({ url: url.trim(), crs, encoding });
              setUrl("");
            }}
          >
            <input
              type="url"
              value={url}
              placeholder={t(lang, "importUrl")}
              aria-label={t(lang, "importUrl")}
              onChange={(e) => setUrl(e.target.value)}
              data-testid="import-url"
            />
            <button className="text-btn" type="submit">
              {t(lang, "importAdd")}
            </button>
          </form>
          <div className="import-options">
            <label>
              {t(lang, "importCrs")}
              <select value={crs} onChange={(e) => setCrs(e.target.value)} data-testid="import-crs">
                {CRS_CHOICES.map((c) => (
                  <option key={c.key} value={c.key}>
                    {c.label[lang]}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t(lang, "importEncoding")}
              <select value={encoding} onChange={(e) => setEncoding(e.target.value)} data-testid="import-encoding">
                <option value="auto">{t(lang, "importEncAuto")}</option>
                <option value="utf-8">UTF-8</option>
                <option value="gbk">GBK / GB18030</option>
              </select>
            </label>
          </div>
          {jobs.length > 0 && (
            <ul className="import-jobs">
              {jobs.map((j) => (
                <li key={j.id} className={`import-job ${j.status}`} data-testid="import-job" data-status={j.status}>
                  <div className="import-job-line">
                    <span className="import-name">{j.name}</span>
                    {j.status === "running" ? (
                      <>
                        <span className="num">{Math.round(j.progress * 100)}%</span>
                        <button className="text-btn" onClick={() => importer.cancel(j.id)} data-testid="import-cancel">
                          {t(lang, "importCancel")}
                        </button>
                      </>
                    ) : (
                      <button className="icon-btn" aria-label={t(lang, "dismiss")} onClick={() => importer.cancel(j.id)}>
                        ×
                      </button>
                    )}
                  </div>
                  {j.status === "running" && (
                    <div className="progress">
                      <div style={{ width: `${Math.max(3, Math.round(j.progress * 100))}%` }} />
                    </div>
                  )}
                  {j.error && (
                    <div className="layer-error" role="alert" data-testid="import-error">
                      ⚠ {j.error[lang]}
                    </div>
                  )}
                </li>
              ))}
            </ul>
          )}
          {imported.length > 0 && (
            <ul className="import-layers">
              {imported.map((l) => {
                const meta = state.imports![l.id];
                const role = swappedRoleOf(l.id);
                const roles =
                  l.kind === "3dtiles"
                    ? []
                    : ROLES.filter((r) => demoLayersFor(state, r).some((d) => (d.kind === "3dtiles" ? "polygon" : d.kind) === l.kind));
                return (
                  <li key={l.id} className="import-layer" data-testid={`import-layer-${l.id}`}>
                    <div className="import-job-line">
                      <span className="import-name" title={meta.name}>
                        {l.title[lang]}
                      </span>
                      <span className="num muted">
                        {meta.format === "3dtiles" ? "3D Tiles" : `${formatNumber(meta.featureCount, lang)} ${t(lang, "features")}`}
                      </span>
                      <button className="text-btn" onClick={() => importer.remove(l.id)} data-testid={`import-remove-${l.id}`}>
                        {t(lang, "importRemove")}
                      </button>
                    </div>
                    <div className="import-meta muted">
                      {meta.crsLabel[lang]}
                      {meta.encoding ? ` · ${meta.encoding.toUpperCase()}` : ""}
                    </div>
                    {l.kind !== "3dtiles" && (
                      <div className="import-options">
                        <label>
                          {t(lang, "importStyle")}
                          <select
                            value={meta.styleField ?? ""}
                            onChange={(e) => importer.restyle(l.id, e.target.value || undefined)}
                            data-testid={`import-style-${l.id}`}
                          >
                            <option value="">
                              {t(lang, meta.hasHeight ? "importStyleHeight" : meta.ownColors ? "importStyleOwn" : "importStyleSingle")}
                            </option>
                            {meta.fields.map((f) => (
                              <option key={f} value={f}>
                                {f}
                              </option>
                            ))}
                          </select>
                        </label>
                        {roles.length > 0 && (
                          <label>
                            {t(lang, "importUseAs")}
                            <select
                              value={role ?? ""}
                              data-testid={`import-role-${l.id}`}
                              onChange={(e) => {
                                try {
                                  if (e.target.value) importer.useAs(l.id, e.target.value);
                                  else if (role) importer.useDemo(role);
                                } catch {
                                  // useAs has put the reason in a notice already.
                                }
                              }}
                            >
                              <option value="">{t(lang, "importUseDemo")}</option>
                              {roles.map((r) => (
                                <option key={r} value={r} disabled={!!state.roleSwaps?.[r] && state.roleSwaps[r].layerId !== l.id}>
                                  {roleTitle(state, r)[lang]}
                                </option>
                              ))}
                            </select>
                          </label>
                        )}
                      </div>
                    )}
                  </li>
                );
              })}
            </ul>
          )}
          {imported.length > 0 && onExport && (
            <div className="import-export">
              <button className="text-btn" onClick={onExport} data-testid="import-export" title={t(lang, "importExportTip")}>
                ⇩ {t(lang, "importExport")}
              </button>
            </div>
          )}
        </div>
      )}
    </section>
  );
}
