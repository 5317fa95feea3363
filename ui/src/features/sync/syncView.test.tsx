// Sync with the registry: connecting (and the refusals beside their field), the status line in every view, Sync now, settling conflicts, reverting refused changes, and the periodic sync.
import { invoke } from "@tauri-apps/api/core";
import { act, cleanup, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";

import { absoluteTime } from "../../lib/format";
import { call } from "../../lib/ipc";
import { FIRST_SYNC_AFTER_MS, SYNC_EVERY_MS } from "./sync";
import { resetBackend } from "../../test/fakeBackend";
import { openUseCase, renderApp, tableRows } from "../../test/render";

const REGISTRY = "https://registry.example.org";

/**
 * Time moves only when the test moves it: the start-up and periodic syncs happen exactly when
 * asked. Testing Library waits by moving the clock when it sees Jest's API, so lend it Vitest's.
 */
function fakeClock() {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date"] });
  (globalThis as { jest?: unknown }).jest = { advanceTimersByTime: (ms: number) => vi.advanceTimersByTime(ms) };
  return userEvent.setup({ advanceTimers: (ms) => vi.advanceTimersByTime(ms) });
}

async function advance(ms: number) {
  await act(() => vi.advanceTimersByTimeAsync(ms));
}

afterEach(() => {
  cleanup();
  vi.useRealTimers();
  delete (globalThis as { jest?: unknown }).jest;
});

/** The sync status line's button (its name is everything the line says). */
const statusLine = (name: RegExp | string) => within(screen.getByRole("status", { name: "Sync status" })).findByRole("button", { name });

describe("connecting to the registry", () => {
  it("says Not connected until a token works; connecting syncs, shows where and as whom, and never shows the token again", async () => {
    const backend = resetBackend();
    const uc = backend.seed({ title: "Invoice bot" });
    backend.registryEdit(uc.id, { title: "Invoice assistant" });
    const { user } = renderApp();

    const line = await statusLine("Not connected");
    expect(line.closest("[role=status]")).toHaveAttribute("aria-live", "polite");
    await user.click(line);
    expect(await screen.findByRole("heading", { level: 1, name: "Sync" })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Sync" })).toHaveAttribute("aria-current", "page");

    // Nothing is sent until both are there.
    await user.click(screen.getByRole("button", { name: "Connect" }));
    expect(screen.getByLabelText("Registry address")).toHaveAccessibleDescription("Give the registry’s address, like https://registry.example.org.");
    expect(screen.getByLabelText("Token")).toHaveAccessibleDescription("Paste the token a registry admin gave you.");
    expect(backend.callsOf("sync_connect")).toHaveLength(0);

    const token = screen.getByLabelText("Token");
    expect(token).toHaveAttribute("type", "password");
    await user.type(screen.getByLabelText("Registry address"), REGISTRY);
    await user.type(token, "good-token");
    await user.click(screen.getByRole("button", { name: "Connect" }));

    expect(await screen.findByText("Connected. Pushed 0, pulled 1.")).toHaveAttribute("role", "status");
    expect(await screen.findByText(/^Connected to/)).toHaveTextContent(`Connected to ${REGISTRY} as tess@example.org`);
    expect(screen.queryByLabelText("Token")).not.toBeInTheDocument();
    expect(screen.queryByDisplayValue("good-token")).not.toBeInTheDocument();
    expect(backend.callsOf("sync_connect")).toEqual([{ url: REGISTRY, token: "good-token" }]);
    expect(backend.sync.token).toBe("good-token");
    expect(await statusLine(/^Synced just now/)).toBeInTheDocument();

    // What the sync pulled shows in the portfolio.
    await user.click(screen.getByRole("button", { name: /^Portfolio/ }));
    expect(await screen.findByRole("row", { name: /Invoice assistant/ })).toBeInTheDocument();
    expect(tableRows()).toHaveLength(1);
  });

  it("shows a bad or unreachable address beside the address, a refused token beside the token, and saves nothing", async () => {
    const backend = resetBackend();
    backend.registry.tokens.set("bobs-token", "bob@example.org");
    const { user } = renderApp();
    await user.click(await statusLine("Not connected"));
    const address = await screen.findByLabelText("Registry address");
    const token = screen.getByLabelText("Token");
    const connect = () => user.click(screen.getByRole("button", { name: "Connect" }));

    await user.type(address, "registry.example.org");
    await user.type(token, "good-token");
    await connect();
    await vi.waitFor(() => expect(address).toHaveAccessibleDescription(/must start with https:\/\/ or http:\/\//));
    expect(token).toHaveAttribute("aria-invalid", "false");

    await user.clear(address);
    await user.type(address, REGISTRY);
    await user.clear(token);
    await user.type(token, "wrong-token");
    await connect();
    await vi.waitFor(() => expect(token).toHaveAccessibleDescription(/does not accept this token/));
    expect(address).toHaveAttribute("aria-invalid", "false");

    await user.clear(token);
    await user.type(token, "bobs-token");
    await connect();
    await vi.waitFor(() => expect(token).toHaveAccessibleDescription(/belongs to bob@example.org/));

    backend.registry.reachable = false;
    await user.clear(token);
    await user.type(token, "good-token");
    await connect();
    await vi.waitFor(() => expect(address).toHaveAccessibleDescription(/cannot reach the registry/));
    expect(token).toHaveAttribute("aria-invalid", "false");

    expect(backend.callsOf("sync_connect")).toHaveLength(4);
    expect(backend.sync.token).toBeNull();
    expect(screen.getByRole("button", { name: "Not connected" })).toBeInTheDocument();
  });
});

describe("the sync status line", () => {
  it("tells the last sync, what waits and what needs a look in every view, and the start-up sync brings it up to date", async () => {
    const user = fakeClock();
    const backend = resetBackend();
    const twoMinutesAgo = new Date(Date.now() - 2 * 60_000).toISOString();
    backend.connectRegistry({ lastSyncAt: twoMinutesAgo, pending: 3 });
    const uc = backend.seed({ title: "Invoice bot" });
    backend.addConflict({ use_case_id: uc.id, kind: "field", field: "title", mine: "Invoice bot", theirs: "Invoice assistant" });
    backend.addRefused({ use_case_id: uc.id, kind: "field", field: "expected_cost", reason: "Only a portfolio lead may change costs" });
    backend.addRefused({ use_case_id: uc.id, kind: "stage", field: "stage", reason: "Only a portfolio lead may move to Pilot" });
    renderApp();

    const line = await statusLine(/^Synced/);
    expect(line).toHaveTextContent("Synced 2 minutes ago 3 waiting to sync 1 conflict · 2 refused");
    expect(within(line).getByText("2 minutes ago")).toHaveAttribute("title", absoluteTime(twoMinutesAgo, "iso"));
    expect(screen.getByRole("button", { name: "Sync 3 to look at" })).toBeInTheDocument();

    // Still there in another view.
    await user.click(screen.getByRole("button", { name: "Pipeline" }));
    expect(await statusLine(/^Synced 2 minutes ago/)).toBeInTheDocument();
    expect(backend.callsOf("sync_now")).toHaveLength(0);

    await advance(FIRST_SYNC_AFTER_MS);
    expect(backend.callsOf("sync_now")).toHaveLength(1);
    const after = await statusLine(/^Synced just now/);
    // Pushed: nothing waits; the conflict and refusals are still there to look at.
    expect(after).toHaveTextContent("Synced just now 1 conflict · 2 refused");
    await user.click(after);
    expect(await screen.findByRole("heading", { level: 1, name: "Sync" })).toBeInTheDocument();

    // Left open, the line and the Sync view tell the time since together, without a sync.
    const lastSync = () => screen.getByText("Last sync").nextElementSibling;
    expect(lastSync()).toHaveTextContent("just now");
    await advance(2 * 60_000);
    expect(await statusLine(/^Synced 2 minutes ago/)).toBeInTheDocument();
    expect(lastSync()).toHaveTextContent("2 minutes ago");
    expect(backend.callsOf("sync_now")).toHaveLength(1);
  });

  it("counts an edit made here as waiting to sync as soon as it is saved", async () => {
    const user = fakeClock();
    const backend = resetBackend();
    backend.connectRegistry();
    backend.seed({ title: "Claims triage" });
    renderApp();
    expect(await statusLine("Synced just now")).toBeInTheDocument();

    const panel = await openUseCase(user, "Claims triage");
    await user.type(within(panel).getByLabelText("Problem statement"), "Claims wait three weeks");
    await user.click(within(panel).getByRole("button", { name: "Save" }));
    expect(await within(panel).findByText("Saved")).toBeInTheDocument();
    expect(await statusLine("Synced just now 1 waiting to sync")).toBeInTheDocument();
  });

  it("shows a failed timed sync as offline there and nowhere else, keeps what waits, and clears it when a sync works", async () => {
    fakeClock();
    const backend = resetBackend();
    backend.connectRegistry({ pending: 2 });
    backend.registry.reachable = false;
    renderApp();
    expect(await statusLine(/^Synced just now/)).toBeInTheDocument();

    await advance(FIRST_SYNC_AFTER_MS);
    expect(await statusLine("Offline — will retry 2 waiting to sync")).toBeInTheDocument();
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();

    backend.registry.reachable = true;
    await advance(SYNC_EVERY_MS);
    expect(await statusLine("Synced just now")).toBeInTheDocument();
    expect(backend.callsOf("sync_now")).toHaveLength(2);
  });
});

describe("Sync now", () => {
  it("shows Syncing… and stays disabled while it runs, then says what it did and refreshes the portfolio", async () => {
    const user = fakeClock();
    const backend = resetBackend();
    backend.connectRegistry({ pending: 3 });
    const uc = backend.seed({ title: "Invoice bot" });
    backend.registryEdit(uc.id, { title: "Invoice assistant" });
    renderApp();
    expect(await screen.findByRole("row", { name: /Invoice bot/ })).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: /^Sync\b/ }));
    expect(await screen.findByText(/^Connected to/)).toHaveTextContent(`Connected to ${REGISTRY} as tess@example.org`);
    expect(screen.getByText("Waiting to sync").nextElementSibling).toHaveTextContent("3 changes");

    backend.holdNextSync();
    await user.click(screen.getByRole("button", { name: "Sync now" }));
    const running = await screen.findByRole("button", { name: "Syncing…" });
    expect(running).toBeDisabled();
    expect(await statusLine(/^Syncing…/)).toBeInTheDocument();
    await act(async () => backend.finishSync());

    expect(await screen.findByText("Pushed 3, pulled 1.")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Sync now" })).toBeEnabled();
    expect(screen.getByText("Waiting to sync").nextElementSibling).toHaveTextContent("0 changes");
    expect(backend.callsOf("sync_now")).toHaveLength(1);

    await user.click(screen.getByRole("button", { name: /^Portfolio/ }));
    expect(await screen.findByRole("row", { name: /Invoice assistant/ })).toBeInTheDocument();
  });

  it("shows why a sync failed, with what to do, and the status line says so", async () => {
    const user = fakeClock();
    const backend = resetBackend();
    backend.connectRegistry();
    renderApp();
    await user.click(await screen.findByRole("button", { name: /^Sync\b/ }));
    backend.failNext("sync_now", { code: "unauthenticated", message: "the registry does not accept this token (revoked)" });
    await user.click(await screen.findByRole("button", { name: "Sync now" }));

    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("the registry does not accept this token (revoked)");
    expect(alert).toHaveTextContent("The saved token no longer works");
    expect(await statusLine("Sync failed")).toBeInTheDocument();

    // Another token is a click away; the address stays filled in.
    await user.click(screen.getByRole("button", { name: "Use another token…" }));
    expect(screen.getByLabelText("Registry address")).toHaveValue(REGISTRY);
    expect(screen.getByLabelText("Token")).toHaveValue("");
  });
});

describe("conflicts", () => {
  it("settles one with mine, one with theirs and one with an edited value; a refused value shows beside the input", async () => {
    const user = fakeClock();
    const backend = resetBackend();
    backend.connectRegistry();
    const helen = backend.addPerson({ email: "helen@example.org", name: "Helen Carter" });
    const uc = backend.seed({ title: "Invoice bot", expected_benefit: 100_000 });
    backend.addConflict({ use_case_id: uc.id, kind: "field", field: "title", mine: "Invoice bot", theirs: "Invoice assistant", base: "Invoice robot" });
    backend.addConflict({ use_case_id: uc.id, kind: "owner", field: "business", mine: helen.email, theirs: "bob@example.org", base: null });
    backend.addConflict({ use_case_id: uc.id, kind: "score", field: "strategic-fit", mine: 4, theirs: 2, base: 3 });
    backend.addConflict({ use_case_id: uc.id, kind: "field", field: "data_sources", mine: ["ERP", "Email"], theirs: [], base: ["ERP"] });
    renderApp();
    await user.click(await statusLine(/4 conflicts/));

    const card = (label: string) => screen.findByRole("listitem", { name: `Invoice bot: ${label}` });
    const title = await card("Title");
    expect(within(title).getByText("Yours").nextElementSibling).toHaveTextContent("Invoice bot");
    expect(within(title).getByText("Theirs (by bob@example.org)").nextElementSibling).toHaveTextContent("Invoice assistant");
    expect(title).toHaveTextContent("Before: Invoice robot");
    const owner = await card("Business owner");
    expect(owner).toHaveTextContent("YoursHelen Carter (helen@example.org)");
    expect(owner).toHaveTextContent("Before: (empty)");
    expect(await card("Data sources")).toHaveTextContent("YoursERP, EmailTheirs (by bob@example.org)(empty)Before: ERP");

    // The title opens the use case over the view.
    await user.click(within(title).getByRole("button", { name: "Invoice bot" }));
    expect(await screen.findByRole("dialog", { name: "Invoice bot" })).toBeInTheDocument();
    await user.keyboard("{Escape}");

    await user.click(within(title).getByRole("button", { name: "Take theirs" }));
    expect(await screen.findByText("Took theirs for Title of “Invoice bot”. It will be sent to the registry at the next sync.")).toHaveAttribute(
      "role",
      "status",
    );
    expect(backend.useCases.get(uc.id)!.title).toBe("Invoice assistant");

    // The cards now carry the new title.
    const renamed = await screen.findByRole("listitem", { name: "Invoice assistant: Business owner" });
    await user.click(within(renamed).getByRole("button", { name: "Keep mine" }));
    await vi.waitFor(() => expect(screen.queryByRole("listitem", { name: /Business owner$/ })).not.toBeInTheDocument());
    expect(backend.useCases.get(uc.id)!.owners.business).toBe(helen.email);

    const score = await screen.findByRole("listitem", { name: /: Score: Strategic fit$/ });
    expect(score).toHaveTextContent("Yours4Theirs (by bob@example.org)2Before: 3");
    await user.click(within(score).getByRole("button", { name: "Edit…" }));
    const input = within(score).getByLabelText("New value for Score: Strategic fit");
    expect(input).toHaveValue("4");
    await user.clear(input);
    await user.type(input, "7");
    await user.click(within(score).getByRole("button", { name: "Save" }));
    await vi.waitFor(() => expect(input).toHaveAccessibleDescription("a score is 1 to 5, not 7"));
    expect(input).toHaveAttribute("aria-invalid", "true");
    expect(backend.conflicts).toHaveLength(2);

    await user.clear(input);
    await user.type(input, "5");
    await user.click(within(score).getByRole("button", { name: "Save" }));
    expect(await screen.findByText(/^Saved your new value for Score: Strategic fit of/)).toBeInTheDocument();
    expect(backend.useCases.get(uc.id)!.raw["strategic-fit"]).toBe(5);

    const sources = await screen.findByRole("listitem", { name: /: Data sources$/ });
    await user.click(within(sources).getByRole("button", { name: "Edit…" }));
    expect(within(sources).getByLabelText("New value for Data sources")).toHaveValue("ERP, Email");
    await user.click(within(sources).getByRole("button", { name: "Cancel" }));
    await user.click(within(sources).getByRole("button", { name: "Keep mine" }));

    expect(await screen.findByText("No conflicts.")).toBeInTheDocument();
    expect(backend.callsOf("sync_resolve").map((r) => r.resolution)).toEqual([
      { take: "theirs" },
      { take: "mine" },
      { take: "value", value: "7" },
      { take: "value", value: "5" },
      { take: "mine" },
    ]);
    // Settled here, sent at the next sync; nothing left to look at.
    expect(await statusLine("Synced just now 4 waiting to sync")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Sync" })).toBeInTheDocument();
  });
});

describe("refused changes", () => {
  it("shows a control, a pattern and a triage in words, and offers only mine or theirs for whole records", async () => {
    const user = fakeClock();
    const backend = resetBackend();
    backend.connectRegistry();
    const uc = backend.seed({ title: "Policy bot" });
    backend.addConflict({ use_case_id: uc.id, kind: "control", field: "grounding-check", mine: "in-place", theirs: "open", base: "open" });
    backend.addConflict({ use_case_id: uc.id, kind: "pattern", field: "classification", mine: "primary", theirs: null, base: null });
    backend.addConflict({ use_case_id: uc.id, kind: "triage", field: "eu-ai-act", mine: { tier: "limited" }, theirs: { tier: "high" }, base: null });
    renderApp();
    await user.click(await statusLine(/3 conflicts/));

    const card = (label: string) => screen.findByRole("listitem", { name: `Policy bot: ${label}` });
    const control = await card("Control grounding-check");
    expect(control).toHaveTextContent("YoursIn placeTheirs (by bob@example.org)OpenBefore: Open");
    expect(within(control).getByRole("button", { name: "Edit…" })).toBeInTheDocument();
    const pattern = await card("Pattern classification");
    expect(pattern).toHaveTextContent("YoursMapped, as the primary patternTheirs (by bob@example.org)(empty)");
    expect(within(pattern).queryByRole("button", { name: "Edit…" })).toBeNull();
    const triage = await card("Risk triage");
    expect(triage).toHaveTextContent("YoursTier: limitedTheirs (by bob@example.org)Tier: high");
    expect(within(triage).queryByRole("button", { name: "Edit…" })).toBeNull();
    expect(within(triage).getByRole("button", { name: "Keep mine" })).toBeEnabled();
  });

  it("lists each with the registry's reason; Revert puts the registry's value back, or removes a refused new use case", async () => {
    const user = fakeClock();
    const backend = resetBackend();
    backend.connectRegistry();
    const kept = backend.seed({ title: "Invoice bot", expected_cost: 9_000 });
    const shadow = backend.seed({ title: "Shadow project" });
    backend.addRefused({ use_case_id: kept.id, kind: "field", field: "expected_cost", reason: "Only a portfolio lead may change costs", registry: 5_000 });
    backend.addRefused({ use_case_id: shadow.id, kind: "create", field: null, reason: "Business owners may not propose in Finance" });
    renderApp();
    await user.click(await statusLine(/2 refused/));

    const table = await screen.findByRole("table", { name: "Refused changes" });
    const rows = within(table).getAllByRole("row").slice(1);
    const cells = (r: HTMLElement) =>
      within(r)
        .getAllByRole("cell")
        .map((c) => c.textContent);
    expect(rows.map((r) => [cells(r)[0], cells(r)[1], cells(r)[3]])).toEqual([
      ["Invoice bot", "Expected annual cost", "Only a portfolio lead may change costs"],
      ["Shadow project", "New use case", "Business owners may not propose in Finance"],
    ]);
    expect(screen.getByText(/Revert puts the registry’s value back here/)).toBeInTheDocument();

    await user.click(screen.getByRole("button", { name: "Revert “Invoice bot”: Expected annual cost" }));
    expect(await screen.findByText("Reverted: “Invoice bot” has the registry’s value again.")).toBeInTheDocument();
    expect(backend.useCases.get(kept.id)!.expected_cost).toBe(5_000);
    await vi.waitFor(() => expect(within(table).getAllByRole("row")).toHaveLength(2));

    await user.click(screen.getByRole("button", { name: "Revert “Shadow project”: New use case" }));
    expect(await screen.findByText("No refused changes.")).toBeInTheDocument();
    expect(backend.useCases.has(shadow.id)).toBe(false);
    expect(backend.callsOf("sync_revert")).toHaveLength(2);
    expect(await statusLine("Synced just now")).toBeInTheDocument();

    await user.click(screen.getByRole("button", { name: /^Portfolio/ }));
    expect(await screen.findByRole("row", { name: /Invoice bot/ })).toBeInTheDocument();
    expect(screen.queryByRole("row", { name: /Shadow project/ })).not.toBeInTheDocument();
  });

  it("names a catalogue pattern in a conflict and a refusal, settles it by keeping one side, and removes a refused new pattern", async () => {
    const user = fakeClock();
    const backend = resetBackend();
    backend.connectRegistry();
    const record = (name: string) => ({
      name,
      components: ["Classifier", "Queue"],
      controls: ["human-review", "grounding-check"],
      control_names: { "human-review": "Human review", "grounding-check": "Grounding check" },
    });
    backend.addConflict({
      entity: "pattern",
      entity_id: "classification",
      title: "Classification and routing",
      use_case_id: null,
      kind: "field",
      field: null,
      mine: record("Claim routing"),
      theirs: record("Claims triage"),
    });
    const mine = { slug: "cys-pattern", name: "Cy's pattern", description: "", components: [], controls: [], retired: false, version: 1 };
    backend.patterns.push(mine);
    backend.addRefused({
      entity: "pattern",
      entity_id: mine.slug,
      title: mine.name,
      use_case_id: null,
      kind: "create",
      field: null,
      reason: "only architects and portfolio leads edit the pattern catalogue; cy@example.org is a contributor",
    });
    renderApp();
    await user.click(await statusLine(/1 conflict/));

    const card = await screen.findByRole("listitem", { name: "Classification and routing: Pattern" });
    expect(card).toHaveTextContent(
      "YoursClaim routing · 2 components · controls: Human review, Grounding checkTheirs (by bob@example.org)Claims triage · 2 components · controls: Human review, Grounding check",
    );
    expect(within(card).queryByRole("button", { name: "Edit…" })).toBeNull();
    await user.click(within(card).getByRole("button", { name: "Take theirs" }));
    expect(await screen.findByText(/Took theirs/)).toBeInTheDocument();

    const table = screen.getByRole("table", { name: "Refused changes" });
    const row = within(table).getAllByRole("row")[1]!;
    expect(
      within(row)
        .getAllByRole("cell")
        .map((c) => c.textContent)
        .slice(0, 2),
    ).toEqual(["Cy's pattern", "New pattern"]);
    await user.click(within(row).getByRole("button", { name: "Revert “Cy's pattern”: New pattern" }));
    expect(await screen.findByText("Removed “Cy's pattern”: the registry refused it as a new pattern.")).toBeInTheDocument();
    // The pattern's name leads to the catalogue.
    await user.click(screen.getByRole("button", { name: "Sync" }));
    backend.addConflict({
      entity: "pattern",
      entity_id: "fraud-scoring",
      title: "Fraud scoring",
      use_case_id: null,
      kind: "create",
      field: null,
      mine: record("Fraud scoring"),
      theirs: record("Fraud detection"),
    });
    await user.click(await screen.findByRole("button", { name: "Sync now" }));
    const added = await screen.findByRole("listitem", { name: "Fraud scoring: New pattern" });
    await user.click(within(added).getByRole("button", { name: "Fraud scoring" }));
    expect(await screen.findByRole("heading", { name: "Patterns" })).toBeInTheDocument();
    expect(screen.queryByText("Cy's pattern")).not.toBeInTheDocument();
  });

  it("puts back a use case whose deletion the registry refused", async () => {
    const user = fakeClock();
    const backend = resetBackend();
    backend.connectRegistry();
    const pilot = backend.seed({ title: "Old pilot" });
    backend.addRefused({ use_case_id: pilot.id, kind: "delete", field: null, reason: "cy@example.org neither proposed nor owns it" });
    renderApp();
    await user.click(await statusLine(/1 refused/));
    await user.click(await screen.findByRole("button", { name: "Revert “Old pilot”: Deletion" }));
    expect(await screen.findByText("Put back “Old pilot”: the registry refused its deletion.")).toBeInTheDocument();
    expect(await screen.findByText("No refused changes.")).toBeInTheDocument();
  });

  it("sends the refused change's id under the name the command takes", async () => {
    resetBackend().addRefused({ use_case_id: null, kind: "field", field: "title", reason: "no" });
    const mocked = vi.mocked(invoke);
    mocked.mockClear();
    await call("sync_revert", "ch-1");
    expect(mocked.mock.calls).toEqual([["sync_revert", { req: "ch-1" }]]);
  });
});

describe("the periodic sync", () => {
  it("syncs shortly after start and every five minutes, never two at once", async () => {
    fakeClock();
    const backend = resetBackend();
    backend.connectRegistry();
    renderApp();
    const syncs = () => backend.callsOf("sync_now").length;
    await statusLine(/^Synced/);
    expect(syncs()).toBe(0);

    await advance(FIRST_SYNC_AFTER_MS);
    expect(syncs()).toBe(1);
    // The five minutes count from the start.
    await advance(SYNC_EVERY_MS - FIRST_SYNC_AFTER_MS - 1_000);
    expect(syncs()).toBe(1);
    await advance(1_000);
    expect(syncs()).toBe(2);

    // One that runs past the next turn: the turn passes it by.
    backend.holdNextSync();
    await advance(SYNC_EVERY_MS);
    expect(syncs()).toBe(3);
    expect(await statusLine(/^Syncing…/)).toBeInTheDocument();
    await advance(SYNC_EVERY_MS);
    expect(syncs()).toBe(3);
    await act(async () => backend.finishSync());
    expect(await statusLine(/^Synced just now/)).toBeInTheDocument();
    await advance(SYNC_EVERY_MS);
    expect(syncs()).toBe(4);
  });

  it("does not sync while not connected", async () => {
    fakeClock();
    const backend = resetBackend();
    renderApp();
    await statusLine("Not connected");
    await advance(FIRST_SYNC_AFTER_MS + 2 * SYNC_EVERY_MS);
    expect(backend.callsOf("sync_now")).toHaveLength(0);
  });
});
