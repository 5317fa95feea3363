//! Moving a use case between stages: the move rules, the gate checklist shown before a
//! move, and the move itself, recorded in the change log (the stage timeline).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::change_log::{self, Change, HistoryEntry};
use crate::ctx::Ctx;
use crate::error::{Error, ErrorCode, Result};
use crate::gate::{self, GateFacts, GateItem, GateRules};
use crate::scoring::ScoringModel;
use crate::stage::{self, MoveKind, Stage};
use crate::use_case::{self, UseCase};
use protocol::{ChangeKind, Entity};

/// One stage a use case could move to, and whether it may, as the UI shows it before
/// the person tries.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct StageOption {
    pub stage: Stage,
    /// `null` when the move rules never allow this move from here.
    pub kind: Option<MoveKind>,
    pub allowed: bool,
    pub needs_note: bool,
    /// Why the move rules refuse it (e.g. "forward moves go one stage at a time").
    pub reason: Option<String>,
    /// The gate checklist of a forward move: every requirement, met or missing.
    pub gate: Vec<GateItem>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MoveStage {
    pub id: String,
    pub to: Stage,
    #[ts(optional)]
    pub note: Option<String>,
    #[ts(optional)]
    pub expect_version: Option<i32>,
}

pub const NOTE_MAX: usize = 2_000;

fn facts(uc: &UseCase, model: &ScoringModel) -> GateFacts {
    let mut filled: Vec<&'static str> = Vec::new();
    let checks: [(&'static str, bool); 6] = [
        ("problem", !uc.problem.is_empty()),
        ("solution", !uc.solution.is_empty()),
        ("business_unit", !uc.business_unit.is_empty()),
        ("expected_benefit", uc.expected_benefit.is_some()),
        ("expected_cost", uc.expected_cost.is_some()),
        ("data_sources", !uc.data_sources.is_empty()),
    ];
    for (name, ok) in checks {
        if ok {
            filled.push(name);
        }
    }
    GateFacts {
        owners: uc.owners.roles(),
        filled_fields: filled,
        unscored: model
            .criteria()
            .filter(|(_, c)| uc.scores.get(&c.slug).copied().flatten().is_none())
            .map(|(_, c)| c.name.clone())
            .collect(),
        pattern_chosen: uc.patterns.iter().any(|p| p.primary) || uc.no_pattern_reason.is_some(),
        open_controls: uc
            .controls
            .iter()
            .filter(|c| c.status == crate::pattern::ControlState::Open)
            .map(|c| c.name.clone())
            .collect(),
        triage_gap: match &uc.triage {
            None => Some("not triaged".into()),
            Some(t) if t.needs_retriage => Some("the rules changed: triage again".into()),
            Some(t) => match t.outcome.tier {
                crate::triage::Tier::NotYetTriaged => Some("not finished".into()),
                crate::triage::Tier::Prohibited => Some("prohibited".into()),
                _ => None,
            },
        },
    }
}

fn option(uc: &UseCase, to: Stage, rules: &GateRules, model: &ScoringModel) -> StageOption {
    match stage::classify(uc.stage, to, uc.left_stage) {
        Err(reason) => StageOption {
            stage: to,
            kind: None,
            allowed: false,
            needs_note: false,
            reason: Some(reason),
            gate: vec![],
        },
        Ok(kind) => {
            let gate = if kind == MoveKind::Forward {
                gate::check(rules.for_stage(to), &facts(uc, model))
            } else {
                vec![]
            };
            StageOption {
                stage: to,
                kind: Some(kind),
                allowed: gate.iter().all(|g| g.met),
                needs_note: kind.needs_note(),
                reason: None,
                gate,
            }
        }
    }
}

/// Every other stage, with whether the use case may move there now and what is missing.
pub async fn stage_options(ctx: &Ctx, id: &str) -> Result<Vec<StageOption>> {
    let uc = use_case::get(ctx, id).await?;
    let (rules, model) = (ctx.gate_rules().await?, ctx.scoring_model().await?);
    Ok(Stage::ALL
        .into_iter()
        .filter(|s| *s != uc.stage)
        .map(|s| option(&uc, s, &rules, &model))
        .collect())
}

/// Moves a use case, if the move and gate rules allow it; records who, when, from, to, why.
pub async fn move_stage(ctx: &Ctx, req: MoveStage) -> Result<UseCase> {
    let actor = ctx.actor().await?;
    let note = req.note.as_deref().map(str::trim).filter(|n| !n.is_empty());
    if note.is_some_and(|n| n.chars().count() > NOTE_MAX) {
        return Err(Error::invalid(
            "note",
            format!("a note is at most {NOTE_MAX} characters"),
        ));
    }
    let (rules, model) = (ctx.gate_rules().await?, ctx.scoring_model().await?);
    let mut tx = ctx.store().begin().await?;
    let uc = use_case::load(&mut tx, &req.id, &model).await?;
    use_case::check_version(&use_case::row(&mut tx, &req.id).await?, req.expect_version)?;
    let opt = option(&uc, req.to, &rules, &model);
    let Some(kind) = opt.kind else {
        return Err(Error::new(
            ErrorCode::GateBlocked,
            format!(
                "“{}” cannot move from {} to {}: {}",
                uc.title,
                uc.stage.label(),
                req.to.label(),
                opt.reason.unwrap_or_default()
            ),
        ));
    };
    if !opt.allowed {
        let missing: Vec<String> = opt
            .gate
            .iter()
            .filter(|g| !g.met)
            .map(|g| format!("missing: {}", g.label))
            .collect();
        return Err(Error::new(
            ErrorCode::GateBlocked,
            format!(
                "“{}” cannot move to {} yet: {} requirement(s) missing",
                uc.title,
                req.to.label(),
                missing.len()
            ),
        )
        .with_details(missing));
    }
    if kind.needs_note() && note.is_none() {
        return Err(Error::invalid(
            "note",
            format!("moving to {} needs a note saying why", req.to.label()),
        ));
    }
    let at = crate::now();
    write(&mut tx, &req.id, req.to, &at).await?;
    use_case::touch(&mut tx, &req.id, &at).await?;
    change_log::record(
        &mut tx,
        Change::new(Entity::UseCase, &req.id, ChangeKind::Stage, &actor)
            .old_value(uc.stage.as_str())
            .new_value(req.to.as_str())
            .note(note)
            .demo(uc.demo),
    )
    .await?;
    tx.commit().await?;
    use_case::get(ctx, &req.id).await
}

/// Writes a move to `to` since `at`. A parked or retired use case remembers the stage on
/// the path it left (parking a retired one keeps the stage it left first).
pub(crate) async fn write(
    conn: &mut sqlx::SqliteConnection,
    id: &str,
    to: Stage,
    at: &str,
) -> Result<()> {
    sqlx::query(
        "UPDATE use_cases SET
           left_stage = CASE WHEN ?1 IN ('parked', 'retired')
                             THEN CASE WHEN stage IN ('parked', 'retired') THEN coalesce(left_stage, stage) ELSE stage END
                        END,
           stage = ?1, stage_since = ?2
         WHERE id = ?3",
    )
    .bind(to.as_str())
    .bind(at)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// The stage moves of one use case, oldest first: its timeline.
pub async fn timeline(ctx: &Ctx, id: &str) -> Result<Vec<HistoryEntry>> {
    change_log::for_use_case(&ctx.store().read, id, Some("stage")).await
}
