// The Overview form: sends only changed fields against the loaded version; stale edits offer Reload and keep what was typed.
import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import type { UseCase } from "../../../bindings/UseCase";
import { resetBackend, type Backend } from "../../../test/backend";
import { openUseCase, renderApp } from "../../../test/render";

/** `use_case_set_fields` answers the use case with the fields as sent (the test sends them as the engine stores them). */
function savesFields(backend: Backend) {
  backend.answer("use_case_set_fields", (req) => backend.update(req.id, req.fields as Partial<UseCase>));
}

describe("overview", () => {
  it("saves only the changed fields with the loaded version", async () => {
    const backend = resetBackend();
    const uc = backend.seed({ title: "Claims triage", business_unit: "Claims", tags: ["nlp"] });
    savesFields(backend);
    const { user } = renderApp();
    const panel = await openUseCase(user, "Claims triage");

    await user.type(within(panel).getByLabelText("Problem statement"), "Claims wait three weeks");
    await user.clear(within(panel).getByLabelText("Tags"));
    await user.type(within(panel).getByLabelText("Tags"), "nlp, claims");
    expect(within(panel).getByText("Unsaved changes")).toBeInTheDocument();
    await user.click(within(panel).getByRole("button", { name: "Save" }));

    await waitFor(() => expect(backend.callsOf("use_case_set_fields")).toHaveLength(1));
    expect(backend.callsOf("use_case_set_fields")[0]).toEqual({
      id: uc.id,
      expect_version: 1,
      fields: { problem: "Claims wait three weeks", tags: ["nlp", "claims"] },
    });
    expect(await within(panel).findByText("Saved")).toBeInTheDocument();
    expect(within(panel).queryByText("Unsaved changes")).not.toBeInTheDocument();
  });

  it("shows a refused value beside its field and keeps everything typed", async () => {
    const backend = resetBackend();
    backend.seed({ title: "Claims triage" });
    backend.failNext("use_case_set_fields", {
      code: "validation",
      message: "the expected annual cost must be a number from 0 to 10,000,000,000,000",
      field: "expected_cost",
    });
    const { user } = renderApp();
    const panel = await openUseCase(user, "Claims triage");
    await user.type(within(panel).getByLabelText(/Expected annual cost/), "99999999999999999");
    await user.type(within(panel).getByLabelText("Proposed solution"), "An assistant");
    await user.click(within(panel).getByRole("button", { name: "Save" }));

    const cost = within(panel).getByLabelText(/Expected annual cost/);
    await waitFor(() => expect(cost).toHaveAccessibleDescription(/must be a number from 0/));
    expect(cost).toHaveValue("99999999999999999");
    expect(within(panel).getByLabelText("Proposed solution")).toHaveValue("An assistant");

    await user.clear(within(panel).getByLabelText(/Expected annual benefit/));
    await user.type(within(panel).getByLabelText(/Expected annual benefit/), "12,5");
    await user.click(within(panel).getByRole("button", { name: "Save" }));
    expect(within(panel).getByLabelText(/Expected annual benefit/)).toHaveAccessibleDescription(/plain amount such as 250000/);
    expect(backend.callsOf("use_case_set_fields")).toHaveLength(1);
  });

  it("says when the use case changed elsewhere and reloads it without losing the edit", async () => {
    const backend = resetBackend();
    const uc = backend.seed({ title: "Claims triage", business_unit: "Claims" });
    savesFields(backend);
    const { user } = renderApp();
    const panel = await openUseCase(user, "Claims triage");
    await user.type(within(panel).getByLabelText("Problem statement"), "Claims wait three weeks");
    // Another window saved it meanwhile: the engine refuses the edit made against version 1.
    backend.update(uc.id, { business_unit: "Claims Operations" });
    backend.failNext("use_case_set_fields", {
      code: "stale",
      message: "“Claims triage” was changed since you opened it (you had version 1, it is now at 2); reload it and make your change again",
    });

    await user.click(within(panel).getByRole("button", { name: "Save" }));
    const alert = await within(panel).findByRole("alert");
    expect(alert).toHaveTextContent("was changed since you opened it");
    expect(within(alert).getByText("stale")).toBeInTheDocument();
    expect(backend.callsOf("use_case_set_fields")[0]).toMatchObject({ id: uc.id, expect_version: 1 });

    await user.click(within(alert).getByRole("button", { name: "Reload" }));
    await waitFor(() => expect(within(panel).getByLabelText("Business unit")).toHaveValue("Claims Operations"));
    expect(within(panel).getByLabelText(/Problem statement/)).toHaveValue("Claims wait three weeks");
    expect(within(panel).getByText(/your edits are kept/)).toBeInTheDocument();

    await user.click(within(panel).getByRole("button", { name: "Save" }));
    await waitFor(() => expect(backend.callsOf("use_case_set_fields")).toHaveLength(2));
    expect(backend.callsOf("use_case_set_fields")[1]).toEqual({ id: uc.id, expect_version: 2, fields: { problem: "Claims wait three weeks" } });
    expect(await within(panel).findByText("Saved")).toBeInTheDocument();
  });

  it("keeps typed edits when a score saved in the same panel moves the version on", async () => {
    const backend = resetBackend();
    const uc = backend.seed({ title: "Claims triage" });
    backend.answer("use_case_set_score", (req) => backend.update(req.id, { scores: { ...uc.scores, [req.criterion]: req.score } }));
    savesFields(backend);
    const { user } = renderApp();
    const panel = await openUseCase(user, "Claims triage");
    await user.type(within(panel).getByLabelText("Problem statement"), "Slow claims");
    await user.click(within(panel).getByRole("tab", { name: "Scoring" }));
    await user.click(await within(panel).findByTestId("score-strategic-fit-3"));
    await waitFor(() => expect(backend.useCases.get(uc.id)?.version).toBe(2));
    await user.click(within(panel).getByRole("tab", { name: "Overview" }));

    expect(within(panel).getByLabelText(/Problem statement/)).toHaveValue("Slow claims");
    await user.click(within(panel).getByRole("button", { name: "Save" }));
    await waitFor(() => expect(backend.callsOf("use_case_set_fields")).toHaveLength(1));
    expect(backend.callsOf("use_case_set_fields")[0]).toMatchObject({ expect_version: 2 });
    expect(screen.queryByText(/was changed since you opened it/)).not.toBeInTheDocument();
  });
});
