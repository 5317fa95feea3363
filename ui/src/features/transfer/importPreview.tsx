// The import wizard's preview (what would be created, changed and refused, the stage values read) and the select fields of its mapping.

import type { ImportReport } from "../../bindings/ImportReport";
import type { StageValue } from "../../bindings/StageValue";
import { count, plural } from "../../lib/format";
import { FieldNotes } from "../../components/textField";

import {
  ATTR,
  attributeName,
  CHANGES_SHOWN,
  countsLine,
  fieldWords,
  IGNORE,
  NOT_A_STAGE,
  PROBLEMS_SHOWN,
  STAGE_OPTIONS,
  TARGETS,
  type Option,
} from "./importOptions";

/** The counts, the notes, the problems and the first changes of a preview. */
export function Preview({ report }: { report: ImportReport }) {
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
export function StageValues({
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
export function stageOptions(current: string): Option[] {
  if (current === "") return [NOT_A_STAGE, ...STAGE_OPTIONS];
  return withValue(STAGE_OPTIONS, current, current);
}

/** The targets a column can choose, with its custom attribute keeping the name it has. */
export function targetOptions(header: string, current: string): Option[] {
  const attr = current.startsWith(ATTR) ? current : `${ATTR}${attributeName(header)}`;
  const options = [...TARGETS, { value: attr, label: `Keep as custom attribute (${attr.slice(ATTR.length)})` }, { value: IGNORE, label: "Ignore" }];
  return withValue(options, current, current);
}

/** The options, with `value` added should the file or engine name one the list lacks. */
export function withValue(options: readonly Option[], value: string, label: string): Option[] {
  return options.some((o) => o.value === value) ? [...options] : [...options, { value, label }];
}

export function SelectField({
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
