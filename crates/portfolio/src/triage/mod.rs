//! The risk triage as this store keeps it: a use case's answers, the tier they gave and the
//! questions as they were asked (the rules themselves are the domain's `triage`).

use sqlx::SqliteConnection;

use crate::change_log::{self, Change};
use crate::ctx::Ctx;
use crate::error::{Error, Result};
pub use domain::triage::*;
use protocol::{ChangeKind, Entity};

pub(crate) mod rows;

use rows::load;

/// Records (replaces) a use case's triage under the current rule set.
pub async fn record(ctx: &Ctx, req: RecordTriage) -> Result<crate::use_case::UseCase> {
    let actor = ctx.actor().await?;
    let rules = rule_set();
    if let Some(unknown) = req
        .answers
        .keys()
        .find(|k| !rules.questions.iter().any(|q| &q.id == *k))
    {
        return Err(Error::invalid(
            "answers",
            format!(
                "`{unknown}` is not a question of the {} rule set (version {})",
                rules.id, rules.version
            ),
        ));
    }
    let mut tx = ctx.store().begin().await?;
    let (demo,): (bool,) = sqlx::query_as("SELECT demo FROM use_cases WHERE id = ?")
        .bind(&req.use_case_id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| Error::not_found(format!("no use case with id {}", req.use_case_id)))?;
    let at = crate::now();
    record_in(&mut tx, &req, &actor, &at, demo).await?;
    crate::use_case::touch(&mut tx, &req.use_case_id, &at).await?;
    tx.commit().await?;
    crate::use_case::get(ctx, &req.use_case_id).await
}

/// Writes the triage, the tier cached on the use case and the change-log entry (at `at`:
/// the demo back-dates), in the caller's transaction.
pub(crate) async fn record_in(
    conn: &mut SqliteConnection,
    req: &RecordTriage,
    actor: &str,
    at: &str,
    demo: bool,
) -> Result<()> {
    let rules = rule_set();
    let outcome = evaluate(rules, &req.answers);
    let asked = asked(rules);
    let before = load(conn, &req.use_case_id).await?;
    sqlx::query(
        "INSERT INTO use_case_triage (use_case_id, rule_set, version, answers, questions, tier, reasons, needed,
           high_impact, personal_data, at, actor)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (use_case_id) DO UPDATE SET rule_set = excluded.rule_set, version = excluded.version,
           answers = excluded.answers, questions = excluded.questions, tier = excluded.tier,
           reasons = excluded.reasons, needed = excluded.needed, high_impact = excluded.high_impact,
           personal_data = excluded.personal_data, at = excluded.at, actor = excluded.actor",
    )
    .bind(&req.use_case_id)
    .bind(&rules.id)
    .bind(rules.version)
    .bind(serde_json::to_string(&req.answers)?)
    .bind(serde_json::to_string(&asked)?)
    .bind(outcome.tier.as_str())
    .bind(serde_json::to_string(&outcome.reasons)?)
    .bind(serde_json::to_string(&outcome.needed)?)
    .bind(req.high_impact)
    .bind(req.personal_data)
    .bind(at)
    .bind(actor)
    .execute(&mut *conn)
    .await?;
    sqlx::query("UPDATE use_cases SET risk_tier = ? WHERE id = ?")
        .bind(outcome.tier.as_str())
        .bind(&req.use_case_id)
        .execute(&mut *conn)
        .await?;
    change_log::record_at(
        conn,
        Change::new(Entity::UseCase, &req.use_case_id, ChangeKind::Triage, actor)
            .field(&rules.id)
            .old_value(before.map(|b| b.outcome.tier.as_str()))
            .new_value(serde_json::json!({
                "tier": outcome.tier.as_str(), "answers": req.answers,
                "high_impact": req.high_impact, "personal_data": req.personal_data,
                "version": rules.version,
            }))
            .note(outcome.reasons.first().map(String::as_str))
            .demo(demo),
        at,
    )
    .await
}

/// The demo portfolio's triages: every question answered, `yes` the ones said yes to.
pub(crate) async fn record_demo(
    conn: &mut SqliteConnection,
    use_case_id: &str,
    yes: &[String],
    actor: &str,
    at: &str,
) -> Result<()> {
    let answers = rule_set()
        .questions
        .iter()
        .map(|q| (q.id.clone(), yes.contains(&q.id)))
        .collect();
    let req = RecordTriage {
        use_case_id: use_case_id.to_owned(),
        answers,
        high_impact: None,
        personal_data: None,
    };
    record_in(conn, &req, actor, at, true).await
}
