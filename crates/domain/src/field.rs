//! The editable fields of a use case: their names (the `set` vocabulary), how a raw value
//! is parsed and checked, and the limits that keep bad input out of the store.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

use crate::error::{Error, Result};

pub const TITLE_MAX: usize = 300;
pub const TEXT_MAX: usize = 20_000;
pub const SHORT_MAX: usize = 120;
pub const LIST_MAX: usize = 50;
pub const MONEY_MAX: f64 = 1e13;

/// A value as it arrives from a form or the command line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(untagged)]
#[ts(export)]
pub enum FieldValue {
    Null,
    Number(f64),
    Text(String),
    List(Vec<String>),
}

/// One editable field with its parsed value.
#[derive(Debug, Clone, PartialEq)]
pub enum Field {
    Title(String),
    Problem(String),
    Solution(String),
    BusinessUnit(String),
    /// An email; the person is found or created.
    Proposer(Option<String>),
    ExpectedBenefit(Option<f64>),
    ExpectedCost(Option<f64>),
    /// Recorded from Pilot on, beside the expected benefit.
    RealisedBenefit(Option<f64>),
    DataSources(Vec<String>),
    Tags(Vec<String>),
    /// Why the use case has no primary pattern (a gate accepts it instead of one).
    NoPatternReason(Option<String>),
    Attribute(String, Option<String>),
}

pub const FIELD_NAMES: [&str; 11] = [
    "title",
    "problem",
    "solution",
    "business_unit",
    "proposer",
    "expected_benefit",
    "expected_cost",
    "realised_benefit",
    "data_sources",
    "tags",
    "no_pattern_reason",
];

impl Field {
    pub fn parse(name: &str, value: &FieldValue) -> Result<Field> {
        let text = |max: usize| -> Result<String> {
            let s = match value {
                FieldValue::Null => String::new(),
                FieldValue::Text(s) => s.trim().to_owned(),
                FieldValue::Number(n) => n.to_string(),
                FieldValue::List(_) => {
                    return Err(Error::invalid(
                        name,
                        format!("`{name}` takes text, not a list"),
                    ));
                }
            };
            let n = s.chars().count();
            if n > max {
                return Err(Error::invalid(
                    name,
                    format!(
                        "{} is at most {max} characters (this one has {n})",
                        label(name)
                    ),
                ));
            }
            if s.chars()
                .any(|c| c.is_control() && c != '\n' && c != '\t' && c != '\r')
            {
                return Err(Error::invalid(
                    name,
                    format!("{} contains control characters", label(name)),
                ));
            }
            Ok(s)
        };
        let list = || -> Result<Vec<String>> {
            let items: Vec<String> = match value {
                FieldValue::Null => vec![],
                FieldValue::Text(s) => s.split(',').map(|t| t.trim().to_owned()).collect(),
                FieldValue::List(v) => v.iter().map(|t| t.trim().to_owned()).collect(),
                FieldValue::Number(_) => {
                    return Err(Error::invalid(name, format!("`{name}` takes a list")));
                }
            };
            let mut out: Vec<String> = Vec::new();
            for t in items.into_iter().filter(|t| !t.is_empty()) {
                if t.chars().count() > SHORT_MAX {
                    return Err(Error::invalid(
                        name,
                        format!(
                            "each of the {} is at most {SHORT_MAX} characters",
                            label(name)
                        ),
                    ));
                }
                if !out.iter().any(|o| o.eq_ignore_ascii_case(&t)) {
                    out.push(t);
                }
            }
            if out.len() > LIST_MAX {
                return Err(Error::invalid(
                    name,
                    format!("at most {LIST_MAX} {}", label(name)),
                ));
            }
            Ok(out)
        };
        let money = || -> Result<Option<f64>> {
            let n = match value {
                FieldValue::Null => return Ok(None),
                FieldValue::Number(n) => *n,
                FieldValue::Text(s) if s.trim().is_empty() => return Ok(None),
                FieldValue::Text(s) => s.trim().parse::<f64>().map_err(|_| {
                    Error::invalid(
                        name,
                        format!(
                            "{} must be a plain number such as 250000, not `{s}`",
                            label(name)
                        ),
                    )
                })?,
                FieldValue::List(_) => {
                    return Err(Error::invalid(name, format!("`{name}` takes a number")));
                }
            };
            if !n.is_finite() || !(0.0..=MONEY_MAX).contains(&n) {
                return Err(Error::invalid(
                    name,
                    format!(
                        "{} must be a number from 0 to 10,000,000,000,000",
                        label(name)
                    ),
                ));
            }
            Ok(Some(n))
        };
        Ok(match name {
            "title" => {
                let t = text(TITLE_MAX)?;
                if t.is_empty() {
                    return Err(Error::invalid("title", "a use case needs a title"));
                }
                Field::Title(t)
            }
            "problem" => Field::Problem(text(TEXT_MAX)?),
            "solution" => Field::Solution(text(TEXT_MAX)?),
            "business_unit" => Field::BusinessUnit(text(SHORT_MAX)?),
            "proposer" => Field::Proposer(Some(text(254)?).filter(|s| !s.is_empty())),
            "expected_benefit" => Field::ExpectedBenefit(money()?),
            "expected_cost" => Field::ExpectedCost(money()?),
            "realised_benefit" => Field::RealisedBenefit(money()?),
            "data_sources" => Field::DataSources(list()?),
            "tags" => Field::Tags(list()?),
            "no_pattern_reason" => {
                Field::NoPatternReason(Some(text(TEXT_MAX)?).filter(|s| !s.is_empty()))
            }
            other => match other.strip_prefix("attr.") {
                Some(attr) if !attr.is_empty() && attr.chars().count() <= 64 => Field::Attribute(
                    attr.to_owned(),
                    Some(text(TEXT_MAX)?).filter(|s| !s.is_empty()),
                ),
                _ => {
                    return Err(Error::invalid(
                        "field",
                        format!(
                            "unknown field `{other}`; fields are {}, and attr.NAME",
                            FIELD_NAMES.join(", ")
                        ),
                    ));
                }
            },
        })
    }

    /// The `set` name of this field, as the change log records it.
    pub fn name(&self) -> String {
        match self {
            Field::Title(_) => "title".into(),
            Field::Problem(_) => "problem".into(),
            Field::Solution(_) => "solution".into(),
            Field::BusinessUnit(_) => "business_unit".into(),
            Field::Proposer(_) => "proposer".into(),
            Field::ExpectedBenefit(_) => "expected_benefit".into(),
            Field::ExpectedCost(_) => "expected_cost".into(),
            Field::RealisedBenefit(_) => "realised_benefit".into(),
            Field::DataSources(_) => "data_sources".into(),
            Field::Tags(_) => "tags".into(),
            Field::NoPatternReason(_) => "no_pattern_reason".into(),
            Field::Attribute(n, _) => format!("attr.{n}"),
        }
    }

    pub fn json(&self) -> Value {
        match self {
            Field::Title(s) | Field::Problem(s) | Field::Solution(s) | Field::BusinessUnit(s) => {
                s.clone().into()
            }
            Field::Proposer(s) | Field::Attribute(_, s) | Field::NoPatternReason(s) => {
                s.clone().into()
            }
            Field::ExpectedBenefit(n) | Field::ExpectedCost(n) | Field::RealisedBenefit(n) => {
                (*n).into()
            }
            Field::DataSources(v) | Field::Tags(v) => v.clone().into(),
        }
    }
}

/// A field's name in words, for messages.
pub fn label(name: &str) -> &str {
    match name {
        "title" => "the title",
        "problem" => "the problem statement",
        "solution" => "the proposed solution",
        "business_unit" => "the business unit",
        "proposer" => "the proposer",
        "expected_benefit" => "the expected annual benefit",
        "expected_cost" => "the expected annual cost",
        "realised_benefit" => "the realised annual benefit",
        "data_sources" => "data sources",
        "tags" => "tags",
        "no_pattern_reason" => "the reason for no primary pattern",
        _ => "the value",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> FieldValue {
        FieldValue::Text(s.into())
    }

    #[test]
    fn titles_are_required_and_bounded() {
        assert_eq!(
            Field::parse("title", &text("  ")).unwrap_err().message,
            "a use case needs a title"
        );
        let long = "x".repeat(100 * 1024);
        let e = Field::parse("title", &text(&long)).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("title"));
        assert!(
            e.message
                .contains("at most 300 characters (this one has 102400)"),
            "{}",
            e.message
        );
    }

    #[test]
    fn lists_split_on_commas_and_drop_repeats() {
        let f = Field::parse("tags", &text("nlp, Claims,, nlp ,claims")).unwrap();
        assert_eq!(f, Field::Tags(vec!["nlp".into(), "Claims".into()]));
    }

    #[test]
    fn money_is_a_plain_non_negative_number() {
        assert_eq!(
            Field::parse("expected_benefit", &text("250000")).unwrap(),
            Field::ExpectedBenefit(Some(250000.0))
        );
        assert_eq!(
            Field::parse("expected_cost", &text("")).unwrap(),
            Field::ExpectedCost(None)
        );
        assert!(Field::parse("expected_cost", &text("1,000")).is_err());
        assert!(Field::parse("expected_cost", &text("-5")).is_err());
    }

    #[test]
    fn unknown_fields_are_named() {
        let e = Field::parse("colour", &text("red")).unwrap_err();
        assert!(e.message.starts_with("unknown field `colour`"));
        assert_eq!(
            Field::parse("attr.agency", &text("VA")).unwrap(),
            Field::Attribute("agency".into(), Some("VA".into()))
        );
    }
}
