//! A property test of random interleavings: three desktops edit, sync, lose requests and
//! answers, repeat pushes and see the registry restart; once everyone has synced, every
//! desktop holds the same portfolio and no edit the registry acknowledged is lost.
//!
//! The registry here is its real store and exchange function in-process (no HTTP), so a
//! thousand cases run in CI; the HTTP path is covered by the scenarios.

use std::collections::BTreeMap;
use std::path::Path;

use portfolio::owner::OwnerRole;
use portfolio::person::NewPerson;
use portfolio::sync::client::{self, Transport};
use portfolio::sync::conflict::{self, Resolution};
use portfolio::sync::wire::{Me, SyncRequest, SyncResponse};
use portfolio::use_case::{self, SetOwner, SetScore};
use portfolio::view::{self, Filters, ListQuery};
use portfolio::{Ctx, ErrorCode, Identity, OpenMode};
use portfolio_registry::Store;
use portfolio_registry::role::Role;
use portfolio_registry::token::Principal;
use proptest::prelude::*;
use tempfile::TempDir;

#[derive(Debug, Clone, Copy)]
enum Fault {
    None,
    /// The request never reaches the registry.
    LoseRequest,
    /// The registry commits, the answer is lost.
    LoseAnswer,
    /// The request arrives twice.
    Duplicate,
}

#[derive(Debug, Clone)]
enum Op {
    Edit {
        d: usize,
        uc: usize,
        field: usize,
        value: u8,
    },
    Score {
        d: usize,
        uc: usize,
        criterion: usize,
        score: Option<u8>,
    },
    Owner {
        d: usize,
        uc: usize,
        person: Option<u8>,
    },
    Archive {
        d: usize,
        uc: usize,
        on: bool,
    },
    /// Maps one of two starter patterns (as primary or not), or takes it off.
    Pattern {
        d: usize,
        uc: usize,
        pattern: usize,
        primary: Option<bool>,
    },
    /// Sets a control the RAG pattern brings (refused unless the use case has it).
    Control {
        d: usize,
        uc: usize,
        status: usize,
    },
    Create {
        d: usize,
    },
    /// Adds the team's own pattern under one slug (so desktops may add it at once) or, where
    /// the desktop has it, renames it.
    Catalogue {
        d: usize,
        name: u8,
    },
    /// Retires or brings back the team's pattern, or a starter one before that exists.
    Retire {
        d: usize,
        on: bool,
    },
    Sync {
        d: usize,
        fault: Fault,
    },
    Restart,
    Resolve {
        d: usize,
        mine: bool,
    },
}

const DESKTOPS: usize = 3;
const TEAM_PATTERN: &str = "team-pattern";
const FIELDS: [&str; 3] = ["title", "problem", "expected_benefit"];

fn op() -> impl Strategy<Value = Op> {
    let d = 0..DESKTOPS;
    let fault = prop_oneof![
        4 => Just(Fault::None),
        1 => Just(Fault::LoseRequest),
        1 => Just(Fault::LoseAnswer),
        1 => Just(Fault::Duplicate),
    ];
    prop_oneof![
        6 => (d.clone(), 0..8usize, 0..FIELDS.len(), 0..3u8)
            .prop_map(|(d, uc, field, value)| Op::Edit { d, uc, field, value }),
        2 => (d.clone(), 0..8usize, 0..2usize, proptest::option::of(1..=5u8))
            .prop_map(|(d, uc, criterion, score)| Op::Score { d, uc, criterion, score }),
        2 => (d.clone(), 0..8usize, proptest::option::of(0..2u8))
            .prop_map(|(d, uc, person)| Op::Owner { d, uc, person }),
        1 => (d.clone(), 0..8usize, any::<bool>()).prop_map(|(d, uc, on)| Op::Archive { d, uc, on }),
        1 => d.clone().prop_map(|d| Op::Create { d }),
        2 => (d.clone(), 0..8usize, 0..2usize, proptest::option::of(any::<bool>()))
            .prop_map(|(d, uc, pattern, primary)| Op::Pattern { d, uc, pattern, primary }),
        1 => (d.clone(), 0..8usize, 0..3usize).prop_map(|(d, uc, status)| Op::Control { d, uc, status }),
        1 => (d.clone(), 0..3u8).prop_map(|(d, name)| Op::Catalogue { d, name }),
        1 => (d.clone(), any::<bool>()).prop_map(|(d, on)| Op::Retire { d, on }),
        8 => (d.clone(), fault).prop_map(|(d, fault)| Op::Sync { d, fault }),
        1 => Just(Op::Restart),
        2 => (d, any::<bool>()).prop_map(|(d, mine)| Op::Resolve { d, mine }),
    ]
}

/// The registry in-process, with a fault between it and the desktop.
struct Local<'a> {
    store: &'a Store,
    who: Principal,
    fault: Fault,
}

impl Transport for Local<'_> {
    async fn me(&self) -> portfolio::Result<Me> {
        Ok(Me {
            user: self.who.user.clone(),
            role: self.who.role.as_str().into(),
            token_id: self.who.token_id.clone(),
        })
    }

    async fn sync(&self, req: &SyncRequest) -> portfolio::Result<SyncResponse> {
        let lost = || portfolio::Error::new(ErrorCode::Unreachable, "connection dropped");
        let exchange = || portfolio_registry::api::exchange(self.store, &self.who, req);
        let answer = match self.fault {
            Fault::LoseRequest => return Err(lost()),
            Fault::LoseAnswer => {
                exchange().await.unwrap();
                return Err(lost());
            }
            Fault::Duplicate => {
                exchange().await.unwrap();
                exchange().await
            }
            Fault::None => exchange().await,
        };
        Ok(answer.unwrap())
    }
}

struct Desktop {
    ctx: Ctx,
    who: Principal,
}

/// A desktop store copied from a template (creating one from scratch each time would
/// dominate the run), with its own desktop id and identity.
async fn desktop(template: &Path, dir: &Path, n: usize) -> Desktop {
    let path = dir.join(format!("desktop-{n}.db"));
    std::fs::copy(template, &path).unwrap();
    let ctx = Ctx::open(&path, OpenMode::Existing).await.unwrap();
    let email = format!("person{n}@example.org");
    let mut tx = ctx.store().begin().await.unwrap();
    sqlx::query("UPDATE sync_state SET desktop_id = lower(hex(randomblob(16)))")
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    portfolio::person::set_identity(
        &ctx,
        Identity {
            name: format!("Person {n}"),
            email: email.clone(),
        },
    )
    .await
    .unwrap();
    Desktop {
        ctx,
        who: Principal {
            token_id: format!("token-{n}"),
            user: email,
            role: Role::PortfolioLead,
        },
    }
}

async fn sync(d: &Desktop, store: &Store, fault: Fault) -> portfolio::Result<()> {
    let t = Local {
        store,
        who: d.who.clone(),
        fault,
    };
    client::run_with(&d.ctx, &t, "http://registry.test")
        .await
        .map(drop)
}

async fn ids(ctx: &Ctx) -> Vec<String> {
    let q = ListQuery {
        filters: Filters {
            include_archived: true,
            ..Default::default()
        },
        sort: Some("title".into()),
        ..Default::default()
    };
    let mut ids: Vec<String> = view::list(ctx, q)
        .await
        .unwrap()
        .rows
        .into_iter()
        .map(|r| r.id)
        .collect();
    ids.sort();
    ids
}

/// What must agree across desktops: every synced field of every use case, and the
/// pattern catalogue.
async fn portfolio_of(ctx: &Ctx) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for p in portfolio::pattern::catalogue(ctx).await.unwrap().patterns {
        let state = format!("{} | retired {} | {:?}", p.name, p.retired, p.controls);
        out.insert(format!("pattern {}", p.slug), state);
    }
    for id in ids(ctx).await {
        let u = use_case::get(ctx, &id).await.unwrap();
        let state = format!(
            "{} | {} | {:?} | archived {} | {:?} | {:?} | {:?}",
            u.title, u.problem, u.expected_benefit, u.archived, u.scores, u.owners, u.stage
        );
        out.insert(id, state);
    }
    out
}

async fn apply(op: &Op, desktops: &[Desktop], store: &mut Store, url: &str) {
    let pick = |ids: &[String], n: usize| ids.get(n % ids.len().max(1)).cloned();
    match op.clone() {
        Op::Edit {
            d,
            uc,
            field,
            value,
        } => {
            let ctx = &desktops[d].ctx;
            if let Some(id) = pick(&ids(ctx).await, uc) {
                let v = if FIELDS[field] == "expected_benefit" {
                    format!("{}000", u32::from(value) + 1)
                } else {
                    format!("{} v{value}", FIELDS[field])
                };
                let fields = [(
                    FIELDS[field].to_owned(),
                    portfolio::field::FieldValue::Text(v),
                )]
                .into();
                use_case::set_fields(
                    ctx,
                    use_case::SetFields {
                        id,
                        expect_version: None,
                        fields,
                    },
                )
                .await
                .unwrap();
            }
        }
        Op::Score {
            d,
            uc,
            criterion,
            score,
        } => {
            let ctx = &desktops[d].ctx;
            if let Some(id) = pick(&ids(ctx).await, uc) {
                let model = ctx.scoring_model().await.unwrap();
                let slug = model.criteria().nth(criterion).unwrap().1.slug.clone();
                use_case::set_score(
                    ctx,
                    SetScore {
                        id,
                        criterion: slug,
                        score: score.map(i32::from),
                        expect_version: None,
                    },
                )
                .await
                .unwrap();
            }
        }
        Op::Owner { d, uc, person } => {
            let ctx = &desktops[d].ctx;
            if let Some(id) = pick(&ids(ctx).await, uc) {
                use_case::set_owner(
                    ctx,
                    SetOwner {
                        id,
                        role: OwnerRole::Business,
                        person: person.map(|p| NewPerson {
                            email: format!("owner{p}@example.org"),
                            ..Default::default()
                        }),
                        expect_version: None,
                    },
                )
                .await
                .unwrap();
            }
        }
        Op::Archive { d, uc, on } => {
            let ctx = &desktops[d].ctx;
            if let Some(id) = pick(&ids(ctx).await, uc) {
                use_case::set_archived(ctx, &id, on).await.unwrap();
            }
        }
        Op::Pattern {
            d,
            uc,
            pattern,
            primary,
        } => {
            let ctx = &desktops[d].ctx;
            let slug = ["rag-knowledge-assistant", "classification"][pattern];
            if let Some(id) = pick(&ids(ctx).await, uc) {
                match primary {
                    Some(primary) => {
                        let req = portfolio::pattern::MapPattern {
                            use_case_id: id,
                            pattern_slug: slug.into(),
                            primary,
                        };
                        portfolio::pattern::map(ctx, req).await.unwrap();
                    }
                    None => {
                        portfolio::pattern::unmap(ctx, &id, slug).await.unwrap();
                    }
                }
            }
        }
        Op::Control { d, uc, status } => {
            use portfolio::pattern::ControlState;
            let ctx = &desktops[d].ctx;
            if let Some(id) = pick(&ids(ctx).await, uc) {
                let status = [
                    ControlState::Open,
                    ControlState::InPlace,
                    ControlState::NotApplicable,
                ][status];
                let req = portfolio::pattern::SetControl {
                    use_case_id: id,
                    control_slug: "grounding-check".into(),
                    status,
                    note: None,
                };
                // Refused (and nothing written) when the use case has not the RAG pattern.
                let _ = portfolio::pattern::set_control(ctx, req).await;
            }
        }
        Op::Create { d } => {
            let ctx = &desktops[d].ctx;
            let n = ids(ctx).await.len();
            use_case::create(
                ctx,
                use_case::NewUseCase {
                    title: format!("Idea {n} of desktop {d}"),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        }
        Op::Sync { d, fault } => {
            let r = sync(&desktops[d], store, fault).await;
            match fault {
                Fault::None | Fault::Duplicate => r.unwrap(),
                Fault::LoseRequest | Fault::LoseAnswer => {
                    assert_eq!(r.unwrap_err().code, ErrorCode::Unreachable)
                }
            }
        }
        Op::Catalogue { d, name } => {
            use portfolio::pattern::{self, PatternInput};
            let ctx = &desktops[d].ctx;
            let input = PatternInput {
                slug: TEAM_PATTERN.into(),
                name: format!("Team pattern {name}"),
                ..Default::default()
            };
            match pattern::get(ctx, TEAM_PATTERN).await {
                Ok(_) => pattern::edit(ctx, input).await.unwrap(),
                Err(_) => pattern::add(ctx, input).await.unwrap(),
            };
        }
        Op::Retire { d, on } => {
            let ctx = &desktops[d].ctx;
            let slug = match portfolio::pattern::get(ctx, TEAM_PATTERN).await {
                Ok(_) => TEAM_PATTERN,
                Err(_) => "forecasting",
            };
            portfolio::pattern::retire(ctx, slug, on).await.unwrap();
        }
        Op::Restart => {
            store.pool.close().await;
            *store = Store::open(url).await.unwrap();
        }
        Op::Resolve { d, mine } => {
            let ctx = &desktops[d].ctx;
            if let Some(c) = conflict::list(ctx).await.unwrap().first() {
                let how = if mine {
                    Resolution::Mine
                } else {
                    Resolution::Theirs
                };
                conflict::resolve(ctx, &c.id, how).await.unwrap();
            }
        }
    }
}

async fn run_case(template: &Path, ops: &[Op]) {
    let dir = TempDir::new().unwrap();
    let url = format!("sqlite://{}", dir.path().join("registry.db").display());
    let mut store = Store::open(&url).await.unwrap();
    let mut desktops = Vec::new();
    for n in 0..DESKTOPS {
        desktops.push(desktop(template, dir.path(), n).await);
    }
    // A common start: two use cases from the first desktop, seen by all.
    for title in ["Invoice triage", "Demand forecast"] {
        use_case::create(
            &desktops[0].ctx,
            use_case::NewUseCase {
                title: title.into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    }
    for d in &desktops {
        sync(d, &store, Fault::None).await.unwrap();
    }
    for op in ops {
        apply(op, &desktops, &mut store, &url).await;
    }
    // Everyone syncs until quiet: twice round is enough for any change to reach everyone.
    for _ in 0..2 {
        for d in &desktops {
            sync(d, &store, Fault::None).await.unwrap();
        }
    }
    let first = portfolio_of(&desktops[0].ctx).await;
    for d in &desktops[1..] {
        assert_eq!(portfolio_of(&d.ctx).await, first, "desktops differ");
    }
    // No acknowledged edit is lost: every change a desktop holds as accepted is in the
    // registry's log under the same sequence number, and nothing waits to be sent.
    let (log, _) = store.pull(0, 100_000, false).await.unwrap();
    let on_registry: BTreeMap<&str, i64> =
        log.iter().map(|c| (c.change.id.as_str(), c.seq)).collect();
    for d in &desktops {
        let status = portfolio::sync::status(&d.ctx).await.unwrap();
        assert_eq!(status.pending, 0);
        assert!(status.rejected.is_empty(), "{:?}", status.rejected);
        let mut tx = d.ctx.store().begin().await.unwrap();
        let accepted: Vec<(String, i64)> = sqlx::query_as(
            "SELECT id, server_seq FROM change_log WHERE origin IS NULL AND synced = 1",
        )
        .fetch_all(&mut *tx)
        .await
        .unwrap();
        for (id, seq) in accepted {
            assert_eq!(on_registry.get(id.as_str()), Some(&seq), "change {id}");
        }
    }
    // And the portfolio is the registry's latest word on every title.
    for id in ids(&desktops[0].ctx).await {
        let key = format!("use_case:{id}:field:title");
        if let Some(last) = log
            .iter()
            .rev()
            .find(|c| portfolio::sync::key_of(&c.change) == key)
        {
            let title = use_case::get(&desktops[0].ctx, &id).await.unwrap().title;
            assert_eq!(Some(serde_json::Value::from(title)), last.change.new);
        }
    }
    for d in desktops {
        d.ctx.close().await;
    }
    store.pool.close().await;
}

fn cases() -> u32 {
    std::env::var("PORTFOLIO_SYNC_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000)
}

#[test]
fn random_interleavings_converge_and_lose_no_acknowledged_edit() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let template_dir = TempDir::new().unwrap();
    let template = template_dir.path().join("template.db");
    rt.block_on(async {
        let ctx = Ctx::open(&template, OpenMode::Create).await.unwrap();
        ctx.close().await;
    });
    let config = ProptestConfig {
        cases: cases(),
        failure_persistence: None,
        ..ProptestConfig::default()
    };
    proptest!(config, |(ops in proptest::collection::vec(op(), 1..30))| {
        rt.block_on(run_case(&template, &ops));
    });
}
