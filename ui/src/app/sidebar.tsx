// The left sidebar: the views (Portfolio with its counts per stage, Matrix, Pipeline, Dashboard, Review, Patterns, Likely duplicates, Sync), the saved views, Settings, and the sync status line.
import type { Stage } from "../bindings/Stage";
import { useFilters } from "../lib/filters";
import { count } from "../lib/format";
import { useFilterChoices, useSyncStatus } from "../lib/queries";
import { SavedViewList } from "../features/portfolio";
import { needsAttention } from "../features/sync";
import { STAGE_LABEL, STAGES } from "../lib/vocabulary";

export type View = "portfolio" | "matrix" | "pipeline" | "dashboard" | "review" | "patterns" | "duplicates" | "sync" | "settings";

/** The views after Portfolio, in sidebar order. */
const MORE_VIEWS: [View, string][] = [
  ["matrix", "Matrix"],
  ["pipeline", "Pipeline"],
  ["dashboard", "Dashboard"],
  ["review", "Since last review"],
  ["patterns", "Patterns"],
  ["duplicates", "Likely duplicates"],
  ["sync", "Sync"],
];

export function Sidebar({ view, onView }: { view: View; onView: (v: View) => void }) {
  const choices = useFilterChoices();
  const sync = useSyncStatus();
  const attention = needsAttention(sync.data);
  const { filters, only, remove } = useFilters();
  const counts = new Map<Stage, number>(choices.data?.stage_counts ?? []);
  const stageFilter = filters.stage ?? [];

  const pickStage = (s: Stage) => {
    onView("portfolio");
    if (stageFilter.length === 1 && stageFilter[0] === s) remove("stage", s);
    else only("stage", s);
  };

  return (
    <nav className="sidebar" aria-label="Views">
      <div className="brand">AI Factory Portfolio</div>
      <ul className="nav-list">
        <li>
          <button
            type="button"
            className={view === "portfolio" ? "nav-item current" : "nav-item"}
            aria-current={view === "portfolio" ? "page" : undefined}
            onClick={() => onView("portfolio")}
          >
            <span>Portfolio</span>
            <span className="nav-count">{choices.data?.total ?? ""}</span>
          </button>
          <ul className="stage-list" aria-label="Filter by stage">
            {STAGES.map((s) => {
              const pressed = stageFilter.length === 1 && stageFilter[0] === s;
              return (
                <li key={s}>
                  <button type="button" className="nav-sub" data-stage={s} aria-pressed={pressed} onClick={() => pickStage(s)}>
                    <span className="swatch" aria-hidden="true" />
                    <span>{STAGE_LABEL[s]}</span>
                    <span className="nav-count">{counts.get(s) ?? 0}</span>
                  </button>
                </li>
              );
            })}
          </ul>
        </li>
        {MORE_VIEWS.map(([v, label]) => (
          <li key={v}>
            <button
              type="button"
              className={view === v ? "nav-item current" : "nav-item"}
              aria-current={view === v ? "page" : undefined}
              onClick={() => onView(v)}
            >
              <span>{label}</span>
              {v === "sync" && attention > 0 && (
                <>
                  {" "}
                  <span className="nav-badge" title="Conflicts and refused changes to look at">
                    {count(attention)} <span className="visually-hidden">to look at</span>
                  </span>
                </>
              )}
            </button>
          </li>
        ))}
        <li>
          <SavedViewList onApply={() => onView("portfolio")} />
        </li>
        <li>
          <button
            type="button"
            className={view === "settings" ? "nav-item current" : "nav-item"}
            aria-current={view === "settings" ? "page" : undefined}
            onClick={() => onView("settings")}
          >
            Settings
          </button>
        </li>
      </ul>
    </nav>
  );
}
