// The portfolio table: server-side sort, filters and paging, virtual rows, keyboard navigation, row selection for bulk edits.
import { keepPreviousData } from "@tanstack/react-query";
import { flexRender, getCoreRowModel, useReactTable, type ColumnDef, type SortingState, type Updater } from "@tanstack/react-table";
import { useVirtualizer } from "@tanstack/react-virtual";
import { useEffect, useMemo, useRef, useState, type KeyboardEvent, type MouseEvent } from "react";

import { ArchivedBadge, QuadrantBadge, StageBadge } from "../../components/badges";
import type { ListQuery } from "../../bindings/ListQuery";
import type { Page } from "../../bindings/Page";
import type { Preferences } from "../../bindings/Preferences";
import type { UseCaseSummary } from "../../bindings/UseCaseSummary";
import { ErrorNote } from "../../components/errorNote";
import { listQuery, useFilters } from "../../lib/filters";
import { indexPeople, money, personName, score, type PeopleIndex } from "../../lib/format";
import { Moment, usePreferences } from "../../lib/preferences";
import { usePeople, useUseCaseList } from "../../lib/queries";
import { reportFirstPageShown, useListPages, useLoadedListPage } from "./api";

/** Rows fetched per request. */
export const PAGE_SIZE = 100;
const ROW_HEIGHT = 34;
const SELECT_WIDTH = 36;

/** The first page of the current filters and sort: its `total` is the portfolio count. */
export function useFirstPage(base: ListQuery) {
  return useUseCaseList({ ...base, offset: 0, limit: PAGE_SIZE }, { placeholderData: keepPreviousData });
}

interface Item {
  index: number;
  uc: UseCaseSummary;
}

/** The engine's default order, shown on the Priority header when no sort is chosen. */
const DEFAULT_SORTING: SortingState = [{ id: "priority", desc: true }];

function toSorting(sort: string | undefined): SortingState {
  if (!sort) return DEFAULT_SORTING;
  const [id, dir] = sort.split(":");
  return [{ id: id ?? "priority", desc: dir === "desc" }];
}

function fromSorting(s: SortingState): string | undefined {
  const first = s[0];
  if (!first) return undefined;
  return first.desc ? `${first.id}:desc` : first.id;
}

function numberCell(n: number | null) {
  return <span className={n === null ? "num muted" : "num"}>{score(n)}</span>;
}

function columns(people: PeopleIndex, prefs: Preferences): ColumnDef<Item>[] {
  return [
    {
      id: "title",
      header: "Title",
      size: 174,
      accessorFn: (r) => r.uc.title,
      cell: (c) => (
        <span className="cell-title" title={c.row.original.uc.title}>
          {c.row.original.uc.archived && <ArchivedBadge />}
          {c.row.original.uc.title}
        </span>
      ),
    },
    { id: "stage", header: "Stage", size: 136, accessorFn: (r) => r.uc.stage, cell: (c) => <StageBadge stage={c.row.original.uc.stage} /> },
    {
      id: "business_unit",
      header: "Business unit",
      size: 116,
      accessorFn: (r) => r.uc.business_unit,
      cell: (c) => c.row.original.uc.business_unit || <span className="muted">—</span>,
    },
    {
      id: "value_score",
      header: "Value",
      size: 60,
      sortDescFirst: true,
      meta: { numeric: true },
      accessorFn: (r) => r.uc.value_score,
      cell: (c) => numberCell(c.row.original.uc.value_score),
    },
    {
      id: "feasibility_score",
      header: "Feasibility",
      size: 82,
      sortDescFirst: true,
      meta: { numeric: true },
      accessorFn: (r) => r.uc.feasibility_score,
      cell: (c) => numberCell(c.row.original.uc.feasibility_score),
    },
    {
      id: "priority",
      header: "Priority",
      size: 74,
      sortDescFirst: true,
      meta: { numeric: true },
      accessorFn: (r) => r.uc.priority,
      cell: (c) => numberCell(c.row.original.uc.priority),
    },
    { id: "quadrant", header: "Quadrant", size: 112, accessorFn: (r) => r.uc.quadrant, cell: (c) => <QuadrantBadge quadrant={c.row.original.uc.quadrant} /> },
    {
      id: "expected_benefit",
      header: "Benefit",
      size: 100,
      sortDescFirst: true,
      meta: { numeric: true },
      accessorFn: (r) => r.uc.expected_benefit,
      cell: (c) => {
        const n = c.row.original.uc.expected_benefit;
        return <span className={n === null ? "num muted" : "num"}>{money(n, prefs.currency)}</span>;
      },
    },
    {
      id: "owner",
      header: "Business owner",
      size: 120,
      enableSorting: false,
      accessorFn: (r) => r.uc.owners.business,
      cell: (c) => {
        const email = c.row.original.uc.owners.business;
        return email ? <span title={email}>{personName(email, people)}</span> : <span className="muted">—</span>;
      },
    },
    {
      id: "tags",
      header: "Tags",
      size: 90,
      enableSorting: false,
      accessorFn: (r) => r.uc.tags.join(", "),
      cell: (c) => (
        <span className="tags" title={c.row.original.uc.tags.join(", ")}>
          {c.row.original.uc.tags.join(", ")}
        </span>
      ),
    },
    {
      id: "updated_at",
      header: "Updated",
      size: 96,
      sortDescFirst: true,
      accessorFn: (r) => r.uc.updated_at,
      cell: (c) => <Moment at={c.row.original.uc.updated_at} format={prefs.date_format} />,
    },
  ];
}

declare module "@tanstack/react-table" {
  // The augmented interface must repeat TanStack's type parameters, used or not.
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface ColumnMeta<TData, TValue> {
    numeric?: boolean;
  }
}

interface TableProps {
  onOpen: (id: string) => void;
  openId: string | null;
  /** The use cases ticked for a bulk edit, by id. */
  selected: ReadonlySet<string>;
  onSelect: (next: ReadonlySet<string>) => void;
}

/** Tells the shell once, after the first page is painted, so `portfolio bench --app` can time start-up. */
let firstPageReported = false;
function useReportFirstPage(ready: boolean) {
  useEffect(() => {
    if (!ready || firstPageReported) return;
    firstPageReported = true;
    requestAnimationFrame(() => reportFirstPageShown());
  }, [ready]);
}

export function PortfolioTable({ onOpen, openId, selected, onSelect }: TableProps) {
  const { filters, sort, setSort, active, clear } = useFilters();
  const base = useMemo(() => listQuery(filters, sort), [filters, sort]);
  const people = usePeople();
  const peopleIndex = useMemo(() => indexPeople(people.data), [people.data]);
  const prefs = usePreferences();
  const first = useFirstPage(base);
  const total = first.data?.total ?? 0;
  useReportFirstPage(first.isSuccess);

  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const virtualItems = virtualizer.getVirtualItems();

  // Pages other than the first that the visible rows need: only those are fetched.
  const pageNumbers = useMemo(() => {
    const set = new Set<number>();
    for (const v of virtualItems) {
      const p = Math.floor(v.index / PAGE_SIZE);
      if (p > 0) set.add(p);
    }
    return [...set].sort((a, b) => a - b);
  }, [virtualItems]);
  const pages = useListPages(pageNumbers.map((p) => ({ ...base, offset: p * PAGE_SIZE, limit: PAGE_SIZE })));
  const cachedPage = useLoadedListPage();
  const rowAt = (i: number): UseCaseSummary | undefined => {
    const p = Math.floor(i / PAGE_SIZE);
    const page = p === 0 ? first.data : pages[pageNumbers.indexOf(p)]?.data;
    return page?.rows[i - p * PAGE_SIZE];
  };
  /** A page fetched at some point (on screen or scrolled past), from the query cache. */
  const loadedPage = (p: number): Page | undefined => (p === 0 ? first.data : cachedPage({ ...base, offset: p * PAGE_SIZE, limit: PAGE_SIZE }));
  const loadedRow = (i: number): UseCaseSummary | undefined => {
    const p = Math.floor(i / PAGE_SIZE);
    return loadedPage(p)?.rows[i - p * PAGE_SIZE];
  };
  const pageError = first.error ?? pages.find((q) => q.error)?.error ?? null;

  const visible: Item[] = [];
  for (const v of virtualItems) {
    const uc = rowAt(v.index);
    if (uc) visible.push({ index: v.index, uc });
  }

  const cols = useMemo(() => columns(peopleIndex, prefs), [peopleIndex, prefs]);
  const sorting = useMemo(() => toSorting(sort), [sort]);
  const table = useReactTable({
    data: visible,
    columns: cols,
    getRowId: (r) => r.uc.id,
    getCoreRowModel: getCoreRowModel(),
    manualSorting: true,
    // The table neither pages nor expands rows; without this, every new `data` queues a
    // page-index reset whose state update re-renders with new data again, forever.
    autoResetAll: false,
    enableSortingRemoval: false,
    enableMultiSort: false,
    state: { sorting },
    onSortingChange: (u: Updater<SortingState>) => setSort(fromSorting(typeof u === "function" ? u(sorting) : u)),
  });
  const rowsByIndex = new Map(table.getRowModel().rows.map((r) => [r.original.index, r]));

  // Keyboard: the active row holds the one tab stop; arrows move it, Enter opens.
  const [activeIndex, setActiveIndex] = useState(0);
  /** The row to focus once it is rendered (it may first need scrolling into view and fetching). */
  const focusWanted = useRef<number | null>(null);
  useEffect(() => {
    if (activeIndex >= total && total > 0) setActiveIndex(total - 1);
  }, [activeIndex, total]);
  useEffect(() => {
    if (focusWanted.current === null) return;
    const row = scrollRef.current?.querySelector<HTMLElement>(`tr[data-index="${focusWanted.current}"][data-id]`);
    if (row) {
      focusWanted.current = null;
      row.focus({ preventScroll: true });
    }
  });
  // Selection: a click (or Space on the focused row) toggles one row; with Shift, every loaded row from the last one toggled.
  const anchor = useRef<number | null>(null);
  const toggle = (index: number, range: boolean) => {
    const uc = loadedRow(index);
    if (!uc) return;
    const on = !selected.has(uc.id);
    // A range needs a start in the current selection (a new filter or sort starts afresh).
    const start = range && selected.size > 0 ? anchor.current : null;
    const from = start === null ? index : Math.min(start, index);
    const to = start === null ? index : Math.max(start, index);
    const next = new Set(selected);
    for (let i = from; i <= to; i++) {
      const id = loadedRow(i)?.id;
      if (id === undefined) continue;
      if (on) next.add(id);
      else next.delete(id);
    }
    anchor.current = index;
    onSelect(next);
  };
  const loadedIds: string[] = [];
  for (let p = 0; p * PAGE_SIZE < total; p++) loadedIds.push(...(loadedPage(p)?.rows.map((r) => r.id) ?? []));
  const allSelected = loadedIds.length > 0 && loadedIds.every((id) => selected.has(id));
  const someSelected = !allSelected && loadedIds.some((id) => selected.has(id));
  const selectAll = () => {
    const next = new Set(selected);
    for (const id of loadedIds) {
      if (allSelected) next.delete(id);
      else next.add(id);
    }
    anchor.current = null;
    onSelect(next);
  };

  const move = (to: number) => {
    const i = Math.max(0, Math.min(total - 1, to));
    focusWanted.current = i;
    setActiveIndex(i);
    // Scroll only when the row is not already in full view below the sticky header.
    const el = scrollRef.current;
    const top = i * ROW_HEIGHT;
    if (!el || top < el.scrollTop || top + 2 * ROW_HEIGHT > el.scrollTop + el.clientHeight) {
      virtualizer.scrollToIndex(i, { align: "auto" });
    }
  };
  const onKeyDown = (e: KeyboardEvent<HTMLTableSectionElement>) => {
    const pageRows = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 400) / ROW_HEIGHT) - 1);
    const keys: Record<string, () => void> = {
      ArrowDown: () => move(activeIndex + 1),
      ArrowUp: () => move(activeIndex - 1),
      PageDown: () => move(activeIndex + pageRows),
      PageUp: () => move(activeIndex - pageRows),
      Home: () => move(0),
      End: () => move(total - 1),
      Enter: () => {
        const uc = rowAt(activeIndex);
        if (uc) onOpen(uc.id);
      },
    };
    // Space on the row itself (a focused checkbox toggles on its own).
    if (e.target instanceof HTMLTableRowElement) keys[" "] = () => toggle(activeIndex, e.shiftKey);
    const action = keys[e.key];
    if (action) {
      e.preventDefault();
      action();
    }
  };

  const headers = table.getHeaderGroups()[0]?.headers ?? [];
  const paddingTop = virtualItems[0]?.start ?? 0;
  const paddingBottom = virtualItems.length > 0 ? virtualizer.getTotalSize() - (virtualItems[virtualItems.length - 1]?.end ?? 0) : 0;

  if (first.isSuccess && total === 0) {
    return (
      <div className="empty-state" role="status">
        <h2>No use case matches these filters</h2>
        {active ? (
          <>
            <p>Try fewer filters or other words.</p>
            <button type="button" className="primary" onClick={clear}>
              Clear filters
            </button>
          </>
        ) : (
          <p>Nothing to show yet. Archived use cases are hidden: tick “Show archived” to see them.</p>
        )}
      </div>
    );
  }

  return (
    <div className="table-wrap">
      <ErrorNote error={pageError} />
      <div className="table-scroll" ref={scrollRef}>
        <table className="portfolio-table" aria-label="Use cases" aria-rowcount={total + 1}>
          <colgroup>
            <col style={{ width: SELECT_WIDTH }} />
            {headers.map((h) => (
              <col key={h.id} style={{ width: h.getSize() }} />
            ))}
          </colgroup>
          <thead>
            <tr aria-rowindex={1}>
              <th scope="col" className="select">
                <input
                  id="select-all"
                  type="checkbox"
                  checked={allSelected}
                  ref={(el) => {
                    if (el) el.indeterminate = someSelected;
                  }}
                  onChange={selectAll}
                  disabled={loadedIds.length === 0}
                  aria-label="Select all loaded use cases"
                  title="Select all loaded use cases"
                />
              </th>
              {headers.map((h) => {
                const sorted = h.column.getIsSorted();
                const numeric = h.column.columnDef.meta?.numeric;
                return (
                  <th
                    key={h.id}
                    scope="col"
                    className={numeric ? "num" : undefined}
                    aria-sort={sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : undefined}
                  >
                    {h.column.getCanSort() ? (
                      <button type="button" className="sort-button" onClick={h.column.getToggleSortingHandler()}>
                        {flexRender(h.column.columnDef.header, h.getContext())}
                        <span className="sort-mark" aria-hidden="true">
                          {sorted === "asc" ? "▲" : sorted === "desc" ? "▼" : ""}
                        </span>
                      </button>
                    ) : (
                      flexRender(h.column.columnDef.header, h.getContext())
                    )}
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody onKeyDown={onKeyDown}>
            {paddingTop > 0 && (
              <tr aria-hidden="true" className="spacer">
                <td colSpan={headers.length + 1} style={{ height: paddingTop }} />
              </tr>
            )}
            {virtualItems.map((v) => {
              const row = rowsByIndex.get(v.index);
              if (!row) {
                return (
                  <tr key={`loading-${v.index}`} className="loading-row" data-index={v.index} aria-rowindex={v.index + 2}>
                    <td colSpan={headers.length + 1}>Loading…</td>
                  </tr>
                );
              }
              const id = row.original.uc.id;
              const ticked = selected.has(id);
              return (
                <tr
                  key={id}
                  data-index={v.index}
                  data-id={id}
                  aria-rowindex={v.index + 2}
                  aria-current={id === openId ? "true" : undefined}
                  tabIndex={v.index === activeIndex ? 0 : -1}
                  aria-selected={ticked}
                  className={["row", id === openId && "open", ticked && "selected", row.original.uc.archived && "archived"].filter(Boolean).join(" ")}
                  onClick={() => {
                    setActiveIndex(v.index);
                    onOpen(id);
                  }}
                  onFocus={() => setActiveIndex(v.index)}
                >
                  <td
                    className="select"
                    onClick={(e: MouseEvent) => {
                      // The cell around the checkbox toggles too; neither opens the use case.
                      e.stopPropagation();
                      if (e.target === e.currentTarget) toggle(v.index, e.shiftKey);
                    }}
                  >
                    <input
                      type="checkbox"
                      data-testid={`select-${id}`}
                      tabIndex={-1}
                      checked={ticked}
                      onChange={(e) => toggle(v.index, (e.nativeEvent as globalThis.MouseEvent).shiftKey)}
                      aria-label={`Select ${row.original.uc.title}`}
                    />
                  </td>
                  {row.getVisibleCells().map((cell) => (
                    <td key={cell.id} className={cell.column.columnDef.meta?.numeric ? "num" : undefined}>
                      {flexRender(cell.column.columnDef.cell, cell.getContext())}
                    </td>
                  ))}
                </tr>
              );
            })}
            {paddingBottom > 0 && (
              <tr aria-hidden="true" className="spacer">
                <td colSpan={headers.length + 1} style={{ height: paddingBottom }} />
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </div>
  );
}
