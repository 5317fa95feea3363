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
use crate::field::{SHORT_MAX, TEXT_MAX};
use crate::scoring::is_slug;
use crate::stage::Stage;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, sqlx::FromRow)]
#[ts(export)]
pub struct Control {
    pub slug: String,
    pub name: String,
    pub description: String,
}

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

/// A use case's link to a pattern, as the use case shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, sqlx::FromRow)]
#[ts(export)]
pub struct PatternLink {
    pub slug: String,
    pub name: String,
    pub primary: bool,
    pub retired: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum ControlState {
    Open,
    InPlace,
    NotApplicable,
}

impl ControlState {
    pub fn as_str(self) -> &'static str {
        match self {
            ControlState::Open => "open",
            ControlState::InPlace => "in-place",
            ControlState::NotApplicable => "not-applicable",
        }
    }

    pub fn parse(s: &str) -> Result<ControlState> {
        match s {
            "open" => Ok(ControlState::Open),
            "in-place" => Ok(ControlState::InPlace),
            "not-applicable" => Ok(ControlState::NotApplicable),
            _ => Err(Error::invalid(
                "status",
                format!("a control is open, in-place or not-applicable, not `{s}`"),
            )),
        }
    }
}

/// A control a use case inherits from its patterns, with its status there.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct InheritedControl {
    pub slug: String,
    pub name: String,
    pub description: String,
    pub status: ControlState,
    pub note: Option<String>,
    /// The patterns it comes from.
    pub from: Vec<String>,
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

#[derive(Deserialize)]
struct Starter {
    controls: Vec<Control>,
    patterns: Vec<StarterPattern>,
}

#[derive(Deserialize)]
struct StarterPattern {
    slug: String,
    name: String,
    description: String,
    components: Vec<String>,
    controls: Vec<String>,
}

fn starter() -> &'static Starter {
    static STARTER: std::sync::LazyLock<Starter> = std::sync::LazyLock::new(|| {
        serde_json::from_str(include_str!("../patterns/starter.json"))
            .expect("the bundled pattern catalogue is valid JSON")
    });
    &STARTER
}

/// Whether every desktop has this pattern from the start (the registry, which never sees
/// the starter catalogue's patterns added, knows them by this).
pub fn is_starter(slug: &str) -> bool {
    starter().patterns.iter().any(|p| p.slug == slug)
}

/// Loads the starter catalogue into an empty one (a new store, or one from before patterns).
pub(crate) async fn seed_starter(conn: &mut SqliteConnection) -> Result<()> {
    let any: Option<i64> = sqlx::query_scalar("SELECT 1 FROM patterns LIMIT 1")
        .fetch_optional(&mut *conn)
        .await?;
    if any.is_some() {
        return Ok(());
    }
    let starter = starter();
    for c in &starter.controls {
        sqlx::query("INSERT OR IGNORE INTO controls (slug, name, description) VALUES (?, ?, ?)")
            .bind(&c.slug)
            .bind(&c.name)
            .bind(&c.description)
            .execute(&mut *conn)
            .await?;
    }
    let now = crate::now();
    for p in &starter.patterns {
        save(
            conn,
            &p.slug,
            &p.name,
            &p.description,
            &p.components,
            &p.controls,
            &now,
        )
        .await?;
    }
    Ok(())
}

/// Writes a pattern's row and its controls: a new pattern, or the next version of one (the
/// starter catalogue, an architect's add or edit, a record from the registry).
async fn save(
    conn: &mut SqliteConnection,
    slug: &str,
    name: &str,
    description: &str,
    components: &[String],
    controls: &[String],
    at: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO patterns (slug, name, description, components, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?5)
         ON CONFLICT (slug) DO UPDATE SET name = excluded.name, description = excluded.description,
           components = excluded.components, version = version + 1, updated_at = excluded.updated_at",
    )
    .bind(slug)
    .bind(name)
    .bind(description)
    .bind(serde_json::to_string(components)?)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    write_controls(conn, slug, controls).await
}

async fn write_controls(
    conn: &mut SqliteConnection,
    slug: &str,
    controls: &[String],
) -> Result<()> {
    sqlx::query("DELETE FROM pattern_controls WHERE pattern_slug = ?")
        .bind(slug)
        .execute(&mut *conn)
        .await?;
    for (i, c) in controls.iter().enumerate() {
        sqlx::query(
            "INSERT OR IGNORE INTO pattern_controls (pattern_slug, control_slug, position) VALUES (?, ?, ?)",
        )
        .bind(slug)
        .bind(c)
        .bind(i as i64)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
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

/// A pattern as its change-log entries carry it, and so as it travels to other desktops.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PatternRecord {
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub components: Vec<String>,
    /// Control slugs, in the pattern's order.
    #[serde(default)]
    pub controls: Vec<String>,
    /// The controls' names, so a desktop that lacks one (made here with SLUG=Name) adds it.
    #[serde(default)]
    pub control_names: BTreeMap<String, String>,
}

impl PatternRecord {
    /// Whether a pattern with this slug and record may be saved: what an architect's form
    /// and the registry both check.
    pub fn validate(&self, slug: &str) -> Result<()> {
        if !is_slug(slug) {
            return Err(Error::invalid(
                "slug",
                format!(
                    "a pattern's slug is lowercase letters, digits and hyphens, such as rag-knowledge-assistant, not `{slug}`"
                ),
            ));
        }
        let name = self.name.trim();
        if name.is_empty() || name.chars().count() > SHORT_MAX {
            return Err(Error::invalid(
                "name",
                format!("a pattern needs a name of at most {SHORT_MAX} characters"),
            ));
        }
        if self.description.chars().count() > TEXT_MAX {
            return Err(Error::invalid(
                "description",
                format!("a description is at most {TEXT_MAX} characters"),
            ));
        }
        if self
            .components
            .iter()
            .any(|c| c.trim().is_empty() || c.chars().count() > SHORT_MAX)
        {
            return Err(Error::invalid(
                "components",
                format!("each component is a name of 1 to {SHORT_MAX} characters"),
            ));
        }
        for c in &self.controls {
            check_slug("control", c).map_err(|e| e.with_field("controls"))?;
        }
        let mut seen = std::collections::BTreeSet::new();
        if let Some(c) = self.controls.iter().find(|c| !seen.insert(c.as_str())) {
            return Err(Error::invalid(
                "controls",
                format!("the control `{c}` is listed twice"),
            ));
        }
        for (slug, name) in &self.control_names {
            control_name(slug, name)?;
        }
        Ok(())
    }
}

/// A pattern's or control's slug, checked (`what` names which, and the field it is in).
pub fn check_slug(what: &str, s: &str) -> Result<()> {
    if is_slug(s) {
        return Ok(());
    }
    Err(Error::invalid(
        what,
        format!("a {what}'s slug is lowercase letters, digits and hyphens, not `{s}`"),
    ))
}

/// A control's name, checked: what a new control is called wherever it was first named.
fn control_name<'a>(slug: &str, name: &'a str) -> Result<&'a str> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > SHORT_MAX {
        return Err(Error::invalid(
            "controls",
            format!("the control `{slug}` needs a name of at most {SHORT_MAX} characters"),
        ));
    }
    Ok(name)
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

async fn add_control(conn: &mut SqliteConnection, slug: &str, name: &str) -> Result<()> {
    sqlx::query("INSERT OR IGNORE INTO controls (slug, name) VALUES (?, ?)")
        .bind(slug)
        .bind(name)
        .execute(&mut *conn)
        .await?;
    Ok(())
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

/// Writes a pattern that arrived from the registry (added or edited elsewhere), with any
/// control this desktop has not got; `None` takes away a pattern this desktop made that
/// the registry refused.
pub(crate) async fn write_record(
    conn: &mut SqliteConnection,
    slug: &str,
    record: Option<&PatternRecord>,
    now: &str,
) -> Result<()> {
    let Some(r) = record else {
        for table in ["pattern_controls", "use_case_patterns"] {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "DELETE FROM {table} WHERE pattern_slug = ?"
            )))
            .bind(slug)
            .execute(&mut *conn)
            .await?;
        }
        sqlx::query("DELETE FROM patterns WHERE slug = ?")
            .bind(slug)
            .execute(&mut *conn)
            .await?;
        return Ok(());
    };
    for c in &r.controls {
        match r.control_names.get(c) {
            // A control known here keeps its name; one held by its slug (a placeholder) gets
            // the name its author gave it.
            Some(name) => sqlx::query(
                "INSERT INTO controls (slug, name) VALUES (?1, ?2)
                 ON CONFLICT (slug) DO UPDATE SET name = excluded.name WHERE controls.name = controls.slug",
            )
            .bind(c)
            .bind(name)
            .execute(&mut *conn)
            .await
            .map(drop)?,
            // An entry from before names travelled.
            None => control_placeholder(conn, c).await?,
        }
    }
    save(
        conn,
        slug,
        &r.name,
        &r.description,
        &r.components,
        &r.controls,
        now,
    )
    .await
}

/// A pattern known by its slug before its record arrives: a new desktop's first sync serves
/// each pattern's latest record, which may come after a mapping to it or its retirement.
/// The record fills it in.
pub(crate) async fn placeholder(conn: &mut SqliteConnection, slug: &str, now: &str) -> Result<()> {
    sqlx::query(
        "INSERT INTO patterns (slug, name, created_at, updated_at) VALUES (?1, ?1, ?2, ?2)
         ON CONFLICT (slug) DO NOTHING",
    )
    .bind(slug)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Retires or brings back a pattern, as another desktop did.
pub(crate) async fn write_retired(
    conn: &mut SqliteConnection,
    slug: &str,
    retired: bool,
    now: &str,
) -> Result<()> {
    placeholder(conn, slug, now).await?;
    sqlx::query(
        "UPDATE patterns SET retired = ?2, version = version + 1, updated_at = ?3 WHERE slug = ?1 AND retired <> ?2",
    )
    .bind(slug)
    .bind(retired)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A control known by its slug before the pattern that names it arrives (see `placeholder`).
pub(crate) async fn control_placeholder(conn: &mut SqliteConnection, slug: &str) -> Result<()> {
    add_control(conn, slug, slug).await
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
        Change::new("pattern", &p.slug, "create", &actor).new_value(serde_json::to_value(&r)?),
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
        Change::new("pattern", &p.slug, "field", &actor)
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
        let kind = if retired { "retire" } else { "unretire" };
        change_log::record(&mut tx, Change::new("pattern", slug, kind, &actor)).await?;
        tx.commit().await?;
    }
    get(ctx, slug).await
}

/// The patterns a use case is mapped to, primary first.
pub(crate) async fn links(
    conn: &mut SqliteConnection,
    use_case_id: &str,
) -> Result<Vec<PatternLink>> {
    Ok(sqlx::query_as(
        "SELECT p.slug, p.name, up.is_primary AS \"primary\", p.retired FROM use_case_patterns up
         JOIN patterns p ON p.slug = up.pattern_slug WHERE up.use_case_id = ?
         ORDER BY up.is_primary DESC, p.name COLLATE NOCASE",
    )
    .bind(use_case_id)
    .fetch_all(&mut *conn)
    .await?)
}

/// The controls a use case inherits from its patterns, in the patterns' order (primary first).
pub(crate) async fn inherited(
    conn: &mut SqliteConnection,
    use_case_id: &str,
) -> Result<Vec<InheritedControl>> {
    #[derive(sqlx::FromRow)]
    struct Row {
        slug: String,
        name: String,
        description: String,
        pattern: String,
        status: Option<String>,
        note: Option<String>,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT c.slug, c.name, c.description, up.pattern_slug AS pattern, s.status, s.note
         FROM use_case_patterns up
         JOIN pattern_controls pc ON pc.pattern_slug = up.pattern_slug
         JOIN controls c ON c.slug = pc.control_slug
         LEFT JOIN use_case_controls s ON s.use_case_id = up.use_case_id AND s.control_slug = c.slug
         WHERE up.use_case_id = ?
         ORDER BY up.is_primary DESC, up.pattern_slug, pc.position",
    )
    .bind(use_case_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut out: Vec<InheritedControl> = Vec::new();
    for r in rows {
        if let Some(c) = out.iter_mut().find(|c| c.slug == r.slug) {
            c.from.push(r.pattern);
            continue;
        }
        out.push(InheritedControl {
            status: r
                .status
                .as_deref()
                .map(ControlState::parse)
                .transpose()?
                .unwrap_or(ControlState::Open),
            slug: r.slug,
            name: r.name,
            description: r.description,
            note: r.note,
            from: vec![r.pattern],
        });
    }
    Ok(out)
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
        Change::new("use_case", &req.use_case_id, "pattern", actor)
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
            Change::new("use_case", use_case_id, "pattern", &actor)
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
        Change::new("use_case", &req.use_case_id, "control", &actor)
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
