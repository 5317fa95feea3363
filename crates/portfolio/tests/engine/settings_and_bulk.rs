//! Settings (preferences, the scoring model and gate rules as leads edit them), saved views
//! and bulk edits.

use crate::support::*;
use portfolio::bulk::{self, BulkChange, BulkEdit};
use portfolio::gate::Requirement;
use portfolio::saved_view::{self, SaveView};
use portfolio::settings::{self, DateFormat, Preferences};

#[tokio::test]
async fn edited_gate_rules_apply_to_the_next_move_and_are_versioned() {
    let (_d, ctx) = fresh().await;
    let uc = add(&ctx, "Gated").await;
    let mut rules = ctx.gate_rules().await.unwrap();
    rules.stages.insert(
        Stage::Assessment,
        vec![Requirement::Field {
            field: "solution".into(),
        }],
    );
    let saved = settings::save_gate_rules(&ctx, rules).await.unwrap();
    assert_eq!(saved.version, 2);
    let e = move_to(&ctx, &uc.id, Stage::Assessment, None)
        .await
        .unwrap_err();
    assert_eq!(
        e.details,
        vec!["missing: a proposed solution"],
        "the new rule, and only it, applies"
    );
    set(&ctx, &uc.id, "solution", "Use OCR").await.unwrap();
    move_to(&ctx, &uc.id, Stage::Assessment, None)
        .await
        .unwrap();

    let mut bad = ctx.gate_rules().await.unwrap();
    bad.stages.insert(Stage::Idea, vec![Requirement::AllScored]);
    assert!(settings::save_gate_rules(&ctx, bad).await.is_err());
    assert_eq!(
        ctx.gate_rules().await.unwrap().version,
        2,
        "a refused edit is not saved"
    );
}

#[tokio::test]
async fn preferences_are_checked_and_kept() {
    let (_d, ctx) = fresh().await;
    assert_eq!(settings::preferences(&ctx).await.unwrap().currency, "EUR");
    let saved = settings::save_preferences(
        &ctx,
        Preferences {
            currency: "usd".into(),
            date_format: DateFormat::MonthDayYear,
            stale_after_days: 45,
        },
    )
    .await
    .unwrap();
    assert_eq!(saved.currency, "USD");
    assert_eq!(settings::preferences(&ctx).await.unwrap(), saved);
    let e = settings::save_preferences(
        &ctx,
        Preferences {
            currency: "dollars".into(),
            date_format: DateFormat::Iso,
            stale_after_days: 90,
        },
    )
    .await;
    assert_eq!(e.unwrap_err().field.as_deref(), Some("currency"));
    let e = settings::save_preferences(
        &ctx,
        Preferences {
            stale_after_days: 0,
            ..saved.clone()
        },
    )
    .await;
    assert_eq!(e.unwrap_err().field.as_deref(), Some("stale_after_days"));
    assert_eq!(
        settings::preferences(&ctx).await.unwrap().stale_after_days,
        45
    );
}

#[tokio::test]
async fn saved_views_come_back_by_name() {
    let (_d, ctx) = fresh().await;
    let query = ListQuery {
        filters: Filters {
            stage: vec![Stage::Pilot],
            tag: vec!["nlp".into()],
            ..Default::default()
        },
        sort: Some("title".into()),
        offset: Some(200),
        limit: Some(100),
    };
    let v = saved_view::save(
        &ctx,
        SaveView {
            name: "Pilots in NLP".into(),
            query: query.clone(),
        },
    )
    .await
    .unwrap();
    assert_eq!(v.query.offset, None, "paging is not part of a view");
    let again = saved_view::save(
        &ctx,
        SaveView {
            name: "pilots in nlp".into(),
            query: ListQuery::default(),
        },
    )
    .await
    .unwrap();
    assert_eq!(
        again.id, v.id,
        "saving under the same name replaces the view"
    );
    assert_eq!(saved_view::list(&ctx).await.unwrap().len(), 1);
    saved_view::delete(&ctx, &v.id).await.unwrap();
    assert!(saved_view::list(&ctx).await.unwrap().is_empty());
    assert!(
        saved_view::save(
            &ctx,
            SaveView {
                name: " ".into(),
                query
            }
        )
        .await
        .is_err()
    );
}

#[tokio::test]
async fn a_bulk_stage_move_applies_the_gates_per_use_case_and_says_why() {
    let (_d, ctx) = fresh().await;
    let ready = add(&ctx, "Ready").await;
    own(&ctx, &ready.id, OwnerRole::Business, "bea@example.org").await;
    set(&ctx, &ready.id, "problem", "Known problem")
        .await
        .unwrap();
    let not_ready = add(&ctx, "Not ready").await;
    let ids = vec![ready.id.clone(), not_ready.id.clone(), "missing-id".into()];
    let out = bulk::apply(
        &ctx,
        BulkEdit {
            ids,
            change: BulkChange::Stage {
                to: Stage::Assessment,
                note: None,
            },
        },
    )
    .await
    .unwrap();
    assert_eq!(out.changed, vec![ready.id.clone()]);
    assert_eq!(out.refused.len(), 2);
    assert_eq!(out.refused[0].title, "Not ready");
    assert_eq!(
        out.refused[0].details,
        vec!["missing: a business owner", "missing: a problem statement"]
    );
    assert!(out.refused[1].reason.contains("no use case"));

    let ids = vec![ready.id.clone(), not_ready.id.clone()];
    set(&ctx, &ready.id, "tags", "nlp, pilot").await.unwrap();
    bulk::apply(
        &ctx,
        BulkEdit {
            ids: ids.clone(),
            change: BulkChange::Tags {
                add: vec!["q3".into()],
                remove: vec!["PILOT".into()],
            },
        },
    )
    .await
    .unwrap();
    assert_eq!(
        use_case::get(&ctx, &ready.id).await.unwrap().tags,
        vec!["nlp", "q3"]
    );
    assert_eq!(
        use_case::get(&ctx, &not_ready.id).await.unwrap().tags,
        vec!["q3"]
    );
    bulk::apply(
        &ctx,
        BulkEdit {
            ids,
            change: BulkChange::BusinessUnit {
                business_unit: "Finance".into(),
            },
        },
    )
    .await
    .unwrap();
    let page = view::list(
        &ctx,
        ListQuery {
            filters: Filters {
                business_unit: vec!["Finance".into()],
                ..Default::default()
            },
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(page.total, 2);
}

#[tokio::test]
async fn bulk_created_use_cases_are_whole_scored_and_logged() {
    let (_d, ctx) = fresh().await;
    portfolio::sample::generate(&ctx, 1500, 7).await.unwrap();
    let all = ListQuery {
        filters: Filters {
            include_archived: true,
            ..Default::default()
        },
        ..Default::default()
    };
    let page = view::list(&ctx, all).await.unwrap();
    assert_eq!(page.total, 1500);
    let model = ctx.scoring_model().await.unwrap();
    for row in page.rows.iter().step_by(97) {
        let uc = use_case::get(&ctx, &row.id).await.unwrap();
        assert_eq!(
            row.value_score, uc.value_score,
            "the cached score is what the model computes"
        );
        assert_eq!(row.quadrant, uc.quadrant);
        assert!(uc.owners.business.is_some());
        let history = use_case::history(&ctx, &row.id).await.unwrap();
        assert_eq!(
            history[0].kind, "create",
            "every bulk-created use case has its create entry"
        );
        if uc.value_score.is_some() {
            let raw: std::collections::HashMap<String, u8> = uc
                .scores
                .iter()
                .filter_map(|(k, v)| v.map(|v| (k.clone(), v)))
                .collect();
            assert_eq!(model.score(&raw).priority, uc.priority);
        }
        for tag in &uc.tags {
            let f = Filters {
                tag: vec![tag.clone()],
                search: Some(uc.title.clone()),
                include_archived: true,
                ..Default::default()
            };
            let found = view::list(
                &ctx,
                ListQuery {
                    filters: f,
                    ..Default::default()
                },
            )
            .await
            .unwrap();
            assert!(
                found.rows.iter().any(|r| r.id == uc.id),
                "tags and text of bulk rows are indexed"
            );
        }
    }
}

#[tokio::test]
async fn settings_edited_from_an_old_version_are_refused_as_stale() {
    let (_d, ctx) = fresh().await;
    let opened = ctx.gate_rules().await.unwrap();
    let mut first = opened.clone();
    first.stages.remove(&Stage::Assessment);
    portfolio::settings::save_gate_rules(&ctx, first)
        .await
        .unwrap();
    let e = portfolio::settings::save_gate_rules(&ctx, opened)
        .await
        .unwrap_err();
    assert_eq!(
        e.code,
        ErrorCode::Stale,
        "the second editor started from version 1"
    );
    assert!(
        ctx.gate_rules()
            .await
            .unwrap()
            .for_stage(Stage::Assessment)
            .is_empty(),
        "the first edit stands"
    );
    let model = ctx.scoring_model().await.unwrap();
    portfolio::settings::save_scoring_model(&ctx, model.clone())
        .await
        .unwrap();
    assert_eq!(
        portfolio::settings::save_scoring_model(&ctx, model)
            .await
            .unwrap_err()
            .code,
        ErrorCode::Stale
    );
}

#[tokio::test]
async fn a_bulk_owner_change_adds_the_person_and_owns_each_use_case() {
    let (_d, ctx) = fresh().await;
    let a = add(&ctx, "Alpha").await;
    let b = add(&ctx, "Bravo").await;
    let sam = NewPerson {
        email: "Sam@Example.org".into(),
        name: Some("Sam Architect".into()),
        business_unit: None,
    };
    let out = bulk::apply(
        &ctx,
        BulkEdit {
            ids: vec![a.id.clone(), b.id.clone()],
            change: BulkChange::Owner {
                role: OwnerRole::Technical,
                person: Some(sam),
            },
        },
    )
    .await
    .unwrap();
    assert_eq!(out.changed, vec![a.id.clone(), b.id.clone()]);
    for id in [&a.id, &b.id] {
        let uc = use_case::get(&ctx, id).await.unwrap();
        assert_eq!(uc.owners.technical.as_deref(), Some("sam@example.org"));
    }
    let people = portfolio::person::all(&ctx).await.unwrap();
    let found = people
        .iter()
        .find(|p| p.email == "sam@example.org")
        .unwrap();
    assert_eq!(found.name, "Sam Architect");
}
