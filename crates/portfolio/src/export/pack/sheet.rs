//! What every sheet of the pack shares: its formats (currency, dates, percentages), column
//! widths as the rows arrive, column letters, the header row, and the writer's errors.

use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Worksheet};

use crate::error::Error;
use crate::export::columns::{self};

use crate::settings::DateFormat;

/// What writing the pack can fail with: the workbook writer, or the export itself (the
/// person cancelled). The export turns it into the engine's error at its boundary.
#[derive(Debug)]
pub(crate) enum Failure {
    Writer(rust_xlsxwriter::XlsxError),
    Export(Error),
}

impl From<rust_xlsxwriter::XlsxError> for Failure {
    fn from(e: rust_xlsxwriter::XlsxError) -> Self {
        Failure::Writer(e)
    }
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        Failure::Export(e)
    }
}

impl From<Failure> for Error {
    fn from(f: Failure) -> Self {
        match f {
            Failure::Writer(e) => Error::io(format!("the workbook could not be written: {e}")),
            Failure::Export(e) => e,
        }
    }
}

pub(super) type Result<T, E = Failure> = std::result::Result<T, E>;
pub(super) const PORTFOLIO: &str = "Portfolio";
pub(super) const SCORING: &str = "Scoring";
/// Rows above the Scoring sheet's data: weights, thresholds, header.
pub(super) const SCORING_TOP: u32 = 3;

pub(super) struct Formats {
    pub(super) header: Format,
    pub(super) date: Format,
    pub(super) money: Format,
    pub(super) score: Format,
    pub(super) integer: Format,
    pub(super) input: Format,
    pub(super) label: Format,
    pub(super) title: Format,
    pub(super) note: Format,
}

impl Formats {
    pub(super) fn new(currency: &str, date_format: DateFormat) -> Formats {
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
pub(super) fn col_name(col: u16) -> String {
    rust_xlsxwriter::utility::column_number_to_name(col)
}

/// Tracks how wide each column's values are, to size the columns to fit at the end.
pub(super) struct Widths(pub(super) Vec<f64>);

impl Widths {
    pub(super) fn see(&mut self, col: usize, len: usize) {
        if let Some(w) = self.0.get_mut(col) {
            *w = w.max(len as f64);
        }
    }
}

pub(super) fn write_header(ws: &mut Worksheet, headers: &[&str], f: &Formats) -> Result<()> {
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &f.header)?;
    }
    Ok(())
}
