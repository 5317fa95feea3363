//! Exports (the leadership pack, CSV) and imports of spreadsheets.

use std::path::PathBuf;

use clap::Subcommand;
use portfolio::{Ctx, Error, Result};

use super::FilterArgs;
use crate::output;

#[derive(Subcommand)]
pub enum Command {
    /// Write the leadership pack (XLSX) or the Portfolio sheet as CSV, for all or a filtered view
    Export {
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// xlsx or csv (default: from the file's extension)
        #[arg(long, value_name = "FORMAT")]
        format: Option<String>,
        #[command(flatten)]
        filters: FilterArgs,
        #[arg(long)]
        json: bool,
    },
    /// Import use cases from a CSV or XLSX file (re-importing updates instead of duplicating)
    Import {
        file: PathBuf,
        /// A built-in mapping: omb-2025 (the U.S. federal AI use-case inventory)
        #[arg(long, value_name = "NAME")]
        preset: Option<String>,
        /// A mapping file (JSON; see the README); default: the preset's, else suggested from the headers
        #[arg(long, value_name = "FILE")]
        mapping: Option<PathBuf>,
        /// The sheet of a workbook (default: the first)
        #[arg(long, value_name = "NAME")]
        sheet: Option<String>,
        /// The text encoding of a CSV file (default: detected): utf-8, utf-16, windows-1252, …
        #[arg(long, value_name = "E")]
        encoding: Option<String>,
        /// The field delimiter of a CSV file (default: detected): , ; or tab
        #[arg(long, value_name = "D")]
        delimiter: Option<String>,
        /// Import the valid rows and skip the invalid ones (default: refuse the whole file)
        #[arg(long)]
        skip_invalid: bool,
        /// Show what would be created, changed and skipped; write nothing
        #[arg(long)]
        dry_run: bool,
        #[arg(long)]
        json: bool,
    },
}

pub async fn run(ctx: Ctx, command: Command) -> Result<()> {
    match command {
        Command::Export {
            out,
            format,
            filters,
            json,
        } => {
            let req = portfolio::export::ExportRequest {
                path: out.display().to_string(),
                format: format
                    .as_deref()
                    .map(portfolio::export::ExportFormat::parse)
                    .transpose()?,
                filters: filters.into_filters()?,
            };
            let cancel = portfolio::task::Cancel::default();
            let done = portfolio::export::export(&ctx, req, portfolio::task::no_progress(), cancel)
                .await?;
            if json {
                output::json(&done)
            } else {
                println!("exported {} use cases to {}", done.use_cases, done.path);
            }
        }
        Command::Import {
            file,
            preset,
            mapping,
            sheet,
            encoding,
            delimiter,
            skip_invalid,
            dry_run,
            json,
        } => {
            let mapping = match mapping {
                Some(m) => {
                    let text = std::fs::read_to_string(&m).map_err(|e| {
                        Error::not_found(format!("cannot read the mapping {}: {e}", m.display()))
                    })?;
                    Some(
                        serde_json::from_str(&text).map_err(|e| {
                            Error::invalid("mapping", format!("{}: {e}", m.display()))
                        })?,
                    )
                }
                None => None,
            };
            let req = portfolio::import::ImportRequest {
                path: file.display().to_string(),
                preset,
                mapping,
                sheet,
                encoding,
                delimiter,
                skip_invalid,
                dry_run,
            };
            let report = portfolio::import::import(
                &ctx,
                req,
                portfolio::task::no_progress(),
                portfolio::task::Cancel::default(),
            )
            .await?;
            if json {
                output::json(&report)
            } else {
                output::import(&report)
            }
        }
    }
    Ok(())
}
