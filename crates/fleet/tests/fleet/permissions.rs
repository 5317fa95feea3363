//! Every endpoint × role cell of the permission table over real HTTP, including another
//! user's objects and missing, malformed, unknown, revoked and expired tokens.

use portfolio::sync::wire::{SyncRequest, SyncResponse, WireChange};
use portfolio_registry::Store;
use portfolio_registry::role::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};
use tempfile::TempDir;

use crate::support::{Server, sqlite_url};

struct Api {
    http: reqwest::Client,
    url: String,
}

impl Api {
    async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut r = self
            .http
            .request(method, format!("{}/api/v1/{path}", self.url));
        if let Some(t) = token {
            r = r.header("Authorization", t);
        }
        if let Some(b) = body {
            r = r.json(&b);
        }
        let resp = r.send().await.unwrap();
        let status = resp.status();
        let text = resp.text().await.unwrap();
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    async fn push(&self, token: &str, change: WireChange) -> SyncResponse {
        let body = serde_json::to_value(SyncRequest {
            after: i64::MAX / 2,
            changes: vec![change],
            ..Default::default()
        })
        .unwrap();
        let (status, v) = self
            .call(
                reqwest::Method::POST,
                "sync",
                Some(&bearer(token)),
                Some(body),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{v}");
        serde_json::from_value(v).unwrap()
    }
}

fn bearer(t: &str) -> String {
    format!("Bearer {t}")
}

fn change(kind: &str, id: &str, field: Option<&str>, new: Value, by: &str) -> WireChange {
    WireChange {
        id: uuid::Uuid::now_v7().to_string(),
        entity: "use_case".into(),
        entity_id: id.into(),
        use_case_id: Some(id.into()),
        kind: kind.into(),
        field: field.map(str::to_owned),
        old: None,
        new: Some(new),
        note: None,
        actor: by.into(),
        at: portfolio::now(),
        base: 0,
        origin: format!("desktop-of-{by}"),
    }
}

fn create(id: &str, title: &str, owner: Option<&str>, by: &str) -> WireChange {
    let mut snapshot = json!({"title": title, "stage": "idea"});
    if let Some(o) = owner {
        snapshot["owner.business"] = o.into();
    }
    change("create", id, None, snapshot, by)
}

/// The scoring model every new desktop starts with, as a desktop would send it.
async fn starter_model() -> Value {
    let dir = TempDir::new().unwrap();
    let ctx = portfolio::Ctx::open(&dir.path().join("d.db"), portfolio::OpenMode::Create)
        .await
        .unwrap();
    serde_json::to_value(ctx.scoring_model().await.unwrap()).unwrap()
}

fn email(r: Role) -> String {
    format!("{}@example.org", r.as_str())
}

struct Fixture {
    _dir: TempDir,
    _server: Server,
    api: Api,
    /// Each role's token, and a spare one of theirs to revoke and rotate.
    tokens: Vec<(Role, String, String)>,
    /// Each role's spare token id.
    spare_ids: Vec<(Role, String)>,
    /// The id of a token of someone who has no other part here.
    stranger: String,
    store: Store,
}

async fn fixture() -> Fixture {
    let dir = TempDir::new().unwrap();
    let db = sqlite_url(&dir);
    let store = Store::open(&db).await.unwrap();
    let mut tokens = Vec::new();
    let mut spare_ids = Vec::new();
    for r in Role::ALL {
        let t = store.create_token(&email(r), r, None).await.unwrap();
        let spare = store.create_token(&email(r), r, None).await.unwrap();
        tokens.push((r, t.token, spare.token));
        spare_ids.push((r, spare.id));
    }
    let stranger = store
        .create_token("stranger@example.org", Role::Contributor, None)
        .await
        .unwrap()
        .id;
    let server = Server::start(&db);
    let _ = rustls::crypto::ring::default_provider().install_default();
    let api = Api {
        http: reqwest::Client::new(),
        url: server.url.clone(),
    };
    Fixture {
        _dir: dir,
        _server: server,
        api,
        tokens,
        spare_ids,
        stranger,
        store,
    }
}

fn token_of(f: &Fixture, r: Role) -> &str {
    &f.tokens.iter().find(|(x, _, _)| *x == r).unwrap().1
}

#[tokio::test]
async fn every_endpoint_and_role() {
    let f = fixture().await;
    let lead = token_of(&f, Role::PortfolioLead);
    let lead_email = email(Role::PortfolioLead);
    // The lead proposes one use case per role, owned by that role's person, and one that
    // belongs to nobody but the lead.
    let others = "uc-lead-only";
    let r = f
        .api
        .push(lead, create(others, "The lead's own", None, &lead_email))
        .await;
    assert_eq!(r.accepted.len(), 1);
    for r in Role::ALL {
        let id = format!("uc-owned-by-{}", r.as_str());
        let resp = f
            .api
            .push(lead, create(&id, "Owned", Some(&email(r)), &lead_email))
            .await;
        assert_eq!(resp.accepted.len(), 1, "{resp:?}");
    }

    use reqwest::Method as M;
    let model = starter_model().await;
    for (role, token, _) in &f.tokens {
        let role = *role;
        let me = email(role);
        let t = bearer(token);
        let who = role.as_str();
        // Reading: every role.
        for (method, path) in [(M::GET, "me"), (M::GET, "changes?after=0&limit=5")] {
            let (s, v) = f.api.call(method, path, Some(&t), None).await;
            assert_eq!(s, StatusCode::OK, "{who} {path}: {v}");
        }
        let (s, v) = f.api.call(M::GET, "me", Some(&t), None).await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(
            (v["user"].as_str(), v["role"].as_str()),
            (Some(me.as_str()), Some(who))
        );
        let (s, _) = f
            .api
            .call(
                M::POST,
                "sync",
                Some(&t),
                Some(json!({"protocol": portfolio::sync::wire::PROTOCOL, "after": 0, "limit": 1})),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{who} pulls");

        // Pushing, cell by cell: (change, the roles that may make it).
        let own = format!("uc-owned-by-{who}");
        let cells: Vec<(&str, WireChange, &[Role])> = vec![
            (
                "create a use case",
                create(&format!("uc-new-{who}"), "New", None, &me),
                &[
                    Role::Contributor,
                    Role::Architect,
                    Role::PortfolioLead,
                    Role::Admin,
                ],
            ),
            (
                "edit one they own",
                change("field", &own, Some("title"), "Renamed".into(), &me),
                &[
                    Role::Contributor,
                    Role::Architect,
                    Role::PortfolioLead,
                    Role::Admin,
                ],
            ),
            (
                "edit another's title",
                change(
                    "field",
                    others,
                    Some("title"),
                    json!(format!("By {who}")),
                    &me,
                ),
                &[Role::PortfolioLead, Role::Admin],
            ),
            (
                "edit another's solution (technical)",
                change(
                    "field",
                    others,
                    Some("solution"),
                    json!(format!("By {who}")),
                    &me,
                ),
                &[Role::Architect, Role::PortfolioLead, Role::Admin],
            ),
            (
                "set another's data owner (technical)",
                change("owner", others, Some("data"), json!(me), &me),
                &[Role::Architect, Role::PortfolioLead, Role::Admin],
            ),
            (
                "move one they own to Production",
                change("stage", &own, None, "production".into(), &me),
                &[Role::PortfolioLead, Role::Admin],
            ),
            (
                "move one they own to Pilot",
                change("stage", &own, None, "pilot".into(), &me),
                &[
                    Role::Contributor,
                    Role::Architect,
                    Role::PortfolioLead,
                    Role::Admin,
                ],
            ),
            (
                "change a use case the registry does not have",
                change("field", "uc-nowhere", Some("title"), "X".into(), &me),
                &[],
            ),
            (
                "change the scoring model",
                WireChange {
                    entity: "scoring_model".into(),
                    ..change("model", "active", None, model.clone(), &me)
                },
                &[Role::PortfolioLead, Role::Admin],
            ),
            (
                "save a scoring model that is not one",
                WireChange {
                    entity: "scoring_model".into(),
                    ..change("model", "active", None, json!({}), &me)
                },
                &[],
            ),
            (
                "give a score of 6",
                change("score", &own, Some("reach"), json!(6), &me),
                &[],
            ),
            (
                "add a pattern to the catalogue",
                WireChange {
                    entity: "pattern".into(),
                    use_case_id: None,
                    ..change(
                        "create",
                        &format!("pattern-of-{}", role.as_str()),
                        None,
                        json!({"name": "New", "controls": ["human-review"], "control_names": {"human-review": "Human review"}}),
                        &me,
                    )
                },
                &[Role::Architect, Role::PortfolioLead, Role::Admin],
            ),
            (
                "retire a pattern",
                WireChange {
                    entity: "pattern".into(),
                    use_case_id: None,
                    new: None,
                    ..change("retire", "classification", None, json!(null), &me)
                },
                &[Role::Architect, Role::PortfolioLead, Role::Admin],
            ),
            (
                "add a pattern with a slug that is not one",
                WireChange {
                    entity: "pattern".into(),
                    use_case_id: None,
                    ..change("create", "Not A Slug", None, json!({"name": "New"}), &me)
                },
                &[],
            ),
            (
                "add a pattern listing a control twice",
                WireChange {
                    entity: "pattern".into(),
                    use_case_id: None,
                    ..change(
                        "create",
                        "twice",
                        None,
                        json!({"name": "Twice", "controls": ["human-review", "human-review"]}),
                        &me,
                    )
                },
                &[],
            ),
            (
                "retire a pattern by something that is not a slug",
                WireChange {
                    entity: "pattern".into(),
                    use_case_id: None,
                    new: None,
                    ..change("retire", "../etc", None, json!(null), &me)
                },
                &[],
            ),
            (
                "map a use case they own to a pattern the registry has not got",
                change(
                    "pattern",
                    &own,
                    Some("nowhere-pattern"),
                    json!("primary"),
                    &me,
                ),
                &[],
            ),
            (
                "change a kind the registry does not take",
                WireChange {
                    entity: "pattern".into(),
                    use_case_id: None,
                    ..change("delete", "classification", None, json!(null), &me)
                },
                &[],
            ),
        ];
        for (what, c, allowed) in cells {
            let id = c.id.clone();
            let r = f.api.push(token, c).await;
            if allowed.contains(&role) {
                assert_eq!(r.accepted.len(), 1, "{who} may {what}: {r:?}");
                assert_eq!(r.accepted[0].id, id);
            } else {
                assert_eq!(r.rejected.len(), 1, "{who} may not {what}: {r:?}");
                assert!(!r.rejected[0].reason.is_empty());
            }
        }

        // Tokens: admins manage everyone's; anyone lists, revokes and rotates their own.
        let (s, v) = f.api.call(M::GET, "tokens", Some(&t), None).await;
        assert_eq!(s, StatusCode::OK);
        let users: Vec<&str> = v
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["user"].as_str().unwrap())
            .collect();
        assert!(
            users.iter().all(|u| role == Role::Admin || *u == me),
            "{who} sees {users:?}"
        );
        assert!(v.to_string().find("pfr_").is_none(), "no secrets listed");
        let (s, v) = f
            .api
            .call(
                M::POST,
                "tokens",
                Some(&t),
                Some(json!({"user": "new@example.org", "role": "viewer"})),
            )
            .await;
        let expect = if role == Role::Admin {
            StatusCode::CREATED
        } else {
            StatusCode::FORBIDDEN
        };
        assert_eq!(s, expect, "{who} creates a token: {v}");
        if role != Role::Admin {
            assert_eq!(v["code"], "forbidden");
            assert!(v["message"].as_str().unwrap().contains("only admins"));
        }
        // Another user's token.
        let other_spare = &f.stranger;
        for (method, path) in [
            (M::POST, format!("tokens/{other_spare}/rotate")),
            (M::DELETE, format!("tokens/{other_spare}")),
        ] {
            let (s, v) = f.api.call(method, &path, Some(&t), None).await;
            if role == Role::Admin {
                assert!(s.is_success(), "the admin manages {path}: {v}");
            } else {
                assert_eq!(s, StatusCode::FORBIDDEN, "{who} on {path}: {v}");
                assert!(v.get("token").is_none(), "no data leaves: {v}");
            }
        }
        let spare_id = &f.spare_ids.iter().find(|(r, _)| *r == role).unwrap().1;
        let spare = &f.tokens.iter().find(|(r, _, _)| *r == role).unwrap().2;
        {
            let (s, v) = f
                .api
                .call(
                    M::POST,
                    &format!("tokens/{spare_id}/rotate"),
                    Some(&t),
                    None,
                )
                .await;
            assert_eq!(s, StatusCode::CREATED, "{who} rotates their own: {v}");
            let fresh = v["token"].as_str().unwrap();
            let (s, _) = f.api.call(M::GET, "me", Some(&bearer(spare)), None).await;
            assert_eq!(s, StatusCode::UNAUTHORIZED, "the rotated token is revoked");
            let (s, _) = f.api.call(M::GET, "me", Some(&bearer(fresh)), None).await;
            assert_eq!(s, StatusCode::OK, "the new one works");
        }
    }
}

#[tokio::test]
async fn missing_malformed_unknown_revoked_and_expired_tokens_get_401_and_no_data() {
    let f = fixture().await;
    let admin = token_of(&f, Role::Admin).to_owned();
    let expired = f
        .store
        .create_token("late@example.org", Role::Admin, Some(1))
        .await
        .unwrap();
    // A day has passed.
    sqlx::query("UPDATE tokens SET expires_at = $1 WHERE id = $2")
        .bind(portfolio::timestamp(
            chrono::Utc::now() - chrono::Duration::minutes(1),
        ))
        .bind(&expired.id)
        .execute(&f.store.pool)
        .await
        .unwrap();
    let revoked = f
        .store
        .create_token("gone@example.org", Role::Admin, None)
        .await
        .unwrap();
    f.store.revoke(&revoked.id).await.unwrap();
    let cases = [
        (None, "no token"),
        (
            Some("Basic YWRhOnNlY3JldA==".to_owned()),
            "not `Bearer TOKEN`",
        ),
        (Some("Bearer ".to_owned()), "not `Bearer TOKEN`"),
        (Some(format!("Bearer {admin}x")), "not known"),
        (Some(bearer(&revoked.token)), "revoked"),
        (Some(bearer(&expired.token)), "expired"),
    ];
    use reqwest::Method as M;
    let endpoints = [
        (M::GET, "me".to_owned(), None),
        (M::GET, "changes?after=0".into(), None),
        (
            M::POST,
            "sync".into(),
            Some(json!({"protocol": portfolio::sync::wire::PROTOCOL, "after": 0})),
        ),
        (M::GET, "tokens".into(), None),
        (
            M::POST,
            "tokens".into(),
            Some(json!({"user": "x@example.org", "role": "admin"})),
        ),
        (M::DELETE, format!("tokens/{}", revoked.id), None),
        (M::POST, format!("tokens/{}/rotate", revoked.id), None),
    ];
    for (header, why) in &cases {
        for (method, path, body) in &endpoints {
            let (s, v) = f
                .api
                .call(method.clone(), path, header.as_deref(), body.clone())
                .await;
            assert_eq!(s, StatusCode::UNAUTHORIZED, "{path} with {why}: {v}");
            assert_eq!(v["code"], "unauthenticated");
            assert!(v["message"].as_str().unwrap().contains(why), "{why}: {v}");
            assert_eq!(
                v.as_object().unwrap().len(),
                2,
                "only code and message: {v}"
            );
        }
    }
    for path in ["health", "openapi.json"] {
        let (s, _) = f.api.call(M::GET, path, None, None).await;
        assert_eq!(s, StatusCode::OK, "{path} needs no token");
    }
    let (s, v) = f.api.call(M::GET, "nowhere", None, None).await;
    assert_eq!(
        (s, v["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("not_found"))
    );
}

#[tokio::test]
async fn a_desktop_older_than_the_registry_is_told_to_update_and_nothing_is_taken() {
    use reqwest::Method as M;
    let f = fixture().await;
    let t = bearer(token_of(&f, Role::PortfolioLead));
    let me = email(Role::PortfolioLead);
    // As a desktop from before the protocol was versioned sends it: no `protocol`.
    let mut body = serde_json::to_value(SyncRequest {
        changes: vec![WireChange {
            entity: "pattern".into(),
            use_case_id: None,
            ..change("create", "old-app", None, json!({"name": "Old app"}), &me)
        }],
        ..Default::default()
    })
    .unwrap();
    body.as_object_mut().unwrap().remove("protocol");
    let (status, v) = f.api.call(M::POST, "sync", Some(&t), Some(body)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{v}");
    assert_eq!(v["code"], "validation");
    let message = v["message"].as_str().unwrap();
    assert!(message.contains("update AI Factory Portfolio"), "{message}");
    assert_eq!(f.store.head().await.unwrap(), 0, "nothing was taken");

    // The same request from this version goes through.
    let (status, v) = f
        .api
        .call(
            M::POST,
            "sync",
            Some(&t),
            Some(json!({"protocol": portfolio::sync::wire::PROTOCOL, "after": 0})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{v}");
}

/// What a hostile contributor sends straight to `POST /sync`, bypassing the desktop: each
/// malformed change is refused with its reason and never stored, so a new desktop's first
/// sync, and an existing desktop's next one, still succeed.
#[tokio::test]
async fn malformed_changes_are_refused_and_everyones_sync_goes_on() {
    let f = fixture().await;
    let c = email(Role::Contributor);
    let token = token_of(&f, Role::Contributor).to_owned();
    let existing = portfolio::sync::client::Registry {
        url: f.api.url.clone(),
        token: token_of(&f, Role::Viewer).to_owned(),
    };
    let watcher = crate::support::Desktop::new(&email(Role::Viewer), &existing.token).await;
    portfolio::sync::client::run(&watcher.ctx, &existing)
        .await
        .unwrap();

    let id = uuid::Uuid::now_v7().to_string();
    let good = create(&id, "A proper use case", None, &c);
    let good_id = good.id.clone();
    assert!(f.api.push(&token, good.clone()).await.rejected.is_empty());
    let again = f.api.push(&token, good).await;
    assert_eq!(
        again.accepted.len(),
        1,
        "the same change again is acknowledged: {again:?}"
    );
    // Another person's change under the same id is never acknowledged as theirs.
    let arch = email(Role::Architect);
    let reused = WireChange {
        id: good_id,
        ..change("field", &id, Some("solution"), json!("Mine now"), &arch)
    };
    let r = f.api.push(token_of(&f, Role::Architect), reused).await;
    assert!(r.accepted.is_empty(), "{r:?}");
    assert!(r.rejected[0].reason.contains("already taken"), "{r:?}");
    let kpi = |new: Value| WireChange {
        entity: "kpi".into(),
        field: Some("Hours saved".into()),
        ..change("kpi", &uuid::Uuid::now_v7().to_string(), None, new, &c)
    };
    let person = |new: Value| WireChange {
        entity: "person".into(),
        use_case_id: None,
        ..change("create", &uuid::Uuid::now_v7().to_string(), None, new, &c)
    };
    let fresh = || uuid::Uuid::now_v7().to_string();
    let hostile = [
        (
            "a stage that is none",
            change(
                "create",
                &fresh(),
                None,
                json!({"title": "T", "stage": "bogus"}),
                &c,
            ),
        ),
        (
            "scores that are not a map",
            change(
                "create",
                &fresh(),
                None,
                json!({"title": "T", "scores": [4]}),
                &c,
            ),
        ),
        (
            "a score of 9",
            change(
                "create",
                &fresh(),
                None,
                json!({"title": "T", "scores": {"reach": 9}}),
                &c,
            ),
        ),
        (
            "a 30,000-character title",
            change(
                "create",
                &fresh(),
                None,
                json!({"title": "x".repeat(30_000)}),
                &c,
            ),
        ),
        (
            "a new use case that is a string",
            change("create", &fresh(), None, json!("T"), &c),
        ),
        (
            "an owner role that is none",
            change(
                "create",
                &fresh(),
                None,
                json!({"title": "T", "owner.bogus": c}),
                &c,
            ),
        ),
        (
            "triage answers that are not a map",
            change("triage", &id, None, json!({"answers": "yes"}), &c),
        ),
        (
            "a KPI target that is not a number",
            kpi(json!({"target": "abc"})),
        ),
        (
            "a person whose email is not one",
            person(json!({"email": "not an email"})),
        ),
        (
            "a creation straight into Scaled",
            change(
                "create",
                &fresh(),
                None,
                json!({"title": "T", "stage": "scaled"}),
                &c,
            ),
        ),
        (
            "an id of 1,000 characters",
            WireChange {
                id: "i".repeat(1_000),
                ..create(&fresh(), "T", None, &c)
            },
        ),
    ];
    for (what, ch) in hostile {
        let r = f.api.push(&token, ch).await;
        assert!(r.accepted.is_empty(), "{what} was accepted: {r:?}");
        assert_eq!(r.rejected.len(), 1, "{what}: {r:?}");
        assert!(
            !r.rejected[0].reason.is_empty(),
            "{what} is refused with a reason"
        );
    }

    // Everyone's sync goes on: the watcher's next sync and a new desktop's first one.
    let report = portfolio::sync::client::run(&watcher.ctx, &existing)
        .await
        .unwrap();
    assert_eq!(report.pulled, 1, "only the proper use case was served");
    let newcomer = crate::support::Desktop::new(&email(Role::Viewer), &existing.token).await;
    portfolio::sync::client::run(&newcomer.ctx, &existing)
        .await
        .unwrap();
    let titles: Vec<String> = portfolio::view::list(&newcomer.ctx, Default::default())
        .await
        .unwrap()
        .rows
        .into_iter()
        .map(|r| r.title)
        .collect();
    assert_eq!(titles, ["A proper use case"]);
    // A lead may create a use case where it already runs.
    let lead = email(Role::PortfolioLead);
    let scaled = change(
        "create",
        &fresh(),
        None,
        json!({"title": "Running", "stage": "scaled"}),
        &lead,
    );
    assert!(
        f.api
            .push(token_of(&f, Role::PortfolioLead), scaled)
            .await
            .rejected
            .is_empty()
    );
}

#[tokio::test]
async fn relations_a_change_claims_are_judged_by_the_registrys_own_records() {
    let f = fixture().await;
    let (lead, c) = (email(Role::PortfolioLead), email(Role::Contributor));
    let (lead_token, token) = (
        token_of(&f, Role::PortfolioLead),
        token_of(&f, Role::Contributor),
    );
    let pushed = |r: SyncResponse| {
        (
            r.accepted.len(),
            r.rejected.first().map(|x| x.reason.clone()),
        )
    };
    let (leads, mine) = (
        uuid::Uuid::now_v7().to_string(),
        uuid::Uuid::now_v7().to_string(),
    );
    assert_eq!(
        pushed(
            f.api
                .push(lead_token, create(&leads, "Lead's", None, &lead))
                .await
        ),
        (1, None)
    );
    assert_eq!(
        pushed(f.api.push(token, create(&mine, "Mine", None, &c)).await),
        (1, None)
    );
    let kpi = |kind: &str, kpi: &str, use_case: &str, new: Value, by: &str| WireChange {
        entity: "kpi".into(),
        entity_id: kpi.into(),
        use_case_id: Some(use_case.into()),
        field: Some("Hours saved".into()),
        note: (kind == "kpi_actual").then(|| "measured on 2026-11-30".to_owned()),
        ..change(kind, use_case, None, new, by)
    };
    let leads_kpi = uuid::Uuid::now_v7().to_string();
    let made = kpi(
        "kpi",
        &leads_kpi,
        &leads,
        json!({"target": 100.0, "baseline": null, "unit": "h"}),
        &lead,
    );
    assert_eq!(pushed(f.api.push(lead_token, made).await), (1, None));

    // The contributor names their own use case on the lead's KPI: the registry knows better.
    let actual = kpi("kpi_actual", &leads_kpi, &mine, json!(5.0), &c);
    let (accepted, reason) = pushed(f.api.push(token, actual).await);
    assert_eq!(accepted, 0);
    assert!(
        reason
            .unwrap()
            .contains(&format!("belongs to use case {leads}"))
    );
    let edit = kpi(
        "kpi",
        &leads_kpi,
        &mine,
        json!({"target": 1.0, "baseline": null, "unit": "h"}),
        &c,
    );
    assert_eq!(pushed(f.api.push(token, edit).await).0, 0);
    // Without the claim, the KPI's own use case decides: not theirs.
    let unclaimed = WireChange {
        use_case_id: None,
        ..kpi("kpi_actual", &leads_kpi, &mine, json!(5.0), &c)
    };
    let (accepted, reason) = pushed(f.api.push(token, unclaimed).await);
    assert_eq!(accepted, 0);
    assert!(reason.unwrap().contains("neither proposed nor owns"));
    // An actual for a KPI the registry never saw made is refused, not guessed.
    let orphan = kpi(
        "kpi_actual",
        &uuid::Uuid::now_v7().to_string(),
        &mine,
        json!(5.0),
        &c,
    );
    assert!(
        pushed(f.api.push(token, orphan).await)
            .1
            .unwrap()
            .contains("has no KPI")
    );

    // Merging their own use case into the lead's would move it there: refused.
    let merge = change(
        "merge",
        &mine,
        None,
        json!({"kept": leads, "merged": mine}),
        &c,
    );
    let (accepted, reason) = pushed(f.api.push(token, merge).await);
    assert_eq!(accepted, 0);
    assert!(reason.unwrap().contains(&leads));

    // Their own KPI on their own use case goes through; once the lead merges it into theirs,
    // the KPI is the lead's, and the contributor's actual is refused.
    let my_kpi = uuid::Uuid::now_v7().to_string();
    let made = kpi(
        "kpi",
        &my_kpi,
        &mine,
        json!({"target": 10.0, "baseline": null, "unit": "h"}),
        &c,
    );
    assert_eq!(pushed(f.api.push(token, made).await), (1, None));
    assert_eq!(
        pushed(
            f.api
                .push(token, kpi("kpi_actual", &my_kpi, &mine, json!(3.0), &c))
                .await
        ),
        (1, None)
    );
    let merge = change(
        "merge",
        &mine,
        None,
        json!({"kept": leads, "merged": mine}),
        &lead,
    );
    assert_eq!(pushed(f.api.push(lead_token, merge).await), (1, None));
    let after = kpi("kpi_actual", &my_kpi, &leads, json!(4.0), &c);
    assert_eq!(pushed(f.api.push(token, after).await).0, 0);
}
