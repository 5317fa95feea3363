//! The row writers of a use case's edits: a field, an owner, a criterion score, each in the
//! caller's transaction (the operations record the change-log entries they stand for).

use std::collections::BTreeMap;

use sqlx::SqliteConnection;

use crate::change_log::{self, Change};
use crate::error::{Error, Result};
use crate::field::Field;
use crate::owner::OwnerRole;
use crate::person::{self};
use crate::scoring::CriterionScore;
use crate::stage::Stage;
use protocol::{ChangeKind, Entity};

use super::rows::{UseCase, touch};

/// Writes one field to the row (no change-log entry: the caller records it).
pub(crate) async fn apply(
    conn: &mut SqliteConnection,
    id: &str,
    field: &Field,
    actor: &str,
    demo: bool,
) -> Result<()> {
    let column = |c: &'static str| format!("UPDATE use_cases SET {c} = ? WHERE id = ?");
    let q = match field {
        Field::Title(s) => sqlx::query(sqlx::AssertSqlSafe(column("title"))).bind(s.clone()),
        Field::Problem(s) => sqlx::query(sqlx::AssertSqlSafe(column("problem"))).bind(s.clone()),
        Field::Solution(s) => sqlx::query(sqlx::AssertSqlSafe(column("solution"))).bind(s.clone()),
        Field::BusinessUnit(s) => {
            sqlx::query(sqlx::AssertSqlSafe(column("business_unit"))).bind(s.clone())
        }
        Field::ExpectedBenefit(n) => {
            sqlx::query(sqlx::AssertSqlSafe(column("expected_benefit"))).bind(*n)
        }
        Field::ExpectedCost(n) => {
            sqlx::query(sqlx::AssertSqlSafe(column("expected_cost"))).bind(*n)
        }
        Field::RealisedBenefit(n) => {
            sqlx::query(sqlx::AssertSqlSafe(column("realised_benefit"))).bind(*n)
        }
        Field::NoPatternReason(s) => {
            sqlx::query(sqlx::AssertSqlSafe(column("no_pattern_reason"))).bind(s.clone())
        }
        Field::DataSources(v) => {
            sqlx::query(sqlx::AssertSqlSafe(column("data_sources"))).bind(serde_json::to_string(v)?)
        }
        Field::Proposer(email) => {
            let person_id = match email {
                Some(e) => Some(person::find_or_add_email(conn, e, actor, demo).await?.id),
                None => None,
            };
            sqlx::query(sqlx::AssertSqlSafe(column("proposer_id"))).bind(person_id)
        }
        Field::Tags(v) => {
            sqlx::query("DELETE FROM use_case_tags WHERE use_case_id = ?")
                .bind(id)
                .execute(&mut *conn)
                .await?;
            for t in v {
                sqlx::query("INSERT OR IGNORE INTO use_case_tags (use_case_id, tag) VALUES (?, ?)")
                    .bind(id)
                    .bind(t)
                    .execute(&mut *conn)
                    .await?;
            }
            sqlx::query(sqlx::AssertSqlSafe(column("tags"))).bind(serde_json::to_string(v)?)
        }
        Field::Attribute(name, value) => {
            let (attrs,): (String,) =
                sqlx::query_as("SELECT attributes FROM use_cases WHERE id = ?")
                    .bind(id)
                    .fetch_one(&mut *conn)
                    .await?;
            let mut attrs: BTreeMap<String, String> = serde_json::from_str(&attrs)?;
            match value {
                Some(v) => attrs.insert(name.clone(), v.clone()),
                None => attrs.remove(name),
            };
            sqlx::query(sqlx::AssertSqlSafe(column("attributes")))
                .bind(serde_json::to_string(&attrs)?)
        }
    };
    q.bind(id).execute(conn).await?;
    Ok(())
}

/// The current value of a field, as the change log records it (`old`).
fn current(uc: &UseCase, field: &Field) -> serde_json::Value {
    match field {
        Field::Title(_) => uc.title.clone().into(),
        Field::Problem(_) => uc.problem.clone().into(),
        Field::Solution(_) => uc.solution.clone().into(),
        Field::BusinessUnit(_) => uc.business_unit.clone().into(),
        Field::Proposer(_) => uc.proposer.clone().into(),
        Field::ExpectedBenefit(_) => uc.expected_benefit.into(),
        Field::ExpectedCost(_) => uc.expected_cost.into(),
        Field::RealisedBenefit(_) => uc.realised_benefit.into(),
        Field::NoPatternReason(_) => uc.no_pattern_reason.clone().into(),
        Field::DataSources(_) => uc.data_sources.clone().into(),
        Field::Tags(_) => uc.tags.clone().into(),
        Field::Attribute(n, _) => uc.attributes.get(n).cloned().into(),
    }
}

/// Whether a field's new value differs from what the use case holds.
pub(crate) fn differs(before: &UseCase, f: &Field) -> bool {
    let (old, new) = (current(before, f), f.json());
    !(old == new || (old.is_null() && new == ""))
}

/// Writes the fields and owners that differ, each with its change-log entry (with `note`),
/// in the caller's transaction; returns whether anything changed.
pub(crate) async fn update_in(
    conn: &mut SqliteConnection,
    before: &UseCase,
    fields: &[Field],
    owners: &[(OwnerRole, Option<String>)],
    actor: &str,
    note: Option<&str>,
) -> Result<bool> {
    let id = before.id.as_str();
    let mut changed = false;
    for f in fields.iter().filter(|f| differs(before, f)) {
        if let Field::RealisedBenefit(Some(_)) = f
            && !before.has_reached(Stage::Pilot)
        {
            return Err(Error::invalid(
                "realised_benefit",
                format!(
                    "a realised benefit is recorded from Pilot on; “{}” is at {}",
                    before.title,
                    before.stage.label()
                ),
            ));
        }
        apply(conn, id, f, actor, before.demo).await?;
        change_log::record(
            conn,
            Change::new(Entity::UseCase, id, ChangeKind::Field, actor)
                .field(&f.name())
                .old_value(current(before, f))
                .new_value(f.json())
                .note(note)
                .demo(before.demo),
        )
        .await?;
        changed = true;
    }
    for (role, email) in owners {
        let old = before.owners.get(*role).cloned();
        if old.as_deref() == email.as_deref() {
            continue;
        }
        let person = match email {
            Some(e) => Some(person::find_or_add_email(conn, e, actor, before.demo).await?),
            None => None,
        };
        write_owner(conn, id, *role, person.as_ref().map(|p| p.id.as_str())).await?;
        change_log::record(
            conn,
            Change::new(Entity::UseCase, id, ChangeKind::Owner, actor)
                .field(role.as_str())
                .old_value(old)
                .new_value(person.map(|p| p.email))
                .note(note)
                .demo(before.demo),
        )
        .await?;
        changed = true;
    }
    if changed {
        touch(conn, id, &crate::now()).await?;
    }
    Ok(changed)
}

pub(crate) async fn write_owner(
    conn: &mut SqliteConnection,
    id: &str,
    role: OwnerRole,
    person_id: Option<&str>,
) -> Result<()> {
    match person_id {
        Some(p) => sqlx::query(
            "INSERT INTO use_case_owners (use_case_id, role, person_id) VALUES (?, ?, ?)
             ON CONFLICT (use_case_id, role) DO UPDATE SET person_id = excluded.person_id",
        )
        .bind(id)
        .bind(role.as_str())
        .bind(p),
        None => sqlx::query("DELETE FROM use_case_owners WHERE use_case_id = ? AND role = ?")
            .bind(id)
            .bind(role.as_str()),
    }
    .execute(conn)
    .await?;
    Ok(())
}

pub(crate) async fn write_score(
    conn: &mut SqliteConnection,
    id: &str,
    criterion: &str,
    score: Option<CriterionScore>,
) -> Result<()> {
    match score {
        Some(s) => sqlx::query(
            "INSERT INTO use_case_scores (use_case_id, criterion, score) VALUES (?, ?, ?)
             ON CONFLICT (use_case_id, criterion) DO UPDATE SET score = excluded.score",
        )
        .bind(id)
        .bind(criterion)
        .bind(i64::from(s.get())),
        None => sqlx::query("DELETE FROM use_case_scores WHERE use_case_id = ? AND criterion = ?")
            .bind(id)
            .bind(criterion),
    }
    .execute(conn)
    .await?;
    Ok(())
}
