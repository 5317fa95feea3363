// The Patterns & controls tab: the reference patterns a use case is mapped to (one primary), the reason when it has none, and the controls it inherits with their status here.
import { useId, useRef, useState, type FormEvent, type KeyboardEvent } from "react";

import type { ControlState } from "../../../bindings/ControlState";
import type { GateRules } from "../../../bindings/GateRules";
import type { InheritedControl } from "../../../bindings/InheritedControl";
import type { Requirement } from "../../../bindings/Requirement";
import type { SetControl } from "../../../bindings/SetControl";
import type { UseCase } from "../../../bindings/UseCase";
import { ErrorNote, FieldError } from "../../../components/errorNote";
import { plural } from "../../../lib/format";
import { fieldError, IpcError } from "../../../lib/ipc";
import "./patternsSection.css";
import { useCatalogue, useGateRules } from "../../../lib/queries";
import { useUndo } from "../../../lib/undo";
import { CONTROL_STATE_LABEL, CONTROL_STATES, GATED_STAGES, STAGE_LABEL } from "../../../lib/vocabulary";
import { usePatternLink, useSetControl, useSetFields } from "../api";

type SaveState = { state: "saving" } | { state: "saved" } | { state: "failed"; error: IpcError };

type PatternChange = { kind: "map"; slug: string; name: string; primary: boolean } | { kind: "unmap"; slug: string; name: string };

/** "Proof of concept", "Pilot and Production": the stages whose gate asks for `kind`, or null when none does. */
export function stagesAsking(rules: GateRules | undefined, kind: Requirement["kind"]): string | null {
  const stages = GATED_STAGES.filter((s) => (rules?.stages[s] ?? []).some((r) => r.kind === kind)).map((s) => STAGE_LABEL[s]);
  if (stages.length === 0) return null;
  return stages.length === 1 ? stages[0]! : `${stages.slice(0, -1).join(", ")} and ${stages.at(-1)}`;
}

/** "Data-leakage check" from "RAG knowledge assistant and Agentic workflow". */
function fromWords(from: string[], uc: UseCase): string {
  const names = from.map((slug) => uc.patterns.find((p) => p.slug === slug)?.name ?? slug);
  return names.length < 2 ? (names[0] ?? "") : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
}

export function PatternsSection({ uc }: { uc: UseCase }) {
  const hasPrimary = uc.patterns.some((p) => p.primary);
  return (
    <div className="patterns-tab">
      <section aria-labelledby="mapped-heading">
        <h3 id="mapped-heading">Patterns</h3>
        <MappedPatterns uc={uc} />
        {!hasPrimary && <NoPatternReason key={uc.id} uc={uc} />}
      </section>
      <section aria-labelledby="controls-heading">
        <h3 id="controls-heading" tabIndex={-1}>
          Inherited controls
        </h3>
        <ControlsSummary uc={uc} />
        {uc.controls.length > 0 && (
          <ul className="control-list" aria-label="Inherited controls">
            {uc.controls.map((c) => (
              <ControlItem key={c.slug} uc={uc} control={c} />
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

/** The mapped patterns, primary first, each made primary or removed in one click; and the form to add one. */
function MappedPatterns({ uc }: { uc: UseCase }) {
  const [done, setDone] = useState<string | null>(null);
  const link = usePatternLink();
  const change = (c: PatternChange, after?: () => void) => {
    setDone(null);
    link.mutate(
      c.kind === "map" ? { map: { use_case_id: uc.id, pattern_slug: c.slug, primary: c.primary } } : { unmap: { use_case_id: uc.id, pattern_slug: c.slug } },
      {
        onSuccess: () => {
          if (c.kind === "unmap") setDone(`Removed ${c.name}.`);
          else setDone(c.primary ? `${c.name} is the primary pattern.` : `Mapped to ${c.name}.`);
          after?.();
        },
      },
    );
  };
  // A refusal about the chosen pattern shows beside the picker; others under the list.
  const other = link.error instanceof IpcError && link.error.field !== "pattern" ? link.error : null;

  return (
    <>
      {uc.patterns.length === 0 ? (
        <p className="muted">Not mapped to a reference pattern yet.</p>
      ) : (
        <ul className="pattern-links" aria-label="Mapped patterns">
          {uc.patterns.map((p) => (
            <li key={p.slug}>
              <span className="pattern-link-name">{p.name}</span>
              {p.primary && <span className="badge pattern-primary">Primary</span>}
              {p.retired && (
                <span className="badge archived" title="Retired: it keeps its use cases but takes no new ones">
                  Retired
                </span>
              )}
              <span className="pattern-link-actions">
                {!p.primary && (
                  <button
                    type="button"
                    aria-label={`Make “${p.name}” the primary pattern`}
                    disabled={link.isPending}
                    onClick={() => change({ kind: "map", slug: p.slug, name: p.name, primary: true })}
                  >
                    Make primary
                  </button>
                )}
                <button
                  type="button"
                  className="link-button danger"
                  aria-label={`Remove “${p.name}”`}
                  title={p.retired ? "A retired pattern cannot be mapped again once removed" : undefined}
                  disabled={link.isPending}
                  onClick={() => change({ kind: "unmap", slug: p.slug, name: p.name })}
                >
                  Remove
                </button>
              </span>
            </li>
          ))}
        </ul>
      )}
      {done && (
        <p className="status ok" role="status">
          {done}
        </p>
      )}
      <ErrorNote error={other} />
      <AddPattern uc={uc} busy={link.isPending} error={fieldError(link.error, "pattern")} onAdd={change} />
    </>
  );
}

function AddPattern({
  uc,
  busy,
  error,
  onAdd,
}: {
  uc: UseCase;
  busy: boolean;
  error: string | undefined;
  onAdd: (c: PatternChange, done: () => void) => void;
}) {
  const catalogue = useCatalogue();
  const [slug, setSlug] = useState("");
  // Until the person says otherwise, the first pattern becomes the primary one.
  const [primary, setPrimary] = useState<boolean | null>(null);
  const [local, setLocal] = useState<string | undefined>();
  const hasPrimary = uc.patterns.some((p) => p.primary);
  const asPrimary = primary ?? !hasPrimary;
  const free = (catalogue.data?.patterns ?? []).filter((p) => !p.retired && !uc.patterns.some((l) => l.slug === p.slug));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const chosen = free.find((p) => p.slug === slug);
    if (!chosen) {
      setLocal("Choose a pattern to add.");
      document.getElementById("pattern-add")?.focus();
      return;
    }
    // Kept if refused, to read beside the error.
    onAdd({ kind: "map", slug: chosen.slug, name: chosen.name, primary: asPrimary }, () => {
      setSlug("");
      setPrimary(null);
    });
  };
  const message = local ?? error;

  return (
    <form className="pattern-add" onSubmit={submit} noValidate aria-label="Add a pattern">
      <div className="field">
        <label htmlFor="pattern-add">Pattern to add</label>
        <select
          id="pattern-add"
          value={slug}
          aria-invalid={Boolean(message)}
          aria-describedby={message ? "pattern-add-error" : undefined}
          onChange={(e) => {
            setSlug(e.target.value);
            setLocal(undefined);
          }}
        >
          <option value="">{free.length === 0 && catalogue.isSuccess ? "Every live pattern is mapped" : "Choose a pattern…"}</option>
          {free.map((p) => (
            <option key={p.slug} value={p.slug}>
              {p.name}
            </option>
          ))}
        </select>
        <FieldError id="pattern-add-error" message={message} />
      </div>
      <label className="pattern-add-primary">
        <input type="checkbox" checked={asPrimary} onChange={(e) => setPrimary(e.target.checked)} />
        As the primary pattern
      </label>
      <button type="submit" disabled={busy}>
        Add pattern
      </button>
      <ErrorNote error={catalogue.error} />
    </form>
  );
}

/** Without a primary pattern, a gate can be passed with a recorded reason for none. */
function NoPatternReason({ uc }: { uc: UseCase }) {
  const rules = useGateRules();
  const [text, setText] = useState(uc.no_pattern_reason ?? "");
  // Changed elsewhere: show the new reason unless the person is typing another.
  const [base, setBase] = useState(uc.no_pattern_reason);
  if (uc.no_pattern_reason !== base) {
    setBase(uc.no_pattern_reason);
    if (text === (base ?? "")) setText(uc.no_pattern_reason ?? "");
  }
  const [saved, setSaved] = useState(false);
  const save = useSetFields();
  const stages = stagesAsking(rules.data, "primary_pattern");
  const dirty = text.trim() !== (uc.no_pattern_reason ?? "");
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    save.mutate({ id: uc.id, expect_version: uc.version, fields: { no_pattern_reason: text.trim() || null } }, { onSuccess: () => setSaved(true) });
  };
  const error = fieldError(save.error, "no_pattern_reason");
  const other = save.error instanceof IpcError && save.error.field !== "no_pattern_reason" ? save.error : null;

  return (
    <form className="form no-pattern-reason" onSubmit={submit} noValidate aria-label="No primary pattern">
      <div className="field">
        <label htmlFor="no-pattern-reason">Reason for no primary pattern</label>
        <textarea
          id="no-pattern-reason"
          rows={2}
          value={text}
          aria-invalid={Boolean(error)}
          aria-describedby={error ? "no-pattern-reason-error" : "no-pattern-reason-hint"}
          onChange={(e) => {
            setText(e.target.value);
            setSaved(false);
            save.reset();
          }}
        />
        <p className="hint" id="no-pattern-reason-hint">
          {stages ? `${stages} needs a primary pattern, or this reason for having none` : "Why no reference pattern fits"}, e.g. “A rules engine; no AI pattern
          applies”.
        </p>
        <FieldError id="no-pattern-reason-error" message={error} />
      </div>
      <ErrorNote error={other} />
      <div className="form-actions">
        <button type="submit" disabled={save.isPending || !dirty}>
          {save.isPending ? "Saving…" : "Save reason"}
        </button>
        {saved && !dirty && (
          <span className="status ok" role="status">
            Saved
          </span>
        )}
      </div>
    </form>
  );
}

/** "3 of 7 controls open — Pilot needs every control in place or not applicable". */
function ControlsSummary({ uc }: { uc: UseCase }) {
  const rules = useGateRules();
  const total = uc.controls.length;
  if (total === 0) {
    return <p className="muted">No inherited controls: a use case inherits the controls its patterns require.</p>;
  }
  const open = uc.controls.filter((c) => c.status === "open").length;
  const stages = stagesAsking(rules.data, "controls_in_place");
  const text =
    open === 0
      ? `All ${plural(total, "control", "controls")} in place or not applicable`
      : `${open} of ${plural(total, "control", "controls")} open${stages ? ` — ${stages} needs every control in place or not applicable` : ""}`;
  return (
    <p className={open === 0 ? "controls-summary done" : "controls-summary"} data-testid="controls-summary">
      {text}
    </p>
  );
}

/** One inherited control: its status picked in one click, its note saved when the field is left. */
function ControlItem({ uc, control }: { uc: UseCase; control: InheritedControl }) {
  const undo = useUndo();
  const nameId = useId();
  const noteId = useId();
  const group = useRef<HTMLDivElement>(null);
  const [status, setStatus] = useState<SaveState | undefined>();
  const [note, setNote] = useState(control.note ?? "");
  // Changed elsewhere (an undo, another window): show the new note unless the person is typing another.
  const [base, setBase] = useState(control.note);
  if (control.note !== base) {
    setBase(control.note);
    if (note === (base ?? "")) setNote(control.note ?? "");
  }

  const save = useSetControl();

  const write = (to: ControlState, text: string) => {
    const req: SetControl = { use_case_id: uc.id, control_slug: control.slug, status: to };
    if (text.trim()) req.note = text.trim();
    // What Undo puts back: the control as it was before this change.
    const inverse: SetControl = { use_case_id: uc.id, control_slug: control.slug, status: control.status };
    if (control.note) inverse.note = control.note;
    setStatus({ state: "saving" });
    // Through the promise, not mutate's callbacks: a status picked before the last one is saved must not lose that one's undo.
    void save.mutateAsync(req).then(
      (next) => {
        setStatus({ state: "saved" });
        undo.record({
          id: uc.id,
          done: "Control saved",
          what: `status of ${control.name} on “${next.title}”`,
          inverse: { cmd: "use_case_set_control", req: inverse },
        });
      },
      (e: unknown) => setStatus({ state: "failed", error: IpcError.from(e) }),
    );
  };
  const saveNote = () => {
    if (note.trim() !== (control.note ?? "")) write(control.status, note);
  };

  // Arrows move between the choices; Enter or Space (a click) picks one, so browsing writes nothing.
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const buttons = Array.from(group.current?.querySelectorAll<HTMLButtonElement>("[role=radio]") ?? []);
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
    const step = e.key === "ArrowRight" || e.key === "ArrowDown" ? 1 : e.key === "ArrowLeft" || e.key === "ArrowUp" ? -1 : 0;
    if (at < 0 || step === 0) return;
    e.preventDefault();
    buttons[(at + step + buttons.length) % buttons.length]?.focus();
  };

  return (
    <li className="control" data-control-state={control.status} aria-labelledby={nameId}>
      <div className="control-head">
        <h4 id={nameId}>{control.name}</h4>
        {status && (
          <span className={`status ${status.state === "saved" ? "ok" : status.state === "failed" ? "bad" : ""}`} role="status">
            {status.state === "saving" ? "Saving…" : status.state === "saved" ? "Saved" : "Not saved"}
          </span>
        )}
      </div>
      {control.description && <p className="control-description">{control.description}</p>}
      <p className="muted small">From {fromWords(control.from, uc)}</p>
      <div className="control-edit">
        <div ref={group} className="segmented" role="radiogroup" aria-label={`Status of ${control.name}`} onKeyDown={onKeyDown}>
          {CONTROL_STATES.map((s) => (
            <button
              key={s}
              type="button"
              role="radio"
              aria-checked={control.status === s}
              tabIndex={control.status === s ? 0 : -1}
              data-state={s}
              onClick={() => control.status !== s && write(s, note)}
            >
              {CONTROL_STATE_LABEL[s]}
            </button>
          ))}
        </div>
        <div className="field control-note">
          <label htmlFor={noteId}>Note</label>
          <input
            id={noteId}
            aria-label={`Note on ${control.name}`}
            value={note}
            placeholder="Optional: evidence, a link, who checked it"
            onChange={(e) => setNote(e.target.value)}
            onBlur={(e) => {
              // Picking a status next sends the note with it.
              if (!group.current?.contains(e.relatedTarget)) saveNote();
            }}
            onKeyDown={(e) => {
              if (e.key === "Enter") {
                e.preventDefault();
                saveNote();
              }
            }}
          />
        </div>
      </div>
      {status?.state === "failed" && <ErrorNote error={status.error} />}
    </li>
  );
}
