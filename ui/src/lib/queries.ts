// Server data through TanStack Query: one key per command and argument, and what each mutation invalidates.
import { QueryClient, queryOptions, type Query } from "@tanstack/react-query";

import type { UseCase } from "../bindings/UseCase";
import { call, type Command, type ReqArgs } from "./ipc";

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
