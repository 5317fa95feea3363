//! What the registry knows about each use case to decide permissions (its creator,
//! proposer, owners, whether it was deleted), kept in step with every accepted change; and
//! the check of each pushed change against it and the sender's role.

use domain::stage::Stage;
use protocol::travels;
use protocol::wire::WireChange;
use serde_json::Value;
use sqlx::Row;

use super::{Store, Tx};
use crate::error::ApiError;
use crate::refusal::{Cause, Refusal};
use crate::role::{self, Permission};
use crate::token::Principal;

struct UseCaseAccess {
    created_by: String,
    proposer: Option<String>,
    deleted: bool,
    owners: Vec<String>,
}

async fn access(tx: &mut Tx<'_>, id: &str) -> Result<Option<UseCaseAccess>, ApiError> {
    let row = sqlx::query("SELECT created_by, proposer, deleted FROM use_cases WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?;
    let Some(r) = row else { return Ok(None) };
    let owners: Vec<String> = sqlx::query_scalar("SELECT email FROM owners WHERE use_case_id = $1")
        .bind(id)
        .fetch_all(&mut **tx)
        .await?;
    let deleted: i32 = r.try_get("deleted")?;
    Ok(Some(UseCaseAccess {
        created_by: r.try_get("created_by")?,
        proposer: r.try_get("proposer")?,
        deleted: deleted != 0,
        owners,
    }))
}

/// Whether the value is one every desktop can apply: checked with the protocol's rule book
/// (the domain's own parsers), so a bad value is refused here rather than stopping
/// everyone's sync.
fn well_formed(c: &WireChange) -> Result<(), String> {
    protocol::rules::check(c).map_err(|e| {
        format!(
            "the new value of {} {} is not valid: {}",
            c.entity, c.kind, e.message
        )
    })
}

/// Whether every desktop has, or will have, this pattern: a starter one, or one whose record
/// the registry accepted.
async fn pattern_known(tx: &mut Tx<'_>, slug: &str) -> Result<bool, ApiError> {
    if domain::pattern::is_starter(slug) {
        return Ok(true);
    }
    let key = protocol::key("pattern", slug, "field", None, None, None);
    let row: Option<i64> = sqlx::query_scalar("SELECT seq FROM latest WHERE sync_key = $1")
        .bind(key)
        .fetch_optional(&mut **tx)
        .await?;
    Ok(row.is_some())
}

fn refuse(cause: Cause, reason: impl Into<String>) -> Result<Result<(), Refusal>, ApiError> {
    Ok(Err(Refusal {
        cause,
        reason: reason.into(),
    }))
}

/// Whether the sender may make this change; `Err` says why not.
pub(super) async fn check(
    tx: &mut Tx<'_>,
    who: &Principal,
    c: &WireChange,
) -> Result<Result<(), Refusal>, ApiError> {
    let may = |p: Permission| role::allows(who.role, p);
    let role = who.role.as_str();
    if !may(Permission::Propose) {
        return refuse(
            Cause::Role,
            format!("{} is a {role}: viewers only read the portfolio", who.user),
        );
    }
    if !c.actor.eq_ignore_ascii_case(&who.user) {
        return refuse(
            Cause::Identity,
            format!(
                "made by {} but sent with {}'s token: a desktop syncs with its own person's token",
                c.actor, who.user
            ),
        );
    }
    if !travels(&c.entity, &c.kind) {
        return refuse(
            Cause::UnknownKind,
            format!(
                "this registry does not take `{}` changes to {} yet",
                c.kind, c.entity
            ),
        );
    }
    if c.id.is_empty() || c.entity_id.is_empty() || c.origin.is_empty() {
        return refuse(Cause::Invalid, "the change has no id, entity id or origin");
    }
    if let Err(reason) = well_formed(c) {
        return refuse(Cause::Invalid, reason);
    }
    match c.entity.as_str() {
        "scoring_model" if !may(Permission::EditScoringModel) => {
            return refuse(
                Cause::Role,
                format!(
                    "only portfolio leads edit the scoring model; {} is a {role}",
                    who.user
                ),
            );
        }
        "gate_rules" if !may(Permission::EditGateRules) => {
            return refuse(
                Cause::Role,
                format!(
                    "only portfolio leads edit the gate rules; {} is a {role}",
                    who.user
                ),
            );
        }
        "pattern" if !may(Permission::EditPatterns) => {
            return refuse(
                Cause::Role,
                format!(
                    "only architects and portfolio leads edit the pattern catalogue; {} is a {role}",
                    who.user
                ),
            );
        }
        "scoring_model" | "gate_rules" | "pattern" => return Ok(Ok(())),
        _ => {}
    }
    if c.entity == "person" || c.kind == "create" {
        if c.kind == "create" && c.entity == "use_case" {
            // A creation starts where the sender's role may put a use case: Production and
            // Scaled are a lead's to reach, whether by a move or by a use case made there.
            let record = c.new.as_ref().map(protocol::rules::UseCaseRecord::parse);
            let stage = record.and_then(Result::ok).and_then(|r| r.stage);
            if matches!(stage, Some(Stage::Production | Stage::Scaled))
                && !may(Permission::MoveToProduction)
            {
                return refuse(
                    Cause::Role,
                    format!(
                        "only portfolio leads put a use case in Production or Scaled; {} is a {role} (propose it at an earlier stage)",
                        who.user
                    ),
                );
            }
            let exists: Option<String> =
                sqlx::query_scalar("SELECT id FROM use_cases WHERE id = $1")
                    .bind(&c.entity_id)
                    .fetch_optional(&mut **tx)
                    .await?;
            if exists.is_some() {
                return refuse(
                    Cause::Taken,
                    format!("use case {} exists already on the registry", c.entity_id),
                );
            }
        }
        return Ok(Ok(()));
    }
    // A KPI belongs to the use case the registry recorded for it when it was made, whatever
    // a later change claims: whoever may change that use case may change its KPIs.
    let use_case = match c.entity.as_str() {
        "kpi" => match kpi_use_case(tx, &c.entity_id).await? {
            Some(owner) if c.use_case_id.as_ref().is_some_and(|u| *u != owner) => {
                return refuse(
                    Cause::Invalid,
                    format!(
                        "KPI {} belongs to use case {owner} on the registry, not {}",
                        c.entity_id,
                        c.use_case_id.as_deref().unwrap_or_default()
                    ),
                );
            }
            Some(owner) => owner,
            None if c.kind == "kpi" => match &c.use_case_id {
                Some(u) => u.clone(),
                None => return refuse(Cause::Invalid, "a new KPI names the use case it measures"),
            },
            None => {
                return refuse(
                    Cause::Missing,
                    format!(
                        "the registry has no KPI {}: its record reaches the registry before its actuals",
                        c.entity_id
                    ),
                );
            }
        },
        _ => c.entity_id.clone(),
    };
    if let Err(reason) = may_change(tx, who, c, &use_case).await? {
        return Ok(Err(reason));
    }
    // A merge changes the use case kept as well (it takes the other's KPIs and history).
    if c.kind == "merge" {
        let kept = c
            .new
            .as_ref()
            .and_then(|v| v.get("kept"))
            .and_then(Value::as_str);
        return may_change(tx, who, c, kept.unwrap_or_default()).await;
    }
    Ok(Ok(()))
}

/// The use case a KPI belongs to, once the registry accepted its record.
async fn kpi_use_case(tx: &mut Tx<'_>, kpi: &str) -> Result<Option<String>, ApiError> {
    Ok(
        sqlx::query_scalar("SELECT use_case_id FROM kpis WHERE id = $1")
            .bind(kpi)
            .fetch_optional(&mut **tx)
            .await?,
    )
}

/// Whether the sender may make this change to `use_case`, judged by what the registry
/// knows of it (its creator, proposer, owners, whether it was deleted) and the sender's role.
async fn may_change(
    tx: &mut Tx<'_>,
    who: &Principal,
    c: &WireChange,
    use_case: &str,
) -> Result<Result<(), Refusal>, ApiError> {
    let may = |p: Permission| role::allows(who.role, p);
    let role = who.role.as_str();
    let Some(uc) = access(tx, use_case).await? else {
        return refuse(
            Cause::Missing,
            format!("the registry has no use case {use_case}"),
        );
    };
    if uc.deleted {
        return refuse(
            Cause::Missing,
            format!("use case {use_case} was deleted on the registry"),
        );
    }
    if c.kind == "pattern" && c.new.as_ref().is_some_and(|v| !v.is_null()) {
        let slug = c.field.as_deref().unwrap_or_default();
        if !pattern_known(tx, slug).await? {
            return refuse(
                Cause::Missing,
                format!(
                    "the registry has no pattern `{slug}`: it must reach the catalogue before use cases map to it"
                ),
            );
        }
    }
    let new_stage = c.new.as_ref().and_then(Value::as_str).unwrap_or_default();
    if c.kind == "stage"
        && matches!(new_stage, "production" | "scaled")
        && !may(Permission::MoveToProduction)
    {
        return refuse(
            Cause::Role,
            format!(
                "only portfolio leads move a use case to Production or Scaled; {} is a {role}",
                who.user
            ),
        );
    }
    if may(Permission::EditAny) {
        return Ok(Ok(()));
    }
    let field = c.field.as_deref().unwrap_or_default();
    let technical = (c.kind == "field" && role::TECHNICAL_FIELDS.contains(&field))
        || (c.kind == "owner" && role::TECHNICAL_OWNERS.contains(&field))
        || role::TECHNICAL_KINDS.contains(&c.kind.as_str());
    if technical && may(Permission::EditTechnical) {
        return Ok(Ok(()));
    }
    let mine = uc.created_by == who.user
        || uc.proposer.as_deref() == Some(who.user.as_str())
        || uc.owners.contains(&who.user);
    if mine && may(Permission::EditOwn) {
        return Ok(Ok(()));
    }
    refuse(
        Cause::Role,
        format!(
            "{} is a {role} who neither proposed nor owns use case {}: {role}s change the use cases they propose or own{}",
            who.user,
            use_case,
            if may(Permission::EditTechnical) {
                " (and the technical side of any)"
            } else {
                ""
            }
        ),
    )
}

fn text(v: Option<&Value>) -> Option<String> {
    v.and_then(Value::as_str).map(str::to_lowercase)
}

/// Keeps the snapshot and the permission facts in step with an accepted change.
pub(super) async fn project(
    tx: &mut Tx<'_>,
    c: &WireChange,
    key: &str,
    seq: i64,
    user: &str,
) -> Result<(), ApiError> {
    if c.kind == "delete" {
        // A deleted use case leaves nothing in the snapshot but its deletion.
        let prefix = format!("use_case:{}:", c.entity_id);
        sqlx::query("DELETE FROM latest WHERE sync_key >= $1 AND sync_key < $2")
            .bind(&prefix)
            .bind(format!("use_case:{};", c.entity_id))
            .execute(&mut **tx)
            .await?;
    }
    sqlx::query(
        "INSERT INTO latest (sync_key, seq) VALUES ($1, $2)
         ON CONFLICT (sync_key) DO UPDATE SET seq = excluded.seq",
    )
    .bind(key)
    .bind(seq)
    .execute(&mut **tx)
    .await?;
    if c.entity == "kpi" && c.kind == "kpi" {
        let use_case = c.use_case_id.as_deref().unwrap_or_default();
        remember_kpi(tx, &c.entity_id, use_case).await?;
    }
    if c.entity != "use_case" {
        return Ok(());
    }
    let id = c.entity_id.as_str();
    match c.kind.as_str() {
        "create" => {
            let proposer = text(c.new.as_ref().and_then(|v| v.get("proposer")));
            sqlx::query("INSERT INTO use_cases (id, created_by, proposer) VALUES ($1, $2, $3)")
                .bind(id)
                .bind(user)
                .bind(proposer)
                .execute(&mut **tx)
                .await?;
            if let Some(map) = c.new.as_ref().and_then(Value::as_object) {
                for (k, v) in map {
                    if let (Some(role), Some(email)) = (k.strip_prefix("owner."), text(Some(v))) {
                        set_owner(tx, id, role, Some(email)).await?;
                    }
                }
            }
        }
        "field" if c.field.as_deref() == Some("proposer") => {
            sqlx::query("UPDATE use_cases SET proposer = $1 WHERE id = $2")
                .bind(text(c.new.as_ref()))
                .bind(id)
                .execute(&mut **tx)
                .await?;
        }
        "owner" => {
            let role = c.field.as_deref().unwrap_or_default();
            set_owner(tx, id, role, text(c.new.as_ref())).await?;
        }
        "merge" => {
            let kept = c
                .new
                .as_ref()
                .and_then(|v| v.get("kept"))
                .and_then(Value::as_str);
            move_kpis(tx, id, kept.unwrap_or_default()).await?;
        }
        "delete" => {
            sqlx::query("UPDATE use_cases SET deleted = 1 WHERE id = $1")
                .bind(id)
                .execute(&mut **tx)
                .await?;
        }
        _ => {}
    }
    Ok(())
}

impl Store {
    /// Fills the KPI table of a registry that accepted KPIs before it kept one, from its log:
    /// once, noted in `upgrades`, so later starts read nothing of the log.
    pub(super) async fn fill_kpis(conn: &mut sqlx::AnyConnection) -> Result<(), ApiError> {
        use sqlx::Connection;
        let mut tx = conn.begin().await?;
        let done: Option<String> =
            sqlx::query_scalar("SELECT name FROM upgrades WHERE name = 'kpis'")
                .fetch_optional(&mut *tx)
                .await?;
        if done.is_some() {
            return Ok(());
        }
        let rows = sqlx::query(
            "SELECT entity_id, use_case_id, kind, new FROM changes
             WHERE (entity = 'kpi' AND kind = 'kpi') OR (entity = 'use_case' AND kind = 'merge')
             ORDER BY seq",
        )
        .fetch_all(&mut *tx)
        .await?;
        for r in rows {
            let id: String = r.try_get("entity_id")?;
            let kind: String = r.try_get("kind")?;
            if kind == "kpi" {
                let use_case: Option<String> = r.try_get("use_case_id")?;
                remember_kpi(&mut tx, &id, use_case.as_deref().unwrap_or_default()).await?;
            } else {
                let new: Option<String> = r.try_get("new")?;
                let new = new.and_then(|n| serde_json::from_str::<Value>(&n).ok());
                let kept = new
                    .as_ref()
                    .and_then(|v| v.get("kept"))
                    .and_then(Value::as_str);
                move_kpis(&mut tx, &id, kept.unwrap_or_default()).await?;
            }
        }
        sqlx::query("INSERT INTO upgrades (name) VALUES ('kpis')")
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// A merge moves the KPIs of the use case merged onto the one kept.
async fn move_kpis(tx: &mut Tx<'_>, merged: &str, kept: &str) -> Result<(), ApiError> {
    sqlx::query("UPDATE kpis SET use_case_id = $1 WHERE use_case_id = $2")
        .bind(kept)
        .bind(merged)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Records the use case a KPI was made for; the first accepted record decides.
async fn remember_kpi(tx: &mut Tx<'_>, kpi: &str, use_case: &str) -> Result<(), ApiError> {
    sqlx::query("INSERT INTO kpis (id, use_case_id) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING")
        .bind(kpi)
        .bind(use_case)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

async fn set_owner(
    tx: &mut Tx<'_>,
    id: &str,
    role: &str,
    email: Option<String>,
) -> Result<(), ApiError> {
    match email {
        Some(e) => sqlx::query(
            "INSERT INTO owners (use_case_id, role, email) VALUES ($1, $2, $3)
             ON CONFLICT (use_case_id, role) DO UPDATE SET email = excluded.email",
        )
        .bind(id)
        .bind(role)
        .bind(e),
        None => sqlx::query("DELETE FROM owners WHERE use_case_id = $1 AND role = $2")
            .bind(id)
            .bind(role),
    }
    .execute(&mut **tx)
    .await?;
    Ok(())
}
