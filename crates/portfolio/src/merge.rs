//! Merging two use cases that turn out to be one effort: one survives and takes what the
//! other has and it lacks (text, numbers, lists, attributes, owners, scores, patterns,
//! control statuses, KPIs); the other is archived, pointing at it, and its history shows
//! in the survivor's. Nothing is deleted, and the merge is recorded on both.

use sqlx::SqliteConnection;

use crate::change_log::{self, Change};
use crate::ctx::Ctx;
use crate::error::{Error, Result};
use crate::field::{Field, FieldValue};
use crate::owner::OwnerRole;
use crate::use_case::{self, UseCase};
use protocol::{ChangeKind, Entity};

/// What `other` can fill in on `keep`: only what `keep` does not have (a list is joined).
fn fields_to_take(keep: &UseCase, other: &UseCase) -> Result<Vec<Field>> {
    let mut take = vec![];
    let texts = [
        ("problem", &keep.problem, &other.problem),
        ("solution", &keep.solution, &other.solution),
        ("business_unit", &keep.business_unit, &other.business_unit),
    ];
    for (name, k, o) in texts {
        if k.is_empty() && !o.is_empty() {
            take.push(Field::parse(name, &FieldValue::Text(o.clone()))?);
        }
    }
    if keep.proposer.is_none()
        && let Some(p) = &other.proposer
    {
        take.push(Field::parse("proposer", &FieldValue::Text(p.clone()))?);
    }
    let numbers = [
        (
            "expected_benefit",
            keep.expected_benefit,
            other.expected_benefit,
        ),
        ("expected_cost", keep.expected_cost, other.expected_cost),
    ];
    for (name, k, o) in numbers {
        if let (None, Some(n)) = (k, o) {
            take.push(Field::parse(name, &FieldValue::Number(n))?);
        }
    }
    let lists = [
        ("data_sources", &keep.data_sources, &other.data_sources),
        ("tags", &keep.tags, &other.tags),
    ];
    for (name, k, o) in lists {
        let joined: Vec<String> = k.iter().chain(o).cloned().collect();
        let f = Field::parse(name, &FieldValue::List(joined))?;
        if use_case::differs(keep, &f) {
            take.push(f);
        }
    }
    for (attr, value) in &other.attributes {
        if !keep.attributes.contains_key(attr) {
            take.push(Field::Attribute(attr.clone(), Some(value.clone())));
        }
    }
    Ok(take)
}

/// Two use cases to merge: the other goes into the one kept.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct Merge {
    pub keep_id: String,
    pub other_id: String,
}

/// Merges `other` into `keep`; returns the survivor.
pub async fn merge(ctx: &Ctx, keep_id: &str, other_id: &str) -> Result<UseCase> {
    if keep_id == other_id {
        return Err(Error::invalid(
            "other",
            "a use case cannot be merged into itself",
        ));
    }
    let actor = ctx.actor().await?;
    let model = ctx.scoring_model().await?;
    let mut tx = ctx.store().begin().await?;
    let keep = use_case::load(&mut tx, keep_id, &model).await?;
    let other = use_case::load(&mut tx, other_id, &model).await?;
    let merged_into: Option<String> =
        sqlx::query_scalar("SELECT merged_into FROM use_cases WHERE id = ?")
            .bind(other_id)
            .fetch_one(&mut *tx)
            .await?;
    if let Some(into) = merged_into {
        return Err(Error::invalid(
            "other",
            format!("“{}” was already merged into {into}", other.title),
        ));
    }
    let note = format!("merged from “{}” ({})", other.title, other.id);
    let owners: Vec<(OwnerRole, Option<String>)> = OwnerRole::ALL
        .into_iter()
        .filter(|r| keep.owners.get(*r).is_none())
        .filter_map(|r| other.owners.get(r).map(|e| (r, Some(e.clone()))))
        .collect();
    let fields = fields_to_take(&keep, &other)?;
    use_case::update_in(&mut tx, &keep, &fields, &owners, &actor, Some(&note)).await?;

    // Scores of criteria the survivor has not scored.
    let mut scored = false;
    for (criterion, score) in other.scores.iter().filter_map(|(c, s)| s.map(|s| (c, s))) {
        if keep.scores.get(criterion).copied().flatten().is_none() {
            sqlx::query(
                "INSERT INTO use_case_scores (use_case_id, criterion, score) VALUES (?, ?, ?)",
            )
            .bind(keep_id)
            .bind(criterion)
            .bind(score)
            .execute(&mut *tx)
            .await?;
            change_log::record(
                &mut tx,
                Change::new(Entity::UseCase, keep_id, ChangeKind::Score, &actor)
                    .field(criterion)
                    .new_value(score)
                    .note(Some(&note))
                    .demo(keep.demo),
            )
            .await?;
            scored = true;
        }
    }
    if scored {
        use_case::refresh_scores(&mut tx, keep_id, &model, &crate::now()).await?;
    }

    // Patterns: the survivor keeps its primary; the other's join as others (or as primary
    // when the survivor had none).
    let has_primary = keep.patterns.iter().any(|p| p.primary);
    for p in &other.patterns {
        if keep.patterns.iter().any(|k| k.slug == p.slug) {
            continue;
        }
        let primary = p.primary && !has_primary;
        sqlx::query(
            "INSERT INTO use_case_patterns (use_case_id, pattern_slug, is_primary) VALUES (?, ?, ?)",
        )
        .bind(keep_id)
        .bind(&p.slug)
        .bind(primary)
        .execute(&mut *tx)
        .await?;
        change_log::record(
            &mut tx,
            Change::new(Entity::UseCase, keep_id, ChangeKind::Pattern, &actor)
                .field(&p.slug)
                .new_value(if primary { "primary" } else { "other" })
                .note(Some(&note))
                .demo(keep.demo),
        )
        .await?;
    }
    fold_into(&mut tx, keep_id, other_id, &crate::now()).await?;
    let both =
        serde_json::json!({ "kept": keep_id, "merged": other_id, "merged_title": other.title });
    for (id, demo) in [(keep_id, keep.demo), (other_id, other.demo)] {
        change_log::record(
            &mut tx,
            Change::new(Entity::UseCase, id, ChangeKind::Merge, &actor)
                .new_value(both.clone())
                .demo(demo),
        )
        .await?;
    }
    use_case::touch(&mut tx, keep_id, &crate::now()).await?;
    tx.commit().await?;
    use_case::get(ctx, keep_id).await
}

/// The part of a merge no field change carries: the survivor takes the other's control
/// statuses it has not set and its KPIs (one whose name it already uses says where it came
/// from), and the other is archived, pointing at the survivor. The merge and a merge
/// arriving from the registry both end with this.
pub(crate) async fn fold_into(
    conn: &mut SqliteConnection,
    keep_id: &str,
    other_id: &str,
    now: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT OR IGNORE INTO use_case_controls (use_case_id, control_slug, status, note, updated_at, updated_by)
         SELECT ?1, control_slug, status, note, updated_at, updated_by FROM use_case_controls WHERE use_case_id = ?2",
    )
    .bind(keep_id)
    .bind(other_id)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "UPDATE kpis SET use_case_id = ?1,
           name = CASE WHEN EXISTS (SELECT 1 FROM kpis k WHERE k.use_case_id = ?1 AND k.name = kpis.name COLLATE NOCASE)
                  THEN name || ' (' || (SELECT title FROM use_cases WHERE id = ?2) || ')' ELSE name END
         WHERE use_case_id = ?2",
    )
    .bind(keep_id)
    .bind(other_id)
    .execute(&mut *conn)
    .await?;
    sqlx::query("UPDATE use_cases SET archived = 1, merged_into = ?, updated_at = ?, version = version + 1 WHERE id = ?")
        .bind(keep_id)
        .bind(now)
        .bind(other_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
