//! One sync with the registry over HTTP(S): push the outbox in pages, then pull what other
//! desktops did, page by page, until both are done. Every page is its own transaction, so
//! a sync cut off at any point leaves a consistent store and simply carries on next time.

use std::time::Duration;

use serde::Serialize;
use ts_rs::TS;

use super::wire::{Me, Problem, Rejection, SyncRequest, SyncResponse};
use super::{apply, mark_rejected, outbox, state};
use crate::Ctx;
use crate::error::{Error, ErrorCode, Result};

/// Changes per push: a page of the outbox and the registry's answer stay a few hundred KB.
const PUSH_PAGE: i64 = 500;
/// Changes per pull page.
const PULL_PAGE: u32 = 5_000;

/// What one sync did, as `sync --json` prints it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct SyncReport {
    pub pushed: usize,
    pub pulled: usize,
    /// Open conflicts after the sync.
    #[ts(type = "number")]
    pub conflicts: i64,
    /// Changes the registry refused in this sync.
    pub rejected: Vec<Rejection>,
    /// Changes from the registry this sync could not apply and set aside.
    pub set_aside: Vec<super::SetAside>,
}

/// How to reach the registry: its address and a token for it.
#[derive(Debug, Clone, serde::Deserialize, TS)]
#[ts(export)]
pub struct Registry {
    pub url: String,
    pub token: String,
}

/// One HTTP client per process: its connections stay open between syncs, so a sync on a
/// timer costs one request, not a new TLS handshake each time.
fn http() -> Result<reqwest::Client> {
    static CLIENT: std::sync::OnceLock<reqwest::Client> = std::sync::OnceLock::new();
    if let Some(c) = CLIENT.get() {
        return Ok(c.clone());
    }
    // rustls needs its cryptography chosen once per process; a second call is harmless.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let c = reqwest::Client::builder()
        .timeout(Duration::from_secs(60))
        .connect_timeout(Duration::from_secs(10))
        // The registry closes a connection idle for its header timeout (10 s by default):
        // let a connection go before then rather than send a request as the server closes it.
        .pool_idle_timeout(Duration::from_secs(5))
        .build()
        .map_err(|e| Error::io(format!("cannot start an HTTP client: {e}")))?;
    Ok(CLIENT.get_or_init(|| c).clone())
}

fn api(url: &str, path: &str) -> String {
    format!("{}/api/v1/{path}", url.trim_end_matches('/'))
}

fn unreachable(url: &str, e: &reqwest::Error) -> Error {
    let mut cause = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        cause = format!("{cause}: {s}");
        source = s.source();
    }
    Error::new(
        ErrorCode::Unreachable,
        format!("cannot reach the registry at {url}: {cause}"),
    )
}

/// The most an answer of the registry may hold once decompressed: a page of changes ends
/// before about 8 MB, so anything far larger is not the registry's API.
const MAX_ANSWER: usize = 64 << 20;

/// Reads an answer's body, refusing one larger than `MAX_ANSWER` before holding it all.
async fn read_body(url: &str, mut r: reqwest::Response) -> Result<Vec<u8>> {
    let mut body = Vec::new();
    while let Some(chunk) = r.chunk().await.map_err(|e| unreachable(url, &e))? {
        if body.len() + chunk.len() > MAX_ANSWER {
            return Err(Error::new(
                ErrorCode::Limit,
                format!(
                    "the registry at {url} answered more than {} MB, which no page of its API is; nothing was applied",
                    MAX_ANSWER >> 20
                ),
            ));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// Turns the registry's answer into a value, or into an error with its code and reason.
async fn answer<T: serde::de::DeserializeOwned>(url: &str, r: reqwest::Response) -> Result<T> {
    let status = r.status();
    let body = read_body(url, r).await?;
    if status.is_success() {
        return serde_json::from_slice(&body).map_err(|e| {
            Error::new(
                ErrorCode::Unreachable,
                format!("the registry at {url} answered something that is not its API: {e}"),
            )
        });
    }
    let problem: Option<Problem> = serde_json::from_slice(&body).ok();
    let message = problem
        .map(|p| p.message)
        .unwrap_or_else(|| format!("the registry answered {status}"));
    let code = match status.as_u16() {
        401 => ErrorCode::Unauthenticated,
        403 => ErrorCode::Forbidden,
        404 => ErrorCode::NotFound,
        400 | 422 => ErrorCode::Validation,
        413 => ErrorCode::Limit,
        _ => ErrorCode::Unreachable,
    };
    Err(Error::new(code, message))
}

/// How a sync reaches the registry: HTTP in the app and the CLI; tests put faults between.
pub trait Transport {
    /// Who the token belongs to.
    fn me(&self) -> impl Future<Output = Result<Me>> + Send;
    fn sync(&self, req: &SyncRequest) -> impl Future<Output = Result<SyncResponse>> + Send;
}

/// The registry over HTTP(S).
pub struct Http {
    client: reqwest::Client,
    url: String,
    token: String,
}

impl Http {
    pub fn new(registry: &Registry) -> Result<Http> {
        let url = registry.url.trim_end_matches('/').to_owned();
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            return Err(Error::invalid(
                "registry",
                format!(
                    "the registry address must start with https:// (or http:// on this machine): {url}"
                ),
            ));
        }
        Ok(Http {
            client: http()?,
            url,
            token: registry.token.clone(),
        })
    }
}

impl Transport for Http {
    async fn me(&self) -> Result<Me> {
        let r = self
            .client
            .get(api(&self.url, "me"))
            .bearer_auth(&self.token)
            .send()
            .await
            .map_err(|e| unreachable(&self.url, &e))?;
        answer(&self.url, r).await
    }

    async fn sync(&self, req: &SyncRequest) -> Result<SyncResponse> {
        let r = self
            .client
            .post(api(&self.url, "sync"))
            .bearer_auth(&self.token)
            .json(req)
            .send()
            .await
            .map_err(|e| unreachable(&self.url, &e))?;
        answer(&self.url, r).await
    }
}

/// Syncs this store with the registry over HTTP(S); the address is remembered.
pub async fn run(ctx: &Ctx, registry: &Registry) -> Result<SyncReport> {
    let http = Http::new(registry)?;
    run_with(ctx, &http, &http.url).await
}

/// Connects this desktop to a registry: the first sync proves the address and the token
/// (its user must be this desktop's identity); only then is the token saved, outside the
/// store (see `credential`).
pub async fn connect(ctx: &Ctx, registry: &Registry) -> Result<SyncReport> {
    let report = run(ctx, registry).await?;
    super::credential::save(registry.url.trim_end_matches('/'), &registry.token).await?;
    Ok(report)
}

/// The saved registry and its token, for a sync on demand or on a timer.
pub async fn saved(ctx: &Ctx) -> Result<Registry> {
    let url = state(&ctx.store().read)
        .await?
        .registry_url
        .ok_or_else(|| {
            Error::invalid(
                "registry",
                "this desktop is not connected to a registry yet: give its address and your token",
            )
        })?;
    let token = super::credential::load(&url).await?.ok_or_else(|| {
        Error::new(
            ErrorCode::Unauthenticated,
            format!("no token saved for {url}: give your token again"),
        )
    })?;
    Ok(Registry { url, token })
}

/// Syncs through any transport. The token's user must be this desktop's identity. The
/// outcome (when, or the error) is kept for the status line.
pub async fn run_with(ctx: &Ctx, t: &impl Transport, url: &str) -> Result<SyncReport> {
    let result = sync(ctx, t, url).await;
    let error = result.as_ref().err().map(|e| e.message.clone());
    let mut tx = ctx.store().begin().await?;
    sqlx::query("UPDATE sync_state SET last_error = ?1, last_sync_at = CASE WHEN ?1 IS NULL THEN ?2 ELSE last_sync_at END")
        .bind(&error)
        .bind(crate::now())
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    result
}

/// A token whose user made none of the changes waiting here cannot send them: said before
/// anything is sent or marked, and before the store is tied to that user, so the changes
/// go out when their author's token syncs.
async fn refuse_foreign(ctx: &Ctx, user: &str) -> Result<()> {
    let authors = super::pending_authors(&ctx.store().read).await?;
    if authors.is_empty() || authors.iter().any(|a| a == user) {
        return Ok(());
    }
    Err(Error::new(
        ErrorCode::Forbidden,
        format!(
            "the changes waiting on this desktop were made by {}, not {user}: sync with their token to send them (nothing was sent or marked)",
            authors.join(", ")
        ),
    ))
}

async fn sync(ctx: &Ctx, t: &impl Transport, url: &str) -> Result<SyncReport> {
    let here = state(&ctx.store().read).await?;
    let identity = ctx.identity().await?.map(|i| i.email);
    // The first sync asks whose token it is; after that the registry refuses any change
    // whose author is not the token's user, so a no-op sync stays one small request.
    if here.registry_user.is_none() || here.registry_user != identity {
        let me = t.me().await?;
        // The token must be this desktop's person's. A desktop whose person changed (in
        // Settings) syncs as the new one from now on; the other's edits wait for theirs.
        if identity.as_deref() != Some(me.user.as_str()) {
            let who = here
                .registry_user
                .or(identity)
                .unwrap_or_else(|| "nobody".into());
            return Err(Error::new(
                ErrorCode::Forbidden,
                format!(
                    "the token belongs to {}, but this desktop's identity is {who}; sync with your own token",
                    me.user
                ),
            ));
        }
        refuse_foreign(ctx, &me.user).await?;
        let mut tx = ctx.store().begin().await?;
        sqlx::query("UPDATE sync_state SET registry_user = ?")
            .bind(&me.user)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
    }
    if here.registry_url.as_deref() != Some(url) {
        let mut tx = ctx.store().begin().await?;
        sqlx::query("UPDATE sync_state SET registry_url = ?")
            .bind(url)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
    }

    let mut report = SyncReport::default();
    let started_at = here.cursor;
    // A desktop that has never synced starts from the registry's current state (the latest
    // change of each field) rather than replaying its whole history, until it has caught up.
    let mut compact = here.cursor == 0;
    // The next page of a long pull, asked for while this one is applied.
    let mut prefetched = None;
    loop {
        let here = state(&ctx.store().read).await?;
        let mut conn = ctx.store().read.acquire().await?;
        let user = here.registry_user.as_deref().unwrap_or_default();
        let changes = outbox(&mut conn, &here.desktop_id, user, PUSH_PAGE).await?;
        drop(conn);
        let pushing = changes.len();
        let resp = match prefetched.take() {
            // Something was edited meanwhile: it goes out with a fresh request instead.
            Some(r) if pushing == 0 => r,
            _ => {
                let req = SyncRequest {
                    after: here.cursor,
                    changes,
                    limit: Some(PULL_PAGE),
                    compact,
                    ..SyncRequest::default()
                };
                t.sync(&req).await?
            }
        };
        apply::accepted(ctx, &resp.accepted).await?;
        if !resp.rejected.is_empty() {
            let mut tx = ctx.store().begin().await?;
            mark_rejected(&mut tx, &resp.rejected).await?;
            tx.commit().await?;
        }
        report.pushed += resp.accepted.len();
        report.rejected.extend(resp.rejected);
        compact &= resp.more;
        if resp.more && pushing < PUSH_PAGE as usize {
            let next = SyncRequest {
                after: resp.next,
                limit: Some(PULL_PAGE),
                compact,
                ..SyncRequest::default()
            };
            let (applied, fetched) =
                tokio::join!(apply::page(ctx, &resp.changes, resp.next), t.sync(&next));
            report.pulled += applied?;
            prefetched = Some(fetched?);
            continue;
        }
        report.pulled += apply::page(ctx, &resp.changes, resp.next).await?;
        if pushing < PUSH_PAGE as usize && !resp.more {
            break;
        }
    }
    report.conflicts =
        sqlx::query_scalar("SELECT count(*) FROM sync_conflicts WHERE resolved_at IS NULL")
            .fetch_one(&ctx.store().read)
            .await?;
    report.set_aside = super::set_aside_after(&ctx.store().read, started_at).await?;
    Ok(report)
}
