//! The file's rows read against the mapping: each cell parsed into the field it fills, every
//! problem named by row and column, the stage values counted, in bounded memory.

use std::collections::HashMap;

use crate::error::Result;
use crate::field::{Field, FieldValue};
use crate::owner::OwnerRole;
use crate::person::Email;
use crate::sheet_text;
use crate::stage::Stage;
use crate::task::{Cancel, OnProgress, Progress};

use super::mapping::{self, Mapping, Target};
use super::value;

use super::report::{RowProblem, StageValue};

/// The file's rows, read and checked.
pub(super) struct Read {
    pub(super) parsed: Vec<Parsed>,
    pub(super) problems: Vec<RowProblem>,
    pub(super) notes: Vec<String>,
    pub(super) rows: usize,
    pub(super) stage_values: Vec<StageValue>,
}

pub(super) const LISTED: usize = 1_000;

/// A row turned into what would be written.
pub(super) struct Parsed {
    pub(super) row: usize,
    pub(super) fields: Vec<Field>,
    pub(super) stage: Option<Stage>,
    pub(super) owners: Vec<(OwnerRole, Option<String>)>,
    pub(super) app_id: Option<String>,
    pub(super) source_id: Option<String>,
    pub(super) fallback: String,
    pub(super) title: String,
}

/// One column's part in the import.
pub(super) struct Plan {
    pub(super) index: usize,
    pub(super) header: String,
    pub(super) target: Target,
    pub(super) date: bool,
}

pub(super) fn squash_key(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

pub(super) fn short(s: &str) -> String {
    if s.chars().count() > 80 {
        format!("{}…", s.chars().take(80).collect::<String>())
    } else {
        s.to_owned()
    }
}

/// Turns raw rows into parsed rows and problems; counts rows.
pub(super) fn parse_rows(
    rows: Box<dyn Iterator<Item = Result<(usize, Vec<String>)>> + Send>,
    plans: &[Plan],
    mapping: &Mapping,
    scope: Option<usize>,
    csv: bool,
    progress: &OnProgress,
    cancel: &Cancel,
) -> Result<Read> {
    let mut stage_values: Vec<StageValue> = vec![];
    let mut parsed = vec![];
    let mut problems = vec![];
    let mut notes = vec![];
    let mut seen_ids: HashMap<String, usize> = HashMap::new();
    let mut count = 0;
    for row in rows {
        let (n, cells) = row?;
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        count += 1;
        if count % 500 == 0 {
            cancel.check("The import")?;
            progress(Progress {
                phase: "Reading rows".into(),
                done: count as i32,
                total: 0,
            });
        }
        let row = n;
        let mut p = Parsed {
            row,
            fields: vec![],
            stage: None,
            owners: vec![],
            app_id: None,
            source_id: None,
            fallback: String::new(),
            title: String::new(),
        };
        let mut problem = |column: &str, value: &str, why: String| {
            problems.push(RowProblem {
                row: row as i32,
                column: column.to_owned(),
                value: short(value),
                why,
            })
        };
        let mut file_id: Option<String> = None;
        let mut business_unit = String::new();
        let mut untitled: Option<&str> = None;
        for plan in plans {
            let raw = cells.get(plan.index).map_or("", |s| s.as_str());
            let raw = if csv { sheet_text::unescape(raw) } else { raw };
            let cleaned = value::clean(raw);
            let raw = cleaned.trim();
            let target_name = mapping.columns[&plan.header].target();
            let mapped = mapping
                .values
                .get(target_name)
                .and_then(|m| m.get(raw).or_else(|| m.get(value::shorthand(raw))))
                .map_or(raw, String::as_str);
            let text = if plan.date && !mapped.is_empty() {
                match value::date(mapped, mapping.date_order) {
                    Some(d) => d,
                    None => {
                        problem(&plan.header, raw, "not a date in a shape this importer knows (e.g. 2024-10-01, 10/01/2024, 01/2024, Jul-25)".into());
                        continue;
                    }
                }
            } else {
                mapped.to_owned()
            };
            let list = value::python_list(&text);
            match &plan.target {
                Target::Ignore => {}
                Target::Field(name) if name == "title" && text.is_empty() => {
                    untitled = Some(&plan.header);
                }
                Target::Field(name) => {
                    let v = match (&list, name.as_str()) {
                        (Some(items), "tags" | "data_sources") => FieldValue::List(items.clone()),
                        _ => FieldValue::Text(text.clone()),
                    };
                    match Field::parse(name, &v) {
                        Ok(f) => {
                            match &f {
                                Field::Title(t) => p.title.clone_from(t),
                                Field::BusinessUnit(b) => business_unit.clone_from(b),
                                _ => {}
                            }
                            p.fields.push(f);
                        }
                        Err(e) => problem(&plan.header, raw, e.message),
                    }
                }
                Target::Attribute(name) => {
                    let text = match &list {
                        Some(items) => items.join("; "),
                        None => text,
                    };
                    match Field::parse(&format!("attr.{name}"), &FieldValue::Text(text)) {
                        Ok(f) => p.fields.push(f),
                        Err(e) => problem(&plan.header, raw, e.message),
                    }
                }
                Target::Stage => match value::stage(&text) {
                    Some(s) => {
                        p.stage = Some(s);
                        count_stage_value(&mut stage_values, raw, Some(s));
                    }
                    None => {
                        count_stage_value(&mut stage_values, raw, None);
                        problem(
                            &plan.header,
                            raw,
                            format!(
                                "unknown stage; stages are {} (or map this value in the mapping's `values`)",
                                Stage::ALL.map(Stage::as_str).join(", ")
                            ),
                        )
                    }
                },
                Target::Owner(role) => {
                    let email = text
                        .split(|c: char| {
                            c.is_whitespace() || c == ',' || c == ';' || c == '<' || c == '>'
                        })
                        .find_map(|w| Email::parse(w).ok());
                    let clean = email
                        .as_ref()
                        .is_some_and(|e| e.as_str() == text.to_lowercase());
                    if !text.is_empty() && !clean {
                        // Keep what the cell said; the owner is its first email, if any.
                        if let Ok(f) = Field::parse(
                            &format!("attr.{}", mapping::attribute_name(&plan.header)),
                            &FieldValue::Text(text.clone()),
                        ) {
                            p.fields.push(f);
                        }
                    }
                    p.owners.push((*role, email.map(|e| e.as_str().to_owned())));
                }
                Target::Id => {
                    if uuid::Uuid::parse_str(&text).is_ok() {
                        p.app_id = Some(text.to_lowercase());
                    } else if !text.is_empty() {
                        file_id = Some(text);
                    }
                }
                Target::SourceId => {
                    if !text.is_empty() {
                        p.source_id = Some(text);
                    }
                }
            }
        }
        if let Some(column) = untitled {
            // A row with an id but no title is still a use case (the federal inventory has
            // one): it gets a title that says so, and the report tells the person.
            match file_id.as_deref().or(p.app_id.as_deref()) {
                Some(id) => {
                    p.title = format!("Untitled ({id})");
                    p.fields.push(Field::Title(p.title.clone()));
                    notes.push(format!(
                        "row {row}: no title; imported as “{}” (rename it in the app)",
                        p.title
                    ));
                }
                None => problem(column, "", "a use case needs a title".into()),
            }
        }
        if p.source_id.is_none()
            && let Some(id) = file_id
        {
            let scoped = match scope.and_then(|i| cells.get(i)).map(|s| s.trim()) {
                Some(sc)
                    if !sc.is_empty() && !id.to_lowercase().starts_with(&sc.to_lowercase()) =>
                {
                    format!("{sc}-{id}")
                }
                _ => id,
            };
            let base = format!("{}:{scoped}", mapping.source);
            let seen = seen_ids.entry(base.clone()).or_insert(0);
            *seen += 1;
            p.source_id = Some(if *seen == 1 {
                base
            } else {
                notes.push(format!(
                    "row {row}: the id {scoped} appears more than once in the file; this row is kept as {base}#{seen}"
                ));
                format!("{base}#{seen}")
            });
        }
        p.fallback = format!(
            "{}\u{1f}{}",
            squash_key(&business_unit),
            squash_key(&p.title)
        );
        parsed.push(p);
    }
    Ok(Read {
        parsed,
        problems,
        notes,
        rows: count,
        stage_values,
    })
}

pub(super) fn count_stage_value(values: &mut Vec<StageValue>, raw: &str, stage: Option<Stage>) {
    if let Some(v) = values.iter_mut().find(|v| v.value == raw) {
        v.rows += 1;
    } else if values.len() < 100 {
        values.push(StageValue {
            value: raw.to_owned(),
            stage,
            rows: 1,
        });
    }
}
