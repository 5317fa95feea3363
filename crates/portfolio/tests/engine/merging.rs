//! Merging a duplicate into the use case kept.

use crate::support::*;
use portfolio::kpi::{self, NewKpi};
use portfolio::merge;
use portfolio::pattern::{self, MapPattern};

#[tokio::test]
async fn a_merge_keeps_everything_of_both_and_is_recorded() {
    let (_d, ctx) = fresh().await;
    let keep = add(&ctx, "Invoice extraction").await;
    let other = add(&ctx, "Supplier invoice capture").await;
    set(&ctx, &keep.id, "problem", "Invoices keyed by hand")
        .await
        .unwrap();
    set(&ctx, &other.id, "problem", "Another problem")
        .await
        .unwrap();
    set(&ctx, &other.id, "solution", "OCR and an LLM")
        .await
        .unwrap();
    set(&ctx, &other.id, "expected_benefit", "120000")
        .await
        .unwrap();
    set(&ctx, &keep.id, "tags", "finance").await.unwrap();
    set(&ctx, &other.id, "tags", "ocr, finance").await.unwrap();
    set(&ctx, &other.id, "attr.vendor", "Acme").await.unwrap();
    own(&ctx, &keep.id, OwnerRole::Business, "bea@x.org").await;
    own(&ctx, &other.id, OwnerRole::Business, "other@x.org").await;
    own(&ctx, &other.id, OwnerRole::Data, "dan@x.org").await;
    score_all(&ctx, &other.id, 4, 3).await;
    pattern::map(
        &ctx,
        MapPattern {
            use_case_id: other.id.clone(),
            pattern_slug: "document-extraction".into(),
            primary: true,
        },
    )
    .await
    .unwrap();
    for (id, name) in [(&keep.id, "Touchless rate"), (&other.id, "Touchless rate")] {
        kpi::add(
            &ctx,
            NewKpi {
                use_case_id: id.clone(),
                name: name.into(),
                target: 70.0,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    }

    let merged = merge::merge(&ctx, &keep.id, &other.id).await.unwrap();
    // What the survivor had stays; what it lacked comes from the other.
    assert_eq!(merged.problem, "Invoices keyed by hand");
    assert_eq!(merged.solution, "OCR and an LLM");
    assert_eq!(merged.expected_benefit, Some(120000.0));
    assert_eq!(merged.tags, ["finance", "ocr"]);
    assert_eq!(
        merged.attributes.get("vendor").map(String::as_str),
        Some("Acme")
    );
    assert_eq!(merged.owners.business.as_deref(), Some("bea@x.org"));
    assert_eq!(merged.owners.data.as_deref(), Some("dan@x.org"));
    assert!(
        merged.value_score.is_some(),
        "the other's scores complete the survivor's"
    );
    assert_eq!(merged.patterns[0].slug, "document-extraction");
    assert!(merged.patterns[0].primary);
    let kpis = kpi::list(&ctx, &keep.id).await.unwrap();
    assert_eq!(
        kpis.iter().map(|k| k.name.as_str()).collect::<Vec<_>>(),
        [
            "Touchless rate",
            "Touchless rate (Supplier invoice capture)"
        ]
    );

    // The other is archived, not deleted; its history shows in the survivor's.
    let gone = use_case::get(&ctx, &other.id).await.unwrap();
    assert!(gone.archived);
    let history = use_case::history(&ctx, &keep.id).await.unwrap();
    assert!(history.iter().any(|h| h.kind == "merge"));
    assert!(
        history.iter().any(
            |h| h.merged_from.as_deref() == Some("Supplier invoice capture") && h.kind == "create"
        ),
        "the other's own history is kept on the survivor"
    );
    assert!(
        use_case::history(&ctx, &other.id)
            .await
            .unwrap()
            .iter()
            .any(|h| h.kind == "merge")
    );

    // Not twice, not into itself.
    let again = merge::merge(&ctx, &keep.id, &other.id).await.unwrap_err();
    assert!(
        again.message.contains("already merged"),
        "{}",
        again.message
    );
    assert_eq!(
        merge::merge(&ctx, &keep.id, &keep.id)
            .await
            .unwrap_err()
            .code,
        ErrorCode::Validation
    );
    // Deleting the survivor later still works (the merged one stops pointing at it).
    use_case::delete(&ctx, &keep.id).await.unwrap();
}
