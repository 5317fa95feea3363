//! Changes the registry serves that this desktop cannot apply (a newer registry's kind, a
//! value this version refuses, a record it does not have) are set aside with why, and
//! everything else is applied: a sync never stops on one change.

use portfolio::sync::client::{self, Transport};
use portfolio::sync::wire::{Me, ServedChange, SyncRequest, SyncResponse, WireChange};
use serde_json::{Value, json};

use crate::support::*;

/// A registry that serves the changes it is given, once, to whoever asks.
struct Served(Vec<ServedChange>);

impl Transport for Served {
    async fn me(&self) -> portfolio::Result<Me> {
        Ok(Me {
            user: "ada@example.org".into(),
            role: "portfolio-lead".into(),
            token_id: "t1".into(),
        })
    }

    async fn sync(&self, req: &SyncRequest) -> portfolio::Result<SyncResponse> {
        let changes: Vec<ServedChange> = self
            .0
            .iter()
            .filter(|c| c.seq > req.after)
            .cloned()
            .collect();
        Ok(SyncResponse {
            next: self.0.last().map_or(req.after, |c| c.seq.max(req.after)),
            changes,
            ..SyncResponse::default()
        })
    }
}

/// A change made on Bob's desktop, placed `seq` in the registry's order.
fn bobs(
    seq: i64,
    entity: &str,
    entity_id: &str,
    kind: &str,
    field: Option<&str>,
    new: Value,
) -> ServedChange {
    ServedChange {
        seq,
        change: WireChange {
            id: format!("00000000-0000-7000-8000-{seq:012}"),
            entity: entity.into(),
            entity_id: entity_id.into(),
            use_case_id: (entity == "kpi").then(|| entity_id.into()),
            kind: kind.into(),
            field: field.map(str::to_owned),
            old: None,
            new: Some(new),
            note: None,
            actor: "bob@example.org".into(),
            at: "2026-11-30T10:00:00Z".into(),
            base: seq - 1,
            origin: "bobs-desktop".into(),
        },
        conflict: None,
    }
}

#[tokio::test]
async fn changes_this_desktop_cannot_apply_are_set_aside_and_the_rest_applied() {
    let (_dir, ctx) = fresh().await;
    let good = "0194c0de-0000-7000-8000-000000000001";
    let bad = "0194c0de-0000-7000-8000-000000000002";
    let registry = Served(vec![
        bobs(
            1,
            "use_case",
            good,
            "create",
            None,
            json!({"title": "Invoice matching"}),
        ),
        bobs(
            2,
            "use_case",
            bad,
            "create",
            None,
            json!({"title": "Bogus", "stage": "bogus"}),
        ),
        bobs(
            3,
            "use_case",
            bad,
            "field",
            Some("problem"),
            json!("Follows the bogus one"),
        ),
        bobs(
            4,
            "use_case",
            good,
            "field",
            Some("problem"),
            json!("Invoices matched by hand"),
        ),
        bobs(5, "use_case", good, "frobnicate", None, json!(true)),
        bobs(6, "widget", "w1", "create", None, json!({})),
        bobs(7, "use_case", good, "score", Some("reach"), json!(9)),
        bobs(8, "use_case", good, "score", Some("reach"), json!(4)),
    ]);
    let report = client::run_with(&ctx, &registry, "http://registry.test")
        .await
        .unwrap();
    let set_aside: Vec<(i64, &str)> = report
        .set_aside
        .iter()
        .map(|a| (a.seq, a.reason.as_str()))
        .collect();
    assert_eq!(
        set_aside.iter().map(|a| a.0).collect::<Vec<_>>(),
        [2, 3, 5, 6, 7],
        "{set_aside:?}"
    );
    assert!(set_aside[0].1.contains("bogus"), "{}", set_aside[0].1);
    assert!(
        set_aside[1].1.contains("creates it was set aside"),
        "{}",
        set_aside[1].1
    );
    assert!(
        set_aside[2].1.contains("`frobnicate`"),
        "{}",
        set_aside[2].1
    );
    assert!(set_aside[3].1.contains("`widget`"), "{}", set_aside[3].1);
    assert_eq!(
        report.set_aside[0].title.as_deref(),
        Some("Bogus"),
        "named by its title"
    );
    assert_eq!(
        report.set_aside[2].title.as_deref(),
        Some("Invoice matching")
    );

    // Everything else is here, in the registry's order.
    let uc = use_case::get(&ctx, good).await.unwrap();
    assert_eq!(uc.problem, "Invoices matched by hand");
    assert_eq!(
        uc.scores.get("reach"),
        Some(&Some(4)),
        "the later, valid score applied"
    );
    assert_eq!(
        use_case::get(&ctx, bad).await.unwrap_err().code,
        ErrorCode::NotFound
    );

    // The cursor moved past them: the next sync is clean, and the list stays until later.
    let again = client::run_with(&ctx, &registry, "http://registry.test")
        .await
        .unwrap();
    assert!(again.set_aside.is_empty() && again.pulled == 0, "{again:?}");
    let status = portfolio::sync::status(&ctx).await.unwrap();
    assert_eq!(status.set_aside.len(), 5);
    assert_eq!(status.last_error, None, "the sync succeeded");
}
