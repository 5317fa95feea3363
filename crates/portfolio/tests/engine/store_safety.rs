//! The store is never lost or half-written: a restore cannot run under another opener, a
//! path is a file name (never a URL), a clean close leaves the whole store in its `.db` file,
//! and a backup is written whole or not at all.

use crate::support::*;
use portfolio::backup;

fn names_in(dir: &std::path::Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[tokio::test]
async fn a_restore_is_refused_while_another_opener_has_the_store_and_runs_once_it_is_closed() {
    let (dir, ctx) = fresh().await;
    add(&ctx, "Before the backup").await;
    let saved = dir.path().join("saved.db");
    backup::backup(&ctx, &saved, false).await.unwrap();
    add(&ctx, "After the backup").await;
    let store = dir.path().join("p.db");

    let e = backup::restore(&store, &saved).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::StoreBusy, "{}", e.message);
    assert!(
        e.message.contains("open in another program"),
        "{}",
        e.message
    );
    let still = view::list(&ctx, ListQuery::default()).await.unwrap();
    assert_eq!(still.total, 2, "a refused restore changes nothing");

    ctx.close().await;
    let aside = backup::restore(&store, &saved).await.unwrap();
    let ctx = Ctx::open(&store, OpenMode::Existing).await.unwrap();
    let titles: Vec<String> = view::list(&ctx, ListQuery::default())
        .await
        .unwrap()
        .rows
        .into_iter()
        .map(|r| r.title)
        .collect();
    assert_eq!(titles, ["Before the backup"]);
    let kept = Ctx::open(&aside, OpenMode::Existing).await.unwrap();
    assert_eq!(
        view::list(&kept, ListQuery::default()).await.unwrap().total,
        2,
        "the replaced store, with the edit made after the backup, is kept aside"
    );
}

#[tokio::test]
async fn while_a_store_is_open_a_second_opener_works_beside_it() {
    let (dir, ctx) = fresh().await;
    let other = Ctx::open(&dir.path().join("p.db"), OpenMode::Existing)
        .await
        .unwrap()
        .with_actor(Some("bob@example.org".into()))
        .unwrap();
    add(&ctx, "One").await;
    add(&other, "Two").await;
    assert_eq!(
        view::list(&ctx, ListQuery::default()).await.unwrap().total,
        2
    );
}

#[tokio::test]
async fn a_store_path_is_a_file_name_whatever_characters_it_holds() {
    for name in [
        "pct%20x.db",
        "a?mode=ro",
        "imm?immutable=1",
        "hash#frag.db",
        "two words.db",
        "Zürich-Ωmega.db",
    ] {
        let dir = TempDir::new().unwrap();
        let path = dir.path().join(name);
        let ctx = Ctx::open(&path, OpenMode::Create)
            .await
            .unwrap()
            .with_actor(Some("ada@example.org".into()))
            .unwrap();
        add(&ctx, "Stored under its own name").await;
        ctx.close().await;
        assert!(path.is_file(), "{name}: the store is the file named");
        assert!(
            std::fs::metadata(&path).unwrap().len() > 4096,
            "{name}: the file holds the store"
        );
        let others: Vec<String> = names_in(dir.path())
            .into_iter()
            .filter(|n| n != name && *n != format!("{name}.lock"))
            .collect();
        assert!(
            others.is_empty(),
            "{name}: nothing else was made: {others:?}"
        );
        let again = Ctx::open(&path, OpenMode::Existing).await.unwrap();
        assert_eq!(
            view::list(&again, ListQuery::default())
                .await
                .unwrap()
                .total,
            1,
            "{name}: opened again, it is the same store"
        );
    }
}

#[tokio::test]
async fn after_a_clean_close_the_db_file_alone_is_the_whole_store() {
    let (dir, ctx) = fresh().await;
    portfolio::demo::load(&ctx).await.unwrap();
    ctx.close().await;
    let copy_dir = TempDir::new().unwrap();
    let copy = copy_dir.path().join("copy.db");
    std::fs::copy(dir.path().join("p.db"), &copy).unwrap();
    let opened = Ctx::open(&copy, OpenMode::Existing).await.unwrap();
    assert_eq!(
        view::list(&opened, ListQuery::default())
            .await
            .unwrap()
            .total,
        41,
        "a plain copy of the file has the whole demo portfolio"
    );
}

#[tokio::test]
async fn a_backup_is_written_whole_and_clears_what_a_killed_one_left() {
    let (dir, ctx) = fresh().await;
    add(&ctx, "Backed up").await;
    let out = TempDir::new().unwrap();
    // What a backup and an export killed half way leave behind, and one still being written.
    let killed = out.path().join(".portfolio-backup-killed.part");
    let killed_export = out.path().join(".portfolio-export-killed.part");
    std::fs::write(&killed, b"half a backup").unwrap();
    std::fs::write(&killed_export, b"half an export").unwrap();
    // SQLite's files beside them: the journal of a copy being written, the log of one
    // being checked.
    for side in ["-journal", "-wal", "-shm"] {
        std::fs::write(format!("{}{side}", killed.display()), b"side").unwrap();
    }
    let running = out.path().join(".portfolio-backup-running.part");
    let held = std::fs::File::create(&running).unwrap();
    held.lock().unwrap();
    std::fs::write(
        out.path().join(".portfolio-backup-running.part-journal"),
        b"",
    )
    .unwrap();

    let to = out.path().join("backup.db");
    backup::backup(&ctx, &to, false).await.unwrap();
    assert_eq!(
        names_in(out.path()),
        [
            ".portfolio-backup-running.part",
            ".portfolio-backup-running.part-journal",
            "backup.db"
        ],
        "the leftovers are gone, the one still written is not, and only the backup is new"
    );
    let restored_from = Ctx::open(&to, OpenMode::Existing).await.unwrap();
    assert_eq!(
        view::list(&restored_from, ListQuery::default())
            .await
            .unwrap()
            .rows[0]
            .title,
        "Backed up"
    );

    // Replacing an existing backup (a dialog asked) swaps in the new one whole.
    add(&ctx, "Later").await;
    backup::backup(&ctx, &to, true).await.unwrap();
    let replaced = Ctx::open(&to, OpenMode::Existing).await.unwrap();
    assert_eq!(
        view::list(&replaced, ListQuery::default())
            .await
            .unwrap()
            .total,
        2
    );
    let e = backup::backup(&ctx, &dir.path().join("p.db"), true)
        .await
        .unwrap_err();
    assert_eq!(
        e.field.as_deref(),
        Some("file"),
        "never over the store itself"
    );
}
