//! What travels between a desktop and the registry: changes (one field each, never whole
//! rows), the sync request and its answer. The registry and the desktop share these types,
//! so the two ends cannot drift apart; the OpenAPI document is derived from them.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One change-log entry on its way to the registry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WireChange {
    /// UUID v7, made by the desktop: a push repeated after a lost answer applies nothing twice.
    pub id: String,
    /// `use_case` or `person`.
    pub entity: String,
    pub entity_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub use_case_id: Option<String>,
    /// `create`, `field`, `owner`, `score`, `stage`, `archive`, `unarchive` or `delete`.
    pub kind: String,
    /// The field name, the criterion slug (`score`) or the owner role (`owner`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Who made it; the registry records its token's user instead.
    pub actor: String,
    /// When it was made, by the author's clock (for people to read: order is `seq`).
    pub at: String,
    /// The registry sequence its author had seen when making it.
    #[serde(default)]
    pub base: i64,
    /// The desktop that made it.
    pub origin: String,
}

/// A change as the registry serves it: in sequence order, with the change it overrode when
/// its author had not seen that one (a conflict).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ServedChange {
    pub seq: i64,
    #[serde(flatten)]
    pub change: WireChange,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conflict: Option<Overridden>,
}

/// The earlier change to the same field that a concurrent change overrode.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Overridden {
    pub change_id: String,
    pub origin: String,
    pub actor: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Value>,
}

/// One round trip: push these changes, then pull what came after `after`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SyncRequest {
    /// The last sequence this desktop has applied (0 for a new desktop).
    #[serde(default)]
    pub after: i64,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<WireChange>,
    /// Page size for the pull (default 1,000, at most 5,000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// Serve only the latest change of each field (a snapshot), for a new desktop.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub compact: bool,
}

/// The answer: what was accepted or refused, and the next page of the log. Empty parts are
/// left out, so a sync with nothing to do is a few bytes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SyncResponse {
    /// The cursor to send as `after` next time.
    pub next: i64,
    /// More changes wait after `next`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub more: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub accepted: Vec<Accepted>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rejected: Vec<Rejection>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<ServedChange>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Accepted {
    pub id: String,
    pub seq: i64,
}

/// A pushed change the registry refused, and why (e.g. the sender's role may not make it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
pub struct Rejection {
    pub change_id: String,
    pub reason: String,
}

/// Who a token belongs to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Me {
    pub user: String,
    pub role: String,
    pub token_id: String,
}

/// An error from the registry: the same `{code, message}` shape as everywhere else.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Problem {
    /// `unauthenticated`, `forbidden`, `validation`, `not_found` or `limit`.
    pub code: String,
    pub message: String,
}
