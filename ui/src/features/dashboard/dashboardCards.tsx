// The dashboard's cards from aging on: how long use cases sit in a stage, KPIs, benefits, the top of the ranking and the ownership gaps.
import type { DefaultLabelFormatterCallbackParams } from "echarts";
import { useMemo } from "react";

import { StageBadge } from "../../components/badges";
import type { Aging } from "../../bindings/Aging";
import type { Benefits } from "../../bindings/Benefits";
import type { Dashboard } from "../../bindings/Dashboard";
import type { KpiStatus } from "../../bindings/KpiStatus";
import { baseOption, Chart, escapeHtml, tooltipStyle, type ChartTheme, type EChartsOption } from "../../components/chart";
import { count, money, plural, score, shortMoney } from "../../lib/format";
import { STAGE_LABEL } from "../../lib/vocabulary";

/** Business units charted one by one; the rest are summed as "Others". */
import { barHeight, barOption, Card, days, KPI_LABEL, KPI_STATUSES, MISSING_LABEL, ratio } from "./card";

export function AgingCard({ aging, staleAfter, theme }: { aging: Aging[]; staleAfter: number; theme: ChartTheme }) {
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

export function KpiCard({ status, theme }: { status: Dashboard["kpi_status"]; theme: ChartTheme }) {
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

export function BenefitsCard({ b, currency, theme }: { b: Benefits; currency: string; theme: ChartTheme }) {
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

export function TopCard({ d, onOpen }: { d: Dashboard; onOpen: (id: string) => void }) {
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

export function GapsCard({ d, onOpen }: { d: Dashboard; onOpen: (id: string) => void }) {
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
