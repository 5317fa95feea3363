//! Reading the files people really have: CSV in UTF-8 (with or without a byte-order mark),
//! UTF-16 or Windows-1252, with `,` `;` or tab between fields; XLSX workbooks with several
//! sheets, title rows above the header, merged header cells, formulas (their cached values)
//! and dates stored as serial numbers. Rows stream; the limits below bound time and memory
//! whatever the file holds, and a file that is not a spreadsheet is named as such.

use std::fs::File;
use std::io::{BufReader, Read, Seek};
use std::path::Path;

use calamine::{DataRef, Reader, Xlsx};

use crate::error::{Error, ErrorCode, Result};

/// The largest file accepted (documented in the README).
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;
/// The most columns a row may have.
pub const MAX_COLUMNS: usize = 1_000;
/// The most rows a sheet may have (Excel's own limit).
pub const MAX_ROWS: usize = 1_048_576;
/// What a workbook may unpack to, in all, before it is treated as a zip bomb.
const MAX_UNPACKED_BYTES: u64 = 2 * 1024 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Csv,
    Xlsx,
}

/// A file's table: its header and an iterator over the rows below it, each with the row
/// number a spreadsheet would show.
pub(crate) struct Table {
    pub kind: Kind,
    pub headers: Vec<String>,
    pub rows: Box<dyn Iterator<Item = Result<(usize, Vec<String>)>> + Send>,
    pub sheets: Vec<String>,
    pub sheet: Option<String>,
    pub encoding: Option<String>,
    pub delimiter: Option<char>,
}

fn named(path: &Path, message: impl std::fmt::Display) -> Error {
    Error::new(
        ErrorCode::Validation,
        format!("{}: {message}", path.display()),
    )
    .with_field("file")
}

pub(crate) struct Options {
    pub sheet: Option<String>,
    pub encoding: Option<String>,
    pub delimiter: Option<char>,
}

pub(crate) fn open(path: &Path, opts: &Options) -> Result<Table> {
    let meta = std::fs::metadata(path)
        .map_err(|e| Error::not_found(format!("cannot read {}: {e}", path.display())))?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(Error::limit(format!(
            "{} is {} MB; files up to {} MB can be imported (split it, or save it as XLSX)",
            path.display(),
            meta.len() / (1024 * 1024),
            MAX_FILE_BYTES / (1024 * 1024)
        )));
    }
    let mut head = vec![0u8; 8192];
    let n = File::open(path)?.read(&mut head)?;
    head.truncate(n);
    if head.is_empty() {
        return Err(named(path, "the file is empty"));
    }
    if head.starts_with(b"PK\x03\x04") {
        return xlsx(path, opts);
    }
    if head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        let encrypted = utf16_contains(&head_of(path, 1 << 20)?, "EncryptionInfo");
        return Err(named(
            path,
            if encrypted {
                "the workbook is password-protected; save a copy without a password and import that"
            } else {
                "this is an old-style .xls workbook; save it as .xlsx or .csv and import that"
            },
        ));
    }
    csv_table(path, &head, opts)
}

fn head_of(path: &Path, n: u64) -> Result<Vec<u8>> {
    let mut buf = vec![];
    File::open(path)?.take(n).read_to_end(&mut buf)?;
    Ok(buf)
}

fn utf16_contains(bytes: &[u8], needle: &str) -> bool {
    let pattern: Vec<u8> = needle.encode_utf16().flat_map(u16::to_le_bytes).collect();
    bytes.windows(pattern.len()).any(|w| w == pattern)
}

/// The text encoding of a CSV file: its byte-order mark, else UTF-16 by its zero bytes,
/// else UTF-8 when the start is valid UTF-8, else Windows-1252.
fn sniff_encoding(head: &[u8]) -> &'static encoding_rs::Encoding {
    if head.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return encoding_rs::UTF_8;
    }
    if head.starts_with(&[0xFF, 0xFE]) {
        return encoding_rs::UTF_16LE;
    }
    if head.starts_with(&[0xFE, 0xFF]) {
        return encoding_rs::UTF_16BE;
    }
    let zeros_at = |parity: usize| {
        head.iter()
            .enumerate()
            .filter(|(i, b)| i % 2 == parity && **b == 0)
            .count()
    };
    let half = head.len() / 2;
    if half > 0 && zeros_at(1) * 10 > half * 8 {
        return encoding_rs::UTF_16LE;
    }
    if half > 0 && zeros_at(0) * 10 > half * 8 {
        return encoding_rs::UTF_16BE;
    }
    match std::str::from_utf8(head) {
        Ok(_) => encoding_rs::UTF_8,
        // A multi-byte character cut at the end of the sample is still UTF-8.
        Err(e) if e.error_len().is_none() => encoding_rs::UTF_8,
        Err(_) => encoding_rs::WINDOWS_1252,
    }
}

/// The delimiter of the first line: the most frequent of `,` `;` tab outside quotes.
fn sniff_delimiter(first_line: &str) -> char {
    let mut counts = [(',', 0), (';', 0), ('\t', 0)];
    let mut quoted = false;
    for c in first_line.chars() {
        if c == '"' {
            quoted = !quoted;
        } else if !quoted && let Some(x) = counts.iter_mut().find(|(d, _)| *d == c) {
            x.1 += 1;
        }
    }
    counts
        .iter()
        .max_by_key(|(_, n)| *n)
        .map_or(',', |(d, _)| *d)
}

fn csv_table(path: &Path, head: &[u8], opts: &Options) -> Result<Table> {
    let encoding = match opts.encoding.as_deref() {
        Some(label) => {
            encoding_rs::Encoding::for_label(label.trim().as_bytes()).ok_or_else(|| {
                Error::invalid(
                    "encoding",
                    format!("unknown encoding `{label}`; try utf-8, utf-16, windows-1252"),
                )
            })?
        }
        None => sniff_encoding(head),
    };
    let (sample, _, _) = encoding.decode(head);
    let sample = sample.trim_start_matches('\u{feff}');
    if sample.contains('\0') {
        return Err(named(
            path,
            "this is not a spreadsheet: import a CSV or XLSX file",
        ));
    }
    let delimiter = match opts.delimiter {
        Some(d) => d,
        None => sniff_delimiter(sample.lines().next().unwrap_or("")),
    };
    let decoded = encoding_rs_io::DecodeReaderBytesBuilder::new()
        .encoding(Some(encoding))
        .bom_override(true)
        .strip_bom(true)
        .build(BufReader::new(File::open(path)?));
    let reader = csv::ReaderBuilder::new()
        .delimiter(delimiter as u8)
        .has_headers(false)
        .flexible(true)
        .from_reader(decoded);
    let shown = path.display().to_string();
    let mut records = reader.into_records_limited(shown.clone());
    let headers = match records.next() {
        Some(r) => r?.1,
        None => return Err(named(path, "the file has no header row")),
    };
    Ok(Table {
        kind: Kind::Csv,
        headers,
        rows: Box::new(records),
        sheets: vec![],
        sheet: None,
        encoding: Some(encoding.name().to_owned()),
        delimiter: Some(delimiter),
    })
}

trait Limited {
    fn into_records_limited(
        self,
        file: String,
    ) -> Box<dyn Iterator<Item = Result<(usize, Vec<String>)>> + Send>;
}

impl<R: Read + Send + 'static> Limited for csv::Reader<R> {
    fn into_records_limited(
        self,
        file: String,
    ) -> Box<dyn Iterator<Item = Result<(usize, Vec<String>)>> + Send> {
        Box::new(self.into_records().enumerate().map(move |(i, r)| {
            let row = i + 1;
            let r =
                r.map_err(|e| Error::validation(format!("{file}: row {row} cannot be read: {e}")))?;
            if r.len() > MAX_COLUMNS {
                return Err(Error::limit(format!(
                    "{file}: row {row} has {} columns; at most {MAX_COLUMNS} can be imported",
                    r.len()
                )));
            }
            if row > MAX_ROWS {
                return Err(Error::limit(format!(
                    "{file}: more than {MAX_ROWS} rows; split the file"
                )));
            }
            Ok((row, r.iter().map(str::to_owned).collect()))
        }))
    }
}

/// Refuses a workbook whose parts would unpack to more than a sane total, before any of
/// it is unpacked (a zip bomb), and a damaged or truncated one by name.
fn check_zip(path: &Path) -> Result<()> {
    let file = BufReader::new(File::open(path)?);
    let mut zip = zip::ZipArchive::new(file).map_err(|e| {
        named(
            path,
            format!("the workbook is damaged or incomplete (truncated?): {e}"),
        )
    })?;
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let entry = zip
            .by_index_raw(i)
            .map_err(|e| named(path, format!("the workbook is damaged: {e}")))?;
        total = total.saturating_add(entry.size());
        let ratio = entry.size() / entry.compressed_size().max(1);
        if total > MAX_UNPACKED_BYTES || (entry.size() > 64 * 1024 * 1024 && ratio > 200) {
            return Err(Error::limit(format!(
                "{}: the workbook unpacks to far more than its size (a zip bomb?); it was not opened",
                path.display()
            )));
        }
    }
    Ok(())
}

fn xlsx(path: &Path, opts: &Options) -> Result<Table> {
    check_zip(path)?;
    let mut book: Xlsx<BufReader<File>> =
        calamine::open_workbook(path).map_err(|e: calamine::XlsxError| {
            named(path, format!("the workbook cannot be read: {e}"))
        })?;
    let sheets = book.sheet_names();
    let sheet = match opts.sheet.as_deref() {
        Some(s) => sheets.iter().find(|n| *n == s).cloned().ok_or_else(|| {
            Error::invalid(
                "sheet",
                format!(
                    "{}: no sheet `{s}`; its sheets are {}",
                    path.display(),
                    sheets.join(", ")
                ),
            )
        })?,
        None => sheets
            .first()
            .cloned()
            .ok_or_else(|| named(path, "the workbook has no sheets"))?,
    };
    let merged = book.merge_cells_by_sheet_name(&sheet).unwrap_or_default();
    let rows = read_rows(&mut book, &sheet, path)?;
    let (header_at, headers) = header_row(&rows, &merged);
    let rows = rows.into_iter().skip(header_at + 1).map(Ok);
    Ok(Table {
        kind: Kind::Xlsx,
        headers,
        rows: Box::new(rows),
        sheets,
        sheet: Some(sheet),
        encoding: None,
        delimiter: None,
    })
}

/// A cell as text: numbers without a trailing `.0`, dates as ISO 8601.
fn cell_text(d: &DataRef) -> String {
    match d {
        DataRef::Empty => String::new(),
        DataRef::String(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_owned(),
        DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        DataRef::Float(f) => f.to_string(),
        DataRef::Int(i) => i.to_string(),
        DataRef::Bool(b) => if *b { "TRUE" } else { "FALSE" }.into(),
        DataRef::DateTime(dt) => match dt.as_datetime() {
            Some(t) if t.time() == chrono::NaiveTime::MIN => t.date().to_string(),
            Some(t) => t.format("%Y-%m-%d %H:%M:%S").to_string(),
            None => dt.as_f64().to_string(),
        },
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::Error(_) => String::new(),
    }
}

/// Every non-empty row of the sheet with its number, read cell by cell so the limits
/// refuse an oversized sheet as its cells appear rather than after holding it whole.
fn read_rows<R: Read + Seek>(
    book: &mut Xlsx<R>,
    sheet: &str,
    path: &Path,
) -> Result<Vec<(usize, Vec<String>)>> {
    let mut cells = book
        .worksheet_cells_reader(sheet)
        .map_err(|e| named(path, format!("sheet `{sheet}` cannot be read: {e}")))?;
    let mut rows: Vec<(usize, Vec<String>)> = vec![];
    while let Some(cell) = cells
        .next_cell()
        .map_err(|e| named(path, format!("sheet `{sheet}` is damaged: {e}")))?
    {
        let (r, c) = cell.get_position();
        let (r, c) = (r as usize, c as usize);
        if c >= MAX_COLUMNS {
            return Err(Error::limit(format!(
                "{}: row {} has more than {MAX_COLUMNS} columns; at most {MAX_COLUMNS} can be imported",
                path.display(),
                r + 1
            )));
        }
        if r >= MAX_ROWS {
            return Err(Error::limit(format!(
                "{}: more than {MAX_ROWS} rows",
                path.display()
            )));
        }
        let text = cell_text(cell.get_value());
        if text.is_empty() {
            continue;
        }
        if rows.last().is_none_or(|(n, _)| *n != r + 1) {
            rows.push((r + 1, vec![]));
        }
        let row = &mut rows.last_mut().expect("pushed above").1;
        if row.len() <= c {
            row.resize(c + 1, String::new());
        }
        row[c] = text;
    }
    Ok(rows)
}

/// The header: the first row (of the first ten) with at least half as many filled cells as
/// the fullest of them, which skips title rows above it. A header cell inside a merged
/// region takes the region's text, numbered so every header stays distinct.
fn header_row(
    rows: &[(usize, Vec<String>)],
    merged: &[calamine::Dimensions],
) -> (usize, Vec<String>) {
    let filled = |r: &Vec<String>| r.iter().filter(|c| !c.trim().is_empty()).count();
    let most = rows
        .iter()
        .take(10)
        .map(|(_, r)| filled(r))
        .max()
        .unwrap_or(0);
    let at = rows
        .iter()
        .take(10)
        .position(|(_, r)| filled(r) * 2 >= most && filled(r) > 0)
        .unwrap_or(0);
    let Some((number, cells)) = rows.get(at) else {
        return (0, vec![]);
    };
    let row0 = (*number - 1) as u32;
    let mut headers = cells.clone();
    for d in merged {
        if d.start.0 <= row0 && row0 <= d.end.0 {
            let first = d.start.1 as usize;
            let text = rows
                .iter()
                .find(|(n, _)| *n == d.start.0 as usize + 1)
                .and_then(|(_, r)| r.get(first))
                .cloned()
                .unwrap_or_default();
            let last = d.end.1 as usize;
            if headers.len() <= last {
                headers.resize(last + 1, String::new());
            }
            for (i, c) in (first..=last).enumerate() {
                if headers[c].trim().is_empty() || c == first {
                    headers[c] = if i == 0 {
                        text.clone()
                    } else {
                        format!("{text} ({})", i + 1)
                    };
                }
            }
        }
    }
    for (i, h) in headers.iter_mut().enumerate() {
        if h.trim().is_empty() {
            *h = format!("column {}", i + 1);
        }
    }
    (at, headers)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings_are_recognised() {
        assert_eq!(sniff_encoding(b"\xEF\xBB\xBFa,b"), encoding_rs::UTF_8);
        assert_eq!(sniff_encoding("caf\u{e9},b".as_bytes()), encoding_rs::UTF_8);
        assert_eq!(sniff_encoding(b"caf\xE9,b"), encoding_rs::WINDOWS_1252);
        assert_eq!(sniff_encoding(b"\xFF\xFEa\0,\0"), encoding_rs::UTF_16LE);
        assert_eq!(sniff_encoding(b"a\0,\0b\0\r\0\n\0"), encoding_rs::UTF_16LE);
    }

    #[test]
    fn delimiters_are_recognised() {
        assert_eq!(sniff_delimiter("a;b;\"c,d\""), ';');
        assert_eq!(sniff_delimiter("a\tb\tc"), '\t');
        assert_eq!(sniff_delimiter("a,b"), ',');
    }
}
