// The Since last review view: mark a review point, then see what changed since the latest one (new use cases, stage moves, score and owner changes), each row opening its use case.
import { useId, useMemo, useState, type FormEvent, type ReactNode } from "react";

import { StageBadge } from "../../components/badges";
import type { ChangeList } from "../../bindings/ChangeList";
import type { ReviewChange } from "../../bindings/ReviewChange";
import type { ReviewChanges } from "../../bindings/ReviewChanges";
import type { Stage } from "../../bindings/Stage";
import { ErrorNote } from "../../components/errorNote";
import { count, describeValue, indexPeople, personName, plural, type PeopleIndex } from "../../lib/format";
import { IpcError } from "../../lib/ipc";
import { Moment, usePreferences } from "../../lib/preferences";
import { usePeople, useScoringModel } from "../../lib/queries";
import { useMarkReview, useReviewChanges } from "./api";
import "./reviewView.css";
import { OWNER_ROLE_LABEL, OWNER_ROLES, STAGES } from "../../lib/vocabulary";

type Kind = "new_use_cases" | "stage_moves" | "score_changes" | "owner_changes";

const KINDS: readonly { kind: Kind; title: string; one: string; many: string }[] = [
  { kind: "new_use_cases", title: "New use cases", one: "new use case", many: "new use cases" },
  { kind: "stage_moves", title: "Stage moves", one: "stage move", many: "stage moves" },
  { kind: "score_changes", title: "Score changes", one: "score change", many: "score changes" },
  { kind: "owner_changes", title: "Owner changes", one: "owner change", many: "owner changes" },
];

function isStage(v: unknown): v is Stage {
  return typeof v === "string" && (STAGES as readonly string[]).includes(v);
}

/** The stage a new use case started at, when the change says. */
function startStage(v: unknown): Stage | null {
  if (typeof v !== "object" || v === null || !("stage" in v)) return null;
  return isStage(v.stage) ? v.stage : null;
}

export function ReviewView({ onOpen }: { onOpen: (id: string) => void }) {
  const changes = useReviewChanges();
  const notYet = changes.error instanceof IpcError && changes.error.code === "not_found";

  return (
    <section className="view review" aria-labelledby="review-heading">
      <header className="view-head">
        <h1 id="review-heading">Since last review</h1>
      </header>
      {changes.isLoading && <p className="loading">Loading the changes…</p>}
      {changes.error && !notYet && <ErrorNote error={changes.error} />}
      {notYet && <FirstReview />}
      {changes.data && <Changes data={changes.data} onOpen={onOpen} />}
    </section>
  );
}

/** Before any review point: what one is for, and the button to mark the first. */
function FirstReview() {
  return (
    <section className="empty-state" aria-labelledby="first-review-heading">
      <h2 id="first-review-heading">No review point yet</h2>
      <p>
        A review point marks the moment the portfolio was last reviewed, for example at the quarterly portfolio meeting. From then on this page lists what
        changed: new use cases, stage moves, score changes and new owners, with who made each change and when.
      </p>
      <p>Mark one now to start; at the next review, everything since is here, and you mark a new point.</p>
      <MarkForm first />
    </section>
  );
}

/** Marks a review point now, with an optional note (e.g. "Q3 portfolio board"). */
function MarkForm({ first = false }: { first?: boolean }) {
  const id = useId();
  const [note, setNote] = useState("");
  const mark = useMarkReview();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    mark.mutate(note.trim() || null, { onSuccess: () => setNote("") });
  };
  return (
    <form className="mark-form" onSubmit={submit} aria-label="Mark a review point">
      <div className="field">
        <label htmlFor={id}>Note (optional)</label>
        <input id={id} value={note} maxLength={500} placeholder="e.g. Q3 portfolio board" onChange={(e) => setNote(e.target.value)} />
      </div>
      <button type="submit" className={first ? "primary" : undefined} disabled={mark.isPending}>
        {mark.isPending ? "Marking…" : "Mark review point"}
      </button>
      <ErrorNote error={mark.error} />
    </form>
  );
}

function Changes({ data, onOpen }: { data: ReviewChanges; onOpen: (id: string) => void }) {
  const prefs = usePreferences();
  const people = usePeople();
  const model = useScoringModel();
  const index = useMemo(() => indexPeople(people.data), [people.data]);
  const criteria = useMemo(() => new Map([...(model.data?.value ?? []), ...(model.data?.feasibility ?? [])].map((c) => [c.slug, c.name])), [model.data]);
  const total = KINDS.reduce((t, k) => t + data[k.kind].count, 0);
  const since = data.since;

  return (
    <>
      <div className="review-since">
        <p>
          Since the review point of <Moment at={since.at} format={prefs.date_format} />, marked by {personName(since.actor, index)}
          {since.note ? <> (“{since.note}”)</> : null}.
        </p>
        <p className="review-summary" role="status">
          {total === 0 ? "Nothing has changed since then." : KINDS.map((k) => plural(data[k.kind].count, k.one, k.many)).join(" · ")}
        </p>
        <details className="mark-again">
          <summary>Mark a new review point</summary>
          <p className="hint">The lists then start again from now; earlier review points are kept.</p>
          <MarkForm />
        </details>
      </div>
      {total > 0 &&
        KINDS.map((k) => (
          <section key={k.kind} className="review-section" aria-labelledby={`review-${k.kind}`}>
            <h2 id={`review-${k.kind}`}>
              {k.title} <span className="review-count">{count(data[k.kind].count)}</span>
            </h2>
            {data[k.kind].count === 0 ? (
              <p className="muted">None since the review point.</p>
            ) : (
              <ChangeTable list={data[k.kind]} people={index} onOpen={onOpen}>
                {(c) => <ChangeText kind={k.kind} change={c} people={index} criteria={criteria} />}
              </ChangeTable>
            )}
          </section>
        ))}
    </>
  );
}

function ChangeTable({
  list,
  people,
  onOpen,
  children,
}: {
  list: ChangeList;
  people: PeopleIndex;
  onOpen: (id: string) => void;
  children: (c: ReviewChange) => ReactNode;
}) {
  const prefs = usePreferences();
  return (
    <>
      <table className="data-table review-table">
        <thead>
          <tr>
            <th scope="col">Use case</th>
            <th scope="col">Change</th>
            <th scope="col">Who</th>
            <th scope="col">When</th>
          </tr>
        </thead>
        <tbody>
          {list.changes.map((c, i) => (
            <tr key={`${c.use_case_id}-${c.at}-${i}`}>
              <td>
                <button type="button" className="link-button" onClick={() => onOpen(c.use_case_id)}>
                  {c.title}
                </button>
              </td>
              <td className="change">{children(c)}</td>
              <td title={c.actor}>{personName(c.actor, people)}</td>
              <td>
                <Moment at={c.at} format={prefs.date_format} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {list.count > list.changes.length && (
        <p className="hint">
          Showing the first {count(list.changes.length)} of {count(list.count)}, oldest first.
        </p>
      )}
    </>
  );
}

/** One change in words: where a new use case started, a move from → to with its note, a score or owner old → new. */
function ChangeText({ kind, change: c, people, criteria }: { kind: Kind; change: ReviewChange; people: PeopleIndex; criteria: Map<string, string> }) {
  switch (kind) {
    case "new_use_cases": {
      const stage = startStage(c.new);
      return stage ? (
        <>
          Proposed at <StageBadge stage={stage} />
        </>
      ) : (
        <>Proposed</>
      );
    }
    case "stage_moves":
      return (
        <>
          <span className="review-move">
            {isStage(c.old) ? <StageBadge stage={c.old} /> : "—"} → {isStage(c.new) ? <StageBadge stage={c.new} /> : "—"}
          </span>
          {c.note && <span className="review-note">“{c.note}”</span>}
        </>
      );
    case "score_changes":
      return (
        <>
          {criteria.get(c.field ?? "") ?? c.field}: {describeValue(c.old, null)} → {describeValue(c.new, null)}
        </>
      );
    case "owner_changes": {
      const role = OWNER_ROLES.find((r) => r === c.field);
      const who = (v: unknown) => (typeof v === "string" ? personName(v, people) : "—");
      return (
        <>
          {role ? OWNER_ROLE_LABEL[role] : c.field}: {who(c.old)} → {who(c.new)}
        </>
      );
    }
  }
}
