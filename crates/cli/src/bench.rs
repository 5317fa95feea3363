//! `portfolio bench`: generated portfolios of several sizes in temporary stores, timed
//! through the engine functions the app calls. Each issue adds its figures here.

use std::time::Instant;

use portfolio::stage::Stage;
use portfolio::view::{Filters, ListQuery};
use portfolio::{Ctx, Identity, OpenMode, Result};
use serde::Serialize;

#[derive(Serialize)]
pub struct Report {
    machine: String,
    sizes: Vec<SizeReport>,
}

/// The desktop app started on a store: how long until its first page was on screen, and
/// the memory of its whole process tree (WebKit's processes included) once idle.
#[derive(Serialize)]
struct AppReport {
    first_page_ms: f64,
    idle_rss_mb: f64,
}

#[derive(Serialize)]
struct SizeReport {
    use_cases: usize,
    insert_per_second: f64,
    /// The default view: filtered by stage and business unit, sorted by priority, one page.
    default_sort_ms: Percentiles,
    /// One page sorted by a column without its own index (title).
    other_sort_ms: Percentiles,
    /// One page of a two-word text search.
    search_ms: Percentiles,
    /// Only with `--app` (and a display).
    app: Option<AppReport>,
}

#[derive(Serialize)]
struct Percentiles {
    p50: f64,
    p95: f64,
}

const RUNS: usize = 60;

async fn time<F, Fut>(mut f: F) -> Result<Percentiles>
where
    F: FnMut(usize) -> Fut,
    Fut: std::future::Future<Output = Result<()>>,
{
    let mut ms = Vec::with_capacity(RUNS);
    for i in 0..RUNS {
        let t = Instant::now();
        f(i).await?;
        ms.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    ms.sort_by(f64::total_cmp);
    let at = |q: f64| (ms[((ms.len() - 1) as f64 * q).round() as usize] * 100.0).round() / 100.0;
    Ok(Percentiles {
        p50: at(0.5),
        p95: at(0.95),
    })
}

pub fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mem = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .next()
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<u64>().ok())
        })
        .map_or("? GiB".into(), |kb| format!("{} GiB", kb / 1024 / 1024));
    format!(
        "{cpu}, {cores} cores, {mem}, {} {}",
        std::env::consts::OS,
        std::env::consts::ARCH
    )
}

/// Resident memory of `pid` and every process below it, in MB.
fn tree_rss_mb(pid: u32) -> f64 {
    let mut parents: Vec<(u32, u32)> = Vec::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Ok(p) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let stat = std::fs::read_to_string(format!("/proc/{p}/stat")).unwrap_or_default();
        // The parent id is the second field after the parenthesised command name.
        if let Some(ppid) = stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().nth(1)?.parse().ok())
        {
            parents.push((p, ppid));
        }
    }
    let mut tree = vec![pid];
    let mut i = 0;
    while i < tree.len() {
        let parent = tree[i];
        tree.extend(
            parents
                .iter()
                .filter(|(_, pp)| *pp == parent)
                .map(|(p, _)| *p),
        );
        i += 1;
    }
    let kb: u64 = tree
        .iter()
        .filter_map(|p| std::fs::read_to_string(format!("/proc/{p}/status")).ok())
        .filter_map(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))?
                .split_whitespace()
                .nth(1)?
                .parse::<u64>()
                .ok()
        })
        .sum();
    (kb as f64 / 1024.0 * 10.0).round() / 10.0
}

/// Starts the app on `store`, waits for its first page, lets it idle, measures, stops it.
fn measure_app(app: &std::path::Path, store: &std::path::Path) -> Result<AppReport> {
    let report = store.with_extension("startup");
    let _ = std::fs::remove_file(&report);
    let started = Instant::now();
    let mut child = std::process::Command::new(app)
        .arg("--db")
        .arg(store)
        .env("PORTFOLIO_STARTUP_REPORT", &report)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map_err(|e| portfolio::Error::io(format!("cannot start {}: {e}", app.display())))?;
    let result = loop {
        if report.exists() {
            let first_page_ms = (started.elapsed().as_secs_f64() * 1000.0).round();
            std::thread::sleep(std::time::Duration::from_secs(5));
            break Ok(AppReport {
                first_page_ms,
                idle_rss_mb: tree_rss_mb(child.id()),
            });
        }
        if started.elapsed().as_secs() > 60 || child.try_wait().ok().flatten().is_some() {
            break Err(portfolio::Error::io(
                "the app never showed its first page (is there a display?)",
            ));
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    };
    let _ = child.kill();
    let _ = child.wait();
    result
}

pub async fn run(sizes: &[usize], app: Option<&std::path::Path>) -> Result<Report> {
    let mut out = Vec::new();
    for &n in sizes {
        let dir = std::env::temp_dir().join(format!("portfolio-bench-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let ctx = Ctx::open(&dir.join("bench.db"), OpenMode::Create).await?;
        ctx.set_identity(Identity {
            name: "Bench".into(),
            email: "bench@example.org".into(),
        })
        .await?;
        let t = Instant::now();
        portfolio::sample::generate(&ctx, n, 42).await?;
        let insert_per_second = (n as f64 / t.elapsed().as_secs_f64()).round();
        let page = |filters: Filters, sort: Option<&str>| ListQuery {
            filters,
            sort: sort.map(Into::into),
            offset: None,
            limit: Some(100),
        };
        let units = ["Claims", "Finance", "Marketing", "Supply Chain"];
        let default_sort_ms = time(|i| {
            let f = Filters {
                stage: vec![Stage::PATH[i % 6]],
                business_unit: vec![units[i % 4].into()],
                ..Default::default()
            };
            let q = page(f, None);
            let ctx = &ctx;
            async move { portfolio::view::list(ctx, q).await.map(drop) }
        })
        .await?;
        let other_sort_ms = time(|i| {
            let q = page(
                Filters::default(),
                Some(if i % 2 == 0 {
                    "title"
                } else {
                    "business_unit:desc"
                }),
            );
            let ctx = &ctx;
            async move { portfolio::view::list(ctx, q).await.map(drop) }
        })
        .await?;
        let words = [
            "invoice extr",
            "churn pred",
            "fraud",
            "supplier review",
            "warehouse",
        ];
        let search_ms = time(|i| {
            let q = page(
                Filters {
                    search: Some(words[i % words.len()].into()),
                    ..Default::default()
                },
                None,
            );
            let ctx = &ctx;
            async move { portfolio::view::list(ctx, q).await.map(drop) }
        })
        .await?;
        ctx.close().await;
        let app = match app {
            Some(app) if n == *sizes.iter().max().unwrap_or(&n) => {
                Some(measure_app(app, &dir.join("bench.db"))?)
            }
            _ => None,
        };
        if std::env::var_os("PORTFOLIO_BENCH_KEEP").is_none() {
            let _ = std::fs::remove_dir_all(&dir);
        }
        out.push(SizeReport {
            use_cases: n,
            insert_per_second,
            default_sort_ms,
            other_sort_ms,
            search_ms,
            app,
        });
    }
    Ok(Report {
        machine: machine(),
        sizes: out,
    })
}

pub fn print(r: &Report) {
    println!("machine: {}", r.machine);
    println!(
        "{:>9}  {:>10}  {:>17}  {:>17}  {:>17}",
        "use cases", "insert/s", "default p50/p95", "other sort p50/95", "search p50/p95"
    );
    for s in &r.sizes {
        let pct = |p: &Percentiles| format!("{:.2}/{:.2} ms", p.p50, p.p95);
        println!(
            "{:>9}  {:>10}  {:>17}  {:>17}  {:>17}",
            s.use_cases,
            s.insert_per_second,
            pct(&s.default_sort_ms),
            pct(&s.other_sort_ms),
            pct(&s.search_ms)
        );
        if let Some(a) = &s.app {
            println!(
                "{:>9}  app: first page on screen after {} ms; idle memory {} MB (whole process tree)",
                s.use_cases, a.first_page_ms, a.idle_rss_mb
            );
        }
    }
}
