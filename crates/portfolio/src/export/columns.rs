//! The columns of the Portfolio sheet (and of the CSV export, which is that sheet): one
//! list, so the two formats never drift apart and the importer recognises every header.

use std::borrow::Cow;

use chrono::{DateTime, NaiveDate, Utc};

use super::rows::ExportRow;

/// How a column's cells are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Text,
    /// A 0–100 score with one decimal.
    Score,
    Money,
    /// A calendar date (stored as an RFC 3339 timestamp).
    Date,
    Integer,
}

pub(crate) enum Cell<'a> {
    Text(Cow<'a, str>),
    Number(Option<f64>),
    Date(Option<NaiveDate>),
}

pub(crate) struct Column {
    pub header: String,
    pub kind: Kind,
    /// The widest a column grows to fit its values (long text wraps in the app, not here).
    pub max_width: f64,
}

/// Headers of the fixed columns; the importer maps these back to fields.
pub const TITLE: &str = "Title";
pub const ID: &str = "ID";

const FIXED: [(&str, Kind, f64); 29] = [
    (TITLE, Kind::Text, 50.0),
    ("Stage", Kind::Text, 18.0),
    ("Business unit", Kind::Text, 28.0),
    ("Problem", Kind::Text, 60.0),
    ("Solution", Kind::Text, 60.0),
    ("Proposer", Kind::Text, 32.0),
    ("Business owner", Kind::Text, 32.0),
    ("Technical owner", Kind::Text, 32.0),
    ("Data owner", Kind::Text, 32.0),
    ("Risk owner", Kind::Text, 32.0),
    ("Days in stage", Kind::Integer, 14.0),
    ("In stage since", Kind::Date, 14.0),
    ("Value score", Kind::Score, 12.0),
    ("Feasibility score", Kind::Score, 12.0),
    ("Priority", Kind::Score, 12.0),
    ("Quadrant", Kind::Text, 16.0),
    ("Expected annual benefit", Kind::Money, 20.0),
    ("Expected annual cost", Kind::Money, 20.0),
    ("Realised annual benefit", Kind::Money, 20.0),
    ("Data sources", Kind::Text, 40.0),
    ("Tags", Kind::Text, 30.0),
    ("Patterns", Kind::Text, 30.0),
    ("Risk tier", Kind::Text, 14.0),
    ("Archived", Kind::Text, 10.0),
    ("Source id", Kind::Text, 30.0),
    ("Created", Kind::Date, 14.0),
    ("Updated", Kind::Date, 14.0),
    ("Version", Kind::Integer, 10.0),
    (ID, Kind::Text, 38.0),
];

/// Index of the first score column (Value score) and of the title.
pub(crate) const SCORE_COLUMNS: [usize; 3] = [12, 13, 14];

/// The columns for a portfolio whose use cases carry these custom attributes (one column
/// each, headed by the attribute's name).
pub(crate) fn columns(attributes: &[String]) -> Vec<Column> {
    FIXED
        .iter()
        .map(|(h, kind, w)| Column {
            header: (*h).to_owned(),
            kind: *kind,
            max_width: *w,
        })
        .chain(attributes.iter().map(|a| Column {
            header: a.clone(),
            kind: Kind::Text,
            max_width: 40.0,
        }))
        .collect()
}

fn date(ts: &str) -> Option<NaiveDate> {
    DateTime::parse_from_rfc3339(ts)
        .ok()
        .map(|t| t.with_timezone(&Utc).date_naive())
}

/// One use case's cells, in column order.
pub(crate) fn cells<'a>(
    r: &'a ExportRow,
    attributes: &'a [String],
    today: NaiveDate,
) -> Vec<Cell<'a>> {
    let text = |s: &'a str| Cell::Text(Cow::Borrowed(s));
    let since = date(&r.stage_since);
    let days = since.map(|d| (today - d).num_days().max(0) as f64);
    let mut cells = vec![
        text(&r.title),
        text(&r.stage),
        text(&r.business_unit),
        text(&r.problem),
        text(&r.solution),
        text(r.proposer.as_deref().unwrap_or("")),
        text(r.owner_email("business")),
        text(r.owner_email("technical")),
        text(r.owner_email("data")),
        text(r.owner_email("risk")),
        Cell::Number(days),
        Cell::Date(since),
        Cell::Number(r.value_score),
        Cell::Number(r.feasibility_score),
        Cell::Number(r.priority),
        text(r.quadrant.as_deref().unwrap_or("")),
        Cell::Number(r.expected_benefit),
        Cell::Number(r.expected_cost),
        Cell::Number(r.realised_benefit),
        Cell::Text(r.data_sources.join(", ").into()),
        Cell::Text(r.tags.join(", ").into()),
        text(r.patterns.as_deref().unwrap_or("")),
        text(r.risk_tier.as_deref().unwrap_or("")),
        text(if r.archived { "yes" } else { "no" }),
        text(r.source_id.as_deref().unwrap_or("")),
        Cell::Date(date(&r.created_at)),
        Cell::Date(date(&r.updated_at)),
        Cell::Number(Some(f64::from(r.version))),
        text(&r.id),
    ];
    cells.extend(
        attributes
            .iter()
            .map(|a| text(r.attributes.get(a).map_or("", String::as_str))),
    );
    cells
}

/// Currency symbols Excel shows in front of the amount; other codes follow it.
pub(crate) fn money_format(currency: &str) -> String {
    let symbol = match currency {
        "USD" => Some("$"),
        "EUR" => Some("€"),
        "GBP" => Some("£"),
        "JPY" | "CNY" => Some("¥"),
        "INR" => Some("₹"),
        _ => None,
    };
    match symbol {
        Some(s) => format!("\"{s}\"#,##0"),
        None => format!("#,##0 \"{currency}\""),
    }
}
