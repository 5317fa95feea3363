// Risk triage tab: the rule set's provenance, answering and saving, the tier with its reasons, the exceptions asked only after an Annex III yes, what an unfinished triage still needs, re-triage, and the gate that asks for a triage.
import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import type { Outcome } from "../../../bindings/Outcome";
import type { RuleSet } from "../../../bindings/RuleSet";
import type { Triage } from "../../../bindings/Triage";
import { engine, gateItem, historyEntry, stageOption } from "../../../test/answers";
import { resetBackend, type Backend } from "../../../test/backend";
import { openUseCase, renderApp } from "../../../test/render";

type User = ReturnType<typeof renderApp>["user"];

async function openTriageTab(user: User, title: string) {
  const panel = await openUseCase(user, title);
  await user.click(within(panel).getByRole("tab", { name: "Risk triage" }));
  await within(panel).findByRole("form", { name: "Risk triage questions" });
  return panel;
}

/** A question's Yes/No group, by its reference in the Act ("Annex III(4)"). */
function question(panel: HTMLElement, reference: string) {
  return within(panel).getByRole("radiogroup", { name: (name) => name.startsWith(`${reference} `) });
}

async function answer(user: User, panel: HTMLElement, reference: string, yes: boolean) {
  await user.click(within(question(panel, reference)).getByRole("radio", { name: yes ? "Yes" : "No" }));
}

const EXCEPTIONS = "Exceptions — Article 6(3) and profiling";

/** The rule set these tests answer with: ten of the engine's questions (a few of each effect), as the engine words them. */
function tenQuestions(): RuleSet {
  const ids = [
    "manipulation",
    "social-scoring",
    "annex-i-safety-component",
    "annex-iii-education",
    "annex-iii-employment",
    "exception-narrow-procedural",
    "exception-preparatory",
    "profiling",
    "interacts-with-people",
    "generates-synthetic-content",
  ];
  return { ...engine.triage_rules, questions: engine.triage_rules.questions.filter((q) => ids.includes(q.id)) };
}

function withTenQuestions(): Backend {
  return resetBackend().answer("triage_rules", tenQuestions());
}

/** A triage as the engine records it: these answers, with the outcome the test states, by Tess. */
function triageOf(answers: Record<string, boolean>, outcome: Outcome, fields: Partial<Triage> = {}): Triage {
  return {
    rule_set: "eu-ai-act",
    version: 1,
    answers,
    outcome,
    high_impact: null,
    personal_data: null,
    at: "2025-01-01T09:00:00Z",
    actor: "tess@example.org",
    affected: [],
    needs_retriage: false,
    ...fields,
  };
}

/** `use_case_triage` answers the outcomes stated, one per save, in order (each recorded at its own time). */
function triagesAnswer(backend: Backend, outcomes: Outcome[], then?: () => void) {
  let saves = 0;
  backend.answer("use_case_triage", (req) => {
    const at = `2025-02-0${++saves}T09:00:00Z`;
    const triage = triageOf(req.answers, outcomes.shift()!, { at, high_impact: req.high_impact ?? null, personal_data: req.personal_data ?? null });
    then?.();
    return backend.update(req.use_case_id, { triage });
  });
}

const TRIAGE = "a risk triage (not prohibited, under the current rules)";

describe("risk triage tab", () => {
  it("shows the rule set plainly, asks the exceptions only after an Annex III yes, and saves a high tier with its reasons and flags", async () => {
    const backend = withTenQuestions();
    backend.addPerson({ email: "tess@example.org", name: "Tess Tester" });
    const uc = backend.seed({ title: "CV screener" });
    // What the engine gives these answers: high risk (an Annex III area, and it profiles people); then, without profiling, the exception applies.
    triagesAnswer(backend, [
      {
        tier: "high",
        reasons: ["Annex III(4): an Annex III area (annex-iii-employment)", "Art. 6(3): it profiles people, so no exception applies (profiling)"],
        needed: [],
      },
      {
        tier: "minimal",
        reasons: [
          "Annex III(4): an Annex III area (annex-iii-employment), but Art. 6(3)(a): an exception (exception-narrow-procedural) applies: not high-risk (document this assessment, Art. 6(4))",
        ],
        needed: [],
      },
    ]);
    const { user } = renderApp();
    const panel = await openTriageTab(user, "CV screener");

    expect(within(panel).getByRole("heading", { name: "EU AI Act risk triage" })).toBeInTheDocument();
    expect(within(panel).getByText(/Rules version 1 · Regulation \(EU\) 2024\/1689 .* · text of 2024-07-12/)).toBeInTheDocument();
    expect(within(panel).getByRole("note")).toHaveTextContent("Guidance for a first triage, not legal advice");
    expect(within(panel).getByText("Moving into Proof of concept needs a finished triage that is not prohibited.")).toBeInTheDocument();
    expect(within(panel).getByText("Not triaged yet: answer the questions below and save.")).toBeInTheDocument();
    expect(
      within(panel)
        .getAllByRole("group")
        .map((g) => g.querySelector("legend")?.textContent),
    ).toEqual([
      "Prohibited practices — Article 5",
      "Products under Annex I",
      "High-risk areas — Annex III",
      "Transparency — Article 50",
      "Your organisation's flags",
    ]);

    for (const ref of ["Art. 5(1)(a)", "Art. 5(1)(c)", "Art. 6(1), Annex I", "Annex III(3)", "Art. 50(1)", "Art. 50(2)"]) await answer(user, panel, ref, false);
    await answer(user, panel, "Annex III(4)", true);
    const exceptions = within(panel).getByRole("group", { name: EXCEPTIONS });
    expect(exceptions).toHaveTextContent("Asked because an Annex III area applies");
    await answer(user, panel, "Art. 6(3)(a)", true);
    await answer(user, panel, "Art. 6(3)(d)", false);
    await answer(user, panel, "Art. 6(3), last subparagraph", true);
    await user.click(within(panel).getByRole("checkbox", { name: "High impact on people or the organisation" }));
    await user.click(within(panel).getByRole("checkbox", { name: "Processes personal data" }));
    expect(within(panel).getByText("10 of 10 questions answered")).toBeInTheDocument();
    await user.click(within(panel).getByRole("button", { name: "Save triage" }));

    expect(await within(panel).findByRole("status")).toHaveTextContent("Triage saved: High risk.");
    expect(backend.callsOf("use_case_triage")).toEqual([
      {
        use_case_id: uc.id,
        answers: {
          manipulation: false,
          "social-scoring": false,
          "annex-i-safety-component": false,
          "annex-iii-education": false,
          "annex-iii-employment": true,
          "exception-narrow-procedural": true,
          "exception-preparatory": false,
          profiling: true,
          "interacts-with-people": false,
          "generates-synthetic-content": false,
        },
        high_impact: true,
        personal_data: true,
      },
    ]);
    const result = within(panel).getByRole("region", { name: "Triage result" });
    expect(result).toHaveTextContent("High risk");
    expect(result).toHaveTextContent("by Tess Tester");
    expect(
      within(within(result).getByRole("list", { name: "Why this tier" }))
        .getAllByRole("listitem")
        .map((li) => li.textContent),
    ).toEqual(["Annex III(4): an Annex III area (annex-iii-employment)", "Art. 6(3): it profiles people, so no exception applies (profiling)"]);
    expect(result).toHaveTextContent("High impact: yes · Personal data: yes");
    // The header says it too, in words.
    expect(within(panel).getByRole("heading", { level: 2, name: "CV screener" }).parentElement).toHaveTextContent("High risk");

    // The saved answers come back into the form; saved again without profiling, the engine's answer is shown.
    expect(within(question(panel, "Annex III(4)")).getByRole("radio", { name: "Yes" })).toBeChecked();
    await answer(user, panel, "Art. 6(3), last subparagraph", false);
    await user.click(within(panel).getByRole("button", { name: "Save triage" }));
    await waitFor(() => expect(within(panel).getByRole("region", { name: "Triage result" })).toHaveTextContent("Minimal risk"));
    expect(within(panel).getByRole("region", { name: "Triage result" })).toHaveTextContent(
      "but Art. 6(3)(a): an exception (exception-narrow-procedural) applies",
    );
    expect(backend.callsOf("use_case_triage")[1]).toMatchObject({ answers: { profiling: false, "exception-narrow-procedural": true } });

    // The engine logs each triage: the tier before (none the first time) and the new one.
    backend.answer("use_case_history", [
      historyEntry({ kind: "triage", at: "2025-02-01T09:00:00Z", field: "eu-ai-act", old: null, new: { tier: "high" } }),
      historyEntry({ kind: "triage", at: "2025-02-02T09:00:00Z", field: "eu-ai-act", old: "high", new: { tier: "minimal" } }),
    ]);
    await user.click(within(panel).getByRole("tab", { name: "History" }));
    const rows = await within(panel).findAllByRole("row", { name: /Risk triage/ });
    expect(rows.map((r) => r.querySelector(".change")?.textContent)).toEqual(["High risk → Minimal risk", "High risk"]);
  });

  it("does not send answers to exceptions hidden again, and shows what an unfinished triage still needs", async () => {
    const backend = withTenQuestions();
    const uc = backend.seed({ title: "Tutor bot" });
    // Two answers are not enough: the engine leaves it not yet triaged and says which questions could still change the tier.
    triagesAnswer(backend, [
      {
        tier: "not-yet-triaged",
        reasons: [],
        needed: ["manipulation", "social-scoring", "annex-i-safety-component", "annex-iii-employment", "generates-synthetic-content"],
      },
    ]);
    const { user } = renderApp();
    const panel = await openTriageTab(user, "Tutor bot");

    await answer(user, panel, "Annex III(3)", true);
    await answer(user, panel, "Art. 6(3)(a)", true);
    await answer(user, panel, "Annex III(3)", false);
    expect(within(panel).queryByRole("group", { name: EXCEPTIONS })).not.toBeInTheDocument();
    await answer(user, panel, "Art. 50(1)", true);
    await user.click(within(panel).getByRole("button", { name: "Save triage" }));

    const result = await within(panel).findByRole("region", { name: "Triage result" });
    expect(backend.callsOf("use_case_triage")[0]).toEqual({
      use_case_id: uc.id,
      answers: { "annex-iii-education": false, "interacts-with-people": true },
      high_impact: false,
      personal_data: false,
    });
    expect(result).toHaveTextContent("Not yet triaged");
    expect(result).toHaveTextContent("Not finished: these questions could still change the tier.");
    const needed = within(result).getByRole("list", { name: "Still needed" });
    expect(
      within(needed)
        .getAllByRole("listitem")
        .map((li) => li.textContent?.split(":")[0]),
    ).toEqual(["Art. 5(1)(a)", "Art. 5(1)(c)", "Art. 6(1), Annex I", "Annex III(4)", "Art. 50(2)"]);
    expect(question(panel, "Art. 5(1)(c)")).toHaveTextContent("still needed");
    expect(question(panel, "Art. 50(1)")).not.toHaveTextContent("still needed");
  });

  it("shows a refusal of the answers, and a prohibited tier keeps the Proof of concept gate shut", async () => {
    const backend = withTenQuestions();
    backend.seed({ title: "Citizen score", stage: "assessment" });
    backend.failNext("use_case_triage", {
      code: "validation",
      field: "answers",
      message: "`old-question` is not a question of the eu-ai-act rule set (version 1)",
    });
    // Social scoring is a prohibited practice; the gate then names why the triage does not pass.
    triagesAnswer(backend, [{ tier: "prohibited", reasons: ["Art. 5(1)(c): a prohibited practice (social-scoring)"], needed: [] }], () =>
      backend.answer("use_case_stage_options", [
        stageOption("idea", { kind: "backward" }),
        stageOption("proof-of-concept", {
          allowed: false,
          gate: [
            gateItem(
              { kind: "all_scored" },
              "every value and feasibility criterion scored (not yet: Strategic fit, Business impact, Data readiness, Technical complexity)",
              false,
            ),
            gateItem({ kind: "owner", role: "technical" }, "a technical owner", false),
            gateItem({ kind: "primary_pattern" }, "a primary pattern (or a recorded reason for none)", false),
            gateItem({ kind: "triage" }, `${TRIAGE} (prohibited)`, false),
          ],
        }),
      ]),
    );
    const { user } = renderApp();
    const panel = await openTriageTab(user, "Citizen score");

    await answer(user, panel, "Art. 5(1)(c)", true);
    await user.click(within(panel).getByRole("button", { name: "Save triage" }));
    expect(await within(panel).findByRole("alert")).toHaveTextContent("`old-question` is not a question of the eu-ai-act rule set");
    expect(within(question(panel, "Art. 5(1)(c)")).getByRole("radio", { name: "Yes" })).toBeChecked();

    await user.click(within(panel).getByRole("button", { name: "Save triage" }));
    const result = await within(panel).findByRole("region", { name: "Triage result" });
    expect(result).toHaveTextContent("Prohibited");
    expect(result).toHaveTextContent("Art. 5(1)(c): a prohibited practice (social-scoring)");
    expect(backend.callsOf("use_case_triage")).toHaveLength(2);

    await user.click(within(panel).getByRole("tab", { name: "Stage & gates" }));
    const gate = await within(panel).findByRole("list", { name: "Gate for Proof of concept" });
    expect(gate).toHaveTextContent("Missing: a risk triage (not prohibited, under the current rules) (prohibited)");
    expect(within(panel).getByTestId("move-proof-of-concept")).toBeDisabled();
  });

  it("asks to triage again when the rules changed, with the answers loaded and the affected questions marked", async () => {
    const backend = withTenQuestions();
    // Answered under an older rule set; the engine marks the question it changed since.
    const answers = Object.fromEntries(tenQuestions().questions.map((q) => [q.id, q.id === "interacts-with-people"]));
    const limited: Outcome = { tier: "limited", reasons: ["Art. 50(1): a transparency duty (interacts-with-people)"], needed: [] };
    backend.seed({ title: "Support chatbot", triage: triageOf(answers, limited, { affected: ["manipulation"], needs_retriage: true }) });
    triagesAnswer(backend, [limited]);
    const { user } = renderApp();
    const panel = await openTriageTab(user, "Support chatbot");

    const banner = within(panel).getByRole("region", { name: "The rules changed: triage again" });
    expect(within(banner).getByRole("list", { name: "Questions to answer again" })).toHaveTextContent(/^Art\. 5\(1\)\(a\): Does it use subliminal/);
    expect(within(panel).getByRole("region", { name: "Triage result" })).toHaveTextContent("Limited risk (triage again)");
    expect(within(question(panel, "Art. 50(1)")).getByRole("radio", { name: "Yes" })).toBeChecked();
    expect(within(question(panel, "Art. 5(1)(a)")).getByRole("radio", { name: "No" })).toBeChecked();
    expect(question(panel, "Art. 5(1)(a)")).toHaveTextContent("the rules changed: check this answer");

    await user.click(within(panel).getByRole("button", { name: "Save triage" }));
    await waitFor(() => expect(within(panel).queryByRole("region", { name: "The rules changed: triage again" })).not.toBeInTheDocument());
    expect(within(panel).getByRole("region", { name: "Triage result" })).toHaveTextContent("Limited risk");
    // The loaded answers are sent again, but for the exceptions, not asked without an Annex III area.
    expect(backend.callsOf("use_case_triage")[0]!.answers).toEqual({
      manipulation: false,
      "social-scoring": false,
      "annex-i-safety-component": false,
      "annex-iii-education": false,
      "annex-iii-employment": false,
      "interacts-with-people": true,
      "generates-synthetic-content": false,
    });
  });
});

describe("the gate's triage requirement", () => {
  it("lists a missing triage in the Proof of concept gate and links to the Risk triage tab", async () => {
    const backend = withTenQuestions();
    const arch = backend.addPerson({ email: "arch@example.org", name: "Ada Architect" });
    backend.seed({
      title: "Invoice matching",
      stage: "assessment",
      scores: { "strategic-fit": 4, "business-impact": 4, "data-readiness": 3, "technical-complexity": 3 },
      owners: { technical: arch.email },
      patterns: [{ slug: "document-extraction", name: "Document extraction", primary: true, retired: false }],
    });
    // Scored, owned and mapped: the triage is all the gate still misses, until one is saved.
    const gate = (triage: string | null) => [
      stageOption("idea", { kind: "backward" }),
      stageOption("proof-of-concept", {
        allowed: triage === null,
        gate: [
          gateItem({ kind: "all_scored" }, "every value and feasibility criterion scored", true),
          gateItem({ kind: "owner", role: "technical" }, "a technical owner", true),
          gateItem({ kind: "primary_pattern" }, "a primary pattern (or a recorded reason for none)", true),
          gateItem({ kind: "triage" }, triage ? `${TRIAGE} (${triage})` : TRIAGE, triage === null),
        ],
      }),
    ];
    backend.answer("use_case_stage_options", gate("not triaged"));
    triagesAnswer(backend, [{ tier: "minimal", reasons: ["no prohibited practice, high-risk area or transparency duty applies"], needed: [] }], () =>
      backend.answer("use_case_stage_options", gate(null)),
    );
    const { user } = renderApp();
    const panel = await openUseCase(user, "Invoice matching");
    await user.click(within(panel).getByRole("tab", { name: "Stage & gates" }));

    const list = await within(panel).findByRole("list", { name: "Gate for Proof of concept" });
    const item = within(list)
      .getByText(/a risk triage/)
      .closest("li")!;
    expect(item).toHaveTextContent("Missing: a risk triage (not prohibited, under the current rules) (not triaged)");
    expect(within(panel).getByTestId("move-proof-of-concept")).toBeDisabled();
    await user.click(within(item).getByRole("button", { name: "Go to Risk triage" }));
    expect(within(panel).getByRole("tab", { name: "Risk triage" })).toHaveAttribute("aria-selected", "true");
    await waitFor(() => expect(within(panel).getByRole("heading", { name: "EU AI Act risk triage" })).toHaveFocus());

    for (const ref of ["Art. 5(1)(a)", "Art. 5(1)(c)", "Art. 6(1), Annex I", "Annex III(3)", "Annex III(4)", "Art. 50(1)", "Art. 50(2)"])
      await answer(user, panel, ref, false);
    await user.click(within(panel).getByRole("button", { name: "Save triage" }));
    await waitFor(() => expect(within(panel).getByRole("region", { name: "Triage result" })).toHaveTextContent("Minimal risk"));

    await user.click(within(panel).getByRole("tab", { name: "Stage & gates" }));
    await waitFor(() => expect(within(panel).getByTestId("move-proof-of-concept")).toBeEnabled());
    expect(within(panel).getByRole("list", { name: "Gate for Proof of concept" })).toHaveTextContent(
      "Met: a risk triage (not prohibited, under the current rules)",
    );
  });

  it("is offered by the gate rules editor under Risk", async () => {
    const backend = resetBackend();
    backend.answer("gate_rules_save", (rules) => ({ ...rules, version: 2 }));
    const { user } = renderApp();
    await user.click(await screen.findByRole("button", { name: "Settings" }));
    const editor = await screen.findByRole("form", { name: "Stage gates" });
    const poc = within(editor).getByRole("group", { name: "Moving into Proof of concept" });
    expect(within(poc).getAllByRole("listitem").at(-1)).toHaveTextContent("A risk triage (not prohibited, under the current rules)");
    const addToPilot = within(editor).getByLabelText("Add a requirement to Pilot");
    expect(within(within(addToPilot).getByRole("group", { name: "Risk" })).getByRole("option")).toHaveTextContent(
      "A risk triage (not prohibited, current rules)",
    );
    await user.selectOptions(addToPilot, "A risk triage (not prohibited, current rules)");
    await user.click(within(editor).getByRole("button", { name: "Save" }));
    expect(await screen.findByText("Saved as version 2.")).toBeInTheDocument();
    expect(backend.callsOf("gate_rules_save")[0]!.stages.pilot).toEqual([{ kind: "controls_in_place" }, { kind: "triage" }]);
  });
});
