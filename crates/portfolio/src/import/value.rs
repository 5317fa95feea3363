//! Cell values as real spreadsheets hold them: dates in a dozen shapes, Python-style list
//! cells (`['a', 'b']`), stage names in other vocabularies.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::stage::Stage;

/// Which comes first in a date such as `03/04/2024` (when neither part is above 12).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum DateOrder {
    #[default]
    MonthDay,
    DayMonth,
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

fn ymd(y: i32, m: u32, d: u32) -> Option<String> {
    NaiveDate::from_ymd_opt(y, m, d).map(|d| d.to_string())
}

fn ym(y: i32, m: u32) -> Option<String> {
    ((1..=12).contains(&m) && (1000..=9999).contains(&y)).then(|| format!("{y:04}-{m:02}"))
}

fn year(s: &str) -> Option<i32> {
    (s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

/// A date as ISO 8601 at the precision the cell gives: `2024-10-01`, `2025-07` or `2024`.
/// Takes `2024-10-01`, `2024-10-01 00:00:00`, `10/01/2024`, `10/1/2024 0:00`,
/// `09/24/2024 12:00:00 AM`, `01/2024`, `2024`, `Jul-25` (July 2025), `July 2025`.
pub fn date(raw: &str, order: DateOrder) -> Option<String> {
    let s = raw.trim();
    // Drop a time of day: everything after the first space when what precedes is a date.
    let day_part = s.split_whitespace().next().unwrap_or("");
    if let Some(y) = year(s) {
        return Some(format!("{y:04}"));
    }
    let dash: Vec<&str> = day_part.split('-').collect();
    if dash.len() == 3
        && let (Some(y), Ok(m), Ok(d)) = (year(dash[0]), dash[1].parse(), dash[2].parse())
    {
        return ymd(y, m, d);
    }
    if dash.len() == 2
        && let Some(y) = year(dash[0])
        && let Ok(m) = dash[1].parse()
    {
        return ym(y, m);
    }
    // `Jul-25`, `July-2025`, `Jul 2025`
    let words: Vec<&str> = s.split(['-', ' ']).filter(|w| !w.is_empty()).collect();
    if words.len() == 2 && words[0].len() >= 3 && words[0].chars().all(char::is_alphabetic) {
        let month = MONTHS
            .iter()
            .position(|m| words[0].to_ascii_lowercase().starts_with(m))?;
        let y = match words[1].len() {
            2 => 2000 + words[1].parse::<i32>().ok()?,
            4 => year(words[1])?,
            _ => return None,
        };
        return ym(y, month as u32 + 1);
    }
    let slash: Vec<&str> = day_part.split('/').collect();
    match slash.len() {
        2 => ym(year(slash[1])?, slash[0].parse().ok()?),
        3 => {
            let (a, b): (u32, u32) = (slash[0].parse().ok()?, slash[1].parse().ok()?);
            let y = year(slash[2])?;
            let (m, d) = match order {
                _ if a > 12 => (b, a),
                _ if b > 12 => (a, b),
                DateOrder::MonthDay => (a, b),
                DateOrder::DayMonth => (b, a),
            };
            ymd(y, m, d)
        }
        _ => None,
    }
}

/// The items of a Python-style list cell (`['a', 'b']`, `[]`), or `None` for other text.
pub fn python_list(raw: &str) -> Option<Vec<String>> {
    let inner = raw.trim().strip_prefix('[')?.strip_suffix(']')?.trim();
    if inner.is_empty() {
        return Some(vec![]);
    }
    let mut items = vec![];
    let mut rest = inner;
    loop {
        let quote = rest.chars().next().filter(|c| *c == '\'' || *c == '"')?;
        let body = &rest[1..];
        let end = body.find(quote)?;
        items.push(body[..end].trim().to_owned());
        rest = body[end + 1..].trim_start();
        if rest.is_empty() {
            return Some(items);
        }
        rest = rest.strip_prefix(',')?.trim_start();
    }
}

/// Text with stray control characters (which some exporters leave in cells) turned into
/// spaces; line breaks and tabs stay.
pub fn clean(raw: &str) -> std::borrow::Cow<'_, str> {
    let bad = |c: char| c.is_control() && !matches!(c, '\n' | '\t' | '\r');
    if raw.chars().any(bad) {
        raw.chars()
            .map(|c| if bad(c) { ' ' } else { c })
            .collect::<String>()
            .into()
    } else {
        raw.into()
    }
}

/// A multiple-choice answer without its letter and explanation, as inventories write them:
/// `b) Pilot – The use case has been deployed …` → `Pilot`.
pub fn shorthand(raw: &str) -> &str {
    let s = raw.trim();
    let s = match s.as_bytes() {
        [c, b')', b' ', ..] if c.is_ascii_lowercase() => s[3..].trim_start(),
        _ => s,
    };
    s.split(" – ").next().unwrap_or(s).trim()
}

/// Lower-case letters and digits only: how headers and vocabularies are compared.
pub(crate) fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// A stage from our own spellings and labels, or common names for them in other tools.
pub fn stage(raw: &str) -> Option<Stage> {
    let s = squash(shorthand(raw));
    if let Some(stage) = Stage::ALL
        .into_iter()
        .find(|st| squash(st.as_str()) == s || squash(st.label()) == s)
    {
        return Some(stage);
    }
    Some(match s.as_str() {
        "" | "new" | "proposed" | "proposal" | "backlog" => Stage::Idea,
        "assess" | "evaluation" | "discovery" | "review" => Stage::Assessment,
        "poc" | "prototype" | "experiment" | "predeployment" | "development" | "indevelopment" => {
            Stage::ProofOfConcept
        }
        "piloting" | "trial" | "test" => Stage::Pilot,
        "deployed" | "live" | "operational" | "inproduction" | "operation" => Stage::Production,
        "scale" | "scaledup" | "rollout" => Stage::Scaled,
        "onhold" | "paused" | "hold" => Stage::Parked,
        "retire" | "decommissioned" | "cancelled" | "canceled" | "stopped" => Stage::Retired,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_the_inventorys_shapes() {
        let d = |s| date(s, DateOrder::MonthDay);
        assert_eq!(d("2024-10-01").as_deref(), Some("2024-10-01"));
        assert_eq!(d("2025-09-08 00:00:00").as_deref(), Some("2025-09-08"));
        assert_eq!(d("10/01/2024 00:00:00").as_deref(), Some("2024-10-01"));
        assert_eq!(d("09/24/2024 12:00:00 AM").as_deref(), Some("2024-09-24"));
        assert_eq!(d("1/30/2026").as_deref(), Some("2026-01-30"));
        assert_eq!(d("9/11/2024 0:00").as_deref(), Some("2024-09-11"));
        assert_eq!(d("01/2024").as_deref(), Some("2024-01"));
        assert_eq!(d("2024").as_deref(), Some("2024"));
        assert_eq!(d("Jul-25").as_deref(), Some("2025-07"));
        assert_eq!(d("Jan-03").as_deref(), Some("2003-01"));
        assert_eq!(d("July 2025").as_deref(), Some("2025-07"));
        assert_eq!(
            date("03/04/2024", DateOrder::DayMonth).as_deref(),
            Some("2024-04-03")
        );
        assert_eq!(
            date("25/04/2024", DateOrder::MonthDay).as_deref(),
            Some("2024-04-25")
        );
        for bad in ["soon", "13/13/2024", "2024-02-30", "Q3", "Foo-25", "12"] {
            assert_eq!(d(bad), None, "{bad}");
        }
    }

    #[test]
    fn python_lists() {
        assert_eq!(python_list("[]"), Some(vec![]));
        assert_eq!(
            python_list("['Age', \"Sex, gender\"]"),
            Some(vec!["Age".to_owned(), "Sex, gender".to_owned()])
        );
        assert_eq!(python_list("[not a list]"), None);
        assert_eq!(python_list("plain"), None);
    }

    #[test]
    fn stages_from_other_vocabularies() {
        assert_eq!(stage("Proof of concept"), Some(Stage::ProofOfConcept));
        assert_eq!(stage("proof-of-concept"), Some(Stage::ProofOfConcept));
        assert_eq!(stage("Pre-deployment"), Some(Stage::ProofOfConcept));
        assert_eq!(stage("Deployed"), Some(Stage::Production));
        assert_eq!(stage("PoC"), Some(Stage::ProofOfConcept));
        assert_eq!(stage(""), Some(Stage::Idea));
        assert_eq!(stage("Galaxy brain"), None);
        assert_eq!(
            stage("b) Pilot – The use case has been deployed in a limited test or pilot capacity."),
            Some(Stage::Pilot)
        );
        assert_eq!(
            stage("a) Pre-deployment – The use case is in a development or acquisition status."),
            Some(Stage::ProofOfConcept)
        );
    }
}
