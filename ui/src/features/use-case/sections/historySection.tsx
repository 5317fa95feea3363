// The History tab: the use case's change log (with that of use cases merged into it, marked), and what each scoring-model version scored it at.
import { useMemo } from "react";

import { QuadrantBadge } from "../../../components/badges";
import type { HistoryEntry } from "../../../bindings/HistoryEntry";
import { ErrorNote } from "../../../components/errorNote";
import { describeValue, indexPeople, personName, score } from "../../../lib/format";
import { Moment, usePreferences } from "../../../lib/preferences";
import { usePeople } from "../../../lib/queries";
import { isQuadrant, isTier, TIER_LABEL } from "../../../lib/vocabulary";
import { useHistory, useModelScores } from "../api";

const KIND_LABEL: Record<string, string> = {
  create: "Proposed",
  field: "Edited",
  score: "Scored",
  owner: "Owner",
  stage: "Stage move",
  archive: "Archived",
  unarchive: "Restored from archive",
  kpi: "KPI added",
  kpi_actual: "KPI actual recorded",
  pattern: "Pattern",
  control: "Control",
  triage: "Risk triage",
  merge: "Merged",
  delete: "Deleted",
  restore: "Put back",
};

/** A pattern link's role, or a control's status, as the engine logs it. */
const ROLE_OR_STATUS: Record<string, string> = {
  primary: "primary",
  other: "other pattern",
  open: "Open",
  "in-place": "In place",
  "not-applicable": "Not applicable",
};

/** A key of a logged object value, if it has it. */
function prop(v: unknown, key: string): unknown {
  return typeof v === "object" && v !== null && key in v ? (v as Record<string, unknown>)[key] : undefined;
}

function targetOf(v: unknown): unknown {
  return prop(v, "target") ?? v;
}

const tierWord = (v: unknown) => (isTier(v) ? TIER_LABEL[v] : "—");

/** `id`: the use case whose history this is (a merge reads differently on the one kept). */
function change(e: HistoryEntry, id: string, currency: string): string {
  // A triage logs the tier before (or nothing) and the new answers with their tier.
  if (e.kind === "triage") return e.old === null ? tierWord(prop(e.new, "tier")) : `${tierWord(e.old)} → ${tierWord(prop(e.new, "tier"))}`;
  if (e.kind === "merge") {
    const kept = prop(e.new, "kept");
    return kept === id ? `“${String(prop(e.new, "merged_title"))}” merged into this one` : `merged into another use case (${String(kept)})`;
  }
  if (e.kind === "create") return "created";
  if (["archive", "unarchive", "delete", "restore"].includes(e.kind)) return "";
  // A KPI's entry names the KPI in `field`: what changed is its target (added) or the value measured.
  if (e.kind === "kpi") return `target ${describeValue(targetOf(e.new), null)}`;
  if (e.kind === "kpi_actual") return describeValue(e.new, null);
  // A pattern's entry names the pattern in `field`, a control's the control; the values are its role or status.
  if (e.kind === "pattern" || e.kind === "control") {
    const word = (v: unknown) => (typeof v === "string" ? (ROLE_OR_STATUS[v] ?? v) : null);
    if (e.kind === "pattern" && e.old === null) return `mapped as ${word(e.new)}`;
    if (e.kind === "pattern" && e.new === null) return `removed (was ${word(e.old)})`;
    return `${word(e.old) ?? "—"} → ${word(e.new) ?? "—"}`;
  }
  return `${describeValue(e.old, e.field, currency)} → ${describeValue(e.new, e.field, currency)}`;
}

export function HistorySection({ id }: { id: string }) {
  const history = useHistory(id);
  const scores = useModelScores(id);
  const people = usePeople();
  const index = useMemo(() => indexPeople(people.data), [people.data]);
  const prefs = usePreferences();
  const entries = [...(history.data ?? [])].reverse();

  return (
    <div className="history">
      <section aria-labelledby="history-heading">
        <h3 id="history-heading">Changes</h3>
        <ErrorNote error={history.error} />
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">What</th>
              <th scope="col">Field</th>
              <th scope="col">Change</th>
              <th scope="col">Note</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e, i) => (
              <tr key={`${e.at}-${i}`}>
                <td>
                  <Moment at={e.at} format={prefs.date_format} />
                </td>
                <td title={e.actor}>{personName(e.actor, index)}</td>
                <td>
                  {KIND_LABEL[e.kind] ?? e.kind}
                  {e.merged_from !== null && (
                    <>
                      {" "}
                      <span className="tag-note merged-from">from merged “{e.merged_from}”</span>
                    </>
                  )}
                </td>
                <td>{e.field ?? ""}</td>
                <td className="change">{change(e, id, prefs.currency)}</td>
                <td>{e.note ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {history.data?.length === 0 && <p className="muted">No changes recorded.</p>}
      </section>
      <section aria-labelledby="model-scores-heading">
        <h3 id="model-scores-heading">Scores by model version</h3>
        <ErrorNote error={scores.error} />
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">Model version</th>
              <th scope="col" className="num">
                Value
              </th>
              <th scope="col" className="num">
                Feasibility
              </th>
              <th scope="col">Quadrant</th>
              <th scope="col">Scored</th>
            </tr>
          </thead>
          <tbody>
            {(scores.data ?? []).map((s) => (
              <tr key={s.model_version}>
                <td>v{s.model_version}</td>
                <td className="num">{score(s.value_score)}</td>
                <td className="num">{score(s.feasibility_score)}</td>
                <td>{s.quadrant && isQuadrant(s.quadrant) ? <QuadrantBadge quadrant={s.quadrant} /> : (s.quadrant ?? "—")}</td>
                <td>
                  <Moment at={s.at} format={prefs.date_format} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}
