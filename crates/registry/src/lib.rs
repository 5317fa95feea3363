//! The AI Factory Portfolio central registry: an HTTP server that orders the changes every
//! desktop pushes, serves them back in pages, and decides by role who may change what.

pub mod api;
pub mod auth;
pub mod command;
pub mod error;
pub mod role;
pub mod store;
pub mod token;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

pub use error::ApiError;
pub use store::Store;

/// Where to serve and, for HTTPS, the certificate chain and private key (PEM files).
#[derive(Debug, Clone)]
pub struct Listen {
    pub addr: SocketAddr,
    pub tls: Option<(PathBuf, PathBuf)>,
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
    let app = api::router(api::AppState { store });
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
    let served = match listen.tls {
        Some((cert, key)) => {
            let _ = rustls::crypto::ring::default_provider().install_default();
            let config = axum_server::tls_rustls::RustlsConfig::from_pem_file(&cert, &key)
                .await
                .map_err(|e| {
                    ApiError::validation(format!(
                        "cannot load the certificate {} and key {}: {e}",
                        cert.display(),
                        key.display()
                    ))
                })?;
            axum_server::bind_rustls(listen.addr, config)
                .handle(handle)
                .serve(service)
                .await
        }
        None => {
            axum_server::bind(listen.addr)
                .handle(handle)
                .serve(service)
                .await
        }
    };
    served.map_err(|e| ApiError::unavailable(format!("cannot serve on {}: {e}", listen.addr)))
}
