//! Charts saved as PNG: the app draws a chart and hands over its pixels as a `data:` URL;
//! this checks that it really is a PNG and writes it where the person chose.

use std::path::Path;

use base64::Engine;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};

/// A chart to save: what to call the file (without extension) and its pixels.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ChartImage {
    pub name: String,
    /// `data:image/png;base64,…`, as a canvas's `toDataURL()` gives it.
    pub data_url: String,
}

const PREFIX: &str = "data:image/png;base64,";
const SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";
/// A dashboard chart is tens of kilobytes; anything this large is not one.
const MAX_BYTES: usize = 32 * 1024 * 1024;

/// The PNG bytes a `data:image/png;base64,…` URL carries.
pub fn decode(data_url: &str) -> Result<Vec<u8>> {
    let encoded = data_url
        .strip_prefix(PREFIX)
        .ok_or_else(|| Error::invalid("image", "the chart image is not a PNG data URL"))?;
    if encoded.len() / 4 * 3 > MAX_BYTES {
        return Err(Error::limit("the chart image is larger than 32 MB"));
    }
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .map_err(|e| Error::invalid("image", format!("the chart image is damaged: {e}")))?;
    if !bytes.starts_with(SIGNATURE) {
        return Err(Error::invalid("image", "the chart image is not a PNG"));
    }
    Ok(bytes)
}

pub fn save(path: &Path, data_url: &str) -> Result<()> {
    let bytes = decode(data_url)?;
    std::fs::write(path, bytes)
        .map_err(|e| Error::io(format!("cannot write {}: {e}", path.display())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_png_data_urls_are_taken() {
        let png = base64::engine::general_purpose::STANDARD.encode(b"\x89PNG\r\n\x1a\nrest");
        assert_eq!(decode(&format!("{PREFIX}{png}")).unwrap().len(), 12);
        let jpeg = base64::engine::general_purpose::STANDARD.encode(b"\xff\xd8\xff");
        assert_eq!(
            decode(&format!("{PREFIX}{jpeg}")).unwrap_err().message,
            "the chart image is not a PNG"
        );
        assert!(decode("data:image/svg+xml;base64,AAAA").is_err());
        assert!(decode(&format!("{PREFIX}not base64!")).is_err());
    }
}
