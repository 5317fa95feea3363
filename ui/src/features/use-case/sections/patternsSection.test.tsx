// Patterns & controls tab: mapping a primary pattern and another, the controls inherited (each once) with status and note, the reason for no pattern, removal; the gates that ask for them; the pattern filter.
import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import type { Catalogue } from "../../../bindings/Catalogue";
import type { UseCase } from "../../../bindings/UseCase";
import { engine, gateItem, historyEntry, inheritedControl, page, patternLink, stageOption } from "../../../test/answers";
import { resetBackend } from "../../../test/backend";
import { openUseCase, renderApp, tableRows } from "../../../test/render";

async function openPatternsTab(user: ReturnType<typeof renderApp>["user"], title: string) {
  const panel = await openUseCase(user, title);
  await user.click(within(panel).getByRole("tab", { name: "Patterns & controls" }));
  return panel;
}

const allScored = { "strategic-fit": 4, "business-impact": 4, "data-readiness": 3, "technical-complexity": 3 };

/** A use case's link to one of the engine's starter patterns. */
/** The engine's catalogue with one pattern changed as stated. */
function catalogueWith(slug: string, fields: Partial<Catalogue["patterns"][number]>): Catalogue {
  return { ...engine.catalogue, patterns: engine.catalogue.patterns.map((p) => (p.slug === slug ? { ...p, ...fields } : p)) };
}

const RAG = "rag-knowledge-assistant";
const AGENTIC = "agentic-workflow";
/** What a use case mapped to the RAG knowledge assistant alone inherits. */
const ragControls = () => ["data-leakage-check", "grounding-check", "prompt-injection-test", "ai-disclosure"].map((c) => inheritedControl(c, [RAG]));

describe("patterns and controls tab", () => {
  it("maps a primary pattern and another, inherits their controls once each, and makes the other primary", async () => {
    const backend = resetBackend();
    const uc = backend.seed({ title: "Claims helper" });
    // What the engine answers each mapping: the links, primary first, and the controls they bring, each once, the primary's first.
    const mapped: Partial<UseCase>[] = [
      { patterns: [patternLink(RAG, true)], controls: ragControls() },
      {
        patterns: [patternLink(RAG, true), patternLink(AGENTIC)],
        controls: [
          inheritedControl("data-leakage-check", [RAG]),
          inheritedControl("grounding-check", [RAG]),
          inheritedControl("prompt-injection-test", [RAG, AGENTIC]),
          inheritedControl("ai-disclosure", [RAG]),
          inheritedControl("human-in-the-loop", [AGENTIC]),
          inheritedControl("action-limits", [AGENTIC]),
          inheritedControl("fallback-procedure", [AGENTIC]),
        ],
      },
      {
        patterns: [patternLink(AGENTIC, true), patternLink(RAG)],
        controls: [
          inheritedControl("human-in-the-loop", [AGENTIC]),
          inheritedControl("action-limits", [AGENTIC]),
          inheritedControl("prompt-injection-test", [AGENTIC, RAG]),
          inheritedControl("fallback-procedure", [AGENTIC]),
          inheritedControl("data-leakage-check", [RAG]),
          inheritedControl("grounding-check", [RAG]),
          inheritedControl("ai-disclosure", [RAG]),
        ],
      },
    ];
    backend.answer("use_case_map_pattern", (req) => backend.update(req.use_case_id, mapped.shift()!));
    const { user } = renderApp();
    const panel = await openPatternsTab(user, "Claims helper");
    expect(within(panel).getByText("Not mapped to a reference pattern yet.")).toBeInTheDocument();
    expect(within(panel).getByLabelText("Reason for no primary pattern")).toBeInTheDocument();

    const picker = within(panel).getByLabelText("Pattern to add");
    await waitFor(() => expect(within(picker).getByRole("option", { name: "RAG knowledge assistant" })).toBeInTheDocument());
    await user.selectOptions(picker, "RAG knowledge assistant");
    expect(within(panel).getByRole("checkbox", { name: "As the primary pattern" })).toBeChecked();
    await user.click(within(panel).getByRole("button", { name: "Add pattern" }));

    const mappedList = await within(panel).findByRole("list", { name: "Mapped patterns" });
    expect(within(mappedList).getByRole("listitem")).toHaveTextContent("RAG knowledge assistantPrimary");
    expect(backend.callsOf("use_case_map_pattern")).toEqual([{ use_case_id: uc.id, pattern_slug: RAG, primary: true }]);
    expect(within(panel).queryByLabelText("Reason for no primary pattern")).not.toBeInTheDocument();
    expect(within(panel).getByTestId("controls-summary")).toHaveTextContent("4 of 4 controls open — Pilot needs every control in place or not applicable");
    // Mapped patterns are not offered again.
    expect(within(picker).queryByRole("option", { name: "RAG knowledge assistant" })).not.toBeInTheDocument();

    await user.selectOptions(picker, "Agentic workflow");
    expect(within(panel).getByRole("checkbox", { name: "As the primary pattern" })).not.toBeChecked();
    await user.click(within(panel).getByRole("button", { name: "Add pattern" }));
    await waitFor(() => expect(within(mappedList).getAllByRole("listitem")).toHaveLength(2));
    expect(backend.callsOf("use_case_map_pattern")[1]).toEqual({ use_case_id: uc.id, pattern_slug: AGENTIC, primary: false });
    const controls = within(panel).getByRole("list", { name: "Inherited controls" });
    expect(
      within(controls)
        .getAllByRole("heading")
        .map((h) => h.textContent),
    ).toEqual(["Data-leakage check", "Grounding check", "Prompt-injection test", "AI disclosure", "Human in the loop", "Action limits", "Fallback procedure"]);
    expect(within(controls).getByRole("listitem", { name: "Prompt-injection test" })).toHaveTextContent("From RAG knowledge assistant and Agentic workflow");
    expect(within(panel).getByTestId("controls-summary")).toHaveTextContent("7 of 7 controls open");

    await user.click(within(mappedList).getByRole("button", { name: "Make “Agentic workflow” the primary pattern" }));
    expect(await within(panel).findByText("Agentic workflow is the primary pattern.")).toBeInTheDocument();
    expect(backend.callsOf("use_case_map_pattern")[2]).toEqual({ use_case_id: uc.id, pattern_slug: AGENTIC, primary: true });
    expect(
      within(mappedList)
        .getAllByRole("listitem")
        .map((li) => li.textContent),
    ).toEqual([expect.stringMatching(/^Agentic workflowPrimary/), expect.stringMatching(/^RAG knowledge assistant/)]);
    expect(within(controls).getAllByRole("heading")[0]).toHaveTextContent("Human in the loop");
  });

  it("sets a control's status with a note, and the summary and history follow", async () => {
    const backend = resetBackend();
    const uc = backend.seed({ title: "Policy assistant", patterns: [patternLink(RAG, true)], controls: ragControls() });
    // The engine keeps the status and note set.
    backend.answer("use_case_set_control", (req) =>
      backend.update(req.use_case_id, {
        controls: backend.useCases
          .get(req.use_case_id)!
          .controls.map((c) => (c.slug === req.control_slug ? { ...c, status: req.status, note: req.note ?? null } : c)),
      }),
    );
    const { user } = renderApp();
    const panel = await openPatternsTab(user, "Policy assistant");
    const controls = within(panel).getByRole("list", { name: "Inherited controls" });

    const leakage = within(controls).getByRole("listitem", { name: "Data-leakage check" });
    const status = within(leakage).getByRole("radiogroup", { name: "Status of Data-leakage check" });
    expect(within(status).getByRole("radio", { name: "Open" })).toBeChecked();
    await user.type(within(leakage).getByRole("textbox", { name: "Note on Data-leakage check" }), "Access rights tested by IT security");
    await user.click(within(status).getByRole("radio", { name: "In place" }));
    await waitFor(() => expect(within(status).getByRole("radio", { name: "In place" })).toBeChecked());
    expect(backend.callsOf("use_case_set_control")).toEqual([
      { use_case_id: uc.id, control_slug: "data-leakage-check", status: "in-place", note: "Access rights tested by IT security" },
    ]);

    const disclosure = within(controls).getByRole("listitem", { name: "AI disclosure" });
    await user.click(within(disclosure).getByRole("radio", { name: "Not applicable" }));
    await waitFor(() =>
      expect(within(panel).getByTestId("controls-summary")).toHaveTextContent("2 of 4 controls open — Pilot needs every control in place or not applicable"),
    );
    expect(backend.callsOf("use_case_set_control")[1]).toEqual({ use_case_id: uc.id, control_slug: "ai-disclosure", status: "not-applicable" });

    // A note alone is saved when the field is left.
    const grounding = within(controls).getByRole("listitem", { name: "Grounding check" });
    await user.type(within(grounding).getByRole("textbox", { name: "Note on Grounding check" }), "Question set drafted");
    await user.tab();
    await waitFor(() =>
      expect(backend.callsOf("use_case_set_control").at(-1)).toEqual({
        use_case_id: uc.id,
        control_slug: "grounding-check",
        status: "open",
        note: "Question set drafted",
      }),
    );
    expect(await within(grounding).findByText("Saved")).toBeInTheDocument();

    // The engine logs a status change with its note.
    backend.answer("use_case_history", [
      historyEntry({ kind: "control", field: "data-leakage-check", old: "open", new: "in-place", note: "Access rights tested by IT security" }),
    ]);
    await user.click(within(panel).getByRole("tab", { name: "History" }));
    const history = await within(panel).findByRole("row", { name: /data-leakage-check/ });
    expect(history).toHaveTextContent("Open → In place");
    expect(history).toHaveTextContent("Access rights tested by IT security");
  });

  it("records a reason for no primary pattern, which meets the Proof of concept gate; the gate links here", async () => {
    const backend = resetBackend();
    const arch = backend.addPerson({ email: "arch@example.org", name: "Ada Architect" });
    const uc = backend.seed({ title: "Rules engine", stage: "assessment", scores: allScored, owners: { technical: arch.email } });
    // Scored, owned and triaged: the pattern is all the gate still misses, until a reason is recorded.
    const options = (patternMet: boolean) => [
      stageOption("idea", { kind: "backward" }),
      stageOption("proof-of-concept", {
        allowed: patternMet,
        gate: [
          gateItem({ kind: "all_scored" }, "every value and feasibility criterion scored", true),
          gateItem({ kind: "owner", role: "technical" }, "a technical owner", true),
          gateItem({ kind: "primary_pattern" }, "a primary pattern (or a recorded reason for none)", patternMet),
          gateItem({ kind: "triage" }, "a risk triage (not prohibited, under the current rules)", true),
        ],
      }),
    ];
    backend.answer("use_case_stage_options", options(false));
    backend.answer("use_case_set_fields", (req) => {
      backend.answer("use_case_stage_options", options(true));
      return backend.update(req.id, { no_pattern_reason: req.fields.no_pattern_reason as string });
    });
    const { user } = renderApp();
    const panel = await openUseCase(user, "Rules engine");
    await user.click(within(panel).getByRole("tab", { name: "Stage & gates" }));

    const gate = await within(panel).findByRole("list", { name: "Gate for Proof of concept" });
    const item = within(gate)
      .getByText(/a primary pattern/)
      .closest("li")!;
    expect(item).toHaveTextContent("Missing: a primary pattern (or a recorded reason for none)");
    expect(within(panel).getByTestId("move-proof-of-concept")).toBeDisabled();
    await user.click(within(item).getByRole("button", { name: "Go to Patterns & controls" }));
    expect(within(panel).getByRole("tab", { name: "Patterns & controls" })).toHaveAttribute("aria-selected", "true");
    await waitFor(() => expect(within(panel).getByLabelText("Pattern to add")).toHaveFocus());

    const reason = within(panel).getByLabelText("Reason for no primary pattern");
    expect(reason).toHaveAccessibleDescription(/Proof of concept needs a primary pattern, or this reason for having none/);
    await user.type(reason, "A rules engine; no AI pattern applies");
    await user.click(within(panel).getByRole("button", { name: "Save reason" }));
    expect(await within(panel).findByText("Saved")).toBeInTheDocument();
    expect(backend.callsOf("use_case_set_fields").at(-1)).toEqual({
      id: uc.id,
      expect_version: 1,
      fields: { no_pattern_reason: "A rules engine; no AI pattern applies" },
    });

    await user.click(within(panel).getByRole("tab", { name: "Stage & gates" }));
    await waitFor(() => expect(within(panel).getByTestId("move-proof-of-concept")).toBeEnabled());
    expect(within(panel).getByRole("list", { name: "Gate for Proof of concept" })).toHaveTextContent("Met: a primary pattern (or a recorded reason for none)");
  });

  it("lists the open controls in the Pilot gate, and removing a pattern drops its controls", async () => {
    const backend = resetBackend();
    const EXTRACTION = "document-extraction";
    const CLASSIFICATION = "classification";
    const inPlace = { status: "in-place" as const };
    const uc = backend.seed({
      title: "Claims helper",
      stage: "proof-of-concept",
      patterns: [patternLink(EXTRACTION, true), patternLink(CLASSIFICATION)],
      controls: [
        inheritedControl("extraction-accuracy-sampling", [EXTRACTION]),
        inheritedControl("human-in-the-loop", [EXTRACTION], inPlace),
        inheritedControl("pii-minimisation", [EXTRACTION]),
        inheritedControl("model-monitoring", [CLASSIFICATION]),
        inheritedControl("bias-and-fairness-test", [CLASSIFICATION]),
        inheritedControl("fallback-procedure", [CLASSIFICATION]),
      ],
    });
    const open = "Extraction accuracy sampling, Personal-data minimisation, Model monitoring, Bias and fairness test, Fallback procedure";
    backend.answer("use_case_stage_options", [
      stageOption("pilot", {
        allowed: false,
        gate: [gateItem({ kind: "controls_in_place" }, `every inherited control in place or not applicable (open: ${open})`, false)],
      }),
    ]);
    // Without the classification pattern, its controls are no longer inherited.
    backend.answer("use_case_unmap_pattern", (req) =>
      backend.update(req.use_case_id, {
        patterns: [patternLink(EXTRACTION, true)],
        controls: [
          inheritedControl("extraction-accuracy-sampling", [EXTRACTION]),
          inheritedControl("human-in-the-loop", [EXTRACTION], inPlace),
          inheritedControl("pii-minimisation", [EXTRACTION]),
        ],
      }),
    );
    const { user } = renderApp();
    const panel = await openUseCase(user, "Claims helper");
    await user.click(within(panel).getByRole("tab", { name: "Stage & gates" }));
    const gate = await within(panel).findByRole("list", { name: "Gate for Pilot" });
    expect(gate).toHaveTextContent(`Missing: every inherited control in place or not applicable (open: ${open})`);

    await user.click(within(panel).getByRole("tab", { name: "Patterns & controls" }));
    await user.click(within(panel).getByRole("button", { name: "Remove “Classification and routing”" }));
    expect(await within(panel).findByText("Removed Classification and routing.")).toBeInTheDocument();
    expect(backend.callsOf("use_case_unmap_pattern")).toEqual([{ use_case_id: uc.id, pattern_slug: CLASSIFICATION }]);
    const controls = within(panel).getByRole("list", { name: "Inherited controls" });
    expect(
      within(controls)
        .getAllByRole("heading")
        .map((h) => h.textContent),
    ).toEqual(["Extraction accuracy sampling", "Human in the loop", "Personal-data minimisation"]);
    expect(within(panel).getByTestId("controls-summary")).toHaveTextContent("2 of 3 controls open");
  });

  it("refuses a pattern retired since the list was loaded, beside the picker", async () => {
    const backend = resetBackend();
    const uc = backend.seed({ title: "Claims helper" });
    const { user } = renderApp();
    const panel = await openPatternsTab(user, "Claims helper");
    const picker = within(panel).getByLabelText("Pattern to add");
    await waitFor(() => expect(within(picker).getByRole("option", { name: "Agentic workflow" })).toBeInTheDocument());
    // Someone retires it in another window: the engine refuses the mapping, and its catalogue says so.
    backend.answer("pattern_catalogue", catalogueWith(AGENTIC, { retired: true }));
    backend.failNext("use_case_map_pattern", {
      code: "validation",
      field: "pattern",
      message: "the pattern `agentic-workflow` is retired and takes no new use cases (“Claims helper” was not mapped)",
    });
    await user.selectOptions(picker, "Agentic workflow");
    await user.click(within(panel).getByRole("button", { name: "Add pattern" }));
    await waitFor(() => expect(picker).toHaveAccessibleDescription(/the pattern `agentic-workflow` is retired and takes no new use cases/));
    expect(backend.callsOf("use_case_map_pattern")).toEqual([{ use_case_id: uc.id, pattern_slug: AGENTIC, primary: true }]);
    // The catalogue is read again: the retired pattern is no longer offered.
    await waitFor(() => expect(within(picker).queryByRole("option", { name: "Agentic workflow" })).not.toBeInTheDocument());
  });
});

describe("pattern filter", () => {
  it("filters the portfolio by pattern, primary or other, with a chip in the pattern's name", async () => {
    const backend = resetBackend();
    const policy = backend.seed({ title: "Policy assistant", patterns: [patternLink(RAG, true)] });
    const claims = backend.seed({ title: "Claims helper", patterns: [patternLink(AGENTIC, true), patternLink(RAG)] });
    backend.seed({ title: "Invoice matching" });
    // The engine's answer for the pattern filter: the use cases mapped to it, as primary or other.
    backend.answer("use_case_list", (q) => (q?.pattern?.includes(RAG) ? page([policy, claims]) : page([...backend.useCases.values()])));
    const { user } = renderApp();
    await screen.findByRole("row", { name: /Invoice matching/ });

    const filter = screen.getByLabelText("Add a pattern filter");
    await waitFor(() => expect(within(filter).getByRole("option", { name: "RAG knowledge assistant" })).toBeInTheDocument());
    await user.selectOptions(filter, "RAG knowledge assistant");
    expect(within(screen.getByRole("list", { name: "Active filters" })).getByText("Pattern: RAG knowledge assistant")).toBeInTheDocument();
    await waitFor(() => expect(tableRows()).toHaveLength(2));
    expect(screen.getByRole("row", { name: /Claims helper/ })).toBeInTheDocument();
    expect(screen.queryByRole("row", { name: /Invoice matching/ })).not.toBeInTheDocument();
    const calls = backend.callsOf("use_case_list");
    expect(calls[calls.length - 1]).toMatchObject({ pattern: [RAG] });

    await user.click(screen.getByRole("button", { name: "Remove filter Pattern: RAG knowledge assistant" }));
    await waitFor(() => expect(tableRows()).toHaveLength(3));
  });
});
