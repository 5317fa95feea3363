//! The registry token, kept out of the store: in the OS keyring (Secret Service, Keychain,
//! Credential Manager) where there is one, else in a file only this user may read.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::error::{Error, Result};

const SERVICE: &str = "ai-factory-portfolio";

/// Where a saved token went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    Keyring,
    File(PathBuf),
}

/// Where tokens are kept: the keyring if allowed and working, and the fallback file.
struct Vault {
    keyring: bool,
    file: PathBuf,
}

impl Vault {
    /// `$PORTFOLIO_CONFIG_DIR`, else the OS config dir, holds the fallback file;
    /// `PORTFOLIO_KEYRING=off` skips the keyring (tests, and machines whose keyring prompts
    /// on every read).
    fn from_env() -> Vault {
        let dir = std::env::var_os("PORTFOLIO_CONFIG_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| {
                dirs::config_dir()
                    .unwrap_or_else(std::env::temp_dir)
                    .join("ai-factory-portfolio")
            });
        Vault {
            keyring: std::env::var("PORTFOLIO_KEYRING").map_or(true, |v| v != "off"),
            file: dir.join("registry-tokens.json"),
        }
    }

    fn entry(&self, url: &str) -> Option<keyring::Entry> {
        self.keyring
            .then(|| keyring::Entry::new(SERVICE, url).ok())
            .flatten()
    }

    fn read_file(&self) -> Result<BTreeMap<String, String>> {
        match std::fs::read_to_string(&self.file) {
            Ok(s) => Ok(serde_json::from_str(&s).unwrap_or_default()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(BTreeMap::new()),
            Err(e) => Err(Error::io(format!(
                "cannot read {}: {e}",
                self.file.display()
            ))),
        }
    }

    fn write_file(&self, all: &BTreeMap<String, String>) -> Result<PathBuf> {
        let path = &self.file;
        let io = |e: std::io::Error| Error::io(format!("cannot write {}: {e}", path.display()));
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut f = options.open(path).map_err(io)?;
        // A file made before (or by another tool) keeps its mode on open: narrow it.
        #[cfg(unix)]
        std::fs::set_permissions(path, std::os::unix::fs::PermissionsExt::from_mode(0o600))
            .map_err(io)?;
        std::io::Write::write_all(&mut f, serde_json::to_string_pretty(all)?.as_bytes())
            .map_err(io)?;
        Ok(path.clone())
    }

    fn save(&self, url: &str, token: &str) -> Result<Place> {
        let mut all = self.read_file()?;
        if let Some(e) = self.entry(url)
            && e.set_password(token).is_ok()
        {
            // A copy left in the file from a time without a keyring would outlive this one.
            if all.remove(url).is_some() {
                self.write_file(&all)?;
            }
            return Ok(Place::Keyring);
        }
        all.insert(url.to_owned(), token.to_owned());
        Ok(Place::File(self.write_file(&all)?))
    }

    fn load(&self, url: &str) -> Result<Option<String>> {
        if let Some(e) = self.entry(url)
            && let Ok(t) = e.get_password()
        {
            return Ok(Some(t));
        }
        Ok(self.read_file()?.remove(url))
    }

    fn forget(&self, url: &str) -> Result<()> {
        if let Some(e) = self.entry(url) {
            let _ = e.delete_credential();
        }
        let mut all = self.read_file()?;
        if all.remove(url).is_some() {
            self.write_file(&all)?;
        }
        Ok(())
    }
}

/// Runs a vault call on a blocking thread: the Secret Service client drives D-Bus with its
/// own small runtime, which must not start inside the caller's.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce(Vault) -> Result<T> + Send + 'static,
) -> Result<T> {
    tokio::task::spawn_blocking(move || f(Vault::from_env()))
        .await
        .map_err(|e| Error::io(format!("the keyring call stopped: {e}")))?
}

/// Saves the token for this registry, replacing any before it.
pub async fn save(url: &str, token: &str) -> Result<Place> {
    let (url, token) = (url.to_owned(), token.to_owned());
    blocking(move |v| v.save(&url, &token)).await
}

/// The saved token for this registry, if any.
pub async fn load(url: &str) -> Result<Option<String>> {
    let url = url.to_owned();
    blocking(move |v| v.load(&url)).await
}

/// Forgets the token for this registry, wherever it was kept.
pub async fn forget(url: &str) -> Result<()> {
    let url = url.to_owned();
    blocking(move |v| v.forget(&url)).await
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Needs a Secret Service: `scripts/keyring-test.sh` runs it against gnome-keyring in a
    /// private D-Bus session.
    #[test]
    #[ignore = "needs a Secret Service (scripts/test.sh starts one)"]
    fn with_a_keyring_tokens_go_there_and_never_to_the_file() {
        let dir = tempfile::TempDir::new().unwrap();
        let v = Vault {
            keyring: true,
            file: dir.path().join("tokens.json"),
        };
        let url = format!("https://keyring-test-{}.example", uuid::Uuid::now_v7());
        // A copy left in the file from a time without a keyring.
        Vault {
            keyring: false,
            file: v.file.clone(),
        }
        .save(&url, "pfr_old")
        .unwrap();

        assert_eq!(v.save(&url, "pfr_secret").unwrap(), Place::Keyring);
        let file = std::fs::read_to_string(&v.file).unwrap();
        assert!(
            !file.contains("pfr_"),
            "the file still holds a token: {file}"
        );
        assert_eq!(v.load(&url).unwrap().as_deref(), Some("pfr_secret"));
        let entry = keyring::Entry::new(SERVICE, &url).unwrap();
        assert_eq!(entry.get_password().unwrap(), "pfr_secret");

        v.forget(&url).unwrap();
        assert_eq!(v.load(&url).unwrap(), None);
        assert!(entry.get_password().is_err());
    }

    #[test]
    fn without_a_keyring_tokens_go_to_a_file_only_the_user_can_read() {
        let dir = tempfile::TempDir::new().unwrap();
        let v = Vault {
            keyring: false,
            file: dir.path().join("nested").join("tokens.json"),
        };
        assert_eq!(v.load("https://a.example").unwrap(), None);
        let place = v.save("https://a.example", "pfr_one").unwrap();
        assert_eq!(place, Place::File(v.file.clone()));
        v.save("https://b.example", "pfr_two").unwrap();
        v.save("https://a.example", "pfr_three").unwrap();
        assert_eq!(
            v.load("https://a.example").unwrap().as_deref(),
            Some("pfr_three")
        );
        assert_eq!(
            v.load("https://b.example").unwrap().as_deref(),
            Some("pfr_two")
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&v.file).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        v.forget("https://a.example").unwrap();
        assert_eq!(v.load("https://a.example").unwrap(), None);
        assert_eq!(
            v.load("https://b.example").unwrap().as_deref(),
            Some("pfr_two")
        );
    }
}
