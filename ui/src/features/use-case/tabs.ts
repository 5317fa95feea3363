// The use case panel's tabs, in order: the panel shows them, and a gate's checklist links to the one that fixes a requirement.
export type Tab = "overview" | "scoring" | "patterns" | "triage" | "owners" | "stage" | "outcomes" | "history";

export const TABS: readonly { id: Tab; label: string }[] = [
  { id: "overview", label: "Overview" },
  { id: "scoring", label: "Scoring" },
  { id: "patterns", label: "Patterns & controls" },
  { id: "triage", label: "Risk triage" },
  { id: "owners", label: "Owners" },
  { id: "stage", label: "Stage & gates" },
  { id: "outcomes", label: "Outcomes" },
  { id: "history", label: "History" },
];
