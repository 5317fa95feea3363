//! Bulk edits over selected use cases: each use case is edited on its own, through the same
//! functions (and rules) as a single edit, and the summary says which changed and why the
//! others did not.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::ctx::Ctx;
use crate::error::{Error, Result};
use crate::field::FieldValue;
use crate::owner::OwnerRole;
use crate::person::NewPerson;
use crate::stage::Stage;
use crate::stage_move::{self, MoveStage};
use crate::use_case::{self, SetFields, SetOwner};

pub const BULK_MAX: usize = 10_000;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum BulkChange {
    Stage {
        to: Stage,
        #[ts(optional)]
        note: Option<String>,
    },
    Owner {
        role: OwnerRole,
        person: Option<NewPerson>,
    },
    BusinessUnit {
        business_unit: String,
    },
    /// Adds and removes tags, keeping each use case's other tags.
    Tags {
        add: Vec<String>,
        remove: Vec<String>,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BulkEdit {
    pub ids: Vec<String>,
    pub change: BulkChange,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Refusal {
    pub id: String,
    pub title: String,
    pub reason: String,
    pub details: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct BulkResult {
    pub changed: Vec<String>,
    pub refused: Vec<Refusal>,
}

pub async fn apply(ctx: &Ctx, req: BulkEdit) -> Result<BulkResult> {
    if req.ids.len() > BULK_MAX {
        return Err(Error::new(
            crate::ErrorCode::Limit,
            format!("a bulk edit takes at most {BULK_MAX} use cases"),
        ));
    }
    ctx.actor().await?;
    let mut out = BulkResult {
        changed: vec![],
        refused: vec![],
    };
    for id in req.ids {
        match edit_one(ctx, &id, &req.change).await {
            Ok(()) => out.changed.push(id),
            Err(e) => {
                let title = use_case::get(ctx, &id)
                    .await
                    .map(|u| u.title)
                    .unwrap_or_default();
                out.refused.push(Refusal {
                    id,
                    title,
                    reason: e.message,
                    details: e.details,
                });
            }
        }
    }
    Ok(out)
}

async fn edit_one(ctx: &Ctx, id: &str, change: &BulkChange) -> Result<()> {
    match change {
        BulkChange::Stage { to, note } => {
            stage_move::move_stage(
                ctx,
                MoveStage {
                    id: id.into(),
                    to: *to,
                    note: note.clone(),
                    expect_version: None,
                },
            )
            .await?;
        }
        BulkChange::Owner { role, person } => {
            use_case::set_owner(
                ctx,
                SetOwner {
                    id: id.into(),
                    role: *role,
                    person: person.clone(),
                    expect_version: None,
                },
            )
            .await?;
        }
        BulkChange::BusinessUnit { business_unit } => {
            let fields = [(
                "business_unit".to_owned(),
                FieldValue::Text(business_unit.clone()),
            )]
            .into();
            use_case::set_fields(
                ctx,
                SetFields {
                    id: id.into(),
                    expect_version: None,
                    fields,
                },
            )
            .await?;
        }
        BulkChange::Tags { add, remove } => {
            let uc = use_case::get(ctx, id).await?;
            let mut tags: Vec<String> = uc
                .tags
                .into_iter()
                .filter(|t| !remove.iter().any(|r| r.eq_ignore_ascii_case(t)))
                .collect();
            tags.extend(add.iter().cloned());
            let fields = [("tags".to_owned(), FieldValue::List(tags))].into();
            use_case::set_fields(
                ctx,
                SetFields {
                    id: id.into(),
                    expect_version: Some(uc.version),
                    fields,
                },
            )
            .await?;
        }
    }
    Ok(())
}
