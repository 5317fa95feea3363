//! What the engine's tests share: a fresh store in a temporary directory, and the few
//! steps most scenarios start with (add, set, score, own, triage, move).

pub use std::collections::BTreeMap;

pub use portfolio::field::FieldValue;
pub use portfolio::owner::OwnerRole;
pub use portfolio::person::NewPerson;
pub use portfolio::scoring::Quadrant;
pub use portfolio::stage::Stage;
pub use portfolio::stage_move::{self, MoveStage};
pub use portfolio::use_case::{self, NewUseCase, SetFields, SetOwner, SetScore, UseCase};
pub use portfolio::view::{self, Filters, ListQuery};
pub use portfolio::{Ctx, ErrorCode, Identity, OpenMode};
pub use tempfile::TempDir;

pub async fn fresh() -> (TempDir, Ctx) {
    let dir = TempDir::new().unwrap();
    let ctx = Ctx::open(&dir.path().join("p.db"), OpenMode::Create)
        .await
        .unwrap();
    portfolio::person::set_identity(
        &ctx,
        Identity {
            name: "Ada Lovelace".into(),
            email: "Ada@Example.org".into(),
        },
    )
    .await
    .unwrap();
    (dir, ctx)
}

pub async fn add(ctx: &Ctx, title: &str) -> UseCase {
    use_case::create(
        ctx,
        NewUseCase {
            title: title.into(),
            ..Default::default()
        },
    )
    .await
    .unwrap()
}

pub async fn set(ctx: &Ctx, id: &str, field: &str, value: &str) -> portfolio::Result<UseCase> {
    let fields = BTreeMap::from([(field.to_owned(), FieldValue::Text(value.into()))]);
    use_case::set_fields(
        ctx,
        SetFields {
            id: id.into(),
            expect_version: None,
            fields,
        },
    )
    .await
}

pub async fn score_all(ctx: &Ctx, id: &str, value: i32, feasibility: i32) -> UseCase {
    let model = ctx.scoring_model().await.unwrap();
    let mut last = None;
    for (axis, c) in model.criteria() {
        let s = if axis == portfolio::scoring::Axis::Value {
            value
        } else {
            feasibility
        };
        let req = SetScore {
            id: id.into(),
            criterion: c.slug.clone(),
            score: Some(s),
            expect_version: None,
        };
        last = Some(use_case::set_score(ctx, req).await.unwrap());
    }
    last.unwrap()
}

pub async fn own(ctx: &Ctx, id: &str, role: OwnerRole, email: &str) -> UseCase {
    let person = Some(NewPerson {
        email: email.into(),
        name: None,
        business_unit: None,
    });
    use_case::set_owner(
        ctx,
        SetOwner {
            id: id.into(),
            role,
            person,
            expect_version: None,
        },
    )
    .await
    .unwrap()
}

/// Records a triage with `yes` answered yes and every other question no.
pub async fn triage(ctx: &Ctx, id: &str, yes: &[&str]) -> UseCase {
    let answers = portfolio::triage::rule_set()
        .questions
        .iter()
        .map(|q| (q.id.clone(), yes.contains(&q.id.as_str())))
        .collect();
    portfolio::triage::record(
        ctx,
        portfolio::triage::RecordTriage {
            use_case_id: id.into(),
            answers,
            ..Default::default()
        },
    )
    .await
    .unwrap()
}

pub async fn move_to(
    ctx: &Ctx,
    id: &str,
    to: Stage,
    note: Option<&str>,
) -> portfolio::Result<UseCase> {
    stage_move::move_stage(
        ctx,
        MoveStage {
            id: id.into(),
            to,
            note: note.map(Into::into),
            expect_version: None,
        },
    )
    .await
}

/// Imports `body` as a CSV file (stages, owners and benefits as the file gives them) and
/// returns each live use case's id by title.
pub async fn import_cases(ctx: &Ctx, dir: &TempDir, body: &str) -> BTreeMap<String, String> {
    let csv = dir.path().join("cases.csv");
    std::fs::write(&csv, body).unwrap();
    portfolio::import::import(
        ctx,
        portfolio::import::ImportRequest {
            path: csv.display().to_string(),
            ..Default::default()
        },
        portfolio::task::no_progress(),
        portfolio::task::Cancel::default(),
    )
    .await
    .unwrap();
    view::list(ctx, ListQuery::default())
        .await
        .unwrap()
        .rows
        .into_iter()
        .map(|r| (r.title, r.id))
        .collect()
}
