//! Reference architecture patterns: the catalogue (a starter set loads into an empty one;
//! architects add, edit and retire), use cases mapped to them (one primary, any others), and
//! the controls a use case inherits from its patterns, each with a status.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sqlx::SqliteConnection;
use ts_rs::TS;

use crate::change_log::{self, Change};
use crate::ctx::Ctx;
use crate::error::{Error, ErrorCode, Result};
use crate::stage::Stage;
use domain::field::TEXT_MAX;
pub use domain::pattern::*;
use protocol::{ChangeKind, Entity};

pub(crate) mod links;
pub(crate) mod rows;

use links::inherited;
pub use links::{InheritedControl, PatternLink};
use rows::{add_control, save};

/// A pattern with what it is used for.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Pattern {
    pub slug: String,
    pub name: String,
    pub description: String,
    pub components: Vec<String>,
    pub controls: Vec<Control>,
    pub retired: bool,
    pub version: i32,
    /// Live use cases mapped to it (as primary or other).
    pub reuse: i32,
    /// Of those, the ones with it as their primary pattern.
    pub primary_for: i32,
    /// Live use cases mapped to it, by stage.
    pub by_stage: BTreeMap<Stage, i32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Catalogue {
    /// By name; retired ones last.
    pub patterns: Vec<Pattern>,
    /// Live use cases mapped to no pattern.
    pub unmapped: i32,
}

/// A control a pattern requires: an existing one by slug, or a new one with its name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ControlRef {
    pub slug: String,
    #[serde(default)]
    #[ts(optional)]
    pub name: Option<String>,
}

/// What an architect writes when adding or editing a pattern.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PatternInput {
    pub slug: String,
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub components: Vec<String>,
    #[serde(default)]
    pub controls: Vec<ControlRef>,
    /// For an edit: the version it was based on (refused as `stale` if it moved on).
    #[serde(default)]
    #[ts(optional)]
    pub expect_version: Option<i32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MapPattern {
    pub use_case_id: String,
    pub pattern_slug: String,
    /// Make it the primary pattern (the previous primary stays mapped as another).
    #[serde(default)]
    pub primary: bool,
}

/// A pattern to retire, or (`retired: false`) to bring back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RetirePattern {
    pub slug: String,
    pub retired: bool,
}

/// A pattern to take off a use case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct UnmapPattern {
    pub use_case_id: String,
    pub pattern_slug: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SetControl {
    pub use_case_id: String,
    pub control_slug: String,
    pub status: ControlState,
    #[serde(default)]
    #[ts(optional)]
    pub note: Option<String>,
}

#[derive(sqlx::FromRow)]
struct PatternRow {
    slug: String,
    name: String,
    description: String,
    components: sqlx::types::Json<Vec<String>>,
    retired: bool,
    version: i32,
}

/// The catalogue with each pattern's reuse and stage spread.
pub async fn catalogue(ctx: &Ctx) -> Result<Catalogue> {
    let mut conn = ctx.store().read.acquire().await?;
    let rows: Vec<PatternRow> = sqlx::query_as(
        "SELECT slug, name, description, components, retired, version FROM patterns
         ORDER BY retired, name COLLATE NOCASE",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut patterns = Vec::with_capacity(rows.len());
    for r in rows {
        patterns.push(with_use(&mut conn, r).await?);
    }
    let unmapped: i32 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM use_cases u WHERE u.archived = 0
         AND NOT EXISTS (SELECT 1 FROM use_case_patterns p WHERE p.use_case_id = u.id)",
    )
    .fetch_one(&mut *conn)
    .await?;
    Ok(Catalogue { patterns, unmapped })
}

async fn with_use(conn: &mut SqliteConnection, r: PatternRow) -> Result<Pattern> {
    let controls: Vec<Control> = sqlx::query_as(
        "SELECT c.slug, c.name, c.description FROM pattern_controls pc
         JOIN controls c ON c.slug = pc.control_slug WHERE pc.pattern_slug = ? ORDER BY pc.position",
    )
    .bind(&r.slug)
    .fetch_all(&mut *conn)
    .await?;
    let spread: Vec<(String, i32, i32)> = sqlx::query_as(
        "SELECT u.stage, COUNT(*), SUM(p.is_primary) FROM use_case_patterns p
         JOIN use_cases u ON u.id = p.use_case_id AND u.archived = 0
         WHERE p.pattern_slug = ? GROUP BY u.stage",
    )
    .bind(&r.slug)
    .fetch_all(&mut *conn)
    .await?;
    let mut by_stage = BTreeMap::new();
    let (mut reuse, mut primary_for) = (0, 0);
    for (stage, n, primary) in spread {
        by_stage.insert(Stage::parse(&stage)?, n);
        reuse += n;
        primary_for += primary;
    }
    Ok(Pattern {
        slug: r.slug,
        name: r.name,
        description: r.description,
        components: r.components.0,
        controls,
        retired: r.retired,
        version: r.version,
        reuse,
        primary_for,
        by_stage,
    })
}

pub async fn get(ctx: &Ctx, slug: &str) -> Result<Pattern> {
    let mut conn = ctx.store().read.acquire().await?;
    let row = row(&mut conn, slug).await?;
    with_use(&mut conn, row).await
}

async fn row(conn: &mut SqliteConnection, slug: &str) -> Result<PatternRow> {
    sqlx::query_as(
        "SELECT slug, name, description, components, retired, version FROM patterns WHERE slug = ?",
    )
    .bind(slug)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| {
        Error::not_found(format!(
            "no pattern `{slug}`; `portfolio patterns` lists them"
        ))
    })
}

/// Checks an architect's input, adds the controls it names for the first time (which then
/// need a name), and returns the pattern as it will be saved and logged.
async fn checked(conn: &mut SqliteConnection, p: &PatternInput) -> Result<PatternRecord> {
    let mut record = PatternRecord {
        name: p.name.trim().to_owned(),
        description: p.description.trim().to_owned(),
        components: p.components.iter().map(|c| c.trim().to_owned()).collect(),
        controls: Vec::new(),
        control_names: BTreeMap::new(),
    };
    for c in &p.controls {
        if !record.controls.contains(&c.slug) {
            record.controls.push(c.slug.clone());
        }
    }
    record.validate(&p.slug)?;
    for c in &p.controls {
        let known: Option<String> = sqlx::query_scalar("SELECT name FROM controls WHERE slug = ?")
            .bind(&c.slug)
            .fetch_optional(&mut *conn)
            .await?;
        let name = match known {
            Some(name) => name,
            None => {
                let Some(name) = c.name.as_deref().filter(|n| !n.trim().is_empty()) else {
                    return Err(Error::invalid(
                        "controls",
                        format!("`{}` is a new control: give it a name (SLUG=Name)", c.slug),
                    ));
                };
                let name = control_name(&c.slug, name)?;
                add_control(conn, &c.slug, name).await?;
                name.to_owned()
            }
        };
        record.control_names.insert(c.slug.clone(), name);
    }
    Ok(record)
}

/// A pattern as it stands, in the form its change-log entries carry.
fn record_of(p: &Pattern) -> PatternRecord {
    PatternRecord {
        name: p.name.clone(),
        description: p.description.clone(),
        components: p.components.clone(),
        controls: p.controls.iter().map(|c| c.slug.clone()).collect(),
        control_names: p
            .controls
            .iter()
            .map(|c| (c.slug.clone(), c.name.clone()))
            .collect(),
    }
}

pub async fn add(ctx: &Ctx, p: PatternInput) -> Result<Pattern> {
    let actor = ctx.actor().await?;
    let mut tx = ctx.store().begin().await?;
    let exists: Option<i64> = sqlx::query_scalar("SELECT 1 FROM patterns WHERE slug = ?")
        .bind(&p.slug)
        .fetch_optional(&mut *tx)
        .await?;
    if exists.is_some() {
        return Err(Error::new(
            ErrorCode::Conflict,
            format!("there is already a pattern `{}`", p.slug),
        )
        .with_field("slug"));
    }
    let r = checked(&mut tx, &p).await?;
    save(
        &mut tx,
        &p.slug,
        &r.name,
        &r.description,
        &r.components,
        &r.controls,
        &crate::now(),
    )
    .await?;
    change_log::record(
        &mut tx,
        Change::new(Entity::Pattern, &p.slug, ChangeKind::Create, &actor)
            .new_value(serde_json::to_value(&r)?),
    )
    .await?;
    tx.commit().await?;
    get(ctx, &p.slug).await
}

/// Replaces a pattern's name, description, components and controls.
pub async fn edit(ctx: &Ctx, p: PatternInput) -> Result<Pattern> {
    let actor = ctx.actor().await?;
    let before = get(ctx, &p.slug).await?;
    if let Some(v) = p.expect_version
        && v != before.version
    {
        return Err(Error::new(
            ErrorCode::Stale,
            format!(
                "the pattern `{}` changed since you opened it (you edited version {v}, it is at {}); reload it and edit again",
                p.slug, before.version
            ),
        ));
    }
    let mut tx = ctx.store().begin().await?;
    let r = checked(&mut tx, &p).await?;
    save(
        &mut tx,
        &p.slug,
        &r.name,
        &r.description,
        &r.components,
        &r.controls,
        &crate::now(),
    )
    .await?;
    change_log::record(
        &mut tx,
        Change::new(Entity::Pattern, &p.slug, ChangeKind::Field, &actor)
            .old_value(serde_json::to_value(record_of(&before))?)
            .new_value(serde_json::to_value(&r)?),
    )
    .await?;
    tx.commit().await?;
    get(ctx, &p.slug).await
}

/// Retires (or brings back) a pattern: a retired one keeps its use cases but takes no new ones.
pub async fn retire(ctx: &Ctx, slug: &str, retired: bool) -> Result<Pattern> {
    let actor = ctx.actor().await?;
    let before = get(ctx, slug).await?;
    if before.retired != retired {
        let mut tx = ctx.store().begin().await?;
        sqlx::query(
            "UPDATE patterns SET retired = ?, version = version + 1, updated_at = ? WHERE slug = ?",
        )
        .bind(retired)
        .bind(crate::now())
        .bind(slug)
        .execute(&mut *tx)
        .await?;
        let kind = if retired {
            ChangeKind::Retire
        } else {
            ChangeKind::Unretire
        };
        change_log::record(&mut tx, Change::new(Entity::Pattern, slug, kind, &actor)).await?;
        tx.commit().await?;
    }
    get(ctx, slug).await
}

async fn use_case_title(conn: &mut SqliteConnection, id: &str) -> Result<(String, bool)> {
    sqlx::query_as("SELECT title, demo FROM use_cases WHERE id = ?")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| Error::not_found(format!("no use case with id {id}")))
}

/// Maps a use case to a pattern (or changes whether it is the primary one), in the
/// caller's transaction; returns whether anything changed.
pub(crate) async fn map_in(
    conn: &mut SqliteConnection,
    req: &MapPattern,
    actor: &str,
) -> Result<bool> {
    let (title, demo) = use_case_title(conn, &req.use_case_id).await?;
    let pattern = row(conn, &req.pattern_slug).await?;
    let current: Option<bool> = sqlx::query_scalar(
        "SELECT is_primary FROM use_case_patterns WHERE use_case_id = ? AND pattern_slug = ?",
    )
    .bind(&req.use_case_id)
    .bind(&req.pattern_slug)
    .fetch_optional(&mut *conn)
    .await?;
    if current.is_none() && pattern.retired {
        return Err(Error::invalid(
            "pattern",
            format!(
                "the pattern `{}` is retired and takes no new use cases (“{title}” was not mapped)",
                pattern.slug
            ),
        ));
    }
    // Mapped already as asked: nothing to write. Asking for "other" keeps a primary primary.
    if current == Some(true) || (current == Some(false) && !req.primary) {
        return Ok(false);
    }
    if req.primary {
        sqlx::query(
            "UPDATE use_case_patterns SET is_primary = 0 WHERE use_case_id = ? AND is_primary = 1",
        )
        .bind(&req.use_case_id)
        .execute(&mut *conn)
        .await?;
    }
    sqlx::query(
        "INSERT INTO use_case_patterns (use_case_id, pattern_slug, is_primary) VALUES (?, ?, ?)
         ON CONFLICT (use_case_id, pattern_slug) DO UPDATE SET is_primary = excluded.is_primary",
    )
    .bind(&req.use_case_id)
    .bind(&req.pattern_slug)
    .bind(req.primary)
    .execute(&mut *conn)
    .await?;
    let role = if req.primary { "primary" } else { "other" };
    change_log::record(
        conn,
        Change::new(
            Entity::UseCase,
            &req.use_case_id,
            ChangeKind::Pattern,
            actor,
        )
        .field(&req.pattern_slug)
        .old_value(current.map(|p| if p { "primary" } else { "other" }))
        .new_value(role)
        .demo(demo),
    )
    .await?;
    crate::use_case::touch(conn, &req.use_case_id, &crate::now()).await?;
    Ok(true)
}

pub async fn map(ctx: &Ctx, req: MapPattern) -> Result<crate::use_case::UseCase> {
    let actor = ctx.actor().await?;
    let mut tx = ctx.store().begin().await?;
    map_in(&mut tx, &req, &actor).await?;
    tx.commit().await?;
    crate::use_case::get(ctx, &req.use_case_id).await
}

/// Takes a pattern off a use case (its controls' statuses are kept, should it come back).
pub async fn unmap(ctx: &Ctx, use_case_id: &str, slug: &str) -> Result<crate::use_case::UseCase> {
    let actor = ctx.actor().await?;
    let mut tx = ctx.store().begin().await?;
    let (_, demo) = use_case_title(&mut tx, use_case_id).await?;
    let current: Option<bool> = sqlx::query_scalar(
        "DELETE FROM use_case_patterns WHERE use_case_id = ? AND pattern_slug = ? RETURNING is_primary",
    )
    .bind(use_case_id)
    .bind(slug)
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(primary) = current {
        change_log::record(
            &mut tx,
            Change::new(Entity::UseCase, use_case_id, ChangeKind::Pattern, &actor)
                .field(slug)
                .old_value(if primary { "primary" } else { "other" })
                .demo(demo),
        )
        .await?;
        crate::use_case::touch(&mut tx, use_case_id, &crate::now()).await?;
    }
    tx.commit().await?;
    crate::use_case::get(ctx, use_case_id).await
}

/// Sets the status of a control the use case inherits.
pub async fn set_control(ctx: &Ctx, req: SetControl) -> Result<crate::use_case::UseCase> {
    let actor = ctx.actor().await?;
    let note = req.note.as_deref().map(str::trim).filter(|n| !n.is_empty());
    if note.is_some_and(|n| n.chars().count() > TEXT_MAX) {
        return Err(Error::invalid(
            "note",
            format!("a note is at most {TEXT_MAX} characters"),
        ));
    }
    let mut tx = ctx.store().begin().await?;
    let (title, demo) = use_case_title(&mut tx, &req.use_case_id).await?;
    let controls = inherited(&mut tx, &req.use_case_id).await?;
    let Some(before) = controls.iter().find(|c| c.slug == req.control_slug) else {
        let known: Vec<&str> = controls.iter().map(|c| c.slug.as_str()).collect();
        return Err(Error::invalid(
            "control",
            if known.is_empty() {
                format!("“{title}” inherits no controls: map it to a pattern first")
            } else {
                format!(
                    "“{title}” does not inherit `{}`; its controls are {}",
                    req.control_slug,
                    known.join(", ")
                )
            },
        ));
    };
    if before.status == req.status && before.note.as_deref() == note {
        return crate::use_case::get(ctx, &req.use_case_id).await;
    }
    sqlx::query(
        "INSERT INTO use_case_controls (use_case_id, control_slug, status, note, updated_at, updated_by)
         VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (use_case_id, control_slug) DO UPDATE SET status = excluded.status,
           note = excluded.note, updated_at = excluded.updated_at, updated_by = excluded.updated_by",
    )
    .bind(&req.use_case_id)
    .bind(&req.control_slug)
    .bind(req.status.as_str())
    .bind(note)
    .bind(crate::now())
    .bind(&actor)
    .execute(&mut *tx)
    .await?;
    change_log::record(
        &mut tx,
        Change::new(
            Entity::UseCase,
            &req.use_case_id,
            ChangeKind::Control,
            &actor,
        )
        .field(&req.control_slug)
        .old_value(before.status.as_str())
        .new_value(req.status.as_str())
        .note(note)
        .demo(demo),
    )
    .await?;
    crate::use_case::touch(&mut tx, &req.use_case_id, &crate::now()).await?;
    tx.commit().await?;
    crate::use_case::get(ctx, &req.use_case_id).await
}
