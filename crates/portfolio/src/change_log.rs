//! The append-only change log: every mutation writes its entries here in the same
//! transaction as its rows. It is the audit trail and the sync outbox: an entry carries its
//! per-field sync key and the registry sequence this desktop had seen when it was made.

use serde::Serialize;
use serde_json::Value;
use sqlx::{Sqlite, SqliteConnection};
use ts_rs::TS;

use crate::error::Result;
use protocol::{ChangeKind, Entity};

/// One entry about to be written.
#[derive(Debug, Clone)]
pub struct Change {
    entity: Entity,
    entity_id: String,
    use_case_id: Option<String>,
    kind: ChangeKind,
    field: Option<String>,
    old: Option<Value>,
    new: Option<Value>,
    note: Option<String>,
    actor: String,
    demo: bool,
}

impl Change {
    pub fn new(entity: Entity, entity_id: &str, kind: ChangeKind, actor: &str) -> Self {
        Change {
            entity,
            entity_id: entity_id.to_owned(),
            use_case_id: (entity == Entity::UseCase).then(|| entity_id.to_owned()),
            kind,
            field: None,
            old: None,
            new: None,
            note: None,
            actor: actor.to_owned(),
            demo: false,
        }
    }

    /// Files an entry about another entity (a KPI, say) under the use case it belongs to, so
    /// it shows in that use case's history.
    pub fn use_case(mut self, id: &str) -> Self {
        self.use_case_id = Some(id.to_owned());
        self
    }

    pub fn field(mut self, field: &str) -> Self {
        self.field = Some(field.to_owned());
        self
    }

    pub fn old_value(mut self, v: impl Into<Value>) -> Self {
        self.old = Some(v.into()).filter(|v: &Value| !v.is_null());
        self
    }

    pub fn new_value(mut self, v: impl Into<Value>) -> Self {
        self.new = Some(v.into()).filter(|v: &Value| !v.is_null());
        self
    }

    pub fn note(mut self, note: Option<&str>) -> Self {
        self.note = note.map(str::to_owned);
        self
    }

    pub fn demo(mut self, demo: bool) -> Self {
        self.demo = demo;
        self
    }

    fn sync_key(&self) -> String {
        protocol::key(
            self.entity.as_str(),
            &self.entity_id,
            self.kind.as_str(),
            self.field.as_deref(),
            self.new.as_ref(),
            self.note.as_deref(),
        )
    }
}

pub async fn record(conn: &mut SqliteConnection, c: Change) -> Result<()> {
    record_at(conn, c, &crate::now()).await
}

/// Writes an entry with an explicit time (the demo portfolio back-dates its history).
pub async fn record_at(conn: &mut SqliteConnection, c: Change, at: &str) -> Result<()> {
    let key = c.sync_key();
    sqlx::query(
        "INSERT INTO change_log (id, entity, entity_id, use_case_id, kind, field, old, new, note, actor, at, demo, sync_key, base_seq)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, (SELECT cursor FROM sync_state))",
    )
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(c.entity.as_str())
    .bind(&c.entity_id)
    .bind(&c.use_case_id)
    .bind(c.kind.as_str())
    .bind(&c.field)
    .bind(c.old.map(|v| v.to_string()))
    .bind(c.new.map(|v| v.to_string()))
    .bind(&c.note)
    .bind(&c.actor)
    .bind(at)
    .bind(c.demo)
    .bind(key)
    .execute(conn)
    .await?;
    Ok(())
}

/// Writes many entries with one multi-row statement per few hundred (bulk creation).
pub async fn record_many(conn: &mut SqliteConnection, entries: &[Change], at: &str) -> Result<()> {
    for part in entries.chunks(500) {
        let mut q = sqlx::QueryBuilder::<Sqlite>::new(
            "INSERT INTO change_log (id, entity, entity_id, use_case_id, kind, field, old, new, note, actor, at, demo, sync_key, base_seq) ",
        );
        q.push_values(part, |mut b, c| {
            b.push_bind(uuid::Uuid::now_v7().to_string())
                .push_bind(c.entity.as_str())
                .push_bind(c.entity_id.clone())
                .push_bind(c.use_case_id.clone())
                .push_bind(c.kind.as_str())
                .push_bind(c.field.clone())
                .push_bind(c.old.as_ref().map(|v| v.to_string()))
                .push_bind(c.new.as_ref().map(|v| v.to_string()))
                .push_bind(c.note.clone())
                .push_bind(c.actor.clone())
                .push_bind(at.to_owned())
                .push_bind(c.demo)
                .push_bind(c.sync_key())
                .push("(SELECT cursor FROM sync_state)");
        });
        q.build().execute(&mut *conn).await?;
    }
    Ok(())
}

/// One line of a use case's history, as `history --json` and the History tab show it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct HistoryEntry {
    pub at: String,
    pub actor: String,
    pub kind: String,
    pub field: Option<String>,
    #[ts(type = "unknown")]
    pub old: Option<Value>,
    #[ts(type = "unknown")]
    pub new: Option<Value>,
    pub note: Option<String>,
    /// The title of the use case merged into this one that the entry is about (its history
    /// is kept here); `null` for the use case's own entries.
    pub merged_from: Option<String>,
}

#[derive(sqlx::FromRow)]
struct HistoryRow {
    at: String,
    actor: String,
    kind: String,
    field: Option<String>,
    old: Option<String>,
    new: Option<String>,
    note: Option<String>,
    merged_from: Option<String>,
}

/// A nullable JSON column as a value.
pub(crate) fn parse_json(v: Option<String>) -> Result<Option<Value>> {
    Ok(v.map(|s| serde_json::from_str(&s)).transpose()?)
}

/// A use case's change log, oldest first; `kind` narrows it (e.g. `stage` for the timeline).
pub async fn for_use_case(
    db: impl sqlx::Executor<'_, Database = Sqlite>,
    use_case_id: &str,
    kind: Option<&str>,
) -> Result<Vec<HistoryEntry>> {
    let rows = sqlx::query_as::<_, HistoryRow>(
        // The whole history includes the use cases merged into this one; a timeline of one
        // kind (e.g. its stage moves) is the use case's own.
        "SELECT at, actor, kind, field, old, new, note,
                (SELECT title FROM use_cases m WHERE m.id = change_log.use_case_id AND m.id <> ?1) AS merged_from
         FROM change_log
         WHERE (use_case_id = ?1
                OR (?2 IS NULL AND use_case_id IN (SELECT id FROM use_cases WHERE merged_into = ?1)))
           AND (?2 IS NULL OR kind = ?2)
         ORDER BY at, seq",
    )
    .bind(use_case_id)
    .bind(kind)
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(HistoryEntry {
                at: r.at,
                actor: r.actor,
                kind: r.kind,
                field: r.field,
                old: parse_json(r.old)?,
                new: parse_json(r.new)?,
                note: r.note,
                merged_from: r.merged_from,
            })
        })
        .collect()
}
