//! The pattern catalogue, use cases mapped to patterns, and the controls they inherit.

use crate::support::*;
use portfolio::pattern::{self, ControlRef, ControlState, MapPattern, PatternInput, SetControl};

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

/// The slugs of a pattern's controls, in its order.
async fn controls_of(ctx: &Ctx, slug: &str) -> Vec<String> {
    pattern::get(ctx, slug)
        .await
        .unwrap()
        .controls
        .into_iter()
        .map(|c| c.slug)
        .collect()
}

#[tokio::test]
async fn unmapping_a_pattern_drops_its_controls_and_keeps_the_others_with_their_status() {
    let (_d, ctx) = fresh().await;
    let uc = add(&ctx, "Policy assistant").await;
    map(&ctx, &uc.id, "rag-knowledge-assistant", true)
        .await
        .unwrap();
    map(&ctx, &uc.id, "agentic-workflow", false).await.unwrap();
    let agentic = controls_of(&ctx, "agentic-workflow").await;
    let rag = controls_of(&ctx, "rag-knowledge-assistant").await;
    let rag_only = rag.iter().find(|c| !agentic.contains(c)).unwrap();
    let agentic_only = agentic.iter().find(|c| !rag.contains(c)).unwrap();
    control(&ctx, &uc.id, rag_only, ControlState::InPlace)
        .await
        .unwrap();
    control(&ctx, &uc.id, agentic_only, ControlState::NotApplicable)
        .await
        .unwrap();

    let after = pattern::unmap(&ctx, &uc.id, "rag-knowledge-assistant")
        .await
        .unwrap();
    assert_eq!(
        after
            .patterns
            .iter()
            .map(|p| p.slug.as_str())
            .collect::<Vec<_>>(),
        ["agentic-workflow"]
    );
    assert_eq!(
        after
            .controls
            .iter()
            .map(|c| c.slug.clone())
            .collect::<Vec<_>>(),
        agentic,
        "only the remaining pattern's controls"
    );
    assert!(
        after
            .controls
            .iter()
            .all(|c| c.from == ["agentic-workflow"]),
        "{:?}",
        after.controls
    );
    let kept = after
        .controls
        .iter()
        .find(|c| &c.slug == agentic_only)
        .unwrap();
    assert_eq!(
        (kept.status, kept.note.as_deref()),
        (
            ControlState::NotApplicable,
            Some("checked by the review board")
        )
    );
}

#[tokio::test]
async fn making_another_pattern_primary_puts_its_controls_first() {
    let (_d, ctx) = fresh().await;
    let uc = add(&ctx, "Policy assistant").await;
    map(&ctx, &uc.id, "rag-knowledge-assistant", true)
        .await
        .unwrap();
    map(&ctx, &uc.id, "agentic-workflow", false).await.unwrap();
    let agentic = controls_of(&ctx, "agentic-workflow").await;
    let rag = controls_of(&ctx, "rag-knowledge-assistant").await;
    let in_order = |first: &[String], then: &[String]| -> Vec<String> {
        let mut all = first.to_vec();
        all.extend(then.iter().filter(|c| !first.contains(c)).cloned());
        all
    };
    let slugs =
        |uc: &UseCase| -> Vec<String> { uc.controls.iter().map(|c| c.slug.clone()).collect() };
    let before = use_case::get(&ctx, &uc.id).await.unwrap();
    assert_eq!(slugs(&before), in_order(&rag, &agentic));

    let switched = map(&ctx, &uc.id, "agentic-workflow", true).await.unwrap();
    assert_eq!(slugs(&switched), in_order(&agentic, &rag));
    assert_eq!(switched.controls[0].from[0], "agentic-workflow");
}

#[tokio::test]
async fn the_catalogue_figures_leave_archived_use_cases_out() {
    let (dir, ctx) = fresh().await;
    let ids = import_cases(
        &ctx,
        &dir,
        "Title,Stage\nPolicy assistant,pilot\nHR assistant,idea\nLegal assistant,pilot\n",
    )
    .await;
    for (title, primary) in [
        ("Policy assistant", true),
        ("HR assistant", false),
        ("Legal assistant", true),
    ] {
        map(&ctx, &ids[title], "rag-knowledge-assistant", primary)
            .await
            .unwrap();
    }
    let rag = |c: &pattern::Catalogue| {
        let p = c
            .patterns
            .iter()
            .find(|p| p.slug == "rag-knowledge-assistant")
            .unwrap();
        (p.reuse, p.primary_for, p.by_stage.clone())
    };
    let before = pattern::catalogue(&ctx).await.unwrap();
    assert_eq!(
        rag(&before),
        (3, 2, BTreeMap::from([(Stage::Idea, 1), (Stage::Pilot, 2)]))
    );

    use_case::set_archived(&ctx, &ids["Legal assistant"], true)
        .await
        .unwrap();
    use_case::set_archived(&ctx, &ids["HR assistant"], true)
        .await
        .unwrap();
    let after = pattern::catalogue(&ctx).await.unwrap();
    assert_eq!(rag(&after), (1, 1, BTreeMap::from([(Stage::Pilot, 1)])));
}
