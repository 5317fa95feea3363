// Scoring: each criterion's 1–5 rubric saves on click, and the scores, quadrant and breakdown follow.
import { act, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { resetBackend } from "../../../test/fakeBackend";
import { openUseCase, renderApp } from "../../../test/render";

describe("scoring", () => {
  it("saves a score on click and shows the updated scores, quadrant and contributions", async () => {
    const backend = resetBackend();
    const uc = backend.seed({ title: "Invoice matching", raw: { "business-impact": 3, "data-readiness": 5, "technical-complexity": 5 } });
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
    // value = (3·3/4 + 1·2/4)·100/4 = 68.75 → 68.8; priority = (68.8 + 100)/2 = 84.4
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
    backend.seed({ title: "Churn forecast", raw: { "strategic-fit": 2 } });
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
    backend.seed({ title: "Doc extraction" });
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
    const full = { "strategic-fit": 4, "business-impact": 3, "data-readiness": 5, "technical-complexity": 4 };
    backend.seed({ title: "Invoice matching", raw: full });
    const shaky = backend.seed({ title: "Churn forecast", raw: { ...full, "strategic-fit": 3 } });
    backend.seed({ title: "Doc extraction", raw: { "strategic-fit": 2 } });
    backend.volatile.set(shaky.id, ["strategic fit −20%: quick-win → fill-in", "business impact +20%: leaves the top 10"]);
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
