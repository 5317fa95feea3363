//! The pattern catalogue, use cases mapped to patterns, and the controls they inherit.

use clap::{Args, Subcommand};
use portfolio::{Ctx, Result};

use crate::output;

#[derive(Args)]
pub struct PatternArgs {
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
    pub fn into_input(self, expect_version: Option<i32>) -> portfolio::pattern::PatternInput {
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
pub enum PatternAction {
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
pub enum Command {
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
}

pub async fn run(ctx: Ctx, command: Command) -> Result<()> {
    match command {
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
    }
    Ok(())
}
