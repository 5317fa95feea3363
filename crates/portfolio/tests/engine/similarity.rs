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
