//! The `portfolio-registry` command line: tokens, backups and schema upgrades, as an
//! operator uses them.

use std::process::{Command, Output};

use portfolio_registry::Store;
use portfolio_registry::role::Role;
use tempfile::TempDir;

use crate::support::{Desktop, Server, sqlite_url};

fn registry(db: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_registry"))
        .args(["--database-url", db])
        .args(args)
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).trim().to_owned()
}

#[tokio::test]
async fn tokens_are_created_listed_rotated_and_revoked_without_showing_secrets() {
    let dir = TempDir::new().unwrap();
    let db = sqlite_url(&dir);
    let token = stdout(&registry(
        &db,
        &[
            "token",
            "create",
            "--user",
            "Ada@Example.org",
            "--role",
            "portfolio-lead",
            "--expires",
            "30",
        ],
    ));
    assert!(
        token.starts_with("pfr_") && !token.contains('\n'),
        "the token alone: {token}"
    );

    let list: serde_json::Value =
        serde_json::from_str(&stdout(&registry(&db, &["token", "list", "--json"]))).unwrap();
    let t = &list[0];
    assert_eq!(
        (t["user"].as_str(), t["role"].as_str()),
        (Some("ada@example.org"), Some("portfolio-lead"))
    );
    assert!(t["expires_at"].as_str().is_some());
    let id = t["id"].as_str().unwrap().to_owned();
    let text = stdout(&registry(&db, &["token", "list"]));
    assert!(
        text.contains(&id) && !text.contains(&token[4..]),
        "no secret listed: {text}"
    );
    let store = Store::open(&db).await.unwrap();
    let stored: Vec<String> = sqlx::query_scalar("SELECT hash FROM tokens")
        .fetch_all(&store.pool)
        .await
        .unwrap();
    assert_eq!(
        stored,
        [portfolio_registry::token::hash(&token)],
        "only the hash is kept"
    );

    let rotated: serde_json::Value =
        serde_json::from_str(&stdout(&registry(&db, &["token", "rotate", &id, "--json"]))).unwrap();
    assert_ne!(rotated["token"].as_str(), Some(token.as_str()));
    assert_eq!(rotated["user"], "ada@example.org");
    let list: serde_json::Value =
        serde_json::from_str(&stdout(&registry(&db, &["token", "list", "--json"]))).unwrap();
    assert!(
        list[0]["revoked_at"].is_string(),
        "the old one is revoked: {list}"
    );
    assert!(list[1]["revoked_at"].is_null());

    let new_id = rotated["id"].as_str().unwrap();
    assert!(stdout(&registry(&db, &["token", "revoke", new_id])).contains("revoked"));

    let bad = registry(
        &db,
        &[
            "token",
            "create",
            "--user",
            "x@example.org",
            "--role",
            "owner",
        ],
    );
    assert_eq!(bad.status.code(), Some(1));
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(
        err.starts_with("error[validation]") && err.contains("portfolio-lead"),
        "{err}"
    );
    let bad = registry(&db, &["token", "revoke", "no-such-token"]);
    assert!(String::from_utf8_lossy(&bad.stderr).starts_with("error[not_found]"));
}

#[tokio::test]
async fn a_backup_taken_while_serving_holds_every_change() {
    let dir = TempDir::new().unwrap();
    let db = sqlite_url(&dir);
    let token = stdout(&registry(
        &db,
        &[
            "token",
            "create",
            "--user",
            "ada@example.org",
            "--role",
            "contributor",
        ],
    ));
    let server = Server::start(&db);
    let ada = Desktop::new("ada@example.org", &token).await;
    for n in 0..5 {
        ada.add(&format!("Idea {n}")).await;
    }
    assert_eq!(ada.sync(&server).await.unwrap().pushed, 6);

    let file = dir.path().join("backup.db");
    let said = stdout(&registry(&db, &["backup", file.to_str().unwrap()]));
    assert!(said.contains("backup.db"));
    let copy = Store::open(&format!("sqlite://{}", file.display()))
        .await
        .unwrap();
    assert_eq!(copy.head().await.unwrap(), 6);
    assert_eq!(copy.tokens().await.unwrap().len(), 1);

    let again = registry(&db, &["backup", file.to_str().unwrap()]);
    assert_eq!(
        again.status.code(),
        Some(1),
        "an existing file is never overwritten"
    );
}

/// A registry written by a release before versioned migrations (its tables made with `IF
/// NOT EXISTS`, no schema version kept) is upgraded at start-up, with its data, and serves
/// its desktops; `--no-migrate` refuses a store that is not current, naming what to run;
/// `migrate` brings it up; a store from a newer release is refused, never served wrong.
#[tokio::test]
async fn a_registry_from_before_versioned_migrations_is_upgraded_and_keeps_serving() {
    let dir = TempDir::new().unwrap();
    let db = sqlite_url(&dir);
    let ada_token = crate::support::token(&db, "ada@example.org", Role::PortfolioLead).await;
    let bob_token = crate::support::token(&db, "bob@example.org", Role::PortfolioLead).await;
    let mut server = Server::start(&db);
    let ada = Desktop::new("ada@example.org", &ada_token).await;
    let invoice = ada.add("Invoice matching").await;
    ada.sync(&server).await.unwrap();
    server.kill();
    // What today's release leaves: the same tables, and no record of a schema version.
    let old = Store::open(&db).await.unwrap();
    sqlx::query("DROP TABLE _sqlx_migrations")
        .execute(&old.pool)
        .await
        .unwrap();
    old.pool.close().await;

    let refused = registry(&db, &["serve", "--listen", "127.0.0.1:0", "--no-migrate"]);
    assert_eq!(refused.status.code(), Some(1));
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(
        err.contains("schema version 0") && err.contains("portfolio-registry migrate"),
        "{err}"
    );
    assert_eq!(
        stdout(&registry(&db, &["migrate"])),
        format!(
            "the registry's store is at schema version {}",
            portfolio_registry::store::known_schema()
        )
    );

    let server = Server::start_with(&db, &["--no-migrate", "--pool-size", "2"]);
    let bob = Desktop::new("bob@example.org", &bob_token).await;
    bob.sync(&server).await.unwrap();
    assert_eq!(bob.get(&invoice.id).await.title, "Invoice matching");
    ada.set(&invoice.id, "problem", "Matched by hand")
        .await
        .unwrap();
    ada.sync(&server).await.unwrap();
    bob.sync(&server).await.unwrap();
    assert_eq!(bob.get(&invoice.id).await.problem, "Matched by hand");
    drop(server);

    // A store a newer release has upgraded: refused with what to do, served by nothing.
    let newer = Store::open(&db).await.unwrap();
    sqlx::query(
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time)
         VALUES (9999, 'from a newer release', true, x'00', 0)",
    )
    .execute(&newer.pool)
    .await
    .unwrap();
    newer.pool.close().await;
    for serve in [
        vec!["serve", "--listen", "127.0.0.1:0"],
        vec!["serve", "--listen", "127.0.0.1:0", "--no-migrate"],
    ] {
        let out = registry(&db, &serve);
        assert_eq!(out.status.code(), Some(1), "{serve:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("newer release (schema version 9999"), "{err}");
    }
}
