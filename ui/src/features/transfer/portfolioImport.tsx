// Import… in the top bar: a small wizard — choose a file, check where its columns go, preview what would change and what is wrong, then import with progress and Cancel.
import { useMutation, useQueryClient, type UseMutationResult } from "@tanstack/react-query";
import { useRef, useState, type ReactNode } from "react";

import type { ColumnSpec } from "../../bindings/ColumnSpec";
import type { ImportReport } from "../../bindings/ImportReport";
import type { ImportRequest } from "../../bindings/ImportRequest";
import type { Mapping } from "../../bindings/Mapping";
import type { StageValue } from "../../bindings/StageValue";
import { Dialog } from "../../components/dialog";
import { ErrorNote } from "../../components/errorNote";
import { count, plural } from "../../lib/format";
import { call } from "../../lib/ipc";
import { everythingChanged } from "../../lib/queries";
import { percent, ProgressBar, TaskChip, useFocusAfterTask, wasCancelled, type TaskSlot } from "../../components/taskProgress";
import { FieldNotes, RadioChoice } from "../../components/textField";
import { useUndo } from "../../lib/undo";
import { STAGE_LABEL, STAGES } from "../../lib/vocabulary";

interface Option {
  value: string;
  label: string;
}

const PRESETS: readonly Option[] = [
  { value: "", label: "Detect from the headers" },
  { value: "omb-2025", label: "U.S. federal inventory (omb-2025)" },
];

const ENCODINGS: readonly Option[] = [
  { value: "utf-8", label: "UTF-8" },
  { value: "utf-16le", label: "UTF-16 LE" },
  { value: "utf-16be", label: "UTF-16 BE" },
  { value: "windows-1252", label: "Windows-1252 (Western European)" },
];

const DELIMITERS: readonly Option[] = [
  { value: ",", label: "Comma ( , )" },
  { value: ";", label: "Semicolon ( ; )" },
  { value: "tab", label: "Tab" },
];

/** The engine's targets, in words; owners and the proposer are read as email addresses. */
const TARGETS: readonly Option[] = [
  { value: "title", label: "Title" },
  { value: "problem", label: "Problem statement" },
  { value: "solution", label: "Proposed solution" },
  { value: "business_unit", label: "Business unit" },
  { value: "proposer", label: "Proposer (email)" },
  { value: "expected_benefit", label: "Expected annual benefit" },
  { value: "expected_cost", label: "Expected annual cost" },
  { value: "data_sources", label: "Data sources" },
  { value: "tags", label: "Tags" },
  { value: "stage", label: "Stage" },
  { value: "owner.business", label: "Business owner (email)" },
  { value: "owner.technical", label: "Technical owner (email)" },
  { value: "owner.data", label: "Data owner (email)" },
  { value: "owner.risk", label: "Risk owner (email)" },
  { value: "id", label: "ID (this app’s, or the file’s own)" },
  { value: "source_id", label: "Source ID (the id in another tool)" },
];

/** What a stage value of the file can be read as; "" only while it is not a stage. */
const STAGE_OPTIONS: readonly Option[] = STAGES.map((s) => ({ value: s, label: STAGE_LABEL[s] }));
const NOT_A_STAGE: Option = { value: "", label: "Not a stage — choose one" };

const IGNORE = "ignore";
const ATTR = "attr.";
/** Changes listed in the preview; the engine sends up to 1,000. */
const CHANGES_SHOWN = 50;
const PROBLEMS_SHOWN = 100;

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

/** The import itself: the previewed file, and whether to skip the rows with problems. */
interface ImportJob {
  source: Source;
  skip: boolean;
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

export const targetOf = (spec: ColumnSpec | undefined): string => (spec === undefined ? IGNORE : typeof spec === "string" ? spec : spec.to);

/** The spec sending its column to `to`; how its cells are read (`as`) stays. */
export function retarget(spec: ColumnSpec | undefined, to: string): ColumnSpec {
  return spec === undefined || typeof spec === "string" ? to : { ...spec, to };
}

/** The attribute name the engine makes of a header: "Agency Name" → `agency_name`. */
export function attributeName(header: string): string {
  let out = "";
  for (const c of header.trim()) {
    if (/[\p{L}\p{N}]/u.test(c)) out += c.toLowerCase();
    else if (out && !out.endsWith("_")) out += "_";
  }
  out = [...out.replace(/_+$/, "")].slice(0, 64).join("");
  return out || "column";
}

/** A field name of the preview ("owner.business", "attr.agency") in words. */
function fieldWords(name: string): string {
  if (name.startsWith(ATTR)) return name.slice(ATTR.length);
  const label = TARGETS.find((t) => t.value === name)?.label ?? name;
  return label.replace(/ \(.*\)$/, "");
}

function mappingFrom(from: string): string {
  if (from === "suggested") return "Suggested from the file’s headers: check each column.";
  if (from === "given") return "As you set them.";
  if (from.startsWith("preset ")) {
    const name = from.slice("preset ".length);
    return `From the preset ${PRESETS.find((p) => p.value === name)?.label ?? name}.`;
  }
  return from;
}

/** "3,611 rows: 3,610 to create, 0 to update, 0 unchanged, 1 with problems". */
function countsLine(r: ImportReport): string {
  return `${plural(r.rows, "row", "rows")}: ${count(r.created)} to create, ${count(r.updated)} to update, ${count(r.unchanged)} unchanged, ${count(r.invalid)} with problems`;
}

/**
 * The button and, while its dialog is closed, the note on a running or finished import. The
 * wizard's state lives here: closing the dialog loses nothing (reopening previews again, as the
 * portfolio may have changed), and an import keeps running, visibly, with the app usable.
 */
export function ImportAction({ slot }: { slot: TaskSlot }) {
  const qc = useQueryClient();
  const undo = useUndo();
  const [open, setOpen] = useState(false);
  const [source, setSource] = useState<Source | null>(null);
  const [preview, setPreview] = useState<{ source: Source; report: ImportReport } | null>(null);
  const [skip, setSkip] = useState(false);

  const choosing = useMutation({ mutationFn: () => call("import_choose_file") });
  const previewing = useMutation({
    mutationFn: (s: Source) => slot.run("import", () => call("import_run", request(s, { dry_run: true, skip_invalid: false }))),
  });
  const importing = useMutation({
    mutationFn: (job: ImportJob) => slot.run("import", () => call("import_run", request(job.source, { dry_run: false, skip_invalid: job.skip }))),
    onSuccess: (report) => {
      // A kept undo of an updated use case would now be refused as stale.
      if (report.updated > 0) undo.forget();
      void everythingChanged(qc);
    },
  });

  const previewSource = (s: Source) => {
    setSource(s);
    importing.reset();
    // Passed to `mutate`, so only the latest preview lands when several were started.
    previewing.mutate(s, {
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
          onImport={() => source && importing.mutate({ source, skip })}
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
  choosing: UseMutationResult<string | null, Error, void>;
  previewing: UseMutationResult<ImportReport, Error, Source>;
  importing: UseMutationResult<ImportReport, Error, ImportJob>;
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

/** The counts, the notes, the problems and the first changes of a preview. */
function Preview({ report }: { report: ImportReport }) {
  const problems = report.problems.slice(0, PROBLEMS_SHOWN);
  const changes = report.changes.slice(0, CHANGES_SHOWN);
  return (
    <>
      <p className="import-counts">{countsLine(report)}</p>
      {report.notes.length > 0 && (
        <ul className="import-notes" aria-label="Notes">
          {report.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      )}
      {problems.length > 0 && (
        <table className="data-table">
          <caption>Problems</caption>
          <thead>
            <tr>
              <th scope="col" className="num">
                Row
              </th>
              <th scope="col">Column</th>
              <th scope="col">Value</th>
              <th scope="col">Why</th>
            </tr>
          </thead>
          <tbody>
            {problems.map((p, i) => (
              <tr key={i}>
                <td className="num">{p.row}</td>
                <td>{p.column}</td>
                <td className="change">{p.value ? p.value : <span className="muted">(empty)</span>}</td>
                <td className="change">{p.why}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {report.problems.length > problems.length && (
        <p className="hint">
          The first {count(problems.length)} of {count(report.problems.length)} problems are listed.
        </p>
      )}
      {changes.length > 0 && (
        <table className="data-table">
          <caption>Changes</caption>
          <thead>
            <tr>
              <th scope="col" className="num">
                Row
              </th>
              <th scope="col">Change</th>
              <th scope="col">Title</th>
              <th scope="col">Fields</th>
            </tr>
          </thead>
          <tbody>
            {changes.map((c) => (
              <tr key={c.row}>
                <td className="num">{c.row}</td>
                <td>{c.action === "create" ? "Create" : "Update"}</td>
                <td>{c.title}</td>
                <td className="change">{c.fields.map(fieldWords).join(", ")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {report.created + report.updated > changes.length && (
        <p className="hint">
          The first {count(changes.length)} of {count(report.created + report.updated)} changes are listed.
        </p>
      )}
    </>
  );
}

/**
 * The stage column's values, each with the stage it is read as: as mapped, else as the engine
 * recognised it. An unknown one stands out, as its rows cannot be imported until one is chosen.
 */
function StageValues({
  values,
  mapped,
  onChoose,
}: {
  values: readonly StageValue[];
  mapped: { [value: string]: string } | undefined;
  onChoose: (value: string, stage: string) => void;
}) {
  return (
    <table className="data-table stage-values">
      <caption>Stage values</caption>
      <thead>
        <tr>
          <th scope="col">Value in the file</th>
          <th scope="col" className="num">
            Rows
          </th>
          <th scope="col">Read as</th>
        </tr>
      </thead>
      <tbody>
        {values.map((v, i) => {
          // The mapping wins: while a new preview runs, the report still has the old reading.
          const current = mapped?.[v.value] ?? v.stage ?? "";
          const unknown = current === "";
          const name = v.value === "" ? "blank cells" : `“${v.value}”`;
          const noteId = `stage-value-${i}-note`;
          return (
            <tr key={v.value} className={unknown ? "unknown" : undefined}>
              <th scope="row">{v.value === "" ? <span className="muted">(blank)</span> : v.value}</th>
              <td className="num">{plural(v.rows, "row", "rows")}</td>
              <td>
                <select
                  aria-label={`Stage for ${name}`}
                  value={current}
                  onChange={(e) => onChoose(v.value, e.target.value)}
                  aria-describedby={unknown ? noteId : undefined}
                  aria-invalid={unknown || undefined}
                >
                  {stageOptions(current).map((o) => (
                    <option key={o.value} value={o.value} disabled={o.value === ""}>
                      {o.label}
                    </option>
                  ))}
                </select>
                {unknown && (
                  <p className="field-error" id={noteId}>
                    Not a stage: {plural(v.rows, "row has", "rows have")} a problem until you choose one.
                  </p>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** The stages, with "Not a stage" while the value is none, and any other value the mapping names. */
function stageOptions(current: string): Option[] {
  if (current === "") return [NOT_A_STAGE, ...STAGE_OPTIONS];
  return withValue(STAGE_OPTIONS, current, current);
}

/** The targets a column can choose, with its custom attribute keeping the name it has. */
function targetOptions(header: string, current: string): Option[] {
  const attr = current.startsWith(ATTR) ? current : `${ATTR}${attributeName(header)}`;
  const options = [...TARGETS, { value: attr, label: `Keep as custom attribute (${attr.slice(ATTR.length)})` }, { value: IGNORE, label: "Ignore" }];
  return withValue(options, current, current);
}

/** The options, with `value` added should the file or engine name one the list lacks. */
function withValue(options: readonly Option[], value: string, label: string): Option[] {
  return options.some((o) => o.value === value) ? [...options] : [...options, { value, label }];
}

function SelectField({
  id,
  label,
  value,
  options,
  onChange,
  hint,
}: {
  id: string;
  label: string;
  value: string;
  options: readonly Option[];
  onChange: (value: string) => void;
  hint?: string;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)} aria-describedby={hint ? `${id}-hint` : undefined}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <FieldNotes id={id} hint={hint} error={undefined} />
    </div>
  );
}
