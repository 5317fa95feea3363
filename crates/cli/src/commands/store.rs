//! The store itself: creating it (and saying who you are), the demo portfolio, backups and
//! restores, and the bench, which builds stores of its own.

use std::path::{Path, PathBuf};

use clap::Subcommand;
use portfolio::{Ctx, Identity, OpenMode, Result};

use super::confirm;
use crate::output;

#[derive(Subcommand)]
pub enum Command {
    /// Create the store (idempotent) and optionally save who you are
    Init {
        #[arg(long, requires = "email")]
        name: Option<String>,
        #[arg(long, requires = "name")]
        email: Option<String>,
    },
    /// Load the demo portfolio into an empty store
    Demo,
    /// Write a consistent copy of the store to FILE (safe while the app runs)
    Backup { file: PathBuf },
    /// Replace the store with the backup FILE; the replaced store is kept beside it
    Restore {
        file: PathBuf,
        /// Do not ask; required when stdin is not a terminal
        #[arg(long)]
        yes: bool,
    },
    /// Benchmark generated portfolios of these sizes (temporary stores; yours is untouched)
    Bench {
        #[arg(long, value_delimiter = ',', default_value = "1000,10000,100000")]
        sizes: Vec<usize>,
        /// Also start this app binary on the largest store: first page time and idle memory
        #[arg(long, value_name = "PATH")]
        app: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
}

/// Runs a store command: `restore` and `bench` before any store is opened (a restore
/// replaces the file; the bench makes stores of its own), `init` creating the store.
pub async fn run(command: Command, path: &Path, actor: Option<String>) -> Result<()> {
    let mode = match command {
        Command::Bench { sizes, json, app } => {
            let report = crate::bench::run(&sizes, app.as_deref()).await?;
            if json {
                output::json(&report)
            } else {
                crate::bench::print(&report)
            }
            return Ok(());
        }
        Command::Restore { file, yes } => {
            confirm(
                yes,
                &format!(
                    "Replace the store at {} with {}?",
                    path.display(),
                    file.display()
                ),
            )?;
            let aside = portfolio::backup::restore(path, &file).await?;
            println!(
                "restored {} into {}; the replaced store is kept at {}",
                file.display(),
                path.display(),
                aside.display()
            );
            return Ok(());
        }
        Command::Init { .. } => OpenMode::Create,
        _ => OpenMode::Existing,
    };
    super::with_store(path, mode, actor, |ctx| run_opened(command, path, ctx)).await
}

async fn run_opened(command: Command, path: &Path, ctx: Ctx) -> Result<()> {
    match command {
        Command::Init { name, email } => {
            if let (Some(name), Some(email)) = (name, email) {
                let id = portfolio::person::set_identity(&ctx, Identity { name, email }).await?;
                println!(
                    "store ready at {}; you are {} <{}>",
                    path.display(),
                    id.name,
                    id.email
                );
            } else {
                println!("store ready at {}", path.display());
            }
        }
        Command::Demo => {
            let n = portfolio::demo::load(&ctx).await?;
            println!("loaded the demo portfolio: {n} use cases");
        }
        Command::Backup { file } => {
            portfolio::backup::backup(&ctx, &file, false).await?;
            println!("backed up {} to {}", path.display(), file.display());
        }
        Command::Bench { .. } | Command::Restore { .. } => {}
    }
    Ok(())
}
