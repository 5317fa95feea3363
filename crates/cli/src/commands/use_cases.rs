//! Use cases: proposing, listing, showing and editing them (fields, scores, owners), their
//! history, archiving, deleting, merging, and finding similar ones.

use clap::Subcommand;
use portfolio::field::FieldValue;
use portfolio::owner::OwnerRole;
use portfolio::person::NewPerson;
use portfolio::scoring::Quadrant;
use portfolio::use_case::{NewUseCase, SetFields, SetOwner, SetScore};
use portfolio::view::ListQuery;
use portfolio::{Ctx, Error, Result};

use super::{FilterArgs, confirm};
use crate::output;

#[derive(Subcommand)]
pub enum Command {
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
    /// The change log of one use case, oldest first
    History {
        id: String,
        #[arg(long)]
        json: bool,
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
    /// Merge OTHER_ID into KEEP_ID: KEEP takes what it lacks, OTHER is archived and its history kept on KEEP
    Merge { keep_id: String, other_id: String },
    /// The use cases most like this one (title and text), most similar first
    Similar {
        id: String,
        #[arg(long, default_value_t = portfolio::similar::DEFAULT_LIMIT as i32)]
        limit: i32,
        #[arg(long)]
        json: bool,
    },
    /// Likely duplicate pairs across the portfolio, most similar first
    Duplicates {
        /// The similarity from which a pair is listed (0 to 1)
        #[arg(long, default_value_t = portfolio::similar::DUPLICATE_AT)]
        at_least: f64,
        #[arg(long)]
        json: bool,
    },
}

pub async fn run(ctx: Ctx, command: Command) -> Result<()> {
    match command {
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
        Command::History { id, json } => {
            let entries = portfolio::use_case::history(&ctx, &id).await?;
            if json {
                output::json(&entries)
            } else {
                output::history(&entries)
            }
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
        Command::Merge { keep_id, other_id } => {
            let uc = portfolio::merge::merge(&ctx, &keep_id, &other_id).await?;
            println!("merged {other_id} into {} ({})", uc.id, uc.title);
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
    }
    Ok(())
}
