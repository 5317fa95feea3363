//! EU AI Act risk triage: questions whose rules live in a versioned rule set (data), the
//! answers recorded per use case, and the tier they give (prohibited, high, limited,
//! minimal, or not yet triaged) with the reasons. Guidance, not legal advice: the rule set
//! carries its source, date and that disclaimer.
//!
//! How the answers decide (each question carries one effect):
//! 1. any Article 5 practice (`prohibited`) → prohibited;
//! 2. a product or safety component under Annex I (`high_annex_i`) → high;
//! 3. an Annex III area (`high_annex_iii`) → high, unless one of the Article 6(3) exceptions
//!    (`exception`) applies, which never holds when the system profiles people (`profiling`);
//! 4. an Article 50 transparency duty (`transparency`) → limited;
//! 5. otherwise minimal. A question that could still change the outcome and is unanswered
//!    leaves the use case not yet triaged.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Effect {
    Prohibited,
    HighAnnexI,
    HighAnnexIii,
    Exception,
    Profiling,
    Transparency,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum Tier {
    Prohibited,
    High,
    Limited,
    Minimal,
    NotYetTriaged,
}

impl Tier {
    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Prohibited => "prohibited",
            Tier::High => "high",
            Tier::Limited => "limited",
            Tier::Minimal => "minimal",
            Tier::NotYetTriaged => "not-yet-triaged",
        }
    }

    pub fn parse(s: &str) -> Result<Tier> {
        [
            Tier::Prohibited,
            Tier::High,
            Tier::Limited,
            Tier::Minimal,
            Tier::NotYetTriaged,
        ]
        .into_iter()
        .find(|t| t.as_str() == s)
        .ok_or_else(|| {
            Error::new(
                crate::error::ErrorCode::CorruptStore,
                format!("unknown risk tier `{s}` in the store"),
            )
        })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Question {
    pub id: String,
    pub effect: Effect,
    /// Where in the Act, e.g. "Art. 5(1)(a)".
    pub reference: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RuleSet {
    pub id: String,
    pub version: i32,
    pub title: String,
    pub source: String,
    /// The date of the text the rules follow.
    pub date: String,
    pub disclaimer: String,
    pub questions: Vec<Question>,
}

/// The rule set the app ships; a new version replaces the file and raises `version`.
pub fn rule_set() -> &'static RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(|| {
        serde_json::from_str(include_str!("../triage/eu-ai-act.json"))
            .expect("the bundled triage rule set is valid JSON")
    })
}

/// What the answers give.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Outcome {
    pub tier: Tier,
    /// Why, one line per deciding answer.
    pub reasons: Vec<String>,
    /// Unanswered questions that could still change the tier (ids), in the rule set's order.
    pub needed: Vec<String>,
}

/// The tier `answers` give under `rules`.
pub fn evaluate(rules: &RuleSet, answers: &BTreeMap<String, bool>) -> Outcome {
    let of = |effect: Effect| rules.questions.iter().filter(move |q| q.effect == effect);
    let yes = |effect: Effect| -> Vec<&Question> {
        of(effect)
            .filter(|q| answers.get(&q.id) == Some(&true))
            .collect()
    };
    let open = |effect: Effect| -> Vec<String> {
        of(effect)
            .filter(|q| !answers.contains_key(&q.id))
            .map(|q| q.id.clone())
            .collect()
    };
    let why = |q: &Question, what: &str| format!("{}: {what} ({})", q.reference, q.id);
    let outcome = |tier, reasons, needed| Outcome {
        tier,
        reasons,
        needed,
    };

    let prohibited = yes(Effect::Prohibited);
    if !prohibited.is_empty() {
        let reasons = prohibited
            .iter()
            .map(|q| why(q, "a prohibited practice"))
            .collect();
        return outcome(Tier::Prohibited, reasons, vec![]);
    }
    // Nothing is high (or lower) while a prohibited practice is not ruled out.
    let prohibited_open = open(Effect::Prohibited);
    let high = |reasons: Vec<String>| {
        if prohibited_open.is_empty() {
            outcome(Tier::High, reasons, vec![])
        } else {
            outcome(Tier::NotYetTriaged, vec![], prohibited_open.clone())
        }
    };
    if let Some(q) = yes(Effect::HighAnnexI).first() {
        return high(vec![why(q, "a product or safety component under Annex I")]);
    }
    let mut needed = prohibited_open.clone();
    needed.extend(open(Effect::HighAnnexI));
    let mut reasons = vec![];
    let areas = yes(Effect::HighAnnexIii);
    if let Some(first) = areas.first() {
        let area = why(first, "an Annex III area");
        let exceptions = yes(Effect::Exception);
        match (answers.get("profiling").copied(), exceptions.first()) {
            (Some(true), _) => {
                return high(vec![
                    area,
                    "Art. 6(3): it profiles people, so no exception applies (profiling)".into(),
                ]);
            }
            (Some(false), Some(exception)) => reasons.push(format!(
                "{area}, but {} applies: not high-risk (document this assessment, Art. 6(4))",
                why(exception, "an exception")
            )),
            (Some(false), None) => {
                let open_exceptions = open(Effect::Exception);
                if open_exceptions.is_empty() {
                    return high(vec![area]);
                }
                needed.extend(open_exceptions);
                return outcome(Tier::NotYetTriaged, vec![], needed);
            }
            (None, exception) => {
                needed.extend(open(Effect::Profiling));
                if exception.is_none() {
                    needed.extend(open(Effect::Exception));
                }
                return outcome(Tier::NotYetTriaged, vec![], needed);
            }
        }
    } else {
        needed.extend(open(Effect::HighAnnexIii));
    }
    needed.extend(open(Effect::Transparency));
    if !needed.is_empty() {
        return outcome(Tier::NotYetTriaged, vec![], needed);
    }
    let transparency = yes(Effect::Transparency);
    if !transparency.is_empty() {
        reasons.extend(transparency.iter().map(|q| why(q, "a transparency duty")));
        return outcome(Tier::Limited, reasons, vec![]);
    }
    reasons.push("no prohibited practice, high-risk area or transparency duty applies".into());
    outcome(Tier::Minimal, reasons, vec![])
}

/// A recorded triage, as the use case shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Triage {
    pub rule_set: String,
    /// The rule set version it was answered under.
    pub version: i32,
    pub answers: BTreeMap<String, bool>,
    pub outcome: Outcome,
    /// The deployer's own flags, beside the tier.
    pub high_impact: Option<bool>,
    pub personal_data: Option<bool>,
    pub at: String,
    pub actor: String,
    /// Questions a newer rule set added or changed that this triage depends on: answer them
    /// again (`needs_retriage` when there are any).
    pub affected: Vec<String>,
    pub needs_retriage: bool,
}

/// Answers to record (all at once: a partial set leaves the use case not yet triaged).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RecordTriage {
    pub use_case_id: String,
    pub answers: BTreeMap<String, bool>,
    #[serde(default)]
    #[ts(optional)]
    pub high_impact: Option<bool>,
    #[serde(default)]
    #[ts(optional)]
    pub personal_data: Option<bool>,
}

/// What a question said when it was answered: a later rule set is compared with it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Asked {
    pub text: String,
    pub effect: Effect,
}

/// Every question of `rules` as it is asked now.
pub fn asked(rules: &RuleSet) -> BTreeMap<String, Asked> {
    rules
        .questions
        .iter()
        .map(|q| {
            let a = Asked {
                text: q.text.clone(),
                effect: q.effect,
            };
            (q.id.clone(), a)
        })
        .collect()
}

/// The questions of `current` this triage depends on that are new or changed since it was
/// answered (none when answered under `current`).
pub fn affected(
    current: &RuleSet,
    version: i32,
    asked: &BTreeMap<String, Asked>,
    answers: &BTreeMap<String, bool>,
) -> Vec<String> {
    if version >= current.version {
        return vec![];
    }
    // Exceptions and profiling matter only once an Annex III area applies.
    let in_annex_iii = current
        .questions
        .iter()
        .any(|q| q.effect == Effect::HighAnnexIii && answers.get(&q.id) == Some(&true));
    current
        .questions
        .iter()
        .filter(|q| in_annex_iii || !matches!(q.effect, Effect::Exception | Effect::Profiling))
        .filter(|q| {
            asked
                .get(&q.id)
                .is_none_or(|a| a.text != q.text || a.effect != q.effect)
        })
        .map(|q| q.id.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answers(yes: &[&str], no_to_all_but: bool) -> BTreeMap<String, bool> {
        rule_set()
            .questions
            .iter()
            .filter(|q| no_to_all_but || yes.contains(&q.id.as_str()))
            .map(|q| (q.id.clone(), yes.contains(&q.id.as_str())))
            .collect()
    }

    fn tier(yes: &[&str]) -> Outcome {
        evaluate(rule_set(), &answers(yes, true))
    }

    #[test]
    fn each_tier_from_hand_worked_answers() {
        // Social scoring is prohibited whatever else is true.
        let o = tier(&["social-scoring", "interacts-with-people"]);
        assert_eq!(o.tier, Tier::Prohibited);
        assert_eq!(
            o.reasons,
            ["Art. 5(1)(c): a prohibited practice (social-scoring)"]
        );
        // A CV screener: an Annex III area (employment), no exception.
        assert_eq!(tier(&["annex-iii-employment"]).tier, Tier::High);
        // The same, but only sorting documents into categories: the exception applies...
        let o = tier(&["annex-iii-employment", "exception-narrow-procedural"]);
        assert_eq!(o.tier, Tier::Minimal);
        assert!(o.reasons[0].contains("Art. 6(3)(a)"), "{o:?}");
        // ...unless it profiles people.
        let o = tier(&[
            "annex-iii-employment",
            "exception-narrow-procedural",
            "profiling",
        ]);
        assert_eq!(o.tier, Tier::High);
        assert!(o.reasons[1].contains("profiling"), "{o:?}");
        // A medical device component: Annex I.
        assert_eq!(tier(&["annex-i-safety-component"]).tier, Tier::High);
        // A customer chatbot: a transparency duty.
        let o = tier(&["interacts-with-people", "generates-synthetic-content"]);
        assert_eq!(o.tier, Tier::Limited);
        assert_eq!(o.reasons.len(), 2);
        // Demand forecasting: nothing applies.
        assert_eq!(tier(&[]).tier, Tier::Minimal);
    }

    #[test]
    fn unanswered_questions_that_could_change_the_tier_leave_it_open() {
        assert_eq!(
            evaluate(rule_set(), &BTreeMap::new()).tier,
            Tier::NotYetTriaged
        );
        // A yes to a prohibited practice decides, whatever is unanswered.
        let o = evaluate(rule_set(), &answers(&["facial-scraping"], false));
        assert_eq!(o.tier, Tier::Prohibited);
        // An Annex III yes with every other question answered no except profiling unanswered.
        let mut a = answers(&["annex-iii-education"], true);
        a.remove("profiling");
        let o = evaluate(rule_set(), &a);
        assert_eq!(
            (o.tier, o.needed.as_slice()),
            (Tier::NotYetTriaged, ["profiling".to_owned()].as_slice())
        );
        // Without an Annex III area, the exceptions and profiling are not asked.
        let mut a = answers(&[], true);
        for q in rule_set()
            .questions
            .iter()
            .filter(|q| matches!(q.effect, Effect::Exception | Effect::Profiling))
        {
            a.remove(&q.id);
        }
        assert_eq!(evaluate(rule_set(), &a).tier, Tier::Minimal);
    }

    #[test]
    fn a_new_rule_set_version_marks_the_answers_it_affects() {
        let v1 = rule_set().clone();
        let a = answers(&["interacts-with-people"], true);
        let asked = asked(&v1);
        assert!(
            affected(&v1, 1, &asked, &a).is_empty(),
            "answered under the current version"
        );
        let mut v2 = v1.clone();
        v2.version = 2;
        v2.questions[0].text.push_str(" (clarified)");
        v2.questions.push(Question {
            id: "new-practice".into(),
            effect: Effect::Prohibited,
            reference: "Art. 5(1)(i)".into(),
            text: "A newly prohibited practice?".into(),
        });
        // A changed exception does not matter to a use case outside Annex III.
        let exception = v2
            .questions
            .iter_mut()
            .find(|q| q.effect == Effect::Exception)
            .unwrap();
        exception.text.push_str(" (clarified)");
        assert_eq!(
            affected(&v2, 1, &asked, &a),
            ["manipulation", "new-practice"]
        );
    }
}
