// Server data through TanStack Query: one key per command and argument, the reads several features share, and
// what a change invalidates. A feature's own reads and its changes are hooks in its `api.ts`, built from these.
import { QueryClient, queryOptions, useMutation, useQuery, useQueryClient, type Query, type UseQueryOptions } from "@tanstack/react-query";

import type { ChartImage } from "../bindings/ChartImage";
import type { ListQuery } from "../bindings/ListQuery";
import type { UseCase } from "../bindings/UseCase";
import { call, type Command, type IpcError, type Req, type Res, type ReqArgs } from "./ipc";

/** The query key of a command with its argument: `[cmd]` or `[cmd, req]`. */
export function apiKey<K extends Command>(cmd: K, ...args: ReqArgs<K>): readonly unknown[] {
  return args.length === 0 ? [cmd] : [cmd, args[0]];
}

/** Query options reading one command. */
export function apiQuery<K extends Command>(cmd: K, ...args: ReqArgs<K>) {
  return queryOptions({
    queryKey: apiKey(cmd, ...args),
    queryFn: () => call(cmd, ...args),
  });
}

/** What a read hook may add to its command's query: when it runs, what shows meanwhile, how long it stays fresh. */
export type ReadOptions<K extends Command> = Pick<UseQueryOptions<Res<K>, IpcError>, "enabled" | "placeholderData" | "staleTime">;

/** One command read through the query cache, with the hook's options. */
export function useRead<K extends Command>(cmd: K, args: ReqArgs<K>, options: ReadOptions<K> = {}) {
  return useQuery({ ...apiQuery(cmd, ...args), ...options } as UseQueryOptions<Res<K>, IpcError>);
}

// The reads several features share.
export const usePeople = (o?: ReadOptions<"people_list">) => useRead("people_list", [], o);
export const useIdentity = (o?: ReadOptions<"identity_get">) => useRead("identity_get", [], o);
export const useFilterChoices = (o?: ReadOptions<"filter_choices">) => useRead("filter_choices", [], o);
export const useScoringModel = (o?: ReadOptions<"scoring_model_get">) => useRead("scoring_model_get", [], o);
export const useGateRules = (o?: ReadOptions<"gate_rules_get">) => useRead("gate_rules_get", [], o);
export const useCatalogue = (o?: ReadOptions<"pattern_catalogue">) => useRead("pattern_catalogue", [], o);
/** The stored preferences: read once, then kept fresh by whoever saves them. */
export const useStoredPreferences = () => useRead("preferences_get", [], { staleTime: Infinity });
export const useSyncStatus = (o?: ReadOptions<"sync_status">) => useRead("sync_status", [], o);
export const useSensitivity = (top: number, o?: ReadOptions<"sensitivity_get">) => useRead("sensitivity_get", [top], o);
export const useUseCase = (id: string, o?: ReadOptions<"use_case_get">) => useRead("use_case_get", [id], o);
export const useStageOptions = (id: string, o?: ReadOptions<"use_case_stage_options">) => useRead("use_case_stage_options", [id], o);
export const useUseCaseList = (q: ListQuery, o?: ReadOptions<"use_case_list">) => useRead("use_case_list", [q], o);

/**
 * Saves a chart as a PNG file where the person chooses: true once written, false when they cancelled.
 * `image` draws it first (part of the save: pending while it draws, its failure the save's). Nothing changes.
 */
export const useSaveChartPng = () => useMutation({ mutationFn: async (image: () => Promise<ChartImage>) => call("chart_save_png", await image()) });

/** Stops the export or import now running (that call then rejects with `cancelled`). */
export const cancelTask = () => call("task_cancel");

export function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      // The engine is local and its errors are deterministic: retrying only delays the message.
      queries: { retry: false, refetchOnWindowFocus: false, staleTime: 30_000 },
      mutations: { retry: false },
    },
  });
}

/** Portfolio-wide reads that any change to a use case can alter. */
const PORTFOLIO_READS: readonly Command[] = [
  "use_case_list",
  "filter_choices",
  "people_list",
  "matrix_get",
  "dashboard_get",
  "sensitivity_get",
  "review_changes",
  "pattern_catalogue",
  "duplicate_pairs",
];

/** After a use case changed: take the returned record as is, refetch what depends on it. */
export function refreshUseCase(qc: QueryClient, uc: UseCase): Promise<void> {
  qc.setQueryData(apiKey("use_case_get", uc.id), uc);
  return qc.invalidateQueries({
    predicate: (q: Query) => {
      const [cmd, arg] = q.queryKey;
      if (cmd === "use_case_get") return false;
      return PORTFOLIO_READS.includes(cmd as Command) || arg === uc.id;
    },
  });
}

/** The commands that change one use case and answer with it as it now is. */
type UseCaseChange = { [K in Command]: Res<K> extends UseCase ? (Req<K> extends undefined ? never : K) : never }[Command];

/** A change to one use case: its answer is taken as the use case now, and what depends on it is refetched. */
export function useUseCaseChange<K extends UseCaseChange>(cmd: K) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (req: Req<K>) => call(cmd, ...([req] as ReqArgs<K>)) as Promise<UseCase>,
    onSuccess: (uc: UseCase) => void refreshUseCase(qc, uc),
  });
}

/** After a change that touches everything (demo load, an import, a new scoring model, a restored backup). */
export function everythingChanged(qc: QueryClient): Promise<void> {
  return qc.invalidateQueries();
}

/** After a use case was deleted: forget its own reads (they would only say "not found"), refetch the portfolio. */
export function forgetUseCase(qc: QueryClient, id: string): Promise<void> {
  qc.removeQueries({ predicate: (q: Query) => q.queryKey[1] === id });
  return qc.invalidateQueries({ predicate: (q: Query) => PORTFOLIO_READS.includes(q.queryKey[0] as Command) });
}

/** After a bulk edit: refetch the portfolio and every read of the use cases that changed. */
export function refreshUseCases(qc: QueryClient, ids: readonly string[]): Promise<void> {
  return qc.invalidateQueries({
    predicate: (q: Query) => {
      const [cmd, arg] = q.queryKey;
      return PORTFOLIO_READS.includes(cmd as Command) || (typeof arg === "string" && ids.includes(arg));
    },
  });
}
