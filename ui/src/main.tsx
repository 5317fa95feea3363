// The entry point: query client, shared filters, undo and the app, mounted into #root.
import { QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";

import { App } from "./app/app";
import { FilterProvider } from "./lib/filters";
import { makeQueryClient } from "./lib/queries";
import { UndoProvider } from "./app/undoProvider";
import "./app/styles.css";

const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root element");

createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={makeQueryClient()}>
      <FilterProvider>
        <UndoProvider>
          <App />
        </UndoProvider>
      </FilterProvider>
    </QueryClientProvider>
  </StrictMode>,
);
