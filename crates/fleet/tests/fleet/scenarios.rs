//! Desktops syncing through a real registry process: merges, conflicts, refusals, lost
//! answers, repeated pushes, a crash mid-push (of the registry and of a desktop), skewed clocks.

use portfolio::ErrorCode;
use portfolio::sync::client::{Http, Registry, Transport};
use portfolio::sync::conflict::{self, Resolution};
use portfolio::sync::wire::{SyncRequest, WireChange};
use portfolio::sync::{self as desktop_sync};
use portfolio_registry::role::Role;
use tempfile::TempDir;

use crate::support::{Desktop, Server, sqlite_url, team, token};

const OMB_CSV: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/data/omb-2025/2025_individually_reported_AI_use_cases.csv"
);

async fn two_leads() -> (TempDir, Server, Desktop, Desktop) {
    let dir = TempDir::new().unwrap();
    let db = sqlite_url(&dir);
    two_leads_on(dir, &db).await
}

async fn two_leads_on(dir: TempDir, db: &str) -> (TempDir, Server, Desktop, Desktop) {
    let ta = token(db, "ada@example.org", Role::PortfolioLead).await;
    let tb = token(db, "bob@example.org", Role::PortfolioLead).await;
    let server = Server::start(db);
    let a = Desktop::new("ada@example.org", &ta).await;
    let b = Desktop::new("bob@example.org", &tb).await;
    (dir, server, a, b)
}

/// The federal inventory, imported on `d`: 3,611 use cases and the people they name.
async fn import_federal(d: &Desktop) {
    let imported = portfolio::import::import(
        &d.ctx,
        portfolio::import::ImportRequest {
            path: OMB_CSV.into(),
            preset: Some("omb-2025".into()),
            ..Default::default()
        },
        portfolio::task::no_progress(),
        portfolio::task::Cancel::default(),
    )
    .await
    .unwrap();
    assert_eq!(imported.created, 3_611);
}

/// Checks the registry's log holds each change once, numbered 1, 2, 3… with no gap; its length.
fn once_each_in_order(log: &[portfolio::sync::wire::ServedChange]) -> i64 {
    let ids: std::collections::HashSet<_> = log.iter().map(|c| c.change.id.as_str()).collect();
    assert_eq!(ids.len(), log.len(), "no change twice");
    let seqs: Vec<i64> = log.iter().map(|c| c.seq).collect();
    assert_eq!(seqs, (1..=log.len() as i64).collect::<Vec<_>>(), "no gaps");
    log.len() as i64
}

/// How many use cases `d` lists.
async fn listed(d: &Desktop) -> i32 {
    portfolio::view::list(&d.ctx, Default::default())
        .await
        .unwrap()
        .total
}

pub(crate) async fn server_log(
    server: &Server,
    token: &str,
) -> Vec<portfolio::sync::wire::ServedChange> {
    let http = Http::new(&Registry {
        url: server.url.clone(),
        token: token.into(),
    })
    .unwrap();
    let mut all = Vec::new();
    let mut after = 0;
    loop {
        let r = http
            .sync(&SyncRequest {
                after,
                limit: Some(5_000),
                ..Default::default()
            })
            .await
            .unwrap();
        after = r.next;
        all.extend(r.changes);
        if !r.more {
            return all;
        }
    }
}

#[tokio::test]
async fn different_fields_merge_and_the_same_field_conflicts_on_both_desktops() {
    merge_and_conflict(two_leads().await).await;
}

#[tokio::test]
#[ignore = "needs PostgreSQL: scripts/test.sh starts one and runs this"]
async fn postgres_different_fields_merge_and_the_same_field_conflicts() {
    let db = crate::support::postgres_url().await;
    merge_and_conflict(two_leads_on(TempDir::new().unwrap(), &db).await).await;
}

async fn merge_and_conflict((_dir, server, a, b): (TempDir, Server, Desktop, Desktop)) {
    let id = a.add("Invoice triage").await.id;
    let first = a.sync(&server).await.unwrap();
    assert_eq!(first.pushed, 2, "Ada and her use case: {first:?}");
    let got = b.sync(&server).await.unwrap();
    assert_eq!(b.get(&id).await.title, "Invoice triage");
    assert!(got.pulled >= 1);

    a.set(&id, "title", "Invoice triage assistant")
        .await
        .unwrap();
    b.set(&id, "problem", "Invoices wait five days")
        .await
        .unwrap();
    a.sync(&server).await.unwrap();
    b.sync(&server).await.unwrap();
    a.sync(&server).await.unwrap();
    for d in [&a, &b] {
        let uc = d.get(&id).await;
        assert_eq!(uc.title, "Invoice triage assistant", "{}", d.email);
        assert_eq!(uc.problem, "Invoices wait five days", "{}", d.email);
    }
    assert!(conflict::list(&a.ctx).await.unwrap().is_empty());

    a.set(&id, "solution", "Ada's solution").await.unwrap();
    b.set(&id, "solution", "Bob's solution").await.unwrap();
    a.sync(&server).await.unwrap();
    let rb = b.sync(&server).await.unwrap();
    assert_eq!(rb.conflicts, 1);
    a.sync(&server).await.unwrap();
    let ca = conflict::list(&a.ctx).await.unwrap();
    let cb = conflict::list(&b.ctx).await.unwrap();
    assert_eq!((ca.len(), cb.len()), (1, 1));
    assert_eq!(ca[0].id, cb[0].id, "one conflict, the same id on both");
    assert_eq!(ca[0].field.as_deref(), Some("solution"));
    assert_eq!(ca[0].mine, Some("Ada's solution".into()));
    assert_eq!(ca[0].theirs, Some("Bob's solution".into()));
    assert_eq!(cb[0].mine, Some("Bob's solution".into()));
    assert_eq!(cb[0].theirs, Some("Ada's solution".into()));
    assert_eq!(ca[0].base, Some("".into()), "the solution was empty before");
    // Both desktops show the same value meanwhile (the registry's order decides).
    assert_eq!(a.get(&id).await.solution, b.get(&id).await.solution);

    conflict::resolve(&a.ctx, &ca[0].id, Resolution::Theirs)
        .await
        .unwrap();
    a.sync(&server).await.unwrap();
    let rb = b.sync(&server).await.unwrap();
    assert_eq!(rb.conflicts, 0, "the resolution settles Bob's side too");
    for d in [&a, &b] {
        assert_eq!(d.get(&id).await.solution, "Bob's solution");
        assert!(conflict::list(&d.ctx).await.unwrap().is_empty());
    }
    let history = portfolio::use_case::history(&b.ctx, &id).await.unwrap();
    let last = history.last().unwrap();
    assert_eq!(last.actor, "ada@example.org");
    assert_eq!(last.note.as_deref(), Some("Took theirs in a sync conflict"));
}

#[tokio::test]
async fn a_conflict_settled_with_a_new_value_reaches_the_other_desktop() {
    let (_dir, server, a, b) = two_leads().await;
    let id = a.add("Forecast demand").await.id;
    a.sync(&server).await.unwrap();
    b.sync(&server).await.unwrap();
    a.set(&id, "expected_benefit", "100000").await.unwrap();
    b.set(&id, "expected_benefit", "250000").await.unwrap();
    a.sync(&server).await.unwrap();
    b.sync(&server).await.unwrap();
    let c = &conflict::list(&b.ctx).await.unwrap()[0];
    let bad = conflict::resolve(&b.ctx, &c.id, Resolution::Value("lots".into())).await;
    assert_eq!(bad.unwrap_err().code, ErrorCode::Validation);
    conflict::resolve(&b.ctx, &c.id, Resolution::Value("175000".into()))
        .await
        .unwrap();
    b.sync(&server).await.unwrap();
    a.sync(&server).await.unwrap();
    for d in [&a, &b] {
        assert_eq!(d.get(&id).await.expected_benefit, Some(175_000.0));
        assert!(conflict::list(&d.ctx).await.unwrap().is_empty());
    }
}

/// Loses the registry's answer after the registry has committed the push.
struct LostAnswer<'a>(&'a Http);

impl Transport for LostAnswer<'_> {
    async fn me(&self) -> portfolio::Result<portfolio::sync::wire::Me> {
        self.0.me().await
    }
    async fn sync(
        &self,
        req: &SyncRequest,
    ) -> portfolio::Result<portfolio::sync::wire::SyncResponse> {
        self.0.sync(req).await?;
        Err(portfolio::Error::new(
            ErrorCode::Unreachable,
            "the connection dropped before the answer arrived",
        ))
    }
}

#[tokio::test]
async fn a_push_repeated_after_a_lost_answer_applies_nothing_twice() {
    let (_dir, server, a, b) = two_leads().await;
    let id = a.add("Contract review").await.id;
    a.set(&id, "problem", "Slow reviews").await.unwrap();
    let http = Http::new(&Registry {
        url: server.url.clone(),
        token: a.token.clone(),
    })
    .unwrap();
    let lost = portfolio::sync::client::run_with(&a.ctx, &LostAnswer(&http), &server.url).await;
    assert_eq!(lost.unwrap_err().code, ErrorCode::Unreachable);
    let status = desktop_sync::status(&a.ctx).await.unwrap();
    assert_eq!(
        status.pending, 3,
        "the desktop does not know it was accepted"
    );
    assert!(status.last_error.unwrap().contains("dropped"));

    let again = a.sync(&server).await.unwrap();
    assert_eq!(again.pushed, 3, "acknowledged again");
    assert_eq!(desktop_sync::status(&a.ctx).await.unwrap().pending, 0);
    let log = server_log(&server, &a.token).await;
    assert_eq!(log.len(), 3, "each change once on the registry");

    // The same request sent twice by hand: the second changes nothing either.
    b.sync(&server).await.unwrap();
    b.set(&id, "solution", "A clause checker").await.unwrap();
    let hb = Http::new(&Registry {
        url: server.url.clone(),
        token: b.token.clone(),
    })
    .unwrap();
    // One of Bob's own (his person entry): another person's change under its id is refused.
    let change: WireChange = server_log(&server, &b.token)
        .await
        .into_iter()
        .find(|s| s.change.actor == "bob@example.org")
        .expect("Bob's first sync sent his person entry")
        .change;
    let req = SyncRequest {
        after: 0,
        changes: vec![change.clone(), change],
        ..Default::default()
    };
    let first = hb.sync(&req).await.unwrap();
    let second = hb.sync(&req).await.unwrap();
    assert_eq!(first.accepted, second.accepted);
    assert_eq!(first.accepted[0].seq, first.accepted[1].seq);
    // Ada's three and Bob's own person entry.
    assert_eq!(server_log(&server, &a.token).await.len(), 4);
    b.sync(&server).await.unwrap();
    assert_eq!(server_log(&server, &a.token).await.len(), 5);
}

#[tokio::test]
async fn the_registry_killed_mid_push_loses_nothing_after_a_restart() {
    let (_dir, mut server, a, b) = two_leads().await;
    import_federal(&a).await;
    let pending = desktop_sync::status(&a.ctx).await.unwrap().pending;
    assert!(pending > 3_611);
    let registry = Registry {
        url: server.url.clone(),
        token: a.token.clone(),
    };
    let ctx = a.ctx.clone();
    let push = tokio::spawn(async move { portfolio::sync::client::run(&ctx, &registry).await });
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    server.kill();
    let cut = push.await.unwrap();
    // Usually cut off; on a fast machine it may have finished first. Either way:
    if let Err(e) = &cut {
        assert_eq!(e.code, ErrorCode::Unreachable, "{e:?}");
    }
    server.restart();
    a.sync(&server).await.unwrap();
    assert_eq!(desktop_sync::status(&a.ctx).await.unwrap().pending, 0);
    let logged = once_each_in_order(&server_log(&server, &a.token).await);
    assert_eq!(logged, pending, "every change once");

    b.sync(&server).await.unwrap();
    assert_eq!(listed(&b).await, 3_611);
    assert_eq!(listed(&a).await, 3_611);
}

/// A read-only connection of its own to the store file `db`, beside the desktop's.
async fn reader(db: &std::path::Path) -> sqlx::SqliteConnection {
    use sqlx::ConnectOptions;
    sqlx::sqlite::SqliteConnectOptions::new()
        .filename(db)
        .read_only(true)
        .connect()
        .await
        .unwrap()
}

/// What `PRAGMA integrity_check` says of the store file `db`.
async fn integrity(db: &std::path::Path) -> String {
    let mut conn = reader(db).await;
    let said: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    sqlx::Connection::close(conn).await.unwrap();
    said
}

/// What waits unsent in the store file `db` (for a failure's message).
async fn unsent(db: &std::path::Path) -> Vec<(String, String, String, Option<i64>)> {
    let mut conn = reader(db).await;
    let rows = sqlx::query_as(
        "SELECT entity, kind, actor, server_seq FROM change_log
         WHERE synced = 0 AND demo = 0 AND rejected IS NULL LIMIT 10",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap();
    sqlx::Connection::close(conn).await.unwrap();
    rows
}

/// A desktop killed in the middle of its sync (SIGKILL, 30 times, at moments spread over the
/// push, with new edits before each) keeps a sound store and loses nothing: the next sync
/// sends each change exactly once, and another desktop ends with the same portfolio.
#[tokio::test]
async fn a_desktop_killed_mid_sync_keeps_its_store_and_sends_each_change_once() {
    let (_dir, server, a, b) = two_leads().await;
    import_federal(&a).await;
    let db = a.ctx.store().path().to_owned();
    let (mut cut, mut finished) = (0, 0);
    for round in 0..30u64 {
        for n in 0..40 {
            a.add(&format!("round {round} case {n}")).await;
        }
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_desktop-sync"))
            .arg(&db)
            .arg(&server.url)
            .env("PORTFOLIO_TOKEN", &a.token)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        tokio::time::sleep(std::time::Duration::from_millis(40 * round)).await;
        match child.try_wait().unwrap() {
            Some(status) => {
                assert!(status.success(), "an unkilled sync succeeds");
                finished += 1;
            }
            None => cut += 1,
        }
        let _ = child.kill();
        let _ = child.wait();
        assert_eq!(
            integrity(&db).await,
            "ok",
            "round {round}: the store is sound"
        );
    }
    // On a loaded machine every one may be cut; the last sync below runs to its end.
    assert!(
        cut >= 5,
        "kills landed mid-sync ({cut}; {finished} had finished)"
    );

    let pending = desktop_sync::status(&a.ctx).await.unwrap().pending;
    // One sync sends everything in every run seen here but one, under a fully loaded
    // machine, where a second was needed (not reproduced since): allow it, and say what
    // was left should it happen again.
    let mut left = Vec::new();
    for _ in 0..2 {
        a.sync(&server).await.unwrap();
        if desktop_sync::status(&a.ctx).await.unwrap().pending == 0 {
            break;
        }
        left.push(unsent(&db).await);
    }
    assert_eq!(
        desktop_sync::status(&a.ctx).await.unwrap().pending,
        0,
        "still unsent after each sync: {left:?}"
    );
    let logged = once_each_in_order(&server_log(&server, &a.token).await);
    assert!(pending < logged, "the killed syncs got work done first");

    b.sync(&server).await.unwrap();
    assert_eq!(listed(&a).await, 3_611 + 30 * 40);
    assert_eq!(
        listed(&b).await,
        3_611 + 30 * 40,
        "the other desktop has it all"
    );
}

#[tokio::test]
async fn order_is_the_registrys_not_the_desktops_clocks() {
    let (_dir, server, a, b) = two_leads().await;
    let id = a.add("Route planning").await.id;
    a.sync(&server).await.unwrap();
    b.sync(&server).await.unwrap();
    let hb = Http::new(&Registry {
        url: server.url.clone(),
        token: b.token.clone(),
    })
    .unwrap();
    let origin_b = "b-desktop-with-a-fast-clock".to_owned();
    let after = server_log(&server, &a.token).await.last().unwrap().seq;
    // Bob's clock runs decades ahead; his change reaches the registry first.
    let future = WireChange {
        id: uuid::Uuid::now_v7().to_string(),
        entity: "use_case".into(),
        entity_id: id.clone(),
        use_case_id: Some(id.clone()),
        kind: "stage".into(),
        field: None,
        old: Some("idea".into()),
        new: Some("parked".into()),
        note: Some("On hold".into()),
        actor: "bob@example.org".into(),
        at: "2099-01-01T00:00:00.000Z".into(),
        base: after,
        origin: origin_b,
    };
    hb.sync(&SyncRequest {
        after,
        changes: vec![future],
        ..Default::default()
    })
    .await
    .unwrap();
    // Ada, with a slow clock, edits after having seen it: hers comes later and stands.
    a.sync(&server).await.unwrap();
    let parked = a.get(&id).await;
    assert_eq!(parked.stage, portfolio::stage::Stage::Parked);
    assert!(
        parked.stage_since <= portfolio::now(),
        "a move is never dated in the future: {}",
        parked.stage_since
    );
    a.set(&id, "title", "Route planning v2").await.unwrap();
    a.sync(&server).await.unwrap();
    b.sync(&server).await.unwrap();
    for d in [&a, &b] {
        let uc = d.get(&id).await;
        assert_eq!(uc.title, "Route planning v2");
        assert_eq!(uc.stage, portfolio::stage::Stage::Parked);
    }
}

#[tokio::test]
async fn a_refused_change_is_listed_until_reverted_to_the_registrys_value() {
    let (_dir, server, [a, c]) = team([
        ("ada@example.org", Role::PortfolioLead),
        ("cy@example.org", Role::Contributor),
    ])
    .await;
    let id = a.add("Claims fraud scoring").await.id;
    a.sync(&server).await.unwrap();
    c.sync(&server).await.unwrap();

    c.set(&id, "title", "My better title").await.unwrap();
    let mine = c.add("Cy's own idea").await.id;
    let r = c.sync(&server).await.unwrap();
    assert_eq!(r.rejected.len(), 1, "{r:?}");
    assert!(
        r.rejected[0].reason.contains("neither proposed nor owns"),
        "{}",
        r.rejected[0].reason
    );
    let status = desktop_sync::status(&c.ctx).await.unwrap();
    assert_eq!(status.rejected.len(), 1);
    assert_eq!(status.pending, 0, "the refused change is not sent again");
    assert_eq!(
        c.get(&id).await.title,
        "My better title",
        "kept until reverted"
    );

    portfolio::sync::apply::revert(&c.ctx, &r.rejected[0].change_id)
        .await
        .unwrap();
    assert_eq!(c.get(&id).await.title, "Claims fraud scoring");
    assert!(
        desktop_sync::status(&c.ctx)
            .await
            .unwrap()
            .rejected
            .is_empty()
    );
    let again = portfolio::sync::apply::revert(&c.ctx, &r.rejected[0].change_id).await;
    assert_eq!(again.unwrap_err().code, ErrorCode::NotFound);
    let last = portfolio::use_case::history(&c.ctx, &id)
        .await
        .unwrap()
        .pop()
        .unwrap();
    assert!(last.note.unwrap().contains("refused"));

    // Cy's own use case went through, and Cy may edit it.
    c.set(&mine, "problem", "Too many false alarms")
        .await
        .unwrap();
    assert!(c.sync(&server).await.unwrap().rejected.is_empty());
    a.sync(&server).await.unwrap();
    assert_eq!(a.get(&mine).await.problem, "Too many false alarms");
    assert_eq!(desktop_sync::status(&c.ctx).await.unwrap().pending, 0);
}

#[tokio::test]
async fn a_token_for_someone_else_is_refused_and_nothing_leaves() {
    let dir = TempDir::new().unwrap();
    let db = sqlite_url(&dir);
    let tb = token(&db, "bob@example.org", Role::PortfolioLead).await;
    let server = Server::start(&db);
    let a = Desktop::new("ada@example.org", &tb).await;
    a.add("Ada's idea").await;
    let e = a.sync(&server).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::Forbidden);
    assert!(e.message.contains("bob@example.org"), "{}", e.message);
    assert!(server_log(&server, &tb).await.is_empty());

    let bad = Desktop::new("ada@example.org", "pfr_not-a-real-token").await;
    let e = bad.sync(&server).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::Unauthenticated);
    let status = desktop_sync::status(&bad.ctx).await.unwrap();
    assert!(status.last_error.unwrap().contains("not known"));
}

#[tokio::test]
async fn demo_data_never_leaves_the_desktop() {
    let (_dir, server, a, b) = two_leads().await;
    portfolio::demo::load(&a.ctx).await.unwrap();
    a.add("A real one").await;
    a.sync(&server).await.unwrap();
    b.sync(&server).await.unwrap();
    let all = portfolio::view::list(&b.ctx, Default::default())
        .await
        .unwrap();
    let titles: Vec<_> = all.rows.iter().map(|u| u.title.as_str()).collect();
    assert_eq!(titles, ["A real one"]);
}

#[tokio::test]
async fn patterns_controls_triage_kpis_merges_and_the_scoring_model_travel() {
    use portfolio::pattern::{self, ControlState, MapPattern, SetControl};
    use portfolio::triage::{self, Effect, RecordTriage};

    let (_dir, server, a, b) = two_leads().await;
    let id = a.add("Policy assistant").await.id;
    pattern::map(
        &a.ctx,
        MapPattern {
            use_case_id: id.clone(),
            pattern_slug: "rag-knowledge-assistant".into(),
            primary: true,
        },
    )
    .await
    .unwrap();
    pattern::set_control(
        &a.ctx,
        SetControl {
            use_case_id: id.clone(),
            control_slug: "grounding-check".into(),
            status: ControlState::InPlace,
            note: Some("Every answer cites its source".into()),
        },
    )
    .await
    .unwrap();
    let answers = triage::rule_set()
        .questions
        .iter()
        .filter(|q| !matches!(q.effect, Effect::Exception | Effect::Profiling))
        .map(|q| (q.id.clone(), q.id == "interacts-with-people"))
        .collect();
    triage::record(
        &a.ctx,
        RecordTriage {
            use_case_id: id.clone(),
            answers,
            high_impact: Some(false),
            personal_data: Some(true),
        },
    )
    .await
    .unwrap();
    let kpi = portfolio::kpi::add(
        &a.ctx,
        portfolio::kpi::NewKpi {
            use_case_id: id.clone(),
            name: "Answers with a source".into(),
            unit: Some("%".into()),
            baseline: Some(40.0),
            target: 95.0,
            direction: None,
            due: None,
        },
    )
    .await
    .unwrap();
    for (on, value) in [("2026-10-01", 60.0), ("2026-11-01", 81.0)] {
        portfolio::kpi::record(
            &a.ctx,
            portfolio::kpi::RecordActual {
                kpi_id: kpi.id.clone(),
                value,
                on: Some(on.into()),
            },
        )
        .await
        .unwrap();
    }
    let dup = a.add("Policy assistant (copy)").await.id;
    portfolio::merge::merge(&a.ctx, &id, &dup).await.unwrap();
    a.sync(&server).await.unwrap();
    b.sync(&server).await.unwrap();

    let (here, there) = (a.get(&id).await, b.get(&id).await);
    assert_eq!(there.patterns, here.patterns);
    assert_eq!(there.patterns[0].slug, "rag-knowledge-assistant");
    let control = |u: &portfolio::use_case::UseCase| {
        let c = u
            .controls
            .iter()
            .find(|c| c.slug == "grounding-check")
            .unwrap();
        (c.status, c.note.clone())
    };
    assert_eq!(control(&there), control(&here));
    assert_eq!(control(&there).0, ControlState::InPlace);
    let tier = |u: &portfolio::use_case::UseCase| u.triage.as_ref().map(|t| t.outcome.tier);
    assert_eq!(tier(&there), tier(&here));
    assert_eq!(tier(&there), Some(portfolio::triage::Tier::Limited));
    let kpis_here = portfolio::kpi::list(&a.ctx, &id).await.unwrap();
    let kpis_there = portfolio::kpi::list(&b.ctx, &id).await.unwrap();
    assert_eq!(
        kpis_there, kpis_here,
        "the KPI and both actuals, each on its day"
    );
    assert_eq!(kpis_there[0].actuals.len(), 2);
    let merged = b.get(&dup).await;
    assert!(
        merged.archived,
        "the merged copy is archived on the other desktop too"
    );

    // Bob, a lead, reweighs the model; Ada's desktop scores by it after the next sync.
    let mut model = b.ctx.scoring_model().await.unwrap();
    model.value[0].weight *= 2.0;
    let saved = portfolio::settings::save_scoring_model(&b.ctx, model)
        .await
        .unwrap();
    b.sync(&server).await.unwrap();
    a.sync(&server).await.unwrap();
    let theirs = a.ctx.scoring_model().await.unwrap();
    assert_eq!(theirs.value[0].weight, saved.value[0].weight);
}

#[tokio::test]
async fn only_leads_change_the_scoring_model_and_only_architects_and_up_map_patterns() {
    use portfolio::pattern::{self, MapPattern};

    let (_dir, server, [lead, cy]) = team([
        ("lead@example.org", Role::PortfolioLead),
        ("cy@example.org", Role::Contributor),
    ])
    .await;
    let id = lead.add("Fraud scoring").await.id;
    lead.sync(&server).await.unwrap();
    cy.sync(&server).await.unwrap();

    let mut model = cy.ctx.scoring_model().await.unwrap();
    model.value[0].weight += 1.0;
    portfolio::settings::save_scoring_model(&cy.ctx, model)
        .await
        .unwrap();
    pattern::map(
        &cy.ctx,
        MapPattern {
            use_case_id: id.clone(),
            pattern_slug: "classification".into(),
            primary: true,
        },
    )
    .await
    .unwrap();
    let r = cy.sync(&server).await.unwrap();
    let reasons: Vec<&str> = r.rejected.iter().map(|r| r.reason.as_str()).collect();
    assert_eq!(reasons.len(), 2, "{reasons:?}");
    assert!(
        reasons[0].contains("only portfolio leads edit the scoring model"),
        "{reasons:?}"
    );
    assert!(
        reasons[1].contains("neither proposed nor owns"),
        "{reasons:?}"
    );
    lead.sync(&server).await.unwrap();
    assert!(lead.get(&id).await.patterns.is_empty());
}

#[tokio::test]
async fn the_pattern_catalogue_travels_and_rival_edits_of_a_pattern_conflict() {
    use portfolio::pattern::{self, ControlRef, MapPattern, PatternInput};

    let dir = TempDir::new().unwrap();
    let db = sqlite_url(&dir);
    let ta = token(&db, "arch@example.org", Role::Architect).await;
    let tl = token(&db, "lead@example.org", Role::PortfolioLead).await;
    let tc = token(&db, "cy@example.org", Role::Contributor).await;
    let tn = token(&db, "nia@example.org", Role::Viewer).await;
    let server = Server::start(&db);
    let arch = Desktop::new("arch@example.org", &ta).await;
    let lead = Desktop::new("lead@example.org", &tl).await;
    let cy = Desktop::new("cy@example.org", &tc).await;
    let input = |name: &str| PatternInput {
        slug: "claims-triage".into(),
        name: name.into(),
        description: "Routes claims by their risk".into(),
        components: vec!["Classifier".into(), "Queue".into()],
        controls: vec![
            ControlRef {
                slug: "human-review".into(),
                name: Some("Human review of every refusal".into()),
            },
            ControlRef {
                slug: "grounding-check".into(),
                name: None,
            },
        ],
        expect_version: None,
    };

    // An architect adds a pattern with a control of its own and maps a lead's use case to it.
    let id = lead.add("Claims routing").await.id;
    lead.sync(&server).await.unwrap();
    arch.sync(&server).await.unwrap();
    pattern::add(&arch.ctx, input("Claims triage"))
        .await
        .unwrap();
    let map = MapPattern {
        use_case_id: id.clone(),
        pattern_slug: "claims-triage".into(),
        primary: true,
    };
    pattern::map(&arch.ctx, map).await.unwrap();
    pattern::retire(&arch.ctx, "classification", true)
        .await
        .unwrap();
    assert!(arch.sync(&server).await.unwrap().rejected.is_empty());
    lead.sync(&server).await.unwrap();
    let comparable = |mut p: pattern::Pattern| {
        p.version = 0;
        p
    };
    let theirs = pattern::get(&lead.ctx, "claims-triage").await.unwrap();
    assert_eq!(
        comparable(theirs.clone()),
        comparable(pattern::get(&arch.ctx, "claims-triage").await.unwrap())
    );
    assert_eq!(theirs.controls[0].name, "Human review of every refusal");
    assert_eq!(theirs.reuse, 1, "the mapping to it travelled too");
    assert!(
        pattern::get(&lead.ctx, "classification")
            .await
            .unwrap()
            .retired
    );

    // Both edit it between two syncs: whole records, so a conflict on both desktops.
    let edit = |name: &str, version: i32| PatternInput {
        expect_version: Some(version),
        ..input(name)
    };
    let v = |p: pattern::Pattern| p.version;
    let at_arch = v(pattern::get(&arch.ctx, "claims-triage").await.unwrap());
    pattern::edit(&arch.ctx, edit("Claims triage (v2)", at_arch))
        .await
        .unwrap();
    let at_lead = v(pattern::get(&lead.ctx, "claims-triage").await.unwrap());
    pattern::edit(&lead.ctx, edit("Claim routing", at_lead))
        .await
        .unwrap();
    arch.sync(&server).await.unwrap();
    lead.sync(&server).await.unwrap();
    arch.sync(&server).await.unwrap();
    for d in [&arch, &lead] {
        let open = conflict::list(&d.ctx).await.unwrap();
        assert_eq!(open.len(), 1, "{open:?}");
        assert_eq!(open[0].entity, "pattern");
        assert_eq!(open[0].title.as_deref(), Some("Claim routing"));
    }
    let c = &conflict::list(&lead.ctx).await.unwrap()[0];
    let typed = conflict::resolve(&lead.ctx, &c.id, Resolution::Value("x".into())).await;
    assert_eq!(typed.unwrap_err().code, ErrorCode::Validation);
    conflict::resolve(&lead.ctx, &c.id, Resolution::Theirs)
        .await
        .unwrap();
    lead.sync(&server).await.unwrap();
    arch.sync(&server).await.unwrap();
    for d in [&arch, &lead] {
        assert!(conflict::list(&d.ctx).await.unwrap().is_empty());
        let p = pattern::get(&d.ctx, "claims-triage").await.unwrap();
        assert_eq!(p.name, "Claims triage (v2)", "the architect's edit stands");
    }

    // A contributor may not add to the catalogue: refused, listed, and reverted away.
    cy.sync(&server).await.unwrap();
    pattern::add(
        &cy.ctx,
        PatternInput {
            slug: "cys-pattern".into(),
            ..input("Cy's pattern")
        },
    )
    .await
    .unwrap();
    let r = cy.sync(&server).await.unwrap();
    assert_eq!(r.rejected.len(), 1, "{r:?}");
    assert!(
        r.rejected[0]
            .reason
            .contains("only architects and portfolio leads edit the pattern catalogue"),
        "{}",
        r.rejected[0].reason
    );
    let listed = desktop_sync::status(&cy.ctx).await.unwrap().rejected;
    assert_eq!(
        (listed[0].entity.as_str(), listed[0].title.as_deref()),
        ("pattern", Some("Cy's pattern"))
    );
    portfolio::sync::apply::revert(&cy.ctx, &r.rejected[0].change_id)
        .await
        .unwrap();
    let gone = pattern::get(&cy.ctx, "cys-pattern").await;
    assert_eq!(gone.unwrap_err().code, ErrorCode::NotFound);

    // The architect retires the pattern, then edits it again: a new desktop's first sync
    // (the registry's snapshot, whose latest record comes after the retirement) has both.
    pattern::retire(&arch.ctx, "claims-triage", true)
        .await
        .unwrap();
    let at = v(pattern::get(&arch.ctx, "claims-triage").await.unwrap());
    pattern::edit(&arch.ctx, edit("Claims triage (v3)", at))
        .await
        .unwrap();
    arch.sync(&server).await.unwrap();
    let nia = Desktop::new("nia@example.org", &tn).await;
    nia.sync(&server).await.unwrap();
    let fresh = pattern::get(&nia.ctx, "claims-triage").await.unwrap();
    assert_eq!(
        fresh.reuse, 1,
        "the mapping, served before the pattern's latest record, is kept"
    );
    assert_eq!(
        (fresh.name.as_str(), fresh.retired),
        ("Claims triage (v3)", true)
    );
    assert_eq!(fresh.controls[0].name, "Human review of every refusal");
    assert!(
        pattern::get(&nia.ctx, "classification")
            .await
            .unwrap()
            .retired
    );
}

#[tokio::test]
async fn a_refused_deletion_is_put_back_as_the_registry_has_it() {
    use portfolio::owner::OwnerRole;
    use portfolio::pattern::{self, MapPattern};
    use portfolio::person::NewPerson;
    use portfolio::stage::Stage;
    use portfolio::stage_move::{self, MoveStage};
    use portfolio::use_case::{self, SetOwner, SetScore};

    let (_dir, server, [lead, cy]) = team([
        ("lead@example.org", Role::PortfolioLead),
        ("cy@example.org", Role::Contributor),
    ])
    .await;

    // A lead's use case with a bit of everything, and an edit made after Cy first saw it.
    let id = lead.add("Invoice matching").await.id;
    lead.set(&id, "problem", "Mismatched invoices")
        .await
        .unwrap();
    let score = SetScore {
        id: id.clone(),
        criterion: "reach".into(),
        score: Some(4),
        expect_version: None,
    };
    use_case::set_score(&lead.ctx, score).await.unwrap();
    let owner = SetOwner {
        id: id.clone(),
        role: OwnerRole::Business,
        person: Some(NewPerson {
            email: "fin@example.org".into(),
            name: Some("Fin".into()),
            business_unit: None,
        }),
        expect_version: None,
    };
    use_case::set_owner(&lead.ctx, owner).await.unwrap();
    let map = MapPattern {
        use_case_id: id.clone(),
        pattern_slug: "document-extraction".into(),
        primary: true,
    };
    pattern::map(&lead.ctx, map).await.unwrap();
    lead.sync(&server).await.unwrap();
    cy.sync(&server).await.unwrap();
    let to = MoveStage {
        id: id.clone(),
        to: Stage::Assessment,
        note: None,
        expect_version: None,
    };
    stage_move::move_stage(&lead.ctx, to).await.unwrap();
    lead.sync(&server).await.unwrap();

    // Cy renames it; refused and reverted. The lead renames it after.
    cy.sync(&server).await.unwrap();
    cy.set(&id, "title", "Cy's title").await.unwrap();
    let refused = cy.sync(&server).await.unwrap().rejected;
    portfolio::sync::apply::revert(&cy.ctx, &refused[0].change_id)
        .await
        .unwrap();
    lead.set(&id, "title", "Invoice matching (all units)")
        .await
        .unwrap();
    lead.sync(&server).await.unwrap();

    // Cy deletes it; the registry refuses (Cy neither proposed nor owns it).
    use_case::delete(&cy.ctx, &id).await.unwrap();
    let r = cy.sync(&server).await.unwrap();
    assert_eq!(r.rejected.len(), 1, "{r:?}");
    assert_eq!(r.pulled, 1, "the rename arrives for a use case gone here");
    portfolio::sync::apply::revert(&cy.ctx, &r.rejected[0].change_id)
        .await
        .unwrap();

    let (back, theirs) = (cy.get(&id).await, lead.get(&id).await);
    let facts = |u: &use_case::UseCase| {
        (
            u.title.clone(),
            u.problem.clone(),
            u.scores.clone(),
            u.owners.clone(),
            u.stage,
            u.patterns.clone(),
            u.created_at.clone(),
        )
    };
    assert_eq!(facts(&back), facts(&theirs));
    assert_eq!(
        back.stage,
        Stage::Assessment,
        "the move made after the delete"
    );
    assert_eq!(
        back.title, "Invoice matching (all units)",
        "not Cy's reverted title"
    );
    let status = desktop_sync::status(&cy.ctx).await.unwrap();
    assert!(status.rejected.is_empty());
    assert_eq!(status.pending, 0, "nothing of the put-back is sent");
    let last = use_case::history(&cy.ctx, &id)
        .await
        .unwrap()
        .pop()
        .unwrap();
    assert_eq!(last.kind, "restore");

    // It stays in step: the next edit on the registry arrives as any other.
    lead.set(&id, "title", "Invoice matching (EU)")
        .await
        .unwrap();
    lead.sync(&server).await.unwrap();
    cy.sync(&server).await.unwrap();
    assert_eq!(cy.get(&id).await.title, "Invoice matching (EU)");
}

#[tokio::test]
async fn a_refused_deletion_of_what_the_registry_deleted_too_stays_deleted() {
    let (_dir, server, [lead, cy]) = team([
        ("lead@example.org", Role::PortfolioLead),
        ("cy@example.org", Role::Contributor),
    ])
    .await;
    let id = lead.add("Old pilot").await.id;
    lead.sync(&server).await.unwrap();
    cy.sync(&server).await.unwrap();

    portfolio::use_case::delete(&cy.ctx, &id).await.unwrap();
    let refused = cy.sync(&server).await.unwrap().rejected;
    assert_eq!(refused.len(), 1);
    portfolio::use_case::delete(&lead.ctx, &id).await.unwrap();
    lead.sync(&server).await.unwrap();
    cy.sync(&server).await.unwrap();
    portfolio::sync::apply::revert(&cy.ctx, &refused[0].change_id)
        .await
        .unwrap();
    let gone = portfolio::use_case::get(&cy.ctx, &id).await;
    assert_eq!(gone.unwrap_err().code, ErrorCode::NotFound);
    let status = desktop_sync::status(&cy.ctx).await.unwrap();
    assert!(status.rejected.is_empty());
    assert_eq!(status.pending, 0);
}

#[tokio::test]
async fn reverting_a_refused_new_pattern_keeps_the_registrys_pattern_of_that_slug() {
    use portfolio::pattern::{self, PatternInput};

    let (_dir, server, [arch, cy]) = team([
        ("arch@example.org", Role::Architect),
        ("cy@example.org", Role::Contributor),
    ])
    .await;
    let input = |name: &str| PatternInput {
        slug: "fraud-rules".into(),
        name: name.into(),
        ..Default::default()
    };
    pattern::add(&cy.ctx, input("Cy's fraud rules"))
        .await
        .unwrap();
    pattern::add(&arch.ctx, input("Fraud rules")).await.unwrap();
    arch.sync(&server).await.unwrap();

    let refused = cy.sync(&server).await.unwrap().rejected;
    assert_eq!(refused.len(), 1, "{refused:?}");
    portfolio::sync::apply::revert(&cy.ctx, &refused[0].change_id)
        .await
        .unwrap();
    let kept = pattern::get(&cy.ctx, "fraud-rules").await.unwrap();
    assert_eq!(
        kept.name, "Fraud rules",
        "the architect's, as the registry has it"
    );
}

/// Edits made here by one person and a sync with another person's token: it is refused as
/// `forbidden` before anything is sent or marked, and the edits go out, accepted, when their
/// author's token syncs.
#[tokio::test]
async fn another_persons_token_leaves_the_edits_pending_for_their_author() {
    let (_dir, server, ada, bob) = two_leads().await;
    let id = ada.add("Made by Ada").await.id;
    // Ada names Bob as its business owner, so Bob is already a person here.
    portfolio::use_case::set_owner(
        &ada.ctx,
        portfolio::use_case::SetOwner {
            id: id.clone(),
            role: portfolio::owner::OwnerRole::Business,
            person: Some(portfolio::person::NewPerson {
                email: "bob@example.org".into(),
                ..Default::default()
            }),
            expect_version: None,
        },
    )
    .await
    .unwrap();
    let identity = |email: &str| portfolio::Identity {
        name: email.split('@').next().unwrap().into(),
        email: email.into(),
    };
    // The same desktop, now told it is Bob's, with Bob's token.
    portfolio::person::set_identity(&ada.ctx, identity("bob@example.org"))
        .await
        .unwrap();
    let with_bobs = Registry {
        url: server.url.clone(),
        token: bob.token.clone(),
    };
    let e = portfolio::sync::client::run(&ada.ctx, &with_bobs)
        .await
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Forbidden, "{}", e.message);
    assert!(e.message.contains("ada@example.org"), "{}", e.message);
    let status = desktop_sync::status(&ada.ctx).await.unwrap();
    assert!(
        status.rejected.is_empty(),
        "nothing was marked refused: {status:?}"
    );
    assert!(status.pending >= 3, "Ada's edits still wait: {status:?}");
    assert!(
        server_log(&server, &bob.token).await.is_empty(),
        "nothing was sent"
    );

    portfolio::person::set_identity(&ada.ctx, identity("ada@example.org"))
        .await
        .unwrap();
    let report = ada.sync(&server).await.unwrap();
    assert!(report.rejected.is_empty(), "{report:?}");
    assert!(report.pushed >= 3, "{report:?}");
    bob.sync(&server).await.unwrap();
    assert_eq!(bob.get(&id).await.title, "Made by Ada");
}

#[tokio::test]
async fn a_connect_whose_sync_fails_saves_no_token() {
    let (_dir, server, ada, bob) = two_leads().await;
    // Synced before, so the registry's address is known here; then connected with a
    // mistyped token.
    ada.sync(&server).await.unwrap();
    let mistyped = Registry {
        url: server.url.clone(),
        token: "pfr_not-a-real-token".into(),
    };
    let e = portfolio::sync::client::connect(&ada.ctx, &mistyped)
        .await
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Unauthenticated, "{}", e.message);
    let status = desktop_sync::status(&ada.ctx).await.unwrap();
    assert_eq!(status.registry_url.as_deref(), Some(server.url.as_str()));
    assert!(!status.token_saved, "{status:?}");
    assert_eq!(
        desktop_sync::credential::load(&server.url).await.unwrap(),
        None
    );

    // A first connect with someone else's token: refused, nothing saved either.
    let newcomer = Desktop::new("cy@example.org", "unused").await;
    let bobs = Registry {
        url: server.url.clone(),
        token: bob.token.clone(),
    };
    let e = portfolio::sync::client::connect(&newcomer.ctx, &bobs)
        .await
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Forbidden, "{}", e.message);
    assert!(
        !desktop_sync::status(&newcomer.ctx)
            .await
            .unwrap()
            .token_saved
    );
    assert_eq!(
        desktop_sync::credential::load(&server.url).await.unwrap(),
        None
    );
}

#[tokio::test]
async fn reverting_a_refused_new_use_case_deletes_it_here() {
    let (_dir, server, [vi]) = team([("vi@example.org", Role::Viewer)]).await;
    let id = vi.add("Vi's idea").await.id;
    vi.sync(&server).await.unwrap();
    let refused = desktop_sync::status(&vi.ctx)
        .await
        .unwrap()
        .rejected
        .into_iter()
        .find(|r| r.use_case_id.as_deref() == Some(id.as_str()))
        .expect("the creation is refused");
    assert_eq!(
        (refused.entity.as_str(), refused.kind.as_str()),
        ("use_case", "create")
    );

    portfolio::sync::apply::revert(&vi.ctx, &refused.change_id)
        .await
        .unwrap();
    let gone = portfolio::use_case::get(&vi.ctx, &id).await;
    assert_eq!(gone.unwrap_err().code, ErrorCode::NotFound);
    assert!(
        !desktop_sync::status(&vi.ctx)
            .await
            .unwrap()
            .rejected
            .iter()
            .any(|r| r.change_id == refused.change_id)
    );
}

/// Ada adds a use case both desktops sync; then each makes `edits` (field, Ada's value,
/// Bob's value) and Ada syncs before Bob, so Bob's desktop has the conflicts. Returns its id.
async fn rival_edits(
    server: &Server,
    a: &Desktop,
    b: &Desktop,
    edits: &[(&str, &str, &str)],
) -> String {
    let id = a.add("Invoice bot").await.id;
    a.sync(server).await.unwrap();
    b.sync(server).await.unwrap();
    for (field, ada, bob) in edits {
        a.set(&id, field, ada).await.unwrap();
        b.set(&id, field, bob).await.unwrap();
    }
    a.sync(server).await.unwrap();
    b.sync(server).await.unwrap();
    id
}

async fn score(d: &Desktop, id: &str, criterion: &str, score: i32) {
    portfolio::use_case::set_score(
        &d.ctx,
        portfolio::use_case::SetScore {
            id: id.into(),
            criterion: criterion.into(),
            score: Some(score),
            expect_version: None,
        },
    )
    .await
    .unwrap();
}

#[tokio::test]
async fn a_score_conflict_is_not_settled_with_a_score_outside_one_to_five() {
    let (_dir, server, a, b) = two_leads().await;
    let id = rival_edits(&server, &a, &b, &[]).await;
    let criterion = a
        .ctx
        .scoring_model()
        .await
        .unwrap()
        .criteria()
        .next()
        .unwrap()
        .1
        .slug
        .clone();
    score(&a, &id, &criterion, 4).await;
    score(&b, &id, &criterion, 2).await;
    a.sync(&server).await.unwrap();
    b.sync(&server).await.unwrap();
    let open = conflict::list(&b.ctx).await.unwrap();
    assert_eq!(
        (open.len(), open[0].kind.as_str(), open[0].field.as_deref()),
        (1, "score", Some(criterion.as_str()))
    );

    let e = conflict::resolve(&b.ctx, &open[0].id, Resolution::Value("7".into()))
        .await
        .unwrap_err();
    assert_eq!(
        (e.code, e.message.as_str()),
        (ErrorCode::Validation, "a score is 1 to 5, not 7")
    );
    assert_eq!(conflict::list(&b.ctx).await.unwrap().len(), 1, "still open");
    let scored = b.get(&id).await;
    assert_eq!(scored.scores[&criterion], Some(2), "the score is as it was");
}

#[tokio::test]
async fn settling_a_conflict_adds_one_change_waiting_to_sync() {
    let (_dir, server, a, b) = two_leads().await;
    rival_edits(
        &server,
        &a,
        &b,
        &[("solution", "Ada's solution", "Bob's solution")],
    )
    .await;
    let before = desktop_sync::status(&b.ctx).await.unwrap();
    assert_eq!((before.pending, before.conflicts), (0, 1));
    let c = &conflict::list(&b.ctx).await.unwrap()[0];
    conflict::resolve(&b.ctx, &c.id, Resolution::Mine)
        .await
        .unwrap();
    let after = desktop_sync::status(&b.ctx).await.unwrap();
    assert_eq!((after.pending, after.conflicts), (1, 0));
}

#[tokio::test]
async fn the_open_conflicts_show_the_title_a_settled_title_conflict_took() {
    let (_dir, server, a, b) = two_leads().await;
    let id = rival_edits(
        &server,
        &a,
        &b,
        &[
            ("title", "Invoice assistant", "Invoice robot"),
            ("expected_benefit", "100000", "250000"),
        ],
    )
    .await;
    let open = conflict::list(&b.ctx).await.unwrap();
    assert_eq!(open.len(), 2, "{open:?}");
    let title = open
        .iter()
        .find(|c| c.field.as_deref() == Some("title"))
        .unwrap();
    assert_eq!(title.theirs, Some("Invoice assistant".into()));

    conflict::resolve(&b.ctx, &title.id, Resolution::Theirs)
        .await
        .unwrap();
    assert_eq!(b.get(&id).await.title, "Invoice assistant");
    let left = conflict::list(&b.ctx).await.unwrap();
    assert_eq!(
        left.iter()
            .map(|c| (c.field.as_deref(), c.title.as_deref()))
            .collect::<Vec<_>>(),
        [(Some("expected_benefit"), Some("Invoice assistant"))]
    );
}
