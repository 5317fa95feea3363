//! Backups of the store: a consistent copy taken while the store is in use, and restoring
//! one in place of the store, with the replaced store kept aside.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection};

use crate::ctx::Ctx;
use crate::error::{Error, ErrorCode, Result};
use crate::store::{OpenMode, Store};

fn quoted(p: &Path) -> String {
    format!("'{}'", p.display().to_string().replace('\'', "''"))
}

/// Writes a consistent copy of the store to `to` (`VACUUM INTO`: readers and the writer
/// carry on meanwhile). An existing file is replaced only with `replace` (a native save
/// dialog has already asked); otherwise it is refused.
pub async fn backup(ctx: &Ctx, to: &Path, replace: bool) -> Result<()> {
    if to.exists() {
        if !replace {
            return Err(Error::invalid(
                "file",
                format!("{} already exists; choose a new file name", to.display()),
            ));
        }
        if to == ctx.store().path() {
            return Err(Error::invalid(
                "file",
                "a backup cannot replace the store itself; choose another file",
            ));
        }
        std::fs::remove_file(to)
            .map_err(|e| Error::io(format!("cannot replace {}: {e}", to.display())))?;
    }
    let sql = format!("VACUUM INTO {}", quoted(to));
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .execute(&ctx.store().read)
        .await
        .map_err(|e| {
            Error::io(format!(
                "cannot write the backup to {}: {}",
                to.display(),
                Error::from(e).message
            ))
        })?;
    Ok(())
}

/// Checks that `file` is a sound store this version can open, without changing it.
async fn check_backup(file: &Path) -> Result<()> {
    let bad = |why: String| {
        Error::new(
            ErrorCode::CorruptStore,
            format!("{} cannot be restored: {why}", file.display()),
        )
    };
    if !file.is_file() {
        return Err(Error::not_found(format!("no backup at {}", file.display())));
    }
    let mut conn = SqliteConnectOptions::from_str(&format!("sqlite://{}", file.display()))
        .map_err(|e| bad(e.to_string()))?
        .read_only(true)
        .connect()
        .await
        .map_err(|e| bad(Error::from(e).message))?;
    let integrity: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&mut conn)
        .await
        .map_err(|e| bad(Error::from(e).message))?;
    if integrity != "ok" {
        return Err(bad(format!("it is damaged ({integrity})")));
    }
    let schema: Option<i64> =
        sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success = 1")
            .fetch_one(&mut conn)
            .await
            .map_err(|_| bad("it is not an AI Factory Portfolio store".into()))?;
    let known = Store::known_schema();
    match schema {
        None => return Err(bad("it is not an AI Factory Portfolio store".into())),
        Some(v) if v > known => {
            return Err(Error::new(
                ErrorCode::NewerStore,
                format!(
                    "{} was written by a newer version of the app (schema {v}; this one knows up to {known})",
                    file.display()
                ),
            ));
        }
        _ => {}
    }
    conn.close()
        .await
        .map_err(|e| bad(Error::from(e).message))?;
    Ok(())
}

/// Replaces the store at `store_path` with the backup `from`, after checking it. The store
/// it replaces is kept beside it; returns where. Whoever has the store open must close it
/// first (the app does, through its own restore command).
pub async fn restore(store_path: &Path, from: &Path) -> Result<PathBuf> {
    check_backup(from).await?;
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
    let aside = store_path.with_extension(format!("replaced-{stamp}.db"));
    if store_path.exists() {
        let current = Ctx::open(store_path, OpenMode::Existing).await?;
        let kept = backup(&current, &aside, false).await;
        current.close().await;
        kept?;
    }
    // Copy next to the store, then rename over it: the store is never half-written.
    let incoming = store_path.with_extension("restoring.db");
    std::fs::copy(from, &incoming)
        .map_err(|e| Error::io(format!("cannot copy {}: {e}", from.display())))?;
    std::fs::File::open(&incoming)?.sync_all()?;
    for suffix in ["-wal", "-shm"] {
        let side = PathBuf::from(format!("{}{suffix}", store_path.display()));
        if side.exists() {
            std::fs::remove_file(&side)?;
        }
    }
    std::fs::rename(&incoming, store_path)?;
    // Opening runs any migrations an older backup needs.
    Ctx::open(store_path, OpenMode::Existing)
        .await?
        .close()
        .await;
    Ok(aside)
}
