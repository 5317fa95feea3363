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
