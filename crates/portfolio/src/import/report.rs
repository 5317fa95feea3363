//! What an import says it will do or did: each row's problems and changes, the stage values
//! it read and how, by row, column and value.

use serde::Serialize;
use ts_rs::TS;

use super::mapping::Mapping;
use crate::stage::Stage;

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
