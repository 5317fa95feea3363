//! Outcomes: KPIs, their actuals and status, and realised benefits.

use crate::support::*;
use portfolio::kpi::{self, Direction, KpiStatus, NewKpi, RecordActual};
use portfolio::{dashboard, matrix};

fn days_from_today(n: i64) -> String {
    (chrono::Utc::now().date_naive() + chrono::Duration::days(n)).to_string()
}

async fn record(ctx: &Ctx, kpi_id: &str, value: f64, on: Option<String>) -> kpi::Kpi {
    kpi::record(
        ctx,
        RecordActual {
            kpi_id: kpi_id.into(),
            value,
            on,
        },
    )
    .await
    .unwrap()
}

#[tokio::test]
async fn kpis_record_actuals_and_say_whether_they_are_on_track() {
    let (_dir, ctx) = fresh().await;
    let uc = add(&ctx, "Claims triage assistant").await;
    let handling = kpi::add(
        &ctx,
        NewKpi {
            use_case_id: uc.id.clone(),
            name: "Handling time".into(),
            unit: Some("min".into()),
            baseline: Some(30.0),
            target: 10.0,
            direction: None,
            due: Some(days_from_today(200)),
        },
    )
    .await
    .unwrap();
    // A target below the baseline: lower is better.
    assert_eq!(handling.direction, Direction::Lower);
    assert_eq!(handling.status, KpiStatus::NotMeasured);
    // Today the line from baseline to target is still at the baseline: 29 is ahead of it.
    let k = record(&ctx, &handling.id, 29.0, None).await;
    assert_eq!((k.actuals.len(), k.status), (1, KpiStatus::OnTrack));
    assert_eq!(k.actuals[0].on, days_from_today(0));
    // A second value for the same day replaces the first; worse than the line is off track.
    let k = record(&ctx, &handling.id, 31.0, None).await;
    assert_eq!(k.actuals.len(), 1);
    assert_eq!((k.actuals[0].value, k.status), (31.0, KpiStatus::OffTrack));

    // Without a due date only reaching the target counts, judged on the latest day measured.
    let accuracy = kpi::add(
        &ctx,
        NewKpi {
            use_case_id: uc.id.clone(),
            name: "Routing accuracy".into(),
            baseline: Some(0.7),
            target: 0.9,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(accuracy.direction, Direction::Higher);
    let k = record(&ctx, &accuracy.id, 0.85, None).await;
    assert_eq!(k.status, KpiStatus::OffTrack);
    let k = record(&ctx, &accuracy.id, 0.95, Some(days_from_today(-7))).await;
    assert_eq!(
        k.actuals.iter().map(|a| a.value).collect::<Vec<_>>(),
        [0.95, 0.85]
    );
    assert_eq!(
        k.status,
        KpiStatus::OffTrack,
        "the latest measurement decides"
    );
    let k = record(&ctx, &accuracy.id, 0.9, None).await;
    assert_eq!(k.status, KpiStatus::OnTrack);

    // Bad input names the field; nothing is written.
    let dup = kpi::add(
        &ctx,
        NewKpi {
            use_case_id: uc.id.clone(),
            name: "handling TIME".into(),
            target: 5.0,
            ..Default::default()
        },
    )
    .await
    .unwrap_err();
    assert_eq!(
        (dup.code, dup.field.as_deref()),
        (ErrorCode::Conflict, Some("name"))
    );
    assert!(
        dup.message
            .contains(&format!("“{}” already has a KPI named", uc.title)),
        "{}",
        dup.message
    );
    for (on, why) in [
        (days_from_today(3), "in the future"),
        ("31/12/2025".to_owned(), "YYYY-MM-DD"),
    ] {
        let e = kpi::record(
            &ctx,
            RecordActual {
                kpi_id: accuracy.id.clone(),
                value: 1.0,
                on: Some(on),
            },
        )
        .await
        .unwrap_err();
        assert_eq!(
            (e.code, e.field.as_deref()),
            (ErrorCode::Validation, Some("on"))
        );
        assert!(e.message.contains(why), "{}", e.message);
    }
    let missing = kpi::add(
        &ctx,
        NewKpi {
            use_case_id: "nope".into(),
            name: "X".into(),
            target: 1.0,
            ..Default::default()
        },
    )
    .await
    .unwrap_err();
    assert_eq!(missing.code, ErrorCode::NotFound);

    let kpis = kpi::list(&ctx, &uc.id).await.unwrap();
    assert_eq!(
        kpis.iter().map(|k| k.name.as_str()).collect::<Vec<_>>(),
        ["Handling time", "Routing accuracy"]
    );
    assert_eq!(kpis[1].actuals.len(), 2);
    // Every KPI change is in the use case's history.
    let history = use_case::history(&ctx, &uc.id).await.unwrap();
    let kpi_entries: Vec<(&str, Option<&str>)> = history
        .iter()
        .filter(|e| e.kind.starts_with("kpi"))
        .map(|e| (e.kind.as_str(), e.field.as_deref()))
        .collect();
    assert_eq!(kpi_entries.len(), 7, "{kpi_entries:?}");
    assert_eq!(kpi_entries[0], ("kpi", Some("Handling time")));
    assert_eq!(kpi_entries[1], ("kpi_actual", Some("Handling time")));
}

#[tokio::test]
async fn realised_benefit_is_recorded_from_pilot_on_and_the_dashboard_compares_it() {
    let (dir, ctx) = fresh().await;
    let ids = import_cases(
        &ctx,
        &dir,
        "Title,Stage,Expected annual benefit,Realised annual benefit\n\
         A,idea,100,\n\
         B,pilot,200,150\n\
         C,production,300,\n\
         D,scaled,400,500\n\
         E,pilot,50,\n",
    )
    .await;
    let e = set(&ctx, &ids["A"], "realised_benefit", "50")
        .await
        .unwrap_err();
    assert_eq!(
        (e.code, e.field.as_deref()),
        (ErrorCode::Validation, Some("realised_benefit"))
    );
    assert!(e.message.contains("from Pilot on"), "{}", e.message);
    let c = set(&ctx, &ids["C"], "realised_benefit", "250")
        .await
        .unwrap();
    assert_eq!(c.realised_benefit, Some(250.0));
    // A use case parked after its pilot keeps what it realised and can still correct it.
    move_to(&ctx, &ids["E"], Stage::Parked, Some("vendor left"))
        .await
        .unwrap();
    set(&ctx, &ids["E"], "realised_benefit", "20")
        .await
        .unwrap();

    // KPIs: one on track, one off, one not measured, and one on an archived use case.
    let kpi_on = |id: &str, name: &str| NewKpi {
        use_case_id: id.into(),
        name: name.into(),
        target: 10.0,
        ..Default::default()
    };
    let on = kpi::add(&ctx, kpi_on(&ids["B"], "Cases a day"))
        .await
        .unwrap();
    record(&ctx, &on.id, 12.0, None).await;
    let off = kpi::add(&ctx, kpi_on(&ids["C"], "Cases a day"))
        .await
        .unwrap();
    record(&ctx, &off.id, 4.0, None).await;
    kpi::add(&ctx, kpi_on(&ids["D"], "Cases a day"))
        .await
        .unwrap();
    let archived = kpi::add(&ctx, kpi_on(&ids["A"], "Cases a day"))
        .await
        .unwrap();
    record(&ctx, &archived.id, 1.0, None).await;
    use_case::set_archived(&ctx, &ids["A"], true).await.unwrap();

    let d = dashboard::dashboard(&ctx).await.unwrap();
    // Pilot and later now: B (200, realised 150), C (300, 250), D (400, 500); E is parked.
    let b = &d.benefits;
    assert_eq!((b.use_cases, b.recorded), (3, 3));
    assert_eq!(
        (
            b.expected_benefit,
            b.realised_benefit,
            b.expected_where_recorded
        ),
        (900.0, 900.0, 900.0)
    );
    assert_eq!(d.by_stage[&Stage::Pilot].realised_benefit, 150.0);
    assert_eq!(d.by_stage[&Stage::Parked].realised_benefit, 20.0);
    assert_eq!(d.total.realised_benefit, 920.0);
    assert_eq!(
        d.kpi_status.values().copied().collect::<Vec<_>>(),
        [1, 1, 1],
        "on track, off track, not measured: {:?}",
        d.kpi_status
    );
    let json = serde_json::to_value(&d).unwrap();
    assert_eq!(json["kpi_status"]["on-track"], 1, "keyed by status");
}

#[tokio::test]
async fn the_matrix_shows_the_scored_use_cases_the_filters_allow() {
    let (_dir, ctx) = fresh().await;
    let x = add(&ctx, "X").await;
    let y = add(&ctx, "Y").await;
    let z = add(&ctx, "Z").await;
    for (uc, unit) in [(&x, "Claims"), (&y, "Finance"), (&z, "Claims")] {
        set(&ctx, &uc.id, "business_unit", unit).await.unwrap();
    }
    set(&ctx, &x.id, "expected_benefit", "1000").await.unwrap();
    score_all(&ctx, &x.id, 5, 5).await;
    score_all(&ctx, &y.id, 2, 2).await;

    let all = matrix::matrix(&ctx, &Filters::default()).await.unwrap();
    assert_eq!(
        all.points
            .iter()
            .map(|p| (p.title.as_str(), p.quadrant, p.expected_benefit))
            .collect::<Vec<_>>(),
        [
            ("X", Quadrant::QuickWin, Some(1000.0)),
            ("Y", Quadrant::Deprioritise, None)
        ]
    );
    assert_eq!(all.unscored, 1);
    assert_eq!(
        all.thresholds,
        ctx.scoring_model().await.unwrap().thresholds
    );
    assert_eq!(
        (all.points[0].value_score, all.points[0].feasibility_score),
        (100.0, 100.0)
    );

    let claims = matrix::matrix(
        &ctx,
        &Filters {
            business_unit: vec!["Claims".into()],
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(claims.points.len(), 1);
    assert_eq!(
        (claims.points[0].id.as_str(), claims.unscored),
        (x.id.as_str(), 1)
    );
}
