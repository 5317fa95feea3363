// Portfolio's reads and changes of the engine: the table's pages, saved views, bulk edits, the demo portfolio and the first-page signal.
import { useMutation, useQueries, useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";

import type { BulkEdit } from "../../bindings/BulkEdit";
import type { ListQuery } from "../../bindings/ListQuery";
import type { Page } from "../../bindings/Page";
import type { SaveView } from "../../bindings/SaveView";
import { call } from "../../lib/ipc";
import { apiKey, apiQuery, everythingChanged, refreshUseCases, useRead, type ReadOptions } from "../../lib/queries";

/** Several pages of the list at once (the table's pages other than the first that the visible rows need). */
export function useListPages(queries: readonly ListQuery[]) {
  return useQueries({ queries: queries.map((q) => apiQuery("use_case_list", q)) });
}

/** A page of the list fetched at some point (on screen or scrolled past), from the query cache; nothing is fetched. */
export function useLoadedListPage(): (q: ListQuery) => Page | undefined {
  const qc = useQueryClient();
  return useCallback((q: ListQuery) => qc.getQueryData<Page>(apiKey("use_case_list", q)), [qc]);
}

/** Tells the shell the first page is painted (for `portfolio bench --app`); a failure is of no interest. */
export function reportFirstPageShown(): void {
  void call("first_page_shown").catch(() => undefined);
}

export const useSavedViews = (o?: ReadOptions<"saved_view_list">) => useRead("saved_view_list", [], o);

/** Saves (or replaces, by name) a view. */
export function useSaveView() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (req: SaveView) => call("saved_view_save", req),
    onSuccess: () => void qc.invalidateQueries({ queryKey: apiKey("saved_view_list") }),
  });
}

/** Deletes a saved view, by id. */
export function useDeleteView() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => call("saved_view_delete", id),
    onSuccess: () => void qc.invalidateQueries({ queryKey: apiKey("saved_view_list") }),
  });
}

/** One change to many use cases; refetches the portfolio and the reads of every use case it changed or refused. */
export function useBulkEdit() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (req: BulkEdit) => call("bulk_edit", req),
    onSuccess: (result) => void refreshUseCases(qc, [...result.changed, ...result.refused.map((r) => r.id)]),
  });
}

/** Loads the demo portfolio: everything changes. */
export function useLoadDemo() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => call("demo_load"),
    onSuccess: () => everythingChanged(qc),
  });
}
