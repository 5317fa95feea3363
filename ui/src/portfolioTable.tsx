// The portfolio table: server-side sort, filters and paging, virtual rows, keyboard navigation.
import { keepPreviousData, useQueries, useQuery } from "@tanstack/react-query";
import {
  flexRender,
  getCoreRowModel,
  useReactTable,
  type ColumnDef,
  type SortingState,
  type Updater,
} from "@tanstack/react-table";
import { useVirtualizer } from "@tanstack/react-virtual";
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from "react";

import { ArchivedBadge, QuadrantBadge, StageBadge } from "./badges";
import type { ListQuery } from "./bindings/ListQuery";
import type { UseCaseSummary } from "./bindings/UseCaseSummary";
import { ErrorNote } from "./errorNote";
import { listQuery, useFilters } from "./filters";
import { absoluteTime, indexPeople, personName, relativeTime, score, type PeopleIndex } from "./format";
import { apiQuery } from "./queries";

/** Rows fetched per request. */
export const PAGE_SIZE = 100;
const ROW_HEIGHT = 34;

/** The first page of the current filters and sort: its `total` is the portfolio count. */
export function useFirstPage(base: ListQuery) {
  return useQuery({ ...apiQuery("use_case_list", { ...base, offset: 0, limit: PAGE_SIZE }), placeholderData: keepPreviousData });
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

function columns(people: PeopleIndex): ColumnDef<Item>[] {
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
    { id: "business_unit", header: "Business unit", size: 116, accessorFn: (r) => r.uc.business_unit, cell: (c) => c.row.original.uc.business_unit || <span className="muted">—</span> },
    { id: "value_score", header: "Value", size: 60, sortDescFirst: true, meta: { numeric: true }, accessorFn: (r) => r.uc.value_score, cell: (c) => numberCell(c.row.original.uc.value_score) },
    { id: "feasibility_score", header: "Feasibility", size: 82, sortDescFirst: true, meta: { numeric: true }, accessorFn: (r) => r.uc.feasibility_score, cell: (c) => numberCell(c.row.original.uc.feasibility_score) },
    { id: "priority", header: "Priority", size: 74, sortDescFirst: true, meta: { numeric: true }, accessorFn: (r) => r.uc.priority, cell: (c) => numberCell(c.row.original.uc.priority) },
    { id: "quadrant", header: "Quadrant", size: 112, accessorFn: (r) => r.uc.quadrant, cell: (c) => <QuadrantBadge quadrant={c.row.original.uc.quadrant} /> },
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
    { id: "tags", header: "Tags", size: 90, enableSorting: false, accessorFn: (r) => r.uc.tags.join(", "), cell: (c) => <span className="tags" title={c.row.original.uc.tags.join(", ")}>{c.row.original.uc.tags.join(", ")}</span> },
    {
      id: "updated_at",
      header: "Updated",
      size: 96,
      sortDescFirst: true,
      accessorFn: (r) => r.uc.updated_at,
      cell: (c) => <time dateTime={c.row.original.uc.updated_at} title={absoluteTime(c.row.original.uc.updated_at)}>{relativeTime(c.row.original.uc.updated_at)}</time>,
    },
  ];
}

declare module "@tanstack/react-table" {
  interface ColumnMeta<TData, TValue> {
    numeric?: boolean;
  }
}

export function PortfolioTable({ onOpen, openId }: { onOpen: (id: string) => void; openId: string | null }) {
  const { filters, sort, setSort, active, clear } = useFilters();
  const base = useMemo(() => listQuery(filters, sort), [filters, sort]);
  const people = useQuery(apiQuery("people_list"));
  const peopleIndex = useMemo(() => indexPeople(people.data), [people.data]);
  const first = useFirstPage(base);
  const total = first.data?.total ?? 0;

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
  const pages = useQueries({
    queries: pageNumbers.map((p) => apiQuery("use_case_list", { ...base, offset: p * PAGE_SIZE, limit: PAGE_SIZE })),
  });
  const rowAt = (i: number): UseCaseSummary | undefined => {
    const p = Math.floor(i / PAGE_SIZE);
    const page = p === 0 ? first.data : pages[pageNumbers.indexOf(p)]?.data;
    return page?.rows[i - p * PAGE_SIZE];
  };
  const pageError = first.error ?? pages.find((q) => q.error)?.error ?? null;

  const visible: Item[] = [];
  for (const v of virtualItems) {
    const uc = rowAt(v.index);
    if (uc) visible.push({ index: v.index, uc });
  }

  const cols = useMemo(() => columns(peopleIndex), [peopleIndex]);
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
            {headers.map((h) => (
              <col key={h.id} style={{ width: h.getSize() }} />
            ))}
          </colgroup>
          <thead>
            <tr aria-rowindex={1}>
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
                <td colSpan={headers.length} style={{ height: paddingTop }} />
              </tr>
            )}
            {virtualItems.map((v) => {
              const row = rowsByIndex.get(v.index);
              if (!row) {
                return (
                  <tr key={`loading-${v.index}`} className="loading-row" data-index={v.index} aria-rowindex={v.index + 2}>
                    <td colSpan={headers.length}>Loading…</td>
                  </tr>
                );
              }
              const id = row.original.uc.id;
              return (
                <tr
                  key={id}
                  data-index={v.index}
                  data-id={id}
                  aria-rowindex={v.index + 2}
                  aria-current={id === openId ? "true" : undefined}
                  tabIndex={v.index === activeIndex ? 0 : -1}
                  className={["row", id === openId && "open", row.original.uc.archived && "archived"].filter(Boolean).join(" ")}
                  onClick={() => {
                    setActiveIndex(v.index);
                    onOpen(id);
                  }}
                  onFocus={() => setActiveIndex(v.index)}
                >
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
                <td colSpan={headers.length} style={{ height: paddingBottom }} />
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </div>
  );
}
