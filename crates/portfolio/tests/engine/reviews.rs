//! Review points and what changed since the last one.

use crate::support::*;
use portfolio::review;

#[tokio::test]
async fn changes_since_the_latest_mark_come_from_the_change_log() {
    let (_dir, ctx) = fresh().await;
    assert_eq!(
        review::changes(&ctx).await.unwrap_err().code,
        ErrorCode::NotFound
    );
    let a = add(&ctx, "Before the review").await.id;
    set(&ctx, &a, "problem", "Reviews take a day")
        .await
        .unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let m = review::mark(&ctx, Some("Q3 portfolio review"))
        .await
        .unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let b = add(&ctx, "After the review").await.id;
    own(&ctx, &a, OwnerRole::Business, "bea@example.org").await;
    move_to(&ctx, &a, Stage::Assessment, None).await.unwrap();
    score_all(&ctx, &b, 4, 3).await;

    let c = review::changes(&ctx).await.unwrap();
    assert_eq!(c.since.id, m.id);
    assert_eq!(c.since.note.as_deref(), Some("Q3 portfolio review"));
    assert_eq!(c.new_use_cases.count, 1);
    assert_eq!(c.new_use_cases.changes[0].title, "After the review");
    assert_eq!(c.stage_moves.count, 1);
    let moved = &c.stage_moves.changes[0];
    assert_eq!(
        (
            moved.use_case_id.as_str(),
            moved.new.as_ref().unwrap().as_str()
        ),
        (a.as_str(), Some("assessment"))
    );
    assert_eq!(c.owner_changes.count, 1);
    assert_eq!(
        c.owner_changes.changes[0].field.as_deref(),
        Some("business")
    );
    assert_eq!(c.score_changes.count, 9, "one per criterion");

    // A new mark starts afresh.
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    review::mark(&ctx, None).await.unwrap();
    let c = review::changes(&ctx).await.unwrap();
    assert_eq!(
        [
            c.new_use_cases.count,
            c.stage_moves.count,
            c.score_changes.count,
            c.owner_changes.count
        ],
        [0, 0, 0, 0]
    );
}

#[tokio::test]
async fn a_stage_move_since_the_review_carries_its_note() {
    let (_dir, ctx) = fresh().await;
    let uc = add(&ctx, "Invoice matching").await;
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    review::mark(&ctx, Some("Q3 portfolio review"))
        .await
        .unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    move_to(&ctx, &uc.id, Stage::Parked, Some("Vendor on hold"))
        .await
        .unwrap();

    let c = review::changes(&ctx).await.unwrap();
    assert_eq!(c.stage_moves.count, 1);
    let moved = &c.stage_moves.changes[0];
    assert_eq!(
        (
            moved.use_case_id.as_str(),
            moved.old.clone(),
            moved.new.clone(),
            moved.note.as_deref()
        ),
        (
            uc.id.as_str(),
            Some(serde_json::json!("idea")),
            Some(serde_json::json!("parked")),
            Some("Vendor on hold")
        )
    );
}

#[tokio::test]
async fn a_new_use_case_since_the_review_shows_the_stage_it_started_at() {
    let (dir, ctx) = fresh().await;
    review::mark(&ctx, None).await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let proposed = add(&ctx, "Claims triage").await;
    let ids = import_cases(&ctx, &dir, "Title,Stage\nInvoice matching,Pilot\n").await;

    let c = review::changes(&ctx).await.unwrap();
    assert_eq!(c.new_use_cases.count, 2);
    let started: Vec<(
        &str,
        &str,
        Option<serde_json::Value>,
        Option<serde_json::Value>,
    )> = c
        .new_use_cases
        .changes
        .iter()
        .map(|n| {
            (
                n.use_case_id.as_str(),
                n.title.as_str(),
                n.old.clone(),
                n.new.clone(),
            )
        })
        .collect();
    assert_eq!(
        started,
        [
            (
                proposed.id.as_str(),
                "Claims triage",
                None,
                Some(serde_json::json!({"stage": "idea"}))
            ),
            (
                ids["Invoice matching"].as_str(),
                "Invoice matching",
                None,
                Some(serde_json::json!({"stage": "pilot"}))
            ),
        ]
    );
}
