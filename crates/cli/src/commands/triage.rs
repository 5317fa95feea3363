//! The risk triage of a use case.

use std::path::PathBuf;

use clap::Subcommand;
use portfolio::{Ctx, Error, Result};

use crate::output;

#[derive(Subcommand)]
pub enum Command {
    /// EU AI Act risk triage: show a use case's (and the questions), or record answers from a
    /// JSON file: {"QUESTION_ID": true|false, …, "high_impact": bool, "personal_data": bool}
    Triage {
        id: String,
        #[arg(long, value_name = "FILE")]
        answers: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
}

pub async fn run(ctx: Ctx, command: Command) -> Result<()> {
    match command {
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
    }
    Ok(())
}
