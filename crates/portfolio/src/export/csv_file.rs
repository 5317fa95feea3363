//! The CSV export: the Portfolio sheet's columns, UTF-8 with a byte-order mark (so Excel
//! reads it as UTF-8), RFC 4180 quoting and CRLF line ends; text that would start a formula
//! is escaped (see `sheet_text`).

use std::io::Write;

use tokio::sync::mpsc::Receiver;

use super::columns::{self, Cell, Kind};
use super::rows::{Batch, Cover, Figures};
use crate::error::{Error, Result};
use crate::sheet_text;
use crate::task::{Cancel, OnProgress, Progress};

pub(crate) fn write(
    path: &std::path::Path,
    cover: &Cover,
    figures: &Figures,
    mut rx: Receiver<Batch>,
    progress: &OnProgress,
    cancel: &Cancel,
) -> Result<()> {
    let mut file = std::io::BufWriter::with_capacity(1 << 16, std::fs::File::create(path)?);
    file.write_all("\u{feff}".as_bytes())?;
    let mut out = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(file);
    let cols = columns::columns(&figures.attributes);
    out.write_record(cols.iter().map(|c| c.header.as_str()))
        .map_err(unwritten)?;
    let mut done = 0;
    let mut record: Vec<String> = Vec::with_capacity(cols.len());
    while let Some(batch) = rx.blocking_recv() {
        cancel.check("The export")?;
        let Batch::Rows(rows) = batch else { continue };
        for r in &rows {
            record.clear();
            for (cell, col) in columns::cells(r, &figures.attributes, cover.today)
                .into_iter()
                .zip(&cols)
            {
                record.push(match cell {
                    Cell::Text(s) => sheet_text::escape(&s).into_owned(),
                    Cell::Number(None) | Cell::Date(None) => String::new(),
                    Cell::Number(Some(n)) if col.kind == Kind::Integer => format!("{n:.0}"),
                    Cell::Number(Some(n)) => n.to_string(),
                    Cell::Date(Some(d)) => d.to_string(),
                });
            }
            out.write_record(&record).map_err(unwritten)?;
        }
        done += rows.len();
        progress(Progress {
            phase: "Writing use cases".into(),
            done: done as i32,
            total: figures.total as i32,
        });
    }
    cancel.check("The export")?;
    out.into_inner()
        .map_err(|e| Error::io(format!("the CSV file could not be written: {e}")))?
        .flush()?;
    Ok(())
}

fn unwritten(e: csv::Error) -> Error {
    Error::io(format!("the CSV file could not be written: {e}"))
}
