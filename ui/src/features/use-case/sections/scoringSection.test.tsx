// Scoring: each criterion's 1–5 rubric saves on click, and the scores, quadrant and breakdown follow.
import { act, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { record } from "../../../test/answers";
import { resetBackend } from "../../../test/backend";
import { openUseCase, renderApp } from "../../../test/render";

describe("scoring", () => {
  it("saves a score on click and shows the updated scores, quadrant and contributions", async () => {
    const backend = resetBackend();
    // Feasibility fully scored (100), value missing strategic fit; with it at 4 the engine answers value 68.8,
    // priority 84.4, a quick win, strategic fit contributing 56.3 (the engine's scoring tests assert the sums).
    const given = { "business-impact": 3, "data-readiness": 5, "technical-complexity": 5 };
    const contributions = { "business-impact": 12.5, "data-readiness": 50, "technical-complexity": 50 };
    const uc = backend.seed({ title: "Invoice matching", scores: given, contributions, feasibility_score: 100 });
    const scored = record({ title: uc.title, scores: { ...given, "strategic-fit": 4 }, contributions: { ...contributions, "strategic-fit": 56.3 } });
    backend.answer("use_case_set_score", (req) =>
      req.score === 4
        ? backend.update(req.id, { scores: scored.scores, score_breakdown: scored.score_breakdown, value_score: 68.8, priority: 84.4, quadrant: "quick-win" })
        : backend.update(req.id, { scores: uc.scores, score_breakdown: uc.score_breakdown, value_score: null, priority: null, quadrant: null }),
    );
    // Once scored it is ranked (the only one), and stable.
    backend.answer("sensitivity_get", {
      top: 10,
      scored: 1,
      volatile: 0,
      use_cases: [{ id: uc.id, title: uc.title, stage: "idea", quadrant: "quick-win", rank: 1, volatile: false, reasons: [] }],
    });
    const { user } = renderApp();
    const panel = await openUseCase(user, "Invoice matching");
    await user.click(within(panel).getByRole("tab", { name: "Scoring" }));

    const group = await within(panel).findByRole("radiogroup", { name: "Strategic fit" });
    expect(within(group).getAllByRole("radio")).toHaveLength(5);
    expect(within(group).getByRole("radio", { name: "4: Fit level 4" })).toHaveAttribute("title", "Fit level 4");
    expect(within(panel).getByTestId("value-score")).toHaveTextContent("—");
    expect(within(panel).getByTestId("feasibility-score")).toHaveTextContent("100.0");

    await user.click(within(panel).getByTestId("score-strategic-fit-4"));
    expect(backend.callsOf("use_case_set_score")).toEqual([{ id: uc.id, criterion: "strategic-fit", score: 4 }]);
    await waitFor(() => expect(within(panel).getByTestId("value-score")).toHaveTextContent("68.8"));
    expect(within(panel).getByTestId("priority-score")).toHaveTextContent("84.4");
    expect(within(panel).getByTestId("quadrant")).toHaveTextContent("Quick win");
    expect(within(group).getByRole("radio", { name: /^4:/ })).toHaveAttribute("aria-checked", "true");
    expect(within(panel).getByText("4 — Fit level 4")).toBeInTheDocument();
    expect(within(panel).getAllByText("Saved").length).toBeGreaterThan(0);
    const breakdown = within(panel).getByRole("table", { name: /value criterion contributed/ });
    expect(within(breakdown).getByRole("row", { name: /Strategic fit/ })).toHaveTextContent("+56.3");

    await user.click(within(panel).getByTestId("score-strategic-fit-clear"));
    await waitFor(() => expect(within(panel).getByTestId("value-score")).toHaveTextContent("—"));
    expect(backend.callsOf("use_case_set_score").at(-1)).toEqual({ id: uc.id, criterion: "strategic-fit", score: null });
  });

  it("says when a score was not saved and keeps the last saved level", async () => {
    const backend = resetBackend();
    backend.seed({ title: "Churn forecast", scores: { "strategic-fit": 2 } });
    backend.failNext("use_case_set_score", { code: "io", message: "the store is busy in another program; try again" });
    const { user } = renderApp();
    const panel = await openUseCase(user, "Churn forecast");
    await user.click(within(panel).getByRole("tab", { name: "Scoring" }));
    await user.click(await within(panel).findByTestId("score-strategic-fit-5"));

    expect(await within(panel).findByText("Not saved")).toBeInTheDocument();
    expect(within(panel).getByRole("alert")).toHaveTextContent("the store is busy in another program; try again");
    expect(within(panel).getByTestId("score-strategic-fit-2")).toHaveAttribute("aria-checked", "true");
  });

  it("moves between levels with the arrow keys without saving until one is picked", async () => {
    const backend = resetBackend();
    const uc = backend.seed({ title: "Doc extraction" });
    backend.answer("use_case_set_score", (req) => backend.update(req.id, { scores: { ...uc.scores, [req.criterion]: req.score } }));
    const { user } = renderApp();
    const panel = await openUseCase(user, "Doc extraction");
    await user.click(within(panel).getByRole("tab", { name: "Scoring" }));
    const one = await within(panel).findByTestId("score-business-impact-1");
    act(() => one.focus());
    await user.keyboard("{ArrowRight}{ArrowRight}");
    expect(within(panel).getByTestId("score-business-impact-3")).toHaveFocus();
    expect(backend.callsOf("use_case_set_score")).toHaveLength(0);
    await user.keyboard("{Enter}");
    await waitFor(() => expect(within(panel).getByTestId("score-business-impact-3")).toHaveAttribute("aria-checked", "true"));
    expect(backend.callsOf("use_case_set_score")).toHaveLength(1);
    expect(screen.getByRole("dialog", { name: "Doc extraction" })).toBeInTheDocument();
  });
  it("says whether the use case's ranking is stable under ±20% weight changes, once fully scored", async () => {
    const backend = resetBackend();
    // The engine ranks the fully scored ones and says which would change under ±20% weights; Doc extraction is not ranked.
    const full = { "strategic-fit": 4, "business-impact": 3, "data-readiness": 5, "technical-complexity": 4 };
    const stable = backend.seed({ title: "Invoice matching", scores: full, value_score: 68.8, feasibility_score: 87.5, priority: 78.2, quadrant: "quick-win" });
    const shaky = backend.seed({
      title: "Churn forecast",
      scores: { ...full, "strategic-fit": 3 },
      value_score: 50,
      feasibility_score: 87.5,
      priority: 68.8,
      quadrant: "quick-win",
    });
    backend.seed({ title: "Doc extraction", scores: { "strategic-fit": 2 } });
    const ranked = { stage: "idea", quadrant: "quick-win" } as const;
    backend.answer("sensitivity_get", {
      top: 10,
      scored: 2,
      volatile: 1,
      use_cases: [
        { ...ranked, id: stable.id, title: stable.title, rank: 1, volatile: false, reasons: [] },
        {
          ...ranked,
          id: shaky.id,
          title: shaky.title,
          rank: 2,
          volatile: true,
          reasons: ["strategic fit −20%: quick-win → fill-in", "business impact +20%: leaves the top 10"],
        },
      ],
    });
    const { user } = renderApp();

    let panel = await openUseCase(user, "Invoice matching");
    await user.click(within(panel).getByRole("tab", { name: "Scoring" }));
    expect(await within(panel).findByRole("region", { name: "Weight sensitivity" })).toHaveTextContent("Stable under ±20% weight changes");

    panel = await openUseCase(user, "Churn forecast");
    await user.click(within(panel).getByRole("tab", { name: "Scoring" }));
    expect(await within(panel).findByRole("region", { name: "Weight sensitivity" })).toHaveTextContent(
      "Volatile: strategic fit −20%: quick-win → fill-in; business impact +20%: leaves the top 10.",
    );

    panel = await openUseCase(user, "Doc extraction");
    await user.click(within(panel).getByRole("tab", { name: "Scoring" }));
    await within(panel).findByTestId("value-score");
    expect(within(panel).queryByRole("region", { name: "Weight sensitivity" })).not.toBeInTheDocument();
  });
});
