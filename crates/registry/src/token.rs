//! Bearer tokens: minted from the operating system's randomness, stored only as a SHA-256
//! hash (the secret is high-entropy, so a slow hash adds nothing), and who a token names.

use base64::Engine;
use sha2::{Digest, Sha256};

use crate::error::ApiError;
use crate::role::{self, Permission, Role};

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
