//! The `portfolio-registry` command line: tokens and backups, as an operator uses them.

use std::process::{Command, Output};

use portfolio_registry::Store;
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
