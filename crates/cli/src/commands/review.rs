//! What leadership reviews: the dashboard's figures and what changed since the last review
//! point.

use clap::Subcommand;
use portfolio::{Ctx, Result};

use crate::output;

#[derive(Subcommand)]
pub enum ReviewAction {
    /// Mark a review point now
    Mark {
        #[arg(long, allow_hyphen_values = true)]
        note: Option<String>,
    },
    /// What changed since the latest review point: new use cases, stage moves, score and owner changes
    Changes {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub enum Command {
    /// The leadership dashboard's figures: by stage and business unit, funnel, aging, top, ownership gaps
    Dashboard {
        #[arg(long)]
        json: bool,
    },
    /// Portfolio reviews: mark a review point, list what changed since the latest
    Review {
        #[command(subcommand)]
        action: ReviewAction,
    },
}

pub async fn run(ctx: Ctx, command: Command) -> Result<()> {
    match command {
        Command::Dashboard { json } => {
            let d = portfolio::dashboard::dashboard(&ctx).await?;
            if json {
                output::json(&d)
            } else {
                output::dashboard(&d)
            }
        }
        Command::Review {
            action: ReviewAction::Mark { note },
        } => {
            let m = portfolio::review::mark(&ctx, note.as_deref()).await?;
            println!("review point marked at {}", m.at);
        }
        Command::Review {
            action: ReviewAction::Changes { json },
        } => {
            let c = portfolio::review::changes(&ctx).await?;
            if json {
                output::json(&c)
            } else {
                output::review_changes(&c)
            }
        }
    }
    Ok(())
}
