//! The SQLite store: opening (its path taken as a file name, never a URL; its lock held while
//! open), pragmas, migrations (with a copy taken first), one writer, and closing cleanly.

pub mod lock;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Sqlite, SqlitePool, Transaction};

use crate::error::{Error, ErrorCode, Result};
use lock::StoreLock;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// The app identifier whose data directory holds the store. Debug builds use their own so a
/// developer's data never mixes with a user's.
pub const APP_IDENTIFIER: &str = if cfg!(debug_assertions) {
    "com.aifactory.portfolio.dev"
} else {
    "com.aifactory.portfolio"
};

/// Where the store lives when neither `--db` nor `PORTFOLIO_DB` says otherwise.
pub fn default_path() -> PathBuf {
    dirs::data_dir()
        .unwrap_or_else(|| PathBuf::from("."))
        .join(APP_IDENTIFIER)
        .join("portfolio.db")
}

/// `--db`, else `$PORTFOLIO_DB`, else the OS app-data directory: one rule for app and CLI.
pub fn resolve_path(explicit: Option<PathBuf>) -> PathBuf {
    explicit
        .or_else(|| {
            std::env::var_os("PORTFOLIO_DB")
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        })
        .unwrap_or_else(default_path)
}

/// An open store. Reads share a small pool; writes go through a pool of one connection so
/// the process has exactly one writer, and each write transaction starts `IMMEDIATE` so it
/// never fails half-way on a lock upgrade.
#[derive(Clone)]
pub struct Store {
    pub(crate) read: SqlitePool,
    write: SqlitePool,
    path: PathBuf,
    read_only: bool,
    /// Held while the store is open (shared), so a restore cannot replace it underneath;
    /// `None` once closed.
    lock: Arc<Mutex<Option<StoreLock>>>,
}

/// Whether opening may create a new, empty store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenMode {
    Create,
    Existing,
}

impl Store {
    pub async fn open(path: &Path, mode: OpenMode) -> Result<Self> {
        if !path.exists() && mode == OpenMode::Existing {
            return Err(Error::not_found(format!(
                "no store at {}; run `portfolio init`",
                path.display()
            )));
        }
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| {
                Error::io(format!(
                    "cannot create the store's folder {}: {e}",
                    dir.display()
                ))
            })?;
        }
        let lock = StoreLock::shared(path).await?;
        Self::open_locked(path, mode, lock).await
    }

    /// Opens the store with a lock already held (a restore holds its own exclusive one).
    pub(crate) async fn open_locked(path: &Path, mode: OpenMode, lock: StoreLock) -> Result<Self> {
        // A restore killed half way leaves its incoming copy (the store itself is whole), and
        // a killed backup or export its scratch file: both are cleared when the store opens.
        let _ = std::fs::remove_file(incoming_path(path));
        crate::scratch::sweep(crate::scratch::folder_of(path));
        let exists = path.exists();
        if !exists && mode == OpenMode::Existing {
            return Err(Error::not_found(format!(
                "no store at {}; run `portfolio init`",
                path.display()
            )));
        }
        if exists {
            check_header(path)?;
        }
        let read_only = exists && std::fs::metadata(path)?.permissions().readonly();
        let mut options = file_options(path)
            .create_if_missing(true)
            .read_only(read_only)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
            .pragma("temp_store", "memory")
            .pragma("cache_size", "-65536");
        if !read_only {
            // A read-only file keeps whatever journal mode it has: changing it is a write.
            options = options.journal_mode(SqliteJournalMode::Wal);
        }
        let write = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options.clone())
            .await
            .map_err(|e| open_error(path, e))?;
        let store_is_new = !exists || std::fs::metadata(path)?.len() == 0;
        let store = Self {
            read: SqlitePoolOptions::new()
                .max_connections(4)
                .connect_with(options.read_only(true))
                .await
                .map_err(|e| open_error(path, e))?,
            write,
            path: path.to_owned(),
            read_only,
            lock: Arc::new(Mutex::new(Some(lock))),
        };
        store.migrate(store_is_new).await?;
        Ok(store)
    }

    /// Closes every connection, folding the write-ahead log back into the file first (so
    /// the `.db` file alone is the whole store, as a person copying it expects), and lets go
    /// of the store's lock.
    pub async fn close(&self) {
        drop(self.shut().await);
    }

    /// Closes every connection (the log folded back first) and hands back the lock.
    async fn shut(&self) -> Option<StoreLock> {
        if !self.read_only {
            // Best effort: a reader still busy elsewhere only delays the fold to the last close.
            let _ = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                .execute(&self.write)
                .await;
        }
        self.read.close().await;
        self.write.close().await;
        self.lock
            .lock()
            .expect("the lock slot is never poisoned")
            .take()
    }

    /// Closes the store but keeps its lock, for a restore that goes on replacing the file.
    pub(crate) async fn release(self) -> Option<StoreLock> {
        self.shut().await
    }

    /// Writes a consistent copy of the store to `to`, an empty or missing file (`VACUUM
    /// INTO`: readers and the writer carry on meanwhile).
    pub(crate) async fn vacuum_into(&self, to: &Path) -> Result<()> {
        let sql = format!(
            "VACUUM INTO '{}'",
            to.display().to_string().replace('\'', "''")
        );
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .execute(&self.read)
            .await
            .map_err(|e| {
                Error::io(format!(
                    "cannot write a copy of the store to {}: {}",
                    to.display(),
                    Error::from(e).message
                ))
            })?;
        Ok(())
    }

    /// The newest schema version this build knows.
    pub fn known_schema() -> i64 {
        MIGRATOR.iter().map(|m| m.version).max().unwrap_or(0)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    /// Starts the one write transaction. Every mutation writes its rows and its change-log
    /// entries inside one of these.
    pub async fn begin(&self) -> Result<Transaction<'static, Sqlite>> {
        if self.read_only {
            return Err(Error::io(format!(
                "the store at {} is read-only (its file permissions forbid writing); nothing was changed",
                self.path.display()
            )));
        }
        Ok(self.write.begin_with("BEGIN IMMEDIATE").await?)
    }

    /// Runs pending migrations. An existing store is copied aside first, so a failed or
    /// unwanted upgrade can be undone by hand; a store from a newer app is refused untouched.
    async fn migrate(&self, store_is_new: bool) -> Result<()> {
        let known = Self::known_schema();
        let applied = applied_versions(&self.read).await?;
        if let Some(newest) = applied.iter().copied().max().filter(|v| *v > known) {
            return Err(Error::new(
                ErrorCode::NewerStore,
                format!(
                    "the store at {} was written by a newer version of AI Factory Portfolio \
                     (schema {newest}; this version knows up to {known}); update the app to open it",
                    self.path.display()
                ),
            ));
        }
        let pending = MIGRATOR.iter().any(|m| !applied.contains(&m.version));
        if !pending {
            return Ok(());
        }
        if self.read_only {
            return Err(Error::io(format!(
                "the store at {} is read-only and needs an upgrade; make it writable and open it again",
                self.path.display()
            )));
        }
        if !store_is_new {
            let copy = self
                .path
                .with_extension(format!("before-schema-{known}.db"));
            let _ = std::fs::remove_file(&copy);
            self.vacuum_into(&copy).await?;
        }
        MIGRATOR.run(&self.write).await.map_err(|e| match e {
            sqlx::migrate::MigrateError::Execute(e) => Error::from(e),
            other => Error::new(
                ErrorCode::CorruptStore,
                format!("cannot upgrade the store: {other}"),
            ),
        })
    }
}

/// Connection options for the store at `path`, taken as a file name: `%20`, `?` or `#` in it
/// are characters of the name, never a URL's escapes, parameters or fragment.
pub(crate) fn file_options(path: &Path) -> SqliteConnectOptions {
    SqliteConnectOptions::new().filename(path)
}

/// Where a restore puts the incoming copy before renaming it over the store.
pub(crate) fn incoming_path(store: &Path) -> PathBuf {
    store.with_extension("restoring.db")
}

async fn applied_versions(pool: &SqlitePool) -> Result<Vec<i64>> {
    let has_table: Option<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'",
    )
    .fetch_optional(pool)
    .await?;
    if has_table.is_none() {
        return Ok(Vec::new());
    }
    Ok(
        sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success = 1")
            .fetch_all(pool)
            .await?,
    )
}

/// Refuses a file that is not SQLite before SQLite sees it, with a message that names it.
fn check_header(path: &Path) -> Result<()> {
    use std::io::Read;
    let mut head = [0u8; 16];
    let mut file = std::fs::File::open(path)
        .map_err(|e| Error::io(format!("cannot open the store at {}: {e}", path.display())))?;
    let n = file.read(&mut head)?;
    if n == 0 || &head[..n] == b"SQLite format 3\0" {
        return Ok(());
    }
    Err(Error::new(
        ErrorCode::CorruptStore,
        format!(
            "{} is not an AI Factory Portfolio store (it is not an SQLite database); \
             point --db at the right file or restore it from a backup",
            path.display()
        ),
    ))
}

fn open_error(path: &Path, e: sqlx::Error) -> Error {
    let inner = Error::from(e);
    Error {
        message: format!(
            "cannot open the store at {}: {}",
            path.display(),
            inner.message
        ),
        ..inner
    }
}
