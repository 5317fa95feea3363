// The one set of filters (and the portfolio sort) shared by every view, as a React context.
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from "react";

import type { Filters } from "../bindings/Filters";
import type { ListQuery } from "../bindings/ListQuery";
import type { Quadrant } from "../bindings/Quadrant";
import type { Stage } from "../bindings/Stage";

/** The filters that take several values, each shown as chips. */
export type ListFilter = "stage" | "business_unit" | "owner" | "quadrant" | "pattern" | "tag";

export const LIST_FILTERS: readonly ListFilter[] = ["stage", "business_unit", "owner", "quadrant", "pattern", "tag"];

export const FILTER_LABEL: Record<ListFilter, string> = {
  stage: "Stage",
  business_unit: "Business unit",
  owner: "Owner",
  quadrant: "Quadrant",
  pattern: "Pattern",
  tag: "Tag",
};

type FilterValue<F extends ListFilter> = F extends "stage" ? Stage : F extends "quadrant" ? Quadrant : string;

export interface FilterStore {
  filters: Filters;
  /** `FIELD` or `FIELD:desc`; undefined: the engine's default (priority, highest first). */
  sort: string | undefined;
  /** Any filter set (text and “Show archived” included). */
  active: boolean;
  add<F extends ListFilter>(filter: F, value: FilterValue<F>): void;
  remove<F extends ListFilter>(filter: F, value: FilterValue<F>): void;
  /** Replaces one filter's values (e.g. the sidebar's stage shortcut). */
  only<F extends ListFilter>(filter: F, value: FilterValue<F>): void;
  setSearch(text: string): void;
  /** Archived use cases are hidden unless this is on. */
  setShowArchived(on: boolean): void;
  clear(): void;
  setSort(sort: string | undefined): void;
  /** Replaces the filters and the sort at once (a saved view). */
  apply(filters: Filters, sort: string | undefined): void;
}

const FilterContext = createContext<FilterStore | null>(null);

export function FilterProvider({ children }: { children: ReactNode }) {
  const [filters, setFilters] = useState<Filters>({});
  const [sort, setSort] = useState<string | undefined>(undefined);

  const add = useCallback(<F extends ListFilter>(filter: F, value: FilterValue<F>) => {
    setFilters((f) => {
      const current = (f[filter] ?? []) as FilterValue<F>[];
      return current.includes(value) ? f : { ...f, [filter]: [...current, value] };
    });
  }, []);

  const remove = useCallback(<F extends ListFilter>(filter: F, value: FilterValue<F>) => {
    setFilters((f) => {
      const rest = ((f[filter] ?? []) as FilterValue<F>[]).filter((v) => v !== value);
      const next = { ...f };
      if (rest.length > 0) next[filter] = rest as never;
      else delete next[filter];
      return next;
    });
  }, []);

  const only = useCallback(<F extends ListFilter>(filter: F, value: FilterValue<F>) => {
    setFilters((f) => ({ ...f, [filter]: [value] }));
  }, []);

  const setSearch = useCallback((text: string) => {
    setFilters((f) => {
      const next = { ...f };
      if (text.trim()) next.search = text;
      else delete next.search;
      return next;
    });
  }, []);

  const setShowArchived = useCallback((on: boolean) => {
    setFilters((f) => {
      const next = { ...f };
      if (on) next.include_archived = true;
      else delete next.include_archived;
      return next;
    });
  }, []);

  const clear = useCallback(() => setFilters({}), []);

  const apply = useCallback((f: Filters, s: string | undefined) => {
    setFilters(f);
    setSort(s);
  }, []);

  const store = useMemo<FilterStore>(
    () => ({
      filters,
      sort,
      active: hasFilters(filters),
      add,
      remove,
      only,
      setSearch,
      setShowArchived,
      clear,
      setSort,
      apply,
    }),
    [filters, sort, add, remove, only, setSearch, setShowArchived, clear, apply],
  );
  return <FilterContext.Provider value={store}>{children}</FilterContext.Provider>;
}

export function useFilters(): FilterStore {
  const store = useContext(FilterContext);
  if (!store) throw new Error("useFilters needs a FilterProvider");
  return store;
}

export function hasFilters(f: Filters): boolean {
  return LIST_FILTERS.some((k) => (f[k]?.length ?? 0) > 0) || Boolean(f.search?.trim()) || Boolean(f.include_archived);
}

/** The list query for the current filters and sort (no paging). */
export function listQuery(filters: Filters, sort: string | undefined): ListQuery {
  const q: ListQuery = {};
  for (const k of LIST_FILTERS) {
    const values = filters[k];
    if (values && values.length > 0) (q as Record<ListFilter, unknown>)[k] = values;
  }
  const search = filters.search?.trim();
  if (search) q.search = search;
  if (filters.include_archived) q.include_archived = true;
  if (sort) q.sort = sort;
  return q;
}

/**
 * The filters and sort a list query holds: the inverse of `listQuery`. The engine sends a
 * stored query whole, with empty lists, `false` and `null` where nothing is set.
 */
export function fromQuery(q: ListQuery): { filters: Filters; sort: string | undefined } {
  const filters: Filters = {};
  for (const k of LIST_FILTERS) {
    const values = q[k];
    if (values && values.length > 0) (filters as Record<ListFilter, unknown>)[k] = [...values];
  }
  if (q.search?.trim()) filters.search = q.search.trim();
  if (q.include_archived) filters.include_archived = true;
  return { filters, sort: q.sort || undefined };
}

/** Whether a list query asks for the same rows in the same order as the current filters and sort. */
export function sameQuery(q: ListQuery, filters: Filters, sort: string | undefined): boolean {
  const f = fromQuery(q);
  return JSON.stringify(listQuery(f.filters, f.sort)) === JSON.stringify(listQuery(filters, sort));
}
