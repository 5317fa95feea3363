//! The AI Factory Portfolio domain: what a use case is made of and the rules its values
//! obey (fields, stages and their moves, owners, the scoring model, gate rules, the pattern
//! catalogue's records, the risk triage), with the one error type they report in. It does
//! no I/O: the desktop's engine and the registry both check values with these rules, so the
//! two cannot disagree on what is valid.

pub mod email;
pub mod error;
pub mod field;
pub mod gate;
pub mod owner;
pub mod pattern;
pub mod scoring;
pub mod stage;
pub mod triage;

pub use error::{Error, ErrorCode, Result};

/// Timestamps are RFC 3339 in UTC, to the millisecond, so they sort as text.
pub fn timestamp(t: chrono::DateTime<chrono::Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

pub fn now() -> String {
    timestamp(chrono::Utc::now())
}
