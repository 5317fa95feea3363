//! Scratch files: where a backup or an export writes before its file is complete. Each is
//! named for what made it and held locked while written, so the next backup or export to
//! the same folder can tell the leftovers of a killed one from one still running, and
//! remove them.

use std::path::Path;

use tempfile::NamedTempFile;

use crate::error::{Error, Result};

pub(crate) const BACKUP: &str = ".portfolio-backup-";
pub(crate) const EXPORT: &str = ".portfolio-export-";

/// A new, empty scratch file in `dir`, locked until it is persisted or dropped; the
/// leftovers of killed backups and exports in `dir` are removed first.
pub(crate) fn create(dir: &Path, prefix: &str) -> Result<NamedTempFile> {
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

/// Removes the scratch files in `dir` that nobody holds: those of killed backups and exports.
pub(crate) fn sweep(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name();
        let name = name.to_string_lossy();
        if !(name.starts_with(BACKUP) || name.starts_with(EXPORT)) || !name.ends_with(".part") {
            continue;
        }
        let path = e.path();
        let Ok(f) = std::fs::OpenOptions::new().write(true).open(&path) else {
            continue;
        };
        if f.try_lock().is_ok() {
            drop(f);
            let _ = std::fs::remove_file(&path);
        }
    }
}
