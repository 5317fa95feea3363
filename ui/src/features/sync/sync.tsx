// Sync with the registry for the whole app: one sync at a time (button, connect or timer), the periodic sync, and what the last attempt did.
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from "react";

import type { SyncReport } from "../../bindings/SyncReport";
import type { SyncStatus } from "../../bindings/SyncStatus";
import { IpcError } from "../../lib/ipc";
import { useSyncStatus } from "../../lib/queries";
import { useStatusFollowsEdits, useSyncRuns } from "./api";

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

export function SyncProvider({ children }: { children: ReactNode }) {
  const status = useSyncStatus();
  // Each run reads again what it changed (see `useSyncRuns`); here, only who runs when and what the last one did.
  const runs = useSyncRuns();
  const connected = isConnected(status.data);
  const [running, setRunning] = useState(false);
  const [lastError, setLastError] = useState<IpcError | null>(null);
  const inFlight = useRef<Promise<SyncReport> | null>(null);
  // Set once the start-up sync (or a connect, which syncs) has happened: connecting later must not sync twice.
  const started = useRef(false);

  const run = useCallback((job: () => Promise<SyncReport>, { isConnect }: { isConnect: boolean }): Promise<SyncReport> => {
    setRunning(true);
    const p = job()
      .then(
        (report) => {
          setLastError(null);
          return report;
        },
        (e: unknown) => {
          const err = IpcError.from(e);
          // A refused new token is the form's business; the saved one may still work.
          if (!isConnect) setLastError(err);
          throw err;
        },
      )
      .finally(() => {
        inFlight.current = null;
        setRunning(false);
      });
    inFlight.current = p;
    return p;
  }, []);

  const syncNow = useCallback(() => inFlight.current ?? run(runs.syncNow, { isConnect: false }), [run, runs]);

  const connect = useCallback(
    async (url: string, token: string) => {
      if (inFlight.current) await inFlight.current.catch(() => undefined);
      started.current = true;
      return run(() => runs.connect(url, token), { isConnect: true });
    },
    [run, runs],
  );

  useEffect(() => {
    if (!connected) return;
    // A timed sync never starts beside another, and its failure only shows in the status line.
    const tick = () => {
      if (!inFlight.current) run(runs.syncNow, { isConnect: false }).catch(() => undefined);
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
  }, [connected, run, runs]);

  // Edits made here change what is waiting to sync: the status line follows every saved change.
  useStatusFollowsEdits();

  const value = useMemo(() => ({ running, lastError, syncNow, connect }), [running, lastError, syncNow, connect]);
  return <SyncContext.Provider value={value}>{children}</SyncContext.Provider>;
}
