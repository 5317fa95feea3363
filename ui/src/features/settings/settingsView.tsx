// The Settings view: who you are, the registry this desktop syncs with, display preferences, the scoring model and stage gate editors, backup and restore, and the app's log.
import { useState } from "react";

import { Dialog } from "../../components/dialog";
import { ErrorNote } from "../../components/errorNote";
import { GateRulesEditor } from "./gateRulesEditor";
import { IdentityForm } from "./identity";
import { PreferencesForm } from "./preferencesForm";
import { useIdentity, useSyncStatus } from "../../lib/queries";
import { ScoringModelEditor } from "./scoringModelEditor";
import { isConnected } from "../sync";
import { useUndo } from "../../lib/undo";
import { useBackup, useLogFile, useRestore, useShowLogFile, useStoreStatus } from "./api";

export function SettingsView({ onSync }: { onSync: () => void }) {
  const identity = useIdentity();
  const store = useStoreStatus();
  return (
    <section className="view settings" aria-labelledby="settings-heading">
      <header className="view-head">
        <h1 id="settings-heading">Settings</h1>
      </header>
      <section className="card" aria-labelledby="identity-heading">
        <h2 id="identity-heading">You</h2>
        <p className="hint">Your name and email are recorded with every change you make.</p>
        {identity.isSuccess && <IdentityForm key={identity.data?.email ?? "none"} current={identity.data} />}
        <ErrorNote error={identity.error} />
        {store.data && (
          <p className="hint store-path">
            This portfolio is stored in <code>{store.data}</code>
          </p>
        )}
      </section>
      <section className="card" aria-labelledby="registry-heading">
        <RegistrySettings onSync={onSync} />
      </section>
      <section className="card">
        <PreferencesForm />
      </section>
      <section className="card">
        <ScoringModelEditor />
      </section>
      <section className="card">
        <GateRulesEditor />
      </section>
      <section className="card" aria-labelledby="backup-heading">
        <BackupRestore />
      </section>
      <section className="card" aria-labelledby="log-heading">
        <AppLog />
      </section>
    </section>
  );
}

/** Where this desktop syncs, and the way to the Sync view, where the address and token are set. */
function RegistrySettings({ onSync }: { onSync: () => void }) {
  const status = useSyncStatus();
  const s = status.data;
  const connected = isConnected(s);
  return (
    <>
      <h2 id="registry-heading">Registry</h2>
      <ErrorNote error={status.error} />
      {s &&
        (connected ? (
          <p>
            Syncs with <code>{s.registry_url}</code>
            {s.registry_user && <> as {s.registry_user}</>}. The token is kept in this computer&rsquo;s system keyring, never in the portfolio file.
          </p>
        ) : (
          <p className="hint">Not connected. Connect to your organisation&rsquo;s registry to share this portfolio with your colleagues.</p>
        ))}
      <div className="form-actions">
        <button type="button" onClick={onSync}>
          {connected ? "Open Sync" : "Connect…"}
        </button>
      </div>
    </>
  );
}

/** Where the app's log is, and the way to it: what to look at, or send to support, when something went wrong. */
function AppLog() {
  const file = useLogFile();
  const show = useShowLogFile();
  return (
    <>
      <h2 id="log-heading">Log</h2>
      <p className="hint">The app notes what it does and every error in a log file. When something goes wrong, it is what support will ask for.</p>
      {file.data && (
        <p className="hint">
          The log is written to <code>{file.data}</code>
        </p>
      )}
      <div className="actions">
        <button type="button" onClick={() => show.mutate()} disabled={show.isPending}>
          Show the log file
        </button>
      </div>
      <ErrorNote error={file.error ?? show.error} />
    </>
  );
}

function BackupRestore() {
  const undo = useUndo();
  const [confirming, setConfirming] = useState(false);
  const backup = useBackup();
  const restore = useRestore();
  const busy = backup.isPending || restore.isPending;

  const startBackup = () => {
    restore.reset();
    backup.mutate();
  };
  const startRestore = () => {
    setConfirming(false);
    backup.reset();
    restore.mutate(undefined, {
      // The last edit belongs to the store that was replaced.
      onSuccess: (kept) => {
        if (kept !== null) undo.forget();
      },
    });
  };

  let status = "";
  if (backup.isPending) status = "Backing up… choose where to save the backup.";
  else if (restore.isPending) status = "Restoring… choose the backup to restore.";
  return (
    <>
      <h2 id="backup-heading">Backup and restore</h2>
      <p className="hint">
        A backup is a copy of the whole portfolio in one file, taken while you keep working. Restoring one replaces everything in this portfolio.
      </p>
      <div className="actions">
        <button type="button" onClick={startBackup} disabled={busy}>
          Back up…
        </button>
        <button type="button" onClick={() => setConfirming(true)} disabled={busy}>
          Restore…
        </button>
      </div>
      <p className="status" role="status">
        {status}
        {backup.data && (
          <>
            Backed up to <code>{backup.data}</code>
          </>
        )}
        {restore.data && (
          <>
            Restored. The portfolio it replaced is kept at <code>{restore.data}</code>
          </>
        )}
      </p>
      <ErrorNote error={backup.error ?? restore.error} />
      {confirming && (
        <Dialog title="Restore from a backup?" onClose={() => setConfirming(false)} initialFocus="[data-initial]">
          <p className="dialog-text">This replaces the whole portfolio with the backup you choose. The current store is kept beside it.</p>
          <div className="actions">
            <button type="button" data-initial onClick={() => setConfirming(false)}>
              Cancel
            </button>
            <button type="button" className="primary danger" onClick={startRestore}>
              Restore
            </button>
          </div>
        </Dialog>
      )}
    </>
  );
}
