// Transfer's reads and changes of the engine: exporting (the save dialog, then the export with progress), and importing (the file dialog, previews, the import).
// The filter choices, the people and the use case list are the shared reads of lib/queries.ts.
import { useMutation, useQueryClient } from "@tanstack/react-query";

import type { ExportFormat } from "../../bindings/ExportFormat";
import type { Filters } from "../../bindings/Filters";
import type { ImportRequest } from "../../bindings/ImportRequest";
import type { TaskSlot } from "../../components/taskProgress";
import { call } from "../../lib/ipc";
import { everythingChanged } from "../../lib/queries";

/** What to export: the format, and the filters of the use cases (none: the whole portfolio). */
export interface ExportJob {
  format: ExportFormat;
  filters: Filters;
}

/**
 * Exports: asks where to save (`onAsking` true while the save dialog is open), then exports in
 * the task slot, with its progress and Cancel. Null when the person closed the dialog without
 * choosing a file. Nothing in the portfolio changes.
 */
export function useExport(slot: TaskSlot, onAsking: (asking: boolean) => void) {
  return useMutation({
    mutationFn: async (job: ExportJob) => {
      onAsking(true);
      const path = await call("export_choose_path", job.format).finally(() => onAsking(false));
      if (path === null) return null;
      return slot.run("export", () => call("export_run", { path, format: job.format, filters: job.filters }));
    },
  });
}

export type ExportRun = ReturnType<typeof useExport>;

/** The file to import, from the native dialog; null when the person cancelled. */
export const useChooseImportFile = () => useMutation({ mutationFn: () => call("import_choose_file") });

export type ChooseImportFile = ReturnType<typeof useChooseImportFile>;

/** What importing `req` (a dry run) would do, read in the task slot; nothing is written. */
export const usePreviewImport = (slot: TaskSlot) => useMutation({ mutationFn: (req: ImportRequest) => slot.run("import", () => call("import_run", req)) });

export type PreviewImport = ReturnType<typeof usePreviewImport>;

/** Imports in the task slot: an import can create or update any use case, so everything is read again. */
export function useImport(slot: TaskSlot) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (req: ImportRequest) => slot.run("import", () => call("import_run", req)),
    onSuccess: () => void everythingChanged(qc),
  });
}

export type RunImport = ReturnType<typeof useImport>;
