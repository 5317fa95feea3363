//! What one client may hold of the registry: a client that trickles its request, or opens
//! connections and sends nothing, is cut off, and connections past the limit are turned away,
//! so valid requests are served again as soon as the idle ones time out.

use std::time::{Duration, Instant};

use portfolio_registry::Store;
use portfolio_registry::role::Role;
use tempfile::TempDir;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::support::{Server, sqlite_url};

/// A server with one-second timeouts and room for `connections`, and a contributor's token.
async fn tight(connections: usize) -> (TempDir, Server, String) {
    let dir = TempDir::new().unwrap();
    let db = sqlite_url(&dir);
    let store = Store::open(&db).await.unwrap();
    let token = store
        .create_token("c@example.org", Role::Contributor, None)
        .await
        .unwrap()
        .token;
    let max = connections.to_string();
    let options = [
        "--header-timeout",
        "1",
        "--body-timeout",
        "1",
        "--max-connections",
        &max,
    ];
    let server = Server::start_with(&db, &options);
    (dir, server, token)
}

fn addr(server: &Server) -> String {
    server.url.trim_start_matches("http://").to_owned()
}

/// Everything the server sends until it closes the connection (at most 10 s).
async fn until_closed(s: &mut TcpStream) -> String {
    let mut got = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(10), s.read_to_end(&mut got)).await;
    assert!(read.is_ok(), "the server kept the connection open");
    String::from_utf8_lossy(&got).into_owned()
}

#[tokio::test]
async fn a_client_that_trickles_its_request_is_cut_off() {
    let (_dir, server, token) = tight(64).await;
    // Headers that never end: the connection is closed once the header timeout passes.
    let mut s = TcpStream::connect(addr(&server)).await.unwrap();
    s.write_all(b"GET /api/v1/health HTTP/1.1\r\nHost: registry\r\n")
        .await
        .unwrap();
    let started = Instant::now();
    until_closed(&mut s).await;
    assert!(started.elapsed() < Duration::from_secs(5));

    // A body announced but sent a byte at a time: refused with `limit` after the body timeout.
    let mut s = TcpStream::connect(addr(&server)).await.unwrap();
    let head = format!(
        "POST /api/v1/sync HTTP/1.1\r\nHost: registry\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/json\r\nContent-Length: 1000\r\nConnection: close\r\n\r\n{{"
    );
    s.write_all(head.as_bytes()).await.unwrap();
    let trickle = async {
        for _ in 0..20 {
            tokio::time::sleep(Duration::from_millis(300)).await;
            if s.write_all(b" ").await.is_err() {
                break;
            }
        }
    };
    let _ = tokio::time::timeout(Duration::from_secs(3), trickle).await;
    let answer = until_closed(&mut s).await;
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains(r#""code":"limit""#), "{answer}");
    assert!(answer.contains("did not arrive within 1 s"), "{answer}");
}

#[tokio::test]
async fn connections_past_the_limit_are_turned_away_until_idle_ones_time_out() {
    let (_dir, server, _token) = tight(8).await;
    let health = format!("{}/api/v1/health", server.url);
    let mut idle = Vec::new();
    for _ in 0..8 {
        idle.push(TcpStream::connect(addr(&server)).await.unwrap());
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    // The ninth is closed at once, without an answer.
    let mut ninth = TcpStream::connect(addr(&server)).await.unwrap();
    ninth
        .write_all(b"GET /api/v1/health HTTP/1.1\r\nHost: registry\r\n\r\n")
        .await
        .ok();
    assert_eq!(until_closed(&mut ninth).await, "");
    // Once the idle ones pass the header timeout, they are closed and others are served.
    for s in &mut idle {
        until_closed(s).await;
    }
    let _ = rustls::crypto::ring::default_provider().install_default();
    let fresh = reqwest::Client::new();
    let r = fresh.get(&health).send().await.unwrap();
    assert_eq!(r.status(), 200);
}

#[tokio::test]
async fn a_page_of_large_changes_ends_before_it_grows_too_large_and_the_rest_follow() {
    let (_dir, server, _token) = tight(64).await;
    let lead = {
        let store = Store::open(&server.db_url).await.unwrap();
        store
            .create_token("lead@example.org", Role::PortfolioLead, None)
            .await
            .unwrap()
            .token
    };
    let _ = rustls::crypto::ring::default_provider().install_default();
    let http = reqwest::Client::new();
    let id = uuid::Uuid::now_v7().to_string();
    let change = |kind: &str, field: Option<&str>, new: serde_json::Value| {
        serde_json::json!({
            "id": uuid::Uuid::now_v7().to_string(), "entity": "use_case", "entity_id": id,
            "use_case_id": id, "kind": kind, "field": field, "old": null, "new": new, "note": null,
            "actor": "lead@example.org", "at": portfolio::now(), "base": 0, "origin": "desktop-1",
        })
    };
    // 480 edits of a 20,000-character problem statement: about 9.6 MB of changes.
    let mut changes = vec![change(
        "create",
        None,
        serde_json::json!({"title": "Large", "stage": "idea"}),
    )];
    for n in 0..480 {
        let text = format!("{n:05}") + &"x".repeat(19_995);
        changes.push(change("field", Some("problem"), serde_json::json!(text)));
    }
    let push = serde_json::json!({"after": 0, "limit": 1, "changes": changes, "protocol": 1});
    let r = http
        .post(format!("{}/api/v1/sync", server.url))
        .bearer_auth(&lead)
        .json(&push)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);

    let (mut after, mut pages, mut seen) = (0, 0, 0);
    loop {
        let url = format!("{}/api/v1/changes?after={after}&limit=5000", server.url);
        let body = http
            .get(url)
            .bearer_auth(&lead)
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap();
        assert!(
            body.len() < 9 * 1024 * 1024,
            "a page of {} bytes",
            body.len()
        );
        let page: serde_json::Value = serde_json::from_slice(&body).unwrap();
        seen += page["changes"].as_array().unwrap().len();
        after = page["next"].as_i64().unwrap();
        pages += 1;
        if !page["more"].as_bool().unwrap_or(false) {
            break;
        }
    }
    assert_eq!(seen, 481, "every change is served, over the pages");
    assert!(pages >= 2, "the 9.6 MB came in {pages} page(s)");
}
