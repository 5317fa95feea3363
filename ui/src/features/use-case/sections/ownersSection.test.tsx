// Owners: pick someone from the people list by name, add a new person inline, clear a role.
import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { resetBackend, type Backend } from "../../../test/backend";
import { openUseCase, renderApp } from "../../../test/render";

/** `use_case_set_owner` answers the use case with the role given to that person (added to the people list if new), or cleared. */
function assignsOwners(backend: Backend) {
  backend.answer("use_case_set_owner", (req) => {
    const uc = backend.useCases.get(req.id)!;
    if (req.person && !backend.people.some((p) => p.email === req.person!.email)) backend.addPerson(req.person);
    return backend.update(req.id, { owners: { ...uc.owners, [req.role]: req.person?.email ?? null } });
  });
}

describe("owners", () => {
  it("finds a person by name, assigns them, and clears the role", async () => {
    const backend = resetBackend();
    backend.addPerson({ email: "helen.carter@example.org", name: "Helen Carter", business_unit: "Claims" });
    const uc = backend.seed({ title: "Claims triage" });
    assignsOwners(backend);
    const { user } = renderApp();
    const panel = await openUseCase(user, "Claims triage");
    await user.click(within(panel).getByRole("tab", { name: "Owners" }));

    const input = await within(panel).findByTestId("owner-business-email");
    await user.type(input, "helen");
    await user.click(within(panel).getByRole("option", { name: /Helen Carter/ }));
    await waitFor(() => expect(within(panel).getByTestId("owner-business-current")).toHaveTextContent("Helen Carter"));
    expect(backend.callsOf("use_case_set_owner")).toEqual([{ id: uc.id, role: "business", person: { email: "helen.carter@example.org" } }]);

    await user.click(within(panel).getByTestId("owner-business-clear"));
    await waitFor(() => expect(within(panel).getByTestId("owner-business-current")).toHaveTextContent("Nobody yet"));
    expect(backend.callsOf("use_case_set_owner").at(-1)).toEqual({ id: uc.id, role: "business", person: null });
  });

  it("adds a new person inline with name and business unit", async () => {
    const backend = resetBackend();
    backend.seed({ title: "Claims triage" });
    assignsOwners(backend);
    const { user } = renderApp();
    const panel = await openUseCase(user, "Claims triage");
    await user.click(within(panel).getByRole("tab", { name: "Owners" }));

    await user.type(await within(panel).findByTestId("owner-technical-email"), "sam.architect@example.org");
    await user.type(within(panel).getByTestId("owner-technical-name"), "Sam Architect");
    await user.type(within(panel).getByTestId("owner-technical-business_unit"), "IT");
    await user.click(within(panel).getByRole("button", { name: "Add person and assign" }));

    await waitFor(() => expect(within(panel).getByTestId("owner-technical-current")).toHaveTextContent("Sam Architect"));
    expect(backend.callsOf("use_case_set_owner")[0]).toMatchObject({
      role: "technical",
      person: { email: "sam.architect@example.org", name: "Sam Architect", business_unit: "IT" },
    });
  });

  it("shows an email the engine refuses beside the email field", async () => {
    const backend = resetBackend();
    backend.seed({ title: "Claims triage" });
    backend.failNext("use_case_set_owner", { code: "validation", message: "`sam@x` is not an email address (like name@example.org)", field: "email" });
    const { user } = renderApp();
    const panel = await openUseCase(user, "Claims triage");
    await user.click(within(panel).getByRole("tab", { name: "Owners" }));
    const input = await within(panel).findByTestId("owner-data-email");
    await user.type(input, "sam@x.io{Enter}");
    await waitFor(() => expect(input).toHaveAccessibleDescription(/is not an email address/));
    expect(input).toHaveValue("sam@x.io");
    expect(screen.getByRole("dialog", { name: "Claims triage" })).toBeInTheDocument();
  });
});
