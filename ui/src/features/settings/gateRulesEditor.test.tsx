// Settings › Stage gates: requirements listed per stage, removed and added, saved as a new rules version; the engine's errors beside the stage.
import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { gateItem, stageOption } from "../../test/answers";
import { resetBackend } from "../../test/backend";
import { openUseCase, renderApp } from "../../test/render";

async function openGates(user: ReturnType<typeof import("@testing-library/user-event").default.setup>) {
  await user.click(await screen.findByRole("button", { name: "Settings" }));
  return screen.findByRole("form", { name: "Stage gates" });
}

describe("gate rules editor", () => {
  it("lists each stage's requirements, edits them and saves a new version the gates then follow", async () => {
    const backend = resetBackend();
    backend.seed({ title: "Invoice matching", stage: "pilot" });
    backend.answer("gate_rules_save", (rules) => {
      const saved = { ...rules, version: 2 };
      backend.answer("gate_rules_get", saved);
      // What the engine's gates then ask of a use case in Pilot, under the new rules.
      backend.answer("use_case_stage_options", [
        stageOption("production", {
          allowed: false,
          gate: [
            gateItem({ kind: "field", field: "business_unit" }, "a business unit", false),
            gateItem({ kind: "owner", role: "data" }, "a data owner", false),
          ],
        }),
        stageOption("proof-of-concept", { kind: "backward" }),
        stageOption("parked", { kind: "park", needs_note: true }),
        stageOption("retired", { kind: "retire", needs_note: true }),
      ]);
      return saved;
    });
    const { user } = renderApp();
    const editor = await openGates(user);
    expect(editor).toHaveTextContent("Rules version 1");

    const assessment = within(editor).getByRole("group", { name: "Moving into Assessment" });
    expect(
      within(assessment)
        .getAllByRole("listitem")
        .map((li) => li.textContent),
    ).toEqual([expect.stringContaining("A business owner"), expect.stringContaining("A problem statement")]);
    expect(within(within(editor).getByRole("group", { name: "Moving into Pilot" })).getByRole("listitem")).toHaveTextContent(
      "Every inherited control in place or not applicable",
    );
    const production = within(editor).getByRole("group", { name: "Moving into Production" });
    expect(production).toHaveTextContent("Nothing required");
    expect(within(editor).queryByRole("group", { name: /Parked|Retired|Idea/ })).not.toBeInTheDocument();

    await user.click(within(assessment).getByRole("button", { name: "Remove “a problem statement” from Assessment" }));
    expect(within(assessment).getAllByRole("listitem")).toHaveLength(1);
    const addToProduction = within(production).getByLabelText("Add a requirement to Production");
    await user.selectOptions(addToProduction, "A business unit");
    await user.selectOptions(addToProduction, "A data owner");
    expect(
      within(production)
        .getAllByRole("listitem")
        .map((li) => li.textContent),
    ).toEqual([expect.stringContaining("A business unit"), expect.stringContaining("A data owner")]);
    // What a stage already asks for is not offered again.
    expect(within(addToProduction).queryByRole("option", { name: "A business unit" })).not.toBeInTheDocument();
    expect(within(editor).getByText("Unsaved changes")).toBeInTheDocument();

    await user.click(within(editor).getByRole("button", { name: "Save" }));
    expect(await screen.findByText("Saved as version 2.")).toBeInTheDocument();
    expect(backend.callsOf("gate_rules_save")[0]).toEqual({
      version: 1,
      stages: {
        assessment: [{ kind: "owner", role: "business" }],
        "proof-of-concept": [{ kind: "all_scored" }, { kind: "owner", role: "technical" }, { kind: "primary_pattern" }, { kind: "triage" }],
        pilot: [{ kind: "controls_in_place" }],
        production: [
          { kind: "field", field: "business_unit" },
          { kind: "owner", role: "data" },
        ],
      },
    });
    expect(screen.getByRole("form", { name: "Stage gates" })).toHaveTextContent("Rules version 2");

    // A use case's gate checklist asks for what the new rules ask.
    await user.click(screen.getByRole("button", { name: /^Portfolio/ }));
    const panel = await openUseCase(user, "Invoice matching");
    await user.click(within(panel).getByRole("tab", { name: "Stage & gates" }));
    expect(await within(panel).findByText("a business unit")).toBeInTheDocument();
    expect(within(panel).getByText("a data owner")).toBeInTheDocument();
  });

  it("offers the pattern requirements under their own heading, and saves one", async () => {
    const backend = resetBackend();
    backend.answer("gate_rules_save", (rules) => ({ ...rules, version: 2 }));
    const { user } = renderApp();
    const editor = await openGates(user);
    const pilot = within(editor).getByRole("group", { name: "Moving into Pilot" });
    const addToPilot = within(pilot).getByLabelText("Add a requirement to Pilot");
    const group = within(addToPilot).getByRole("group", { name: "Patterns & controls" });
    // Pilot already asks for the controls: only the primary pattern is left to offer.
    expect(
      within(group)
        .getAllByRole("option")
        .map((o) => o.textContent),
    ).toEqual(["Primary pattern (or a reason for none)"]);
    const addToProduction = within(editor).getByLabelText("Add a requirement to Production");
    expect(
      within(within(addToProduction).getByRole("group", { name: "Patterns & controls" }))
        .getAllByRole("option")
        .map((o) => o.textContent),
    ).toEqual(["Primary pattern (or a reason for none)", "Every inherited control in place or N/A"]);

    await user.selectOptions(addToProduction, "Every inherited control in place or N/A");
    await user.click(within(editor).getByRole("button", { name: "Save" }));
    expect(await screen.findByText("Saved as version 2.")).toBeInTheDocument();
    expect(backend.callsOf("gate_rules_save")[0]!.stages.production).toEqual([{ kind: "controls_in_place" }]);
  });

  it("shows the engine's refusal beside the stage it names and keeps the draft", async () => {
    const backend = resetBackend();
    backend.failNext("gate_rules_save", { code: "validation", field: "stages.production", message: "a requirement of Production is listed twice" });
    const { user } = renderApp();
    const editor = await openGates(user);
    const production = within(editor).getByRole("group", { name: "Moving into Production" });
    await user.selectOptions(within(production).getByLabelText("Add a requirement to Production"), "A risk owner");
    await user.click(within(editor).getByRole("button", { name: "Save" }));

    expect(await within(production).findByText("a requirement of Production is listed twice")).toBeInTheDocument();
    expect(production).toHaveAccessibleDescription("a requirement of Production is listed twice");
    expect(within(production).getByRole("listitem")).toHaveTextContent("A risk owner");
    expect(backend.callsOf("gate_rules_save")[0]!.stages.production).toEqual([{ kind: "owner", role: "risk" }]);
    await waitFor(() => expect(screen.getByRole("form", { name: "Stage gates" })).toHaveTextContent("Rules version 1"));
    expect(within(editor).getByText("Unsaved changes")).toBeInTheDocument();
  });
});
