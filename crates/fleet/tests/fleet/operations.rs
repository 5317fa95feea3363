//! What an operator relies on: every answer carries the request's id (the client's own, or
//! a new one), the same id the registry's log lines for that request carry; `/metrics`;
//! compressed pulls; and a desktop's bound on what it reads of an answer.

use portfolio_registry::role::Role;
use tempfile::TempDir;

use crate::support::{Server, sqlite_url, team};

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

/// The value of the sample `name` (labels included, as written) in Prometheus' text.
fn sample(text: &str, name: &str) -> f64 {
    text.lines()
        .find_map(|l| l.strip_prefix(name)?.strip_prefix(' '))
        .unwrap_or_else(|| panic!("no sample {name} in:\n{text}"))
        .parse()
        .unwrap()
}

/// `/metrics` counts what an operator watches: requests by route and status, changes
/// accepted and refused by cause, conflicts, the head of the log, the write lock's wait.
#[tokio::test]
async fn metrics_count_requests_pushes_refusals_and_conflicts() {
    let (_dir, server, [lead, bob, viewer]) = team([
        ("ada@example.org", Role::PortfolioLead),
        ("bob@example.org", Role::PortfolioLead),
        ("vic@example.org", Role::Viewer),
    ])
    .await;
    let invoice = lead.add("Invoice matching").await;
    lead.sync(&server).await.unwrap();
    bob.sync(&server).await.unwrap();
    // Rival edits of one field: the later one is a conflict.
    lead.set(&invoice.id, "problem", "Ada's words")
        .await
        .unwrap();
    bob.set(&invoice.id, "problem", "Bob's words")
        .await
        .unwrap();
    lead.sync(&server).await.unwrap();
    bob.sync(&server).await.unwrap();
    // A viewer's changes are refused for the role: their person record, then an edit.
    let first = viewer.sync(&server).await.unwrap().rejected.len();
    viewer
        .set(&invoice.id, "problem", "Vic's words")
        .await
        .unwrap();
    let refused = first + viewer.sync(&server).await.unwrap().rejected.len();
    assert_eq!(refused, 2);

    let _ = rustls::crypto::ring::default_provider().install_default();
    let r = reqwest::get(format!("{}/metrics", server.url))
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/openmetrics-text"),
    );
    let text = r.text().await.unwrap();
    let head = crate::scenarios::server_log(&server, &lead.token)
        .await
        .len() as f64;
    assert_eq!(sample(&text, "portfolio_registry_head_seq"), head);
    assert_eq!(
        sample(&text, "portfolio_registry_changes_accepted_total"),
        head
    );
    assert_eq!(sample(&text, "portfolio_registry_conflicts_total"), 1.0);
    assert_eq!(
        sample(
            &text,
            r#"portfolio_registry_changes_refused_total{cause="role"}"#
        ),
        refused as f64
    );
    assert_eq!(
        sample(
            &text,
            r#"portfolio_registry_changes_refused_total{cause="invalid"}"#
        ),
        0.0,
        "every cause is listed, at zero"
    );
    assert!(
        sample(
            &text,
            r#"portfolio_registry_requests_total{method="POST",route="/api/v1/sync",status="200"}"#
        ) >= 6.0
    );
    assert!(sample(&text, "portfolio_registry_write_lock_wait_seconds_count") >= 4.0);
    assert!(
        !text.contains(&invoice.id),
        "no record's id becomes a label"
    );
}

/// Pages of changes travel gzip-compressed to a client that asks (as the desktop does).
#[tokio::test]
async fn pulls_are_compressed_for_clients_that_ask() {
    let (_dir, server, [lead]) = team([("ada@example.org", Role::PortfolioLead)]).await;
    for n in 0..200 {
        lead.add(&format!("Use case number {n} with a long enough title"))
            .await;
    }
    lead.sync(&server).await.unwrap();
    let _ = rustls::crypto::ring::default_provider().install_default();
    let plain = reqwest::Client::builder().no_gzip().build().unwrap();
    let pull = format!("{}/api/v1/changes?limit=5000", server.url);
    let ask = |gzip: bool| {
        let mut r = plain.get(&pull).bearer_auth(&lead.token);
        if gzip {
            r = r.header("accept-encoding", "gzip");
        }
        r.send()
    };
    let raw = ask(false).await.unwrap();
    assert!(raw.headers().get("content-encoding").is_none());
    let raw = raw.bytes().await.unwrap().len();
    let zipped = ask(true).await.unwrap();
    assert_eq!(zipped.headers()["content-encoding"], "gzip");
    let zipped = zipped.bytes().await.unwrap().len();
    assert!(
        zipped * 5 < raw,
        "compressed to a fifth or less ({zipped} of {raw} bytes)"
    );
    // The desktop asks, and reads it back.
    assert_eq!(lead.sync(&server).await.unwrap().pulled, 0);
}

/// A desktop reads at most 64 MB of one answer: a registry (or whatever answers in its place)
/// sending more is refused before the desktop holds it all, and nothing is applied.
#[tokio::test]
async fn a_desktop_refuses_an_answer_larger_than_any_page() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut request = [0u8; 4096];
                let _ = socket.read(&mut request).await;
                let size: usize = 100 << 20;
                let head = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {size}\r\n\r\n"
                );
                let _ = socket.write_all(head.as_bytes()).await;
                let chunk = vec![b' '; 1 << 20];
                for _ in 0..100 {
                    if socket.write_all(&chunk).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    let desktop = crate::support::Desktop::new("ada@example.org", "pfr_none").await;
    let http = portfolio::sync::client::Http::new(&portfolio::sync::client::Registry {
        url: url.clone(),
        token: desktop.token.clone(),
    })
    .unwrap();
    let err = portfolio::sync::client::Transport::me(&http)
        .await
        .unwrap_err();
    assert_eq!(err.code, portfolio::ErrorCode::Limit, "{err:?}");
    assert!(err.message.contains("more than 64 MB"), "{}", err.message);
}
