//! Tokens as the store keeps them: their hash (never the secret), user, role, expiry and
//! revocation.

use serde::Serialize;
use sqlx::Row;

use super::Store;
use crate::error::ApiError;
use crate::role::Role;
use crate::token::Principal;

/// The longest a token may live: a hundred years is "never" for any registry.
pub const MAX_DAYS: u32 = 36_500;

/// A token as `token list` shows it: never its secret.
#[derive(Debug, Clone, Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct TokenInfo {
    pub id: String,
    pub user: String,
    pub role: Role,
    pub created_at: String,
    pub expires_at: Option<String>,
    pub revoked_at: Option<String>,
}

/// A new token: the only time its secret is shown.
#[derive(Debug, Clone, Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct NewToken {
    pub id: String,
    pub token: String,
    pub user: String,
    pub role: Role,
    pub expires_at: Option<String>,
}

impl Store {
    pub async fn create_token(
        &self,
        user: &str,
        role: Role,
        expires_days: Option<u32>,
    ) -> Result<NewToken, ApiError> {
        let user =
            domain::email::Email::parse(user).map_err(|e| ApiError::validation(e.message))?;
        if !plain_email(user.as_str()) {
            return Err(ApiError::validation(format!(
                "`{}` is not a plain e-mail address: tokens are for addresses of letters, digits and . _ % + - (like name@example.org)",
                user.as_str()
            )));
        }
        if let Some(d) = expires_days.filter(|d| !(1..=MAX_DAYS).contains(d)) {
            return Err(ApiError::validation(format!(
                "a token expires in 1 to {MAX_DAYS} days, not {d}"
            )));
        }
        let (token, hash) = crate::token::mint()?;
        let id = uuid::Uuid::now_v7().to_string();
        let now = chrono::Utc::now();
        let expires_at =
            expires_days.map(|d| domain::timestamp(now + chrono::Duration::days(i64::from(d))));
        sqlx::query(
            "INSERT INTO tokens (id, user_email, role, hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&id)
        .bind(user.as_str())
        .bind(role.as_str())
        .bind(&hash)
        .bind(domain::timestamp(now))
        .bind(&expires_at)
        .execute(&self.pool)
        .await?;
        Ok(NewToken {
            id,
            token,
            user: user.as_str().to_owned(),
            role,
            expires_at,
        })
    }

    pub async fn tokens(&self) -> Result<Vec<TokenInfo>, ApiError> {
        let rows = sqlx::query(
            "SELECT id, user_email, role, created_at, expires_at, revoked_at FROM tokens ORDER BY created_at, id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(token_info).collect()
    }

    pub async fn token(&self, id: &str) -> Result<TokenInfo, ApiError> {
        let row = sqlx::query(
            "SELECT id, user_email, role, created_at, expires_at, revoked_at FROM tokens WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no token {id}")))?;
        token_info(&row)
    }

    /// Revokes a token; revoking it again changes nothing.
    pub async fn revoke(&self, id: &str) -> Result<TokenInfo, ApiError> {
        self.token(id).await?;
        sqlx::query("UPDATE tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
            .bind(domain::now())
            .bind(id)
            .execute(&self.pool)
            .await?;
        self.token(id).await
    }

    /// A new token for the same user and role; the old one is revoked.
    pub async fn rotate(&self, id: &str, expires_days: Option<u32>) -> Result<NewToken, ApiError> {
        let old = self.token(id).await?;
        if old.revoked_at.is_some() {
            return Err(ApiError::validation(format!(
                "token {id} is revoked; create a new one instead"
            )));
        }
        let new = self.create_token(&old.user, old.role, expires_days).await?;
        self.revoke(id).await?;
        Ok(new)
    }

    /// Finds the live token with this secret's hash.
    pub async fn principal(&self, hash: &str) -> Result<Option<(Principal, TokenState)>, ApiError> {
        let row = sqlx::query(
            "SELECT id, user_email, role, expires_at, revoked_at FROM tokens WHERE hash = $1",
        )
        .bind(hash)
        .fetch_optional(&self.pool)
        .await?;
        let Some(r) = row else { return Ok(None) };
        let role: String = r.try_get("role")?;
        let p = Principal {
            token_id: r.try_get("id")?,
            user: r.try_get("user_email")?,
            role: Role::parse(&role).map_err(ApiError::internal)?,
        };
        let expires_at: Option<String> = r.try_get("expires_at")?;
        let revoked_at: Option<String> = r.try_get("revoked_at")?;
        let state = match (revoked_at, expires_at) {
            (Some(at), _) => TokenState::Revoked(at),
            (None, Some(at)) if at <= domain::now() => TokenState::Expired(at),
            _ => TokenState::Live,
        };
        Ok(Some((p, state)))
    }
}

/// What the API document promises for a token's user: ASCII `local@domain.tld`, at most
/// 254 characters (the pattern in `TokenRequest`).
fn plain_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    let local_ok = |c: char| c.is_ascii_alphanumeric() || "._%+-".contains(c);
    let label_ok =
        |l: &str| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    s.len() <= 254
        && !local.is_empty()
        && local.chars().all(local_ok)
        && domain.split('.').count() >= 2
        && domain.split('.').all(label_ok)
}

pub enum TokenState {
    Live,
    Revoked(String),
    Expired(String),
}

fn token_info(r: &sqlx::any::AnyRow) -> Result<TokenInfo, ApiError> {
    let role: String = r.try_get("role")?;
    Ok(TokenInfo {
        id: r.try_get("id")?,
        user: r.try_get("user_email")?,
        role: Role::parse(&role).map_err(ApiError::internal)?,
        created_at: r.try_get("created_at")?,
        expires_at: r.try_get("expires_at")?,
        revoked_at: r.try_get("revoked_at")?,
    })
}
