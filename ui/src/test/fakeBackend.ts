// An in-memory stand-in for the Rust engine behind `invoke` and `listen`, faithful enough for component tests.
import type { BulkChange } from "../bindings/BulkChange";
import type { BulkResult } from "../bindings/BulkResult";
import type { ChartImage } from "../bindings/ChartImage";
import type { Dashboard } from "../bindings/Dashboard";
import type { DuplicatePair } from "../bindings/DuplicatePair";
import type { Effect } from "../bindings/Effect";
import type { ColumnSpec } from "../bindings/ColumnSpec";
import type { Conflict } from "../bindings/Conflict";
import type { Control } from "../bindings/Control";
import type { ControlState } from "../bindings/ControlState";
import type { Error as BackendError } from "../bindings/Error";
import type { ExportFormat } from "../bindings/ExportFormat";
import type { GateItem } from "../bindings/GateItem";
import type { GateRules } from "../bindings/GateRules";
import type { HistoryEntry } from "../bindings/HistoryEntry";
import type { InheritedControl } from "../bindings/InheritedControl";
import type { Identity } from "../bindings/Identity";
import type { ImportReport } from "../bindings/ImportReport";
import type { ImportRequest } from "../bindings/ImportRequest";
import type { Kpi } from "../bindings/Kpi";
import type { KpiStatus } from "../bindings/KpiStatus";
import type { ListQuery } from "../bindings/ListQuery";
import type { Mapping } from "../bindings/Mapping";
import type { ModelScore } from "../bindings/ModelScore";
import type { MoveKind } from "../bindings/MoveKind";
import type { NewUseCase } from "../bindings/NewUseCase";
import type { Outcome } from "../bindings/Outcome";
import type { OwnerRole } from "../bindings/OwnerRole";
import type { Owners } from "../bindings/Owners";
import type { Pattern } from "../bindings/Pattern";
import type { PatternInput } from "../bindings/PatternInput";
import type { PatternLink } from "../bindings/PatternLink";
import type { Person } from "../bindings/Person";
import type { Preferences } from "../bindings/Preferences";
import type { Progress } from "../bindings/Progress";
import type { Quadrant } from "../bindings/Quadrant";
import type { Requirement } from "../bindings/Requirement";
import type { ReviewChange } from "../bindings/ReviewChange";
import type { ReviewMark } from "../bindings/ReviewMark";
import type { RejectedChange } from "../bindings/RejectedChange";
import type { Rejection } from "../bindings/Rejection";
import type { RowChange } from "../bindings/RowChange";
import type { RowProblem } from "../bindings/RowProblem";
import type { RuleSet } from "../bindings/RuleSet";
import type { SavedView } from "../bindings/SavedView";
import type { ScoringModel } from "../bindings/ScoringModel";
import type { Similar } from "../bindings/Similar";
import type { Stage } from "../bindings/Stage";
import type { StageValue } from "../bindings/StageValue";
import type { StageOption } from "../bindings/StageOption";
import type { SyncReport } from "../bindings/SyncReport";
import type { Triage } from "../bindings/Triage";
import type { UseCase } from "../bindings/UseCase";
import type { UseCaseSummary } from "../bindings/UseCaseSummary";
import type { Api, Command, Req, Res } from "../lib/ipc";
import { activate } from "./active";

export interface Call {
  cmd: Command;
  req: unknown;
}

interface Stored {
  id: string;
  title: string;
  problem: string;
  solution: string;
  business_unit: string;
  proposer: string | null;
  expected_benefit: number | null;
  expected_cost: number | null;
  realised_benefit: number | null;
  data_sources: string[];
  tags: string[];
  owners: Owners;
  raw: Record<string, number>;
  stage: Stage;
  stage_since: string;
  left_stage: Stage | null;
  archived: boolean;
  demo: boolean;
  version: number;
  created_at: string;
  updated_at: string;
  no_pattern_reason: string | null;
  /** The patterns it is mapped to: at most one primary. */
  patterns: { slug: string; primary: boolean }[];
  /** Control statuses set here, by control slug; kept when a pattern is taken off, should it come back. */
  controls: Record<string, { status: ControlState; note: string | null }>;
  /** The risk triage as recorded (the engine keeps the outcome it gave then). */
  triage: Triage | null;
  /** The use case this one was merged into: it is archived and its history shows there. */
  merged_into: string | null;
}

/** A catalogue pattern as the engine stores it: its controls by slug, in order. */
interface StoredPattern {
  slug: string;
  name: string;
  description: string;
  components: string[];
  controls: string[];
  retired: boolean;
  version: number;
}

/** The whole store, as a backup holds it. */
interface Snapshot {
  people: Person[];
  useCases: Map<string, Stored>;
  model: ScoringModel;
  log: Map<string, HistoryEntry[]>;
  modelScores: Map<string, ModelScore[]>;
}

const PATH: Stage[] = ["idea", "assessment", "proof-of-concept", "pilot", "production", "scaled"];
const ALL_STAGES: Stage[] = [...PATH, "parked", "retired"];
const LABEL: Record<Stage, string> = {
  idea: "Idea",
  assessment: "Assessment",
  "proof-of-concept": "Proof of concept",
  pilot: "Pilot",
  production: "Production",
  scaled: "Scaled",
  parked: "Parked",
  retired: "Retired",
};

function rubric(words: string): Record<string, string> {
  return Object.fromEntries([1, 2, 3, 4, 5].map((n) => [String(n), `${words} ${n}`]));
}

/** A smaller model than the starter one, with the same shape and maths. */
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

export function starterRules(): GateRules {
  return {
    version: 1,
    stages: {
      assessment: [
        { kind: "owner", role: "business" },
        { kind: "field", field: "problem" },
      ],
      "proof-of-concept": [{ kind: "all_scored" }, { kind: "owner", role: "technical" }, { kind: "primary_pattern" }, { kind: "triage" }],
      pilot: [{ kind: "controls_in_place" }],
    },
  };
}

/** The engine's rule set (`triage/eu-ai-act.json`): a few questions of each effect, with their real ids, references and texts. */
export function triageRules(): RuleSet {
  const q = (id: string, effect: Effect, reference: string, text: string) => ({ id, effect, reference, text });
  return {
    id: "eu-ai-act",
    version: 1,
    title: "EU AI Act risk triage",
    source: "Regulation (EU) 2024/1689 (Artificial Intelligence Act): Article 5, Article 6 with Annexes I and III, Article 50",
    date: "2024-07-12",
    disclaimer: "Guidance for a first triage, not legal advice: confirm the classification with your legal or compliance team.",
    questions: [
      q(
        "manipulation",
        "prohibited",
        "Art. 5(1)(a)",
        "Does it use subliminal, purposefully manipulative or deceptive techniques that materially distort people's behaviour in a way that causes, or is likely to cause, significant harm?",
      ),
      q(
        "social-scoring",
        "prohibited",
        "Art. 5(1)(c)",
        "Does it evaluate or classify people by their social behaviour or personal characteristics (social scoring) leading to detrimental or unfavourable treatment in unrelated contexts or out of proportion?",
      ),
      q(
        "annex-i-safety-component",
        "high_annex_i",
        "Art. 6(1), Annex I",
        "Is it a safety component of a product, or itself a product, covered by the EU harmonisation legislation of Annex I (e.g. machinery, toys, lifts, radio equipment, medical devices, vehicles, civil aviation) that needs a third-party conformity assessment?",
      ),
      q(
        "annex-iii-education",
        "high_annex_iii",
        "Annex III(3)",
        "Does it decide access or admission to education or vocational training, evaluate learning outcomes, assess the appropriate level of education, or monitor students during tests?",
      ),
      q(
        "annex-iii-employment",
        "high_annex_iii",
        "Annex III(4)",
        "Is it used to recruit or select people (e.g. targeted job adverts, filtering applications, evaluating candidates), or to decide on promotion, termination, task allocation, or to monitor and evaluate workers?",
      ),
      q(
        "exception-narrow-procedural",
        "exception",
        "Art. 6(3)(a)",
        "Does it only perform a narrow procedural task (e.g. turning unstructured data into structured data, sorting documents into categories)?",
      ),
      q(
        "exception-preparatory",
        "exception",
        "Art. 6(3)(d)",
        "Does it only perform a task preparatory to an assessment relevant to the Annex III use cases (e.g. indexing, searching, translating documents)?",
      ),
      q(
        "profiling",
        "profiling",
        "Art. 6(3), last subparagraph",
        "Does it perform profiling of natural persons (automated processing of personal data to evaluate aspects of a person's life, such as work performance, economic situation, health, preferences, behaviour, location)?",
      ),
      q(
        "interacts-with-people",
        "transparency",
        "Art. 50(1)",
        "Does it interact directly with people (e.g. a chatbot or voice assistant), so they must be told they are dealing with an AI system?",
      ),
      q(
        "generates-synthetic-content",
        "transparency",
        "Art. 50(2)",
        "Does it generate synthetic audio, image, video or text content that must be marked as artificially generated?",
      ),
    ],
  };
}

/** The engine's `triage::evaluate`: the tier the answers give, why, and what is still needed. */
export function evaluateTriage(rules: RuleSet, answers: Record<string, boolean>): Outcome {
  const of = (effect: Effect) => rules.questions.filter((q) => q.effect === effect);
  const yes = (effect: Effect) => of(effect).filter((q) => answers[q.id] === true);
  const open = (effect: Effect) =>
    of(effect)
      .filter((q) => !(q.id in answers))
      .map((q) => q.id);
  const why = (q: { reference: string; id: string }, what: string) => `${q.reference}: ${what} (${q.id})`;
  const notYet = (needed: string[]): Outcome => ({ tier: "not-yet-triaged", reasons: [], needed });

  const prohibited = yes("prohibited");
  if (prohibited.length > 0) return { tier: "prohibited", reasons: prohibited.map((q) => why(q, "a prohibited practice")), needed: [] };
  // Nothing is high (or lower) while a prohibited practice is not ruled out.
  const prohibitedOpen = open("prohibited");
  const high = (reasons: string[]): Outcome => (prohibitedOpen.length === 0 ? { tier: "high", reasons, needed: [] } : notYet(prohibitedOpen));
  const annexI = yes("high_annex_i")[0];
  if (annexI) return high([why(annexI, "a product or safety component under Annex I")]);
  const needed = [...prohibitedOpen, ...open("high_annex_i")];
  const reasons: string[] = [];
  const area = yes("high_annex_iii")[0];
  if (area) {
    const areaWhy = why(area, "an Annex III area");
    const exception = yes("exception")[0];
    const profiling = answers["profiling"];
    if (profiling === true) return high([areaWhy, "Art. 6(3): it profiles people, so no exception applies (profiling)"]);
    if (profiling === false && exception) {
      reasons.push(`${areaWhy}, but ${why(exception, "an exception")} applies: not high-risk (document this assessment, Art. 6(4))`);
    } else if (profiling === false) {
      const openExceptions = open("exception");
      return openExceptions.length === 0 ? high([areaWhy]) : notYet([...needed, ...openExceptions]);
    } else {
      return notYet([...needed, ...open("profiling"), ...(exception ? [] : open("exception"))]);
    }
  } else {
    needed.push(...open("high_annex_iii"));
  }
  needed.push(...open("transparency"));
  if (needed.length > 0) return notYet(needed);
  const transparency = yes("transparency");
  if (transparency.length > 0) return { tier: "limited", reasons: [...reasons, ...transparency.map((q) => why(q, "a transparency duty"))], needed: [] };
  return { tier: "minimal", reasons: [...reasons, "no prohibited practice, high-risk area or transparency duty applies"], needed: [] };
}

/**
 * A triage to seed, answered the way the demo does: every question, yes to `yes`. `retriage`
 * lists questions a newer rule set changed since (the triage then needs answering again).
 */
export function triageOf(yes: string[], retriage: string[] = []): Triage {
  const rules = triageRules();
  const answers = Object.fromEntries(rules.questions.map((q) => [q.id, yes.includes(q.id)]));
  return {
    rule_set: rules.id,
    version: rules.version,
    answers,
    outcome: evaluateTriage(rules, answers),
    high_impact: null,
    personal_data: null,
    at: now(),
    actor: "tess@example.org",
    affected: retriage,
    needs_retriage: retriage.length > 0,
  };
}

/**
 * A stand-in for the engine's TF-IDF cosine similarity: the share of words two texts have in
 * common (Jaccard on title, problem and solution). Same range (0 to 1) and rounding, simpler maths.
 */
function wordSet(...texts: string[]): Set<string> {
  const stop = new Set(["a", "an", "and", "the", "of", "for", "to", "in", "on", "with", "by", "is", "it", "ai"]);
  return new Set(
    texts
      .join(" ")
      .toLowerCase()
      .split(/[^\p{L}\p{N}]+/u)
      .filter((w) => w.length >= 2 && !stop.has(w)),
  );
}

function likeness(a: Set<string>, b: Set<string>): number {
  const shared = [...a].filter((w) => b.has(w)).length;
  const union = a.size + b.size - shared;
  return union === 0 ? 0 : Math.round((shared / union) * 1000) / 1000;
}

/** Some of the engine's starter controls (`patterns/starter.json`), enough for the patterns below. */
export function starterControls(): Control[] {
  return [
    {
      slug: "data-leakage-check",
      name: "Data-leakage check",
      description: "Retrieved and generated content cannot expose documents or personal data the user may not see.",
    },
    { slug: "grounding-check", name: "Grounding check", description: "Answers cite their sources and are tested for unsupported claims before release." },
    { slug: "prompt-injection-test", name: "Prompt-injection test", description: "Red-team tests of instructions hidden in user input and retrieved content." },
    { slug: "ai-disclosure", name: "AI disclosure", description: "People are told they are interacting with an AI system." },
    {
      slug: "human-in-the-loop",
      name: "Human in the loop",
      description: "A named role reviews or approves consequential outputs or actions before they take effect.",
    },
    { slug: "action-limits", name: "Action limits", description: "The tools an agent can act on, and the size of its actions, are limited and logged." },
    {
      slug: "fallback-procedure",
      name: "Fallback procedure",
      description: "A documented manual procedure takes over when the system is wrong or unavailable.",
    },
    {
      slug: "extraction-accuracy-sampling",
      name: "Extraction accuracy sampling",
      description: "A sample of extracted fields is checked by people each period.",
    },
    { slug: "pii-minimisation", name: "Personal-data minimisation", description: "Only the personal data the purpose needs is processed." },
    { slug: "model-monitoring", name: "Model monitoring", description: "Drift, accuracy and data-quality monitoring with alert thresholds and an owner." },
    {
      slug: "bias-and-fairness-test",
      name: "Bias and fairness test",
      description: "Outcomes are compared across relevant groups before release and monitored after.",
    },
  ];
}

/** Four of the engine's twelve starter patterns, with the same slugs, names and controls. */
export function starterPatterns(): StoredPattern[] {
  const p = (slug: string, name: string, description: string, components: string[], controls: string[]): StoredPattern => ({
    slug,
    name,
    description,
    components,
    controls,
    retired: false,
    version: 1,
  });
  return [
    p(
      "rag-knowledge-assistant",
      "RAG knowledge assistant",
      "Answers questions in natural language from an organisation's own documents, citing them.",
      ["document ingestion", "vector index", "LLM"],
      ["data-leakage-check", "grounding-check", "prompt-injection-test", "ai-disclosure"],
    ),
    p(
      "document-extraction",
      "Document extraction",
      "Reads structured fields out of documents such as invoices, forms or claims.",
      ["OCR", "validation rules", "review queue"],
      ["extraction-accuracy-sampling", "human-in-the-loop", "pii-minimisation"],
    ),
    p(
      "classification",
      "Classification and routing",
      "Assigns items (emails, tickets, cases) to categories or queues.",
      ["labelled training data", "classifier", "routing integration"],
      ["model-monitoring", "bias-and-fairness-test", "fallback-procedure"],
    ),
    p(
      "agentic-workflow",
      "Agentic workflow",
      "An LLM agent plans and carries out multi-step tasks by calling tools and systems.",
      ["LLM planner", "tool registry", "audit log"],
      ["human-in-the-loop", "action-limits", "prompt-injection-test", "fallback-procedure"],
    ),
  ];
}

/** The engine's `is_slug`. */
const isSlug = (s: string) => /^[a-z0-9-]{1,64}$/.test(s) && !s.startsWith("-") && !s.endsWith("-");

const GATE_FIELDS = ["problem", "solution", "business_unit", "expected_benefit", "expected_cost", "data_sources"];
const FIELD_LABEL: Record<string, string> = {
  problem: "a problem statement",
  solution: "a proposed solution",
  business_unit: "a business unit",
  expected_benefit: "an expected annual benefit",
  expected_cost: "an expected annual cost",
  data_sources: "data sources",
};

/** A list query as the engine stores and sends it back: whole, with empty lists, `false` and `null` where nothing is set. */
function wholeQuery(q: ListQuery): ListQuery {
  const whole = {
    stage: q.stage ?? [],
    business_unit: q.business_unit ?? [],
    owner: q.owner ?? [],
    quadrant: q.quadrant ?? [],
    tag: q.tag ?? [],
    pattern: q.pattern ?? [],
    search: q.search ?? null,
    include_archived: q.include_archived ?? false,
    sort: q.sort ?? null,
    offset: null,
    limit: null,
  };
  return whole as unknown as ListQuery;
}

/**
 * A spreadsheet the fake import reads: the header row and the rows, cells as text. A workbook
 * names its sheets (each holds this same table); a CSV has an encoding and a delimiter.
 */
export interface ImportFile {
  headers: string[];
  rows: string[][];
  sheets?: string[];
  /** As detected: `UTF-8` unless given. */
  encoding?: string;
  /** As detected: `,` unless given. */
  delimiter?: string;
}

/** An event handler, as `listen` from `@tauri-apps/api/event` takes it. */
type Listener = (e: { event: string; id: number; payload: unknown }) => void;

/** Where this desktop stands with the registry (what the engine keeps in the store, and the token in the keyring). */
interface SyncState {
  url: string | null;
  /** The token saved in the OS keyring: only once a connect has worked. */
  token: string | null;
  user: string | null;
  lastSyncAt: string | null;
  lastError: string | null;
  /** Changes made here that the registry has not accepted yet. */
  pending: number;
}

/** A change made on another desktop, waiting in the registry for the next pull. */
interface RegistryChange {
  id: string;
  apply: Partial<Stored>;
}

/** A pushed change the registry will refuse at the next sync; `registry` is the value it keeps (what a revert puts back). */
export interface Refusal {
  /** `use_case` unless said; a `pattern` refusal names the pattern by `entity_id` (its slug) and `title`. */
  entity?: string;
  entity_id?: string;
  title?: string;
  use_case_id: string | null;
  kind: string;
  field: string | null;
  reason: string;
  registry?: unknown;
}

/** A refused change as the desktop keeps it until reverted. */
type Refused = RejectedChange & { registry: unknown; entity_id: string | null };

/** Commands that change the portfolio here: each is one more change waiting to sync. */
const LOCAL_CHANGES: readonly Command[] = [
  "use_case_create",
  "use_case_set_fields",
  "use_case_set_score",
  "use_case_set_owner",
  "use_case_move_stage",
  "use_case_set_archived",
  "use_case_delete",
  "use_case_map_pattern",
  "use_case_unmap_pattern",
  "use_case_set_control",
  "use_case_triage",
  "use_case_merge",
];

/** The long commands, which `holdNext` can keep running. */
type TaskCommand = "export_run" | "import_run";

/** Header spellings (squashed) → target, a few of the engine's `SYNONYMS`; other columns are kept as attributes. */
const SUGGEST: [string, string[]][] = [
  ["title", ["title", "name", "usecase", "usecasename"]],
  ["problem", ["problem", "problemstatement", "description"]],
  ["solution", ["solution", "proposedsolution"]],
  ["business_unit", ["businessunit", "department", "unit"]],
  ["proposer", ["proposer", "proposedby"]],
  ["expected_benefit", ["expectedannualbenefit", "expectedbenefit"]],
  ["expected_cost", ["expectedannualcost", "expectedcost"]],
  ["tags", ["tags", "labels"]],
  ["stage", ["stage", "status"]],
  ["owner.business", ["businessowner", "owner"]],
  ["owner.technical", ["technicalowner"]],
  ["id", ["id"]],
  ["ignore", ["priority", "quadrant", "valuescore", "feasibilityscore"]],
];

/** The engine's `omb-2025` preset, its CSV spellings only. */
const OMB_2025: Mapping = {
  source: "omb-2025",
  columns: {
    agency: "business_unit",
    id: "id",
    use_case_name: "title",
    contact_email: "owner.business",
    development_stage: "stage",
    problem_solved: "problem",
    operational_date: { to: "attr.operational_date", as: "date" },
  },
  values: { stage: { "Pre-deployment": "proof-of-concept", Pilot: "pilot", Deployed: "production" } },
  id_scope: "business_unit",
  date_order: "month-day",
};

const ENCODING_NAME: Record<string, string> = { "utf-8": "UTF-8", "utf-16le": "UTF-16LE", "utf-16be": "UTF-16BE", "windows-1252": "windows-1252" };

const squash = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}]/gu, "");
const sameKey = (s: string) => s.trim().split(/\s+/).join(" ").toLowerCase();
const attributeName = (h: string) =>
  h
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, "_")
    .replace(/^_+|_+$/g, "") || "column";
const targetOf = (spec: ColumnSpec) => (typeof spec === "string" ? spec : spec.to);

function suggest(headers: string[]): Mapping {
  const taken = new Set<string>();
  const columns: Record<string, ColumnSpec> = {};
  for (const h of headers) {
    const target = SUGGEST.find(([t, spellings]) => spellings.includes(squash(h)) && (t === "ignore" || !taken.has(t)))?.[0];
    if (target) taken.add(target);
    columns[h] = target ?? `attr.${attributeName(h)}`;
  }
  return { source: "import", columns, values: {}, date_order: "month-day" };
}

/** One more row holding `raw` in the stage column; like the engine, the first 100 values only. */
function countStageValue(values: StageValue[], raw: string, stage: Stage | null) {
  const seen = values.find((v) => v.value === raw);
  if (seen) seen.rows += 1;
  else if (values.length < 100) values.push({ value: raw, stage, rows: 1 });
}

const round1 = (x: number) => Math.round(x * 10) / 10;
const invalid = (field: string, message: string): BackendError => ({ code: "validation", message, field });

let clock = Date.parse("2025-01-01T09:00:00Z");
const now = () => new Date((clock += 60_000)).toISOString();

export class FakeBackend {
  identity: Identity | null = { name: "Tess Tester", email: "tess@example.org" };
  people: Person[] = [];
  useCases = new Map<string, Stored>();
  model: ScoringModel = testModel();
  rules: GateRules = starterRules();
  preferences: Preferences = { currency: "EUR", date_format: "iso", stale_after_days: 90 };
  views: SavedView[] = [];
  log = new Map<string, HistoryEntry[]>();
  modelScores = new Map<string, ModelScore[]>();
  calls: Call[] = [];
  /** What the next native file dialog answers: the path picked, or null (the person cancelled). */
  nextFile: string | null = "/backups/portfolio-backup.db";
  /** Backups written, by path. */
  backups = new Map<string, Snapshot>();
  /** What the import reads, by path. */
  files = new Map<string, ImportFile>();
  /** Exports written, by path: the format and the titles of the use cases in them. */
  exports = new Map<string, { format: ExportFormat; titles: string[] }>();
  /** KPIs by use case id. */
  kpis = new Map<string, Kpi[]>();
  reviewMarks: ReviewMark[] = [];
  /** What weight sensitivity finds volatile: use case id → reasons (everything else is stable). */
  volatile = new Map<string, string[]>();
  /** Charts saved as PNG, by path. */
  charts = new Map<string, ChartImage>();
  /** The control catalogue. */
  controls: Control[] = starterControls();
  /** The pattern catalogue. */
  patterns: StoredPattern[] = starterPatterns();
  /** This desktop's sync state; `connectRegistry` sets up one already connected. */
  sync: SyncState = { url: null, token: null, user: null, lastSyncAt: null, lastError: null, pending: 0 };
  /** The registry: tokens it knows (token → its user's email; `good-token` is always this desktop's identity), whether it answers. */
  registry = { tokens: new Map<string, string>(), reachable: true, incoming: [] as RegistryChange[], refusals: [] as Refusal[] };
  conflicts: Conflict[] = [];
  refused: Refused[] = [];
  private syncHold: { release: () => void } | null = null;
  private syncHeld = false;
  private restores = 0;
  private holds = new Set<TaskCommand>();
  /** The long command now held running, if any. */
  private task: { what: string; resolve: () => void; reject: (e: BackendError) => void } | null = null;
  private listeners = new Map<string, Set<Listener>>();
  private failures = new Map<Command, BackendError[]>();
  private seq = 0;

  /** The next call of `cmd` rejects with `error`. */
  failNext(cmd: Command, error: BackendError): void {
    this.failures.set(cmd, [...(this.failures.get(cmd) ?? []), error]);
  }

  /** The next call of `cmd` keeps running (to show its progress, or cancel it) until `finishTask` or `task_cancel`. */
  holdNext(cmd: TaskCommand): void {
    this.holds.add(cmd);
  }

  /** Lets the held command go on to its result. */
  finishTask(): void {
    const t = this.task;
    this.task = null;
    t?.resolve();
  }

  /** A `task-progress` event, as the engine emits while a long command runs. */
  progress(p: Progress): void {
    this.emit("task-progress", p);
  }

  emit(event: string, payload: unknown): void {
    for (const l of this.listeners.get(event) ?? []) l({ event, id: 0, payload });
  }

  /** What the mocked `listen` calls; returns the unlisten function. */
  listen(event: string, handler: Listener): () => void {
    const set = this.listeners.get(event) ?? new Set<Listener>();
    set.add(handler);
    this.listeners.set(event, set);
    return () => set.delete(handler);
  }

  /** How many handlers listen for `event` now. */
  listening(event: string): number {
    return this.listeners.get(event)?.size ?? 0;
  }

  callsOf<K extends Command>(cmd: K): Req<K>[] {
    return this.calls.filter((c) => c.cmd === cmd).map((c) => c.req as Req<K>);
  }

  async invoke(cmd: string, args?: Record<string, unknown>): Promise<unknown> {
    const name = cmd as Command;
    const key = "req";
    const req = args?.[key];
    this.calls.push({ cmd: name, req });
    await Promise.resolve();
    // Like Tauri: an argument under another name never reaches the command.
    const sent = Object.keys(args ?? {});
    if (sent.some((k) => k !== key)) throw `invalid args \`${key}\` for command \`${cmd}\`: command ${cmd} missing required key ${key}`;
    if ((name === "sync_now" || name === "sync_connect") && this.syncHeld) {
      this.syncHeld = false;
      await new Promise<void>((resolve) => {
        this.syncHold = { release: resolve };
      });
    }
    const queued = this.failures.get(name);
    if (queued && queued.length > 0) throw queued.shift();
    if (this.holds.delete(name as TaskCommand)) {
      await new Promise<void>((resolve, reject) => {
        this.task = { what: name === "export_run" ? "The export" : "The import", resolve, reject };
      });
    }
    const handler = this.handlers[name] as ((r: unknown) => unknown) | undefined;
    if (!handler) throw `command ${cmd} not found`;
    // Like Tauri, hand back a copy: the UI never shares objects with the engine.
    const result = structuredClone(handler(req));
    if (LOCAL_CHANGES.includes(name)) this.sync.pending += 1;
    return result;
  }

  // ---- helpers tests use to set the scene -------------------------------------------------

  addPerson(p: { email: string; name?: string; business_unit?: string }): Person {
    const email = p.email.trim().toLowerCase();
    const found = this.people.find((x) => x.email === email);
    if (found) return found;
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw invalid("email", `\`${p.email}\` is not an email address (like name@example.org)`);
    const person = { id: `p${++this.seq}`, email, name: p.name?.trim() || email.split("@")[0]!, business_unit: p.business_unit ?? "" };
    this.people.push(person);
    this.people.sort((a, b) => a.name.localeCompare(b.name));
    return person;
  }

  /** Adds a use case directly (no history beyond its creation). */
  seed(fields: Partial<Omit<Stored, "id">> & { title: string }): UseCase {
    const at = now();
    const s: Stored = {
      id: `uc-${String(++this.seq).padStart(4, "0")}`,
      problem: "",
      solution: "",
      business_unit: "",
      proposer: null,
      expected_benefit: null,
      expected_cost: null,
      realised_benefit: null,
      data_sources: [],
      tags: [],
      owners: { business: null, technical: null, data: null, risk: null },
      raw: {},
      stage: "idea",
      stage_since: at,
      left_stage: null,
      archived: false,
      demo: false,
      version: 1,
      created_at: at,
      updated_at: at,
      no_pattern_reason: null,
      patterns: [],
      controls: {},
      triage: null,
      merged_into: null,
      ...fields,
    };
    this.useCases.set(s.id, s);
    this.record(s.id, { kind: "create", field: null, old: null, new: { title: s.title, stage: s.stage } });
    this.rescore(s);
    return this.view(s);
  }

  /** Someone else edits a use case (another window): its version moves on. */
  editElsewhere(id: string, change: Partial<Stored>): void {
    const s = this.mustGet(id);
    Object.assign(s, change);
    s.version += 1;
    s.updated_at = now();
  }

  /** This desktop connected earlier (the token `good-token` saved, as this identity), last synced at `lastSyncAt` (or never). */
  connectRegistry(opts: { url?: string; lastSyncAt?: string | null; pending?: number } = {}): void {
    this.sync = {
      url: opts.url ?? "https://registry.example.org",
      token: "good-token",
      user: this.identity?.email ?? null,
      lastSyncAt: opts.lastSyncAt === undefined ? new Date().toISOString() : opts.lastSyncAt,
      lastError: null,
      pending: opts.pending ?? 0,
    };
  }

  /** Someone else's change waiting in the registry: applied here at the next sync (one pulled). */
  registryEdit(id: string, apply: Partial<Stored>): void {
    this.registry.incoming.push({ id, apply });
  }

  /** The registry refuses a change at the next sync. */
  refuseNext(r: Refusal): void {
    this.registry.refusals.push(r);
  }

  /** An open conflict on a use case, or on a catalogue pattern with `entity: "pattern"` (ids and dates filled in). */
  addConflict(c: Partial<Conflict> & { use_case_id: string | null; kind: string; field: string | null; mine: unknown; theirs: unknown }): Conflict {
    const uc = c.use_case_id ? this.mustGet(c.use_case_id) : null;
    const conflict: Conflict = {
      id: `cf-${++this.seq}`,
      entity: "use_case",
      entity_id: uc?.id ?? "",
      title: uc?.title ?? null,
      base: null,
      theirs_actor: "bob@example.org",
      opened_at: new Date().toISOString(),
      ...c,
    };
    this.conflicts.push(conflict);
    return conflict;
  }

  /** A change made here that the registry refused at an earlier sync. */
  addRefused(r: Refusal & { at?: string }): RejectedChange {
    const title = r.title ?? (r.use_case_id ? (this.useCases.get(r.use_case_id)?.title ?? null) : null);
    const refused: Refused = {
      change_id: `ch-${++this.seq}`,
      entity: r.entity ?? "use_case",
      use_case_id: r.use_case_id,
      title,
      kind: r.kind,
      field: r.field,
      at: r.at ?? new Date().toISOString(),
      reason: r.reason,
      registry: r.registry ?? null,
      entity_id: r.entity_id ?? null,
    };
    this.refused.push(refused);
    const { registry: _kept, entity_id: _id, ...shown } = refused;
    return shown;
  }

  /** The next sync (`sync_now` or `sync_connect`) keeps running until `finishSync`. */
  holdNextSync(): void {
    this.syncHeld = true;
  }

  /** Lets the held sync go on to its result. */
  finishSync(): void {
    const h = this.syncHold;
    this.syncHold = null;
    h?.release();
  }

  // ---- engine rules --------------------------------------------------------------------------

  private mustGet(id: string): Stored {
    const s = this.useCases.get(id);
    if (!s) throw { code: "not_found", message: `no use case with id ${id}` } satisfies BackendError;
    return s;
  }

  private actor(): string {
    if (!this.identity) throw { code: "validation", message: "no identity" } satisfies BackendError;
    return this.identity.email;
  }

  private record(id: string, e: Omit<HistoryEntry, "at" | "actor" | "note" | "merged_from"> & { note?: string | null }): void {
    const entry: HistoryEntry = {
      at: now(),
      actor: this.identity?.email ?? "system",
      note: e.note ?? null,
      kind: e.kind,
      field: e.field,
      old: e.old,
      new: e.new,
      merged_from: null,
    };
    this.log.set(id, [...(this.log.get(id) ?? []), entry]);
  }

  private checkVersion(s: Stored, expect: number | undefined): void {
    if (expect !== undefined && expect !== s.version) {
      throw {
        code: "stale",
        message: `“${s.title}” was changed since you opened it (you had version ${expect}, it is now at ${s.version}); reload it and make your change again`,
      } satisfies BackendError;
    }
  }

  private touch(s: Stored): void {
    s.version += 1;
    s.updated_at = now();
  }

  private scores(s: Stored) {
    const axis = (criteria: ScoringModel["value"]) => {
      const total = criteria.reduce((t, c) => t + c.weight, 0);
      const parts = criteria.map((c) => {
        const sc = s.raw[c.slug];
        return {
          criterion: c.slug,
          score: sc ?? null,
          weight: c.weight,
          contribution: sc === undefined ? null : round1((((c.weight * (sc - 1)) / 4) * 100) / total),
        };
      });
      const complete = parts.every((p) => p.score !== null) && total > 0;
      const value = complete ? round1((criteria.reduce((t, c) => t + (c.weight * ((s.raw[c.slug] ?? 1) - 1)) / 4, 0) * 100) / total) : null;
      return { value, parts };
    };
    const v = axis(this.model.value);
    const f = axis(this.model.feasibility);
    let priority: number | null = null;
    let quadrant: Quadrant | null = null;
    if (v.value !== null && f.value !== null) {
      priority = round1((v.value + f.value) / 2);
      const hv = v.value >= this.model.thresholds.value;
      const hf = f.value >= this.model.thresholds.feasibility;
      quadrant = hv && hf ? "quick-win" : hv ? "strategic-bet" : hf ? "fill-in" : "deprioritise";
    }
    return { value_score: v.value, feasibility_score: f.value, priority, quadrant, breakdown: { value: v.parts, feasibility: f.parts } };
  }

  private rescore(s: Stored): void {
    const sc = this.scores(s);
    const list = (this.modelScores.get(s.id) ?? []).filter((m) => m.model_version !== this.model.version);
    list.unshift({ model_version: this.model.version, value_score: sc.value_score, feasibility_score: sc.feasibility_score, quadrant: sc.quadrant, at: now() });
    this.modelScores.set(
      s.id,
      list.sort((a, b) => b.model_version - a.model_version),
    );
  }

  private summary(s: Stored): UseCaseSummary {
    const sc = this.scores(s);
    return {
      id: s.id,
      title: s.title,
      stage: s.stage,
      business_unit: s.business_unit,
      value_score: sc.value_score,
      feasibility_score: sc.feasibility_score,
      priority: sc.priority,
      quadrant: sc.quadrant,
      owners: { ...s.owners },
      tags: [...s.tags],
      archived: s.archived,
      updated_at: s.updated_at,
      created_at: s.created_at,
      expected_benefit: s.expected_benefit,
      stage_since: s.stage_since,
    };
  }

  view(s: Stored): UseCase {
    const sc = this.scores(s);
    const criteria = [...this.model.value, ...this.model.feasibility];
    return {
      ...this.summary(s),
      problem: s.problem,
      solution: s.solution,
      proposer: s.proposer,
      expected_cost: s.expected_cost,
      realised_benefit: s.realised_benefit,
      data_sources: [...s.data_sources],
      scores: Object.fromEntries(criteria.map((c) => [c.slug, s.raw[c.slug] ?? null])),
      score_breakdown: sc.breakdown,
      attributes: {},
      source_id: null,
      version: s.version,
      left_stage: s.left_stage,
      demo: s.demo,
      patterns: this.links(s),
      no_pattern_reason: s.no_pattern_reason,
      controls: this.inherited(s),
      triage: s.triage,
    };
  }

  // ---- patterns and controls ---------------------------------------------------------------

  private mustPattern(slug: string): StoredPattern {
    const p = this.patterns.find((x) => x.slug === slug);
    if (!p) throw { code: "not_found", message: `no pattern \`${slug}\`; \`portfolio patterns\` lists them` } satisfies BackendError;
    return p;
  }

  private control(slug: string): Control {
    return this.controls.find((c) => c.slug === slug) ?? { slug, name: slug, description: "" };
  }

  private patternView(p: StoredPattern): Pattern {
    const using = [...this.useCases.values()].filter((s) => !s.archived && s.patterns.some((x) => x.slug === p.slug));
    const by_stage: Pattern["by_stage"] = {};
    for (const s of using) by_stage[s.stage] = (by_stage[s.stage] ?? 0) + 1;
    return {
      ...structuredClone(p),
      controls: p.controls.map((c) => this.control(c)),
      reuse: using.length,
      primary_for: using.filter((s) => s.patterns.some((x) => x.slug === p.slug && x.primary)).length,
      by_stage,
    };
  }

  /** Primary first, then by name. */
  private links(s: Stored): PatternLink[] {
    return s.patterns
      .map((x) => {
        const p = this.mustPattern(x.slug);
        return { slug: p.slug, name: p.name, primary: x.primary, retired: p.retired };
      })
      .sort((a, b) => Number(b.primary) - Number(a.primary) || a.name.toLowerCase().localeCompare(b.name.toLowerCase()));
  }

  /** The union of its patterns' controls, the primary pattern's first, each once with the patterns it comes from. */
  private inherited(s: Stored): InheritedControl[] {
    const order = [...s.patterns].sort((a, b) => Number(b.primary) - Number(a.primary) || a.slug.localeCompare(b.slug));
    const out: InheritedControl[] = [];
    for (const link of order) {
      for (const slug of this.mustPattern(link.slug).controls) {
        const seen = out.find((c) => c.slug === slug);
        if (seen) {
          seen.from.push(link.slug);
          continue;
        }
        const set = s.controls[slug];
        out.push({ ...this.control(slug), status: set?.status ?? "open", note: set?.note ?? null, from: [link.slug] });
      }
    }
    return out;
  }

  /** Checks an architect's input the engine's way; returns the control slugs, creating new controls (which need a name). */
  private checkedControls(p: PatternInput): string[] {
    if (!isSlug(p.slug)) throw invalid("slug", `a pattern's slug is lowercase letters, digits and hyphens, such as rag-knowledge-assistant, not \`${p.slug}\``);
    const name = p.name.trim();
    if (!name || name.length > 120) throw invalid("name", "a pattern needs a name of at most 120 characters");
    if (p.components.some((c) => !c.trim() || c.length > 120)) throw invalid("components", "each component is a name of 1 to 120 characters");
    const fresh: Control[] = [];
    for (const c of p.controls) {
      if (!isSlug(c.slug)) throw invalid("controls", `a control's slug is lowercase letters, digits and hyphens, not \`${c.slug}\``);
      if (this.controls.some((k) => k.slug === c.slug) || fresh.some((k) => k.slug === c.slug)) continue;
      const cname = c.name?.trim();
      if (!cname) throw invalid("controls", `\`${c.slug}\` is a new control: give it a name (SLUG=Name)`);
      fresh.push({ slug: c.slug, name: cname, description: "" });
    }
    this.controls.push(...fresh);
    return [...new Set(p.controls.map((c) => c.slug))];
  }

  /** One field, checked the way `Field::parse` checks it; returns the value to store. */
  private parseField(name: string, value: unknown): unknown {
    const text = () => (value === null || value === undefined ? "" : String(value).trim());
    const list = () => {
      const items = Array.isArray(value) ? value.map(String) : typeof value === "string" ? value.split(",") : [];
      const out: string[] = [];
      for (const t of items.map((x) => x.trim()).filter(Boolean)) if (!out.some((o) => o.toLowerCase() === t.toLowerCase())) out.push(t);
      return out;
    };
    const money = () => {
      if (value === null || value === "") return null;
      const n = typeof value === "number" ? value : Number(String(value).trim());
      if (!Number.isFinite(n) || n < 0) throw invalid(name, `the value must be a plain number such as 250000, not \`${String(value)}\``);
      return n;
    };
    switch (name) {
      case "title": {
        const t = text();
        if (!t) throw invalid("title", "a use case needs a title");
        if (t.length > 300) throw invalid("title", `the title is at most 300 characters (this one has ${t.length})`);
        return t;
      }
      case "problem":
      case "solution":
      case "business_unit":
        return text();
      case "no_pattern_reason":
        return text() || null;
      case "proposer": {
        const e = text();
        return e ? this.addPerson({ email: e }).email : null;
      }
      case "realised_benefit":
      case "expected_benefit":
      case "expected_cost":
        return money();
      case "data_sources":
      case "tags":
        return list();
      default:
        throw invalid("field", `unknown field \`${name}\``);
    }
  }

  private classify(from: Stage, to: Stage, left: Stage | null): MoveKind | string {
    if (to === "parked") return "park";
    if (to === "retired") return "retire";
    if (from === "parked" || from === "retired") {
      const l = left ?? "idea";
      return PATH.indexOf(to) <= PATH.indexOf(l) ? "return" : `from ${LABEL[from]} it can return to ${LABEL[l]} or an earlier stage`;
    }
    const f = PATH.indexOf(from);
    const t = PATH.indexOf(to);
    if (t === f + 1) return "forward";
    if (t < f) return "backward";
    return `forward moves go one stage at a time: next from ${LABEL[from]} is ${LABEL[PATH[f + 1]!]}`;
  }

  private gate(s: Stored, to: Stage): GateItem[] {
    const criteria = [...this.model.value, ...this.model.feasibility];
    const unscored = criteria.filter((c) => s.raw[c.slug] === undefined).map((c) => c.name);
    return (this.rules.stages[to] ?? []).map((r) => {
      if (r.kind === "owner") return { requirement: r, label: `a ${r.role} owner`, met: s.owners[r.role] !== null };
      if (r.kind === "all_scored") {
        const met = unscored.length === 0;
        return {
          requirement: r,
          label: met ? "every value and feasibility criterion scored" : `every value and feasibility criterion scored (not yet: ${unscored.join(", ")})`,
          met,
        };
      }
      if (r.kind === "primary_pattern") {
        return {
          requirement: r,
          label: "a primary pattern (or a recorded reason for none)",
          met: s.patterns.some((p) => p.primary) || s.no_pattern_reason !== null,
        };
      }
      if (r.kind === "triage") {
        const label = "a risk triage (not prohibited, under the current rules)";
        const gap = this.triageGap(s);
        return { requirement: r, label: gap ? `${label} (${gap})` : label, met: gap === null };
      }
      if (r.kind === "controls_in_place") {
        const open = this.inherited(s)
          .filter((c) => c.status === "open")
          .map((c) => c.name);
        const label = "every inherited control in place or not applicable";
        return { requirement: r, label: open.length === 0 ? label : `${label} (open: ${open.join(", ")})`, met: open.length === 0 };
      }
      const value = (s as unknown as Record<string, unknown>)[r.field];
      const filled = value !== null && value !== undefined && value !== "" && !(Array.isArray(value) && value.length === 0);
      return { requirement: r, label: FIELD_LABEL[r.field] ?? `the field \`${r.field}\` filled in`, met: filled };
    });
  }

  /** Why the triage does not pass a gate yet (null when it does). */
  private triageGap(s: Stored): string | null {
    const t = s.triage;
    if (!t) return "not triaged";
    if (t.needs_retriage) return "the rules changed: triage again";
    if (t.outcome.tier === "not-yet-triaged") return "not finished";
    if (t.outcome.tier === "prohibited") return "prohibited";
    return null;
  }

  /** The live use cases most like `words`, leaving out `exclude`. */
  private similar(words: Set<string>, exclude: string | undefined, limit: number): Similar[] {
    return [...this.useCases.values()]
      .filter((s) => !s.archived && s.id !== exclude)
      .map((s) => ({ id: s.id, title: s.title, similarity: likeness(words, wordSet(s.title, s.problem, s.solution)) }))
      .filter((x) => x.similarity > 0)
      .sort((a, b) => b.similarity - a.similarity || a.title.localeCompare(b.title))
      .slice(0, limit);
  }

  /** The engine's `merge`: `keep` takes what it lacks from `other`, which is archived pointing at it. */
  private merge(keepId: string, otherId: string): UseCase {
    if (keepId === otherId) throw invalid("other", "a use case cannot be merged into itself");
    this.actor();
    const keep = this.mustGet(keepId);
    const other = this.mustGet(otherId);
    if (other.merged_into) throw invalid("other", `“${other.title}” was already merged into ${other.merged_into}`);
    const note = `merged from “${other.title}” (${other.id})`;
    const take = (field: string, value: unknown) => {
      this.record(keep.id, { kind: "field", field, old: (keep as unknown as Record<string, unknown>)[field] ?? null, new: value, note });
      (keep as unknown as Record<string, unknown>)[field] = value;
    };
    for (const f of ["problem", "solution", "business_unit"] as const) if (!keep[f] && other[f]) take(f, other[f]);
    for (const f of ["proposer", "expected_benefit", "expected_cost"] as const) if (keep[f] === null && other[f] !== null) take(f, other[f]);
    for (const f of ["data_sources", "tags"] as const) {
      const joined = [...keep[f]];
      for (const x of other[f]) if (!joined.some((j) => j.toLowerCase() === x.toLowerCase())) joined.push(x);
      if (joined.length > keep[f].length) take(f, joined);
    }
    for (const role of Object.keys(keep.owners) as OwnerRole[]) {
      const email = other.owners[role];
      if (keep.owners[role] === null && email !== null) {
        keep.owners[role] = email;
        this.record(keep.id, { kind: "owner", field: role, old: null, new: email, note });
      }
    }
    for (const [criterion, score] of Object.entries(other.raw)) {
      if (keep.raw[criterion] !== undefined) continue;
      keep.raw[criterion] = score;
      this.record(keep.id, { kind: "score", field: criterion, old: null, new: score, note });
    }
    this.rescore(keep);
    const hasPrimary = keep.patterns.some((p) => p.primary);
    for (const p of other.patterns) {
      if (keep.patterns.some((k) => k.slug === p.slug)) continue;
      const primary = p.primary && !hasPrimary;
      keep.patterns.push({ slug: p.slug, primary });
      this.record(keep.id, { kind: "pattern", field: p.slug, old: null, new: primary ? "primary" : "other", note });
    }
    keep.controls = { ...other.controls, ...keep.controls };
    const kpis = this.kpis.get(keep.id) ?? [];
    for (const k of this.kpis.get(other.id) ?? []) {
      const taken = kpis.some((x) => x.name.toLowerCase() === k.name.toLowerCase());
      kpis.push({ ...k, use_case_id: keep.id, name: taken ? `${k.name} (${other.title})` : k.name });
    }
    this.kpis.set(keep.id, kpis);
    this.kpis.delete(other.id);

    other.archived = true;
    other.merged_into = keep.id;
    this.touch(other);
    const both = { kept: keep.id, merged: other.id, merged_title: other.title };
    for (const id of [keep.id, other.id]) this.record(id, { kind: "merge", field: null, old: null, new: both });
    this.touch(keep);
    return this.view(keep);
  }

  private option(s: Stored, to: Stage): StageOption {
    const kind = this.classify(s.stage, to, s.left_stage);
    if (!["forward", "backward", "park", "retire", "return"].includes(kind)) {
      return { stage: to, kind: null, allowed: false, needs_note: false, reason: kind, gate: [] };
    }
    const k = kind as MoveKind;
    const gate = k === "forward" ? this.gate(s, to) : [];
    return { stage: to, kind: k, allowed: gate.every((g) => g.met), needs_note: k !== "forward", reason: null, gate };
  }

  private list(q: ListQuery) {
    const words = (q.search ?? "")
      .toLowerCase()
      .split(/[^\p{L}\p{N}]+/u)
      .filter(Boolean);
    let rows = [...this.useCases.values()].filter((s) => {
      if (!q.include_archived && s.archived) return false;
      if (q.stage?.length && !q.stage.includes(s.stage)) return false;
      if (q.business_unit?.length && !q.business_unit.includes(s.business_unit)) return false;
      if (q.tag?.length && !s.tags.some((t) => q.tag!.includes(t))) return false;
      if (q.pattern?.length && !s.patterns.some((p) => q.pattern!.includes(p.slug))) return false;
      if (q.owner?.length && !Object.values(s.owners).some((e) => e !== null && q.owner!.includes(e))) return false;
      const quadrant = this.scores(s).quadrant;
      if (q.quadrant?.length && (quadrant === null || !q.quadrant.includes(quadrant))) return false;
      const hay = `${s.title} ${s.problem} ${s.solution}`.toLowerCase();
      return words.every((w) => hay.includes(w));
    });
    const [field, dir] = (q.sort ?? "priority:desc").split(":");
    const key = (s: Stored): string | number | null => {
      const sum = this.summary(s);
      switch (field) {
        case "title":
          return s.title.toLowerCase();
        case "stage":
          return ALL_STAGES.indexOf(s.stage);
        case "business_unit":
          return s.business_unit.toLowerCase();
        case "value_score":
        case "feasibility_score":
        case "priority":
        case "expected_benefit":
          return sum[field];
        case "quadrant":
          return sum.quadrant;
        case "updated_at":
        case "created_at":
          return s[field];
        default:
          throw invalid("sort", `cannot sort by \`${field}\``);
      }
    };
    const sign = dir === "desc" ? -1 : 1;
    rows = rows.sort((a, b) => {
      const ka = key(a);
      const kb = key(b);
      if (ka === kb) return a.title.localeCompare(b.title);
      if (ka === null) return 1;
      if (kb === null) return -1;
      return (ka < kb ? -1 : 1) * sign;
    });
    const offset = q.offset ?? 0;
    const limit = q.limit ?? rows.length;
    return { total: rows.length, rows: rows.slice(offset, offset + limit).map((s) => this.summary(s)) };
  }

  private checkRules(rules: GateRules): void {
    for (const [stage, reqs] of Object.entries(rules.stages) as [Stage, Requirement[]][]) {
      if (PATH.indexOf(stage) < 1) throw invalid("stage", `${LABEL[stage]} has no gate: gates guard the stages from Assessment to Scaled`);
      for (const r of reqs) {
        if (r.kind === "field" && !GATE_FIELDS.includes(r.field))
          throw invalid("requirement", `a gate can ask for the fields ${GATE_FIELDS.join(", ")}, not \`${r.field}\``);
      }
      const keys = reqs.map((r) => JSON.stringify(r));
      if (new Set(keys).size !== keys.length) throw invalid("requirement", `a requirement of ${LABEL[stage]} is listed twice`);
    }
  }

  /** One use case of a bulk edit, through the same handlers (and rules) as a single edit. */
  private bulkOne(id: string, change: BulkChange): void {
    switch (change.kind) {
      case "stage":
        this.handlers.use_case_move_stage(change.note === undefined ? { id, to: change.to } : { id, to: change.to, note: change.note });
        return;
      case "owner":
        this.handlers.use_case_set_owner({ id, role: change.role, person: change.person });
        return;
      case "business_unit":
        this.handlers.use_case_set_fields({ id, fields: { business_unit: change.business_unit } });
        return;
      case "tags": {
        const s = this.mustGet(id);
        const tags = s.tags.filter((t) => !change.remove.some((r) => r.toLowerCase() === t.toLowerCase()));
        this.handlers.use_case_set_fields({ id, expect_version: s.version, fields: { tags: [...tags, ...change.add] } });
        return;
      }
    }
  }

  private create(n: NewUseCase, demo = false): UseCase {
    this.actor();
    const title = this.parseField("title", n.title) as string;
    const uc = this.seed({
      title,
      problem: (this.parseField("problem", n.problem) as string) ?? "",
      solution: (this.parseField("solution", n.solution) as string) ?? "",
      business_unit: (this.parseField("business_unit", n.business_unit) as string) ?? "",
      proposer: n.proposer ? (this.parseField("proposer", n.proposer) as string) : null,
      expected_benefit: n.expected_benefit ?? null,
      expected_cost: n.expected_cost ?? null,
      data_sources: n.data_sources ? (this.parseField("data_sources", n.data_sources) as string[]) : [],
      tags: n.tags ? (this.parseField("tags", n.tags) as string[]) : [],
      demo,
    });
    return uc;
  }

  /** A demo portfolio of `n` use cases across units, stages and scores. */
  loadDemo(n = 40): number {
    const units = ["Claims", "Customer Service", "Finance", "Operations"];
    const owner = this.addPerson({ email: "helen.carter@northwind.example", name: "Helen Carter", business_unit: "Claims" });
    for (let i = 0; i < n; i++) {
      const uc = this.create(
        {
          title: `Demo use case ${String(i + 1).padStart(3, "0")}`,
          business_unit: units[i % units.length]!,
          tags: [i % 2 ? "nlp" : "vision"],
          problem: "A demo problem",
        },
        true,
      );
      const s = this.mustGet(uc.id);
      if (i % 3 === 0) s.owners.business = owner.email;
      if (i % 4 !== 3) {
        for (const c of [...this.model.value, ...this.model.feasibility]) s.raw[c.slug] = ((i + c.slug.length) % 5) + 1;
        this.rescore(s);
      }
      s.stage = PATH[i % PATH.length]!;
    }
    return n;
  }

  /**
   * The engine's import, simplified: map the columns (given, preset or suggested), check each
   * row, match it by id or by title and business unit, then, unless a dry run, write.
   */
  private importFile(req: ImportRequest): ImportReport {
    this.actor();
    const file = this.files.get(req.path);
    if (!file) throw { code: "io", message: `cannot read ${req.path}: no such file` } satisfies BackendError;
    if (req.sheet && !file.sheets?.includes(req.sheet)) throw invalid("sheet", `the workbook has no sheet \`${req.sheet}\``);
    const csv = !file.sheets;
    const encoding = req.encoding ? ENCODING_NAME[req.encoding.toLowerCase()] : (file.encoding ?? "UTF-8");
    if (!encoding) throw invalid("encoding", `unknown encoding \`${req.encoding}\`; try utf-8, utf-16, windows-1252`);
    if (req.preset && req.preset !== "omb-2025") throw invalid("preset", `unknown preset \`${req.preset}\`; presets are omb-2025`);

    const [base, from] = req.mapping ? [req.mapping, "given"] : req.preset ? [OMB_2025, `preset ${req.preset}`] : [suggest(file.headers), "suggested"];
    // Every header named: a key matches ignoring case and punctuation; the rest are kept as attributes.
    const columns: Record<string, ColumnSpec> = {};
    for (const h of file.headers) {
      columns[h] = base.columns[h] ?? Object.entries(base.columns).find(([k]) => squash(k) === squash(h))?.[1] ?? `attr.${attributeName(h)}`;
    }
    const mapping: Mapping = { ...structuredClone(base), columns };
    const targets = file.headers.map((h) => targetOf(columns[h]!));
    if (!targets.includes("title")) throw invalid("mapping", `no column is mapped to the title; map one of ${file.headers.join(", ")} to \`title\``);

    const problems: RowProblem[] = [];
    const notes: string[] = [];
    const changes: RowChange[] = [];
    const stageValues: StageValue[] = [];
    const writes: { row: number; into: Stored | null; fields: Record<string, unknown>; owners: Partial<Owners>; stage: Stage | undefined }[] = [];
    const matched = new Set<string>();
    let unchanged = 0;
    file.rows.forEach((cells, i) => {
      const row = i + 2;
      const fields: Record<string, unknown> = {};
      const owners: Partial<Owners> = {};
      let stage: Stage | undefined;
      let id: string | undefined;
      let bad = false;
      const problem = (column: string, value: string, why: string) => {
        problems.push({ row, column, value, why });
        bad = true;
      };
      file.headers.forEach((h, c) => {
        const to = targets[c]!;
        const raw = (cells[c] ?? "").trim();
        const value = mapping.values[to]?.[raw] ?? raw;
        if (to === "ignore" || to === "source_id" || to.startsWith("attr.")) return;
        if (to === "id") id = raw || undefined;
        else if (to === "stage") {
          const found = ALL_STAGES.find((st) => st === value.toLowerCase() || LABEL[st].toLowerCase() === value.toLowerCase());
          // As the engine does, a blank is read as Idea (here new rows start there anyway).
          countStageValue(stageValues, raw, found ?? (value ? null : "idea"));
          if (found) stage = found;
          else if (value) problem(h, raw, `unknown stage; stages are ${ALL_STAGES.join(", ")} (or map this value in the mapping's \`values\`)`);
        } else if (to.startsWith("owner.")) {
          // The first email in the cell, if any.
          owners[to.slice("owner.".length) as OwnerRole] =
            raw
              .split(/[\s,;<>]+/)
              .find((w) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(w))
              ?.toLowerCase() ?? null;
        } else if (to === "proposer") {
          if (raw && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(raw)) problem(h, raw, `\`${raw}\` is not an email address (like name@example.org)`);
          else fields.proposer = raw.toLowerCase() || null;
        } else {
          try {
            fields[to] = this.parseField(to, value);
          } catch (e) {
            problem(h, raw, (e as BackendError).message);
          }
        }
      });
      if (bad) return;
      const title = fields.title as string;
      const key = `${sameKey((fields.business_unit as string | undefined) ?? "")}\u001f${sameKey(title)}`;
      const into =
        (id !== undefined ? this.useCases.get(id) : undefined) ??
        [...this.useCases.values()].find((s) => !matched.has(s.id) && `${sameKey(s.business_unit)}\u001f${sameKey(s.title)}` === key) ??
        null;
      if (!into) {
        changes.push({ row, action: "create", title, id: null, fields: Object.keys(fields) });
        writes.push({ row, into, fields, owners, stage });
        return;
      }
      matched.add(into.id);
      if (stage && stage !== into.stage) {
        notes.push(
          `row ${row}: the stage in the file (${stage}) differs from “${into.title}”’s (${into.stage}); stages move through their gates in the app, so it was left alone`,
        );
      }
      const changedFields = Object.keys(fields).filter((k) => JSON.stringify((into as unknown as Record<string, unknown>)[k]) !== JSON.stringify(fields[k]));
      const changedOwners = (Object.keys(owners) as OwnerRole[]).filter((r) => into.owners[r] !== owners[r]);
      if (changedFields.length + changedOwners.length === 0) {
        unchanged += 1;
        return;
      }
      changes.push({ row, action: "update", title: into.title, id: into.id, fields: [...changedFields, ...changedOwners.map((r) => `owner.${r}`)] });
      writes.push({
        row,
        into,
        fields: Object.fromEntries(changedFields.map((k) => [k, fields[k]])),
        owners: Object.fromEntries(changedOwners.map((r) => [r, owners[r]])),
        stage: undefined,
      });
    });

    const report: ImportReport = {
      file: req.path,
      sheets: file.sheets ?? [],
      sheet: csv ? null : (req.sheet ?? file.sheets![0]!),
      encoding: csv ? encoding : null,
      delimiter: csv ? (req.delimiter ?? file.delimiter ?? ",") : null,
      headers: [...file.headers],
      mapping,
      mapping_from: from,
      rows: file.rows.length,
      created: writes.filter((w) => !w.into).length,
      updated: writes.filter((w) => w.into).length,
      unchanged,
      invalid: new Set(problems.map((p) => p.row)).size,
      problems,
      notes,
      changes,
      stage_values: stageValues,
      applied: false,
    };
    if (req.dry_run) return report;
    const shown = req.path.split("/").pop();
    if (report.invalid > 0 && !req.skip_invalid) {
      throw {
        code: "validation",
        message: `${shown}: ${report.invalid} of ${report.rows} rows have problems, so nothing was imported; fix them, or skip the invalid rows`,
        details: problems.slice(0, 20).map((p) => `row ${p.row}, ${p.column}: \`${p.value}\`: ${p.why}`),
      } satisfies BackendError;
    }
    for (const w of writes) {
      for (const email of Object.values(w.owners)) if (email) this.addPerson({ email });
      if (!w.into) {
        this.seed({
          ...(w.fields as Partial<Stored> & { title: string }),
          owners: { business: null, technical: null, data: null, risk: null, ...w.owners },
          stage: w.stage ?? "idea",
        });
        continue;
      }
      const s = w.into;
      for (const [k, v] of Object.entries(w.fields)) {
        this.record(s.id, { kind: "field", field: k, old: (s as unknown as Record<string, unknown>)[k] ?? null, new: v, note: `import from ${shown}` });
        (s as unknown as Record<string, unknown>)[k] = v;
      }
      for (const [r, e] of Object.entries(w.owners) as [OwnerRole, string | null][]) {
        this.record(s.id, { kind: "owner", field: r, old: s.owners[r], new: e, note: `import from ${shown}` });
        s.owners[r] = e;
      }
      this.touch(s);
    }
    return { ...report, applied: true };
  }

  /** The dashboard's figures, worked out the engine's way over the live use cases. */
  private dashboard(): Dashboard {
    const live = [...this.useCases.values()].filter((s) => !s.archived);
    const figure = (ss: Stored[]) => ({
      use_cases: ss.length,
      expected_benefit: ss.reduce((t, s) => t + (s.expected_benefit ?? 0), 0),
      realised_benefit: ss.reduce((t, s) => t + (s.realised_benefit ?? 0), 0),
    });
    const today = clock;
    const days = (s: Stored) => Math.floor((today - Date.parse(s.stage_since)) / 86_400_000);
    const stale = this.preferences.stale_after_days;
    const furthest = (s: Stored) => PATH.indexOf(s.stage === "parked" || s.stage === "retired" ? (s.left_stage ?? "idea") : s.stage);
    let previous: number | null = null;
    const funnel = PATH.map((stage, rank) => {
      const reached = live.filter((s) => furthest(s) >= rank).length;
      const conversion = previous ? Math.round((reached / previous) * 1000) / 1000 : null;
      previous = reached;
      return { stage, reached, conversion };
    });
    const units = [...new Set(live.map((s) => s.business_unit))];
    const ranked = live.map((s) => ({ s, sc: this.scores(s) })).filter((x) => x.sc.priority !== null);
    ranked.sort((a, b) => b.sc.priority! - a.sc.priority! || b.sc.value_score! - a.sc.value_score! || a.s.title.localeCompare(b.s.title));
    const gaps = live
      .filter((s) => PATH.indexOf(s.stage) >= PATH.indexOf("proof-of-concept"))
      .map((s) => ({ id: s.id, title: s.title, stage: s.stage, missing: (["technical", "data"] as OwnerRole[]).filter((r) => !s.owners[r]) }))
      .filter((g) => g.missing.length > 0);
    const kpiStatus: Record<KpiStatus, number> = { "on-track": 0, "off-track": 0, "not-measured": 0 };
    for (const s of live) for (const k of this.kpis.get(s.id) ?? []) kpiStatus[k.status] += 1;
    const delivering = live.filter((s) => PATH.indexOf(s.stage) >= PATH.indexOf("pilot"));
    const recorded = delivering.filter((s) => s.realised_benefit !== null);
    return {
      total: figure(live),
      by_stage: Object.fromEntries(ALL_STAGES.map((st) => [st, figure(live.filter((s) => s.stage === st))])),
      by_business_unit: units
        .map((u) => ({ business_unit: u, ...figure(live.filter((s) => s.business_unit === u)) }))
        .sort((a, b) => b.use_cases - a.use_cases || a.business_unit.localeCompare(b.business_unit)),
      funnel,
      aging: ALL_STAGES.map((stage) => {
        const here = live.filter((s) => s.stage === stage).map(days);
        const avg = here.length ? Math.round((here.reduce((t, d) => t + d, 0) / here.length) * 10) / 10 : 0;
        return { stage, average_days: avg, max_days: Math.max(0, ...here), stale: here.filter((d) => d > stale).length };
      }),
      stale_after_days: stale,
      top: ranked.slice(0, 10).map(({ s, sc }) => ({
        id: s.id,
        title: s.title,
        stage: s.stage,
        priority: sc.priority!,
        value_score: sc.value_score!,
        feasibility_score: sc.feasibility_score!,
      })),
      ownership_gaps: gaps.length,
      ownership_gaps_listed: gaps.slice(0, 50),
      kpi_status: kpiStatus,
      benefits: {
        use_cases: delivering.length,
        recorded: recorded.length,
        expected_benefit: figure(delivering).expected_benefit,
        realised_benefit: figure(recorded).realised_benefit,
        expected_where_recorded: figure(recorded).expected_benefit,
      },
    };
  }

  /** A KPI's status the engine's way: its latest actual against the target, or the line to it when it has a baseline and a due date. */
  /** One sync with the registry: check the token, pull what others changed, push what is pending (less what is refused). */
  private syncWith(url: string, token: string): SyncReport {
    if (!this.registry.reachable) {
      const message = `cannot reach the registry at ${url}: connection refused (check the address and your network)`;
      this.sync.lastError = message;
      throw { code: "unreachable", message } satisfies BackendError;
    }
    const user = token === "good-token" ? this.identity?.email : this.registry.tokens.get(token);
    if (!user) {
      const message = "the registry does not accept this token (wrong, expired or revoked): ask a registry admin for a new one";
      this.sync.lastError = message;
      throw { code: "unauthenticated", message } satisfies BackendError;
    }
    if (user !== this.identity?.email) {
      throw {
        code: "forbidden",
        message: `this token belongs to ${user}, but this desktop is ${this.identity?.email ?? "nobody yet"}: use a token issued to you`,
      } satisfies BackendError;
    }
    let pulled = 0;
    for (const change of this.registry.incoming.splice(0)) {
      const s = this.useCases.get(change.id);
      if (!s) continue;
      Object.assign(s, change.apply);
      this.touch(s);
      this.rescore(s);
      pulled += 1;
    }
    const rejected: Rejection[] = this.registry.refusals.splice(0).map((r) => {
      const shown = this.addRefused(r);
      return { change_id: shown.change_id, reason: shown.reason };
    });
    const pushed = Math.max(0, this.sync.pending - rejected.length);
    this.sync = { ...this.sync, url, token, user, pending: 0, lastError: null, lastSyncAt: new Date().toISOString() };
    return { pushed, pulled, conflicts: this.conflicts.length, rejected };
  }

  /** A conflict's value as the engine parses what was typed: refused beside the value, in words. */
  private settledValue(c: Conflict, v: unknown): unknown {
    const text = typeof v === "string" ? v.trim() : v === null || v === undefined ? "" : JSON.stringify(v);
    switch (c.kind) {
      case "score": {
        const n = Number(text);
        if (!Number.isInteger(n) || n < 1 || n > 5) throw invalid("score", `a score is 1 to 5, not ${text || "nothing"}`);
        return n;
      }
      case "owner":
        if (text === "") return null;
        if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text)) throw invalid("email", `\`${text}\` is not an email address (like name@example.org)`);
        return text.toLowerCase();
      case "stage":
        if (!(ALL_STAGES as string[]).includes(text)) throw invalid("stage", `\`${text}\` is not a stage; the stages are ${ALL_STAGES.join(", ")}`);
        return text;
      default: {
        const field = c.field ?? "";
        if (["expected_benefit", "expected_cost", "realised_benefit"].includes(field)) {
          if (text === "") return null;
          const n = Number(text.replace(/[\s,]/g, ""));
          if (!Number.isFinite(n) || n < 0) throw invalid(field, `the amount is a number of whole units (like 120000), not \`${text}\``);
          return n;
        }
        if (field === "data_sources" || field === "tags")
          return text
            .split(",")
            .map((t) => t.trim())
            .filter(Boolean);
        if (field === "title" && text === "") throw invalid("title", "a use case needs a title");
        return text;
      }
    }
  }

  /** Writes a settled (or reverted) value into the use case, as an ordinary change. */
  private writeValue(id: string, kind: string, field: string | null, value: unknown): void {
    const s = this.useCases.get(id);
    if (!s) return;
    let old: unknown = null;
    switch (kind) {
      case "score":
        old = s.raw[field ?? ""] ?? null;
        if (value === null) delete s.raw[field ?? ""];
        else s.raw[field ?? ""] = value as number;
        break;
      case "owner":
        old = s.owners[field as OwnerRole];
        s.owners[field as OwnerRole] = value as string | null;
        break;
      case "stage":
        old = s.stage;
        s.stage = value as Stage;
        break;
      case "archive":
        old = s.archived;
        s.archived = Boolean(value);
        break;
      default:
        old = (s as unknown as Record<string, unknown>)[field ?? ""];
        (s as unknown as Record<string, unknown>)[field ?? ""] = value;
    }
    this.rescore(s);
    this.touch(s);
    this.record(s.id, { kind: kind === "archive" ? (value ? "archive" : "unarchive") : kind, field: kind === "stage" ? null : field, old, new: value });
  }

  private kpiStatus(k: Omit<Kpi, "status">): KpiStatus {
    const last = k.actuals[k.actuals.length - 1];
    if (!last) return "not-measured";
    const atLeast = (a: number, b: number) => (k.direction === "higher" ? a >= b : a <= b);
    if (atLeast(last.value, k.target)) return "on-track";
    if (k.baseline === null || k.due === null) return "off-track";
    const start = Date.parse(k.created_at.slice(0, 10));
    const span = Date.parse(k.due) - start;
    const share = span <= 0 ? 1 : Math.min(1, Math.max(0, (Date.parse(last.on) - start) / span));
    return atLeast(last.value, k.baseline + (k.target - k.baseline) * share) ? "on-track" : "off-track";
  }

  private readonly handlers: { [K in keyof Api]: (req: Req<K>) => Res<K> } = {
    store_status: () => ":memory:",
    first_page_shown: () => null,
    identity_get: () => this.identity,
    identity_set: (id) => {
      if (!id.name.trim()) throw invalid("name", "please give your name");
      const email = id.email.trim().toLowerCase();
      if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw invalid("email", `\`${id.email}\` is not an email address (like name@example.org)`);
      this.identity = { name: id.name.trim(), email };
      this.addPerson({ email, name: id.name });
      return this.identity;
    },
    use_case_list: (q) => this.list(q),
    filter_choices: () => {
      const live = [...this.useCases.values()].filter((s) => !s.archived);
      const counts = new Map<Stage, number>();
      for (const s of live) counts.set(s.stage, (counts.get(s.stage) ?? 0) + 1);
      return {
        business_units: [...new Set(live.map((s) => s.business_unit).filter(Boolean))].sort(),
        tags: [...new Set(live.flatMap((s) => s.tags))].sort(),
        stage_counts: [...counts.entries()],
        total: live.length,
      };
    },
    use_case_get: (id) => this.view(this.mustGet(id)),
    use_case_create: (n) => this.create(n),
    use_case_set_fields: (req) => {
      this.actor();
      const s = this.mustGet(req.id);
      const parsed = Object.entries(req.fields).map(([k, v]) => [k, this.parseField(k, v)] as const);
      this.checkVersion(s, req.expect_version);
      const reached = PATH.indexOf(s.stage === "parked" || s.stage === "retired" ? (s.left_stage ?? "idea") : s.stage);
      if (parsed.some(([k, v]) => k === "realised_benefit" && v !== null) && reached < PATH.indexOf("pilot")) {
        throw invalid("realised_benefit", `a realised benefit is recorded from Pilot on; “${s.title}” is at ${LABEL[s.stage]}`);
      }
      let changed = false;
      for (const [k, v] of parsed) {
        const old = (s as unknown as Record<string, unknown>)[k];
        if (JSON.stringify(old) === JSON.stringify(v)) continue;
        (s as unknown as Record<string, unknown>)[k] = v;
        this.record(s.id, { kind: "field", field: k, old: old ?? null, new: v });
        changed = true;
      }
      if (changed) this.touch(s);
      return this.view(s);
    },
    use_case_set_score: (req) => {
      this.actor();
      if (req.score !== null && (req.score < 1 || req.score > 5)) throw invalid("score", `a score is 1 to 5, not ${req.score}`);
      const s = this.mustGet(req.id);
      this.checkVersion(s, req.expect_version);
      const old = s.raw[req.criterion] ?? null;
      if (old !== req.score) {
        if (req.score === null) delete s.raw[req.criterion];
        else s.raw[req.criterion] = req.score;
        this.rescore(s);
        this.touch(s);
        this.record(s.id, { kind: "score", field: req.criterion, old, new: req.score });
      }
      return this.view(s);
    },
    use_case_set_owner: (req) => {
      this.actor();
      const s = this.mustGet(req.id);
      this.checkVersion(s, req.expect_version);
      const old = s.owners[req.role as OwnerRole];
      const next = req.person ? this.addPerson(req.person).email : null;
      if (old !== next) {
        s.owners[req.role] = next;
        this.touch(s);
        this.record(s.id, { kind: "owner", field: req.role, old, new: next });
      }
      return this.view(s);
    },
    use_case_stage_options: (id) => {
      const s = this.mustGet(id);
      return ALL_STAGES.filter((st) => st !== s.stage).map((st) => this.option(s, st));
    },
    use_case_move_stage: (req) => {
      this.actor();
      const s = this.mustGet(req.id);
      this.checkVersion(s, req.expect_version);
      const o = this.option(s, req.to);
      if (o.kind === null) throw { code: "gate_blocked", message: `“${s.title}” cannot move to ${LABEL[req.to]}: ${o.reason}` } satisfies BackendError;
      if (!o.allowed) {
        const missing = o.gate.filter((g) => !g.met).map((g) => `missing: ${g.label}`);
        throw {
          code: "gate_blocked",
          message: `“${s.title}” cannot move to ${LABEL[req.to]} yet: ${missing.length} requirement(s) missing`,
          details: missing,
        } satisfies BackendError;
      }
      const note = req.note?.trim();
      if (o.needs_note && !note) throw invalid("note", `moving to ${LABEL[req.to]} needs a note saying why`);
      const from = s.stage;
      if (o.kind === "park" || o.kind === "retire") s.left_stage = PATH.includes(s.stage) ? s.stage : s.left_stage;
      else s.left_stage = null;
      s.stage = req.to;
      s.stage_since = now();
      this.touch(s);
      this.record(s.id, { kind: "stage", field: null, old: from, new: req.to, note: note ?? null });
      return this.view(s);
    },
    use_case_history: (id) => {
      const own = this.log.get(id) ?? [];
      if (own.length === 0) this.mustGet(id);
      // The use cases merged into this one bring their history, marked with their title.
      const merged = [...this.useCases.values()]
        .filter((s) => s.merged_into === id)
        .flatMap((s) => (this.log.get(s.id) ?? []).map((e) => ({ ...e, merged_from: s.title })));
      return [...own, ...merged].sort((a, b) => a.at.localeCompare(b.at));
    },
    use_case_timeline: (id) => (this.log.get(id) ?? []).filter((e) => e.kind === "stage"),
    use_case_model_scores: (id) => this.modelScores.get(id) ?? [],
    people_list: () => this.people,
    scoring_model_get: () => this.model,
    scoring_model_save: (m) => {
      this.actor();
      for (const axis of ["value", "feasibility"] as const) {
        if (m[axis].length === 0) throw invalid(axis, `the ${axis} axis needs at least one criterion`);
        for (const c of m[axis]) {
          if (!(c.weight > 0 && c.weight <= 100)) throw invalid(`${axis}.${c.slug}`, `the weight of \`${c.slug}\` must be above 0 and at most 100`);
        }
      }
      this.model = { ...m, version: this.model.version + 1 };
      for (const s of this.useCases.values()) this.rescore(s);
      return this.model;
    },
    gate_rules_get: () => this.rules,
    demo_load: () => {
      this.actor();
      if (this.useCases.size > 0) throw { code: "validation", message: "the demo portfolio loads only into an empty store" } satisfies BackendError;
      return this.loadDemo();
    },
    use_case_set_archived: (req) => {
      this.actor();
      const s = this.mustGet(req.id);
      if (s.archived !== req.archived) {
        s.archived = req.archived;
        this.touch(s);
        this.record(s.id, { kind: req.archived ? "archive" : "unarchive", field: null, old: null, new: null });
      }
      return this.view(s);
    },
    use_case_delete: (id) => {
      this.actor();
      const s = this.mustGet(id);
      this.useCases.delete(id);
      this.modelScores.delete(id);
      this.record(id, { kind: "delete", field: null, old: this.view(s), new: null });
      return null;
    },
    gate_rules_save: (rules) => {
      this.actor();
      this.checkRules(rules);
      const stages = Object.fromEntries(Object.entries(rules.stages).filter(([, reqs]) => reqs.length > 0));
      this.rules = { version: this.rules.version + 1, stages };
      return this.rules;
    },
    preferences_get: () => this.preferences,
    preferences_save: (p) => {
      this.actor();
      if (!(p.stale_after_days >= 1 && p.stale_after_days <= 3650))
        throw invalid("stale_after_days", "the days before a use case counts as stuck are between 1 and 3650");
      const currency = p.currency.trim().toUpperCase();
      if (!/^[A-Z]{3}$/.test(currency)) throw invalid("currency", "a currency is a three-letter ISO code such as EUR, USD or GBP");
      this.preferences = { ...p, currency };
      return this.preferences;
    },
    saved_view_list: () => [...this.views].sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase())),
    saved_view_save: (req) => {
      this.actor();
      const name = req.name.trim();
      if (!name || name.length > 80) throw invalid("name", "a view needs a name of at most 80 characters");
      const query = wholeQuery(req.query);
      // The name is unique ignoring case; replacing keeps the first spelling.
      const existing = this.views.find((v) => v.name.toLowerCase() === name.toLowerCase());
      if (existing) {
        existing.query = query;
        return existing;
      }
      const view = { id: `view-${++this.seq}`, name, query };
      this.views.push(view);
      return view;
    },
    saved_view_delete: (id) => {
      this.actor();
      if (!this.views.some((v) => v.id === id)) throw { code: "not_found", message: `no saved view with id ${id}` } satisfies BackendError;
      this.views = this.views.filter((v) => v.id !== id);
      return null;
    },
    bulk_edit: (req) => {
      this.actor();
      const out: BulkResult = { changed: [], refused: [] };
      for (const id of req.ids) {
        try {
          this.bulkOne(id, req.change);
          out.changed.push(id);
        } catch (e) {
          const err = e as BackendError;
          out.refused.push({ id, title: this.useCases.get(id)?.title ?? "", reason: err.message, details: err.details ?? [] });
        }
      }
      return out;
    },
    store_backup: () => {
      const to = this.nextFile;
      if (to === null) return null;
      if (this.backups.has(to)) throw invalid("file", `${to} already exists; choose a new file name`);
      this.backups.set(to, structuredClone({ people: this.people, useCases: this.useCases, model: this.model, log: this.log, modelScores: this.modelScores }));
      return to;
    },
    export_choose_path: () => this.nextFile,
    export_run: (req) => {
      const format = req.format ?? (req.path.toLowerCase().endsWith(".csv") ? "csv" : "xlsx");
      const { rows } = this.list({ ...req.filters, sort: "title" });
      this.exports.set(req.path, { format, titles: rows.map((r) => r.title) });
      return { path: req.path, format, use_cases: rows.length };
    },
    import_choose_file: () => this.nextFile,
    import_run: (req) => this.importFile(req),
    dashboard_get: () => this.dashboard(),
    sensitivity_get: (top) => {
      const ranked = [...this.useCases.values()]
        .filter((s) => !s.archived)
        .map((s) => ({ s, sc: this.scores(s) }))
        .filter((x) => x.sc.priority !== null)
        .sort((a, b) => b.sc.priority! - a.sc.priority! || b.sc.value_score! - a.sc.value_score! || a.s.title.localeCompare(b.s.title));
      const use_cases = ranked.map(({ s, sc }, i) => {
        const reasons = this.volatile.get(s.id) ?? [];
        return { id: s.id, title: s.title, stage: s.stage, quadrant: sc.quadrant!, rank: i + 1, volatile: reasons.length > 0, reasons };
      });
      return { top, scored: use_cases.length, volatile: use_cases.filter((u) => u.volatile).length, use_cases };
    },
    matrix_get: (filters) => {
      const all = this.list({ ...filters } as ListQuery).rows;
      const points = all
        .filter((r) => r.priority !== null)
        .map((r) => ({
          id: r.id,
          title: r.title,
          stage: r.stage,
          business_unit: r.business_unit,
          value_score: r.value_score!,
          feasibility_score: r.feasibility_score!,
          quadrant: r.quadrant!,
          expected_benefit: r.expected_benefit,
        }));
      return { thresholds: { ...this.model.thresholds }, points, unscored: all.length - points.length };
    },
    kpi_list: (id) => {
      this.mustGet(id);
      return this.kpis.get(id) ?? [];
    },
    kpi_add: (n) => {
      this.actor();
      const s = this.mustGet(n.use_case_id);
      const name = n.name.trim();
      if (!name) throw invalid("name", "a KPI needs a name");
      const list = this.kpis.get(s.id) ?? [];
      if (list.some((k) => k.name.toLowerCase() === name.toLowerCase()))
        throw { code: "conflict", message: `“${s.title}” already has a KPI named “${name}”`, field: "name" } satisfies BackendError;
      if (!Number.isFinite(n.target)) throw invalid("target", "the target must be a number");
      if (n.due && !/^\d{4}-\d{2}-\d{2}$/.test(n.due)) throw invalid("due", `a date is written YYYY-MM-DD, such as 2026-03-31, not \`${n.due}\``);
      const baseline = n.baseline ?? null;
      const direction = n.direction ?? (baseline !== null && n.target < baseline ? "lower" : "higher");
      const k = {
        id: `kpi-${++this.seq}`,
        use_case_id: s.id,
        name,
        unit: n.unit?.trim() ?? "",
        baseline,
        target: n.target,
        direction,
        due: n.due || null,
        created_at: now(),
        actuals: [],
      };
      const kpi: Kpi = { ...k, status: this.kpiStatus(k) };
      this.kpis.set(s.id, [...list, kpi]);
      this.record(s.id, { kind: "kpi", field: name, old: null, new: { target: n.target } });
      return kpi;
    },
    kpi_record: (r) => {
      const actor = this.actor();
      const kpi = [...this.kpis.values()].flat().find((k) => k.id === r.kpi_id);
      if (!kpi) throw { code: "not_found", message: `no KPI with id ${r.kpi_id}` } satisfies BackendError;
      if (!Number.isFinite(r.value)) throw invalid("value", "the value must be a number");
      const on = r.on || new Date(clock).toISOString().slice(0, 10);
      if (!/^\d{4}-\d{2}-\d{2}$/.test(on)) throw invalid("on", `a date is written YYYY-MM-DD, such as 2026-03-31, not \`${on}\``);
      kpi.actuals = [...kpi.actuals.filter((a) => a.on !== on), { on, value: r.value, recorded_by: actor }].sort((a, b) => a.on.localeCompare(b.on));
      kpi.status = this.kpiStatus(kpi);
      this.record(kpi.use_case_id, { kind: "kpi_actual", field: kpi.name, old: null, new: r.value, note: `measured on ${on}` });
      return kpi;
    },
    review_mark: (note) => {
      const actor = this.actor();
      const mark = { id: `mark-${++this.seq}`, at: now(), actor, note: note?.trim() || null };
      this.reviewMarks.push(mark);
      return mark;
    },
    review_changes: () => {
      const since = this.reviewMarks[this.reviewMarks.length - 1];
      if (!since) throw { code: "not_found", message: "no review point has been marked yet; mark one with `portfolio review mark`" } satisfies BackendError;
      const of = (kind: string) => {
        const changes: ReviewChange[] = [];
        for (const [id, entries] of this.log) {
          for (const e of entries) {
            if (e.kind !== kind || e.at <= since.at) continue;
            changes.push({
              use_case_id: id,
              title: this.useCases.get(id)?.title ?? "(deleted)",
              at: e.at,
              actor: e.actor,
              field: e.field,
              old: e.old,
              new: e.new,
              note: e.note,
            });
          }
        }
        changes.sort((a, b) => a.at.localeCompare(b.at));
        return { count: changes.length, changes };
      };
      return { since, new_use_cases: of("create"), stage_moves: of("stage"), score_changes: of("score"), owner_changes: of("owner") };
    },
    chart_save_png: (img) => {
      if (this.nextFile === null) return false;
      if (!img.data_url.startsWith("data:image/png;base64,")) throw invalid("image", "the chart image is not a PNG data URL");
      this.charts.set(this.nextFile, img);
      return true;
    },
    task_cancel: () => {
      const t = this.task;
      this.task = null;
      t?.reject({ code: "cancelled", message: `${t.what} was cancelled; nothing was written` });
      return null;
    },
    pattern_catalogue: () => {
      const sorted = [...this.patterns].sort((a, b) => Number(a.retired) - Number(b.retired) || a.name.toLowerCase().localeCompare(b.name.toLowerCase()));
      const live = [...this.useCases.values()].filter((s) => !s.archived);
      return { patterns: sorted.map((p) => this.patternView(p)), unmapped: live.filter((s) => s.patterns.length === 0).length };
    },
    pattern_add: (p) => {
      this.actor();
      if (this.patterns.some((x) => x.slug === p.slug))
        throw { code: "conflict", message: `there is already a pattern \`${p.slug}\``, field: "slug" } satisfies BackendError;
      const controls = this.checkedControls(p);
      const stored = {
        slug: p.slug,
        name: p.name.trim(),
        description: p.description.trim(),
        components: p.components.map((c) => c.trim()),
        controls,
        retired: false,
        version: 1,
      };
      this.patterns.push(stored);
      return this.patternView(stored);
    },
    pattern_edit: (p) => {
      this.actor();
      const stored = this.mustPattern(p.slug);
      if (p.expect_version !== undefined && p.expect_version !== stored.version) {
        throw {
          code: "stale",
          message: `the pattern \`${p.slug}\` changed since you opened it (you edited version ${p.expect_version}, it is at ${stored.version}); reload it and edit again`,
        } satisfies BackendError;
      }
      const controls = this.checkedControls(p);
      Object.assign(stored, {
        name: p.name.trim(),
        description: p.description.trim(),
        components: p.components.map((c) => c.trim()),
        controls,
        version: stored.version + 1,
      });
      return this.patternView(stored);
    },
    pattern_retire: ({ slug, retired }) => {
      this.actor();
      const stored = this.mustPattern(slug);
      if (stored.retired !== retired) Object.assign(stored, { retired, version: stored.version + 1 });
      return this.patternView(stored);
    },
    use_case_map_pattern: (req) => {
      this.actor();
      const s = this.mustGet(req.use_case_id);
      const p = this.mustPattern(req.pattern_slug);
      const current = s.patterns.find((x) => x.slug === p.slug);
      if (!current && p.retired) throw invalid("pattern", `the pattern \`${p.slug}\` is retired and takes no new use cases (“${s.title}” was not mapped)`);
      // Mapped already as asked: nothing to write. Asking for "other" keeps a primary primary.
      if (current && (current.primary || !req.primary)) return this.view(s);
      const old = current ? "other" : null;
      if (req.primary) for (const x of s.patterns) x.primary = false;
      if (current) current.primary = true;
      else s.patterns.push({ slug: p.slug, primary: req.primary });
      this.touch(s);
      this.record(s.id, { kind: "pattern", field: p.slug, old, new: req.primary ? "primary" : "other" });
      return this.view(s);
    },
    use_case_unmap_pattern: ({ use_case_id: id, pattern_slug: slug }) => {
      this.actor();
      const s = this.mustGet(id);
      const current = s.patterns.find((x) => x.slug === slug);
      if (current) {
        s.patterns = s.patterns.filter((x) => x !== current);
        this.touch(s);
        this.record(s.id, { kind: "pattern", field: slug, old: current.primary ? "primary" : "other", new: null });
      }
      return this.view(s);
    },
    use_case_set_control: (req) => {
      this.actor();
      const note = req.note?.trim() || null;
      const s = this.mustGet(req.use_case_id);
      const controls = this.inherited(s);
      const before = controls.find((c) => c.slug === req.control_slug);
      if (!before) {
        throw invalid(
          "control",
          controls.length === 0
            ? `“${s.title}” inherits no controls: map it to a pattern first`
            : `“${s.title}” does not inherit \`${req.control_slug}\`; its controls are ${controls.map((c) => c.slug).join(", ")}`,
        );
      }
      if (before.status === req.status && before.note === note) return this.view(s);
      s.controls[req.control_slug] = { status: req.status, note };
      this.touch(s);
      this.record(s.id, { kind: "control", field: req.control_slug, old: before.status, new: req.status, note });
      return this.view(s);
    },
    similar_to_draft: (d) => {
      const limit = d.limit ?? 5;
      if (!(limit >= 1 && limit <= 100)) throw invalid("limit", "the limit is between 1 and 100");
      return this.similar(wordSet(d.title, d.problem, d.solution), d.exclude, limit);
    },
    duplicate_pairs: () => {
      const live = [...this.useCases.values()].filter((s) => !s.archived).sort((a, b) => a.id.localeCompare(b.id));
      const pairs: DuplicatePair[] = [];
      live.forEach((a, i) => {
        for (const b of live.slice(i + 1)) {
          const similarity = likeness(wordSet(a.title, a.problem, a.solution), wordSet(b.title, b.problem, b.solution));
          if (similarity >= 0.6) pairs.push({ a: { id: a.id, title: a.title, similarity }, b: { id: b.id, title: b.title, similarity }, similarity });
        }
      });
      return pairs.sort((x, y) => y.similarity - x.similarity || x.a.title.localeCompare(y.a.title)).slice(0, 500);
    },
    use_case_merge: ({ keep_id, other_id }) => this.merge(keep_id, other_id),
    triage_rules: () => triageRules(),
    use_case_triage: (req) => {
      const actor = this.actor();
      const rules = triageRules();
      const unknown = Object.keys(req.answers).find((k) => !rules.questions.some((q) => q.id === k));
      if (unknown) throw invalid("answers", `\`${unknown}\` is not a question of the ${rules.id} rule set (version ${rules.version})`);
      const s = this.mustGet(req.use_case_id);
      const outcome = evaluateTriage(rules, req.answers);
      const before = s.triage;
      const flags = { high_impact: req.high_impact ?? null, personal_data: req.personal_data ?? null };
      s.triage = {
        rule_set: rules.id,
        version: rules.version,
        answers: { ...req.answers },
        outcome,
        ...flags,
        at: now(),
        actor,
        affected: [],
        needs_retriage: false,
      };
      this.record(s.id, {
        kind: "triage",
        field: rules.id,
        old: before?.outcome.tier ?? null,
        new: { tier: outcome.tier, answers: req.answers, ...flags, version: rules.version },
        note: outcome.reasons[0] ?? null,
      });
      this.touch(s);
      return this.view(s);
    },
    sync_status: () => ({
      registry_url: this.sync.url,
      token_saved: this.sync.token !== null,
      registry_user: this.sync.user,
      last_sync_at: this.sync.lastSyncAt,
      last_error: this.sync.lastError,
      pending: this.sync.pending,
      conflicts: this.conflicts.length,
      rejected: this.refused.map(({ registry: _kept, entity_id: _id, ...shown }) => shown),
    }),
    sync_connect: ({ url, token }) => {
      this.actor();
      const address = url.trim();
      if (!/^https?:\/\/\S+$/.test(address))
        throw invalid("registry", `the registry address must start with https:// or http:// (like https://registry.example.org), not \`${url}\``);
      if (!token.trim()) throw { code: "unauthenticated", message: "give the token a registry admin issued to you" } satisfies BackendError;
      const before = { ...this.sync };
      try {
        // The token is saved only once it has worked; a failed connect leaves things as they were.
        return this.syncWith(address, token.trim());
      } catch (e) {
        this.sync = before;
        throw e;
      }
    },
    sync_now: () => {
      const { url, token } = this.sync;
      if (!url || !token)
        throw {
          code: "unauthenticated",
          message: "this desktop is not connected to a registry: connect with its address and a token first",
        } satisfies BackendError;
      return this.syncWith(url, token);
    },
    // The title as it is now (the engine joins the use case).
    sync_conflicts: () => this.conflicts.map((c) => ({ ...c, title: (c.use_case_id && this.useCases.get(c.use_case_id)?.title) || c.title })),
    sync_resolve: ({ conflict_id: id, resolution: how }) => {
      this.actor();
      const c = this.conflicts.find((x) => x.id === id);
      if (!c) throw { code: "not_found", message: `no open conflict ${id}: it may have been settled already` } satisfies BackendError;
      const value = how.take === "mine" ? c.mine : how.take === "theirs" ? c.theirs : this.settledValue(c, how.value);
      if (c.use_case_id) this.writeValue(c.use_case_id, c.kind, c.field, value);
      this.conflicts = this.conflicts.filter((x) => x !== c);
      // Sent at the next sync, where it settles the conflict on the other desktop too.
      this.sync.pending += 1;
      return c;
    },
    sync_revert: (changeId) => {
      this.actor();
      const r = this.refused.find((x) => x.change_id === changeId);
      if (!r) throw { code: "not_found", message: `no refused change ${changeId}` } satisfies BackendError;
      if (r.entity === "pattern" && r.kind === "create") {
        this.patterns = this.patterns.filter((p) => p.slug !== r.entity_id);
      } else if (r.kind === "delete") {
        // Kept here as the registry has it: a test seeds the use case it puts back.
      } else if (r.use_case_id && r.kind === "create") {
        this.useCases.delete(r.use_case_id);
        this.modelScores.delete(r.use_case_id);
      } else if (r.use_case_id) {
        this.writeValue(r.use_case_id, r.kind, r.field, r.registry);
      }
      this.refused = this.refused.filter((x) => x !== r);
      return null;
    },
    store_restore: () => {
      const from = this.nextFile;
      if (from === null) return null;
      const b = this.backups.get(from);
      if (!b) throw { code: "corrupt_store", message: `${from} cannot be restored: it is not an AI Factory Portfolio store` } satisfies BackendError;
      Object.assign(this, structuredClone(b));
      return `:memory:.before-restore-${++this.restores}`;
    },
  };
}

let current = new FakeBackend();

/** Starts each test with a fresh backend (the default identity is set; pass `null` for a first run). */
export function resetBackend(): FakeBackend {
  activate({ invoke: invokeFake, listen: listenFake });
  current = new FakeBackend();
  return current;
}

/** What the mocked `listen` calls. */
export function listenFake(event: string, handler: Listener): Promise<() => void> {
  return Promise.resolve(current.listen(event, handler));
}

/** What the mocked `invoke` calls. */
export function invokeFake(cmd: string, args?: Record<string, unknown>): Promise<unknown> {
  return current.invoke(cmd, args);
}
