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
    /// What this process has counted, for `/metrics`.
    pub metrics: std::sync::Arc<crate::metrics::Metrics>,
}

/// The registry's schema, version by version (`crates/registry/migrations`, the same SQL on
/// SQLite and PostgreSQL). A registry made before versioned migrations holds version 1's
/// tables already and takes it as its first version unchanged.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// How to open a store.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    pub schema: Schema,
    /// Connections to the database at most (default: 8 on SQLite, 16 on PostgreSQL).
    pub pool_size: Option<u32>,
}

/// What opening a store does about its schema.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Schema {
    /// Brings it up to this release's version (under the migrator's lock).
    #[default]
    Upgrade,
    /// Only checks it is this release's version: for instances behind a pooling proxy,
    /// where `portfolio-registry migrate` over a direct URL upgrades it first.
    Check,
}

impl Store {
    /// Opens the store at a `sqlite://FILE` or `postgres://…` URL, creating its tables or
    /// bringing them up to this release's schema.
    pub async fn open(url: &str) -> Result<Store, ApiError> {
        Store::open_with(url, Options::default()).await
    }

    /// Opens the store with these options (its schema upgraded or only checked, the pool's size).
    pub async fn open_with(url: &str, options: Options) -> Result<Store, ApiError> {
        let Options { schema, pool_size } = options;
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
        let connect = AnyConnectOptions::from_str(&url)
            .map_err(|e| ApiError::validation(format!("bad database URL: {e}")))?;
        let default_size = if backend == Backend::Sqlite { 8 } else { 16 };
        let pool = AnyPoolOptions::new()
            .max_connections(pool_size.unwrap_or(default_size).max(1))
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
            .connect_with(connect)
            .await
            .map_err(|e| {
                ApiError::unavailable(format!("cannot open the registry store at {url}: {e}"))
            })?;
        let store = Store {
            pool,
            backend,
            writer: Default::default(),
            metrics: Default::default(),
        };
        let mut conn = store.pool.acquire().await?;
        match schema {
            Schema::Upgrade => {
                // The migrator locks out other instances starting together (an advisory
                // lock on PostgreSQL, held by this one connection).
                MIGRATOR.run(&mut *conn).await.map_err(schema_error)?;
                if backend == Backend::Postgres {
                    conn.execute("SELECT pg_advisory_lock(7301)").await?;
                }
                let filled = Store::fill_kpis(&mut conn).await;
                if backend == Backend::Postgres {
                    conn.execute("SELECT pg_advisory_unlock(7301)").await?;
                }
                filled?;
            }
            Schema::Check => check_schema(&mut conn, backend).await?,
        }
        Ok(store)
    }

    /// The schema version the store is at (0 before any).
    pub async fn schema_version(&self) -> Result<i64, ApiError> {
        let mut conn = self.pool.acquire().await?;
        applied_version(&mut conn, self.backend).await
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

/// The newest schema version this release knows.
pub fn known_schema() -> i64 {
    MIGRATOR.iter().map(|m| m.version).max().unwrap_or(0)
}

/// The newest schema version applied to the store (0: none, as before versioned migrations).
async fn applied_version(conn: &mut AnyConnection, backend: Backend) -> Result<i64, ApiError> {
    let tables = match backend {
        Backend::Sqlite => {
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'"
        }
        Backend::Postgres => {
            "SELECT count(*) FROM information_schema.tables WHERE table_name = '_sqlx_migrations'"
        }
    };
    let found: i64 = sqlx::query_scalar(tables).fetch_one(&mut *conn).await?;
    if found == 0 {
        return Ok(0);
    }
    Ok(sqlx::query_scalar(
        "SELECT coalesce(max(version), 0) FROM _sqlx_migrations WHERE success = true",
    )
    .fetch_one(&mut *conn)
    .await?)
}

/// Refuses a store that is not at this release's schema, saying what to run.
async fn check_schema(conn: &mut AnyConnection, backend: Backend) -> Result<(), ApiError> {
    let at = applied_version(conn, backend).await?;
    let known = known_schema();
    if at > known {
        return Err(newer(at, known));
    }
    // The KPI table's one-off fill is part of the upgrade too.
    let kpis_filled = at > 0
        && sqlx::query_scalar::<_, i64>("SELECT count(*) FROM upgrades WHERE name = 'kpis'")
            .fetch_one(&mut *conn)
            .await?
            > 0;
    if at < known || !kpis_filled {
        return Err(ApiError::unavailable(format!(
            "the registry's store is at schema version {at} and this release needs {known}: run `portfolio-registry migrate` with a direct database URL (not through a pooling proxy), then start it again"
        )));
    }
    Ok(())
}

fn newer(at: i64, known: i64) -> ApiError {
    ApiError::unavailable(format!(
        "the registry's store was written by a newer release (schema version {at}; this one knows up to {known}): run that release or a later one"
    ))
}

/// The migrator's errors in words an operator can act on.
fn schema_error(e: sqlx::migrate::MigrateError) -> ApiError {
    use sqlx::migrate::MigrateError;
    match e {
        MigrateError::VersionMissing(v) => newer(v, known_schema()),
        other => ApiError::unavailable(format!(
            "cannot bring the registry's store up to schema version {}: {other}",
            known_schema()
        )),
    }
}

/// A write transaction on either backend.
type Tx<'a> = sqlx::Transaction<'a, sqlx::Any>;
