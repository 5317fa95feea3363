// Undo: Ctrl+Z (or the toast's Undo) takes back the last edit of this session through the same commands, refused when stale.
import { act, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import type { UseCase } from "../bindings/UseCase";
import { resetBackend, type Backend } from "../test/backend";
import { openUseCase, renderApp } from "../test/render";

/** The toast's live region. */
function toast(): HTMLElement {
  const el = document.querySelector<HTMLElement>(".toasts [role=status]");
  if (!el) throw new Error("no toast region");
  return el;
}

/** The engine's answers to the edits these tests undo: the use case with the change made, one version on. */
function edits(backend: Backend) {
  backend.answer("use_case_set_score", (req) => {
    const uc = backend.useCases.get(req.id)!;
    return backend.update(req.id, { scores: { ...uc.scores, [req.criterion]: req.score } });
  });
  backend.answer("use_case_set_fields", (req) => backend.update(req.id, req.fields as Partial<UseCase>));
  backend.answer("use_case_set_owner", (req) => {
    const uc = backend.useCases.get(req.id)!;
    return backend.update(req.id, { owners: { ...uc.owners, [req.role]: req.person?.email ?? null } });
  });
  backend.answer("use_case_set_archived", (req) => backend.update(req.id, { archived: req.archived }));
}

async function scoreStrategicFit(title: string, to: number) {
  const backend = resetBackend();
  const uc = backend.seed({ title, scores: { "strategic-fit": 2 } });
  edits(backend);
  const { user } = renderApp();
  const panel = await openUseCase(user, title);
  await user.click(within(panel).getByRole("tab", { name: "Scoring" }));
  await user.click(await within(panel).findByTestId(`score-strategic-fit-${to}`));
  await waitFor(() => expect(toast()).toHaveTextContent("Score saved·Undo"));
  return { backend, uc, user, panel };
}

describe("undo", () => {
  it("takes back a score change with Ctrl+Z, against the version it made", async () => {
    const { backend, uc, user, panel } = await scoreStrategicFit("Invoice matching", 5);
    expect(within(panel).getByTestId("score-strategic-fit-5")).toHaveAttribute("aria-checked", "true");

    await user.keyboard("{Control>}z{/Control}");
    await waitFor(() => expect(toast()).toHaveTextContent("Undid: score of Strategic fit on “Invoice matching”"));
    expect(backend.callsOf("use_case_set_score").at(-1)).toEqual({ id: uc.id, criterion: "strategic-fit", score: 2, expect_version: 2 });
    await waitFor(() => expect(within(panel).getByTestId("score-strategic-fit-2")).toHaveAttribute("aria-checked", "true"));

    // Only the last edit is kept: a second Ctrl+Z has nothing left.
    await user.keyboard("{Control>}z{/Control}");
    expect(toast()).toHaveTextContent("Nothing to undo");
    expect(backend.callsOf("use_case_set_score")).toHaveLength(2);
  });

  it("leaves Ctrl+Z in a text field to the field", async () => {
    const { backend, user, panel } = await scoreStrategicFit("Invoice matching", 4);
    await user.click(within(panel).getByRole("tab", { name: "Overview" }));
    const solution = within(panel).getByLabelText("Proposed solution");
    await user.type(solution, "An assistant");
    await user.keyboard("{Control>}z{/Control}");
    expect(backend.callsOf("use_case_set_score")).toHaveLength(1);
    expect(toast()).not.toHaveTextContent(/Undid|Nothing to undo/);

    // Outside the field it undoes.
    act(() => solution.blur());
    await user.keyboard("{Meta>}z{/Meta}");
    await waitFor(() => expect(backend.callsOf("use_case_set_score")).toHaveLength(2));
  });

  it("refuses to undo over a change made since, with the usual message", async () => {
    const { backend, uc, user, panel } = await scoreStrategicFit("Invoice matching", 5);
    // Another window renamed it meanwhile: the engine refuses the undo made against version 2.
    backend.update(uc.id, { title: "Invoice matching v2" });
    backend.failNext("use_case_set_score", {
      code: "stale",
      message: "“Invoice matching v2” was changed since you opened it (you had version 2, it is now at 3); reload it and make your change again",
    });
    await user.keyboard("{Control>}z{/Control}");

    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("was changed since you opened it");
    expect(within(alert).getByText("stale")).toBeInTheDocument();
    expect(screen.getByText("Could not undo the score of Strategic fit on “Invoice matching”")).toBeInTheDocument();
    expect(backend.callsOf("use_case_set_score").at(-1)).toEqual({ id: uc.id, criterion: "strategic-fit", score: 2, expect_version: 2 });
    expect(within(panel).getByTestId("score-strategic-fit-5")).toHaveAttribute("aria-checked", "true");
  });

  it("undoes an Overview save from the toast's Undo button, sending the old values", async () => {
    const backend = resetBackend();
    const uc = backend.seed({ title: "Claims triage", tags: ["nlp"] });
    edits(backend);
    const { user } = renderApp();
    const panel = await openUseCase(user, "Claims triage");
    const title = within(panel).getByLabelText(/^Title/);
    await user.clear(title);
    await user.type(title, "Claims triage assistant");
    await user.type(within(panel).getByLabelText("Tags"), ", claims");
    await user.click(within(panel).getByRole("button", { name: "Save" }));

    await waitFor(() => expect(toast()).toHaveTextContent("Overview saved·Undo"));
    await user.click(within(toast()).getByRole("button", { name: "Undo" }));
    await waitFor(() => expect(toast()).toHaveTextContent("Undid: edit of title and tags on “Claims triage assistant”"));
    expect(backend.callsOf("use_case_set_fields").at(-1)).toEqual({ id: uc.id, expect_version: 2, fields: { title: "Claims triage", tags: ["nlp"] } });
    await waitFor(() => expect(within(panel).getByLabelText(/^Title/)).toHaveValue("Claims triage"));
    expect(screen.getByRole("dialog", { name: "Claims triage" })).toBeInTheDocument();
  });

  it("undoes an owner change and an archive", async () => {
    const backend = resetBackend();
    const uc = backend.seed({ title: "Claims triage" });
    backend.addPerson({ email: "helen.carter@northwind.example", name: "Helen Carter" });
    edits(backend);
    const { user } = renderApp();
    const panel = await openUseCase(user, "Claims triage");
    await user.click(within(panel).getByRole("tab", { name: "Owners" }));
    await user.type(within(panel).getByTestId("owner-business-email"), "helen.carter@northwind.example");
    await user.click(within(panel).getByTestId("owner-business-assign"));
    await waitFor(() => expect(toast()).toHaveTextContent("Business owner saved·Undo"));
    act(() => (document.activeElement as HTMLElement).blur());
    await user.keyboard("{Control>}z{/Control}");
    await waitFor(() => expect(within(panel).getByTestId("owner-business-current")).toHaveTextContent("Nobody yet"));
    expect(backend.callsOf("use_case_set_owner").at(-1)).toEqual({ id: uc.id, role: "business", person: null, expect_version: 2 });

    await user.click(within(panel).getByRole("button", { name: "Archive" }));
    await waitFor(() => expect(toast()).toHaveTextContent("Archived·Undo"));
    await user.keyboard("{Control>}z{/Control}");
    await waitFor(() => expect(toast()).toHaveTextContent("Undid: archiving of “Claims triage”"));
    expect(backend.callsOf("use_case_set_archived")).toEqual([
      { id: uc.id, archived: true },
      { id: uc.id, archived: false },
    ]);
    expect(within(panel).getByRole("button", { name: "Archive" })).toBeInTheDocument();
  });
});
