// The top bar: global search (focus with / or Ctrl+K), the sync status, Import…, Export… (one long task at a time) and New use case (N).
import { useEffect, useRef, useState } from "react";

import { useFilters } from "../lib/filters";
import { ExportAction, ImportAction } from "../features/transfer";
import { SyncStatusLine } from "../features/sync";
import { useTaskSlot } from "../components/taskProgress";

export function TopBar({ onNew, onSearch, onSync }: { onNew: () => void; onSearch: () => void; onSync: () => void }) {
  const { filters, setSearch } = useFilters();
  const task = useTaskSlot();
  const [text, setText] = useState(filters.search ?? "");
  const pushed = useRef(filters.search ?? "");

  // Typing settles for a moment before the search runs.
  useEffect(() => {
    if (text === pushed.current) return;
    const t = setTimeout(() => {
      pushed.current = text;
      setSearch(text);
      onSearch();
    }, 200);
    return () => clearTimeout(t);
  }, [text, setSearch, onSearch]);

  // A search cleared elsewhere (a chip, Clear filters) empties the box too.
  useEffect(() => {
    const outside = filters.search ?? "";
    if (outside !== pushed.current) {
      pushed.current = outside;
      setText(outside);
    }
  }, [filters.search]);

  return (
    <header className="top-bar">
      <div className="search">
        <label htmlFor="search" className="visually-hidden">
          Search use cases
        </label>
        <input
          id="search"
          type="search"
          placeholder="Search use cases"
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Escape" && text) {
              e.stopPropagation();
              setText("");
            }
          }}
          aria-keyshortcuts="/ Control+K"
          autoComplete="off"
        />
        <kbd className="shortcut" aria-hidden="true">
          /
        </kbd>
      </div>
      <div className="top-actions">
        <SyncStatusLine onOpen={onSync} />
        <ImportAction slot={task} />
        {/* The shared filters: "the current view" is what every view shows now. */}
        <ExportAction filters={filters} slot={task} />
        <button type="button" id="new-use-case" className="primary" onClick={onNew} aria-keyshortcuts="N">
          New use case <kbd aria-hidden="true">N</kbd>
        </button>
      </div>
    </header>
  );
}
