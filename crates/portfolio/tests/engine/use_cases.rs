//! A use case's life in the store: capture, edits and their checks, scoring, gates and stage
//! moves, stale edits, the portfolio's filters and pages, people, the demo portfolio and
//! identity.

use crate::support::*;

#[tokio::test]
async fn a_new_use_case_starts_as_an_idea_proposed_by_its_author() {
    let (_d, ctx) = fresh().await;
    let uc = add(&ctx, "  Invoice extraction ").await;
    assert_eq!(uc.title, "Invoice extraction", "titles are trimmed");
    assert_eq!(uc.stage, Stage::Idea);
    assert_eq!(
        uc.proposer.as_deref(),
        Some("ada@example.org"),
        "the actor proposes it, email lower-cased"
    );
    assert_eq!(uc.version, 1);
    assert!(
        uuid::Uuid::parse_str(&uc.id).unwrap().get_version_num() == 7,
        "ids are UUID v7"
    );
    let history = use_case::history(&ctx, &uc.id).await.unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(
        (history[0].kind.as_str(), history[0].actor.as_str()),
        ("create", "ada@example.org")
    );
}

#[tokio::test]
async fn bad_input_is_refused_by_field_and_nothing_is_saved() {
    let (_d, ctx) = fresh().await;
    let empty = use_case::create(
        &ctx,
        NewUseCase {
            title: " ".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap_err();
    assert_eq!(
        (empty.code, empty.field.as_deref()),
        (ErrorCode::Validation, Some("title"))
    );
    let huge = use_case::create(
        &ctx,
        NewUseCase {
            title: "t".repeat(100 * 1024),
            ..Default::default()
        },
    )
    .await
    .unwrap_err();
    assert!(
        huge.message.contains("at most 300 characters"),
        "{}",
        huge.message
    );
    let bad_email = use_case::create(
        &ctx,
        NewUseCase {
            title: "Fine".into(),
            proposer: Some("not-an-email".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap_err();
    assert_eq!(bad_email.field.as_deref(), Some("email"));
    let page = view::list(&ctx, ListQuery::default()).await.unwrap();
    assert_eq!(page.total, 0, "no refused use case was half-written");

    let uc = add(&ctx, "Churn model").await;
    let e = set(&ctx, &uc.id, "expected_benefit", "lots")
        .await
        .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("expected_benefit"));
    let e = use_case::set_score(
        &ctx,
        SetScore {
            id: uc.id.clone(),
            criterion: "reach".into(),
            score: Some(6),
            expect_version: None,
        },
    )
    .await
    .unwrap_err();
    assert_eq!(
        (e.code, e.field.as_deref()),
        (ErrorCode::Validation, Some("score"))
    );
    let e = use_case::set_score(
        &ctx,
        SetScore {
            id: uc.id.clone(),
            criterion: "vibes".into(),
            score: Some(3),
            expect_version: None,
        },
    )
    .await
    .unwrap_err();
    assert!(e.message.contains("unknown criterion `vibes`"));
    let after = use_case::get(&ctx, &uc.id).await.unwrap();
    assert_eq!(
        after.version, 1,
        "refused edits leave the use case untouched"
    );
    assert_eq!(
        use_case::get(&ctx, "nope").await.unwrap_err().code,
        ErrorCode::NotFound
    );
}

#[tokio::test]
async fn a_multi_field_edit_is_refused_whole_when_one_value_is_bad() {
    let (_d, ctx) = fresh().await;
    let uc = add(&ctx, "Claims triage").await;
    let fields = BTreeMap::from([
        ("problem".to_owned(), FieldValue::Text("Slow triage".into())),
        ("expected_cost".to_owned(), FieldValue::Text("-1".into())),
    ]);
    let e = use_case::set_fields(
        &ctx,
        SetFields {
            id: uc.id.clone(),
            expect_version: Some(1),
            fields,
        },
    )
    .await
    .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("expected_cost"));
    assert_eq!(
        use_case::get(&ctx, &uc.id).await.unwrap().problem,
        "",
        "the valid field was not written either"
    );
}

#[tokio::test]
async fn scoring_updates_value_feasibility_priority_and_quadrant() {
    let (_d, ctx) = fresh().await;
    let uc = add(&ctx, "Demand forecasting").await;
    let scored = score_all(&ctx, &uc.id, 5, 2).await;
    assert_eq!(scored.value_score, Some(100.0));
    assert_eq!(scored.feasibility_score, Some(25.0));
    assert_eq!(scored.priority, Some(62.5));
    assert_eq!(scored.quadrant, Some(Quadrant::StrategicBet));
    let sum: f64 = scored
        .score_breakdown
        .value
        .iter()
        .filter_map(|c| c.contribution)
        .sum();
    assert_eq!(sum, 100.0, "the breakdown explains the whole value score");
    let cleared = use_case::set_score(
        &ctx,
        SetScore {
            id: uc.id.clone(),
            criterion: "urgency".into(),
            score: None,
            expect_version: None,
        },
    )
    .await
    .unwrap();
    assert_eq!(
        (cleared.value_score, cleared.quadrant),
        (None, None),
        "a cleared criterion unscores its axis"
    );
    let kinds: Vec<_> = use_case::history(&ctx, &uc.id)
        .await
        .unwrap()
        .into_iter()
        .filter(|h| h.kind == "score")
        .collect();
    assert_eq!(
        kinds.len(),
        10,
        "nine scores and one clear are in the history"
    );
    assert_eq!(kinds[9].field.as_deref(), Some("urgency"));
}

#[tokio::test]
async fn gates_say_what_is_missing_before_the_move_and_block_it() {
    let (_d, ctx) = fresh().await;
    let uc = add(&ctx, "Fraud detection").await;
    let options = stage_move::stage_options(&ctx, &uc.id).await.unwrap();
    let assessment = options
        .iter()
        .find(|o| o.stage == Stage::Assessment)
        .unwrap();
    assert!(!assessment.allowed);
    let missing: Vec<_> = assessment
        .gate
        .iter()
        .filter(|g| !g.met)
        .map(|g| g.label.as_str())
        .collect();
    assert_eq!(missing, vec!["a business owner", "a problem statement"]);
    let pilot = options.iter().find(|o| o.stage == Stage::Pilot).unwrap();
    assert!(
        pilot.kind.is_none()
            && pilot
                .reason
                .as_deref()
                .unwrap()
                .contains("one stage at a time")
    );

    let e = move_to(&ctx, &uc.id, Stage::Assessment, None)
        .await
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::GateBlocked);
    assert_eq!(
        e.details,
        vec!["missing: a business owner", "missing: a problem statement"]
    );

    own(&ctx, &uc.id, OwnerRole::Business, "bea@example.org").await;
    set(&ctx, &uc.id, "problem", "Fraud costs 2M a year")
        .await
        .unwrap();
    let moved = move_to(&ctx, &uc.id, Stage::Assessment, None)
        .await
        .unwrap();
    assert_eq!(moved.stage, Stage::Assessment);

    let e = move_to(&ctx, &uc.id, Stage::ProofOfConcept, None)
        .await
        .unwrap_err();
    assert_eq!(e.details.len(), 4, "{:?}", e.details);
    assert!(
        e.details[0].contains("(not yet: Strategic fit,"),
        "{:?}",
        e.details
    );
    assert_eq!(
        e.details[2..],
        [
            "missing: a primary pattern (or a recorded reason for none)",
            "missing: a risk triage (not prohibited, under the current rules) (not triaged)"
        ]
    );
    score_all(&ctx, &uc.id, 4, 4).await;
    own(&ctx, &uc.id, OwnerRole::Technical, "tom@example.org").await;
    // A recorded reason stands in for a primary pattern.
    set(
        &ctx,
        &uc.id,
        "no_pattern_reason",
        "a rules engine, no model",
    )
    .await
    .unwrap();
    triage(&ctx, &uc.id, &[]).await;
    assert_eq!(
        move_to(&ctx, &uc.id, Stage::ProofOfConcept, None)
            .await
            .unwrap()
            .stage,
        Stage::ProofOfConcept
    );
}

#[tokio::test]
async fn move_rules_need_reasons_and_parked_cases_return_where_they_left() {
    let (_d, ctx) = fresh().await;
    let uc = add(&ctx, "HR policy chatbot").await;
    own(&ctx, &uc.id, OwnerRole::Business, "bea@example.org").await;
    set(&ctx, &uc.id, "problem", "Policy questions swamp HR")
        .await
        .unwrap();
    move_to(&ctx, &uc.id, Stage::Assessment, None)
        .await
        .unwrap();

    let e = move_to(&ctx, &uc.id, Stage::Parked, None)
        .await
        .unwrap_err();
    assert_eq!(
        (e.code, e.field.as_deref()),
        (ErrorCode::Validation, Some("note")),
        "parking needs a reason"
    );
    let parked = move_to(&ctx, &uc.id, Stage::Parked, Some("Budget frozen until Q3"))
        .await
        .unwrap();
    assert_eq!(
        (parked.stage, parked.left_stage),
        (Stage::Parked, Some(Stage::Assessment))
    );

    let e = move_to(&ctx, &uc.id, Stage::ProofOfConcept, Some("back"))
        .await
        .unwrap_err();
    assert_eq!(
        e.code,
        ErrorCode::GateBlocked,
        "a parked case cannot jump past the stage it left"
    );
    let back = move_to(&ctx, &uc.id, Stage::Assessment, Some("Budget approved"))
        .await
        .unwrap();
    assert_eq!((back.stage, back.left_stage), (Stage::Assessment, None));

    let retired = move_to(
        &ctx,
        &uc.id,
        Stage::Retired,
        Some("Replaced by vendor tool"),
    )
    .await
    .unwrap();
    assert_eq!(retired.stage, Stage::Retired);

    let timeline = stage_move::timeline(&ctx, &uc.id).await.unwrap();
    let moves: Vec<_> = timeline
        .iter()
        .map(|t| {
            (
                t.old.clone().unwrap(),
                t.new.clone().unwrap(),
                t.note.clone(),
            )
        })
        .collect();
    assert_eq!(moves.len(), 4);
    assert_eq!(
        moves[1],
        (
            "assessment".into(),
            "parked".into(),
            Some("Budget frozen until Q3".into())
        )
    );
    assert!(
        timeline
            .iter()
            .all(|t| t.actor == "ada@example.org" && t.at.ends_with('Z')),
        "who and when, in UTC"
    );
}

#[tokio::test]
async fn an_edit_based_on_a_stale_version_is_refused_and_the_newer_edit_kept() {
    let (_d, ctx) = fresh().await;
    let uc = add(&ctx, "Route optimisation").await;
    let first = BTreeMap::from([(
        "title".to_owned(),
        FieldValue::Text("Route optimisation v2".into()),
    )]);
    use_case::set_fields(
        &ctx,
        SetFields {
            id: uc.id.clone(),
            expect_version: Some(uc.version),
            fields: first,
        },
    )
    .await
    .unwrap();
    let second = BTreeMap::from([("title".to_owned(), FieldValue::Text("Stale title".into()))]);
    let e = use_case::set_fields(
        &ctx,
        SetFields {
            id: uc.id.clone(),
            expect_version: Some(uc.version),
            fields: second,
        },
    )
    .await
    .unwrap_err();
    assert_eq!(e.code, ErrorCode::Stale);
    let now = use_case::get(&ctx, &uc.id).await.unwrap();
    assert_eq!(
        (now.title.as_str(), now.version),
        ("Route optimisation v2", 2)
    );
}

#[tokio::test]
async fn editing_the_scoring_model_recomputes_every_score_and_keeps_each_versions_scores() {
    let (_d, ctx) = fresh().await;
    let a = add(&ctx, "A").await;
    score_all(&ctx, &a.id, 3, 3).await;
    assert_eq!(
        use_case::get(&ctx, &a.id).await.unwrap().quadrant,
        Some(Quadrant::QuickWin)
    );
    let mut model = ctx.scoring_model().await.unwrap();
    model.thresholds.value = 75.0;
    model.value[0].weight = 10.0;
    let saved = portfolio::settings::save_scoring_model(&ctx, model)
        .await
        .unwrap();
    assert_eq!(saved.version, 2);
    let after = use_case::get(&ctx, &a.id).await.unwrap();
    assert_eq!(
        after.quadrant,
        Some(Quadrant::FillIn),
        "the new threshold moved it"
    );
    let versions = use_case::model_scores(&ctx, &a.id).await.unwrap();
    assert_eq!(
        versions.iter().map(|v| v.model_version).collect::<Vec<_>>(),
        vec![2, 1]
    );
    assert_eq!(
        versions[1].quadrant.as_deref(),
        Some("quick-win"),
        "version 1's verdict is kept"
    );
    let page = view::list(
        &ctx,
        ListQuery {
            filters: Filters {
                quadrant: vec![Quadrant::FillIn],
                ..Default::default()
            },
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(
        page.total, 1,
        "the cached quadrant used by filters was recomputed too"
    );

    let mut bad = ctx.scoring_model().await.unwrap();
    bad.feasibility.clear();
    let e = portfolio::settings::save_scoring_model(&ctx, bad)
        .await
        .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("feasibility"));
    assert_eq!(
        ctx.scoring_model().await.unwrap().version,
        2,
        "a refused model is not saved"
    );
}

#[tokio::test]
async fn the_portfolio_filters_sorts_searches_and_pages_in_the_store() {
    let (_d, ctx) = fresh().await;
    let a = add(&ctx, "Invoice extraction").await;
    let b = add(&ctx, "Call summarisation").await;
    let c = add(&ctx, "-20% churn").await;
    set(&ctx, &a.id, "business_unit", "Finance").await.unwrap();
    set(&ctx, &a.id, "tags", "nlp, documents").await.unwrap();
    set(
        &ctx,
        &b.id,
        "problem",
        "Agents spend minutes writing call notes",
    )
    .await
    .unwrap();
    set(&ctx, &b.id, "tags", "nlp").await.unwrap();
    own(&ctx, &b.id, OwnerRole::Data, "dan@example.org").await;
    score_all(&ctx, &a.id, 2, 2).await;
    score_all(&ctx, &b.id, 5, 4).await;

    let titles = |p: view::Page| p.rows.into_iter().map(|r| r.title).collect::<Vec<_>>();
    let q = |filters: Filters, sort: Option<&str>| ListQuery {
        filters,
        sort: sort.map(Into::into),
        ..Default::default()
    };
    assert_eq!(
        titles(view::list(&ctx, q(Filters::default(), None)).await.unwrap()),
        vec!["Call summarisation", "Invoice extraction", "-20% churn"],
        "default order is priority, unscored last"
    );
    assert_eq!(
        titles(
            view::list(&ctx, q(Filters::default(), Some("title:desc")))
                .await
                .unwrap()
        ),
        vec!["Invoice extraction", "Call summarisation", "-20% churn"]
    );
    let by = |f: Filters| view::list(&ctx, q(f, None));
    assert_eq!(
        titles(
            by(Filters {
                tag: vec!["NLP".into()],
                ..Default::default()
            })
            .await
            .unwrap()
        )
        .len(),
        2,
        "tags match case-insensitively"
    );
    assert_eq!(
        titles(
            by(Filters {
                tag: vec!["nlp".into()],
                business_unit: vec!["Finance".into()],
                ..Default::default()
            })
            .await
            .unwrap()
        ),
        vec!["Invoice extraction"],
        "different filters all apply"
    );
    assert_eq!(
        titles(
            by(Filters {
                owner: vec!["DAN@example.org".into()],
                ..Default::default()
            })
            .await
            .unwrap()
        ),
        vec!["Call summarisation"]
    );
    assert_eq!(
        titles(
            by(Filters {
                search: Some("call note".into()),
                ..Default::default()
            })
            .await
            .unwrap()
        ),
        vec!["Call summarisation"],
        "search reads the text and matches word prefixes"
    );
    assert_eq!(
        titles(
            by(Filters {
                search: Some("-20% churn".into()),
                ..Default::default()
            })
            .await
            .unwrap()
        ),
        vec!["-20% churn"]
    );
    assert_eq!(
        by(Filters {
            stage: vec![Stage::Pilot],
            ..Default::default()
        })
        .await
        .unwrap()
        .total,
        0
    );

    let page = view::list(
        &ctx,
        ListQuery {
            offset: Some(1),
            limit: Some(1),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(
        (page.total, titles(page)),
        (3, vec!["Invoice extraction".to_owned()]),
        "a page, and the total over all pages"
    );
    assert_eq!(
        view::list(&ctx, q(Filters::default(), Some("owners")))
            .await
            .unwrap_err()
            .field
            .as_deref(),
        Some("sort")
    );
    let _ = c;
}

#[tokio::test]
async fn one_person_per_email_whatever_its_case() {
    let (_d, ctx) = fresh().await;
    let uc = add(&ctx, "Contract review").await;
    own(&ctx, &uc.id, OwnerRole::Business, "Bea@Example.org").await;
    own(&ctx, &uc.id, OwnerRole::Data, "bea@example.ORG").await;
    let people = portfolio::person::all(&ctx).await.unwrap();
    assert_eq!(
        people
            .iter()
            .filter(|p| p.email == "bea@example.org")
            .count(),
        1
    );
    let cleared = use_case::set_owner(
        &ctx,
        SetOwner {
            id: uc.id.clone(),
            role: OwnerRole::Data,
            person: None,
            expect_version: None,
        },
    )
    .await
    .unwrap();
    assert_eq!(
        (
            cleared.owners.business.as_deref(),
            cleared.owners.data.as_deref()
        ),
        (Some("bea@example.org"), None)
    );
}

#[tokio::test]
async fn the_demo_portfolio_covers_every_stage_and_loads_only_into_an_empty_store() {
    let (_d, ctx) = fresh().await;
    let n = portfolio::demo::load(&ctx).await.unwrap();
    assert!((36..=46).contains(&n), "about forty use cases, got {n}");
    let choices = view::filter_choices(&ctx).await.unwrap();
    assert_eq!(choices.business_units.len(), 6);
    for stage in Stage::ALL {
        assert!(
            choices
                .stage_counts
                .iter()
                .any(|(s, c)| *s == stage && *c > 0),
            "the demo has a use case at {stage:?}"
        );
    }
    let all = view::list(&ctx, ListQuery::default()).await.unwrap();
    let quadrants: std::collections::HashSet<_> =
        all.rows.iter().filter_map(|r| r.quadrant).collect();
    assert_eq!(
        quadrants.len(),
        4,
        "every quadrant of the matrix has use cases"
    );
    // Outcomes to show: KPIs in every status, realised benefit beside the expected.
    let d = portfolio::dashboard::dashboard(&ctx).await.unwrap();
    assert!(
        d.kpi_status.values().all(|n| *n > 0),
        "KPIs on track, off track and not measured: {:?}",
        d.kpi_status
    );
    assert!(d.benefits.recorded > 0 && d.benefits.recorded < d.benefits.use_cases);
    let e = portfolio::demo::load(&ctx).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::Validation);
    // Every staged demo case passes the gates it went through.
    let pocs = view::list(
        &ctx,
        ListQuery {
            filters: Filters {
                stage: vec![Stage::Pilot],
                ..Default::default()
            },
            ..Default::default()
        },
    )
    .await
    .unwrap();
    for r in pocs.rows {
        assert!(
            r.owners.technical.is_some() && r.value_score.is_some(),
            "{} passed the proof-of-concept gate",
            r.title
        );
    }
}

#[tokio::test]
async fn there_is_no_actor_without_an_identity() {
    let dir = TempDir::new().unwrap();
    let ctx = Ctx::open(&dir.path().join("p.db"), OpenMode::Create)
        .await
        .unwrap();
    let e = use_case::create(
        &ctx,
        NewUseCase {
            title: "X".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap_err();
    assert_eq!(e.code, ErrorCode::Validation);
    assert!(e.message.contains("no identity"));
    let as_bob = ctx
        .clone()
        .with_actor(Some("Bob@Example.org".into()))
        .unwrap();
    let uc = use_case::create(
        &as_bob,
        NewUseCase {
            title: "X".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(
        use_case::history(&as_bob, &uc.id).await.unwrap()[0].actor,
        "bob@example.org"
    );
    let e = portfolio::person::set_identity(
        &ctx,
        Identity {
            name: "Ada".into(),
            email: "ada at example".into(),
        },
    )
    .await
    .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("email"));
}

#[tokio::test]
async fn a_backward_move_asks_for_a_note_and_takes_one() {
    let (_d, ctx) = fresh().await;
    let uc = add(&ctx, "Claims triage").await;
    own(&ctx, &uc.id, OwnerRole::Business, "bea@example.org").await;
    set(&ctx, &uc.id, "problem", "Slow claims").await.unwrap();
    move_to(&ctx, &uc.id, Stage::Assessment, None)
        .await
        .unwrap();

    let options = stage_move::stage_options(&ctx, &uc.id).await.unwrap();
    let back = options.iter().find(|o| o.stage == Stage::Idea).unwrap();
    assert!(back.allowed && back.needs_note, "{back:?}");
    let e = move_to(&ctx, &uc.id, Stage::Idea, None).await.unwrap_err();
    assert_eq!(
        (e.code, e.field.as_deref()),
        (ErrorCode::Validation, Some("note"))
    );
    let moved = move_to(&ctx, &uc.id, Stage::Idea, Some("Problem restated"))
        .await
        .unwrap();
    assert_eq!(moved.stage, Stage::Idea);
}

#[tokio::test]
async fn sorting_by_title_ignores_case() {
    let (_d, ctx) = fresh().await;
    for t in ["Charlie", "alpha", "Bravo"] {
        add(&ctx, t).await;
    }
    let q = ListQuery {
        sort: Some("title".into()),
        ..Default::default()
    };
    let titles: Vec<String> = view::list(&ctx, q)
        .await
        .unwrap()
        .rows
        .into_iter()
        .map(|r| r.title)
        .collect();
    assert_eq!(titles, ["alpha", "Bravo", "Charlie"]);
}
