//! What the engine answers a fresh store, written for the UI's tests (`ui/src/test/engine.json`)
//! the way `cargo test` writes the IPC bindings: the UI tests start from these answers and
//! state the rest, so no rule is re-implemented in TypeScript. Ids and times are replaced by
//! fixed ones, so the file changes only when an answer does; CI fails when it is stale.

use serde_json::{Value, json};

use crate::support::*;

/// The id and time every generated answer uses, whatever the store made up.
const ID: &str = "uc-0001";
const AT: &str = "2025-01-01T09:00:00Z";

/// Replaces `id` by [`ID`], every other UUID (a person's id) by a numbered one in the order
/// met, and every RFC 3339 time by [`AT`], wherever they are.
fn fixed(v: Value, id: &str, others: &mut Vec<String>) -> Value {
    match v {
        Value::String(s) if s == id => Value::String(ID.into()),
        Value::String(s) if uuid::Uuid::parse_str(&s).is_ok() => {
            let n = match others.iter().position(|o| *o == s) {
                Some(n) => n,
                None => {
                    others.push(s);
                    others.len() - 1
                }
            };
            Value::String(format!("00000000-0000-0000-0000-{:012}", n + 1))
        }
        Value::String(s) if chrono::DateTime::parse_from_rfc3339(&s).is_ok() => {
            Value::String(AT.into())
        }
        Value::Array(a) => Value::Array(a.into_iter().map(|x| fixed(x, id, others)).collect()),
        Value::Object(o) => Value::Object(
            o.into_iter()
                .map(|(k, x)| (k, fixed(x, id, others)))
                .collect(),
        ),
        other => other,
    }
}

fn to<T: serde::Serialize>(x: T) -> Value {
    serde_json::to_value(x).unwrap()
}

#[tokio::test]
async fn writes_the_answers_of_a_fresh_store_for_the_ui_tests() {
    let dir = TempDir::new().unwrap();
    let ctx = Ctx::open(&dir.path().join("p.db"), OpenMode::Create)
        .await
        .unwrap();
    // Before anyone has said who they are: nothing is waiting to sync.
    let sync_status = to(portfolio::sync::status(&ctx).await.unwrap());
    let tess = Identity {
        name: "Tess Tester".into(),
        email: "tess@example.org".into(),
    };
    portfolio::person::set_identity(&ctx, tess).await.unwrap();
    let identity = to(ctx.identity().await.unwrap());
    let empty = json!({
        "identity": identity,
        "people": to(portfolio::person::all(&ctx).await.unwrap()),
        "scoring_model": to(ctx.scoring_model().await.unwrap()),
        "gate_rules": to(ctx.gate_rules().await.unwrap()),
        "preferences": to(portfolio::settings::preferences(&ctx).await.unwrap()),
        "triage_rules": to(portfolio::triage::rule_set()),
        "catalogue": to(portfolio::pattern::catalogue(&ctx).await.unwrap()),
        "dashboard": to(portfolio::dashboard::dashboard(&ctx).await.unwrap()),
        "sensitivity": to(portfolio::sensitivity::sensitivity(&ctx, 10).await.unwrap()),
        "matrix": to(portfolio::matrix::matrix(&ctx, &Filters::default()).await.unwrap()),
        "page": to(view::list(&ctx, ListQuery::default()).await.unwrap()),
        "filter_choices": to(view::filter_choices(&ctx).await.unwrap()),
        "sync_status": sync_status,
        "review_changes": to(portfolio::review::changes(&ctx).await.unwrap_err()),
    });

    // One use case with nothing but its title: its record, and the moves it is offered.
    let created = add(&ctx, "Claims triage").await;
    let id = created.id.clone();
    let use_case = json!({
        "use_case": to(&created),
        "stage_options": to(stage_move::stage_options(&ctx, &id).await.unwrap()),
        "history": to(use_case::history(&ctx, &id).await.unwrap()),
    });

    let mut others = Vec::new();
    let mut answers = fixed(empty, &id, &mut others);
    answers.as_object_mut().unwrap().extend(
        fixed(use_case, &id, &mut others)
            .as_object()
            .unwrap()
            .clone(),
    );
    let text = serde_json::to_string_pretty(&answers).unwrap() + "\n";
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/test/engine.json");
    if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
        std::fs::write(&path, text).unwrap();
    }
}
