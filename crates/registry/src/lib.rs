//! The AI Factory Portfolio central registry: an HTTP server that orders the changes every
//! desktop pushes, serves them back in pages, and decides by role who may change what.

pub mod api;
pub mod auth;
pub mod command;
pub mod error;
pub mod limits;
pub mod metrics;
pub mod refusal;
pub mod role;
pub mod store;
pub mod token;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use axum_server::accept::DefaultAcceptor;
use axum_server::tls_rustls::{RustlsAcceptor, RustlsConfig};

pub use error::ApiError;
pub use limits::Limits;
pub use store::Store;

/// Where to serve and, for HTTPS, the certificate chain and private key (PEM files).
#[derive(Debug, Clone)]
pub struct Listen {
    pub addr: SocketAddr,
    pub tls: Option<(PathBuf, PathBuf)>,
    pub limits: Limits,
}

/// Serves until `shutdown` resolves, then stops taking connections and lets the requests
/// in flight finish (for up to 10 s). `on_bound` hears the address actually bound (port 0
/// picks a free one).
pub async fn serve(
    store: Store,
    listen: Listen,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    on_bound: impl FnOnce(SocketAddr, bool) + Send + 'static,
) -> Result<(), ApiError> {
    let limits = listen.limits;
    let app = api::router(api::AppState { store }, limits.body_timeout);
    let handle = axum_server::Handle::new();
    let stopper = handle.clone();
    tokio::spawn(async move {
        shutdown.await;
        tracing::info!("shutting down: finishing the requests in flight");
        stopper.graceful_shutdown(Some(Duration::from_secs(10)));
    });
    let https = listen.tls.is_some();
    let announcer = handle.clone();
    tokio::spawn(async move {
        if let Some(addr) = announcer.listening().await {
            on_bound(addr, https);
        }
    });
    let service = app.into_make_service();
    let capped = limits::Capped::new(DefaultAcceptor, limits.max_connections);
    let served = match listen.tls {
        Some((cert, key)) => {
            let _ = rustls::crypto::ring::default_provider().install_default();
            let config = RustlsConfig::from_pem_file(&cert, &key)
                .await
                .map_err(|e| {
                    ApiError::validation(format!(
                        "cannot load the certificate {} and key {}: {e}",
                        cert.display(),
                        key.display()
                    ))
                })?;
            // HTTP/1.1 only (see `http1`): offer no other protocol in the handshake.
            let mut tls = (*config.get_inner()).clone();
            tls.alpn_protocols = vec![b"http/1.1".to_vec()];
            let acceptor = RustlsAcceptor::new(RustlsConfig::from_config(std::sync::Arc::new(tls)))
                .acceptor(capped);
            let mut server = axum_server::bind(listen.addr)
                .acceptor(acceptor)
                .http1_only();
            bound_headers(server.http_builder(), limits);
            server.handle(handle).serve(service).await
        }
        None => {
            let mut server = axum_server::bind(listen.addr).acceptor(capped).http1_only();
            bound_headers(server.http_builder(), limits);
            server.handle(handle).serve(service).await
        }
    };
    served.map_err(|e| ApiError::unavailable(format!("cannot serve on {}: {e}", listen.addr)))
}

/// Headers must arrive within the header timeout, on a new connection as on one kept alive.
/// The registry speaks HTTP/1.1 only: detecting the version first would wait for a byte with
/// no timeout, so a connection that sends nothing would be held for ever.
fn bound_headers(
    http: &mut hyper_util::server::conn::auto::Builder<hyper_util::rt::TokioExecutor>,
    limits: Limits,
) {
    http.http1()
        .timer(hyper_util::rt::TokioTimer::new())
        .header_read_timeout(limits.header_timeout);
}
