//! The demo portfolio offered by an empty store: about forty use cases written for this
//! app, across six business units and every stage. Demo rows are marked and never sync.

use std::collections::BTreeMap;

use chrono::{Duration, Utc};
use serde::Deserialize;

use crate::change_log::{self, Change};
use crate::ctx::Ctx;
use crate::error::{Error, Result};
use crate::field::{Field, FieldValue};
use crate::kpi;
use crate::owner::OwnerRole;
use crate::person::{self, NewPerson};
use crate::stage::Stage;
use crate::use_case;
use protocol::{ChangeKind, Entity};

#[derive(Deserialize)]
struct Demo {
    people: Vec<DemoPerson>,
    use_cases: Vec<DemoUseCase>,
}

#[derive(Deserialize)]
struct DemoPerson {
    name: String,
    email: String,
    business_unit: String,
}

#[derive(Deserialize)]
struct DemoUseCase {
    title: String,
    problem: String,
    solution: String,
    business_unit: String,
    proposer: String,
    expected_benefit: Option<f64>,
    expected_cost: Option<f64>,
    data_sources: Vec<String>,
    tags: Vec<String>,
    owners: BTreeMap<OwnerRole, Option<String>>,
    scores: BTreeMap<String, i64>,
    stage: Stage,
    stage_note: Option<String>,
    left_stage: Option<Stage>,
    created_days_ago: i64,
    #[serde(default)]
    realised_benefit: Option<f64>,
    #[serde(default)]
    kpis: Vec<DemoKpi>,
    /// Reference pattern slugs, the primary first.
    #[serde(default)]
    patterns: Vec<String>,
    /// The triage questions answered yes (beside what its patterns imply); every use case
    /// that reached Proof of concept was triaged.
    #[serde(default)]
    triage_yes: Vec<String>,
}

#[derive(Deserialize)]
struct DemoKpi {
    name: String,
    unit: String,
    baseline: Option<f64>,
    target: f64,
    /// Negative: the target was due in the past.
    due_in_days: Option<i64>,
    started_days_ago: i64,
    /// (days ago, value)
    actuals: Vec<(i64, f64)>,
}

/// Loads the demo portfolio; refused unless the store has no use cases.
pub async fn load(ctx: &Ctx) -> Result<usize> {
    let actor = ctx.actor().await?;
    let demo: Demo = serde_json::from_str(include_str!("demo.json"))
        .expect("the bundled demo portfolio is valid JSON");
    let model = ctx.scoring_model().await?;
    let mut tx = ctx.store().begin().await?;
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM use_cases")
        .fetch_one(&mut *tx)
        .await?;
    if count > 0 {
        return Err(Error::validation(format!(
            "the demo portfolio loads only into an empty store; this one has {count} use case(s)"
        )));
    }
    for p in &demo.people {
        let new = NewPerson {
            email: p.email.clone(),
            name: Some(p.name.clone()),
            business_unit: Some(p.business_unit.clone()),
        };
        person::find_or_add(&mut tx, &new, &actor, true).await?;
    }
    let now = Utc::now();
    for u in &demo.use_cases {
        let created = now - Duration::days(u.created_days_ago);
        let at = |d: Duration| crate::timestamp(created + d);
        let text = |s: &str| FieldValue::Text(s.to_owned());
        let mut fields = vec![
            Field::parse("title", &text(&u.title))?,
            Field::parse("problem", &text(&u.problem))?,
            Field::parse("solution", &text(&u.solution))?,
            Field::parse("business_unit", &text(&u.business_unit))?,
            Field::parse("proposer", &text(&u.proposer))?,
            Field::parse("data_sources", &FieldValue::List(u.data_sources.clone()))?,
            Field::parse("tags", &FieldValue::List(u.tags.clone()))?,
        ];
        for (name, v) in [
            ("expected_benefit", u.expected_benefit),
            ("expected_cost", u.expected_cost),
        ] {
            fields.push(Field::parse(
                name,
                &v.map_or(FieldValue::Null, FieldValue::Number),
            )?);
        }
        let draft = crate::intake::Draft::new(fields);
        let created = at(Duration::zero());
        let ids =
            crate::intake::insert_many(&mut tx, &[draft], &u.proposer, &model, true, &created)
                .await?;
        let id = ids.into_iter().next().expect("one draft, one id");
        for (role, email) in &u.owners {
            if let Some(email) = email {
                let p = person::find_or_add(
                    &mut tx,
                    &NewPerson {
                        email: email.clone(),
                        ..Default::default()
                    },
                    &actor,
                    true,
                )
                .await?;
                sqlx::query(
                    "INSERT INTO use_case_owners (use_case_id, role, person_id) VALUES (?, ?, ?)",
                )
                .bind(&id)
                .bind(role.as_str())
                .bind(&p.id)
                .execute(&mut *tx)
                .await?;
                let c = Change::new(Entity::UseCase, &id, ChangeKind::Owner, &u.proposer)
                    .field(role.as_str())
                    .new_value(email.as_str())
                    .demo(true);
                change_log::record_at(&mut tx, c, &at(Duration::hours(1))).await?;
            }
        }
        for (criterion, score) in &u.scores {
            sqlx::query(
                "INSERT INTO use_case_scores (use_case_id, criterion, score) VALUES (?, ?, ?)",
            )
            .bind(&id)
            .bind(criterion)
            .bind(score)
            .execute(&mut *tx)
            .await?;
            let c = Change::new(Entity::UseCase, &id, ChangeKind::Score, &u.proposer)
                .field(criterion)
                .new_value(*score)
                .demo(true);
            change_log::record_at(&mut tx, c, &at(Duration::hours(2))).await?;
        }
        for (i, slug) in u.patterns.iter().enumerate() {
            sqlx::query(
                "INSERT INTO use_case_patterns (use_case_id, pattern_slug, is_primary) VALUES (?, ?, ?)",
            )
            .bind(&id)
            .bind(slug)
            .bind(i == 0)
            .execute(&mut *tx)
            .await?;
            let c = Change::new(Entity::UseCase, &id, ChangeKind::Pattern, &u.proposer)
                .field(slug)
                .new_value(if i == 0 { "primary" } else { "other" })
                .demo(true);
            change_log::record_at(&mut tx, c, &at(Duration::hours(3))).await?;
        }
        let reached = u.left_stage.unwrap_or(u.stage);
        if reached.rank() >= Stage::ProofOfConcept.rank() {
            // People talk to assistants and read what generators write: Article 50 duties.
            let mut yes = u.triage_yes.clone();
            for (pattern, duty) in [
                ("conversational-agent", "interacts-with-people"),
                ("rag-knowledge-assistant", "interacts-with-people"),
                ("generative-content", "generates-synthetic-content"),
            ] {
                if u.patterns.iter().any(|p| p == pattern) && !yes.iter().any(|y| y == duty) {
                    yes.push(duty.to_owned());
                }
            }
            crate::triage::record_demo(&mut tx, &id, &yes, &u.proposer, &at(Duration::hours(3)))
                .await?;
        }
        // A use case that reached Pilot passed its controls gate: they are in place.
        if reached.rank() >= Stage::Pilot.rank() {
            for control in crate::pattern::links::inherited(&mut tx, &id).await? {
                sqlx::query(
                    "INSERT INTO use_case_controls (use_case_id, control_slug, status, updated_at, updated_by)
                     VALUES (?, ?, 'in-place', ?, ?)",
                )
                .bind(&id)
                .bind(&control.slug)
                .bind(at(Duration::hours(4)))
                .bind(&u.proposer)
                .execute(&mut *tx)
                .await?;
                let c = Change::new(Entity::UseCase, &id, ChangeKind::Control, &u.proposer)
                    .field(&control.slug)
                    .old_value("open")
                    .new_value("in-place")
                    .demo(true);
                change_log::record_at(&mut tx, c, &at(Duration::hours(4))).await?;
            }
        }
        // Walk the path up to the stage the case reached, back-dating each move.
        let steps: Vec<Stage> = Stage::PATH
            .iter()
            .copied()
            .take_while(|s| s.rank() <= reached.rank())
            .collect();
        let span = u.created_days_ago.max(1) * 24 / (steps.len() as i64 + 1);
        let mut last = at(Duration::zero());
        for (i, pair) in steps.windows(2).enumerate() {
            last = at(Duration::hours(span * (i as i64 + 1)));
            let c = Change::new(Entity::UseCase, &id, ChangeKind::Stage, &u.proposer)
                .old_value(pair[0].as_str())
                .new_value(pair[1].as_str())
                .demo(true);
            change_log::record_at(&mut tx, c, &last).await?;
        }
        if matches!(u.stage, Stage::Parked | Stage::Retired) {
            last = at(Duration::hours(span * steps.len() as i64));
            let c = Change::new(Entity::UseCase, &id, ChangeKind::Stage, &u.proposer)
                .old_value(reached.as_str())
                .new_value(u.stage.as_str())
                .note(u.stage_note.as_deref())
                .demo(true);
            change_log::record_at(&mut tx, c, &last).await?;
        }
        sqlx::query("UPDATE use_cases SET stage = ?, left_stage = ?, stage_since = ?, updated_at = ? WHERE id = ?")
            .bind(u.stage.as_str())
            .bind(u.left_stage.map(Stage::as_str))
            .bind(&last)
            .bind(&last)
            .bind(&id)
            .execute(&mut *tx)
            .await?;
        use_case::refresh_scores(&mut tx, &id, &model, &last).await?;
        if let Some(realised) = u.realised_benefit {
            sqlx::query("UPDATE use_cases SET realised_benefit = ? WHERE id = ?")
                .bind(realised)
                .bind(&id)
                .execute(&mut *tx)
                .await?;
            let c = Change::new(Entity::UseCase, &id, ChangeKind::Field, &u.proposer)
                .field("realised_benefit")
                .new_value(realised)
                .demo(true);
            change_log::record_at(&mut tx, c, &last).await?;
        }
        for k in &u.kpis {
            let started = crate::timestamp(now - Duration::days(k.started_days_ago));
            let def = kpi::Definition {
                name: &k.name,
                unit: &k.unit,
                baseline: k.baseline,
                target: k.target,
                direction: match k.baseline {
                    Some(b) if k.target < b => kpi::Direction::Lower,
                    _ => kpi::Direction::Higher,
                },
                due: k
                    .due_in_days
                    .map(|d| (now + Duration::days(d)).date_naive().to_string()),
            };
            let kpi_id = kpi::insert(&mut tx, &id, &def, &u.proposer, &started, true).await?;
            for (days_ago, value) in &k.actuals {
                let on = now - Duration::days(*days_ago);
                let current = kpi::load(&mut tx, &kpi_id).await?;
                let day = on.date_naive().to_string();
                let at = crate::timestamp(on);
                kpi::insert_actual(&mut tx, &current, &day, *value, &u.proposer, &at, true).await?;
            }
        }
    }
    tx.commit().await?;
    Ok(demo.use_cases.len())
}
