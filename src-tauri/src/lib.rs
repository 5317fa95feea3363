//! The desktop shell: opens the store, registers one-line command adapters over the engine,
//! and runs the window. Everything with rules in it lives in the `portfolio` crate.

#[cfg(test)]
mod api;
mod commands;
mod file_dialog;
mod state;

use std::path::PathBuf;

use portfolio::{Ctx, OpenMode};

/// `--db PATH` on the app's command line, else `$PORTFOLIO_DB`, else the app-data store.
fn store_path() -> PathBuf {
    let mut args = std::env::args().skip(1);
    let mut explicit = None;
    while let Some(a) = args.next() {
        if a == "--db" {
            explicit = args.next().map(PathBuf::from);
        } else if let Some(p) = a.strip_prefix("--db=") {
            explicit = Some(PathBuf::from(p));
        }
    }
    portfolio::store::resolve_path(explicit)
}

pub fn run() {
    let started = std::time::Instant::now();
    let path = store_path();
    let runtime = tokio::runtime::Runtime::new().expect("the async runtime starts");
    let opened = runtime.block_on(Ctx::open(&path, OpenMode::Create));
    tauri::async_runtime::set(runtime.handle().clone());
    let state = state::AppState::new(started, path, opened);
    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .setup(|app| {
            software_rendering(app)?;
            Ok(())
        })
        .manage(state)
        .invoke_handler(commands::handler())
        .build(tauri::generate_context!())
        .expect("the window opens")
        .run(|app, event| {
            // A clean close folds the store's write-ahead log back into its file and lets go
            // of its lock, so a copy of the `.db` file is the whole store.
            if let tauri::RunEvent::Exit = event {
                use tauri::Manager;
                if let Ok(ctx) = app.state::<state::AppState>().ctx() {
                    tauri::async_runtime::block_on(ctx.close());
                }
            }
        });
}

/// A table-and-forms app gains nothing from GPU compositing, and WebKitGTK's accelerated mode
/// costs over 100 MB (and shows blank windows on some drivers): render in software.
#[cfg(target_os = "linux")]
fn software_rendering(app: &tauri::App) -> tauri::Result<()> {
    use tauri::Manager;
    use webkit2gtk::{HardwareAccelerationPolicy, SettingsExt, WebViewExt};
    if let Some(window) = app.get_webview_window("main") {
        window.with_webview(|webview| {
            if let Some(settings) = WebViewExt::settings(&webview.inner()) {
                settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
            }
        })?;
    }
    Ok(())
}

#[cfg(not(target_os = "linux"))]
fn software_rendering(_app: &tauri::App) -> tauri::Result<()> {
    Ok(())
}
