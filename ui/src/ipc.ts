// The typed IPC surface: every Tauri command with its request and response, and the error it rejects with.
import { invoke } from "@tauri-apps/api/core";


import type { BulkEdit } from "./bindings/BulkEdit";
import type { Catalogue } from "./bindings/Catalogue";
import type { Conflict } from "./bindings/Conflict";
import type { BulkResult } from "./bindings/BulkResult";
import type { ChartImage } from "./bindings/ChartImage";
import type { Dashboard } from "./bindings/Dashboard";
import type { Draft } from "./bindings/Draft";
import type { DuplicatePair } from "./bindings/DuplicatePair";
import type { Error as BackendError } from "./bindings/Error";
import type { ErrorCode } from "./bindings/ErrorCode";
import type { ExportFormat } from "./bindings/ExportFormat";
import type { ExportRequest } from "./bindings/ExportRequest";
import type { ExportSummary } from "./bindings/ExportSummary";
import type { FilterChoices } from "./bindings/FilterChoices";
import type { Filters } from "./bindings/Filters";
import type { GateRules } from "./bindings/GateRules";
import type { HistoryEntry } from "./bindings/HistoryEntry";
import type { Identity } from "./bindings/Identity";
import type { ImportReport } from "./bindings/ImportReport";
import type { ImportRequest } from "./bindings/ImportRequest";
import type { Kpi } from "./bindings/Kpi";
import type { ListQuery } from "./bindings/ListQuery";
import type { MapPattern } from "./bindings/MapPattern";
import type { Matrix } from "./bindings/Matrix";
import type { ModelScore } from "./bindings/ModelScore";
import type { MoveStage } from "./bindings/MoveStage";
import type { NewKpi } from "./bindings/NewKpi";
import type { NewUseCase } from "./bindings/NewUseCase";
import type { Page } from "./bindings/Page";
import type { Pattern } from "./bindings/Pattern";
import type { PatternInput } from "./bindings/PatternInput";
import type { RecordTriage } from "./bindings/RecordTriage";
import type { Person } from "./bindings/Person";
import type { Preferences } from "./bindings/Preferences";
import type { RecordActual } from "./bindings/RecordActual";
import type { Resolution } from "./bindings/Resolution";
import type { ReviewChanges } from "./bindings/ReviewChanges";
import type { ReviewMark } from "./bindings/ReviewMark";
import type { RuleSet } from "./bindings/RuleSet";
import type { SavedView } from "./bindings/SavedView";
import type { SaveView } from "./bindings/SaveView";
import type { ScoringModel } from "./bindings/ScoringModel";
import type { Sensitivity } from "./bindings/Sensitivity";
import type { Similar } from "./bindings/Similar";
import type { SetArchived } from "./bindings/SetArchived";
import type { SetControl } from "./bindings/SetControl";
import type { SetFields } from "./bindings/SetFields";
import type { SetOwner } from "./bindings/SetOwner";
import type { SetScore } from "./bindings/SetScore";
import type { StageOption } from "./bindings/StageOption";
import type { SyncReport } from "./bindings/SyncReport";
import type { SyncStatus } from "./bindings/SyncStatus";
import type { UseCase } from "./bindings/UseCase";

/** Command name → [request, response], mirroring `src-tauri/src/commands.rs`. `undefined`: no argument. */
export interface Api {
  store_status: [undefined, string];
  identity_get: [undefined, Identity | null];
  identity_set: [Identity, Identity];
  use_case_list: [ListQuery, Page];
  filter_choices: [undefined, FilterChoices];
  use_case_get: [string, UseCase];
  use_case_create: [NewUseCase, UseCase];
  use_case_set_fields: [SetFields, UseCase];
  use_case_set_score: [SetScore, UseCase];
  use_case_set_owner: [SetOwner, UseCase];
  use_case_stage_options: [string, StageOption[]];
  use_case_move_stage: [MoveStage, UseCase];
  use_case_history: [string, HistoryEntry[]];
  use_case_timeline: [string, HistoryEntry[]];
  use_case_model_scores: [string, ModelScore[]];
  people_list: [undefined, Person[]];
  scoring_model_get: [undefined, ScoringModel];
  scoring_model_save: [ScoringModel, ScoringModel];
  gate_rules_get: [undefined, GateRules];
  demo_load: [undefined, number];
  use_case_set_archived: [SetArchived, UseCase];
  /** The use case's history stays in the change log. */
  use_case_delete: [string, null];
  /** Asks where (a native save dialog) and writes a copy there: the path, or null if cancelled. */
  store_backup: [undefined, string | null];
  /** Asks for a backup (a native open dialog) and replaces the store: where the old one was kept, or null if cancelled. */
  store_restore: [undefined, string | null];
  /** Saves as a new version (the request's `version` is ignored). */
  gate_rules_save: [GateRules, GateRules];
  preferences_get: [undefined, Preferences];
  preferences_save: [Preferences, Preferences];
  /** By name. The queries come back whole: empty lists, `false` and `null` where nothing is set. */
  saved_view_list: [undefined, SavedView[]];
  /** A view with the same name is replaced. */
  saved_view_save: [SaveView, SavedView];
  saved_view_delete: [string, null];
  /** Each use case is edited on its own: the result says which changed and why the others did not. */
  bulk_edit: [BulkEdit, BulkResult];
  first_page_shown: [undefined, null];
  /** Asks where to save an export (a native save dialog): the path, or null if cancelled. */
  export_choose_path: [ExportFormat, string | null];
  /** Long: reports `task-progress` events and rejects with `cancelled` after `task_cancel`. */
  export_run: [ExportRequest, ExportSummary];
  /** Asks which file to import (a native open dialog): the path, or null if cancelled. */
  import_choose_file: [undefined, string | null];
  /**
   * Long, like `export_run`. `dry_run` previews and writes nothing; otherwise rows with problems
   * refuse the whole file (`validation`, the problems as details) unless `skip_invalid`.
   */
  import_run: [ImportRequest, ImportReport];
  /** Stops the export or import now running; that call then rejects with `cancelled`. */
  task_cancel: [undefined, null];
  dashboard_get: [undefined, Dashboard];
  /** The request is N, the top-N line of the ranking (10 by default). */
  sensitivity_get: [number, Sensitivity];
  /** Scored use cases the filters allow, highest priority first, and how many are unscored. */
  matrix_get: [Filters, Matrix];
  /** A use case's KPIs (by its id), in the order they were added. */
  kpi_list: [string, Kpi[]];
  /** Refused with `conflict` (field `name`) when the use case has a KPI of that name. */
  kpi_add: [NewKpi, Kpi];
  /** A second value for the same day replaces the first. */
  kpi_record: [RecordActual, Kpi];
  /** Marks a review point now; the request is its optional note. */
  review_mark: [string | null, ReviewMark];
  /** Rejects with `not_found` until a review point is marked. */
  review_changes: [undefined, ReviewChanges];
  /** Asks where (a native save dialog) and writes the PNG: false if cancelled. */
  chart_save_png: [ChartImage, boolean];
  /** Every pattern (retired ones last) with its controls, reuse and stage spread; and how many use cases have none. */
  pattern_catalogue: [undefined, Catalogue];
  /** Refused with `conflict` (field `slug`) when the slug is taken; a new control needs a name. */
  pattern_add: [PatternInput, Pattern];
  /** Replaces name, description, components and controls; `stale` if `expect_version` moved on. */
  pattern_edit: [PatternInput, Pattern];
  /** [slug, retired]: a retired pattern keeps its use cases and takes no new ones. */
  pattern_retire: [[string, boolean], Pattern];
  /** Maps (or makes primary) a pattern; the use case comes back with its patterns and inherited controls. */
  use_case_map_pattern: [MapPattern, UseCase];
  /** [use case id, pattern slug]. */
  use_case_unmap_pattern: [[string, string], UseCase];
  /** Only a control the use case inherits from its patterns. */
  use_case_set_control: [SetControl, UseCase];
  /** The use cases most like a draft being typed (`exclude`: the one being edited), most similar first. */
  similar_to_draft: [Draft, Similar[]];
  /** Likely duplicate pairs (similarity 0.6 or more), most similar first, at most 500. */
  duplicate_pairs: [undefined, DuplicatePair[]];
  /** [keep id, other id]: the other is merged into the one kept, which comes back. */
  use_case_merge: [[string, string], UseCase];
  /** The triage questions with the rule set's version, source, date and disclaimer. */
  triage_rules: [undefined, RuleSet];
  /** Records (replaces) the use case's triage; unknown question ids are refused. */
  use_case_triage: [RecordTriage, UseCase];
  /** Where this desktop stands with the registry: address, saved token, last sync, pending, conflicts, refused changes. */
  sync_status: [undefined, SyncStatus];
  /**
   * [registry address, token]: checks the token (its user must be this desktop's identity), syncs, and only
   * then saves the token in the OS keyring. Refused with `unauthenticated`, `forbidden`, `unreachable`, or
   * `validation` (field `registry`) for an address that is not http(s).
   */
  sync_connect: [[string, string], SyncReport];
  /** Syncs with the saved registry and token. */
  sync_now: [undefined, SyncReport];
  /** The open conflicts. */
  sync_conflicts: [undefined, Conflict[]];
  /** [conflict id, resolution]: written here at once, sent at the next sync. A typed value is refused with `validation` (its field set). */
  sync_resolve: [[string, Resolution], Conflict];
  /** The refused change's id: puts the registry's value back (a refused new use case is removed). */
  sync_revert: [string, null];
}

export type Command = keyof Api;
export type Req<K extends Command> = Api[K][0];
export type Res<K extends Command> = Api[K][1];
/** The arguments after the command name: none for commands without a request. */
export type ReqArgs<K extends Command> = Req<K> extends undefined ? [] : [req: Req<K>];

const CODES: readonly ErrorCode[] = [
  "validation",
  "not_found",
  "gate_blocked",
  "stale",
  "conflict",
  "forbidden",
  "unauthenticated",
  "unreachable",
  "io",
  "corrupt_store",
  "newer_store",
  "limit",
  "cancelled",
];

/**
 * A refused command. `code` is the backend's closed set, or `ipc` when the rejection did
 * not come from the engine at all (e.g. Tauri could not deserialise the arguments).
 */
export class IpcError extends Error {
  readonly code: ErrorCode | "ipc";
  readonly field: string | undefined;
  readonly details: string[];

  constructor(code: ErrorCode | "ipc", message: string, field?: string, details?: string[]) {
    super(message);
    this.name = "IpcError";
    this.code = code;
    this.field = field;
    this.details = details ?? [];
  }

  static from(raw: unknown): IpcError {
    if (raw instanceof IpcError) return raw;
    if (isBackendError(raw)) return new IpcError(raw.code, raw.message, raw.field, raw.details);
    const message = typeof raw === "string" ? raw : raw instanceof Error ? raw.message : "Something went wrong talking to the app's engine.";
    return new IpcError("ipc", message);
  }
}

function isBackendError(raw: unknown): raw is BackendError {
  if (typeof raw !== "object" || raw === null) return false;
  const r = raw as Record<string, unknown>;
  return typeof r.message === "string" && typeof r.code === "string" && (CODES as readonly string[]).includes(r.code);
}

/** Calls one command; rejects with an `IpcError`. */
export async function call<K extends Command>(cmd: K, ...args: ReqArgs<K>): Promise<Res<K>> {
  const req = args[0];
  try {
    return await invoke<Res<K>>(cmd, req === undefined ? {} : { req });
  } catch (raw) {
    throw IpcError.from(raw);
  }
}

/** The error's message beside a given form field, if it belongs to that field. */
export function fieldError(error: unknown, field: string): string | undefined {
  return error instanceof IpcError && error.field === field ? error.message : undefined;
}
