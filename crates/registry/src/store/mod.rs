//! The registry's store: the ordered change log every desktop syncs with, the latest change
//! of each field (the snapshot a new desktop starts from), what permissions need to know
//! about each use case, and the tokens. SQLite by default, PostgreSQL for several instances.

use std::str::FromStr;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyConnection, AnyPool, Connection, Executor};

use crate::error::ApiError;

mod access;
mod log;
pub mod tokens;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Clone)]
pub struct Store {
    pub pool: AnyPool,
    pub backend: Backend,
    /// Pushes from this process queue here, in order, rather than in SQLite's busy handler,
    /// whose growing sleeps would make the unlucky wait for tens of milliseconds.
    writer: std::sync::Arc<tokio::sync::Mutex<()>>,
}

const SCHEMA: &[&str] = &[
    "CREATE TABLE IF NOT EXISTS tokens (
        id          TEXT PRIMARY KEY,
        user_email  TEXT NOT NULL,
        role        TEXT NOT NULL,
        hash        TEXT NOT NULL UNIQUE,   -- SHA-256 of the token: the secret is never stored
        created_at  TEXT NOT NULL,
        expires_at  TEXT,
        revoked_at  TEXT
    )",
    // Every accepted change, in the order the registry accepted them.
    "CREATE TABLE IF NOT EXISTS changes (
        seq         BIGINT PRIMARY KEY,
        id          TEXT NOT NULL UNIQUE,
        sync_key    TEXT NOT NULL,
        origin      TEXT NOT NULL,
        entity      TEXT NOT NULL,
        entity_id   TEXT NOT NULL,
        use_case_id TEXT,
        kind        TEXT NOT NULL,
        field       TEXT,
        old         TEXT,
        new         TEXT,
        note        TEXT,
        actor       TEXT NOT NULL,
        at          TEXT NOT NULL,
        base        BIGINT NOT NULL,
        conflict    TEXT,
        received_at TEXT NOT NULL
    )",
    // The latest change of each field: the snapshot, read in sequence order.
    "CREATE TABLE IF NOT EXISTS latest (
        sync_key TEXT PRIMARY KEY,
        seq      BIGINT NOT NULL
    )",
    "CREATE INDEX IF NOT EXISTS latest_seq ON latest (seq)",
    // What the permission table needs to know about each use case.
    "CREATE TABLE IF NOT EXISTS use_cases (
        id         TEXT PRIMARY KEY,
        created_by TEXT NOT NULL,
        proposer   TEXT,
        deleted    INTEGER NOT NULL DEFAULT 0
    )",
    "CREATE TABLE IF NOT EXISTS owners (
        use_case_id TEXT NOT NULL,
        role        TEXT NOT NULL,
        email       TEXT NOT NULL,
        PRIMARY KEY (use_case_id, role)
    )",
    // The one-off upgrades of an older store already made (by name).
    "CREATE TABLE IF NOT EXISTS upgrades (name TEXT PRIMARY KEY)",
    // The use case each KPI belongs to, as its first accepted record said (and merges moved).
    "CREATE TABLE IF NOT EXISTS kpis (
        id          TEXT PRIMARY KEY,
        use_case_id TEXT NOT NULL
    )",
];

impl Store {
    /// Opens the store at a `sqlite://FILE` or `postgres://…` URL, creating its tables.
    pub async fn open(url: &str) -> Result<Store, ApiError> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            return Err(ApiError::validation(format!(
                "the database URL must start with sqlite:// or postgres://, not {url}"
            )));
        };
        let url = match backend {
            Backend::Sqlite if !url.contains('?') => format!("{url}?mode=rwc"),
            _ => url.to_owned(),
        };
        let options = AnyConnectOptions::from_str(&url)
            .map_err(|e| ApiError::validation(format!("bad database URL: {e}")))?;
        let pool = AnyPoolOptions::new()
            .max_connections(if backend == Backend::Sqlite { 8 } else { 16 })
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // WAL lets pulls read while a push writes; one writer at a time waits
                        // its turn instead of failing with "database is locked".
                        conn.execute("PRAGMA journal_mode = WAL").await?;
                        conn.execute("PRAGMA synchronous = NORMAL").await?;
                        conn.execute("PRAGMA busy_timeout = 30000").await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await
            .map_err(|e| {
                ApiError::unavailable(format!("cannot open the registry store at {url}: {e}"))
            })?;
        let store = Store {
            pool,
            backend,
            writer: Default::default(),
        };
        let mut conn = store.pool.acquire().await?;
        if backend == Backend::Postgres {
            // Two instances starting together must not race to create the tables.
            conn.execute("SELECT pg_advisory_lock(7301)").await?;
        }
        for s in SCHEMA {
            conn.execute(*s).await?;
        }
        Store::fill_kpis(&mut conn).await?;
        if backend == Backend::Postgres {
            conn.execute("SELECT pg_advisory_unlock(7301)").await?;
        }
        Ok(store)
    }

    /// Starts the one writer: changes are numbered and committed one push at a time, so a
    /// pull never sees sequence N+1 while N can still commit, however many instances run.
    pub(crate) async fn begin_write(
        conn: &mut AnyConnection,
        backend: Backend,
    ) -> Result<sqlx::Transaction<'_, sqlx::Any>, ApiError> {
        Ok(match backend {
            Backend::Sqlite => conn.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => {
                let mut tx = conn.begin().await?;
                tx.execute("SELECT pg_advisory_xact_lock(7302)").await?;
                tx
            }
        })
    }

    pub async fn head(&self) -> Result<i64, ApiError> {
        Ok(
            sqlx::query_scalar("SELECT coalesce(max(seq), 0) FROM changes")
                .fetch_one(&self.pool)
                .await?,
        )
    }

    /// Copies the SQLite store to `path` as one consistent file, while it serves.
    pub async fn backup(&self, path: &std::path::Path) -> Result<(), ApiError> {
        if self.backend != Backend::Sqlite {
            return Err(ApiError::validation(
                "`backup` copies a SQLite store; back up PostgreSQL with pg_dump (see the README)",
            ));
        }
        if path.exists() {
            return Err(ApiError::validation(format!(
                "{} exists already; choose a new file",
                path.display()
            )));
        }
        let target = path
            .to_str()
            .ok_or_else(|| ApiError::validation("the backup path is not UTF-8"))?;
        sqlx::query("VACUUM INTO $1")
            .bind(target)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

/// A write transaction on either backend.
type Tx<'a> = sqlx::Transaction<'a, sqlx::Any>;
