// The Portfolio view: the empty-portfolio welcome, or the filter chips, count, bulk edit bar and table.
import { useMemo, useState } from "react";

import type { Filters } from "../../bindings/Filters";
import { BulkEdit } from "./bulkEdit";
import { ErrorNote } from "../../components/errorNote";
import { FilterBar } from "./filterBar";
import { hasFilters, listQuery, useFilters } from "../../lib/filters";
import { PortfolioTable, useFirstPage } from "./portfolioTable";
import { useFilterChoices, useUseCaseList } from "../../lib/queries";
import { useLoadDemo } from "./api";

export function PortfolioView({ onOpen, onNew, openId }: { onOpen: (id: string) => void; onNew: () => void; openId: string | null }) {
  const { filters, sort, active } = useFilters();
  const choices = useFilterChoices();
  const base = useMemo(() => listQuery(filters, sort), [filters, sort]);
  const first = useFirstPage(base);
  // No live use case: the welcome, unless archived ones exist (the filter bar can show them).
  const noLive = choices.data?.total === 0 && !active;
  const archived = useUseCaseList({ include_archived: true, limit: 0 }, { enabled: noLive });
  // The selection belongs to one set of filters and sort: changing them starts it afresh.
  const listKey = JSON.stringify(base);
  const [selection, setSelection] = useState<{ key: string; ids: ReadonlySet<string> }>({ key: listKey, ids: new Set() });
  const selected = selection.key === listKey ? selection.ids : NONE;
  const select = (ids: ReadonlySet<string>) => setSelection({ key: listKey, ids });

  if (choices.error) return <ErrorNote error={choices.error} />;
  if (!choices.data || (noLive && !archived.data && !archived.error)) return <p className="loading">Loading the portfolio…</p>;
  if (noLive && (archived.data?.total ?? 0) === 0) return <EmptyPortfolio onNew={onNew} />;

  const total = first.data?.total;
  return (
    <section className="view" aria-labelledby="portfolio-heading">
      <header className="view-head">
        <h1 id="portfolio-heading">Portfolio</h1>
        <span className="count" role="status" aria-live="polite">
          {total === undefined ? "" : countText(total, choices.data.total, filters)}
        </span>
      </header>
      <FilterBar />
      <BulkEdit ids={[...selected]} onClear={() => select(NONE)} onOpen={onOpen} />
      <PortfolioTable onOpen={onOpen} openId={openId} selected={selected} onSelect={select} />
    </section>
  );
}

const NONE: ReadonlySet<string> = new Set();

/** "12 of 40 use cases match"; with archived shown the live total is no yardstick, so no "of". */
function countText(total: number, live: number, filters: Filters): string {
  const narrowed = hasFilters({ ...filters, include_archived: false });
  if (filters.include_archived) return `${total} use cases ${narrowed ? "match " : ""}(archived included)`;
  return narrowed ? `${total} of ${live} use cases match` : `${total} use cases`;
}

function EmptyPortfolio({ onNew }: { onNew: () => void }) {
  const demo = useLoadDemo();
  return (
    <section className="empty-state welcome" aria-labelledby="empty-heading">
      <h1 id="empty-heading">Your portfolio is empty</h1>
      <p>
        Capture the AI use cases your organisation is considering, score their value and feasibility, give them owners and move them through the stages from
        idea to scaled.
      </p>
      <p>To look around first, load a demo portfolio of about forty use cases. Demo use cases are marked and never leave this computer.</p>
      <div className="actions">
        <button type="button" id="load-demo" className="primary" onClick={() => demo.mutate()} disabled={demo.isPending}>
          {demo.isPending ? "Loading demo…" : "Load demo portfolio"}
        </button>
        <button type="button" onClick={onNew}>
          New use case
        </button>
      </div>
      <ErrorNote error={demo.error} />
    </section>
  );
}
