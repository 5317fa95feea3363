//! Saved views: a named set of filters and a sort that a person comes back to from the
//! sidebar. Saving under an existing name replaces that view.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::change_log::{self, Change};
use crate::ctx::Ctx;
use crate::error::{Error, Result};
use crate::view::ListQuery;
use protocol::{ChangeKind, Entity};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SavedView {
    pub id: String,
    pub name: String,
    /// Filters and sort; paging is not saved.
    pub query: ListQuery,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SaveView {
    pub name: String,
    pub query: ListQuery,
}

pub async fn list(ctx: &Ctx) -> Result<Vec<SavedView>> {
    let rows: Vec<(String, String, String)> =
        sqlx::query_as("SELECT id, name, query FROM saved_views ORDER BY name COLLATE NOCASE")
            .fetch_all(&ctx.store().read)
            .await?;
    rows.into_iter()
        .map(|(id, name, q)| {
            Ok(SavedView {
                id,
                name,
                query: serde_json::from_str(&q)?,
            })
        })
        .collect()
}

pub async fn save(ctx: &Ctx, req: SaveView) -> Result<SavedView> {
    let actor = ctx.actor().await?;
    let name = req.name.trim().to_owned();
    if name.is_empty() || name.chars().count() > 80 {
        return Err(Error::invalid(
            "name",
            "a view needs a name of at most 80 characters",
        ));
    }
    crate::view::where_clause(&req.query.filters, &mut Default::default())?;
    crate::view::order_by(req.query.sort.as_deref())?;
    let query = crate::view::ListQuery {
        offset: None,
        limit: None,
        ..req.query
    };
    let json = serde_json::to_string(&query)?;
    let mut tx = ctx.store().begin().await?;
    let existing: Option<String> = sqlx::query_scalar("SELECT id FROM saved_views WHERE name = ?")
        .bind(&name)
        .fetch_optional(&mut *tx)
        .await?;
    let id = existing.unwrap_or_else(|| uuid::Uuid::now_v7().to_string());
    sqlx::query(
        "INSERT INTO saved_views (id, name, query, created_at, created_by) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET query = excluded.query",
    )
    .bind(&id)
    .bind(&name)
    .bind(&json)
    .bind(crate::now())
    .bind(&actor)
    .execute(&mut *tx)
    .await?;
    change_log::record(
        &mut tx,
        Change::new(Entity::SavedView, &id, ChangeKind::Save, &actor)
            .field(&name)
            .new_value(serde_json::to_value(&query)?),
    )
    .await?;
    tx.commit().await?;
    Ok(SavedView { id, name, query })
}

pub async fn delete(ctx: &Ctx, id: &str) -> Result<()> {
    let actor = ctx.actor().await?;
    let mut tx = ctx.store().begin().await?;
    let name: Option<String> = sqlx::query_scalar("SELECT name FROM saved_views WHERE id = ?")
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
    let name = name.ok_or_else(|| Error::not_found(format!("no saved view with id {id}")))?;
    sqlx::query("DELETE FROM saved_views WHERE id = ?")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    change_log::record(
        &mut tx,
        Change::new(Entity::SavedView, id, ChangeKind::Delete, &actor).field(&name),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
