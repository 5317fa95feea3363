// Bulk edit: selecting rows (checkbox, Shift-click range, Space, select all), applying one change to them all, and the summary of what did not change and why.
import { act, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { filterChoices } from "../../test/answers";
import { resetBackend } from "../../test/backend";
import { renderApp, tableRows } from "../../test/render";

const owned = { business: "helen@example.org" };

function seed() {
  const backend = resetBackend();
  backend.addPerson({ email: "helen@example.org", name: "Helen Carter" });
  const a = backend.seed({ title: "Alpha claims", owners: owned, problem: "Slow claims", tags: ["nlp", "claims"] });
  const b = backend.seed({ title: "Bravo invoices", tags: ["ocr"] });
  const c = backend.seed({ title: "Charlie churn", owners: owned, problem: "Customers leave" });
  backend.answer("filter_choices", filterChoices({ tags: ["claims", "nlp", "ocr"], stage_counts: [["idea", 3]], total: 3 }));
  return { backend, a, b, c };
}

const bar = () => screen.getByRole("group", { name: "Bulk edit" });
const cellsOf = (title: string) => within(screen.getByRole("row", { name: new RegExp(title) })).getAllByRole("cell");

describe("bulk edit", () => {
  it("moves the selected use cases and says which did not move, and why", async () => {
    const { backend, a, b, c } = seed();
    // The engine moves the two whose gate is met and refuses Bravo invoices, saying what its gate misses.
    backend.answer("bulk_edit", () => {
      for (const id of [a.id, c.id]) backend.update(id, { stage: "assessment" });
      return {
        changed: [a.id, c.id],
        refused: [
          {
            id: b.id,
            title: "Bravo invoices",
            reason: "“Bravo invoices” cannot move to Assessment yet: 2 requirement(s) missing",
            details: ["missing: a business owner", "missing: a problem statement"],
          },
        ],
      };
    });
    const { user } = renderApp();
    await screen.findByRole("row", { name: /Charlie churn/ });
    expect(screen.queryByRole("group", { name: "Bulk edit" })).not.toBeInTheDocument();

    // A click on the checkbox selects without opening the use case; Shift-click selects the range.
    await user.click(screen.getByTestId(`select-${a.id}`));
    expect(screen.queryByRole("dialog", { name: "Alpha claims" })).not.toBeInTheDocument();
    expect(within(bar()).getByText("1 selected")).toBeInTheDocument();
    await user.keyboard("{Shift>}");
    await user.click(screen.getByTestId(`select-${c.id}`));
    await user.keyboard("{/Shift}");
    expect(within(bar()).getByText("3 selected")).toBeInTheDocument();
    expect(screen.getByTestId(`select-${b.id}`)).toBeChecked();
    expect(screen.getByRole("checkbox", { name: "Select all loaded use cases" })).toBeChecked();

    await user.click(within(bar()).getByRole("button", { name: "Set stage…" }));
    const dialog = screen.getByRole("dialog", { name: "Move 3 use cases" });
    await user.selectOptions(within(dialog).getByLabelText("Move to"), "Assessment");
    await user.click(within(dialog).getByRole("button", { name: "Apply" }));

    expect((await screen.findByText("2 moved; 1 not moved")).closest("[role=status]")).toBeInTheDocument();
    const notMoved = screen.getByRole("list", { name: "Not moved" });
    expect(notMoved).toHaveTextContent("Bravo invoices");
    expect(notMoved).toHaveTextContent("“Bravo invoices” cannot move to Assessment yet: 2 requirement(s) missing");
    expect(within(notMoved).getByText("missing: a business owner")).toBeInTheDocument();
    expect(within(notMoved).getByText("missing: a problem statement")).toBeInTheDocument();

    expect(backend.callsOf("bulk_edit")).toEqual([{ ids: [a.id, b.id, c.id], change: { kind: "stage", to: "assessment" } }]);
    // The table refreshed and the selection is gone.
    await waitFor(() => expect(within(screen.getByRole("row", { name: /Alpha claims/ })).getByText("Assessment")).toBeInTheDocument());
    expect(cellsOf("Charlie churn")[2]).toHaveTextContent("Assessment");
    expect(cellsOf("Bravo invoices")[2]).toHaveTextContent("Idea");
    expect(screen.queryByRole("group", { name: "Bulk edit" })).not.toBeInTheDocument();
    expect(screen.getByTestId(`select-${a.id}`)).not.toBeChecked();

    // A refused use case opens from the summary, to fix it.
    await user.click(within(notMoved).getByRole("button", { name: "Bravo invoices" }));
    expect(await screen.findByRole("dialog", { name: "Bravo invoices" })).toBeInTheDocument();
  });

  it("selects with Space on the focused row and with the header checkbox, and edits tags", async () => {
    const { backend, a, b, c } = seed();
    // The tags the engine leaves each use case with.
    backend.answer("bulk_edit", () => {
      backend.update(a.id, { tags: ["claims", "urgent", "q3"] });
      backend.update(c.id, { tags: ["urgent", "q3"] });
      return { changed: [a.id, c.id], refused: [] };
    });
    const { user } = renderApp();
    await screen.findByRole("row", { name: /Charlie churn/ });

    act(() => tableRows()[1]!.focus());
    await user.keyboard(" ");
    expect(within(bar()).getByText("1 selected")).toBeInTheDocument();
    expect(screen.getByTestId(`select-${b.id}`)).toBeChecked();
    const all = screen.getByRole("checkbox", { name: "Select all loaded use cases" });
    expect(all).toHaveProperty("indeterminate", true);
    await user.keyboard(" ");
    expect(screen.queryByRole("group", { name: "Bulk edit" })).not.toBeInTheDocument();

    await user.click(all);
    expect(within(bar()).getByText("3 selected")).toBeInTheDocument();
    await user.click(all);
    expect(screen.queryByRole("group", { name: "Bulk edit" })).not.toBeInTheDocument();

    await user.click(screen.getByTestId(`select-${a.id}`));
    await user.click(screen.getByTestId(`select-${c.id}`));
    await user.click(within(bar()).getByRole("button", { name: "Tags…" }));
    const dialog = screen.getByRole("dialog", { name: "Tags of 2 use cases" });
    await user.click(within(dialog).getByRole("button", { name: "Apply" }));
    expect(within(dialog).getByLabelText("Add tags")).toHaveAccessibleDescription(/Give tags to add, to remove, or both/);
    expect(backend.callsOf("bulk_edit")).toHaveLength(0);
    await user.type(within(dialog).getByLabelText("Add tags"), "urgent, q3");
    await user.type(within(dialog).getByLabelText("Remove tags"), "NLP");
    await user.click(within(dialog).getByRole("button", { name: "Apply" }));

    expect(await screen.findByText("2 changed")).toBeInTheDocument();
    expect(backend.callsOf("bulk_edit")).toEqual([{ ids: [a.id, c.id], change: { kind: "tags", add: ["urgent", "q3"], remove: ["NLP"] } }]);
    await waitFor(() => expect(screen.getByRole("row", { name: /Alpha claims/ })).toHaveTextContent("claims, urgent, q3"));
    expect(screen.getByRole("row", { name: /Charlie churn/ })).toHaveTextContent("urgent, q3");
  });

  it("sets an owner (adding someone new) and a business unit, and clears the selection on request", async () => {
    const { backend, a, b } = seed();
    backend.answer("bulk_edit", (req) => {
      const { change } = req;
      if (change.kind === "owner") {
        // The engine adds Sam to the people and makes them the technical owner of both.
        backend.addPerson({ email: "sam@example.org", name: "Sam Architect" });
        for (const id of req.ids) backend.update(id, { owners: { ...backend.useCases.get(id)!.owners, technical: "sam@example.org" } });
      } else if (change.kind === "business_unit") {
        for (const id of req.ids) backend.update(id, { business_unit: change.business_unit });
      }
      return { changed: req.ids, refused: [] };
    });
    const { user } = renderApp();
    await screen.findByRole("row", { name: /Charlie churn/ });
    await user.click(screen.getByTestId(`select-${a.id}`));
    await user.click(screen.getByTestId(`select-${b.id}`));
    await user.click(within(bar()).getByRole("button", { name: "Set owner…" }));
    const dialog = screen.getByRole("dialog", { name: "Set an owner of 2 use cases" });
    await user.selectOptions(within(dialog).getByLabelText("Role"), "Technical owner (architect)");
    await user.type(within(dialog).getByLabelText("Email"), "sam@example.org");
    await user.type(within(dialog).getByLabelText("Name (for someone new)"), "Sam Architect");
    await user.click(within(dialog).getByRole("button", { name: "Apply" }));

    expect(await screen.findByText("2 changed")).toBeInTheDocument();
    expect(backend.callsOf("bulk_edit")).toEqual([
      { ids: [a.id, b.id], change: { kind: "owner", role: "technical", person: { email: "sam@example.org", name: "Sam Architect" } } },
    ]);
    expect(screen.queryByRole("dialog", { name: "Set an owner of 2 use cases" })).not.toBeInTheDocument();

    await user.click(screen.getByTestId(`select-${a.id}`));
    await user.click(within(bar()).getByRole("button", { name: "Set business unit…" }));
    const unit = screen.getByRole("dialog", { name: "Set the business unit of 1 use case" });
    await user.type(within(unit).getByLabelText("Business unit"), "Claims");
    await user.click(within(unit).getByRole("button", { name: "Apply" }));
    expect(await screen.findByText("1 changed")).toBeInTheDocument();
    expect(backend.callsOf("bulk_edit").at(-1)).toEqual({ ids: [a.id], change: { kind: "business_unit", business_unit: "Claims" } });
    await waitFor(() => expect(cellsOf("Alpha claims")[3]).toHaveTextContent("Claims"));

    await user.click(screen.getByTestId(`select-${a.id}`));
    await user.click(within(bar()).getByRole("button", { name: "Clear selection" }));
    expect(screen.queryByRole("group", { name: "Bulk edit" })).not.toBeInTheDocument();
    expect(screen.getByTestId(`select-${a.id}`)).not.toBeChecked();
  });
});
