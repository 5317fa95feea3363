// Patterns view: the catalogue with reuse, stage spread and controls; adding (a taken slug refused at the field, a new control), editing and retiring; mapping ticked use cases in bulk.
import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import type { Catalogue } from "../../bindings/Catalogue";
import type { Pattern } from "../../bindings/Pattern";
import type { PatternInput } from "../../bindings/PatternInput";
import { engine, page, patternLink } from "../../test/answers";
import { resetBackend } from "../../test/backend";
import { renderApp } from "../../test/render";

async function openPatterns(user: ReturnType<typeof renderApp>["user"]) {
  await user.click(await screen.findByRole("button", { name: "Patterns" }));
  return screen.findByRole("list", { name: "Pattern catalogue" });
}

function card(name: string): HTMLElement {
  return screen.getByRole("listitem", { name });
}

const RAG = "rag-knowledge-assistant";
const AGENTIC = "agentic-workflow";
/** The catalogue these tests state: four of the engine's starter patterns, as the engine has them (by name). */
const FOUR = engine.catalogue.patterns.filter((p) => [RAG, "document-extraction", "classification", AGENTIC].includes(p.slug));

/** A use case's link to one of the engine's starter patterns. */
/** The four patterns, changed as stated, and how many live use cases have none. */
function catalogueWith(changes: Record<string, Partial<Pattern>> = {}, unmapped = 0): Catalogue {
  return { patterns: FOUR.map((p) => ({ ...p, ...changes[p.slug] })), unmapped };
}

/** A pattern as the engine stores what an architect wrote: a new control takes the name given, with no description yet. */
function patternOf(input: PatternInput, version = 1): Pattern {
  const known = engine.catalogue.patterns.flatMap((p) => p.controls);
  const controls = input.controls.map((c) => known.find((k) => k.slug === c.slug) ?? { slug: c.slug, name: c.name ?? c.slug, description: "" });
  const { expect_version: _, ...rest } = input;
  return { ...rest, controls, retired: false, version, reuse: 0, primary_for: 0, by_stage: {} };
}

describe("patterns view", () => {
  it("shows each pattern's reuse, stage spread, components and required controls, and opens its use cases", async () => {
    const backend = resetBackend();
    const policy = backend.seed({ title: "Policy assistant", patterns: [patternLink(RAG, true)] });
    const claims = backend.seed({ title: "Claims helper", stage: "pilot", patterns: [patternLink(AGENTIC, true), patternLink(RAG)] });
    const invoice = backend.seed({ title: "Invoice matching" });
    backend.seed({ title: "Archived bot", archived: true, patterns: [patternLink(RAG, true)] });
    // The engine's figures count live use cases only.
    backend.answer(
      "pattern_catalogue",
      catalogueWith(
        {
          [RAG]: { reuse: 2, primary_for: 1, by_stage: { idea: 1, pilot: 1 } },
          [AGENTIC]: { reuse: 1, primary_for: 1, by_stage: { pilot: 1 } },
        },
        1,
      ),
    );
    backend.answer("use_case_list", (q) => {
      if (q?.pattern?.length === 1) return page(q.pattern[0] === RAG ? [claims, policy] : []);
      return page(q?.pattern ? [claims, policy] : [claims, invoice, policy]);
    });
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
    expect(backend.callsOf("use_case_list")).toContainEqual({ pattern: [RAG], sort: "title" });
    await user.click(within(list).getByRole("button", { name: "Claims helper" }));
    expect(await screen.findByRole("dialog", { name: "Claims helper" })).toBeInTheDocument();
  });

  it("adds a pattern with a new control, refusing a taken slug beside the field, and edits one against its version", async () => {
    const backend = resetBackend();
    backend.answer("pattern_catalogue", catalogueWith());
    backend.failNext("pattern_add", { code: "conflict", field: "slug", message: "there is already a pattern `classification`" });
    backend.answer("pattern_add", (input) => {
      const added = patternOf(input);
      backend.answer("pattern_catalogue", { patterns: [...FOUR, added], unmapped: 0 });
      return added;
    });
    backend.answer("pattern_edit", (input) => patternOf(input, 2));
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
    expect(backend.callsOf("pattern_add")[0]).toMatchObject({ slug: "classification", name: "Classification" });

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
    backend.seed({ title: "Claims helper", patterns: [patternLink(AGENTIC, true)] });
    const used = { reuse: 1, primary_for: 1, by_stage: { idea: 1 } };
    backend.answer("pattern_catalogue", catalogueWith({ [AGENTIC]: used }));
    backend.answer("pattern_retire", (req) => {
      const changed = catalogueWith({ [AGENTIC]: { ...used, retired: req.retired } });
      backend.answer("pattern_catalogue", changed);
      return changed.patterns.find((p) => p.slug === req.slug)!;
    });
    const { user } = renderApp();
    await openPatterns(user);
    await user.click(await screen.findByRole("button", { name: "Retire Agentic workflow" }));

    expect(await screen.findByText("Retired Agentic workflow: its 1 use case keeps it, and it takes no new ones.")).toBeInTheDocument();
    const retired = await screen.findByRole("list", { name: "Retired patterns" });
    expect(within(retired).getByRole("listitem", { name: "Agentic workflow" })).toHaveTextContent("Retired");
    expect(within(screen.getByRole("list", { name: "Pattern catalogue" })).queryByRole("listitem", { name: "Agentic workflow" })).not.toBeInTheDocument();
    expect(backend.callsOf("pattern_retire")).toEqual([{ slug: AGENTIC, retired: true }]);
    // A retired pattern is not offered for new mappings.
    expect(within(screen.getByLabelText("Map to pattern")).queryByRole("option", { name: "Agentic workflow" })).not.toBeInTheDocument();

    await user.click(within(retired).getByRole("button", { name: "Bring back Agentic workflow" }));
    await waitFor(() => expect(screen.queryByRole("list", { name: "Retired patterns" })).not.toBeInTheDocument());
    expect(backend.callsOf("pattern_retire")).toEqual([
      { slug: AGENTIC, retired: true },
      { slug: AGENTIC, retired: false },
    ]);
  });

  it("maps ticked use cases with no pattern in bulk, then says what was refused", async () => {
    const backend = resetBackend();
    const a = backend.seed({ title: "Claims triage" });
    const b = backend.seed({ title: "Invoice matching" });
    const fraud = backend.seed({ title: "Fraud radar" });
    const policy = backend.seed({ title: "Policy assistant", patterns: [patternLink(RAG, true)] });
    // The live use cases by title, and those mapped to a pattern (asked with every pattern of the catalogue).
    backend.answer("use_case_list", (q) => page(q?.pattern ? [policy] : [a, fraud, b, policy]));
    backend.answer("pattern_catalogue", catalogueWith({}, 3));
    backend.answer("use_case_map_pattern", (req) => {
      const uc = backend.update(req.use_case_id, { patterns: [patternLink(req.pattern_slug, req.primary)] });
      if (req.use_case_id === b.id) {
        // Both mapped: one live use case is left with no pattern.
        backend.answer("use_case_list", (q) => page(q?.pattern ? [a, b, policy] : [a, fraud, b, policy]));
        backend.answer("pattern_catalogue", catalogueWith({}, 1));
      }
      return uc;
    });
    const { user } = renderApp();
    await openPatterns(user);

    const form = await screen.findByRole("form", { name: "Map use cases to a pattern" });
    const table = await within(form).findByRole("table", { name: "Use cases with no pattern yet" });
    await waitFor(() => expect(within(table).getAllByRole("row")).toHaveLength(4));
    expect(within(table).queryByText("Policy assistant")).not.toBeInTheDocument();
    expect(backend.callsOf("use_case_list")).toContainEqual({ pattern: FOUR.map((p) => p.slug), sort: "title" });

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

    // Someone retires the pattern in another window before the next mapping: the engine refuses it.
    await user.selectOptions(within(form).getByLabelText("Map to pattern"), "Agentic workflow");
    backend.failNext("use_case_map_pattern", {
      code: "validation",
      field: "pattern",
      message: "the pattern `agentic-workflow` is retired and takes no new use cases (“Fraud radar” was not mapped)",
    });
    await user.click(within(form).getByRole("checkbox", { name: "Select Fraud radar" }));
    await user.click(within(form).getByRole("button", { name: "Map selected" }));
    expect(await within(form).findByText("Nothing was mapped to Agentic workflow.")).toBeInTheDocument();
    expect(backend.callsOf("use_case_map_pattern").at(-1)).toEqual({ use_case_id: fraud.id, pattern_slug: AGENTIC, primary: true });
    const refused = within(form).getByRole("list", { name: "Not mapped" });
    expect(refused).toHaveTextContent("Fraud radar: the pattern `agentic-workflow` is retired and takes no new use cases");
    expect(within(form).getByRole("checkbox", { name: "Select Fraud radar" })).toBeChecked();
  });
});
