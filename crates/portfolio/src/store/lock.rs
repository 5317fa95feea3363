//! Who has a store open: a lock on a file beside it (`<store>.lock`) that every opener takes,
//! shared for ordinary use (the app, each `portfolio` command, a backup) and exclusive for a
//! restore, which replaces the file under everyone else. The operating system's file locks
//! (`std::fs::File::lock`) hold on Linux, macOS and Windows alike and go with the process
//! that held them, so a killed program never leaves the store locked.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::error::{Error, ErrorCode, Result};

/// How long an opener waits for a restore in progress to finish before giving up.
const WAIT_FOR_RESTORE: Duration = Duration::from_secs(30);
/// How long a restore waits for the programs that have the store open to finish (a
/// `portfolio` command takes a moment; the app keeps it open until it closes).
const WAIT_FOR_OTHERS: Duration = Duration::from_secs(5);

/// A held lock on a store; released when dropped. A store in a folder this user cannot
/// write to has no lock file (and nothing can be restored there either): it is `None`.
#[derive(Debug)]
pub struct StoreLock {
    _file: Option<File>,
}

pub fn lock_path(store: &Path) -> PathBuf {
    let mut name = store.as_os_str().to_owned();
    name.push(".lock");
    PathBuf::from(name)
}

/// The lock file, or `None` where this user cannot create it (a read-only folder).
fn open(store: &Path) -> Result<Option<File>> {
    let path = lock_path(store);
    match OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
    {
        Ok(f) => Ok(Some(f)),
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => Ok(File::open(&path).ok()),
        Err(e) => Err(Error::io(format!(
            "cannot open the store's lock file {}: {e}",
            path.display()
        ))),
    }
}

fn busy(store: &Path, doing: &str) -> Error {
    Error::new(
        ErrorCode::StoreBusy,
        format!(
            "{doing}: the store at {} is open in another program ({}); close it and try again",
            store.display(),
            holders(store)
        ),
    )
}

impl StoreLock {
    /// For ordinary use: many programs at once. Waits (off the async runtime's threads)
    /// while a restore replaces the store.
    pub async fn shared(store: &Path) -> Result<StoreLock> {
        let store = store.to_owned();
        blocking(move || wait_shared(&store)).await
    }

    /// For a restore: nobody else may have the store open. Waits a few seconds for others
    /// to finish, then is refused (`store_busy`).
    pub async fn exclusive(store: &Path, doing: String) -> Result<StoreLock> {
        let store = store.to_owned();
        blocking(move || wait_exclusive(&store, &doing)).await
    }
}

async fn blocking(f: impl FnOnce() -> Result<StoreLock> + Send + 'static) -> Result<StoreLock> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| Error::io(format!("waiting for the store's lock stopped: {e}")))?
}

fn wait_shared(store: &Path) -> Result<StoreLock> {
    let Some(file) = open(store)? else {
        return Ok(StoreLock { _file: None });
    };
    wait(file, store, File::try_lock_shared, WAIT_FOR_RESTORE, || {
        busy(
            store,
            "the store is being restored and did not come back in time",
        )
    })
}

fn wait_exclusive(store: &Path, doing: &str) -> Result<StoreLock> {
    let Some(file) = open(store)? else {
        return Err(Error::io(format!(
            "{doing}: the folder of {} cannot be written to",
            store.display()
        )));
    };
    wait(file, store, File::try_lock, WAIT_FOR_OTHERS, || {
        busy(store, doing)
    })
}

/// Tries `lock` until it holds or `within` has passed (then `timed_out`).
fn wait(
    file: File,
    store: &Path,
    lock: fn(&File) -> std::result::Result<(), TryLockError>,
    within: Duration,
    timed_out: impl Fn() -> Error,
) -> Result<StoreLock> {
    let started = Instant::now();
    loop {
        match lock(&file) {
            Ok(()) => return Ok(StoreLock { _file: Some(file) }),
            Err(TryLockError::WouldBlock) if started.elapsed() < within => {
                std::thread::sleep(Duration::from_millis(10));
            }
            Err(TryLockError::WouldBlock) => return Err(timed_out()),
            Err(TryLockError::Error(e)) => {
                return Err(Error::io(format!(
                    "cannot lock the store {}: {e}",
                    store.display()
                )));
            }
        }
    }
}

/// Which programs hold the lock, where the system says (Linux's `/proc/locks`).
#[cfg(target_os = "linux")]
fn holders(store: &Path) -> String {
    use std::os::unix::fs::MetadataExt;
    let generic = "the desktop app, or a `portfolio` command still running".to_owned();
    let Ok(meta) = std::fs::metadata(lock_path(store)) else {
        return generic;
    };
    let inode = meta.ino();
    let Ok(locks) = std::fs::read_to_string("/proc/locks") else {
        return generic;
    };
    let mut names: Vec<String> = locks
        .lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            // "1: FLOCK  ADVISORY  READ 1234 08:01:5678 0 EOF"; a waiter's line has "->".
            if f.get(1) == Some(&"->") {
                return None;
            }
            let (pid, id) = (f.get(4)?, f.get(5)?);
            (id.rsplit(':').next()? == inode.to_string())
                .then(|| format!("{} (pid {pid})", program(pid)))
        })
        .collect();
    names.sort();
    names.dedup();
    if names.is_empty() {
        generic
    } else {
        names.join(", ")
    }
}

/// A process's program name: its command line's first word, without the folder (`comm`
/// is cut at 15 characters).
#[cfg(target_os = "linux")]
fn program(pid: &str) -> String {
    let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
    let argv0 = cmdline.split(|b| *b == 0).next().unwrap_or_default();
    let name = String::from_utf8_lossy(argv0);
    match name.rsplit('/').next().filter(|n| !n.is_empty()) {
        Some(n) => n.to_owned(),
        None => std::fs::read_to_string(format!("/proc/{pid}/comm"))
            .unwrap_or_default()
            .trim()
            .to_owned(),
    }
}

#[cfg(not(target_os = "linux"))]
fn holders(_store: &Path) -> String {
    "the desktop app, or a `portfolio` command still running".to_owned()
}
