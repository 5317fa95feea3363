//! The one error type of the desktop, the CLI and the registry: a closed set of codes
//! (`ErrorCode`) with a message written for a person, and the field it belongs beside.

use serde::Serialize;
use ts_rs::TS;

/// What went wrong, as a code the UI and scripts branch on. The set is closed: adding a
/// code is a contract change (see `docs/cli.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ErrorCode {
    Validation,
    NotFound,
    GateBlocked,
    Stale,
    Conflict,
    Forbidden,
    Unauthenticated,
    Unreachable,
    Io,
    CorruptStore,
    NewerStore,
    Limit,
    /// The person stopped a long operation (export, import); nothing was written.
    Cancelled,
    /// Another program has the store open, so it cannot be replaced now (a restore).
    StoreBusy,
}

impl ErrorCode {
    pub const ALL: [ErrorCode; 14] = [
        Self::Validation,
        Self::NotFound,
        Self::GateBlocked,
        Self::Stale,
        Self::Conflict,
        Self::Forbidden,
        Self::Unauthenticated,
        Self::Unreachable,
        Self::Io,
        Self::CorruptStore,
        Self::NewerStore,
        Self::Limit,
        Self::Cancelled,
        Self::StoreBusy,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Validation => "validation",
            Self::NotFound => "not_found",
            Self::GateBlocked => "gate_blocked",
            Self::Stale => "stale",
            Self::Conflict => "conflict",
            Self::Forbidden => "forbidden",
            Self::Unauthenticated => "unauthenticated",
            Self::Unreachable => "unreachable",
            Self::Io => "io",
            Self::CorruptStore => "corrupt_store",
            Self::NewerStore => "newer_store",
            Self::Limit => "limit",
            Self::Cancelled => "cancelled",
            Self::StoreBusy => "store_busy",
        }
    }
}

/// An error as it crosses IPC: `{code, message, field?, details}`. `message` is written for
/// the person using the app; `field` names the form field it belongs beside; `details`
/// lists the parts (e.g. one line per missing gate requirement).
#[derive(Debug, Clone, PartialEq, Serialize, TS, thiserror::Error)]
#[error("{message}")]
#[ts(export)]
pub struct Error {
    pub code: ErrorCode,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub field: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    #[ts(optional, as = "Option<Vec<String>>")]
    pub details: Vec<String>,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            field: None,
            details: Vec::new(),
        }
    }

    /// A bad value for one field; the UI shows `message` beside that field.
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        Self {
            field: Some(field.to_owned()),
            ..Self::new(ErrorCode::Validation, message)
        }
    }

    pub fn validation(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Validation, message)
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::NotFound, message)
    }

    pub fn io(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Io, message)
    }

    pub fn cancelled(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Cancelled, message)
    }

    pub fn limit(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Limit, message)
    }

    pub fn with_field(mut self, field: &str) -> Self {
        self.field = Some(field.to_owned());
        self
    }

    pub fn with_details(mut self, details: Vec<String>) -> Self {
        self.details = details;
        self
    }
}

impl From<serde_json::Error> for Error {
    fn from(e: serde_json::Error) -> Self {
        Error::new(
            ErrorCode::CorruptStore,
            format!("stored data could not be read: {e}"),
        )
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::io(e.to_string())
    }
}

/// Store errors in words a person can act on. Behind the `sqlx` feature: the domain itself
/// touches no database, but the stores that use it convert their errors with `?`.
#[cfg(feature = "sqlx")]
impl From<sqlx::Error> for Error {
    fn from(e: sqlx::Error) -> Self {
        if let sqlx::Error::Database(db) = &e {
            let msg = db.message();
            if msg.contains("readonly") || msg.contains("read-only") {
                return Error::io("the store is read-only; check the file's permissions");
            }
            if msg.contains("not a database") || msg.contains("malformed") {
                return Error::new(
                    ErrorCode::CorruptStore,
                    format!("the store is damaged ({msg}); restore it from a backup"),
                );
            }
            if msg.contains("database is locked") || msg.contains("busy") {
                return Error::io("the store is busy in another program; try again");
            }
        }
        Error::io(format!("store error: {e}"))
    }
}
