//! `portfolio`: the command line over the AI Factory Portfolio engine. Its surface is a
//! contract scripts rely on (`docs/cli.md`): spellings, JSON shapes, exit codes.

mod bench;
mod commands;
mod output;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use portfolio::{Ctx, OpenMode, Result};

use commands::{
    kpis, patterns, review, scoring, stages, store, sync, transfer, triage, use_cases, with_store,
};

#[derive(Parser)]
#[command(
    name = "portfolio",
    version,
    about = "Manage an AI Factory portfolio of use cases from the command line"
)]
struct Cli {
    /// The store (default: $PORTFOLIO_DB, else the app's store in the OS app-data directory)
    #[arg(long, global = true, value_name = "PATH")]
    db: Option<PathBuf>,
    /// Who is making the change (default: $PORTFOLIO_USER, else the identity saved in the store)
    #[arg(
        long = "as",
        global = true,
        value_name = "EMAIL",
        env = "PORTFOLIO_USER",
        hide_env_values = true
    )]
    actor: Option<String>,
    #[command(subcommand)]
    command: Command,
}

/// Every command, by group (the groups' own modules declare them).
#[derive(Subcommand)]
enum Command {
    #[command(flatten)]
    Store(store::Command),
    #[command(flatten)]
    UseCases(use_cases::Command),
    #[command(flatten)]
    Stages(stages::Command),
    #[command(flatten)]
    Scoring(scoring::Command),
    #[command(flatten)]
    Transfer(transfer::Command),
    #[command(flatten)]
    Review(review::Command),
    #[command(flatten)]
    Patterns(patterns::Command),
    #[command(flatten)]
    Triage(triage::Command),
    #[command(flatten)]
    Kpis(kpis::Command),
    #[command(flatten)]
    Sync(sync::Command),
}

/// A script that reads only the first lines (`portfolio list | head`) closes the pipe early;
/// that is not an error of ours, so stop quietly instead of reporting a panic.
fn quiet_on_closed_pipe() {
    let report = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or("");
        if message.contains("failed printing to stdout") && message.contains("Broken pipe") {
            std::process::exit(0);
        }
        report(info);
    }));
}

fn main() -> ExitCode {
    quiet_on_closed_pipe();
    let cli = Cli::parse();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("the async runtime starts");
    let result = runtime.block_on(run(cli));
    if let Some(file) = std::env::var_os(PEAK_REPORT) {
        report_peak_memory(&file);
    }
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error[{}]: {}", e.code.as_str(), e.message);
            for d in &e.details {
                eprintln!("  {d}");
            }
            ExitCode::from(1)
        }
    }
}

/// Set by `bench` on the export it runs: this process writes its peak memory (kB) there.
pub const PEAK_REPORT: &str = "PORTFOLIO_PEAK_REPORT";

fn report_peak_memory(file: &std::ffi::OsStr) {
    let kb = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1).map(str::to_owned))
        })
        .unwrap_or_default();
    let _ = std::fs::write(file, kb);
}

async fn run(cli: Cli) -> Result<()> {
    let path = portfolio::store::resolve_path(cli.db);
    let actor = cli.actor;
    match cli.command {
        // A store command opens the store its own way, or not at all.
        Command::Store(c) => store::run(c, &path, actor).await,
        other => with_store(&path, OpenMode::Existing, actor, |ctx| other.run(ctx)).await,
    }
}

impl Command {
    /// Runs a command of a group that works on an open store.
    async fn run(self, ctx: Ctx) -> Result<()> {
        match self {
            Command::Store(_) => unreachable!("store commands open the store themselves"),
            Command::UseCases(c) => use_cases::run(ctx, c).await,
            Command::Stages(c) => stages::run(ctx, c).await,
            Command::Scoring(c) => scoring::run(ctx, c).await,
            Command::Transfer(c) => transfer::run(ctx, c).await,
            Command::Review(c) => review::run(ctx, c).await,
            Command::Patterns(c) => patterns::run(ctx, c).await,
            Command::Triage(c) => triage::run(ctx, c).await,
            Command::Kpis(c) => kpis::run(ctx, c).await,
            Command::Sync(c) => sync::run(ctx, c).await,
        }
    }
}
