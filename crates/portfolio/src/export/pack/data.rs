//! The data sheets that grow with the portfolio (Portfolio, Scoring, Owners, Stage history),
//! written row by row as the rows arrive.

use chrono::NaiveDate;
use rust_xlsxwriter::{
    ConditionalFormat3ColorScale, ConditionalFormatType, Formula, Table, TableColumn, TableStyle,
    Worksheet,
};

use crate::export::columns::{self, Cell, Kind};
use crate::export::rows::{ExportRow, Move};

use crate::scoring::ScoringModel;
use crate::stage::Stage;

use super::sheet::*;

pub(super) fn start_portfolio(
    ws: &mut Worksheet,
    cols: &[columns::Column],
    total: u32,
    f: &Formats,
) -> Result<()> {
    if total == 0 {
        // A table needs at least one row; an empty export still gets its header.
        let headers: Vec<&str> = cols.iter().map(|c| c.header.as_str()).collect();
        return write_header(ws, &headers, f);
    }
    let table_columns: Vec<TableColumn> = cols
        .iter()
        .map(|c| TableColumn::new().set_header(&c.header))
        .collect();
    let table = Table::new()
        .set_name("Portfolio")
        .set_style(TableStyle::Medium2)
        .set_columns(&table_columns);
    ws.add_table(0, 0, total, cols.len() as u16 - 1, &table)?;
    Ok(())
}

pub(super) fn portfolio_row(
    ws: &mut Worksheet,
    row: u32,
    r: &ExportRow,
    attributes: &[String],
    today: NaiveDate,
    f: &Formats,
    widths: &mut Widths,
) -> Result<()> {
    let kinds = columns::columns(&[]);
    for (c, cell) in columns::cells(r, attributes, today).into_iter().enumerate() {
        let col = c as u16;
        let kind = kinds.get(c).map_or(Kind::Text, |k| k.kind);
        match cell {
            Cell::Text(s) if !s.is_empty() => {
                widths.see(c, s.len());
                // A string cell: text that looks like a formula is never run as one.
                ws.write_string(row, col, s.as_ref())?;
            }
            Cell::Text(_) | Cell::Number(None) | Cell::Date(None) => {}
            Cell::Number(Some(n)) => {
                let format = match kind {
                    Kind::Money => &f.money,
                    Kind::Score => &f.score,
                    _ => &f.integer,
                };
                widths.see(c, if kind == Kind::Money { 14 } else { 6 });
                ws.write_number_with_format(row, col, n, format)?;
            }
            Cell::Date(Some(d)) => {
                ws.write_datetime_with_format(row, col, d, &f.date)?;
            }
        }
    }
    Ok(())
}

pub(super) fn finish_portfolio(
    ws: &mut Worksheet,
    cols: &[columns::Column],
    widths: &Widths,
    rows: u32,
) -> Result<()> {
    for (c, col) in cols.iter().enumerate() {
        let w = widths.0[c].clamp(8.0, col.max_width);
        ws.set_column_width(c as u16, w + 1.0)?;
    }
    ws.set_freeze_panes(1, 1)?;
    if rows > 0 {
        let scale = ConditionalFormat3ColorScale::new()
            .set_minimum(ConditionalFormatType::Number, 0)
            .set_midpoint(ConditionalFormatType::Number, 50)
            .set_maximum(ConditionalFormatType::Number, 100);
        for c in columns::SCORE_COLUMNS {
            ws.add_conditional_format(1, c as u16, rows, c as u16, &scale)?;
        }
    }
    Ok(())
}

/// Where each part of the Scoring sheet sits.
pub(super) struct ScoringLayout {
    /// Columns of the value criteria, then of the feasibility criteria.
    pub(super) value: (u16, u16),
    pub(super) feasibility: (u16, u16),
    pub(super) value_col: u16,
    pub(super) feasibility_col: u16,
    pub(super) priority_col: u16,
    pub(super) quadrant_col: u16,
    pub(super) id_col: u16,
}

impl ScoringLayout {
    pub(super) fn new(model: &ScoringModel) -> ScoringLayout {
        let first = 2u16;
        let nv = model.value.len() as u16;
        let nf = model.feasibility.len() as u16;
        let value_col = first + nv + nf;
        ScoringLayout {
            value: (first, first + nv - 1),
            feasibility: (first + nv, first + nv + nf - 1),
            value_col,
            feasibility_col: value_col + 1,
            priority_col: value_col + 2,
            quadrant_col: value_col + 3,
            id_col: value_col + 4,
        }
    }

    /// `=IF(COUNT(C4:F4)<4,"",ROUND(SUMPRODUCT($C$1:$F$1,C4:F4-1)/4*100/SUM($C$1:$F$1),1))`:
    /// the engine's formula (`scoring::ScoringModel::score`), over the weights in row 1.
    pub(super) fn axis_formula((first, last): (u16, u16), n: u32) -> String {
        let count = last - first + 1;
        let (a, b) = (col_name(first), col_name(last));
        format!(
            "=IF(COUNT({a}{n}:{b}{n})<{count},\"\",ROUND(SUMPRODUCT(${a}$1:${b}$1,{a}{n}:{b}{n}-1)/4*100/SUM(${a}$1:${b}$1),1))"
        )
    }
}

pub(super) fn start_scoring(
    ws: &mut Worksheet,
    model: &ScoringModel,
    layout: &ScoringLayout,
    f: &Formats,
) -> Result<()> {
    ws.write_string_with_format(0, 0, "Weight", &f.label)?;
    ws.write_string_with_format(
        0,
        1,
        "change a weight or a threshold: the scores, priority and quadrant follow",
        &f.note,
    )?;
    let criteria: Vec<_> = model.criteria().collect();
    for (i, (_, c)) in criteria.iter().enumerate() {
        ws.write_number_with_format(0, layout.value.0 + i as u16, c.weight, &f.input)?;
    }
    ws.write_string_with_format(1, 0, "Threshold", &f.label)?;
    ws.write_number_with_format(1, layout.value_col, model.thresholds.value, &f.input)?;
    ws.write_number_with_format(
        1,
        layout.feasibility_col,
        model.thresholds.feasibility,
        &f.input,
    )?;
    let mut headers: Vec<String> = vec!["Title".into(), "Stage".into()];
    headers.extend(criteria.iter().map(|(axis, c)| {
        let axis = match axis {
            crate::scoring::Axis::Value => "value",
            crate::scoring::Axis::Feasibility => "feasibility",
        };
        format!("{} ({axis})", c.name)
    }));
    headers.extend(
        [
            "Value score",
            "Feasibility score",
            "Priority",
            "Quadrant",
            "ID",
        ]
        .map(String::from),
    );
    let header_row = SCORING_TOP - 1;
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(header_row, c as u16, h, &f.header)?;
        let width = if c == 0 {
            50.0
        } else {
            (h.len() as f64 + 2.0).clamp(12.0, 24.0)
        };
        ws.set_column_width(c as u16, width)?;
    }
    ws.set_column_width(layout.id_col, 38.0)?;
    Ok(())
}

pub(super) fn cached(n: Option<f64>) -> String {
    n.map(|n| n.to_string()).unwrap_or_default()
}

pub(super) fn scoring_row(
    ws: &mut Worksheet,
    row: u32,
    r: &ExportRow,
    model: &ScoringModel,
    layout: &ScoringLayout,
    f: &Formats,
) -> Result<()> {
    ws.write_string(row, 0, &r.title)?;
    ws.write_string(row, 1, &r.stage)?;
    for (i, (_, c)) in model.criteria().enumerate() {
        if let Some(s) = r.scores.get(&c.slug) {
            ws.write_number(row, layout.value.0 + i as u16, f64::from(*s))?;
        }
    }
    let n = row + 1;
    let (v, fe) = (col_name(layout.value_col), col_name(layout.feasibility_col));
    // Each formula carries the app's number as its cached result, so a reader that does not
    // recalculate (a previewer, a script) still sees the same figures as the app.
    ws.write_formula_with_format(
        row,
        layout.value_col,
        Formula::new(ScoringLayout::axis_formula(layout.value, n))
            .set_result(cached(r.value_score)),
        &f.score,
    )?;
    ws.write_formula_with_format(
        row,
        layout.feasibility_col,
        Formula::new(ScoringLayout::axis_formula(layout.feasibility, n))
            .set_result(cached(r.feasibility_score)),
        &f.score,
    )?;
    ws.write_formula_with_format(
        row,
        layout.priority_col,
        Formula::new(format!(
            "=IF(OR({v}{n}=\"\",{fe}{n}=\"\"),\"\",ROUND(({v}{n}+{fe}{n})/2,1))"
        ))
        .set_result(cached(r.priority)),
        &f.score,
    )?;
    ws.write_formula(
        row,
        layout.quadrant_col,
        Formula::new(format!(
            "=IF(OR({v}{n}=\"\",{fe}{n}=\"\"),\"\",IF({v}{n}>=${v}$2,IF({fe}{n}>=${fe}$2,\"quick-win\",\"strategic-bet\"),IF({fe}{n}>=${fe}$2,\"fill-in\",\"deprioritise\")))"
        ))
        .set_result(r.quadrant.clone().unwrap_or_default()),
    )?;
    ws.write_string(row, layout.id_col, &r.id)?;
    Ok(())
}

pub(super) fn history_row(ws: &mut Worksheet, row: u32, m: &Move, f: &Formats) -> Result<()> {
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(&m.at) {
        ws.write_datetime_with_format(row, 0, t.naive_utc().date(), &f.date)?;
    }
    let label = |s: &Option<String>| {
        s.as_deref()
            .and_then(|s| Stage::parse(s).ok())
            .map_or("", Stage::label)
    };
    for (c, v) in [
        m.title.as_str(),
        label(&m.from_stage),
        label(&m.to_stage),
        m.actor.as_str(),
        m.note.as_deref().unwrap_or(""),
        m.use_case_id.as_str(),
    ]
    .into_iter()
    .enumerate()
    {
        if !v.is_empty() {
            ws.write_string(row, c as u16 + 1, v)?;
        }
    }
    Ok(())
}
