// What UI tests build their answers from: the engine's own answers to a fresh store (`engine.json`, written by
// `cargo test`), and records filled in from what a test states. Nothing here derives one value from another the
// way the engine does (no scores from ratings, no gates from fields): a test that shows a score states it.
import type { Catalogue } from "../bindings/Catalogue";
import type { Dashboard } from "../bindings/Dashboard";
import type { Error as BackendError } from "../bindings/Error";
import type { FilterChoices } from "../bindings/FilterChoices";
import type { GateItem } from "../bindings/GateItem";
import type { GateRules } from "../bindings/GateRules";
import type { HistoryEntry } from "../bindings/HistoryEntry";
import type { Identity } from "../bindings/Identity";
import type { InheritedControl } from "../bindings/InheritedControl";
import type { Matrix } from "../bindings/Matrix";
import type { Page } from "../bindings/Page";
import type { PatternLink } from "../bindings/PatternLink";
import type { Person } from "../bindings/Person";
import type { Preferences } from "../bindings/Preferences";
import type { RuleSet } from "../bindings/RuleSet";
import type { ScoringModel } from "../bindings/ScoringModel";
import type { Sensitivity } from "../bindings/Sensitivity";
import type { Stage } from "../bindings/Stage";
import type { StageOption } from "../bindings/StageOption";
import type { SyncReport } from "../bindings/SyncReport";
import type { SyncStatus } from "../bindings/SyncStatus";
import type { UseCase } from "../bindings/UseCase";
import type { UseCaseSummary } from "../bindings/UseCaseSummary";
import answers from "./engine.json";

/** What the engine answers a fresh store whose identity is Tess Tester, with one use case, “Claims triage”, just proposed. */
export const engine = answers as unknown as {
  identity: Identity;
  people: Person[];
  scoring_model: ScoringModel;
  gate_rules: GateRules;
  preferences: Preferences;
  triage_rules: RuleSet;
  catalogue: Catalogue;
  dashboard: Dashboard;
  matrix: Matrix;
  sensitivity: Sensitivity;
  page: Page;
  filter_choices: FilterChoices;
  sync_status: SyncStatus;
  /** `review_changes` before any review point is marked. */
  review_changes: BackendError;
  /** The use case just proposed: nothing but its title. */
  use_case: UseCase;
  /** The moves it is offered, each with its gate checklist. */
  stage_options: StageOption[];
  history: HistoryEntry[];
};

function rubric(words: string): Record<string, string> {
  return Object.fromEntries([1, 2, 3, 4, 5].map((n) => [String(n), `${words} ${n}`]));
}

/** The model the UI tests score against: smaller than the starter one, with its shape. */
export function testModel(): ScoringModel {
  return {
    version: 1,
    value: [
      { slug: "strategic-fit", name: "Strategic fit", weight: 3, rubric: rubric("Fit level") },
      { slug: "business-impact", name: "Business impact", weight: 1, rubric: rubric("Impact level") },
    ],
    feasibility: [
      { slug: "data-readiness", name: "Data readiness", weight: 1, rubric: rubric("Data level") },
      { slug: "technical-complexity", name: "Technical complexity", weight: 1, rubric: rubric("Complexity level") },
    ],
    thresholds: { value: 50, feasibility: 50 },
  };
}

/**
 * What a test states of a use case: a title and whatever else it needs. `scores` are the ratings given (by
 * criterion; every other criterion of the model is unscored); `contributions` the points the engine would show
 * for them (none unless stated). Everything else is as the engine has it for a use case just proposed.
 */
export type UseCaseFields = Partial<Omit<UseCase, "scores" | "owners">> & {
  title: string;
  scores?: Record<string, number>;
  contributions?: Record<string, number>;
  owners?: Partial<UseCase["owners"]>;
};

/** A whole use case from what a test states of it. */
export function record(fields: UseCaseFields, model: ScoringModel = testModel()): UseCase {
  const { scores = {}, contributions = {}, owners = {}, ...rest } = fields;
  const part = (c: ScoringModel["value"][number]) => ({
    criterion: c.slug,
    score: scores[c.slug] ?? null,
    weight: c.weight,
    contribution: contributions[c.slug] ?? null,
  });
  return {
    ...structuredClone(engine.use_case),
    scores: Object.fromEntries([...model.value, ...model.feasibility].map((c) => [c.slug, scores[c.slug] ?? null])),
    score_breakdown: { value: model.value.map(part), feasibility: model.feasibility.map(part) },
    owners: { ...engine.use_case.owners, ...owners },
    ...rest,
  };
}

/** A use case's row in the portfolio table. */
export function summaryOf(uc: UseCase): UseCaseSummary {
  const { id, title, stage, business_unit, value_score, feasibility_score, priority, quadrant, owners, tags, archived, updated_at, created_at } = uc;
  return {
    id,
    title,
    stage,
    business_unit,
    value_score,
    feasibility_score,
    priority,
    quadrant,
    owners,
    tags,
    archived,
    updated_at,
    created_at,
    expected_benefit: uc.expected_benefit,
    stage_since: uc.stage_since,
  };
}

/** These use cases as one page of the portfolio table. */
export function page(ucs: UseCase[], total = ucs.length): Page {
  return { total, rows: ucs.map(summaryOf) };
}

/** A move a use case is offered (allowed, no note, no gate unless stated). */
export function stageOption(stage: Stage, fields: Partial<StageOption> = {}): StageOption {
  return { stage, kind: "forward", allowed: true, needs_note: false, reason: null, gate: [], ...fields };
}

/** One line of a gate checklist. */
export function gateItem(requirement: GateItem["requirement"], label: string, met: boolean): GateItem {
  return { requirement, label, met };
}

/** A line of a use case's history, by Tess unless stated. */
export function historyEntry(fields: Partial<HistoryEntry> & { kind: string }): HistoryEntry {
  return {
    at: "2025-01-01T09:00:00Z",
    actor: engine.identity?.email ?? "tess@example.org",
    field: null,
    old: null,
    new: null,
    note: null,
    merged_from: null,
    ...fields,
  };
}

/** The engine's moves for the use case just proposed, with one stage's option changed as stated. */
export function optionsWith(stage: Stage, fields: Partial<StageOption>): StageOption[] {
  return engine.stage_options.map((o) => (o.stage === stage ? { ...o, ...fields } : o));
}

/** A gate checklist with every requirement met. */
export function met(items: GateItem[]): GateItem[] {
  return items.map((i) => ({ ...i, met: true }));
}

/** A starter pattern as a use case links to it. */
export function patternLink(slug: string, primary = false): PatternLink {
  const p = engine.catalogue.patterns.find((x) => x.slug === slug)!;
  return { slug, name: p.name, primary, retired: false };
}

/** A starter control as a use case inherits it from the patterns stated (open unless stated). */
export function inheritedControl(slug: string, from: string[], fields: Partial<InheritedControl> = {}): InheritedControl {
  const c = engine.catalogue.patterns.flatMap((p) => p.controls).find((x) => x.slug === slug)!;
  return { ...c, status: "open", note: null, from, ...fields };
}

/** Where this desktop stands with the registry: not connected (as the engine answers a fresh store) unless stated. */
export function syncStatus(fields: Partial<SyncStatus> = {}): SyncStatus {
  return { ...structuredClone(engine.sync_status), ...fields };
}

/** What one sync did: nothing pushed, pulled, open, refused or set aside unless stated. */
export function syncReport(fields: Partial<SyncReport> = {}): SyncReport {
  return { pushed: 0, pulled: 0, conflicts: 0, rejected: [], set_aside: [], ...fields };
}

/** What the filter chips and the sidebar's counts offer: nothing in use (as for a fresh store) unless stated. */
export function filterChoices(fields: Partial<FilterChoices> = {}): FilterChoices {
  return { ...structuredClone(engine.filter_choices), ...fields };
}
