// Since last review: explains review points before the first, marks one, then lists what changed since by kind, each row opening its use case.
import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import type { ChangeList } from "../../bindings/ChangeList";
import type { ReviewChange } from "../../bindings/ReviewChange";
import type { ReviewChanges } from "../../bindings/ReviewChanges";
import type { ReviewMark } from "../../bindings/ReviewMark";
import { engine } from "../../test/answers";
import { resetBackend } from "../../test/backend";
import { openUseCase, renderApp } from "../../test/render";

async function openReview(user: ReturnType<typeof renderApp>["user"]) {
  await user.click(await screen.findByRole("button", { name: "Since last review" }));
  return screen.findByRole("region", { name: "Since last review" });
}

/** A review point marked by Tess. */
function mark(note: string | null): ReviewMark {
  return { id: "mark-1", at: "2025-01-02T09:00:00Z", actor: engine.identity.email, note };
}

/** One change since the review point, by Tess unless stated. */
function change(fields: Partial<ReviewChange> & { use_case_id: string; title: string }): ReviewChange {
  return { at: "2025-01-03T09:00:00Z", actor: engine.identity.email, field: null, old: null, new: null, note: null, ...fields };
}

const list = (...changes: ReviewChange[]): ChangeList => ({ count: changes.length, changes });

/** What `review_changes` answers since `since`: the changes stated, none of the other kinds. */
function changesSince(since: ReviewMark, lists: Partial<Omit<ReviewChanges, "since">> = {}): ReviewChanges {
  return { since, new_use_cases: list(), stage_moves: list(), score_changes: list(), owner_changes: list(), ...lists };
}

describe("since last review", () => {
  it("explains review points until one is marked, then lists a change made afterwards", async () => {
    const backend = resetBackend();
    backend.addPerson({ email: "tess@example.org", name: "Tess Tester" });
    const claims = backend.seed({ title: "Claims triage" });
    const point = mark("Q3 portfolio board");
    backend.answer("review_mark", (note) => {
      backend.answer("review_changes", changesSince({ ...point, note }));
      return { ...point, note };
    });
    backend.answer("use_case_set_score", (req) => {
      backend.answer(
        "review_changes",
        changesSince(point, { score_changes: list(change({ use_case_id: claims.id, title: claims.title, field: req.criterion, old: null, new: req.score })) }),
      );
      return backend.update(req.id, { scores: { ...backend.useCases.get(req.id)!.scores, [req.criterion]: req.score } });
    });
    const { user } = renderApp();
    const view = await openReview(user);

    expect(await within(view).findByRole("heading", { name: "No review point yet" })).toBeInTheDocument();
    expect(view).toHaveTextContent(/marks the moment the portfolio was last reviewed/);
    await user.type(within(view).getByLabelText("Note (optional)"), "Q3 portfolio board");
    await user.click(within(view).getByRole("button", { name: "Mark review point" }));
    expect(backend.callsOf("review_mark")).toEqual(["Q3 portfolio board"]);
    expect(await within(view).findByText("Nothing has changed since then.")).toBeInTheDocument();
    expect(view).toHaveTextContent("marked by Tess Tester (“Q3 portfolio board”)");

    await user.click(screen.getByRole("button", { name: /^Portfolio/ }));
    const panel = await openUseCase(user, "Claims triage");
    await user.click(within(panel).getByRole("tab", { name: "Scoring" }));
    await user.click(await within(panel).findByTestId("score-strategic-fit-4"));
    await within(panel).findByText("Saved");
    expect(backend.callsOf("use_case_set_score")).toEqual([expect.objectContaining({ id: claims.id, criterion: "strategic-fit", score: 4 })]);

    const again = await openReview(user);
    const scores = await within(again).findByRole("region", { name: "Score changes 1" });
    expect(within(scores).getByRole("row", { name: /Claims triage/ })).toHaveTextContent("Strategic fit: — → 4");
    expect(within(again).getByRole("status")).toHaveTextContent("0 new use cases · 0 stage moves · 1 score change · 0 owner changes");
  });

  it("lists new use cases, stage moves, score and owner changes with who and the note, and opens a use case from its row", async () => {
    const backend = resetBackend();
    backend.addPerson({ email: "tess@example.org", name: "Tess Tester" });
    backend.addPerson({ email: "helen@example.org", name: "Helen Carter" });
    const old = backend.seed({ title: "Invoice matching", stage: "parked", left_stage: "pilot" });
    const created = backend.seed({ title: "Claims triage" });
    const about = { use_case_id: old.id, title: old.title };
    // As the engine lists a creation: its title, no `new` (the whole first record is not sent).
    backend.answer(
      "review_changes",
      changesSince(mark(null), {
        new_use_cases: list(change({ use_case_id: created.id, title: created.title, new: { stage: "idea" } })),
        stage_moves: list(change({ ...about, field: "stage", old: "pilot", new: "parked", note: "Vendor on hold" })),
        score_changes: list(change({ ...about, field: "data-readiness", old: null, new: 2 })),
        owner_changes: list(change({ ...about, field: "technical", old: null, new: "helen@example.org" })),
      }),
    );
    const { user } = renderApp();
    await openReview(user);

    const news = await screen.findByRole("region", { name: "New use cases 1" });
    expect(within(news).getByRole("row", { name: /Claims triage/ })).toHaveTextContent(/Proposed at\s*Idea/);
    const moves = screen.getByRole("region", { name: "Stage moves 1" });
    const move = within(moves).getByRole("row", { name: /Invoice matching/ });
    expect(move).toHaveTextContent(/Pilot\s*→\s*Parked/);
    expect(move).toHaveTextContent("“Vendor on hold”");
    expect(move).toHaveTextContent("Tess Tester");
    expect(within(screen.getByRole("region", { name: "Score changes 1" })).getByRole("row", { name: /Invoice matching/ })).toHaveTextContent(
      "Data readiness: — → 2",
    );
    expect(within(screen.getByRole("region", { name: "Owner changes 1" })).getByRole("row", { name: /Invoice matching/ })).toHaveTextContent(
      "Technical owner (architect): — → Helen Carter",
    );

    await user.click(within(moves).getByRole("button", { name: "Invoice matching" }));
    const panel = await screen.findByRole("dialog", { name: "Invoice matching" });
    await waitFor(() => expect(within(panel).getByRole("tab", { name: "Overview" })).toBeInTheDocument());
  });

  it("shows a failure to read the changes that is not the missing review point", async () => {
    const backend = resetBackend();
    backend.failNext("review_changes", { code: "io", message: "The portfolio file could not be read" });
    const { user } = renderApp();
    const view = await openReview(user);
    expect(await within(view).findByRole("alert")).toHaveTextContent("The portfolio file could not be read");
    expect(within(view).queryByText("No review point yet")).not.toBeInTheDocument();
  });
});
