// Authoring a tour without a server: record the current shot as a step, reorder, retime,
// caption, preview; export JSON the manifest accepts and import it back. The draft itself is
// kept by the app (localStorage); this panel only edits it.
import { useRef, useState } from "react";
import type { Lang } from "../domain/catalog";
import { moveStep, type Tour, type TourStep } from "../domain/tours";
import { t } from "./i18n";
import { IconPlay } from "./icons";

export interface EditorProps {
  lang: Lang;
  draft: Tour;
  onChange(t: Tour): void;
  record(): void;
  preview(step: number): void;
  play(): void;
  exportJson(): void;
  /** Returns the reason when the text is refused (then the draft is left as it was). */
  importText(text: string): string | undefined;
  close(): void;
  /** A layer's title and a field's label in the current language (for the step's filter line). */
  layerTitle(id: string): string;
  fieldLabel(layerId: string, field: string): string;
}

const num = (v: string, min: number, max: number, fallback: number) => {
  const n = Number(v);
  return Number.isFinite(n) ? Math.min(max, Math.max(min, n)) : fallback;
};

/** 「本步筛选：燃气管道（敷设年份）」 / "Step filters: Gas pipes (Install year)". */
function filterLine(lang: Lang, filters: NonNullable<TourStep["filters"]>, p: EditorProps): string {
  const zh = lang === "zh";
  const parts = Object.entries(filters).map(([layer, f]) => {
    const fields = Object.keys(f).map((field) => p.fieldLabel(layer, field));
    return zh ? `${p.layerTitle(layer)}（${fields.join("、")}）` : `${p.layerTitle(layer)} (${fields.join(", ")})`;
  });
  return zh ? `${t(lang, "stepFilters")}：${parts.join("；")}` : `${t(lang, "stepFilters")}: ${parts.join("; ")}`;
}

export function TourEditor(p: EditorProps) {
  const { lang, draft } = p;
  const [importMsg, setImportMsg] = useState<{ ok: boolean; text: string }>();
  const fileRef = useRef<HTMLInputElement>(null);
  const setStep = (i: number, patch: Partial<TourStep>) =>
    p.onChange({ ...draft, steps: draft.steps.map((s, j) => (j === i ? { ...s, ...patch } : s)) });
  const onFile = async (f: File | undefined) => {
    if (!f) return;
    const text = await f.text();
    const err = p.importText(text);
    setImportMsg(
      err ? { ok: false, text: `${t(lang, "importRefused")}: ${err}` } : { ok: true, text: `${t(lang, "imported")}: ${f.name}` },
    );
    if (fileRef.current) fileRef.current.value = "";
  };
  return (
    <section className="panel tour-editor" data-testid="tour-editor">
      <h2 className="panel-title">
        {t(lang, "authoring")}
        <button className="icon-btn" onClick={p.close} aria-label={t(lang, "close")}>
          ✕
        </button>
      </h2>
      <div className="panel-scroll">
        <div className="editor-row">
          <label>
            {t(lang, "tourTitle")}
            <input
              data-testid="draft-title"
              value={draft.title[lang]}
              onChange={(e) => p.onChange({ ...draft, title: { ...draft.title, [lang]: e.target.value } })}
            />
          </label>
        </div>
        <div className="editor-actions">
          <button className="text-btn primary" onClick={p.record} data-testid="record-shot">
            {t(lang, "recordShot")}
          </button>
          <button className="text-btn" onClick={p.play} disabled={!draft.steps.length} data-testid="play-draft">
            <IconPlay /> {t(lang, "playDraft")}
          </button>
          <button className="text-btn" onClick={p.exportJson} disabled={!draft.steps.length} data-testid="export-json">
            {t(lang, "exportJson")}
          </button>
          <button className="text-btn" onClick={() => fileRef.current?.click()} data-testid="import-json">
            {t(lang, "importJson")}
          </button>
          <input
            ref={fileRef}
            type="file"
            accept=".json,application/json"
            hidden
            data-testid="tour-import-file"
            onChange={(e) => void onFile(e.target.files?.[0])}
          />
        </div>
        {importMsg && (
          <div className={`editor-msg ${importMsg.ok ? "ok" : "error"}`} role="alert" data-testid="import-msg">
            {importMsg.text}
          </div>
        )}
        {!draft.steps.length && <p className="muted">{t(lang, "draftEmpty")}</p>}
        <ol className="editor-steps">
          {draft.steps.map((s, i) => (
            <li key={i} className="editor-step" data-testid={`draft-step-${i}`}>
              <div className="editor-step-head">
                <span className="num">{i + 1}.</span>
                <input
                  className="editor-step-title"
                  aria-label={t(lang, "tourTitle")}
                  value={s.title[lang]}
                  onChange={(e) => setStep(i, { title: { ...s.title, [lang]: e.target.value } })}
                />
                <button className="icon-btn" onClick={() => p.preview(i)} title={t(lang, "preview")} data-testid={`preview-${i}`}>
                  <IconPlay />
                </button>
                <button
                  className="icon-btn"
                  onClick={() => p.onChange(moveStep(draft, i, i - 1))}
                  disabled={i === 0}
                  title={t(lang, "moveUp")}
                  data-testid={`up-${i}`}
                >
                  ↑
                </button>
                <button
                  className="icon-btn"
                  onClick={() => p.onChange(moveStep(draft, i, i + 1))}
                  disabled={i === draft.steps.length - 1}
                  title={t(lang, "moveDown")}
                  data-testid={`down-${i}`}
                >
                  ↓
                </button>
                <button
                  className="icon-btn"
                  onClick={() => p.onChange({ ...draft, steps: draft.steps.filter((_, j) => j !== i) })}
                  title={t(lang, "remove")}
                  data-testid={`remove-${i}`}
                >
                  ✕
                </button>
              </div>
              <div className="editor-times">
                <label>
                  {t(lang, "flightS")}
                  <input
                    type="number"
                    min={0}
                    max={120}
                    step={0.5}
                    value={s.flightS}
                    data-testid={`flight-${i}`}
                    onChange={(e) => setStep(i, { flightS: num(e.target.value, 0, 120, s.flightS) })}
                  />
                </label>
                <label>
                  {t(lang, "dwellS")}
                  <input
                    type="number"
                    min={0.1}
                    max={3600}
                    step={1}
                    value={s.dwellS}
                    data-testid={`dwell-${i}`}
                    onChange={(e) => setStep(i, { dwellS: num(e.target.value, 0.1, 3600, s.dwellS) })}
                  />
                </label>
                <label className="check">
                  <input
                    type="checkbox"
                    checked={s.orbit}
                    onChange={(e) => setStep(i, { orbit: e.target.checked })}
                    data-testid={`orbit-${i}`}
                  />
                  {t(lang, "orbit")}
                </label>
              </div>
              {s.filters && (
                <div className="editor-filters" data-testid={`filters-${i}`}>
                  <span>{Object.keys(s.filters).length ? filterLine(lang, s.filters, p) : t(lang, "stepFiltersClear")}</span>
                  <button
                    className="icon-btn"
                    onClick={() => setStep(i, { filters: undefined })}
                    title={t(lang, "stepFiltersDrop")}
                    data-testid={`drop-filters-${i}`}
                  >
                    ✕
                  </button>
                </div>
              )}
              <label className="editor-caption">
                {t(lang, "captionZh")}
                <textarea
                  rows={2}
                  value={s.caption.zh}
                  data-testid={`caption-zh-${i}`}
                  onChange={(e) => setStep(i, { caption: { ...s.caption, zh: e.target.value } })}
                />
              </label>
              <label className="editor-caption">
                {t(lang, "captionEn")}
                <textarea
                  rows={2}
                  value={s.caption.en}
                  data-testid={`caption-en-${i}`}
                  onChange={(e) => setStep(i, { caption: { ...s.caption, en: e.target.value } })}
                />
              </label>
            </li>
          ))}
        </ol>
        <p className="muted small">{t(lang, "kpiHint")}</p>
      </div>
    </section>
  );
}
