//! The ordered change log: accepting a push (numbered in one writer's turn, each change
//! checked first) and serving pulls, whole or compacted to the latest change of each field.

use protocol::wire::{Accepted, Overridden, Rejection, ServedChange, WireChange};
use protocol::{conflicting, key_of};
use serde_json::Value;
use sqlx::Row;

use super::access::{check, project};
use super::{Store, Tx};
use crate::error::ApiError;
use crate::refusal::Cause;
use crate::token::Principal;

/// A change as stored, read back for serving.
const CHANGE_COLUMNS: &str = "c.seq, c.id, c.origin, c.entity, c.entity_id, c.use_case_id, c.kind, c.field, c.old, c.new, c.note, c.actor, c.at, c.base, c.conflict";

pub(super) fn json(v: Option<String>) -> Result<Option<Value>, ApiError> {
    v.map(|s| serde_json::from_str(&s))
        .transpose()
        .map_err(|e| ApiError::internal(format!("a stored change is not JSON: {e}")))
}

/// A page of changes ends before it passes about this many bytes, whatever its `limit`, so
/// one answer stays small enough to hold however large the values in it; the desktop pulls
/// the rest next (`more`). A single change is served whole: the rule book bounds it.
pub const MAX_PAGE_BYTES: usize = 8 * 1024 * 1024;

/// About how many bytes a stored change takes served: its text columns and room for the rest.
fn stored_size(r: &sqlx::any::AnyRow) -> Result<usize, ApiError> {
    let mut size = 512;
    for column in ["old", "new", "note", "conflict"] {
        let text: Option<String> = r.try_get(column)?;
        size += text.map_or(0, |t| t.len());
    }
    Ok(size)
}

fn served(r: &sqlx::any::AnyRow) -> Result<ServedChange, ApiError> {
    let conflict: Option<String> = r.try_get("conflict")?;
    Ok(ServedChange {
        seq: r.try_get("seq")?,
        change: WireChange {
            id: r.try_get("id")?,
            entity: r.try_get("entity")?,
            entity_id: r.try_get("entity_id")?,
            use_case_id: r.try_get("use_case_id")?,
            kind: r.try_get("kind")?,
            field: r.try_get("field")?,
            old: json(r.try_get("old")?)?,
            new: json(r.try_get("new")?)?,
            note: r.try_get("note")?,
            actor: r.try_get("actor")?,
            at: r.try_get("at")?,
            base: r.try_get("base")?,
            origin: r.try_get("origin")?,
        },
        conflict: conflict
            .map(|s| serde_json::from_str(&s))
            .transpose()
            .map_err(|e| ApiError::internal(format!("a stored conflict is not JSON: {e}")))?,
    })
}

impl Store {
    /// Accepts what the sender may change, in order; refuses the rest with a reason. A
    /// change already accepted is acknowledged again and applied nothing twice.
    pub async fn push(
        &self,
        who: &Principal,
        changes: &[WireChange],
    ) -> Result<(Vec<Accepted>, Vec<Rejection>), ApiError> {
        let mut accepted = Vec::new();
        let mut rejected = Vec::new();
        if changes.is_empty() {
            return Ok((accepted, rejected));
        }
        let asked = std::time::Instant::now();
        let _turn = self.writer.lock().await;
        let mut conn = self.pool.acquire().await?;
        let mut tx = Self::begin_write(&mut conn, self.backend).await?;
        self.metrics.waited_for_lock(asked.elapsed());
        // Counted once the push commits.
        let (mut added, mut conflicts, mut causes) = (0, 0, Vec::new());
        let mut head: i64 = sqlx::query_scalar("SELECT coalesce(max(seq), 0) FROM changes")
            .fetch_one(&mut *tx)
            .await?;
        let now = domain::now();
        for c in changes {
            let known: Option<(i64, String)> =
                sqlx::query_as("SELECT seq, actor FROM changes WHERE id = $1")
                    .bind(&c.id)
                    .fetch_optional(&mut *tx)
                    .await?;
            match known {
                // The same change again (its answer was lost): acknowledged, applied once.
                Some((seq, actor)) if actor == who.user => {
                    accepted.push(Accepted {
                        id: c.id.clone(),
                        seq,
                    });
                    continue;
                }
                // Someone else's change id: never theirs to acknowledge.
                Some(_) => {
                    causes.push(Cause::Taken);
                    rejected.push(Rejection {
                        change_id: c.id.clone(),
                        reason: format!(
                            "the change id {} is already taken by another person's change",
                            c.id
                        ),
                    });
                    continue;
                }
                None => {}
            }
            if let Err(refusal) = check(&mut tx, who, c).await? {
                causes.push(refusal.cause);
                rejected.push(Rejection {
                    change_id: c.id.clone(),
                    reason: refusal.reason,
                });
                continue;
            }
            let key = key_of(c);
            let conflict = if conflicting(&c.entity, &c.kind) {
                overridden(&mut tx, &key, c).await?
            } else {
                None
            };
            head += 1;
            sqlx::query(
                "INSERT INTO changes (seq, id, sync_key, origin, entity, entity_id, use_case_id, kind, field,
                                      old, new, note, actor, at, base, conflict, received_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)",
            )
            .bind(head)
            .bind(&c.id)
            .bind(&key)
            .bind(&c.origin)
            .bind(&c.entity)
            .bind(&c.entity_id)
            .bind(&c.use_case_id)
            .bind(&c.kind)
            .bind(&c.field)
            .bind(c.old.as_ref().map(Value::to_string))
            .bind(c.new.as_ref().map(Value::to_string))
            .bind(&c.note)
            .bind(&who.user)
            .bind(&c.at)
            .bind(c.base)
            .bind(conflict.as_ref().map(|o| serde_json::json!(o).to_string()))
            .bind(&now)
            .execute(&mut *tx)
            .await?;
            project(&mut tx, c, &key, head, &who.user).await?;
            added += 1;
            conflicts += u64::from(conflict.is_some());
            accepted.push(Accepted {
                id: c.id.clone(),
                seq: head,
            });
        }
        tx.commit().await?;
        self.metrics.pushed(added, conflicts, &causes);
        Ok((accepted, rejected))
    }

    /// The changes after `after`, in order; `compact` serves only the latest change of each
    /// field (a snapshot that still reads in order). Returns the page and whether more wait.
    pub async fn pull(
        &self,
        after: i64,
        limit: u32,
        compact: bool,
    ) -> Result<(Vec<ServedChange>, bool), ApiError> {
        let sql = if compact {
            format!(
                "SELECT {CHANGE_COLUMNS} FROM latest l JOIN changes c ON c.seq = l.seq
                 WHERE l.seq > $1 ORDER BY l.seq LIMIT $2"
            )
        } else {
            format!(
                "SELECT {CHANGE_COLUMNS} FROM changes c WHERE c.seq > $1 ORDER BY c.seq LIMIT $2"
            )
        };
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(after)
            .bind(i64::from(limit) + 1)
            .fetch_all(&self.pool)
            .await?;
        let mut more = rows.len() > limit as usize;
        let (mut page, mut bytes) = (Vec::new(), 0);
        for r in rows.iter().take(limit as usize) {
            let size = stored_size(r)?;
            if !page.is_empty() && bytes + size > MAX_PAGE_BYTES {
                more = true;
                break;
            }
            bytes += size;
            page.push(served(r)?);
        }
        Ok((page, more))
    }
}

/// The change a concurrent change overrides: the field's latest change, when another
/// desktop made it after this change's author last synced, with a different value.
async fn overridden(
    tx: &mut Tx<'_>,
    key: &str,
    c: &WireChange,
) -> Result<Option<Overridden>, ApiError> {
    let row = sqlx::query(
        "SELECT c.seq, c.id, c.origin, c.actor, c.new FROM latest l JOIN changes c ON c.seq = l.seq
         WHERE l.sync_key = $1",
    )
    .bind(key)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(r) = row else { return Ok(None) };
    let seq: i64 = r.try_get("seq")?;
    let origin: String = r.try_get("origin")?;
    let value = json(r.try_get("new")?)?;
    if seq <= c.base || origin == c.origin || value == c.new {
        return Ok(None);
    }
    Ok(Some(Overridden {
        change_id: r.try_get("id")?,
        origin,
        actor: r.try_get("actor")?,
        value,
    }))
}
