//! Sync with the registry: syncing, its status, conflicts and refused changes.

use clap::Subcommand;
use portfolio::{Ctx, Error, Result};

use crate::output;

#[derive(Subcommand)]
pub enum Command {
    /// Sync with the central registry: push this desktop's changes, pull everyone else's.
    /// The token comes from $PORTFOLIO_TOKEN, --token or the one the app saved; the
    /// registry's address is remembered after the first sync
    Sync {
        /// The registry, e.g. https://registry.example.org (http:// only on this machine)
        #[arg(long, env = "PORTFOLIO_REGISTRY")]
        registry: Option<String>,
        #[arg(long, env = "PORTFOLIO_TOKEN", hide_env_values = true)]
        token: Option<String>,
        /// Show where this desktop stands (pending, conflicts, refused changes) without syncing
        #[arg(long)]
        status: bool,
        #[arg(long)]
        json: bool,
    },
    /// Open sync conflicts: a field changed here and elsewhere since the last common version
    Conflicts {
        #[arg(long)]
        json: bool,
    },
    /// Settle a sync conflict with mine, theirs or another value (sent at the next sync)
    Resolve {
        conflict_id: String,
        #[arg(long, value_parser = ["mine", "theirs"], required_unless_present = "value", conflicts_with = "value")]
        take: Option<String>,
        #[arg(long, allow_hyphen_values = true)]
        value: Option<String>,
    },
    /// Undo a change the registry refused: the field goes back to the registry's value
    Revert { change_id: String },
}

pub async fn run(ctx: Ctx, command: Command) -> Result<()> {
    match command {
        Command::Sync {
            registry,
            token,
            status,
            json,
        } => {
            if status {
                let st = portfolio::sync::status(&ctx).await?;
                if json {
                    output::json(&st)
                } else {
                    output::sync_status(&st)
                }
                return Ok(());
            }
            let url = match registry {
                Some(u) => u,
                None => portfolio::sync::status(&ctx)
                    .await?
                    .registry_url
                    .ok_or_else(|| {
                        Error::invalid(
                            "registry",
                            "no registry yet: give its address once with --registry URL",
                        )
                    })?,
            };
            let token = match token.filter(|t| !t.trim().is_empty()) {
                Some(t) => t,
                None => portfolio::sync::credential::load(url.trim_end_matches('/')).await?
                    .ok_or_else(|| {
                        Error::new(
                            portfolio::ErrorCode::Unauthenticated,
                            "no registry token: set $PORTFOLIO_TOKEN (or --token in scripts), or connect in the app once; a registry admin creates tokens",
                        )
                    })?,
            };
            let registry = portfolio::sync::client::Registry { url, token };
            let report = portfolio::sync::client::run(&ctx, &registry).await?;
            if json {
                output::json(&report)
            } else {
                println!(
                    "pushed {}, pulled {}, {} open conflict(s), {} refused",
                    report.pushed,
                    report.pulled,
                    report.conflicts,
                    report.rejected.len()
                );
                for r in &report.rejected {
                    println!("refused {}: {}", r.change_id, r.reason);
                }
                output::set_aside(&report.set_aside);
            }
        }
        Command::Conflicts { json } => {
            let all = portfolio::sync::conflict::list(&ctx).await?;
            if json {
                output::json(&all)
            } else {
                output::conflicts(&all);
                output::set_aside(&portfolio::sync::set_aside(&ctx).await?);
            }
        }
        Command::Resolve {
            conflict_id,
            take,
            value,
        } => {
            use portfolio::sync::conflict::Resolution;
            let how = match (take.as_deref(), value) {
                (Some("mine"), _) => Resolution::Mine,
                (Some(_), _) => Resolution::Theirs,
                (None, Some(v)) => Resolution::Value(serde_json::Value::String(v)),
                (None, None) => unreachable!("clap requires --take or --value"),
            };
            let c = portfolio::sync::conflict::resolve(&ctx, &conflict_id, how).await?;
            println!(
                "settled the conflict on {} of {}; it is sent at the next sync",
                c.field.as_deref().unwrap_or(&c.kind),
                c.title.as_deref().unwrap_or(&c.entity_id)
            );
        }
        Command::Revert { change_id } => {
            portfolio::sync::apply::revert(&ctx, &change_id).await?;
            println!("reverted {change_id} to the registry's value");
        }
    }
    Ok(())
}
