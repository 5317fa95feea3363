// Sync with the registry: connecting (and the refusals beside their field), the status line in every view, Sync now, settling conflicts, reverting refused changes, the registry's changes set aside, and the periodic sync.
import { invoke } from "@tauri-apps/api/core";
import { act, cleanup, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";

import type { Conflict } from "../../bindings/Conflict";
import type { Error as BackendError } from "../../bindings/Error";
import type { RejectedChange } from "../../bindings/RejectedChange";
import type { SetAside } from "../../bindings/SetAside";
import type { SyncStatus } from "../../bindings/SyncStatus";
import { absoluteTime } from "../../lib/format";
import { call } from "../../lib/ipc";
import { FIRST_SYNC_AFTER_MS, SYNC_EVERY_MS } from "./sync";
import { engine, syncReport, syncStatus } from "../../test/answers";
import { resetBackend, type Backend } from "../../test/backend";
import { openUseCase, renderApp, tableRows } from "../../test/render";

const REGISTRY = "https://registry.example.org";
const ME = "tess@example.org";

/** Connected to the registry as Tess (the token saved), last synced just now, nothing waiting, unless stated. */
function connected(fields: Partial<SyncStatus> = {}): SyncStatus {
  return syncStatus({ registry_url: REGISTRY, token_saved: true, registry_user: ME, last_sync_at: new Date().toISOString(), ...fields });
}

/** `sync_status` answers what `scene.status` is at the time: the test's other answers change it as the engine would. */
function statusScene(backend: Backend, status: SyncStatus) {
  const scene = { status };
  backend.answer("sync_status", () => scene.status);
  return scene;
}

let ids = 0;

/** An open conflict, changed by bob@example.org on the other side; on a use case unless stated. */
function conflict(fields: Partial<Conflict> & Pick<Conflict, "kind" | "field" | "mine" | "theirs">): Conflict {
  return {
    id: `cf-${++ids}`,
    entity: "use_case",
    entity_id: fields.use_case_id ?? "",
    use_case_id: null,
    title: null,
    base: null,
    theirs_actor: "bob@example.org",
    opened_at: new Date().toISOString(),
    ...fields,
  };
}

/** A change made here that the registry refused; about a use case unless stated. */
function refused(fields: Partial<RejectedChange> & Pick<RejectedChange, "kind" | "field" | "reason">): RejectedChange {
  return { change_id: `ch-${++ids}`, entity: "use_case", use_case_id: null, title: null, at: new Date().toISOString(), ...fields };
}

/**
 * Time moves only when the test moves it: the start-up and periodic syncs happen exactly when
 * asked. Testing Library waits by moving the clock when it sees Jest's API, so lend it Vitest's.
 */
function fakeClock() {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date"] });
  (globalThis as { jest?: unknown }).jest = { advanceTimersByTime: (ms: number) => vi.advanceTimersByTime(ms) };
  // What fires while user-event lets time pass (the query cache's notices among it) updates React inside act.
  return userEvent.setup({ advanceTimers: (ms) => act(() => void vi.advanceTimersByTime(ms)) });
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
    const scene = statusScene(backend, syncStatus());
    backend.answer("sync_connect", () => {
      // The first sync pulls a colleague's rename; then the token is saved.
      backend.update(uc.id, { title: "Invoice assistant" });
      scene.status = connected();
      return syncReport({ pulled: 1 });
    });
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
    expect(await statusLine(/^Synced just now/)).toBeInTheDocument();

    // What the sync pulled shows in the portfolio.
    await user.click(screen.getByRole("button", { name: /^Portfolio/ }));
    expect(await screen.findByRole("row", { name: /Invoice assistant/ })).toBeInTheDocument();
    expect(tableRows()).toHaveLength(1);
  });

  it("shows a bad or unreachable address beside the address, a refused token beside the token, and saves nothing", async () => {
    const backend = resetBackend();
    // What the engine refuses each of the four tries with, in turn.
    backend.failNext("sync_connect", {
      code: "validation",
      field: "registry",
      message: "the registry address must start with https:// (or http:// on this machine): registry.example.org",
    });
    backend.failNext("sync_connect", { code: "unauthenticated", message: "the token is not known to this registry" });
    backend.failNext("sync_connect", {
      code: "forbidden",
      message: `the token belongs to bob@example.org, but this desktop's identity is ${ME}; sync with your own token`,
    });
    backend.failNext("sync_connect", {
      code: "unreachable",
      message: `cannot reach the registry at ${REGISTRY}: error sending request: connection refused`,
    });
    const { user } = renderApp();
    await user.click(await statusLine("Not connected"));
    const address = await screen.findByLabelText("Registry address");
    const token = screen.getByLabelText("Token");
    const connect = () => user.click(screen.getByRole("button", { name: "Connect" }));

    await user.type(address, "registry.example.org");
    await user.type(token, "good-token");
    await connect();
    await vi.waitFor(() => expect(address).toHaveAccessibleDescription(/must start with https:\/\/ \(or http:\/\/ on this machine\)/));
    expect(token).toHaveAttribute("aria-invalid", "false");

    await user.clear(address);
    await user.type(address, REGISTRY);
    await user.clear(token);
    await user.type(token, "wrong-token");
    await connect();
    await vi.waitFor(() => expect(token).toHaveAccessibleDescription(/not known to this registry/));
    expect(address).toHaveAttribute("aria-invalid", "false");

    await user.clear(token);
    await user.type(token, "bobs-token");
    await connect();
    await vi.waitFor(() => expect(token).toHaveAccessibleDescription(/belongs to bob@example.org/));

    await user.clear(token);
    await user.type(token, "good-token");
    await connect();
    await vi.waitFor(() => expect(address).toHaveAccessibleDescription(/cannot reach the registry/));
    expect(token).toHaveAttribute("aria-invalid", "false");

    expect(backend.callsOf("sync_connect")).toEqual([
      { url: "registry.example.org", token: "good-token" },
      { url: REGISTRY, token: "wrong-token" },
      { url: REGISTRY, token: "bobs-token" },
      { url: REGISTRY, token: "good-token" },
    ]);
    expect(screen.getByRole("button", { name: "Not connected" })).toBeInTheDocument();
  });
});

describe("the sync status line", () => {
  it("tells the last sync, what waits and what needs a look in every view, and the start-up sync brings it up to date", async () => {
    const user = fakeClock();
    const backend = resetBackend();
    const twoMinutesAgo = new Date(Date.now() - 2 * 60_000).toISOString();
    const uc = backend.seed({ title: "Invoice bot" });
    const on = { use_case_id: uc.id, entity_id: uc.id, title: uc.title };
    backend.answer("sync_conflicts", [conflict({ ...on, kind: "field", field: "title", mine: "Invoice bot", theirs: "Invoice assistant" })]);
    const rejected = [
      refused({ ...on, kind: "field", field: "expected_cost", reason: "Only a portfolio lead may change costs" }),
      refused({ ...on, kind: "stage", field: "stage", reason: "Only a portfolio lead may move to Pilot" }),
    ];
    const scene = statusScene(backend, connected({ last_sync_at: twoMinutesAgo, pending: 3, conflicts: 1, rejected }));
    backend.answer("sync_now", () => {
      // Pushed what waited; the conflict and the refusals stay.
      scene.status = { ...scene.status, pending: 0, last_sync_at: new Date().toISOString() };
      return syncReport({ pushed: 3, conflicts: 1 });
    });
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
    const scene = statusScene(backend, connected());
    const uc = backend.seed({ title: "Claims triage" });
    backend.answer("use_case_set_fields", (req) => {
      // The edit is saved, and waits here for the next sync.
      scene.status = { ...scene.status, pending: 1 };
      return backend.update(req.id, { problem: "Claims wait three weeks" });
    });
    renderApp();
    expect(await statusLine("Synced just now")).toBeInTheDocument();

    const panel = await openUseCase(user, "Claims triage");
    await user.type(within(panel).getByLabelText("Problem statement"), "Claims wait three weeks");
    await user.click(within(panel).getByRole("button", { name: "Save" }));
    expect(await within(panel).findByText("Saved")).toBeInTheDocument();
    expect(backend.callsOf("use_case_set_fields")).toEqual([{ id: uc.id, expect_version: 1, fields: { problem: "Claims wait three weeks" } }]);
    expect(await statusLine("Synced just now 1 waiting to sync")).toBeInTheDocument();
  });

  it("shows a failed timed sync as offline there and nowhere else, keeps what waits, and clears it when a sync works", async () => {
    fakeClock();
    const backend = resetBackend();
    const scene = statusScene(backend, connected({ pending: 2 }));
    const offline: BackendError = { code: "unreachable", message: `cannot reach the registry at ${REGISTRY}: error sending request: connection refused` };
    backend.answerInTurn("sync_now", [
      () => {
        // The engine keeps why for the status line; what waits stays waiting.
        scene.status = { ...scene.status, last_error: offline.message };
        throw offline;
      },
      () => {
        scene.status = { ...scene.status, pending: 0, last_error: null, last_sync_at: new Date().toISOString() };
        return syncReport({ pushed: 2 });
      },
    ]);
    renderApp();
    expect(await statusLine(/^Synced just now/)).toBeInTheDocument();

    await advance(FIRST_SYNC_AFTER_MS);
    expect(await statusLine("Offline — will retry 2 waiting to sync")).toBeInTheDocument();
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();

    await advance(SYNC_EVERY_MS);
    expect(await statusLine("Synced just now")).toBeInTheDocument();
    expect(backend.callsOf("sync_now")).toHaveLength(2);
  });
});

describe("Sync now", () => {
  it("shows Syncing… and stays disabled while it runs, then says what it did and refreshes the portfolio", async () => {
    const user = fakeClock();
    const backend = resetBackend();
    const scene = statusScene(backend, connected({ pending: 3 }));
    const uc = backend.seed({ title: "Invoice bot" });
    backend.answer("sync_now", () => {
      // Pushed the three waiting; pulled a colleague's rename.
      backend.update(uc.id, { title: "Invoice assistant" });
      scene.status = { ...scene.status, pending: 0, last_sync_at: new Date().toISOString() };
      return syncReport({ pushed: 3, pulled: 1 });
    });
    renderApp();
    expect(await screen.findByRole("row", { name: /Invoice bot/ })).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: /^Sync\b/ }));
    expect(await screen.findByText(/^Connected to/)).toHaveTextContent(`Connected to ${REGISTRY} as tess@example.org`);
    expect(screen.getByText("Waiting to sync").nextElementSibling).toHaveTextContent("3 changes");

    const held = backend.holdNext("sync_now");
    await user.click(screen.getByRole("button", { name: "Sync now" }));
    const running = await screen.findByRole("button", { name: "Syncing…" });
    expect(running).toBeDisabled();
    expect(await statusLine(/^Syncing…/)).toBeInTheDocument();
    await act(async () => held.release());

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
    const scene = statusScene(backend, connected());
    const revoked: BackendError = { code: "unauthenticated", message: "the token was revoked at 2025-01-01T09:00:00Z; ask an admin for a new one" };
    backend.answer("sync_now", () => {
      scene.status = { ...scene.status, last_error: revoked.message };
      throw revoked;
    });
    renderApp();
    await user.click(await screen.findByRole("button", { name: /^Sync\b/ }));
    await user.click(await screen.findByRole("button", { name: "Sync now" }));

    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent(revoked.message);
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
    const helen = backend.addPerson({ email: "helen@example.org", name: "Helen Carter" });
    const uc = backend.seed({ title: "Invoice bot", expected_benefit: 100_000, owners: { business: helen.email } });
    const on = { use_case_id: uc.id, entity_id: uc.id, title: uc.title };
    let open = [
      conflict({ ...on, kind: "field", field: "title", mine: "Invoice bot", theirs: "Invoice assistant", base: "Invoice robot" }),
      conflict({ ...on, kind: "owner", field: "business", mine: helen.email, theirs: "bob@example.org", base: null }),
      conflict({ ...on, kind: "score", field: "strategic-fit", mine: 4, theirs: 2, base: 3 }),
      conflict({ ...on, kind: "field", field: "data_sources", mine: ["ERP", "Email"], theirs: [], base: ["ERP"] }),
    ];
    const [titleId, ownerId, scoreId, sourcesId] = open.map((c) => c.id);
    const scene = statusScene(backend, connected({ conflicts: 4 }));
    backend.answer("sync_conflicts", () => open);
    backend.answer("sync_resolve", ({ conflict_id, resolution }) => {
      if (resolution.take === "value" && resolution.value === "7") throw { code: "validation", field: "score", message: "a score is 1 to 5, not 7" };
      const settled = open.find((c) => c.id === conflict_id)!;
      // Written here at once (what this test's choices write), sent at the next sync.
      if (conflict_id === titleId) {
        backend.update(uc.id, { title: "Invoice assistant" });
        open = open.map((c) => ({ ...c, title: "Invoice assistant" }));
      }
      if (conflict_id === scoreId) backend.update(uc.id, { scores: { ...uc.scores, "strategic-fit": 5 } });
      open = open.filter((c) => c.id !== conflict_id);
      scene.status = { ...scene.status, conflicts: open.length, pending: scene.status.pending + 1 };
      return settled;
    });
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

    // The cards now carry the new title.
    const renamed = await screen.findByRole("listitem", { name: "Invoice assistant: Business owner" });
    await user.click(within(renamed).getByRole("button", { name: "Keep mine" }));
    await vi.waitFor(() => expect(screen.queryByRole("listitem", { name: /Business owner$/ })).not.toBeInTheDocument());

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
    expect(screen.getAllByRole("listitem", { name: /^Invoice assistant: / })).toHaveLength(2);

    await user.clear(input);
    await user.type(input, "5");
    await user.click(within(score).getByRole("button", { name: "Save" }));
    expect(await screen.findByText(/^Saved your new value for Score: Strategic fit of/)).toBeInTheDocument();

    const sources = await screen.findByRole("listitem", { name: /: Data sources$/ });
    await user.click(within(sources).getByRole("button", { name: "Edit…" }));
    expect(within(sources).getByLabelText("New value for Data sources")).toHaveValue("ERP, Email");
    await user.click(within(sources).getByRole("button", { name: "Cancel" }));
    await user.click(within(sources).getByRole("button", { name: "Keep mine" }));

    expect(await screen.findByText("No conflicts.")).toBeInTheDocument();
    expect(backend.callsOf("sync_resolve")).toEqual([
      { conflict_id: titleId, resolution: { take: "theirs" } },
      { conflict_id: ownerId, resolution: { take: "mine" } },
      { conflict_id: scoreId, resolution: { take: "value", value: "7" } },
      { conflict_id: scoreId, resolution: { take: "value", value: "5" } },
      { conflict_id: sourcesId, resolution: { take: "mine" } },
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
    const uc = backend.seed({ title: "Policy bot" });
    const on = { use_case_id: uc.id, entity_id: uc.id, title: uc.title };
    backend.answer("sync_conflicts", [
      conflict({ ...on, kind: "control", field: "grounding-check", mine: "in-place", theirs: "open", base: "open" }),
      conflict({ ...on, kind: "pattern", field: "classification", mine: "primary", theirs: null, base: null }),
      conflict({ ...on, kind: "triage", field: "eu-ai-act", mine: { tier: "limited" }, theirs: { tier: "high" }, base: null }),
    ]);
    statusScene(backend, connected({ conflicts: 3 }));
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
    const kept = backend.seed({ title: "Invoice bot", expected_cost: 9_000 });
    const shadow = backend.seed({ title: "Shadow project" });
    const cost = refused({ use_case_id: kept.id, title: kept.title, kind: "field", field: "expected_cost", reason: "Only a portfolio lead may change costs" });
    const created = refused({ use_case_id: shadow.id, title: shadow.title, kind: "create", field: null, reason: "Business owners may not propose in Finance" });
    const scene = statusScene(backend, connected({ rejected: [cost, created] }));
    backend.answer("sync_revert", (changeId) => {
      // The registry keeps 5,000 as the cost; it never took the new use case.
      if (changeId === cost.change_id) backend.update(kept.id, { expected_cost: 5_000 });
      if (changeId === created.change_id) backend.useCases.delete(shadow.id);
      scene.status = { ...scene.status, rejected: scene.status.rejected.filter((r) => r.change_id !== changeId) };
      return null;
    });
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
    await vi.waitFor(() => expect(within(table).getAllByRole("row")).toHaveLength(2));

    await user.click(screen.getByRole("button", { name: "Revert “Shadow project”: New use case" }));
    expect(await screen.findByText("No refused changes.")).toBeInTheDocument();
    expect(backend.callsOf("sync_revert")).toEqual([cost.change_id, created.change_id]);
    expect(await statusLine("Synced just now")).toBeInTheDocument();

    await user.click(screen.getByRole("button", { name: /^Portfolio/ }));
    expect(await screen.findByRole("row", { name: /Invoice bot/ })).toBeInTheDocument();
    expect(screen.queryByRole("row", { name: /Shadow project/ })).not.toBeInTheDocument();
  });

  it("names a catalogue pattern in a conflict and a refusal, settles it by keeping one side, and removes a refused new pattern", async () => {
    const user = fakeClock();
    const backend = resetBackend();
    const patternValue = (name: string) => ({
      name,
      components: ["Classifier", "Queue"],
      controls: ["human-review", "grounding-check"],
      control_names: { "human-review": "Human review", "grounding-check": "Grounding check" },
    });
    const onPattern = { entity: "pattern", use_case_id: null, field: null };
    let open = [
      conflict({
        ...onPattern,
        entity_id: "classification",
        title: "Classification and routing",
        kind: "field",
        mine: patternValue("Claim routing"),
        theirs: patternValue("Claims triage"),
      }),
    ];
    const [classification] = open as [Conflict];
    const cys = {
      slug: "cys-pattern",
      name: "Cy's pattern",
      description: "",
      components: [],
      controls: [],
      retired: false,
      version: 1,
      reuse: 0,
      primary_for: 0,
      by_stage: {},
    };
    let catalogue = { ...engine.catalogue, patterns: [...engine.catalogue.patterns, cys] };
    const created = refused({
      ...onPattern,
      title: cys.name,
      kind: "create",
      reason: "only architects and portfolio leads edit the pattern catalogue; cy@example.org is a contributor",
    });
    const scene = statusScene(backend, connected({ conflicts: 1, rejected: [created] }));
    backend.answer("pattern_catalogue", () => catalogue);
    backend.answer("sync_conflicts", () => open);
    backend.answer("sync_resolve", ({ conflict_id }) => {
      const settled = open.find((c) => c.id === conflict_id)!;
      open = open.filter((c) => c.id !== conflict_id);
      scene.status = { ...scene.status, conflicts: open.length, pending: scene.status.pending + 1 };
      return settled;
    });
    backend.answer("sync_revert", () => {
      // The registry never took it: it leaves the catalogue here.
      catalogue = { ...catalogue, patterns: catalogue.patterns.filter((p) => p.slug !== cys.slug) };
      scene.status = { ...scene.status, rejected: [] };
      return null;
    });
    backend.answer("sync_now", () => {
      // A colleague added a pattern of the same slug meanwhile.
      open = [
        ...open,
        conflict({
          ...onPattern,
          entity_id: "fraud-scoring",
          title: "Fraud scoring",
          kind: "create",
          mine: patternValue("Fraud scoring"),
          theirs: patternValue("Fraud detection"),
        }),
      ];
      scene.status = { ...scene.status, conflicts: open.length, pending: 0, last_sync_at: new Date().toISOString() };
      return syncReport({ pushed: 1, conflicts: open.length });
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
    expect(backend.callsOf("sync_resolve")).toEqual([{ conflict_id: classification.id, resolution: { take: "theirs" } }]);
    expect(backend.callsOf("sync_revert")).toEqual([created.change_id]);
    expect(await screen.findByText("No refused changes.")).toBeInTheDocument();
    // The pattern's name leads to the catalogue.
    await user.click(screen.getByRole("button", { name: "Sync" }));
    await user.click(await screen.findByRole("button", { name: "Sync now" }));
    const added = await screen.findByRole("listitem", { name: "Fraud scoring: New pattern" });
    await user.click(within(added).getByRole("button", { name: "Fraud scoring" }));
    expect(await screen.findByRole("heading", { name: "Patterns" })).toBeInTheDocument();
    expect(screen.queryByText("Cy's pattern")).not.toBeInTheDocument();
  });

  it("puts back a use case whose deletion the registry refused", async () => {
    const user = fakeClock();
    const backend = resetBackend();
    const pilot = backend.seed({ title: "Old pilot" });
    const deletion = refused({ use_case_id: pilot.id, title: pilot.title, kind: "delete", field: null, reason: "cy@example.org neither proposed nor owns it" });
    const scene = statusScene(backend, connected({ rejected: [deletion] }));
    backend.answer("sync_revert", () => {
      scene.status = { ...scene.status, rejected: [] };
      return null;
    });
    renderApp();
    await user.click(await statusLine(/1 refused/));
    await user.click(await screen.findByRole("button", { name: "Revert “Old pilot”: Deletion" }));
    expect(await screen.findByText("Put back “Old pilot”: the registry refused its deletion.")).toBeInTheDocument();
    expect(await screen.findByText("No refused changes.")).toBeInTheDocument();
    expect(backend.callsOf("sync_revert")).toEqual([deletion.change_id]);
  });

  it("sends the refused change's id under the name the command takes", async () => {
    resetBackend().answer("sync_revert", null);
    const mocked = vi.mocked(invoke);
    mocked.mockClear();
    await call("sync_revert", "ch-1");
    expect(mocked.mock.calls).toEqual([["sync_revert", { req: "ch-1" }]]);
  });
});

describe("changes set aside", () => {
  it("says a sync set some of the registry's changes aside, lists each with why, and counts them in the status line", async () => {
    const user = fakeClock();
    const backend = resetBackend();
    const uc = backend.seed({ title: "Invoice bot" });
    const scene = statusScene(backend, connected());
    const aside: SetAside[] = [
      {
        change_id: "ch-a",
        seq: 41,
        entity: "use_case",
        use_case_id: null,
        title: "Bogus",
        kind: "create",
        field: null,
        actor: "bob@example.org",
        at: new Date().toISOString(),
        reason: "unknown stage bogus",
      },
      {
        change_id: "ch-b",
        seq: 42,
        entity: "use_case",
        use_case_id: uc.id,
        title: uc.title,
        kind: "frobnicate",
        field: null,
        actor: "bob@example.org",
        at: new Date().toISOString(),
        reason: "the registry sent a `frobnicate` change to use_case, which this version cannot apply",
      },
    ];
    backend.answer("sync_now", () => {
      scene.status = { ...scene.status, set_aside: aside };
      return syncReport({ pulled: 3, set_aside: aside });
    });
    renderApp();
    await user.click(await screen.findByRole("button", { name: /^Sync\b/ }));
    expect(screen.queryByRole("table", { name: "Changes set aside" })).not.toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Sync now" }));

    expect(await screen.findByText(/^Pushed 0, pulled 3\./)).toHaveTextContent(
      "Pushed 0, pulled 3. 2 changes from the registry could not be applied here and were set aside: see below.",
    );
    const table = await screen.findByRole("table", { name: "Changes set aside" });
    expect(
      within(table)
        .getAllByRole("row")
        .map((r) => r.textContent),
    ).toEqual([
      "AboutChangeByWhenWhy it could not be applied",
      expect.stringMatching(/^BogusNew use casebob@example\.org.*unknown stage bogus$/),
      expect.stringMatching(/^Invoice bot.*bob@example\.org.*which this version cannot apply$/),
    ]);
    expect(within(table).queryByRole("button", { name: "Bogus" })).not.toBeInTheDocument();
    await user.click(within(table).getByRole("button", { name: "Invoice bot" }));
    expect(await screen.findByRole("heading", { name: "Invoice bot" })).toBeInTheDocument();
    expect(await statusLine(/^Synced/)).toHaveTextContent("2 set aside");
  });
});

describe("the periodic sync", () => {
  it("syncs shortly after start and every five minutes, never two at once", async () => {
    fakeClock();
    const backend = resetBackend();
    const scene = statusScene(backend, connected());
    backend.answer("sync_now", () => {
      scene.status = { ...scene.status, last_sync_at: new Date().toISOString() };
      return syncReport();
    });
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
    const held = backend.holdNext("sync_now");
    await advance(SYNC_EVERY_MS);
    expect(syncs()).toBe(3);
    expect(await statusLine(/^Syncing…/)).toBeInTheDocument();
    await advance(SYNC_EVERY_MS);
    expect(syncs()).toBe(3);
    await act(async () => held.release());
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
