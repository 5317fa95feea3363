//! `portfolio-sync-bench`: the sync targets measured on this machine, over real HTTP on
//! loopback against a fresh SQLite registry (nothing of yours is touched).

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use portfolio::sync::client::{self, Http, Registry, Transport};
use portfolio::sync::wire::{SyncRequest, WireChange};
use portfolio::{Ctx, Identity, OpenMode};
use serde::Serialize;
use serde_json::json;

use portfolio_registry::role::Role;
use portfolio_registry::token::Principal;
use portfolio_registry::{ApiError, Listen, Store};

#[derive(Debug, Clone)]
pub struct Options {
    pub use_cases: usize,
    pub writers: usize,
    pub concurrent: usize,
    pub seconds: f64,
}

#[derive(Debug, Serialize)]
pub struct Latency {
    pub requests: usize,
    pub per_second: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub errors: usize,
}

#[derive(Debug, Serialize)]
pub struct Report {
    pub use_cases: usize,
    /// Changes pushed straight into the store to build the registry (set-up, for scale).
    pub fill_changes_per_second: f64,
    /// A new desktop's first sync of the whole registry, applying it included.
    pub first_sync_seconds: f64,
    /// Of which fetching the snapshot over HTTP (the rest is applying it).
    pub first_sync_transfer_seconds: f64,
    pub first_sync_use_cases: i32,
    /// A sync with nothing to push or pull: the desktop's whole `sync`, one request.
    pub noop: Latency,
    /// The no-op sync's answer on the wire: status line, headers and body.
    pub noop_response_bytes: usize,
    /// Writers each pushing one single-field change per request.
    pub writers: Latency,
    /// Clients syncing at once (each pulls, and pushes one change every fifth sync).
    pub concurrent: Latency,
}

fn bench_err(e: impl std::fmt::Display) -> ApiError {
    ApiError::internal(format!("bench: {e}"))
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn latency(mut ms: Vec<f64>, elapsed: Duration, errors: usize) -> Latency {
    ms.sort_by(f64::total_cmp);
    Latency {
        requests: ms.len(),
        per_second: ms.len() as f64 / elapsed.as_secs_f64(),
        p50_ms: percentile(&ms, 0.50),
        p99_ms: percentile(&ms, 0.99),
        errors,
    }
}

fn user(n: usize) -> String {
    format!("bench{n}@example.org")
}

fn change(
    kind: &str,
    id: &str,
    field: Option<&str>,
    new: serde_json::Value,
    by: &str,
) -> WireChange {
    WireChange {
        id: uuid::Uuid::now_v7().to_string(),
        entity: "use_case".into(),
        entity_id: id.into(),
        use_case_id: Some(id.into()),
        kind: kind.into(),
        field: field.map(str::to_owned),
        old: None,
        new: Some(new),
        note: None,
        actor: by.into(),
        at: portfolio::now(),
        base: 0,
        origin: format!("bench-{by}"),
    }
}

const UNITS: [&str; 6] = ["Finance", "Operations", "Customer", "HR", "Legal", "IT"];

/// Builds a registry of `n` use cases (each created with its fields, scores and an owner,
/// and every other one edited since), straight through the store.
async fn fill(store: &Store, n: usize) -> Result<(Vec<String>, f64), ApiError> {
    let who = Principal {
        token_id: "bench".into(),
        user: user(0),
        role: Role::PortfolioLead,
    };
    let started = Instant::now();
    let mut ids = Vec::with_capacity(n);
    let mut batch = Vec::new();
    let mut pushed = 0usize;
    for i in 0..n {
        let id = uuid::Uuid::now_v7().to_string();
        let snapshot = json!({
            "title": format!("Use case {i}: document extraction for {}", UNITS[i % 6]),
            "problem": "Invoices are keyed by hand and wait days for approval.",
            "business_unit": UNITS[i % 6],
            "stage": "idea",
            "scores": {"strategic-fit": 1 + i % 5, "reach": 1 + (i / 5) % 5},
            "owner.business": format!("owner{}@example.org", i % 500),
        });
        batch.push(change("create", &id, None, snapshot, &who.user));
        if i % 2 == 0 {
            batch.push(change(
                "field",
                &id,
                Some("expected_benefit"),
                json!(1000.0 * i as f64),
                &who.user,
            ));
        }
        ids.push(id);
        if batch.len() >= 1000 || i + 1 == n {
            pushed += batch.len();
            store.push(&who, &batch).await?;
            batch.clear();
        }
    }
    Ok((ids, pushed as f64 / started.elapsed().as_secs_f64()))
}

async fn desktop(dir: &std::path::Path, n: usize) -> Result<Ctx, ApiError> {
    let ctx = Ctx::open(&dir.join(format!("desktop{n}.db")), OpenMode::Create)
        .await
        .map_err(bench_err)?;
    portfolio::person::set_identity(
        &ctx,
        Identity {
            name: format!("Bench {n}"),
            email: user(n),
        },
    )
    .await
    .map_err(bench_err)?;
    Ok(ctx)
}

/// Runs `clients` tasks for `seconds`, each calling `step(client, i)`; collects latencies.
async fn load<F, Fut>(clients: usize, seconds: f64, step: F) -> Latency
where
    F: Fn(usize, usize) -> Fut + Send + Sync + Clone + 'static,
    Fut: std::future::Future<Output = bool> + Send,
{
    let started = Instant::now();
    let until = started + Duration::from_secs_f64(seconds);
    let mut tasks = Vec::new();
    for c in 0..clients {
        let step = step.clone();
        tasks.push(tokio::spawn(async move {
            let (mut ms, mut errors, mut i) = (Vec::new(), 0usize, 0usize);
            while Instant::now() < until {
                let t = Instant::now();
                if step(c, i).await {
                    ms.push(t.elapsed().as_secs_f64() * 1e3);
                } else {
                    errors += 1;
                }
                i += 1;
            }
            (ms, errors)
        }));
    }
    let (mut all, mut errors) = (Vec::new(), 0);
    for t in tasks {
        let (ms, e) = t.await.unwrap_or_default();
        all.extend(ms);
        errors += e;
    }
    latency(all, started.elapsed(), errors)
}

pub async fn run(o: Options) -> Result<Report, ApiError> {
    let dir = tempfile::TempDir::new().map_err(bench_err)?;
    let url = format!("sqlite://{}", dir.path().join("registry.db").display());
    let store = Store::open(&url).await?;
    let clients = o.writers.max(o.concurrent);
    let mut tokens = Vec::new();
    for n in 0..clients.max(1) {
        tokens.push(
            store
                .create_token(&user(n), Role::PortfolioLead, None)
                .await?
                .token,
        );
    }
    let (ids, fill_rate) = fill(&store, o.use_cases).await?;

    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let (bound_tx, bound) = tokio::sync::oneshot::channel::<SocketAddr>();
    let server = tokio::spawn(portfolio_registry::serve(
        store.clone(),
        Listen {
            addr: "127.0.0.1:0".parse().map_err(bench_err)?,
            tls: None,
            limits: Default::default(),
        },
        async {
            let _ = stopped.await;
        },
        move |addr, _| {
            let _ = bound_tx.send(addr);
        },
    ));
    let base = format!("http://{}", bound.await.map_err(bench_err)?);
    let registry = |n: usize| Registry {
        url: base.clone(),
        token: tokens[n].clone(),
    };

    // The first sync's transfer alone: every snapshot page, nothing applied.
    let started = Instant::now();
    let transfer = Http::new(&registry(0)).map_err(bench_err)?;
    let mut after = 0;
    loop {
        let page = transfer
            .sync(&SyncRequest {
                after,
                limit: Some(2_000),
                compact: true,
                ..Default::default()
            })
            .await
            .map_err(bench_err)?;
        after = page.next;
        if !page.more {
            break;
        }
    }
    let first_sync_transfer_seconds = started.elapsed().as_secs_f64();

    // A new desktop's first sync.
    let d0 = desktop(dir.path(), 0).await?;
    let started = Instant::now();
    client::run(&d0, &registry(0)).await.map_err(bench_err)?;
    let first_sync_seconds = started.elapsed().as_secs_f64();
    let first_sync_use_cases = portfolio::view::list(&d0, Default::default())
        .await
        .map_err(bench_err)?
        .total;

    // No-op syncs: the desktop is caught up.
    let mut ms = Vec::new();
    let started = Instant::now();
    for _ in 0..300 {
        let t = Instant::now();
        client::run(&d0, &registry(0)).await.map_err(bench_err)?;
        ms.push(t.elapsed().as_secs_f64() * 1e3);
    }
    let noop = latency(ms, started.elapsed(), 0);
    let caught_up = store.head().await?;
    let raw = reqwest::Client::new()
        .post(format!("{base}/api/v1/sync"))
        .bearer_auth(&tokens[0])
        .json(&SyncRequest {
            after: caught_up,
            ..Default::default()
        })
        .send()
        .await
        .map_err(bench_err)?;
    let headers: usize = raw
        .headers()
        .iter()
        .map(|(k, v)| k.as_str().len() + 2 + v.len() + 2)
        .sum();
    let noop_response_bytes =
        "HTTP/1.1 200 OK\r\n".len() + headers + 2 + raw.bytes().await.map_err(bench_err)?.len();

    // Writers: one single-field change per request, each on its own use cases.
    let http: Vec<std::sync::Arc<Http>> = (0..clients.max(1))
        .map(|n| Http::new(&registry(n)).map(std::sync::Arc::new))
        .collect::<Result<_, _>>()
        .map_err(bench_err)?;
    let ids = std::sync::Arc::new(ids);
    let writers = {
        let (http, ids) = (http.clone(), ids.clone());
        load(o.writers, o.seconds, move |c, i| {
            let (http, ids) = (http[c].clone(), ids.clone());
            async move {
                let id = &ids[(c * 997 + i) % ids.len()];
                let req = SyncRequest {
                    after: i64::MAX / 2,
                    changes: vec![change(
                        "field",
                        id,
                        Some("title"),
                        json!(format!("Edit {i} by {c}")),
                        &user(c),
                    )],
                    ..Default::default()
                };
                matches!(http.sync(&req).await, Ok(r) if r.accepted.len() == 1)
            }
        })
        .await
    };

    // Many clients syncing at once: each pulls from its cursor, and every fifth sync pushes.
    let head = store.head().await?;
    let cursors: std::sync::Arc<Vec<std::sync::atomic::AtomicI64>> = std::sync::Arc::new(
        (0..o.concurrent)
            .map(|_| std::sync::atomic::AtomicI64::new(head))
            .collect(),
    );
    let concurrent = {
        let (http, ids) = (http.clone(), ids.clone());
        load(o.concurrent, o.seconds, move |c, i| {
            let (http, ids, cursors) = (http[c].clone(), ids.clone(), cursors.clone());
            async move {
                let cursor = &cursors[c];
                let changes = if i % 5 == 4 {
                    let id = &ids[(c * 131 + i) % ids.len()];
                    vec![change(
                        "field",
                        id,
                        Some("problem"),
                        json!(format!("Note {i} by {c}")),
                        &user(c),
                    )]
                } else {
                    vec![]
                };
                let req = SyncRequest {
                    after: cursor.load(std::sync::atomic::Ordering::Relaxed),
                    changes,
                    limit: Some(1000),
                    ..Default::default()
                };
                match http.sync(&req).await {
                    Ok(r) if r.rejected.is_empty() => {
                        cursor.store(r.next, std::sync::atomic::Ordering::Relaxed);
                        true
                    }
                    _ => false,
                }
            }
        })
        .await
    };
    let _ = stop.send(());
    let _ = server.await;
    d0.close().await;
    Ok(Report {
        use_cases: o.use_cases,
        fill_changes_per_second: fill_rate,
        first_sync_seconds,
        first_sync_transfer_seconds,
        first_sync_use_cases,
        noop,
        noop_response_bytes,
        writers,
        concurrent,
    })
}

pub fn print(r: &Report, o: &Options) {
    println!(
        "registry of {} use cases (filled at {:.0} changes/s)",
        r.use_cases, r.fill_changes_per_second
    );
    println!(
        "first sync of a new desktop: {:.2} s for {} use cases, applying included (target ≤ 10 s at 100k); the transfer alone {:.2} s",
        r.first_sync_seconds, r.first_sync_use_cases, r.first_sync_transfer_seconds
    );
    let line = |name: &str, l: &Latency, target: &str| {
        println!(
            "{name}: {} requests, {:.0}/s, p50 {:.2} ms, p99 {:.2} ms, {} errors{target}",
            l.requests, l.per_second, l.p50_ms, l.p99_ms, l.errors
        );
    };
    line("no-op sync", &r.noop, " (target p99 ≤ 10 ms)");
    println!(
        "no-op sync answer: {} bytes with headers (target ≤ 200)",
        r.noop_response_bytes
    );
    line(
        &format!("{} writers, one field per request", o.writers),
        &r.writers,
        " (target ≥ 1,000 changes/s, p99 ≤ 50 ms)",
    );
    line(
        &format!("{} clients syncing at once", o.concurrent),
        &r.concurrent,
        "",
    );
}
