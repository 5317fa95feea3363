// Saved views: named filters and sort, listed in the sidebar (a click applies one, deleting asks first) and saved from the filter bar.
import { useState, type FormEvent } from "react";

import type { SavedView } from "../../bindings/SavedView";
import { Dialog } from "../../components/dialog";
import { ErrorNote, FieldError } from "../../components/errorNote";
import { fromQuery, listQuery, sameQuery, useFilters } from "../../lib/filters";
import { fieldError, IpcError } from "../../lib/ipc";
import { useDeleteView, useSavedViews, useSaveView } from "./api";
import { useUndo } from "../../lib/undo";

/** The sidebar's Views section. `onApply`: the filters of a view were applied (show the portfolio). */
export function SavedViewList({ onApply }: { onApply: () => void }) {
  const views = useSavedViews();
  const { filters, sort, apply } = useFilters();
  const [deleting, setDeleting] = useState<SavedView | null>(null);

  const open = (v: SavedView) => {
    const q = fromQuery(v.query);
    apply(q.filters, q.sort);
    onApply();
  };

  return (
    <section className="nav-section" aria-labelledby="views-heading">
      <h2 id="views-heading" className="nav-heading">
        Views
      </h2>
      <ErrorNote error={views.error} />
      {views.data?.length === 0 && <p className="nav-hint">Save the filters and sort you come back to with “Save view…” above the table.</p>}
      <ul className="view-list">
        {(views.data ?? []).map((v) => (
          <li key={v.id} className="view-item">
            <button type="button" className="nav-sub" aria-pressed={sameQuery(v.query, filters, sort)} onClick={() => open(v)}>
              <span>{v.name}</span>
            </button>
            <button type="button" className="icon-button view-delete" aria-label={`Delete view ${v.name}`} title="Delete view" onClick={() => setDeleting(v)}>
              ×
            </button>
          </li>
        ))}
      </ul>
      {deleting && <DeleteDialog view={deleting} onClose={() => setDeleting(null)} />}
    </section>
  );
}

function DeleteDialog({ view, onClose }: { view: SavedView; onClose: () => void }) {
  const remove = useDeleteView();
  return (
    <Dialog title={`Delete the view “${view.name}”?`} onClose={onClose} initialFocus="[data-initial]">
      <p className="dialog-text">Only the saved view goes; no use case changes, and the filters now applied stay as they are.</p>
      <ErrorNote error={remove.error} />
      <div className="actions">
        <button type="button" data-initial onClick={onClose}>
          Cancel
        </button>
        <button type="button" className="primary danger" onClick={() => remove.mutate(view.id, { onSuccess: onClose })} disabled={remove.isPending}>
          Delete view
        </button>
      </div>
    </Dialog>
  );
}

/** The filter bar's "Save view…": asks for a name and saves the current filters and sort under it. */
export function SaveViewButton() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="link-button" onClick={() => setOpen(true)}>
        Save view…
      </button>
      {open && <SaveViewDialog onClose={() => setOpen(false)} />}
    </>
  );
}

function SaveViewDialog({ onClose }: { onClose: () => void }) {
  const undo = useUndo();
  const { filters, sort } = useFilters();
  const views = useSavedViews();
  const [name, setName] = useState("");
  const [local, setLocal] = useState<string | undefined>(undefined);
  const save = useSaveView();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const trimmed = name.trim();
    if (!trimmed) {
      setLocal("Please give the view a name.");
      return;
    }
    save.mutate(
      { name: trimmed, query: listQuery(filters, sort) },
      {
        onSuccess: (v) => {
          undo.notify(`View “${v.name}” saved`);
          onClose();
        },
      },
    );
  };

  const error = local ?? fieldError(save.error, "name");
  const otherError = save.error instanceof IpcError && save.error.field !== "name" ? save.error : null;
  // Names are compared ignoring case, as the engine does; the view keeps its first spelling.
  const replaces = views.data?.some((v) => v.name.toLowerCase() === name.trim().toLowerCase());

  return (
    <Dialog title="Save view" onClose={onClose} initialFocus="#view-name">
      <form className="form" onSubmit={submit} noValidate>
        <p className="dialog-text">The current filters and sort are saved under this name and listed in the sidebar under Views.</p>
        <div className="field">
          <label htmlFor="view-name">Name</label>
          <input
            id="view-name"
            value={name}
            maxLength={80}
            autoComplete="off"
            onChange={(e) => {
              setName(e.target.value);
              setLocal(undefined);
              save.reset();
            }}
            aria-invalid={Boolean(error)}
            aria-describedby={[error ? "view-name-error" : "", replaces ? "view-name-hint" : ""].filter(Boolean).join(" ") || undefined}
          />
          {replaces && (
            <p className="hint" id="view-name-hint">
              A view with this name exists: saving replaces it.
            </p>
          )}
          <FieldError id="view-name-error" message={error} />
        </div>
        <ErrorNote error={otherError} />
        <div className="actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={save.isPending}>
            Save
          </button>
        </div>
      </form>
    </Dialog>
  );
}
