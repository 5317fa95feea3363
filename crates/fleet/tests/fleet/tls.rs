//! HTTPS: given a certificate and key, the registry serves TLS (rustls) and nothing else on
//! that port.

use std::process::Command;

use tempfile::TempDir;

use crate::support::{Server, sqlite_url};

#[test]
fn serves_https_with_the_given_certificate() {
    let dir = TempDir::new().unwrap();
    let (cert, key) = (dir.path().join("cert.pem"), dir.path().join("key.pem"));
    let made = Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=localhost",
        ])
        .args(["-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"])
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .output()
        .expect("openssl makes a test certificate");
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let server = Server::start_with(
        &sqlite_url(&dir),
        &[
            "--tls-cert",
            cert.to_str().unwrap(),
            "--tls-key",
            key.to_str().unwrap(),
        ],
    );
    assert!(
        server.url.starts_with("https://127.0.0.1:"),
        "{}",
        server.url
    );
    let curl = |url: &str| {
        Command::new("curl")
            .args(["-sS", "--max-time", "10", "--cacert"])
            .arg(&cert)
            .arg(url)
            .output()
            .unwrap()
    };
    let ok = curl(&format!("{}/api/v1/health", server.url));
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&ok.stdout), r#"{"status":"ok"}"#);
    let plain = curl(&format!(
        "{}/api/v1/health",
        server.url.replace("https", "http")
    ));
    assert!(
        !String::from_utf8_lossy(&plain.stdout).contains("ok"),
        "no plain HTTP on the TLS port"
    );
}
