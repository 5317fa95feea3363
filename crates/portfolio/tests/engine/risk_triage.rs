//! The EU AI Act risk triage as recorded for a use case.

use crate::support::*;
use portfolio::triage::{self, RecordTriage, Tier};

#[tokio::test]
async fn the_triage_is_recorded_and_gates_proof_of_concept() {
    let (_d, ctx) = fresh().await;
    let uc = add(&ctx, "CV screening").await;
    own(&ctx, &uc.id, OwnerRole::Business, "b@x.org").await;
    set(&ctx, &uc.id, "problem", "too many applications")
        .await
        .unwrap();
    move_to(&ctx, &uc.id, Stage::Assessment, None)
        .await
        .unwrap();
    score_all(&ctx, &uc.id, 4, 4).await;
    own(&ctx, &uc.id, OwnerRole::Technical, "t@x.org").await;
    set(&ctx, &uc.id, "no_pattern_reason", "vendor product")
        .await
        .unwrap();

    // Half answered: not finished, and the gate says so.
    let partial = triage::record(
        &ctx,
        RecordTriage {
            use_case_id: uc.id.clone(),
            answers: [("annex-iii-employment".to_owned(), true)].into(),
            high_impact: Some(true),
            personal_data: Some(true),
        },
    )
    .await
    .unwrap();
    let t = partial.triage.as_ref().unwrap();
    assert_eq!(t.outcome.tier, Tier::NotYetTriaged);
    assert!(t.outcome.needed.contains(&"profiling".to_owned()));
    assert_eq!((t.high_impact, t.personal_data), (Some(true), Some(true)));
    let e = move_to(&ctx, &uc.id, Stage::ProofOfConcept, None)
        .await
        .unwrap_err();
    assert_eq!(
        e.details,
        ["missing: a risk triage (not prohibited, under the current rules) (not finished)"]
    );

    // Prohibited: the gate stays shut.
    let banned = triage(&ctx, &uc.id, &["emotion-workplace-education"]).await;
    assert_eq!(banned.triage.unwrap().outcome.tier, Tier::Prohibited);
    let e = move_to(&ctx, &uc.id, Stage::ProofOfConcept, None)
        .await
        .unwrap_err();
    assert!(e.details[0].ends_with("(prohibited)"), "{:?}", e.details);

    // High risk (employment, profiling): it may go on, with the reason recorded.
    let high = triage(&ctx, &uc.id, &["annex-iii-employment", "profiling"]).await;
    let t = high.triage.unwrap();
    assert_eq!(t.outcome.tier, Tier::High);
    assert!(!t.needs_retriage);
    assert_eq!(t.version, triage::rule_set().version);
    move_to(&ctx, &uc.id, Stage::ProofOfConcept, None)
        .await
        .unwrap();
    let history = use_case::history(&ctx, &uc.id).await.unwrap();
    let tiers: Vec<&str> = history
        .iter()
        .filter(|h| h.kind == "triage")
        .map(|h| h.new.as_ref().unwrap()["tier"].as_str().unwrap())
        .collect();
    assert_eq!(tiers, ["not-yet-triaged", "prohibited", "high"]);

    // An unknown question is refused by name and changes nothing.
    let e = triage::record(
        &ctx,
        RecordTriage {
            use_case_id: uc.id.clone(),
            answers: [("is-it-ai".to_owned(), true)].into(),
            ..Default::default()
        },
    )
    .await
    .unwrap_err();
    assert!(
        e.message.contains("`is-it-ai` is not a question"),
        "{}",
        e.message
    );
    assert_eq!(
        use_case::get(&ctx, &uc.id)
            .await
            .unwrap()
            .triage
            .unwrap()
            .outcome
            .tier,
        Tier::High
    );
}

#[tokio::test]
async fn a_triages_change_log_entry_holds_the_previous_tier() {
    let (_d, ctx) = fresh().await;
    let uc = add(&ctx, "Customer chatbot").await;
    let first = triage(&ctx, &uc.id, &["interacts-with-people"]).await;
    assert_eq!(first.triage.unwrap().outcome.tier, Tier::Limited);
    let again = triage(&ctx, &uc.id, &["annex-iii-employment", "profiling"]).await;
    assert_eq!(again.triage.unwrap().outcome.tier, Tier::High);

    let entries: Vec<(Option<serde_json::Value>, serde_json::Value)> =
        use_case::history(&ctx, &uc.id)
            .await
            .unwrap()
            .into_iter()
            .filter(|h| h.kind == "triage")
            .map(|h| (h.old, h.new.unwrap()["tier"].clone()))
            .collect();
    assert_eq!(
        entries,
        [
            (None, serde_json::json!("limited")),
            (
                Some(serde_json::json!("limited")),
                serde_json::json!("high")
            ),
        ]
    );
}
