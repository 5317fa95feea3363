// The Owners tab: business, technical, data and risk owner, each picked from the people list or added inline.
import { useId, useMemo, useState, type FormEvent, type KeyboardEvent } from "react";

import type { NewPerson } from "../../../bindings/NewPerson";
import type { OwnerRole } from "../../../bindings/OwnerRole";
import type { Person } from "../../../bindings/Person";
import type { UseCase } from "../../../bindings/UseCase";
import { ErrorNote, FieldError } from "../../../components/errorNote";
import { indexPeople } from "../../../lib/format";
import { fieldError, IpcError } from "../../../lib/ipc";
import { usePeople } from "../../../lib/queries";
import { useUndo } from "../../../lib/undo";
import { OWNER_ROLE_LABEL, OWNER_ROLES } from "../../../lib/vocabulary";
import { useSetOwner } from "../api";

export function OwnersSection({ uc }: { uc: UseCase }) {
  const people = usePeople();
  return (
    <div className="owners">
      <p className="hint">
        Owners are who to ask. The stage gates ask for some of them (a business owner before Assessment, a technical owner before Proof of concept).
      </p>
      {OWNER_ROLES.map((role) => (
        <OwnerRow key={role} uc={uc} role={role} people={people.data ?? []} />
      ))}
    </div>
  );
}

const EMAILISH = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function OwnerRow({ uc, role, people }: { uc: UseCase; role: OwnerRole; people: readonly Person[] }) {
  const undo = useUndo();
  const index = useMemo(() => indexPeople(people), [people]);
  const current = uc.owners[role];
  const person = current ? index.get(current.toLowerCase()) : undefined;
  const [text, setText] = useState("");
  const [name, setName] = useState("");
  const [unit, setUnit] = useState("");
  const [open, setOpen] = useState(false);
  const [highlight, setHighlight] = useState(0);
  const [saved, setSaved] = useState(false);
  const ids = { head: useId(), list: useId(), email: `owner-${role}-email`, name: `owner-${role}-name`, unit: `owner-${role}-business_unit` };

  const assign = useSetOwner();
  const assignTo = (p: NewPerson | null) => {
    setSaved(false);
    const old = current;
    assign.mutate(
      { id: uc.id, role, person: p },
      {
        onSuccess: (next) => {
          if (next.owners[role] !== old) {
            undo.record({
              id: next.id,
              done: `${OWNER_ROLE_LABEL[role]} saved`,
              what: `${OWNER_ROLE_LABEL[role].toLowerCase()} of “${next.title}”`,
              inverse: { cmd: "use_case_set_owner", req: { id: next.id, role, person: old ? { email: old } : null, expect_version: next.version } },
            });
          }
          setText("");
          setName("");
          setUnit("");
          setOpen(false);
          setSaved(true);
        },
      },
    );
  };

  const query = text.trim().toLowerCase();
  const matches = query ? people.filter((p) => p.name.toLowerCase().includes(query) || p.email.includes(query)).slice(0, 8) : [];
  const known = index.get(query);
  const isNew = EMAILISH.test(query) && !known;

  const pick = (p: Person) => assignTo({ email: p.email });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!query) return;
    if (known) return pick(known);
    if (!isNew && matches.length === 1 && matches[0]) return pick(matches[0]);
    const p: NewPerson = { email: text.trim() };
    if (name.trim()) p.name = name.trim();
    if (unit.trim()) p.business_unit = unit.trim();
    assignTo(p);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (!open || matches.length === 0) return;
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      setHighlight((h) => (h + (e.key === "ArrowDown" ? 1 : -1) + matches.length) % matches.length);
    } else if (e.key === "Enter") {
      const m = matches[highlight];
      if (m) {
        e.preventDefault();
        pick(m);
      }
    } else if (e.key === "Escape") {
      e.stopPropagation();
      setOpen(false);
    }
  };

  const err = assign.error instanceof IpcError ? assign.error : null;
  const emailError = fieldError(err, "email");
  const nameError = fieldError(err, "name");
  const otherError = err && !emailError && !nameError ? err : null;
  const listOpen = open && matches.length > 0 && !known;

  return (
    <section className="owner-row" aria-labelledby={ids.head}>
      <div className="owner-head">
        <h3 id={ids.head}>{OWNER_ROLE_LABEL[role]}</h3>
        {current ? (
          <span className="owner-current" data-testid={`owner-${role}-current`}>
            <strong>{person?.name || current}</strong> <span className="muted">{current}</span>
            {person?.business_unit && <span className="muted"> · {person.business_unit}</span>}
          </span>
        ) : (
          <span className="muted" data-testid={`owner-${role}-current`}>
            Nobody yet
          </span>
        )}
        {current && (
          <button type="button" className="link-button" data-testid={`owner-${role}-clear`} onClick={() => assignTo(null)} disabled={assign.isPending}>
            Clear
          </button>
        )}
        {assign.isPending && <span className="status">Saving…</span>}
        {saved && !assign.isPending && (
          <span className="status ok" role="status">
            Saved
          </span>
        )}
      </div>
      <form className="owner-picker" onSubmit={submit} noValidate>
        <div className="field combo">
          <label htmlFor={ids.email}>{current ? "Change to (name or email)" : "Find or add (name or email)"}</label>
          <input
            id={ids.email}
            data-testid={`owner-${role}-email`}
            role="combobox"
            aria-expanded={listOpen}
            aria-controls={ids.list}
            aria-autocomplete="list"
            aria-activedescendant={listOpen ? `${ids.list}-${highlight}` : undefined}
            aria-invalid={Boolean(emailError)}
            aria-describedby={emailError ? `${ids.email}-error` : undefined}
            autoComplete="off"
            value={text}
            onChange={(e) => {
              setText(e.target.value);
              setOpen(true);
              setHighlight(0);
              setSaved(false);
              assign.reset();
            }}
            onFocus={() => setOpen(true)}
            onBlur={() => setOpen(false)}
            onKeyDown={onKeyDown}
          />
          {listOpen && (
            <ul className="listbox" id={ids.list} role="listbox" aria-label="Matching people">
              {matches.map((p, i) => (
                <li
                  key={p.id}
                  id={`${ids.list}-${i}`}
                  role="option"
                  aria-selected={i === highlight}
                  className={i === highlight ? "option active" : "option"}
                  onMouseDown={(e) => e.preventDefault()}
                  onClick={() => pick(p)}
                >
                  <strong>{p.name}</strong> <span className="muted">{p.email}</span>
                  {p.business_unit && <span className="muted"> · {p.business_unit}</span>}
                </li>
              ))}
            </ul>
          )}
          <FieldError id={`${ids.email}-error`} message={emailError} />
        </div>
        {isNew && (
          <fieldset className="new-person">
            <legend>Add a new person</legend>
            <div className="form-row">
              <div className="field">
                <label htmlFor={ids.name}>Name</label>
                <input
                  id={ids.name}
                  data-testid={`owner-${role}-name`}
                  value={name}
                  onChange={(e) => setName(e.target.value)}
                  aria-invalid={Boolean(nameError)}
                  aria-describedby={nameError ? `${ids.name}-error` : undefined}
                />
                <FieldError id={`${ids.name}-error`} message={nameError} />
              </div>
              <div className="field">
                <label htmlFor={ids.unit}>Business unit</label>
                <input id={ids.unit} data-testid={`owner-${role}-business_unit`} value={unit} onChange={(e) => setUnit(e.target.value)} />
              </div>
            </div>
          </fieldset>
        )}
        <button type="submit" data-testid={`owner-${role}-assign`} disabled={!query || assign.isPending}>
          {isNew ? "Add person and assign" : "Assign"}
        </button>
      </form>
      <ErrorNote error={otherError} />
    </section>
  );
}
