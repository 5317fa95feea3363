// The Dashboard view: the leadership summary of the live portfolio in cards: headline figures, stages, units, funnel, aging, top, gaps, KPIs, benefits.
import { useQuery } from "@tanstack/react-query";
import type { BarSeriesOption, DefaultLabelFormatterCallbackParams } from "echarts";
import { useMemo, type ReactNode } from "react";

import { StageBadge } from "../../components/badges";
import type { Aging } from "../../bindings/Aging";
import type { Benefits } from "../../bindings/Benefits";
import type { Dashboard } from "../../bindings/Dashboard";
import type { Figure } from "../../bindings/Figure";
import type { FunnelStep } from "../../bindings/FunnelStep";
import type { KpiStatus } from "../../bindings/KpiStatus";
import type { OwnerRole } from "../../bindings/OwnerRole";
import { axisStyle, baseOption, Chart, escapeHtml, tooltipStyle, useChartTheme, type ChartTheme, type EChartsOption } from "../../components/chart";
import { ErrorNote } from "../../components/errorNote";
import { count, money, plural, score, shortMoney } from "../../lib/format";
import { usePreferences } from "../../lib/preferences";
import { apiQuery } from "../../lib/queries";
import { STAGE_LABEL, STAGES } from "../../lib/vocabulary";
import "./dashboardView.css";

/** Business units charted one by one; the rest are summed as "Others". */
const UNITS_SHOWN = 12;

const KPI_STATUSES: readonly KpiStatus[] = ["on-track", "off-track", "not-measured"];
const KPI_LABEL: Record<KpiStatus, string> = { "on-track": "On track", "off-track": "Off track", "not-measured": "Not measured" };
const MISSING_LABEL: Record<OwnerRole, string> = { business: "business owner", technical: "technical owner", data: "data owner", risk: "risk owner" };

export function DashboardView({ onOpen }: { onOpen: (id: string) => void }) {
  const dashboard = useQuery(apiQuery("dashboard_get"));
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

function Card({ id, title, children, className }: { id: string; title: string; children: ReactNode; className?: string }) {
  return (
    <article className={className ? `dash-card ${className}` : "dash-card"} aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </article>
  );
}

const percents = new Intl.NumberFormat(undefined, { style: "percent", maximumFractionDigits: 0 });
const days = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1, useGrouping: "always" });
/**
 * Horizontal bars, one category a row, the first at the top. `legend` for several series;
 * `reach` keeps a value (a marked line) inside the axis, which markers do not stretch.
 */
function barOption(theme: ChartTheme, categories: string[], series: BarSeriesOption[], { legend = false, reach = 0 } = {}): EChartsOption {
  return {
    ...baseOption(theme),
    // A marked line's label sits under the bars (the category axis runs downwards).
    grid: { left: 8, right: 72, top: legend ? 32 : 8, bottom: reach ? 24 : 8 },
    ...(legend ? { legend: { top: 0, textStyle: { color: theme.fg }, inactiveColor: theme.border } } : {}),
    tooltip: { ...tooltipStyle(theme), trigger: "item" },
    xAxis: {
      type: "value",
      ...axisStyle(theme),
      axisLabel: { show: false },
      splitLine: { show: false },
      max: (extent: { max: number }) => Math.max(extent.max, reach * 1.1) || 1,
    },
    yAxis: { type: "category", data: categories, inverse: true, ...axisStyle(theme), axisLabel: { color: theme.fg }, axisTick: { show: false } },
    series,
  };
}

const barHeight = (rows: number, perRow = 30) => Math.max(140, rows * perRow + 24);

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
function ratio(part: number, whole: number): string {
  return whole > 0 ? ` (${percents.format(part / whole)})` : "";
}

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

function AgingCard({ aging, staleAfter, theme }: { aging: Aging[]; staleAfter: number; theme: ChartTheme }) {
  const stale = aging.reduce((t, a) => t + a.stale, 0);
  const option = useMemo(() => {
    const label = (pick: (a: Aging) => number) => ({
      show: true,
      position: "right" as const,
      color: theme.muted,
      fontSize: 11,
      formatter: (p: DefaultLabelFormatterCallbackParams) => {
        const a = aging[p.dataIndex];
        return a && pick(a) > 0 ? `${days.format(pick(a))} d` : "";
      },
    });
    const tooltip = {
      formatter: (p: DefaultLabelFormatterCallbackParams) => {
        const a = aging[p.dataIndex];
        return a
          ? `<strong>${STAGE_LABEL[a.stage]}</strong><br>Average ${days.format(a.average_days)} days<br>Longest ${days.format(a.max_days)} days<br>${count(a.stale)} stale`
          : "";
      },
    };
    return barOption(
      theme,
      aging.map((a) => STAGE_LABEL[a.stage]),
      [
        {
          type: "bar",
          name: "Average days",
          data: aging.map((a) => a.average_days),
          itemStyle: { color: theme.accent },
          barMaxWidth: 12,
          label: label((a) => a.average_days),
          tooltip,
          markLine: {
            silent: true,
            symbol: "none",
            lineStyle: { color: theme.bad, type: "dashed" },
            label: { color: theme.bad, formatter: `Stale after ${staleAfter} days`, position: "end" },
            data: [{ xAxis: staleAfter }],
          },
        },
        {
          type: "bar",
          name: "Longest",
          data: aging.map((a) => a.max_days),
          itemStyle: { color: theme.muted, opacity: 0.55 },
          barMaxWidth: 12,
          label: label((a) => a.max_days),
          tooltip,
        },
      ],
      { legend: true, reach: staleAfter },
    );
  }, [aging, staleAfter, theme]);
  return (
    <Card id="dash-aging" title="Time in stage">
      <p className="hint">
        {stale === 0
          ? `No use case has been in its stage for more than ${staleAfter} days.`
          : `${plural(stale, "use case has", "use cases have")} been in the same stage for more than ${staleAfter} days (the threshold is set in Settings).`}
      </p>
      <Chart
        title="Time in stage"
        option={option}
        height={barHeight(aging.length, 36) + 28}
        table={
          <table className="data-table">
            <caption>Time in stage, in days</caption>
            <thead>
              <tr>
                <th scope="col">Stage</th>
                <th scope="col" className="num">
                  Average days
                </th>
                <th scope="col" className="num">
                  Longest
                </th>
                <th scope="col" className="num">
                  Stale (over {staleAfter} days)
                </th>
              </tr>
            </thead>
            <tbody>
              {aging.map((a) => (
                <tr key={a.stage}>
                  <th scope="row">{STAGE_LABEL[a.stage]}</th>
                  <td className="num">{days.format(a.average_days)}</td>
                  <td className="num">{days.format(a.max_days)}</td>
                  <td className="num">{count(a.stale)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        }
      />
    </Card>
  );
}

function KpiCard({ status, theme }: { status: Dashboard["kpi_status"]; theme: ChartTheme }) {
  const n = (s: KpiStatus) => status[s] ?? 0;
  const total = KPI_STATUSES.reduce((t, s) => t + n(s), 0);
  const option = useMemo<EChartsOption>(() => {
    const colour: Record<KpiStatus, string> = { "on-track": theme.ok, "off-track": theme.bad, "not-measured": theme.muted };
    return {
      ...baseOption(theme),
      tooltip: { ...tooltipStyle(theme), trigger: "item", formatter: "{b}: {c} ({d}%)" },
      series: [
        {
          type: "pie",
          name: "KPI status",
          radius: ["45%", "72%"],
          avoidLabelOverlap: true,
          itemStyle: { borderColor: theme.background, borderWidth: 2 },
          label: { color: theme.fg, formatter: "{b}: {c}" },
          data: KPI_STATUSES.filter((s) => (status[s] ?? 0) > 0).map((s) => ({ name: KPI_LABEL[s], value: status[s] ?? 0, itemStyle: { color: colour[s] } })),
        },
      ],
    };
  }, [status, theme]);
  return (
    <Card id="dash-kpi" title="KPI status">
      <ul className="dash-counts" aria-label="KPIs by status">
        {KPI_STATUSES.map((s) => (
          <li key={s} data-kpi={s}>
            <span className="swatch" aria-hidden="true" />
            {KPI_LABEL[s]} <strong>{count(n(s))}</strong>
          </li>
        ))}
      </ul>
      {total === 0 ? (
        <p className="hint">No KPIs yet: add them in a use case's KPIs section to follow what it delivers.</p>
      ) : (
        <Chart
          title="KPI status"
          option={option}
          height={220}
          table={
            <table className="data-table">
              <caption>KPIs of live use cases by status</caption>
              <tbody>
                {KPI_STATUSES.map((s) => (
                  <tr key={s}>
                    <th scope="row">{KPI_LABEL[s]}</th>
                    <td className="num">{count(n(s))}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          }
        />
      )}
    </Card>
  );
}

function BenefitsCard({ b, currency, theme }: { b: Benefits; currency: string; theme: ChartTheme }) {
  const rows = useMemo(
    () => [
      { label: `Expected, all ${count(b.use_cases)} at Pilot or later`, value: b.expected_benefit, colour: theme.muted },
      { label: `Expected, the ${count(b.recorded)} that recorded`, value: b.expected_where_recorded, colour: theme.accent },
      { label: `Realised, the ${count(b.recorded)} that recorded`, value: b.realised_benefit, colour: theme.ok },
    ],
    [b, theme],
  );
  const option = useMemo(
    () =>
      barOption(
        theme,
        rows.map((r) => r.label),
        [
          {
            type: "bar",
            name: "Benefit",
            data: rows.map((r) => ({ value: r.value, itemStyle: { color: r.colour, borderRadius: [0, 3, 3, 0] } })),
            barMaxWidth: 22,
            label: {
              show: true,
              position: "right",
              color: theme.fg,
              formatter: (p: DefaultLabelFormatterCallbackParams) => shortMoney(rows[p.dataIndex]?.value ?? 0, currency),
            },
            tooltip: {
              formatter: (p: DefaultLabelFormatterCallbackParams) =>
                `${escapeHtml(rows[p.dataIndex]?.label ?? "")}: ${money(rows[p.dataIndex]?.value ?? 0, currency)}`,
            },
          },
        ],
      ),
    [rows, currency, theme],
  );
  return (
    <Card id="dash-benefits" title="Realised against expected benefit">
      <p className="dash-benefits-text">
        {b.use_cases === 0
          ? "No use case has reached Pilot yet: benefits are recorded from Pilot on."
          : `Recorded by ${count(b.recorded)} of ${plural(b.use_cases, "use case", "use cases")} at Pilot or later.`}
        {b.recorded > 0 &&
          ` They realised ${money(b.realised_benefit, currency)} against ${money(b.expected_where_recorded, currency)} expected${ratio(b.realised_benefit, b.expected_where_recorded)}.`}
        {b.use_cases > 0 && ` All ${count(b.use_cases)} expect ${money(b.expected_benefit, currency)}.`}
      </p>
      {b.use_cases > 0 && (
        <Chart
          title="Realised against expected benefit"
          option={option}
          height={barHeight(rows.length, 40)}
          table={
            <table className="data-table">
              <caption>Realised against expected benefit</caption>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.label}>
                    <th scope="row">{r.label}</th>
                    <td className="num">{money(r.value, currency)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          }
        />
      )}
    </Card>
  );
}

function TopCard({ d, onOpen }: { d: Dashboard; onOpen: (id: string) => void }) {
  return (
    <Card id="dash-top" title="Top use cases by priority" className="wide">
      {d.top.length === 0 ? (
        <p className="hint">No use case is fully scored yet: priority is the mean of the value and feasibility scores.</p>
      ) : (
        <table className="data-table" aria-labelledby="dash-top">
          <thead>
            <tr>
              <th scope="col" className="num">
                #
              </th>
              <th scope="col">Title</th>
              <th scope="col">Stage</th>
              <th scope="col" className="num">
                Priority
              </th>
              <th scope="col" className="num">
                Value
              </th>
              <th scope="col" className="num">
                Feasibility
              </th>
            </tr>
          </thead>
          <tbody>
            {d.top.map((t, i) => (
              <tr key={t.id}>
                <td className="num">{i + 1}</td>
                <td>
                  <button type="button" className="link-button" onClick={() => onOpen(t.id)}>
                    {t.title}
                  </button>
                </td>
                <td>
                  <StageBadge stage={t.stage} />
                </td>
                <td className="num">{score(t.priority)}</td>
                <td className="num">{score(t.value_score)}</td>
                <td className="num">{score(t.feasibility_score)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Card>
  );
}

function GapsCard({ d, onOpen }: { d: Dashboard; onOpen: (id: string) => void }) {
  const listed = d.ownership_gaps_listed;
  return (
    <Card id="dash-gaps" title="Ownership gaps">
      <p className="hint">
        {d.ownership_gaps === 0
          ? "Every use case past Assessment has a technical and a data owner."
          : `${plural(d.ownership_gaps, "use case", "use cases")} past Assessment ${d.ownership_gaps === 1 ? "lacks" : "lack"} a technical or a data owner.`}
      </p>
      {listed.length > 0 && (
        <ul className="dash-gaps" aria-label="Use cases missing an owner">
          {listed.map((g) => (
            <li key={g.id}>
              <button type="button" className="link-button" onClick={() => onOpen(g.id)}>
                {g.title}
              </button>
              <StageBadge stage={g.stage} />
              <span className="muted">Missing: {g.missing.map((r) => MISSING_LABEL[r]).join(", ")}</span>
            </li>
          ))}
        </ul>
      )}
      {d.ownership_gaps > listed.length && <p className="hint">and {count(d.ownership_gaps - listed.length)} more, lower in priority.</p>}
    </Card>
  );
}
