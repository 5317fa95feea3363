//! IPC commands: each is a one-line adapter from a Tauri command to an engine function.
//! Their names and request/response types are mirrored by `ui/src/ipc.ts`.

use portfolio::change_log::HistoryEntry;
use portfolio::gate::GateRules;
use portfolio::person::Person;
use portfolio::scoring::ScoringModel;
use portfolio::stage_move::{MoveStage, StageOption};
use portfolio::use_case::{ModelScore, NewUseCase, SetFields, SetOwner, SetScore, UseCase};
use portfolio::view::{FilterChoices, ListQuery, Page};
use portfolio::{Ctx, Error, Identity, Result, demo, person, settings, stage_move, use_case, view};
use std::path::PathBuf;
use std::sync::RwLock;

use portfolio::bulk::{BulkEdit, BulkResult};
use portfolio::chart_image::ChartImage;
use portfolio::dashboard::Dashboard;
use portfolio::export::{ExportFormat, ExportRequest, ExportSummary};
use portfolio::import::{ImportReport, ImportRequest};
use portfolio::kpi::{Kpi, NewKpi, RecordActual};
use portfolio::matrix::Matrix;
use portfolio::pattern::{Catalogue, MapPattern, Pattern, PatternInput, SetControl};
use portfolio::review::{ReviewChanges, ReviewMark};
use portfolio::saved_view::{SaveView, SavedView};
use portfolio::sensitivity::Sensitivity;
use portfolio::settings::Preferences;
use portfolio::similar::{Draft, DuplicatePair, Similar};
use portfolio::sync::client::{self, SyncReport};
use portfolio::sync::{self, conflict};
use portfolio::task::{Cancel, OnProgress, Progress};
use portfolio::use_case::SetArchived;
use portfolio::view::Filters;
use portfolio::{OpenMode, backup, bulk, kpi, pattern, review, saved_view, similar};
use tauri::{AppHandle, Emitter, State};

use crate::file_dialog;

/// The open store, or why it could not be opened (shown by the UI instead of a crash).
/// Behind a lock because restoring a backup swaps the store under the running app.
pub struct AppState {
    started: std::time::Instant,
    path: PathBuf,
    ctx: RwLock<std::result::Result<Ctx, Error>>,
    /// The cancel flag of the long operation (export, import) now running, if any.
    task: std::sync::Mutex<Cancel>,
}

impl AppState {
    pub fn new(started: std::time::Instant, path: PathBuf, opened: Result<Ctx>) -> Self {
        AppState {
            started,
            path,
            ctx: RwLock::new(opened),
            task: std::sync::Mutex::new(Cancel::default()),
        }
    }

    /// A fresh cancel flag for a long operation that is starting.
    fn start_task(&self) -> Cancel {
        let cancel = Cancel::default();
        *self.task.lock().expect("the task lock is never poisoned") = cancel.clone();
        cancel
    }

    fn ctx(&self) -> Result<Ctx> {
        self.ctx
            .read()
            .expect("the store lock is never poisoned")
            .clone()
    }

    /// Closes the store, restores `from` in its place and opens the result; on failure
    /// the store that was open is opened again. Returns where the replaced store was kept.
    async fn restore(&self, from: &std::path::Path) -> Result<String> {
        // A store that failed to open can still be replaced by a good backup.
        if let Ok(current) = self.ctx() {
            current.close().await;
        }
        let restored = backup::restore(&self.path, from).await;
        let reopened = Ctx::open(&self.path, OpenMode::Existing).await;
        *self.ctx.write().expect("the store lock is never poisoned") = reopened;
        restored.map(|aside| aside.display().to_string())
    }
}

type Ctl<'a> = State<'a, AppState>;

#[tauri::command]
pub async fn store_status(s: Ctl<'_>) -> Result<String> {
    Ok(s.ctx()?.store().path().display().to_string())
}

#[tauri::command]
pub async fn identity_get(s: Ctl<'_>) -> Result<Option<Identity>> {
    s.ctx()?.identity().await
}

#[tauri::command]
pub async fn identity_set(s: Ctl<'_>, req: Identity) -> Result<Identity> {
    s.ctx()?.set_identity(req).await
}

#[tauri::command]
pub async fn use_case_list(s: Ctl<'_>, req: ListQuery) -> Result<Page> {
    view::list(&s.ctx()?, req).await
}

#[tauri::command]
pub async fn filter_choices(s: Ctl<'_>) -> Result<FilterChoices> {
    view::filter_choices(&s.ctx()?).await
}

#[tauri::command]
pub async fn use_case_get(s: Ctl<'_>, req: String) -> Result<UseCase> {
    use_case::get(&s.ctx()?, &req).await
}

#[tauri::command]
pub async fn use_case_create(s: Ctl<'_>, req: NewUseCase) -> Result<UseCase> {
    use_case::create(&s.ctx()?, req).await
}

#[tauri::command]
pub async fn use_case_set_fields(s: Ctl<'_>, req: SetFields) -> Result<UseCase> {
    use_case::set_fields(&s.ctx()?, req).await
}

#[tauri::command]
pub async fn use_case_set_score(s: Ctl<'_>, req: SetScore) -> Result<UseCase> {
    use_case::set_score(&s.ctx()?, req).await
}

#[tauri::command]
pub async fn use_case_set_owner(s: Ctl<'_>, req: SetOwner) -> Result<UseCase> {
    use_case::set_owner(&s.ctx()?, req).await
}

#[tauri::command]
pub async fn use_case_stage_options(s: Ctl<'_>, req: String) -> Result<Vec<StageOption>> {
    stage_move::stage_options(&s.ctx()?, &req).await
}

#[tauri::command]
pub async fn use_case_move_stage(s: Ctl<'_>, req: MoveStage) -> Result<UseCase> {
    stage_move::move_stage(&s.ctx()?, req).await
}

#[tauri::command]
pub async fn use_case_history(s: Ctl<'_>, req: String) -> Result<Vec<HistoryEntry>> {
    use_case::history(&s.ctx()?, &req).await
}

#[tauri::command]
pub async fn use_case_timeline(s: Ctl<'_>, req: String) -> Result<Vec<HistoryEntry>> {
    stage_move::timeline(&s.ctx()?, &req).await
}

#[tauri::command]
pub async fn use_case_model_scores(s: Ctl<'_>, req: String) -> Result<Vec<ModelScore>> {
    use_case::model_scores(&s.ctx()?, &req).await
}

#[tauri::command]
pub async fn people_list(s: Ctl<'_>) -> Result<Vec<Person>> {
    person::all(&s.ctx()?).await
}

#[tauri::command]
pub async fn scoring_model_get(s: Ctl<'_>) -> Result<ScoringModel> {
    s.ctx()?.scoring_model().await
}

#[tauri::command]
pub async fn scoring_model_save(s: Ctl<'_>, req: ScoringModel) -> Result<ScoringModel> {
    settings::save_scoring_model(&s.ctx()?, req).await
}

#[tauri::command]
pub async fn gate_rules_get(s: Ctl<'_>) -> Result<GateRules> {
    s.ctx()?.gate_rules().await
}

#[tauri::command]
pub async fn demo_load(s: Ctl<'_>) -> Result<usize> {
    demo::load(&s.ctx()?).await
}

#[tauri::command]
pub async fn use_case_set_archived(s: Ctl<'_>, req: SetArchived) -> Result<UseCase> {
    use_case::set_archived(&s.ctx()?, &req.id, req.archived).await
}

#[tauri::command]
pub async fn use_case_delete(s: Ctl<'_>, req: String) -> Result<()> {
    use_case::delete(&s.ctx()?, &req).await
}

/// Backs the store up to a file the person picks; `null` when they cancel.
#[tauri::command]
pub async fn store_backup(s: Ctl<'_>, app: AppHandle) -> Result<Option<String>> {
    let name = format!("portfolio-backup-{}.db", today());
    let Some(to) = file_dialog::save(&app, "Back up the portfolio", &name).await else {
        return Ok(None);
    };
    backup::backup(&s.ctx()?, &to, true)
        .await
        .map(|()| Some(to.display().to_string()))
}

/// Replaces the store with a backup the person picks (the UI has confirmed); returns
/// where the replaced store was kept, or `null` when they cancel.
#[tauri::command]
pub async fn store_restore(s: Ctl<'_>, app: AppHandle) -> Result<Option<String>> {
    let Some(from) = file_dialog::open(&app, "Restore the portfolio from a backup").await else {
        return Ok(None);
    };
    s.restore(&from).await.map(Some)
}

fn today() -> String {
    portfolio::now()[..10].to_owned()
}

#[tauri::command]
pub async fn gate_rules_save(s: Ctl<'_>, req: GateRules) -> Result<GateRules> {
    settings::save_gate_rules(&s.ctx()?, req).await
}

#[tauri::command]
pub async fn preferences_get(s: Ctl<'_>) -> Result<Preferences> {
    settings::preferences(&s.ctx()?).await
}

#[tauri::command]
pub async fn preferences_save(s: Ctl<'_>, req: Preferences) -> Result<Preferences> {
    settings::save_preferences(&s.ctx()?, req).await
}

#[tauri::command]
pub async fn saved_view_list(s: Ctl<'_>) -> Result<Vec<SavedView>> {
    saved_view::list(&s.ctx()?).await
}

#[tauri::command]
pub async fn saved_view_save(s: Ctl<'_>, req: SaveView) -> Result<SavedView> {
    saved_view::save(&s.ctx()?, req).await
}

#[tauri::command]
pub async fn saved_view_delete(s: Ctl<'_>, req: String) -> Result<()> {
    saved_view::delete(&s.ctx()?, &req).await
}

#[tauri::command]
pub async fn bulk_edit(s: Ctl<'_>, req: BulkEdit) -> Result<BulkResult> {
    bulk::apply(&s.ctx()?, req).await
}

/// The UI reports its first page of the portfolio on screen; with
/// `PORTFOLIO_STARTUP_REPORT=FILE` (set by `portfolio bench`) the time since the process
/// started is written there.
#[tauri::command]
pub async fn first_page_shown(s: Ctl<'_>) -> Result<()> {
    if let Some(file) = std::env::var_os("PORTFOLIO_STARTUP_REPORT") {
        let ms = s.started.elapsed().as_secs_f64() * 1000.0;
        std::fs::write(file, format!("{ms:.0}\n"))?;
    }
    Ok(())
}

/// Long operations report progress to the window as `task-progress` events.
fn progress(app: &AppHandle) -> OnProgress {
    let app = app.clone();
    std::sync::Arc::new(move |p: Progress| {
        let _ = app.emit("task-progress", p);
    })
}

/// Asks where to save an export; `None` when the person cancels.
#[tauri::command]
pub async fn export_choose_path(app: AppHandle, req: ExportFormat) -> Result<Option<String>> {
    let name = match req {
        ExportFormat::Xlsx => format!("ai-portfolio-{}.xlsx", today()),
        ExportFormat::Csv => format!("ai-portfolio-{}.csv", today()),
    };
    Ok(file_dialog::save(&app, "Export the portfolio", &name)
        .await
        .map(|p| p.display().to_string()))
}

#[tauri::command]
pub async fn export_run(s: Ctl<'_>, app: AppHandle, req: ExportRequest) -> Result<ExportSummary> {
    portfolio::export::export(&s.ctx()?, req, progress(&app), s.start_task()).await
}

/// Asks which file to import; `None` when the person cancels.
#[tauri::command]
pub async fn import_choose_file(app: AppHandle) -> Result<Option<String>> {
    Ok(
        file_dialog::open(&app, "Import use cases from a spreadsheet")
            .await
            .map(|p| p.display().to_string()),
    )
}

/// Previews (`dry_run`) or runs an import.
#[tauri::command]
pub async fn import_run(s: Ctl<'_>, app: AppHandle, req: ImportRequest) -> Result<ImportReport> {
    portfolio::import::import(&s.ctx()?, req, progress(&app), s.start_task()).await
}

/// Stops the export or import now running; it writes nothing.
#[tauri::command]
pub async fn task_cancel(s: Ctl<'_>) -> Result<()> {
    s.task
        .lock()
        .expect("the task lock is never poisoned")
        .cancel();
    Ok(())
}

#[tauri::command]
pub async fn dashboard_get(s: Ctl<'_>) -> Result<Dashboard> {
    portfolio::dashboard::dashboard(&s.ctx()?).await
}

/// Weight sensitivity with the top-N line at `req` (the ranking's first N).
#[tauri::command]
pub async fn sensitivity_get(s: Ctl<'_>, req: i32) -> Result<Sensitivity> {
    let top = usize::try_from(req).map_err(|_| Error::invalid("top", "N is a positive number"))?;
    portfolio::sensitivity::sensitivity(&s.ctx()?, top).await
}

#[tauri::command]
pub async fn matrix_get(s: Ctl<'_>, req: Filters) -> Result<Matrix> {
    portfolio::matrix::matrix(&s.ctx()?, &req).await
}

#[tauri::command]
pub async fn kpi_list(s: Ctl<'_>, req: String) -> Result<Vec<Kpi>> {
    kpi::list(&s.ctx()?, &req).await
}

#[tauri::command]
pub async fn kpi_add(s: Ctl<'_>, req: NewKpi) -> Result<Kpi> {
    kpi::add(&s.ctx()?, req).await
}

#[tauri::command]
pub async fn kpi_record(s: Ctl<'_>, req: RecordActual) -> Result<Kpi> {
    kpi::record(&s.ctx()?, req).await
}

/// Marks a review point now, with an optional note.
#[tauri::command]
pub async fn review_mark(s: Ctl<'_>, req: Option<String>) -> Result<ReviewMark> {
    review::mark(&s.ctx()?, req.as_deref()).await
}

#[tauri::command]
pub async fn review_changes(s: Ctl<'_>) -> Result<ReviewChanges> {
    review::changes(&s.ctx()?).await
}

/// Saves a chart the UI drew; `false` when the person cancels the dialog.
#[tauri::command]
pub async fn chart_save_png(app: AppHandle, req: ChartImage) -> Result<bool> {
    let file = format!("{}-{}.png", req.name, today());
    let Some(path) = file_dialog::save(&app, "Save the chart as PNG", &file).await else {
        return Ok(false);
    };
    portfolio::chart_image::save(&path, &req.data_url)?;
    Ok(true)
}

#[tauri::command]
pub async fn pattern_catalogue(s: Ctl<'_>) -> Result<Catalogue> {
    pattern::catalogue(&s.ctx()?).await
}

#[tauri::command]
pub async fn pattern_add(s: Ctl<'_>, req: PatternInput) -> Result<Pattern> {
    pattern::add(&s.ctx()?, req).await
}

#[tauri::command]
pub async fn pattern_edit(s: Ctl<'_>, req: PatternInput) -> Result<Pattern> {
    pattern::edit(&s.ctx()?, req).await
}

/// Retires (`true`) or brings back (`false`) the pattern `req.0`.
#[tauri::command]
pub async fn pattern_retire(s: Ctl<'_>, req: (String, bool)) -> Result<Pattern> {
    pattern::retire(&s.ctx()?, &req.0, req.1).await
}

#[tauri::command]
pub async fn use_case_map_pattern(s: Ctl<'_>, req: MapPattern) -> Result<UseCase> {
    pattern::map(&s.ctx()?, req).await
}

/// Takes the pattern `req.1` off the use case `req.0`.
#[tauri::command]
pub async fn use_case_unmap_pattern(s: Ctl<'_>, req: (String, String)) -> Result<UseCase> {
    pattern::unmap(&s.ctx()?, &req.0, &req.1).await
}

#[tauri::command]
pub async fn use_case_set_control(s: Ctl<'_>, req: SetControl) -> Result<UseCase> {
    pattern::set_control(&s.ctx()?, req).await
}

/// The use cases most like a draft being typed (or an edit of one).
#[tauri::command]
pub async fn similar_to_draft(s: Ctl<'_>, req: Draft) -> Result<Vec<Similar>> {
    similar::similar_to(&s.ctx()?, &req).await
}

/// The triage questions, with the rule set's source, date and disclaimer.
#[tauri::command]
pub async fn triage_rules() -> Result<portfolio::triage::RuleSet> {
    Ok(portfolio::triage::rule_set().clone())
}

#[tauri::command]
pub async fn use_case_triage(s: Ctl<'_>, req: portfolio::triage::RecordTriage) -> Result<UseCase> {
    portfolio::triage::record(&s.ctx()?, req).await
}

/// Merges `req.1` into `req.0`; the survivor comes back.
#[tauri::command]
pub async fn use_case_merge(s: Ctl<'_>, req: (String, String)) -> Result<UseCase> {
    portfolio::merge::merge(&s.ctx()?, &req.0, &req.1).await
}

/// Likely duplicate pairs, at the engine's default similarity.
#[tauri::command]
pub async fn duplicate_pairs(s: Ctl<'_>) -> Result<Vec<DuplicatePair>> {
    similar::duplicates(&s.ctx()?, similar::DUPLICATE_AT, 500).await
}

/// Where this desktop stands with the registry: for the status line and the Sync view.
#[tauri::command]
pub async fn sync_status(s: Ctl<'_>) -> Result<sync::SyncStatus> {
    sync::status(&s.ctx()?).await
}

/// Connects to a registry with a token (saved in the OS keyring once it works) and syncs.
#[tauri::command]
pub async fn sync_connect(s: Ctl<'_>, req: (String, String)) -> Result<SyncReport> {
    let registry = client::Registry {
        url: req.0,
        token: req.1,
    };
    client::connect(&s.ctx()?, &registry).await
}

/// Syncs now with the saved registry and token (the UI also calls this every few minutes).
#[tauri::command]
pub async fn sync_now(s: Ctl<'_>) -> Result<SyncReport> {
    let ctx = s.ctx()?;
    client::run(&ctx, &client::saved(&ctx).await?).await
}

#[tauri::command]
pub async fn sync_conflicts(s: Ctl<'_>) -> Result<Vec<conflict::Conflict>> {
    conflict::list(&s.ctx()?).await
}

#[tauri::command]
pub async fn sync_resolve(
    s: Ctl<'_>,
    req: (String, conflict::Resolution),
) -> Result<conflict::Conflict> {
    conflict::resolve(&s.ctx()?, &req.0, req.1).await
}

/// Undoes a change the registry refused.
#[tauri::command]
pub async fn sync_revert(s: Ctl<'_>, req: String) -> Result<()> {
    sync::apply::revert(&s.ctx()?, &req).await
}

pub fn handler() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
    tauri::generate_handler![
        sync_status,
        sync_connect,
        sync_now,
        sync_conflicts,
        sync_resolve,
        sync_revert,
        store_status,
        identity_get,
        identity_set,
        use_case_list,
        filter_choices,
        use_case_get,
        use_case_create,
        use_case_set_fields,
        use_case_set_score,
        use_case_set_owner,
        use_case_stage_options,
        use_case_move_stage,
        use_case_history,
        use_case_timeline,
        use_case_model_scores,
        people_list,
        scoring_model_get,
        scoring_model_save,
        gate_rules_get,
        demo_load,
        use_case_set_archived,
        use_case_delete,
        store_backup,
        store_restore,
        gate_rules_save,
        preferences_get,
        preferences_save,
        saved_view_list,
        saved_view_save,
        saved_view_delete,
        bulk_edit,
        first_page_shown,
        export_choose_path,
        export_run,
        import_choose_file,
        import_run,
        task_cancel,
        dashboard_get,
        sensitivity_get,
        matrix_get,
        kpi_list,
        kpi_add,
        kpi_record,
        review_mark,
        review_changes,
        chart_save_png,
        pattern_catalogue,
        pattern_add,
        pattern_edit,
        pattern_retire,
        use_case_map_pattern,
        use_case_unmap_pattern,
        use_case_set_control,
        similar_to_draft,
        duplicate_pairs,
        use_case_merge,
        triage_rules,
        use_case_triage,
    ]
}
