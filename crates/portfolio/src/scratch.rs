//! Scratch files: where a backup or an export writes before its file is complete. Each is
//! named for what made it and held locked while written, so the next backup or export to
//! the same folder can tell the leftovers of a killed one from one still running, and
//! remove them.

use std::path::Path;

use tempfile::NamedTempFile;

use crate::error::{Error, Result};

pub(crate) const BACKUP: &str = ".portfolio-backup-";
pub(crate) const EXPORT: &str = ".portfolio-export-";

/// A new, empty scratch file in the folder of `target` (the file it will become), locked
/// until it is persisted or dropped; the leftovers of killed backups and exports in that
/// folder are removed first.
pub(crate) fn beside(target: &Path, prefix: &str) -> Result<NamedTempFile> {
    let dir = folder_of(target);
    sweep(dir);
    let file = tempfile::Builder::new()
        .prefix(prefix)
        .suffix(".part")
        .tempfile_in(dir)
        .map_err(|e| Error::io(format!("cannot write in {}: {e}", dir.display())))?;
    file.as_file()
        .lock()
        .map_err(|e| Error::io(format!("cannot lock {}: {e}", file.path().display())))?;
    Ok(file)
}

/// The folder `file` is in (`.` for a bare file name).
pub(crate) fn folder_of(file: &Path) -> &Path {
    match file.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    }
}

/// Removes the scratch files in `dir` that nobody holds: those of killed backups and exports,
/// with the files SQLite keeps beside a copy it is writing or checking.
pub(crate) fn sweep(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let ours: Vec<_> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .map(|n| n.to_string_lossy())
                .is_some_and(|n| n.starts_with(BACKUP) || n.starts_with(EXPORT))
        })
        .collect();
    for path in &ours {
        if path.extension().is_none_or(|e| e != "part") {
            continue;
        }
        let Ok(f) = std::fs::OpenOptions::new().write(true).open(path) else {
            continue;
        };
        if f.try_lock().is_ok() {
            drop(f);
            let _ = std::fs::remove_file(path);
        }
    }
    // SQLite's files beside a scratch file that is gone (its journal while it was written,
    // its log while it was checked) belong to nothing.
    for path in &ours {
        let name = path.to_string_lossy();
        let part = ["-journal", "-wal", "-shm"]
            .iter()
            .find_map(|side| name.strip_suffix(side));
        if let Some(part) = part
            && !Path::new(part).exists()
        {
            let _ = std::fs::remove_file(path);
        }
    }
}
