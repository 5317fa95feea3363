// The entry point: query client, shared filters, undo and the app, mounted into #root.
import { QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";

import { App } from "./app";
import { FilterProvider } from "./filters";
import { makeQueryClient } from "./queries";
import { UndoProvider } from "./undo";
import "./styles.css";

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
