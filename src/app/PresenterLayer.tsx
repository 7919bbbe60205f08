// Presenter mode on screen: the caption, the player bar, the authoring panel with its
// localStorage draft, copy link, fullscreen and the kiosk's hidden cursor.
import { useCallback, useEffect, useMemo, useState, useSyncExternalStore } from "react";
import type { KpiDef } from "../domain/kpi";
import { addNotice, type AppState } from "../domain/state";
import { fieldLabel } from "../domain/inspector/fields";
import { inspectorOf } from "../domain/inspector/state";
import { parseToursJson, recordedFilters, tourToJson, validateTour, type Tour, type TourStep } from "../domain/tours";
import { t } from "../ui/i18n";
import { BOTTOM_BAR, useBottomBarRef } from "../ui/bottomBars";
import { TourEditor } from "../ui/TourEditor";
import { TourCaption, TourPlayerBar } from "../ui/TourPlayer";
import { fieldsOf } from "./inspector";
import type { Manifests } from "./manifests";
import { DRAFT_TOUR_ID, type Presenter } from "./presenter";
import type { Store } from "./store";

export const DRAFT_KEY = "warmcity.tourDraft.v1";

function emptyDraft(): Tour {
  return { id: "my-tour", title: { zh: t("zh", "newTour"), en: t("en", "newTour") }, steps: [] };
}

/** The saved draft, validated; a draft that no longer validates is kept aside, never dropped. */
function loadDraft(store: Store): Tour {
  const raw = localStorage.getItem(DRAFT_KEY);
  if (!raw) return emptyDraft();
  try {
    return validateTour(JSON.parse(raw), DRAFT_KEY);
  } catch (e) {
    localStorage.setItem(`${DRAFT_KEY}.broken-${Date.now()}`, raw);
    store.dispatch((s) =>
      addNotice(s, "warn", {
        zh: `${t("zh", "draftBroken")}：${(e as Error).message}`,
        en: `${t("en", "draftBroken")}: ${(e as Error).message}`,
      }),
    );
    return emptyDraft();
  }
}

export function PresenterLayer({
  state,
  store,
  presenter,
  manifests,
  kpiDefs,
}: {
  state: AppState;
  store: Store;
  presenter: Presenter;
  manifests: Manifests;
  kpiDefs: Map<string, KpiDef>;
}) {
  const lang = state.lang;
  const [editorOpen, setEditorOpen] = useState(false);
  const [draft, setDraftState] = useState<Tour>(() => loadDraft(store));
  const [orbiting, setOrbiting] = useState(false);
  const phase = useSyncExternalStore(presenter.onPhase, presenter.phase);
  const kiosk = presenter.kiosk();

  // The draft is playable as tour "draft" and survives a reload.
  const setDraft = useCallback((d: Tour) => {
    setDraftState(d);
    localStorage.setItem(DRAFT_KEY, JSON.stringify(tourToJson(d)));
  }, []);
  useEffect(() => presenter.setDraft(draft.steps.length ? draft : undefined), [draft, presenter]);

  useEffect(() => {
    const id = setInterval(() => setOrbiting(presenter.orbiting()), 500);
    return () => clearInterval(id);
  }, [presenter]);

  // Kiosk: hide the cursor when it has been still for a while.
  useEffect(() => {
    if (!kiosk.on) return;
    const off = presenter.onCursor((hidden) => document.body.classList.toggle("cursor-hidden", hidden));
    return () => {
      off();
    };
  }, [presenter, kiosk.on]);

  const tours = useMemo(() => presenter.allTours(), [presenter, draft]); // eslint-disable-line react-hooks/exhaustive-deps
  const current = state.tour ? presenter.findTour(state.tour.id) : undefined;

  const barRef = useBottomBarRef(BOTTOM_BAR.tour);
  const notify = (level: "info" | "warn", text: string) => store.dispatch((s) => addNotice(s, level, text));

  function record() {
    const shot = presenter.currentShot();
    if (!shot) return;
    const s = store.get();
    const view = manifests.views.views.find((v) => v.id === s.view);
    const visible = manifests.catalog.layers.filter((l) => s.layers[l.id]?.visible).map((l) => l.id);
    const base = new Set(view?.layers ?? []);
    const n = draft.steps.length + 1;
    const filters = recordedFilters(inspectorOf(s).filters, draft.steps);
    const step: TourStep = {
      title: { zh: `${t("zh", "shot")} ${n}`, en: `${t("en", "shot")} ${n}` },
      shot,
      flightS: 3,
      dwellS: 8,
      ...(view ? { view: view.id } : {}),
      layersOn: visible.filter((id) => !base.has(id)),
      layersOff: [...base].filter((id) => !visible.includes(id)),
      orbit: false,
      caption: view ? { ...view.description } : { zh: t("zh", "shot"), en: t("en", "shot") },
      ...(filters ? { filters } : {}),
    };
    setDraft({ ...draft, steps: [...draft.steps, step] });
  }

  /** The draft as the manifest would read it; the reason if it would not. */
  function checkedDraft(): { json: Record<string, unknown>; error?: string } {
    const json = tourToJson(draft);
    try {
      validateTour(json, "draft");
      return { json };
    } catch (e) {
      return { json, error: (e as Error).message };
    }
  }

  function exportJson() {
    const { json, error } = checkedDraft();
    if (error) return notify("warn", `${t(lang, "exportJson")}: ${error}`);
    const blob = new Blob([JSON.stringify({ version: 1, tours: [json] }, null, 2)], { type: "application/json" });
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = `tour-${draft.id}.json`;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  }

  function importText(text: string): string | undefined {
    try {
      const m = parseToursJson(text, "import");
      if (!m.tours.length) return "no tour in the file";
      setDraft(m.tours[0]);
      return undefined;
    } catch (e) {
      return (e as Error).message;
    }
  }

  async function copyLink() {
    const url = presenter.api.shareUrl();
    history.replaceState(history.state, "", url);
    try {
      await navigator.clipboard.writeText(url);
      notify("info", `${t(lang, "linkCopied")}: ${url}`);
    } catch {
      notify("info", `${t(lang, "linkCopyFailed")}: ${url}`);
    }
  }

  return (
    <>
      <div className="presenter-bottom" ref={barRef}>
        <TourCaption state={state} tour={current} kpiDefs={kpiDefs} />
        <TourPlayerBar
          state={state}
          c={{
            tours,
            current,
            phase,
            kiosk: kiosk.on,
            interactive: kiosk.interactive,
            orbiting,
            editorOpen,
            play: (id) => presenter.api.playTour(id),
            togglePlay: presenter.togglePlay,
            next: presenter.api.nextStep,
            prev: presenter.api.prevStep,
            goto: presenter.gotoStep,
            setLoop: presenter.setLoop,
            stop: presenter.stopTour,
            orbit: () => setOrbiting(presenter.orbit()),
            copyLink: () => void copyLink(),
            fullscreen: () => void document.documentElement.requestFullscreen?.().catch(() => undefined),
            toggleEditor: () => setEditorOpen((o) => !o),
          }}
        />
      </div>
      {editorOpen && !kiosk.on && (
        <TourEditor
          lang={lang}
          draft={draft}
          onChange={setDraft}
          record={record}
          preview={(i) => presenter.preview(DRAFT_TOUR_ID, i)}
          play={() => presenter.api.playTour(DRAFT_TOUR_ID, { step: 0 })}
          exportJson={exportJson}
          importText={importText}
          close={() => setEditorOpen(false)}
          layerTitle={(id) => manifests.catalog.layers.find((l) => l.id === id)?.title[lang] ?? id}
          fieldLabel={(id, field) => fieldLabel(fieldsOf(manifests.catalog, id), field, lang)}
        />
      )}
    </>
  );
}
