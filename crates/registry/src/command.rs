//! The `portfolio-registry` command line: serve the registry, upgrade its store, manage its
//! tokens, back it up.
//! A library module, so the programs that start the registry (its own binary, the tests of
//! desktops syncing through it) run the same code.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use crate::role::Role;
use crate::store::{Options, Schema};
use crate::{ApiError, Limits, Listen, Store};
use clap::{Parser, Subcommand};

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
        /// Connections open at once; more are closed as they arrive (keep it below the
        /// process's open-file limit).
        #[arg(long, env = "PORTFOLIO_REGISTRY_MAX_CONNECTIONS", default_value_t = Limits::default().max_connections)]
        max_connections: usize,
        /// Seconds a request's headers may take to arrive (idle connections close after it).
        #[arg(long, env = "PORTFOLIO_REGISTRY_HEADER_TIMEOUT", default_value_t = Limits::default().header_timeout.as_secs())]
        header_timeout: u64,
        /// Seconds a request's body may take to arrive after its headers.
        #[arg(long, env = "PORTFOLIO_REGISTRY_BODY_TIMEOUT", default_value_t = Limits::default().body_timeout.as_secs())]
        body_timeout: u64,
        /// Connections to the database at most (default: 8 on SQLite, 16 on PostgreSQL;
        /// behind a pooling proxy, its pool's size is the one that counts).
        #[arg(long, env = "PORTFOLIO_REGISTRY_POOL_SIZE")]
        pool_size: Option<u32>,
        /// Do not upgrade the store's schema at start-up, only check it is current (behind a
        /// pooling proxy, run `migrate` over a direct URL first).
        #[arg(long, env = "PORTFOLIO_REGISTRY_NO_MIGRATE")]
        no_migrate: bool,
    },
    /// Bring the store's schema up to this release's version, then exit.
    Migrate,
    /// Create, list, revoke and rotate bearer tokens.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// Copy the SQLite store to FILE as one consistent file, even while it serves.
    Backup { file: PathBuf },
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
    let options = match cli.command {
        Command::Serve {
            no_migrate,
            pool_size,
            ..
        } => Options {
            schema: if no_migrate {
                Schema::Check
            } else {
                Schema::Upgrade
            },
            pool_size,
        },
        _ => Options::default(),
    };
    let store = Store::open_with(&cli.database_url, options).await?;
    match cli.command {
        Command::Migrate => {
            println!(
                "the registry's store is at schema version {}",
                store.schema_version().await?
            );
            Ok(())
        }
        Command::Serve {
            listen,
            tls_cert,
            tls_key,
            log_json,
            max_connections,
            header_timeout,
            body_timeout,
            no_migrate: _,
            pool_size: _,
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
            crate::serve(
                store,
                Listen {
                    addr: listen,
                    tls,
                    limits: Limits {
                        max_connections,
                        header_timeout: Duration::from_secs(header_timeout),
                        body_timeout: Duration::from_secs(body_timeout),
                    },
                },
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
    }
}

/// Runs the command line: what `portfolio-registry` does with its arguments.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error[io]: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error[{}]: {}", e.code.as_str(), e.message);
            ExitCode::FAILURE
        }
    }
}
