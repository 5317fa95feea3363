// The Matrix view: scored use cases placed by feasibility and value, sized by benefit, coloured by stage, with weight sensitivity marked.
import { keepPreviousData } from "@tanstack/react-query";
import type { DefaultLabelFormatterCallbackParams, MarkAreaComponentOption, ScatterSeriesOption } from "echarts";
import { useMemo, useState } from "react";

import { QuadrantBadge, StageBadge } from "../../components/badges";
import type { MatrixPoint } from "../../bindings/MatrixPoint";
import type { Quadrant } from "../../bindings/Quadrant";
import type { Stage } from "../../bindings/Stage";
import type { Thresholds } from "../../bindings/Thresholds";
import type { UseCaseSensitivity } from "../../bindings/UseCaseSensitivity";
import {
  axisStyle,
  baseOption,
  Chart,
  escapeHtml,
  tooltipStyle,
  useChartTheme,
  type ChartTheme,
  type ECElementEvent,
  type EChartsOption,
} from "../../components/chart";
import { ErrorNote } from "../../components/errorNote";
import { FilterBar } from "../portfolio";
import { useFilters } from "../../lib/filters";
import { count, money, plural, score } from "../../lib/format";
import { usePreferences } from "../../lib/preferences";
import { useSensitivity } from "../../lib/queries";
import { useMatrix } from "./api";
import { TextField } from "../../components/textField";
import { QUADRANT_LABEL, QUADRANTS, STAGE_LABEL, STAGES } from "../../lib/vocabulary";
import "./matrixView.css";

/** The engine's top-N line when none is given. */
const DEFAULT_TOP = 10;
/** Above this many points the chart draws on canvas, without animation, in ECharts' large mode. */
const LARGE = 2000;
/** Rows the table alternative lists; the Portfolio table holds them all. */
const TABLE_ROWS = 500;
/** Volatile use cases listed under the chart. */
const VOLATILE_LISTED = 50;

/** Bubble diameters in pixels: a use case without an expected benefit is drawn smaller than any with one. */
const SIZE_NONE = 7;
const SIZE_MIN = 11;
const SIZE_MAX = 46;
const SIZE_LARGE = 6;

interface Plotted {
  point: MatrixPoint;
  sensitivity: UseCaseSensitivity | undefined;
  size: number;
}

export function MatrixView({ onOpen, openId }: { onOpen: (id: string) => void; openId: string | null }) {
  const { filters, active, clear } = useFilters();
  const { currency } = usePreferences();
  const theme = useChartTheme();
  const matrix = useMatrix(filters, { placeholderData: keepPreviousData });
  const [topText, setTopText] = useState(String(DEFAULT_TOP));
  const [top, setTop] = useState(DEFAULT_TOP);
  const sensitivity = useSensitivity(top, { placeholderData: keepPreviousData });
  const [volatileOnly, setVolatileOnly] = useState(false);

  const topError = parseTop(topText) === null ? "N is a whole number of at least 1, such as 10." : undefined;
  const editTop = (text: string) => {
    setTopText(text);
    const n = parseTop(text);
    if (n !== null) setTop(n);
  };

  const all = useMemo(() => plot(matrix.data?.points ?? [], sensitivity.data?.use_cases ?? []), [matrix.data, sensitivity.data]);
  const volatileHere = useMemo(() => all.filter((p) => p.sensitivity?.volatile), [all]);
  const shown = volatileOnly ? volatileHere : all;
  const described = useMemo(() => summary(shown), [shown]);
  const thresholds = matrix.data?.thresholds;
  const option = useMemo(() => (thresholds ? matrixOption(shown, thresholds, openId, theme, currency) : null), [shown, thresholds, openId, theme, currency]);

  const header = (
    <header className="view-head">
      <h1 id="matrix-heading">Matrix</h1>
      <span className="count" role="status" aria-live="polite">
        {matrix.data ? countText(all.length, shown.length, volatileOnly) : ""}
      </span>
    </header>
  );

  if (matrix.error) {
    return (
      <section className="view matrix-view" aria-labelledby="matrix-heading">
        {header}
        <FilterBar />
        <ErrorNote error={matrix.error} />
      </section>
    );
  }
  if (!matrix.data || !option) return <p className="loading">Loading the matrix…</p>;

  const { unscored } = matrix.data;
  const openPoint = (e: ECElementEvent) => {
    const id = plottedAt(shown, e)?.point.id;
    if (id) onOpen(id);
  };

  return (
    <section className="view matrix-view" aria-labelledby="matrix-heading">
      {header}
      <FilterBar />
      {unscored > 0 && (
        <p className="matrix-note">
          {unscored === 1
            ? "1 use case is not fully scored and is not on the matrix."
            : `${count(unscored)} use cases are not fully scored and are not on the matrix.`}
        </p>
      )}
      {all.length === 0 ? (
        <EmptyMatrix filtered={active} onClear={clear} />
      ) : (
        <>
          <div className="matrix-tools">
            <TextField
              id="matrix-top"
              label="Top-N line"
              className="field matrix-top"
              type="number"
              min={1}
              step={1}
              inputMode="numeric"
              value={topText}
              error={topError}
              onChange={(e) => editTop(e.target.value)}
            />
            <label className="filter-toggle" htmlFor="matrix-volatile-only">
              <input id="matrix-volatile-only" type="checkbox" checked={volatileOnly} onChange={(e) => setVolatileOnly(e.target.checked)} />
              Show volatile only
            </label>
            <p className="matrix-sensitivity" aria-live="polite">
              {sensitivity.data &&
                sensitivityText(sensitivity.data.volatile, sensitivity.data.scored, sensitivity.data.top, active ? volatileHere.length : null)}
            </p>
          </div>
          <ErrorNote error={sensitivity.error} />
          <Chart
            title="Value against feasibility"
            className="matrix-chart"
            option={option}
            summary={described}
            onClick={openPoint}
            renderer={shown.length > LARGE ? "canvas" : "svg"}
            tableMode="on-demand"
            table={<MatrixTable plotted={shown} openId={openId} onOpen={onOpen} currency={currency} />}
          />
          {volatileOnly && shown.length === 0 && <p className="matrix-note">None of the use cases on the matrix is volatile.</p>}
          <VolatileList plotted={volatileHere} onOpen={onOpen} />
        </>
      )}
    </section>
  );
}

/** A top-N line as typed: a whole number from 1, or null. */
function parseTop(text: string): number | null {
  const t = text.trim();
  if (!/^\d+$/.test(t)) return null;
  const n = Number(t);
  // The engine reads N as a 32-bit integer.
  return n >= 1 && n <= 2_147_483_647 ? n : null;
}

function countText(all: number, shown: number, volatileOnly: boolean): string {
  if (volatileOnly) return `${count(shown)} of ${plural(all, "use case", "use cases")} shown (volatile only)`;
  return `${plural(all, "use case", "use cases")} on the matrix`;
}

/** "3 of 40 scored use cases are volatile …"; sensitivity covers the whole portfolio, so with filters say how many of them are here. */
function sensitivityText(volatile: number, scored: number, top: number, here: number | null): string {
  const verb = volatile === 1 ? "is" : "are";
  const base = `${count(volatile)} of ${plural(scored, "scored use case", "scored use cases")} ${verb} volatile: moving one criterion's weight by ±20% changes their quadrant or carries them across the top-${top} line.`;
  return here === null ? base : `${base} ${count(here)} of them ${here === 1 ? "is" : "are"} on the matrix with these filters.`;
}

function plot(points: readonly MatrixPoint[], sensitivity: readonly UseCaseSensitivity[]): Plotted[] {
  const byId = new Map(sensitivity.map((u) => [u.id, u]));
  // Scaled over every point, so hiding some does not resize the rest.
  const most = points.reduce((m, p) => Math.max(m, p.expected_benefit ?? 0), 0);
  return points.map((point) => {
    const b = point.expected_benefit ?? 0;
    // The area, not the diameter, grows with the benefit.
    const size = b > 0 && most > 0 ? SIZE_MIN + (SIZE_MAX - SIZE_MIN) * Math.sqrt(b / most) : SIZE_NONE;
    return { point, sensitivity: byId.get(point.id), size };
  });
}

/** Each data item is `[feasibility, value, index into the plotted points]`. */
type Item = [number, number, number];

function plottedAt(plotted: readonly Plotted[], e: { value?: unknown }): Plotted | undefined {
  const v = e.value;
  return Array.isArray(v) && typeof v[2] === "number" ? plotted[v[2]] : undefined;
}

function summary(plotted: readonly Plotted[]): string {
  const by = new Map<Quadrant, number>();
  for (const p of plotted) by.set(p.point.quadrant, (by.get(p.point.quadrant) ?? 0) + 1);
  const parts = QUADRANTS.map((q) => `${QUADRANT_LABEL[q]} ${count(by.get(q) ?? 0)}`);
  const volatile = plotted.filter((p) => p.sensitivity?.volatile).length;
  return `${plural(plotted.length, "use case", "use cases")}: ${parts.join(", ")}; ${count(volatile)} volatile. “Show as table” lists them.`;
}

function tooltip(p: Plotted, currency: string): string {
  const { point, sensitivity } = p;
  const lines = [
    `<strong>${escapeHtml(point.title)}</strong>`,
    `${STAGE_LABEL[point.stage]}${point.business_unit ? ` · ${escapeHtml(point.business_unit)}` : ""}`,
    `Value ${score(point.value_score)} · Feasibility ${score(point.feasibility_score)} · ${QUADRANT_LABEL[point.quadrant]}`,
    `Expected benefit ${point.expected_benefit === null ? "not given" : money(point.expected_benefit, currency)}`,
  ];
  if (sensitivity?.volatile) lines.push(`<strong>Volatile</strong>: ${sensitivity.reasons.map(escapeHtml).join("; ")}`);
  else if (sensitivity) lines.push("Stable under ±20% weights");
  return lines.join("<br>");
}

interface Area {
  /** [feasibility, value] of two opposite corners. */
  from: [number, number];
  to: [number, number];
  /** The corner of the chart the quadrant's name sits in. */
  position: "insideTopRight" | "insideTopLeft" | "insideBottomRight" | "insideBottomLeft";
}

/** Each quadrant as a faintly tinted area, named in its outer corner. */
function quadrantAreas(t: Thresholds, theme: ChartTheme): NonNullable<MarkAreaComponentOption["data"]> {
  const corner: Record<Quadrant, Area> = {
    "quick-win": { from: [t.feasibility, t.value], to: [100, 100], position: "insideTopRight" },
    "strategic-bet": { from: [0, t.value], to: [t.feasibility, 100], position: "insideTopLeft" },
    "fill-in": { from: [t.feasibility, 0], to: [100, t.value], position: "insideBottomRight" },
    deprioritise: { from: [0, 0], to: [t.feasibility, t.value], position: "insideBottomLeft" },
  };
  return QUADRANTS.map((q) => {
    const c = corner[q];
    return [
      {
        name: QUADRANT_LABEL[q],
        xAxis: c.from[0],
        yAxis: c.from[1],
        itemStyle: { color: theme.quadrant[q], opacity: theme.dark ? 0.08 : 0.06 },
        label: { position: c.position, color: theme.muted, fontWeight: 600, fontSize: 12 },
      },
      { xAxis: c.to[0], yAxis: c.to[1] },
    ];
  });
}

function matrixOption(plotted: readonly Plotted[], t: Thresholds, openId: string | null, theme: ChartTheme, currency: string): EChartsOption {
  const large = plotted.length > LARGE;
  const items = (keep: (p: Plotted) => boolean): Item[] => {
    const out: Item[] = [];
    plotted.forEach((p, i) => {
      if (keep(p)) out.push([p.point.feasibility_score, p.point.value_score, i]);
    });
    return out;
  };
  const sizeOf = (grow: number) => (large ? SIZE_LARGE + grow : (v: Item) => (plotted[v[2]]?.size ?? SIZE_NONE) + grow);
  const stages = STAGES.filter((s) => plotted.some((p) => p.point.stage === s));
  const volatile = items((p) => p.sensitivity?.volatile === true);
  const open = items((p) => p.point.id === openId);

  const stageSeries = stages.map((stage: Stage): ScatterSeriesOption => ({
    type: "scatter",
    id: `stage-${stage}`,
    name: STAGE_LABEL[stage],
    data: items((p) => p.point.stage === stage),
    symbolSize: sizeOf(0),
    itemStyle: { color: theme.stage[stage], opacity: 0.85, borderColor: theme.background, borderWidth: large ? 0 : 1 },
    emphasis: { scale: 1.15 },
    large: true,
    largeThreshold: LARGE,
    progressive: 5000,
    progressiveThreshold: 20_000,
    cursor: "pointer",
    tooltip: {
      formatter: (params: DefaultLabelFormatterCallbackParams) => {
        const p = plottedAt(plotted, params);
        return p ? tooltip(p, currency) : "";
      },
    },
  }));

  return {
    ...baseOption(theme, !large),
    grid: { left: 56, right: 24, top: 48, bottom: 48 },
    legend: {
      top: 4,
      data: [...stages.map((s) => STAGE_LABEL[s]), ...(volatile.length > 0 ? ["Volatile"] : [])],
      textStyle: { color: theme.fg },
      inactiveColor: theme.border,
    },
    tooltip: { ...tooltipStyle(theme), trigger: "item" },
    xAxis: { type: "value", name: "Feasibility", nameLocation: "middle", nameGap: 28, min: 0, max: 100, ...axisStyle(theme) },
    yAxis: { type: "value", name: "Value", nameLocation: "middle", nameGap: 36, min: 0, max: 100, ...axisStyle(theme) },
    series: [
      {
        // Carries the quadrants and threshold lines, so hiding a stage in the legend never hides them.
        type: "scatter",
        id: "quadrants",
        data: [],
        silent: true,
        markArea: { silent: true, data: quadrantAreas(t, theme) },
        markLine: {
          silent: true,
          symbol: "none",
          lineStyle: { color: theme.muted, type: "dashed", width: 1 },
          label: { color: theme.muted, formatter: "{b}", position: "insideEndTop" },
          data: [
            { name: `Feasibility ${t.feasibility}`, xAxis: t.feasibility },
            { name: `Value ${t.value}`, yAxis: t.value },
          ],
        },
      },
      ...stageSeries,
      {
        // A ring around each volatile use case, drawn over the bubbles; clicks and hovers go to the bubble beneath.
        type: "scatter",
        id: "volatile",
        name: "Volatile",
        data: volatile,
        symbol: "circle",
        symbolSize: sizeOf(7),
        silent: true,
        z: 3,
        itemStyle: { color: "transparent", borderColor: theme.fg, borderWidth: 2 },
        large: true,
        largeThreshold: LARGE,
      },
      {
        type: "scatter",
        id: "open",
        name: "Open use case",
        data: open,
        symbol: "circle",
        symbolSize: sizeOf(12),
        silent: true,
        z: 4,
        itemStyle: { color: "transparent", borderColor: theme.accent, borderWidth: 3 },
        label: {
          show: true,
          position: "right",
          distance: 10,
          color: theme.fg,
          fontWeight: 600,
          formatter: (params: DefaultLabelFormatterCallbackParams) => plottedAt(plotted, params)?.point.title ?? "",
        },
      },
    ],
  };
}

function MatrixTable({
  plotted,
  openId,
  onOpen,
  currency,
}: {
  plotted: readonly Plotted[];
  openId: string | null;
  onOpen: (id: string) => void;
  currency: string;
}) {
  const rows = plotted.slice(0, TABLE_ROWS);
  return (
    <table className="data-table">
      <caption>
        Use cases on the matrix, highest priority first
        {plotted.length > rows.length && ` (the first ${count(rows.length)} of ${count(plotted.length)}; the Portfolio view lists them all)`}
      </caption>
      <thead>
        <tr>
          <th scope="col">Title</th>
          <th scope="col">Stage</th>
          <th scope="col">Business unit</th>
          <th scope="col" className="num">
            Value
          </th>
          <th scope="col" className="num">
            Feasibility
          </th>
          <th scope="col">Quadrant</th>
          <th scope="col" className="num">
            Expected benefit
          </th>
          <th scope="col">Sensitivity</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(({ point, sensitivity }) => (
          <tr key={point.id} className={point.id === openId ? "open" : undefined}>
            <td>
              <button type="button" className="link-button" onClick={() => onOpen(point.id)} aria-current={point.id === openId ? "true" : undefined}>
                {point.title}
              </button>
            </td>
            <td>
              <StageBadge stage={point.stage} />
            </td>
            <td>{point.business_unit || <span className="muted">—</span>}</td>
            <td className="num">{score(point.value_score)}</td>
            <td className="num">{score(point.feasibility_score)}</td>
            <td>
              <QuadrantBadge quadrant={point.quadrant} />
            </td>
            <td className="num">{money(point.expected_benefit, currency)}</td>
            <td>{sensitivity?.volatile ? `Volatile: ${sensitivity.reasons.join("; ")}` : sensitivity ? "Stable" : "—"}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function VolatileList({ plotted, onOpen }: { plotted: readonly Plotted[]; onOpen: (id: string) => void }) {
  if (plotted.length === 0) return null;
  const listed = plotted.slice(0, VOLATILE_LISTED);
  return (
    <section className="matrix-volatile" aria-labelledby="matrix-volatile-heading">
      <h2 id="matrix-volatile-heading">Volatile use cases on the matrix</h2>
      <p className="hint">Ringed on the chart. Worth discussing before investing: a small change of opinion on a criterion's weight would move them.</p>
      <ul>
        {listed.map(({ point, sensitivity }) => (
          <li key={point.id}>
            <button type="button" className="link-button" onClick={() => onOpen(point.id)}>
              {point.title}
            </button>{" "}
            <span className="muted">
              #{sensitivity?.rank} · {sensitivity?.reasons.join("; ")}
            </span>
          </li>
        ))}
      </ul>
      {plotted.length > listed.length && <p className="hint">and {count(plotted.length - listed.length)} more: “Show as table” lists them all.</p>}
    </section>
  );
}

function EmptyMatrix({ filtered, onClear }: { filtered: boolean; onClear: () => void }) {
  if (filtered) {
    return (
      <section className="empty-state" aria-labelledby="matrix-empty-heading">
        <h2 id="matrix-empty-heading">No scored use case matches these filters</h2>
        <p>The matrix shows use cases once every value and feasibility criterion is scored.</p>
        <div className="actions">
          <button type="button" onClick={onClear}>
            Clear filters
          </button>
        </div>
      </section>
    );
  }
  return (
    <section className="empty-state" aria-labelledby="matrix-empty-heading">
      <h2 id="matrix-empty-heading">No use case is fully scored yet</h2>
      <p>
        A use case appears on the matrix once every value and feasibility criterion is scored. Open one from the Portfolio and score it in its Scoring section.
      </p>
    </section>
  );
}
