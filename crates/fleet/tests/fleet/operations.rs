//! What an operator relies on: every answer carries the request's id (the client's own, or
//! a new one), the same id the registry's log lines for that request carry.

use tempfile::TempDir;

use crate::support::{Server, sqlite_url};

#[tokio::test]
async fn every_answer_carries_its_request_id() {
    let dir = TempDir::new().unwrap();
    let server = Server::start(&sqlite_url(&dir));
    let _ = rustls::crypto::ring::default_provider().install_default();
    let http = reqwest::Client::new();
    let health = format!("{}/api/v1/health", server.url);

    let r = http.get(&health).send().await.unwrap();
    let id = r.headers()["x-request-id"].to_str().unwrap().to_owned();
    assert!(uuid::Uuid::parse_str(&id).is_ok(), "a new id: {id}");
    let again = http.get(&health).send().await.unwrap();
    assert_ne!(
        again.headers()["x-request-id"].to_str().unwrap(),
        id,
        "one id per request"
    );

    // A desktop's own id is kept, on refusals too.
    let r = http
        .get(format!("{}/api/v1/me", server.url))
        .header("x-request-id", "desktop-7f3a")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    assert_eq!(r.headers()["x-request-id"], "desktop-7f3a");
}
