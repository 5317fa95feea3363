//! Who is calling: the bearer token of every request, checked against the store.

use axum::extract::{FromRef, FromRequestParts};
use axum::http::request::Parts;

use crate::error::ApiError;
use crate::store::Store;
use crate::store::tokens::TokenState;
use crate::token::{Principal, hash};

impl<S: Send + Sync> FromRequestParts<S> for Principal
where
    Store: FromRef<S>,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let store = Store::from_ref(state);
        let header = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .ok_or_else(|| {
                ApiError::unauthenticated(
                    "no token: send `Authorization: Bearer TOKEN` (a registry admin creates tokens)",
                )
            })?;
        let token = header
            .to_str()
            .ok()
            .and_then(|h| h.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| {
                ApiError::unauthenticated("the Authorization header is not `Bearer TOKEN`")
            })?;
        match store.principal(&hash(token)).await? {
            None => Err(ApiError::unauthenticated(
                "the token is not known to this registry",
            )),
            Some((_, TokenState::Revoked(at))) => Err(ApiError::unauthenticated(format!(
                "the token was revoked at {at}; ask an admin for a new one"
            ))),
            Some((_, TokenState::Expired(at))) => Err(ApiError::unauthenticated(format!(
                "the token expired at {at}; ask an admin for a new one"
            ))),
            Some((p, TokenState::Live)) => Ok(p),
        }
    }
}
