// Archive and delete: an archived use case leaves the table unless "Show archived" is on; delete asks first.
import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { engine, page } from "../../test/answers";
import { resetBackend, type Backend } from "../../test/backend";
import { openUseCase, renderApp, tableRows } from "../../test/render";

/**
 * The engine's answers about what is archived: the list leaves archived use cases out unless the request
 * includes them, the filter choices count the live ones, and archiving answers the use case marked so.
 */
function archiving(backend: Backend) {
  const all = () => [...backend.useCases.values()];
  const live = () => all().filter((uc) => !uc.archived);
  backend.answer("use_case_list", (q) => page(q.include_archived ? all() : live()));
  backend.answer("filter_choices", () => ({ ...engine.filter_choices, total: live().length }));
  backend.answer("use_case_set_archived", (req) => backend.update(req.id, { archived: req.archived }));
}

/** The engine's answers to a delete: the use case is gone from the store (and so from the list). */
function deleting(backend: Backend) {
  archiving(backend);
  backend.answer("use_case_delete", (id) => {
    backend.useCases.delete(id);
    return null;
  });
}

/** The title cells (after the selection checkbox). */
const titles = () => tableRows().map((r) => within(r).getAllByRole("cell")[1]!.textContent);

describe("archive", () => {
  it("hides an archived use case unless Show archived is on, where it is marked", async () => {
    const backend = resetBackend();
    const uc = backend.seed({ title: "Invoice matching" });
    backend.seed({ title: "Churn forecast" });
    archiving(backend);
    const { user } = renderApp();
    const panel = await openUseCase(user, "Invoice matching");

    await user.click(within(panel).getByRole("button", { name: "Archive" }));
    expect(await within(panel).findByRole("button", { name: "Restore from archive" })).toBeInTheDocument();
    expect(within(panel).getByText("Archived", { selector: ".badge" })).toBeInTheDocument();
    expect(backend.callsOf("use_case_set_archived")).toEqual([{ id: uc.id, archived: true }]);
    expect((await screen.findByRole("button", { name: "Undo" })).closest("[role=status]")).toHaveTextContent(/^Archived.*Undo$/);
    await waitFor(() => expect(titles()).toEqual(["Churn forecast"]));

    const toggle = screen.getByRole("checkbox", { name: "Show archived" });
    expect(toggle).toHaveAttribute("id", "show-archived");
    await user.click(toggle);
    await waitFor(() => expect(tableRows()).toHaveLength(2));
    expect(backend.callsOf("use_case_list").at(-1)).toMatchObject({ include_archived: true });
    const row = screen.getByRole("row", { name: /Invoice matching/ });
    expect(row).toHaveClass("archived");
    expect(within(row).getByText("Archived")).toBeInTheDocument();
    expect(screen.getByRole("row", { name: /Churn forecast/ })).not.toHaveClass("archived");
    expect(screen.getByText("2 use cases (archived included)")).toBeInTheDocument();

    await user.click(screen.getByRole("button", { name: "Remove filter Archived shown" }));
    await waitFor(() => expect(titles()).toEqual(["Churn forecast"]));
    expect(toggle).not.toBeChecked();

    await user.click(within(panel).getByRole("button", { name: "Restore from archive" }));
    await waitFor(() => expect(tableRows()).toHaveLength(2));
    expect(backend.callsOf("use_case_set_archived").at(-1)).toEqual({ id: uc.id, archived: false });
  });

  it("with every use case archived, offers Show archived instead of the empty-portfolio welcome", async () => {
    const backend = resetBackend();
    backend.seed({ title: "Invoice matching", archived: true });
    archiving(backend);
    const { user } = renderApp();
    expect(await screen.findByText(/Archived use cases are hidden/)).toBeInTheDocument();
    expect(screen.queryByRole("heading", { name: "Your portfolio is empty" })).not.toBeInTheDocument();
    await user.click(screen.getByRole("checkbox", { name: "Show archived" }));
    await waitFor(() => expect(titles()).toEqual(["ArchivedInvoice matching"]));
  });
});

describe("delete", () => {
  it("asks first, naming the use case; cancelling does nothing", async () => {
    const backend = resetBackend();
    backend.seed({ title: "Invoice matching" });
    deleting(backend);
    const { user } = renderApp();
    const panel = await openUseCase(user, "Invoice matching");

    await user.click(within(panel).getByRole("button", { name: "Delete…" }));
    const dialog = screen.getByRole("dialog", { name: "Delete “Invoice matching”?" });
    expect(dialog).toHaveTextContent("Its history is kept in the change log.");
    expect(within(dialog).getByRole("button", { name: "Cancel" })).toHaveFocus();
    await user.click(within(dialog).getByRole("button", { name: "Cancel" }));
    expect(screen.queryByRole("dialog", { name: /^Delete/ })).not.toBeInTheDocument();

    // Esc answers the question, not the panel.
    await user.click(within(panel).getByRole("button", { name: "Delete…" }));
    await user.keyboard("{Escape}");
    expect(screen.queryByRole("dialog", { name: /^Delete/ })).not.toBeInTheDocument();
    expect(screen.getByRole("dialog", { name: "Invoice matching" })).toBeInTheDocument();
    expect(backend.callsOf("use_case_delete")).toHaveLength(0);
  });

  it("deletes after confirmation, closes the panel and refreshes the list", async () => {
    const backend = resetBackend();
    const uc = backend.seed({ title: "Invoice matching" });
    backend.seed({ title: "Churn forecast" });
    deleting(backend);
    const { user } = renderApp();
    const panel = await openUseCase(user, "Invoice matching");
    // Unsaved edits do not hold the panel open once the use case is gone.
    await user.type(within(panel).getByLabelText("Proposed solution"), "An assistant");

    await user.click(within(panel).getByRole("button", { name: "Delete…" }));
    await user.click(within(screen.getByRole("dialog", { name: /^Delete/ })).getByRole("button", { name: "Delete" }));

    await waitFor(() => expect(screen.queryByRole("dialog", { name: "Invoice matching" })).not.toBeInTheDocument());
    expect(screen.queryByRole("alertdialog")).not.toBeInTheDocument();
    expect(backend.callsOf("use_case_delete")).toEqual([uc.id]);
    await waitFor(() => expect(titles()).toEqual(["Churn forecast"]));
    expect(screen.getByText("Deleted “Invoice matching”")).toBeInTheDocument();
  });

  it("keeps the question open and says why when the delete is refused", async () => {
    const backend = resetBackend();
    backend.seed({ title: "Invoice matching" });
    backend.failNext("use_case_delete", { code: "io", message: "the store is busy in another program; try again" });
    const { user } = renderApp();
    const panel = await openUseCase(user, "Invoice matching");
    await user.click(within(panel).getByRole("button", { name: "Delete…" }));
    const dialog = screen.getByRole("dialog", { name: /^Delete/ });
    await user.click(within(dialog).getByRole("button", { name: "Delete" }));
    expect(await within(dialog).findByRole("alert")).toHaveTextContent("the store is busy in another program; try again");
    expect(screen.getByRole("dialog", { name: "Invoice matching" })).toBeInTheDocument();
  });
});
