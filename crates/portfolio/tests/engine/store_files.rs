//! The store as a file: created or opened, a newer or damaged one refused, backed up and
//! restored.

use crate::support::*;

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
