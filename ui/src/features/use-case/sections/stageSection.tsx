// The Stage & gates tab: where the use case may move and what each gate still needs, the move itself, and the stage timeline (the move's pieces are `stage-move`'s, shared with the pipeline).
import { useMemo, useState } from "react";

import { StageBadge } from "../../../components/badges";
import type { GateItem } from "../../../bindings/GateItem";
import type { Stage } from "../../../bindings/Stage";
import type { StageOption } from "../../../bindings/StageOption";
import type { UseCase } from "../../../bindings/UseCase";
import { ErrorNote, FieldError } from "../../../components/errorNote";
import { absoluteTime, daysSince, indexPeople, personName } from "../../../lib/format";
import { Moment, usePreferences } from "../../../lib/preferences";
import { fieldError, IpcError } from "../../../lib/ipc";
import { usePeople, useStageOptions } from "../../../lib/queries";
import type { Tab } from "../tabs";
import { STAGE_LABEL, STAGES } from "../../../lib/vocabulary";
import { useTimeline } from "../api";

import { ImpossibleMoves, missingNote, MoveError, MoveOptions, moveRequest, useMoveStage, type GateFix } from "../../stage-move";

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

function isStage(v: unknown): v is Stage {
  return typeof v === "string" && (STAGES as readonly string[]).includes(v);
}

export function StageSection({ uc, onTab }: { uc: UseCase; onTab: (tab: Tab, focus?: string) => void }) {
  const options = useStageOptions(uc.id);
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
        {uc.left_stage && <span className="muted"> (left {STAGE_LABEL[uc.left_stage]})</span>}
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
  const timeline = useTimeline(id);
  const people = usePeople();
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
              by {personName(e.actor, index)}, <Moment at={e.at} format={prefs.date_format} />
            </span>
            {e.note && <p className="timeline-note">“{e.note}”</p>}
          </li>
        ))}
      </ol>
    </section>
  );
}
