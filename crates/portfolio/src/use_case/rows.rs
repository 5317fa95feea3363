//! A use case as its rows hold it: the row, its owners and criterion scores, read back whole
//! and scored by the active model; its version and update time; its cached scores.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;
use sqlx::SqliteConnection;
use ts_rs::TS;

use crate::error::{Error, ErrorCode, Result};
use crate::owner::{OwnerRole, Owners};
use crate::scoring::{Breakdown, Quadrant, ScoringModel};
use crate::stage::Stage;

/// A use case, whole: what `show --json` prints and the detail panel edits.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct UseCase {
    pub id: String,
    pub title: String,
    pub stage: Stage,
    pub business_unit: String,
    pub value_score: Option<f64>,
    pub feasibility_score: Option<f64>,
    pub priority: Option<f64>,
    pub quadrant: Option<Quadrant>,
    pub owners: Owners,
    pub tags: Vec<String>,
    pub archived: bool,
    pub updated_at: String,
    pub problem: String,
    pub solution: String,
    pub proposer: Option<String>,
    pub expected_benefit: Option<f64>,
    pub expected_cost: Option<f64>,
    /// The annual benefit realised, recorded from Pilot on.
    pub realised_benefit: Option<f64>,
    pub data_sources: Vec<String>,
    /// Every criterion of the active model, `null` until scored.
    pub scores: BTreeMap<String, Option<u8>>,
    pub score_breakdown: Breakdown,
    pub attributes: BTreeMap<String, String>,
    pub source_id: Option<String>,
    pub version: i32,
    pub created_at: String,
    pub stage_since: String,
    /// The stage a parked or retired use case left.
    pub left_stage: Option<Stage>,
    pub demo: bool,
    /// Primary first.
    pub patterns: Vec<crate::pattern::links::PatternLink>,
    pub no_pattern_reason: Option<String>,
    /// The controls its patterns require, with their status here.
    pub controls: Vec<crate::pattern::links::InheritedControl>,
    /// The EU AI Act triage, once recorded.
    pub triage: Option<domain::triage::Triage>,
}

impl UseCase {
    /// Whether the use case is at `stage` or past it on the gated path; a parked or retired
    /// one counts by the stage it left.
    pub fn has_reached(&self, stage: Stage) -> bool {
        self.stage.on_path(self.left_stage).rank() >= stage.rank()
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct UseCaseRow {
    pub id: String,
    pub title: String,
    pub problem: String,
    pub solution: String,
    pub business_unit: String,
    pub proposer: Option<String>,
    pub expected_benefit: Option<f64>,
    pub expected_cost: Option<f64>,
    pub realised_benefit: Option<f64>,
    pub no_pattern_reason: Option<String>,
    pub data_sources: String,
    pub tags: String,
    pub attributes: String,
    pub source_id: Option<String>,
    pub stage: String,
    pub stage_since: String,
    pub left_stage: Option<String>,
    pub archived: bool,
    pub demo: bool,
    pub version: i32,
    pub created_at: String,
    pub updated_at: String,
}

const ROW_SQL: &str =
    "SELECT u.id, u.title, u.problem, u.solution, u.business_unit, p.email AS proposer,
    u.expected_benefit, u.expected_cost, u.realised_benefit, u.no_pattern_reason, u.data_sources, u.tags, u.attributes, u.source_id, u.stage,
    u.stage_since, u.left_stage, u.archived, u.demo, u.version, u.created_at, u.updated_at
    FROM use_cases u LEFT JOIN people p ON p.id = u.proposer_id WHERE u.id = ?";

fn json_list(s: &str) -> Result<Vec<String>> {
    Ok(serde_json::from_str(s)?)
}

pub(crate) async fn row(conn: &mut SqliteConnection, id: &str) -> Result<UseCaseRow> {
    sqlx::query_as::<_, UseCaseRow>(ROW_SQL)
        .bind(id)
        .fetch_optional(conn)
        .await?
        .ok_or_else(|| Error::not_found(format!("no use case with id {id}")))
}

pub(crate) async fn owners(conn: &mut SqliteConnection, id: &str) -> Result<Owners> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT o.role, p.email FROM use_case_owners o JOIN people p ON p.id = o.person_id WHERE o.use_case_id = ?",
    )
    .bind(id)
    .fetch_all(conn)
    .await?;
    let mut owners = Owners::default();
    for (role, email) in rows {
        owners.set(OwnerRole::parse(&role)?, Some(email));
    }
    Ok(owners)
}

pub(crate) async fn criterion_scores(
    conn: &mut SqliteConnection,
    id: &str,
) -> Result<HashMap<String, u8>> {
    let rows: Vec<(String, i64)> =
        sqlx::query_as("SELECT criterion, score FROM use_case_scores WHERE use_case_id = ?")
            .bind(id)
            .fetch_all(conn)
            .await?;
    Ok(rows.into_iter().map(|(c, s)| (c, s as u8)).collect())
}

/// Reads one use case, scored by `model`.
pub(crate) async fn load(
    conn: &mut SqliteConnection,
    id: &str,
    model: &ScoringModel,
) -> Result<UseCase> {
    let r = row(conn, id).await?;
    let owners = owners(conn, id).await?;
    let raw = criterion_scores(conn, id).await?;
    let s = model.score(&raw);
    Ok(UseCase {
        scores: model
            .criteria()
            .map(|(_, c)| (c.slug.clone(), raw.get(&c.slug).copied()))
            .collect(),
        value_score: s.value_score,
        feasibility_score: s.feasibility_score,
        priority: s.priority,
        quadrant: s.quadrant,
        score_breakdown: s.breakdown,
        owners,
        stage: Stage::parse(&r.stage)?,
        left_stage: r.left_stage.as_deref().map(Stage::parse).transpose()?,
        tags: json_list(&r.tags)?,
        data_sources: json_list(&r.data_sources)?,
        attributes: serde_json::from_str(&r.attributes)?,
        id: r.id,
        title: r.title,
        business_unit: r.business_unit,
        archived: r.archived,
        updated_at: r.updated_at,
        problem: r.problem,
        solution: r.solution,
        proposer: r.proposer,
        expected_benefit: r.expected_benefit,
        expected_cost: r.expected_cost,
        realised_benefit: r.realised_benefit,
        no_pattern_reason: r.no_pattern_reason,
        patterns: crate::pattern::links::links(conn, id).await?,
        controls: crate::pattern::links::inherited(conn, id).await?,
        triage: crate::triage::rows::load(conn, id).await?,
        source_id: r.source_id,
        version: r.version,
        created_at: r.created_at,
        stage_since: r.stage_since,
        demo: r.demo,
    })
}

/// Refuses an edit made against an older version of the record.
pub(crate) fn check_version(r: &UseCaseRow, expect: Option<i32>) -> Result<()> {
    match expect {
        Some(v) if v != r.version => Err(Error::new(
            ErrorCode::Stale,
            format!(
                "“{}” was changed since you opened it (you had version {v}, it is now at {}); \
                 reload it and make your change again",
                r.title, r.version
            ),
        )),
        _ => Ok(()),
    }
}

/// Marks a use case changed: a new version and update time.
pub(crate) async fn touch(conn: &mut SqliteConnection, id: &str, at: &str) -> Result<()> {
    sqlx::query("UPDATE use_cases SET version = version + 1, updated_at = ? WHERE id = ?")
        .bind(at)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Recomputes the cached scores of one use case and records what this model version gave it.
pub(crate) async fn refresh_scores(
    conn: &mut SqliteConnection,
    id: &str,
    model: &ScoringModel,
    at: &str,
) -> Result<()> {
    let raw = criterion_scores(conn, id).await?;
    let s = model.score(&raw);
    let quadrant = s.quadrant.map(Quadrant::as_str);
    sqlx::query("UPDATE use_cases SET value_score = ?, feasibility_score = ?, priority = ?, quadrant = ?, score_digits = ? WHERE id = ?")
        .bind(s.value_score)
        .bind(s.feasibility_score)
        .bind(s.priority)
        .bind(quadrant)
        .bind(model.digits(&raw))
        .bind(id)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO use_case_model_scores (use_case_id, model_version, value_score, feasibility_score, quadrant, at)
         VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (use_case_id, model_version) DO UPDATE SET value_score = excluded.value_score,
           feasibility_score = excluded.feasibility_score, quadrant = excluded.quadrant, at = excluded.at",
    )
    .bind(id)
    .bind(model.version)
    .bind(s.value_score)
    .bind(s.feasibility_score)
    .bind(quadrant)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(())
}
