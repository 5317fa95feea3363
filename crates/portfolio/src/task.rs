//! Long operations (export, import, later sync): how they report progress and how a person
//! stops them. The engine checks the cancel flag between rows and reports at most every few
//! hundred rows, so neither costs anything measurable.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use serde::Serialize;
use ts_rs::TS;

use crate::error::{Error, Result};

/// How far a long operation has come; `total` is 0 while it is not known.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Progress {
    /// What it is doing, in words (e.g. "Writing use cases").
    pub phase: String,
    pub done: i32,
    pub total: i32,
}

/// The listener a caller hands in (the app emits an event, the CLI ignores it).
pub type OnProgress = Arc<dyn Fn(Progress) + Send + Sync>;

pub fn no_progress() -> OnProgress {
    Arc::new(|_| {})
}

/// A flag shared between whoever may stop an operation and the operation itself.
#[derive(Debug, Clone, Default)]
pub struct Cancel(Arc<AtomicBool>);

impl Cancel {
    pub fn cancel(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }

    /// Stops the operation with `cancelled` once the flag is set.
    pub fn check(&self, what: &str) -> Result<()> {
        if self.is_cancelled() {
            Err(Error::cancelled(format!(
                "{what} was cancelled; nothing was written"
            )))
        } else {
            Ok(())
        }
    }
}
