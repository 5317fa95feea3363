//! Offline-first sync with the central registry: the change log is the outbox, the
//! registry's ordered log is the inbox, and fields merge one by one (see ARCHITECTURE.md,
//! "Sync with the central registry").

pub mod apply;
pub mod client;
pub mod conflict;
pub mod credential;
mod write;

use serde::Serialize;
use sqlx::{Sqlite, SqliteConnection};
use ts_rs::TS;

use crate::Ctx;
use crate::error::Result;
pub use protocol::wire;
pub use protocol::{SYNCED, conflicting, key, key_of, travels};
use wire::{Rejection, WireChange};

/// Where this desktop stands with the registry: what the status bar and `sync --status` show.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct SyncStatus {
    pub registry_url: Option<String>,
    /// A token for the registry is saved on this computer (never in the store).
    pub token_saved: bool,
    /// The token's user, once a sync has succeeded.
    pub registry_user: Option<String>,
    pub last_sync_at: Option<String>,
    pub last_error: Option<String>,
    /// Changes made here that the registry has not yet accepted.
    #[ts(type = "number")]
    pub pending: i64,
    #[ts(type = "number")]
    pub conflicts: i64,
    pub rejected: Vec<RejectedChange>,
    /// Changes from the registry this desktop could not apply, oldest first.
    pub set_aside: Vec<SetAside>,
}

/// A change the registry served that this desktop could not apply (a kind or value this
/// version refuses, a record it does not have): kept with why, while the rest of the log was
/// applied past it. Later changes to the same record are applied when they still can be;
/// those to a use case whose creation was set aside are set aside with it.
#[derive(Debug, Clone, PartialEq, Serialize, TS, sqlx::FromRow)]
#[ts(export)]
pub struct SetAside {
    pub change_id: String,
    /// Its place in the registry's order.
    #[ts(type = "number")]
    pub seq: i64,
    pub entity: String,
    /// The use case it is about, when this store has it.
    pub use_case_id: Option<String>,
    pub title: Option<String>,
    pub kind: String,
    pub field: Option<String>,
    /// Who made it, on their desktop.
    pub actor: String,
    pub at: String,
    pub reason: String,
}

/// Every change from the registry this desktop has set aside, oldest first.
pub async fn set_aside(ctx: &Ctx) -> Result<Vec<SetAside>> {
    set_aside_after(&ctx.store().read, 0).await
}

/// The changes set aside that the registry placed after `after`, oldest first.
pub(crate) async fn set_aside_after(
    db: impl sqlx::Executor<'_, Database = Sqlite>,
    after: i64,
) -> Result<Vec<SetAside>> {
    Ok(sqlx::query_as(
        "SELECT a.change_id, a.seq, a.entity, coalesce(u.id, a.use_case_id) AS use_case_id,
                coalesce(u.title, json_extract(a.served, '$.new.title')) AS title,
                a.kind, a.field, a.actor, a.at, a.reason
         FROM sync_set_aside a
         LEFT JOIN use_cases u ON u.id = coalesce(a.use_case_id, CASE a.entity WHEN 'use_case' THEN a.entity_id END)
         WHERE a.seq > ? ORDER BY a.seq",
    )
    .bind(after)
    .fetch_all(db)
    .await?)
}

/// A change the registry refused, as the desktop lists it until it is reverted.
#[derive(Debug, Clone, PartialEq, Serialize, TS, sqlx::FromRow)]
#[ts(export)]
pub struct RejectedChange {
    pub change_id: String,
    /// `use_case`, `pattern`, `person`, `kpi`, `scoring_model` or `gate_rules`.
    pub entity: String,
    pub use_case_id: Option<String>,
    pub title: Option<String>,
    pub kind: String,
    pub field: Option<String>,
    pub at: String,
    pub reason: String,
}

#[derive(sqlx::FromRow)]
pub(crate) struct State {
    pub desktop_id: String,
    pub registry_url: Option<String>,
    pub registry_user: Option<String>,
    pub cursor: i64,
    pub last_sync_at: Option<String>,
    pub last_error: Option<String>,
}

pub(crate) async fn state(db: impl sqlx::Executor<'_, Database = Sqlite>) -> Result<State> {
    Ok(sqlx::query_as(
        "SELECT desktop_id, registry_url, registry_user, cursor, last_sync_at, last_error FROM sync_state",
    )
    .fetch_one(db)
    .await?)
}

/// The synced kinds as SQL, for the outbox query.
fn travels_sql() -> String {
    SYNCED
        .iter()
        .map(|(e, kinds)| {
            let kinds: Vec<String> = kinds.iter().map(|k| format!("'{k}'")).collect();
            format!("(entity = '{e}' AND kind IN ({}))", kinds.join(", "))
        })
        .collect::<Vec<_>>()
        .join(" OR ")
}

pub async fn status(ctx: &Ctx) -> Result<SyncStatus> {
    let db = &ctx.store().read;
    let s = state(db).await?;
    let pending: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT count(*) FROM change_log WHERE synced = 0 AND demo = 0 AND rejected IS NULL AND ({})",
        travels_sql()
    )))
    .fetch_one(db)
    .await?;
    let conflicts: i64 =
        sqlx::query_scalar("SELECT count(*) FROM sync_conflicts WHERE resolved_at IS NULL")
            .fetch_one(db)
            .await?;
    let rejected = sqlx::query_as(
        "SELECT c.id AS change_id, c.entity, c.use_case_id,
                CASE c.entity WHEN 'pattern' THEN coalesce(json_extract(c.new, '$.name'), c.entity_id)
                  ELSE coalesce(u.title, json_extract(c.new, '$.title'), json_extract(c.old, '$.title')) END AS title,
                c.kind, c.field, c.at, c.rejected AS reason
         FROM change_log c LEFT JOIN use_cases u ON u.id = c.use_case_id
         WHERE c.rejected IS NOT NULL AND c.synced = 0 ORDER BY c.seq",
    )
    .fetch_all(db)
    .await?;
    let set_aside = set_aside(ctx).await?;
    let token_saved = match &s.registry_url {
        Some(url) => credential::load(url).await?.is_some(),
        None => false,
    };
    Ok(SyncStatus {
        token_saved,
        registry_url: s.registry_url,
        registry_user: s.registry_user,
        last_sync_at: s.last_sync_at,
        last_error: s.last_error,
        pending,
        conflicts,
        rejected,
        set_aside,
    })
}

#[derive(sqlx::FromRow)]
struct OutboxRow {
    id: String,
    entity: String,
    entity_id: String,
    use_case_id: Option<String>,
    kind: String,
    field: Option<String>,
    old: Option<String>,
    new: Option<String>,
    note: Option<String>,
    actor: String,
    at: String,
    base_seq: i64,
}

impl OutboxRow {
    fn wire(self, origin: &str) -> Result<WireChange> {
        Ok(WireChange {
            id: self.id,
            entity: self.entity,
            entity_id: self.entity_id,
            use_case_id: self.use_case_id,
            kind: self.kind,
            field: self.field,
            old: crate::change_log::parse_json(self.old)?,
            new: crate::change_log::parse_json(self.new)?,
            note: self.note,
            actor: self.actor,
            at: self.at,
            base: self.base_seq,
            origin: origin.to_owned(),
        })
    }
}

const OUTBOX_COLUMNS: &str =
    "id, entity, entity_id, use_case_id, kind, field, old, new, note, actor, at, base_seq";

/// The next changes to push, oldest first: made here, not demo data, not yet accepted or
/// refused, of a kind that travels.
/// Only `actor`'s: the registry takes a change from its author's token alone, and another
/// person's change waits here for theirs rather than be refused for good.
pub(crate) async fn outbox(
    conn: &mut SqliteConnection,
    origin: &str,
    actor: &str,
    limit: i64,
) -> Result<Vec<WireChange>> {
    let rows: Vec<OutboxRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {OUTBOX_COLUMNS} FROM change_log
         WHERE synced = 0 AND demo = 0 AND rejected IS NULL AND actor = ? AND ({})
         ORDER BY seq LIMIT ?",
        travels_sql()
    )))
    .bind(actor)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter().map(|r| r.wire(origin)).collect()
}

/// Who made the changes waiting to be sent, in the order they first did.
pub(crate) async fn pending_authors(
    db: impl sqlx::Executor<'_, Database = Sqlite>,
) -> Result<Vec<String>> {
    Ok(sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT actor FROM change_log
         WHERE synced = 0 AND demo = 0 AND rejected IS NULL AND ({})
         GROUP BY actor ORDER BY min(seq)",
        travels_sql()
    )))
    .fetch_all(db)
    .await?)
}

/// What this store holds about one use case (its KPIs included) that a sync can apply, in
/// the registry's order and then what waits to be sent: the use case rebuilt, as when
/// putting back one whose deletion the registry refused. Deletions, refused changes and
/// reverts (the registry's value stands for those) are left out.
pub(crate) async fn history_of(
    conn: &mut SqliteConnection,
    use_case_id: &str,
) -> Result<Vec<WireChange>> {
    let rows: Vec<OutboxRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {OUTBOX_COLUMNS} FROM change_log
         WHERE ((entity = 'use_case' AND entity_id = ?1) OR use_case_id = ?1)
           AND kind <> 'delete' AND demo = 0 AND rejected IS NULL AND synced <> 2 AND ({})
         ORDER BY coalesce(server_seq, 9223372036854775807), seq",
        travels_sql()
    )))
    .bind(use_case_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter().map(|r| r.wire("")).collect()
}

/// A change made here that the registry refused and nobody has reverted yet.
pub(crate) async fn outbox_entry(
    conn: &mut SqliteConnection,
    id: &str,
    origin: &str,
) -> Result<Option<WireChange>> {
    let row: Option<OutboxRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {OUTBOX_COLUMNS} FROM change_log
         WHERE id = ? AND origin IS NULL AND synced = 0 AND rejected IS NOT NULL"
    )))
    .bind(id)
    .fetch_optional(conn)
    .await?;
    row.map(|r| r.wire(origin)).transpose()
}

/// Marks what the registry refused; it stays listed (with revert) until a person acts.
pub(crate) async fn mark_rejected(conn: &mut SqliteConnection, r: &[Rejection]) -> Result<()> {
    for r in r {
        sqlx::query("UPDATE change_log SET rejected = ? WHERE id = ? AND origin IS NULL")
            .bind(&r.reason)
            .bind(&r.change_id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}
