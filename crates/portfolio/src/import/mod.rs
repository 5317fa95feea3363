//! Importing use cases from CSV and XLSX files: map the columns, preview what would be
//! created, changed and left alone (with every problem by row, column and value), then
//! write the valid rows as one transaction, or nothing.
//!
//! Matching, so a re-import updates instead of duplicating (documented in the README):
//! 1. an `id` cell holding the id of a use case in this store (an edited export);
//! 2. else the file's own id, kept as the source id `SOURCE:ID` (qualified by the
//!    `id_scope` column where ids repeat across, e.g., agencies; a repeated id in one file
//!    makes its later rows `SOURCE:ID#2`, `#3`, …);
//! 3. else the fallback key: same title and business unit, ignoring case and spacing (the
//!    n-th such row of the file matches the n-th such use case, oldest first).

mod file;
mod mapping;
pub mod value;

use std::collections::HashMap;
use std::path::Path;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::ctx::Ctx;
use crate::error::{Error, Result};
use crate::field::{Field, FieldValue};
use crate::intake::{self, Draft};
use crate::owner::OwnerRole;
use crate::person::Email;
use crate::sheet_text;
use crate::stage::Stage;
use crate::task::{Cancel, OnProgress, Progress};
use crate::use_case;

pub use file::{MAX_COLUMNS, MAX_FILE_BYTES};
use mapping::Target;
pub use mapping::{ColumnSpec, Mapping, PRESETS, preset, suggest};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct ImportRequest {
    pub path: String,
    #[ts(optional)]
    pub preset: Option<String>,
    /// The mapping to apply; default: the preset's, else the one suggested from the headers.
    #[ts(optional)]
    pub mapping: Option<Mapping>,
    #[ts(optional)]
    pub sheet: Option<String>,
    #[ts(optional)]
    pub encoding: Option<String>,
    /// `,` `;` or `tab`.
    #[ts(optional)]
    pub delimiter: Option<String>,
    /// Import the valid rows and skip the others (default: refuse the whole file).
    pub skip_invalid: bool,
    /// Preview only: report, write nothing.
    pub dry_run: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct RowProblem {
    /// The row as a spreadsheet numbers it (the header is row 1 of a plain file).
    pub row: i32,
    pub column: String,
    pub value: String,
    pub why: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum RowAction {
    Create,
    Update,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct RowChange {
    pub row: i32,
    pub action: RowAction,
    pub title: String,
    /// The use case it updates.
    pub id: Option<String>,
    /// The fields it sets (creates) or changes (updates).
    pub fields: Vec<String>,
}

/// A value of the file's stage column, the stage it is read as (`null`: not a stage, so
/// its rows have a problem until the mapping's `values` say which stage it means) and how
/// many rows hold it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct StageValue {
    pub value: String,
    pub stage: Option<Stage>,
    pub rows: i32,
}

/// What an import did, or (dry run) would do.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ImportReport {
    pub file: String,
    pub sheets: Vec<String>,
    pub sheet: Option<String>,
    pub encoding: Option<String>,
    pub delimiter: Option<String>,
    pub headers: Vec<String>,
    /// The mapping applied, with every column of the file.
    pub mapping: Mapping,
    /// Where the mapping came from: `suggested`, `preset NAME` or `given`.
    pub mapping_from: String,
    pub rows: i32,
    pub created: i32,
    pub updated: i32,
    pub unchanged: i32,
    /// Rows with problems (skipped, or the reason nothing was imported).
    pub invalid: i32,
    /// The first problems (all of them up to 1,000).
    pub problems: Vec<RowProblem>,
    /// Things worth knowing that did not stop a row (repeated ids, stages left alone).
    pub notes: Vec<String>,
    /// The first changes (up to 1,000).
    pub changes: Vec<RowChange>,
    /// The distinct values of the stage column (the first 100), for mapping them.
    pub stage_values: Vec<StageValue>,
    pub applied: bool,
}

/// The file's rows, read and checked.
struct Read {
    parsed: Vec<Parsed>,
    problems: Vec<RowProblem>,
    notes: Vec<String>,
    rows: usize,
    stage_values: Vec<StageValue>,
}

const LISTED: usize = 1_000;

/// A row turned into what would be written.
struct Parsed {
    row: usize,
    fields: Vec<Field>,
    stage: Option<Stage>,
    owners: Vec<(OwnerRole, Option<String>)>,
    app_id: Option<String>,
    source_id: Option<String>,
    fallback: String,
    title: String,
}

/// One column's part in the import.
struct Plan {
    index: usize,
    header: String,
    target: Target,
    date: bool,
}

fn squash_key(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn delimiter(s: &str) -> Result<char> {
    match s {
        "," | "comma" => Ok(','),
        ";" | "semicolon" => Ok(';'),
        "\t" | "tab" | "\\t" => Ok('\t'),
        other => Err(Error::invalid(
            "delimiter",
            format!("the delimiter is `,` `;` or `tab`, not `{other}`"),
        )),
    }
}

fn short(s: &str) -> String {
    if s.chars().count() > 80 {
        format!("{}…", s.chars().take(80).collect::<String>())
    } else {
        s.to_owned()
    }
}

/// Reads, maps and matches the file; writes the valid rows unless this is a dry run.
pub async fn import(
    ctx: &Ctx,
    req: ImportRequest,
    progress: OnProgress,
    cancel: Cancel,
) -> Result<ImportReport> {
    let actor = ctx.actor().await?;
    let path = Path::new(&req.path);
    let shown = path
        .file_name()
        .map_or(req.path.clone(), |n| n.to_string_lossy().into_owned());
    let opts = file::Options {
        sheet: req.sheet.clone(),
        encoding: req.encoding.clone(),
        delimiter: req.delimiter.as_deref().map(delimiter).transpose()?,
    };
    let table = {
        let path = path.to_path_buf();
        tokio::task::spawn_blocking(move || file::open(&path, &opts))
            .await
            .map_err(|e| Error::io(format!("the import stopped unexpectedly: {e}")))??
    };

    let (mut mapping, mapping_from) = match (&req.mapping, &req.preset) {
        (Some(m), _) => (m.clone(), "given".to_owned()),
        (None, Some(p)) => (preset(p)?, format!("preset {p}")),
        (None, None) => (suggest(&table.headers), "suggested".to_owned()),
    };
    // The mapping the report shows names every column of this file, by its own header: a
    // mapping's key matches a header ignoring case, spacing and punctuation (so a preset
    // fits both the CSV and the XLSX spelling), and columns it does not name get the
    // suggested target (a known header spelling, else a custom attribute).
    let given = std::mem::take(&mut mapping.columns);
    let suggested = suggest(&table.headers).columns;
    for h in &table.headers {
        let key = value::squash(h);
        let spec = given
            .get(h)
            .or_else(|| {
                given
                    .iter()
                    .find(|(k, _)| value::squash(k) == key)
                    .map(|(_, v)| v)
            })
            .unwrap_or(&suggested[h])
            .clone();
        mapping.columns.insert(h.clone(), spec);
    }
    let plans = table
        .headers
        .iter()
        .enumerate()
        .map(|(index, h)| {
            let spec = &mapping.columns[h];
            let target = Target::parse(spec.target())
                .map_err(|e| Error::invalid("mapping", format!("column `{h}`: {}", e.message)))?;
            Ok(Plan {
                index,
                header: h.clone(),
                target,
                date: spec.is_date(),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    if !plans
        .iter()
        .any(|p| p.target == Target::Field("title".into()))
    {
        return Err(Error::invalid(
            "mapping",
            format!(
                "no column is mapped to the title; map one of {} to `title`",
                table.headers.join(", ")
            ),
        ));
    }
    let scope = mapping.id_scope.as_ref().and_then(|target| {
        table
            .headers
            .iter()
            .position(|h| mapping.columns[h].target() == target)
    });

    let mut report = ImportReport {
        file: req.path.clone(),
        sheets: table.sheets.clone(),
        sheet: table.sheet.clone(),
        encoding: table.encoding.clone(),
        delimiter: table.delimiter.map(|d| {
            if d == '\t' {
                "tab".into()
            } else {
                d.to_string()
            }
        }),
        headers: table.headers.clone(),
        mapping: mapping.clone(),
        mapping_from,
        rows: 0,
        created: 0,
        updated: 0,
        unchanged: 0,
        invalid: 0,
        problems: vec![],
        notes: vec![],
        changes: vec![],
        stage_values: vec![],
        applied: false,
    };

    // Parse every row (on a blocking thread: it is all CPU).
    let csv = table.kind == file::Kind::Csv;
    let Read {
        parsed,
        problems,
        notes,
        rows,
        stage_values,
    } = {
        let cancel = cancel.clone();
        let progress = progress.clone();
        let mapping = mapping.clone();
        tokio::task::spawn_blocking(move || {
            parse_rows(table.rows, &plans, &mapping, scope, csv, &progress, &cancel)
        })
        .await
        .map_err(|e| Error::io(format!("the import stopped unexpectedly: {e}")))??
    };
    report.rows = rows as i32;
    report.notes.extend(notes);
    report.stage_values = stage_values;
    let invalid_rows: std::collections::BTreeSet<usize> =
        problems.iter().map(|p| p.row as usize).collect();
    report.invalid = invalid_rows.len() as i32;
    report.problems = problems.into_iter().take(LISTED).collect();

    // Match against the store.
    let model = ctx.scoring_model().await?;
    let index: Vec<(String, Option<String>, String, String)> = sqlx::query_as(
        "SELECT id, source_id, business_unit, title FROM use_cases ORDER BY created_at, id",
    )
    .fetch_all(&ctx.store().read)
    .await?;
    let by_source: HashMap<&str, &str> = index
        .iter()
        .filter_map(|(id, s, _, _)| s.as_deref().map(|s| (s, id.as_str())))
        .collect();
    let ids: std::collections::HashSet<&str> = index.iter().map(|(id, ..)| id.as_str()).collect();
    let mut by_key: HashMap<String, std::collections::VecDeque<&str>> = HashMap::new();
    for (id, _, bu, title) in &index {
        by_key
            .entry(format!("{}\u{1f}{}", squash_key(bu), squash_key(title)))
            .or_default()
            .push_back(id.as_str());
    }

    let mut creates: Vec<Draft> = vec![];
    let mut updates: Vec<(use_case::UseCase, Parsed)> = vec![];
    let mut read = ctx.store().read.acquire().await?;
    for p in parsed
        .into_iter()
        .filter(|p| !invalid_rows.contains(&p.row))
    {
        let existing = match (&p.app_id, &p.source_id) {
            (Some(id), _) if ids.contains(id.as_str()) => Some(id.clone()),
            (_, Some(s)) => by_source.get(s.as_str()).map(|s| (*s).to_owned()),
            _ => by_key
                .get_mut(&p.fallback)
                .and_then(|q| q.pop_front())
                .map(str::to_owned),
        };
        match existing {
            None => {
                if report.changes.len() < LISTED {
                    report.changes.push(RowChange {
                        row: p.row as i32,
                        action: RowAction::Create,
                        title: p.title.clone(),
                        id: None,
                        fields: p.fields.iter().map(Field::name).collect(),
                    });
                }
                creates.push(Draft {
                    id: None,
                    created_at: None,
                    fields: p.fields,
                    scores: HashMap::new(),
                    owners: p
                        .owners
                        .into_iter()
                        .filter_map(|(r, e)| e.map(|e| (r, e)))
                        .collect(),
                    stage: p.stage,
                    left_stage: None,
                    source_id: p.source_id,
                    note: Some(format!("imported from {shown}, row {}", p.row)),
                });
            }
            Some(id) => {
                let uc = use_case::load(&mut read, &id, &model).await?;
                let mut changed: Vec<String> = p
                    .fields
                    .iter()
                    .filter(|f| use_case::differs(&uc, f))
                    .map(Field::name)
                    .collect();
                changed.extend(
                    p.owners
                        .iter()
                        .filter(|(r, e)| uc.owners.get(*r) != e.as_ref())
                        .map(|(r, _)| format!("owner.{}", r.as_str())),
                );
                if let Some(s) = p.stage.filter(|s| *s != uc.stage) {
                    report.notes.push(format!(
                        "row {}: the stage in the file ({}) differs from “{}”’s ({}); stages move through their gates in the app, so it was left alone",
                        p.row,
                        s.as_str(),
                        uc.title,
                        uc.stage.as_str()
                    ));
                }
                if changed.is_empty() {
                    report.unchanged += 1;
                } else {
                    if report.changes.len() < LISTED {
                        report.changes.push(RowChange {
                            row: p.row as i32,
                            action: RowAction::Update,
                            title: uc.title.clone(),
                            id: Some(id.clone()),
                            fields: changed,
                        });
                    }
                    updates.push((uc, p));
                }
            }
        }
    }
    drop(read);
    report.created = creates.len() as i32;
    report.updated = updates.len() as i32;
    if req.dry_run {
        return Ok(report);
    }
    if report.invalid > 0 && !req.skip_invalid {
        let details = report
            .problems
            .iter()
            .take(20)
            .map(|p| {
                format!(
                    "row {}, {}: `{}`: {}",
                    p.row,
                    p.column,
                    short(&p.value),
                    p.why
                )
            })
            .collect();
        return Err(Error::validation(format!(
            "{shown}: {} of {} rows have problems, so nothing was imported; fix them, or skip the invalid rows",
            report.invalid, report.rows
        ))
        .with_details(details));
    }

    let mut tx = ctx.store().begin().await?;
    let at = crate::now();
    let total = (creates.len() + updates.len()) as i32;
    let mut done = 0;
    for chunk in creates.chunks(500) {
        cancel.check("The import")?;
        intake::insert_many(&mut tx, chunk, &actor, &model, false, &at).await?;
        done += chunk.len() as i32;
        progress(Progress {
            phase: "Writing use cases".into(),
            done,
            total,
        });
    }
    let note = format!("import from {shown}");
    for (i, (uc, p)) in updates.iter().enumerate() {
        if i % 200 == 0 {
            cancel.check("The import")?;
        }
        use_case::update_in(&mut tx, uc, &p.fields, &p.owners, &actor, Some(&note)).await?;
        done += 1;
        if done % 200 == 0 || done == total {
            progress(Progress {
                phase: "Writing use cases".into(),
                done,
                total,
            });
        }
    }
    cancel.check("The import")?;
    tx.commit().await?;
    report.applied = true;
    Ok(report)
}

/// Turns raw rows into parsed rows and problems; counts rows.
fn parse_rows(
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

fn count_stage_value(values: &mut Vec<StageValue>, raw: &str, stage: Option<Stage>) {
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
