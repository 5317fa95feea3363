// The Outcomes tab: the realised annual benefit beside the expected one (recorded from Pilot on), and the use case's KPIs with their actuals, status, and forms to add one and record an actual.
import { useId, useState, type FormEvent } from "react";

import type { DateFormat } from "../../../bindings/DateFormat";
import type { Direction } from "../../../bindings/Direction";
import type { Kpi } from "../../../bindings/Kpi";
import type { KpiStatus } from "../../../bindings/KpiStatus";
import type { NewKpi } from "../../../bindings/NewKpi";
import type { Stage } from "../../../bindings/Stage";
import type { UseCase } from "../../../bindings/UseCase";
import { Dialog } from "../../../components/dialog";
import { ErrorNote } from "../../../components/errorNote";
import { formatDate, indexPeople, money, personName } from "../../../lib/format";
import { fieldError, IpcError } from "../../../lib/ipc";
import "./kpiSection.css";
import { usePreferences } from "../../../lib/preferences";
import { usePeople } from "../../../lib/queries";
import { TextField } from "../../../components/textField";
import { useUndo } from "../../../lib/undo";
import { SaveActions } from "../../../components/saveActions";
import { useAddKpi, useKpis, useRecordActual, useReloadUseCase, useSetFields } from "../api";

/** The stages where a use case delivers, so its realised benefit can be recorded. */
const DELIVERING: readonly Stage[] = ["pilot", "production", "scaled"];

/** At Pilot or beyond, or parked or retired after getting there. */
export function reachedPilot(uc: Pick<UseCase, "stage" | "left_stage">): boolean {
  const at = uc.stage === "parked" || uc.stage === "retired" ? uc.left_stage : uc.stage;
  return at !== null && DELIVERING.includes(at);
}

const STATUS: Record<KpiStatus, { label: string; mark: string; hint: string }> = {
  "on-track": { label: "On track", mark: "✓", hint: "The latest actual meets the target, or the line from the baseline to it by the due date" },
  "off-track": { label: "Off track", mark: "!", hint: "The latest actual falls short of the target (or of the line to it by the due date)" },
  "not-measured": { label: "Not measured", mark: "–", hint: "No actual recorded yet" },
};

/** A KPI's status in words, with a mark beside the colour. */
export function KpiStatusBadge({ status }: { status: KpiStatus }) {
  const s = STATUS[status];
  return (
    <span className="badge kpi-status" data-kpi-status={status} title={s.hint}>
      <span className="kpi-mark" aria-hidden="true">
        {s.mark}
      </span>
      {s.label}
    </span>
  );
}

const figures = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2, useGrouping: "always" });

/** "8 min", "95%", "1,200". */
function measure(n: number | null, unit: string): string {
  if (n === null) return "—";
  const v = figures.format(n);
  if (!unit) return v;
  return unit === "%" ? `${v}%` : `${v} ${unit}`;
}

/** A day as the engine keeps it (YYYY-MM-DD), in the preferred date format. */
function day(iso: string, format: DateFormat): string {
  const [y, m, d] = iso.split("-").map(Number);
  return y && m && d ? formatDate(new Date(y, m - 1, d), format) : iso;
}

/** Today, local, as YYYY-MM-DD (what a date input holds). */
function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

/** A typed number: spaces and apostrophes allowed as thousands separators; empty is null. */
function parseNumber(text: string): number | null | "bad" {
  const t = text.replace(/[\s']/g, "");
  if (t === "") return null;
  return /^-?\d+(\.\d+)?$/.test(t) ? Number(t) : "bad";
}

const NOT_A_NUMBER = "Enter a plain number such as 12.5 (no unit or commas).";

export function OutcomesSection({ uc }: { uc: UseCase }) {
  return (
    <div className="outcomes">
      <section aria-labelledby="benefit-heading">
        <h3 id="benefit-heading">Annual benefit</h3>
        <RealisedBenefit uc={uc} />
      </section>
      <section aria-labelledby="kpi-heading">
        <h3 id="kpi-heading">KPIs</h3>
        <KpiList useCase={uc} />
      </section>
    </div>
  );
}

/** The expected and realised benefit side by side; the realised one is editable from Pilot on. */
function RealisedBenefit({ uc }: { uc: UseCase }) {
  const reloadUseCase = useReloadUseCase();
  const undo = useUndo();
  const { currency } = usePreferences();
  const [text, setText] = useState(shown(uc.realised_benefit));
  // Changed elsewhere (an undo, another window): show the new amount unless the person is typing another.
  const [base, setBase] = useState(uc.realised_benefit);
  if (uc.realised_benefit !== base) {
    setBase(uc.realised_benefit);
    if (parseMoney(text) === base) setText(shown(uc.realised_benefit));
  }
  const [local, setLocal] = useState<string | undefined>();
  const [saved, setSaved] = useState(false);
  const save = useSetFields();
  const open = reachedPilot(uc);
  const typed = parseMoney(text);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (typed === "bad") {
      setLocal("Enter a plain amount such as 250000 (no currency sign or commas).");
      document.getElementById("field-realised_benefit")?.focus();
      return;
    }
    const old = uc.realised_benefit;
    save.mutate(
      { id: uc.id, expect_version: uc.version, fields: { realised_benefit: typed } },
      {
        onSuccess: (next) => {
          setSaved(true);
          undo.record({
            id: next.id,
            done: "Realised benefit saved",
            what: `realised benefit of “${next.title}”`,
            inverse: { cmd: "use_case_set_fields", req: { id: next.id, expect_version: next.version, fields: { realised_benefit: old } } },
          });
        },
      },
    );
  };
  const error = local ?? fieldError(save.error, "realised_benefit");
  const other = save.error instanceof IpcError && save.error.field !== "realised_benefit" ? save.error : null;

  return (
    <>
      <dl className="benefit-figures">
        <div>
          <dt>Expected</dt>
          <dd>{uc.expected_benefit === null ? <span className="muted">Not estimated</span> : `${money(uc.expected_benefit, currency)} a year`}</dd>
        </div>
        <div>
          <dt>Realised</dt>
          <dd data-testid="realised-benefit">
            {uc.realised_benefit === null ? <span className="muted">Not recorded</span> : `${money(uc.realised_benefit, currency)} a year`}
          </dd>
        </div>
      </dl>
      {!open && <p className="hint">The realised benefit is recorded from Pilot on.</p>}
      {open && (
        <form className="benefit-form" onSubmit={submit} noValidate aria-label="Realised benefit">
          <TextField
            id="field-realised_benefit"
            label={`Realised annual benefit (${currency})`}
            error={error}
            hint={typeof typed === "number" ? `${money(typed, currency)} a year` : "What the use case now brings in or saves per year."}
            value={text}
            inputMode="decimal"
            onChange={(e) => {
              setText(e.target.value);
              setLocal(undefined);
              setSaved(false);
              save.reset();
            }}
          />
          <SaveActions pending={save.isPending} saved={saved && "Saved"} />
          <ErrorNote error={other}>
            {other?.code === "stale" && (
              <div className="actions">
                <button type="button" onClick={() => void reloadUseCase(uc.id).then(() => save.reset())}>
                  Reload
                </button>
              </div>
            )}
          </ErrorNote>
        </form>
      )}
    </>
  );
}

function shown(amount: number | null): string {
  return amount === null ? "" : String(amount);
}

/** An amount: never below zero. */
function parseMoney(text: string): number | null | "bad" {
  const n = parseNumber(text);
  return typeof n === "number" && n < 0 ? "bad" : n;
}

function KpiList({ useCase }: { useCase: UseCase }) {
  const kpis = useKpis(useCase.id);
  const [adding, setAdding] = useState(false);
  return (
    <>
      <ErrorNote error={kpis.error} />
      {kpis.isLoading && <p className="loading">Loading the KPIs…</p>}
      {kpis.data?.length === 0 && !adding && (
        <p className="muted">
          No KPIs yet. Add the measures that show whether this use case delivers, e.g. average handling time in minutes, from 12 down to 8.
        </p>
      )}
      <ul className="kpi-list">
        {(kpis.data ?? []).map((k) => (
          <KpiCard key={k.id} kpi={k} />
        ))}
      </ul>
      {adding ? (
        <AddKpiForm useCaseId={useCase.id} onDone={() => setAdding(false)} />
      ) : (
        <button type="button" onClick={() => setAdding(true)}>
          Add KPI
        </button>
      )}
    </>
  );
}

function KpiCard({ kpi }: { kpi: Kpi }) {
  const prefs = usePreferences();
  const people = usePeople();
  const [recording, setRecording] = useState(false);
  const headingId = useId();
  const latest = kpi.actuals[kpi.actuals.length - 1];
  const index = indexPeople(people.data);
  return (
    <li className="kpi" aria-labelledby={headingId}>
      <div className="kpi-head">
        <h4 id={headingId}>{kpi.name}</h4>
        <KpiStatusBadge status={kpi.status} />
        <button type="button" className="kpi-record" aria-label={`Record actual for “${kpi.name}”`} onClick={() => setRecording(true)}>
          Record actual
        </button>
      </div>
      <dl className="kpi-figures">
        <div>
          <dt>Baseline → target</dt>
          <dd>
            {measure(kpi.baseline, kpi.unit)} → {measure(kpi.target, kpi.unit)}{" "}
            <span className="muted">({kpi.direction === "higher" ? "higher is better" : "lower is better"})</span>
          </dd>
        </div>
        <div>
          <dt>Due</dt>
          <dd>{kpi.due ? day(kpi.due, prefs.date_format) : <span className="muted">No date</span>}</dd>
        </div>
        <div>
          <dt>Latest</dt>
          <dd>
            {latest ? (
              <>
                {measure(latest.value, kpi.unit)} <span className="muted">on {day(latest.on, prefs.date_format)}</span>
              </>
            ) : (
              <span className="muted">Not measured yet</span>
            )}
          </dd>
        </div>
      </dl>
      {kpi.actuals.length > 0 && (
        <details className="kpi-actuals">
          <summary>All actuals ({kpi.actuals.length})</summary>
          <table className="data-table">
            <caption className="visually-hidden">Actuals of {kpi.name}, oldest first</caption>
            <thead>
              <tr>
                <th scope="col">Measured on</th>
                <th scope="col" className="num">
                  Value
                </th>
                <th scope="col">Recorded by</th>
              </tr>
            </thead>
            <tbody>
              {kpi.actuals.map((a) => (
                <tr key={a.on}>
                  <td>{day(a.on, prefs.date_format)}</td>
                  <td className="num">{measure(a.value, kpi.unit)}</td>
                  <td>{personName(a.recorded_by, index)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      )}
      {recording && <RecordActualDialog kpi={kpi} onClose={() => setRecording(false)} />}
    </li>
  );
}

type KpiField = "name" | "unit" | "baseline" | "target" | "direction" | "due";
const KPI_FIELDS: readonly KpiField[] = ["name", "unit", "baseline", "target", "direction", "due"];

function AddKpiForm({ useCaseId, onDone }: { useCaseId: string; onDone: () => void }) {
  const [values, setValues] = useState<Record<KpiField, string>>({ name: "", unit: "", baseline: "", target: "", direction: "", due: "" });
  const [local, setLocal] = useState<Partial<Record<KpiField, string>>>({});
  const add = useAddKpi();

  const set = (f: KpiField, v: string) => {
    setValues((x) => ({ ...x, [f]: v }));
    setLocal((x) => ({ ...x, [f]: undefined }));
    add.reset();
  };
  const error = (f: KpiField) => local[f] ?? fieldError(add.error, f);
  const failure = add.error instanceof IpcError ? add.error : null;
  const other = failure && !KPI_FIELDS.some((f) => f === failure.field) ? failure : null;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const baseline = parseNumber(values.baseline);
    const target = parseNumber(values.target);
    const found: Partial<Record<KpiField, string>> = {};
    if (!values.name.trim()) found.name = "A KPI needs a name, e.g. Average handling time.";
    if (target === null) found.target = "Give the value to reach.";
    else if (target === "bad") found.target = NOT_A_NUMBER;
    if (baseline === "bad") found.baseline = NOT_A_NUMBER;
    setLocal(found);
    const first = KPI_FIELDS.find((f) => found[f]);
    if (first) {
      document.getElementById(`kpi-${first}`)?.focus();
      return;
    }
    const req: NewKpi = { use_case_id: useCaseId, name: values.name.trim(), target: target as number };
    if (values.unit.trim()) req.unit = values.unit.trim();
    if (typeof baseline === "number") req.baseline = baseline;
    if (values.direction === "higher" || values.direction === "lower") req.direction = values.direction satisfies Direction;
    if (values.due) req.due = values.due;
    add.mutate(req, { onSuccess: () => onDone() });
  };

  return (
    <form className="form kpi-form" onSubmit={submit} noValidate aria-label="New KPI">
      <div className="form-row">
        <TextField id="kpi-name" label="Name" error={error("name")} value={values.name} onChange={(e) => set("name", e.target.value)} aria-required />
        <TextField
          id="kpi-unit"
          label="Unit"
          className="field narrow"
          error={error("unit")}
          hint="e.g. min, %, claims"
          value={values.unit}
          onChange={(e) => set("unit", e.target.value)}
        />
      </div>
      <div className="form-row">
        <TextField
          id="kpi-baseline"
          label="Baseline"
          className="field narrow"
          error={error("baseline")}
          hint="Where it is today"
          inputMode="decimal"
          value={values.baseline}
          onChange={(e) => set("baseline", e.target.value)}
        />
        <TextField
          id="kpi-target"
          label="Target"
          className="field narrow"
          error={error("target")}
          inputMode="decimal"
          value={values.target}
          onChange={(e) => set("target", e.target.value)}
          aria-required
        />
        <div className="field">
          <label htmlFor="kpi-direction">Better when</label>
          <select id="kpi-direction" value={values.direction} onChange={(e) => set("direction", e.target.value)}>
            <option value="">Worked out from baseline and target</option>
            <option value="higher">Higher</option>
            <option value="lower">Lower</option>
          </select>
        </div>
        <TextField
          id="kpi-due"
          label="Due date"
          className="field narrow"
          type="date"
          error={error("due")}
          value={values.due}
          onChange={(e) => set("due", e.target.value)}
        />
      </div>
      <ErrorNote error={other} />
      <div className="form-actions">
        <button type="submit" className="primary" disabled={add.isPending}>
          {add.isPending ? "Adding…" : "Add KPI"}
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function RecordActualDialog({ kpi, onClose }: { kpi: Kpi; onClose: () => void }) {
  const [value, setValue] = useState("");
  const [on, setOn] = useState(today);
  const [local, setLocal] = useState<string | undefined>();
  const record = useRecordActual();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const n = parseNumber(value);
    if (typeof n !== "number") {
      setLocal(n === null ? "Enter the measured value." : NOT_A_NUMBER);
      document.getElementById("actual-value")?.focus();
      return;
    }
    record.mutate(on ? { kpi_id: kpi.id, value: n, on } : { kpi_id: kpi.id, value: n }, { onSuccess: () => onClose() });
  };
  const other = record.error instanceof IpcError && record.error.field !== "value" && record.error.field !== "on" ? record.error : null;

  return (
    <Dialog title={`Record actual: ${kpi.name}`} onClose={onClose} initialFocus="#actual-value">
      <form className="form" onSubmit={submit} noValidate>
        <div className="form-row">
          <TextField
            id="actual-value"
            label={kpi.unit ? `Value (${kpi.unit})` : "Value"}
            className="field narrow"
            error={local ?? fieldError(record.error, "value")}
            hint={`Target ${measure(kpi.target, kpi.unit)}`}
            inputMode="decimal"
            value={value}
            onChange={(e) => {
              setValue(e.target.value);
              setLocal(undefined);
            }}
          />
          <TextField
            id="actual-on"
            label="Measured on"
            className="field narrow"
            type="date"
            error={fieldError(record.error, "on")}
            hint="A second value for the same day replaces the first."
            value={on}
            onChange={(e) => setOn(e.target.value)}
          />
        </div>
        <ErrorNote error={other} />
        <div className="actions end">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={record.isPending}>
            {record.isPending ? "Recording…" : "Record"}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
