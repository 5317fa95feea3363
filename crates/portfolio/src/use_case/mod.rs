//! Use cases: the domain type, its row, and every edit to it (fields, scores, owners),
//! each written with its change-log entry in one transaction.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::change_log::{self, Change};
use crate::ctx::Ctx;
use crate::error::{Error, Result};
use crate::field::{Field, FieldValue};
use crate::owner::OwnerRole;
use crate::person::{self, NewPerson};
use crate::scoring::CriterionScore;
use protocol::{ChangeKind, Entity};

mod rows;
mod write;

pub use rows::UseCase;
pub(crate) use rows::{check_version, criterion_scores, load, owners, refresh_scores, row, touch};
pub(crate) use write::{apply, differs, update_in, write_owner, write_score};

/// What a person fills in to propose a use case.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct NewUseCase {
    pub title: String,
    #[serde(default)]
    #[ts(optional)]
    pub problem: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub solution: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub business_unit: Option<String>,
    /// An email; an unknown one creates the person.
    #[serde(default)]
    #[ts(optional)]
    pub proposer: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub expected_benefit: Option<f64>,
    #[serde(default)]
    #[ts(optional)]
    pub expected_cost: Option<f64>,
    #[serde(default)]
    #[ts(optional)]
    pub data_sources: Option<Vec<String>>,
    #[serde(default)]
    #[ts(optional)]
    pub tags: Option<Vec<String>>,
}

/// Edits to several fields at once (a form's Save), refused whole if the use case has
/// moved on since `expect_version` or any value is bad.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SetFields {
    pub id: String,
    #[ts(optional)]
    pub expect_version: Option<i32>,
    pub fields: BTreeMap<String, FieldValue>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SetScore {
    pub id: String,
    pub criterion: String,
    /// 1–5, or `null` to clear.
    pub score: Option<i32>,
    #[ts(optional)]
    pub expect_version: Option<i32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SetOwner {
    pub id: String,
    pub role: OwnerRole,
    /// The person to assign, found by email or added; `null` clears the role.
    pub person: Option<NewPerson>,
    #[ts(optional)]
    pub expect_version: Option<i32>,
}

pub async fn get(ctx: &Ctx, id: &str) -> Result<UseCase> {
    let model = ctx.scoring_model().await?;
    let mut conn = ctx.store().read.acquire().await?;
    load(&mut conn, id, &model).await
}

/// Proposes a use case at the Idea stage.
pub async fn create(ctx: &Ctx, new: NewUseCase) -> Result<UseCase> {
    let actor = ctx.actor().await?;
    let mut fields = vec![Field::parse("title", &FieldValue::Text(new.title.clone()))?];
    // Whoever proposes it through the app or CLI is its proposer unless they name another.
    let proposer = new.proposer.clone().or_else(|| Some(actor.clone()));
    let texts = [
        ("problem", &new.problem),
        ("solution", &new.solution),
        ("business_unit", &new.business_unit),
        ("proposer", &proposer),
    ];
    for (name, v) in texts {
        if let Some(v) = v {
            fields.push(Field::parse(name, &FieldValue::Text(v.clone()))?);
        }
    }
    for (name, v) in [
        ("expected_benefit", new.expected_benefit),
        ("expected_cost", new.expected_cost),
    ] {
        if let Some(n) = v {
            fields.push(Field::parse(name, &FieldValue::Number(n))?);
        }
    }
    for (name, v) in [("data_sources", &new.data_sources), ("tags", &new.tags)] {
        if let Some(v) = v {
            fields.push(Field::parse(name, &FieldValue::List(v.clone()))?);
        }
    }
    let mut tx = ctx.store().begin().await?;
    let model = ctx.scoring_model().await?;
    let ids = crate::intake::insert_many(
        &mut tx,
        &[crate::intake::Draft::new(fields)],
        &actor,
        &model,
        false,
        &crate::now(),
    )
    .await?;
    let id = ids.into_iter().next().expect("one draft, one id");
    tx.commit().await?;
    get(ctx, &id).await
}

/// Edits fields; unchanged values write nothing. All values are checked before any is
/// written, and the whole edit is one transaction.
pub async fn set_fields(ctx: &Ctx, req: SetFields) -> Result<UseCase> {
    let actor = ctx.actor().await?;
    let fields = req
        .fields
        .iter()
        .map(|(name, v)| Field::parse(name, v))
        .collect::<Result<Vec<_>>>()?;
    let model = ctx.scoring_model().await?;
    let mut tx = ctx.store().begin().await?;
    let before = load(&mut tx, &req.id, &model).await?;
    check_version(&row(&mut tx, &req.id).await?, req.expect_version)?;
    update_in(&mut tx, &before, &fields, &[], &actor, None).await?;
    tx.commit().await?;
    get(ctx, &req.id).await
}

/// Scores one criterion 1–5, or clears it; the derived scores follow.
pub async fn set_score(ctx: &Ctx, req: SetScore) -> Result<UseCase> {
    let actor = ctx.actor().await?;
    let score = req
        .score
        .map(|s| CriterionScore::new(s.into()))
        .transpose()?;
    let model = ctx.scoring_model().await?;
    if model.criterion(&req.criterion).is_none() {
        let slugs: Vec<_> = model.criteria().map(|(_, c)| c.slug.as_str()).collect();
        return Err(Error::invalid(
            "criterion",
            format!(
                "unknown criterion `{}`; the active model's criteria are {}",
                req.criterion,
                slugs.join(", ")
            ),
        ));
    }
    let mut tx = ctx.store().begin().await?;
    let r = row(&mut tx, &req.id).await?;
    check_version(&r, req.expect_version)?;
    let old = criterion_scores(&mut tx, &req.id)
        .await?
        .get(&req.criterion)
        .copied();
    let new = score.map(CriterionScore::get);
    if old != new {
        write_score(&mut tx, &req.id, &req.criterion, score).await?;
        let at = crate::now();
        refresh_scores(&mut tx, &req.id, &model, &at).await?;
        touch(&mut tx, &req.id, &at).await?;
        change_log::record(
            &mut tx,
            Change::new(Entity::UseCase, &req.id, ChangeKind::Score, &actor)
                .field(&req.criterion)
                .old_value(old)
                .new_value(new)
                .demo(r.demo),
        )
        .await?;
    }
    tx.commit().await?;
    get(ctx, &req.id).await
}

/// Assigns (finding or adding the person) or clears an owner.
pub async fn set_owner(ctx: &Ctx, req: SetOwner) -> Result<UseCase> {
    let actor = ctx.actor().await?;
    let mut tx = ctx.store().begin().await?;
    let r = row(&mut tx, &req.id).await?;
    check_version(&r, req.expect_version)?;
    let old = owners(&mut tx, &req.id).await?.get(req.role).cloned();
    let new = match &req.person {
        Some(p) => Some(person::find_or_add(&mut tx, p, &actor, r.demo).await?),
        None => None,
    };
    if old.as_deref() != new.as_ref().map(|p| p.email.as_str()) {
        write_owner(
            &mut tx,
            &req.id,
            req.role,
            new.as_ref().map(|p| p.id.as_str()),
        )
        .await?;
        touch(&mut tx, &req.id, &crate::now()).await?;
        change_log::record(
            &mut tx,
            Change::new(Entity::UseCase, &req.id, ChangeKind::Owner, &actor)
                .field(req.role.as_str())
                .old_value(old)
                .new_value(new.map(|p| p.email))
                .demo(r.demo),
        )
        .await?;
    }
    tx.commit().await?;
    get(ctx, &req.id).await
}

/// What each scoring-model version last scored a use case at, newest version first.
#[derive(Debug, Clone, PartialEq, Serialize, TS, sqlx::FromRow)]
#[ts(export)]
pub struct ModelScore {
    pub model_version: i32,
    pub value_score: Option<f64>,
    pub feasibility_score: Option<f64>,
    pub quadrant: Option<String>,
    pub at: String,
}

pub async fn model_scores(ctx: &Ctx, id: &str) -> Result<Vec<ModelScore>> {
    Ok(sqlx::query_as::<_, ModelScore>(
        "SELECT model_version, value_score, feasibility_score, quadrant, at FROM use_case_model_scores
         WHERE use_case_id = ? ORDER BY model_version DESC",
    )
    .bind(id)
    .fetch_all(&ctx.store().read)
    .await?)
}

/// A use case's change log, oldest first; a deleted use case keeps its history.
pub async fn history(ctx: &Ctx, id: &str) -> Result<Vec<change_log::HistoryEntry>> {
    let entries = change_log::for_use_case(&ctx.store().read, id, None).await?;
    if entries.is_empty() {
        return Err(Error::not_found(format!("no use case with id {id}")));
    }
    Ok(entries)
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SetArchived {
    pub id: String,
    pub archived: bool,
}

/// Archives a use case (hidden from views unless asked for) or brings it back.
pub async fn set_archived(ctx: &Ctx, id: &str, archived: bool) -> Result<UseCase> {
    let actor = ctx.actor().await?;
    let mut tx = ctx.store().begin().await?;
    let r = row(&mut tx, id).await?;
    if r.archived != archived {
        sqlx::query("UPDATE use_cases SET archived = ? WHERE id = ?")
            .bind(archived)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        touch(&mut tx, id, &crate::now()).await?;
        let kind = if archived {
            ChangeKind::Archive
        } else {
            ChangeKind::Unarchive
        };
        change_log::record(
            &mut tx,
            Change::new(Entity::UseCase, id, kind, &actor).demo(r.demo),
        )
        .await?;
    }
    tx.commit().await?;
    get(ctx, id).await
}

/// Deletes a use case. Its change log stays (the audit trail), closed by a `delete` entry
/// that keeps the whole record as it was.
pub async fn delete(ctx: &Ctx, id: &str) -> Result<()> {
    let actor = ctx.actor().await?;
    let model = ctx.scoring_model().await?;
    let mut tx = ctx.store().begin().await?;
    let before = load(&mut tx, id, &model).await?;
    sqlx::query("DELETE FROM use_cases WHERE id = ?")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    change_log::record(
        &mut tx,
        Change::new(Entity::UseCase, id, ChangeKind::Delete, &actor)
            .old_value(serde_json::to_value(&before)?)
            .demo(before.demo),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
