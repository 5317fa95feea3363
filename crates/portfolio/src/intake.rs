//! Creating use cases, one or many: the one write path for a new use case, batched so an
//! import or a generated portfolio writes a few multi-row statements per hundred rows
//! instead of a dozen statements per row. Each use case still gets its `create` entry in
//! the change log, in the same transaction as its row.

use std::collections::{BTreeMap, HashMap};

use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

use crate::change_log;
use crate::error::{Error, Result};
use crate::field::Field;
use crate::owner::OwnerRole;
use crate::person;
use crate::scoring::{Quadrant, ScoringModel};
use crate::stage::Stage;
use protocol::{ChangeKind, Entity};

/// A new use case: its fields, and what an import or a generated portfolio brings along.
#[derive(Debug, Clone, Default)]
pub struct Draft {
    /// Its id when it already has one (a use case arriving from the registry).
    pub id: Option<String>,
    pub fields: Vec<Field>,
    pub scores: HashMap<String, u8>,
    /// Owners by role, as emails (unknown ones become people).
    pub owners: Vec<(OwnerRole, String)>,
    /// Where it starts; Idea unless an import or the generator says otherwise.
    pub stage: Option<Stage>,
    pub left_stage: Option<Stage>,
    pub source_id: Option<String>,
    /// Said on the `create` entry (e.g. which file and row it was imported from).
    pub note: Option<String>,
    /// When it was proposed, if not now (a use case arriving from the registry).
    pub created_at: Option<String>,
}

impl Draft {
    pub fn new(fields: Vec<Field>) -> Draft {
        Draft {
            fields,
            ..Draft::default()
        }
    }
}

/// Rows per multi-row statement: 16 columns × 400 stays well under SQLite's 32,766 variables.
const CHUNK: usize = 400;

/// A draft resolved to the values of its row.
struct Row {
    id: String,
    title: String,
    problem: String,
    solution: String,
    business_unit: String,
    proposer_id: Option<String>,
    benefit: Option<f64>,
    cost: Option<f64>,
    realised: Option<f64>,
    no_pattern_reason: Option<String>,
    data_sources: String,
    tags: Vec<String>,
    attributes: String,
    stage: Stage,
    left_stage: Option<Stage>,
    source_id: Option<String>,
    value: Option<f64>,
    feasibility: Option<f64>,
    priority: Option<f64>,
    quadrant: Option<Quadrant>,
    digits: Option<String>,
    snapshot: serde_json::Value,
    note: Option<String>,
    created_at: String,
}

/// Inserts the drafts (rows, tags, scores, owners, change-log entries) in the caller's
/// transaction; returns their new ids in order.
pub(crate) async fn insert_many(
    conn: &mut SqliteConnection,
    drafts: &[Draft],
    actor: &str,
    model: &ScoringModel,
    demo: bool,
    at: &str,
) -> Result<Vec<String>> {
    insert(conn, drafts, actor, model, demo, at, true).await
}

/// Inserts use cases that arrived from the registry: their `create` entries come with them,
/// so none is written here.
pub(crate) async fn insert_arrived(
    conn: &mut SqliteConnection,
    drafts: &[Draft],
    model: &ScoringModel,
    at: &str,
) -> Result<Vec<String>> {
    insert(conn, drafts, "registry", model, false, at, false).await
}

async fn insert(
    conn: &mut SqliteConnection,
    drafts: &[Draft],
    actor: &str,
    model: &ScoringModel,
    demo: bool,
    at: &str,
    record: bool,
) -> Result<Vec<String>> {
    let mut people: HashMap<String, String> = HashMap::new();
    let mut person_id = async |conn: &mut SqliteConnection, email: &str| -> Result<String> {
        if let Some(id) = people.get(email) {
            return Ok(id.clone());
        }
        let id = person::find_or_add_email(conn, email, actor, demo)
            .await?
            .id;
        people.insert(email.to_owned(), id.clone());
        Ok(id)
    };
    let mut rows = Vec::with_capacity(drafts.len());
    let mut owners = Vec::new();
    for d in drafts {
        let id =
            d.id.clone()
                .unwrap_or_else(|| uuid::Uuid::now_v7().to_string());
        let mut r = Row {
            id: id.clone(),
            title: String::new(),
            problem: String::new(),
            solution: String::new(),
            business_unit: String::new(),
            proposer_id: None,
            benefit: None,
            cost: None,
            realised: None,
            no_pattern_reason: None,
            data_sources: "[]".into(),
            tags: vec![],
            attributes: "{}".into(),
            stage: d.stage.unwrap_or(Stage::Idea),
            left_stage: d.left_stage,
            source_id: d.source_id.clone(),
            value: None,
            feasibility: None,
            priority: None,
            quadrant: None,
            digits: None,
            snapshot: serde_json::Value::Null,
            note: d.note.clone(),
            created_at: d.created_at.clone().unwrap_or_else(|| at.to_owned()),
        };
        let mut snapshot = serde_json::Map::new();
        let mut attributes = BTreeMap::new();
        for f in &d.fields {
            snapshot.insert(f.name(), f.json());
            match f {
                Field::Title(s) => r.title.clone_from(s),
                Field::Problem(s) => r.problem.clone_from(s),
                Field::Solution(s) => r.solution.clone_from(s),
                Field::BusinessUnit(s) => r.business_unit.clone_from(s),
                Field::Proposer(e) => {
                    r.proposer_id = match e {
                        Some(e) => Some(person_id(conn, e).await?),
                        None => None,
                    }
                }
                Field::ExpectedBenefit(n) => r.benefit = *n,
                Field::ExpectedCost(n) => r.cost = *n,
                Field::RealisedBenefit(n) => r.realised = *n,
                Field::NoPatternReason(s) => r.no_pattern_reason.clone_from(s),
                Field::DataSources(v) => r.data_sources = serde_json::to_string(v)?,
                Field::Tags(v) => r.tags.clone_from(v),
                Field::Attribute(k, v) => {
                    if let Some(v) = v {
                        attributes.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        // The registry has accepted what arrives from it; only a new proposal is checked.
        if record
            && r.realised.is_some()
            && r.stage.on_path(r.left_stage).rank() < Stage::Pilot.rank()
        {
            return Err(Error::invalid(
                "realised_benefit",
                format!(
                    "a realised benefit is recorded from Pilot on; “{}” is at {}",
                    r.title,
                    r.stage.label()
                ),
            ));
        }
        r.attributes = serde_json::to_string(&attributes)?;
        snapshot.insert("stage".into(), r.stage.as_str().into());
        if !d.scores.is_empty() {
            let s = model.score(&d.scores);
            (r.value, r.feasibility, r.priority, r.quadrant) =
                (s.value_score, s.feasibility_score, s.priority, s.quadrant);
            r.digits = model.digits(&d.scores);
            snapshot.insert("scores".into(), serde_json::to_value(&d.scores)?);
        }
        for (role, email) in &d.owners {
            owners.push((id.clone(), *role, person_id(conn, email).await?));
            snapshot.insert(format!("owner.{}", role.as_str()), email.clone().into());
        }
        if record {
            r.snapshot = serde_json::Value::Object(snapshot);
        }
        rows.push(r);
    }

    for chunk in rows.chunks(CHUNK) {
        let mut q = QueryBuilder::<Sqlite>::new(
            "INSERT INTO use_cases (id, title, problem, solution, business_unit, proposer_id, expected_benefit,
               expected_cost, realised_benefit, no_pattern_reason, data_sources, tags, attributes, source_id, stage, stage_since, left_stage,
               value_score, feasibility_score, priority, quadrant, score_digits, demo, created_at, updated_at) ",
        );
        q.push_values(chunk, |mut b, r| {
            b.push_bind(r.id.clone())
                .push_bind(r.title.clone())
                .push_bind(r.problem.clone())
                .push_bind(r.solution.clone())
                .push_bind(r.business_unit.clone())
                .push_bind(r.proposer_id.clone())
                .push_bind(r.benefit)
                .push_bind(r.cost)
                .push_bind(r.realised)
                .push_bind(r.no_pattern_reason.clone())
                .push_bind(r.data_sources.clone())
                .push_bind(serde_json::to_string(&r.tags).unwrap_or_else(|_| "[]".into()))
                .push_bind(r.attributes.clone())
                .push_bind(r.source_id.clone())
                .push_bind(r.stage.as_str())
                .push_bind(r.created_at.clone())
                .push_bind(r.left_stage.map(Stage::as_str))
                .push_bind(r.value)
                .push_bind(r.feasibility)
                .push_bind(r.priority)
                .push_bind(r.quadrant.map(Quadrant::as_str))
                .push_bind(r.digits.clone())
                .push_bind(demo)
                .push_bind(r.created_at.clone())
                .push_bind(r.created_at.clone());
        });
        q.build().execute(&mut *conn).await?;

        if record {
            let entries: Vec<change_log::Change> = chunk
                .iter()
                .map(|r| {
                    change_log::Change::new(Entity::UseCase, &r.id, ChangeKind::Create, actor)
                        .new_value(r.snapshot.clone())
                        .note(r.note.as_deref())
                        .demo(demo)
                })
                .collect();
            change_log::record_many(conn, &entries, at).await?;
        }

        let tags: Vec<(&str, &str)> = chunk
            .iter()
            .flat_map(|r| r.tags.iter().map(|t| (r.id.as_str(), t.as_str())))
            .collect();
        for part in tags.chunks(CHUNK * 4) {
            let mut q = QueryBuilder::<Sqlite>::new(
                "INSERT OR IGNORE INTO use_case_tags (use_case_id, tag) ",
            );
            q.push_values(part, |mut b, (id, tag)| {
                b.push_bind(id.to_string()).push_bind(tag.to_string());
            });
            q.build().execute(&mut *conn).await?;
        }
    }

    let scores: Vec<(&str, &str, u8)> = rows
        .iter()
        .zip(drafts)
        .flat_map(|(r, d)| {
            d.scores
                .iter()
                .map(move |(c, s)| (r.id.as_str(), c.as_str(), *s))
        })
        .collect();
    for part in scores.chunks(CHUNK * 4) {
        let mut q = QueryBuilder::<Sqlite>::new(
            "INSERT INTO use_case_scores (use_case_id, criterion, score) ",
        );
        q.push_values(part, |mut b, (id, c, s)| {
            b.push_bind(id.to_string())
                .push_bind(c.to_string())
                .push_bind(i64::from(*s));
        });
        q.build().execute(&mut *conn).await?;
    }
    for part in owners.chunks(CHUNK * 4) {
        let mut q = QueryBuilder::<Sqlite>::new(
            "INSERT INTO use_case_owners (use_case_id, role, person_id) ",
        );
        q.push_values(part, |mut b, (id, role, person)| {
            b.push_bind(id.clone())
                .push_bind(role.as_str())
                .push_bind(person.clone());
        });
        q.build().execute(&mut *conn).await?;
    }
    let scored: Vec<&Row> = rows
        .iter()
        .filter(|r| r.value.is_some() || r.feasibility.is_some())
        .collect();
    for part in scored.chunks(CHUNK * 2) {
        let mut q = QueryBuilder::<Sqlite>::new(
            "INSERT INTO use_case_model_scores (use_case_id, model_version, value_score, feasibility_score, quadrant, at) ",
        );
        q.push_values(part, |mut b, r| {
            b.push_bind(r.id.clone())
                .push_bind(model.version)
                .push_bind(r.value)
                .push_bind(r.feasibility)
                .push_bind(r.quadrant.map(Quadrant::as_str))
                .push_bind(at.to_owned());
        });
        q.build().execute(&mut *conn).await?;
    }
    Ok(rows.into_iter().map(|r| r.id).collect())
}
