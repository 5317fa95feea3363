//! `portfolio-sync-bench`: the sync targets measured over loopback on a throwaway registry,
//! with real desktops as its clients (your stores are untouched).

mod bench;

use std::process::ExitCode;

use clap::Parser;

/// Measure the sync targets over loopback on a throwaway registry (yours is untouched)
#[derive(Parser)]
#[command(name = "portfolio-sync-bench", version)]
struct Cli {
    /// Use cases in the registry a new desktop syncs first
    #[arg(long, default_value_t = 100_000)]
    use_cases: usize,
    /// Clients each pushing one single-field change per request
    #[arg(long, default_value_t = 8)]
    writers: usize,
    /// Clients syncing at once
    #[arg(long, default_value_t = 100)]
    concurrent: usize,
    /// Seconds each load runs
    #[arg(long, default_value_t = 5.0)]
    seconds: f64,
    #[arg(long)]
    json: bool,
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let o = bench::Options {
        use_cases: cli.use_cases,
        writers: cli.writers,
        concurrent: cli.concurrent,
        seconds: cli.seconds,
    };
    match bench::run(o.clone()).await {
        Ok(r) if cli.json => match serde_json::to_string_pretty(&r) {
            Ok(s) => {
                println!("{s}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error[io]: {e}");
                ExitCode::FAILURE
            }
        },
        Ok(r) => {
            bench::print(&r, &o);
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error[{}]: {}", e.code.as_str(), e.message);
            ExitCode::FAILURE
        }
    }
}
