// The portfolio table: server-side sort from the headers, filter chips, paging and keyboard navigation.
import { act, screen, waitFor, within } from "@testing-library/react";
import { Profiler } from "react";
import { describe, expect, it } from "vitest";

import { App } from "../../app/app";
import type { UseCase } from "../../bindings/UseCase";
import { filterChoices, page } from "../../test/answers";
import { resetBackend } from "../../test/backend";
import { renderApp, renderWith, tableRows } from "../../test/render";

describe("portfolio table", () => {
  it("sorts on the server when a column header is clicked, toggling the direction", async () => {
    const backend = resetBackend();
    const bravo = backend.seed({ title: "Bravo" });
    const alpha = backend.seed({ title: "alpha" });
    const charlie = backend.seed({ title: "Charlie" });
    backend.answer("filter_choices", filterChoices({ stage_counts: [["idea", 3]], total: 3 }));
    // The engine's order for each sort asked (titles sort ignoring case).
    const orders: Record<string, UseCase[]> = { title: [alpha, bravo, charlie], "title:desc": [charlie, bravo, alpha] };
    backend.answer("use_case_list", (req) => page(orders[req.sort ?? ""] ?? [bravo, alpha, charlie]));
    const { user } = renderApp();
    await screen.findByRole("row", { name: /Bravo/ });
    expect(screen.getByRole("columnheader", { name: /Priority/ })).toHaveAttribute("aria-sort", "descending");
    expect(backend.lastCall("use_case_list")!.sort).toBeUndefined();

    await user.click(screen.getByRole("button", { name: /^Title/ }));
    await waitFor(() => expect(backend.lastCall("use_case_list")!.sort).toBe("title"));
    await waitFor(() =>
      expect(tableRows().map((r) => r.textContent?.slice(0, 7))).toEqual(["alpha", "Bravo", "Charlie"].map((t) => expect.stringContaining(t))),
    );
    expect(screen.getByRole("columnheader", { name: /Title/ })).toHaveAttribute("aria-sort", "ascending");

    await user.click(screen.getByRole("button", { name: /^Title/ }));
    await waitFor(() => expect(backend.lastCall("use_case_list")!.sort).toBe("title:desc"));
    await waitFor(() => expect(tableRows()[0]).toHaveTextContent("Charlie"));

    await user.click(screen.getByRole("button", { name: /^Value/ }));
    await waitFor(() => expect(backend.lastCall("use_case_list")!.sort).toBe("value_score:desc"));
    expect(screen.queryByRole("button", { name: /^Tags/ })).not.toBeInTheDocument();
  });

  it("fetches a page at a time, never the whole portfolio", async () => {
    const backend = resetBackend();
    const all = Array.from({ length: 250 }, (_, i) => backend.seed({ title: `Use case ${i}` }));
    backend.answer("filter_choices", filterChoices({ stage_counts: [["idea", 250]], total: 250 }));
    // The page asked for, and the total over all pages.
    backend.answer("use_case_list", ({ offset = 0, limit = all.length }) => page(all.slice(offset, offset + limit), all.length));
    renderApp();
    await waitFor(() => expect(tableRows().length).toBeGreaterThan(10));
    const calls = backend.callsOf("use_case_list");
    expect(calls.every((c) => c.limit === 100)).toBe(true);
    expect(calls[0]).toMatchObject({ offset: 0, limit: 100 });
    expect(tableRows().length).toBeLessThan(100);
    expect(screen.getByText("250 use cases")).toBeInTheDocument();
    expect(screen.getByRole("table", { name: "Use cases" })).toHaveAttribute("aria-rowcount", "251");
  });

  it("shows names, dashes for missing scores and relative dates with the absolute one on hover", async () => {
    const backend = resetBackend();
    const helen = backend.addPerson({ email: "helen@example.org", name: "Helen Carter" });
    backend.seed({ title: "Unscored", owners: { business: helen.email } });
    backend.answer("filter_choices", filterChoices({ stage_counts: [["idea", 1]], total: 1 }));
    renderApp();
    const row = await screen.findByRole("row", { name: /Unscored/ });
    // After the selection checkbox: title, stage, business unit, value, feasibility, priority, quadrant, benefit, owner, tags, updated.
    const cells = within(row).getAllByRole("cell");
    expect(cells[2]).toHaveTextContent("Idea");
    expect(cells[4]).toHaveTextContent("—");
    expect(cells[4]).toHaveClass("num");
    expect(cells[8]).toHaveTextContent("—");
    expect(cells[9]).toHaveTextContent("Helen Carter");
    expect(
      within(cells[11]!)
        .getByText(/ago|\d{4}/)
        .closest("time"),
    ).toHaveAttribute("title", expect.stringMatching(/^\d{4}-\d\d-\d\d /));
  });

  it("adds and removes filter chips, sending the filters to the backend", async () => {
    const backend = resetBackend();
    const triage = backend.seed({ title: "Claims triage", business_unit: "Claims", stage: "pilot", tags: ["nlp"] });
    const invoices = backend.seed({ title: "Invoice matching", business_unit: "Finance", tags: ["ocr"] });
    backend.answer(
      "filter_choices",
      filterChoices({
        business_units: ["Claims", "Finance"],
        tags: ["nlp", "ocr"],
        stage_counts: [
          ["idea", 1],
          ["pilot", 1],
        ],
        total: 2,
      }),
    );
    // With the Claims or the Pilot filter, the engine finds Claims triage alone.
    backend.answer("use_case_list", (req) => page(req.business_unit || req.stage ? [triage] : [triage, invoices]));
    const { user } = renderApp();
    await screen.findByRole("row", { name: /Invoice matching/ });

    await user.selectOptions(screen.getByLabelText("Add a business unit filter"), "Claims");
    const chips = screen.getByRole("list", { name: "Active filters" });
    expect(within(chips).getByText("Business unit: Claims")).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByRole("row", { name: /Invoice matching/ })).not.toBeInTheDocument());
    expect(backend.lastCall("use_case_list")!.business_unit).toEqual(["Claims"]);

    await user.selectOptions(screen.getByLabelText("Add a stage filter"), "pilot");
    expect(within(chips).getByText("Stage: Pilot")).toBeInTheDocument();
    await waitFor(() => expect(backend.lastCall("use_case_list")!).toMatchObject({ business_unit: ["Claims"], stage: ["pilot"] }));
    expect(screen.getByText("1 of 2 use cases match")).toBeInTheDocument();

    await user.click(screen.getByRole("button", { name: "Remove filter Business unit: Claims" }));
    await user.click(screen.getByRole("button", { name: "Remove filter Stage: Pilot" }));
    expect(within(chips).queryAllByRole("listitem")).toHaveLength(0);
    expect(await screen.findByRole("row", { name: /Invoice matching/ })).toBeInTheDocument();
    expect(backend.lastCall("use_case_list")!.business_unit).toBeUndefined();
  });

  it("offers to clear the filters when nothing matches, and searches as you type", async () => {
    const backend = resetBackend();
    const triage = backend.seed({ title: "Claims triage", problem: "Slow claims handling" });
    backend.answer("filter_choices", filterChoices({ stage_counts: [["idea", 1]], total: 1 }));
    // Nothing matches a search for “spaceship”.
    backend.answer("use_case_list", (req) => page(req.search ? [] : [triage]));
    const { user } = renderApp();
    await screen.findByRole("row", { name: /Claims triage/ });

    await user.type(screen.getByRole("searchbox"), "spaceship");
    expect(await screen.findByRole("heading", { name: "No use case matches these filters" })).toBeInTheDocument();
    expect(backend.lastCall("use_case_list")!.search).toBe("spaceship");
    expect(screen.getByText("Text: “spaceship”")).toBeInTheDocument();

    await user.click(screen.getAllByRole("button", { name: "Clear filters" })[0]!);
    expect(await screen.findByRole("row", { name: /Claims triage/ })).toBeInTheDocument();
    expect(screen.getByRole("searchbox")).toHaveValue("");
  });

  it("filters by stage from the sidebar counts", async () => {
    const backend = resetBackend();
    const idea = backend.seed({ title: "At idea" });
    const pilot = backend.seed({ title: "At pilot", stage: "pilot" });
    backend.answer(
      "filter_choices",
      filterChoices({
        stage_counts: [
          ["idea", 1],
          ["pilot", 1],
        ],
        total: 2,
      }),
    );
    backend.answer("use_case_list", (req) => page(req.stage?.includes("pilot") ? [pilot] : [idea, pilot]));
    const { user } = renderApp();
    await screen.findByRole("row", { name: /At idea/ });
    const stages = screen.getByRole("list", { name: "Filter by stage" });
    expect(within(stages).getByRole("button", { name: /Pilot/ })).toHaveTextContent("1");
    await user.click(within(stages).getByRole("button", { name: /Pilot/ }));
    await waitFor(() => expect(screen.queryByRole("row", { name: /At idea/ })).not.toBeInTheDocument());
    expect(backend.callsOf("use_case_list").at(-1)).toMatchObject({ stage: ["pilot"] });
    expect(screen.getByText("Stage: Pilot")).toBeInTheDocument();
    expect(within(stages).getByRole("button", { name: /Pilot/ })).toHaveAttribute("aria-pressed", "true");
  });

  it("moves between rows with the arrow keys and opens one with Enter; Esc closes it", async () => {
    const backend = resetBackend();
    backend.seed({ title: "First" });
    backend.seed({ title: "Second" });
    backend.answer("filter_choices", filterChoices({ stage_counts: [["idea", 2]], total: 2 }));
    const { user } = renderApp();
    await screen.findByRole("row", { name: /Second/ });
    const [first, second] = tableRows();
    expect(first).toHaveAttribute("tabindex", "0");
    expect(second).toHaveAttribute("tabindex", "-1");

    act(() => first!.focus());
    await user.keyboard("{ArrowDown}");
    expect(tableRows()[1]).toHaveFocus();
    await user.keyboard("{Enter}");
    expect(await screen.findByRole("dialog", { name: "Second" })).toBeInTheDocument();
    expect(screen.getByRole("tab", { name: "Overview" })).toHaveFocus();

    await user.keyboard("{Escape}");
    await waitFor(() => expect(screen.queryByRole("dialog", { name: "Second" })).not.toBeInTheDocument());
    expect(tableRows()[1]).toHaveFocus();
  });

  it("settles after new rows arrive instead of re-rendering forever", async () => {
    // Regression: TanStack Table's page-index auto-reset re-rendered on every new `data`
    // array, which spun the webview at 100% CPU after a sort.
    const backend = resetBackend();
    for (let i = 1; i <= 5; i++) backend.seed({ title: `Demo use case ${String(i).padStart(3, "0")}`, demo: true });
    backend.answer("filter_choices", filterChoices({ stage_counts: [["idea", 5]], total: 5 }));
    let renders = 0;
    const { user } = renderWith(
      <Profiler id="app" onRender={() => void renders++}>
        <App />
      </Profiler>,
    );
    await screen.findByRole("row", { name: /Demo use case 001/ });
    await user.click(screen.getByRole("button", { name: /^Title/ }));
    await waitFor(() => expect(backend.lastCall("use_case_list")!.sort).toBe("title"));
    await act(() => new Promise((r) => setTimeout(r, 200)));
    const settled = renders;
    await act(() => new Promise((r) => setTimeout(r, 200)));
    expect(renders).toBe(settled);
  });
});
