// The filter chips under the top bar: one removable chip per value, menus to add more, the "Show archived" toggle and "Save view…".
import { useId, useMemo } from "react";

import type { Filters } from "../../bindings/Filters";
import type { Quadrant } from "../../bindings/Quadrant";
import type { Stage } from "../../bindings/Stage";
import { FILTER_LABEL, LIST_FILTERS, useFilters, type ListFilter } from "../../lib/filters";
import { indexPeople, personName, type PeopleIndex } from "../../lib/format";
import { useCatalogue, useFilterChoices, usePeople } from "../../lib/queries";
import { SaveViewButton } from "./savedView";
import { QUADRANT_LABEL, QUADRANTS, STAGE_LABEL, STAGES } from "../../lib/vocabulary";

/** Pattern slug → name, from the catalogue (empty until it loads). */
export function usePatternNames(): ReadonlyMap<string, string> {
  const catalogue = useCatalogue();
  return useMemo(() => new Map((catalogue.data?.patterns ?? []).map((p) => [p.slug, p.name])), [catalogue.data]);
}

/** One filter value in words, as its chip says it. */
export function filterValueLabel(f: ListFilter, v: string, people: PeopleIndex, patterns?: ReadonlyMap<string, string>): string {
  if (f === "stage") return STAGE_LABEL[v as Stage];
  if (f === "quadrant") return QUADRANT_LABEL[v as Quadrant];
  if (f === "owner") return personName(v, people);
  if (f === "pattern") return patterns?.get(v) ?? v;
  return v;
}

/** The filters in one line, in the chips' words: "Stage: Pilot or Production · Text: “claims”". */
export function filtersInWords(filters: Filters, people: PeopleIndex, patterns?: ReadonlyMap<string, string>): string {
  const parts = LIST_FILTERS.flatMap((f) => {
    const values = (filters[f] ?? []) as string[];
    return values.length === 0 ? [] : [`${FILTER_LABEL[f]}: ${values.map((v) => filterValueLabel(f, v, people, patterns)).join(" or ")}`];
  });
  if (filters.search?.trim()) parts.push(`Text: “${filters.search.trim()}”`);
  if (filters.include_archived) parts.push("Archived shown");
  return parts.join(" · ");
}

interface Option {
  value: string;
  label: string;
}

export function FilterBar() {
  const store = useFilters();
  const { filters } = store;
  const choices = useFilterChoices();
  const people = usePeople();
  const catalogue = useCatalogue();
  const patternNames = usePatternNames();
  const peopleIndex = useMemo(() => indexPeople(people.data), [people.data]);
  const idBase = useId();

  const options: Record<ListFilter, Option[]> = {
    stage: STAGES.map((s) => ({ value: s, label: STAGE_LABEL[s] })),
    business_unit: (choices.data?.business_units ?? []).map((b) => ({ value: b, label: b })),
    owner: (people.data ?? []).map((p) => ({ value: p.email, label: p.name && p.name !== p.email ? `${p.name} (${p.email})` : p.email })),
    quadrant: QUADRANTS.map((q) => ({ value: q, label: QUADRANT_LABEL[q] })),
    // Retired patterns keep their use cases, so they can still be filtered on.
    pattern: (catalogue.data?.patterns ?? []).map((p) => ({ value: p.slug, label: p.retired ? `${p.name} (retired)` : p.name })),
    tag: (choices.data?.tags ?? []).map((t) => ({ value: t, label: t })),
  };

  const chipLabel = (f: ListFilter, v: string) => filterValueLabel(f, v, peopleIndex, patternNames);

  const add = (f: ListFilter, v: string) => {
    if (!v) return;
    if (f === "stage") store.add("stage", v as Stage);
    else if (f === "quadrant") store.add("quadrant", v as Quadrant);
    else store.add(f, v);
  };
  const remove = (f: ListFilter, v: string) => {
    if (f === "stage") store.remove("stage", v as Stage);
    else if (f === "quadrant") store.remove("quadrant", v as Quadrant);
    else store.remove(f, v);
  };

  const chips = LIST_FILTERS.flatMap((f) => ((filters[f] ?? []) as string[]).map((v) => ({ f, v })));

  return (
    <div className="filter-bar" role="group" aria-label="Filters">
      {LIST_FILTERS.map((f) => {
        const taken = new Set((filters[f] ?? []) as string[]);
        const id = `${idBase}-${f}`;
        return (
          <span key={f} className="filter-add">
            <label htmlFor={id} className="visually-hidden">
              Add a {FILTER_LABEL[f].toLowerCase()} filter
            </label>
            <select id={id} data-testid={`filter-${f}`} value="" onChange={(e) => add(f, e.target.value)}>
              <option value="">{FILTER_LABEL[f]}…</option>
              {options[f]
                .filter((o) => !taken.has(o.value))
                .map((o) => (
                  <option key={o.value} value={o.value}>
                    {o.label}
                  </option>
                ))}
            </select>
          </span>
        );
      })}
      <label className="filter-toggle" htmlFor="show-archived">
        <input id="show-archived" type="checkbox" checked={Boolean(filters.include_archived)} onChange={(e) => store.setShowArchived(e.target.checked)} />
        Show archived
      </label>
      <ul className="chips" aria-label="Active filters">
        {chips.map(({ f, v }) => (
          <li key={`${f}:${v}`} className="chip">
            <span>
              {FILTER_LABEL[f]}: {chipLabel(f, v)}
            </span>
            <button type="button" className="chip-remove" aria-label={`Remove filter ${FILTER_LABEL[f]}: ${chipLabel(f, v)}`} onClick={() => remove(f, v)}>
              ×
            </button>
          </li>
        ))}
        {filters.search && (
          <li className="chip">
            <span>Text: “{filters.search}”</span>
            <button type="button" className="chip-remove" aria-label={`Remove filter Text: ${filters.search}`} onClick={() => store.setSearch("")}>
              ×
            </button>
          </li>
        )}
        {filters.include_archived && (
          <li className="chip">
            <span>Archived shown</span>
            <button type="button" className="chip-remove" aria-label="Remove filter Archived shown" onClick={() => store.setShowArchived(false)}>
              ×
            </button>
          </li>
        )}
      </ul>
      {store.active && (
        <button type="button" className="link-button" onClick={store.clear}>
          Clear filters
        </button>
      )}
      <SaveViewButton />
    </div>
  );
}
