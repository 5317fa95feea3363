//! Conflicts: one field changed here and on another desktop since their common version.
//! Both values are kept until a person chooses mine, theirs or another value; the choice is
//! an ordinary change that syncs like any other and settles the conflict everywhere.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use sqlx::SqliteConnection;
use ts_rs::TS;

use super::wire::{ServedChange, WireChange};
use crate::Ctx;
use crate::change_log::parse_json;
use crate::error::{Error, Result};

/// One open conflict, as `conflicts --json` and the conflicts view show it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Conflict {
    pub id: String,
    pub entity: String,
    pub entity_id: String,
    pub use_case_id: Option<String>,
    /// The use case's title (a pattern's name), for people.
    pub title: Option<String>,
    /// `field`, `owner`, `score`, `stage` or `archive`.
    pub kind: String,
    /// The field name, criterion slug or owner role; `stage` for a stage move.
    pub field: Option<String>,
    #[ts(type = "unknown")]
    pub mine: Option<Value>,
    #[ts(type = "unknown")]
    pub theirs: Option<Value>,
    #[ts(type = "unknown")]
    pub base: Option<Value>,
    /// Who made the other change.
    pub theirs_actor: String,
    pub opened_at: String,
}

/// How a person settles a conflict.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case", tag = "take", content = "value")]
#[ts(export)]
pub enum Resolution {
    Mine,
    Theirs,
    /// Another value, as a form or the command line gives it.
    Value(#[ts(type = "unknown")] Value),
}

/// A conflict to settle, and how.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Resolve {
    pub conflict_id: String,
    pub resolution: Resolution,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: String,
    entity: String,
    entity_id: String,
    use_case_id: Option<String>,
    title: Option<String>,
    kind: String,
    field: Option<String>,
    mine: Option<String>,
    theirs: Option<String>,
    base: Option<String>,
    theirs_actor: String,
    opened_at: String,
}

impl Row {
    fn conflict(self) -> Result<Conflict> {
        Ok(Conflict {
            id: self.id,
            entity: self.entity,
            entity_id: self.entity_id,
            use_case_id: self.use_case_id,
            title: self.title,
            field: if self.kind == "stage" {
                Some("stage".into())
            } else {
                self.field
            },
            kind: self.kind,
            mine: parse_json(self.mine)?,
            theirs: parse_json(self.theirs)?,
            base: parse_json(self.base)?,
            theirs_actor: self.theirs_actor,
            opened_at: self.opened_at,
        })
    }
}

const SELECT: &str = "SELECT c.id, c.entity, c.entity_id, c.use_case_id,
        coalesce(u.title, p.name) AS title, c.kind, c.field,
        c.mine, c.theirs, c.base, c.theirs_actor, c.opened_at
     FROM sync_conflicts c LEFT JOIN use_cases u ON u.id = c.use_case_id
     LEFT JOIN patterns p ON c.entity = 'pattern' AND p.slug = c.entity_id
     WHERE c.resolved_at IS NULL";

/// Opens a conflict about `s` (the later of two concurrent changes of one key), unless the
/// two sides agree.
pub(crate) async fn open(
    conn: &mut SqliteConnection,
    s: &ServedChange,
    key: &str,
    mine: Option<&Value>,
    theirs: Option<&Value>,
    theirs_actor: &str,
    now: &str,
) -> Result<()> {
    if mine == theirs {
        return Ok(());
    }
    let c = &s.change;
    sqlx::query(
        "INSERT INTO sync_conflicts (id, seq, sync_key, entity, entity_id, use_case_id, kind, field,
                                     mine, theirs, base, theirs_actor, opened_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
    )
    .bind(&c.id)
    .bind(s.seq)
    .bind(key)
    .bind(&c.entity)
    .bind(&c.entity_id)
    .bind(&c.use_case_id)
    .bind(&c.kind)
    .bind(&c.field)
    .bind(mine.map(Value::to_string))
    .bind(theirs.map(Value::to_string))
    .bind(c.old.as_ref().map(Value::to_string))
    .bind(theirs_actor)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Settles the open conflicts of a key that a change made after seeing them (`base` at or
/// past their sequence) has decided.
pub(crate) async fn close_seen(
    conn: &mut SqliteConnection,
    key: &str,
    base: i64,
    now: &str,
) -> Result<()> {
    sqlx::query(
        "UPDATE sync_conflicts SET resolved_at = ?
         WHERE sync_key = ? AND resolved_at IS NULL AND seq <= ?",
    )
    .bind(now)
    .bind(key)
    .bind(base)
    .execute(conn)
    .await?;
    Ok(())
}

/// The open conflicts, oldest first.
pub async fn list(ctx: &Ctx) -> Result<Vec<Conflict>> {
    let rows: Vec<Row> = sqlx::query_as(sqlx::AssertSqlSafe(format!("{SELECT} ORDER BY c.seq")))
        .fetch_all(&ctx.store().read)
        .await?;
    rows.into_iter().map(Row::conflict).collect()
}

/// Settles a conflict with mine, theirs or another value: written here at once and sent at
/// the next sync, where it settles the conflict on the other desktop too.
pub async fn resolve(ctx: &Ctx, id: &str, how: Resolution) -> Result<Conflict> {
    let actor = ctx.actor().await?;
    let model = ctx.scoring_model().await?;
    let mut tx = ctx.store().begin().await?;
    let row: Row = sqlx::query_as(sqlx::AssertSqlSafe(format!("{SELECT} AND c.id = ?")))
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| {
            Error::not_found(format!(
                "no open conflict {id}: `portfolio conflicts` lists them"
            ))
        })?;
    let conflict = row.conflict()?;
    let (value, note) = match how {
        Resolution::Mine => (conflict.mine.clone(), "Kept mine in a sync conflict"),
        Resolution::Theirs => (conflict.theirs.clone(), "Took theirs in a sync conflict"),
        Resolution::Value(_) if conflict.entity == "pattern" => {
            return Err(Error::validation(
                "a pattern in conflict is settled by keeping one side (mine or theirs); edit the pattern afterwards",
            ));
        }
        Resolution::Value(v) => (
            super::write::canonical(&conflict.kind, conflict.field.as_deref(), Some(v))?,
            "Settled a sync conflict with a new value",
        ),
    };
    let template = WireChange {
        id: String::new(),
        entity: conflict.entity.clone(),
        entity_id: conflict.entity_id.clone(),
        use_case_id: conflict.use_case_id.clone(),
        kind: conflict.kind.clone(),
        field: if conflict.kind == "stage" {
            None
        } else {
            conflict.field.clone()
        },
        old: None,
        new: None,
        note: None,
        actor: actor.clone(),
        at: String::new(),
        base: 0,
        origin: String::new(),
    };
    super::write::write_local(&mut tx, &template, value, note, &actor, &model).await?;
    sqlx::query("UPDATE sync_conflicts SET resolved_at = ? WHERE id = ?")
        .bind(crate::now())
        .bind(id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(conflict)
}
