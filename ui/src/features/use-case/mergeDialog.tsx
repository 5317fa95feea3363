// Merging two use cases that are one effort: the dialog says what merging does, lets the person pick the other one (when not given) and the one kept, then merges.
import { useId, useState, type FormEvent } from "react";

import type { UseCase } from "../../bindings/UseCase";
import { Dialog } from "../../components/dialog";
import { ErrorNote } from "../../components/errorNote";
import { useUseCaseList } from "../../lib/queries";
import { RadioChoice, TextField } from "../../components/textField";
import { useUndo } from "../../lib/undo";
import { useMergeUseCases } from "./api";

export interface Named {
  id: string;
  title: string;
}

interface Props {
  first: Named;
  /** The other one; when absent, the person finds it by its title. */
  second?: Named;
  onClose: () => void;
  /** After the merge: the use case kept and the one merged into it. */
  onMerged: (kept: UseCase, merged: Named) => void;
}

export function MergeDialog({ first, second, onClose, onMerged }: Props) {
  const undo = useUndo();
  const name = useId();
  const [other, setOther] = useState<Named | null>(second ?? null);
  const [keepId, setKeepId] = useState(first.id);

  const merge = useMergeUseCases();

  const pair = other ? [first, other] : [];
  const keep = pair.find((p) => p.id === keepId);
  const gone = pair.find((p) => p.id !== keepId);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!keep || !gone) return;
    merge.mutate(
      { keep_id: keep.id, other_id: gone.id },
      {
        onSuccess: (kept) => {
          // Both use cases changed outside the edits Undo knows about.
          undo.forget(kept.id);
          undo.forget(gone.id);
          onMerged(kept, gone);
        },
      },
    );
  };

  return (
    <Dialog title="Merge two use cases" onClose={onClose} initialFocus="[data-initial]" wide>
      <form onSubmit={submit} noValidate aria-label="Merge two use cases">
        <p className="dialog-text">
          Merging makes one use case of two that are the same effort. The one kept takes from the other what it lacks: empty text fields, missing owners,
          unscored criteria, patterns and control statuses, KPIs; tags and data sources are joined. The other is archived (nothing is deleted), and its history
          shows in the one kept. Undo cannot take a merge back.
        </p>
        {!second && <FindOther first={first} chosen={other} onChoose={setOther} />}
        {other && (
          <fieldset className="choices">
            <legend>Which one is kept?</legend>
            {pair.map((p, i) => (
              <RadioChoice
                key={p.id}
                id={`${name}-keep-${i}`}
                name={`${name}-keep`}
                label={`Keep “${p.title}”`}
                hint={`“${pair[1 - i]!.title}” is merged into it and archived.`}
                checked={keepId === p.id}
                onChoose={() => setKeepId(p.id)}
              />
            ))}
          </fieldset>
        )}
        <ErrorNote error={merge.error} />
        <div className="actions end">
          <button type="button" data-initial={second ? true : undefined} onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={!keep || !gone || merge.isPending}>
            {merge.isPending ? "Merging…" : "Merge"}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** A search by title for the use case to merge with `first`. */
function FindOther({ first, chosen, onChoose }: { first: Named; chosen: Named | null; onChoose: (n: Named) => void }) {
  const name = useId();
  const [search, setSearch] = useState("");
  const text = search.trim();
  const found = useUseCaseList({ search: text, sort: "title", limit: 8 }, { enabled: text.length >= 2 });
  const rows = (found.data?.rows ?? []).filter((r) => r.id !== first.id);
  return (
    <div className="merge-find">
      <TextField
        id={`${name}-search`}
        label={`Merge “${first.title}” with…`}
        hint="Type part of the other use case's title."
        error={undefined}
        value={search}
        data-initial
        onChange={(e) => setSearch(e.target.value)}
      />
      <ErrorNote error={found.error} />
      {text.length >= 2 && found.data && rows.length === 0 && <p className="muted">No other use case matches “{text}”.</p>}
      {rows.length > 0 && (
        <fieldset className="choices">
          <legend>The other use case</legend>
          {rows.map((r) => (
            <RadioChoice
              key={r.id}
              id={`${name}-${r.id}`}
              name={`${name}-other`}
              label={r.title}
              checked={chosen?.id === r.id}
              onChoose={() => onChoose({ id: r.id, title: r.title })}
            />
          ))}
        </fieldset>
      )}
    </div>
  );
}
