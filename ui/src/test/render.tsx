// Rendering the whole app (or one part) for a test, with a fresh query client, filters and undo.
import { QueryClientProvider } from "@tanstack/react-query";
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { ReactNode } from "react";

import { App } from "../app/app";
import { FilterProvider } from "../lib/filters";
import { makeQueryClient } from "../lib/queries";
import { UndoProvider } from "../app/undoProvider";

export function renderWith(ui: ReactNode) {
  const client = makeQueryClient();
  const user = userEvent.setup();
  const result = render(
    <QueryClientProvider client={client}>
      <FilterProvider>
        <UndoProvider>{ui}</UndoProvider>
      </FilterProvider>
    </QueryClientProvider>,
  );
  return { ...result, client, user };
}

export function renderApp() {
  return renderWith(<App />);
}

/** The portfolio table's body rows that hold a use case. */
export function tableRows(): HTMLElement[] {
  const table = screen.getByRole("table", { name: "Use cases" });
  return within(table)
    .getAllByRole("row")
    .filter((r) => r.hasAttribute("data-id"));
}

/** Opens a use case by clicking its row and waits for its panel. */
export async function openUseCase(user: ReturnType<typeof userEvent.setup>, title: string) {
  const row = await screen.findByRole("row", { name: new RegExp(title) });
  await user.click(row);
  return screen.findByRole("dialog", { name: title });
}
