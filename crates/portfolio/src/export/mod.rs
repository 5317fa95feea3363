//! Leadership exports: the XLSX pack (Cover, Portfolio, Scoring, Matrix, By stage, By
//! business unit, Owners, Stage history) and the CSV of the Portfolio sheet, for the whole
//! portfolio or a filtered view.
//!
//! The store is read in one snapshot on the async side while a blocking thread writes the
//! file, so reading overlaps writing; rows stream through a small channel and are never
//! all in memory. The file appears under its name only when complete: a failed or
//! cancelled export leaves nothing behind and never clobbers an existing file.

mod columns;
mod csv_file;
mod pack;
mod rows;

use rows::{Batch, Cover};

use std::path::{Path, PathBuf};

use futures_util::TryStreamExt;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::ctx::Ctx;
use crate::error::{Error, Result};
use crate::settings::{self};
use crate::task::{Cancel, OnProgress, Progress};
use crate::view::Filters;

pub use columns::{ID as ID_HEADER, TITLE as TITLE_HEADER};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum ExportFormat {
    Xlsx,
    Csv,
}

impl ExportFormat {
    /// The format a file name asks for: `.csv` is CSV, anything else the XLSX pack.
    pub fn for_path(path: &Path) -> ExportFormat {
        match path.extension().and_then(|e| e.to_str()) {
            Some(e) if e.eq_ignore_ascii_case("csv") => ExportFormat::Csv,
            _ => ExportFormat::Xlsx,
        }
    }

    pub fn parse(s: &str) -> Result<ExportFormat> {
        match s {
            "xlsx" => Ok(ExportFormat::Xlsx),
            "csv" => Ok(ExportFormat::Csv),
            other => Err(Error::invalid(
                "format",
                format!("unknown export format `{other}`; formats are xlsx, csv"),
            )),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ExportRequest {
    pub path: String,
    /// Default: from the file's extension.
    #[serde(default)]
    #[ts(optional)]
    pub format: Option<ExportFormat>,
    #[serde(default)]
    pub filters: Filters,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ExportSummary {
    pub path: String,
    pub format: ExportFormat,
    pub use_cases: i32,
}

const BATCH: usize = 256;

/// The filters in words, for the Cover sheet.
pub fn describe(filters: &Filters) -> String {
    let mut parts = vec![];
    let mut add = |name: &str, values: Vec<String>| {
        if !values.is_empty() {
            parts.push(format!("{name}: {}", values.join(" or ")));
        }
    };
    add(
        "stage",
        filters.stage.iter().map(|s| s.label().to_owned()).collect(),
    );
    add("business unit", filters.business_unit.clone());
    add("owner", filters.owner.clone());
    add(
        "quadrant",
        filters
            .quadrant
            .iter()
            .map(|q| q.as_str().to_owned())
            .collect(),
    );
    add("tag", filters.tag.clone());
    add("pattern", filters.pattern.clone());
    add(
        "search",
        filters.search.iter().map(|s| format!("“{s}”")).collect(),
    );
    if filters.include_archived {
        parts.push("archived included".into());
    }
    if parts.is_empty() {
        "none: the whole portfolio".into()
    } else {
        parts.join("; ")
    }
}

/// Streams the rows of `queries`, in order, to the writer in batches; `false` when the
/// writer has stopped (its own error says why).
async fn send_batches<T>(
    conn: &mut sqlx::SqliteConnection,
    queries: Vec<(String, sqlx::sqlite::SqliteArguments)>,
    tx: &tokio::sync::mpsc::Sender<Batch>,
    cancel: &Cancel,
    wrap: fn(Vec<T>) -> Batch,
) -> Result<bool>
where
    T: for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow> + Send + Unpin,
{
    let mut batch = Vec::with_capacity(BATCH);
    for (sql, args) in queries {
        let mut stream =
            sqlx::query_as_with::<_, T, _>(sqlx::AssertSqlSafe(sql), args).fetch(&mut *conn);
        while let Some(r) = stream.try_next().await? {
            batch.push(r);
            if batch.len() == BATCH {
                cancel.check("The export")?;
                if tx.send(wrap(std::mem::take(&mut batch))).await.is_err() {
                    return Ok(false);
                }
            }
        }
    }
    Ok(batch.is_empty() || tx.send(wrap(batch)).await.is_ok())
}

async fn cover(ctx: &Ctx, filters: &Filters) -> Result<Cover> {
    let now = chrono::Utc::now();
    let by = match ctx.identity().await? {
        Some(i) => format!("{} <{}>", i.name, i.email),
        None => String::new(),
    };
    let prefs = settings::preferences(ctx).await?;
    Ok(Cover {
        generated_at: now.naive_utc(),
        today: now.date_naive(),
        by,
        filters: describe(filters),
        model: ctx.scoring_model().await?,
        currency: prefs.currency,
        date_format: prefs.date_format,
    })
}

/// The bench's yardstick: how long rust_xlsxwriter alone takes to write the Portfolio
/// cells of the whole portfolio to `path` from memory (reading the rows is not timed).
pub async fn writer_floor(ctx: &Ctx, path: &Path) -> Result<std::time::Duration> {
    let filters = Filters::default();
    let cover = cover(ctx, &filters).await?;
    let mut conn = ctx.store().read.acquire().await?;
    let figures = rows::figures(&mut conn, &filters).await?;
    let mut all: Vec<rows::ExportRow> = vec![];
    for (sql, args) in rows::rows_queries(&filters)? {
        all.extend(
            sqlx::query_as_with::<_, rows::ExportRow, _>(sqlx::AssertSqlSafe(sql), args)
                .fetch_all(&mut *conn)
                .await?,
        );
    }
    drop(conn);
    let path = path.to_path_buf();
    tokio::task::spawn_blocking(move || {
        let t = std::time::Instant::now();
        pack::portfolio_only(&path, &cover, &figures, &all)
            .map(|()| t.elapsed())
            .map_err(Error::from)
    })
    .await
    .map_err(|e| Error::io(format!("the writer stopped unexpectedly: {e}")))?
}

/// Writes the export; reports progress and stops (writing nothing) when cancelled.
pub async fn export(
    ctx: &Ctx,
    req: ExportRequest,
    progress: OnProgress,
    cancel: Cancel,
) -> Result<ExportSummary> {
    let path = PathBuf::from(&req.path);
    let format = req.format.unwrap_or_else(|| ExportFormat::for_path(&path));
    let part = crate::scratch::beside(&path, crate::scratch::EXPORT)?;

    let cover = cover(ctx, &req.filters).await?;

    // A small page cache for this one long read: the store's usual cache (sized for fast
    // views) would otherwise fill up with the whole portfolio as it streams past.
    let mut conn = ctx.store().read.acquire().await?;
    let cache: i64 = sqlx::query_scalar("PRAGMA cache_size")
        .fetch_one(&mut *conn)
        .await?;
    sqlx::query("PRAGMA cache_size = -2048")
        .execute(&mut *conn)
        .await?;
    let mut snapshot = sqlx::Connection::begin(&mut *conn).await?;
    let figures = rows::figures(&mut snapshot, &req.filters).await?;
    progress(Progress {
        phase: "Writing use cases".into(),
        done: 0,
        total: figures.total as i32,
    });
    let (tx, rx) = tokio::sync::mpsc::channel::<Batch>(8);
    let writer = {
        let (target, figures, progress, cancel) = (
            part.path().to_path_buf(),
            figures.clone(),
            progress.clone(),
            cancel.clone(),
        );
        tokio::task::spawn_blocking(move || match format {
            ExportFormat::Xlsx => {
                pack::write(&target, &cover, &figures, rx, &progress, &cancel).map_err(Error::from)
            }
            ExportFormat::Csv => csv_file::write(&target, &cover, &figures, rx, &progress, &cancel),
        })
    };
    let read = async {
        let rows = rows::rows_queries(&req.filters)?;
        if !send_batches(&mut snapshot, rows, &tx, &cancel, Batch::Rows).await? {
            return Ok(()); // the writer stopped; its error says why
        }
        if format == ExportFormat::Xlsx {
            let moves = vec![rows::history_query(&req.filters, false)?];
            send_batches(&mut snapshot, moves, &tx, &cancel, Batch::Moves).await?;
        }
        Ok::<(), Error>(())
    };
    let read = read.await;
    drop(tx);
    let written = writer
        .await
        .map_err(|e| Error::io(format!("the export stopped unexpectedly: {e}")))?;
    snapshot.rollback().await?;
    sqlx::query(sqlx::AssertSqlSafe(format!("PRAGMA cache_size = {cache}")))
        .execute(&mut *conn)
        .await?;
    read?;
    written?;
    cancel.check("The export")?;
    // The temporary file is private (0600); the export is an ordinary document.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(part.path(), std::fs::Permissions::from_mode(0o644))?;
    }
    part.persist(&path)
        .map_err(|e| Error::io(format!("cannot write {}: {}", path.display(), e.error)))?;
    Ok(ExportSummary {
        path: path.display().to_string(),
        format,
        use_cases: figures.total as i32,
    })
}
