//! Use cases: the domain type, its row, and every edit to it (fields, scores, owners),
//! each written with its change-log entry in one transaction.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};
use sqlx::SqliteConnection;
use ts_rs::TS;

use crate::change_log::{self, Change};
use crate::ctx::Ctx;
use crate::error::{Error, ErrorCode, Result};
use crate::field::{Field, FieldValue};
use crate::owner::{OwnerRole, Owners};
use crate::person::{self, NewPerson};
use crate::scoring::{Breakdown, CriterionScore, Quadrant, ScoringModel};
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
    pub patterns: Vec<crate::pattern::PatternLink>,
    pub no_pattern_reason: Option<String>,
    /// The controls its patterns require, with their status here.
    pub controls: Vec<crate::pattern::InheritedControl>,
    /// The EU AI Act triage, once recorded.
    pub triage: Option<crate::triage::Triage>,
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
        patterns: crate::pattern::links(conn, id).await?,
        controls: crate::pattern::inherited(conn, id).await?,
        triage: crate::triage::load(conn, id).await?,
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
            Change::new("use_case", id, "field", actor)
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
            Change::new("use_case", id, "owner", actor)
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
            Change::new("use_case", &req.id, "score", &actor)
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
            Change::new("use_case", &req.id, "owner", &actor)
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
        let kind = if archived { "archive" } else { "unarchive" };
        change_log::record(
            &mut tx,
            Change::new("use_case", id, kind, &actor).demo(r.demo),
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
        Change::new("use_case", id, "delete", &actor)
            .old_value(serde_json::to_value(&before)?)
            .demo(before.demo),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
