// Since last review: explains review points before the first, marks one, then lists what changed since by kind, each row opening its use case.
import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { resetBackend } from "../../test/fakeBackend";
import { openUseCase, renderApp } from "../../test/render";

async function openReview(user: ReturnType<typeof renderApp>["user"]) {
  await user.click(await screen.findByRole("button", { name: "Since last review" }));
  return screen.findByRole("region", { name: "Since last review" });
}

describe("since last review", () => {
  it("explains review points until one is marked, then lists a change made afterwards", async () => {
    const backend = resetBackend();
    backend.addPerson({ email: "tess@example.org", name: "Tess Tester" });
    backend.seed({ title: "Claims triage" });
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

    const again = await openReview(user);
    const scores = await within(again).findByRole("region", { name: "Score changes 1" });
    expect(within(scores).getByRole("row", { name: /Claims triage/ })).toHaveTextContent("Strategic fit: — → 4");
    expect(within(again).getByRole("status")).toHaveTextContent("0 new use cases · 0 stage moves · 1 score change · 0 owner changes");
  });

  it("lists new use cases, stage moves, score and owner changes with who and the note, and opens a use case from its row", async () => {
    const backend = resetBackend();
    backend.addPerson({ email: "tess@example.org", name: "Tess Tester" });
    backend.addPerson({ email: "helen@example.org", name: "Helen Carter" });
    const old = backend.seed({ title: "Invoice matching", stage: "pilot" });
    await backend.invoke("review_mark", { req: null });
    backend.seed({ title: "Claims triage" });
    await backend.invoke("use_case_move_stage", { req: { id: old.id, to: "parked", note: "Vendor on hold" } });
    await backend.invoke("use_case_set_score", { req: { id: old.id, criterion: "data-readiness", score: 2 } });
    await backend.invoke("use_case_set_owner", { req: { id: old.id, role: "technical", person: { email: "helen@example.org" } } });
    const { user } = renderApp();
    await openReview(user);

    const created = await screen.findByRole("region", { name: "New use cases 1" });
    expect(within(created).getByRole("row", { name: /Claims triage/ })).toHaveTextContent(/Proposed at\s*Idea/);
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
