// Sync's reads and changes of the engine: syncing and connecting, the conflicts and settling them, reverting refused changes, and the status following every saved edit.
// The sync status, the scoring model, the people and the identity are the shared reads of lib/queries.ts.
import { useMutation, useQueryClient, type QueryClient } from "@tanstack/react-query";
import { useEffect, useMemo } from "react";

import type { Conflict } from "../../bindings/Conflict";
import type { RejectedChange } from "../../bindings/RejectedChange";
import type { Resolution } from "../../bindings/Resolution";
import type { SyncReport } from "../../bindings/SyncReport";
import { call } from "../../lib/ipc";
import { apiKey, everythingChanged, forgetUseCase, refreshUseCases, useRead, type ReadOptions } from "../../lib/queries";

export const useSyncConflicts = (o?: ReadOptions<"sync_conflicts">) => useRead("sync_conflicts", [], o);

/** What the status line and the Sync view read: refetched after each sync, and after settling a conflict or reverting a change. */
export function syncChanged(qc: QueryClient): Promise<void> {
  return qc.invalidateQueries({ predicate: (q) => q.queryKey[0] === "sync_status" || q.queryKey[0] === "sync_conflicts" });
}

/** A settled conflict or a revert about a catalogue pattern changes the catalogue, and every use case's links and controls with it. */
function catalogueChanged(qc: QueryClient, entity: string): Promise<void> | undefined {
  return entity === "pattern" ? everythingChanged(qc) : undefined;
}

/**
 * One sync, and connecting (which saves the address and token, then syncs). Not mutations: the
 * provider runs one at a time and says what the last did. After either, what it changed is read
 * again: everything when it worked (any use case, the people, patterns and settings may have
 * changed), the sync reads when it failed.
 */
export function useSyncRuns(): { syncNow: () => Promise<SyncReport>; connect: (url: string, token: string) => Promise<SyncReport> } {
  const qc = useQueryClient();
  return useMemo(() => {
    const after = (p: Promise<SyncReport>) =>
      p.then(
        (report) => {
          void everythingChanged(qc);
          return report;
        },
        (e: unknown) => {
          void syncChanged(qc);
          throw e;
        },
      );
    return {
      syncNow: () => after(call("sync_now")),
      connect: (url: string, token: string) => after(call("sync_connect", { url, token })),
    };
  }, [qc]);
}

/** Edits made here change what is waiting to sync: the status follows every saved change. */
export function useStatusFollowsEdits(): void {
  const qc = useQueryClient();
  useEffect(
    () =>
      qc.getMutationCache().subscribe((e) => {
        if (e.type === "updated" && e.action.type === "success") void qc.invalidateQueries({ queryKey: apiKey("sync_status") });
      }),
    [qc],
  );
}

/** Sync now from the Sync view: the provider's sync (joined if one runs), kept for the summary of what it did. */
export const useSyncNow = (syncNow: () => Promise<SyncReport>) => useMutation({ mutationFn: () => syncNow() });

/** Connecting from the form: the provider's connect, kept for the error beside the address or the token. */
export const useConnect = (connect: (url: string, token: string) => Promise<SyncReport>) =>
  useMutation({ mutationFn: (v: { url: string; token: string }) => connect(v.url, v.token) });

/**
 * Settles a conflict; pending until the sync reads, its use case and (for a pattern) everything are
 * read again. `onSettled` (what the screen says) runs first: the conflict's card goes with that read.
 */
export function useResolveConflict(c: Conflict, onSettled: (how: Resolution) => void) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (how: Resolution) => call("sync_resolve", { conflict_id: c.id, resolution: how }),
    onSuccess: (_, how) => {
      onSettled(how);
      return Promise.all([syncChanged(qc), c.use_case_id ? refreshUseCases(qc, [c.use_case_id]) : undefined, catalogueChanged(qc, c.entity)]);
    },
  });
}

/** Whether reverting a refused change removes its subject: a use case or pattern the registry refused as new. */
export function revertRemoves(r: RejectedChange): boolean {
  return r.kind === "create" && Boolean(r.use_case_id || r.entity === "pattern");
}

/**
 * Reverts a change the registry refused; pending until the sync reads and what it was about are read
 * again (or forgotten, when it goes). `onReverted` (what the screen says) runs first, as they are read.
 */
export function useRevertChange(onReverted: (r: RejectedChange) => void) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (r: RejectedChange) => call("sync_revert", r.change_id),
    onSuccess: (_, r) => {
      onReverted(r);
      const own = r.use_case_id ? (revertRemoves(r) ? forgetUseCase(qc, r.use_case_id) : refreshUseCases(qc, [r.use_case_id])) : undefined;
      return Promise.all([syncChanged(qc), own, catalogueChanged(qc, r.entity)]);
    },
  });
}
