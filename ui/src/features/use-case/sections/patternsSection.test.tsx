// Patterns & controls tab: mapping a primary pattern and another, the controls inherited (each once) with status and note, the reason for no pattern, removal; the gates that ask for them; the pattern filter.
import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { resetBackend, triageOf } from "../../../test/fakeBackend";
import { openUseCase, renderApp, tableRows } from "../../../test/render";

async function openPatternsTab(user: ReturnType<typeof renderApp>["user"], title: string) {
  const panel = await openUseCase(user, title);
  await user.click(within(panel).getByRole("tab", { name: "Patterns & controls" }));
  return panel;
}

const allScored = { "strategic-fit": 4, "business-impact": 4, "data-readiness": 3, "technical-complexity": 3 };

describe("patterns and controls tab", () => {
  it("maps a primary pattern and another, inherits their controls once each, and makes the other primary", async () => {
    const backend = resetBackend();
    const uc = backend.seed({ title: "Claims helper" });
    const { user } = renderApp();
    const panel = await openPatternsTab(user, "Claims helper");
    expect(within(panel).getByText("Not mapped to a reference pattern yet.")).toBeInTheDocument();
    expect(within(panel).getByLabelText("Reason for no primary pattern")).toBeInTheDocument();

    const picker = within(panel).getByLabelText("Pattern to add");
    await waitFor(() => expect(within(picker).getByRole("option", { name: "RAG knowledge assistant" })).toBeInTheDocument());
    await user.selectOptions(picker, "RAG knowledge assistant");
    expect(within(panel).getByRole("checkbox", { name: "As the primary pattern" })).toBeChecked();
    await user.click(within(panel).getByRole("button", { name: "Add pattern" }));

    const mapped = await within(panel).findByRole("list", { name: "Mapped patterns" });
    expect(within(mapped).getByRole("listitem")).toHaveTextContent("RAG knowledge assistantPrimary");
    expect(backend.callsOf("use_case_map_pattern")).toEqual([{ use_case_id: uc.id, pattern_slug: "rag-knowledge-assistant", primary: true }]);
    expect(within(panel).queryByLabelText("Reason for no primary pattern")).not.toBeInTheDocument();
    expect(within(panel).getByTestId("controls-summary")).toHaveTextContent("4 of 4 controls open — Pilot needs every control in place or not applicable");
    // Mapped patterns are not offered again.
    expect(within(picker).queryByRole("option", { name: "RAG knowledge assistant" })).not.toBeInTheDocument();

    await user.selectOptions(picker, "Agentic workflow");
    expect(within(panel).getByRole("checkbox", { name: "As the primary pattern" })).not.toBeChecked();
    await user.click(within(panel).getByRole("button", { name: "Add pattern" }));
    await waitFor(() => expect(within(mapped).getAllByRole("listitem")).toHaveLength(2));
    const controls = within(panel).getByRole("list", { name: "Inherited controls" });
    expect(
      within(controls)
        .getAllByRole("heading")
        .map((h) => h.textContent),
    ).toEqual(["Data-leakage check", "Grounding check", "Prompt-injection test", "AI disclosure", "Human in the loop", "Action limits", "Fallback procedure"]);
    expect(within(controls).getByRole("listitem", { name: "Prompt-injection test" })).toHaveTextContent("From RAG knowledge assistant and Agentic workflow");
    expect(within(panel).getByTestId("controls-summary")).toHaveTextContent("7 of 7 controls open");

    await user.click(within(mapped).getByRole("button", { name: "Make “Agentic workflow” the primary pattern" }));
    expect(await within(panel).findByText("Agentic workflow is the primary pattern.")).toBeInTheDocument();
    expect(
      within(mapped)
        .getAllByRole("listitem")
        .map((li) => li.textContent),
    ).toEqual([expect.stringMatching(/^Agentic workflowPrimary/), expect.stringMatching(/^RAG knowledge assistant/)]);
    expect(within(controls).getAllByRole("heading")[0]).toHaveTextContent("Human in the loop");
  });

  it("sets a control's status with a note, and the summary and history follow", async () => {
    const backend = resetBackend();
    const uc = backend.seed({ title: "Policy assistant", patterns: [{ slug: "rag-knowledge-assistant", primary: true }] });
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

    await user.click(within(panel).getByRole("tab", { name: "History" }));
    const history = await within(panel).findByRole("row", { name: /data-leakage-check/ });
    expect(history).toHaveTextContent("Open → In place");
    expect(history).toHaveTextContent("Access rights tested by IT security");
  });

  it("records a reason for no primary pattern, which meets the Proof of concept gate; the gate links here", async () => {
    const backend = resetBackend();
    const arch = backend.addPerson({ email: "arch@example.org", name: "Ada Architect" });
    // Triaged (minimal risk), so the pattern is all the gate still misses.
    const uc = backend.seed({
      title: "Rules engine",
      stage: "assessment",
      raw: allScored,
      owners: { business: null, technical: arch.email, data: null, risk: null },
      triage: triageOf([]),
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
    const uc = backend.seed({
      title: "Claims helper",
      stage: "proof-of-concept",
      patterns: [
        { slug: "document-extraction", primary: true },
        { slug: "classification", primary: false },
      ],
      controls: { "human-in-the-loop": { status: "in-place", note: null } },
    });
    const { user } = renderApp();
    const panel = await openUseCase(user, "Claims helper");
    await user.click(within(panel).getByRole("tab", { name: "Stage & gates" }));
    const gate = await within(panel).findByRole("list", { name: "Gate for Pilot" });
    expect(gate).toHaveTextContent(
      "Missing: every inherited control in place or not applicable (open: Extraction accuracy sampling, Personal-data minimisation, Model monitoring, Bias and fairness test, Fallback procedure)",
    );

    await user.click(within(panel).getByRole("tab", { name: "Patterns & controls" }));
    await user.click(within(panel).getByRole("button", { name: "Remove “Classification and routing”" }));
    expect(await within(panel).findByText("Removed Classification and routing.")).toBeInTheDocument();
    expect(backend.callsOf("use_case_unmap_pattern")).toEqual([{ use_case_id: uc.id, pattern_slug: "classification" }]);
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
    backend.seed({ title: "Claims helper" });
    const { user } = renderApp();
    const panel = await openPatternsTab(user, "Claims helper");
    const picker = within(panel).getByLabelText("Pattern to add");
    await waitFor(() => expect(within(picker).getByRole("option", { name: "Agentic workflow" })).toBeInTheDocument());
    backend.patterns.find((p) => p.slug === "agentic-workflow")!.retired = true;
    await user.selectOptions(picker, "Agentic workflow");
    await user.click(within(panel).getByRole("button", { name: "Add pattern" }));
    await waitFor(() => expect(picker).toHaveAccessibleDescription(/the pattern `agentic-workflow` is retired and takes no new use cases/));
    // The catalogue is read again: the retired pattern is no longer offered.
    await waitFor(() => expect(within(picker).queryByRole("option", { name: "Agentic workflow" })).not.toBeInTheDocument());
  });
});

describe("pattern filter", () => {
  it("filters the portfolio by pattern, primary or other, with a chip in the pattern's name", async () => {
    const backend = resetBackend();
    backend.seed({ title: "Policy assistant", patterns: [{ slug: "rag-knowledge-assistant", primary: true }] });
    backend.seed({
      title: "Claims helper",
      patterns: [
        { slug: "agentic-workflow", primary: true },
        { slug: "rag-knowledge-assistant", primary: false },
      ],
    });
    backend.seed({ title: "Invoice matching" });
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
    expect(calls[calls.length - 1]).toMatchObject({ pattern: ["rag-knowledge-assistant"] });

    await user.click(screen.getByRole("button", { name: "Remove filter Pattern: RAG knowledge assistant" }));
    await waitFor(() => expect(tableRows()).toHaveLength(3));
  });
});
