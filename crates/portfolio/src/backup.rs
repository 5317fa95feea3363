//! Backups of the store: a consistent copy taken while the store is in use, written whole
//! or not at all, and restoring one in place of the store (with nobody else holding it open),
//! the replaced store kept aside.

use std::path::{Path, PathBuf};

use sqlx::{ConnectOptions, Connection};

use crate::ctx::Ctx;
use crate::error::{Error, ErrorCode, Result};
use crate::scratch;
use crate::store::lock::StoreLock;
use crate::store::{OpenMode, Store};

/// Writes a consistent copy of the store to `to`: first to a scratch file beside it, checked,
/// then renamed into place, so a backup killed half way never leaves a partial file under
/// its name. An existing file is replaced only with `replace` (a native save dialog has
/// already asked); otherwise it is refused.
pub async fn backup(ctx: &Ctx, to: &Path, replace: bool) -> Result<()> {
    if to.exists() && !replace {
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
    let part = scratch::beside(to, scratch::BACKUP)?;
    ctx.store().vacuum_into(part.path()).await?;
    check_backup(part.path()).await.map_err(|e| {
        Error::io(format!(
            "the backup written to {} did not read back: {}",
            to.display(),
            e.message
        ))
    })?;
    part.as_file().sync_all()?;
    part.persist(to).map_err(|e| {
        Error::io(format!(
            "cannot write the backup to {}: {}",
            to.display(),
            e.error
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
    let mut conn = crate::store::file_options(file)
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

/// Replaces the store at `store_path` with the backup `from`, after checking it. Nobody else
/// may have the store open meanwhile: a restore takes the store's lock for itself, and is
/// refused (`store_busy`) while another program (the app, a `portfolio` command) holds it.
/// The store it replaces is kept beside it; returns where.
pub async fn restore(store_path: &Path, from: &Path) -> Result<PathBuf> {
    check_backup(from).await?;
    let mut lock =
        StoreLock::exclusive(store_path, format!("cannot restore {} now", from.display())).await?;
    let aside = aside_path(store_path);
    if store_path.exists() {
        // The copy aside is written like a backup (a scratch file, renamed when whole), so a
        // restore killed half way never leaves a partial copy under a `.replaced-` name.
        let part = scratch::beside(store_path, scratch::BACKUP)?;
        let current = Store::open_locked(store_path, OpenMode::Existing, lock).await?;
        let kept = current.vacuum_into(part.path()).await;
        lock = current
            .release()
            .await
            .expect("the store holds the lock it was opened with");
        kept?;
        part.as_file().sync_all()?;
        part.persist_noclobber(&aside).map_err(|e| {
            Error::io(format!(
                "cannot keep the replaced store at {}: {}",
                aside.display(),
                e.error
            ))
        })?;
    }
    // Copy next to the store, then rename over it: the store is never half-written.
    let incoming = crate::store::incoming_path(store_path);
    std::fs::copy(from, &incoming)
        .map_err(|e| Error::io(format!("cannot copy {}: {e}", from.display())))?;
    std::fs::File::open(&incoming)?.sync_all()?;
    // Nobody has the store open (the lock says so): its write-ahead log is the old store's.
    for suffix in ["-wal", "-shm"] {
        let side = PathBuf::from(format!("{}{suffix}", store_path.display()));
        if side.exists() {
            std::fs::remove_file(&side)?;
        }
    }
    std::fs::rename(&incoming, store_path)?;
    // Opening runs any migrations an older backup needs.
    Store::open_locked(store_path, OpenMode::Existing, lock)
        .await?
        .close()
        .await;
    Ok(aside)
}

/// Where a restore keeps the store it replaces: stamped to the millisecond, and never a
/// file that is there already (two restores in one moment keep both).
fn aside_path(store: &Path) -> PathBuf {
    let stamp = chrono::Utc::now()
        .format("%Y%m%dT%H%M%S%.3fZ")
        .to_string()
        .replace('.', "");
    let mut aside = store.with_extension(format!("replaced-{stamp}.db"));
    let mut n = 1;
    while aside.exists() {
        n += 1;
        aside = store.with_extension(format!("replaced-{stamp}-{n}.db"));
    }
    aside
}
