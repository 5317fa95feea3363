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
mod report;
mod rows;
pub mod value;

use std::collections::HashMap;
use std::path::Path;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::ctx::Ctx;
use crate::error::{Error, Result};
use crate::field::Field;
use crate::intake::{self, Draft};
use crate::task::{Cancel, OnProgress, Progress};
use crate::use_case;

pub use file::{MAX_COLUMNS, MAX_FILE_BYTES};
use mapping::Target;
pub use mapping::{ColumnSpec, Mapping, PRESETS, preset, suggest};
pub use report::{ImportReport, RowAction, RowChange, RowProblem, StageValue};
use rows::{LISTED, Parsed, Plan, Read, parse_rows, short, squash_key};

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
