//! Portfolio reviews: a portfolio lead marks a review point, and the app lists everything that
//! changed since the latest one (new use cases, stage moves, score and owner changes), read
//! from the change log. The mark itself is recorded in the change log, so it syncs.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::change_log::{self, Change};
use crate::ctx::Ctx;
use crate::error::{Error, Result};
use protocol::{ChangeKind, Entity};

/// The most changes of each kind listed (the counts are always whole).
const LISTED: i64 = 500;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, sqlx::FromRow)]
#[ts(export)]
pub struct ReviewMark {
    pub id: String,
    pub at: String,
    pub actor: String,
    pub note: Option<String>,
}

/// One change since the review point.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ReviewChange {
    pub use_case_id: String,
    /// The use case's title now (or when it was deleted).
    pub title: String,
    pub at: String,
    pub actor: String,
    /// The criterion of a score change, the role of an owner change.
    pub field: Option<String>,
    /// The value before: the stage left, the previous score or owner; `null` for a creation.
    #[ts(type = "unknown")]
    pub old: Option<serde_json::Value>,
    /// The value after: the stage moved to, the new score or owner. For a creation,
    /// `{"stage": STAGE}`, the stage it started at (`null` if its first record has none).
    #[ts(type = "unknown")]
    pub new: Option<serde_json::Value>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ChangeList {
    pub count: i32,
    /// The first changes, oldest first.
    pub changes: Vec<ReviewChange>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ReviewChanges {
    pub since: ReviewMark,
    pub new_use_cases: ChangeList,
    pub stage_moves: ChangeList,
    pub score_changes: ChangeList,
    pub owner_changes: ChangeList,
}

/// Marks a review point now.
pub async fn mark(ctx: &Ctx, note: Option<&str>) -> Result<ReviewMark> {
    let actor = ctx.actor().await?;
    let note = note.map(str::trim).filter(|n| !n.is_empty());
    if note.is_some_and(|n| n.chars().count() > crate::stage_move::NOTE_MAX) {
        return Err(Error::invalid(
            "note",
            format!(
                "a note is at most {} characters",
                crate::stage_move::NOTE_MAX
            ),
        ));
    }
    let m = ReviewMark {
        id: uuid::Uuid::now_v7().to_string(),
        at: crate::now(),
        actor: actor.clone(),
        note: note.map(str::to_owned),
    };
    let mut tx = ctx.store().begin().await?;
    sqlx::query("INSERT INTO review_marks (id, at, actor, note) VALUES (?, ?, ?, ?)")
        .bind(&m.id)
        .bind(&m.at)
        .bind(&m.actor)
        .bind(&m.note)
        .execute(&mut *tx)
        .await?;
    change_log::record_at(
        &mut tx,
        Change::new(Entity::ReviewMark, &m.id, ChangeKind::Review, &actor).note(note),
        &m.at,
    )
    .await?;
    tx.commit().await?;
    Ok(m)
}

#[derive(sqlx::FromRow)]
struct Row {
    use_case_id: String,
    title: Option<String>,
    snapshot_title: Option<String>,
    at: String,
    actor: String,
    field: Option<String>,
    old: Option<String>,
    new: Option<String>,
    note: Option<String>,
}

async fn list(ctx: &Ctx, since: &str, kind: &str) -> Result<ChangeList> {
    let db = &ctx.store().read;
    let count: i32 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM change_log WHERE at > ? AND entity = 'use_case' AND kind = ?",
    )
    .bind(since)
    .bind(kind)
    .fetch_one(db)
    .await?;
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT c.use_case_id, u.title, json_extract(c.new, '$.title') AS snapshot_title, c.at, c.actor,
                c.field, c.old, c.new, c.note
         FROM change_log c LEFT JOIN use_cases u ON u.id = c.use_case_id
         WHERE c.at > ? AND c.entity = 'use_case' AND c.kind = ?
         ORDER BY c.at, c.seq LIMIT ?",
    )
    .bind(since)
    .bind(kind)
    .bind(LISTED)
    .fetch_all(db)
    .await?;
    let json = |v: Option<String>| -> Result<Option<serde_json::Value>> {
        Ok(v.map(|s| serde_json::from_str(&s)).transpose()?)
    };
    let changes = rows
        .into_iter()
        .map(|r| {
            Ok(ReviewChange {
                title: r.title.or(r.snapshot_title).unwrap_or_default(),
                use_case_id: r.use_case_id,
                at: r.at,
                actor: r.actor,
                field: r.field,
                old: json(r.old)?,
                // A creation's entry holds the whole first record; of it, the title is
                // shown already and the stage it started at is what a review needs.
                new: if kind == "create" {
                    json(r.new)?
                        .and_then(|first| first.get("stage").filter(|s| s.is_string()).cloned())
                        .map(|stage| serde_json::json!({ "stage": stage }))
                } else {
                    json(r.new)?
                },
                note: r.note,
            })
        })
        .collect::<Result<_>>()?;
    Ok(ChangeList { count, changes })
}

/// What changed since the latest review point.
pub async fn changes(ctx: &Ctx) -> Result<ReviewChanges> {
    let since: ReviewMark = sqlx::query_as(
        "SELECT id, at, actor, note FROM review_marks ORDER BY at DESC, id DESC LIMIT 1",
    )
    .fetch_optional(&ctx.store().read)
    .await?
    .ok_or_else(|| {
        Error::not_found(
            "no review point has been marked yet; mark one with `portfolio review mark`",
        )
    })?;
    Ok(ReviewChanges {
        new_use_cases: list(ctx, &since.at, "create").await?,
        stage_moves: list(ctx, &since.at, "stage").await?,
        score_changes: list(ctx, &since.at, "score").await?,
        owner_changes: list(ctx, &since.at, "owner").await?,
        since,
    })
}
