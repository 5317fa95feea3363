//! `portfolio-registry`: serve the registry, manage its tokens, back it up.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use portfolio_registry::role::Role;
use portfolio_registry::{ApiError, Listen, Store};

#[derive(Parser)]
#[command(
    name = "portfolio-registry",
    version,
    about = "The AI Factory Portfolio central registry"
)]
struct Cli {
    /// `sqlite://FILE` (the default: one file, nothing to install) or `postgres://…`.
    #[arg(
        long,
        global = true,
        env = "PORTFOLIO_REGISTRY_DATABASE_URL",
        default_value = "sqlite://registry.db"
    )]
    database_url: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the HTTP API under /api/v1.
    Serve {
        /// Address to listen on. Plain HTTP is for this machine only: give --tls-cert and
        /// --tls-key to serve HTTPS to others.
        #[arg(
            long,
            env = "PORTFOLIO_REGISTRY_LISTEN",
            default_value = "127.0.0.1:8700"
        )]
        listen: SocketAddr,
        /// PEM certificate chain for HTTPS.
        #[arg(long, env = "PORTFOLIO_REGISTRY_TLS_CERT", requires = "tls_key")]
        tls_cert: Option<PathBuf>,
        /// PEM private key for HTTPS.
        #[arg(long, env = "PORTFOLIO_REGISTRY_TLS_KEY", requires = "tls_cert")]
        tls_key: Option<PathBuf>,
        /// Log lines as JSON (for a log collector) instead of text.
        #[arg(long, env = "PORTFOLIO_REGISTRY_LOG_JSON")]
        log_json: bool,
    },
    /// Create, list, revoke and rotate bearer tokens.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// Copy the SQLite store to FILE as one consistent file, even while it serves.
    Backup { file: PathBuf },
    /// Measure the sync targets over loopback on a throwaway registry (yours is untouched)
    Bench {
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
    },
}

#[derive(Subcommand)]
enum TokenCommand {
    /// Print a new token (only its hash is kept: this is the one time it is shown).
    Create {
        #[arg(long)]
        user: String,
        /// viewer, contributor, architect, portfolio-lead or admin.
        #[arg(long)]
        role: String,
        /// Days until it expires; never, when left out.
        #[arg(long)]
        expires: Option<u32>,
        #[arg(long)]
        json: bool,
    },
    /// List tokens, never their secrets.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Revoke a token by its id.
    Revoke { token_id: String },
    /// Print a new token for the same user and role, and revoke the old one.
    Rotate {
        token_id: String,
        #[arg(long)]
        expires: Option<u32>,
        #[arg(long)]
        json: bool,
    },
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
        let term = async {
            match term.as_mut() {
                Some(t) => {
                    t.recv().await;
                }
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            _ = ctrl_c => {}
            _ = term => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = ctrl_c.await;
    }
}

fn print_json(v: &impl serde::Serialize) -> Result<(), ApiError> {
    let s = serde_json::to_string_pretty(v).map_err(|e| ApiError::internal(e.to_string()))?;
    println!("{s}");
    Ok(())
}

async fn run(cli: Cli) -> Result<(), ApiError> {
    if let Command::Bench {
        use_cases,
        writers,
        concurrent,
        seconds,
        json,
    } = cli.command
    {
        let o = portfolio_registry::bench::Options {
            use_cases,
            writers,
            concurrent,
            seconds,
        };
        let r = portfolio_registry::bench::run(o.clone()).await?;
        return if json {
            print_json(&r)
        } else {
            portfolio_registry::bench::print(&r, &o);
            Ok(())
        };
    }
    let store = Store::open(&cli.database_url).await?;
    match cli.command {
        Command::Serve {
            listen,
            tls_cert,
            tls_key,
            log_json,
        } => {
            let filter = tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,tower_http=info".into());
            let logs = tracing_subscriber::fmt().with_env_filter(filter);
            if log_json {
                logs.json().init();
            } else {
                logs.init();
            }
            let tls = tls_cert.zip(tls_key);
            if tls.is_none() && !listen.ip().is_loopback() {
                tracing::warn!(
                    %listen,
                    "serving plain HTTP beyond this machine: tokens travel in clear; give --tls-cert and --tls-key"
                );
            }
            portfolio_registry::serve(
                store,
                Listen { addr: listen, tls },
                shutdown_signal(),
                |addr, https| {
                    let scheme = if https { "https" } else { "http" };
                    // The first line of stdout: scripts and tests read the bound address here.
                    println!("listening on {scheme}://{addr}");
                    tracing::info!(%addr, scheme, "registry serving");
                },
            )
            .await
        }
        Command::Token { command } => match command {
            TokenCommand::Create {
                user,
                role,
                expires,
                json,
            } => {
                let role = Role::parse(&role).map_err(ApiError::validation)?;
                let t = store.create_token(&user, role, expires).await?;
                if json {
                    print_json(&t)
                } else {
                    eprintln!("token {} for {} ({})", t.id, t.user, t.role.as_str());
                    println!("{}", t.token);
                    Ok(())
                }
            }
            TokenCommand::List { json } => {
                let all = store.tokens().await?;
                if json {
                    return print_json(&all);
                }
                for t in all {
                    let state = match (&t.revoked_at, &t.expires_at) {
                        (Some(at), _) => format!("revoked {at}"),
                        (None, Some(at)) => format!("expires {at}"),
                        (None, None) => "no expiry".into(),
                    };
                    println!("{}  {:<14} {}  ({state})", t.id, t.role.as_str(), t.user);
                }
                Ok(())
            }
            TokenCommand::Revoke { token_id } => {
                let t = store.revoke(&token_id).await?;
                println!("revoked token {} of {}", t.id, t.user);
                Ok(())
            }
            TokenCommand::Rotate {
                token_id,
                expires,
                json,
            } => {
                let t = store.rotate(&token_id, expires).await?;
                if json {
                    print_json(&t)
                } else {
                    eprintln!(
                        "token {token_id} revoked; new token {} for {}",
                        t.id, t.user
                    );
                    println!("{}", t.token);
                    Ok(())
                }
            }
        },
        Command::Backup { file } => {
            store.backup(&file).await?;
            println!("backed up to {}", file.display());
            Ok(())
        }
        Command::Bench { .. } => unreachable!("run above"),
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    match run(Cli::parse()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error[{}]: {}", e.code, e.message);
            ExitCode::FAILURE
        }
    }
}
