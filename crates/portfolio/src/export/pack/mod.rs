//! The leadership pack: an XLSX workbook written with rust_xlsxwriter. The three sheets
//! that grow with the portfolio (Portfolio, Scoring, Owners) and the stage history are
//! constant-memory worksheets fed row by row as the rows arrive from the store, so memory
//! stays flat however large the portfolio is.

use rust_xlsxwriter::Workbook;
use tokio::sync::mpsc::Receiver;

use super::columns::{self};
use super::rows::{Batch, Cover, ExportRow, Figures};

use crate::task::{Cancel, OnProgress, Progress};

mod data;
mod sheet;
mod summary;

use data::*;
use sheet::*;
use summary::*;

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
