//! Owner roles on a use case: business, technical (architect), data and risk.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum OwnerRole {
    Business,
    Technical,
    Data,
    Risk,
}

impl OwnerRole {
    pub const ALL: [OwnerRole; 4] = [
        OwnerRole::Business,
        OwnerRole::Technical,
        OwnerRole::Data,
        OwnerRole::Risk,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OwnerRole::Business => "business",
            OwnerRole::Technical => "technical",
            OwnerRole::Data => "data",
            OwnerRole::Risk => "risk",
        }
    }

    pub fn parse(s: &str) -> Result<OwnerRole> {
        OwnerRole::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| {
                Error::invalid(
                    "role",
                    format!("unknown owner role `{s}`; roles are business, technical, data, risk"),
                )
            })
    }
}

/// The owners of one use case, by role, as emails.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Owners {
    pub business: Option<String>,
    pub technical: Option<String>,
    pub data: Option<String>,
    pub risk: Option<String>,
}

impl Owners {
    pub fn get(&self, role: OwnerRole) -> Option<&String> {
        match role {
            OwnerRole::Business => self.business.as_ref(),
            OwnerRole::Technical => self.technical.as_ref(),
            OwnerRole::Data => self.data.as_ref(),
            OwnerRole::Risk => self.risk.as_ref(),
        }
    }

    pub fn set(&mut self, role: OwnerRole, email: Option<String>) {
        let slot = match role {
            OwnerRole::Business => &mut self.business,
            OwnerRole::Technical => &mut self.technical,
            OwnerRole::Data => &mut self.data,
            OwnerRole::Risk => &mut self.risk,
        };
        *slot = email;
    }

    pub fn roles(&self) -> Vec<OwnerRole> {
        OwnerRole::ALL
            .into_iter()
            .filter(|r| self.get(*r).is_some())
            .collect()
    }
}
