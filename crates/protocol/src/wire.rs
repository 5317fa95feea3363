//! What travels between a desktop and the registry: changes (one field each, never whole
//! rows), the sync request and its answer. The registry and the desktop share these types,
//! so the two ends cannot drift apart; the OpenAPI document is derived from them.

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

/// Whole numbers as JSON may spell them: `43` or `43.0` (JSON Schema's "integer" allows both).
pub mod whole {
    use super::*;

    fn number<E: serde::de::Error>(n: serde_json::Number) -> Result<i64, E> {
        n.as_i64()
            .or_else(|| {
                n.as_f64()
                    .filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15)
                    .map(|f| f as i64)
            })
            .ok_or_else(|| E::custom(format!("{n} is not a whole number in range")))
    }

    pub fn i64<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
        number(serde_json::Number::deserialize(d)?)
    }

    fn in_range<T: TryFrom<i64>, E: serde::de::Error>(n: serde_json::Number) -> Result<T, E> {
        let n = number::<E>(n)?;
        T::try_from(n).map_err(|_| E::custom(format!("{n} is out of range")))
    }

    pub fn i32<'de, D: Deserializer<'de>>(d: D) -> Result<i32, D::Error> {
        in_range(serde_json::Number::deserialize(d)?)
    }

    pub fn option_u32<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
        Option::<serde_json::Number>::deserialize(d)?
            .map(in_range)
            .transpose()
    }
}

/// One change-log entry on its way to the registry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WireChange {
    /// UUID v7, made by the desktop: a push repeated after a lost answer applies nothing twice.
    pub id: String,
    /// `use_case`, `person`, `pattern`, `kpi`, `scoring_model` or `gate_rules` (see `SYNCED`).
    pub entity: String,
    pub entity_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub use_case_id: Option<String>,
    /// `create`, `field`, `owner`, `score`, `stage`, `archive`, `unarchive`, `delete`,
    /// `pattern`, `control`, `triage`, `merge`, `model` or `gate_rules`.
    pub kind: String,
    /// The field name, the criterion slug (`score`), the owner role (`owner`), the pattern
    /// or control slug (`pattern`, `control`).
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
    #[serde(default, deserialize_with = "whole::i64")]
    pub base: i64,
    /// The desktop that made it.
    pub origin: String,
}

/// A change as the registry serves it: in sequence order, with the change it overrode when
/// its author had not seen that one (a conflict).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ServedChange {
    #[serde(deserialize_with = "whole::i64")]
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

/// The version of the sync exchange this desktop speaks. A registry refuses a desktop that
/// speaks an older one, with a message to update, rather than serve it changes it cannot
/// apply. 1: the pattern catalogue travels.
pub const PROTOCOL: i32 = 1;

/// One round trip: push these changes, then pull what came after `after`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SyncRequest {
    /// The sync protocol the desktop speaks (see `PROTOCOL`); a desktop from before there
    /// was one sends none, read as 0.
    #[serde(default, deserialize_with = "whole::i32")]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, required = true))]
    pub protocol: i32,
    /// The last sequence this desktop has applied (0 for a new desktop).
    #[serde(default, deserialize_with = "whole::i64")]
    pub after: i64,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<WireChange>,
    /// Page size for the pull (default 1,000).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "whole::option_u32"
    )]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 5000))]
    pub limit: Option<u32>,
    /// Serve only the latest change of each field (a snapshot), for a new desktop.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub compact: bool,
}

impl Default for SyncRequest {
    fn default() -> Self {
        SyncRequest {
            protocol: PROTOCOL,
            after: 0,
            changes: Vec::new(),
            limit: None,
            compact: false,
        }
    }
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
