// Use-case's reads and changes of the engine: one use case's own reads (KPIs, history, timeline, triage rules, similar drafts) and every change made from its panel, each with what it invalidates.
import { useMutation, useQueryClient, type QueryClient } from "@tanstack/react-query";

import type { Draft } from "../../bindings/Draft";
import type { MapPattern } from "../../bindings/MapPattern";
import type { Merge } from "../../bindings/Merge";
import type { NewKpi } from "../../bindings/NewKpi";
import type { RecordActual } from "../../bindings/RecordActual";
import type { UnmapPattern } from "../../bindings/UnmapPattern";
import { call } from "../../lib/ipc";
import { apiKey, apiQuery, everythingChanged, forgetUseCase, refreshUseCase, useRead, useUseCaseChange, type ReadOptions } from "../../lib/queries";

// Reads.
export const useKpis = (id: string) => useRead("kpi_list", [id]);
export const useHistory = (id: string) => useRead("use_case_history", [id]);
export const useModelScores = (id: string) => useRead("use_case_model_scores", [id]);
export const useTimeline = (id: string) => useRead("use_case_timeline", [id]);
export const useTriageRules = () => useRead("triage_rules", []);
export const useSimilarToDraft = (draft: Draft, o?: ReadOptions<"similar_to_draft">) => useRead("similar_to_draft", [draft], o);

/** Reads the use case afresh now (whatever the cache holds), e.g. to reload a form refused as stale. */
export function useFetchLatest() {
  const qc = useQueryClient();
  return (id: string) => qc.fetchQuery({ ...apiQuery("use_case_get", id), staleTime: 0 });
}

/** Reads the use case again (after a save refused as stale); resolves once it is read. */
export function useReloadUseCase() {
  const qc = useQueryClient();
  return (id: string) => qc.invalidateQueries({ queryKey: apiKey("use_case_get", id) });
}

// Changes.
export const useCreateUseCase = () => useUseCaseChange("use_case_create");

export const useSetFields = () => useUseCaseChange("use_case_set_fields");

export const useSetScore = () => useUseCaseChange("use_case_set_score");

export const useSetOwner = () => useUseCaseChange("use_case_set_owner");

/** Maps a pattern to the use case (or makes it the primary one), or takes one off. */
export type PatternLink = { map: MapPattern } | { unmap: UnmapPattern };

export function usePatternLink() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (c: PatternLink) => ("map" in c ? call("use_case_map_pattern", c.map) : call("use_case_unmap_pattern", c.unmap)),
    onSuccess: (next) => void refreshUseCase(qc, next),
    // Refused, perhaps because the catalogue changed elsewhere (a pattern retired): offer what is current.
    onError: () => void qc.invalidateQueries({ queryKey: apiKey("pattern_catalogue") }),
  });
}

export const useSetControl = () => useUseCaseChange("use_case_set_control");

export const useRecordTriage = () => useUseCaseChange("use_case_triage");

export const useSetArchived = () => useUseCaseChange("use_case_set_archived");

export function useDeleteUseCase() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => call("use_case_delete", id),
    onSuccess: (_done, id) => void forgetUseCase(qc, id),
  });
}

/** A merge changes both use cases and what is counted everywhere. */
export function useMergeUseCases() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (req: Merge) => call("use_case_merge", req),
    onSuccess: () => void everythingChanged(qc),
  });
}

/** After a KPI changed: its use case's list and history, and the dashboard's KPI figures. */
function kpisChanged(qc: QueryClient, useCaseId: string): Promise<void> {
  return qc.invalidateQueries({
    predicate: (q) => {
      const [cmd, arg] = q.queryKey;
      return cmd === "dashboard_get" || ((cmd === "kpi_list" || cmd === "use_case_history") && arg === useCaseId);
    },
  });
}

export function useAddKpi() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (req: NewKpi) => call("kpi_add", req),
    onSuccess: (_kpi, req) => void kpisChanged(qc, req.use_case_id),
  });
}

export function useRecordActual() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (req: RecordActual) => call("kpi_record", req),
    onSuccess: (kpi) => void kpisChanged(qc, kpi.use_case_id),
  });
}
