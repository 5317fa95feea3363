//! Writes one change's effect to this store's rows, in the store's own write paths: what a
//! change from the registry, a revert, a conflict's settlement and a put-back all share.

use serde_json::Value;
use sqlx::SqliteConnection;

use super::wire::WireChange;
use super::{key_of, state};
use crate::error::{Error, Result};
use crate::field::{Field, FieldValue};
use crate::intake::{self, Draft};
use crate::owner::OwnerRole;
use crate::pattern::{self, PatternRecord};
use crate::person::{self, NewPerson};
use crate::scoring::{CriterionScore, ScoringModel};
use crate::stage::Stage;
use crate::{stage_move, use_case};

pub(super) fn text(v: Option<&Value>) -> Option<String> {
    v.and_then(Value::as_str).map(str::to_owned)
}

pub(super) fn field_value(v: Option<&Value>) -> Result<FieldValue> {
    Ok(serde_json::from_value(v.cloned().unwrap_or(Value::Null))?)
}

pub(super) async fn exists(conn: &mut SqliteConnection, id: &str) -> Result<bool> {
    Ok(
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM use_cases WHERE id = ?)")
            .bind(id)
            .fetch_one(conn)
            .await?,
    )
}

/// A use case's `create` snapshot as a draft with the same id, read with the protocol's
/// rule book (the registry checked it with the same).
pub(super) fn draft(id: &str, snapshot: &Value) -> Result<Draft> {
    let r = protocol::rules::UseCaseRecord::parse(snapshot)?;
    Ok(Draft {
        id: Some(id.to_owned()),
        fields: r.fields,
        stage: r.stage,
        scores: r.scores.into_iter().map(|(c, s)| (c, s.get())).collect(),
        owners: r
            .owners
            .into_iter()
            .map(|(role, email)| (role, email.as_str().to_owned()))
            .collect(),
        ..Draft::default()
    })
}

/// Writes one change's value to the rows (`value` is its `new`, or what a revert restores),
/// without a change-log entry: the caller records the entry it stands for.
pub(super) async fn write(
    conn: &mut SqliteConnection,
    c: &WireChange,
    value: Option<&Value>,
    model: &ScoringModel,
    now: &str,
) -> Result<()> {
    let id = c.entity_id.as_str();
    match c.entity.as_str() {
        "scoring_model" => return write_model(conn, value, &c.actor, now).await,
        "gate_rules" => return write_gate_rules(conn, value, &c.actor, now).await,
        "kpi" => return write_kpi(conn, c, value, now).await,
        "pattern" => return write_pattern_record(conn, c, value, now).await,
        "use_case" | "person" => {}
        other => {
            return Err(Error::validation(format!(
                "the registry sent a change to a `{other}`, which this version does not know"
            )));
        }
    }
    if c.entity == "person" {
        if let Some(v) = value {
            let new = NewPerson {
                email: text(v.get("email")).unwrap_or_default(),
                name: text(v.get("name")),
                business_unit: text(v.get("business_unit")),
            };
            person::find_or_add(conn, &new, &c.actor, false).await?;
        }
        return Ok(());
    }
    match c.kind.as_str() {
        "create" => {
            let present = exists(conn, id).await?;
            match value {
                Some(snapshot) if !present => {
                    // Dated when it was proposed, though never after now (clocks differ).
                    let at = c.at.as_str().min(now);
                    intake::insert_many(conn, &[draft(id, snapshot)?], &c.actor, model, false, at)
                        .await?;
                }
                None if present => {
                    sqlx::query("DELETE FROM use_cases WHERE id = ?")
                        .bind(id)
                        .execute(&mut *conn)
                        .await?;
                }
                _ => {}
            }
            return Ok(());
        }
        "delete" => {
            sqlx::query("DELETE FROM use_cases WHERE id = ?")
                .bind(id)
                .execute(&mut *conn)
                .await?;
            return Ok(());
        }
        _ => {}
    }
    // A change to a use case deleted here (by a change the registry ordered first) has
    // nothing left to change.
    if !exists(conn, id).await? {
        return Ok(());
    }
    let field = c.field.as_deref().unwrap_or_default();
    match c.kind.as_str() {
        "field" => {
            let f = Field::parse(field, &field_value(value)?)?;
            use_case::apply(conn, id, &f, &c.actor, false).await?;
        }
        "owner" => {
            let email = text(value);
            let person = match &email {
                Some(e) => Some(person::find_or_add_email(conn, e, &c.actor, false).await?),
                None => None,
            };
            use_case::write_owner(
                conn,
                id,
                OwnerRole::parse(field)?,
                person.as_ref().map(|p| p.id.as_str()),
            )
            .await?;
        }
        "score" => {
            let score = value
                .and_then(Value::as_i64)
                .map(CriterionScore::new)
                .transpose()?;
            use_case::write_score(conn, id, field, score).await?;
            use_case::refresh_scores(conn, id, model, now).await?;
        }
        "stage" => {
            let to = Stage::parse(&text(value).unwrap_or_default())?;
            // The author's clock may run ahead of ours: a move is never dated in the future.
            let since = c.at.as_str().min(now);
            stage_move::write(conn, id, to, since).await?;
        }
        "archive" | "unarchive" => {
            sqlx::query("UPDATE use_cases SET archived = ? WHERE id = ?")
                .bind(c.kind == "archive")
                .bind(id)
                .execute(&mut *conn)
                .await?;
        }
        "pattern" => write_pattern(conn, id, field, text(value).as_deref(), now).await?,
        "control" => {
            let status = text(value).unwrap_or_else(|| "open".into());
            pattern::ControlState::parse(&status)?;
            pattern::rows::control_placeholder(conn, field).await?;
            sqlx::query(
                "INSERT INTO use_case_controls (use_case_id, control_slug, status, note, updated_at, updated_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (use_case_id, control_slug) DO UPDATE SET status = excluded.status,
                   note = excluded.note, updated_at = excluded.updated_at, updated_by = excluded.updated_by",
            )
            .bind(id)
            .bind(field)
            .bind(&status)
            .bind(&c.note)
            .bind(c.at.as_str().min(now))
            .bind(&c.actor)
            .execute(&mut *conn)
            .await?;
        }
        "triage" => {
            let Some(v) = value else {
                sqlx::query("DELETE FROM use_case_triage WHERE use_case_id = ?")
                    .bind(id)
                    .execute(&mut *conn)
                    .await?;
                sqlx::query("UPDATE use_cases SET risk_tier = NULL WHERE id = ?")
                    .bind(id)
                    .execute(&mut *conn)
                    .await?;
                return use_case::touch(conn, id, now).await;
            };
            let req = crate::triage::RecordTriage {
                use_case_id: id.to_owned(),
                answers: serde_json::from_value(v.get("answers").cloned().unwrap_or_default())?,
                high_impact: v.get("high_impact").and_then(Value::as_bool),
                personal_data: v.get("personal_data").and_then(Value::as_bool),
            };
            // The answers are the record; the tier follows from this desktop's rule set.
            crate::triage::record_in(conn, &req, &c.actor, c.at.as_str().min(now), false).await?;
        }
        "merge" => {
            let kept = value.and_then(|v| v.get("kept")).and_then(Value::as_str);
            let merged = value.and_then(|v| v.get("merged")).and_then(Value::as_str);
            if let (Some(kept), Some(merged)) = (kept, merged)
                && merged == id
                && exists(conn, kept).await?
            {
                crate::merge::fold_into(conn, kept, merged, now).await?;
            }
        }
        other => {
            return Err(Error::validation(format!(
                "the registry sent a `{other}` change to {}, which this version cannot apply",
                c.entity
            )));
        }
    }
    use_case::touch(conn, id, now).await
}

/// Maps a use case to a pattern as `primary` or `other`, or takes it off (`None`). A pattern
/// whose record has not arrived yet is held by its slug until it does.
async fn write_pattern(
    conn: &mut SqliteConnection,
    id: &str,
    slug: &str,
    role: Option<&str>,
    now: &str,
) -> Result<()> {
    if role.is_some() {
        pattern::rows::placeholder(conn, slug, now).await?;
    }
    let primary = role == Some("primary");
    if primary {
        sqlx::query(
            "UPDATE use_case_patterns SET is_primary = 0 WHERE use_case_id = ? AND is_primary = 1",
        )
        .bind(id)
        .execute(&mut *conn)
        .await?;
    }
    match role {
        Some(_) => sqlx::query(
            "INSERT INTO use_case_patterns (use_case_id, pattern_slug, is_primary) VALUES (?, ?, ?)
             ON CONFLICT (use_case_id, pattern_slug) DO UPDATE SET is_primary = excluded.is_primary",
        )
        .bind(id)
        .bind(slug)
        .bind(primary),
        None => sqlx::query("DELETE FROM use_case_patterns WHERE use_case_id = ? AND pattern_slug = ?")
            .bind(id)
            .bind(slug),
    }
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A pattern added, edited, retired or brought back on another desktop.
async fn write_pattern_record(
    conn: &mut SqliteConnection,
    c: &WireChange,
    value: Option<&Value>,
    now: &str,
) -> Result<()> {
    let slug = c.entity_id.as_str();
    match c.kind.as_str() {
        "create" | "field" => {
            let record: Option<PatternRecord> =
                value.cloned().map(serde_json::from_value).transpose()?;
            pattern::rows::write_record(conn, slug, record.as_ref(), now).await
        }
        "retire" | "unretire" => {
            pattern::rows::write_retired(conn, slug, c.kind == "retire", now).await
        }
        other => Err(Error::validation(format!(
            "the registry sent a `{other}` change to a pattern, which this version cannot apply"
        ))),
    }
}

/// A KPI defined on another desktop, or one of its actuals (the day is in the entry's note,
/// "measured on DAY"). Nothing is written for a use case this desktop has not got.
async fn write_kpi(
    conn: &mut SqliteConnection,
    c: &WireChange,
    value: Option<&Value>,
    now: &str,
) -> Result<()> {
    let Some(v) = value else { return Ok(()) };
    match c.kind.as_str() {
        "kpi" => {
            let Some(use_case_id) = &c.use_case_id else {
                return Ok(());
            };
            sqlx::query(
                "INSERT INTO kpis (id, use_case_id, name, unit, baseline, target, direction, due, created_at, demo)
                 SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 0 WHERE EXISTS (SELECT 1 FROM use_cases WHERE id = ?2)
                 ON CONFLICT (id) DO NOTHING",
            )
            .bind(&c.entity_id)
            .bind(use_case_id)
            .bind(c.field.as_deref().unwrap_or("KPI"))
            .bind(text(v.get("unit")))
            .bind(v.get("baseline").and_then(Value::as_f64))
            .bind(v.get("target").and_then(Value::as_f64))
            .bind(text(v.get("direction")).unwrap_or_else(|| "higher".into()))
            .bind(text(v.get("due")))
            .bind(c.at.as_str().min(now))
            .execute(&mut *conn)
            .await?;
        }
        "kpi_actual" => {
            let on = c
                .note
                .as_deref()
                .and_then(|n| n.strip_prefix("measured on "));
            let (Some(on), Some(value)) = (on, v.as_f64()) else {
                return Ok(());
            };
            sqlx::query(
                "INSERT INTO kpi_actuals (kpi_id, on_date, value, recorded_at, recorded_by)
                 SELECT ?1, ?2, ?3, ?4, ?5 WHERE EXISTS (SELECT 1 FROM kpis WHERE id = ?1)
                 ON CONFLICT (kpi_id, on_date) DO UPDATE SET value = excluded.value,
                   recorded_at = excluded.recorded_at, recorded_by = excluded.recorded_by",
            )
            .bind(&c.entity_id)
            .bind(on)
            .bind(value)
            .bind(c.at.as_str().min(now))
            .bind(&c.actor)
            .execute(&mut *conn)
            .await?;
        }
        _ => {}
    }
    Ok(())
}

/// A scoring model from the registry becomes this desktop's next version; every use case's
/// derived scores follow, as when a lead saves one here.
async fn write_model(
    conn: &mut SqliteConnection,
    value: Option<&Value>,
    actor: &str,
    now: &str,
) -> Result<()> {
    let Some(v) = value else { return Ok(()) };
    let mut model: ScoringModel = serde_json::from_value(v.clone())?;
    model.validate()?;
    crate::settings::insert_scoring_model(conn, &mut model, actor, now).await
}

async fn write_gate_rules(
    conn: &mut SqliteConnection,
    value: Option<&Value>,
    actor: &str,
    now: &str,
) -> Result<()> {
    let Some(v) = value else { return Ok(()) };
    let mut rules: crate::gate::GateRules = serde_json::from_value(v.clone())?;
    rules.validate()?;
    crate::settings::insert_gate_rules(conn, &mut rules, actor, now).await
}

/// Where this store's change log ends: the mark `drop_side_entries` drops after.
pub(super) async fn log_end(conn: &mut SqliteConnection) -> Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT coalesce(max(seq), 0) FROM change_log")
            .fetch_one(conn)
            .await?,
    )
}

/// Drops the entries the write paths made here after `mark` (a person added for an owner, a
/// use case's own `create` entry): the change being applied has an entry that stands for them.
pub(super) async fn drop_side_entries(conn: &mut SqliteConnection, mark: i64) -> Result<()> {
    sqlx::query("DELETE FROM change_log WHERE seq > ? AND origin IS NULL")
        .bind(mark)
        .execute(conn)
        .await?;
    Ok(())
}

/// Writes a change's effect and then its own change-log entry in place of any entries the
/// write path made on the side (e.g. a person added for an owner arrives as its own change).
pub(super) async fn write_as(
    conn: &mut SqliteConnection,
    c: &WireChange,
    value: Option<&Value>,
    model: &ScoringModel,
    now: &str,
) -> Result<()> {
    let mark = log_end(conn).await?;
    write(conn, c, value, model, now).await?;
    drop_side_entries(conn, mark).await
}

pub(super) async fn insert_entry(
    conn: &mut SqliteConnection,
    c: &WireChange,
    origin: Option<&str>,
    synced: i64,
    server_seq: Option<i64>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO change_log (id, entity, entity_id, use_case_id, kind, field, old, new, note, actor, at,
                                 demo, sync_key, base_seq, origin, synced, server_seq)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?)",
    )
    .bind(&c.id)
    .bind(&c.entity)
    .bind(&c.entity_id)
    .bind(&c.use_case_id)
    .bind(&c.kind)
    .bind(&c.field)
    .bind(c.old.as_ref().map(Value::to_string))
    .bind(c.new.as_ref().map(Value::to_string))
    .bind(&c.note)
    .bind(&c.actor)
    .bind(&c.at)
    .bind(key_of(c))
    .bind(c.base)
    .bind(origin)
    .bind(synced)
    .bind(server_seq)
    .execute(conn)
    .await?;
    Ok(())
}

/// A value as a person typed it, checked and written the way the store writes it (a score
/// as a number 1–5, an e-mail lower-cased, a field as its `set` parser reads it).
pub(super) fn canonical(
    kind: &str,
    field: Option<&str>,
    v: Option<Value>,
) -> Result<Option<Value>> {
    let Some(v) = v.filter(|v| !v.is_null()) else {
        return Ok(None);
    };
    let as_text = |v: &Value| {
        v.as_str()
            .map(str::to_owned)
            .unwrap_or_else(|| v.to_string())
    };
    Ok(Some(match kind {
        "field" => Field::parse(field.unwrap_or_default(), &field_value(Some(&v))?)?.json(),
        "score" => {
            let n: i64 = as_text(&v)
                .trim()
                .parse()
                .map_err(|_| Error::invalid("score", format!("a score is 1 to 5, not {v}")))?;
            Value::from(CriterionScore::new(n)?.get())
        }
        "owner" => Value::from(crate::person::Email::parse(&as_text(&v))?.as_str()),
        "stage" => Value::from(Stage::parse(&as_text(&v))?.as_str()),
        _ => v,
    }))
}

/// Writes a chosen value for a key as an ordinary change made here, sent at the next sync.
/// Unlike an edit, it is recorded even when the value is already there, so the other side
/// learns that the conflict is settled.
pub(super) async fn write_local(
    conn: &mut SqliteConnection,
    template: &WireChange,
    value: Option<Value>,
    note: &str,
    actor: &str,
    model: &ScoringModel,
) -> Result<()> {
    let now = crate::now();
    let key = key_of(template);
    let current: Option<Option<String>> = sqlx::query_scalar(
        "SELECT new FROM change_log WHERE sync_key = ? ORDER BY seq DESC LIMIT 1",
    )
    .bind(&key)
    .fetch_optional(&mut *conn)
    .await?;
    let old = current
        .flatten()
        .map(|s| serde_json::from_str(&s))
        .transpose()?;
    let change = WireChange {
        id: uuid::Uuid::now_v7().to_string(),
        old,
        new: value,
        note: Some(note.to_owned()),
        actor: actor.to_owned(),
        at: now.clone(),
        base: state(&mut *conn).await?.cursor,
        ..template.clone()
    };
    write_as(conn, &change, change.new.as_ref(), model, &now).await?;
    insert_entry(conn, &change, None, 0, None).await
}
