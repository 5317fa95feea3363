//! The rule book of what a change may carry: each kind's `new` value parsed with the
//! domain's own parsers, and every text bounded. The registry refuses a change that fails
//! here (so no desktop is ever served one it cannot apply); the desktop reads a use case's
//! creation through the same `UseCaseRecord::parse` it applies.

use std::collections::BTreeMap;

use domain::email::Email;
use domain::error::{Error, Result};
use domain::field::{Field, FieldValue, SHORT_MAX, TEXT_MAX};
use domain::gate::GateRules;
use domain::owner::OwnerRole;
use domain::pattern::{ControlState, PatternRecord, check_slug};
use domain::scoring::{CriterionScore, ScoringModel, is_slug};
use domain::stage::Stage;
use serde_json::Value;

use crate::wire::WireChange;

/// The longest id, entity id, origin or time a change may carry (a UUID is 36 characters,
/// an RFC 3339 time about 30; a slug is at most 64; an e-mail at most 254).
pub const ID_MAX: usize = 254;

/// A use case as its creation carries it: every field, the stage it starts in, its criterion
/// scores and its owners, each checked.
#[derive(Debug, Clone, PartialEq)]
pub struct UseCaseRecord {
    pub fields: Vec<Field>,
    pub stage: Option<Stage>,
    pub scores: BTreeMap<String, CriterionScore>,
    pub owners: Vec<(OwnerRole, Email)>,
}

fn invalid(what: &str, message: String) -> Error {
    Error::invalid(what, message)
}

impl UseCaseRecord {
    pub fn parse(snapshot: &Value) -> Result<UseCaseRecord> {
        let Some(map) = snapshot.as_object() else {
            return Err(invalid(
                "new",
                "a new use case comes with its fields as an object".into(),
            ));
        };
        let mut record = UseCaseRecord {
            fields: Vec::new(),
            stage: None,
            scores: BTreeMap::new(),
            owners: Vec::new(),
        };
        for (name, v) in map {
            match name.as_str() {
                "stage" => {
                    let s = v
                        .as_str()
                        .ok_or_else(|| invalid("stage", format!("a stage is a name, not {v}")))?;
                    record.stage = Some(Stage::parse(s)?);
                }
                "scores" => {
                    let scores = v.as_object().ok_or_else(|| {
                        invalid("scores", "scores are a map of criterion to 1–5".into())
                    })?;
                    for (criterion, s) in scores {
                        if !is_slug(criterion) {
                            return Err(invalid(
                                "scores",
                                format!("`{criterion}` is not a criterion's slug"),
                            ));
                        }
                        let n = s.as_i64().ok_or_else(|| {
                            invalid("scores", format!("a score is 1 to 5, not {s}"))
                        })?;
                        record
                            .scores
                            .insert(criterion.clone(), CriterionScore::new(n)?);
                    }
                }
                _ => match name.strip_prefix("owner.") {
                    Some(role) => {
                        let role = OwnerRole::parse(role)?;
                        match v {
                            Value::Null => {}
                            Value::String(e) => record.owners.push((role, Email::parse(e)?)),
                            other => {
                                return Err(invalid(
                                    "owner",
                                    format!("an owner is an e-mail address, not {other}"),
                                ));
                            }
                        }
                    }
                    None => {
                        let value: FieldValue = serde_json::from_value(v.clone())
                            .map_err(|_| invalid(name, format!("`{name}` cannot be {v}")))?;
                        record.fields.push(Field::parse(name, &value)?);
                    }
                },
            }
        }
        if !record.fields.iter().any(|f| matches!(f, Field::Title(_))) {
            return Err(invalid("title", "a new use case needs a title".into()));
        }
        Ok(record)
    }
}

fn bounded(what: &str, s: &str, max: usize) -> Result<()> {
    if s.is_empty() || s.chars().count() > max {
        return Err(invalid(
            what,
            format!("the change's {what} is 1 to {max} characters"),
        ));
    }
    Ok(())
}

fn number(what: &str, v: Option<&Value>) -> Result<Option<f64>> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => Ok(n.as_f64().filter(|f| f.is_finite())),
        Some(other) => Err(invalid(
            what,
            format!("the {what} is a number, not {other}"),
        )),
    }
}

fn optional_text(what: &str, v: Option<&Value>, max: usize) -> Result<()> {
    match v {
        None | Some(Value::Null) => Ok(()),
        Some(Value::String(s)) if s.chars().count() <= max => Ok(()),
        Some(_) => Err(invalid(
            what,
            format!("the {what} is a text of at most {max} characters"),
        )),
    }
}

fn object<'a>(what: &str, v: &'a Value) -> Result<&'a serde_json::Map<String, Value>> {
    v.as_object()
        .ok_or_else(|| invalid("new", format!("{what} comes as an object, not {v}")))
}

/// Whether every desktop can apply this change: its ids bounded and its value, for its kind,
/// one the domain's parsers read. `Err` names what is wrong.
pub fn check(c: &WireChange) -> Result<()> {
    bounded("id", &c.id, ID_MAX)?;
    bounded("entity id", &c.entity_id, ID_MAX)?;
    bounded("origin", &c.origin, ID_MAX)?;
    bounded("actor", &c.actor, ID_MAX)?;
    bounded("time", &c.at, 40)?;
    if let Some(u) = &c.use_case_id {
        bounded("use case id", u, ID_MAX)?;
    }
    if let Some(f) = &c.field {
        bounded("field", f, ID_MAX)?;
    }
    if c.note
        .as_ref()
        .is_some_and(|n| n.chars().count() > TEXT_MAX)
    {
        return Err(invalid(
            "note",
            format!("a change's note is at most {TEXT_MAX} characters"),
        ));
    }
    let v = c.new.clone().unwrap_or(Value::Null);
    let field = c.field.as_deref().unwrap_or_default();
    match (c.entity.as_str(), c.kind.as_str()) {
        ("use_case", "create") => {
            UseCaseRecord::parse(&v)?;
        }
        ("use_case", "field") => {
            let value: FieldValue = serde_json::from_value(v.clone())
                .map_err(|_| invalid(field, format!("`{field}` cannot be {v}")))?;
            Field::parse(field, &value)?;
        }
        ("use_case", "score") => {
            check_slug("criterion", field)?;
            if !v.is_null() {
                let n = v
                    .as_i64()
                    .ok_or_else(|| invalid("score", format!("a score is 1 to 5, not {v}")))?;
                CriterionScore::new(n)?;
            }
        }
        ("use_case", "owner") => {
            OwnerRole::parse(field)?;
            match &v {
                Value::Null => {}
                Value::String(e) => {
                    Email::parse(e)?;
                }
                other => {
                    return Err(invalid(
                        "owner",
                        format!("an owner is an e-mail address, not {other}"),
                    ));
                }
            }
        }
        ("use_case", "stage") => {
            Stage::parse(v.as_str().unwrap_or_default())?;
        }
        ("use_case", "pattern") => {
            check_slug("pattern", field)?;
            match &v {
                Value::Null => {}
                Value::String(s) if s == "primary" || s == "other" => {}
                other => {
                    return Err(invalid(
                        "pattern",
                        format!("a mapping is primary, other or none, not {other}"),
                    ));
                }
            }
        }
        ("use_case", "control") => {
            check_slug("control", field)?;
            ControlState::parse(v.as_str().unwrap_or_default())?;
        }
        ("use_case", "triage") if !v.is_null() => {
            let t = object("a triage", &v)?;
            let answers = t.get("answers").and_then(Value::as_object).ok_or_else(|| {
                invalid(
                    "answers",
                    "a triage's answers are a map of question to yes or no".into(),
                )
            })?;
            let known = domain::triage::rule_set();
            for (q, a) in answers {
                if !a.is_boolean() || !known.questions.iter().any(|k| &k.id == q) {
                    return Err(invalid(
                        "answers",
                        format!("`{q}` is not a question of the triage answered yes or no"),
                    ));
                }
            }
            for flag in ["high_impact", "personal_data"] {
                if t.get(flag).is_some_and(|f| !f.is_boolean() && !f.is_null()) {
                    return Err(invalid(flag, format!("`{flag}` is yes or no")));
                }
            }
        }
        ("use_case", "merge") => {
            let m = object("a merge", &v)?;
            let (kept, merged) = (
                m.get("kept").and_then(Value::as_str),
                m.get("merged").and_then(Value::as_str),
            );
            match (kept, merged) {
                (Some(k), Some(g)) if g == c.entity_id && k != g => bounded("kept", k, ID_MAX)?,
                _ => {
                    return Err(invalid(
                        "merge",
                        "a merge names the use case kept and, as its own, the one merged".into(),
                    ));
                }
            }
        }
        ("person", "create") => {
            let p = object("a person", &v)?;
            Email::parse(p.get("email").and_then(Value::as_str).unwrap_or_default())?;
            optional_text("name", p.get("name"), 200)?;
            optional_text("business unit", p.get("business_unit"), SHORT_MAX)?;
        }
        ("kpi", "kpi") => {
            bounded("KPI name", field, SHORT_MAX)?;
            let k = object("a KPI", &v)?;
            if number("target", k.get("target"))?.is_none() {
                return Err(invalid("target", "a KPI needs a target, a number".into()));
            }
            number("baseline", k.get("baseline"))?;
            optional_text("unit", k.get("unit"), SHORT_MAX)?;
            if let Some(d) = k.get("direction").filter(|d| !d.is_null())
                && !matches!(d.as_str(), Some("higher" | "lower"))
            {
                return Err(invalid(
                    "direction",
                    "a direction is `higher` or `lower`".into(),
                ));
            }
            if let Some(due) = k.get("due").filter(|d| !d.is_null()) {
                let ok = due.as_str().is_some_and(chrono_date);
                if !ok {
                    return Err(invalid(
                        "due",
                        format!("a due date is YYYY-MM-DD, not {due}"),
                    ));
                }
            }
        }
        ("kpi", "kpi_actual") => {
            if number("value", Some(&v))?.is_none() {
                return Err(invalid("value", format!("an actual is a number, not {v}")));
            }
            let day = c
                .note
                .as_deref()
                .and_then(|n| n.strip_prefix("measured on "));
            if !day.is_some_and(chrono_date) {
                return Err(invalid(
                    "note",
                    "an actual says the day it was measured on".into(),
                ));
            }
        }
        ("scoring_model", _) => {
            serde_json::from_value::<ScoringModel>(v)
                .map_err(|e| invalid("model", e.to_string()))?
                .validate()?;
        }
        ("gate_rules", _) => {
            serde_json::from_value::<GateRules>(v)
                .map_err(|e| invalid("rules", e.to_string()))?
                .validate()?;
        }
        ("pattern", kind) => {
            // The key is the slug alone: a field would make another key for one record.
            if c.field.is_some() {
                return Err(invalid("field", "a pattern's change names no field".into()));
            }
            check_slug("pattern", &c.entity_id)?;
            if matches!(kind, "create" | "field") {
                serde_json::from_value::<PatternRecord>(v)
                    .map_err(|e| invalid("pattern", e.to_string()))?
                    .validate(&c.entity_id)?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// `YYYY-MM-DD`, a real day: read as the desktop reads a KPI's dates.
fn chrono_date(s: &str) -> bool {
    chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn creation(new: Value) -> WireChange {
        WireChange {
            id: "01900000-0000-7000-8000-000000000001".into(),
            entity: "use_case".into(),
            entity_id: "01900000-0000-7000-8000-000000000002".into(),
            use_case_id: None,
            kind: "create".into(),
            field: None,
            old: None,
            new: Some(new),
            note: None,
            actor: "ada@example.org".into(),
            at: "2026-12-01T10:00:00.000Z".into(),
            base: 0,
            origin: "desktop".into(),
        }
    }

    #[test]
    fn a_creation_is_read_whole_and_every_bad_part_is_named() {
        let ok = creation(
            json!({"title": "Invoice bot", "stage": "pilot", "scores": {"reach": 4},
                                "owner.business": "Ada@Example.org", "tags": ["a"]}),
        );
        check(&ok).unwrap();
        let r = UseCaseRecord::parse(ok.new.as_ref().unwrap()).unwrap();
        assert_eq!(r.stage, Some(Stage::Pilot));
        assert_eq!(r.owners[0].1.as_str(), "ada@example.org");
        for (bad, field) in [
            (json!("a string"), "new"),
            (json!({"title": "T", "stage": "bogus"}), "stage"),
            (json!({"title": "T", "scores": [1, 2]}), "scores"),
            (json!({"title": "T", "scores": {"reach": 9}}), "score"),
            (json!({"title": "x".repeat(30_000)}), "title"),
            (json!({"title": "T", "owner.bogus": "a@b.org"}), "role"),
            (
                json!({"title": "T", "owner.business": "not an email"}),
                "email",
            ),
            (json!({"problem": "no title"}), "title"),
        ] {
            let e = check(&creation(bad.clone())).unwrap_err();
            assert_eq!(e.field.as_deref(), Some(field), "{bad}: {}", e.message);
        }
    }

    #[test]
    fn other_kinds_are_checked_by_their_own_shape() {
        let mut c = creation(json!({"answers": "yes"}));
        c.kind = "triage".into();
        assert!(check(&c).is_err(), "answers that are not a map");
        c.new = Some(json!({"answers": {"manipulation": false}}));
        check(&c).unwrap();
        c.entity = "kpi".into();
        c.kind = "kpi".into();
        c.field = Some("Hours saved".into());
        c.new = Some(json!({"target": "abc"}));
        assert_eq!(check(&c).unwrap_err().field.as_deref(), Some("target"));
        c.new = Some(json!({"target": 10, "due": "2026-02-30"}));
        assert_eq!(check(&c).unwrap_err().field.as_deref(), Some("due"));
        c.entity = "person".into();
        c.kind = "create".into();
        c.field = None;
        c.new = Some(json!({"email": "nobody"}));
        assert_eq!(check(&c).unwrap_err().field.as_deref(), Some("email"));
        c.new = Some(json!({"email": "b@example.org"}));
        c.note = Some("x".repeat(TEXT_MAX + 1));
        assert_eq!(check(&c).unwrap_err().field.as_deref(), Some("note"));
        c.note = None;
        c.id = "i".repeat(ID_MAX + 1);
        assert_eq!(check(&c).unwrap_err().field.as_deref(), Some("id"));
    }
}
