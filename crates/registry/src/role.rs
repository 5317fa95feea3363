//! Roles and what each may do: the one permission table the whole registry consults.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    Viewer,
    Contributor,
    Architect,
    PortfolioLead,
    Admin,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Viewer,
        Role::Contributor,
        Role::Architect,
        Role::PortfolioLead,
        Role::Admin,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Contributor => "contributor",
            Role::Architect => "architect",
            Role::PortfolioLead => "portfolio-lead",
            Role::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Result<Role, String> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| {
                let all: Vec<_> = Role::ALL.iter().map(|r| r.as_str()).collect();
                format!("unknown role `{s}`; roles are {}", all.join(", "))
            })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// Pull changes and see who one is.
    Read,
    /// Create use cases (and add the people they name).
    Propose,
    /// Edit the use cases one proposed, created or owns.
    EditOwn,
    /// Edit the technical side of any use case: solution, data sources, the pattern
    /// decision, pattern mappings and control statuses, technical and data owners.
    EditTechnical,
    /// Edit any field of any use case.
    EditAny,
    /// Move a use case to Production or Scaled.
    MoveToProduction,
    EditPatterns,
    EditScoringModel,
    EditGateRules,
    /// Create, list, revoke and rotate anyone's tokens.
    ManageTokens,
}

use Permission::*;
use Role::*;

/// Who may do what. Everything the registry allows or refuses is decided here.
pub const TABLE: &[(Permission, &[Role])] = &[
    (
        Read,
        &[Viewer, Contributor, Architect, PortfolioLead, Admin],
    ),
    (Propose, &[Contributor, Architect, PortfolioLead, Admin]),
    (EditOwn, &[Contributor, Architect, PortfolioLead, Admin]),
    (EditTechnical, &[Architect, PortfolioLead, Admin]),
    (EditAny, &[PortfolioLead, Admin]),
    (MoveToProduction, &[PortfolioLead, Admin]),
    (EditPatterns, &[Architect, PortfolioLead, Admin]),
    (EditScoringModel, &[PortfolioLead, Admin]),
    (EditGateRules, &[PortfolioLead, Admin]),
    (ManageTokens, &[Admin]),
];

pub fn allows(role: Role, p: Permission) -> bool {
    TABLE
        .iter()
        .any(|(perm, roles)| *perm == p && roles.contains(&role))
}

/// Fields of a use case that belong to its technical side.
pub const TECHNICAL_FIELDS: &[&str] = &["solution", "data_sources", "no_pattern_reason"];
pub const TECHNICAL_OWNERS: &[&str] = &["technical", "data"];
/// Changes that are wholly technical: the pattern mapping and the status of a control.
pub const TECHNICAL_KINDS: &[&str] = &["pattern", "control"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_reads_and_only_admins_manage_tokens() {
        for r in Role::ALL {
            assert!(allows(r, Read));
            assert_eq!(allows(r, ManageTokens), r == Admin);
            assert_eq!(Role::parse(r.as_str()), Ok(r));
        }
        assert!(!allows(Viewer, Propose));
        assert!(!allows(Contributor, EditAny));
        assert!(allows(Architect, EditTechnical));
        assert!(!allows(Architect, MoveToProduction));
        assert!(allows(PortfolioLead, MoveToProduction));
        assert!(Role::parse("owner").unwrap_err().contains("portfolio-lead"));
    }
}
