// Export… in the top bar: the whole portfolio or the current view, as the leadership pack or the CSV sheet, with progress and Cancel.
import { useMemo, useRef, useState, type ReactNode } from "react";

import type { ExportFormat } from "../../bindings/ExportFormat";
import type { Filters } from "../../bindings/Filters";
import { Dialog } from "../../components/dialog";
import { ErrorNote } from "../../components/errorNote";
import { filtersInWords, usePatternNames } from "../portfolio";
import { hasFilters, listQuery } from "../../lib/filters";
import { indexPeople, plural } from "../../lib/format";
import { useFilterChoices, usePeople, useUseCaseList } from "../../lib/queries";
import { percent, ProgressBar, TaskChip, useFocusAfterTask, wasCancelled, type TaskSlot } from "../../components/taskProgress";
import { RadioChoice } from "../../components/textField";
import { useExport, type ExportRun as Run } from "./api";

type Scope = "all" | "view";

/** The chosen scope, or the bar's Cancel when the dialog is reopened while the export runs. */
const INITIAL_FOCUS = "input:checked:not(:disabled), [data-initial]:not(:disabled)";

const FORMATS: readonly { format: ExportFormat; label: string; hint: string }[] = [
  {
    format: "xlsx",
    label: "Leadership pack (Excel .xlsx)",
    hint: "A workbook for the review: cover, portfolio, scoring, matrix, by stage and business unit, owners and stage history.",
  },
  { format: "csv", label: "Portfolio sheet (CSV)", hint: "The portfolio sheet alone, one row per use case, for other tools; it imports back." },
];

/**
 * The button and, while its dialog is closed, the note on a running or finished export. The
 * export lives here, not in the dialog: closing the dialog leaves it running, visibly, and the
 * rest of the app usable; the note reopens the dialog, where Cancel is.
 */
export function ExportAction({ filters, slot }: { filters: Filters; slot: TaskSlot }) {
  const [open, setOpen] = useState(false);
  // Null until the person picks: then the current view whenever filters are set.
  const [scope, setScope] = useState<Scope | null>(null);
  const [format, setFormat] = useState<ExportFormat>("xlsx");
  // While the native save dialog is open: the export has not started yet.
  const [asking, setAsking] = useState(false);
  // Null when the person closed the save dialog without choosing a file.
  const run = useExport(slot, setAsking);

  const close = () => {
    setOpen(false);
    // A finished export has been seen; a running one keeps going and shows in the top bar.
    if (!run.isPending) run.reset();
  };

  let note: string | null = null;
  let detail: string | undefined;
  if (run.isPending && slot.running === "export") {
    const pct = percent(slot.progress);
    note = "Exporting…";
    detail = pct === null ? undefined : `${pct}%`;
  } else if (run.isError) note = wasCancelled(run.error) ? "Export cancelled" : "Export failed";
  else if (run.data) note = "Export finished";

  return (
    <>
      {!open && <TaskChip text={note} detail={detail} onOpen={() => setOpen(true)} />}
      <button type="button" onClick={() => setOpen(true)} aria-haspopup="dialog">
        Export…
      </button>
      {open && (
        <ExportDialog
          filters={filters}
          scope={hasFilters(filters) ? (scope ?? "view") : "all"}
          onScope={setScope}
          format={format}
          onFormat={setFormat}
          run={run}
          asking={asking}
          slot={slot}
          onClose={close}
        />
      )}
    </>
  );
}

function ExportDialog({
  filters,
  scope,
  onScope,
  format,
  onFormat,
  run,
  asking,
  slot,
  onClose,
}: {
  filters: Filters;
  scope: Scope;
  onScope: (s: Scope) => void;
  format: ExportFormat;
  onFormat: (f: ExportFormat) => void;
  run: Run;
  asking: boolean;
  slot: TaskSlot;
  onClose: () => void;
}) {
  const filtered = hasFilters(filters);
  const choices = useFilterChoices();
  const people = usePeople();
  const matching = useUseCaseList({ ...listQuery(filters, undefined), limit: 0 }, { enabled: filtered });
  const patterns = usePatternNames();
  const words = useMemo(() => filtersInWords(filters, indexPeople(people.data), patterns), [filters, people.data, patterns]);

  const running = run.isPending && slot.running === "export";
  const startButton = useRef<HTMLButtonElement>(null);
  useFocusAfterTask(run.isPending, startButton);
  const other = slot.running !== null && slot.running !== "export";
  const start = () => run.mutate({ format, filters: scope === "view" ? filters : {} });
  const howMany = (n: number | undefined) => (n === undefined ? "" : ` (${plural(n, "use case", "use cases")})`);

  let status: ReactNode = null;
  if (asking) status = "Choose where to save the export…";
  else if (run.data)
    status = (
      <>
        Exported {plural(run.data.use_cases, "use case", "use cases")} to <code>{run.data.path}</code>
      </>
    );
  else if (wasCancelled(run.error)) status = "Export cancelled; nothing was written.";

  return (
    <Dialog title="Export use cases" onClose={onClose} initialFocus={INITIAL_FOCUS}>
      <div className="form">
        <fieldset className="choices" disabled={run.isPending}>
          <legend>Which use cases</legend>
          <RadioChoice
            id="export-all"
            name="export-scope"
            label={`Whole portfolio${howMany(choices.data?.total)}`}
            hint="Archived use cases are left out."
            checked={scope === "all"}
            onChoose={() => onScope("all")}
          />
          <RadioChoice
            id="export-view"
            name="export-scope"
            label={filtered ? `Current view: ${words}${howMany(matching.data?.total)}` : "Current view"}
            hint={filtered ? "The use cases the portfolio table shows now." : "No filters are set, so the view is the whole portfolio."}
            checked={scope === "view"}
            disabled={!filtered}
            onChoose={() => onScope("view")}
          />
        </fieldset>
        <fieldset className="choices" disabled={run.isPending}>
          <legend>Format</legend>
          {FORMATS.map((f) => (
            <RadioChoice
              key={f.format}
              id={`export-${f.format}`}
              name="export-format"
              label={f.label}
              hint={f.hint}
              checked={format === f.format}
              onChoose={() => onFormat(f.format)}
            />
          ))}
        </fieldset>
        {running && <ProgressBar label="Export progress" starting="Preparing the export…" slot={slot} />}
        <p className="status" role="status">
          {status}
        </p>
        {run.isError && !wasCancelled(run.error) && <ErrorNote error={run.error} />}
        {running && <p className="hint">You can close this window: the export goes on, and the top bar shows how far it is.</p>}
        {other && <p className="hint">An import is running; export when it has finished.</p>}
        <div className="actions end">
          <button ref={startButton} type="button" className="primary" onClick={start} disabled={run.isPending || other}>
            Export…
          </button>
        </div>
      </div>
    </Dialog>
  );
}
