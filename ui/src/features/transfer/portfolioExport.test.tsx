// Export: the whole portfolio or the current view, in the chosen format and file; progress in the dialog and the top bar, Cancel, and errors.
import { act, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import type { Error as BackendError } from "../../bindings/Error";
import { engine, page } from "../../test/answers";
import { resetBackend, type Backend, type Held } from "../../test/backend";
import { renderApp, tableRows } from "../../test/render";

/** What the engine says when a running export is cancelled. */
const CANCELLED: BackendError = { code: "cancelled", message: "The export was cancelled; nothing was written" };

function seed() {
  const backend = resetBackend();
  const triage = backend.seed({ title: "Claims triage", stage: "pilot", problem: "Slow claims" });
  backend.seed({ title: "Claims fraud", stage: "idea" });
  backend.seed({ title: "Invoice matching", stage: "pilot" });
  backend.answer("filter_choices", { ...engine.filter_choices, total: 3 });
  return { backend, triage };
}

/** The next export keeps running until the test lets it finish; Cancel ends it as the engine does. */
function holdExport(backend: Backend): Held {
  const held = backend.holdNext("export_run");
  backend.answer("task_cancel", () => {
    held.reject(CANCELLED);
    return null;
  });
  return held;
}

const exportDialog = () => screen.getByRole("dialog", { name: "Export use cases" });

describe("export", () => {
  it("exports the current view as CSV to the chosen file, and says how many use cases it wrote", async () => {
    const { backend, triage } = seed();
    const all = page([...backend.useCases.values()]);
    // The engine's answer for Pilot use cases matching “claims”: Claims triage alone.
    backend.answer("use_case_list", (q) => (q.search === "claims" && q.stage?.join() === "pilot" ? page([triage]) : all));
    const { user } = renderApp();
    await screen.findByRole("row", { name: /Invoice matching/ });
    await user.selectOptions(screen.getByTestId("filter-stage"), "Pilot");
    await user.type(screen.getByRole("searchbox", { name: "Search use cases" }), "claims");
    await waitFor(() => expect(tableRows()).toHaveLength(1));

    await user.click(screen.getByRole("button", { name: "Export…" }));
    const dialog = exportDialog();
    // With filters set, the current view is what is offered first, in the chips' words.
    const view = await within(dialog).findByRole("radio", { name: "Current view: Stage: Pilot · Text: “claims” (1 use case)" });
    expect(view).toBeChecked();
    expect(view).toHaveFocus();
    expect(await within(dialog).findByRole("radio", { name: "Whole portfolio (3 use cases)" })).not.toBeChecked();
    expect(within(dialog).getByRole("radio", { name: "Leadership pack (Excel .xlsx)" })).toBeChecked();
    await user.click(within(dialog).getByRole("radio", { name: "Portfolio sheet (CSV)" }));

    backend.answer("export_choose_path", "/exports/claims.csv");
    backend.answer("export_run", { path: "/exports/claims.csv", format: "csv", use_cases: 1 });
    await user.click(within(dialog).getByRole("button", { name: "Export…" }));
    await waitFor(() => expect(within(dialog).getByRole("status")).toHaveTextContent("Exported 1 use case to /exports/claims.csv"));
    expect(backend.callsOf("export_choose_path")).toEqual(["csv"]);
    expect(backend.callsOf("export_run")).toEqual([{ path: "/exports/claims.csv", format: "csv", filters: { stage: ["pilot"], search: "claims" } }]);

    // The whole portfolio sends no filters at all.
    await user.click(within(dialog).getByRole("radio", { name: /^Whole portfolio/ }));
    await user.click(within(dialog).getByRole("radio", { name: "Leadership pack (Excel .xlsx)" }));
    backend.answer("export_choose_path", "/exports/pack.xlsx");
    backend.answer("export_run", { path: "/exports/pack.xlsx", format: "xlsx", use_cases: 3 });
    await user.click(within(dialog).getByRole("button", { name: "Export…" }));
    await waitFor(() => expect(within(dialog).getByRole("status")).toHaveTextContent("Exported 3 use cases to /exports/pack.xlsx"));
    expect(backend.callsOf("export_choose_path")[1]).toBe("xlsx");
    expect(backend.callsOf("export_run")[1]).toEqual({ path: "/exports/pack.xlsx", format: "xlsx", filters: {} });
  });

  it("does nothing when the person closes the save dialog, and offers no current view without filters", async () => {
    const { backend } = seed();
    const { user } = renderApp();
    await screen.findByRole("row", { name: /Invoice matching/ });
    await user.click(screen.getByRole("button", { name: "Export…" }));
    const dialog = exportDialog();
    expect(within(dialog).getByRole("radio", { name: /^Whole portfolio/ })).toBeChecked();
    expect(within(dialog).getByRole("radio", { name: "Current view" })).toBeDisabled();

    backend.answer("export_choose_path", null);
    await user.click(within(dialog).getByRole("button", { name: "Export…" }));
    await waitFor(() => expect(backend.callsOf("export_choose_path")).toEqual(["xlsx"]));
    await waitFor(() => expect(within(dialog).getByRole("button", { name: "Export…" })).toBeEnabled());
    expect(backend.callsOf("export_run")).toHaveLength(0);
    expect(within(dialog).getByRole("status")).toHaveTextContent(/^$/);
    expect(exportDialog()).toBeInTheDocument();
  });

  it("shows progress, goes on when the dialog is closed, and Cancel writes nothing", async () => {
    const { backend } = seed();
    const { user } = renderApp();
    await screen.findByRole("row", { name: /Invoice matching/ });
    await user.click(screen.getByRole("button", { name: "Export…" }));
    backend.answer("export_choose_path", "/exports/pack.xlsx");
    backend.answer("export_run", { path: "/exports/pack.xlsx", format: "xlsx", use_cases: 3 });
    holdExport(backend);
    await user.click(within(exportDialog()).getByRole("button", { name: "Export…" }));

    const bar = await within(exportDialog()).findByRole("progressbar", { name: "Export progress" });
    expect(bar).toHaveAttribute("aria-valuetext", "Preparing the export…");
    act(() => backend.progress({ phase: "Writing use cases", done: 12300, total: 100000 }));
    expect(bar).toHaveAttribute("aria-valuetext", "Writing use cases 12,300 of 100,000");
    expect(bar).toHaveAttribute("aria-valuenow", "12300");
    expect(within(exportDialog()).getByText("Writing use cases 12,300 of 100,000")).toBeInTheDocument();
    expect(within(exportDialog()).getByRole("radio", { name: /^Whole portfolio/ })).toBeDisabled();

    // Closed, it keeps running, shown in the top bar; the rest of the app is usable meanwhile.
    await user.keyboard("{Escape}");
    expect(screen.queryByRole("dialog", { name: "Export use cases" })).not.toBeInTheDocument();
    const note = screen.getByRole("button", { name: "Exporting…" });
    expect(note).toHaveTextContent("Exporting… 12%");
    await user.click(screen.getByRole("row", { name: /Claims fraud/ }));
    expect(await screen.findByRole("dialog", { name: "Claims fraud" })).toBeInTheDocument();
    await user.keyboard("{Escape}");

    await user.click(note);
    const dialog = exportDialog();
    expect(within(dialog).getByRole("button", { name: "Cancel" })).toHaveFocus();
    await user.click(within(dialog).getByRole("button", { name: "Cancel" }));
    await waitFor(() => expect(within(dialog).getByRole("status")).toHaveTextContent("Export cancelled; nothing was written."));
    expect(backend.callsOf("task_cancel")).toHaveLength(1);
    expect(within(dialog).queryByRole("progressbar")).not.toBeInTheDocument();
    expect(within(dialog).queryByRole("alert")).not.toBeInTheDocument();
    expect(within(dialog).getByRole("button", { name: "Export…" })).toHaveFocus();
    expect(backend.listening("task-progress")).toBe(0);
  });

  it("says so in the top bar when an export ends while its dialog is closed", async () => {
    const { backend } = seed();
    const { user } = renderApp();
    await screen.findByRole("row", { name: /Invoice matching/ });
    await user.click(screen.getByRole("button", { name: "Export…" }));
    backend.answer("export_choose_path", "/exports/pack.xlsx");
    backend.answer("export_run", { path: "/exports/pack.xlsx", format: "xlsx", use_cases: 3 });
    const held = holdExport(backend);
    await user.click(within(exportDialog()).getByRole("button", { name: "Export…" }));
    await within(exportDialog()).findByRole("progressbar");
    await user.click(within(exportDialog()).getByRole("button", { name: "Close" }));

    act(() => held.release());
    await user.click(await screen.findByRole("button", { name: "Export finished" }));
    expect(within(exportDialog()).getByRole("status")).toHaveTextContent("Exported 3 use cases to /exports/pack.xlsx");
    // Seen, it is gone from the top bar.
    await user.click(within(exportDialog()).getByRole("button", { name: "Close" }));
    expect(screen.queryByRole("button", { name: "Export finished" })).not.toBeInTheDocument();
  });

  it("shows why the export failed, with the code for support", async () => {
    const { backend } = seed();
    backend.failNext("export_run", { code: "io", message: "cannot write in /exports: permission denied" });
    const { user } = renderApp();
    await screen.findByRole("row", { name: /Invoice matching/ });
    await user.click(screen.getByRole("button", { name: "Export…" }));
    backend.answer("export_choose_path", "/exports/pack.xlsx");
    await user.click(within(exportDialog()).getByRole("button", { name: "Export…" }));
    const alert = await within(exportDialog()).findByRole("alert");
    expect(alert).toHaveTextContent("cannot write in /exports: permission denied");
    expect(within(alert).getByText("io")).toBeInTheDocument();
  });
});
