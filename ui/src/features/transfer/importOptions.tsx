// The import wizard's choices and wording: presets, encodings, delimiters, where a column can go, and how a mapping and its counts are said.

import type { ColumnSpec } from "../../bindings/ColumnSpec";
import type { ImportReport } from "../../bindings/ImportReport";
import { count, plural } from "../../lib/format";
import { FIELD_LABEL, STAGE_LABEL, STAGES } from "../../lib/vocabulary";

export interface Option {
  value: string;
  label: string;
}

export const PRESETS: readonly Option[] = [
  { value: "", label: "Detect from the headers" },
  { value: "omb-2025", label: "U.S. federal inventory (omb-2025)" },
];

export const ENCODINGS: readonly Option[] = [
  { value: "utf-8", label: "UTF-8" },
  { value: "utf-16le", label: "UTF-16 LE" },
  { value: "utf-16be", label: "UTF-16 BE" },
  { value: "windows-1252", label: "Windows-1252 (Western European)" },
];

export const DELIMITERS: readonly Option[] = [
  { value: ",", label: "Comma ( , )" },
  { value: ";", label: "Semicolon ( ; )" },
  { value: "tab", label: "Tab" },
];

/** The engine's targets, in words; owners and the proposer are read as email addresses. */
export const TARGETS: readonly Option[] = [
  ...(["title", "problem", "solution", "business_unit"] as const).map((f) => ({ value: f, label: FIELD_LABEL[f]! })),
  { value: "proposer", label: "Proposer (email)" },
  ...(["expected_benefit", "expected_cost", "data_sources", "tags"] as const).map((f) => ({ value: f, label: FIELD_LABEL[f]! })),
  { value: "stage", label: "Stage" },
  { value: "owner.business", label: "Business owner (email)" },
  { value: "owner.technical", label: "Technical owner (email)" },
  { value: "owner.data", label: "Data owner (email)" },
  { value: "owner.risk", label: "Risk owner (email)" },
  { value: "id", label: "ID (this app’s, or the file’s own)" },
  { value: "source_id", label: "Source ID (the id in another tool)" },
];

/** What a stage value of the file can be read as; "" only while it is not a stage. */
export const STAGE_OPTIONS: readonly Option[] = STAGES.map((s) => ({ value: s, label: STAGE_LABEL[s] }));
export const NOT_A_STAGE: Option = { value: "", label: "Not a stage — choose one" };

export const IGNORE = "ignore";
export const ATTR = "attr.";
/** Changes listed in the preview; the engine sends up to 1,000. */
export const CHANGES_SHOWN = 50;
export const PROBLEMS_SHOWN = 100;

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
export function fieldWords(name: string): string {
  if (name.startsWith(ATTR)) return name.slice(ATTR.length);
  const label = TARGETS.find((t) => t.value === name)?.label ?? name;
  return label.replace(/ \(.*\)$/, "");
}

export function mappingFrom(from: string): string {
  if (from === "suggested") return "Suggested from the file’s headers: check each column.";
  if (from === "given") return "As you set them.";
  if (from.startsWith("preset ")) {
    const name = from.slice("preset ".length);
    return `From the preset ${PRESETS.find((p) => p.value === name)?.label ?? name}.`;
  }
  return from;
}

/** "3,611 rows: 3,610 to create, 0 to update, 0 unchanged, 1 with problems". */
export function countsLine(r: ImportReport): string {
  return `${plural(r.rows, "row", "rows")}: ${count(r.created)} to create, ${count(r.updated)} to update, ${count(r.unchanged)} unchanged, ${count(r.invalid)} with problems`;
}
