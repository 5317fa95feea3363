//! Native file dialogs behind a seam: when `PORTFOLIO_DIALOG_PATH` is set, it answers every
//! dialog with that path, because WebDriver cannot click a native dialog in end-to-end tests.

use std::path::PathBuf;

use tauri::AppHandle;
use tauri_plugin_dialog::DialogExt;

fn seam() -> Option<PathBuf> {
    std::env::var_os("PORTFOLIO_DIALOG_PATH")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

/// Asks where to save; `None` when the person cancels.
pub async fn save(app: &AppHandle, title: &str, default_name: &str) -> Option<PathBuf> {
    if let Some(p) = seam() {
        return Some(p);
    }
    let (tx, rx) = tokio::sync::oneshot::channel();
    app.dialog()
        .file()
        .set_title(title)
        .set_file_name(default_name)
        .save_file(move |p| {
            let _ = tx.send(p.and_then(|p| p.into_path().ok()));
        });
    rx.await.ok().flatten()
}

/// Asks which file to open; `None` when the person cancels.
pub async fn open(app: &AppHandle, title: &str) -> Option<PathBuf> {
    if let Some(p) = seam() {
        return Some(p);
    }
    let (tx, rx) = tokio::sync::oneshot::channel();
    app.dialog().file().set_title(title).pick_file(move |p| {
        let _ = tx.send(p.and_then(|p| p.into_path().ok()));
    });
    rx.await.ok().flatten()
}
