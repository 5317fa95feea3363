// The Portfolio view: the empty-portfolio welcome, or the filter chips, count and table.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo } from "react";

import { ErrorNote } from "./errorNote";
import { FilterBar } from "./filterBar";
import { listQuery, useFilters } from "./filters";
import { call } from "./ipc";
import { PortfolioTable, useFirstPage } from "./portfolioTable";
import { apiQuery, everythingChanged } from "./queries";

export function PortfolioView({ onOpen, onNew, openId }: { onOpen: (id: string) => void; onNew: () => void; openId: string | null }) {
  const { filters, sort, active } = useFilters();
  const choices = useQuery(apiQuery("filter_choices"));
  const base = useMemo(() => listQuery(filters, sort), [filters, sort]);
  const first = useFirstPage(base);

  if (choices.error) return <ErrorNote error={choices.error} />;
  if (!choices.data) return <p className="loading">Loading the portfolio…</p>;
  if (choices.data.total === 0 && !active) return <EmptyPortfolio onNew={onNew} />;

  const total = first.data?.total;
  return (
    <section className="view" aria-labelledby="portfolio-heading">
      <header className="view-head">
        <h1 id="portfolio-heading">Portfolio</h1>
        <span className="count" role="status" aria-live="polite">
          {total === undefined ? "" : active ? `${total} of ${choices.data.total} use cases match` : `${total} use cases`}
        </span>
      </header>
      <FilterBar />
      <PortfolioTable onOpen={onOpen} openId={openId} />
    </section>
  );
}

function EmptyPortfolio({ onNew }: { onNew: () => void }) {
  const qc = useQueryClient();
  const demo = useMutation({
    mutationFn: () => call("demo_load"),
    onSuccess: () => everythingChanged(qc),
  });
  return (
    <section className="empty-state welcome" aria-labelledby="empty-heading">
      <h1 id="empty-heading">Your portfolio is empty</h1>
      <p>
        Capture the AI use cases your organisation is considering, score their value and feasibility, give them owners and move them through the
        stages from idea to scaled.
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
