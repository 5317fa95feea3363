// Moving a use case to another stage, wherever it is asked for (the Stage & gates tab, the pipeline): the request, the gate checklist, the choices and their refusals.
import { useId } from "react";

import { StageBadge } from "../../components/badges";
import type { GateItem } from "../../bindings/GateItem";
import type { MoveStage } from "../../bindings/MoveStage";
import type { Stage } from "../../bindings/Stage";
import type { StageOption } from "../../bindings/StageOption";
import { ErrorNote } from "../../components/errorNote";
import { IpcError } from "../../lib/ipc";
import { MOVE_KIND_LABEL, STAGE_LABEL } from "../../lib/vocabulary";
import { useReloadUseCase } from "./api";

/** Stages refused for the same reason, listed once. */
function groupByReason(options: StageOption[]): [string, Stage[]][] {
  const groups = new Map<string, Stage[]>();
  for (const o of options) {
    const reason = o.reason ?? "";
    groups.set(reason, [...(groups.get(reason) ?? []), o.stage]);
  }
  return [...groups.entries()];
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

/** A refused move. A stale one offers Reload: the use case's options and version are read again, then the person tries again. */
export function MoveError({ id, error, onReload }: { id: string; error: unknown; onReload: () => void }) {
  const reload = useReloadUseCase();
  const stale = error instanceof IpcError && error.code === "stale";
  return (
    <ErrorNote error={error}>
      {stale && (
        <div className="actions">
          <button
            type="button"
            onClick={() => {
              onReload();
              reload(id);
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
export function MoveOptions({
  options,
  busy,
  onMove,
  fix,
}: {
  options: StageOption[];
  busy: boolean;
  onMove: (o: StageOption) => void;
  fix?: (g: GateItem) => GateFix | null;
}) {
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
