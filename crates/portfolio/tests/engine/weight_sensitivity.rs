//! Weight sensitivity: which use cases a change of one criterion's weight moves in or out of
//! the top N.

use crate::support::*;
use portfolio::sensitivity;

async fn scores(ctx: &Ctx, id: &str, value: [i32; 4], feasibility: i32) {
    let model = ctx.scoring_model().await.unwrap();
    for (i, c) in model.value.iter().enumerate() {
        let req = SetScore {
            id: id.into(),
            criterion: c.slug.clone(),
            score: Some(value[i]),
            expect_version: None,
        };
        use_case::set_score(ctx, req).await.unwrap();
    }
    for c in &model.feasibility {
        let req = SetScore {
            id: id.into(),
            criterion: c.slug.clone(),
            score: Some(feasibility),
            expect_version: None,
        };
        use_case::set_score(ctx, req).await.unwrap();
    }
}

#[tokio::test]
async fn a_case_near_a_line_is_volatile_and_uniform_ones_are_stable() {
    let (_dir, ctx) = fresh().await;
    // X: value (0·3 + 0.5·4 + 1·2 + 0.75·1)/10 = 47.5, feasibility 100: a fill-in. With
    // strategic-fit at 2.4 the value is 4.75/9.4 = 50.5: a quick win, priority 75.3.
    let x = add(&ctx, "X").await.id;
    scores(&ctx, &x, [1, 3, 5, 4], 5).await;
    // Y: every score 4, so 75 / 75 whatever the weights: priority 75.
    let y = add(&ctx, "Y").await.id;
    score_all(&ctx, &y, 4, 4).await;
    // Z: value 0, feasibility 100, priority 50: far from every line.
    let z = add(&ctx, "Z").await.id;
    score_all(&ctx, &z, 1, 5).await;
    add(&ctx, "unscored").await;

    let s = sensitivity::sensitivity(&ctx, 10).await.unwrap();
    assert_eq!((s.scored, s.volatile), (3, 1));
    let by = |id: &str| s.use_cases.iter().find(|u| u.id == id).unwrap().clone();
    assert_eq!(
        by(&x).reasons,
        vec!["strategic-fit −20%: fill-in → quick-win"]
    );
    assert!(!by(&y).volatile && !by(&z).volatile);
    assert_eq!(
        s.use_cases.iter().map(|u| u.rank).collect::<Vec<_>>(),
        vec![1, 2, 3]
    );
    assert_eq!(
        by(&y).rank,
        1,
        "Y (75) ranks above X (73.8) as things stand"
    );

    // With a top-1 line, the same move swaps X and Y across it.
    let s = sensitivity::sensitivity(&ctx, 1).await.unwrap();
    assert_eq!(
        by_id(&s, &x).reasons,
        vec![
            "strategic-fit −20%: fill-in → quick-win",
            "strategic-fit −20%: enters the top 1"
        ]
    );
    assert_eq!(
        by_id(&s, &y).reasons,
        vec!["strategic-fit −20%: leaves the top 1"]
    );
    assert!(!by_id(&s, &z).volatile);
    assert_eq!(
        sensitivity::sensitivity(&ctx, 0).await.unwrap_err().code,
        ErrorCode::Validation
    );
}

fn by_id(s: &sensitivity::Sensitivity, id: &str) -> sensitivity::UseCaseSensitivity {
    s.use_cases.iter().find(|u| u.id == id).unwrap().clone()
}

#[tokio::test]
async fn only_live_fully_scored_use_cases_are_ranked() {
    let (_d, ctx) = fresh().await;
    let scored = add(&ctx, "Scored").await;
    score_all(&ctx, &scored.id, 4, 4).await;
    let archived = add(&ctx, "Archived").await;
    score_all(&ctx, &archived.id, 5, 5).await;
    use_case::set_archived(&ctx, &archived.id, true)
        .await
        .unwrap();
    let partly = add(&ctx, "Partly scored").await;
    let model = ctx.scoring_model().await.unwrap();
    let first = model.criteria().next().unwrap().1.slug.clone();
    use_case::set_score(
        &ctx,
        SetScore {
            id: partly.id.clone(),
            criterion: first,
            score: Some(2),
            expect_version: None,
        },
    )
    .await
    .unwrap();

    let s = sensitivity::sensitivity(&ctx, 10).await.unwrap();
    assert_eq!(s.scored, 1);
    let titles: Vec<&str> = s.use_cases.iter().map(|u| u.title.as_str()).collect();
    assert_eq!(titles, ["Scored"]);
}
