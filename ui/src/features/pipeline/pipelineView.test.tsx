// Pipeline: stage columns with counts and days in stage, stuck cards called out, and moves (Move… control or keyboard drag) under the Stage tab's gate and note rules.
import { act, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";

import { engine, filterChoices, met, optionsWith, page, stageOption } from "../../test/answers";
import { resetBackend, type Backend } from "../../test/backend";
import { renderApp } from "../../test/render";

const DAY = 24 * 3600 * 1000;
const daysAgo = (n: number) => new Date(Date.now() - n * DAY - 3600 * 1000).toISOString();

async function openPipeline(user: ReturnType<typeof renderApp>["user"]) {
  await user.click(await screen.findByRole("button", { name: "Pipeline" }));
  return screen.findByRole("region", { name: "Pipeline" });
}

function column(name: string): HTMLElement {
  return screen.getByRole("region", { name: new RegExp(`^${name} `) });
}

function card(title: string): HTMLElement {
  return screen.getByRole("button", { name: title }).closest("li")!;
}

/**
 * Each column's answer: the seeded use cases whose stored stage is the column's, in seed order, as a page of the
 * size asked. A move answered with `backend.update` takes a card across.
 */
function answerColumns(backend: Backend) {
  backend.answer("use_case_list", (req) => {
    const here = [...backend.useCases.values()].filter((uc) => uc.stage === req.stage?.[0]);
    return page(here.slice(0, req.limit), here.length);
  });
}

/** The move is made: the stored use case is at its new stage. */
function moves(backend: Backend) {
  backend.answer("use_case_move_stage", (req) => backend.update(req.id, { stage: req.to }));
}

/** A use case at Idea with a business owner and a problem: the engine says its Assessment gate is met. */
function ready(backend: Backend, title: string) {
  const helen = backend.addPerson({ email: "helen@example.org", name: "Helen Carter" });
  const uc = backend.seed({ title, problem: "Slow claims", owners: { business: helen.email } });
  const assessment = engine.stage_options.find((o) => o.stage === "assessment")!;
  backend.answer("use_case_stage_options", optionsWith("assessment", { allowed: true, gate: met(assessment.gate) }));
  return uc;
}

/** The engine's moves from Pilot: back (with a reason), on to Production, parked or retired (with a reason). */
const fromPilot = [
  stageOption("idea", { kind: "backward", needs_note: true }),
  stageOption("assessment", { kind: "backward", needs_note: true }),
  stageOption("proof-of-concept", { kind: "backward", needs_note: true }),
  stageOption("production"),
  stageOption("scaled", { kind: null, allowed: false, reason: "forward moves go one stage at a time: next from Pilot is Production" }),
  stageOption("parked", { kind: "park", needs_note: true }),
  stageOption("retired", { kind: "retire", needs_note: true }),
];

/** The engine's moves from Scaled: back, parked or retired, each with a reason. */
const fromScaled = [
  ...(["idea", "assessment", "proof-of-concept", "pilot", "production"] as const).map((s) => stageOption(s, { kind: "backward", needs_note: true })),
  stageOption("parked", { kind: "park", needs_note: true }),
  stageOption("retired", { kind: "retire", needs_note: true }),
];

describe("pipeline", () => {
  it("shows a column per stage with its count, each card's days in stage, and calls out stuck ones in words", async () => {
    const backend = resetBackend();
    backend.seed({ title: "Claims triage", stage: "idea", business_unit: "Claims", stage_since: daysAgo(3) });
    backend.seed({ title: "Invoice matching", stage: "pilot", business_unit: "Finance", stage_since: daysAgo(120) });
    backend.seed({ title: "Churn radar", stage: "pilot", stage_since: daysAgo(10) });
    answerColumns(backend);
    const { user } = renderApp();
    await openPipeline(user);

    await waitFor(() => expect(column("Pilot")).toHaveAccessibleName("Pilot 2 use cases"));
    expect(column("Idea")).toHaveAccessibleName("Idea 1 use case");
    expect(within(column("Parked")).getByText("No use cases")).toBeInTheDocument();
    const board = screen.getByRole("region", { name: "Pipeline" });
    const names = within(board)
      .getAllByRole("heading", { level: 2 })
      .map((h) => h.textContent?.replace(/\s*\d.*$/, ""));
    expect(names).toEqual(["Idea", "Assessment", "Proof of concept", "Pilot", "Production", "Scaled", "Parked", "Retired"]);

    const stuck = card("Invoice matching");
    expect(stuck).toHaveTextContent("Stuck · 120 days");
    expect(stuck).toHaveTextContent("Finance");
    expect(card("Churn radar")).toHaveTextContent("10 days in stage");
    expect(card("Churn radar")).not.toHaveTextContent("Stuck");
    expect(card("Claims triage")).toHaveTextContent("3 days in stage");

    await user.click(screen.getByRole("button", { name: "Invoice matching" }));
    expect(await screen.findByRole("dialog", { name: "Invoice matching" })).toBeInTheDocument();
    await waitFor(() => expect(card("Invoice matching")).toHaveAttribute("aria-current", "true"));
  });

  it("counts a card stuck after the days set in the preferences", async () => {
    const backend = resetBackend();
    backend.answer("preferences_get", { ...engine.preferences, stale_after_days: 7 });
    backend.seed({ title: "Churn radar", stage: "pilot", stage_since: daysAgo(10) });
    answerColumns(backend);
    const { user } = renderApp();
    await openPipeline(user);
    await waitFor(() => expect(card("Churn radar")).toHaveTextContent("Stuck · 10 days"));
  });

  it("applies the shared filters to every column and loads a long column in pages", async () => {
    const backend = resetBackend();
    const claims = Array.from({ length: 55 }, (_, i) => backend.seed({ title: `Idea ${String(i + 1).padStart(2, "0")}`, business_unit: "Claims" }));
    const finance = backend.seed({ title: "Finance idea", business_unit: "Finance" });
    backend.answer("filter_choices", filterChoices({ business_units: ["Claims", "Finance"], stage_counts: [["idea", 56]], total: 56 }));
    // Everything is at Idea; with the Claims filter the engine lists the 55 Claims ideas.
    backend.answer("use_case_list", (req) => {
      const here = req.stage?.[0] !== "idea" ? [] : req.business_unit?.includes("Claims") ? claims : [...claims, finance];
      return page(here.slice(0, req.limit), here.length);
    });
    const { user } = renderApp();
    await openPipeline(user);
    await waitFor(() => expect(column("Idea")).toHaveAccessibleName("Idea 56 use cases"));

    await user.selectOptions(screen.getByRole("combobox", { name: "Add a business unit filter" }), "Claims");
    await waitFor(() => expect(column("Idea")).toHaveAccessibleName("Idea 55 use cases"));
    const idea = column("Idea");
    expect(within(idea).getAllByRole("listitem")).toHaveLength(50);
    expect(idea).toHaveTextContent("Showing 50 of 55");
    await user.click(within(idea).getByRole("button", { name: "Show 5 more" }));
    await waitFor(() => expect(within(column("Idea")).getAllByRole("listitem")).toHaveLength(55));
    expect(screen.queryByText("Finance idea")).not.toBeInTheDocument();
    expect(backend.callsOf("use_case_list")).toContainEqual({ business_unit: ["Claims"], stage: ["idea"], limit: 100 });
  });

  it("moves a card forward with its Move control when the gate is met", async () => {
    const backend = resetBackend();
    const uc = ready(backend, "Claims triage");
    answerColumns(backend);
    moves(backend);
    const { user } = renderApp();
    await openPipeline(user);
    await user.click(await screen.findByRole("button", { name: "Move “Claims triage”" }));
    const dialog = await screen.findByRole("dialog", { name: "Move “Claims triage”" });
    expect(await within(dialog).findByRole("list", { name: "Gate for Assessment" })).toHaveTextContent("Met: a business owner");

    await user.click(within(dialog).getByRole("button", { name: "Move to Assessment" }));
    await waitFor(() => expect(screen.queryByRole("dialog", { name: "Move “Claims triage”" })).not.toBeInTheDocument());
    expect(backend.callsOf("use_case_move_stage")).toEqual([{ id: uc.id, to: "assessment", expect_version: 1 }]);
    expect(await screen.findByText("Moved “Claims triage” to Assessment.")).toBeInTheDocument();
    await waitFor(() => expect(within(column("Assessment")).getByRole("button", { name: "Claims triage" })).toBeInTheDocument());
    expect(column("Idea")).toHaveAccessibleName("Idea 0 use cases");
    expect(screen.getByRole("button", { name: "Move “Claims triage”" })).toHaveFocus();
  });

  it("shows what a blocked move misses and does not move", async () => {
    const backend = resetBackend();
    // Just proposed: the engine's gate for Assessment misses a business owner and a problem statement.
    backend.seed({ title: "Claims triage" });
    answerColumns(backend);
    const { user } = renderApp();
    await openPipeline(user);
    await user.click(await screen.findByRole("button", { name: "Move “Claims triage”" }));
    const dialog = await screen.findByRole("dialog", { name: "Move “Claims triage”" });

    const gate = await within(dialog).findByRole("list", { name: "Gate for Assessment" });
    expect(
      within(gate)
        .getAllByRole("listitem")
        .map((i) => i.textContent),
    ).toEqual([expect.stringContaining("Missing: a business owner"), expect.stringContaining("Missing: a problem statement")]);
    expect(within(dialog).getByRole("button", { name: "Move to Assessment" })).toBeDisabled();
    expect(within(dialog).getByText("2 requirements missing before this move.")).toBeInTheDocument();
    expect(within(dialog).getByText(/forward moves go one stage at a time/)).toBeInTheDocument();
    await user.click(within(dialog).getByRole("button", { name: "Cancel" }));
    expect(backend.callsOf("use_case_move_stage")).toHaveLength(0);
    expect(within(column("Idea")).getByRole("button", { name: "Claims triage" })).toBeInTheDocument();
  });

  it("asks for the reason before moving a card back, then moves it with the note", async () => {
    const backend = resetBackend();
    const uc = backend.seed({ title: "Doc extraction", stage: "pilot" });
    backend.answer("use_case_stage_options", fromPilot);
    answerColumns(backend);
    moves(backend);
    const { user } = renderApp();
    await openPipeline(user);
    await user.click(await screen.findByRole("button", { name: "Move “Doc extraction”" }));
    const dialog = await screen.findByRole("dialog", { name: "Move “Doc extraction”" });
    await user.click(await within(dialog).findByRole("button", { name: "Move to Proof of concept" }));

    const note = within(dialog).getByLabelText("Why move to Proof of concept?");
    expect(note).toHaveFocus();
    await user.click(within(dialog).getByRole("button", { name: "Move to Proof of concept" }));
    expect(note).toHaveAccessibleDescription(/Moving to Proof of concept needs a note saying why/);
    expect(backend.callsOf("use_case_move_stage")).toHaveLength(0);

    await user.type(note, "Pilot users found gaps");
    await user.click(within(dialog).getByRole("button", { name: "Move to Proof of concept" }));
    await waitFor(() =>
      expect(backend.callsOf("use_case_move_stage")).toEqual([{ id: uc.id, to: "proof-of-concept", note: "Pilot users found gaps", expect_version: 1 }]),
    );
    await waitFor(() => expect(within(column("Proof of concept")).getByRole("button", { name: "Doc extraction" })).toBeInTheDocument());
  });

  it("says when the use case changed meanwhile and offers to reload", async () => {
    const backend = resetBackend();
    ready(backend, "Claims triage");
    answerColumns(backend);
    moves(backend);
    backend.failNext("use_case_move_stage", {
      code: "stale",
      message: "“Claims triage” was changed since you opened it; reload it and make your change again",
    });
    const { user } = renderApp();
    await openPipeline(user);
    await user.click(await screen.findByRole("button", { name: "Move “Claims triage”" }));
    const dialog = await screen.findByRole("dialog", { name: "Move “Claims triage”" });
    await user.click(await within(dialog).findByRole("button", { name: "Move to Assessment" }));
    const alert = await within(dialog).findByRole("alert");
    expect(alert).toHaveTextContent("was changed since you opened it");
    expect(within(alert).getByText("stale")).toBeInTheDocument();
    await user.click(within(alert).getByRole("button", { name: "Reload" }));
    expect(within(dialog).queryByRole("alert")).not.toBeInTheDocument();
    await user.click(within(dialog).getByRole("button", { name: "Move to Assessment" }));
    await waitFor(() => expect(within(column("Assessment")).getByRole("button", { name: "Claims triage" })).toBeInTheDocument());
  });

  describe("keyboard drag", () => {
    // jsdom has no layout: lay the columns out side by side, 200 px apart, and the cards inside them.
    const COLUMN = 200;
    function layout() {
      return vi.spyOn(HTMLElement.prototype, "getBoundingClientRect").mockImplementation(function (this: HTMLElement) {
        // The drag overlay sits where dnd-kit put it, at the card's first place.
        const fixed = this.closest<HTMLElement>('[style*="position: fixed"]');
        if (fixed) {
          const [left, top, width, height] = ["left", "top", "width", "height"].map((k) => parseFloat(fixed.style.getPropertyValue(k)) || 0) as [
            number,
            number,
            number,
            number,
          ];
          return { x: left, y: top, left, top, width, height, right: left + width, bottom: top + height, toJSON: () => ({}) } as DOMRect;
        }
        const col = this.closest<HTMLElement>("[data-column]");
        const columns = Array.from(document.querySelectorAll<HTMLElement>("[data-column]"));
        const i = col ? columns.indexOf(col) : 0;
        const inCard = this.closest("li") !== null && col !== null;
        const [left, top, width, height] = col === null ? [0, 0, 0, 0] : inCard ? [i * COLUMN + 10, 60, COLUMN - 20, 80] : [i * COLUMN, 0, COLUMN, 600];
        return { x: left, y: top, left, top, width, height, right: left + width, bottom: top + height, toJSON: () => ({}) } as DOMRect;
      });
    }
    afterEach(() => vi.restoreAllMocks());

    async function dragRight(handle: HTMLElement, steps: number) {
      handle.focus();
      fireEvent.keyDown(handle, { code: "Space", key: " " });
      // The sensor listens from the next tick on.
      await act(() => new Promise((r) => setTimeout(r, 10)));
      for (let i = 0; i < steps; i++) {
        fireEvent.keyDown(document, { code: "ArrowRight", key: "ArrowRight" });
        await act(() => new Promise((r) => setTimeout(r, 10)));
      }
      fireEvent.keyDown(document, { code: "Space", key: " " });
      await act(() => new Promise((r) => setTimeout(r, 10)));
    }

    it("moves a card to the next stage when the gate is met", async () => {
      const backend = resetBackend();
      const uc = ready(backend, "Claims triage");
      answerColumns(backend);
      moves(backend);
      const { user } = renderApp();
      await openPipeline(user);
      const handle = await screen.findByRole("button", { name: "Drag “Claims triage”" });
      layout();
      await dragRight(handle, 1);
      await waitFor(() => expect(backend.callsOf("use_case_move_stage")).toEqual([{ id: uc.id, to: "assessment", expect_version: 1 }]));
      await waitFor(() => expect(within(column("Assessment")).getByRole("button", { name: "Claims triage" })).toBeInTheDocument());
    });

    it("shows what the gate misses when dropped on a blocked stage, and does not move", async () => {
      const backend = resetBackend();
      backend.seed({ title: "Claims triage" });
      answerColumns(backend);
      const { user } = renderApp();
      await openPipeline(user);
      const handle = await screen.findByRole("button", { name: "Drag “Claims triage”" });
      layout();
      await dragRight(handle, 1);
      const dialog = await screen.findByRole("dialog", { name: "Move “Claims triage”" });
      expect(await within(dialog).findByText(/cannot move to Assessment yet/)).toBeInTheDocument();
      expect(within(dialog).getByRole("list", { name: "Gate for Assessment" })).toHaveTextContent("Missing: a business owner");
      await user.click(within(dialog).getByRole("button", { name: "OK" }));
      expect(backend.callsOf("use_case_move_stage")).toHaveLength(0);
    });

    it("asks for a note when dropped on Parked", async () => {
      const backend = resetBackend();
      const uc = backend.seed({ title: "Doc extraction", stage: "scaled" });
      backend.answer("use_case_stage_options", fromScaled);
      answerColumns(backend);
      moves(backend);
      const { user } = renderApp();
      await openPipeline(user);
      const handle = await screen.findByRole("button", { name: "Drag “Doc extraction”" });
      layout();
      await dragRight(handle, 1);
      const dialog = await screen.findByRole("dialog", { name: "Move “Doc extraction”" });
      const note = await within(dialog).findByLabelText("Why move to Parked?");
      await user.type(note, "Budget frozen");
      await user.click(within(dialog).getByRole("button", { name: "Move to Parked" }));
      await waitFor(() => expect(backend.callsOf("use_case_move_stage")).toEqual([{ id: uc.id, to: "parked", note: "Budget frozen", expect_version: 1 }]));
    });
  });
});
