// Outcomes: KPIs are added (a repeated name refused at the field), actuals recorded with their status, and the realised benefit is editable from Pilot on only.
import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import type { Kpi } from "../../../bindings/Kpi";
import type { UseCase } from "../../../bindings/UseCase";
import { historyEntry } from "../../../test/answers";
import { resetBackend } from "../../../test/backend";
import { openUseCase, renderApp } from "../../../test/render";

/** A KPI as the engine answers it: not measured yet unless stated. */
function kpiOf(fields: Partial<Kpi> & Pick<Kpi, "use_case_id" | "name" | "target">): Kpi {
  return {
    id: "kpi-1",
    unit: "",
    baseline: null,
    direction: "higher",
    due: null,
    created_at: "2025-01-01T09:00:00Z",
    actuals: [],
    status: "not-measured",
    ...fields,
  };
}

async function openOutcomes(user: ReturnType<typeof renderApp>["user"], title: string) {
  const panel = await openUseCase(user, title);
  await user.click(within(panel).getByRole("tab", { name: "Outcomes" }));
  return panel;
}

function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

describe("outcomes", () => {
  it("adds a KPI, then refuses a second one of the same name beside the name", async () => {
    const backend = resetBackend();
    const uc = backend.seed({ title: "Claims triage", stage: "pilot" });
    const kpis: Kpi[] = [];
    backend.answer("kpi_list", () => kpis);
    backend.answer("kpi_add", (n) => {
      // A target below the baseline: the engine answers lower is better.
      const added = kpiOf({
        use_case_id: n.use_case_id,
        name: n.name,
        unit: n.unit ?? "",
        baseline: n.baseline ?? null,
        target: n.target,
        due: n.due ?? null,
        direction: "lower",
      });
      kpis.push(added);
      return added;
    });
    const { user } = renderApp();
    const panel = await openOutcomes(user, "Claims triage");
    expect(await within(panel).findByText(/No KPIs yet/)).toBeInTheDocument();

    await user.click(within(panel).getByRole("button", { name: "Add KPI" }));
    const form = within(panel).getByRole("form", { name: "New KPI" });
    await user.click(within(form).getByRole("button", { name: "Add KPI" }));
    expect(within(form).getByLabelText("Name")).toHaveAccessibleDescription("A KPI needs a name, e.g. Average handling time.");
    expect(within(form).getByLabelText("Target")).toHaveAccessibleDescription("Give the value to reach.");
    expect(backend.callsOf("kpi_add")).toHaveLength(0);

    await user.type(within(form).getByLabelText("Name"), "Average handling time");
    await user.type(within(form).getByLabelText("Unit"), "min");
    await user.type(within(form).getByLabelText("Baseline"), "12");
    await user.type(within(form).getByLabelText("Target"), "8");
    await user.type(within(form).getByLabelText("Due date"), "2026-06-30");
    await user.click(within(form).getByRole("button", { name: "Add KPI" }));

    const kpi = await within(panel).findByRole("listitem", { name: "Average handling time" });
    expect(backend.callsOf("kpi_add")).toEqual([
      { use_case_id: uc.id, name: "Average handling time", unit: "min", baseline: 12, target: 8, due: "2026-06-30" },
    ]);
    expect(kpi).toHaveTextContent("12 min → 8 min (lower is better)");
    expect(kpi).toHaveTextContent("Due2026-06-30");
    expect(kpi).toHaveTextContent("Not measured yet");
    expect(within(kpi).getByText("Not measured")).toBeInTheDocument();

    // The name is taken, whatever its case: the engine refuses it.
    backend.failNext("kpi_add", { code: "conflict", message: "“Claims triage” already has a KPI named “average handling time”", field: "name" });
    await user.click(within(panel).getByRole("button", { name: "Add KPI" }));
    const again = within(panel).getByRole("form", { name: "New KPI" });
    await user.type(within(again).getByLabelText("Name"), "average handling time");
    await user.type(within(again).getByLabelText("Target"), "6");
    await user.click(within(again).getByRole("button", { name: "Add KPI" }));
    const name = within(again).getByLabelText("Name");
    await waitFor(() => expect(name).toHaveAccessibleDescription("“Claims triage” already has a KPI named “average handling time”"));
    expect(name).toHaveAttribute("aria-invalid", "true");
    expect(within(panel).getAllByRole("listitem", { name: /handling time/i })).toHaveLength(1);
  });

  it("records an actual (dated today unless changed) and shows the status and the actuals", async () => {
    const backend = resetBackend();
    const uc = backend.seed({ title: "Claims triage", stage: "production" });
    const added = kpiOf({ use_case_id: uc.id, name: "Average handling time", unit: "min", baseline: 12, target: 8, direction: "lower" });
    // What the engine answers to each actual: first one on a day measured earlier (at the target: on track), then today's
    // (above it: off track, the latest deciding), oldest first.
    const earlier = "2025-01-31";
    const first = { ...added, actuals: [{ on: earlier, value: 7.5, recorded_by: "tess@example.org" }], status: "on-track" } satisfies Kpi;
    const second = { ...added, actuals: [...first.actuals, { on: today(), value: 11, recorded_by: "tess@example.org" }], status: "off-track" } satisfies Kpi;
    const answers = [first, second];
    let current: Kpi = added;
    backend.answer("kpi_list", () => [current]);
    backend.answer("kpi_record", () => (current = answers.shift()!));
    const { user } = renderApp();
    const panel = await openOutcomes(user, "Claims triage");
    const kpi = await within(panel).findByRole("listitem", { name: "Average handling time" });

    await user.click(within(kpi).getByRole("button", { name: "Record actual for “Average handling time”" }));
    let dialog = screen.getByRole("dialog", { name: "Record actual: Average handling time" });
    expect(within(dialog).getByLabelText("Measured on")).toHaveValue(today());
    await user.clear(within(dialog).getByLabelText("Measured on"));
    await user.type(within(dialog).getByLabelText("Measured on"), earlier);
    await user.type(within(dialog).getByLabelText("Value (min)"), "7.5");
    await user.click(within(dialog).getByRole("button", { name: "Record" }));
    await waitFor(() => expect(screen.queryByRole("dialog", { name: /Record actual/ })).not.toBeInTheDocument());
    expect(backend.callsOf("kpi_record")).toEqual([{ kpi_id: added.id, value: 7.5, on: earlier }]);
    await waitFor(() => expect(within(kpi).getByText("On track")).toBeInTheDocument());
    expect(kpi).toHaveTextContent(`7.5 min on ${earlier}`);

    await user.click(within(kpi).getByRole("button", { name: "Record actual for “Average handling time”" }));
    dialog = screen.getByRole("dialog", { name: "Record actual: Average handling time" });
    await user.type(within(dialog).getByLabelText("Value (min)"), "11 min");
    await user.click(within(dialog).getByRole("button", { name: "Record" }));
    expect(within(dialog).getByLabelText("Value (min)")).toHaveAccessibleDescription("Enter a plain number such as 12.5 (no unit or commas).");
    await user.clear(within(dialog).getByLabelText("Value (min)"));
    await user.type(within(dialog).getByLabelText("Value (min)"), "11");
    await user.click(within(dialog).getByRole("button", { name: "Record" }));
    await waitFor(() => expect(within(kpi).getByText("Off track")).toBeInTheDocument());
    expect(backend.callsOf("kpi_record")[1]).toEqual({ kpi_id: added.id, value: 11, on: today() });
    await user.click(within(kpi).getByText("All actuals (2)"));
    const rows = within(within(kpi).getByRole("table")).getAllByRole("row").slice(1);
    expect(rows.map((r) => r.textContent)).toEqual([`${earlier}7.5 mintess@example.org`, `${today()}11 mintess@example.org`]);

    backend.answer("use_case_history", [
      historyEntry({ kind: "kpi", field: "Average handling time", new: { unit: "min", baseline: 12, target: 8, direction: "lower", due: null } }),
      historyEntry({ kind: "kpi_actual", field: "Average handling time", new: 7.5, note: `measured on ${earlier}` }),
      historyEntry({ kind: "kpi_actual", field: "Average handling time", new: 11, note: `measured on ${today()}` }),
    ]);
    await user.click(within(panel).getByRole("tab", { name: "History" }));
    expect(await within(panel).findAllByText("KPI actual recorded")).toHaveLength(2);
    expect(within(panel).getByText("KPI added")).toBeInTheDocument();
  });

  it("records the realised benefit beside the expected one from Pilot on, and not before", async () => {
    const backend = resetBackend();
    backend.seed({ title: "Doc extraction", stage: "proof-of-concept", expected_benefit: 250000 });
    const live = backend.seed({ title: "Claims triage", stage: "pilot", expected_benefit: 250000 });
    backend.seed({ title: "Churn radar", stage: "parked", left_stage: "production" });
    backend.answer("use_case_set_fields", (req) => backend.update(req.id, req.fields as Partial<UseCase>));
    const { user } = renderApp();

    let panel = await openOutcomes(user, "Doc extraction");
    expect(await within(panel).findByText("The realised benefit is recorded from Pilot on.")).toBeInTheDocument();
    expect(within(panel).queryByLabelText(/Realised annual benefit/)).not.toBeInTheDocument();
    expect(within(panel).getByRole("tabpanel")).toHaveTextContent("Expected€250,000 a yearRealisedNot recorded");

    panel = await openOutcomes(user, "Claims triage");
    const field = await within(panel).findByLabelText("Realised annual benefit (EUR)");
    await user.type(field, "180000");
    expect(field).toHaveAccessibleDescription("€180,000 a year");
    await user.click(within(panel).getByRole("button", { name: "Save" }));
    await waitFor(() => expect(within(panel).getByTestId("realised-benefit")).toHaveTextContent("€180,000 a year"));
    expect(within(panel).getByRole("status")).toHaveTextContent("Saved");
    expect(backend.callsOf("use_case_set_fields")).toEqual([{ id: live.id, expect_version: 1, fields: { realised_benefit: 180000 } }]);

    backend.failNext("use_case_set_fields", { code: "validation", field: "realised_benefit", message: "the value must be a plain number such as 250000" });
    await user.clear(within(panel).getByLabelText("Realised annual benefit (EUR)"));
    await user.type(within(panel).getByLabelText("Realised annual benefit (EUR)"), "190000");
    await user.click(within(panel).getByRole("button", { name: "Save" }));
    await waitFor(() =>
      expect(within(panel).getByLabelText("Realised annual benefit (EUR)")).toHaveAccessibleDescription("the value must be a plain number such as 250000"),
    );

    panel = await openOutcomes(user, "Churn radar");
    expect(await within(panel).findByLabelText("Realised annual benefit (EUR)")).toBeInTheDocument();
  });
});
