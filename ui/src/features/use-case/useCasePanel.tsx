// The side panel over the current view: one use case in tabs (archive and delete in its header), or the new-use-case form; Esc closes it.
import { useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from "react";

import { ArchivedBadge, QuadrantBadge, StageBadge, TierBadge } from "../../components/badges";
import type { UseCase } from "../../bindings/UseCase";
import { ErrorNote } from "../../components/errorNote";
import { useFocusTrap } from "../../lib/focusTrap";
import { HistorySection } from "./sections/historySection";
import { OutcomesSection } from "./sections/kpiSection";
import { NewUseCaseForm } from "./newUseCase";
import { OverviewSection } from "./sections/overviewSection";
import { OwnersSection } from "./sections/ownersSection";
import { PatternsSection } from "./sections/patternsSection";
import { useUseCase } from "../../lib/queries";
import { ScoringSection } from "./sections/scoringSection";
import { StageSection } from "./sections/stageSection";
import { TriageSection } from "./sections/triageSection";
import { TABS, type Tab } from "./tabs";
import { UseCaseActions } from "./useCaseActions";

export type PanelTarget = { kind: "new" } | { kind: "use-case"; id: string; tab?: Tab };

export function samePanel(a: PanelTarget | null, b: PanelTarget | null): boolean {
  if (a === null || b === null) return a === b;
  if (a.kind === "new" || b.kind === "new") return a.kind === b.kind;
  return a.id === b.id;
}

interface PanelProps {
  target: PanelTarget;
  /** Asks to show something else (null: close); the owner may hold it back while a form has unsaved edits. */
  onRequest: (next: PanelTarget | null) => void;
  onDirty: (dirty: boolean) => void;
  /** Set while a request waits on unsaved edits: the panel asks whether to discard them. */
  pending: boolean;
  onDiscard: () => void;
  onKeepEditing: () => void;
}

export function SidePanel({ target, onRequest, onDirty, pending, onDiscard, onKeepEditing }: PanelProps) {
  const ref = useRef<HTMLElement>(null);
  const onKeyDown = useFocusTrap(ref, () => onRequest(null), target.kind === "new" ? "#field-title" : "[role=tab][aria-selected=true]");
  const titleId = "panel-title";
  return (
    <aside ref={ref} className="side-panel" role="dialog" aria-modal="false" aria-labelledby={titleId} tabIndex={-1} onKeyDown={onKeyDown}>
      {pending && (
        <div className="discard-bar" role="alertdialog" aria-label="Unsaved changes">
          <span>You have unsaved changes in this form.</span>
          <button type="button" onClick={onKeepEditing}>
            Keep editing
          </button>
          <button type="button" className="danger" onClick={onDiscard}>
            Discard changes
          </button>
        </div>
      )}
      {target.kind === "new" ? (
        <>
          <PanelHead titleId={titleId} title="New use case" onClose={() => onRequest(null)} />
          <div className="panel-body">
            <NewUseCaseForm
              onCreated={(uc) => onRequest({ kind: "use-case", id: uc.id, tab: "overview" })}
              onCancel={() => onRequest(null)}
              onDirty={onDirty}
              onOpen={(id) => onRequest({ kind: "use-case", id })}
            />
          </div>
        </>
      ) : (
        <UseCaseView
          key={target.id}
          id={target.id}
          initialTab={target.tab ?? "overview"}
          titleId={titleId}
          onClose={() => onRequest(null)}
          onDirty={onDirty}
          onOpen={(id) => onRequest({ kind: "use-case", id })}
        />
      )}
    </aside>
  );
}

function PanelHead({
  titleId,
  title,
  onClose,
  children,
  actions,
}: {
  titleId: string;
  title: string;
  onClose: () => void;
  children?: ReactNode;
  actions?: ReactNode;
}) {
  return (
    <header className="panel-head">
      <div className="panel-title">
        <h2 id={titleId}>{title}</h2>
        {children}
      </div>
      {actions}
      <button type="button" className="icon-button" onClick={onClose} aria-label="Close (Esc)" title="Close (Esc)">
        ×
      </button>
    </header>
  );
}

interface ViewProps {
  id: string;
  initialTab: Tab;
  titleId: string;
  onClose: () => void;
  onDirty: (d: boolean) => void;
  /** Asks to show another use case (held back while a form has unsaved edits). */
  onOpen: (id: string) => void;
}

function UseCaseView({ id, initialTab, titleId, onClose, onDirty, onOpen }: ViewProps) {
  // Deleted: nothing left to save, so unsaved edits do not hold the panel open.
  const onDeleted = () => {
    onDirty(false);
    onClose();
  };
  const uc = useUseCase(id);
  const [tab, setTab] = useState<Tab>(initialTab);
  const [visited, setVisited] = useState<ReadonlySet<Tab>>(() => new Set([initialTab]));
  const focusAfter = useRef<string | null>(null);

  const show = (t: Tab, focus?: string) => {
    setTab(t);
    setVisited((v) => (v.has(t) ? v : new Set([...v, t])));
    focusAfter.current = focus ?? null;
  };
  // Opened before the use case loaded: focus waits on the panel, then moves to the tabs.
  const loaded = uc.data !== undefined;
  useEffect(() => {
    const active = document.activeElement;
    if (loaded && active instanceof HTMLElement && active.classList.contains("side-panel")) {
      document.getElementById(`tab-${tab}`)?.focus();
    }
    // Only the moment the data arrives matters, not each change of tab.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [loaded]);
  useEffect(() => {
    if (focusAfter.current) {
      document.querySelector<HTMLElement>(focusAfter.current)?.focus();
      focusAfter.current = null;
    }
  }, [tab]);

  if (uc.error) {
    return (
      <>
        <PanelHead titleId={titleId} title="Use case" onClose={onClose} />
        <div className="panel-body">
          <ErrorNote error={uc.error} />
        </div>
      </>
    );
  }
  if (!uc.data) {
    return (
      <>
        <PanelHead titleId={titleId} title="Loading…" onClose={onClose} />
        <p className="loading panel-body">Loading the use case…</p>
      </>
    );
  }
  const data = uc.data;
  return (
    <>
      <PanelHead titleId={titleId} title={data.title} onClose={onClose} actions={<UseCaseActions uc={data} onDeleted={onDeleted} onOpen={onOpen} />}>
        <div className="panel-badges">
          <StageBadge stage={data.stage} />
          <QuadrantBadge quadrant={data.quadrant} />
          {data.triage && <TierBadge tier={data.triage.outcome.tier} retriage={data.triage.needs_retriage} />}
          {data.archived && <ArchivedBadge />}
          {data.demo && (
            <span className="badge demo" title="Demo data stays on this computer">
              Demo
            </span>
          )}
        </div>
      </PanelHead>
      <Tabs current={tab} onChange={show} />
      <div className="panel-body">
        {TABS.map((t) => (
          <div key={t.id} role="tabpanel" id={`tabpanel-${t.id}`} aria-labelledby={`tab-${t.id}`} hidden={t.id !== tab}>
            {visited.has(t.id) && <Section tab={t.id} uc={data} onTab={show} onDirty={onDirty} onOpen={onOpen} />}
          </div>
        ))}
      </div>
    </>
  );
}

function Section({
  tab,
  uc,
  onTab,
  onDirty,
  onOpen,
}: {
  tab: Tab;
  uc: UseCase;
  onTab: (t: Tab, focus?: string) => void;
  onDirty: (d: boolean) => void;
  onOpen: (id: string) => void;
}) {
  switch (tab) {
    case "overview":
      return <OverviewSection uc={uc} onDirty={onDirty} onOpen={onOpen} />;
    case "scoring":
      return <ScoringSection uc={uc} />;
    case "patterns":
      return <PatternsSection uc={uc} />;
    case "triage":
      return <TriageSection uc={uc} />;
    case "owners":
      return <OwnersSection uc={uc} />;
    case "stage":
      return <StageSection uc={uc} onTab={onTab} />;
    case "outcomes":
      return <OutcomesSection uc={uc} />;
    case "history":
      return <HistorySection id={uc.id} />;
  }
}

function Tabs({ current, onChange }: { current: Tab; onChange: (t: Tab) => void }) {
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const at = TABS.findIndex((t) => t.id === current);
    const step = e.key === "ArrowRight" ? 1 : e.key === "ArrowLeft" ? -1 : 0;
    const to = e.key === "Home" ? 0 : e.key === "End" ? TABS.length - 1 : step ? (at + step + TABS.length) % TABS.length : -1;
    const next = TABS[to];
    if (!next) return;
    e.preventDefault();
    onChange(next.id);
    document.getElementById(`tab-${next.id}`)?.focus();
  };
  return (
    <div className="tabs" role="tablist" aria-label="Use case sections" onKeyDown={onKeyDown}>
      {TABS.map((t) => (
        <button
          key={t.id}
          type="button"
          role="tab"
          id={`tab-${t.id}`}
          aria-selected={t.id === current}
          aria-controls={`tabpanel-${t.id}`}
          tabIndex={t.id === current ? 0 : -1}
          onClick={() => onChange(t.id)}
        >
          {t.label}
        </button>
      ))}
    </div>
  );
}
