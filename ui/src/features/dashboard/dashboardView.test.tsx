// The Dashboard view: the engine's figures shown in cards and charts, opening use cases from its lists, and saving a chart as PNG.
import { act, screen, waitFor, within } from "@testing-library/react";
import * as echarts from "echarts/core";
import { beforeAll, describe, expect, it, vi } from "vitest";

import type { Dashboard } from "../../bindings/Dashboard";
import { PngSourceContext, type PngSource } from "../../components/chart";
import { DashboardView } from "./dashboardView";
import { engine } from "../../test/answers";
import { resetBackend, type Backend } from "../../test/backend";
import { renderWith } from "../../test/render";

beforeAll(() => {
  // jsdom has no canvas to measure text with; a rough width keeps ECharts' layout going.
  echarts.setPlatformAPI({ measureText: (text: string) => ({ width: text.length * 7 }) });
});

/** A 1×1 transparent PNG: jsdom cannot paint one, so the tests hand the view this. */
const PNG = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=";

const ID = { triage: "uc-triage", invoices: "uc-invoices", chatbot: "uc-chatbot" };

const sums = (use_cases: number, expected_benefit = 0, realised_benefit = 0) => ({ use_cases, expected_benefit, realised_benefit });

/**
 * What the engine answers for four live use cases (an archived one left out): Claims triage (Pilot,
 * Claims, €200,000 expected, €50,000 realised, fully scored 5s), Invoice matching (Production,
 * Finance, €100,000, 3s, no technical or data owner), Fraud ideas (Idea, Claims, €30,000, unscored)
 * and Chatbot (in Proof of concept for 122 days, Service, scored low, no data owner); KPIs: one on
 * track, one off track, one not measured.
 */
function portfolioFigures(): Dashboard {
  return {
    ...engine.dashboard,
    total: sums(4, 330_000, 50_000),
    by_stage: {
      idea: sums(1, 30_000),
      assessment: sums(0),
      "proof-of-concept": sums(1),
      pilot: sums(1, 200_000, 50_000),
      production: sums(1, 100_000),
      scaled: sums(0),
      parked: sums(0),
      retired: sums(0),
    },
    by_business_unit: [
      { business_unit: "Claims", ...sums(2, 230_000, 50_000) },
      { business_unit: "Finance", ...sums(1, 100_000) },
      { business_unit: "Service", ...sums(1) },
    ],
    funnel: [
      { stage: "idea", reached: 4, conversion: null },
      { stage: "assessment", reached: 3, conversion: 0.75 },
      { stage: "proof-of-concept", reached: 3, conversion: 1 },
      { stage: "pilot", reached: 2, conversion: 0.667 },
      { stage: "production", reached: 1, conversion: 0.5 },
      { stage: "scaled", reached: 0, conversion: 0 },
    ],
    aging: engine.dashboard.aging.map((a) => (a.stage === "proof-of-concept" ? { ...a, average_days: 122, max_days: 122, stale: 1 } : a)),
    stale_after_days: 90,
    top: [
      { id: ID.triage, title: "Claims triage", stage: "pilot", priority: 100, value_score: 100, feasibility_score: 100 },
      { id: ID.invoices, title: "Invoice matching", stage: "production", priority: 50, value_score: 50, feasibility_score: 50 },
      { id: ID.chatbot, title: "Chatbot", stage: "proof-of-concept", priority: 12.5, value_score: 0, feasibility_score: 25 },
    ],
    ownership_gaps: 2,
    ownership_gaps_listed: [
      { id: ID.invoices, title: "Invoice matching", stage: "production", missing: ["technical", "data"] },
      { id: ID.chatbot, title: "Chatbot", stage: "proof-of-concept", missing: ["data"] },
    ],
    kpi_status: { "on-track": 1, "off-track": 1, "not-measured": 1 },
    benefits: { use_cases: 2, recorded: 1, expected_benefit: 300_000, realised_benefit: 50_000, expected_where_recorded: 200_000 },
  };
}

function seed(): { backend: Backend; ids: typeof ID } {
  const backend = resetBackend();
  backend.answer("dashboard_get", portfolioFigures());
  return { backend, ids: ID };
}

function renderDashboard(png: PngSource = async () => PNG) {
  const onOpen = vi.fn();
  const view = renderWith(
    <PngSourceContext.Provider value={png}>
      <DashboardView onOpen={onOpen} />
    </PngSourceContext.Provider>,
  );
  return { onOpen, ...view };
}

const card = (name: string) => screen.getByRole("article", { name });
const figure = (name: string) => screen.getByRole("figure", { name });
/** A table's body rows as text, cell by cell. */
const rowsOf = (table: HTMLElement) => [...table.querySelectorAll("tbody tr")].map((r) => [...r.querySelectorAll("th, td")].map((c) => c.textContent));

describe("dashboard", () => {
  it("shows the headline figures and the counts by stage, unit, funnel and age", async () => {
    seed();
    renderDashboard();

    const glance = await screen.findByRole("article", { name: "At a glance" });
    expect(within(glance).getByText("Use cases").nextElementSibling).toHaveTextContent("4");
    expect(within(glance).getByText("Expected annual benefit").nextElementSibling).toHaveTextContent("€330,000");
    expect(within(glance).getByText("Realised benefit").nextElementSibling).toHaveTextContent("€50,000");
    expect(glance).toHaveTextContent("against €200,000 expected by the 1 use case that recorded it (25%)");

    const byStage = within(card("Use cases by stage")).getByRole("table", { name: "Use cases by stage" });
    expect(rowsOf(byStage)).toEqual([
      ["Idea", "1", "€30,000", "€0"],
      ["Assessment", "0", "€0", "€0"],
      ["Proof of concept", "1", "€0", "€0"],
      ["Pilot", "1", "€200,000", "€50,000"],
      ["Production", "1", "€100,000", "€0"],
      ["Scaled", "0", "€0", "€0"],
      ["Parked", "0", "€0", "€0"],
      ["Retired", "0", "€0", "€0"],
    ]);
    expect(rowsOf(within(card("Use cases by business unit")).getByRole("table"))).toEqual([
      ["Claims", "2", "€230,000", "€50,000"],
      ["Finance", "1", "€100,000", "€0"],
      ["Service", "1", "€0", "€0"],
    ]);
    expect(rowsOf(within(card("Stage funnel")).getByRole("table"))).toEqual([
      ["Idea", "4", "the first stage"],
      ["Assessment", "3", "75% of those at Idea"],
      ["Proof of concept", "3", "100% of those at Assessment"],
      ["Pilot", "2", "67% of those at Proof of concept"],
      ["Production", "1", "50% of those at Pilot"],
      ["Scaled", "0", "0% of those at Production"],
    ]);
    const aging = card("Time in stage");
    expect(aging).toHaveTextContent("1 use case has been in the same stage for more than 90 days");
    expect(within(within(aging).getByRole("table")).getByRole("row", { name: /Proof of concept/ })).toHaveTextContent(/Proof of concept122122\s*1/);

    // Each chart is there with its name, drawn in bars labelled with their figures.
    const stageChart = within(figure("Use cases by stage")).getByRole("img", { name: "Use cases by stage" });
    expect(await within(stageChart).findByText("1 · €200K")).toBeInTheDocument();
  });

  it("lists the top use cases and the ownership gaps, and opens them", async () => {
    const { ids } = seed();
    const { onOpen, user } = renderDashboard();

    const top = within(await screen.findByRole("article", { name: "Top use cases by priority" })).getByRole("table");
    expect(rowsOf(top)).toEqual([
      ["1", "Claims triage", "Pilot", "100.0", "100.0", "100.0"],
      ["2", "Invoice matching", "Production", "50.0", "50.0", "50.0"],
      ["3", "Chatbot", "Proof of concept", "12.5", "0.0", "25.0"],
    ]);
    await user.click(within(top).getByRole("button", { name: "Invoice matching" }));
    expect(onOpen).toHaveBeenLastCalledWith(ids.invoices);

    const gaps = card("Ownership gaps");
    expect(gaps).toHaveTextContent("2 use cases past Assessment lack a technical or a data owner.");
    const items = within(gaps).getAllByRole("listitem");
    expect(items.map((li) => li.textContent)).toEqual([
      "Invoice matchingProductionMissing: technical owner, data owner",
      "ChatbotProof of conceptMissing: data owner",
    ]);
    await user.click(within(gaps).getByRole("button", { name: "Chatbot" }));
    expect(onOpen).toHaveBeenLastCalledWith(ids.chatbot);
  });

  it("counts KPIs by status and compares realised with expected benefit", async () => {
    seed();
    renderDashboard();

    const kpis = await screen.findByRole("article", { name: "KPI status" });
    expect(within(kpis).getByRole("list", { name: "KPIs by status" })).toHaveTextContent("On track 1Off track 1Not measured 1");
    expect(await within(figure("KPI status")).findByText("On track: 1")).toBeInTheDocument();

    const benefits = card("Realised against expected benefit");
    expect(benefits).toHaveTextContent(
      "Recorded by 1 of 2 use cases at Pilot or later. They realised €50,000 against €200,000 expected (25%). All 2 expect €300,000.",
    );
    expect(rowsOf(within(benefits).getByRole("table"))).toEqual([
      ["Expected, all 2 at Pilot or later", "€300,000"],
      ["Expected, the 1 that recorded", "€200,000"],
      ["Realised, the 1 that recorded", "€50,000"],
    ]);
  });

  it("shows a chart's table on request", async () => {
    seed();
    const { user } = renderDashboard();
    await screen.findByRole("article", { name: "At a glance" });
    const f = figure("Stage funnel");
    const toggle = within(f).getByRole("button", { name: "Show as table: Stage funnel" });
    expect(toggle).toHaveAttribute("aria-expanded", "false");
    expect(within(f).getByRole("table").parentElement).toHaveClass("visually-hidden");
    await user.click(toggle);
    expect(within(f).getByRole("button", { name: "Hide table: Stage funnel" })).toHaveAttribute("aria-expanded", "true");
    expect(within(f).getByRole("table").parentElement).not.toHaveClass("visually-hidden");
  });

  it("saves a chart as PNG where the person chooses, and nothing when they cancel", async () => {
    const { backend } = seed();
    const png = vi.fn<PngSource>(async () => PNG);
    const { user } = renderDashboard(png);
    await screen.findByRole("article", { name: "At a glance" });

    const f = figure("Use cases by stage");
    // The person picks a file in the save dialog: the engine writes it and says so.
    backend.answer("chart_save_png", true);
    await user.click(within(f).getByRole("button", { name: "Save as PNG: Use cases by stage" }));
    await waitFor(() => expect(within(f).getByRole("status")).toHaveTextContent("Saved"));
    expect(backend.callsOf("chart_save_png")).toEqual([{ name: "use-cases-by-stage", data_url: PNG }]);
    // Painted on the card's background, so the image reads the same outside the app.
    expect(png).toHaveBeenCalledWith(expect.anything(), { renderer: "svg", background: "#ffffff" });

    const k = figure("KPI status");
    // The person closes the save dialog: nothing is written.
    backend.answer("chart_save_png", false);
    await user.click(within(k).getByRole("button", { name: "Save as PNG: KPI status" }));
    await waitFor(() => expect(backend.callsOf("chart_save_png")).toHaveLength(2));
    await waitFor(() => expect(within(k).getByRole("button", { name: "Save as PNG: KPI status" })).toBeEnabled());
    expect(within(k).getByRole("status")).toHaveTextContent(/^$/);
    expect(within(k).queryByRole("alert")).not.toBeInTheDocument();
  });

  it("paints with the dark theme's colours once the OS switches to dark", async () => {
    // jsdom has no matchMedia: stand in for the OS's colour scheme.
    let dark = false;
    const listeners = new Set<() => void>();
    const query = {
      get matches() {
        return dark;
      },
      addEventListener: (_: string, l: () => void) => listeners.add(l),
      removeEventListener: (_: string, l: () => void) => listeners.delete(l),
    };
    Object.defineProperty(window, "matchMedia", { configurable: true, value: () => query });
    try {
      const { backend } = seed();
      backend.answer("chart_save_png", true);
      const png = vi.fn<PngSource>(async () => PNG);
      const { user } = renderDashboard(png);
      await screen.findByRole("article", { name: "At a glance" });
      const save = () => user.click(within(figure("Stage funnel")).getByRole("button", { name: "Save as PNG: Stage funnel" }));
      await save();
      await waitFor(() => expect(png).toHaveBeenLastCalledWith(expect.anything(), { renderer: "svg", background: "#ffffff" }));

      document.documentElement.style.setProperty("--bg", "#16181c");
      dark = true;
      act(() => listeners.forEach((l) => l()));
      await save();
      await waitFor(() => expect(png).toHaveBeenLastCalledWith(expect.anything(), { renderer: "svg", background: "#16181c" }));
    } finally {
      Reflect.deleteProperty(window, "matchMedia");
      document.documentElement.style.removeProperty("--bg");
    }
  });

  it("says why a chart could not be saved", async () => {
    const { backend } = seed();
    backend.failNext("chart_save_png", { code: "io", message: "cannot write /charts/stages.png: the disk is full" });
    const { user } = renderDashboard();
    await screen.findByRole("article", { name: "At a glance" });
    const f = figure("Time in stage");
    await user.click(within(f).getByRole("button", { name: "Save as PNG: Time in stage" }));
    expect(await within(f).findByRole("alert")).toHaveTextContent("cannot write /charts/stages.png: the disk is full");
    expect(within(f).getByRole("status")).toHaveTextContent(/^$/);
  });

  it("teaches when there is nothing yet, and says when the figures cannot be read", async () => {
    resetBackend();
    const first = renderDashboard();
    expect(await screen.findByRole("heading", { name: "Nothing to sum up yet" })).toBeInTheDocument();
    first.unmount();

    const backend = resetBackend();
    backend.failNext("dashboard_get", { code: "io", message: "the portfolio store cannot be read; check the disk" });
    renderDashboard();
    expect(await screen.findByRole("alert")).toHaveTextContent("the portfolio store cannot be read; check the disk");
  });
});
