// Bulk edit of the selected use cases: the action bar, a small form per change, and the summary of what changed and why the rest did not.
import { useState, type FormEvent, type ReactNode } from "react";

import type { BulkChange } from "../../bindings/BulkChange";
import type { BulkResult } from "../../bindings/BulkResult";
import type { OwnerRole } from "../../bindings/OwnerRole";
import type { Stage } from "../../bindings/Stage";
import { Dialog } from "../../components/dialog";
import { ErrorNote } from "../../components/errorNote";
import { splitList } from "../../lib/format";
import { useFilterChoices, usePeople } from "../../lib/queries";
import { useBulkEdit } from "./api";
import { FieldNotes } from "../../components/textField";
import { useUndo } from "../../lib/undo";
import { OWNER_ROLE_LABEL, OWNER_ROLES, STAGE_LABEL, STAGES } from "../../lib/vocabulary";

type Kind = BulkChange["kind"];

const ACTIONS: readonly { kind: Kind; label: string }[] = [
  { kind: "stage", label: "Set stage…" },
  { kind: "owner", label: "Set owner…" },
  { kind: "business_unit", label: "Set business unit…" },
  { kind: "tags", label: "Tags…" },
];

/** What happened to each use case, in the change's own verb. */
const OUTCOME: Record<Kind, [done: string, notDone: string]> = {
  stage: ["moved", "not moved"],
  owner: ["changed", "not changed"],
  business_unit: ["changed", "not changed"],
  tags: ["changed", "not changed"],
};

const nUseCases = (n: number) => (n === 1 ? "1 use case" : `${n} use cases`);

interface Outcome {
  kind: Kind;
  result: BulkResult;
}

/** The bar over the table while use cases are selected, and the summary of the last bulk edit. */
export function BulkEdit({ ids, onClear, onOpen }: { ids: readonly string[]; onClear: () => void; onOpen: (id: string) => void }) {
  const [editing, setEditing] = useState<Kind | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  return (
    <>
      {ids.length > 0 && (
        <div className="bulk-bar" role="group" aria-label="Bulk edit">
          <span className="bulk-count">{ids.length} selected</span>
          {ACTIONS.map((a) => (
            <button key={a.kind} type="button" onClick={() => setEditing(a.kind)}>
              {a.label}
            </button>
          ))}
          <button type="button" className="link-button" onClick={onClear}>
            Clear selection
          </button>
        </div>
      )}
      {outcome && <Summary outcome={outcome} onOpen={onOpen} onDismiss={() => setOutcome(null)} />}
      {editing && (
        <BulkDialog
          kind={editing}
          ids={ids}
          onClose={() => setEditing(null)}
          onDone={(result) => {
            setEditing(null);
            setOutcome({ kind: editing, result });
            onClear();
          }}
        />
      )}
    </>
  );
}

function Summary({ outcome, onOpen, onDismiss }: { outcome: Outcome; onOpen: (id: string) => void; onDismiss: () => void }) {
  const { changed, refused } = outcome.result;
  const [done, notDone] = OUTCOME[outcome.kind];
  const headline = refused.length > 0 ? `${changed.length} ${done}; ${refused.length} ${notDone}` : `${changed.length} ${done}`;
  return (
    <div className={refused.length > 0 ? "bulk-summary bad" : "bulk-summary"} role="status">
      <p>
        <strong>{headline}</strong>
        <button type="button" className="link-button" onClick={onDismiss}>
          Dismiss
        </button>
      </p>
      {refused.length > 0 && (
        <ul aria-label={notDone[0]!.toUpperCase() + notDone.slice(1)}>
          {refused.map((r) => (
            <li key={r.id}>
              <button type="button" className="link-button" onClick={() => onOpen(r.id)}>
                {r.title || r.id}
              </button>
              : {r.reason}
              {r.details.length > 0 && (
                <ul>
                  {r.details.map((d) => (
                    <li key={d}>{d}</li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

const EMAIL = /^[^\s@,<>]+@[^\s@,<>]+\.[^\s@,<>]+$/;

interface Values {
  stage: Stage | "";
  note: string;
  role: OwnerRole;
  email: string;
  name: string;
  businessUnit: string;
  add: string;
  remove: string;
}

/** What every control of the form gets: its id and the state screen readers announce. */
interface Control {
  id: string;
  "aria-invalid": boolean;
  "aria-describedby": string | undefined;
}

const EMPTY: Values = { stage: "", note: "", role: "business", email: "", name: "", businessUnit: "", add: "", remove: "" };

/** The change to send, or the problem to fix first, keyed by the input it belongs beside. */
function toChange(kind: Kind, v: Values): BulkChange | { field: keyof Values; message: string } {
  switch (kind) {
    case "stage": {
      if (!v.stage) return { field: "stage", message: "Choose the stage to move them to." };
      const note = v.note.trim();
      return note ? { kind, to: v.stage, note } : { kind, to: v.stage };
    }
    case "owner": {
      const email = v.email.trim();
      if (!email)
        return v.name.trim()
          ? { field: "email", message: "Give the person’s email, or leave both empty to clear the role." }
          : { kind, role: v.role, person: null };
      if (!EMAIL.test(email)) return { field: "email", message: "That is not an email address (like name@example.org)." };
      return { kind, role: v.role, person: v.name.trim() ? { email, name: v.name.trim() } : { email } };
    }
    case "business_unit":
      return { kind, business_unit: v.businessUnit.trim() };
    case "tags": {
      const add = splitList(v.add);
      const remove = splitList(v.remove);
      if (add.length === 0 && remove.length === 0) return { field: "add", message: "Give tags to add, to remove, or both." };
      return { kind, add, remove };
    }
  }
}

const TITLE: Record<Kind, (n: number) => string> = {
  stage: (n) => `Move ${nUseCases(n)}`,
  owner: (n) => `Set an owner of ${nUseCases(n)}`,
  business_unit: (n) => `Set the business unit of ${nUseCases(n)}`,
  tags: (n) => `Tags of ${nUseCases(n)}`,
};

function BulkDialog({ kind, ids, onClose, onDone }: { kind: Kind; ids: readonly string[]; onClose: () => void; onDone: (r: BulkResult) => void }) {
  const undo = useUndo();
  const choices = useFilterChoices();
  const people = usePeople();
  const [values, setValues] = useState<Values>(EMPTY);
  const [problem, setProblem] = useState<{ field: keyof Values; message: string } | null>(null);
  const apply = useBulkEdit();

  const edit = (field: keyof Values, value: string) => {
    setValues((v) => ({ ...v, [field]: value }));
    setProblem(null);
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const change = toChange(kind, values);
    if ("field" in change) setProblem(change);
    else
      apply.mutate(
        { ids: [...ids], change },
        {
          onSuccess: (result) => {
            // A kept undo of a changed use case would now be refused as stale: drop it.
            for (const id of result.changed) undo.forget(id);
            onDone(result);
          },
        },
      );
  };

  /** One labelled control (id `bulk-<name>`), its hint and the problem beside it. */
  const field = (name: keyof Values, label: string, control: (a11y: Control) => ReactNode, hint?: string) => {
    const id = `bulk-${name}`;
    const error = problem?.field === name ? problem.message : undefined;
    const describedBy = [error ? `${id}-error` : "", hint ? `${id}-hint` : ""].filter(Boolean).join(" ") || undefined;
    return (
      <div className="field">
        <label htmlFor={id}>{label}</label>
        {control({ id, "aria-invalid": Boolean(error), "aria-describedby": describedBy })}
        <FieldNotes id={id} hint={hint} error={error} />
      </div>
    );
  };
  const text = (name: Exclude<keyof Values, "stage" | "role">, list?: string) => (a11y: Control) => (
    <input {...a11y} value={values[name]} list={list} autoComplete="off" onChange={(e) => edit(name, e.target.value)} />
  );

  let fields: ReactNode;
  switch (kind) {
    case "stage":
      fields = (
        <>
          {field(
            "stage",
            "Move to",
            (a11y) => (
              <select {...a11y} value={values.stage} onChange={(e) => edit("stage", e.target.value)}>
                <option value="">Choose a stage…</option>
                {STAGES.map((s) => (
                  <option key={s} value={s}>
                    {STAGE_LABEL[s]}
                  </option>
                ))}
              </select>
            ),
            "Each use case moves only if its gate and the move rules allow it; the others are listed afterwards with the reason.",
          )}
          {field(
            "note",
            "Note",
            (a11y) => (
              <textarea {...a11y} rows={2} value={values.note} onChange={(e) => edit("note", e.target.value)} />
            ),
            "Needed for moving back, parking and retiring.",
          )}
        </>
      );
      break;
    case "owner":
      fields = (
        <>
          {field("role", "Role", (a11y) => (
            <select {...a11y} value={values.role} onChange={(e) => edit("role", e.target.value)}>
              {OWNER_ROLES.map((r) => (
                <option key={r} value={r}>
                  {OWNER_ROLE_LABEL[r]}
                </option>
              ))}
            </select>
          ))}
          {field("email", "Email", text("email", "bulk-people"), "Leave empty to clear the role. Someone new is added to the people list.")}
          {field("name", "Name (for someone new)", text("name"))}
          <datalist id="bulk-people">
            {(people.data ?? []).map((p) => (
              <option key={p.id} value={p.email}>
                {p.name}
              </option>
            ))}
          </datalist>
        </>
      );
      break;
    case "business_unit":
      fields = (
        <>
          {field("businessUnit", "Business unit", text("businessUnit", "bulk-units"), "Leave empty to clear it.")}
          <datalist id="bulk-units">
            {(choices.data?.business_units ?? []).map((b) => (
              <option key={b} value={b} />
            ))}
          </datalist>
        </>
      );
      break;
    case "tags":
      fields = (
        <>
          {field("add", "Add tags", text("add"), "Separate with commas.")}
          {field("remove", "Remove tags", text("remove"), "Separate with commas. Other tags stay.")}
        </>
      );
      break;
  }

  return (
    <Dialog title={TITLE[kind](ids.length)} onClose={onClose}>
      <form className="form" onSubmit={submit} noValidate>
        {fields}
        <ErrorNote error={apply.error} />
        <div className="actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={apply.isPending}>
            {apply.isPending ? "Applying…" : "Apply"}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
