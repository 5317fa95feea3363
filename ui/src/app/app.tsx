// The app shell: sidebar, top bar, the current view, the side panel and the first-run question; global shortcuts (undo included); sync with the registry around it all.
import { lazy, Suspense, useCallback, useEffect, useRef, useState } from "react";

import { DuplicatesView } from "../features/duplicates";
import { ErrorNote } from "../components/errorNote";
import { FirstRunDialog, SettingsView } from "../features/settings";
import { PatternsView } from "../features/patterns";
import { PipelineView } from "../features/pipeline";
import { PortfolioView } from "../features/portfolio";
import { useIdentity } from "../lib/queries";
import { ReviewView } from "../features/review";
import { Sidebar, type View } from "./sidebar";
import { SyncProvider, SyncView } from "../features/sync";
import { TopBar } from "./topBar";
import { useUndo } from "../lib/undo";
import { samePanel, SidePanel, type PanelTarget } from "../features/use-case";

// The chart views load on first visit: ECharts is most of their weight, and the rest of
// the app starts without it.
const MatrixView = lazy(() => import("../features/matrix").then((m) => ({ default: m.MatrixView })));
const DashboardView = lazy(() => import("../features/dashboard").then((m) => ({ default: m.DashboardView })));

const NOT_TEXT = ["checkbox", "radio", "button", "submit", "reset", "range", "color", "file"];

/** Keys typed into a field are text, not shortcuts (and Ctrl+Z there undoes the typing). */
function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target instanceof HTMLInputElement) return !NOT_TEXT.includes(target.type);
  return target.isContentEditable || ["TEXTAREA", "SELECT"].includes(target.tagName);
}

export function App() {
  const identity = useIdentity();
  const [view, setView] = useState<View>("portfolio");
  const [panel, setPanel] = useState<PanelTarget | null>(null);
  const [pending, setPending] = useState<{ next: PanelTarget | null } | null>(null);
  // Read synchronously: a form that just saved clears it in the same tick as it asks to move on.
  const dirty = useRef(false);
  const onDirty = useCallback((d: boolean) => {
    dirty.current = d;
  }, []);

  const request = useCallback(
    (next: PanelTarget | null) => {
      if (dirty.current && !samePanel(panel, next)) {
        setPending({ next });
        return;
      }
      setPending(null);
      setPanel(next);
    },
    [panel],
  );
  const discard = () => {
    dirty.current = false;
    setPanel(pending?.next ?? null);
    setPending(null);
  };

  const toPortfolio = useCallback(() => setView("portfolio"), []);
  const { undo } = useUndo();
  const firstRun = identity.isSuccess && identity.data === null;

  useEffect(() => {
    const focusSearch = () => document.getElementById("search")?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || firstRun) return;
      if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === "k") {
        e.preventDefault();
        focusSearch();
        return;
      }
      if ((e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === "z" && !isTyping(e.target)) {
        e.preventDefault();
        undo();
        return;
      }
      if (isTyping(e.target) || e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === "/") {
        e.preventDefault();
        focusSearch();
      } else if (e.key === "n" || e.key === "N") {
        e.preventDefault();
        request({ kind: "new" });
      } else if (e.key === "Escape" && panel) {
        request(null);
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [firstRun, panel, request, undo]);

  if (identity.error) {
    return (
      <main className="fatal">
        <h1>The portfolio could not be opened</h1>
        <ErrorNote error={identity.error} />
      </main>
    );
  }

  const openId = panel?.kind === "use-case" ? panel.id : null;
  const open = (id: string) => request({ kind: "use-case", id });
  return (
    <SyncProvider>
      <div className={panel ? "app with-panel" : "app"}>
        <Sidebar view={view} onView={setView} />
        <div className="main">
          <TopBar onNew={() => request({ kind: "new" })} onSearch={toPortfolio} onSync={() => setView("sync")} />
          <main className="content">
            {view === "portfolio" && <PortfolioView onOpen={open} onNew={() => request({ kind: "new" })} openId={openId} />}
            <Suspense fallback={<p className="loading">Loading…</p>}>
              {view === "matrix" && <MatrixView onOpen={open} openId={openId} />}
              {view === "dashboard" && <DashboardView onOpen={open} />}
            </Suspense>
            {view === "pipeline" && <PipelineView onOpen={open} openId={openId} />}
            {view === "review" && <ReviewView onOpen={open} />}
            {view === "patterns" && <PatternsView onOpen={open} />}
            {view === "duplicates" && <DuplicatesView onOpen={open} />}
            {view === "sync" && <SyncView onOpen={open} onPatterns={() => setView("patterns")} />}
            {view === "settings" && <SettingsView onSync={() => setView("sync")} />}
          </main>
        </div>
        {panel && (
          <SidePanel
            key={panel.kind === "new" ? "new" : "use-case"}
            target={panel}
            onRequest={request}
            onDirty={onDirty}
            pending={pending !== null}
            onDiscard={discard}
            onKeepEditing={() => setPending(null)}
          />
        )}
        {firstRun && <FirstRunDialog />}
      </div>
    </SyncProvider>
  );
}
