//! The leadership pack: an XLSX workbook written with rust_xlsxwriter. The three sheets
//! that grow with the portfolio (Portfolio, Scoring, Owners) and the stage history are
//! constant-memory worksheets fed row by row as the rows arrive from the store, so memory
//! stays flat however large the portfolio is.

use chrono::NaiveDate;
use rust_xlsxwriter::{
    Chart, ChartLine, ChartLineDashType, ChartMarker, ChartType, Color,
    ConditionalFormat3ColorScale, ConditionalFormatType, Format, FormatAlign, FormatBorder,
    Formula, Table, TableColumn, TableStyle, Workbook, Worksheet,
};
use tokio::sync::mpsc::Receiver;

use super::columns::{self, Cell, Kind};
use super::rows::{ExportRow, Figures, Move};
use super::{Batch, Cover};
use crate::error::Result;
use crate::scoring::ScoringModel;
use crate::settings::DateFormat;
use crate::stage::Stage;
use crate::task::{Cancel, OnProgress, Progress};

const PORTFOLIO: &str = "Portfolio";
const SCORING: &str = "Scoring";
/// Rows above the Scoring sheet's data: weights, thresholds, header.
const SCORING_TOP: u32 = 3;

struct Formats {
    header: Format,
    date: Format,
    money: Format,
    score: Format,
    integer: Format,
    input: Format,
    label: Format,
    title: Format,
    note: Format,
}

impl Formats {
    fn new(currency: &str, date_format: DateFormat) -> Formats {
        let date = match date_format {
            DateFormat::Iso => "yyyy-mm-dd",
            DateFormat::DayMonthYear => "dd/mm/yyyy",
            DateFormat::MonthDayYear => "mm/dd/yyyy",
        };
        Formats {
            header: Format::new()
                .set_bold()
                .set_font_color(Color::White)
                .set_background_color(Color::RGB(0x1F3A5F))
                .set_border_bottom(FormatBorder::Thin)
                .set_align(FormatAlign::VerticalCenter),
            date: Format::new().set_num_format(date),
            money: Format::new().set_num_format(columns::money_format(currency)),
            score: Format::new().set_num_format("0.0"),
            integer: Format::new().set_num_format("0"),
            input: Format::new()
                .set_bold()
                .set_background_color(Color::RGB(0xFFF2CC))
                .set_border(FormatBorder::Thin),
            label: Format::new().set_bold(),
            title: Format::new().set_bold().set_font_size(18),
            note: Format::new()
                .set_italic()
                .set_font_color(Color::RGB(0x555555)),
        }
    }
}

/// Column letters for formulas (A, …, Z, AA, …).
fn col_name(col: u16) -> String {
    rust_xlsxwriter::utility::column_number_to_name(col)
}

/// Tracks how wide each column's values are, to size the columns to fit at the end.
struct Widths(Vec<f64>);

impl Widths {
    fn see(&mut self, col: usize, len: usize) {
        if let Some(w) = self.0.get_mut(col) {
            *w = w.max(len as f64);
        }
    }
}

pub(crate) fn write(
    path: &std::path::Path,
    cover: &Cover,
    figures: &Figures,
    mut rx: Receiver<Batch>,
    progress: &OnProgress,
    cancel: &Cancel,
) -> Result<()> {
    let f = Formats::new(&cover.currency, cover.date_format);
    let mut book = Workbook::new();
    let model = &cover.model;
    let cols = columns::columns(&figures.attributes);
    let total = figures.total;

    let mut portfolio = book.new_worksheet_with_constant_memory()?;
    portfolio.set_name(PORTFOLIO)?;
    start_portfolio(&mut portfolio, &cols, total, &f)?;
    let mut scoring = book.new_worksheet_with_constant_memory()?;
    scoring.set_name(SCORING)?;
    // An unscored row's formulas give "", and its cached result must say so too (the
    // writer's default cached result is 0, which a previewer would show as a score).
    scoring.set_formula_result_default("");
    let layout = ScoringLayout::new(model);
    start_scoring(&mut scoring, model, &layout, &f)?;
    let mut owners = book.new_worksheet_with_constant_memory()?;
    owners.set_name("Owners")?;
    let owner_headers = ["Use case", "Stage", "Role", "Name", "Email", "Use case ID"];
    write_header(&mut owners, &owner_headers, &f)?;
    let mut history = book.new_worksheet_with_constant_memory()?;
    history.set_name("Stage history")?;
    let history_headers = [
        "Date",
        "Use case",
        "From",
        "To",
        "By",
        "Note",
        "Use case ID",
    ];
    write_header(&mut history, &history_headers, &f)?;

    let mut widths = Widths(cols.iter().map(|c| c.header.len() as f64 + 2.0).collect());
    let mut row: u32 = 0;
    let mut owner_row: u32 = 0;
    let mut move_row: u32 = 0;
    let report = |done: u32, phase: &str, total: u32| {
        progress(Progress {
            phase: phase.into(),
            done: done as i32,
            total: total as i32,
        })
    };
    while let Some(batch) = rx.blocking_recv() {
        cancel.check("The export")?;
        match batch {
            Batch::Rows(rows) => {
                for r in &rows {
                    row += 1;
                    portfolio_row(
                        &mut portfolio,
                        row,
                        r,
                        &figures.attributes,
                        cover.today,
                        &f,
                        &mut widths,
                    )?;
                    scoring_row(&mut scoring, row - 1 + SCORING_TOP, r, model, &layout, &f)?;
                    for role in ["business", "technical", "data", "risk"] {
                        if let Some(o) = r.owners.get(role) {
                            owner_row += 1;
                            for (c, v) in [&r.title, &r.stage, role, &o.name, &o.email, &r.id]
                                .into_iter()
                                .enumerate()
                            {
                                owners.write_string(owner_row, c as u16, v)?;
                            }
                        }
                    }
                }
                report(row, "Writing use cases", total);
            }
            Batch::Moves(moves) => {
                for m in &moves {
                    move_row += 1;
                    history_row(&mut history, move_row, m, &f)?;
                }
                report(move_row, "Writing stage history", figures.moves);
            }
        }
    }
    cancel.check("The export")?;

    finish_portfolio(&mut portfolio, &cols, &widths, row)?;
    scoring.set_freeze_panes(SCORING_TOP, 1)?;
    scoring.autofilter(SCORING_TOP - 1, 0, SCORING_TOP - 1 + row, layout.id_col)?;
    for (c, w) in [50.0, 18.0, 30.0, 18.0, 12.0, 36.0].into_iter().enumerate() {
        owners.set_column_width(c as u16, w)?;
    }
    owners.set_freeze_panes(1, 0)?;
    owners.autofilter(0, 0, owner_row, 5)?;
    for (c, w) in [14.0, 50.0, 18.0, 18.0, 30.0, 50.0, 38.0]
        .into_iter()
        .enumerate()
    {
        history.set_column_width(c as u16, w)?;
    }
    history.set_freeze_panes(1, 0)?;
    history.autofilter(0, 0, move_row, 6)?;

    book.push_worksheet(cover_sheet(cover, figures, &f)?);
    book.push_worksheet(portfolio);
    book.push_worksheet(scoring);
    book.push_worksheet(matrix_sheet(figures, model, &layout, &f)?);
    book.push_worksheet(by_stage_sheet(figures, &f)?);
    book.push_worksheet(by_business_unit_sheet(figures, &f)?);
    book.push_worksheet(owners);
    book.push_worksheet(history);
    progress(Progress {
        phase: "Compressing the workbook".into(),
        done: 0,
        total: 0,
    });
    book.save(path)?;
    Ok(())
}

fn write_header(ws: &mut Worksheet, headers: &[&str], f: &Formats) -> Result<()> {
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &f.header)?;
    }
    Ok(())
}

fn start_portfolio(
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

fn portfolio_row(
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

fn finish_portfolio(
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
struct ScoringLayout {
    /// Columns of the value criteria, then of the feasibility criteria.
    value: (u16, u16),
    feasibility: (u16, u16),
    value_col: u16,
    feasibility_col: u16,
    priority_col: u16,
    quadrant_col: u16,
    id_col: u16,
}

impl ScoringLayout {
    fn new(model: &ScoringModel) -> ScoringLayout {
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
    fn axis_formula((first, last): (u16, u16), n: u32) -> String {
        let count = last - first + 1;
        let (a, b) = (col_name(first), col_name(last));
        format!(
            "=IF(COUNT({a}{n}:{b}{n})<{count},\"\",ROUND(SUMPRODUCT(${a}$1:${b}$1,{a}{n}:{b}{n}-1)/4*100/SUM(${a}$1:${b}$1),1))"
        )
    }
}

fn start_scoring(
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

fn cached(n: Option<f64>) -> String {
    n.map(|n| n.to_string()).unwrap_or_default()
}

fn scoring_row(
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

fn history_row(ws: &mut Worksheet, row: u32, m: &Move, f: &Formats) -> Result<()> {
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

fn cover_sheet(cover: &Cover, figures: &Figures, f: &Formats) -> Result<Worksheet> {
    let mut ws = Worksheet::new();
    ws.set_name("Cover")?;
    ws.set_column_width(0, 28.0)?;
    ws.set_column_width(1, 60.0)?;
    ws.write_string_with_format(0, 0, "AI use-case portfolio", &f.title)?;
    let lines: [(&str, String); 4] = [
        ("Generated", String::new()),
        ("By", cover.by.clone()),
        ("Filters", cover.filters.clone()),
        ("Scoring model", format!("version {}", cover.model.version)),
    ];
    for (i, (k, v)) in lines.iter().enumerate() {
        let r = 2 + i as u32;
        ws.write_string_with_format(r, 0, *k, &f.label)?;
        if i == 0 {
            let at = Format::new()
                .set_num_format("yyyy-mm-dd hh:mm \"UTC\"")
                .set_align(FormatAlign::Left);
            ws.write_datetime_with_format(r, 1, cover.generated_at, &at)?;
        } else {
            ws.write_string(r, 1, v)?;
        }
    }
    ws.write_string_with_format(7, 0, "Use cases", &f.label)?;
    ws.write_number_with_format(
        7,
        1,
        f64::from(figures.total),
        &f.integer.clone().set_align(FormatAlign::Left),
    )?;
    ws.write_string_with_format(8, 0, "Expected annual benefit", &f.label)?;
    ws.write_number_with_format(
        8,
        1,
        figures.benefit,
        &f.money.clone().set_align(FormatAlign::Left),
    )?;
    ws.write_string_with_format(10, 0, "Stage", &f.header)?;
    ws.write_string_with_format(10, 1, "Use cases", &f.header)?;
    let mut r = 11;
    for (stage, s) in &figures.by_stage {
        ws.write_string(r, 0, stage.label())?;
        ws.write_number_with_format(
            r,
            1,
            f64::from(s.count),
            &f.integer.clone().set_align(FormatAlign::Left),
        )?;
        r += 1;
    }
    r += 1;
    ws.write_string_with_format(r, 0, "Sheets", &f.label)?;
    for (name, what) in [
        (
            "Portfolio",
            "every use case with its fields, owners, stage and scores",
        ),
        (
            "Scoring",
            "criterion scores and live formulas: change a weight to re-rank",
        ),
        ("Matrix", "value against feasibility, one series per stage"),
        ("By stage", "counts and expected benefit per stage"),
        (
            "By business unit",
            "counts and expected benefit per business unit",
        ),
        ("Owners", "who owns what"),
        (
            "Stage history",
            "every stage move with date, actor and note",
        ),
    ] {
        r += 1;
        ws.write_string(r, 0, name)?;
        ws.write_string(r, 1, what)?;
    }
    Ok(ws)
}

fn matrix_sheet(
    figures: &Figures,
    model: &ScoringModel,
    layout: &ScoringLayout,
    f: &Formats,
) -> Result<Worksheet> {
    let mut ws = Worksheet::new();
    ws.set_name("Matrix")?;
    // The threshold lines' end points follow the thresholds on the Scoring sheet.
    let (v, fe) = (col_name(layout.value_col), col_name(layout.feasibility_col));
    let thr_v = format!("={SCORING}!${v}$2");
    let thr_f = format!("={SCORING}!${fe}$2");
    ws.write_string_with_format(0, 0, "Threshold lines", &f.label)?;
    ws.write_string_with_format(1, 0, "Feasibility", &f.header)?;
    ws.write_string_with_format(1, 1, "Value", &f.header)?;
    let (tv, tf) = (
        model.thresholds.value.to_string(),
        model.thresholds.feasibility.to_string(),
    );
    let points = [
        (Formula::new(&thr_f).set_result(&tf), Formula::new("=0")),
        (
            Formula::new(&thr_f).set_result(&tf),
            Formula::new("=100").set_result("100"),
        ),
        (Formula::new("=0"), Formula::new(&thr_v).set_result(&tv)),
        (
            Formula::new("=100").set_result("100"),
            Formula::new(&thr_v).set_result(&tv),
        ),
    ];
    for (i, (x, y)) in points.into_iter().enumerate() {
        ws.write_formula(2 + i as u32, 0, x)?;
        ws.write_formula(2 + i as u32, 1, y)?;
    }
    ws.set_column_width(0, 16.0)?;
    ws.set_column_width(1, 12.0)?;

    let mut chart = Chart::new(ChartType::Scatter);
    chart.title().set_name("Value against feasibility");
    chart
        .x_axis()
        .set_name("Feasibility")
        .set_min(0)
        .set_max(100);
    chart.y_axis().set_name("Value").set_min(0).set_max(100);
    let mut start = SCORING_TOP;
    for (stage, s) in &figures.by_stage {
        if s.scored > 0 {
            let end = start + s.scored - 1;
            chart
                .add_series()
                .set_name(stage.label())
                .set_categories((
                    SCORING,
                    start,
                    layout.feasibility_col,
                    end,
                    layout.feasibility_col,
                ))
                .set_values((SCORING, start, layout.value_col, end, layout.value_col));
        }
        start += s.count;
    }
    for (name, first) in [("Feasibility threshold", 2), ("Value threshold", 4)] {
        chart
            .add_series()
            .set_name(name)
            .set_categories(("Matrix", first, 0, first + 1, 0))
            .set_values(("Matrix", first, 1, first + 1, 1))
            .set_marker(ChartMarker::new().set_none())
            .set_format(
                ChartLine::new()
                    .set_color(Color::RGB(0x7F7F7F))
                    .set_dash_type(ChartLineDashType::Dash),
            );
    }
    chart.set_width(900).set_height(600);
    ws.insert_chart(0, 3, &chart)?;
    Ok(ws)
}

fn figure_sheet(
    name: &str,
    key: &str,
    rows: &[(String, u32, f64)],
    f: &Formats,
) -> Result<Worksheet> {
    let mut ws = Worksheet::new();
    ws.set_name(name)?;
    for (c, h) in [key, "Use cases", "Expected annual benefit"]
        .iter()
        .enumerate()
    {
        ws.write_string_with_format(0, c as u16, *h, &f.header)?;
    }
    for (i, (k, n, benefit)) in rows.iter().enumerate() {
        let r = 1 + i as u32;
        ws.write_string(r, 0, k)?;
        ws.write_number_with_format(r, 1, f64::from(*n), &f.integer)?;
        ws.write_number_with_format(r, 2, *benefit, &f.money)?;
    }
    ws.set_column_width(0, 28.0)?;
    ws.set_column_width(1, 12.0)?;
    ws.set_column_width(2, 24.0)?;
    let last = rows.len() as u32;
    if last > 0 {
        for (c, (title, kind), top) in [
            (1u16, ("Use cases", ChartType::Column), 0u32),
            (2, ("Expected annual benefit", ChartType::Column), 20),
        ] {
            let mut chart = Chart::new(kind);
            chart
                .title()
                .set_name(&format!("{title} by {}", key.to_lowercase()));
            chart
                .add_series()
                .set_name(title)
                .set_categories((name, 1, 0, last, 0))
                .set_values((name, 1, c, last, c));
            chart.legend().set_hidden();
            ws.insert_chart(top, 4, &chart)?;
        }
    }
    Ok(ws)
}

fn by_stage_sheet(figures: &Figures, f: &Formats) -> Result<Worksheet> {
    let rows: Vec<(String, u32, f64)> = figures
        .by_stage
        .iter()
        .map(|(s, x)| (s.label().to_owned(), x.count, x.benefit))
        .collect();
    figure_sheet("By stage", "Stage", &rows, f)
}

fn by_business_unit_sheet(figures: &Figures, f: &Formats) -> Result<Worksheet> {
    let rows: Vec<(String, u32, f64)> = figures
        .by_business_unit
        .iter()
        .map(|(bu, n, b)| {
            let bu = if bu.is_empty() { "(none)" } else { bu.as_str() };
            (bu.to_owned(), *n, *b)
        })
        .collect();
    figure_sheet("By business unit", "Business unit", &rows, f)
}

/// The writer's floor for the bench: rust_xlsxwriter alone writing the same Portfolio cells
/// as the pack (same formats, table, widths), from rows already in memory.
pub(crate) fn portfolio_only(
    path: &std::path::Path,
    cover: &Cover,
    figures: &Figures,
    rows: &[ExportRow],
) -> Result<()> {
    let f = Formats::new(&cover.currency, cover.date_format);
    let mut book = Workbook::new();
    let cols = columns::columns(&figures.attributes);
    let mut ws = book.new_worksheet_with_constant_memory()?;
    ws.set_name(PORTFOLIO)?;
    start_portfolio(&mut ws, &cols, rows.len() as u32, &f)?;
    let mut widths = Widths(cols.iter().map(|c| c.header.len() as f64 + 2.0).collect());
    for (i, r) in rows.iter().enumerate() {
        portfolio_row(
            &mut ws,
            i as u32 + 1,
            r,
            &figures.attributes,
            cover.today,
            &f,
            &mut widths,
        )?;
    }
    finish_portfolio(&mut ws, &cols, &widths, rows.len() as u32)?;
    book.push_worksheet(ws);
    book.save(path)?;
    Ok(())
}
