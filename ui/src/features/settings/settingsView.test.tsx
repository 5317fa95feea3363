// Settings: the scoring model editor saves a new version and shows errors beside the criterion; the identity form saves; the registry card leads to Sync.
import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { syncReport, syncStatus } from "../../test/answers";
import { resetBackend } from "../../test/backend";
import { renderApp } from "../../test/render";

async function openSettings(user: ReturnType<typeof import("@testing-library/user-event").default.setup>) {
  await user.click(await screen.findByRole("button", { name: "Settings" }));
  return screen.findByRole("form", { name: "Scoring model" });
}

describe("settings", () => {
  it("shows the engine's error beside the criterion it names and keeps the draft", async () => {
    const backend = resetBackend();
    backend.failNext("scoring_model_save", {
      code: "validation",
      field: "value.strategic-fit",
      message: "the weight of `strategic-fit` must be above 0 and at most 100",
    });
    const { user } = renderApp();
    const editor = await openSettings(user);
    const weights = within(editor).getAllByLabelText("Weight");
    await user.clear(weights[0]!);
    await user.type(weights[0]!, "0");
    await user.click(within(editor).getByRole("button", { name: "Save" }));

    const criterion = await within(editor).findByRole("group", { name: "Strategic fit" });
    expect(await within(criterion).findByText("the weight of `strategic-fit` must be above 0 and at most 100")).toBeInTheDocument();
    expect(criterion).toHaveAccessibleDescription(/must be above 0/);
    expect(weights[0]).toHaveValue("0");
    expect(backend.callsOf("scoring_model_save")).toEqual([expect.objectContaining({ version: 1 })]);
    expect(backend.callsOf("scoring_model_save")[0]!.value[0]).toMatchObject({ slug: "strategic-fit", weight: 0 });
    expect(editor).toHaveTextContent("Active version 1.");
  });

  it("adds a criterion (slug from its name) and saves a new model version", async () => {
    const backend = resetBackend();
    backend.answer("scoring_model_save", (m) => (backend.model = { ...m, version: 2 }));
    const { user } = renderApp();
    const editor = await openSettings(user);
    await user.click(within(editor).getByRole("button", { name: "Add value criterion" }));
    const fresh = within(editor).getByRole("group", { name: "New criterion 3" });
    await user.type(within(fresh).getByLabelText("Name"), "Customer reach");
    expect(within(editor).getByRole("group", { name: "Customer reach" })).toBeInTheDocument();
    expect(within(fresh).getByLabelText("Slug")).toHaveValue("customer-reach");
    for (const n of [1, 2, 3, 4, 5]) await user.type(within(fresh).getByLabelText(`Score ${n} means`), `Reach ${n}`);
    await user.click(within(editor).getByRole("button", { name: "Save" }));

    expect(await screen.findByText("Saved as version 2; every use case was re-scored.")).toBeInTheDocument();
    expect(backend.callsOf("scoring_model_save")[0]!.value.at(-1)).toEqual({
      slug: "customer-reach",
      name: "Customer reach",
      weight: 1,
      rubric: { "1": "Reach 1", "2": "Reach 2", "3": "Reach 3", "4": "Reach 4", "5": "Reach 5" },
    });
    expect(screen.getByRole("form", { name: "Scoring model" })).toHaveTextContent("Active version 2.");
  });

  it("edits the identity", async () => {
    const backend = resetBackend();
    backend.answer("identity_set", (id) => id);
    const { user } = renderApp();
    await openSettings(user);
    const name = screen.getByLabelText("Your name");
    await waitFor(() => expect(name).toHaveValue("Tess Tester"));
    await user.clear(name);
    await user.type(name, "Tess T.");
    const you = screen.getByRole("region", { name: "You" });
    await user.click(within(you).getByRole("button", { name: "Save" }));
    await waitFor(() => expect(backend.callsOf("identity_set")).toEqual([{ name: "Tess T.", email: "tess@example.org" }]));
    expect(await within(you).findByText("Saved")).toBeInTheDocument();
    expect(name).toHaveValue("Tess T.");
  });

  it("leads to Sync to connect this desktop to a registry", async () => {
    resetBackend();
    const { user } = renderApp();
    await openSettings(user);
    const registry = screen.getByRole("region", { name: "Registry" });
    expect(await within(registry).findByText(/Not connected/)).toBeInTheDocument();
    await user.click(within(registry).getByRole("button", { name: "Connect…" }));
    expect(await screen.findByRole("form", { name: "Connect to a registry" })).toBeInTheDocument();
  });

  it("once connected, names the registry and the token's user, and opens Sync", async () => {
    const backend = resetBackend();
    backend.answer(
      "sync_status",
      syncStatus({
        registry_url: "https://registry.example.org",
        token_saved: true,
        registry_user: "tess@example.org",
        last_sync_at: new Date().toISOString(),
      }),
    );
    // The start-up sync, should the test run past its few seconds.
    backend.answer("sync_now", syncReport());
    const { user } = renderApp();
    await openSettings(user);
    const connected = screen.getByRole("region", { name: "Registry" });
    expect(await within(connected).findByText(/^Syncs with/)).toHaveTextContent("Syncs with https://registry.example.org as tess@example.org");
    await user.click(within(connected).getByRole("button", { name: "Open Sync" }));
    expect(await screen.findByRole("heading", { level: 1, name: "Sync" })).toBeInTheDocument();
  });

  it("says where the log is and shows it in the file manager, or why it cannot", async () => {
    const backend = resetBackend();
    const { user } = renderApp();
    await openSettings(user);
    const log = screen.getByRole("region", { name: "Log" });
    expect(await within(log).findByText("/home/tess/.local/share/com.aifactory.portfolio/logs/portfolio.log")).toBeInTheDocument();
    backend.answer("log_file_show", null);
    await user.click(within(log).getByRole("button", { name: "Show the log file" }));
    await waitFor(() => expect(backend.callsOf("log_file_show")).toHaveLength(1));

    backend.failNext("log_file_show", { code: "io", message: "cannot show portfolio.log: no file manager" });
    await user.click(within(log).getByRole("button", { name: "Show the log file" }));
    expect(await within(log).findByText("cannot show portfolio.log: no file manager")).toBeInTheDocument();
  });
});
