// The Matrix view: scored use cases only, the shared filters, opening a use case from the chart or its table, and weight sensitivity.
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import type userEvent from "@testing-library/user-event";
import * as echarts from "echarts/core";
import { beforeAll, describe, expect, it, vi } from "vitest";

import { MatrixView } from "./matrixView";
import type { Matrix } from "../../bindings/Matrix";
import type { MatrixPoint } from "../../bindings/MatrixPoint";
import type { Quadrant } from "../../bindings/Quadrant";
import type { UseCase } from "../../bindings/UseCase";
import type { UseCaseSensitivity } from "../../bindings/UseCaseSensitivity";
import { engine, filterChoices } from "../../test/answers";
import { resetBackend, type Backend } from "../../test/backend";
import { renderWith } from "../../test/render";

beforeAll(() => {
  // jsdom has no canvas to measure text with; a rough width keeps ECharts' layout going.
  echarts.setPlatformAPI({ measureText: (text: string) => ({ width: text.length * 7 }) });
});

/** A use case on the matrix, with the scores and quadrant the engine gives it. */
function point(uc: UseCase, value_score: number, feasibility_score: number, quadrant: Quadrant): MatrixPoint {
  const { id, title, stage, business_unit, expected_benefit } = uc;
  return { id, title, stage, business_unit, value_score, feasibility_score, quadrant, expected_benefit };
}

function matrix(points: MatrixPoint[], unscored: number): Matrix {
  return { ...engine.matrix, points, unscored };
}

/** Each scored use case in ranking order, volatile where `reasons` say so (by id). */
function sensitivity(backend: Backend, points: MatrixPoint[], reasons: Record<string, string[]> = {}) {
  backend.answer("sensitivity_get", (top) => {
    const use_cases: UseCaseSensitivity[] = points.map((p, i) => ({
      id: p.id,
      title: p.title,
      stage: p.stage,
      quadrant: p.quadrant,
      rank: i + 1,
      volatile: (reasons[p.id] ?? []).length > 0,
      reasons: reasons[p.id] ?? [],
    }));
    return { top, scored: points.length, volatile: use_cases.filter((u) => u.volatile).length, use_cases };
  });
}

function seed() {
  const backend = resetBackend();
  const triage = backend.seed({ title: "Claims triage", stage: "pilot", business_unit: "Claims", expected_benefit: 250_000 });
  const invoices = backend.seed({ title: "Invoice matching", stage: "idea", business_unit: "Finance" });
  backend.seed({ title: "Fraud ideas", stage: "idea", business_unit: "Claims" });
  backend.seed({ title: "Chatbot", stage: "assessment", business_unit: "Service" });
  backend.answer(
    "filter_choices",
    filterChoices({
      business_units: ["Claims", "Finance", "Service"],
      stage_counts: [
        ["idea", 2],
        ["assessment", 1],
        ["pilot", 1],
      ],
      total: 4,
    }),
  );
  // The engine's matrix: Claims triage a quick win (75 / 75), Invoice matching to deprioritise (18.8 / 25), the other
  // two not fully scored. In Finance only Invoice matching; nothing scored in Finance at Assessment.
  const quickWin = point(triage, 75, 75, "quick-win");
  const low = point(invoices, 18.75, 25, "deprioritise");
  backend.answer("matrix_get", (filters) =>
    filters.stage?.length ? matrix([], 0) : filters.business_unit?.includes("Finance") ? matrix([low], 0) : matrix([quickWin, low], 2),
  );
  const onMatrix = [quickWin, low];
  sensitivity(backend, onMatrix);
  return { backend, triage, invoices, onMatrix };
}

function renderMatrix(openId: string | null = null) {
  const onOpen = vi.fn();
  return { onOpen, ...renderWith(<MatrixView onOpen={onOpen} openId={openId} />) };
}

const chart = () => screen.getByRole("img", { name: /^Value against feasibility/ });
const figure = () => screen.getByRole("figure", { name: "Value against feasibility" });

/**
 * Where a use case with these scores is drawn, and the surface that takes the mouse there.
 * jsdom lays nothing out, so the chart's own scale finds the spot; the events then go through
 * ECharts' hit testing as a real mouse's would.
 */
async function spotOf(feasibility: number, value: number) {
  const img = chart();
  // Painted on the next animation frame.
  await waitFor(() => expect(img.querySelector("path")).not.toBeNull());
  const instance = echarts.getInstanceByDom(img);
  if (!instance) throw new Error("no chart drawn");
  const [clientX, clientY] = instance.convertToPixel({ gridIndex: 0 }, [feasibility, value]) as number[];
  return { surface: img.firstElementChild as Element, at: { clientX, clientY } };
}

async function clickChartAt(feasibility: number, value: number) {
  const { surface, at } = await spotOf(feasibility, value);
  fireEvent.mouseMove(surface, at);
  fireEvent.mouseDown(surface, at);
  fireEvent.mouseUp(surface, at);
  fireEvent.click(surface, at);
}

async function showTable(user: ReturnType<typeof userEvent.setup>) {
  await user.click(within(figure()).getByRole("button", { name: "Show as table: Value against feasibility" }));
  return within(figure()).getByRole("table");
}

const titlesIn = (table: HTMLElement) =>
  within(table)
    .getAllByRole("row")
    .slice(1)
    .map((r) => within(r).getByRole("button").textContent);

describe("matrix", () => {
  it("places only fully scored use cases, says how many are left off, and opens one clicked on the chart", async () => {
    const { triage } = seed();
    const { onOpen, user } = renderMatrix();

    expect(await screen.findByText("2 use cases are not fully scored and are not on the matrix.")).toBeInTheDocument();
    expect(screen.getByText("2 use cases on the matrix")).toBeInTheDocument();
    expect(chart()).toHaveAccessibleName(/2 use cases: Quick win 1, Strategic bet 0, Fill-in 0, Deprioritise 1/);
    // The legend names the stages drawn, and the quadrants their corners.
    expect(await within(chart()).findByText("Pilot")).toBeInTheDocument();
    expect(within(chart()).getByText("Quick win")).toBeInTheDocument();
    expect(within(chart()).getByText("Deprioritise")).toBeInTheDocument();

    // Empty space opens nothing; the bubble where Claims triage's scores put it opens it.
    await clickChartAt(50, 95);
    expect(onOpen).not.toHaveBeenCalled();
    await clickChartAt(75, 75);
    expect(onOpen).toHaveBeenCalledWith(triage.id);

    const table = await showTable(user);
    expect(titlesIn(table)).toEqual(["Claims triage", "Invoice matching"]);
    const row = within(table).getByRole("row", { name: /Claims triage/ });
    expect(row).toHaveTextContent("Pilot");
    expect(row).toHaveTextContent("Claims");
    expect(row).toHaveTextContent("75.0");
    expect(row).toHaveTextContent("Quick win");
    expect(row).toHaveTextContent("€250,000");
    expect(row).toHaveTextContent("Stable");
  });

  it("shows a use case's details on hover", async () => {
    const { backend, triage, onMatrix } = seed();
    sensitivity(backend, onMatrix, { [triage.id]: ["strategic-fit −20%: leaves the top 10"] });
    renderMatrix();
    await screen.findByText("2 use cases on the matrix");
    await waitFor(() => expect(screen.getByText(/1 of 2 scored use cases is volatile/)).toBeInTheDocument());

    const { surface, at } = await spotOf(75, 75);
    fireEvent.mouseMove(surface, at);
    await waitFor(() =>
      expect(chart()).toHaveTextContent(
        /Claims triage.*Pilot · Claims.*Value 75\.0 · Feasibility 75\.0 · Quick win.*Expected benefit €250,000.*Volatile: strategic-fit −20%: leaves the top 10/,
      ),
    );
  });

  it("asks for the use cases the shared filters allow", async () => {
    const { backend, invoices } = seed();
    const { onOpen, user } = renderMatrix();
    await screen.findByText("2 use cases on the matrix");
    expect(await screen.findByTestId("filter-stage")).toBeInTheDocument();

    await user.selectOptions(screen.getByTestId("filter-business_unit"), "Finance");
    await waitFor(() => expect(screen.getByText("1 use case on the matrix")).toBeInTheDocument());
    expect(backend.callsOf("matrix_get").at(-1)).toEqual({ business_unit: ["Finance"] });
    expect(screen.queryByText(/not fully scored/)).not.toBeInTheDocument();

    const table = await showTable(user);
    expect(titlesIn(table)).toEqual(["Invoice matching"]);
    await user.click(within(table).getByRole("button", { name: "Invoice matching" }));
    expect(onOpen).toHaveBeenCalledWith(invoices.id);

    // Nothing scored passes the filters: say so, and offer to clear them.
    await user.selectOptions(screen.getByTestId("filter-stage"), "Assessment");
    const empty = await screen.findByRole("region", { name: "No scored use case matches these filters" });
    expect(backend.callsOf("matrix_get").at(-1)).toEqual({ business_unit: ["Finance"], stage: ["assessment"] });
    await user.click(within(empty).getByRole("button", { name: "Clear filters" }));
    expect(await screen.findByText("2 use cases on the matrix")).toBeInTheDocument();
  });

  it("marks volatile use cases, lists why, filters to them, and sends the top-N line", async () => {
    const { backend, triage, onMatrix } = seed();
    sensitivity(backend, onMatrix, { [triage.id]: ["strategic-fit +20%: quick-win → strategic-bet", "strategic-fit −20%: leaves the top 10"] });
    const { onOpen, user } = renderMatrix();

    expect(await screen.findByText(/^1 of 2 scored use cases is volatile: .* top-10 line\.$/)).toBeInTheDocument();
    expect(backend.callsOf("sensitivity_get")).toEqual([10]);
    expect(await within(chart()).findByText("Volatile")).toBeInTheDocument();
    expect(chart()).toHaveAccessibleName(/1 volatile/);

    const list = screen.getByRole("region", { name: "Volatile use cases on the matrix" });
    expect(within(list).getAllByRole("listitem")).toHaveLength(1);
    expect(within(list).getByRole("listitem")).toHaveTextContent(
      "Claims triage #1 · strategic-fit +20%: quick-win → strategic-bet; strategic-fit −20%: leaves the top 10",
    );
    await user.click(within(list).getByRole("button", { name: "Claims triage" }));
    expect(onOpen).toHaveBeenCalledWith(triage.id);

    const n = screen.getByRole("spinbutton", { name: "Top-N line" });
    await user.clear(n);
    expect(screen.getByText("N is a whole number of at least 1, such as 10.")).toBeInTheDocument();
    await user.type(n, "5");
    await waitFor(() => expect(screen.getByText(/top-5 line/)).toBeInTheDocument());
    expect(backend.callsOf("sensitivity_get")).toEqual([10, 5]);
    expect(screen.queryByText(/N is a whole number/)).not.toBeInTheDocument();

    await user.click(screen.getByRole("checkbox", { name: "Show volatile only" }));
    expect(screen.getByText("1 of 2 use cases shown (volatile only)")).toBeInTheDocument();
    const table = await showTable(user);
    expect(titlesIn(table)).toEqual(["Claims triage"]);
    expect(within(table).getByRole("row", { name: /Claims triage/ })).toHaveTextContent("Volatile: strategic-fit +20%: quick-win → strategic-bet");
  });

  it("highlights the open use case", async () => {
    const { triage } = seed();
    const { user } = renderMatrix(triage.id);
    await screen.findByText("2 use cases on the matrix");
    // Labelled on the chart, marked in the table.
    expect(await within(chart()).findByText("Claims triage")).toBeInTheDocument();
    const table = await showTable(user);
    expect(within(table).getByRole("button", { name: "Claims triage" })).toHaveAttribute("aria-current", "true");
    expect(within(table).getByRole("button", { name: "Invoice matching" })).not.toHaveAttribute("aria-current");
  });

  it("teaches what to do when nothing is scored", async () => {
    const backend = resetBackend();
    backend.seed({ title: "Fraud ideas" });
    backend.answer("matrix_get", matrix([], 1));
    sensitivity(backend, []);
    renderMatrix();
    expect(await screen.findByRole("heading", { name: "No use case is fully scored yet" })).toBeInTheDocument();
    expect(screen.getByText("1 use case is not fully scored and is not on the matrix.")).toBeInTheDocument();
    expect(screen.queryByRole("img")).not.toBeInTheDocument();
  });

  it("says what went wrong when the matrix cannot be read", async () => {
    const backend = resetBackend();
    backend.failNext("matrix_get", { code: "io", message: "the portfolio store cannot be read; check the disk" });
    sensitivity(backend, []);
    renderMatrix();
    expect(await screen.findByRole("alert")).toHaveTextContent("the portfolio store cannot be read; check the disk");
  });
});
