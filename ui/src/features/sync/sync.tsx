// Sync with the registry for the whole app: one sync at a time (button, connect or timer), the periodic sync, and what the last attempt did.
import { useQuery, useQueryClient, type QueryClient } from "@tanstack/react-query";
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from "react";

import type { SyncReport } from "../../bindings/SyncReport";
import type { SyncStatus } from "../../bindings/SyncStatus";
import { call, IpcError } from "../../lib/ipc";
import { apiKey, apiQuery, everythingChanged } from "../../lib/queries";

/** How often a connected desktop syncs on its own. */
export const SYNC_EVERY_MS = 5 * 60_000;
/** The first sync after the app starts: late enough that the first page is not kept waiting. */
export const FIRST_SYNC_AFTER_MS = 3_000;

/** A registry address and a saved token: the desktop can sync without asking anything. */
export function isConnected(s: SyncStatus | undefined): s is SyncStatus & { registry_url: string } {
  return Boolean(s?.registry_url && s.token_saved);
}

interface SyncState {
  /** A sync (or a connect) is running now. */
  running: boolean;
  /** Why the last sync failed, when it did (cleared by the next that works); a failed connect is not counted. */
  lastError: IpcError | null;
  /** Syncs now, or joins the sync already running. */
  syncNow: () => Promise<SyncReport>;
  /** Connects with a new address and token (after any sync running), which syncs too. */
  connect: (url: string, token: string) => Promise<SyncReport>;
}

const SyncContext = createContext<SyncState | null>(null);

export function useSync(): SyncState {
  const s = useContext(SyncContext);
  if (!s) throw new Error("useSync needs a SyncProvider around it");
  return s;
}

/** What the status line and the Sync view read: refetched after each sync, and after settling a conflict or reverting a change. */
export function syncChanged(qc: QueryClient): Promise<void> {
  return qc.invalidateQueries({ predicate: (q) => q.queryKey[0] === "sync_status" || q.queryKey[0] === "sync_conflicts" });
}

export function SyncProvider({ children }: { children: ReactNode }) {
  const qc = useQueryClient();
  const status = useQuery(apiQuery("sync_status"));
  const connected = isConnected(status.data);
  const [running, setRunning] = useState(false);
  const [lastError, setLastError] = useState<IpcError | null>(null);
  const inFlight = useRef<Promise<SyncReport> | null>(null);
  // Set once the start-up sync (or a connect, which syncs) has happened: connecting later must not sync twice.
  const started = useRef(false);

  const run = useCallback(
    (job: () => Promise<SyncReport>, { isConnect }: { isConnect: boolean }): Promise<SyncReport> => {
      setRunning(true);
      const p = job()
        .then(
          (report) => {
            setLastError(null);
            // A sync can change any use case, and the people, patterns and settings with them.
            void everythingChanged(qc);
            return report;
          },
          (e: unknown) => {
            const err = IpcError.from(e);
            // A refused new token is the form's business; the saved one may still work.
            if (!isConnect) setLastError(err);
            void syncChanged(qc);
            throw err;
          },
        )
        .finally(() => {
          inFlight.current = null;
          setRunning(false);
        });
      inFlight.current = p;
      return p;
    },
    [qc],
  );

  const syncNow = useCallback(() => inFlight.current ?? run(() => call("sync_now"), { isConnect: false }), [run]);

  const connect = useCallback(
    async (url: string, token: string) => {
      if (inFlight.current) await inFlight.current.catch(() => undefined);
      started.current = true;
      return run(() => call("sync_connect", { url, token }), { isConnect: true });
    },
    [run],
  );

  useEffect(() => {
    if (!connected) return;
    // A timed sync never starts beside another, and its failure only shows in the status line.
    const tick = () => {
      if (!inFlight.current) run(() => call("sync_now"), { isConnect: false }).catch(() => undefined);
    };
    const first = started.current
      ? undefined
      : setTimeout(() => {
          started.current = true;
          tick();
        }, FIRST_SYNC_AFTER_MS);
    const every = setInterval(tick, SYNC_EVERY_MS);
    return () => {
      clearTimeout(first);
      clearInterval(every);
    };
  }, [connected, run]);

  // Edits made here change what is waiting to sync: the status line follows every saved change.
  useEffect(
    () =>
      qc.getMutationCache().subscribe((e) => {
        if (e.type === "updated" && e.action.type === "success") void qc.invalidateQueries({ queryKey: apiKey("sync_status") });
      }),
    [qc],
  );

  const value = useMemo(() => ({ running, lastError, syncNow, connect }), [running, lastError, syncNow, connect]);
  return <SyncContext.Provider value={value}>{children}</SyncContext.Provider>;
}
