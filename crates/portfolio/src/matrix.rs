//! The value/feasibility matrix: one point per scored use case that the filters allow, with
//! what the chart needs to place, size and colour it, and the quadrant thresholds.

use serde::{Deserialize, Serialize};
use sqlx::sqlite::SqliteArguments;
use ts_rs::TS;

use crate::ctx::Ctx;
use crate::error::Result;
use crate::scoring::{Quadrant, Thresholds};
use crate::stage::Stage;
use crate::view::{Filters, where_clause};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MatrixPoint {
    pub id: String,
    pub title: String,
    pub stage: Stage,
    pub business_unit: String,
    pub value_score: f64,
    pub feasibility_score: f64,
    pub quadrant: Quadrant,
    pub expected_benefit: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Matrix {
    pub thresholds: Thresholds,
    /// Highest priority first.
    pub points: Vec<MatrixPoint>,
    /// Use cases the filters allow that are not fully scored (not on the chart).
    pub unscored: i32,
}

pub async fn matrix(ctx: &Ctx, filters: &Filters) -> Result<Matrix> {
    let thresholds = ctx.scoring_model().await?.thresholds;
    // The filters' clause with one more condition (each query binds its own arguments).
    let clause = |extra: &str, args: &mut SqliteArguments| -> Result<String> {
        let c = where_clause(filters, args)?;
        Ok(if c.is_empty() {
            format!("WHERE {extra}")
        } else {
            format!("{c} AND {extra}")
        })
    };
    let mut args = SqliteArguments::default();
    let scored = clause("u.priority IS NOT NULL", &mut args)?;
    let mut count_args = SqliteArguments::default();
    let unscored_clause = clause("u.priority IS NULL", &mut count_args)?;
    // Built as one JSON document in SQLite, like the table's pages.
    let points: String = sqlx::query_scalar_with(
        sqlx::AssertSqlSafe(format!(
            "SELECT json_group_array(json_object('id', id, 'title', title, 'stage', stage,
                 'business_unit', business_unit, 'value_score', value_score,
                 'feasibility_score', feasibility_score, 'quadrant', quadrant,
                 'expected_benefit', expected_benefit))
             FROM (SELECT u.* FROM use_cases u {scored}
                   ORDER BY u.priority DESC, u.value_score DESC, u.title COLLATE NOCASE, u.id)"
        )),
        args,
    )
    .fetch_one(&ctx.store().read)
    .await?;
    let unscored: i32 = sqlx::query_scalar_with(
        sqlx::AssertSqlSafe(format!(
            "SELECT COUNT(*) FROM use_cases u {unscored_clause}"
        )),
        count_args,
    )
    .fetch_one(&ctx.store().read)
    .await?;
    Ok(Matrix {
        thresholds,
        points: serde_json::from_str(&points)?,
        unscored,
    })
}
