// The use case panel's header actions: Merge… with another use case, Archive / Restore from archive (undoable), and Delete… after a confirmation.
import { useState } from "react";

import type { UseCase } from "../../bindings/UseCase";
import { Dialog } from "../../components/dialog";
import { ErrorNote } from "../../components/errorNote";
import { MergeDialog } from "./mergeDialog";
import { useUndo } from "../../lib/undo";
import { useDeleteUseCase, useSetArchived } from "./api";

/** `onDeleted` closes the panel: the use case is gone, whatever its forms held. `onOpen` shows another use case. */
export function UseCaseActions({ uc, onDeleted, onOpen }: { uc: UseCase; onDeleted: () => void; onOpen: (id: string) => void }) {
  const undo = useUndo();
  const [confirming, setConfirming] = useState(false);
  const [merging, setMerging] = useState(false);

  const archive = useSetArchived();
  const setArchived = (archived: boolean) =>
    archive.mutate(
      { id: uc.id, archived },
      {
        onSuccess: (next) =>
          undo.record({
            id: next.id,
            done: archived ? "Archived" : "Restored from archive",
            what: archived ? `archiving of “${next.title}”` : `restoring of “${next.title}” from the archive`,
            inverse: { cmd: "use_case_set_archived", req: { id: next.id, archived: !archived } },
          }),
      },
    );

  const remove = useDeleteUseCase();
  const doDelete = () =>
    remove.mutate(uc.id, {
      onSuccess: () => {
        undo.forget(uc.id);
        undo.notify(`Deleted “${uc.title}”`);
        onDeleted();
      },
    });

  const cancel = () => {
    setConfirming(false);
    remove.reset();
  };

  return (
    <div className="panel-actions">
      <button type="button" onClick={() => setMerging(true)} disabled={uc.archived} title={uc.archived ? "An archived use case is not merged" : undefined}>
        Merge…
      </button>
      <button type="button" onClick={() => setArchived(!uc.archived)} disabled={archive.isPending}>
        {uc.archived ? "Restore from archive" : "Archive"}
      </button>
      <button type="button" className="danger" onClick={() => setConfirming(true)}>
        Delete…
      </button>
      <ErrorNote error={archive.error} />
      {merging && (
        <MergeDialog
          first={uc}
          onClose={() => setMerging(false)}
          onMerged={(kept, gone) => {
            setMerging(false);
            undo.notify(`Merged “${gone.title}” into “${kept.title}”`);
            // This one was merged away (and archived): show the one kept.
            if (kept.id !== uc.id) onOpen(kept.id);
          }}
        />
      )}
      {confirming && (
        <Dialog title={`Delete “${uc.title}”?`} onClose={cancel} initialFocus="[data-initial]">
          <p className="dialog-text">Its history is kept in the change log.</p>
          <ErrorNote error={remove.error} />
          <div className="actions">
            <button type="button" data-initial onClick={cancel}>
              Cancel
            </button>
            <button type="button" className="primary danger" onClick={doDelete} disabled={remove.isPending}>
              {remove.isPending ? "Deleting…" : "Delete"}
            </button>
          </div>
        </Dialog>
      )}
    </div>
  );
}
