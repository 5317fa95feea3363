// Stage & gates: the checklist shows what is missing before a move, links to fix it, and notes are asked for where needed.
import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { engine, historyEntry, met, optionsWith, stageOption } from "../../../test/answers";
import { resetBackend } from "../../../test/backend";
import { openUseCase, renderApp } from "../../../test/render";

describe("stage and gates", () => {
  it("shows the missing requirements of a blocked move before trying, with links to fix them", async () => {
    // The engine's answer for a use case just proposed: nothing of the Assessment gate is met yet.
    const backend = resetBackend();
    backend.seed({ title: "Claims triage" });
    const { user } = renderApp();
    const panel = await openUseCase(user, "Claims triage");
    await user.click(within(panel).getByRole("tab", { name: "Stage & gates" }));

    const gate = await within(panel).findByRole("list", { name: "Gate for Assessment" });
    const items = within(gate).getAllByRole("listitem");
    expect(items.map((i) => i.textContent)).toEqual([
      expect.stringContaining("Missing: a business owner"),
      expect.stringContaining("Missing: a problem statement"),
    ]);
    expect(within(panel).getByTestId("move-assessment")).toBeDisabled();
    expect(within(panel).getByText("2 requirements missing before this move.")).toBeInTheDocument();
    expect(backend.callsOf("use_case_move_stage")).toHaveLength(0);
    expect(within(panel).queryByTestId("move-pilot")).not.toBeInTheDocument();
    expect(within(panel).getByText(/forward moves go one stage at a time/)).toBeInTheDocument();

    await user.click(within(items[0]!).getByRole("button", { name: "Go to Owners" }));
    expect(within(panel).getByRole("tab", { name: "Owners" })).toHaveAttribute("aria-selected", "true");
  });

  it("moves forward in one click once the gate is met, and the timeline shows it", async () => {
    const backend = resetBackend();
    const helen = backend.addPerson({ email: "helen@example.org", name: "Helen Carter" });
    backend.seed({ title: "Claims triage", problem: "Slow claims", owners: { business: helen.email } });
    const assessment = engine.stage_options.find((o) => o.stage === "assessment")!;
    backend.answer("use_case_stage_options", optionsWith("assessment", { allowed: true, gate: met(assessment.gate) }));
    backend.answer("use_case_move_stage", (req) => {
      backend.answer("use_case_timeline", [historyEntry({ kind: "stage", field: "stage", old: "idea", new: "assessment" })]);
      return backend.update(req.id, { stage: req.to });
    });
    const { user } = renderApp();
    const panel = await openUseCase(user, "Claims triage");
    await user.click(within(panel).getByRole("tab", { name: "Stage & gates" }));
    const button = await within(panel).findByTestId("move-assessment");
    await waitFor(() => expect(button).toBeEnabled());
    expect(within(panel).getByRole("list", { name: "Gate for Assessment" })).toHaveTextContent("Met: a business owner");

    await user.click(button);
    expect(await within(panel).findByText("Moved to Assessment.")).toBeInTheDocument();
    expect(backend.callsOf("use_case_move_stage")).toEqual([{ id: expect.any(String), to: "assessment", expect_version: 1 }]);
    const timeline = within(panel).getByRole("heading", { name: "Timeline" }).parentElement!;
    await waitFor(() => expect(within(timeline).getAllByRole("listitem")).toHaveLength(1));
    expect(within(timeline).getByRole("listitem")).toHaveTextContent(/Idea\s*→\s*Assessment/);
  });

  it("asks for a note before parking, then parks with it", async () => {
    const backend = resetBackend();
    backend.seed({ title: "Doc extraction", stage: "pilot" });
    backend.answer("use_case_stage_options", [
      stageOption("proof-of-concept", { kind: "backward" }),
      stageOption("parked", { kind: "park", needs_note: true }),
      stageOption("retired", { kind: "retire", needs_note: true }),
    ]);
    backend.answer("use_case_move_stage", (req) => {
      backend.answer("use_case_timeline", [historyEntry({ kind: "stage", field: "stage", old: "pilot", new: "parked", note: req.note ?? null })]);
      return backend.update(req.id, { stage: req.to, left_stage: "pilot" });
    });
    const { user } = renderApp();
    const panel = await openUseCase(user, "Doc extraction");
    await user.click(within(panel).getByRole("tab", { name: "Stage & gates" }));
    await user.click(await within(panel).findByTestId("move-parked"));

    const note = within(panel).getByLabelText("Note for the move");
    expect(note).toHaveAccessibleDescription(/Moving to Parked needs a note saying why/);
    expect(note).toHaveFocus();
    expect(backend.callsOf("use_case_move_stage")).toHaveLength(0);

    await user.type(note, "Vendor contract on hold");
    await user.click(within(panel).getByTestId("move-parked"));
    await waitFor(() => expect(backend.callsOf("use_case_move_stage")).toHaveLength(1));
    expect(backend.callsOf("use_case_move_stage")[0]).toMatchObject({ to: "parked", note: "Vendor contract on hold" });
    expect(await within(panel).findByText("“Vendor contract on hold”")).toBeInTheDocument();
    expect(screen.getByRole("dialog", { name: "Doc extraction" })).toHaveTextContent("Parked");
  });

  it("shows an engine refusal with its details when the gate closed meanwhile", async () => {
    const backend = resetBackend();
    const helen = backend.addPerson({ email: "helen@example.org", name: "Helen Carter" });
    backend.seed({ title: "Claims triage", problem: "Slow", owners: { business: helen.email } });
    const assessment = engine.stage_options.find((o) => o.stage === "assessment")!;
    backend.answer("use_case_stage_options", optionsWith("assessment", { allowed: true, gate: met(assessment.gate) }));
    backend.failNext("use_case_move_stage", {
      code: "gate_blocked",
      message: "“Claims triage” cannot move to Assessment yet: 1 requirement(s) missing",
      details: ["missing: a business owner"],
    });
    const { user } = renderApp();
    const panel = await openUseCase(user, "Claims triage");
    await user.click(within(panel).getByRole("tab", { name: "Stage & gates" }));
    const button = await within(panel).findByTestId("move-assessment");
    await waitFor(() => expect(button).toBeEnabled());
    await user.click(button);
    const alert = await within(panel).findByRole("alert");
    expect(alert).toHaveTextContent("cannot move to Assessment yet");
    expect(within(alert).getByRole("listitem")).toHaveTextContent("missing: a business owner");
    expect(within(alert).getByText("gate_blocked")).toBeInTheDocument();
  });
});
