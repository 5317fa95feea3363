// Backup and restore in Settings: backup says where it wrote; restore asks first, then refetches everything.
import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";

import { resetBackend } from "../../test/backend";
import { renderApp, tableRows } from "../../test/render";

const BACKUP = "/backups/portfolio-backup.db";
/** Where the engine keeps the store a restore replaced: beside it, stamped. */
const KEPT = "/home/tess/.local/share/ai-factory-portfolio/portfolio.replaced-20250101T090000000Z.db";

describe("backup", () => {
  it("says where it wrote the backup, and nothing when the person cancels", async () => {
    const backend = resetBackend();
    backend.seed({ title: "Invoice matching" });
    const { user } = renderApp();
    await user.click(await screen.findByRole("button", { name: "Settings" }));
    const section = screen.getByRole("region", { name: "Backup and restore" });

    // The person cancels the save dialog.
    backend.answer("store_backup", null);
    await user.click(within(section).getByRole("button", { name: "Back up…" }));
    await waitFor(() => expect(backend.callsOf("store_backup")).toHaveLength(1));
    await waitFor(() => expect(within(section).getByRole("button", { name: "Back up…" })).toBeEnabled());
    expect(within(section).getByRole("status")).toHaveTextContent(/^$/);

    backend.answer("store_backup", BACKUP);
    await user.click(within(section).getByRole("button", { name: "Back up…" }));
    expect(await within(section).findByText(BACKUP)).toBeInTheDocument();
    expect(within(section).getByRole("status")).toHaveTextContent(`Backed up to ${BACKUP}`);
    expect(backend.callsOf("store_backup")).toEqual([undefined, undefined]);

    backend.failNext("store_backup", { code: "validation", field: "file", message: `${BACKUP} already exists; choose a new file name` });
    await user.click(within(section).getByRole("button", { name: "Back up…" }));
    expect(await within(section).findByRole("alert")).toHaveTextContent("already exists; choose a new file name");
  });
});

describe("restore", () => {
  it("asks first; cancelling does nothing", async () => {
    const backend = resetBackend();
    const { user } = renderApp();
    await user.click(await screen.findByRole("button", { name: "Settings" }));
    await user.click(screen.getByRole("button", { name: "Restore…" }));
    const dialog = screen.getByRole("dialog", { name: "Restore from a backup?" });
    expect(dialog).toHaveTextContent("This replaces the whole portfolio with the backup you choose. The current store is kept beside it.");
    await user.click(within(dialog).getByRole("button", { name: "Cancel" }));
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    expect(backend.callsOf("store_restore")).toHaveLength(0);
  });

  it("after confirmation replaces the portfolio, says where the old one is kept, and refetches everything", async () => {
    const backend = resetBackend();
    backend.seed({ title: "Invoice matching" });
    const churn = backend.seed({ title: "Churn forecast" });
    // The backup chosen holds only “Invoice matching”.
    backend.answer("store_restore", () => {
      backend.useCases.delete(churn.id);
      return KEPT;
    });
    const { user, client } = renderApp();
    await waitFor(() => expect(tableRows()).toHaveLength(2));
    const invalidate = vi.spyOn(client, "invalidateQueries");

    await user.click(screen.getByRole("button", { name: "Settings" }));
    const section = screen.getByRole("region", { name: "Backup and restore" });
    await user.click(within(section).getByRole("button", { name: "Restore…" }));
    await user.click(within(screen.getByRole("dialog", { name: "Restore from a backup?" })).getByRole("button", { name: "Restore" }));

    expect(await within(section).findByText(KEPT)).toBeInTheDocument();
    expect(within(section).getByRole("status")).toHaveTextContent(`Restored. The portfolio it replaced is kept at ${KEPT}`);
    expect(backend.callsOf("store_restore")).toEqual([undefined]);
    expect(invalidate).toHaveBeenCalledWith();

    await user.click(screen.getByRole("button", { name: /^Portfolio/ }));
    await waitFor(() => expect(tableRows()).toHaveLength(1));
    expect(screen.getByRole("row", { name: /Invoice matching/ })).toBeInTheDocument();
  });

  it("shows why a file could not be restored", async () => {
    const backend = resetBackend();
    backend.failNext("store_restore", { code: "corrupt_store", message: "/tmp/notes.txt cannot be restored: it is not an AI Factory Portfolio store" });
    const { user } = renderApp();
    await user.click(await screen.findByRole("button", { name: "Settings" }));
    await user.click(screen.getByRole("button", { name: "Restore…" }));
    await user.click(within(screen.getByRole("dialog")).getByRole("button", { name: "Restore" }));
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("/tmp/notes.txt cannot be restored: it is not an AI Factory Portfolio store");
    expect(within(alert).getByText("corrupt_store")).toBeInTheDocument();
  });
});
