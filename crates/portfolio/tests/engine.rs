//! The engine's integration tests: every scenario runs against a fresh store in a
//! temporary directory, through the same functions the app and the CLI call.

use std::collections::BTreeMap;

use portfolio::field::FieldValue;
use portfolio::owner::OwnerRole;
use portfolio::person::NewPerson;
use portfolio::scoring::Quadrant;
use portfolio::stage::Stage;
use portfolio::stage_move::{self, MoveStage};
use portfolio::use_case::{self, NewUseCase, SetFields, SetOwner, SetScore, UseCase};
use portfolio::view::{self, Filters, ListQuery};
use portfolio::{Ctx, ErrorCode, Identity, OpenMode};
use tempfile::TempDir;

async fn fresh() -> (TempDir, Ctx) {
    let dir = TempDir::new().unwrap();
    let ctx = Ctx::open(&dir.path().join("p.db"), OpenMode::Create)
        .await
        .unwrap();
    ctx.set_identity(Identity {
        name: "Ada Lovelace".into(),
        email: "Ada@Example.org".into(),
    })
    .await
    .unwrap();
    (dir, ctx)
}

async fn add(ctx: &Ctx, title: &str) -> UseCase {
    use_case::create(
        ctx,
        NewUseCase {
            title: title.into(),
            ..Default::default()
        },
    )
    .await
    .unwrap()
}

async fn set(ctx: &Ctx, id: &str, field: &str, value: &str) -> portfolio::Result<UseCase> {
    let fields = BTreeMap::from([(field.to_owned(), FieldValue::Text(value.into()))]);
    use_case::set_fields(
        ctx,
        SetFields {
            id: id.into(),
            expect_version: None,
            fields,
        },
    )
    .await
}

async fn score_all(ctx: &Ctx, id: &str, value: i32, feasibility: i32) -> UseCase {
    let model = ctx.scoring_model().await.unwrap();
    let mut last = None;
    for (axis, c) in model.criteria() {
        let s = if axis == portfolio::scoring::Axis::Value {
            value
        } else {
            feasibility
        };
        let req = SetScore {
            id: id.into(),
            criterion: c.slug.clone(),
            score: Some(s),
            expect_version: None,
        };
        last = Some(use_case::set_score(ctx, req).await.unwrap());
    }
    last.unwrap()
}

async fn own(ctx: &Ctx, id: &str, role: OwnerRole, email: &str) -> UseCase {
    let person = Some(NewPerson {
        email: email.into(),
        name: None,
        business_unit: None,
    });
    use_case::set_owner(
        ctx,
        SetOwner {
            id: id.into(),
            role,
            person,
            expect_version: None,
        },
    )
    .await
    .unwrap()
}

/// Records a triage with `yes` answered yes and every other question no.
async fn triage(ctx: &Ctx, id: &str, yes: &[&str]) -> UseCase {
    let answers = portfolio::triage::rule_set()
        .questions
        .iter()
        .map(|q| (q.id.clone(), yes.contains(&q.id.as_str())))
        .collect();
    portfolio::triage::record(
        ctx,
        portfolio::triage::RecordTriage {
            use_case_id: id.into(),
            answers,
            ..Default::default()
        },
    )
    .await
    .unwrap()
}

async fn move_to(ctx: &Ctx, id: &str, to: Stage, note: Option<&str>) -> portfolio::Result<UseCase> {
    stage_move::move_stage(
        ctx,
        MoveStage {
            id: id.into(),
            to,
            note: note.map(Into::into),
            expect_version: None,
        },
    )
    .await
}

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
    let e = ctx
        .set_identity(Identity {
            name: "Ada".into(),
            email: "ada at example".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("email"));
}

mod store_files {
    use super::*;

    #[tokio::test]
    async fn a_missing_store_is_not_found_unless_created() {
        let dir = TempDir::new().unwrap();
        let e = Ctx::open(&dir.path().join("none.db"), OpenMode::Existing)
            .await
            .err()
            .unwrap();
        assert_eq!(e.code, ErrorCode::NotFound);
        assert!(e.message.contains("run `portfolio init`"));
    }

    #[tokio::test]
    async fn a_file_that_is_not_a_store_is_refused_untouched() {
        let dir = TempDir::new().unwrap();
        let path = dir.path().join("notes.db");
        std::fs::write(&path, b"quarterly notes, not a database").unwrap();
        let e = Ctx::open(&path, OpenMode::Existing).await.err().unwrap();
        assert_eq!(e.code, ErrorCode::CorruptStore);
        assert!(
            e.message.contains("notes.db"),
            "the message names the file: {}",
            e.message
        );
        assert_eq!(
            std::fs::read(&path).unwrap(),
            b"quarterly notes, not a database"
        );
    }

    #[tokio::test]
    async fn a_store_from_a_newer_app_is_refused_untouched() {
        let (dir, ctx) = fresh().await;
        add(&ctx, "Keep me").await;
        sqlx::query("INSERT INTO _sqlx_migrations (version, description, installed_on, success, checksum, execution_time) VALUES (99, 'future', '2030-01-01', 1, x'00', 0)")
            .execute(&sqlx::SqlitePool::connect(&format!("sqlite://{}", dir.path().join("p.db").display())).await.unwrap())
            .await
            .unwrap();
        ctx.close().await;
        let e = Ctx::open(&dir.path().join("p.db"), OpenMode::Existing)
            .await
            .err()
            .unwrap();
        assert_eq!(e.code, ErrorCode::NewerStore);
        assert!(e.message.contains("schema 99"), "{}", e.message);
    }

    #[tokio::test]
    async fn an_existing_file_is_copied_aside_before_it_is_migrated() {
        let dir = TempDir::new().unwrap();
        let path = dir.path().join("old.db");
        let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}?mode=rwc", path.display()))
            .await
            .unwrap();
        sqlx::query("CREATE TABLE keepsake (note TEXT)")
            .execute(&pool)
            .await
            .unwrap();
        sqlx::query("INSERT INTO keepsake VALUES ('before the upgrade')")
            .execute(&pool)
            .await
            .unwrap();
        pool.close().await;
        let ctx = Ctx::open(&path, OpenMode::Existing).await.unwrap();
        let schema = portfolio::store::Store::known_schema();
        let copy = dir.path().join(format!("old.before-schema-{schema}.db"));
        assert!(copy.exists(), "a copy is taken before migrating");
        let copy_pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", copy.display()))
            .await
            .unwrap();
        let note: String = sqlx::query_scalar("SELECT note FROM keepsake")
            .fetch_one(&copy_pool)
            .await
            .unwrap();
        assert_eq!(note, "before the upgrade");
        assert_eq!(
            ctx.scoring_model().await.unwrap().version,
            1,
            "the migrated store is usable"
        );
        drop(ctx);
        std::fs::remove_file(&copy).unwrap();
        Ctx::open(&path, OpenMode::Existing).await.unwrap();
        assert!(!copy.exists(), "no copy when nothing is pending");
    }

    #[tokio::test]
    async fn a_first_release_store_is_upgraded_with_its_data_and_a_copy_kept() {
        let dir = TempDir::new().unwrap();
        let path = dir.path().join("v1.db");
        let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}?mode=rwc", path.display()))
            .await
            .unwrap();
        let mut first = sqlx::migrate::Migrator::new(std::path::Path::new("migrations"))
            .await
            .unwrap();
        first.migrations = std::borrow::Cow::Owned(first.migrations[..1].to_vec());
        first.run(&pool).await.unwrap();
        sqlx::query(
            "INSERT INTO use_cases (id, title, stage, stage_since, created_at, updated_at)
             VALUES ('01900000-0000-7000-8000-000000000001', 'From the first release', 'pilot', '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z')",
        )
        .execute(&pool)
        .await
        .unwrap();
        pool.close().await;

        let ctx = Ctx::open(&path, OpenMode::Existing).await.unwrap();
        let rows = view::list(&ctx, ListQuery::default()).await.unwrap().rows;
        assert_eq!(
            rows[0].title, "From the first release",
            "the upgraded store keeps its data"
        );
        assert_eq!(rows[0].stage, Stage::Pilot);
        let copy = dir.path().join(format!(
            "v1.before-schema-{}.db",
            portfolio::store::Store::known_schema()
        ));
        let copied = sqlx::SqlitePool::connect(&format!("sqlite://{}", copy.display()))
            .await
            .unwrap();
        let version: i64 = sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations")
            .fetch_one(&copied)
            .await
            .unwrap();
        assert_eq!(
            version, 1,
            "the copy is the store as it was before the upgrade"
        );
    }

    #[tokio::test]
    async fn a_read_only_store_can_be_read_but_not_written() {
        let (dir, ctx) = fresh().await;
        let uc = add(&ctx, "Keep me").await;
        ctx.close().await;
        let path = dir.path().join("p.db");
        let mut perms = std::fs::metadata(&path).unwrap().permissions();
        perms.set_readonly(true);
        std::fs::set_permissions(&path, perms).unwrap();
        let ctx = Ctx::open(&path, OpenMode::Existing)
            .await
            .unwrap()
            .with_actor(Some("ada@example.org".into()))
            .unwrap();
        assert_eq!(use_case::get(&ctx, &uc.id).await.unwrap().title, "Keep me");
        let e = set(&ctx, &uc.id, "title", "Changed").await.unwrap_err();
        assert_eq!(e.code, ErrorCode::Io);
        assert!(e.message.contains("read-only"), "{}", e.message);
        assert_eq!(use_case::get(&ctx, &uc.id).await.unwrap().title, "Keep me");
    }
}

mod rules_combined {
    use super::*;
    use proptest::prelude::*;

    #[derive(Debug, Clone)]
    enum Action {
        Problem(bool),
        Owner(OwnerRole, bool),
        ScoreAll(bool),
        Move(Stage, bool),
    }

    fn action() -> impl Strategy<Value = Action> {
        let role = prop::sample::select(OwnerRole::ALL.to_vec());
        let stage = prop::sample::select(Stage::ALL.to_vec());
        prop_oneof![
            any::<bool>().prop_map(Action::Problem),
            (role, any::<bool>()).prop_map(|(r, on)| Action::Owner(r, on)),
            any::<bool>().prop_map(Action::ScoreAll),
            (stage.clone(), any::<bool>()).prop_map(|(s, note)| Action::Move(s, note)),
            (stage, Just(true)).prop_map(|(s, note)| Action::Move(s, note)),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

        /// Whatever people do, a use case only ever moves as the move and gate rules say,
        /// and its timeline replays to the stage it is at.
        #[test]
        fn moves_follow_the_rules_and_the_timeline_replays_to_the_current_stage(actions in prop::collection::vec(action(), 1..40)) {
            tokio::runtime::Runtime::new().unwrap().block_on(async {
                let (_d, ctx) = fresh().await;
                let id = add(&ctx, "Property case").await.id;
                for a in actions {
                    match a {
                        Action::Problem(on) => { set(&ctx, &id, "problem", if on { "A real problem" } else { "" }).await.unwrap(); }
                        Action::Owner(role, on) => {
                            let person = on.then(|| NewPerson { email: format!("{}@example.org", role.as_str()), name: None, business_unit: None });
                            use_case::set_owner(&ctx, SetOwner { id: id.clone(), role, person, expect_version: None }).await.unwrap();
                        }
                        Action::ScoreAll(on) => {
                            if on { score_all(&ctx, &id, 3, 3).await; } else {
                                use_case::set_score(&ctx, SetScore { id: id.clone(), criterion: "reach".into(), score: None, expect_version: None }).await.unwrap();
                            }
                        }
                        Action::Move(to, with_note) => {
                            let before = use_case::get(&ctx, &id).await.unwrap();
                            let option = stage_move::stage_options(&ctx, &id).await.unwrap().into_iter().find(|o| o.stage == to);
                            let result = move_to(&ctx, &id, to, with_note.then_some("because")).await;
                            match option {
                                None => prop_assert!(result.is_err(), "a move to the current stage is refused"),
                                Some(o) => {
                                    let expected = o.allowed && (with_note || !o.needs_note);
                                    prop_assert_eq!(result.is_ok(), expected, "{:?} from {:?}: {:?}", to, before.stage, result.err());
                                    if o.kind.filter(|_| expected) == Some(portfolio::stage::MoveKind::Forward) {
                                        prop_assert_eq!(before.stage.rank().unwrap() + 1, to.rank().unwrap());
                                        prop_assert!(o.gate.iter().all(|g| g.met));
                                    }
                                }
                            }
                        }
                    }
                }
                let now = use_case::get(&ctx, &id).await.unwrap();
                let replayed = stage_move::timeline(&ctx, &id).await.unwrap().last()
                    .map(|t| t.new.clone().unwrap().as_str().unwrap().to_owned())
                    .unwrap_or_else(|| "idea".into());
                prop_assert_eq!(replayed, now.stage.as_str());
                Ok(())
            })?;
        }
    }
}

mod comforts {
    use super::*;

    #[tokio::test]
    async fn archived_use_cases_are_hidden_until_asked_for_and_deletes_keep_their_history() {
        let (_d, ctx) = fresh().await;
        let a = add(&ctx, "Keep").await;
        let b = add(&ctx, "Shelve").await;
        let c = add(&ctx, "Remove").await;
        use_case::set_archived(&ctx, &b.id, true).await.unwrap();
        let visible = view::list(&ctx, ListQuery::default()).await.unwrap();
        assert_eq!(visible.total, 2, "archived use cases are hidden by default");
        let all = ListQuery {
            filters: Filters {
                include_archived: true,
                ..Default::default()
            },
            ..Default::default()
        };
        assert_eq!(
            view::list(&ctx, all.clone()).await.unwrap().total,
            3,
            "one filter away"
        );
        use_case::set_archived(&ctx, &b.id, false).await.unwrap();
        use_case::delete(&ctx, &c.id).await.unwrap();
        assert_eq!(
            use_case::get(&ctx, &c.id).await.unwrap_err().code,
            ErrorCode::NotFound
        );
        let history = use_case::history(&ctx, &c.id).await.unwrap();
        let last = history.last().unwrap();
        assert_eq!(last.kind, "delete");
        assert_eq!(
            last.old.as_ref().unwrap()["title"],
            "Remove",
            "the delete entry keeps the record as it was"
        );
        let kinds: Vec<_> = use_case::history(&ctx, &b.id)
            .await
            .unwrap()
            .into_iter()
            .map(|h| h.kind)
            .collect();
        assert_eq!(kinds, ["create", "archive", "unarchive"]);
        assert_eq!(view::list(&ctx, all).await.unwrap().total, 2);
        let _ = a;
    }

    #[tokio::test]
    async fn a_backup_taken_while_in_use_restores_with_the_replaced_store_kept_aside() {
        let (dir, ctx) = fresh().await;
        let kept = add(&ctx, "Before the backup").await;
        let file = dir.path().join("backup.db");
        portfolio::backup::backup(&ctx, &file, false).await.unwrap();
        assert_eq!(
            portfolio::backup::backup(&ctx, &file, false)
                .await
                .unwrap_err()
                .field
                .as_deref(),
            Some("file"),
            "never overwrites"
        );
        add(&ctx, "After the backup").await;
        ctx.close().await;

        let store = dir.path().join("p.db");
        let aside = portfolio::backup::restore(&store, &file).await.unwrap();
        let restored = Ctx::open(&store, OpenMode::Existing).await.unwrap();
        let titles: Vec<_> = view::list(&restored, ListQuery::default())
            .await
            .unwrap()
            .rows
            .into_iter()
            .map(|r| r.title)
            .collect();
        assert_eq!(titles, vec!["Before the backup"]);
        assert_eq!(use_case::get(&restored, &kept.id).await.unwrap().version, 1);
        let replaced = Ctx::open(&aside, OpenMode::Existing).await.unwrap();
        assert_eq!(
            view::list(&replaced, ListQuery::default())
                .await
                .unwrap()
                .total,
            2,
            "the replaced store is kept whole"
        );
    }

    #[tokio::test]
    async fn a_bad_backup_is_refused_and_the_store_left_alone() {
        let (dir, ctx) = fresh().await;
        add(&ctx, "Precious").await;
        ctx.close().await;
        let junk = dir.path().join("junk.db");
        std::fs::write(&junk, b"SQLite format 3\0 but then garbage").unwrap();
        let store = dir.path().join("p.db");
        let e = portfolio::backup::restore(&store, &junk).await.unwrap_err();
        assert_eq!(e.code, ErrorCode::CorruptStore, "{}", e.message);
        let e = portfolio::backup::restore(&store, &dir.path().join("missing.db"))
            .await
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::NotFound);
        let ctx = Ctx::open(&store, OpenMode::Existing).await.unwrap();
        assert_eq!(
            view::list(&ctx, ListQuery::default()).await.unwrap().total,
            1
        );
    }
}

mod settings_and_bulk {
    use super::*;
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

/// Exports and imports, through the same engine functions the app and the CLI call.
mod spreadsheets {
    use super::*;
    use portfolio::export::{self, ExportRequest};
    use portfolio::import::{self, ImportReport, ImportRequest};
    use portfolio::task::{Cancel, no_progress};

    const OMB_CSV: &str =
        "../../../shared/data/omb-2025/2025_individually_reported_AI_use_cases.csv";
    const OMB_XLSX: &str =
        "../../../shared/data/omb-2025/2025_individually_reported_AI_use_cases.xlsx";

    async fn export_to(
        ctx: &Ctx,
        path: &std::path::Path,
        filters: Filters,
    ) -> export::ExportSummary {
        export::export(
            ctx,
            ExportRequest {
                path: path.display().to_string(),
                format: None,
                filters,
            },
            no_progress(),
            Cancel::default(),
        )
        .await
        .unwrap()
    }

    async fn import_file(
        ctx: &Ctx,
        path: &str,
        preset: Option<&str>,
        dry_run: bool,
    ) -> portfolio::Result<ImportReport> {
        import::import(
            ctx,
            ImportRequest {
                path: path.into(),
                preset: preset.map(str::to_owned),
                dry_run,
                ..Default::default()
            },
            no_progress(),
            Cancel::default(),
        )
        .await
    }

    /// A read-only look at the store's file, as another program would have.
    async fn peek(dir: &TempDir) -> sqlx::SqlitePool {
        let url = format!("sqlite://{}?mode=ro", dir.path().join("p.db").display());
        sqlx::SqlitePool::connect(&url).await.unwrap()
    }

    async fn counts(dir: &TempDir) -> (i64, i64) {
        let db = &peek(dir).await;
        let n = sqlx::query_scalar("SELECT COUNT(*) FROM use_cases")
            .fetch_one(db)
            .await
            .unwrap();
        let log = sqlx::query_scalar("SELECT COUNT(*) FROM change_log")
            .fetch_one(db)
            .await
            .unwrap();
        (n, log)
    }

    #[tokio::test]
    async fn an_exported_csv_reimports_unchanged_and_an_edited_one_updates_in_place() {
        let (dir, ctx) = fresh().await;
        portfolio::demo::load(&ctx).await.unwrap();
        let churn = add(&ctx, "-20% churn").await;
        set(&ctx, &churn.id, "problem", "=HYPERLINK(\"http://evil\")")
            .await
            .unwrap();
        let csv = dir.path().join("pack.csv");
        let done = export_to(&ctx, &csv, Filters::default()).await;
        assert_eq!(done.use_cases, 42);

        let text = std::fs::read_to_string(&csv).unwrap();
        assert!(
            text.starts_with('\u{feff}'),
            "a byte-order mark comes first"
        );
        assert!(text.contains("\r\n"), "RFC 4180 line ends");
        assert!(
            text.contains("'-20% churn,"),
            "a formula-like title is escaped: {}",
            &text[..300]
        );
        assert!(text.contains("\"'=HYPERLINK(\"\"http://evil\"\")\""));

        let again = import_file(&ctx, csv.to_str().unwrap(), None, false)
            .await
            .unwrap();
        assert_eq!(
            (again.created, again.updated, again.unchanged, again.invalid),
            (0, 0, 42, 0)
        );
        assert_eq!(
            use_case::get(&ctx, &churn.id).await.unwrap().title,
            "-20% churn"
        );

        // Someone edits a title and a business unit in the file and imports it back.
        let edited = text.replace("'-20% churn,", "'-25% churn,").replacen(
            ",Claims,",
            ",Claims and Recoveries,",
            1,
        );
        std::fs::write(&csv, edited).unwrap();
        let before = counts(&dir).await;
        let preview = import_file(&ctx, csv.to_str().unwrap(), None, true)
            .await
            .unwrap();
        assert_eq!(
            (preview.created, preview.updated, preview.unchanged),
            (0, 2, 40)
        );
        assert_eq!(counts(&dir).await, before, "a preview writes nothing");
        let done = import_file(&ctx, csv.to_str().unwrap(), None, false)
            .await
            .unwrap();
        assert_eq!((done.created, done.updated), (0, 2));
        let uc = use_case::get(&ctx, &churn.id).await.unwrap();
        assert_eq!(uc.title, "-25% churn");
        let last = use_case::history(&ctx, &churn.id)
            .await
            .unwrap()
            .pop()
            .unwrap();
        assert_eq!(
            (last.kind.as_str(), last.field.as_deref()),
            ("field", Some("title"))
        );
        assert_eq!(last.note.as_deref(), Some("import from pack.csv"));
        assert_eq!(
            counts(&dir).await.0,
            before.0,
            "updated in place, nothing duplicated"
        );
    }

    #[tokio::test]
    async fn the_federal_inventory_imports_as_published_and_reimports_without_duplicates() {
        let (dir, ctx) = fresh().await;
        let first = import_file(&ctx, OMB_CSV, Some("omb-2025"), false)
            .await
            .unwrap();
        assert_eq!((first.rows, first.created, first.invalid), (3611, 3611, 0));
        assert!(
            first.notes.iter().any(|n| n.contains("DOJ-0357")),
            "repeated ids are reported"
        );
        let page = view::list(
            &ctx,
            ListQuery {
                filters: Filters {
                    search: Some("Veterans".into()),
                    ..Filters::default()
                },
                limit: Some(1),
                ..ListQuery::default()
            },
        )
        .await
        .unwrap();
        assert!(page.total > 0);
        let db = peek(&dir).await;
        let source: Option<String> = sqlx::query_scalar(
            "SELECT source_id FROM use_cases WHERE source_id = 'omb-2025:VA-24-413'",
        )
        .fetch_optional(&db)
        .await
        .unwrap();
        assert!(source.is_some(), "ids are kept as source ids");
        // Fields without a column of their own are kept as attributes, dates normalised.
        let (attrs, stage): (String, String) = sqlx::query_as(
            "SELECT attributes, stage FROM use_cases WHERE source_id = 'omb-2025:VA-24-413'",
        )
        .fetch_one(&db)
        .await
        .unwrap();
        let attrs: BTreeMap<String, String> = serde_json::from_str(&attrs).unwrap();
        assert!(attrs.contains_key("agency_name"), "{attrs:?}");
        assert!(Stage::parse(&stage).is_ok());
        let dates: Vec<String> = sqlx::query_scalar(
            "SELECT json_extract(attributes, '$.operational_date') FROM use_cases WHERE json_extract(attributes, '$.operational_date') IS NOT NULL",
        )
        .fetch_all(&db)
        .await
        .unwrap();
        assert!(dates.len() > 1000);
        assert!(
            dates
                .iter()
                .all(|d| d.len() >= 4 && d[..4].parse::<u32>().is_ok()),
            "ISO dates only"
        );

        let before = counts(&dir).await;
        let again = import_file(&ctx, OMB_CSV, Some("omb-2025"), false)
            .await
            .unwrap();
        assert_eq!(
            (again.created, again.updated, again.unchanged),
            (0, 0, 3611)
        );
        assert_eq!(
            counts(&dir).await,
            before,
            "a repeated import changes nothing"
        );
        // The workbook edition of the same inventory matches the same use cases.
        let xlsx = import_file(&ctx, OMB_XLSX, Some("omb-2025"), true)
            .await
            .unwrap();
        assert_eq!(xlsx.rows, 3611);
        assert_eq!(
            xlsx.created,
            0,
            "{:?}",
            &xlsx.changes[..3.min(xlsx.changes.len())]
        );
    }

    #[tokio::test]
    async fn a_file_with_bad_rows_imports_nothing_unless_told_to_skip_them() {
        let (dir, ctx) = fresh().await;
        let path = dir.path().join("mixed.csv");
        std::fs::write(
            &path,
            "Title;Stage;Expected annual benefit;Owner\nGood one;Pilot;250000;ann@example.org\n;Idea;;\nBad stage;Galaxy;;\nBad money;Idea;lots;\n",
        )
        .unwrap();
        let before = counts(&dir).await;
        let e = import_file(&ctx, path.to_str().unwrap(), None, false)
            .await
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::Validation);
        assert!(
            e.message.contains("3 of 4 rows have problems"),
            "{}",
            e.message
        );
        assert!(
            e.details
                .iter()
                .any(|d| d.starts_with("row 4, Stage: `Galaxy`: unknown stage")),
            "{:?}",
            e.details
        );
        assert!(
            e.details.iter().any(|d| d.starts_with("row 3, Title")),
            "{:?}",
            e.details
        );
        assert_eq!(counts(&dir).await, before, "nothing half-imported");

        // The preview lists the stage column's values; mapping the unknown one fixes its row.
        let preview = import_file(&ctx, path.to_str().unwrap(), None, true)
            .await
            .unwrap();
        let galaxy = preview
            .stage_values
            .iter()
            .find(|v| v.value == "Galaxy")
            .unwrap();
        assert_eq!((galaxy.stage, galaxy.rows), (None, 1));
        let pilot = preview
            .stage_values
            .iter()
            .find(|v| v.value == "Pilot")
            .unwrap();
        assert_eq!(pilot.stage, Some(Stage::Pilot));
        let mut mapping = preview.mapping.clone();
        mapping.values.insert(
            "stage".into(),
            BTreeMap::from([("Galaxy".to_owned(), "parked".to_owned())]),
        );
        let fixed = import::import(
            &ctx,
            ImportRequest {
                path: path.display().to_string(),
                mapping: Some(mapping),
                dry_run: true,
                ..Default::default()
            },
            no_progress(),
            Cancel::default(),
        )
        .await
        .unwrap();
        assert_eq!(
            (fixed.invalid, fixed.created),
            (2, 2),
            "{:?}",
            fixed.problems
        );

        let r = import::import(
            &ctx,
            ImportRequest {
                path: path.display().to_string(),
                skip_invalid: true,
                ..Default::default()
            },
            no_progress(),
            Cancel::default(),
        )
        .await
        .unwrap();
        assert_eq!((r.created, r.invalid), (1, 3));
        let page = view::list(&ctx, ListQuery::default()).await.unwrap();
        let good = use_case::get(&ctx, &page.rows[0].id).await.unwrap();
        assert_eq!(
            (good.title.as_str(), good.stage),
            ("Good one", Stage::Pilot)
        );
        assert_eq!(good.expected_benefit, Some(250000.0));
        assert_eq!(good.owners.business.as_deref(), Some("ann@example.org"));
        let created = use_case::history(&ctx, &good.id).await.unwrap().remove(0);
        assert_eq!(
            created.note.as_deref(),
            Some("imported from mixed.csv, row 2")
        );
    }

    #[tokio::test]
    async fn a_cancelled_export_leaves_no_file_and_keeps_the_old_one() {
        let (dir, ctx) = fresh().await;
        portfolio::demo::load(&ctx).await.unwrap();
        let path = dir.path().join("pack.xlsx");
        std::fs::write(&path, b"the previous pack").unwrap();
        let cancel = Cancel::default();
        cancel.cancel();
        let e = export::export(
            &ctx,
            ExportRequest {
                path: path.display().to_string(),
                format: None,
                filters: Filters::default(),
            },
            no_progress(),
            cancel,
        )
        .await
        .unwrap_err();
        assert_eq!(e.code, ErrorCode::Cancelled);
        assert_eq!(std::fs::read(&path).unwrap(), b"the previous pack");
        let leftovers = std::fs::read_dir(dir.path())
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .starts_with(".portfolio-export")
            })
            .count();
        assert_eq!(leftovers, 0);
    }
}

/// The dashboard's figures against a portfolio small enough to count by hand.
mod dashboard_figures {
    use super::*;
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
}

/// Weight sensitivity against a portfolio worked out by hand (starter model: value weights
/// strategic-fit 3, business-impact 4, reach 2, urgency 1; thresholds 50).
mod weight_sensitivity {
    use super::*;
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
}

/// Review points and what changed since the latest.
mod reviews {
    use super::*;
    use portfolio::review;

    #[tokio::test]
    async fn changes_since_the_latest_mark_come_from_the_change_log() {
        let (_dir, ctx) = fresh().await;
        assert_eq!(
            review::changes(&ctx).await.unwrap_err().code,
            ErrorCode::NotFound
        );
        let a = add(&ctx, "Before the review").await.id;
        set(&ctx, &a, "problem", "Reviews take a day")
            .await
            .unwrap();
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        let m = review::mark(&ctx, Some("Q3 portfolio review"))
            .await
            .unwrap();
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        let b = add(&ctx, "After the review").await.id;
        own(&ctx, &a, OwnerRole::Business, "bea@example.org").await;
        move_to(&ctx, &a, Stage::Assessment, None).await.unwrap();
        score_all(&ctx, &b, 4, 3).await;

        let c = review::changes(&ctx).await.unwrap();
        assert_eq!(c.since.id, m.id);
        assert_eq!(c.since.note.as_deref(), Some("Q3 portfolio review"));
        assert_eq!(c.new_use_cases.count, 1);
        assert_eq!(c.new_use_cases.changes[0].title, "After the review");
        assert_eq!(c.stage_moves.count, 1);
        let moved = &c.stage_moves.changes[0];
        assert_eq!(
            (
                moved.use_case_id.as_str(),
                moved.new.as_ref().unwrap().as_str()
            ),
            (a.as_str(), Some("assessment"))
        );
        assert_eq!(c.owner_changes.count, 1);
        assert_eq!(
            c.owner_changes.changes[0].field.as_deref(),
            Some("business")
        );
        assert_eq!(c.score_changes.count, 9, "one per criterion");

        // A new mark starts afresh.
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        review::mark(&ctx, None).await.unwrap();
        let c = review::changes(&ctx).await.unwrap();
        assert_eq!(
            [
                c.new_use_cases.count,
                c.stage_moves.count,
                c.score_changes.count,
                c.owner_changes.count
            ],
            [0, 0, 0, 0]
        );
    }
}

mod outcomes {
    use super::*;
    use portfolio::import::{self, ImportRequest};
    use portfolio::kpi::{self, Direction, KpiStatus, NewKpi, RecordActual};
    use portfolio::task::{Cancel, no_progress};
    use portfolio::{dashboard, matrix};

    /// Imports a CSV (stages and benefits as given) and returns title → id.
    async fn import_csv(ctx: &Ctx, dir: &TempDir, body: &str) -> BTreeMap<String, String> {
        let csv = dir.path().join("cases.csv");
        std::fs::write(&csv, body).unwrap();
        import::import(
            ctx,
            ImportRequest {
                path: csv.display().to_string(),
                ..Default::default()
            },
            no_progress(),
            Cancel::default(),
        )
        .await
        .unwrap();
        view::list(ctx, ListQuery::default())
            .await
            .unwrap()
            .rows
            .into_iter()
            .map(|r| (r.title, r.id))
            .collect()
    }

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
        let ids = import_csv(
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
}

mod running_totals {
    use super::*;
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
}

mod patterns {
    use super::*;
    use portfolio::pattern::{
        self, ControlRef, ControlState, MapPattern, PatternInput, SetControl,
    };

    async fn map(ctx: &Ctx, id: &str, slug: &str, primary: bool) -> portfolio::Result<UseCase> {
        pattern::map(
            ctx,
            MapPattern {
                use_case_id: id.into(),
                pattern_slug: slug.into(),
                primary,
            },
        )
        .await
    }

    async fn control(
        ctx: &Ctx,
        id: &str,
        slug: &str,
        status: ControlState,
    ) -> portfolio::Result<UseCase> {
        pattern::set_control(
            ctx,
            SetControl {
                use_case_id: id.into(),
                control_slug: slug.into(),
                status,
                note: Some("checked by the review board".into()),
            },
        )
        .await
    }

    /// A use case at Proof of concept through the starter gates, with `slug` as its primary pattern.
    async fn at_poc(ctx: &Ctx, title: &str, slug: &str) -> UseCase {
        let uc = add(ctx, title).await;
        own(ctx, &uc.id, OwnerRole::Business, "b@x.org").await;
        set(ctx, &uc.id, "problem", "slow and costly")
            .await
            .unwrap();
        move_to(ctx, &uc.id, Stage::Assessment, None).await.unwrap();
        score_all(ctx, &uc.id, 4, 4).await;
        own(ctx, &uc.id, OwnerRole::Technical, "t@x.org").await;
        map(ctx, &uc.id, slug, true).await.unwrap();
        triage(ctx, &uc.id, &["interacts-with-people"]).await;
        move_to(ctx, &uc.id, Stage::ProofOfConcept, None)
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn the_starter_catalogue_ships_with_controls() {
        let (_d, ctx) = fresh().await;
        let c = pattern::catalogue(&ctx).await.unwrap();
        assert!(c.patterns.len() >= 10, "{} patterns", c.patterns.len());
        for p in &c.patterns {
            assert!(
                !p.description.is_empty() && !p.components.is_empty() && !p.controls.is_empty(),
                "{}",
                p.slug
            );
        }
        let controls = |slug: &str| -> Vec<String> {
            c.patterns
                .iter()
                .find(|p| p.slug == slug)
                .unwrap()
                .controls
                .iter()
                .map(|c| c.slug.clone())
                .collect()
        };
        assert!(
            controls("rag-knowledge-assistant")
                .starts_with(&["data-leakage-check".into(), "grounding-check".into()])
        );
        assert!(controls("agentic-workflow").contains(&"human-in-the-loop".into()));
        // Opening the store again does not load it twice.
        let again = Ctx::open(&_d.path().join("p.db"), OpenMode::Existing)
            .await
            .unwrap();
        assert_eq!(
            pattern::catalogue(&again).await.unwrap().patterns.len(),
            c.patterns.len()
        );
    }

    #[tokio::test]
    async fn a_use_case_inherits_its_patterns_controls_and_the_pilot_gate_checks_them() {
        let (_d, ctx) = fresh().await;
        let uc = at_poc(&ctx, "Policy assistant", "rag-knowledge-assistant").await;
        let uc2 = map(&ctx, &uc.id, "agentic-workflow", false).await.unwrap();
        assert_eq!(
            uc2.patterns
                .iter()
                .map(|p| (p.slug.as_str(), p.primary))
                .collect::<Vec<_>>(),
            [
                ("rag-knowledge-assistant", true),
                ("agentic-workflow", false)
            ]
        );
        let controls: Vec<(&str, Vec<&str>)> = uc2
            .controls
            .iter()
            .map(|c| (c.slug.as_str(), c.from.iter().map(String::as_str).collect()))
            .collect();
        // The primary pattern's controls first; a control two patterns share is listed once.
        assert_eq!(
            controls[0],
            ("data-leakage-check", vec!["rag-knowledge-assistant"])
        );
        let shared = controls
            .iter()
            .find(|(s, _)| *s == "prompt-injection-test")
            .unwrap();
        assert_eq!(shared.1, ["rag-knowledge-assistant", "agentic-workflow"]);
        assert_eq!(controls.len(), 7, "{controls:?}");

        // The pilot gate names what is still open.
        let e = move_to(&ctx, &uc.id, Stage::Pilot, None).await.unwrap_err();
        assert_eq!(e.code, ErrorCode::GateBlocked);
        assert!(
            e.details[0].contains("(open: Data-leakage check, Grounding check"),
            "{:?}",
            e.details
        );
        for c in &uc2.controls {
            let status = if c.slug == "action-limits" {
                ControlState::NotApplicable
            } else {
                ControlState::InPlace
            };
            control(&ctx, &uc.id, &c.slug, status).await.unwrap();
        }
        let moved = move_to(&ctx, &uc.id, Stage::Pilot, None).await.unwrap();
        assert_eq!(moved.stage, Stage::Pilot);
        let na = moved
            .controls
            .iter()
            .find(|c| c.slug == "action-limits")
            .unwrap();
        assert_eq!(
            (na.status, na.note.as_deref()),
            (
                ControlState::NotApplicable,
                Some("checked by the review board")
            )
        );

        // Only inherited controls have a status here.
        let e = control(&ctx, &uc.id, "backtesting", ControlState::InPlace)
            .await
            .unwrap_err();
        assert_eq!(
            (e.code, e.field.as_deref()),
            (ErrorCode::Validation, Some("control"))
        );
        assert!(
            e.message.contains("does not inherit `backtesting`"),
            "{}",
            e.message
        );

        // A new primary demotes the old one; there is only ever one.
        let switched = map(&ctx, &uc.id, "agentic-workflow", true).await.unwrap();
        assert_eq!(
            switched
                .patterns
                .iter()
                .filter(|p| p.primary)
                .map(|p| p.slug.as_str())
                .collect::<Vec<_>>(),
            ["agentic-workflow"]
        );
        let history = use_case::history(&ctx, &uc.id).await.unwrap();
        let kinds: Vec<&str> = history.iter().map(|h| h.kind.as_str()).collect();
        assert!(
            kinds.contains(&"pattern") && kinds.contains(&"control"),
            "{kinds:?}"
        );

        // The list filter and the catalogue's figures.
        let other = add(&ctx, "Unmapped idea").await;
        let by_pattern = view::list(
            &ctx,
            ListQuery {
                filters: Filters {
                    pattern: vec!["rag-knowledge-assistant".into()],
                    ..Default::default()
                },
                ..Default::default()
            },
        )
        .await
        .unwrap();
        assert_eq!(
            by_pattern
                .rows
                .iter()
                .map(|r| r.id.as_str())
                .collect::<Vec<_>>(),
            [uc.id.as_str()]
        );
        let c = pattern::catalogue(&ctx).await.unwrap();
        let agentic = c
            .patterns
            .iter()
            .find(|p| p.slug == "agentic-workflow")
            .unwrap();
        assert_eq!((agentic.reuse, agentic.primary_for), (1, 1));
        assert_eq!(agentic.by_stage.get(&Stage::Pilot), Some(&1));
        assert_eq!(c.unmapped, 1, "{} is unmapped", other.title);
    }

    #[tokio::test]
    async fn architects_add_edit_and_retire_patterns() {
        let (_d, ctx) = fresh().await;
        let input = PatternInput {
            slug: "entity-resolution".into(),
            name: "Entity resolution".into(),
            description: "Matches records that describe the same customer or supplier.".into(),
            components: vec!["blocking keys".into(), "matching model".into()],
            controls: vec![
                ControlRef {
                    slug: "human-in-the-loop".into(),
                    name: None,
                },
                ControlRef {
                    slug: "match-review".into(),
                    name: Some("Match review".into()),
                },
            ],
            expect_version: None,
        };
        let p = pattern::add(&ctx, input.clone()).await.unwrap();
        assert_eq!(
            p.controls
                .iter()
                .map(|c| c.name.as_str())
                .collect::<Vec<_>>(),
            ["Human in the loop", "Match review"]
        );
        let dup = pattern::add(&ctx, input.clone()).await.unwrap_err();
        assert_eq!(
            (dup.code, dup.field.as_deref()),
            (ErrorCode::Conflict, Some("slug"))
        );
        let unnamed = pattern::add(
            &ctx,
            PatternInput {
                slug: "x-ray".into(),
                controls: vec![ControlRef {
                    slug: "dose-limits".into(),
                    name: None,
                }],
                ..input.clone()
            },
        )
        .await
        .unwrap_err();
        assert!(
            unnamed.message.contains("`dose-limits` is a new control"),
            "{}",
            unnamed.message
        );
        let bad = pattern::add(
            &ctx,
            PatternInput {
                slug: "Entity Resolution".into(),
                ..input.clone()
            },
        )
        .await
        .unwrap_err();
        assert_eq!(bad.field.as_deref(), Some("slug"));

        let edited = pattern::edit(
            &ctx,
            PatternInput {
                description: "Matches duplicate records.".into(),
                controls: vec![ControlRef {
                    slug: "match-review".into(),
                    name: None,
                }],
                expect_version: Some(1),
                ..input.clone()
            },
        )
        .await
        .unwrap();
        assert_eq!((edited.version, edited.controls.len()), (2, 1));
        let stale = pattern::edit(
            &ctx,
            PatternInput {
                expect_version: Some(1),
                ..input.clone()
            },
        )
        .await
        .unwrap_err();
        assert_eq!(stale.code, ErrorCode::Stale);

        // Retired: its use cases keep it, a new one cannot take it.
        let kept = add(&ctx, "Supplier dedupe").await;
        map(&ctx, &kept.id, "entity-resolution", true)
            .await
            .unwrap();
        assert!(
            pattern::retire(&ctx, "entity-resolution", true)
                .await
                .unwrap()
                .retired
        );
        let late = add(&ctx, "Customer dedupe").await;
        let e = map(&ctx, &late.id, "entity-resolution", true)
            .await
            .unwrap_err();
        assert!(e.message.contains("is retired"), "{}", e.message);
        let still = use_case::get(&ctx, &kept.id).await.unwrap();
        assert_eq!(still.patterns[0].slug, "entity-resolution");
        assert!(still.patterns[0].retired);
        assert!(
            !pattern::retire(&ctx, "entity-resolution", false)
                .await
                .unwrap()
                .retired
        );
        let missing = pattern::get(&ctx, "nope").await.unwrap_err();
        assert_eq!(missing.code, ErrorCode::NotFound);
    }
}

mod similarity {
    use super::*;
    use portfolio::import::{self, ImportRequest};
    use portfolio::similar::{self, Draft};
    use portfolio::task::{Cancel, no_progress};

    const OMB_CSV: &str =
        "../../../shared/data/omb-2025/2025_individually_reported_AI_use_cases.csv";

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
}

mod merging {
    use super::*;
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
                |h| h.merged_from.as_deref() == Some("Supplier invoice capture")
                    && h.kind == "create"
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
}

mod risk_triage {
    use super::*;
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
}
