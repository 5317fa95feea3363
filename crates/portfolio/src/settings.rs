//! Portfolio-wide settings people edit: the scoring model and the gate rules (both
//! versioned, every change in the change log) and display preferences (currency, dates).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::change_log::{self, Change};
use crate::ctx::Ctx;
use crate::error::{Error, Result};
use crate::gate::GateRules;
use crate::scoring::ScoringModel;
use protocol::{ChangeKind, Entity};

/// Saves an edited scoring model as a new version and recomputes every use case's scores
/// under it, in one transaction. Earlier versions, and what they scored, are kept.
pub async fn save_scoring_model(ctx: &Ctx, mut model: ScoringModel) -> Result<ScoringModel> {
    let actor = ctx.actor().await?;
    model.validate()?;
    let current = ctx.scoring_model().await?;
    refuse_stale("scoring model", model.version, current.version)?;
    let mut tx = ctx.store().begin().await?;
    insert_scoring_model(&mut tx, &mut model, &actor, &crate::now()).await?;
    change_log::record(
        &mut tx,
        Change::new(Entity::ScoringModel, "active", ChangeKind::Model, &actor)
            .field("version")
            .old_value(serde_json::to_value(&current)?)
            .new_value(serde_json::to_value(&model)?),
    )
    .await?;
    tx.commit().await?;
    Ok(model)
}

/// Saves edited gate rules as a new version; the change log keeps the old and new rules.
pub async fn save_gate_rules(ctx: &Ctx, mut rules: GateRules) -> Result<GateRules> {
    let actor = ctx.actor().await?;
    rules.validate()?;
    let current = ctx.gate_rules().await?;
    refuse_stale("gate rules", rules.version, current.version)?;
    let mut tx = ctx.store().begin().await?;
    insert_gate_rules(&mut tx, &mut rules, &actor, &crate::now()).await?;
    change_log::record(
        &mut tx,
        Change::new(Entity::GateRules, "active", ChangeKind::GateRules, &actor)
            .field("version")
            .old_value(serde_json::to_value(&current)?)
            .new_value(serde_json::to_value(&rules)?),
    )
    .await?;
    tx.commit().await?;
    Ok(rules)
}

/// Writes `model` as the next version (its `version` set to it) and rescores every use case
/// by it, in the caller's transaction: a lead's save here and one arriving from the registry.
pub(crate) async fn insert_scoring_model(
    conn: &mut sqlx::SqliteConnection,
    model: &mut ScoringModel,
    actor: &str,
    at: &str,
) -> Result<()> {
    model.version = sqlx::query_scalar("SELECT COALESCE(MAX(version), 0) + 1 FROM scoring_models")
        .fetch_one(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO scoring_models (version, model, created_at, created_by) VALUES (?, ?, ?, ?)",
    )
    .bind(model.version)
    .bind(serde_json::to_string(&*model)?)
    .bind(at)
    .bind(actor)
    .execute(&mut *conn)
    .await?;
    let ids: Vec<String> = sqlx::query_scalar("SELECT id FROM use_cases")
        .fetch_all(&mut *conn)
        .await?;
    for id in ids {
        crate::use_case::refresh_scores(conn, &id, model, at).await?;
    }
    Ok(())
}

/// Writes `rules` as the next version (empty stages dropped), in the caller's transaction.
pub(crate) async fn insert_gate_rules(
    conn: &mut sqlx::SqliteConnection,
    rules: &mut GateRules,
    actor: &str,
    at: &str,
) -> Result<()> {
    rules.version = sqlx::query_scalar("SELECT COALESCE(MAX(version), 0) + 1 FROM gate_rules")
        .fetch_one(&mut *conn)
        .await?;
    rules.stages.retain(|_, reqs| !reqs.is_empty());
    sqlx::query(
        "INSERT INTO gate_rules (version, rules, created_at, created_by) VALUES (?, ?, ?, ?)",
    )
    .bind(rules.version)
    .bind(serde_json::to_string(&*rules)?)
    .bind(at)
    .bind(actor)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// An edit of versioned settings must start from the active version, so two people editing
/// at once cannot silently undo each other.
fn refuse_stale(what: &str, based_on: i32, active: i32) -> Result<()> {
    if based_on == active {
        return Ok(());
    }
    Err(Error::new(
        crate::ErrorCode::Stale,
        format!(
            "the {what} changed since you opened them (you edited version {based_on}, version {active} is active); reload and edit again"
        ),
    ))
}

/// How the app shows money and dates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Preferences {
    /// An ISO 4217 code, e.g. `EUR`.
    pub currency: String,
    pub date_format: DateFormat,
    /// Use cases in a stage for longer than this many days stand out (pipeline, dashboard).
    #[serde(default = "default_stale_after_days")]
    pub stale_after_days: i32,
}

fn default_stale_after_days() -> i32 {
    90
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum DateFormat {
    /// 2026-11-25
    Iso,
    /// 25/11/2026
    DayMonthYear,
    /// 11/25/2026
    MonthDayYear,
}

impl Default for Preferences {
    fn default() -> Self {
        Preferences {
            currency: "EUR".into(),
            date_format: DateFormat::Iso,
            stale_after_days: default_stale_after_days(),
        }
    }
}

pub async fn preferences(ctx: &Ctx) -> Result<Preferences> {
    let stored: Option<String> =
        sqlx::query_scalar("SELECT value FROM settings WHERE key = 'preferences'")
            .fetch_optional(&ctx.store().read)
            .await?;
    Ok(stored
        .map(|s| serde_json::from_str(&s))
        .transpose()?
        .unwrap_or_default())
}

pub async fn save_preferences(ctx: &Ctx, mut prefs: Preferences) -> Result<Preferences> {
    let actor = ctx.actor().await?;
    prefs.currency = prefs.currency.trim().to_uppercase();
    if prefs.currency.len() != 3 || !prefs.currency.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(Error::invalid(
            "currency",
            "a currency is a three-letter ISO code such as EUR, USD or GBP",
        ));
    }
    if !(1..=3650).contains(&prefs.stale_after_days) {
        return Err(Error::invalid(
            "stale_after_days",
            "the days before a use case counts as stuck are between 1 and 3650",
        ));
    }
    let old = preferences(ctx).await?;
    let mut tx = ctx.store().begin().await?;
    sqlx::query("INSERT INTO settings (key, value) VALUES ('preferences', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
        .bind(serde_json::to_string(&prefs)?)
        .execute(&mut *tx)
        .await?;
    change_log::record(
        &mut tx,
        Change::new(
            Entity::Settings,
            "preferences",
            ChangeKind::Settings,
            &actor,
        )
        .old_value(serde_json::to_value(&old)?)
        .new_value(serde_json::to_value(&prefs)?),
    )
    .await?;
    tx.commit().await?;
    Ok(prefs)
}
