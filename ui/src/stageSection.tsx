// The Stage & gates tab: where the use case may move and what each gate still needs, the move itself, and the stage timeline.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo, useState } from "react";

import { StageBadge } from "./badges";
import type { GateItem } from "./bindings/GateItem";
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
  }
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

export function StageSection({ uc, onTab }: { uc: UseCase; onTab: (tab: Tab, focus?: string) => void }) {
  const qc = useQueryClient();
  const options = useQuery(apiQuery("use_case_stage_options", uc.id));
  const prefs = usePreferences();
  const [note, setNote] = useState("");
  const [noteError, setNoteError] = useState<string | undefined>();
  const [moved, setMoved] = useState<string | null>(null);

  const move = useMutation({
    mutationFn: (to: Stage) => {
      const trimmed = note.trim();
      return call("use_case_move_stage", trimmed ? { id: uc.id, to, note: trimmed, expect_version: uc.version } : { id: uc.id, to, expect_version: uc.version });
    },
    onMutate: () => {
      setMoved(null);
      setNoteError(undefined);
    },
    onSuccess: (next, to) => {
      setNote("");
      setMoved(`Moved to ${STAGE_LABEL[to]}.`);
      void useCaseChanged(qc, next);
    },
    onError: (e) => {
      const err = IpcError.from(e);
      if (err.field === "note") setNoteError(err.message);
    },
  });

  const tryMove = (o: StageOption) => {
    if (o.needs_note && !note.trim()) {
      setNoteError(`Moving to ${STAGE_LABEL[o.stage]} needs a note saying why.`);
      document.getElementById("move-note")?.focus();
      return;
    }
    move.mutate(o.stage);
  };

  const possible = (options.data ?? []).filter((o) => o.kind !== null);
  const impossible = (options.data ?? []).filter((o) => o.kind === null);
  const moveError = move.error instanceof IpcError && move.error.field !== "note" ? move.error : null;

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
      <ErrorNote error={moveError ?? options.error}>
        {moveError?.code === "stale" && (
          <div className="actions">
            <button
              type="button"
              onClick={() => {
                move.reset();
                void qc.invalidateQueries({ predicate: (q) => q.queryKey[1] === uc.id });
              }}
            >
              Reload
            </button>
          </div>
        )}
      </ErrorNote>

      <h3>Possible moves</h3>
      {options.isLoading && <p className="loading">Checking the gates…</p>}
      <ul className="move-list">
        {possible.map((o) => {
          const missing = o.gate.filter((g) => !g.met);
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
                  disabled={!o.allowed || move.isPending}
                  aria-describedby={missing.length ? `gate-${o.stage}` : undefined}
                  onClick={() => tryMove(o)}
                >
                  Move to {STAGE_LABEL[o.stage]}
                </button>
              </div>
              {o.gate.length > 0 && (
                <ul className="gate" id={`gate-${o.stage}`} aria-label={`Gate for ${STAGE_LABEL[o.stage]}`}>
                  {o.gate.map((g) => (
                    <li key={g.label} className={g.met ? "met" : "missing"}>
                      <span className="gate-mark" aria-hidden="true">
                        {g.met ? "✓" : "✗"}
                      </span>
                      <span className="visually-hidden">{g.met ? "Met:" : "Missing:"}</span> {g.label}
                      {!g.met && (
                        <button type="button" className="link-button" onClick={() => onTab(fixTab(g).tab, g.requirement.kind === "field" ? `#field-${g.requirement.field}` : undefined)}>
                          {fixTab(g).label}
                        </button>
                      )}
                    </li>
                  ))}
                </ul>
              )}
              {!o.allowed && missing.length > 0 && (
                <p className="muted small">
                  {missing.length} requirement{missing.length === 1 ? "" : "s"} missing before this move.
                </p>
              )}
            </li>
          );
        })}
      </ul>
      {impossible.length > 0 && (
        <details className="impossible">
          <summary>Not possible from here ({impossible.length})</summary>
          <ul>
            {groupByReason(impossible).map(([reason, stages]) => (
              <li key={reason}>
                {stages.map((s) => (
                  <StageBadge key={s} stage={s} />
                ))}{" "}
                <span className="muted">{reason}</span>
              </li>
            ))}
          </ul>
        </details>
      )}

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
