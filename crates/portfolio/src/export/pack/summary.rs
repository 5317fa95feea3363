//! The summary sheets: the Cover, the matrix with its chart, and the figures by stage and by
//! business unit.

use rust_xlsxwriter::{
    Chart, ChartLine, ChartLineDashType, ChartMarker, ChartType, Color, Format, FormatAlign,
    Formula, Worksheet,
};

use crate::export::rows::{Cover, Figures};

use crate::scoring::ScoringModel;

use super::data::ScoringLayout;
use super::sheet::*;

pub(super) fn cover_sheet(cover: &Cover, figures: &Figures, f: &Formats) -> Result<Worksheet> {
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

pub(super) fn matrix_sheet(
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

pub(super) fn figure_sheet(
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

pub(super) fn by_stage_sheet(figures: &Figures, f: &Formats) -> Result<Worksheet> {
    let rows: Vec<(String, u32, f64)> = figures
        .by_stage
        .iter()
        .map(|(s, x)| (s.label().to_owned(), x.count, x.benefit))
        .collect();
    figure_sheet("By stage", "Stage", &rows, f)
}

pub(super) fn by_business_unit_sheet(figures: &Figures, f: &Formats) -> Result<Worksheet> {
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
