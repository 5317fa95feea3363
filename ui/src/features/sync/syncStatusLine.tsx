// The sync status in the top bar, in every view: connected or not, syncing, offline, last sync, what waits and what needs a look.
import type { ReactNode } from "react";

import type { SyncStatus } from "../../bindings/SyncStatus";
import { count, plural } from "../../lib/format";
import { Moment, usePreferences } from "../../lib/preferences";
import { useSyncStatus } from "../../lib/queries";
import { isConnected, useSync } from "./sync";
import "./syncView.css";

/** Conflicts, refused changes and the registry's changes set aside here: what someone has to look at. */
export function needsAttention(s: SyncStatus | undefined): number {
  return s ? s.conflicts + s.rejected.length + s.set_aside.length : 0;
}

/** "1 conflict · 2 refused · 1 set aside", or nothing. */
export function attentionText(s: SyncStatus): string {
  const parts: string[] = [];
  if (s.conflicts > 0) parts.push(plural(s.conflicts, "conflict", "conflicts"));
  if (s.rejected.length > 0) parts.push(`${count(s.rejected.length)} refused`);
  if (s.set_aside.length > 0) parts.push(`${count(s.set_aside.length)} set aside`);
  return parts.join(" · ");
}

export function SyncStatusLine({ onOpen }: { onOpen: () => void }) {
  const status = useSyncStatus();
  const { running, lastError } = useSync();
  const prefs = usePreferences();

  const s = status.data;
  const connected = isConnected(s);
  let state: ReactNode;
  let tone = "";
  let title: string | undefined;
  if (status.error) {
    state = "Sync status unknown";
    tone = "bad";
  } else if (!s) {
    state = "Checking sync…";
  } else if (!connected) {
    state = "Not connected";
  } else if (running) {
    state = "Syncing…";
  } else if (lastError?.code === "unreachable") {
    state = "Offline — will retry";
    tone = "bad";
    title = lastError.message;
  } else if (lastError || s.last_error) {
    state = "Sync failed";
    tone = "bad";
    title = lastError?.message ?? s.last_error ?? undefined;
  } else if (s.last_sync_at) {
    state = (
      <>
        Synced <Moment at={s.last_sync_at} format={prefs.date_format} />
      </>
    );
  } else {
    state = "Not synced yet";
  }
  const attention = s ? attentionText(s) : "";

  return (
    <div className="sync-line" role="status" aria-live="polite" aria-label="Sync status">
      <button type="button" className="sync-line-button" onClick={onOpen} title={title}>
        <span className={tone ? `sync-state ${tone}` : "sync-state"}>{state}</span>
        {/* Spaces between the parts, so the button's name reads as words where the layout puts them on lines. */}
        {connected && s.pending > 0 && (
          <>
            {" "}
            <span className="sync-pending">{count(s.pending)} waiting to sync</span>
          </>
        )}
        {attention && (
          <>
            {" "}
            <span className="sync-attention">{attention}</span>
          </>
        )}
      </button>
    </div>
  );
}
