//! Maturity stages and the move rules between them (the gate rules live in `gate`).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum Stage {
    Idea,
    Assessment,
    ProofOfConcept,
    Pilot,
    Production,
    Scaled,
    Parked,
    Retired,
}

impl Stage {
    pub const ALL: [Stage; 8] = [
        Stage::Idea,
        Stage::Assessment,
        Stage::ProofOfConcept,
        Stage::Pilot,
        Stage::Production,
        Stage::Scaled,
        Stage::Parked,
        Stage::Retired,
    ];

    /// The gated path, in order; Parked and Retired sit beside it.
    pub const PATH: [Stage; 6] = [
        Stage::Idea,
        Stage::Assessment,
        Stage::ProofOfConcept,
        Stage::Pilot,
        Stage::Production,
        Stage::Scaled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Idea => "idea",
            Stage::Assessment => "assessment",
            Stage::ProofOfConcept => "proof-of-concept",
            Stage::Pilot => "pilot",
            Stage::Production => "production",
            Stage::Scaled => "scaled",
            Stage::Parked => "parked",
            Stage::Retired => "retired",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Stage::Idea => "Idea",
            Stage::Assessment => "Assessment",
            Stage::ProofOfConcept => "Proof of concept",
            Stage::Pilot => "Pilot",
            Stage::Production => "Production",
            Stage::Scaled => "Scaled",
            Stage::Parked => "Parked",
            Stage::Retired => "Retired",
        }
    }

    pub fn parse(s: &str) -> Result<Stage> {
        Stage::ALL
            .into_iter()
            .find(|st| st.as_str() == s)
            .ok_or_else(|| {
                Error::invalid(
                    "stage",
                    format!(
                        "unknown stage `{s}`; stages are {}",
                        Stage::ALL.map(Stage::as_str).join(", ")
                    ),
                )
            })
    }

    /// Position on the gated path; `None` for Parked and Retired.
    pub fn rank(self) -> Option<usize> {
        Stage::PATH.iter().position(|s| *s == self)
    }

    /// Where a use case stands on the gated path: a parked or retired one counts by the
    /// stage it left.
    pub fn on_path(self, left: Option<Stage>) -> Stage {
        match self {
            Stage::Parked | Stage::Retired => left.unwrap_or(Stage::Idea),
            s => s,
        }
    }

    /// The SQL expression ordering stages along the path (for sorting by stage).
    pub const SQL_ORDER: &'static str = "CASE stage WHEN 'idea' THEN 0 WHEN 'assessment' THEN 1 \
        WHEN 'proof-of-concept' THEN 2 WHEN 'pilot' THEN 3 WHEN 'production' THEN 4 \
        WHEN 'scaled' THEN 5 WHEN 'parked' THEN 6 ELSE 7 END";
}

/// How a move relates to the path; decides whether gates apply and whether a note is needed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum MoveKind {
    /// One stage forward: the target's gate rules apply.
    Forward,
    /// Back to an earlier stage: a note (the reason) is required.
    Backward,
    Park,
    Retire,
    /// From Parked or Retired back to the stage it left or an earlier one.
    Return,
}

impl MoveKind {
    pub fn needs_note(self) -> bool {
        self != MoveKind::Forward
    }
}

/// Classifies a move, or says why it is never allowed. `left` is the stage a parked or
/// retired use case left.
pub fn classify(from: Stage, to: Stage, left: Option<Stage>) -> Result<MoveKind, String> {
    if from == to {
        return Err(format!("it is already at {}", to.label()));
    }
    match (from, to) {
        (_, Stage::Parked) => Ok(MoveKind::Park),
        (_, Stage::Retired) => Ok(MoveKind::Retire),
        (Stage::Parked | Stage::Retired, to) => {
            let left = left.unwrap_or(Stage::Idea);
            if to.rank() <= left.rank() {
                Ok(MoveKind::Return)
            } else {
                Err(format!(
                    "from {} it can return to {} or an earlier stage",
                    from.label(),
                    left.label()
                ))
            }
        }
        (from, to) => {
            let (f, t) = (from.rank().unwrap_or(0), to.rank().unwrap_or(0));
            if t == f + 1 {
                Ok(MoveKind::Forward)
            } else if t < f {
                Ok(MoveKind::Backward)
            } else {
                Err(format!(
                    "forward moves go one stage at a time: next from {} is {}",
                    from.label(),
                    Stage::PATH[f + 1].label()
                ))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forward_moves_go_one_stage_at_a_time() {
        assert_eq!(
            classify(Stage::Idea, Stage::Assessment, None),
            Ok(MoveKind::Forward)
        );
        assert!(classify(Stage::Idea, Stage::ProofOfConcept, None).is_err());
        assert_eq!(
            classify(Stage::Pilot, Stage::Idea, None),
            Ok(MoveKind::Backward)
        );
    }

    #[test]
    fn parked_returns_to_the_stage_it_left_or_earlier() {
        let left = Some(Stage::Pilot);
        assert_eq!(
            classify(Stage::Parked, Stage::Pilot, left),
            Ok(MoveKind::Return)
        );
        assert_eq!(
            classify(Stage::Parked, Stage::Idea, left),
            Ok(MoveKind::Return)
        );
        assert!(classify(Stage::Parked, Stage::Production, left).is_err());
        assert_eq!(
            classify(Stage::Scaled, Stage::Parked, None),
            Ok(MoveKind::Park)
        );
        assert_eq!(
            classify(Stage::Parked, Stage::Retired, left),
            Ok(MoveKind::Retire)
        );
    }

    #[test]
    fn every_stage_round_trips_through_its_spelling() {
        for s in Stage::ALL {
            assert_eq!(Stage::parse(s.as_str()).unwrap(), s);
            assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
        }
        assert_eq!(
            Stage::parse("done").unwrap_err().field.as_deref(),
            Some("stage")
        );
    }
}
