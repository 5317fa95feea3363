// Proposing a use case: the title is required beside its field, nothing typed is lost, and the new one opens.
import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { resetBackend } from "../../test/backend";
import { renderApp } from "../../test/render";

describe("new use case", () => {
  it("refuses an empty title beside the field and keeps every other value typed", async () => {
    const backend = resetBackend();
    const { user } = renderApp();
    await user.click(await screen.findByRole("button", { name: /^New use case/ }));
    const panel = await screen.findByRole("dialog", { name: "New use case" });

    await user.type(within(panel).getByLabelText("Problem statement"), "Claims take three weeks");
    await user.type(within(panel).getByLabelText("Business unit"), "Claims");
    await user.type(within(panel).getByLabelText(/Expected annual benefit/), "250000");
    await user.type(within(panel).getByLabelText("Tags"), "nlp, claims");
    await user.click(within(panel).getByRole("button", { name: "Save" }));

    const title = within(panel).getByLabelText(/^Title/);
    expect(title).toHaveAccessibleDescription("A use case needs a title.");
    expect(title).toHaveAttribute("aria-invalid", "true");
    expect(title).toHaveFocus();
    expect(within(panel).getByLabelText("Problem statement")).toHaveValue("Claims take three weeks");
    expect(within(panel).getByLabelText("Business unit")).toHaveValue("Claims");
    expect(within(panel).getByLabelText(/Expected annual benefit/)).toHaveValue("250000");
    expect(within(panel).getByLabelText("Tags")).toHaveValue("nlp, claims");
    expect(backend.callsOf("use_case_create")).toHaveLength(0);

    await user.type(title, "x");
    expect(title).not.toHaveAccessibleDescription("A use case needs a title.");
  });

  it("shows the engine's field error beside its field, keeps the values, then creates and opens the use case", async () => {
    const backend = resetBackend();
    backend.failNext("use_case_create", { code: "validation", message: "the proposer is not an email address", field: "proposer" });
    // The engine stores the tags once each.
    backend.answer("use_case_create", (req) =>
      backend.seed({ title: req.title, proposer: req.proposer ?? null, tags: ["nlp", "claims"], data_sources: req.data_sources ?? [] }),
    );
    const { user } = renderApp();
    await user.click(await screen.findByRole("button", { name: /^New use case/ }));
    const panel = await screen.findByRole("dialog", { name: "New use case" });

    await user.type(within(panel).getByLabelText(/^Title/), "Claims triage assistant");
    await user.type(within(panel).getByLabelText(/^Proposer/), "helen");
    await user.type(within(panel).getByLabelText("Tags"), "nlp, claims, nlp");
    await user.type(within(panel).getByLabelText("Data sources"), "Claims DB");
    await user.click(within(panel).getByRole("button", { name: "Save" }));
    expect(await within(panel).findByText("the proposer is not an email address")).toBeInTheDocument();
    expect(within(panel).getByLabelText(/^Proposer/)).toHaveAccessibleDescription(/not an email address/);
    expect(within(panel).getByLabelText(/^Title/)).toHaveValue("Claims triage assistant");

    await user.clear(within(panel).getByLabelText(/^Proposer/));
    await user.type(within(panel).getByLabelText(/^Proposer/), "helen@example.org");
    await user.click(within(panel).getByRole("button", { name: "Save" }));

    expect(await screen.findByRole("dialog", { name: "Claims triage assistant" })).toBeInTheDocument();
    expect(backend.callsOf("use_case_create").at(-1)).toEqual({
      title: "Claims triage assistant",
      proposer: "helen@example.org",
      tags: ["nlp", "claims", "nlp"],
      data_sources: ["Claims DB"],
    });
    expect(screen.getByRole("tab", { name: "Overview" })).toHaveAttribute("aria-selected", "true");
    expect(screen.getByLabelText("Tags")).toHaveValue("nlp, claims");
    await waitFor(() => expect(screen.getByRole("row", { name: /Claims triage assistant/ })).toBeInTheDocument());
  });

  it("asks before discarding typed text when the panel is closed", async () => {
    resetBackend();
    const { user } = renderApp();
    await user.click(await screen.findByRole("button", { name: /^New use case/ }));
    const panel = await screen.findByRole("dialog", { name: "New use case" });
    await user.type(within(panel).getByLabelText(/^Title/), "Half a thought");
    await user.keyboard("{Escape}");

    expect(screen.getByText("You have unsaved changes in this form.")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Keep editing" }));
    expect(within(panel).getByLabelText(/^Title/)).toHaveValue("Half a thought");

    await user.click(within(panel).getByRole("button", { name: "Cancel" }));
    await user.click(screen.getByRole("button", { name: "Discard changes" }));
    expect(screen.queryByRole("dialog", { name: "New use case" })).not.toBeInTheDocument();
  });
});
