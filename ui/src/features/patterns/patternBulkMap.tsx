// Mapping many use cases to a pattern in one go: the ones with no pattern yet (or all), ticked, mapped one by one, then what changed and what was refused.
import { useState, type FormEvent } from "react";

import { StageBadge } from "../../components/badges";
import type { Catalogue } from "../../bindings/Catalogue";
import { ErrorNote, FieldError } from "../../components/errorNote";
import { plural } from "../../lib/format";
import { useUseCaseList } from "../../lib/queries";
import { useMapToPattern, type MapOutcome as Outcome } from "./api";

export function BulkMap({ catalogue, onOpen }: { catalogue: Catalogue; onOpen: (id: string) => void }) {
  const slugs = catalogue.patterns.map((p) => p.slug);
  const live = catalogue.patterns.filter((p) => !p.retired);
  const all = useUseCaseList({ sort: "title" });
  // The use cases mapped to any pattern: the rest have none (a summary row does not say).
  const mapped = useUseCaseList({ pattern: slugs, sort: "title" }, { enabled: slugs.length > 0 });
  const [showAll, setShowAll] = useState(false);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [target, setTarget] = useState("");
  const [primary, setPrimary] = useState(true);
  const [problem, setProblem] = useState<{ field: "pattern" | "selection"; message: string } | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);

  const mappedIds = new Set((mapped.data?.rows ?? []).map((r) => r.id));
  const rows = (all.data?.rows ?? []).filter((r) => showAll || !mappedIds.has(r.id));
  const chosen = selected.size;
  const allTicked = rows.length > 0 && rows.every((r) => selected.has(r.id));

  const run = useMapToPattern();

  const toggle = (id: string, on: boolean) => {
    setProblem(null);
    setSelected((s) => {
      const next = new Set(s);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  };
  const toggleAll = (on: boolean) => {
    setProblem(null);
    setSelected(on ? new Set(rows.map((r) => r.id)) : new Set());
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const pattern = live.find((p) => p.slug === target);
    if (!pattern) {
      setProblem({ field: "pattern", message: "Choose the pattern to map them to." });
      document.getElementById("bulk-map-pattern")?.focus();
      return;
    }
    // Only what is shown: a ticked row hidden since (mapped meanwhile) is left alone.
    const ids = rows.filter((r) => selected.has(r.id)).map((r) => r.id);
    if (ids.length === 0) {
      setProblem({ field: "selection", message: "Tick at least one use case to map." });
      return;
    }
    setOutcome(null);
    const titles = new Map((all.data?.rows ?? []).map((r) => [r.id, r.title]));
    run.mutate(
      { pattern, primary, useCases: ids.map((id) => ({ id, title: titles.get(id) ?? id })) },
      {
        onSuccess: (out) => {
          setOutcome(out);
          // The refused stay ticked, to try again or untick.
          setSelected(new Set(out.refused.map((r) => r.id)));
        },
      },
    );
  };

  return (
    <section className="bulk-map" aria-labelledby="bulk-map-heading">
      <h2 id="bulk-map-heading">Use cases with no pattern yet</h2>
      <p className="hint">
        {plural(catalogue.unmapped, "live use case has", "live use cases have")} no pattern. Tick some and map them to a pattern, as their primary pattern or as
        another one.
      </p>
      <form className="bulk-map-form" onSubmit={submit} noValidate aria-label="Map use cases to a pattern">
        <div className="bulk-map-bar">
          <div className="field">
            <label htmlFor="bulk-map-pattern">Map to pattern</label>
            <select
              id="bulk-map-pattern"
              value={target}
              aria-invalid={problem?.field === "pattern"}
              aria-describedby={problem?.field === "pattern" ? "bulk-map-pattern-error" : undefined}
              onChange={(e) => {
                setTarget(e.target.value);
                setProblem(null);
              }}
            >
              <option value="">Choose a pattern…</option>
              {live.map((p) => (
                <option key={p.slug} value={p.slug}>
                  {p.name}
                </option>
              ))}
            </select>
            <FieldError id="bulk-map-pattern-error" message={problem?.field === "pattern" ? problem.message : undefined} />
          </div>
          <fieldset className="bulk-map-role">
            <legend>As</legend>
            <label>
              <input type="radio" name="bulk-map-role" checked={primary} onChange={() => setPrimary(true)} />
              Primary pattern
            </label>
            <label>
              <input type="radio" name="bulk-map-role" checked={!primary} onChange={() => setPrimary(false)} />
              Another pattern
            </label>
          </fieldset>
          <span className="bulk-count" aria-live="polite">
            {chosen} selected
          </span>
          <button type="submit" className="primary" disabled={run.isPending}>
            {run.isPending ? "Mapping…" : "Map selected"}
          </button>
        </div>
        <FieldError id="bulk-map-selection-error" message={problem?.field === "selection" ? problem.message : undefined} />

        {outcome && <Summary outcome={outcome} onOpen={onOpen} />}
        <ErrorNote error={all.error ?? mapped.error} />

        <label className="filter-toggle">
          <input
            type="checkbox"
            checked={showAll}
            onChange={(e) => {
              setShowAll(e.target.checked);
              setSelected(new Set());
            }}
          />
          Include use cases that already have a pattern
        </label>
        {all.isLoading || mapped.isLoading ? (
          <p className="loading">Loading the use cases…</p>
        ) : rows.length === 0 ? (
          <p className="muted">{showAll ? "The portfolio has no live use cases." : "Every live use case has a pattern."}</p>
        ) : (
          <table className="data-table bulk-map-table">
            <caption className="visually-hidden">{showAll ? "Live use cases" : "Use cases with no pattern yet"}</caption>
            <thead>
              <tr>
                <th scope="col" className="select">
                  <input type="checkbox" aria-label="Select all shown" checked={allTicked} onChange={(e) => toggleAll(e.target.checked)} />
                </th>
                <th scope="col">Use case</th>
                <th scope="col">Stage</th>
                <th scope="col">Business unit</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id} className={selected.has(r.id) ? "selected" : undefined}>
                  <td className="select">
                    <input type="checkbox" aria-label={`Select ${r.title}`} checked={selected.has(r.id)} onChange={(e) => toggle(r.id, e.target.checked)} />
                  </td>
                  <td>
                    <button type="button" className="link-button" onClick={() => onOpen(r.id)}>
                      {r.title}
                    </button>
                  </td>
                  <td>
                    <StageBadge stage={r.stage} />
                  </td>
                  <td>{r.business_unit}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </form>
    </section>
  );
}

/** What the last bulk mapping did: the use cases mapped, and each refusal with its reason. */
function Summary({ outcome: o, onOpen }: { outcome: Outcome; onOpen: (id: string) => void }) {
  const role = o.primary ? "as primary" : "as another pattern";
  const kept = o.mapped.filter((m) => m.keptPrimary).length;
  return (
    <div className={o.refused.length > 0 ? "bulk-summary bad" : "bulk-summary"} role="status">
      <p>
        {o.mapped.length > 0
          ? `Mapped ${plural(o.mapped.length, "use case", "use cases")} to ${o.pattern.name} ${role}.`
          : `Nothing was mapped to ${o.pattern.name}.`}
        {kept > 0 && ` ${plural(kept, "already had it", "already had it")} as primary and kept it so.`}
      </p>
      {o.refused.length > 0 && (
        <>
          <p>{plural(o.refused.length, "use case was", "use cases were")} not mapped:</p>
          <ul aria-label="Not mapped">
            {o.refused.map((r) => (
              <li key={r.id}>
                <button type="button" className="link-button" onClick={() => onOpen(r.id)}>
                  {r.title}
                </button>
                : {r.reason}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
