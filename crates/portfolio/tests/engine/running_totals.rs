//! The running totals the dashboard reads, kept in step with every write.

use crate::support::*;
use portfolio::dashboard;
use std::collections::HashMap;

/// The dashboard's stage and business-unit figures, recounted from the table's rows.
async fn recount(ctx: &Ctx) -> (HashMap<Stage, (i32, f64)>, HashMap<String, (i32, f64)>) {
    let rows = view::list(ctx, ListQuery::default()).await.unwrap().rows;
    let (mut stages, mut units) = (HashMap::new(), HashMap::new());
    for r in rows {
        let b = r.expected_benefit.unwrap_or(0.0);
        let s = stages.entry(r.stage).or_insert((0, 0.0));
        (s.0, s.1) = (s.0 + 1, s.1 + b);
        let u = units.entry(r.business_unit).or_insert((0, 0.0));
        (u.0, u.1) = (u.0 + 1, u.1 + b);
    }
    (stages, units)
}

async fn assert_totals_agree(ctx: &Ctx, after: &str) {
    let d = dashboard::dashboard(ctx).await.unwrap();
    let (stages, units) = recount(ctx).await;
    for (stage, f) in &d.by_stage {
        let want = stages.get(stage).copied().unwrap_or((0, 0.0));
        assert_eq!(
            (f.use_cases, f.expected_benefit),
            want,
            "{stage:?} after {after}"
        );
    }
    let got: HashMap<String, (i32, f64)> = d
        .by_business_unit
        .iter()
        .map(|u| (u.business_unit.clone(), (u.use_cases, u.expected_benefit)))
        .collect();
    assert_eq!(got, units, "business units after {after}");
}

#[tokio::test]
async fn the_dashboard_totals_follow_every_kind_of_change() {
    let (_dir, ctx) = fresh().await;
    let a = add(&ctx, "A").await;
    let b = add(&ctx, "B").await;
    let c = add(&ctx, "C").await;
    assert_totals_agree(&ctx, "creating").await;
    set(&ctx, &a.id, "business_unit", "Claims").await.unwrap();
    set(&ctx, &b.id, "business_unit", "Claims").await.unwrap();
    set(&ctx, &a.id, "expected_benefit", "1000").await.unwrap();
    set(&ctx, &b.id, "expected_benefit", "250.5").await.unwrap();
    assert_totals_agree(&ctx, "editing unit and benefit").await;
    set(&ctx, &a.id, "expected_benefit", "").await.unwrap();
    set(&ctx, &b.id, "business_unit", "Finance").await.unwrap();
    assert_totals_agree(&ctx, "clearing a benefit, moving unit").await;
    move_to(&ctx, &b.id, Stage::Parked, Some("on hold"))
        .await
        .unwrap();
    move_to(&ctx, &c.id, Stage::Retired, Some("duplicate"))
        .await
        .unwrap();
    assert_totals_agree(&ctx, "parking and retiring").await;
    use_case::set_archived(&ctx, &b.id, true).await.unwrap();
    assert_totals_agree(&ctx, "archiving").await;
    use_case::set_archived(&ctx, &b.id, false).await.unwrap();
    assert_totals_agree(&ctx, "unarchiving").await;
    use_case::delete(&ctx, &c.id).await.unwrap();
    assert_totals_agree(&ctx, "deleting").await;
    use_case::set_archived(&ctx, &a.id, true).await.unwrap();
    use_case::delete(&ctx, &a.id).await.unwrap();
    assert_totals_agree(&ctx, "deleting an archived one").await;

    // Ownership gaps follow owners as they are assigned and cleared.
    let d = add(&ctx, "D").await;
    score_all(&ctx, &d.id, 3, 3).await;
    own(&ctx, &d.id, OwnerRole::Business, "b@x.org").await;
    set(&ctx, &d.id, "problem", "slow").await.unwrap();
    move_to(&ctx, &d.id, Stage::Assessment, None).await.unwrap();
    own(&ctx, &d.id, OwnerRole::Technical, "t@x.org").await;
    set(&ctx, &d.id, "no_pattern_reason", "bespoke")
        .await
        .unwrap();
    triage(&ctx, &d.id, &[]).await;
    move_to(&ctx, &d.id, Stage::ProofOfConcept, None)
        .await
        .unwrap();
    let gaps = |ctx: &Ctx| {
        let ctx = ctx.clone();
        async move {
            let d = dashboard::dashboard(&ctx).await.unwrap();
            d.ownership_gaps_listed
                .into_iter()
                .map(|g| (g.title, g.missing))
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(gaps(&ctx).await, [("D".to_owned(), vec![OwnerRole::Data])]);
    own(&ctx, &d.id, OwnerRole::Data, "d@x.org").await;
    assert!(gaps(&ctx).await.is_empty());
    use_case::set_owner(
        &ctx,
        SetOwner {
            id: d.id.clone(),
            role: OwnerRole::Technical,
            person: None,
            expect_version: None,
        },
    )
    .await
    .unwrap();
    assert_eq!(
        gaps(&ctx).await,
        [("D".to_owned(), vec![OwnerRole::Technical])]
    );
}
