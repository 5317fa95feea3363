//! The scoring model's criteria and how sensitive the ranking is to their weights.

use clap::Subcommand;
use portfolio::{Ctx, Result};

use crate::output;

#[derive(Subcommand)]
pub enum Command {
    /// The active scoring model
    Criteria {
        #[arg(long)]
        json: bool,
    },
    /// Which use cases a ±20% move of any one criterion weight would move across a quadrant or the top-N line
    Sensitivity {
        /// The top-N line of the ranking
        #[arg(long, default_value_t = portfolio::sensitivity::DEFAULT_TOP)]
        top: usize,
        #[arg(long)]
        json: bool,
    },
}

pub async fn run(ctx: Ctx, command: Command) -> Result<()> {
    match command {
        Command::Criteria { json } => {
            let model = ctx.scoring_model().await?;
            if json {
                output::json(&model)
            } else {
                output::criteria(&model)
            }
        }
        Command::Sensitivity { top, json } => {
            let s = portfolio::sensitivity::sensitivity(&ctx, top).await?;
            if json {
                output::json(&s)
            } else {
                println!(
                    "{} of {} scored use cases are volatile (weights ±20%, top {} line)",
                    s.volatile, s.scored, s.top
                );
                for u in s.use_cases.iter().filter(|u| u.volatile) {
                    println!("  #{:<4} {}  {}", u.rank, u.id, u.title);
                    for r in &u.reasons {
                        println!("         {r}");
                    }
                }
            }
        }
    }
    Ok(())
}
