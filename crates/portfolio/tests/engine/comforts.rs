//! Everyday comforts: archiving, deleting and what the app offers around them.

use crate::support::*;

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
