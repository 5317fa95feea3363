// Settings › Preferences: the currency and date format saved there are how money and dates show in the table and the panel.
import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { engine } from "../test/answers";
import { resetBackend } from "../test/backend";
import { openUseCase, renderApp } from "../test/render";

async function openPreferences(user: ReturnType<typeof import("@testing-library/user-event").default.setup>) {
  await user.click(await screen.findByRole("button", { name: "Settings" }));
  return screen.findByRole("form", { name: "Preferences" });
}

describe("preferences", () => {
  it("shows money in the chosen currency and dates in the chosen format, in the table and the panel", async () => {
    const backend = resetBackend();
    backend.seed({ title: "Claims triage", expected_benefit: 250000, updated_at: "2023-02-01T10:00:00Z" });
    backend.answer("preferences_save", (p) => p);
    const { user } = renderApp();
    const row = await screen.findByRole("row", { name: /Claims triage/ });
    expect(within(row).getByText("€250,000")).toBeInTheDocument();
    expect(within(row).getByText("2023-02-01")).toHaveAttribute("title", expect.stringMatching(/^2023-02-01 /));

    const form = await openPreferences(user);
    const currency = within(form).getByLabelText("Currency");
    await waitFor(() => expect(currency).toHaveValue("EUR"));
    await user.clear(currency);
    await user.type(currency, "usd");
    expect(within(form).getByText("For example $250,000")).toBeInTheDocument();
    await user.selectOptions(within(form).getByLabelText("Date format"), "25/11/2026 (day/month/year)");
    await user.click(within(form).getByRole("button", { name: "Save" }));
    expect(await within(screen.getByRole("form", { name: "Preferences" })).findByText("Saved")).toBeInTheDocument();
    expect(backend.callsOf("preferences_save")).toEqual([{ currency: "USD", date_format: "day-month-year", stale_after_days: 90 }]);

    await user.click(screen.getByRole("button", { name: /^Portfolio/ }));
    const again = await screen.findByRole("row", { name: /Claims triage/ });
    expect(within(again).getByText("$250,000")).toBeInTheDocument();
    expect(within(again).getByText("01/02/2023")).toHaveAttribute("title", expect.stringMatching(/^01\/02\/2023 /));

    const panel = await openUseCase(user, "Claims triage");
    const benefit = within(panel).getByLabelText("Expected annual benefit (USD)");
    expect(benefit).toHaveAccessibleDescription("$250,000 a year");
  });

  it("says beside the field when the currency is not a three-letter code", async () => {
    const backend = resetBackend();
    const { user } = renderApp();
    const form = await openPreferences(user);
    const currency = within(form).getByLabelText("Currency");
    await waitFor(() => expect(currency).toHaveValue("EUR"));
    await user.clear(currency);
    await user.type(currency, "US");
    await user.click(within(form).getByRole("button", { name: "Save" }));
    expect(currency).toHaveAccessibleDescription("A currency is a three-letter code such as EUR, USD or GBP.");
    expect(backend.callsOf("preferences_save")).toHaveLength(0);

    backend.failNext("preferences_save", { code: "validation", field: "currency", message: "a currency is a three-letter ISO code such as EUR, USD or GBP" });
    await user.type(currency, "D");
    await user.click(within(form).getByRole("button", { name: "Save" }));
    expect(await within(form).findByText("a currency is a three-letter ISO code such as EUR, USD or GBP")).toBeInTheDocument();
    expect(currency).toHaveAttribute("aria-invalid", "true");
    expect(backend.callsOf("preferences_save")).toEqual([{ currency: "USD", date_format: "iso", stale_after_days: 90 }]);
  });
  it("saves the days before a use case counts as stuck, checks them beside the field, and keeps them when other preferences change", async () => {
    const backend = resetBackend();
    backend.answer("preferences_get", { ...engine.preferences, stale_after_days: 45 });
    backend.answer("preferences_save", (p) => p);
    const { user } = renderApp();
    const form = await openPreferences(user);
    const days = within(form).getByLabelText("Stuck after (days in one stage)");
    await waitFor(() => expect(days).toHaveValue("45"));

    await user.clear(days);
    await user.type(days, "0");
    await user.click(within(form).getByRole("button", { name: "Save" }));
    expect(days).toHaveAccessibleDescription("Enter a whole number of days from 1 to 3650.");
    expect(days).toHaveFocus();
    expect(backend.callsOf("preferences_save")).toHaveLength(0);

    await user.clear(days);
    await user.type(days, "30");
    await user.click(within(form).getByRole("button", { name: "Save" }));
    expect(await within(screen.getByRole("form", { name: "Preferences" })).findByText("Saved")).toBeInTheDocument();
    expect(backend.callsOf("preferences_save")).toEqual([{ currency: "EUR", date_format: "iso", stale_after_days: 30 }]);

    const again = screen.getByRole("form", { name: "Preferences" });
    await user.selectOptions(within(again).getByLabelText("Date format"), "25/11/2026 (day/month/year)");
    await user.click(within(again).getByRole("button", { name: "Save" }));
    await waitFor(() => expect(backend.callsOf("preferences_save")).toHaveLength(2));
    expect(backend.callsOf("preferences_save")[1]).toEqual({ currency: "EUR", date_format: "day-month-year", stale_after_days: 30 });
  });

  it("shows the engine's refusal of the stuck days beside that field", async () => {
    const backend = resetBackend();
    backend.failNext("preferences_save", {
      code: "validation",
      field: "stale_after_days",
      message: "the days before a use case counts as stuck are between 1 and 3650",
    });
    const { user } = renderApp();
    const form = await openPreferences(user);
    await user.click(within(form).getByRole("button", { name: "Save" }));
    const days = within(form).getByLabelText("Stuck after (days in one stage)");
    await waitFor(() => expect(days).toHaveAccessibleDescription("the days before a use case counts as stuck are between 1 and 3650"));
  });
});
