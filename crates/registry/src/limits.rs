//! What one client may hold of the registry: how many connections are open at once, how long
//! a request's headers and body may take to arrive, and how large a body may be. A client that
//! trickles a byte a second, or opens connections and sends nothing, is cut off, so it cannot
//! starve everyone else of the server's file descriptors or its time.

use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::Body;
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum_server::accept::Accept;
use futures_util::future::{BoxFuture, FutureExt};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::error::ApiError;

/// The largest request body taken: a push of the largest page of changes fits well within it.
pub const MAX_BODY_BYTES: usize = 32 * 1024 * 1024;

#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Connections open at once; one more is closed as soon as it is accepted.
    pub max_connections: usize,
    /// A request's headers must have arrived this long after the connection (or the
    /// previous answer on it).
    pub header_timeout: Duration,
    /// A request's body must have arrived this long after its headers.
    pub body_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_connections: 1024,
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(30),
        }
    }
}

/// Reads the whole body within the body timeout and the size limit, before any handler runs:
/// a slow or oversize body is answered with `limit` and never reaches the store.
pub async fn bounded_body(timeout: Duration, req: Request, next: Next) -> Response {
    let (parts, body) = req.into_parts();
    match tokio::time::timeout(timeout, axum::body::to_bytes(body, MAX_BODY_BYTES)).await {
        Err(_) => ApiError::timeout(format!(
            "the request body did not arrive within {} s",
            timeout.as_secs()
        ))
        .into_response(),
        Ok(Err(_)) => {
            ApiError::limit("the request is too large; send the changes in smaller pages")
                .into_response()
        }
        Ok(Ok(bytes)) => {
            next.run(Request::from_parts(parts, Body::from(bytes)))
                .await
        }
    }
}

/// An acceptor that keeps at most `permits` connections open, closing any past that at once
/// (before a TLS handshake: the handshake is work a flood would make the server do).
#[derive(Clone)]
pub struct Capped<A> {
    inner: A,
    permits: Arc<Semaphore>,
}

impl<A> Capped<A> {
    pub fn new(inner: A, max_connections: usize) -> Self {
        Capped {
            inner,
            permits: Arc::new(Semaphore::new(max_connections)),
        }
    }
}

impl<I, S, A> Accept<I, S> for Capped<A>
where
    A: Accept<I, S> + Clone + Send + 'static,
    A::Future: Send + 'static,
    A::Stream: Send + 'static,
    A::Service: Send + 'static,
    I: Send + 'static,
    S: Send + 'static,
{
    type Stream = Held<A::Stream>;
    type Service = A::Service;
    type Future = BoxFuture<'static, io::Result<(Self::Stream, Self::Service)>>;

    fn accept(&self, stream: I, service: S) -> Self::Future {
        let Ok(permit) = self.permits.clone().try_acquire_owned() else {
            tracing::warn!("connection refused: the registry holds its most connections");
            return std::future::ready(Err(io::Error::other("too many connections"))).boxed();
        };
        let accepted = self.inner.accept(stream, service);
        async move {
            let (stream, service) = accepted.await?;
            Ok((
                Held {
                    stream,
                    _permit: permit,
                },
                service,
            ))
        }
        .boxed()
    }
}

/// A connection holding its place among the open ones until it closes.
pub struct Held<T> {
    stream: T,
    _permit: OwnedSemaphorePermit,
}

impl<T: AsyncRead + Unpin> AsyncRead for Held<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_read(cx, buf)
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for Held<T> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}
