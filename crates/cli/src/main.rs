//! `portfolio`: the command line over the AI Factory Portfolio engine. Its surface is a
//! contract scripts rely on (`shared/design/cli.md`): spellings, JSON shapes, exit codes.

mod bench;
mod output;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use portfolio::field::FieldValue;
use portfolio::gate::Requirement;
use portfolio::owner::OwnerRole;
use portfolio::person::NewPerson;
use portfolio::scoring::Quadrant;
use portfolio::stage::Stage;
use portfolio::stage_move::MoveStage;
use portfolio::use_case::{NewUseCase, SetFields, SetOwner, SetScore};
use portfolio::view::{Filters, ListQuery};
use portfolio::{Ctx, Error, Identity, OpenMode, Result};

#[derive(Parser)]
#[command(
    name = "portfolio",
    version,
    about = "Manage an AI Factory portfolio of use cases from the command line"
)]
struct Cli {
    /// The store (default: $PORTFOLIO_DB, else the app's store in the OS app-data directory)
    #[arg(long, global = true, value_name = "PATH")]
    db: Option<PathBuf>,
    /// Who is making the change (default: $PORTFOLIO_USER, else the identity saved in the store)
    #[arg(
        long = "as",
        global = true,
        value_name = "EMAIL",
        env = "PORTFOLIO_USER",
        hide_env_values = true
    )]
    actor: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create the store (idempotent) and optionally save who you are
    Init {
        #[arg(long, requires = "email")]
        name: Option<String>,
        #[arg(long, requires = "name")]
        email: Option<String>,
    },
    /// Load the demo portfolio into an empty store
    Demo,
    /// Propose a use case; prints its id
    Add {
        #[arg(long, allow_hyphen_values = true)]
        title: String,
        #[arg(long, allow_hyphen_values = true)]
        business_unit: Option<String>,
        #[arg(long, allow_hyphen_values = true)]
        problem: Option<String>,
    },
    /// The portfolio, filtered and sorted
    List {
        #[command(flatten)]
        filters: FilterArgs,
        /// Sort by any field of `list --json`, optionally `:desc` (default: priority, highest first)
        #[arg(long, value_name = "FIELD[:desc]")]
        sort: Option<String>,
        #[arg(long)]
        limit: Option<u32>,
        #[arg(long)]
        json: bool,
    },
    /// One use case, whole
    Show {
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// Edit one field (title, problem, solution, business_unit, proposer, expected_benefit,
    /// expected_cost, data_sources, tags, attr.NAME)
    Set {
        id: String,
        field: String,
        #[arg(allow_hyphen_values = true)]
        value: String,
        /// Refuse (`stale`) if the use case has moved on from this version
        #[arg(long, value_name = "N")]
        expect_version: Option<i32>,
    },
    /// Score one criterion 1..5, or `clear` it
    Score {
        id: String,
        criterion: String,
        #[arg(allow_hyphen_values = true)]
        score: String,
    },
    /// Assign an owner (an unknown email adds the person) or clear one
    Owner {
        id: String,
        /// business, technical, data or risk
        role: String,
        #[arg(required_unless_present = "clear")]
        email: Option<String>,
        #[arg(long, conflicts_with = "clear", allow_hyphen_values = true)]
        name: Option<String>,
        #[arg(long)]
        clear: bool,
    },
    /// Move a use case to another stage
    Stage {
        id: String,
        stage: String,
        /// The reason (required for backward moves, parked and retired)
        #[arg(long, allow_hyphen_values = true)]
        note: Option<String>,
    },
    /// The change log of one use case, oldest first
    History {
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// The active scoring model
    Criteria {
        #[arg(long)]
        json: bool,
    },
    /// The active gate rules: what each stage asks for before a use case may enter it
    Gates {
        #[arg(long)]
        json: bool,
    },
    /// Gate rules
    Gate {
        #[command(subcommand)]
        action: GateAction,
    },
    /// Archive a use case (hidden from lists unless --include-archived)
    Archive { id: String },
    /// Bring an archived use case back
    Unarchive { id: String },
    /// Delete a use case (its history stays in the change log)
    Delete {
        id: String,
        /// Do not ask; required when stdin is not a terminal
        #[arg(long)]
        yes: bool,
    },
    /// Write a consistent copy of the store to FILE (safe while the app runs)
    Backup { file: PathBuf },
    /// Replace the store with the backup FILE; the replaced store is kept beside it
    Restore {
        file: PathBuf,
        /// Do not ask; required when stdin is not a terminal
        #[arg(long)]
        yes: bool,
    },
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
    /// The leadership dashboard's figures: by stage and business unit, funnel, aging, top, ownership gaps
    Dashboard {
        #[arg(long)]
        json: bool,
    },
    /// Which use cases a ±20% move of any one criterion weight would move across a quadrant or the top-N line
    Sensitivity {
        /// The top-N line of the ranking
        #[arg(long, default_value_t = portfolio::sensitivity::DEFAULT_TOP)]
        top: usize,
        #[arg(long)]
        json: bool,
    },
    /// Portfolio reviews: mark a review point, list what changed since the latest
    Review {
        #[command(subcommand)]
        action: ReviewAction,
    },
    /// The reference pattern catalogue: each pattern with its controls, reuse and stage spread
    Patterns {
        /// Also the retired patterns
        #[arg(long)]
        include_retired: bool,
        #[arg(long)]
        json: bool,
    },
    /// Add, edit or retire a reference pattern
    Pattern {
        #[command(subcommand)]
        action: PatternAction,
    },
    /// Map a use case to a pattern (--primary makes it the primary one; --remove takes it off)
    Map {
        id: String,
        pattern: String,
        #[arg(long, conflicts_with = "remove")]
        primary: bool,
        #[arg(long)]
        remove: bool,
    },
    /// The controls a use case inherits from its patterns, with their status
    Controls {
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// Set an inherited control's status: open, in-place or not-applicable
    Control {
        id: String,
        control: String,
        status: String,
        #[arg(long, allow_hyphen_values = true)]
        note: Option<String>,
    },
    /// The use cases most like this one (title and text), most similar first
    Similar {
        id: String,
        #[arg(long, default_value_t = portfolio::similar::DEFAULT_LIMIT as i32)]
        limit: i32,
        #[arg(long)]
        json: bool,
    },
    /// Merge OTHER_ID into KEEP_ID: KEEP takes what it lacks, OTHER is archived and its history kept on KEEP
    Merge { keep_id: String, other_id: String },
    /// Likely duplicate pairs across the portfolio, most similar first
    Duplicates {
        /// The similarity from which a pair is listed (0 to 1)
        #[arg(long, default_value_t = portfolio::similar::DUPLICATE_AT)]
        at_least: f64,
        #[arg(long)]
        json: bool,
    },
    /// EU AI Act risk triage: show a use case's (and the questions), or record answers from a
    /// JSON file: {"QUESTION_ID": true|false, …, "high_impact": bool, "personal_data": bool}
    Triage {
        id: String,
        #[arg(long, value_name = "FILE")]
        answers: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// KPIs: add one to a use case, record an actual, list a use case's KPIs
    Kpi {
        #[command(subcommand)]
        action: KpiAction,
    },
    /// Sync with the central registry: push this desktop's changes, pull everyone else's.
    /// The token comes from $PORTFOLIO_TOKEN, --token or the one the app saved; the
    /// registry's address is remembered after the first sync
    Sync {
        /// The registry, e.g. https://registry.example.org (http:// only on this machine)
        #[arg(long, env = "PORTFOLIO_REGISTRY")]
        registry: Option<String>,
        #[arg(long, env = "PORTFOLIO_TOKEN", hide_env_values = true)]
        token: Option<String>,
        /// Show where this desktop stands (pending, conflicts, refused changes) without syncing
        #[arg(long)]
        status: bool,
        #[arg(long)]
        json: bool,
    },
    /// Open sync conflicts: a field changed here and elsewhere since the last common version
    Conflicts {
        #[arg(long)]
        json: bool,
    },
    /// Settle a sync conflict with mine, theirs or another value (sent at the next sync)
    Resolve {
        conflict_id: String,
        #[arg(long, value_parser = ["mine", "theirs"], required_unless_present = "value", conflicts_with = "value")]
        take: Option<String>,
        #[arg(long, allow_hyphen_values = true)]
        value: Option<String>,
    },
    /// Undo a change the registry refused: the field goes back to the registry's value
    Revert { change_id: String },
    /// Benchmark generated portfolios of these sizes (temporary stores; yours is untouched)
    Bench {
        #[arg(long, value_delimiter = ',', default_value = "1000,10000,100000")]
        sizes: Vec<usize>,
        /// Also start this app binary on the largest store: first page time and idle memory
        #[arg(long, value_name = "PATH")]
        app: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum ReviewAction {
    /// Mark a review point now
    Mark {
        #[arg(long, allow_hyphen_values = true)]
        note: Option<String>,
    },
    /// What changed since the latest review point: new use cases, stage moves, score and owner changes
    Changes {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args)]
struct PatternArgs {
    slug: String,
    #[arg(long)]
    name: String,
    #[arg(long, default_value = "", allow_hyphen_values = true)]
    description: String,
    /// A typical component (repeat for several)
    #[arg(long = "component", value_name = "NAME")]
    components: Vec<String>,
    /// A required control by slug, or SLUG=Name for a new one (repeat for several)
    #[arg(long = "control", value_name = "SLUG[=NAME]")]
    controls: Vec<String>,
}

impl PatternArgs {
    fn into_input(self, expect_version: Option<i32>) -> portfolio::pattern::PatternInput {
        portfolio::pattern::PatternInput {
            slug: self.slug,
            name: self.name,
            description: self.description,
            components: self.components,
            controls: self
                .controls
                .into_iter()
                .map(|c| match c.split_once('=') {
                    Some((slug, name)) => portfolio::pattern::ControlRef {
                        slug: slug.trim().to_owned(),
                        name: Some(name.trim().to_owned()),
                    },
                    None => portfolio::pattern::ControlRef {
                        slug: c.trim().to_owned(),
                        name: None,
                    },
                })
                .collect(),
            expect_version,
        }
    }
}

#[derive(Subcommand)]
enum PatternAction {
    /// Add a pattern to the catalogue
    Add {
        #[command(flatten)]
        pattern: PatternArgs,
    },
    /// Replace a pattern's name, description, components and controls
    Edit {
        #[command(flatten)]
        pattern: PatternArgs,
        #[arg(long)]
        expect_version: Option<i32>,
    },
    /// Retire a pattern: its use cases keep it, new ones cannot take it (--undo brings it back)
    Retire {
        slug: String,
        #[arg(long)]
        undo: bool,
    },
}

#[derive(Subcommand)]
enum KpiAction {
    /// Add a KPI to a use case; prints the KPI's id
    Add {
        /// The use case
        id: String,
        #[arg(long)]
        name: String,
        #[arg(long, allow_hyphen_values = true)]
        target: f64,
        #[arg(long)]
        unit: Option<String>,
        #[arg(long, allow_hyphen_values = true)]
        baseline: Option<f64>,
        /// Which way is better: higher or lower (default: lower when the target is below the baseline)
        #[arg(long)]
        direction: Option<String>,
        /// When the target is due (YYYY-MM-DD): on track then means on the line from baseline to target
        #[arg(long)]
        due: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Record a KPI's actual value (today's, or on --on DATE); a second value for a day replaces the first
    Record {
        /// The KPI's id (see `kpi list`)
        kpi_id: String,
        #[arg(allow_hyphen_values = true)]
        value: f64,
        #[arg(long, value_name = "DATE")]
        on: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// A use case's KPIs with their actuals and status
    List {
        id: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum GateAction {
    /// Replace what STAGE asks for (none: no gate). Requirements: owner:ROLE, field:NAME,
    /// all-scored, primary-pattern, controls-in-place
    Set {
        stage: String,
        requirements: Vec<String>,
    },
}

#[derive(Args)]
struct FilterArgs {
    #[arg(long, value_name = "S")]
    stage: Vec<String>,
    #[arg(long, value_name = "B")]
    business_unit: Vec<String>,
    /// Owner email, any role
    #[arg(long, value_name = "EMAIL")]
    owner: Vec<String>,
    #[arg(long, value_name = "Q")]
    quadrant: Vec<String>,
    #[arg(long, value_name = "T")]
    tag: Vec<String>,
    /// A pattern slug (primary or other)
    #[arg(long, value_name = "SLUG")]
    pattern: Vec<String>,
    /// Plain words matched against title and text
    #[arg(long, value_name = "TEXT", allow_hyphen_values = true)]
    search: Option<String>,
    #[arg(long)]
    include_archived: bool,
}

impl FilterArgs {
    fn into_filters(self) -> Result<Filters> {
        Ok(Filters {
            stage: self
                .stage
                .iter()
                .map(|s| Stage::parse(s))
                .collect::<Result<_>>()?,
            business_unit: self.business_unit,
            owner: self.owner,
            quadrant: self
                .quadrant
                .iter()
                .map(|q| Quadrant::parse(q))
                .collect::<Result<_>>()?,
            tag: self.tag,
            pattern: self.pattern,
            search: self.search,
            include_archived: self.include_archived,
        })
    }
}

/// A script that reads only the first lines (`portfolio list | head`) closes the pipe early;
/// that is not an error of ours, so stop quietly instead of reporting a panic.
fn quiet_on_closed_pipe() {
    let report = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or("");
        if message.contains("failed printing to stdout") && message.contains("Broken pipe") {
            std::process::exit(0);
        }
        report(info);
    }));
}

fn main() -> ExitCode {
    quiet_on_closed_pipe();
    let cli = Cli::parse();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("the async runtime starts");
    let result = runtime.block_on(run(cli));
    if let Some(file) = std::env::var_os(PEAK_REPORT) {
        report_peak_memory(&file);
    }
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error[{}]: {}", e.code.as_str(), e.message);
            for d in &e.details {
                eprintln!("  {d}");
            }
            ExitCode::from(1)
        }
    }
}

/// Set by `bench` on the export it runs: this process writes its peak memory (kB) there.
pub const PEAK_REPORT: &str = "PORTFOLIO_PEAK_REPORT";

fn report_peak_memory(file: &std::ffi::OsStr) {
    let kb = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1).map(str::to_owned))
        })
        .unwrap_or_default();
    let _ = std::fs::write(file, kb);
}

/// A destructive command goes ahead with `--yes`, or when a person at a terminal says so;
/// it never prompts when stdin is not a terminal.
fn confirm(yes: bool, question: &str) -> Result<()> {
    use std::io::{BufRead, IsTerminal, Write};
    if yes {
        return Ok(());
    }
    if !std::io::stdin().is_terminal() {
        return Err(Error::validation(format!(
            "{question} Add --yes to confirm (stdin is not a terminal)"
        )));
    }
    eprint!("{question} [y/N] ");
    std::io::stderr().flush()?;
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    if matches!(answer.trim(), "y" | "Y" | "yes") {
        Ok(())
    } else {
        Err(Error::validation("cancelled; nothing was changed"))
    }
}

async fn run(cli: Cli) -> Result<()> {
    if let Command::Bench { sizes, json, app } = &cli.command {
        let report = bench::run(sizes, app.as_deref()).await?;
        if *json {
            output::json(&report)
        } else {
            bench::print(&report)
        }
        return Ok(());
    }
    let path = portfolio::store::resolve_path(cli.db);
    if let Command::Restore { file, yes } = &cli.command {
        confirm(
            *yes,
            &format!(
                "Replace the store at {} with {}?",
                path.display(),
                file.display()
            ),
        )?;
        let aside = portfolio::backup::restore(&path, file).await?;
        println!(
            "restored {} into {}; the replaced store is kept at {}",
            file.display(),
            path.display(),
            aside.display()
        );
        return Ok(());
    }
    let mode = if matches!(cli.command, Command::Init { .. }) {
        OpenMode::Create
    } else {
        OpenMode::Existing
    };
    let ctx = Ctx::open(&path, mode).await?.with_actor(cli.actor)?;
    match cli.command {
        Command::Init { name, email } => {
            if let (Some(name), Some(email)) = (name, email) {
                let id = ctx.set_identity(Identity { name, email }).await?;
                println!(
                    "store ready at {}; you are {} <{}>",
                    path.display(),
                    id.name,
                    id.email
                );
            } else {
                println!("store ready at {}", path.display());
            }
        }
        Command::Demo => {
            let n = portfolio::demo::load(&ctx).await?;
            println!("loaded the demo portfolio: {n} use cases");
        }
        Command::Add {
            title,
            business_unit,
            problem,
        } => {
            let uc = portfolio::use_case::create(
                &ctx,
                NewUseCase {
                    title,
                    business_unit,
                    problem,
                    ..Default::default()
                },
            )
            .await?;
            println!("{}", uc.id);
        }
        Command::List {
            filters,
            sort,
            limit,
            json,
        } => {
            let q = ListQuery {
                filters: filters.into_filters()?,
                sort,
                offset: None,
                limit: limit.map(|l| l as i32),
            };
            let page = portfolio::view::list(&ctx, q).await?;
            if json {
                output::json(&page.rows)
            } else {
                output::list(&page)
            }
        }
        Command::Show { id, json } => {
            let uc = portfolio::use_case::get(&ctx, &id).await?;
            if json {
                output::json(&uc)
            } else {
                output::show(&uc, &ctx.scoring_model().await?)
            }
        }
        Command::Set {
            id,
            field,
            value,
            expect_version,
        } => {
            let fields = [(field.clone(), FieldValue::Text(value))].into();
            let uc = portfolio::use_case::set_fields(
                &ctx,
                SetFields {
                    id,
                    expect_version,
                    fields,
                },
            )
            .await?;
            println!("set {field} of “{}” (version {})", uc.title, uc.version);
        }
        Command::Score {
            id,
            criterion,
            score,
        } => {
            let score = match score.as_str() {
                "clear" => None,
                s => Some(s.parse::<i32>().map_err(|_| {
                    Error::invalid("score", format!("a score is 1 to 5 or `clear`, not `{s}`"))
                })?),
            };
            let uc = portfolio::use_case::set_score(
                &ctx,
                SetScore {
                    id,
                    criterion: criterion.clone(),
                    score,
                    expect_version: None,
                },
            )
            .await?;
            println!(
                "{criterion} = {} · value {} · feasibility {} · quadrant {}",
                score.map_or("cleared".into(), |s| s.to_string()),
                output::score(uc.value_score),
                output::score(uc.feasibility_score),
                uc.quadrant.map_or("—", Quadrant::as_str)
            );
        }
        Command::Owner {
            id,
            role,
            email,
            name,
            clear,
        } => {
            let role = OwnerRole::parse(&role)?;
            let person = if clear {
                None
            } else {
                email.map(|email| NewPerson {
                    email,
                    name,
                    business_unit: None,
                })
            };
            let uc = portfolio::use_case::set_owner(
                &ctx,
                SetOwner {
                    id,
                    role,
                    person,
                    expect_version: None,
                },
            )
            .await?;
            match uc.owners.get(role) {
                Some(e) => println!("{} owner of “{}”: {e}", role.as_str(), uc.title),
                None => println!("{} owner of “{}” cleared", role.as_str(), uc.title),
            }
        }
        Command::Stage { id, stage, note } => {
            let to = Stage::parse(&stage)?;
            let from = portfolio::use_case::get(&ctx, &id).await?.stage;
            let uc = portfolio::stage_move::move_stage(
                &ctx,
                MoveStage {
                    id,
                    to,
                    note,
                    expect_version: None,
                },
            )
            .await?;
            println!(
                "moved “{}” from {} to {}",
                uc.title,
                from.as_str(),
                uc.stage.as_str()
            );
        }
        Command::History { id, json } => {
            let entries = portfolio::use_case::history(&ctx, &id).await?;
            if json {
                output::json(&entries)
            } else {
                output::history(&entries)
            }
        }
        Command::Criteria { json } => {
            let model = ctx.scoring_model().await?;
            if json {
                output::json(&model)
            } else {
                output::criteria(&model)
            }
        }
        Command::Gates { json } => {
            let rules = ctx.gate_rules().await?;
            if json {
                output::json(&rules)
            } else {
                output::gates(&rules)
            }
        }
        Command::Gate {
            action:
                GateAction::Set {
                    stage,
                    requirements,
                },
        } => {
            let stage = Stage::parse(&stage)?;
            let reqs = requirements
                .iter()
                .map(|r| Requirement::parse(r))
                .collect::<Result<Vec<_>>>()?;
            let mut rules = ctx.gate_rules().await?;
            rules.stages.insert(stage, reqs);
            let saved = portfolio::settings::save_gate_rules(&ctx, rules).await?;
            println!(
                "gate rules version {}: {} asks for {}",
                saved.version,
                stage.as_str(),
                output::requirements(saved.for_stage(stage))
            );
        }
        Command::Archive { id } => {
            let uc = portfolio::use_case::set_archived(&ctx, &id, true).await?;
            println!("archived “{}”", uc.title);
        }
        Command::Unarchive { id } => {
            let uc = portfolio::use_case::set_archived(&ctx, &id, false).await?;
            println!("unarchived “{}”", uc.title);
        }
        Command::Delete { id, yes } => {
            let uc = portfolio::use_case::get(&ctx, &id).await?;
            confirm(yes, &format!("Delete “{}”?", uc.title))?;
            portfolio::use_case::delete(&ctx, &id).await?;
            println!("deleted “{}”", uc.title);
        }
        Command::Backup { file } => {
            portfolio::backup::backup(&ctx, &file, false).await?;
            println!("backed up {} to {}", path.display(), file.display());
        }
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
        Command::Dashboard { json } => {
            let d = portfolio::dashboard::dashboard(&ctx).await?;
            if json {
                output::json(&d)
            } else {
                output::dashboard(&d)
            }
        }
        Command::Sensitivity { top, json } => {
            let s = portfolio::sensitivity::sensitivity(&ctx, top).await?;
            if json {
                output::json(&s)
            } else {
                println!(
                    "{} of {} scored use cases are volatile (weights ±20%, top {} line)",
                    s.volatile, s.scored, s.top
                );
                for u in s.use_cases.iter().filter(|u| u.volatile) {
                    println!("  #{:<4} {}  {}", u.rank, u.id, u.title);
                    for r in &u.reasons {
                        println!("         {r}");
                    }
                }
            }
        }
        Command::Review {
            action: ReviewAction::Mark { note },
        } => {
            let m = portfolio::review::mark(&ctx, note.as_deref()).await?;
            println!("review point marked at {}", m.at);
        }
        Command::Review {
            action: ReviewAction::Changes { json },
        } => {
            let c = portfolio::review::changes(&ctx).await?;
            if json {
                output::json(&c)
            } else {
                output::review_changes(&c)
            }
        }
        Command::Similar { id, limit, json } => {
            let hits = portfolio::similar::similar(&ctx, &id, Some(limit)).await?;
            if json {
                output::json(&hits)
            } else {
                for h in &hits {
                    println!("{:.3}  {}  {}", h.similarity, h.id, h.title);
                }
            }
        }
        Command::Triage { id, answers, json } => {
            let uc = match answers {
                Some(file) => {
                    let text = std::fs::read_to_string(&file)
                        .map_err(|e| Error::io(format!("cannot read {}: {e}", file.display())))?;
                    let mut all: std::collections::BTreeMap<String, serde_json::Value> =
                        serde_json::from_str(&text).map_err(|e| {
                            Error::invalid(
                                "answers",
                                format!("{} is not a JSON object of answers: {e}", file.display()),
                            )
                        })?;
                    let flag = |all: &mut std::collections::BTreeMap<String, serde_json::Value>,
                                name: &str| {
                        all.remove(name).and_then(|v| v.as_bool())
                    };
                    let high_impact = flag(&mut all, "high_impact");
                    let personal_data = flag(&mut all, "personal_data");
                    let answers = all
                        .into_iter()
                        .map(|(k, v)| match v.as_bool() {
                            Some(b) => Ok((k, b)),
                            None => Err(Error::invalid(
                                "answers",
                                format!("the answer to `{k}` is true or false, not {v}"),
                            )),
                        })
                        .collect::<Result<_>>()?;
                    portfolio::triage::record(
                        &ctx,
                        portfolio::triage::RecordTriage {
                            use_case_id: id,
                            answers,
                            high_impact,
                            personal_data,
                        },
                    )
                    .await?
                }
                None => portfolio::use_case::get(&ctx, &id).await?,
            };
            if json {
                output::json(&serde_json::json!({
                    "rule_set": portfolio::triage::rule_set(),
                    "triage": uc.triage,
                }))
            } else {
                output::triage(&uc)
            }
        }
        Command::Merge { keep_id, other_id } => {
            let uc = portfolio::merge::merge(&ctx, &keep_id, &other_id).await?;
            println!("merged {other_id} into {} ({})", uc.id, uc.title);
        }
        Command::Sync {
            registry,
            token,
            status,
            json,
        } => {
            if status {
                let st = portfolio::sync::status(&ctx).await?;
                if json {
                    output::json(&st)
                } else {
                    output::sync_status(&st)
                }
                return Ok(());
            }
            let url = match registry {
                Some(u) => u,
                None => portfolio::sync::status(&ctx)
                    .await?
                    .registry_url
                    .ok_or_else(|| {
                        Error::invalid(
                            "registry",
                            "no registry yet: give its address once with --registry URL",
                        )
                    })?,
            };
            let token = match token.filter(|t| !t.trim().is_empty()) {
                Some(t) => t,
                None => portfolio::sync::credential::load(url.trim_end_matches('/')).await?
                    .ok_or_else(|| {
                        Error::new(
                            portfolio::ErrorCode::Unauthenticated,
                            "no registry token: set $PORTFOLIO_TOKEN (or --token in scripts), or connect in the app once; a registry admin creates tokens",
                        )
                    })?,
            };
            let registry = portfolio::sync::client::Registry { url, token };
            let report = portfolio::sync::client::run(&ctx, &registry).await?;
            if json {
                output::json(&report)
            } else {
                println!(
                    "pushed {}, pulled {}, {} open conflict(s), {} refused",
                    report.pushed,
                    report.pulled,
                    report.conflicts,
                    report.rejected.len()
                );
                for r in &report.rejected {
                    println!("refused {}: {}", r.change_id, r.reason);
                }
            }
        }
        Command::Conflicts { json } => {
            let all = portfolio::sync::conflict::list(&ctx).await?;
            if json {
                output::json(&all)
            } else {
                output::conflicts(&all)
            }
        }
        Command::Resolve {
            conflict_id,
            take,
            value,
        } => {
            use portfolio::sync::conflict::Resolution;
            let how = match (take.as_deref(), value) {
                (Some("mine"), _) => Resolution::Mine,
                (Some(_), _) => Resolution::Theirs,
                (None, Some(v)) => Resolution::Value(serde_json::Value::String(v)),
                (None, None) => unreachable!("clap requires --take or --value"),
            };
            let c = portfolio::sync::conflict::resolve(&ctx, &conflict_id, how).await?;
            println!(
                "settled the conflict on {} of {}; it is sent at the next sync",
                c.field.as_deref().unwrap_or(&c.kind),
                c.title.as_deref().unwrap_or(&c.entity_id)
            );
        }
        Command::Revert { change_id } => {
            portfolio::sync::apply::revert(&ctx, &change_id).await?;
            println!("reverted {change_id} to the registry's value");
        }
        Command::Duplicates { at_least, json } => {
            if !(0.0..=1.0).contains(&at_least) {
                return Err(Error::invalid("at_least", "a similarity is from 0 to 1"));
            }
            let pairs = portfolio::similar::duplicates(&ctx, at_least, usize::MAX).await?;
            if json {
                output::json(&pairs)
            } else {
                println!(
                    "{} likely duplicate pair(s) at {at_least} or more",
                    pairs.len()
                );
                for p in &pairs {
                    println!("{:.3}  {}  {}", p.similarity, p.a.id, p.a.title);
                    println!("       {}  {}", p.b.id, p.b.title);
                }
            }
        }
        Command::Patterns {
            include_retired,
            json,
        } => {
            let mut c = portfolio::pattern::catalogue(&ctx).await?;
            c.patterns.retain(|p| include_retired || !p.retired);
            if json {
                output::json(&c)
            } else {
                output::patterns(&c)
            }
        }
        Command::Pattern {
            action: PatternAction::Add { pattern },
        } => {
            let p = portfolio::pattern::add(&ctx, pattern.into_input(None)).await?;
            println!("added pattern {} ({})", p.slug, p.name);
        }
        Command::Pattern {
            action:
                PatternAction::Edit {
                    pattern,
                    expect_version,
                },
        } => {
            let p = portfolio::pattern::edit(&ctx, pattern.into_input(expect_version)).await?;
            println!("edited pattern {} (version {})", p.slug, p.version);
        }
        Command::Pattern {
            action: PatternAction::Retire { slug, undo },
        } => {
            let p = portfolio::pattern::retire(&ctx, &slug, !undo).await?;
            let state = if p.retired { "retired" } else { "in use" };
            println!("pattern {} is {state}", p.slug);
        }
        Command::Map {
            id,
            pattern,
            primary,
            remove,
        } => {
            let uc = if remove {
                portfolio::pattern::unmap(&ctx, &id, &pattern).await?
            } else {
                portfolio::pattern::map(
                    &ctx,
                    portfolio::pattern::MapPattern {
                        use_case_id: id,
                        pattern_slug: pattern,
                        primary,
                    },
                )
                .await?
            };
            let links: Vec<String> = uc
                .patterns
                .iter()
                .map(|p| {
                    if p.primary {
                        format!("{} (primary)", p.slug)
                    } else {
                        p.slug.clone()
                    }
                })
                .collect();
            println!(
                "{}: {}",
                uc.title,
                if links.is_empty() {
                    "no pattern".to_owned()
                } else {
                    links.join(", ")
                }
            );
        }
        Command::Controls { id, json } => {
            let uc = portfolio::use_case::get(&ctx, &id).await?;
            if json {
                output::json(&uc.controls)
            } else {
                output::controls(&uc.controls)
            }
        }
        Command::Control {
            id,
            control,
            status,
            note,
        } => {
            let uc = portfolio::pattern::set_control(
                &ctx,
                portfolio::pattern::SetControl {
                    use_case_id: id,
                    control_slug: control.clone(),
                    status: portfolio::pattern::ControlState::parse(&status)?,
                    note,
                },
            )
            .await?;
            let open = uc
                .controls
                .iter()
                .filter(|c| c.status == portfolio::pattern::ControlState::Open)
                .count();
            println!(
                "{control}: {status} ({open} of {} controls open)",
                uc.controls.len()
            );
        }
        Command::Kpi {
            action:
                KpiAction::Add {
                    id,
                    name,
                    target,
                    unit,
                    baseline,
                    direction,
                    due,
                    json,
                },
        } => {
            let direction = direction
                .as_deref()
                .map(portfolio::kpi::Direction::parse)
                .transpose()?;
            let k = portfolio::kpi::add(
                &ctx,
                portfolio::kpi::NewKpi {
                    use_case_id: id,
                    name,
                    unit,
                    baseline,
                    target,
                    direction,
                    due,
                },
            )
            .await?;
            if json {
                output::json(&k)
            } else {
                println!("{}", k.id)
            }
        }
        Command::Kpi {
            action:
                KpiAction::Record {
                    kpi_id,
                    value,
                    on,
                    json,
                },
        } => {
            let k =
                portfolio::kpi::record(&ctx, portfolio::kpi::RecordActual { kpi_id, value, on })
                    .await?;
            if json {
                output::json(&k)
            } else {
                output::kpis(std::slice::from_ref(&k))
            }
        }
        Command::Kpi {
            action: KpiAction::List { id, json },
        } => {
            let ks = portfolio::kpi::list(&ctx, &id).await?;
            if json {
                output::json(&ks)
            } else {
                output::kpis(&ks)
            }
        }
        Command::Bench { .. } | Command::Restore { .. } => {
            unreachable!("handled before a store is opened")
        }
    }
    Ok(())
}
