//! The HTTP API under `/api/v1`, and its OpenAPI document (derived from the same types and
//! handlers, so the two cannot disagree).

use axum::Json;
use axum::Router;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::HeaderName;
use axum::response::IntoResponse;
use axum::routing::{delete, get, post};
use protocol::wire::{
    Accepted, Me, Overridden, PROTOCOL, Problem, Rejection, ServedChange, SyncRequest,
    SyncResponse, WireChange,
};
use serde::Deserialize;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

/// The header a request's id travels in, both ways.
pub const REQUEST_ID: &str = "x-request-id";
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{IntoParams, OpenApi, ToSchema};

use crate::error::ApiError;
use crate::role::{Permission, Role};
use crate::store::Store;
use crate::store::tokens::{NewToken, TokenInfo};
use crate::token::Principal;

/// Changes one push may carry; a desktop sends its outbox in pages well under this.
pub const MAX_PUSH: usize = 1_000;
const DEFAULT_PAGE: u32 = 1_000;
const MAX_PAGE: u32 = 5_000;

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
}

impl axum::extract::FromRef<AppState> for Store {
    fn from_ref(s: &AppState) -> Store {
        s.store.clone()
    }
}

/// A JSON object body as `T`. (serde would also read a struct from an array of its fields
/// in order; the API documents objects, so only objects are taken.)
fn body<T: serde::de::DeserializeOwned>(
    b: Result<Json<serde_json::Value>, JsonRejection>,
) -> Result<T, ApiError> {
    match b {
        Ok(Json(v)) if v.is_object() => serde_json::from_value(v)
            .map_err(|e| ApiError::validation(format!("the request body: {e}"))),
        Ok(_) => Err(ApiError::validation(
            "the request body must be a JSON object",
        )),
        Err(e) => Err(ApiError::validation(e.body_text())),
    }
}

#[derive(Debug, serde::Serialize, ToSchema)]
pub struct Health {
    pub status: String,
}

/// Whether the registry is up and its store answers. Needs no token.
#[utoipa::path(get, path = "/api/v1/health", tag = "registry",
    responses((status = 200, body = Health), (status = 503, body = Problem)))]
async fn health(State(s): State<AppState>) -> Result<Json<Health>, ApiError> {
    s.store.head().await?;
    Ok(Json(Health {
        status: "ok".into(),
    }))
}

/// What the registry has counted, in Prometheus' text format (OpenMetrics): requests by
/// route and status, changes accepted and refused by cause, conflicts, the head of the log,
/// the write lock's wait. Needs no token; counts since this process started.
#[utoipa::path(get, path = "/metrics", tag = "registry",
    responses((status = 200, description = "The metrics",
               content_type = "application/openmetrics-text; version=1.0.0; charset=utf-8", body = String),
              (status = 503, body = Problem)))]
async fn metrics(State(s): State<AppState>) -> Result<impl IntoResponse, ApiError> {
    let head = s.store.head().await?;
    Ok((
        [(
            axum::http::header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        s.store.metrics.render(head),
    ))
}

/// Counts each answered request by its declared route, its method and its status.
async fn count(
    State(s): State<AppState>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    // A closed set of labels whatever a client sends.
    let method = match *req.method() {
        axum::http::Method::GET => "GET",
        axum::http::Method::POST => "POST",
        axum::http::Method::DELETE => "DELETE",
        _ => "other",
    };
    let route = req
        .extensions()
        .get::<axum::extract::MatchedPath>()
        .map_or("unmatched", |m| m.as_str())
        .to_owned();
    let answer = next.run(req).await;
    s.store
        .metrics
        .request(method, &route, answer.status().as_u16());
    answer
}

/// This document.
#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "registry",
    responses((status = 200, description = "The OpenAPI document")))]
async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

/// Who the token belongs to.
#[utoipa::path(get, path = "/api/v1/me", tag = "sync", security(("bearer" = [])),
    responses((status = 200, body = Me), (status = 401, body = Problem)))]
async fn me(who: Principal) -> Json<Me> {
    Json(Me {
        user: who.user,
        role: who.role.as_str().into(),
        token_id: who.token_id,
    })
}

fn page_size(limit: Option<u32>) -> Result<u32, ApiError> {
    match limit.unwrap_or(DEFAULT_PAGE) {
        n @ 1..=MAX_PAGE => Ok(n),
        n => Err(ApiError::validation(format!(
            "`limit` is 1 to {MAX_PAGE}, not {n}"
        ))),
    }
}

/// Pushes changes (each accepted or refused with a reason) and pulls the next page of the
/// log after `after`, in one round trip.
#[utoipa::path(post, path = "/api/v1/sync", tag = "sync", security(("bearer" = [])),
    request_body = SyncRequest,
    responses((status = 200, body = SyncResponse), (status = 400, body = Problem),
              (status = 401, body = Problem), (status = 413, body = Problem)))]
async fn sync(
    State(s): State<AppState>,
    who: Principal,
    req: Result<Json<serde_json::Value>, JsonRejection>,
) -> Result<Json<SyncResponse>, ApiError> {
    let req: SyncRequest = body(req)?;
    exchange(&s.store, &who, &req).await.map(Json)
}

/// One sync round trip: push, then pull the next page. The HTTP handler is this function;
/// tests call it directly to put faults between a desktop and the registry.
pub async fn exchange(
    store: &Store,
    who: &Principal,
    req: &SyncRequest,
) -> Result<SyncResponse, ApiError> {
    if req.protocol < PROTOCOL {
        return Err(ApiError::validation(format!(
            "this desktop's app speaks sync protocol {}, older than this registry's ({PROTOCOL}); update AI Factory Portfolio, then sync again (your changes wait on this desktop)",
            req.protocol
        )));
    }
    if req.changes.len() > MAX_PUSH {
        return Err(ApiError::limit(format!(
            "{} changes in one push; at most {MAX_PUSH}",
            req.changes.len()
        )));
    }
    let (accepted, rejected) = store.push(who, &req.changes).await?;
    if !req.changes.is_empty() {
        tracing::info!(
            user = %who.user,
            accepted = accepted.len(),
            rejected = rejected.len(),
            "push"
        );
    }
    let (changes, more) = store
        .pull(req.after.max(0), page_size(req.limit)?, req.compact)
        .await?;
    Ok(SyncResponse {
        next: changes.last().map_or(req.after.max(0), |c| c.seq),
        more,
        accepted,
        rejected,
        changes,
    })
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PullQuery {
    /// The last sequence already applied.
    #[serde(default)]
    after: i64,
    /// Page size (default 1,000). A page also ends before about 8 MB of changes, with
    /// `more` set: pull again from `next`.
    #[param(minimum = 1, maximum = 5000)]
    limit: Option<u32>,
    /// Only the latest change of each field.
    #[serde(default)]
    compact: bool,
}

/// Pulls the next page of the log after `after`.
#[utoipa::path(get, path = "/api/v1/changes", tag = "sync", security(("bearer" = [])),
    params(PullQuery),
    responses((status = 200, body = SyncResponse), (status = 400, body = Problem),
              (status = 401, body = Problem)))]
async fn changes(
    State(s): State<AppState>,
    _who: Principal,
    q: Result<Query<PullQuery>, QueryRejection>,
) -> Result<Json<SyncResponse>, ApiError> {
    let Query(q) = q.map_err(|e| ApiError::validation(e.body_text()))?;
    let (changes, more) = s
        .store
        .pull(q.after.max(0), page_size(q.limit)?, q.compact)
        .await?;
    Ok(Json(SyncResponse {
        next: changes.last().map_or(q.after.max(0), |c| c.seq),
        more,
        changes,
        ..SyncResponse::default()
    }))
}

/// Everyone's tokens for an admin, one's own for anyone else; never their secrets.
#[utoipa::path(get, path = "/api/v1/tokens", tag = "tokens", security(("bearer" = [])),
    responses((status = 200, body = [TokenInfo]), (status = 401, body = Problem)))]
async fn list_tokens(
    State(s): State<AppState>,
    who: Principal,
) -> Result<Json<Vec<TokenInfo>>, ApiError> {
    let all = s.store.tokens().await?;
    let admin = crate::role::allows(who.role, Permission::ManageTokens);
    Ok(Json(
        all.into_iter()
            .filter(|t| admin || t.user == who.user)
            .collect(),
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct TokenRequest {
    /// The person's e-mail address.
    #[schema(
        pattern = r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$",
        max_length = 254
    )]
    pub user: String,
    pub role: Role,
    /// Days until it expires; never, when left out.
    #[serde(default, deserialize_with = "protocol::wire::whole::option_u32")]
    #[schema(minimum = 1, maximum = 36500)]
    pub expires_days: Option<u32>,
}

/// Creates a token (admins only); the answer is the only time its secret is shown.
#[utoipa::path(post, path = "/api/v1/tokens", tag = "tokens", security(("bearer" = [])),
    request_body = TokenRequest,
    responses((status = 201, body = NewToken), (status = 400, body = Problem),
              (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn create_token(
    State(s): State<AppState>,
    who: Principal,
    req: Result<Json<serde_json::Value>, JsonRejection>,
) -> Result<(axum::http::StatusCode, Json<NewToken>), ApiError> {
    who.require(Permission::ManageTokens, "only admins create tokens")?;
    let req: TokenRequest = body(req)?;
    let t = s
        .store
        .create_token(&req.user, req.role, req.expires_days)
        .await?;
    tracing::info!(by = %who.user, user = %t.user, role = t.role.as_str(), token = %t.id, "token created");
    Ok((axum::http::StatusCode::CREATED, Json(t)))
}

/// A token the caller may manage: any, for an admin; one's own, for anyone else.
async fn manageable(s: &AppState, who: &Principal, id: &str) -> Result<TokenInfo, ApiError> {
    let t = s.store.token(id).await;
    let admin = crate::role::allows(who.role, Permission::ManageTokens);
    match t {
        Ok(t) if admin || t.user == who.user => Ok(t),
        // Someone else's token, or none: the same answer, so ids cannot be probed.
        _ if !admin => Err(ApiError::forbidden(format!(
            "{} manages only their own tokens; token {id} is not one of them",
            who.user
        ))),
        other => other,
    }
}

/// Revokes a token: an admin any, anyone else their own.
#[utoipa::path(delete, path = "/api/v1/tokens/{id}", tag = "tokens", security(("bearer" = [])),
    params(("id" = String, Path, description = "The token's id")),
    responses((status = 200, body = TokenInfo), (status = 401, body = Problem),
              (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn revoke_token(
    State(s): State<AppState>,
    who: Principal,
    Path(id): Path<String>,
) -> Result<Json<TokenInfo>, ApiError> {
    manageable(&s, &who, &id).await?;
    let t = s.store.revoke(&id).await?;
    tracing::info!(by = %who.user, token = %id, "token revoked");
    Ok(Json(t))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RotateQuery {
    /// Days until the new token expires; never, when left out.
    #[param(minimum = 1, maximum = 36500)]
    expires_days: Option<u32>,
}

/// Replaces a token with a new one for the same user and role; the old one is revoked.
#[utoipa::path(post, path = "/api/v1/tokens/{id}/rotate", tag = "tokens", security(("bearer" = [])),
    params(("id" = String, Path, description = "The token's id"), RotateQuery),
    responses((status = 201, body = NewToken), (status = 400, body = Problem),
              (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem)))]
async fn rotate_token(
    State(s): State<AppState>,
    who: Principal,
    Path(id): Path<String>,
    q: Result<Query<RotateQuery>, QueryRejection>,
) -> Result<(axum::http::StatusCode, Json<NewToken>), ApiError> {
    let Query(q) = q.map_err(|e| ApiError::validation(e.body_text()))?;
    manageable(&s, &who, &id).await?;
    let t = s.store.rotate(&id, q.expires_days).await?;
    tracing::info!(by = %who.user, old = %id, new = %t.id, "token rotated");
    Ok((axum::http::StatusCode::CREATED, Json(t)))
}

async fn not_found() -> ApiError {
    ApiError::not_found("no such endpoint; the API is described at /api/v1/openapi.json")
}

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "AI Factory Portfolio registry", version = "1",
         description = "The central registry every desktop syncs with: an ordered log of field-level changes."),
    paths(health, metrics, openapi, me, sync, changes, list_tokens, create_token, revoke_token, rotate_token),
    components(schemas(WireChange, ServedChange, Overridden, SyncRequest, SyncResponse, Accepted,
                       Rejection, Me, Problem, Health, TokenInfo, NewToken, TokenRequest, Role)),
    modifiers(&BearerAuth)
)]
pub struct ApiDoc;

/// The API; a request body must arrive within `body_timeout` (see `limits`).
pub fn router(state: AppState, body_timeout: std::time::Duration) -> Router {
    Router::new()
        .route("/metrics", get(metrics))
        .route("/api/v1/health", get(health))
        .route("/api/v1/openapi.json", get(openapi))
        .route("/api/v1/me", get(me))
        .route("/api/v1/sync", post(sync))
        .route("/api/v1/changes", get(changes))
        .route("/api/v1/tokens", get(list_tokens).post(create_token))
        .route("/api/v1/tokens/{id}", delete(revoke_token))
        .route("/api/v1/tokens/{id}/rotate", post(rotate_token))
        .route_layer(axum::middleware::from_fn_with_state(state.clone(), count))
        .fallback(not_found)
        .layer(DefaultBodyLimit::disable())
        // Pages of changes are JSON that compresses about tenfold: gzip for clients that ask.
        .layer(tower_http::compression::CompressionLayer::new().gzip(true))
        .layer(axum::middleware::from_fn(move |req, next| {
            crate::limits::bounded_body(body_timeout, req, next)
        }))
        // A bug in a handler answers 500 with a reason instead of dropping the connection.
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(|_| {
            ApiError::internal("the registry failed on this request; its log says why")
                .into_response()
        }))
        // Every request has an id: the client's `x-request-id` if it sent one, else a new
        // UUID. Its log lines carry it and the answer returns it, so a person's report of a
        // failed sync can be matched to the registry's log.
        .layer(
            TraceLayer::new_for_http().make_span_with(|req: &axum::extract::Request| {
                let id = req.headers().get(REQUEST_ID).and_then(|v| v.to_str().ok());
                tracing::info_span!("request", method = %req.method(), uri = %req.uri(), request_id = id.unwrap_or(""))
            }),
        )
        .layer(PropagateRequestIdLayer::new(HeaderName::from_static(REQUEST_ID)))
        .layer(SetRequestIdLayer::new(
            HeaderName::from_static(REQUEST_ID),
            MakeRequestUuid,
        ))
        .with_state(state)
}
