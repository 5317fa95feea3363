// Saved views: saving the current filters and sort under a name, applying one from the sidebar, deleting one after confirmation.
import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import type { SavedView } from "../../bindings/SavedView";
import { filterChoices, page } from "../../test/answers";
import { resetBackend } from "../../test/backend";
import { renderApp, tableRows } from "../../test/render";

function seed() {
  const backend = resetBackend();
  const triage = backend.seed({ title: "Claims triage", business_unit: "Claims", tags: ["nlp"] });
  const adjuster = backend.seed({ title: "Adjuster assistant", business_unit: "Claims" });
  backend.seed({ title: "Invoice matching", business_unit: "Finance" });
  backend.answer("filter_choices", filterChoices({ business_units: ["Claims", "Finance"], tags: ["nlp"], stage_counts: [["idea", 3]], total: 3 }));
  return { backend, triage, adjuster };
}

const views = () => screen.getByRole("region", { name: "Views" });

describe("saved views", () => {
  it("saves the filters and sort, and a click in the sidebar brings them back", async () => {
    const { backend, triage, adjuster } = seed();
    // The Claims use cases by title, as the engine lists them for the view's query; all three otherwise.
    backend.answer("use_case_list", (req) =>
      req.business_unit?.includes("Claims") && req.sort === "title" ? page([adjuster, triage]) : page([...backend.useCases.values()]),
    );
    // Saved, the view is listed in the sidebar (paging is never part of one).
    backend.answer("saved_view_save", (req) => {
      const view: SavedView = { id: "view-1", name: req.name, query: req.query };
      backend.answer("saved_view_list", [view]);
      return view;
    });
    const { user } = renderApp();
    await screen.findByRole("row", { name: /Invoice matching/ });
    expect(within(views()).getByText(/Save the filters and sort you come back to/)).toBeInTheDocument();

    await user.selectOptions(screen.getByLabelText("Add a business unit filter"), "Claims");
    await user.click(screen.getByRole("button", { name: /^Title/ }));
    await waitFor(() => expect(backend.lastCall("use_case_list")!).toMatchObject({ business_unit: ["Claims"], sort: "title" }));

    await user.click(screen.getByRole("button", { name: "Save view…" }));
    const dialog = screen.getByRole("dialog", { name: "Save view" });
    expect(within(dialog).getByLabelText("Name")).toHaveFocus();
    await user.click(within(dialog).getByRole("button", { name: "Save" }));
    expect(within(dialog).getByLabelText("Name")).toHaveAccessibleDescription("Please give the view a name.");
    expect(backend.callsOf("saved_view_save")).toHaveLength(0);
    await user.type(within(dialog).getByLabelText("Name"), "Claims A–Z");
    await user.click(within(dialog).getByRole("button", { name: "Save" }));

    expect(await screen.findByText("View “Claims A–Z” saved")).toBeInTheDocument();
    expect(screen.queryByRole("dialog", { name: "Save view" })).not.toBeInTheDocument();
    expect(backend.callsOf("saved_view_save")[0]).toEqual({ name: "Claims A–Z", query: { business_unit: ["Claims"], sort: "title" } });
    const saved = await within(views()).findByRole("button", { name: "Claims A–Z" });
    expect(saved).toHaveAttribute("aria-pressed", "true");

    // Elsewhere, with other filters and another sort.
    await user.click(screen.getByRole("button", { name: "Clear filters" }));
    await user.click(screen.getByRole("button", { name: /^Value/ }));
    await user.click(screen.getByRole("button", { name: "Settings" }));
    expect(saved).toHaveAttribute("aria-pressed", "false");

    await user.click(saved);
    expect(await screen.findByRole("heading", { name: "Portfolio" })).toBeInTheDocument();
    expect(within(screen.getByRole("list", { name: "Active filters" })).getByText("Business unit: Claims")).toBeInTheDocument();
    expect(screen.getByRole("columnheader", { name: /Title/ })).toHaveAttribute("aria-sort", "ascending");
    await waitFor(() => expect(tableRows().map((r) => within(r).getAllByRole("cell")[1]!.textContent)).toEqual(["Adjuster assistant", "Claims triage"]));
    expect(saved).toHaveAttribute("aria-pressed", "true");
  });

  it("says when a name replaces a view, and deletes a view only after confirmation", async () => {
    const { backend } = seed();
    backend.answer("saved_view_list", [{ id: "view-1", name: "Finance", query: { business_unit: ["Finance"] } }]);
    backend.answer("saved_view_delete", () => {
      backend.answer("saved_view_list", []);
      return null;
    });
    const { user } = renderApp();
    await within(views()).findByRole("button", { name: "Finance" });

    await user.click(screen.getByRole("button", { name: "Save view…" }));
    const dialog = screen.getByRole("dialog", { name: "Save view" });
    await user.type(within(dialog).getByLabelText("Name"), "finance");
    expect(within(dialog).getByLabelText("Name")).toHaveAccessibleDescription("A view with this name exists: saving replaces it.");
    await user.click(within(dialog).getByRole("button", { name: "Cancel" }));
    expect(backend.callsOf("saved_view_save")).toHaveLength(0);

    await user.click(within(views()).getByRole("button", { name: "Delete view Finance" }));
    const confirm = screen.getByRole("dialog", { name: "Delete the view “Finance”?" });
    await user.click(within(confirm).getByRole("button", { name: "Cancel" }));
    expect(backend.callsOf("saved_view_delete")).toHaveLength(0);

    await user.click(within(views()).getByRole("button", { name: "Delete view Finance" }));
    await user.click(within(screen.getByRole("dialog", { name: "Delete the view “Finance”?" })).getByRole("button", { name: "Delete view" }));
    await waitFor(() => expect(within(views()).queryByRole("button", { name: "Finance" })).not.toBeInTheDocument());
    expect(backend.callsOf("saved_view_delete")).toEqual(["view-1"]);
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
  });
});
