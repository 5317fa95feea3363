//! Portfolio-wide settings people edit: the scoring model (versioned; every score is
//! recomputed when it changes) and, later, gate rules, currency and date format.

use crate::change_log::{self, Change};
use crate::ctx::Ctx;
use crate::error::Result;
use crate::scoring::ScoringModel;

/// Saves an edited scoring model as a new version and recomputes every use case's scores
/// under it, in one transaction. Earlier versions, and what they scored, are kept.
pub async fn save_scoring_model(ctx: &Ctx, mut model: ScoringModel) -> Result<ScoringModel> {
    let actor = ctx.actor().await?;
    model.validate()?;
    let current = ctx.scoring_model().await?;
    let mut tx = ctx.store().begin().await?;
    let version: i32 =
        sqlx::query_scalar("SELECT COALESCE(MAX(version), 0) + 1 FROM scoring_models")
            .fetch_one(&mut *tx)
            .await?;
    model.version = version;
    let at = crate::now();
    sqlx::query(
        "INSERT INTO scoring_models (version, model, created_at, created_by) VALUES (?, ?, ?, ?)",
    )
    .bind(version)
    .bind(serde_json::to_string(&model)?)
    .bind(&at)
    .bind(&actor)
    .execute(&mut *tx)
    .await?;
    let ids: Vec<String> = sqlx::query_scalar("SELECT id FROM use_cases")
        .fetch_all(&mut *tx)
        .await?;
    for id in ids {
        crate::use_case::refresh_scores(&mut tx, &id, &model, &at).await?;
    }
    change_log::record(
        &mut tx,
        Change::new("scoring_model", "active", "model", &actor)
            .field("version")
            .old_value(serde_json::to_value(&current)?)
            .new_value(serde_json::to_value(&model)?),
    )
    .await?;
    tx.commit().await?;
    Ok(model)
}
