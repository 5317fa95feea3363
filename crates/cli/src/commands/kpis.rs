//! KPIs and their actuals.

use clap::Subcommand;
use portfolio::{Ctx, Result};

use crate::output;

#[derive(Subcommand)]
pub enum KpiAction {
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
pub enum Command {
    /// KPIs: add one to a use case, record an actual, list a use case's KPIs
    Kpi {
        #[command(subcommand)]
        action: KpiAction,
    },
}

pub async fn run(ctx: Ctx, command: Command) -> Result<()> {
    match command {
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
    }
    Ok(())
}
