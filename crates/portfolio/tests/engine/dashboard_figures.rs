//! The dashboard's figures against the portfolio they are drawn from.

use crate::support::*;
use portfolio::dashboard;
use portfolio::import::{self, ImportRequest};
use portfolio::task::{Cancel, no_progress};

#[tokio::test]
async fn counts_funnel_gaps_and_top_match_a_hand_count() {
    let (dir, ctx) = fresh().await;
    let csv = dir.path().join("cases.csv");
    std::fs::write(
        &csv,
        "Title,Stage,Business unit,Expected annual benefit,Technical owner,Data owner\n\
         A,idea,Claims,100,,\n\
         B,assessment,Claims,200,,\n\
         C,proof-of-concept,Finance,300,t@x.org,\n\
         D,pilot,Finance,,t@x.org,d@x.org\n\
         E,production,Claims,500,,d@x.org\n",
    )
    .unwrap();
    import::import(
        &ctx,
        ImportRequest {
            path: csv.display().to_string(),
            ..Default::default()
        },
        no_progress(),
        Cancel::default(),
    )
    .await
    .unwrap();
    let id = |t: &str| {
        let t = t.to_owned();
        let ctx = &ctx;
        async move {
            view::list(ctx, ListQuery::default())
                .await
                .unwrap()
                .rows
                .into_iter()
                .find(|r| r.title == t)
                .unwrap()
                .id
        }
    };
    move_to(&ctx, &id("C").await, Stage::Parked, Some("budget"))
        .await
        .unwrap();
    score_all(&ctx, &id("B").await, 4, 3).await;

    let d = dashboard::dashboard(&ctx).await.unwrap();
    assert_eq!((d.total.use_cases, d.total.expected_benefit), (5, 1100.0));
    let count = |s: Stage| d.by_stage[&s].use_cases;
    assert_eq!(
        [
            Stage::Idea,
            Stage::Assessment,
            Stage::ProofOfConcept,
            Stage::Pilot,
            Stage::Production,
            Stage::Parked
        ]
        .map(count),
        [1, 1, 0, 1, 1, 1]
    );
    assert_eq!(d.by_stage[&Stage::Parked].expected_benefit, 300.0);
    let json = serde_json::to_value(&d).unwrap();
    assert_eq!(
        json["by_stage"]["proof-of-concept"]["use_cases"], 0,
        "keyed by stage"
    );

    // Parked C still reached proof of concept.
    let funnel: Vec<(Stage, i32, Option<f64>)> = d
        .funnel
        .iter()
        .map(|f| (f.stage, f.reached, f.conversion))
        .collect();
    assert_eq!(
        funnel,
        vec![
            (Stage::Idea, 5, None),
            (Stage::Assessment, 4, Some(0.8)),
            (Stage::ProofOfConcept, 3, Some(0.75)),
            (Stage::Pilot, 2, Some(0.667)),
            (Stage::Production, 1, Some(0.5)),
            (Stage::Scaled, 0, Some(0.0)),
        ]
    );
    assert_eq!(
        d.by_business_unit
            .iter()
            .map(|u| (u.business_unit.as_str(), u.use_cases, u.expected_benefit))
            .collect::<Vec<_>>(),
        vec![("Claims", 3, 800.0), ("Finance", 2, 300.0)]
    );
    // D has both owners, parked C is not past Assessment any more: only E lacks one.
    assert_eq!(d.ownership_gaps, 1);
    assert_eq!(d.ownership_gaps_listed[0].title, "E");
    assert_eq!(
        d.ownership_gaps_listed[0].missing,
        vec![OwnerRole::Technical]
    );
    assert_eq!(
        d.top.iter().map(|t| t.title.as_str()).collect::<Vec<_>>(),
        vec!["B"]
    );
    assert_eq!(d.top[0].priority, 62.5);
    assert!(d.aging.iter().all(|a| a.stale == 0 && a.max_days == 0));
}

#[tokio::test]
async fn days_in_stage_and_the_stale_count_follow_how_long_a_use_case_has_been_there() {
    let (dir, ctx) = fresh().await;
    let ids = import_cases(
        &ctx,
        &dir,
        "Title,Stage\nClaims triage,proof-of-concept\nInvoice matching,idea\n",
    )
    .await;
    assert_eq!(
        portfolio::settings::preferences(&ctx)
            .await
            .unwrap()
            .stale_after_days,
        90
    );
    // In Proof of concept since 122 days ago.
    let since = portfolio::timestamp(chrono::Utc::now() - chrono::Duration::days(122));
    let mut tx = ctx.store().begin().await.unwrap();
    sqlx::query("UPDATE use_cases SET stage_since = ? WHERE id = ?")
        .bind(&since)
        .bind(&ids["Claims triage"])
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();

    let d = dashboard::dashboard(&ctx).await.unwrap();
    assert_eq!(d.stale_after_days, 90);
    let aging = |s: Stage| {
        let a = d.aging.iter().find(|a| a.stage == s).unwrap();
        (a.average_days, a.max_days, a.stale)
    };
    assert_eq!(aging(Stage::ProofOfConcept), (122.0, 122, 1));
    assert_eq!(aging(Stage::Idea), (0.0, 0, 0));
}

#[tokio::test]
async fn ownership_gaps_are_listed_highest_priority_first() {
    let (dir, ctx) = fresh().await;
    let ids = import_cases(
        &ctx,
        &dir,
        "Title,Stage\nAlpha,pilot\nBravo,proof-of-concept\nCharlie,production\nDelta,pilot\n",
    )
    .await;
    score_all(&ctx, &ids["Alpha"], 2, 2).await;
    score_all(&ctx, &ids["Bravo"], 4, 3).await;
    score_all(&ctx, &ids["Charlie"], 5, 5).await;
    // Delta is not scored: no priority, so last.
    let d = dashboard::dashboard(&ctx).await.unwrap();
    assert_eq!(d.ownership_gaps, 4);
    assert_eq!(
        d.ownership_gaps_listed
            .iter()
            .map(|g| g.title.as_str())
            .collect::<Vec<_>>(),
        ["Charlie", "Bravo", "Alpha", "Delta"]
    );
}
