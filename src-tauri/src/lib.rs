//! The desktop shell: opens the store, registers one-line command adapters over the engine,
//! and runs the window. Everything with rules in it lives in the `portfolio` crate.

#[cfg(test)]
mod api;
mod commands;
mod file_dialog;
mod log;
mod state;

use std::path::{Path, PathBuf};

use portfolio::{Ctx, OpenMode};
use tauri::plugin::TauriPlugin;
use tauri::{Manager, Wry};

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
    tauri::async_runtime::set(runtime.handle().clone());
    // Plugins start in this order, before the window opens: the single-instance check first,
    // so a second launch on the same store hands over before it opens anything.
    tauri::Builder::default()
        .plugin(single_instance(&path))
        .plugin(log::plugin())
        .plugin(tauri_plugin_window_state::Builder::default().build())
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .plugin(open_store(started, path))
        .setup(|app| {
            software_rendering(app)?;
            close_when_asked(app.handle());
            Ok(())
        })
        .invoke_handler(commands::handler())
        .build(tauri::generate_context!())
        .expect("the window opens")
        .run(|app, event| {
            // A clean close folds the store's write-ahead log back into its file and lets go
            // of its lock, so a copy of the `.db` file is the whole store.
            if let tauri::RunEvent::Exit = event {
                if let Ok(ctx) = app.state::<state::AppState>().ctx() {
                    tauri::async_runtime::block_on(ctx.close());
                }
                ::log::info!("closed");
            }
        });
}

/// One app per store: a second launch on a store that is open already brings the first
/// window forward and exits. (On Linux the instance is found through the session bus, under
/// a name made from the store's path, so another store may be open in a window of its own;
/// on Windows and macOS the plugin allows one app in all.)
fn single_instance(store: &Path) -> TauriPlugin<Wry> {
    use std::hash::{Hash, Hasher};
    let file = std::fs::canonicalize(store)
        .or_else(|_| std::path::absolute(store))
        .unwrap_or_else(|_| store.to_owned());
    // The same file gives the same name in every launch of this build.
    let mut hash = std::hash::DefaultHasher::new();
    file.hash(&mut hash);
    tauri_plugin_single_instance::Builder::new()
        .dbus_id(format!(
            "com.aifactory.portfolio.store{:016x}",
            hash.finish()
        ))
        .callback(|app, _args, _cwd| {
            ::log::info!("a second launch on this store handed over to this window");
            if let Some(window) = app.get_webview_window("main") {
                let _ = window.unminimize();
                let _ = window.show();
                let _ = window.set_focus();
            }
        })
        .build()
}

/// Opens the store (or keeps why it could not be opened, for the UI to show) before the
/// window can call a command, once this launch is known to be the only one on it.
fn open_store(started: std::time::Instant, path: PathBuf) -> TauriPlugin<Wry> {
    tauri::plugin::Builder::new("portfolio-store")
        .setup(move |app, _api| {
            let opened = tauri::async_runtime::block_on(Ctx::open(&path, OpenMode::Create));
            match &opened {
                Ok(_) => ::log::info!(
                    "AI Factory Portfolio {} started on the store {}",
                    app.package_info().version,
                    path.display()
                ),
                Err(e) => ::log::error!(
                    "the store {} did not open: error[{}] {}",
                    path.display(),
                    e.code.as_str(),
                    e.message
                ),
            }
            app.manage(state::AppState::new(started, path, opened));
            Ok(())
        })
        .build()
}

/// Asked to stop by the system (SIGTERM, as at log-out) or from a terminal (Ctrl-C), the app
/// closes as its window's close button would: the store folded into its file and let go of,
/// the window's size and place remembered.
fn close_when_asked(app: &tauri::AppHandle) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            let Ok(mut terminate) = signal(SignalKind::terminate()) else {
                return;
            };
            tokio::select! {
                _ = terminate.recv() => ::log::info!("asked to stop (SIGTERM)"),
                _ = tokio::signal::ctrl_c() => ::log::info!("asked to stop (Ctrl-C)"),
            }
        }
        #[cfg(not(unix))]
        {
            if tokio::signal::ctrl_c().await.is_err() {
                return;
            }
            ::log::info!("asked to stop (Ctrl-C)");
        }
        app.exit(0);
    });
}

/// A table-and-forms app gains nothing from GPU compositing, and WebKitGTK's accelerated mode
/// costs over 100 MB (and shows blank windows on some drivers): render in software.
#[cfg(target_os = "linux")]
fn software_rendering(app: &tauri::App) -> tauri::Result<()> {
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
