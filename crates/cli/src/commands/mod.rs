//! The commands, one module per group; each declares its subcommands (their spellings and
//! help are the CLI contract, `docs/cli.md`) and runs them over the engine.

use clap::Args;
use portfolio::scoring::Quadrant;
use portfolio::stage::Stage;
use portfolio::view::Filters;
use std::path::Path;

use portfolio::{Ctx, Error, OpenMode, Result};

pub mod kpis;
pub mod patterns;
pub mod review;
pub mod scoring;
pub mod stages;
pub mod store;
pub mod sync;
pub mod transfer;
pub mod triage;
pub mod use_cases;

#[derive(Args)]
pub struct FilterArgs {
    #[arg(long, value_name = "S")]
    stage: Vec<String>,
    #[arg(long, value_name = "B")]
    business_unit: Vec<String>,
    /// Owner email, any role
    #[arg(long, value_name = "EMAIL")]
    owner: Vec<String>,
    #[arg(long, value_name = "Q")]
    quadrant: Vec<String>,
    #[arg(long, value_name = "T")]
    tag: Vec<String>,
    /// A pattern slug (primary or other)
    #[arg(long, value_name = "SLUG")]
    pattern: Vec<String>,
    /// Plain words matched against title and text
    #[arg(long, value_name = "TEXT", allow_hyphen_values = true)]
    search: Option<String>,
    #[arg(long)]
    include_archived: bool,
}

impl FilterArgs {
    pub fn into_filters(self) -> Result<Filters> {
        Ok(Filters {
            stage: self
                .stage
                .iter()
                .map(|s| Stage::parse(s))
                .collect::<Result<_>>()?,
            business_unit: self.business_unit,
            owner: self.owner,
            quadrant: self
                .quadrant
                .iter()
                .map(|q| Quadrant::parse(q))
                .collect::<Result<_>>()?,
            tag: self.tag,
            pattern: self.pattern,
            search: self.search,
            include_archived: self.include_archived,
        })
    }
}

/// A destructive command goes ahead with `--yes`, or when a person at a terminal says so;
/// it never prompts when stdin is not a terminal.
pub fn confirm(yes: bool, question: &str) -> Result<()> {
    use std::io::{BufRead, IsTerminal, Write};
    if yes {
        return Ok(());
    }
    if !std::io::stdin().is_terminal() {
        return Err(Error::validation(format!(
            "{question} Add --yes to confirm (stdin is not a terminal)"
        )));
    }
    eprint!("{question} [y/N] ");
    std::io::stderr().flush()?;
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    if matches!(answer.trim(), "y" | "Y" | "yes") {
        Ok(())
    } else {
        Err(Error::validation("cancelled; nothing was changed"))
    }
}

/// Runs a command on the store: opened (`mode`), then closed cleanly (its write-ahead log
/// folded back, so the `.db` file alone is the store), whatever the outcome.
pub async fn with_store<F, Fut>(
    path: &Path,
    mode: OpenMode,
    actor: Option<String>,
    run: F,
) -> Result<()>
where
    F: FnOnce(Ctx) -> Fut,
    Fut: std::future::Future<Output = Result<()>>,
{
    let ctx = Ctx::open(path, mode).await?;
    let result = match ctx.clone().with_actor(actor) {
        Ok(acting) => run(acting).await,
        Err(e) => Err(e),
    };
    ctx.close().await;
    result
}
