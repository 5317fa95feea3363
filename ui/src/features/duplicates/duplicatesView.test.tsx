// Likely duplicates and merging: the pairs with their similarity, each side opening its use case; the merge dialog (what merging does, which one is kept), the result, and the merged history marked in the one kept.
import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import type { UseCase } from "../../bindings/UseCase";
import { historyEntry, page } from "../../test/answers";
import { resetBackend } from "../../test/backend";
import { openUseCase, renderApp } from "../../test/render";

/** Two use cases as the engine pairs them, `a` first. */
function pair(a: UseCase, b: UseCase, similarity: number) {
  return { a: { id: a.id, title: a.title, similarity }, b: { id: b.id, title: b.title, similarity }, similarity };
}

describe("likely duplicates", () => {
  it("lists the pairs, merges the one chosen into the other, and the history of the one kept shows the merged one's", async () => {
    const backend = resetBackend();
    const helen = backend.addPerson({ email: "helen@example.org", name: "Helen Carter" });
    const old = backend.seed({
      title: "Invoice data extraction",
      problem: "Invoices are keyed by hand",
      tags: ["finance"],
      owners: { business: helen.email },
    });
    const kept = backend.seed({ title: "Invoice data extraction tool", problem: "Invoices are keyed by hand", tags: ["ocr"] });
    const fleet = backend.seed({ title: "Fleet maintenance forecasting", problem: "Breakdowns" });
    backend.answer("duplicate_pairs", [pair(old, kept, 0.88)]);
    backend.answer("use_case_merge", (req) => {
      // The engine's merge: the one kept takes what it lacked, the other is archived, and the kept one's history shows both.
      const survivor = backend.update(req.keep_id, { tags: ["ocr", "finance"], owners: { ...kept.owners, business: helen.email } });
      backend.update(req.other_id, { archived: true });
      backend.answer("duplicate_pairs", []);
      backend.answer("use_case_list", page([survivor, fleet]));
      backend.answer("use_case_history", (id) =>
        id === kept.id
          ? [
              historyEntry({ kind: "create", at: "2025-01-01T09:00:00Z", new: { title: old.title, stage: "idea" }, merged_from: old.title }),
              historyEntry({ kind: "create", at: "2025-01-02T09:00:00Z", new: { title: kept.title, stage: "idea" } }),
              historyEntry({ kind: "merge", at: "2025-01-03T09:00:00Z", new: { kept: kept.id, merged: old.id, merged_title: old.title } }),
            ]
          : [],
      );
      return survivor;
    });
    const { user } = renderApp();
    await user.click(await screen.findByRole("button", { name: "Likely duplicates" }));

    const table = await screen.findByRole("table", { name: "Likely duplicate pairs" });
    const rows = within(table).getAllByRole("row").slice(1);
    expect(rows.map((r) => r.textContent)).toEqual(["Invoice data extractionInvoice data extraction tool88%Merge…"]);
    expect(screen.getByText("1 pair")).toBeInTheDocument();

    // Either side opens its use case over the view.
    await user.click(within(rows[0]!).getByRole("button", { name: "Invoice data extraction tool" }));
    expect(await screen.findByRole("dialog", { name: "Invoice data extraction tool" })).toBeInTheDocument();
    await user.keyboard("{Escape}");

    await user.click(within(rows[0]!).getByRole("button", { name: "Merge “Invoice data extraction” and “Invoice data extraction tool”…" }));
    const dialog = await screen.findByRole("dialog", { name: "Merge two use cases" });
    expect(dialog).toHaveTextContent("The other is archived (nothing is deleted), and its history shows in the one kept.");
    const keepFirst = within(dialog).getByRole("radio", { name: "Keep “Invoice data extraction”" });
    expect(keepFirst).toBeChecked();
    expect(keepFirst).toHaveAccessibleDescription("“Invoice data extraction tool” is merged into it and archived.");
    await user.click(within(dialog).getByRole("radio", { name: "Keep “Invoice data extraction tool”" }));
    await user.click(within(dialog).getByRole("button", { name: "Merge" }));

    expect(await screen.findByText("Merged “Invoice data extraction” into “Invoice data extraction tool”.")).toHaveAttribute("role", "status");
    expect(screen.queryByRole("dialog", { name: "Merge two use cases" })).not.toBeInTheDocument();
    expect(backend.callsOf("use_case_merge")).toEqual([{ keep_id: kept.id, other_id: old.id }]);
    // The pairs are asked again after the merge.
    expect(await screen.findByText("No likely duplicates: no two live use cases are that much alike.")).toBeInTheDocument();

    await user.click(screen.getByRole("button", { name: /^Portfolio/ }));
    const panel = await openUseCase(user, "Invoice data extraction tool");
    await user.click(within(panel).getByRole("tab", { name: "History" }));
    const merge = await within(panel).findAllByRole("row", { name: /Merged/ });
    expect(merge[0]).toHaveTextContent("“Invoice data extraction” merged into this one");
    const proposed = within(panel).getAllByRole("row", { name: /Proposed/ });
    // Newest first: its own proposal, then the older one of the use case merged into it.
    expect(proposed.map((r) => r.querySelector(".merged-from")?.textContent ?? "")).toEqual(["", "from merged “Invoice data extraction”"]);
  });

  it("shows a refused merge in the dialog and keeps it open", async () => {
    const backend = resetBackend();
    const a = backend.seed({ title: "Claims email routing", problem: "Emails sorted by hand" });
    const b = backend.seed({ title: "Claims email routing", problem: "Emails sorted by hand" });
    backend.answer("duplicate_pairs", [pair(a, b, 1)]);
    backend.failNext("use_case_merge", { code: "validation", field: "other", message: "“Claims email routing” was already merged into uc-0009" });
    const { user } = renderApp();
    await user.click(await screen.findByRole("button", { name: "Likely duplicates" }));
    await user.click(await screen.findByRole("button", { name: /^Merge “Claims email routing”/ }));
    const dialog = await screen.findByRole("dialog", { name: "Merge two use cases" });
    await user.click(within(dialog).getByRole("button", { name: "Merge" }));
    expect(await within(dialog).findByRole("alert")).toHaveTextContent("was already merged into uc-0009");
    await user.click(within(dialog).getByRole("button", { name: "Cancel" }));
    expect(screen.queryByRole("dialog", { name: "Merge two use cases" })).not.toBeInTheDocument();
  });

  it("merges from the use case panel with another found by its title, then shows the one kept", async () => {
    const backend = resetBackend();
    const chatbot = backend.seed({ title: "Customer chatbot" });
    const assistant = backend.seed({ title: "Service assistant", problem: "Customers wait on the phone" });
    // What the engine finds by the title typed, and what the merge leaves live.
    backend.answer("use_case_list", (q) => (q?.search ? page([assistant]) : page([...backend.useCases.values()])));
    backend.answer("use_case_merge", (req) => {
      backend.update(req.other_id, { archived: true });
      const survivor = backend.update(req.keep_id, {});
      backend.answer("use_case_list", page([survivor]));
      return survivor;
    });
    const { user } = renderApp();
    const panel = await openUseCase(user, "Customer chatbot");
    await user.click(within(panel).getByRole("button", { name: "Merge…" }));
    const dialog = await screen.findByRole("dialog", { name: "Merge two use cases" });
    const search = within(dialog).getByLabelText("Merge “Customer chatbot” with…");
    expect(search).toHaveFocus();
    expect(within(dialog).getByRole("button", { name: "Merge" })).toBeDisabled();

    await user.type(search, "serv");
    await user.click(await within(dialog).findByRole("radio", { name: "Service assistant" }));
    expect(backend.callsOf("use_case_list")).toContainEqual({ search: "serv", sort: "title", limit: 8 });
    await user.click(within(dialog).getByRole("radio", { name: "Keep “Service assistant”" }));
    await user.click(within(dialog).getByRole("button", { name: "Merge" }));

    expect(await screen.findByRole("dialog", { name: "Service assistant" })).toBeInTheDocument();
    expect(backend.callsOf("use_case_merge")).toEqual([{ keep_id: assistant.id, other_id: chatbot.id }]);
    expect(await screen.findByText("Merged “Customer chatbot” into “Service assistant”")).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByRole("row", { name: /Customer chatbot/ })).not.toBeInTheDocument());
  });
});
