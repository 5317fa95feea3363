// The Sync view: connecting to the registry (address and token), syncing now, settling conflicts, and reverting changes the registry refused.
import { useMemo, useState, type FormEvent } from "react";

import type { ControlState } from "../../bindings/ControlState";
import type { Conflict } from "../../bindings/Conflict";
import type { RejectedChange } from "../../bindings/RejectedChange";
import type { Resolution } from "../../bindings/Resolution";
import type { SetAside } from "../../bindings/SetAside";
import type { SyncReport } from "../../bindings/SyncReport";
import type { SyncStatus } from "../../bindings/SyncStatus";
import { ErrorNote } from "../../components/errorNote";
import { count, indexPeople, money, personName, plural, type PeopleIndex } from "../../lib/format";
import { IpcError } from "../../lib/ipc";
import { Moment, usePreferences } from "../../lib/preferences";
import { useIdentity, usePeople, useScoringModel, useSyncStatus } from "../../lib/queries";
import { revertRemoves, useConnect, useResolveConflict, useRevertChange, useSyncConflicts, useSyncNow } from "./api";
import { isConnected, SYNC_EVERY_MS, useSync } from "./sync";
import "./syncView.css";
import { FieldNotes, TextField } from "../../components/textField";
import { CONTROL_STATE_LABEL, FIELD_LABEL, OWNER_ROLE_LABEL, STAGE_LABEL, STAGES } from "../../lib/vocabulary";

const MONEY_FIELDS = ["expected_benefit", "expected_cost", "realised_benefit"];
const LIST_FIELDS = ["data_sources", "tags"];
const numbers = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });

/** What a change to a catalogue pattern is about: the whole pattern, or whether it is retired. */
const PATTERN_SUBJECT: Record<string, string> = { create: "New pattern", field: "Pattern", retire: "Retired", unretire: "Brought back" };

/** What one change or conflict is about, in words: the field, the owner role, the criterion, the stage. */
function subject(entity: string, kind: string, field: string | null, criteria: ReadonlyMap<string, string>): string {
  if (entity === "pattern") return PATTERN_SUBJECT[kind] ?? "Pattern";
  switch (kind) {
    case "field":
      if (!field) return "A field";
      return FIELD_LABEL[field] ?? (field.startsWith("attr.") ? field.slice(5) : field);
    case "owner":
      return (field && OWNER_ROLE_LABEL[field as keyof typeof OWNER_ROLE_LABEL]) || `Owner (${field ?? "?"})`;
    case "score":
      return `Score: ${criteria.get(field ?? "") ?? field ?? "a criterion"}`;
    case "stage":
      return "Stage";
    case "archive":
    case "unarchive":
      return "Archived";
    case "pattern":
      return `Pattern ${field ?? ""}`.trim();
    case "control":
      return `Control ${field ?? ""}`.trim();
    case "triage":
      return "Risk triage";
    case "model":
      return "Scoring model";
    case "gate_rules":
      return "Gate rules";
    case "create":
      return "New use case";
    case "delete":
      return "Deletion";
    default:
      return field ? `${kind}: ${field}` : kind;
  }
}

interface ShowContext {
  currency: string;
  people: PeopleIndex;
}

/** A catalogue pattern as its change carries it: its name, components and controls. */
function showPattern(v: { name?: unknown; components?: unknown; controls?: unknown; control_names?: unknown }): string {
  const names = (v.control_names ?? {}) as Record<string, string>;
  const components = Array.isArray(v.components) ? v.components.length : 0;
  const controls = Array.isArray(v.controls) ? v.controls.map((c) => names[String(c)] ?? String(c)) : [];
  return [
    String(v.name ?? "(no name)"),
    plural(components, "component", "components"),
    controls.length ? `controls: ${controls.join(", ")}` : "no controls",
  ].join(" · ");
}

/** A value as people read it; nothing at all says so, rather than leaving a gap. */
function show(v: unknown, entity: string, kind: string, field: string | null, ctx: ShowContext): string {
  if (v === null || v === undefined || v === "" || (Array.isArray(v) && v.length === 0)) return "(empty)";
  if (entity === "pattern" && typeof v === "object" && !Array.isArray(v)) return showPattern(v);
  if (Array.isArray(v)) return v.map((x) => (typeof x === "string" ? x : JSON.stringify(x))).join(", ");
  if (kind === "stage" && typeof v === "string" && v in STAGE_LABEL) return STAGE_LABEL[v as keyof typeof STAGE_LABEL];
  if (kind === "archive" && typeof v === "boolean") return v ? "Archived" : "Not archived";
  if (kind === "pattern" && typeof v === "string") return v === "primary" ? "Mapped, as the primary pattern" : "Mapped";
  if (kind === "control" && typeof v === "string") return v in CONTROL_STATE_LABEL ? CONTROL_STATE_LABEL[v as ControlState] : v;
  if (kind === "triage" && typeof v === "object" && "tier" in v) return `Tier: ${String((v as { tier: unknown }).tier)}`;
  if (kind === "model" || kind === "gate_rules") return "A saved version (open Settings to compare)";
  if (kind === "owner" && typeof v === "string") {
    const name = personName(v, ctx.people);
    return name === v ? v : `${name} (${v})`;
  }
  if (typeof v === "number") return field && MONEY_FIELDS.includes(field) ? money(v, ctx.currency) : numbers.format(v);
  if (typeof v === "boolean") return v ? "Yes" : "No";
  if (typeof v === "string") return v;
  return JSON.stringify(v);
}

/** A value as the edit box starts with it: what would be typed to get it. */
function asTyped(v: unknown): string {
  if (v === null || v === undefined) return "";
  if (Array.isArray(v)) return v.join(", ");
  return typeof v === "string" ? v : JSON.stringify(v);
}

/** One sync's outcome in a line: "Pushed 3, pulled 5." and what needs a look. */
function reportText(r: SyncReport): string {
  let text = `Pushed ${count(r.pushed)}, pulled ${count(r.pulled)}.`;
  if (r.rejected.length > 0) text += ` The registry refused ${plural(r.rejected.length, "change", "changes")}: see below.`;
  if (r.conflicts > 0) text += ` ${plural(r.conflicts, "conflict", "conflicts")} to settle.`;
  if (r.set_aside.length > 0)
    text += ` ${plural(r.set_aside.length, "change", "changes")} from the registry could not be applied here and ${r.set_aside.length === 1 ? "was" : "were"} set aside: see below.`;
  return text;
}

/** Where a conflict's or a refusal's subject leads: its use case, or the pattern catalogue. */
export interface SubjectLinks {
  onOpen: (id: string) => void;
  onPatterns: () => void;
}

/** What a conflict or a refusal is about, as a link to it where there is one. */
function SubjectLink({ of, title, links }: { of: { entity: string; use_case_id: string | null }; title: string; links: SubjectLinks }) {
  const go = of.use_case_id ? () => links.onOpen(of.use_case_id!) : of.entity === "pattern" ? links.onPatterns : null;
  return go ? (
    <button type="button" className="link-button" onClick={go}>
      {title}
    </button>
  ) : (
    <span>{title}</span>
  );
}

export function SyncView(links: SubjectLinks) {
  const status = useSyncStatus();
  const model = useScoringModel();
  const people = usePeople();
  const prefs = usePreferences();
  const criteria = useMemo(() => new Map([...(model.data?.value ?? []), ...(model.data?.feasibility ?? [])].map((c) => [c.slug, c.name])), [model.data]);
  const ctx = useMemo(() => ({ currency: prefs.currency, people: indexPeople(people.data) }), [prefs.currency, people.data]);

  return (
    <section className="view sync" aria-labelledby="sync-heading">
      <header className="view-head">
        <h1 id="sync-heading">Sync</h1>
      </header>
      <p className="hint">Sync shares this portfolio with your organisation&rsquo;s registry: your changes go up, your colleagues&rsquo; come down.</p>
      {status.isLoading && <p className="loading">Loading the sync status…</p>}
      <ErrorNote error={status.error} />
      {status.data && (
        <>
          <Connection status={status.data} />
          <Conflicts links={links} criteria={criteria} ctx={ctx} />
          <Refused rejected={status.data.rejected} links={links} criteria={criteria} />
          {status.data.set_aside.length > 0 && <SetAsideChanges all={status.data.set_aside} links={links} criteria={criteria} />}
        </>
      )}
    </section>
  );
}

function Connection({ status }: { status: SyncStatus }) {
  const connected = isConnected(status);
  const [replacing, setReplacing] = useState(false);
  const [connectedWith, setConnectedWith] = useState<SyncReport | null>(null);

  return (
    <section className="card" aria-labelledby="sync-connection-heading">
      <h2 id="sync-connection-heading">Registry</h2>
      {connected && !replacing ? (
        <>
          <Connected status={status} connectedWith={connectedWith} onReplace={() => setReplacing(true)} />
        </>
      ) : (
        <ConnectForm
          initialUrl={status.registry_url ?? ""}
          onCancel={connected ? () => setReplacing(false) : undefined}
          onConnected={(report) => {
            setReplacing(false);
            setConnectedWith(report);
          }}
        />
      )}
    </section>
  );
}

/** `connectedWith`: what connecting did, said until the next sync says what it did. */
function Connected({
  status,
  connectedWith,
  onReplace,
}: {
  status: SyncStatus & { registry_url: string };
  connectedWith: SyncReport | null;
  onReplace: () => void;
}) {
  const sync = useSync();
  const prefs = usePreferences();
  const identity = useIdentity();
  // Only for the summary: errors (this one's or a timed sync's) are the provider's, so a later success clears them.
  const now = useSyncNow(sync.syncNow);
  const user = status.registry_user ?? identity.data?.email;
  const failure = sync.lastError;

  return (
    <>
      <p className="sync-where">
        Connected to <code>{status.registry_url}</code>
        {user && <> as {user}</>}
      </p>
      <dl className="sync-facts">
        <div>
          <dt>Last sync</dt>
          <dd>{status.last_sync_at ? <Moment at={status.last_sync_at} format={prefs.date_format} /> : "Not yet"}</dd>
        </div>
        <div>
          <dt>Waiting to sync</dt>
          <dd>{plural(status.pending, "change", "changes")}</dd>
        </div>
      </dl>
      {failure ? (
        <ErrorNote error={failure}>
          {failure.code === "unreachable" && <p className="hint">It tries again every {SYNC_EVERY_MS / 60_000} minutes; your changes wait here until then.</p>}
          {failure.code === "unauthenticated" && <p className="hint">The saved token no longer works: ask a registry admin for a new one, then use it here.</p>}
        </ErrorNote>
      ) : (
        status.last_error && <p className="status bad">The last sync failed: {status.last_error}</p>
      )}
      <div className="form-actions">
        <button type="button" className="primary" disabled={sync.running} onClick={() => now.mutate()}>
          {sync.running ? "Syncing…" : "Sync now"}
        </button>
        <button type="button" className="link-button" onClick={onReplace}>
          Use another token…
        </button>
        {!failure && (now.data || connectedWith) && (
          <span className="status ok" role="status">
            {now.data ? reportText(now.data) : `Connected. ${reportText(connectedWith!)}`}
          </span>
        )}
      </div>
      <p className="hint">It also syncs by itself every {SYNC_EVERY_MS / 60_000} minutes while the app is open.</p>
    </>
  );
}

function ConnectForm({ initialUrl, onConnected, onCancel }: { initialUrl: string; onConnected: (r: SyncReport) => void; onCancel?: () => void }) {
  const sync = useSync();
  const identity = useIdentity();
  const [url, setUrl] = useState(initialUrl);
  const [token, setToken] = useState("");
  const [local, setLocal] = useState<{ registry?: string; token?: string }>({});
  const connect = useConnect(sync.connect);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const errors: typeof local = {};
    if (!url.trim()) errors.registry = "Give the registry’s address, like https://registry.example.org.";
    if (!token.trim()) errors.token = "Paste the token a registry admin gave you.";
    setLocal(errors);
    if (!errors.registry && !errors.token)
      connect.mutate(
        { url: url.trim(), token: token.trim() },
        {
          onSuccess: (report) => {
            // The token lives in the keyring now; nothing of it stays on screen.
            setToken("");
            onConnected(report);
          },
        },
      );
  };

  const err = connect.error instanceof IpcError ? connect.error : null;
  // Which field a refusal belongs beside: a bad or unreachable address, or a token refused or issued to someone else.
  const byAddress = err && (err.field === "registry" || err.code === "unreachable") ? err.message : undefined;
  const byToken = err && !byAddress && (err.field === "token" || err.code === "unauthenticated" || err.code === "forbidden") ? err.message : undefined;
  const other = err && !byAddress && !byToken ? err : null;
  const me = identity.data?.email;

  return (
    <form className="form narrow" onSubmit={submit} noValidate aria-label="Connect to a registry">
      <p className="hint">
        Connect with the registry&rsquo;s address and a token. A registry admin gives out tokens; the token is kept in this computer&rsquo;s system keyring,
        never in the portfolio file.
      </p>
      <TextField
        id="sync-registry"
        label="Registry address"
        error={local.registry ?? byAddress}
        hint="Like https://registry.example.org"
        value={url}
        onChange={(e) => {
          setUrl(e.target.value);
          setLocal((l) => ({ ...l, registry: undefined }));
        }}
        type="url"
        autoComplete="url"
        spellCheck={false}
      />
      <TextField
        id="sync-token"
        label="Token"
        error={local.token ?? byToken}
        hint={me ? `It must be issued to you (${me}): your changes reach the registry under it.` : undefined}
        value={token}
        onChange={(e) => {
          setToken(e.target.value);
          setLocal((l) => ({ ...l, token: undefined }));
        }}
        type="password"
        autoComplete="off"
        spellCheck={false}
      />
      <ErrorNote error={other} />
      <div className="form-actions">
        <button type="submit" className="primary" disabled={connect.isPending}>
          {connect.isPending ? "Connecting…" : "Connect"}
        </button>
        {onCancel && (
          <button type="button" onClick={onCancel} disabled={connect.isPending}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}

function Conflicts({ links, criteria, ctx }: { links: SubjectLinks; criteria: ReadonlyMap<string, string>; ctx: ShowContext }) {
  const conflicts = useSyncConflicts();
  const [notice, setNotice] = useState<string | null>(null);
  const list = conflicts.data ?? [];

  return (
    <section className="card" aria-labelledby="sync-conflicts-heading">
      <h2 id="sync-conflicts-heading">Conflicts {conflicts.data && <span className="count">{count(list.length)}</span>}</h2>
      <p className="hint">The same thing was changed here and on another desktop between two syncs. Choose what stays; your choice is sent at the next sync.</p>
      <ErrorNote error={conflicts.error} />
      {notice && (
        <p className="status ok" role="status">
          {notice}
        </p>
      )}
      {conflicts.data && list.length === 0 && <p className="muted">No conflicts.</p>}
      {list.length > 0 && (
        <ul className="sync-conflicts">
          {list.map((c) => (
            <ConflictCard key={c.id} conflict={c} links={links} label={subject(c.entity, c.kind, c.field, criteria)} ctx={ctx} onSettled={setNotice} />
          ))}
        </ul>
      )}
    </section>
  );
}

const SETTLED: Record<Resolution["take"], string> = { mine: "Kept yours", theirs: "Took theirs", value: "Saved your new value" };

function ConflictCard({
  conflict: c,
  label,
  ctx,
  links,
  onSettled,
}: {
  conflict: Conflict;
  label: string;
  ctx: ShowContext;
  links: SubjectLinks;
  onSettled: (notice: string) => void;
}) {
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(asTyped(c.mine));
  const title = c.title ?? c.use_case_id ?? "A use case";
  // Said by the list, which stays: this card goes once the conflicts are read again.
  const resolve = useResolveConflict(c, (how) =>
    onSettled(`${SETTLED[how.take]} for ${label} of “${title}”. It will be sent to the registry at the next sync.`),
  );
  const inputId = `conflict-${c.id}-value`;
  // A typed value the engine refuses is about that value, whichever name the engine gives its field.
  const valueError = resolve.error instanceof IpcError && resolve.error.code === "validation" ? resolve.error.message : undefined;
  const otherError = resolve.error && !valueError ? resolve.error : null;
  // Whole records (a triage, a model, the gate rules, a catalogue pattern) are settled by keeping one side.
  const canEdit = c.entity !== "pattern" && !["archive", "triage", "model", "gate_rules", "pattern"].includes(c.kind);

  const save = (e: FormEvent) => {
    e.preventDefault();
    resolve.mutate({ take: "value", value: text });
  };
  const hint =
    c.kind === "score"
      ? "A whole number from 1 to 5."
      : c.kind === "owner"
        ? "Their email address; leave empty for nobody."
        : c.field && MONEY_FIELDS.includes(c.field)
          ? `An amount in ${ctx.currency}.`
          : c.field && LIST_FIELDS.includes(c.field)
            ? "Separate with commas."
            : undefined;

  return (
    <li className="sync-conflict" aria-label={`${title}: ${label}`}>
      <div className="sync-conflict-head">
        <SubjectLink of={c} title={title} links={links} />
        <span className="sync-subject">{label}</span>
      </div>
      <dl className="sync-values">
        <div>
          <dt>Yours</dt>
          <dd>{show(c.mine, c.entity, c.kind, c.field, ctx)}</dd>
        </div>
        <div>
          <dt>Theirs (by {c.theirs_actor})</dt>
          <dd>{show(c.theirs, c.entity, c.kind, c.field, ctx)}</dd>
        </div>
      </dl>
      <p className="hint">Before: {show(c.base, c.entity, c.kind, c.field, ctx)}</p>
      {editing ? (
        <form className="form sync-edit" onSubmit={save} noValidate>
          {c.kind === "stage" ? (
            <div className="field">
              <label htmlFor={inputId}>New value for {label}</label>
              <select
                id={inputId}
                value={text}
                onChange={(e) => setText(e.target.value)}
                aria-invalid={Boolean(valueError)}
                aria-describedby={valueError ? `${inputId}-error` : undefined}
              >
                {!STAGES.includes(text as (typeof STAGES)[number]) && <option value={text}>{text || "(choose a stage)"}</option>}
                {STAGES.map((s) => (
                  <option key={s} value={s}>
                    {STAGE_LABEL[s]}
                  </option>
                ))}
              </select>
              <FieldNotes id={inputId} error={valueError} />
            </div>
          ) : (
            <TextField
              id={inputId}
              label={`New value for ${label}`}
              error={valueError}
              hint={hint}
              value={text}
              onChange={(e) => setText(e.target.value)}
              autoFocus
            />
          )}
          <div className="form-actions">
            <button type="submit" className="primary" disabled={resolve.isPending}>
              {resolve.isPending ? "Saving…" : "Save"}
            </button>
            <button
              type="button"
              onClick={() => {
                setEditing(false);
                setText(asTyped(c.mine));
                resolve.reset();
              }}
            >
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <div className="form-actions">
          <button type="button" disabled={resolve.isPending} onClick={() => resolve.mutate({ take: "mine" })}>
            Keep mine
          </button>
          <button type="button" disabled={resolve.isPending} onClick={() => resolve.mutate({ take: "theirs" })}>
            Take theirs
          </button>
          {canEdit && (
            <button
              type="button"
              disabled={resolve.isPending}
              onClick={() => {
                resolve.reset();
                setEditing(true);
              }}
            >
              Edit…
            </button>
          )}
        </div>
      )}
      <ErrorNote error={otherError} />
    </li>
  );
}

function Refused({ rejected, links, criteria }: { rejected: RejectedChange[]; links: SubjectLinks; criteria: ReadonlyMap<string, string> }) {
  const prefs = usePreferences();
  const [notice, setNotice] = useState<string | null>(null);
  const revert = useRevertChange((r) => {
    const pattern = r.entity === "pattern";
    const title = r.title ?? (pattern ? "the pattern" : "the use case");
    setNotice(
      revertRemoves(r)
        ? `Removed “${title}”: the registry refused it as a new ${pattern ? "pattern" : "use case"}.`
        : r.kind === "delete"
          ? `Put back “${title}”: the registry refused its deletion.`
          : `Reverted: “${title}” has the registry’s value again.`,
    );
  });

  return (
    <section className="card" aria-labelledby="sync-refused-heading">
      <h2 id="sync-refused-heading">Refused changes {rejected.length > 0 && <span className="count">{count(rejected.length)}</span>}</h2>
      <p className="hint">
        Changes you made that the registry would not take (for example, your role may not make them). They stay here only; Revert puts the registry&rsquo;s
        value back here.
      </p>
      {notice && (
        <p className="status ok" role="status">
          {notice}
        </p>
      )}
      <ErrorNote error={revert.error} />
      {rejected.length === 0 ? (
        <p className="muted">No refused changes.</p>
      ) : (
        <table className="data-table sync-refused" aria-label="Refused changes">
          <thead>
            <tr>
              <th scope="col">About</th>
              <th scope="col">Change</th>
              <th scope="col">When</th>
              <th scope="col">Why the registry refused it</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rejected.map((r) => {
              const title = r.title ?? r.use_case_id ?? "—";
              const what = subject(r.entity, r.kind, r.field, criteria);
              return (
                <tr key={r.change_id}>
                  <td>
                    <SubjectLink of={r} title={title} links={links} />
                  </td>
                  <td>{what}</td>
                  <td>
                    <Moment at={r.at} format={prefs.date_format} />
                  </td>
                  <td>{r.reason}</td>
                  <td>
                    <button type="button" aria-label={`Revert “${title}”: ${what}`} disabled={revert.isPending} onClick={() => revert.mutate(r)}>
                      Revert
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** The registry's changes this desktop could not apply: listed with why, while everything else was applied past them. */
function SetAsideChanges({ all, links, criteria }: { all: SetAside[]; links: SubjectLinks; criteria: ReadonlyMap<string, string> }) {
  const prefs = usePreferences();
  return (
    <section className="card" aria-labelledby="sync-set-aside-heading">
      <h2 id="sync-set-aside-heading">
        Set aside <span className="count">{count(all.length)}</span>
      </h2>
      <p className="hint">
        Changes from the registry that this version of the app could not apply. Everything else was applied and syncing goes on; these are kept, and updating
        the app or asking the registry&rsquo;s administrator about them is the way forward.
      </p>
      <table className="data-table sync-refused" aria-label="Changes set aside">
        <thead>
          <tr>
            <th scope="col">About</th>
            <th scope="col">Change</th>
            <th scope="col">By</th>
            <th scope="col">When</th>
            <th scope="col">Why it could not be applied</th>
          </tr>
        </thead>
        <tbody>
          {all.map((a) => (
            <tr key={a.change_id}>
              <td>
                <SubjectLink of={a} title={a.title ?? a.use_case_id ?? a.entity} links={links} />
              </td>
              <td>{subject(a.entity, a.kind, a.field, criteria)}</td>
              <td>{a.actor}</td>
              <td>
                <Moment at={a.at} format={prefs.date_format} />
              </td>
              <td>{a.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
