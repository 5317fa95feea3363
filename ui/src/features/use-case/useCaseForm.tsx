// The capture form of a use case (new or Overview): its values, checks, changed fields, and the inputs.
import { useState, type ReactNode } from "react";

import type { FieldValue } from "../../bindings/FieldValue";
import type { NewUseCase } from "../../bindings/NewUseCase";
import type { Person } from "../../bindings/Person";
import type { UseCase } from "../../bindings/UseCase";
import { money, splitList } from "../../lib/format";
import { IpcError } from "../../lib/ipc";
import { usePreferences } from "../../lib/preferences";
import { FieldNotes } from "../../components/textField";

export const FORM_FIELDS = ["title", "problem", "solution", "business_unit", "proposer", "expected_benefit", "expected_cost", "data_sources", "tags"] as const;

export type FormField = (typeof FORM_FIELDS)[number];

/** What the inputs hold: text as typed, so nothing is lost when a value is refused. */
export type FormValues = Record<FormField, string>;
export type FormErrors = Partial<Record<FormField, string>>;

export const EMPTY_FORM: FormValues = {
  title: "",
  problem: "",
  solution: "",
  business_unit: "",
  proposer: "",
  expected_benefit: "",
  expected_cost: "",
  data_sources: "",
  tags: "",
};

export function isFormField(name: string | undefined): name is FormField {
  return (FORM_FIELDS as readonly string[]).includes(name ?? "");
}

export function fromUseCase(uc: UseCase): FormValues {
  return {
    title: uc.title,
    problem: uc.problem,
    solution: uc.solution,
    business_unit: uc.business_unit,
    proposer: uc.proposer ?? "",
    expected_benefit: uc.expected_benefit === null ? "" : String(uc.expected_benefit),
    expected_cost: uc.expected_cost === null ? "" : String(uc.expected_cost),
    data_sources: uc.data_sources.join(", "),
    tags: uc.tags.join(", "),
  };
}

const MONEY_FIELDS: readonly FormField[] = ["expected_benefit", "expected_cost"];
const LIST_FIELDS: readonly FormField[] = ["data_sources", "tags"];

/** A typed amount as a number: spaces and apostrophes allowed as thousands separators. */
function parseMoney(text: string): number | null | "bad" {
  const t = text.replace(/[\s']/g, "");
  if (t === "") return null;
  if (!/^\d+(\.\d+)?$/.test(t)) return "bad";
  return Number(t);
}

/** The value the engine receives for one field. */
function fieldValue(field: FormField, text: string): FieldValue {
  if (MONEY_FIELDS.includes(field)) {
    const n = parseMoney(text);
    return n === "bad" ? text.trim() : n;
  }
  if (LIST_FIELDS.includes(field)) return splitList(text);
  return text.trim();
}

function same(a: FieldValue, b: FieldValue): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => x === b[i]);
  return a === b;
}

/** The fields whose values differ from `base`, as `use_case_set_fields` takes them. */
export function changedFields(base: FormValues, values: FormValues): Record<string, FieldValue> {
  const out: Record<string, FieldValue> = {};
  for (const f of FORM_FIELDS) {
    const v = fieldValue(f, values[f]);
    if (!same(fieldValue(f, base[f]), v)) out[f] = v;
  }
  return out;
}

export function dirtyFields(base: FormValues, values: FormValues): FormField[] {
  return Object.keys(changedFields(base, values)).filter(isFormField);
}

/** Checks the person can fix before anything is sent. */
export function checkForm(values: FormValues): FormErrors {
  const errors: FormErrors = {};
  const title = values.title.trim();
  if (!title) errors.title = "A use case needs a title.";
  else if (title.length > 300) errors.title = `A title is at most 300 characters (this one has ${title.length}).`;
  for (const f of MONEY_FIELDS) {
    if (parseMoney(values[f]) === "bad") errors[f] = "Enter a plain amount such as 250000 (no currency sign or commas).";
  }
  return errors;
}

export function toNewUseCase(values: FormValues): NewUseCase {
  const req: NewUseCase = { title: values.title.trim() };
  const text = (f: "problem" | "solution" | "business_unit" | "proposer") => values[f].trim() || undefined;
  const problem = text("problem");
  if (problem) req.problem = problem;
  const solution = text("solution");
  if (solution) req.solution = solution;
  const bu = text("business_unit");
  if (bu) req.business_unit = bu;
  const proposer = text("proposer");
  if (proposer) req.proposer = proposer;
  const benefit = parseMoney(values.expected_benefit);
  if (typeof benefit === "number") req.expected_benefit = benefit;
  const cost = parseMoney(values.expected_cost);
  if (typeof cost === "number") req.expected_cost = cost;
  const sources = splitList(values.data_sources);
  if (sources.length) req.data_sources = sources;
  const tags = splitList(values.tags);
  if (tags.length) req.tags = tags;
  return req;
}

/** The form's values, its errors beside the fields, and a failure that belongs to no field. */
export function useFormFields(initial: FormValues) {
  const [values, setValues] = useState<FormValues>(initial);
  const [errors, setErrors] = useState<FormErrors>({});
  const [failure, setFailure] = useState<IpcError | null>(null);

  /** Sets a field's value and clears its error. */
  const onChange = (field: FormField, value: string) => {
    setValues((v) => ({ ...v, [field]: value }));
    setErrors((e) => ({ ...e, [field]: undefined }));
  };

  /** A refused save: a validation error on a form field goes beside that field, anything else below the form. */
  const showError = (e: unknown) => {
    const err = IpcError.from(e);
    if (err.code === "validation" && isFormField(err.field)) setErrors({ [err.field]: err.message });
    else setFailure(err);
  };

  /** Runs the checks before sending: shows what they find and focuses the first field at fault. True when all pass. */
  const checkBeforeSave = (): boolean => {
    const found = checkForm(values);
    setErrors(found);
    const first = Object.keys(found)[0];
    if (first) document.getElementById(`field-${first}`)?.focus();
    return !first;
  };

  return { values, setValues, errors, setErrors, failure, setFailure, onChange, showError, checkBeforeSave };
}

interface FieldsProps {
  values: FormValues;
  errors: FormErrors;
  onChange: (field: FormField, value: string) => void;
  businessUnits: readonly string[];
  people: readonly Person[];
  /** Fields changed since the last save, marked so the person sees what Save will send. */
  dirty?: readonly FormField[];
  /** Shown right under the title (the similar use cases). */
  afterTitle?: ReactNode;
}

/** The inputs, with ids `field-<name>` and each error beside its field. */
export function UseCaseFields({ values, errors, onChange, businessUnits, people, dirty = [], afterTitle }: FieldsProps) {
  const { currency } = usePreferences();
  /** The amount typed, as it will show: "€250,000 a year". */
  const amount = (field: FormField) => {
    const n = parseMoney(values[field]);
    return typeof n === "number" ? `${money(n, currency)} a year` : undefined;
  };
  const input = (
    field: FormField,
    label: string,
    opts: { required?: boolean; hint?: string; multiline?: boolean; list?: string; inputMode?: "decimal" } = {},
  ) => {
    const id = `field-${field}`;
    const error = errors[field];
    const describedBy = [error ? `${id}-error` : "", opts.hint ? `${id}-hint` : ""].filter(Boolean).join(" ") || undefined;
    const common = {
      id,
      name: field,
      value: values[field],
      "aria-invalid": Boolean(error),
      "aria-describedby": describedBy,
      "aria-required": opts.required || undefined,
    };
    return (
      <div className={dirty.includes(field) ? "field edited" : "field"}>
        <span className="label-row">
          <label htmlFor={id}>
            {label}
            {opts.required && <span aria-hidden="true"> *</span>}
          </label>
          {dirty.includes(field) && <span className="edited-mark">edited</span>}
        </span>
        {opts.multiline ? (
          <textarea {...common} rows={3} onChange={(e) => onChange(field, e.target.value)} />
        ) : (
          <input {...common} list={opts.list} inputMode={opts.inputMode} onChange={(e) => onChange(field, e.target.value)} />
        )}
        <FieldNotes id={id} hint={opts.hint} error={error} />
      </div>
    );
  };

  return (
    <div className="form-grid">
      {input("title", "Title", { required: true })}
      {afterTitle}
      {input("problem", "Problem statement", { multiline: true, hint: "What is hard, slow or costly today, and for whom?" })}
      {input("solution", "Proposed solution", { multiline: true })}
      {input("business_unit", "Business unit", { list: "business-units" })}
      <datalist id="business-units">
        {businessUnits.map((b) => (
          <option key={b} value={b} />
        ))}
      </datalist>
      {input("proposer", "Proposer (email)", { list: "people-emails", hint: "Someone new is added to the people list." })}
      <datalist id="people-emails">
        {people.map((p) => (
          <option key={p.id} value={p.email}>
            {p.name}
          </option>
        ))}
      </datalist>
      <div className="form-row">
        {input("expected_benefit", `Expected annual benefit (${currency})`, { inputMode: "decimal", hint: amount("expected_benefit") })}
        {input("expected_cost", `Expected annual cost (${currency})`, { inputMode: "decimal", hint: amount("expected_cost") })}
      </div>
      {input("data_sources", "Data sources", { hint: "Separate with commas." })}
      {input("tags", "Tags", { hint: "Separate with commas." })}
    </div>
  );
}
