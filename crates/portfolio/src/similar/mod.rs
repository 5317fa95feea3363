//! Similar use cases: TF-IDF vectors of each use case's title and of its whole text (title,
//! problem, solution), compared by cosine similarity through inverted indexes (0.6 × the
//! titles' + 0.4 × the texts'), so a team sees existing efforts while it types and the
//! portfolio's likely duplicates can be listed.
//!
//! The index is built from the store on first use and kept until a use case changes (its
//! key is the count and the latest update of the live use cases).

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::ctx::Ctx;
use crate::error::{Error, Result};

pub(crate) mod index;

pub use index::{Index, Similar};

pub const DEFAULT_LIMIT: usize = 5;
/// The similarity from which two use cases are listed as likely duplicates.
pub const DUPLICATE_AT: f64 = 0.6;

/// What a person is typing (a new use case, or an edit of `exclude`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Draft {
    pub title: String,
    #[serde(default)]
    pub problem: String,
    #[serde(default)]
    pub solution: String,
    /// The use case being edited, left out of its own results.
    #[serde(default)]
    #[ts(optional)]
    pub exclude: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub limit: Option<i32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct DuplicatePair {
    pub a: Similar,
    pub b: Similar,
    pub similarity: f64,
}

async fn key(ctx: &Ctx) -> Result<(i64, Option<String>)> {
    Ok(
        sqlx::query_as("SELECT COUNT(*), MAX(updated_at) FROM use_cases WHERE archived = 0")
            .fetch_one(&ctx.store().read)
            .await?,
    )
}

/// The index of the live use cases, built again only when one changed.
pub async fn index(ctx: &Ctx) -> Result<Arc<Index>> {
    let key = key(ctx).await?;
    let cache = ctx.similarity_cache();
    let mut slot = cache.lock().await;
    if let Some(ix) = slot.as_ref().filter(|ix| ix.key == key) {
        return Ok(ix.clone());
    }
    let rows: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT id, title, problem, solution FROM use_cases WHERE archived = 0 ORDER BY id",
    )
    .fetch_all(&ctx.store().read)
    .await?;
    let ix = Arc::new(
        tokio::task::spawn_blocking(move || Index::build(key, rows))
            .await
            .map_err(|e| Error::io(format!("building the similarity index stopped: {e}")))?,
    );
    *slot = Some(ix.clone());
    Ok(ix)
}

fn limit(n: Option<i32>) -> Result<usize> {
    match n {
        None => Ok(DEFAULT_LIMIT),
        Some(n) if (1..=100).contains(&n) => Ok(n as usize),
        Some(_) => Err(Error::invalid("limit", "the limit is between 1 and 100")),
    }
}

/// The use cases most like an existing one (archived ones left out).
pub async fn similar(ctx: &Ctx, id: &str, n: Option<i32>) -> Result<Vec<Similar>> {
    let limit = limit(n)?;
    let ix = index(ctx).await?;
    let Some(pos) = ix.ids.binary_search_by(|x| x.as_str().cmp(id)).ok() else {
        crate::use_case::get(ctx, id).await?; // not found, or archived
        return Err(Error::invalid(
            "id",
            "an archived use case is not compared; unarchive it first",
        ));
    };
    Ok(ix.rank(&ix.of(pos), Some(pos), limit))
}

/// The use cases most like what someone is typing.
pub async fn similar_to(ctx: &Ctx, draft: &Draft) -> Result<Vec<Similar>> {
    let limit = limit(draft.limit)?;
    let ix = index(ctx).await?;
    let query = ix.query(&draft.title, &draft.problem, &draft.solution);
    let exclude = draft
        .exclude
        .as_deref()
        .and_then(|id| ix.ids.binary_search_by(|x| x.as_str().cmp(id)).ok());
    Ok(ix.rank(&query, exclude, limit))
}

/// Likely duplicate pairs across the portfolio (similarity from `DUPLICATE_AT`), most
/// similar first.
pub async fn duplicates(ctx: &Ctx, at_least: f64, most: usize) -> Result<Vec<DuplicatePair>> {
    let ix = index(ctx).await?;
    let mut pairs = Vec::new();
    for d in 0..ix.ids.len() {
        for s in ix.rank(&ix.of(d), Some(d), 10) {
            let other = ix
                .ids
                .binary_search_by(|x| x.as_str().cmp(&s.id))
                .expect("ranked ids come from the index");
            // Each pair once: from its first use case.
            if s.similarity >= at_least && other > d {
                pairs.push(DuplicatePair {
                    similarity: s.similarity,
                    a: ix.similar(d, s.similarity),
                    b: s,
                });
            }
        }
    }
    pairs.sort_by(|x, y| {
        y.similarity
            .total_cmp(&x.similarity)
            .then_with(|| x.a.title.cmp(&y.a.title))
    });
    pairs.truncate(most);
    Ok(pairs)
}
