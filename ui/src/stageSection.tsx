// The Stage & gates tab: where the use case may move and what each gate still needs, the move itself, and the stage timeline; its move pieces are shared with the pipeline.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useMemo, useState } from "react";

import { StageBadge } from "./badges";
import type { GateItem } from "./bindings/GateItem";
import type { MoveStage } from "./bindings/MoveStage";
import type { Stage } from "./bindings/Stage";
import type { StageOption } from "./bindings/StageOption";
import type { UseCase } from "./bindings/UseCase";
import { ErrorNote, FieldError } from "./errorNote";
import { absoluteTime, daysSince, indexPeople, personName } from "./format";
import { Moment, usePreferences } from "./preferences";
import { call, fieldError, IpcError } from "./ipc";
import { apiQuery, useCaseChanged } from "./queries";
import type { Tab } from "./useCasePanel";
import { MOVE_KIND_LABEL, STAGE_LABEL, STAGES } from "./vocabulary";

/** The tab where a missing gate requirement is put right. */
function fixTab(item: GateItem): { tab: Tab; label: string } {
  switch (item.requirement.kind) {
    case "owner":
      return { tab: "owners", label: "Go to Owners" };
    case "all_scored":
      return { tab: "scoring", label: "Go to Scoring" };
    case "field":
      return { tab: "overview", label: "Go to Overview" };
    case "primary_pattern":
    case "controls_in_place":
      return { tab: "patterns", label: "Go to Patterns & controls" };
    case "triage":
      return { tab: "triage", label: "Go to Risk triage" };
  }
}

/** Where the focus lands on the fix's tab: the field itself, or the control that puts a pattern requirement right. */
function fixFocus(item: GateItem): string | undefined {
  const r = item.requirement;
  if (r.kind === "field") return `#field-${r.field}`;
  if (r.kind === "primary_pattern") return "#pattern-add";
  if (r.kind === "controls_in_place") return "#controls-heading";
  if (r.kind === "triage") return "#triage-heading";
  return undefined;
}

/** Stages refused for the same reason, listed once. */
function groupByReason(options: StageOption[]): [string, Stage[]][] {
  const groups = new Map<string, Stage[]>();
  for (const o of options) {
    const reason = o.reason ?? "";
    groups.set(reason, [...(groups.get(reason) ?? []), o.stage]);
  }
  return [...groups.entries()];
}

function isStage(v: unknown): v is Stage {
  return typeof v === "string" && (STAGES as readonly string[]).includes(v);
}

/** The request of a move: the note trimmed (left out when empty), against the version the person saw. */
export function moveRequest(id: string, to: Stage, note: string, version: number): MoveStage {
  const trimmed = note.trim();
  return trimmed ? { id, to, note: trimmed, expect_version: version } : { id, to, expect_version: version };
}

/** What to say when a move that needs a note (back, park, retire) has none yet. */
export function missingNote(o: StageOption, note: string): string | undefined {
  return o.needs_note && !note.trim() ? `Moving to ${STAGE_LABEL[o.stage]} needs a note saying why.` : undefined;
}

/** Moves a use case (from the Stage tab or the pipeline) and refreshes everything the move changes. */
export function useMoveStage() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (m: MoveStage) => call("use_case_move_stage", m),
    onSuccess: (next) => void useCaseChanged(qc, next),
  });
}

/** A refused move. A stale one offers Reload: the use case's options and version are read again, then the person tries again. */
export function MoveError({ id, error, onReload }: { id: string; error: unknown; onReload: () => void }) {
  const qc = useQueryClient();
  const stale = error instanceof IpcError && error.code === "stale";
  return (
    <ErrorNote error={error}>
      {stale && (
        <div className="actions">
          <button
            type="button"
            onClick={() => {
              onReload();
              void qc.invalidateQueries({ predicate: (q) => q.queryKey[1] === id });
            }}
          >
            Reload
          </button>
        </div>
      )}
    </ErrorNote>
  );
}

/** A way to put a missing requirement right. */
export interface GateFix {
  label: string;
  go: () => void;
}

/** A gate's checklist: each requirement met (✓) or missing (✗), in words as well as marks, a missing one with its fix if given. */
export function GateChecklist({ id, stage, gate, fix }: { id?: string; stage: Stage; gate: GateItem[]; fix?: (g: GateItem) => GateFix | null }) {
  return (
    <ul className="gate" id={id} aria-label={`Gate for ${STAGE_LABEL[stage]}`}>
      {gate.map((g) => {
        const f = !g.met && fix ? fix(g) : null;
        return (
          <li key={g.label} className={g.met ? "met" : "missing"}>
            <span className="gate-mark" aria-hidden="true">
              {g.met ? "✓" : "✗"}
            </span>
            <span className="visually-hidden">{g.met ? "Met:" : "Missing:"}</span> {g.label}
            {f && (
              <button type="button" className="link-button" onClick={f.go}>
                {f.label}
              </button>
            )}
          </li>
        );
      })}
    </ul>
  );
}

/** "2 requirements missing before this move." */
export function missingCount(gate: GateItem[]): string {
  const n = gate.filter((g) => !g.met).length;
  return `${n} requirement${n === 1 ? "" : "s"} missing before this move.`;
}

/** The moves the rules allow from here, each with its gate checklist; a blocked one cannot be chosen. */
export function MoveOptions({ options, busy, onMove, fix }: { options: StageOption[]; busy: boolean; onMove: (o: StageOption) => void; fix?: (g: GateItem) => GateFix | null }) {
  // The Stage tab and the pipeline's Move dialog can be open at once: their gate ids must differ.
  const idBase = useId();
  return (
    <ul className="move-list">
      {options.map((o) => {
        const missing = o.gate.filter((g) => !g.met);
        const gateId = `${idBase}gate-${o.stage}`;
        return (
          <li key={o.stage} className={o.allowed ? "move allowed" : "move blocked"} data-testid={`option-${o.stage}`}>
            <div className="move-head">
              <StageBadge stage={o.stage} />
              <span className="muted">{o.kind ? MOVE_KIND_LABEL[o.kind] : ""}</span>
              {o.needs_note && <span className="tag-note">note required</span>}
              <button
                type="button"
                data-testid={`move-${o.stage}`}
                className={o.allowed ? "primary" : undefined}
                disabled={!o.allowed || busy}
                aria-describedby={missing.length ? gateId : undefined}
                onClick={() => onMove(o)}
              >
                Move to {STAGE_LABEL[o.stage]}
              </button>
            </div>
            {o.gate.length > 0 && <GateChecklist id={gateId} stage={o.stage} gate={o.gate} fix={fix} />}
            {!o.allowed && missing.length > 0 && <p className="muted small">{missingCount(o.gate)}</p>}
          </li>
        );
      })}
    </ul>
  );
}

/** The stages the move rules never allow from here, grouped by why. */
export function ImpossibleMoves({ options }: { options: StageOption[] }) {
  if (options.length === 0) return null;
  return (
    <details className="impossible">
      <summary>Not possible from here ({options.length})</summary>
      <ul>
        {groupByReason(options).map(([reason, stages]) => (
          <li key={reason}>
            {stages.map((s) => (
              <StageBadge key={s} stage={s} />
            ))}{" "}
            <span className="muted">{reason}</span>
          </li>
        ))}
      </ul>
    </details>
  );
}

export function StageSection({ uc, onTab }: { uc: UseCase; onTab: (tab: Tab, focus?: string) => void }) {
  const options = useQuery(apiQuery("use_case_stage_options", uc.id));
  const prefs = usePreferences();
  const [note, setNote] = useState("");
  const [noteError, setNoteError] = useState<string | undefined>();
  const [moved, setMoved] = useState<string | null>(null);
  const move = useMoveStage();

  const tryMove = (o: StageOption) => {
    const missing = missingNote(o, note);
    if (missing) {
      setNoteError(missing);
      document.getElementById("move-note")?.focus();
      return;
    }
    setMoved(null);
    setNoteError(undefined);
    move.mutate(moveRequest(uc.id, o.stage, note, uc.version), {
      onSuccess: () => {
        setNote("");
        setMoved(`Moved to ${STAGE_LABEL[o.stage]}.`);
      },
      onError: (e) => {
        const err = IpcError.from(e);
        if (err.field === "note") setNoteError(err.message);
      },
    });
  };

  const possible = (options.data ?? []).filter((o) => o.kind !== null);
  const impossible = (options.data ?? []).filter((o) => o.kind === null);
  const moveError = move.error instanceof IpcError && move.error.field !== "note" ? move.error : null;
  const fix = (g: GateItem): GateFix => {
    const where = fixTab(g);
    return { label: where.label, go: () => onTab(where.tab, fixFocus(g)) };
  };

  return (
    <div className="stage-section">
      <p className="stage-now">
        Now at <StageBadge stage={uc.stage} /> for{" "}
        <span title={`Since ${absoluteTime(uc.stage_since, prefs.date_format)}`}>
          {daysSince(uc.stage_since)} day{daysSince(uc.stage_since) === 1 ? "" : "s"}
        </span>
        {uc.left_stage && (
          <span className="muted">
            {" "}
            (left {STAGE_LABEL[uc.left_stage]})
          </span>
        )}
      </p>

      <div className="field">
        <label htmlFor="move-note">Note for the move</label>
        <textarea
          id="move-note"
          rows={2}
          value={note}
          onChange={(e) => {
            setNote(e.target.value);
            setNoteError(undefined);
          }}
          aria-invalid={Boolean(noteError)}
          aria-describedby={noteError ? "move-note-error move-note-hint" : "move-note-hint"}
        />
        <p className="hint" id="move-note-hint">
          Optional for the next stage; required (the reason) for moving back, parking or retiring.
        </p>
        <FieldError id="move-note-error" message={noteError ?? fieldError(move.error, "note")} />
      </div>

      {moved && (
        <p className="status ok" role="status">
          {moved}
        </p>
      )}
      {moveError ? <MoveError id={uc.id} error={moveError} onReload={() => move.reset()} /> : <ErrorNote error={options.error} />}

      <h3>Possible moves</h3>
      {options.isLoading && <p className="loading">Checking the gates…</p>}
      <MoveOptions options={possible} busy={move.isPending} onMove={tryMove} fix={fix} />
      <ImpossibleMoves options={impossible} />

      <Timeline id={uc.id} />
    </div>
  );
}

function Timeline({ id }: { id: string }) {
  const timeline = useQuery(apiQuery("use_case_timeline", id));
  const people = useQuery(apiQuery("people_list"));
  const index = useMemo(() => indexPeople(people.data), [people.data]);
  const prefs = usePreferences();
  return (
    <section aria-labelledby="timeline-heading">
      <h3 id="timeline-heading">Timeline</h3>
      <ErrorNote error={timeline.error} />
      {timeline.data && timeline.data.length === 0 && <p className="muted">No stage moves recorded yet.</p>}
      <ol className="timeline">
        {(timeline.data ?? []).map((e, i) => (
          <li key={`${e.at}-${i}`}>
            <span className="timeline-move">
              {isStage(e.old) ? <StageBadge stage={e.old} /> : "—"} → {isStage(e.new) ? <StageBadge stage={e.new} /> : "—"}
            </span>
            <span className="muted">
              {" "}
              by {personName(e.actor, index)},{" "}
              <Moment at={e.at} format={prefs.date_format} />
            </span>
            {e.note && <p className="timeline-note">“{e.note}”</p>}
          </li>
        ))}
      </ol>
    </section>
  );
}
