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
    /// Importing the 3,611-row federal inventory CSV (omb-2025 preset) into an empty store.
    omb_import_s: Option<f64>,
    sizes: Vec<SizeReport>,
}

/// Runs this program's `export` on `store` in a child process; its time and peak memory.
fn export_child(store: &std::path::Path, out: &std::path::Path) -> Result<(f64, f64)> {
    let peak = out.with_extension("peak");
    let t = Instant::now();
    let status = std::process::Command::new(std::env::current_exe()?)
        .arg("--db")
        .arg(store)
        .arg("export")
        .arg("--out")
        .arg(out)
        .env(crate::PEAK_REPORT, &peak)
        .stdout(std::process::Stdio::null())
        .status()?;
    let secs = t.elapsed().as_secs_f64();
    if !status.success() {
        return Err(portfolio::Error::io(format!(
            "the export of {} failed",
            store.display()
        )));
    }
    let kb: f64 = std::fs::read_to_string(&peak)
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(0.0);
    Ok((round2(secs), (kb / 1024.0 * 10.0).round() / 10.0))
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

async fn import_seconds(
    store: &std::path::Path,
    file: &std::path::Path,
    preset: Option<&str>,
) -> Result<f64> {
    let ctx = Ctx::open(store, OpenMode::Create).await?;
    portfolio::person::set_identity(
        &ctx,
        Identity {
            name: "Bench".into(),
            email: "bench@example.org".into(),
        },
    )
    .await?;
    let t = Instant::now();
    let report = portfolio::import::import(
        &ctx,
        portfolio::import::ImportRequest {
            path: file.display().to_string(),
            preset: preset.map(str::to_owned),
            skip_invalid: true,
            ..Default::default()
        },
        portfolio::task::no_progress(),
        portfolio::task::Cancel::default(),
    )
    .await?;
    let secs = t.elapsed().as_secs_f64();
    ctx.close().await;
    if report.created == 0 {
        return Err(portfolio::Error::io(format!(
            "the bench import of {} created nothing",
            file.display()
        )));
    }
    Ok(round2(secs))
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
    /// Every figure of the leadership dashboard.
    dashboard_ms: Percentiles,
    /// Weight sensitivity of every scored use case (top-10 line); 10 runs.
    sensitivity_ms: Percentiles,
    /// Every scored use case as a matrix point (no filters); 10 runs.
    matrix_ms: Percentiles,
    /// Building the similarity index (once per change to the portfolio).
    similar_index_ms: f64,
    /// The 5 use cases most like a typed title, with the index built.
    similar_ms: Percentiles,
    /// The whole leadership pack of this portfolio, written by `portfolio export`.
    export: ExportReport,
    /// Importing this portfolio's CSV export into an empty store.
    import_s: f64,
    /// Only with `--app` (and a display).
    app: Option<AppReport>,
}

#[derive(Serialize)]
struct ExportReport {
    /// The whole pack (all sheets), start to finish, as a separate process.
    pack_s: f64,
    /// rust_xlsxwriter alone writing the same Portfolio cells from memory.
    floor_s: f64,
    /// pack ÷ floor (target ≤ 1.5).
    ratio: f64,
    /// The export process's peak resident memory.
    peak_mb: f64,
    csv_s: f64,
}

#[derive(Serialize)]
struct Percentiles {
    p50: f64,
    p95: f64,
}

const RUNS: usize = 60;

async fn time<F, Fut>(f: F) -> Result<Percentiles>
where
    F: FnMut(usize) -> Fut,
    Fut: std::future::Future<Output = Result<()>>,
{
    time_runs(RUNS, f).await
}

async fn time_runs<F, Fut>(runs: usize, mut f: F) -> Result<Percentiles>
where
    F: FnMut(usize) -> Fut,
    Fut: std::future::Future<Output = Result<()>>,
{
    let mut ms = Vec::with_capacity(runs);
    for i in 0..runs {
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

/// The federal inventory, where the project keeps it (see the README's Data section).
const OMB_CSV: &str = "../shared/data/omb-2025/2025_individually_reported_AI_use_cases.csv";

pub async fn run(sizes: &[usize], app: Option<&std::path::Path>) -> Result<Report> {
    let mut out = Vec::new();
    for &n in sizes {
        let dir = std::env::temp_dir().join(format!("portfolio-bench-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let ctx = Ctx::open(&dir.join("bench.db"), OpenMode::Create).await?;
        portfolio::person::set_identity(
            &ctx,
            Identity {
                name: "Bench".into(),
                email: "bench@example.org".into(),
            },
        )
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
        let dashboard_ms = time(|_| {
            let ctx = &ctx;
            async move { portfolio::dashboard::dashboard(ctx).await.map(drop) }
        })
        .await?;
        let sensitivity_ms = time_runs(10, |_| {
            let ctx = &ctx;
            async move {
                portfolio::sensitivity::sensitivity(ctx, portfolio::sensitivity::DEFAULT_TOP)
                    .await
                    .map(drop)
            }
        })
        .await?;
        let matrix_ms = time_runs(10, |_| {
            let ctx = &ctx;
            async move {
                portfolio::matrix::matrix(ctx, &Filters::default())
                    .await
                    .map(drop)
            }
        })
        .await?;
        let started = std::time::Instant::now();
        portfolio::similar::index(&ctx).await?;
        let similar_index_ms = round2(started.elapsed().as_secs_f64() * 1000.0);
        let typed = [
            "invoice extraction for accounts payable",
            "claims triage assistant",
            "demand forecasting",
            "chatbot for customer questions",
        ];
        let similar_ms = time(|i| {
            let ctx = &ctx;
            let draft = portfolio::similar::Draft {
                title: typed[i % typed.len()].into(),
                ..Default::default()
            };
            async move { portfolio::similar::similar_to(ctx, &draft).await.map(drop) }
        })
        .await?;
        let floor = portfolio::export::writer_floor(&ctx, &dir.join("floor.xlsx")).await?;
        ctx.close().await;
        let store = dir.join("bench.db");
        let (pack_s, peak_mb) = export_child(&store, &dir.join("pack.xlsx"))?;
        let (csv_s, _) = export_child(&store, &dir.join("portfolio.csv"))?;
        let floor_s = round2(floor.as_secs_f64());
        let export = ExportReport {
            pack_s,
            floor_s,
            ratio: round2(pack_s / floor_s.max(0.001)),
            peak_mb,
            csv_s,
        };
        let import_s =
            import_seconds(&dir.join("import.db"), &dir.join("portfolio.csv"), None).await?;
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
            dashboard_ms,
            sensitivity_ms,
            matrix_ms,
            similar_index_ms,
            similar_ms,
            export,
            import_s,
            app,
        });
    }
    let omb = std::path::Path::new(OMB_CSV);
    let omb_import_s = if omb.exists() {
        let dir = std::env::temp_dir().join(format!("portfolio-bench-{}-omb", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let s = import_seconds(&dir.join("omb.db"), omb, Some("omb-2025")).await?;
        let _ = std::fs::remove_dir_all(&dir);
        Some(s)
    } else {
        None
    };
    Ok(Report {
        machine: machine(),
        omb_import_s,
        sizes: out,
    })
}

pub fn print(r: &Report) {
    println!("machine: {}", r.machine);
    if let Some(s) = r.omb_import_s {
        println!("federal inventory (3,611 rows, omb-2025 preset) imported in {s} s");
    }
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
        println!(
            "{:>9}  dashboard p50/p95: {:.2}/{:.2} ms; sensitivity p50/p95: {:.2}/{:.2} ms; matrix p50/p95: {:.2}/{:.2} ms",
            s.use_cases,
            s.dashboard_ms.p50,
            s.dashboard_ms.p95,
            s.sensitivity_ms.p50,
            s.sensitivity_ms.p95,
            s.matrix_ms.p50,
            s.matrix_ms.p95
        );
        println!(
            "{:>9}  similar: index built in {:.0} ms, then p50/p95 {:.2}/{:.2} ms a query",
            s.use_cases, s.similar_index_ms, s.similar_ms.p50, s.similar_ms.p95
        );
        let e = &s.export;
        println!(
            "{:>9}  export: pack {} s (writer floor {} s, {}×), peak {} MB; csv {} s; import of that csv {} s",
            s.use_cases, e.pack_s, e.floor_s, e.ratio, e.peak_mb, e.csv_s, s.import_s
        );
        if let Some(a) = &s.app {
            println!(
                "{:>9}  app: first page on screen after {} ms; idle memory {} MB (whole process tree)",
                s.use_cases, a.first_page_ms, a.idle_rss_mb
            );
        }
    }
}
