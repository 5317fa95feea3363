//! What an export reads: one row per use case (everything the Portfolio and Scoring sheets
//! show), the figures of the summary sheets, and the stage moves, all from one read
//! snapshot so the sheets agree with each other; and what it hands its writers (the cover,
//! then batches of rows).

use std::collections::{BTreeMap, HashMap};

use serde::Deserialize;
use sqlx::SqliteConnection;
use sqlx::sqlite::SqliteArguments;

use crate::error::Result;
use crate::stage::Stage;
use crate::view::{self, Filters};

/// What the Cover sheet says, fixed before the first row is written.
pub(crate) struct Cover {
    pub generated_at: chrono::NaiveDateTime,
    pub today: chrono::NaiveDate,
    pub by: String,
    pub filters: String,
    pub model: crate::scoring::ScoringModel,
    pub currency: String,
    pub date_format: crate::settings::DateFormat,
}

/// What flows from the reader to the writer.
pub(crate) enum Batch {
    Rows(Vec<ExportRow>),
    Moves(Vec<Move>),
}

#[derive(Debug, Clone, Deserialize)]
pub(crate) struct OwnerCell {
    pub email: String,
    pub name: String,
}

/// One use case as the export writes it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct ExportRow {
    pub id: String,
    pub title: String,
    pub problem: String,
    pub solution: String,
    pub business_unit: String,
    pub proposer: Option<String>,
    pub expected_benefit: Option<f64>,
    pub expected_cost: Option<f64>,
    pub realised_benefit: Option<f64>,
    pub data_sources: sqlx::types::Json<Vec<String>>,
    pub tags: sqlx::types::Json<Vec<String>>,
    pub attributes: sqlx::types::Json<BTreeMap<String, String>>,
    pub source_id: Option<String>,
    pub stage: String,
    pub stage_since: String,
    pub archived: bool,
    pub version: i32,
    pub created_at: String,
    pub updated_at: String,
    pub value_score: Option<f64>,
    pub feasibility_score: Option<f64>,
    pub priority: Option<f64>,
    pub quadrant: Option<String>,
    /// Role → owner.
    pub owners: sqlx::types::Json<BTreeMap<String, OwnerCell>>,
    /// Pattern slugs, the primary first and marked.
    pub patterns: Option<String>,
    pub risk_tier: Option<String>,
    /// Criterion slug → 1–5.
    pub scores: sqlx::types::Json<HashMap<String, u8>>,
}

impl ExportRow {
    pub fn owner_email(&self, role: &str) -> &str {
        self.owners.get(role).map_or("", |o| o.email.as_str())
    }
}

const ROW_SQL: &str = "SELECT u.id, u.title, u.problem, u.solution, u.business_unit,
    (SELECT p.email FROM people p WHERE p.id = u.proposer_id) AS proposer,
    u.expected_benefit, u.expected_cost, u.realised_benefit, u.data_sources, u.tags, u.attributes, u.source_id,
    u.stage, u.stage_since, u.archived, u.version, u.created_at, u.updated_at,
    u.value_score, u.feasibility_score, u.priority, u.quadrant, u.risk_tier,
    (SELECT json_group_object(o.role, json_object('email', p.email, 'name', p.name))
       FROM use_case_owners o JOIN people p ON p.id = o.person_id WHERE o.use_case_id = u.id) AS owners,
    (SELECT group_concat(slug, ', ') FROM (SELECT p.pattern_slug || CASE WHEN p.is_primary THEN ' (primary)' ELSE '' END AS slug
       FROM use_case_patterns p WHERE p.use_case_id = u.id ORDER BY p.is_primary DESC, p.pattern_slug)) AS patterns,
    (SELECT json_group_object(s.criterion, s.score) FROM use_case_scores s WHERE s.use_case_id = u.id) AS scores
    FROM use_cases u";

/// The rows of one stage in export order (by priority), for each stage the filters allow,
/// in path order. Grouping by stage lets the matrix chart draw one series per stage from one
/// contiguous block of the Scoring sheet (scored use cases first within it); one query per
/// stage reads in index order, so SQLite streams the rows instead of sorting them all.
pub(crate) fn rows_queries(filters: &Filters) -> Result<Vec<(String, SqliteArguments)>> {
    Stage::ALL
        .into_iter()
        .filter(|s| filters.stage.is_empty() || filters.stage.contains(s))
        .map(|s| {
            let one = Filters {
                stage: vec![s],
                ..filters.clone()
            };
            let mut args = SqliteArguments::default();
            let clause = view::where_clause(&one, &mut args)?;
            let order = view::order_by(None)?;
            Ok((format!("{ROW_SQL} {clause} ORDER BY {order}"), args))
        })
        .collect()
}

/// Per stage: how many use cases, how many fully scored, their expected benefit.
#[derive(Debug, Clone, Default)]
pub(crate) struct StageFigures {
    pub count: u32,
    pub scored: u32,
    pub benefit: f64,
}

/// Everything the export knows before the first row: the layout depends on it.
#[derive(Debug, Clone, Default)]
pub(crate) struct Figures {
    pub total: u32,
    pub benefit: f64,
    pub by_stage: Vec<(Stage, StageFigures)>,
    /// Business unit → (count, benefit), most use cases first.
    pub by_business_unit: Vec<(String, u32, f64)>,
    /// Custom attribute names in use, each a column of its own.
    pub attributes: Vec<String>,
    pub moves: u32,
}

pub(crate) async fn figures(conn: &mut SqliteConnection, filters: &Filters) -> Result<Figures> {
    let mut args = SqliteArguments::default();
    let clause = view::where_clause(filters, &mut args)?;
    let stages: Vec<(String, u32, u32, f64)> = sqlx::query_as_with(
        sqlx::AssertSqlSafe(format!(
            "SELECT u.stage, COUNT(*), COUNT(u.priority), TOTAL(u.expected_benefit) FROM use_cases u {clause} GROUP BY u.stage"
        )),
        args,
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut by_stage: Vec<(Stage, StageFigures)> = Stage::ALL
        .iter()
        .map(|s| (*s, StageFigures::default()))
        .collect();
    for (stage, count, scored, benefit) in stages {
        let stage = Stage::parse(&stage)?;
        if let Some((_, f)) = by_stage.iter_mut().find(|(s, _)| *s == stage) {
            *f = StageFigures {
                count,
                scored,
                benefit,
            };
        }
    }

    let mut args = SqliteArguments::default();
    let clause = view::where_clause(filters, &mut args)?;
    let by_business_unit: Vec<(String, u32, f64)> = sqlx::query_as_with(
        sqlx::AssertSqlSafe(format!(
            "SELECT u.business_unit, COUNT(*) AS n, TOTAL(u.expected_benefit) FROM use_cases u {clause}
             GROUP BY u.business_unit ORDER BY n DESC, u.business_unit COLLATE NOCASE"
        )),
        args,
    )
    .fetch_all(&mut *conn)
    .await?;

    let mut args = SqliteArguments::default();
    let clause = view::where_clause(filters, &mut args)?;
    let attributes: Vec<String> = sqlx::query_scalar_with(
        sqlx::AssertSqlSafe(format!(
            "SELECT DISTINCT a.key FROM use_cases u, json_each(u.attributes) a {clause} ORDER BY a.key"
        )),
        args,
    )
    .fetch_all(&mut *conn)
    .await?;

    let (history_sql, args) = history_query(filters, true)?;
    let moves: u32 = sqlx::query_scalar_with(sqlx::AssertSqlSafe(history_sql), args)
        .fetch_one(&mut *conn)
        .await?;

    Ok(Figures {
        total: by_stage.iter().map(|(_, f)| f.count).sum(),
        benefit: by_stage.iter().map(|(_, f)| f.benefit).sum(),
        by_stage,
        by_business_unit,
        attributes,
        moves,
    })
}

/// One stage move of an exported use case.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct Move {
    pub at: String,
    pub title: String,
    pub from_stage: Option<String>,
    pub to_stage: Option<String>,
    pub actor: String,
    pub note: Option<String>,
    pub use_case_id: String,
}

/// Every stage move of the filtered use cases, oldest first (or just how many).
pub(crate) fn history_query(filters: &Filters, count: bool) -> Result<(String, SqliteArguments)> {
    let mut args = SqliteArguments::default();
    let clause = view::where_clause(filters, &mut args)?;
    let select = if count {
        "SELECT COUNT(*)"
    } else {
        "SELECT c.at, u.title, json_extract(c.old, '$') AS from_stage, json_extract(c.new, '$') AS to_stage,
           c.actor, c.note, c.use_case_id"
    };
    let order = if count { "" } else { "ORDER BY c.at, c.seq" };
    Ok((
        format!(
            "{select} FROM change_log c JOIN use_cases u ON u.id = c.use_case_id AND c.kind = 'stage'
             {clause} {order}"
        ),
        args,
    ))
}
