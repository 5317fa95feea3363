// The app shell: the first-run identity question, the empty portfolio and its demo, and the global shortcuts.
import { act, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import type { Stage } from "../bindings/Stage";
import { engine } from "../test/answers";
import { resetBackend } from "../test/backend";
import { renderApp, tableRows } from "../test/render";

describe("first run", () => {
  it("asks for a name and email, checks them beside each field, and saves them once", async () => {
    const backend = resetBackend();
    backend.answer("identity_get", null);
    // The engine keeps the email in lower case.
    backend.answer("identity_set", (req) => ({ name: req.name, email: "ada@example.org" }));
    const { user } = renderApp();

    const dialog = await screen.findByRole("dialog", { name: /welcome/i });
    await user.click(within(dialog).getByRole("button", { name: "Save" }));
    expect(screen.getByLabelText("Your name")).toHaveAccessibleDescription("Please give your name.");
    expect(screen.getByLabelText("Your email")).toHaveAccessibleDescription("Please give your email address.");
    expect(backend.callsOf("identity_set")).toHaveLength(0);

    await user.type(screen.getByLabelText("Your name"), "Ada Lovelace");
    await user.type(screen.getByLabelText("Your email"), "ada-at-example");
    await user.click(within(dialog).getByRole("button", { name: "Save" }));
    expect(screen.getByLabelText("Your email")).toHaveAccessibleDescription(/not an email address/);

    await user.clear(screen.getByLabelText("Your email"));
    await user.type(screen.getByLabelText("Your email"), "Ada@Example.org");
    await user.click(within(dialog).getByRole("button", { name: "Save" }));
    await waitFor(() => expect(screen.queryByRole("dialog", { name: /welcome/i })).not.toBeInTheDocument());
    expect(backend.callsOf("identity_set")).toEqual([{ name: "Ada Lovelace", email: "Ada@Example.org" }]);
  });

  it("shows the engine's refusal beside the field it names, keeping what was typed", async () => {
    const backend = resetBackend();
    backend.answer("identity_get", null);
    backend.failNext("identity_set", { code: "validation", message: "that domain is not allowed", field: "email" });
    const { user } = renderApp();

    await user.type(await screen.findByLabelText("Your name"), "Ada");
    await user.type(screen.getByLabelText("Your email"), "ada@example.org");
    await user.click(screen.getByRole("button", { name: "Save" }));

    expect(await screen.findByText("that domain is not allowed")).toBeInTheDocument();
    expect(screen.getByLabelText("Your email")).toHaveAccessibleDescription("that domain is not allowed");
    expect(screen.getByLabelText("Your name")).toHaveValue("Ada");
    expect(screen.getByRole("dialog", { name: /welcome/i })).toBeInTheDocument();
  });
});

describe("empty portfolio", () => {
  it("offers the demo and New use case; loading the demo shows rows and stage counts", async () => {
    const backend = resetBackend();
    // The demo the engine loads: here 40 use cases, 7 of them in Pilot.
    backend.answer("demo_load", () => {
      const stages: Stage[] = [...Array<Stage>(7).fill("pilot"), ...Array<Stage>(33).fill("idea")];
      stages.forEach((stage, i) => backend.seed({ title: `Demo use case ${i + 1}`, stage, demo: true }));
      backend.answer("filter_choices", {
        ...engine.filter_choices,
        stage_counts: [
          ["idea", 33],
          ["pilot", 7],
        ],
        total: 40,
      });
      return 40;
    });
    const { user } = renderApp();

    expect(await screen.findByRole("heading", { name: "Your portfolio is empty" })).toBeInTheDocument();
    expect(screen.getAllByRole("button", { name: "New use case" }).length).toBeGreaterThan(0);
    await user.click(screen.getByRole("button", { name: "Load demo portfolio" }));

    await waitFor(() => expect(tableRows().length).toBeGreaterThan(5));
    expect(backend.callsOf("demo_load")).toHaveLength(1);
    expect(screen.getByText("40 use cases")).toBeInTheDocument();
    const stages = screen.getByRole("list", { name: "Filter by stage" });
    expect(within(stages).getByRole("button", { name: /Pilot/ })).toHaveTextContent("7");
  });

  it("says why the demo could not load, with the code for support", async () => {
    const backend = resetBackend();
    backend.failNext("demo_load", { code: "io", message: "the store is read-only; check the file's permissions" });
    const { user } = renderApp();
    await user.click(await screen.findByRole("button", { name: "Load demo portfolio" }));
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("the store is read-only; check the file's permissions");
    expect(within(alert).getByText("io")).toBeInTheDocument();
  });
});

describe("shortcuts", () => {
  it("focuses search with / and Ctrl+K, and opens New use case with N", async () => {
    const backend = resetBackend();
    backend.seed({ title: "Claims triage" });
    const { user } = renderApp();
    await screen.findByRole("row", { name: /Claims triage/ });

    await user.keyboard("/");
    expect(screen.getByRole("searchbox", { name: "Search use cases" })).toHaveFocus();
    await user.type(screen.getByRole("searchbox"), "n");
    expect(screen.queryByRole("dialog", { name: "New use case" })).not.toBeInTheDocument();

    act(() => (document.activeElement as HTMLElement).blur());
    await user.keyboard("N");
    expect(await screen.findByRole("dialog", { name: "New use case" })).toBeInTheDocument();
    expect(screen.getByLabelText(/^Title/)).toHaveFocus();

    await user.keyboard("{Escape}");
    await waitFor(() => expect(screen.queryByRole("dialog", { name: "New use case" })).not.toBeInTheDocument());
    await user.keyboard("{Control>}k{/Control}");
    expect(screen.getByRole("searchbox")).toHaveFocus();
  });
});
