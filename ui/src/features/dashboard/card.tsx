// What the dashboard's cards share: the card itself, number formats and the bar chart's options.
import type { BarSeriesOption } from "echarts";
import { type ReactNode } from "react";

import type { KpiStatus } from "../../bindings/KpiStatus";
import type { OwnerRole } from "../../bindings/OwnerRole";

import { axisStyle, baseOption, tooltipStyle, type ChartTheme, type EChartsOption } from "../../components/chart";

/** Business units charted one by one; the rest are summed as "Others". */
export function Card({ id, title, children, className }: { id: string; title: string; children: ReactNode; className?: string }) {
  return (
    <article className={className ? `dash-card ${className}` : "dash-card"} aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </article>
  );
}

export const percents = new Intl.NumberFormat(undefined, { style: "percent", maximumFractionDigits: 0 });
export const days = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1, useGrouping: "always" });
/**
 * Horizontal bars, one category a row, the first at the top. `legend` for several series;
 * `reach` keeps a value (a marked line) inside the axis, which markers do not stretch.
 */
export function barOption(theme: ChartTheme, categories: string[], series: BarSeriesOption[], { legend = false, reach = 0 } = {}): EChartsOption {
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

export const barHeight = (rows: number, perRow = 30) => Math.max(140, rows * perRow + 24);

export const KPI_STATUSES: readonly KpiStatus[] = ["on-track", "off-track", "not-measured"];
export const KPI_LABEL: Record<KpiStatus, string> = { "on-track": "On track", "off-track": "Off track", "not-measured": "Not measured" };
export const MISSING_LABEL: Record<OwnerRole, string> = { business: "business owner", technical: "technical owner", data: "data owner", risk: "risk owner" };

export function ratio(part: number, whole: number): string {
  return whole > 0 ? ` (${percents.format(part / whole)})` : "";
}
