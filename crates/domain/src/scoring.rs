//! The scoring model and its maths: absolute 0–100 value and feasibility scores, quadrants
//! and priority, each explainable criterion by criterion.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum Axis {
    Value,
    Feasibility,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum Quadrant {
    QuickWin,
    StrategicBet,
    FillIn,
    Deprioritise,
}

impl Quadrant {
    pub const ALL: [Quadrant; 4] = [
        Quadrant::QuickWin,
        Quadrant::StrategicBet,
        Quadrant::FillIn,
        Quadrant::Deprioritise,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Quadrant::QuickWin => "quick-win",
            Quadrant::StrategicBet => "strategic-bet",
            Quadrant::FillIn => "fill-in",
            Quadrant::Deprioritise => "deprioritise",
        }
    }

    pub fn parse(s: &str) -> Result<Quadrant> {
        Quadrant::ALL
            .into_iter()
            .find(|q| q.as_str() == s)
            .ok_or_else(|| {
                Error::invalid(
                    "quadrant",
                    format!(
                        "unknown quadrant `{s}`; quadrants are {}",
                        Quadrant::ALL.map(Quadrant::as_str).join(", ")
                    ),
                )
            })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Criterion {
    pub slug: String,
    pub name: String,
    pub weight: f64,
    /// What a score of 1 … 5 means, keyed "1" … "5".
    pub rubric: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Thresholds {
    pub value: f64,
    pub feasibility: f64,
}

/// A version of the scoring model. Versions are kept; the newest is active.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ScoringModel {
    pub version: i32,
    pub value: Vec<Criterion>,
    pub feasibility: Vec<Criterion>,
    pub thresholds: Thresholds,
}

/// What one criterion added to its axis's score.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Contribution {
    pub criterion: String,
    pub score: Option<u8>,
    pub weight: f64,
    /// Points out of 100 this criterion added; `null` until scored.
    pub contribution: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Breakdown {
    pub value: Vec<Contribution>,
    pub feasibility: Vec<Contribution>,
}

/// The derived scores of one use case under one model version.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Scores {
    pub value_score: Option<f64>,
    pub feasibility_score: Option<f64>,
    pub priority: Option<f64>,
    pub quadrant: Option<Quadrant>,
    pub breakdown: Breakdown,
}

/// A criterion score, 1–5: the only values the store accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CriterionScore(u8);

impl CriterionScore {
    pub fn new(score: i64) -> Result<Self> {
        if (1..=5).contains(&score) {
            Ok(Self(score as u8))
        } else {
            Err(Error::invalid(
                "score",
                format!("a score is 1 to 5, not {score}"),
            ))
        }
    }

    pub fn get(self) -> u8 {
        self.0
    }
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// One axis's 0–100 score from (weight, 1–5 score) pairs: Σ wᵢ·(sᵢ − 1)/4 · 100 / Σ wᵢ, to
/// one decimal. The one formula every score comes from (the Scoring sheet's formulas say
/// the same).
pub fn axis_score(parts: impl Iterator<Item = (f64, u8)> + Clone) -> f64 {
    let total: f64 = parts.clone().map(|(w, _)| w).sum();
    round1(parts.map(|(w, s)| w * f64::from(s - 1) / 4.0).sum::<f64>() * 100.0 / total)
}

/// Priority from the two axis scores.
pub fn priority(value: f64, feasibility: f64) -> f64 {
    round1((value + feasibility) / 2.0)
}

impl ScoringModel {
    pub fn criteria(&self) -> impl Iterator<Item = (Axis, &Criterion)> {
        self.value
            .iter()
            .map(|c| (Axis::Value, c))
            .chain(self.feasibility.iter().map(|c| (Axis::Feasibility, c)))
    }

    pub fn criterion(&self, slug: &str) -> Option<&Criterion> {
        self.criteria().map(|(_, c)| c).find(|c| c.slug == slug)
    }

    /// Scores a use case: value = Σ wᵢ·(sᵢ − 1)/4 · 100 / Σ wᵢ, likewise feasibility; an
    /// axis stays `None` until every one of its criteria is scored.
    pub fn score(&self, scores: &HashMap<String, u8>) -> Scores {
        let axis = |criteria: &[Criterion]| {
            let total: f64 = criteria.iter().map(|c| c.weight).sum();
            let parts: Vec<Contribution> = criteria
                .iter()
                .map(|c| {
                    let score = scores.get(&c.slug).copied();
                    Contribution {
                        criterion: c.slug.clone(),
                        score,
                        weight: c.weight,
                        contribution: score
                            .map(|s| round1(c.weight * f64::from(s - 1) / 4.0 * 100.0 / total)),
                    }
                })
                .collect();
            let complete = parts.iter().all(|p| p.score.is_some()) && total > 0.0;
            let value =
                complete.then(|| axis_score(criteria.iter().map(|c| (c.weight, scores[&c.slug]))));
            (value, parts)
        };
        let (value_score, value) = axis(&self.value);
        let (feasibility_score, feasibility) = axis(&self.feasibility);
        let (priority, quadrant) = match (value_score, feasibility_score) {
            (Some(v), Some(f)) => (Some(priority(v, f)), Some(self.quadrant(v, f))),
            _ => (None, None),
        };
        Scores {
            value_score,
            feasibility_score,
            priority,
            quadrant,
            breakdown: Breakdown { value, feasibility },
        }
    }

    /// A score equal to its threshold counts as high.
    /// A fully scored use case's criterion scores as digits in this model's criterion order
    /// (kept beside the cached scores for weight sensitivity); `None` until every criterion
    /// is scored.
    pub fn digits(&self, scores: &HashMap<String, u8>) -> Option<String> {
        self.criteria()
            .map(|(_, c)| {
                scores
                    .get(&c.slug)
                    .filter(|s| (1..=5).contains(*s))
                    .map(|s| char::from(b'0' + s))
            })
            .collect()
    }

    pub fn quadrant(&self, value: f64, feasibility: f64) -> Quadrant {
        match (
            value >= self.thresholds.value,
            feasibility >= self.thresholds.feasibility,
        ) {
            (true, true) => Quadrant::QuickWin,
            (true, false) => Quadrant::StrategicBet,
            (false, true) => Quadrant::FillIn,
            (false, false) => Quadrant::Deprioritise,
        }
    }

    /// Checks a model someone edited before it becomes a new version.
    pub fn validate(&self) -> Result<()> {
        let mut seen = HashSet::new();
        for (axis, list) in [("value", &self.value), ("feasibility", &self.feasibility)] {
            if list.is_empty() {
                return Err(Error::invalid(
                    axis,
                    format!("the {axis} axis needs at least one criterion"),
                ));
            }
            for c in list {
                let field = format!("{axis}.{}", c.slug);
                if !is_slug(&c.slug) {
                    return Err(Error::invalid(
                        &field,
                        format!(
                            "`{}` is not a slug: use lower-case letters, digits and dashes",
                            c.slug
                        ),
                    ));
                }
                if !seen.insert(c.slug.as_str()) {
                    return Err(Error::invalid(
                        &field,
                        format!("two criteria share the slug `{}`", c.slug),
                    ));
                }
                if c.name.trim().is_empty() {
                    return Err(Error::invalid(
                        &field,
                        format!("criterion `{}` needs a name", c.slug),
                    ));
                }
                if !(c.weight > 0.0 && c.weight <= 100.0) {
                    return Err(Error::invalid(
                        &field,
                        format!("the weight of `{}` must be above 0 and at most 100", c.slug),
                    ));
                }
                for level in 1..=5 {
                    if c.rubric
                        .get(&level.to_string())
                        .is_none_or(|t| t.trim().is_empty())
                    {
                        return Err(Error::invalid(
                            &field,
                            format!("criterion `{}` needs rubric text for score {level}", c.slug),
                        ));
                    }
                }
                if c.rubric.len() != 5 {
                    return Err(Error::invalid(
                        &field,
                        "a rubric has exactly the levels 1 to 5",
                    ));
                }
            }
        }
        for (name, t) in [
            ("value", self.thresholds.value),
            ("feasibility", self.thresholds.feasibility),
        ] {
            if !(0.0..=100.0).contains(&t) {
                return Err(Error::invalid(
                    &format!("thresholds.{name}"),
                    format!("the {name} threshold is between 0 and 100"),
                ));
            }
        }
        Ok(())
    }

    /// The model that ships with the app.
    pub fn starter() -> ScoringModel {
        fn c(slug: &str, name: &str, weight: f64, rubric: [&str; 5]) -> Criterion {
            Criterion {
                slug: slug.into(),
                name: name.into(),
                weight,
                rubric: rubric
                    .iter()
                    .enumerate()
                    .map(|(i, t)| ((i + 1).to_string(), (*t).into()))
                    .collect(),
            }
        }
        ScoringModel {
            version: 1,
            value: vec![
                c(
                    "strategic-fit",
                    "Strategic fit",
                    3.0,
                    [
                        "Unrelated to current strategy",
                        "Loosely related to a strategic theme",
                        "Supports a strategic theme",
                        "Directly advances a strategic objective",
                        "Core to a top-three strategic objective",
                    ],
                ),
                c(
                    "business-impact",
                    "Business impact",
                    4.0,
                    [
                        "Negligible benefit (< 50k a year)",
                        "Small benefit (50k–250k a year)",
                        "Moderate benefit (250k–1M a year)",
                        "Large benefit (1M–5M a year)",
                        "Transformational (> 5M a year or new revenue line)",
                    ],
                ),
                c(
                    "reach",
                    "Reach",
                    2.0,
                    [
                        "A handful of people",
                        "One team",
                        "One business unit",
                        "Several business units or many customers",
                        "The whole organisation or all customers",
                    ],
                ),
                c(
                    "urgency",
                    "Urgency",
                    1.0,
                    [
                        "No time pressure",
                        "Useful within two years",
                        "Needed within a year",
                        "Needed this quarter or next",
                        "Regulatory or competitive deadline now",
                    ],
                ),
            ],
            feasibility: vec![
                c(
                    "data-readiness",
                    "Data readiness",
                    3.0,
                    [
                        "Data does not exist yet",
                        "Data exists but is scattered or poor quality",
                        "Data exists, needs significant preparation",
                        "Data is available with modest cleaning",
                        "Clean, governed data ready to use",
                    ],
                ),
                c(
                    "technical-complexity",
                    "Technical complexity (5 = simple)",
                    2.0,
                    [
                        "Research problem, no known approach",
                        "Novel combination of techniques",
                        "Known approach, significant engineering",
                        "Well-trodden approach with a reference pattern",
                        "Off-the-shelf capability",
                    ],
                ),
                c(
                    "skills-capacity",
                    "Skills and capacity",
                    2.0,
                    [
                        "No skills or capacity available",
                        "Skills must be hired",
                        "Skills exist but are fully booked",
                        "Team available within a quarter",
                        "Team available now",
                    ],
                ),
                c(
                    "integration-effort",
                    "Integration effort (5 = light)",
                    2.0,
                    [
                        "Many legacy systems, no APIs",
                        "Several systems, some custom integration",
                        "A few systems with APIs",
                        "One system with a documented API",
                        "Standalone or already integrated",
                    ],
                ),
                c(
                    "risk-compliance",
                    "Risk and compliance (5 = low risk)",
                    1.0,
                    [
                        "Likely prohibited or unacceptable risk",
                        "High-risk use with heavy obligations",
                        "Personal data or notable obligations",
                        "Limited obligations, well understood",
                        "Minimal risk",
                    ],
                ),
            ],
            thresholds: Thresholds {
                value: 50.0,
                feasibility: 50.0,
            },
        }
    }
}

pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(model: &ScoringModel, s: u8) -> HashMap<String, u8> {
        model.criteria().map(|(_, c)| (c.slug.clone(), s)).collect()
    }

    #[test]
    fn all_ones_score_zero_and_all_fives_score_one_hundred() {
        let m = ScoringModel::starter();
        let low = m.score(&all(&m, 1));
        assert_eq!(
            (low.value_score, low.feasibility_score),
            (Some(0.0), Some(0.0))
        );
        assert_eq!(low.quadrant, Some(Quadrant::Deprioritise));
        let high = m.score(&all(&m, 5));
        assert_eq!(
            (high.value_score, high.feasibility_score),
            (Some(100.0), Some(100.0))
        );
        assert_eq!(high.quadrant, Some(Quadrant::QuickWin));
    }

    #[test]
    fn weighted_score_matches_a_hand_computation() {
        let m = ScoringModel::starter();
        // value weights 3,4,2,1 (sum 10); scores 5,3,2,1 → (3·4 + 4·2 + 2·1 + 1·0)/4 ·100/10 = 55
        let mut s = all(&m, 3);
        for (slug, v) in [
            ("strategic-fit", 5),
            ("business-impact", 3),
            ("reach", 2),
            ("urgency", 1),
        ] {
            s.insert(slug.into(), v);
        }
        let r = m.score(&s);
        assert_eq!(r.value_score, Some(55.0));
        assert_eq!(r.feasibility_score, Some(50.0));
        assert_eq!(r.priority, Some(52.5));
        let contributions: Vec<_> = r
            .breakdown
            .value
            .iter()
            .map(|c| c.contribution.unwrap())
            .collect();
        assert_eq!(
            contributions,
            vec![30.0, 20.0, 5.0, 0.0],
            "contributions add up to the score"
        );
        assert_eq!(
            r.quadrant,
            Some(Quadrant::QuickWin),
            "a score equal to its threshold counts as high"
        );
    }

    #[test]
    fn an_axis_is_unscored_until_every_criterion_is() {
        let m = ScoringModel::starter();
        let mut s = all(&m, 4);
        s.remove("urgency");
        let r = m.score(&s);
        assert_eq!(r.value_score, None);
        assert!(r.feasibility_score.is_some());
        assert_eq!((r.priority, r.quadrant), (None, None));
    }

    #[test]
    fn scores_outside_one_to_five_are_refused() {
        assert!(CriterionScore::new(0).is_err());
        assert!(CriterionScore::new(6).is_err());
        assert_eq!(CriterionScore::new(5).unwrap().get(), 5);
    }

    #[test]
    fn the_starter_model_is_valid_and_bad_edits_are_named() {
        let m = ScoringModel::starter();
        m.validate().unwrap();
        let mut bad = m.clone();
        bad.value[0].weight = 0.0;
        assert_eq!(
            bad.validate().unwrap_err().field.as_deref(),
            Some("value.strategic-fit")
        );
        let mut dup = m.clone();
        dup.feasibility[0].slug = "reach".into();
        assert!(
            dup.validate()
                .unwrap_err()
                .message
                .contains("share the slug")
        );
    }

    proptest::proptest! {
        #[test]
        fn scores_stay_within_zero_to_one_hundred(
            scores in proptest::collection::vec(1u8..=5, 9),
            weights in proptest::collection::vec(0.1f64..100.0, 9),
        ) {
            let mut m = ScoringModel::starter();
            for (i, c) in m.value.iter_mut().chain(m.feasibility.iter_mut()).enumerate() {
                c.weight = weights[i];
            }
            let s: HashMap<String, u8> =
                m.criteria().enumerate().map(|(i, (_, c))| (c.slug.clone(), scores[i])).collect();
            let r = m.score(&s);
            let v = r.value_score.unwrap();
            let f = r.feasibility_score.unwrap();
            proptest::prop_assert!((0.0..=100.0).contains(&v) && (0.0..=100.0).contains(&f));
            proptest::prop_assert_eq!(r.quadrant, Some(m.quadrant(v, f)));
        }
    }
}
