// The Dashboard view: the leadership summary of the live portfolio in cards: headline figures, stages, units, funnel, aging, top, gaps, KPIs, benefits.
import type { DefaultLabelFormatterCallbackParams } from "echarts";
import { useMemo, type ReactNode } from "react";

import { StageBadge } from "../../components/badges";
import type { Dashboard } from "../../bindings/Dashboard";
import type { Figure } from "../../bindings/Figure";
import type { FunnelStep } from "../../bindings/FunnelStep";
import { Chart, escapeHtml, useChartTheme, type ChartTheme, type EChartsOption } from "../../components/chart";
import { ErrorNote } from "../../components/errorNote";
import { count, money, plural, shortMoney } from "../../lib/format";
import { usePreferences } from "../../lib/preferences";
import { STAGE_LABEL, STAGES } from "../../lib/vocabulary";
import "./dashboardView.css";
import { useDashboard } from "./api";

/** Business units charted one by one; the rest are summed as "Others". */
import { barHeight, barOption, Card, percents, ratio } from "./card";
import { AgingCard, BenefitsCard, GapsCard, KpiCard, TopCard } from "./dashboardCards";
const UNITS_SHOWN = 12;

export function DashboardView({ onOpen }: { onOpen: (id: string) => void }) {
  const dashboard = useDashboard();
  const { currency } = usePreferences();
  const theme = useChartTheme();
  const d = dashboard.data;

  const header = (
    <header className="view-head">
      <h1 id="dashboard-heading">Dashboard</h1>
      <span className="count">Live use cases of the whole portfolio: the filters do not apply here.</span>
    </header>
  );
  if (dashboard.error) {
    return (
      <section className="view dashboard" aria-labelledby="dashboard-heading">
        {header}
        <ErrorNote error={dashboard.error} />
      </section>
    );
  }
  if (!d) return <p className="loading">Loading the dashboard…</p>;
  if (d.total.use_cases === 0) {
    return (
      <section className="view dashboard" aria-labelledby="dashboard-heading">
        {header}
        <div className="empty-state">
          <h2>Nothing to sum up yet</h2>
          <p>The dashboard fills in as use cases are added. Add one, or load the demo portfolio, from the Portfolio view.</p>
        </div>
      </section>
    );
  }

  return (
    <section className="view dashboard" aria-labelledby="dashboard-heading">
      {header}
      <div className="dash-grid">
        <Headline d={d} currency={currency} />
        <ByStage d={d} currency={currency} theme={theme} />
        <ByUnit d={d} currency={currency} theme={theme} />
        <Funnel steps={d.funnel} theme={theme} />
        <AgingCard aging={d.aging} staleAfter={d.stale_after_days} theme={theme} />
        <KpiCard status={d.kpi_status} theme={theme} />
        <BenefitsCard b={d.benefits} currency={currency} theme={theme} />
        <TopCard d={d} onOpen={onOpen} />
        <GapsCard d={d} onOpen={onOpen} />
      </div>
    </section>
  );
}

function Headline({ d, currency }: { d: Dashboard; currency: string }) {
  const b = d.benefits;
  return (
    <Card id="dash-headline" title="At a glance" className="headline">
      <dl className="dash-figures">
        <div>
          <dt>Use cases</dt>
          <dd>{count(d.total.use_cases)}</dd>
        </div>
        <div>
          <dt>Expected annual benefit</dt>
          <dd>{money(d.total.expected_benefit, currency)}</dd>
        </div>
        <div>
          <dt>Realised benefit</dt>
          <dd>{money(b.realised_benefit, currency)}</dd>
          <dd className="dash-sub">
            {b.recorded === 0
              ? "none recorded yet"
              : `against ${money(b.expected_where_recorded, currency)} expected by the ${plural(b.recorded, "use case", "use cases")} that recorded it${ratio(b.realised_benefit, b.expected_where_recorded)}`}
          </dd>
        </div>
      </dl>
    </Card>
  );
}

/** " (25%)", or nothing when there is nothing to compare with. */
function FigureTable({
  caption,
  head,
  rows,
  currency,
}: {
  caption: string;
  head: string;
  rows: { label: ReactNode; key: string; f: Figure }[];
  currency: string;
}) {
  return (
    <table className="data-table">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{head}</th>
          <th scope="col" className="num">
            Use cases
          </th>
          <th scope="col" className="num">
            Expected benefit
          </th>
          <th scope="col" className="num">
            Realised benefit
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.key}>
            <th scope="row">{r.label}</th>
            <td className="num">{count(r.f.use_cases)}</td>
            <td className="num">{money(r.f.expected_benefit, currency)}</td>
            <td className="num">{money(r.f.realised_benefit, currency)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Bars of use cases, each labelled with its count and expected benefit. */
function figureBars(theme: ChartTheme, currency: string, labels: string[], figures: Figure[], colours: string[]): EChartsOption {
  return barOption(theme, labels, [
    {
      type: "bar",
      name: "Use cases",
      data: figures.map((f, i) => ({ value: f.use_cases, itemStyle: { color: colours[i] ?? theme.accent, borderRadius: [0, 3, 3, 0] } })),
      barMaxWidth: 22,
      label: {
        show: true,
        position: "right",
        color: theme.fg,
        formatter: (p: DefaultLabelFormatterCallbackParams) => {
          const f = figures[p.dataIndex];
          if (!f || f.use_cases === 0) return "";
          return f.expected_benefit > 0 ? `${count(f.use_cases)} · ${shortMoney(f.expected_benefit, currency)}` : count(f.use_cases);
        },
      },
      tooltip: {
        formatter: (p: DefaultLabelFormatterCallbackParams) => {
          const f = figures[p.dataIndex];
          if (!f) return "";
          return `<strong>${escapeHtml(labels[p.dataIndex] ?? "")}</strong><br>${plural(f.use_cases, "use case", "use cases")}<br>Expected ${money(f.expected_benefit, currency)}<br>Realised ${money(f.realised_benefit, currency)}`;
        },
      },
    },
  ]);
}

const NO_FIGURE: Figure = { use_cases: 0, expected_benefit: 0, realised_benefit: 0 };

function ByStage({ d, currency, theme }: { d: Dashboard; currency: string; theme: ChartTheme }) {
  const figures = useMemo(() => STAGES.map((s) => d.by_stage[s] ?? NO_FIGURE), [d]);
  const option = useMemo(
    () =>
      figureBars(
        theme,
        currency,
        STAGES.map((s) => STAGE_LABEL[s]),
        figures,
        STAGES.map((s) => theme.stage[s]),
      ),
    [theme, currency, figures],
  );
  return (
    <Card id="dash-stage" title="Use cases by stage">
      <p className="hint">Each bar: how many, and their expected annual benefit.</p>
      <Chart
        title="Use cases by stage"
        option={option}
        height={barHeight(STAGES.length)}
        table={
          <FigureTable
            caption="Use cases by stage"
            head="Stage"
            currency={currency}
            rows={STAGES.map((s, i) => ({ key: s, label: <StageBadge stage={s} />, f: figures[i] ?? NO_FIGURE }))}
          />
        }
      />
    </Card>
  );
}

function ByUnit({ d, currency, theme }: { d: Dashboard; currency: string; theme: ChartTheme }) {
  const rows = useMemo(() => {
    const named = d.by_business_unit.slice(0, UNITS_SHOWN).map((u) => ({ key: u.business_unit, label: u.business_unit || "No business unit", f: u as Figure }));
    const rest = d.by_business_unit.slice(UNITS_SHOWN);
    if (rest.length === 0) return named;
    const others = rest.reduce<Figure>(
      (t, u) => ({
        use_cases: t.use_cases + u.use_cases,
        expected_benefit: t.expected_benefit + u.expected_benefit,
        realised_benefit: t.realised_benefit + u.realised_benefit,
      }),
      NO_FIGURE,
    );
    return [...named, { key: "\u0000others", label: `Others (${plural(rest.length, "unit", "units")})`, f: others }];
  }, [d]);
  const option = useMemo(
    () =>
      figureBars(
        theme,
        currency,
        rows.map((r) => r.label),
        rows.map((r) => r.f),
        rows.map(() => theme.accent),
      ),
    [theme, currency, rows],
  );
  return (
    <Card id="dash-unit" title="Use cases by business unit">
      <p className="hint">The {UNITS_SHOWN} with the most use cases; the rest summed as others.</p>
      <Chart
        title="Use cases by business unit"
        option={option}
        height={barHeight(rows.length, 26)}
        table={<FigureTable caption="Use cases by business unit" head="Business unit" currency={currency} rows={rows} />}
      />
    </Card>
  );
}

function Funnel({ steps, theme }: { steps: FunnelStep[]; theme: ChartTheme }) {
  const option = useMemo(
    () =>
      barOption(
        theme,
        steps.map((s) => STAGE_LABEL[s.stage]),
        [
          {
            type: "bar",
            name: "Reached",
            data: steps.map((s) => ({ value: s.reached, itemStyle: { color: theme.stage[s.stage], borderRadius: [0, 3, 3, 0] } })),
            barMaxWidth: 22,
            label: {
              show: true,
              position: "right",
              color: theme.fg,
              formatter: (p: DefaultLabelFormatterCallbackParams) => {
                const s = steps[p.dataIndex];
                return s ? `${count(s.reached)}${s.conversion === null ? "" : ` · ${percents.format(s.conversion)}`}` : "";
              },
            },
            tooltip: {
              formatter: (p: DefaultLabelFormatterCallbackParams) => {
                const i = p.dataIndex;
                const s = steps[i];
                return s
                  ? `<strong>${STAGE_LABEL[s.stage]}</strong><br>${plural(s.reached, "use case", "use cases")} reached it<br>${conversionText(s, steps[i - 1])}`
                  : "";
              },
            },
          },
        ],
      ),
    [steps, theme],
  );
  return (
    <Card id="dash-funnel" title="Stage funnel">
      <p className="hint">
        Use cases that ever reached each stage (parked and retired ones count up to the stage they left), and the share of the stage before that did.
      </p>
      <Chart
        title="Stage funnel"
        option={option}
        height={barHeight(steps.length)}
        table={
          <table className="data-table">
            <caption>Stage funnel</caption>
            <thead>
              <tr>
                <th scope="col">Stage</th>
                <th scope="col" className="num">
                  Reached
                </th>
                <th scope="col">Conversion</th>
              </tr>
            </thead>
            <tbody>
              {steps.map((s, i) => (
                <tr key={s.stage}>
                  <th scope="row">{STAGE_LABEL[s.stage]}</th>
                  <td className="num">{count(s.reached)}</td>
                  <td>{conversionText(s, steps[i - 1])}</td>
                </tr>
              ))}
            </tbody>
          </table>
        }
      />
    </Card>
  );
}

function conversionText(s: FunnelStep, previous: FunnelStep | undefined): string {
  if (!previous) return "the first stage";
  if (s.conversion === null) return `none reached ${STAGE_LABEL[previous.stage]}`;
  return `${percents.format(s.conversion)} of those at ${STAGE_LABEL[previous.stage]}`;
}
