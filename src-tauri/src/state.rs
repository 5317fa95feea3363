//! What the running app holds: the open store (or why it could not be opened), swapped
//! whole when a backup is restored, the cancel flag of the long operation now running, and
//! the files the person picked in a native dialog.

use std::path::PathBuf;
use std::sync::RwLock;

use portfolio::task::Cancel;
use portfolio::{Ctx, Error, ErrorCode, OpenMode, Result, backup};

/// What a file picked in a native dialog is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Export,
    Import,
}

/// The open store, or why it could not be opened (shown by the UI instead of a crash).
/// Behind a lock because restoring a backup swaps the store under the running app.
pub struct AppState {
    pub started: std::time::Instant,
    path: PathBuf,
    ctx: RwLock<std::result::Result<Ctx, Error>>,
    /// The cancel flag of the long operation (export, import) now running, if any.
    task: std::sync::Mutex<Cancel>,
    /// The last file picked for an export and for an import. The backend writes an export
    /// only to the file picked for it, and reads an import only from the one picked for it,
    /// so nothing running in the web view can name another path.
    picked: std::sync::Mutex<[Option<PathBuf>; 2]>,
}

impl AppState {
    pub fn new(started: std::time::Instant, path: PathBuf, opened: Result<Ctx>) -> Self {
        AppState {
            started,
            path,
            ctx: RwLock::new(opened),
            task: std::sync::Mutex::new(Cancel::default()),
            picked: std::sync::Mutex::new([None, None]),
        }
    }

    /// Remembers the file the person picked in a dialog for `purpose`; returns its path.
    pub fn pick(&self, purpose: Purpose, file: PathBuf) -> String {
        let path = file.display().to_string();
        self.picked
            .lock()
            .expect("the picked lock is never poisoned")[purpose as usize] = Some(file);
        path
    }

    /// Refuses `path` unless it is the file the person picked for `purpose`.
    pub fn check_picked(&self, purpose: Purpose, path: &str) -> Result<()> {
        let picked = self
            .picked
            .lock()
            .expect("the picked lock is never poisoned");
        if picked[purpose as usize].as_deref() == Some(std::path::Path::new(path)) {
            return Ok(());
        }
        let (what, dialog) = match purpose {
            Purpose::Export => ("writes an export only to", "save"),
            Purpose::Import => ("imports only from", "open"),
        };
        Err(Error::new(
            ErrorCode::Forbidden,
            format!("the app {what} the file chosen in its {dialog} dialog; choose the file again"),
        )
        .with_field("path"))
    }

    /// A fresh cancel flag for a long operation that is starting.
    pub fn start_task(&self) -> Cancel {
        let cancel = Cancel::default();
        *self.task.lock().expect("the task lock is never poisoned") = cancel.clone();
        cancel
    }

    /// Stops the long operation now running (it writes nothing).
    pub fn cancel_task(&self) {
        self.task
            .lock()
            .expect("the task lock is never poisoned")
            .cancel();
    }

    pub fn ctx(&self) -> Result<Ctx> {
        self.ctx
            .read()
            .expect("the store lock is never poisoned")
            .clone()
    }

    /// Closes the store, restores `from` in its place and opens the result; on failure
    /// the store that was open is opened again. Returns where the replaced store was kept.
    pub async fn restore(&self, from: &std::path::Path) -> Result<String> {
        // A store that failed to open can still be replaced by a good backup.
        if let Ok(current) = self.ctx() {
            current.close().await;
        }
        let restored = backup::restore(&self.path, from).await;
        let reopened = Ctx::open(&self.path, OpenMode::Existing).await;
        *self.ctx.write().expect("the store lock is never poisoned") = reopened;
        restored.map(|aside| aside.display().to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exports_and_imports_use_only_the_file_picked_for_them() {
        let s = AppState::new(
            std::time::Instant::now(),
            PathBuf::from("p.db"),
            Err(Error::not_found("no store in this test")),
        );
        let refused = s
            .check_picked(Purpose::Export, "/home/ada/.bashrc")
            .unwrap_err();
        assert_eq!(
            (refused.code, refused.field.as_deref()),
            (ErrorCode::Forbidden, Some("path")),
            "nothing picked yet: {}",
            refused.message
        );
        let pack = s.pick(Purpose::Export, PathBuf::from("/tmp/out/pack.xlsx"));
        assert_eq!(pack, "/tmp/out/pack.xlsx");
        s.check_picked(Purpose::Export, &pack).unwrap();
        assert!(
            s.check_picked(Purpose::Export, "/tmp/out/other.xlsx")
                .is_err()
        );
        assert!(
            s.check_picked(Purpose::Import, &pack).is_err(),
            "a file picked to save to is not one to read"
        );
        s.pick(Purpose::Import, PathBuf::from("/tmp/in.csv"));
        s.check_picked(Purpose::Import, "/tmp/in.csv").unwrap();
        s.check_picked(Purpose::Export, &pack).unwrap();
    }
}
