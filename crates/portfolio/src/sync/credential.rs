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

/// `$PORTFOLIO_CONFIG_DIR`, else the OS config dir. `PORTFOLIO_KEYRING=off` skips the
/// keyring (tests, and machines whose keyring prompts on every read).
fn file() -> PathBuf {
    std::env::var_os("PORTFOLIO_CONFIG_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            dirs::config_dir()
                .unwrap_or_else(std::env::temp_dir)
                .join("ai-factory-portfolio")
        })
        .join("registry-tokens.json")
}

fn keyring_on() -> bool {
    std::env::var("PORTFOLIO_KEYRING").map_or(true, |v| v != "off")
}

fn entry(url: &str) -> Option<keyring::Entry> {
    keyring_on()
        .then(|| keyring::Entry::new(SERVICE, url).ok())
        .flatten()
}

fn read_file() -> Result<BTreeMap<String, String>> {
    match std::fs::read_to_string(file()) {
        Ok(s) => Ok(serde_json::from_str(&s).unwrap_or_default()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(BTreeMap::new()),
        Err(e) => Err(Error::io(format!("cannot read {}: {e}", file().display()))),
    }
}

fn write_file(all: &BTreeMap<String, String>) -> Result<PathBuf> {
    let path = file();
    let io = |e: std::io::Error| Error::io(format!("cannot write {}: {e}", path.display()));
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(io)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut f = options.open(&path).map_err(io)?;
    #[cfg(unix)]
    std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o600))
        .map_err(io)?;
    std::io::Write::write_all(&mut f, serde_json::to_string_pretty(all)?.as_bytes()).map_err(io)?;
    Ok(path)
}

/// Runs a keyring call on a blocking thread: the Secret Service client drives D-Bus with its
/// own small runtime, which must not start inside the caller's.
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> Result<T> + Send + 'static) -> Result<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| Error::io(format!("the keyring call stopped: {e}")))?
}

/// Saves the token for this registry, replacing any before it.
pub async fn save(url: &str, token: &str) -> Result<Place> {
    let (url, token) = (url.to_owned(), token.to_owned());
    blocking(move || save_now(&url, &token)).await
}

/// The saved token for this registry, if any.
pub async fn load(url: &str) -> Result<Option<String>> {
    let url = url.to_owned();
    blocking(move || load_now(&url)).await
}

/// Forgets the token for this registry, wherever it was kept.
pub async fn forget(url: &str) -> Result<()> {
    let url = url.to_owned();
    blocking(move || forget_now(&url)).await
}

fn save_now(url: &str, token: &str) -> Result<Place> {
    if let Some(e) = entry(url)
        && e.set_password(token).is_ok()
    {
        // A copy left in the file from a time without a keyring would outlive this one.
        let mut all = read_file()?;
        if all.remove(url).is_some() {
            write_file(&all)?;
        }
        return Ok(Place::Keyring);
    }
    let mut all = read_file()?;
    all.insert(url.to_owned(), token.to_owned());
    Ok(Place::File(write_file(&all)?))
}

fn load_now(url: &str) -> Result<Option<String>> {
    if let Some(e) = entry(url)
        && let Ok(t) = e.get_password()
    {
        return Ok(Some(t));
    }
    Ok(read_file()?.remove(url))
}

fn forget_now(url: &str) -> Result<()> {
    if let Some(e) = entry(url) {
        let _ = e.delete_credential();
    }
    let mut all = read_file()?;
    if all.remove(url).is_some() {
        write_file(&all)?;
    }
    Ok(())
}
