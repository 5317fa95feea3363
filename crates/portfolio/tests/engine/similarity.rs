//! Similar use cases and likely duplicates.

use crate::support::*;
use portfolio::import::{self, ImportRequest};
use portfolio::similar::{self, Draft};
use portfolio::task::{Cancel, no_progress};

const OMB_CSV: &str = "../../../shared/data/omb-2025/2025_individually_reported_AI_use_cases.csv";

#[tokio::test]
async fn the_federal_inventorys_near_duplicates_rank_first() {
    let (_d, ctx) = fresh().await;
    import::import(
        &ctx,
        ImportRequest {
            path: OMB_CSV.into(),
            preset: Some("omb-2025".into()),
            ..Default::default()
        },
        no_progress(),
        Cancel::default(),
    )
    .await
    .unwrap();
    let all = view::list(&ctx, ListQuery::default()).await.unwrap().rows;
    let titled = |t: &str| -> Vec<String> {
        all.iter()
            .filter(|r| r.title.eq_ignore_ascii_case(t))
            .map(|r| r.id.clone())
            .collect()
    };
    let text_generation = titled("Generative AI - Text Generation");
    assert!(text_generation.len() >= 10, "{}", text_generation.len());

    // Another agency's "Generative AI - Text Generation" is the most similar use case.
    let hits = similar::similar(&ctx, &text_generation[0], Some(5))
        .await
        .unwrap();
    assert_eq!(hits.len(), 5);
    assert!(
        !hits.iter().any(|h| h.id == text_generation[0]),
        "not itself"
    );
    assert!(
        text_generation.contains(&hits[0].id),
        "{:?}",
        hits.iter().map(|h| &h.title).collect::<Vec<_>>()
    );
    assert!(hits[0].similarity >= 0.6, "{hits:?}");
    assert!(hits.windows(2).all(|w| w[0].similarity >= w[1].similarity));

    // Typing the idea finds the same efforts.
    let typed = similar::similar_to(
        &ctx,
        &Draft {
            title: "Generative AI text generation".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert!(
        typed
            .iter()
            .filter(|h| text_generation.contains(&h.id))
            .count()
            >= 3,
        "{typed:?}"
    );

    // The duplicates view pairs them up.
    let pairs = similar::duplicates(&ctx, similar::DUPLICATE_AT, 500)
        .await
        .unwrap();
    assert!(
        pairs
            .iter()
            .any(|p| text_generation.contains(&p.a.id) && text_generation.contains(&p.b.id)),
        "{} pairs",
        pairs.len()
    );
    assert!(
        pairs
            .iter()
            .all(|p| p.a.id != p.b.id && p.similarity >= similar::DUPLICATE_AT)
    );

    // An edit to a title is seen by the next query (the index is rebuilt).
    let target = &text_generation[1];
    set(
        &ctx,
        target,
        "title",
        "Wildfire smoke plume detection from satellite imagery",
    )
    .await
    .unwrap();
    let after = similar::similar(&ctx, &text_generation[0], Some(20))
        .await
        .unwrap();
    assert!(!after.iter().any(|h| &h.id == target), "{after:?}");
}

#[tokio::test]
async fn the_use_case_being_edited_is_never_listed_as_similar_to_itself() {
    let (_d, ctx) = fresh().await;
    let edited = add(&ctx, "Invoice extraction from supplier PDFs").await;
    let twin = add(&ctx, "Invoice extraction from scanned supplier PDFs").await;
    add(&ctx, "Churn forecast for retail customers").await;
    let typing = |exclude: Option<String>| Draft {
        title: "Invoice extraction from supplier PDFs".into(),
        exclude,
        ..Default::default()
    };
    let ids = |hits: Vec<portfolio::similar::Similar>| -> Vec<String> {
        hits.into_iter().map(|h| h.id).collect()
    };
    // Without `exclude`, its own text is the best match.
    let all = ids(similar::similar_to(&ctx, &typing(None)).await.unwrap());
    assert_eq!(all[..2], [edited.id.clone(), twin.id.clone()]);
    let editing = ids(similar::similar_to(&ctx, &typing(Some(edited.id.clone())))
        .await
        .unwrap());
    assert_eq!(editing, [twin.id]);
}

/// The likely duplicates, each pair's ids sorted, pairs sorted.
async fn duplicate_pairs(ctx: &Ctx) -> Vec<Vec<String>> {
    let mut out: Vec<Vec<String>> = similar::duplicates(ctx, similar::DUPLICATE_AT, 500)
        .await
        .unwrap()
        .into_iter()
        .map(|p| {
            let mut pair = vec![p.a.id, p.b.id];
            pair.sort();
            pair
        })
        .collect();
    out.sort();
    out
}

#[tokio::test]
async fn a_merged_duplicate_drops_out_of_the_duplicates() {
    let (_d, ctx) = fresh().await;
    let keep = add(&ctx, "Invoice extraction from supplier PDFs").await;
    let other = add(&ctx, "Invoice extraction from scanned supplier PDFs").await;
    let fraud = add(&ctx, "Fraud scoring for card payments").await;
    let fraud_too = add(&ctx, "Fraud scoring for card payment claims").await;
    add(&ctx, "Churn forecast for retail customers").await;
    let sorted = |a: &str, b: &str| {
        let mut pair = vec![a.to_owned(), b.to_owned()];
        pair.sort();
        pair
    };
    let mut both = vec![
        sorted(&keep.id, &other.id),
        sorted(&fraud.id, &fraud_too.id),
    ];
    both.sort();
    assert_eq!(duplicate_pairs(&ctx).await, both);

    portfolio::merge::merge(&ctx, &keep.id, &other.id)
        .await
        .unwrap();
    assert_eq!(
        duplicate_pairs(&ctx).await,
        [sorted(&fraud.id, &fraud_too.id)]
    );
}
