//! The app's log: what it did and every error a command answered, written to a file in the
//! OS's log folder (rotated, a few files kept), for a person or support to read after the fact.
//! Settings shows where it is and opens its folder.

use std::path::PathBuf;

use portfolio::{Error, Result};
use tauri::plugin::TauriPlugin;
use tauri::{AppHandle, Manager, Wry};
use tauri_plugin_log::{RotationStrategy, Target, TargetKind, TimezoneStrategy};

/// The log file's name, without its extension (`.log`).
const NAME: &str = "portfolio";

pub fn plugin() -> TauriPlugin<Wry> {
    tauri_plugin_log::Builder::new()
        .clear_targets()
        .target(Target::new(TargetKind::LogDir {
            file_name: Some(NAME.into()),
        }))
        .level(::log::LevelFilter::Info)
        // The window toolkit and the web view's plumbing say a lot that helps nobody here.
        .level_for("tao", ::log::LevelFilter::Warn)
        .level_for("wry", ::log::LevelFilter::Warn)
        .max_file_size(2_000_000)
        .rotation_strategy(RotationStrategy::KeepSome(5))
        .timezone_strategy(TimezoneStrategy::UseLocal)
        .build()
}

/// Where the log is written now.
pub fn file(app: &AppHandle) -> Result<PathBuf> {
    let dir = app
        .path()
        .app_log_dir()
        .map_err(|e| Error::io(format!("the log folder is unknown here: {e}")))?;
    Ok(dir.join(format!("{NAME}.log")))
}

/// Notes a command that answered with an error (a person stopping long work is no fault).
pub fn failed(command: &str, e: &Error) {
    let level = match e.code {
        portfolio::ErrorCode::Cancelled => ::log::Level::Info,
        _ => ::log::Level::Warn,
    };
    ::log::log!(level, "{command}: error[{}] {}", e.code.as_str(), e.message);
}
