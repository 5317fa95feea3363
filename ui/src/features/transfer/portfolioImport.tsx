// Import… in the top bar: a small wizard — choose a file, check where its columns go, preview what would change and what is wrong, then import with progress and Cancel.
import { useRef, useState, type ReactNode } from "react";

import type { ImportReport } from "../../bindings/ImportReport";
import type { ImportRequest } from "../../bindings/ImportRequest";
import type { Mapping } from "../../bindings/Mapping";
import { Dialog } from "../../components/dialog";
import { ErrorNote } from "../../components/errorNote";
import { count, plural } from "../../lib/format";
import { percent, ProgressBar, TaskChip, useFocusAfterTask, wasCancelled, type TaskSlot } from "../../components/taskProgress";
import { RadioChoice } from "../../components/textField";
import { useUndo } from "../../lib/undo";

import { useChooseImportFile, useImport, usePreviewImport, type ChooseImportFile, type PreviewImport, type RunImport } from "./api";

import { DELIMITERS, ENCODINGS, mappingFrom, PRESETS, retarget, targetOf } from "./importOptions";
import { Preview, SelectField, StageValues, targetOptions, withValue } from "./importPreview";

export { attributeName, retarget } from "./importOptions";
/** What the person chose about the file; each change previews again. */
interface Source {
  path: string;
  /** "": detect from the headers. */
  preset: string;
  sheet?: string;
  encoding?: string;
  delimiter?: string;
  /** Set once the person changes a column's target; until then the preset's or the one suggested. */
  mapping?: Mapping;
}

function request(s: Source, run: { dry_run: boolean; skip_invalid: boolean }): ImportRequest {
  const req: ImportRequest = { path: s.path, ...run };
  if (s.preset) req.preset = s.preset;
  if (s.mapping) req.mapping = s.mapping;
  if (s.sheet) req.sheet = s.sheet;
  if (s.encoding) req.encoding = s.encoding;
  if (s.delimiter) req.delimiter = s.delimiter;
  return req;
}

/** Whether the file is read the same way (so the columns are the same). */
function sameColumns(a: Source, b: Source): boolean {
  return a.path === b.path && a.preset === b.preset && a.sheet === b.sheet && a.encoding === b.encoding && a.delimiter === b.delimiter;
}

/**
 * The button and, while its dialog is closed, the note on a running or finished import. The
 * wizard's state lives here: closing the dialog loses nothing (reopening previews again, as the
 * portfolio may have changed), and an import keeps running, visibly, with the app usable.
 */
export function ImportAction({ slot }: { slot: TaskSlot }) {
  const undo = useUndo();
  const [open, setOpen] = useState(false);
  const [source, setSource] = useState<Source | null>(null);
  const [preview, setPreview] = useState<{ source: Source; report: ImportReport } | null>(null);
  const [skip, setSkip] = useState(false);

  const choosing = useChooseImportFile();
  const previewing = usePreviewImport(slot);
  const importing = useImport(slot);

  const previewSource = (s: Source) => {
    setSource(s);
    importing.reset();
    // Passed to `mutate`, so only the latest preview lands when several were started.
    previewing.mutate(request(s, { dry_run: true, skip_invalid: false }), {
      onSuccess: (report) => {
        // A choice to skip was made for the rows wrong then, not for a different set.
        if (report.invalid !== preview?.report.invalid) setSkip(false);
        setPreview({ source: s, report });
      },
    });
  };

  const chooseFile = () =>
    choosing.mutate(undefined, {
      onSuccess: (path) => {
        if (path === null) return;
        setPreview(null);
        setSkip(false);
        previewSource({ path, preset: source?.preset ?? "" });
      },
    });

  const reopen = () => {
    setOpen(true);
    if (source && slot.running === null && importing.isIdle) previewSource(source);
  };

  const close = () => {
    setOpen(false);
    if (importing.isSuccess) {
      // Done and seen: the next Import… starts afresh.
      setSource(null);
      setPreview(null);
      setSkip(false);
      choosing.reset();
      previewing.reset();
      importing.reset();
    } else if (!importing.isPending) importing.reset();
  };

  let note: string | null = null;
  let detail: string | undefined;
  if (importing.isPending && slot.running === "import") {
    note = "Importing…";
    const pct = percent(slot.progress);
    detail = pct === null ? undefined : `${pct}%`;
  } else if (previewing.isPending && slot.running === "import") note = "Previewing the import…";
  else if (importing.isError) note = wasCancelled(importing.error) ? "Import cancelled" : "Import failed";
  else if (importing.isSuccess) note = "Import finished";

  return (
    <>
      {!open && <TaskChip text={note} detail={detail} onOpen={reopen} />}
      <button type="button" onClick={reopen} aria-haspopup="dialog">
        Import…
      </button>
      {open && (
        <ImportDialog
          source={source}
          preview={preview}
          skip={skip}
          onSkip={setSkip}
          slot={slot}
          choosing={choosing}
          previewing={previewing}
          importing={importing}
          onChooseFile={chooseFile}
          onSource={previewSource}
          onImport={() =>
            source &&
            importing.mutate(request(source, { dry_run: false, skip_invalid: skip }), {
              onSuccess: (report) => {
                // A kept undo of an updated use case would now be refused as stale.
                if (report.updated > 0) undo.forget();
              },
            })
          }
          onClose={close}
        />
      )}
    </>
  );
}

function ImportDialog({
  source,
  preview,
  skip,
  onSkip,
  slot,
  choosing,
  previewing,
  importing,
  onChooseFile,
  onSource,
  onImport,
  onClose,
}: {
  source: Source | null;
  preview: { source: Source; report: ImportReport } | null;
  skip: boolean;
  onSkip: (skip: boolean) => void;
  slot: TaskSlot;
  choosing: ChooseImportFile;
  previewing: PreviewImport;
  importing: RunImport;
  onChooseFile: () => void;
  onSource: (s: Source) => void;
  onImport: () => void;
  onClose: () => void;
}) {
  const importButton = useRef<HTMLButtonElement>(null);
  const chooseButton = useRef<HTMLButtonElement>(null);
  useFocusAfterTask(choosing.isPending || previewing.isPending || importing.isPending, importButton, chooseButton);

  const other = slot.running !== null && slot.running !== "import";
  const done = importing.isSuccess ? importing.data : undefined;
  // The last preview, while it still describes this file read this way (a new one may be on its way).
  const shown = preview && source && sameColumns(preview.source, source) ? preview : null;
  const current = shown !== null && shown.source === source && !previewing.isPending;
  const report = shown?.report;
  const mapping = source?.mapping ?? report?.mapping;
  const locked = importing.isPending || other;

  const change = (patch: Partial<Source>) => {
    if (!source) return;
    // Another preset, sheet or way of reading the file means other columns: map them afresh.
    onSource({ ...source, mapping: undefined, ...patch });
  };
  const setTarget = (header: string, to: string) => {
    if (!source || !mapping) return;
    onSource({ ...source, mapping: { ...mapping, columns: { ...mapping.columns, [header]: retarget(mapping.columns[header], to) } } });
  };
  const setStageValue = (value: string, stage: string) => {
    if (!source || !mapping) return;
    // Only this value's entry changes: the other values and the columns stay as they are.
    onSource({ ...source, mapping: { ...mapping, values: { ...mapping.values, stage: { ...mapping.values.stage, [value]: stage } } } });
  };

  let blocked: string | null = null;
  if (report && current) {
    if (report.invalid > 0 && !skip) blocked = "Fix the problems in the file and choose it again, or skip the invalid rows.";
    else if (report.created + report.updated === 0)
      blocked = report.rows === 0 ? "The file has no rows to import." : "Nothing would be created or updated: every row matches a use case as it is.";
  }

  let status: ReactNode = null;
  if (choosing.isPending) status = "Choose the file to import…";
  else if (done) status = `Imported: ${count(done.created)} created, ${count(done.updated)} updated, ${count(done.invalid)} skipped.`;
  else if (wasCancelled(importing.error)) status = "Import cancelled; nothing was written.";
  else if (wasCancelled(previewing.error)) status = "Preview cancelled.";

  return (
    <Dialog title="Import use cases" onClose={onClose} wide initialFocus="[data-initial]:not(:disabled)">
      <div className="form import-wizard">
        <section aria-labelledby="import-file-heading">
          <h3 id="import-file-heading">1. Choose the file</h3>
          <div className="file-row">
            <button ref={chooseButton} type="button" onClick={onChooseFile} disabled={choosing.isPending || locked} data-initial>
              {source ? "Choose another file…" : "Choose file…"}
            </button>
            {source && <code className="file-path">{source.path}</code>}
          </div>
          {!source && <p className="hint">A CSV or Excel file with a header row and one use case per row. Nothing is written until you press Import.</p>}
          {source && !done && (
            <fieldset className="file-options" disabled={locked}>
              <legend className="visually-hidden">How to read the file</legend>
              <SelectField
                id="import-preset"
                label="Columns"
                value={source.preset}
                options={PRESETS}
                onChange={(preset) => change({ preset })}
                hint="Changing how the file is read maps its columns afresh."
              />
              {report && report.sheets.length > 1 && (
                <SelectField
                  id="import-sheet"
                  label="Sheet"
                  value={source.sheet ?? report.sheet ?? ""}
                  options={report.sheets.map((s) => ({ value: s, label: s }))}
                  onChange={(sheet) => change({ sheet })}
                />
              )}
              {report?.encoding && (
                <SelectField
                  id="import-encoding"
                  label="Text encoding"
                  value={source.encoding ?? report.encoding.toLowerCase()}
                  options={withValue(ENCODINGS, report.encoding.toLowerCase(), report.encoding)}
                  onChange={(encoding) => change({ encoding })}
                  hint={source.encoding ? "As you chose." : `Detected: ${report.encoding}. Change it if letters look wrong.`}
                />
              )}
              {report?.delimiter && (
                <SelectField
                  id="import-delimiter"
                  label="Separator"
                  value={source.delimiter ?? report.delimiter}
                  options={withValue(DELIMITERS, report.delimiter, report.delimiter)}
                  onChange={(delimiter) => change({ delimiter })}
                  hint={source.delimiter ? "As you chose." : `Detected: ${DELIMITERS.find((d) => d.value === report.delimiter)?.label ?? report.delimiter}.`}
                />
              )}
            </fieldset>
          )}
        </section>

        {previewing.isPending && slot.running === "import" && <ProgressBar label="Preview progress" starting="Reading the file…" slot={slot} />}
        {previewing.isError && !wasCancelled(previewing.error) && <ErrorNote error={previewing.error} />}
        {wasCancelled(previewing.error) && source && (
          <p>
            <button type="button" onClick={() => onSource(source)} disabled={locked}>
              Preview again
            </button>
          </p>
        )}

        {shown && mapping && !done && (
          <section aria-labelledby="import-columns-heading">
            <h3 id="import-columns-heading">2. Check where the columns go</h3>
            <p className="hint">{source?.mapping ? mappingFrom("given") : mappingFrom(shown.report.mapping_from)}</p>
            <fieldset className="bare" disabled={locked}>
              <legend className="visually-hidden">Where each column goes</legend>
              <table className="data-table mapping-table">
                <thead>
                  <tr>
                    <th scope="col">Column in the file</th>
                    <th scope="col">Goes to</th>
                  </tr>
                </thead>
                <tbody>
                  {shown.report.headers.map((h) => {
                    const spec = mapping.columns[h];
                    return (
                      <tr key={h}>
                        <th scope="row">{h}</th>
                        <td>
                          <select aria-label={`Where “${h}” goes`} value={targetOf(spec)} onChange={(e) => setTarget(h, e.target.value)}>
                            {targetOptions(h, targetOf(spec)).map((o) => (
                              <option key={o.value} value={o.value}>
                                {o.label}
                              </option>
                            ))}
                          </select>
                          {typeof spec === "object" && spec.as === "date" && <span className="hint"> Read as dates.</span>}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </fieldset>
            {shown.report.stage_values.length > 0 && (
              <fieldset className="bare" disabled={locked}>
                <legend className="visually-hidden">Which stage each value of the file means</legend>
                <StageValues values={shown.report.stage_values} mapped={mapping.values.stage} onChoose={setStageValue} />
              </fieldset>
            )}
          </section>
        )}

        {shown && !done && (
          <section aria-labelledby="import-preview-heading" aria-busy={!current} className={current ? undefined : "stale"}>
            <h3 id="import-preview-heading">3. Check what the import will do</h3>
            <Preview report={shown.report} />
          </section>
        )}

        {shown && !done && shown.report.invalid > 0 && (
          <fieldset className="choices" disabled={locked}>
            <legend>{plural(shown.report.invalid, "row has problems", "rows have problems")}</legend>
            <RadioChoice
              id="import-refuse"
              name="import-invalid"
              label="Cancel (import nothing until fixed)"
              hint="Fix the rows in the file, then choose it again."
              checked={!skip}
              onChoose={() => onSkip(false)}
            />
            <RadioChoice
              id="import-skip"
              name="import-invalid"
              label={`Skip the ${plural(shown.report.invalid, "invalid row", "invalid rows")} and import the rest`}
              checked={skip}
              onChoose={() => onSkip(true)}
            />
          </fieldset>
        )}

        {importing.isPending && slot.running === "import" && <ProgressBar label="Import progress" starting="Starting the import…" slot={slot} />}
        <p className="status" role="status">
          {status}
        </p>
        {importing.isError && !wasCancelled(importing.error) && <ErrorNote error={importing.error} />}
        {importing.isPending && <p className="hint">You can close this window: the import goes on, and the top bar shows how far it is.</p>}
        {other && <p className="hint">An export is running; import when it has finished.</p>}

        {shown && !done && (
          <div className="actions end">
            {blocked && (
              <p className="hint" id="import-blocked">
                {blocked}
              </p>
            )}
            <button
              ref={importButton}
              type="button"
              className="primary"
              onClick={onImport}
              disabled={!current || blocked !== null || importing.isPending || other}
              aria-describedby={blocked ? "import-blocked" : undefined}
            >
              {importing.isPending ? "Importing…" : "Import"}
            </button>
          </div>
        )}
      </div>
    </Dialog>
  );
}
