//! A use case's triage as the store holds it: the answers, the tier they gave and the
//! questions as they were asked, read back with what a newer rule set changed since.

use std::collections::BTreeMap;

use sqlx::SqliteConnection;

use crate::error::Result;
use domain::triage::{Asked, Outcome, Tier, Triage, affected, rule_set};

#[derive(sqlx::FromRow)]
struct Row {
    rule_set: String,
    version: i32,
    answers: sqlx::types::Json<BTreeMap<String, bool>>,
    questions: sqlx::types::Json<BTreeMap<String, Asked>>,
    tier: String,
    reasons: sqlx::types::Json<Vec<String>>,
    needed: sqlx::types::Json<Vec<String>>,
    high_impact: Option<bool>,
    personal_data: Option<bool>,
    at: String,
    actor: String,
}

/// A use case's triage, if one was recorded.
pub(crate) async fn load(conn: &mut SqliteConnection, use_case_id: &str) -> Result<Option<Triage>> {
    let row: Option<Row> = sqlx::query_as(
        "SELECT rule_set, version, answers, questions, tier, reasons, needed, high_impact, personal_data, at, actor
         FROM use_case_triage WHERE use_case_id = ?",
    )
    .bind(use_case_id)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|r| {
        let affected = affected(rule_set(), r.version, &r.questions, &r.answers);
        Ok(Triage {
            rule_set: r.rule_set,
            version: r.version,
            outcome: Outcome {
                tier: Tier::parse(&r.tier)?,
                reasons: r.reasons.0,
                needed: r.needed.0,
            },
            answers: r.answers.0,
            high_impact: r.high_impact,
            personal_data: r.personal_data,
            at: r.at,
            actor: r.actor,
            needs_retriage: !affected.is_empty(),
            affected,
        })
    })
    .transpose()
}
