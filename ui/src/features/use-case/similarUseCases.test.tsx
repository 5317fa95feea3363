// Similar use cases while typing: asked once typing pauses with a title of 3 characters or more, shown with their similarity, opened only after the panel asks about the typed text; in Overview, itself left out.
import { act, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { resetBackend } from "../../test/backend";
import { openUseCase, renderApp } from "../../test/render";

describe("similar use cases while typing", () => {
  it("lists what looks like the new title, and asks before leaving the typed text to open one", async () => {
    const backend = resetBackend();
    const invoice = backend.seed({ title: "Invoice data extraction", problem: "Invoices keyed by hand" });
    backend.seed({ title: "Fleet maintenance forecasting" });
    // What the engine finds like the typed title: the invoice one, a third alike.
    backend.answer("similar_to_draft", [{ id: invoice.id, title: invoice.title, similarity: 0.333 }]);
    const { user } = renderApp();
    await user.click(await screen.findByRole("button", { name: /^New use case/ }));
    const panel = await screen.findByRole("dialog", { name: "New use case" });
    const title = within(panel).getByLabelText(/^Title/);

    await user.type(title, "In");
    await act(() => new Promise((r) => setTimeout(r, 300)));
    expect(backend.callsOf("similar_to_draft")).toHaveLength(0);

    await user.type(title, "voice extraction");
    const list = await within(panel).findByRole("list", { name: "Similar use cases" });
    expect(
      within(list)
        .getAllByRole("listitem")
        .map((li) => li.textContent),
    ).toEqual(["Invoice data extraction33% similar"]);
    // Asked only once typing paused, never for a title too short.
    expect(backend.callsOf("similar_to_draft").at(-1)).toEqual({ title: "Invoice extraction", problem: "", solution: "", exclude: undefined });
    expect(backend.callsOf("similar_to_draft").every((d) => d.title.length >= 3)).toBe(true);

    await user.click(within(list).getByRole("button", { name: "Invoice data extraction" }));
    expect(screen.getByText("You have unsaved changes in this form.")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Keep editing" }));
    expect(within(panel).getByLabelText(/^Title/)).toHaveValue("Invoice extraction");

    await user.click(within(list).getByRole("button", { name: "Invoice data extraction" }));
    await user.click(screen.getByRole("button", { name: "Discard changes" }));
    expect(await screen.findByRole("dialog", { name: invoice.title })).toBeInTheDocument();
  });

  it("shows similar ones in Overview while the title is edited, leaving the use case itself out", async () => {
    const backend = resetBackend();
    const mine = backend.seed({ title: "Claims email routing", problem: "Emails sorted by hand" });
    const other = backend.seed({ title: "Claims email classification", problem: "Emails sorted by hand" });
    // The engine leaves out the use case named by `exclude`: here, only the other one is like it.
    backend.answer("similar_to_draft", [{ id: other.id, title: other.title, similarity: 0.72 }]);
    const { user } = renderApp();
    const panel = await openUseCase(user, "Claims email routing");
    // Nothing edited yet: nothing asked.
    await act(() => new Promise((r) => setTimeout(r, 300)));
    expect(within(panel).queryByRole("list", { name: "Similar use cases" })).not.toBeInTheDocument();

    await user.type(within(panel).getByLabelText(/^Title/), " and triage");
    const list = await within(panel).findByRole("list", { name: "Similar use cases" });
    expect(within(list).getAllByRole("listitem")).toHaveLength(1);
    expect(list).toHaveTextContent("Claims email classification");
    await waitFor(() => expect(backend.callsOf("similar_to_draft").at(-1)).toMatchObject({ title: "Claims email routing and triage", exclude: mine.id }));
  });
});
