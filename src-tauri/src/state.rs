//! What the running app holds: the open store (or why it could not be opened), swapped
//! whole when a backup is restored, and the cancel flag of the long operation now running.

use std::path::PathBuf;
use std::sync::RwLock;

use portfolio::task::Cancel;
use portfolio::{Ctx, Error, OpenMode, Result, backup};

/// The open store, or why it could not be opened (shown by the UI instead of a crash).
/// Behind a lock because restoring a backup swaps the store under the running app.
pub struct AppState {
    pub started: std::time::Instant,
    path: PathBuf,
    ctx: RwLock<std::result::Result<Ctx, Error>>,
    /// The cancel flag of the long operation (export, import) now running, if any.
    task: std::sync::Mutex<Cancel>,
}

impl AppState {
    pub fn new(started: std::time::Instant, path: PathBuf, opened: Result<Ctx>) -> Self {
        AppState {
            started,
            path,
            ctx: RwLock::new(opened),
            task: std::sync::Mutex::new(Cancel::default()),
        }
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
