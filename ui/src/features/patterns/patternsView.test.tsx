// Patterns view: the catalogue with reuse, stage spread and controls; adding (a taken slug refused at the field, a new control), editing and retiring; mapping ticked use cases in bulk.
import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { resetBackend } from "../../test/fakeBackend";
import { renderApp } from "../../test/render";

async function openPatterns(user: ReturnType<typeof renderApp>["user"]) {
  await user.click(await screen.findByRole("button", { name: "Patterns" }));
  return screen.findByRole("list", { name: "Pattern catalogue" });
}

function card(name: string): HTMLElement {
  return screen.getByRole("listitem", { name });
}

describe("patterns view", () => {
  it("shows each pattern's reuse, stage spread, components and required controls, and opens its use cases", async () => {
    const backend = resetBackend();
    backend.seed({ title: "Policy assistant", patterns: [{ slug: "rag-knowledge-assistant", primary: true }] });
    backend.seed({
      title: "Claims helper",
      stage: "pilot",
      patterns: [
        { slug: "agentic-workflow", primary: true },
        { slug: "rag-knowledge-assistant", primary: false },
      ],
    });
    backend.seed({ title: "Invoice matching" });
    backend.seed({ title: "Archived bot", archived: true, patterns: [{ slug: "rag-knowledge-assistant", primary: true }] });
    const { user } = renderApp();
    await openPatterns(user);

    expect(await screen.findByText("4 patterns · 1 use case with no pattern yet")).toBeInTheDocument();
    const rag = await waitFor(() => card("RAG knowledge assistant"));
    expect(rag).toHaveTextContent("rag-knowledge-assistant");
    expect(rag).toHaveTextContent("Reused by2 use cases");
    expect(rag).toHaveTextContent("Primary for1");
    const spread = within(rag).getByRole("list", { name: "Use cases of RAG knowledge assistant by stage" });
    expect(
      within(spread)
        .getAllByRole("listitem")
        .map((li) => li.textContent),
    ).toEqual(["Idea 1", "Pilot 1"]);
    expect(within(within(rag).getByRole("list", { name: "Components of RAG knowledge assistant" })).getByText("vector index")).toBeInTheDocument();
    const controls = within(rag).getByRole("list", { name: "Required controls of RAG knowledge assistant" });
    expect(
      within(controls)
        .getAllByRole("listitem")
        .map((li) => li.textContent),
    ).toEqual(["Data-leakage check", "Grounding check", "Prompt-injection test", "AI disclosure"]);
    expect(card("Document extraction")).toHaveTextContent("Not used by any live use case yet.");

    await user.click(within(rag).getByRole("button", { name: "Show use cases of RAG knowledge assistant" }));
    const list = await within(rag).findByRole("list", { name: "Use cases mapped to RAG knowledge assistant" });
    expect(
      within(list)
        .getAllByRole("button")
        .map((b) => b.textContent),
    ).toEqual(["Claims helper", "Policy assistant"]);
    expect(backend.callsOf("use_case_list")).toContainEqual({ pattern: ["rag-knowledge-assistant"], sort: "title" });
    await user.click(within(list).getByRole("button", { name: "Claims helper" }));
    expect(await screen.findByRole("dialog", { name: "Claims helper" })).toBeInTheDocument();
  });

  it("adds a pattern with a new control, refusing a taken slug beside the field, and edits one against its version", async () => {
    const backend = resetBackend();
    const { user } = renderApp();
    await openPatterns(user);
    await user.click(screen.getByRole("button", { name: "Add pattern" }));
    const dialog = screen.getByRole("dialog", { name: "Add pattern" });

    await user.type(within(dialog).getByLabelText("Name"), "Classification");
    expect(within(dialog).getByLabelText("Slug")).toHaveValue("classification");
    await user.click(within(dialog).getByRole("button", { name: "Add pattern" }));
    const slug = within(dialog).getByLabelText("Slug");
    await waitFor(() => expect(slug).toHaveAccessibleDescription("there is already a pattern `classification`"));
    expect(slug).toHaveAttribute("aria-invalid", "true");

    await user.clear(slug);
    await user.type(slug, "claims-classification");
    await user.type(within(dialog).getByLabelText("Description"), "Sorts incoming claims.");
    await user.type(within(dialog).getByLabelText("Components"), "classifier{Enter}routing rules");
    await user.click(within(dialog).getByRole("checkbox", { name: "Human in the loop" }));
    await user.type(within(dialog).getByLabelText("New control name"), "Red-team review");
    expect(within(dialog).getByLabelText("New control slug")).toHaveValue("red-team-review");
    await user.click(within(dialog).getByRole("button", { name: "Add control" }));
    expect(within(within(dialog).getByRole("list", { name: "New controls" })).getByRole("listitem")).toHaveTextContent("Red-team review");
    await user.click(within(dialog).getByRole("button", { name: "Add pattern" }));

    await waitFor(() => expect(screen.queryByRole("dialog", { name: "Add pattern" })).not.toBeInTheDocument());
    expect(backend.callsOf("pattern_add").at(-1)).toEqual({
      slug: "claims-classification",
      name: "Classification",
      description: "Sorts incoming claims.",
      components: ["classifier", "routing rules"],
      controls: [{ slug: "human-in-the-loop" }, { slug: "red-team-review", name: "Red-team review" }],
    });
    expect(await screen.findByText("Added the pattern Classification.")).toBeInTheDocument();
    const added = await waitFor(() => within(screen.getByRole("list", { name: "Pattern catalogue" })).getAllByRole("listitem", { name: "Classification" }));
    expect(added).toHaveLength(1);
    expect(within(added[0]!).getByRole("list", { name: "Required controls of Classification" })).toHaveTextContent("Red-team review");

    await user.click(within(card("Document extraction")).getByRole("button", { name: "Edit Document extraction" }));
    const edit = screen.getByRole("dialog", { name: "Edit Document extraction" });
    expect(within(edit).queryByLabelText("Slug")).not.toBeInTheDocument();
    await user.click(within(edit).getByRole("checkbox", { name: "Red-team review" }));
    await user.click(within(edit).getByRole("button", { name: "Save changes" }));
    expect(await screen.findByText("Saved Document extraction (version 2).")).toBeInTheDocument();
    expect(backend.callsOf("pattern_edit")[0]).toMatchObject({ slug: "document-extraction", expect_version: 1 });
    expect(backend.callsOf("pattern_edit")[0]!.controls.map((c) => c.slug)).toEqual([
      "extraction-accuracy-sampling",
      "human-in-the-loop",
      "pii-minimisation",
      "red-team-review",
    ]);
  });

  it("retires a pattern, showing it apart, and brings it back", async () => {
    const backend = resetBackend();
    backend.seed({ title: "Claims helper", patterns: [{ slug: "agentic-workflow", primary: true }] });
    const { user } = renderApp();
    await openPatterns(user);
    await user.click(await screen.findByRole("button", { name: "Retire Agentic workflow" }));

    expect(await screen.findByText("Retired Agentic workflow: its 1 use case keeps it, and it takes no new ones.")).toBeInTheDocument();
    const retired = await screen.findByRole("list", { name: "Retired patterns" });
    expect(within(retired).getByRole("listitem", { name: "Agentic workflow" })).toHaveTextContent("Retired");
    expect(within(screen.getByRole("list", { name: "Pattern catalogue" })).queryByRole("listitem", { name: "Agentic workflow" })).not.toBeInTheDocument();
    expect(backend.callsOf("pattern_retire")).toEqual([{ slug: "agentic-workflow", retired: true }]);
    // A retired pattern is not offered for new mappings.
    expect(within(screen.getByLabelText("Map to pattern")).queryByRole("option", { name: "Agentic workflow" })).not.toBeInTheDocument();

    await user.click(within(retired).getByRole("button", { name: "Bring back Agentic workflow" }));
    await waitFor(() => expect(screen.queryByRole("list", { name: "Retired patterns" })).not.toBeInTheDocument());
    expect(backend.callsOf("pattern_retire")).toEqual([
      { slug: "agentic-workflow", retired: true },
      { slug: "agentic-workflow", retired: false },
    ]);
  });

  it("maps ticked use cases with no pattern in bulk, then says what was refused", async () => {
    const backend = resetBackend();
    const a = backend.seed({ title: "Claims triage" });
    const b = backend.seed({ title: "Invoice matching" });
    backend.seed({ title: "Fraud radar" });
    backend.seed({ title: "Policy assistant", patterns: [{ slug: "rag-knowledge-assistant", primary: true }] });
    const { user } = renderApp();
    await openPatterns(user);

    const form = await screen.findByRole("form", { name: "Map use cases to a pattern" });
    const table = await within(form).findByRole("table", { name: "Use cases with no pattern yet" });
    await waitFor(() => expect(within(table).getAllByRole("row")).toHaveLength(4));
    expect(within(table).queryByText("Policy assistant")).not.toBeInTheDocument();

    await user.click(within(form).getByRole("button", { name: "Map selected" }));
    expect(within(form).getByLabelText("Map to pattern")).toHaveAccessibleDescription("Choose the pattern to map them to.");
    await user.selectOptions(within(form).getByLabelText("Map to pattern"), "Document extraction");
    await user.click(within(form).getByRole("checkbox", { name: "Select Claims triage" }));
    await user.click(within(form).getByRole("checkbox", { name: "Select Invoice matching" }));
    expect(within(form).getByText("2 selected")).toBeInTheDocument();
    await user.click(within(form).getByRole("button", { name: "Map selected" }));

    expect(await within(form).findByText("Mapped 2 use cases to Document extraction as primary.")).toBeInTheDocument();
    expect(backend.callsOf("use_case_map_pattern")).toEqual([
      { use_case_id: a.id, pattern_slug: "document-extraction", primary: true },
      { use_case_id: b.id, pattern_slug: "document-extraction", primary: true },
    ]);
    await waitFor(() => expect(within(table).getAllByRole("row")).toHaveLength(2));
    expect(await screen.findByText("4 patterns · 1 use case with no pattern yet")).toBeInTheDocument();

    // Someone retires the pattern in another window before the next mapping.
    await user.selectOptions(within(form).getByLabelText("Map to pattern"), "Agentic workflow");
    backend.patterns.find((p) => p.slug === "agentic-workflow")!.retired = true;
    await user.click(within(form).getByRole("checkbox", { name: "Select Fraud radar" }));
    await user.click(within(form).getByRole("button", { name: "Map selected" }));
    expect(await within(form).findByText("Nothing was mapped to Agentic workflow.")).toBeInTheDocument();
    const refused = within(form).getByRole("list", { name: "Not mapped" });
    expect(refused).toHaveTextContent("Fraud radar: the pattern `agentic-workflow` is retired and takes no new use cases");
    expect(within(form).getByRole("checkbox", { name: "Select Fraud radar" })).toBeChecked();
  });
});
