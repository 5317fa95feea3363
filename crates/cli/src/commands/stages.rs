//! Stage moves and the gate rules they pass.

use clap::Subcommand;
use portfolio::gate::Requirement;
use portfolio::stage::Stage;
use portfolio::stage_move::MoveStage;
use portfolio::{Ctx, Result};

use crate::output;

#[derive(Subcommand)]
pub enum GateAction {
    /// Replace what STAGE asks for (none: no gate). Requirements: owner:ROLE, field:NAME,
    /// all-scored, primary-pattern, controls-in-place
    Set {
        stage: String,
        requirements: Vec<String>,
    },
}

#[derive(Subcommand)]
pub enum Command {
    /// Move a use case to another stage
    Stage {
        id: String,
        stage: String,
        /// The reason (required for backward moves, parked and retired)
        #[arg(long, allow_hyphen_values = true)]
        note: Option<String>,
    },
    /// The active gate rules: what each stage asks for before a use case may enter it
    Gates {
        #[arg(long)]
        json: bool,
    },
    /// Gate rules
    Gate {
        #[command(subcommand)]
        action: GateAction,
    },
}

pub async fn run(ctx: Ctx, command: Command) -> Result<()> {
    match command {
        Command::Stage { id, stage, note } => {
            let to = Stage::parse(&stage)?;
            let from = portfolio::use_case::get(&ctx, &id).await?.stage;
            let uc = portfolio::stage_move::move_stage(
                &ctx,
                MoveStage {
                    id,
                    to,
                    note,
                    expect_version: None,
                },
            )
            .await?;
            println!(
                "moved “{}” from {} to {}",
                uc.title,
                from.as_str(),
                uc.stage.as_str()
            );
        }
        Command::Gates { json } => {
            let rules = ctx.gate_rules().await?;
            if json {
                output::json(&rules)
            } else {
                output::gates(&rules)
            }
        }
        Command::Gate {
            action:
                GateAction::Set {
                    stage,
                    requirements,
                },
        } => {
            let stage = Stage::parse(&stage)?;
            let reqs = requirements
                .iter()
                .map(|r| Requirement::parse(r))
                .collect::<Result<Vec<_>>>()?;
            let mut rules = ctx.gate_rules().await?;
            rules.stages.insert(stage, reqs);
            let saved = portfolio::settings::save_gate_rules(&ctx, rules).await?;
            println!(
                "gate rules version {}: {} asks for {}",
                saved.version,
                stage.as_str(),
                output::requirements(saved.for_stage(stage))
            );
        }
    }
    Ok(())
}
