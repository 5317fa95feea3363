// A thin React wrapper over ECharts: the chart's life cycle, theme colours from the stylesheet, a table beside it, and "Save as PNG".
import { BarChart, PieChart, ScatterChart } from "echarts/charts";
import { GridComponent, LegendComponent, MarkAreaComponent, MarkLineComponent, TooltipComponent } from "echarts/components";
import * as echarts from "echarts/core";
import type { ECElementEvent, EChartsType } from "echarts/core";
import type { EChartsOption } from "echarts";
import { CanvasRenderer, SVGRenderer } from "echarts/renderers";
import { createContext, useContext, useEffect, useId, useMemo, useRef, useState, useSyncExternalStore, type ReactNode } from "react";

import type { Quadrant } from "../bindings/Quadrant";
import type { Stage } from "../bindings/Stage";
import { ErrorNote } from "./errorNote";
import { useSaveChartPng } from "../lib/queries";
import { QUADRANTS, STAGES } from "../lib/vocabulary";
import "./chart.css";

echarts.use([
  BarChart,
  PieChart,
  ScatterChart,
  GridComponent,
  LegendComponent,
  MarkAreaComponent,
  MarkLineComponent,
  TooltipComponent,
  CanvasRenderer,
  SVGRenderer,
]);

export type { ECElementEvent, EChartsOption, EChartsType };

/** SVG keeps text crisp and is light for small charts; canvas copes with tens of thousands of points. */
export type Renderer = "svg" | "canvas";

/** The stylesheet's colours, as plain values ECharts can paint with. */
export interface ChartTheme {
  dark: boolean;
  /** The panel behind a chart, also the background of its PNG. */
  background: string;
  soft: string;
  fg: string;
  muted: string;
  border: string;
  accent: string;
  ok: string;
  bad: string;
  stage: Record<Stage, string>;
  quadrant: Record<Quadrant, string>;
}

/** The light theme's values: what the chart uses where no stylesheet is loaded. */
const FALLBACK: Record<string, string> = {
  "--bg": "#ffffff",
  "--bg-soft": "#f6f7f9",
  "--fg": "#1c1f24",
  "--fg-muted": "#5d6470",
  "--border": "#d9dde3",
  "--accent": "#3b5bdb",
  "--ok": "#1f7a3d",
  "--bad": "#b42318",
  "--stage-idea": "#8a94a6",
  "--stage-assessment": "#7c5cd6",
  "--stage-proof-of-concept": "#2f7fd8",
  "--stage-pilot": "#0f9aa0",
  "--stage-production": "#2f9e44",
  "--stage-scaled": "#1b6b35",
  "--stage-parked": "#d08c00",
  "--stage-retired": "#6b6f76",
  "--quadrant-quick-win": "#2f9e44",
  "--quadrant-strategic-bet": "#2f7fd8",
  "--quadrant-fill-in": "#d08c00",
  "--quadrant-deprioritise": "#8a94a6",
};

function readTheme(dark: boolean): ChartTheme {
  const style = getComputedStyle(document.documentElement);
  const v = (name: string) => style.getPropertyValue(name).trim() || FALLBACK[name] || "#888888";
  return {
    dark,
    background: v("--bg"),
    soft: v("--bg-soft"),
    fg: v("--fg"),
    muted: v("--fg-muted"),
    border: v("--border"),
    accent: v("--accent"),
    ok: v("--ok"),
    bad: v("--bad"),
    stage: Object.fromEntries(STAGES.map((s) => [s, v(`--stage-${s}`)])) as Record<Stage, string>,
    quadrant: Object.fromEntries(QUADRANTS.map((q) => [q, v(`--quadrant-${q}`)])) as Record<Quadrant, string>,
  };
}

const DARK = "(prefers-color-scheme: dark)";

function subscribeScheme(onChange: () => void): () => void {
  // jsdom (and very old webviews) have no matchMedia: the theme then never changes.
  const query = typeof window.matchMedia === "function" ? window.matchMedia(DARK) : null;
  query?.addEventListener("change", onChange);
  return () => query?.removeEventListener("change", onChange);
}

const prefersDark = () => (typeof window.matchMedia === "function" ? window.matchMedia(DARK).matches : false);

/** The theme colours, read again when the OS switches between light and dark. */
export function useChartTheme(): ChartTheme {
  const dark = useSyncExternalStore(subscribeScheme, prefersDark, () => false);
  return useMemo(() => readTheme(dark), [dark]);
}

/** The parts of an option every chart shares: text and tooltip colours from the theme. */
export function baseOption(theme: ChartTheme, animation = true): EChartsOption {
  return {
    animation,
    backgroundColor: "transparent",
    textStyle: { color: theme.fg, fontFamily: "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif" },
    tooltip: tooltipStyle(theme),
  };
}

/** A tooltip in the theme's colours. */
export function tooltipStyle(theme: ChartTheme) {
  return {
    backgroundColor: theme.background,
    borderColor: theme.border,
    textStyle: { color: theme.fg, fontSize: 12 },
    confine: true,
  };
}

/** An axis drawn in the theme's colours. */
export function axisStyle(theme: ChartTheme) {
  return {
    axisLine: { lineStyle: { color: theme.border } },
    axisTick: { lineStyle: { color: theme.border } },
    axisLabel: { color: theme.muted },
    splitLine: { lineStyle: { color: theme.border, opacity: 0.6 } },
    nameTextStyle: { color: theme.muted },
  };
}

/** User text placed into a tooltip, which ECharts renders as HTML. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** What a chart turns into a PNG data URL. */
export type PngSource = (chart: EChartsType, how: { renderer: Renderer; background: string }) => Promise<string>;

const PNG = { type: "png", pixelRatio: 2 } as const;

/**
 * A canvas chart paints itself; an SVG chart is painted again on a canvas of the same size,
 * because ECharts' SVG painter can only hand back SVG.
 */
export const renderPng: PngSource = async (chart, { renderer, background }) => {
  if (renderer === "canvas") return chart.getDataURL({ ...PNG, backgroundColor: background });
  const copy = echarts.init(document.createElement("div"), null, { renderer: "canvas", width: chart.getWidth(), height: chart.getHeight() });
  try {
    copy.setOption({ ...chart.getOption(), animation: false });
    return copy.getDataURL({ ...PNG, backgroundColor: background });
  } finally {
    copy.dispose();
  }
};

/** Where PNGs come from: the charts themselves, unless a test supplies its own (jsdom has no canvas). */
export const PngSourceContext = createContext<PngSource>(renderPng);

/** A title made into a file name: "Use cases by stage" → "use-cases-by-stage". */
export function fileName(title: string): string {
  return (
    title
      .toLowerCase()
      .normalize("NFKD")
      .replace(/[^\p{L}\p{N}]+/gu, "-")
      .replace(/^-+|-+$/g, "") || "chart"
  );
}

export interface ChartProps {
  /** The chart's accessible name, and (as a slug) its file name. */
  title: string;
  option: EChartsOption;
  /** A sentence or two for screen readers about what the chart shows. */
  summary?: string;
  onClick?: (e: ECElementEvent) => void;
  renderer?: Renderer;
  /** Pixels; without it the stylesheet sizes the chart (`.chart-box`). */
  height?: number;
  /** The figures as a table: the chart's text alternative. */
  table: ReactNode;
  /**
   * `hidden`: always in the page for screen readers, visible on request. `on-demand`: only
   * rendered on request, for tables that are long or hold buttons (never focusable unseen).
   */
  tableMode?: "hidden" | "on-demand";
  className?: string;
}

export function Chart({ title, option, summary, onClick, renderer = "svg", height, table, tableMode = "hidden", className }: ChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const [chart, setChart] = useState<EChartsType | null>(null);
  const [tableShown, setTableShown] = useState(false);
  const theme = useChartTheme();
  const png = useContext(PngSourceContext);
  const tableId = useId();
  // The handler of the latest render, without binding the chart again when it changes.
  const clickRef = useRef(onClick);
  useEffect(() => {
    clickRef.current = onClick;
  }, [onClick]);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const c = echarts.init(el, null, { renderer });
    c.on("click", (e) => clickRef.current?.(e as ECElementEvent));
    setChart(c);
    const resize = typeof ResizeObserver === "function" ? new ResizeObserver(() => c.resize()) : null;
    resize?.observe(el);
    return () => {
      resize?.disconnect();
      c.dispose();
      setChart(null);
    };
  }, [renderer]);

  useEffect(() => {
    // Series are replaced whole (so removed ones go), while the legend keeps what was toggled.
    chart?.setOption(option, { replaceMerge: ["series"] });
  }, [chart, option]);

  const save = useSaveChartPng();
  const image = async () => {
    if (!chart) throw new Error("The chart is not drawn yet; try again in a moment.");
    return { name: fileName(title), data_url: await png(chart, { renderer, background: theme.background }) };
  };
  const { reset } = save;
  const saved = save.data === true;
  useEffect(() => {
    if (!saved) return;
    const t = setTimeout(reset, 4000);
    return () => clearTimeout(t);
  }, [saved, reset]);

  const showTable = tableShown || tableMode === "hidden";
  return (
    <figure className={className ? `chart ${className}` : "chart"} aria-label={title}>
      <div className="chart-tools">
        <button
          type="button"
          className="link-button"
          aria-expanded={tableShown}
          aria-controls={showTable ? tableId : undefined}
          aria-label={`${tableShown ? "Hide table" : "Show as table"}: ${title}`}
          onClick={() => setTableShown((s) => !s)}
        >
          {tableShown ? "Hide table" : "Show as table"}
        </button>
        <button
          type="button"
          className="link-button"
          aria-label={`Save as PNG: ${title}`}
          onClick={() => save.mutate(image)}
          disabled={save.isPending || !chart}
        >
          {save.isPending ? "Saving…" : "Save as PNG"}
        </button>
        <span className="status ok" role="status">
          {saved ? "Saved" : ""}
        </span>
      </div>
      <div
        ref={box}
        className="chart-box"
        role="img"
        aria-label={summary ? `${title}. ${summary}` : title}
        style={height === undefined ? undefined : { height }}
      />
      <ErrorNote error={save.error} />
      {showTable && (
        <div id={tableId} className={tableShown ? "chart-table" : "chart-table visually-hidden"}>
          {table}
        </div>
      )}
    </figure>
  );
}
