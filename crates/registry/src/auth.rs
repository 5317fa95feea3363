//! Bearer tokens: minted from the operating system's randomness, stored only as a SHA-256
//! hash (the secret is high-entropy, so a slow hash adds nothing), checked on every request.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use base64::Engine;
use sha2::{Digest, Sha256};

use crate::api::AppState;
use crate::error::ApiError;
use crate::role::{self, Permission, Role};
use crate::store::TokenState;

/// Who is calling: the token's user and role.
#[derive(Debug, Clone)]
pub struct Principal {
    pub token_id: String,
    pub user: String,
    pub role: Role,
}

impl Principal {
    pub fn require(&self, p: Permission, what: &str) -> Result<(), ApiError> {
        if role::allows(self.role, p) {
            Ok(())
        } else {
            Err(ApiError::forbidden(format!(
                "{} is a {}; {what}",
                self.user,
                self.role.as_str()
            )))
        }
    }
}

pub fn hash(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// A new secret and its hash.
pub fn mint() -> Result<(String, String), ApiError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|e| ApiError::internal(format!("no randomness for a token: {e}")))?;
    let token = format!(
        "pfr_{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    );
    let h = hash(&token);
    Ok((token, h))
}

impl FromRequestParts<AppState> for Principal {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
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
        match state.store.principal(&hash(token)).await? {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_only_their_hash_is_kept() {
        let (a, ha) = mint().unwrap();
        let (b, hb) = mint().unwrap();
        assert_ne!(a, b);
        assert!(a.starts_with("pfr_") && a.len() > 40);
        assert_eq!(ha, hash(&a));
        assert_ne!(ha, hb);
        assert!(!ha.contains(&a[4..]));
        assert_eq!(ha.len(), 64);
    }
}
