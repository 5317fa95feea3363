//! Gate rules: what a use case must have before it may move forward into a stage. The
//! rules are data (versioned in the store); this module holds their vocabulary and checks.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::owner::OwnerRole;
use crate::stage::Stage;

/// One requirement from the engine's vocabulary; each has a fact in `GateFacts`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum Requirement {
    /// An owner in this role.
    Owner { role: OwnerRole },
    /// A use-case field filled in (a `set` field name, e.g. `problem`).
    Field { field: String },
    /// Every value and feasibility criterion of the active model scored.
    AllScored,
    /// A primary reference pattern, or a recorded reason for none.
    PrimaryPattern,
    /// Every control inherited from the use case's patterns in place or not applicable.
    ControlsInPlace,
    /// A risk triage that reached a tier other than prohibited, under the current rules.
    Triage,
}

impl Requirement {
    pub fn describe(&self) -> String {
        match self {
            Requirement::Owner { role } => format!("a {} owner", role.as_str()),
            Requirement::Field { field } => match field.as_str() {
                "problem" => "a problem statement".into(),
                "solution" => "a proposed solution".into(),
                "business_unit" => "a business unit".into(),
                "expected_benefit" => "an expected annual benefit".into(),
                "expected_cost" => "an expected annual cost".into(),
                "data_sources" => "data sources".into(),
                other => format!("the field `{other}` filled in"),
            },
            Requirement::AllScored => "every value and feasibility criterion scored".into(),
            Requirement::PrimaryPattern => {
                "a primary pattern (or a recorded reason for none)".into()
            }
            Requirement::ControlsInPlace => {
                "every inherited control in place or not applicable".into()
            }
            Requirement::Triage => "a risk triage (not prohibited, under the current rules)".into(),
        }
    }
}

impl Requirement {
    /// The command-line spelling: `owner:ROLE`, `field:NAME`, `all-scored`.
    pub fn spell(&self) -> String {
        match self {
            Requirement::Owner { role } => format!("owner:{}", role.as_str()),
            Requirement::Field { field } => format!("field:{field}"),
            Requirement::AllScored => "all-scored".into(),
            Requirement::PrimaryPattern => "primary-pattern".into(),
            Requirement::ControlsInPlace => "controls-in-place".into(),
            Requirement::Triage => "triage".into(),
        }
    }

    pub fn parse(s: &str) -> crate::Result<Requirement> {
        let r = match s.split_once(':') {
            Some(("owner", role)) => Requirement::Owner {
                role: OwnerRole::parse(role)?,
            },
            Some(("field", field)) => Requirement::Field {
                field: field.to_owned(),
            },
            None if s == "all-scored" => Requirement::AllScored,
            None if s == "primary-pattern" => Requirement::PrimaryPattern,
            None if s == "controls-in-place" => Requirement::ControlsInPlace,
            None if s == "triage" => Requirement::Triage,
            _ => {
                return Err(crate::Error::invalid(
                    "requirement",
                    format!(
                        "unknown requirement `{s}`; requirements are owner:ROLE, field:NAME ({}), all-scored, primary-pattern, controls-in-place and triage",
                        GATE_FIELDS.join(", ")
                    ),
                ));
            }
        };
        r.validate()?;
        Ok(r)
    }

    fn validate(&self) -> crate::Result<()> {
        match self {
            Requirement::Field { field } if !GATE_FIELDS.contains(&field.as_str()) => {
                Err(crate::Error::invalid(
                    "requirement",
                    format!(
                        "a gate can ask for the fields {}, not `{field}`",
                        GATE_FIELDS.join(", ")
                    ),
                ))
            }
            _ => Ok(()),
        }
    }
}

/// The fields a `Field` requirement may name.
pub const GATE_FIELDS: [&str; 6] = [
    "problem",
    "solution",
    "business_unit",
    "expected_benefit",
    "expected_cost",
    "data_sources",
];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct GateRules {
    pub version: i32,
    /// Stage → what a forward move into it requires.
    pub stages: BTreeMap<Stage, Vec<Requirement>>,
}

impl GateRules {
    /// The starter rules: Assessment asks for a business owner and a problem statement;
    /// Proof of concept for every criterion scored, a technical owner, a primary pattern
    /// (or a reason for none) and a risk triage; Pilot for every inherited control in place
    /// or not applicable.
    pub fn starter() -> GateRules {
        GateRules {
            version: 1,
            stages: BTreeMap::from([
                (
                    Stage::Assessment,
                    vec![
                        Requirement::Owner {
                            role: OwnerRole::Business,
                        },
                        Requirement::Field {
                            field: "problem".into(),
                        },
                    ],
                ),
                (
                    Stage::ProofOfConcept,
                    vec![
                        Requirement::AllScored,
                        Requirement::Owner {
                            role: OwnerRole::Technical,
                        },
                        Requirement::PrimaryPattern,
                        Requirement::Triage,
                    ],
                ),
                (Stage::Pilot, vec![Requirement::ControlsInPlace]),
            ]),
        }
    }

    /// Checks rules someone edited: only stages on the path past Idea have gates (Parked
    /// and Retired are reached from anywhere with a reason), and each requirement is known.
    pub fn validate(&self) -> crate::Result<()> {
        for (stage, reqs) in &self.stages {
            let field = format!("stages.{}", stage.as_str());
            if stage.rank().is_none_or(|r| r == 0) {
                return Err(crate::Error::invalid(
                    &field,
                    format!(
                        "{} has no gate: gates guard the stages from Assessment to Scaled",
                        stage.label()
                    ),
                ));
            }
            for r in reqs {
                r.validate().map_err(|e| crate::Error {
                    field: Some(field.clone()),
                    ..e
                })?;
            }
            if (1..reqs.len()).any(|i| reqs[..i].contains(&reqs[i])) {
                return Err(crate::Error::invalid(
                    &field,
                    format!("a requirement of {} is listed twice", stage.label()),
                ));
            }
        }
        Ok(())
    }

    pub fn for_stage(&self, stage: Stage) -> &[Requirement] {
        self.stages.get(&stage).map(Vec::as_slice).unwrap_or(&[])
    }
}

/// What the gates look at, gathered from one use case.
#[derive(Debug, Clone, Default)]
pub struct GateFacts {
    pub owners: Vec<OwnerRole>,
    pub filled_fields: Vec<&'static str>,
    /// Names of the active model's criteria not yet scored.
    pub unscored: Vec<String>,
    /// A primary pattern, or a recorded reason for none.
    pub pattern_chosen: bool,
    /// Names of inherited controls still open.
    pub open_controls: Vec<String>,
    /// Why the triage does not pass yet (`None` when it does).
    pub triage_gap: Option<String>,
}

/// One requirement and whether the use case meets it, as the UI's checklist shows it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct GateItem {
    pub requirement: Requirement,
    pub label: String,
    pub met: bool,
}

pub fn check(requirements: &[Requirement], facts: &GateFacts) -> Vec<GateItem> {
    requirements
        .iter()
        .map(|r| {
            let met = match r {
                Requirement::Owner { role } => facts.owners.contains(role),
                Requirement::Field { field } => facts.filled_fields.contains(&field.as_str()),
                Requirement::AllScored => facts.unscored.is_empty(),
                Requirement::PrimaryPattern => facts.pattern_chosen,
                Requirement::ControlsInPlace => facts.open_controls.is_empty(),
                Requirement::Triage => facts.triage_gap.is_none(),
            };
            let mut label = r.describe();
            if !met && matches!(r, Requirement::AllScored) {
                label = format!("{label} (not yet: {})", facts.unscored.join(", "));
            }
            if !met && matches!(r, Requirement::ControlsInPlace) {
                label = format!("{label} (open: {})", facts.open_controls.join(", "));
            }
            if let (false, Requirement::Triage, Some(gap)) = (met, r, &facts.triage_gap) {
                label = format!("{label} ({gap})");
            }
            GateItem {
                requirement: r.clone(),
                label,
                met,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn starter_rules_ask_assessment_for_a_business_owner_and_a_problem() {
        let rules = GateRules::starter();
        let facts = GateFacts {
            owners: vec![OwnerRole::Business],
            ..Default::default()
        };
        let items = check(rules.for_stage(Stage::Assessment), &facts);
        let missing: Vec<_> = items
            .iter()
            .filter(|i| !i.met)
            .map(|i| i.label.as_str())
            .collect();
        assert_eq!(missing, vec!["a problem statement"]);
        assert_eq!(
            rules.for_stage(Stage::Pilot),
            [Requirement::ControlsInPlace],
            "a pilot needs its controls"
        );
    }

    #[test]
    fn unscored_criteria_are_named() {
        let facts = GateFacts {
            unscored: vec!["Reach".into(), "Urgency".into()],
            ..Default::default()
        };
        let items = check(&[Requirement::AllScored], &facts);
        assert!(!items[0].met);
        assert!(items[0].label.ends_with("(not yet: Reach, Urgency)"));
    }

    #[test]
    fn requirements_have_a_command_line_spelling() {
        for r in [
            "owner:technical",
            "field:problem",
            "all-scored",
            "primary-pattern",
            "controls-in-place",
            "triage",
        ] {
            assert_eq!(Requirement::parse(r).unwrap().spell(), r);
        }
        assert!(
            Requirement::parse("field:colour")
                .unwrap_err()
                .message
                .contains("not `colour`")
        );
        assert!(Requirement::parse("owner:boss").is_err());
        assert!(Requirement::parse("magic").is_err());
    }

    #[test]
    fn idea_parked_and_retired_have_no_gates() {
        let mut rules = GateRules::starter();
        rules.validate().unwrap();
        rules
            .stages
            .insert(Stage::Parked, vec![Requirement::AllScored]);
        assert_eq!(
            rules.validate().unwrap_err().field.as_deref(),
            Some("stages.parked")
        );
    }

    #[test]
    fn rules_round_trip_as_data() {
        let json = serde_json::to_string(&GateRules::starter()).unwrap();
        assert!(
            json.contains(r#""proof-of-concept":[{"kind":"all_scored"}"#),
            "{json}"
        );
        let back: GateRules = serde_json::from_str(&json).unwrap();
        assert_eq!(back, GateRules::starter());
    }
}
