//! The IPC surface, declared once: each command's name, request, response and what it is
//! for, as a one-line adapter over an engine function. From this one list come the Tauri
//! commands, the handler that registers them and the TypeScript `Api` the UI calls them
//! through (`ui/src/bindings/api.ts`, written by `cargo test`). Adding a command is adding
//! it here.

use portfolio::bulk::{BulkEdit, BulkResult};
use portfolio::change_log::HistoryEntry;
use portfolio::chart_image::ChartImage;
use portfolio::dashboard::Dashboard;
use portfolio::export::{ExportFormat, ExportRequest, ExportSummary};
use portfolio::gate::GateRules;
use portfolio::import::{ImportReport, ImportRequest};
use portfolio::kpi::{Kpi, NewKpi, RecordActual};
use portfolio::matrix::Matrix;
use portfolio::merge::Merge;
use portfolio::pattern::{
    Catalogue, MapPattern, Pattern, PatternInput, RetirePattern, SetControl, UnmapPattern,
};
use portfolio::person::Person;
use portfolio::review::{ReviewChanges, ReviewMark};
use portfolio::saved_view::{SaveView, SavedView};
use portfolio::scoring::ScoringModel;
use portfolio::sensitivity::Sensitivity;
use portfolio::settings::Preferences;
use portfolio::similar::{Draft, DuplicatePair, Similar};
use portfolio::stage_move::{MoveStage, StageOption};
use portfolio::sync::SyncStatus;
use portfolio::sync::client::{Registry, SyncReport};
use portfolio::sync::conflict::{Conflict, Resolve};
use portfolio::task::{OnProgress, Progress};
use portfolio::triage::{RecordTriage, RuleSet};
use portfolio::use_case::{
    ModelScore, NewUseCase, SetArchived, SetFields, SetOwner, SetScore, UseCase,
};
use portfolio::view::{FilterChoices, Filters, ListQuery, Page};
use portfolio::{Error, Identity, Result};
use portfolio::{
    backup, bulk, demo, kpi, merge, pattern, person, review, saved_view, settings, similar,
    stage_move, sync, use_case, view,
};
use tauri::{AppHandle, Emitter, State};

use crate::file_dialog;
use crate::state::{AppState, Purpose};

/// Declares the commands: each `fn name(state, app[, req: Request]) -> Response { body }`
/// becomes a Tauri command (`state` and `app` are Tauri's to fill; an error it answers is
/// written to the log), an entry of the handler, and an entry of the TypeScript `Api` with
/// its doc comment.
macro_rules! commands {
    ($(
        $(#[doc = $doc:literal])*
        fn $name:ident($s:ident, $app:ident $(, $req:ident: $Req:ty)?) -> $Res:ty $body:block
    )*) => {
        $(
            $(#[doc = $doc])*
            #[tauri::command]
            #[allow(unused_variables)]
            pub async fn $name(
                $s: State<'_, AppState>,
                $app: AppHandle,
                $($req: $Req)?
            ) -> Result<$Res> {
                let answered: Result<$Res> = async $body.await;
                if let Err(e) = &answered {
                    crate::log::failed(stringify!($name), e);
                }
                answered
            }
        )*

        pub fn handler() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
            tauri::generate_handler![$($name),*]
        }

        /// Every command, as the TypeScript `Api` declares it.
        #[cfg(test)]
        pub fn surface() -> Vec<crate::api::Command> {
            vec![$(crate::api::Command {
                name: stringify!($name),
                docs: vec![$($doc),*],
                request: commands!(@request $($Req)?),
                response: crate::api::Ts::of::<$Res>(),
            }),*]
        }
    };
    (@request $Req:ty) => { Some(crate::api::Ts::of::<$Req>()) };
    (@request) => { None };
}

commands! {
    /// Where the open store is.
    fn store_status(s, app) -> String {
        Ok(s.ctx()?.store().path().display().to_string())
    }
    /// Who uses this desktop, once they have said.
    fn identity_get(s, app) -> Option<Identity> {
        s.ctx()?.identity().await
    }
    fn identity_set(s, app, req: Identity) -> Identity {
        person::set_identity(&s.ctx()?, req).await
    }
    fn use_case_list(s, app, req: ListQuery) -> Page {
        view::list(&s.ctx()?, req).await
    }
    fn filter_choices(s, app) -> FilterChoices {
        view::filter_choices(&s.ctx()?).await
    }
    /// A use case by its id.
    fn use_case_get(s, app, req: String) -> UseCase {
        use_case::get(&s.ctx()?, &req).await
    }
    fn use_case_create(s, app, req: NewUseCase) -> UseCase {
        use_case::create(&s.ctx()?, req).await
    }
    fn use_case_set_fields(s, app, req: SetFields) -> UseCase {
        use_case::set_fields(&s.ctx()?, req).await
    }
    fn use_case_set_score(s, app, req: SetScore) -> UseCase {
        use_case::set_score(&s.ctx()?, req).await
    }
    fn use_case_set_owner(s, app, req: SetOwner) -> UseCase {
        use_case::set_owner(&s.ctx()?, req).await
    }
    /// The moves a use case (by its id) may make, each with its gate checklist.
    fn use_case_stage_options(s, app, req: String) -> Vec<StageOption> {
        stage_move::stage_options(&s.ctx()?, &req).await
    }
    fn use_case_move_stage(s, app, req: MoveStage) -> UseCase {
        stage_move::move_stage(&s.ctx()?, req).await
    }
    /// A use case's whole change log (by its id), oldest first.
    fn use_case_history(s, app, req: String) -> Vec<HistoryEntry> {
        use_case::history(&s.ctx()?, &req).await
    }
    /// A use case's stage moves (by its id), oldest first.
    fn use_case_timeline(s, app, req: String) -> Vec<HistoryEntry> {
        stage_move::timeline(&s.ctx()?, &req).await
    }
    /// What each scoring-model version scored a use case (by its id).
    fn use_case_model_scores(s, app, req: String) -> Vec<ModelScore> {
        use_case::model_scores(&s.ctx()?, &req).await
    }
    fn people_list(s, app) -> Vec<Person> {
        person::all(&s.ctx()?).await
    }
    fn scoring_model_get(s, app) -> ScoringModel {
        s.ctx()?.scoring_model().await
    }
    /// Saves as a new version (the request's `version` is ignored).
    fn scoring_model_save(s, app, req: ScoringModel) -> ScoringModel {
        settings::save_scoring_model(&s.ctx()?, req).await
    }
    fn gate_rules_get(s, app) -> GateRules {
        s.ctx()?.gate_rules().await
    }
    /// Saves as a new version (the request's `version` is ignored).
    fn gate_rules_save(s, app, req: GateRules) -> GateRules {
        settings::save_gate_rules(&s.ctx()?, req).await
    }
    /// Loads the demo portfolio into an empty store: how many use cases it added.
    fn demo_load(s, app) -> usize {
        demo::load(&s.ctx()?).await
    }
    fn use_case_set_archived(s, app, req: SetArchived) -> UseCase {
        use_case::set_archived(&s.ctx()?, &req.id, req.archived).await
    }
    /// Deletes a use case (by its id); its history stays in the change log.
    fn use_case_delete(s, app, req: String) -> () {
        use_case::delete(&s.ctx()?, &req).await
    }
    /// Asks where (a native save dialog) and writes a copy there: the path, or null if cancelled.
    fn store_backup(s, app) -> Option<String> {
        let name = format!("portfolio-backup-{}.db", today());
        let Some(to) = file_dialog::save(&app, "Back up the portfolio", &name).await else {
            return Ok(None);
        };
        backup::backup(&s.ctx()?, &to, true)
            .await
            .map(|()| Some(to.display().to_string()))
    }
    /// Asks for a backup (a native open dialog) and replaces the store: where the old one was kept, or null if cancelled.
    fn store_restore(s, app) -> Option<String> {
        let Some(from) = file_dialog::open(&app, "Restore the portfolio from a backup").await
        else {
            return Ok(None);
        };
        s.restore(&from).await.map(Some)
    }
    fn preferences_get(s, app) -> Preferences {
        settings::preferences(&s.ctx()?).await
    }
    fn preferences_save(s, app, req: Preferences) -> Preferences {
        settings::save_preferences(&s.ctx()?, req).await
    }
    /// By name. The queries come back whole: empty lists, `false` and `null` where nothing is set.
    fn saved_view_list(s, app) -> Vec<SavedView> {
        saved_view::list(&s.ctx()?).await
    }
    /// A view with the same name is replaced.
    fn saved_view_save(s, app, req: SaveView) -> SavedView {
        saved_view::save(&s.ctx()?, req).await
    }
    /// Deletes a saved view by its id.
    fn saved_view_delete(s, app, req: String) -> () {
        saved_view::delete(&s.ctx()?, &req).await
    }
    /// Each use case is edited on its own: the result says which changed and why the others did not.
    fn bulk_edit(s, app, req: BulkEdit) -> BulkResult {
        bulk::apply(&s.ctx()?, req).await
    }
    /// The UI reports its first page of the portfolio on screen; with `PORTFOLIO_STARTUP_REPORT=FILE` (set by `portfolio bench`) the time since the process started is written there.
    fn first_page_shown(s, app) -> () {
        if let Some(file) = std::env::var_os("PORTFOLIO_STARTUP_REPORT") {
            let ms = s.started.elapsed().as_secs_f64() * 1000.0;
            std::fs::write(file, format!("{ms:.0}\n"))?;
        }
        Ok(())
    }
    /// Asks where to save an export (a native save dialog): the path, or null if cancelled.
    fn export_choose_path(s, app, req: ExportFormat) -> Option<String> {
        let name = match req {
            ExportFormat::Xlsx => format!("ai-portfolio-{}.xlsx", today()),
            ExportFormat::Csv => format!("ai-portfolio-{}.csv", today()),
        };
        let picked = file_dialog::save(&app, "Export the portfolio", &name).await;
        Ok(picked.map(|p| s.pick(Purpose::Export, p)))
    }
    /// Long: reports `task-progress` events and rejects with `cancelled` after `task_cancel`.
    /// The path is the one `export_choose_path` answered (any other is `forbidden`).
    fn export_run(s, app, req: ExportRequest) -> ExportSummary {
        s.check_picked(Purpose::Export, &req.path)?;
        portfolio::export::export(&s.ctx()?, req, progress(&app), s.start_task()).await
    }
    /// Asks which file to import (a native open dialog): the path, or null if cancelled.
    fn import_choose_file(s, app) -> Option<String> {
        let picked = file_dialog::open(&app, "Import use cases from a spreadsheet").await;
        Ok(picked.map(|p| s.pick(Purpose::Import, p)))
    }
    /// Long, like `export_run`. `dry_run` previews and writes nothing; otherwise rows with problems
    /// refuse the whole file (`validation`, the problems as details) unless `skip_invalid`.
    /// The path is the one `import_choose_file` answered (any other is `forbidden`).
    fn import_run(s, app, req: ImportRequest) -> ImportReport {
        s.check_picked(Purpose::Import, &req.path)?;
        portfolio::import::import(&s.ctx()?, req, progress(&app), s.start_task()).await
    }
    /// Stops the export or import now running; that call then rejects with `cancelled`.
    fn task_cancel(s, app) -> () {
        s.cancel_task();
        Ok(())
    }
    fn dashboard_get(s, app) -> Dashboard {
        portfolio::dashboard::dashboard(&s.ctx()?).await
    }
    /// The request is N, the top-N line of the ranking (10 by default).
    fn sensitivity_get(s, app, req: i32) -> Sensitivity {
        let top =
            usize::try_from(req).map_err(|_| Error::invalid("top", "N is a positive number"))?;
        portfolio::sensitivity::sensitivity(&s.ctx()?, top).await
    }
    /// Scored use cases the filters allow, highest priority first, and how many are unscored.
    fn matrix_get(s, app, req: Filters) -> Matrix {
        portfolio::matrix::matrix(&s.ctx()?, &req).await
    }
    /// A use case's KPIs (by its id), in the order they were added.
    fn kpi_list(s, app, req: String) -> Vec<Kpi> {
        kpi::list(&s.ctx()?, &req).await
    }
    /// Refused with `conflict` (field `name`) when the use case has a KPI of that name.
    fn kpi_add(s, app, req: NewKpi) -> Kpi {
        kpi::add(&s.ctx()?, req).await
    }
    /// A second value for the same day replaces the first.
    fn kpi_record(s, app, req: RecordActual) -> Kpi {
        kpi::record(&s.ctx()?, req).await
    }
    /// Marks a review point now; the request is its optional note.
    fn review_mark(s, app, req: Option<String>) -> ReviewMark {
        review::mark(&s.ctx()?, req.as_deref()).await
    }
    /// Rejects with `not_found` until a review point is marked.
    fn review_changes(s, app) -> ReviewChanges {
        review::changes(&s.ctx()?).await
    }
    /// Where the app's log is written (rotated, a few files kept).
    fn log_file(s, app) -> String {
        crate::log::file(&app).map(|f| f.display().to_string())
    }
    /// Shows the log in the system's file manager.
    fn log_file_show(s, app) -> () {
        use tauri_plugin_opener::OpenerExt;
        let file = crate::log::file(&app)?;
        app.opener()
            .reveal_item_in_dir(&file)
            .map_err(|e| Error::io(format!("cannot show {}: {e}", file.display())))
    }
    /// Asks where (a native save dialog) and writes the PNG: false if cancelled.
    fn chart_save_png(s, app, req: ChartImage) -> bool {
        let file = format!("{}-{}.png", req.name, today());
        let Some(path) = file_dialog::save(&app, "Save the chart as PNG", &file).await else {
            return Ok(false);
        };
        portfolio::chart_image::save(&path, &req.data_url)?;
        Ok(true)
    }
    /// Every pattern (retired ones last) with its controls, reuse and stage spread; and how many use cases have none.
    fn pattern_catalogue(s, app) -> Catalogue {
        pattern::catalogue(&s.ctx()?).await
    }
    /// Refused with `conflict` (field `slug`) when the slug is taken; a new control needs a name.
    fn pattern_add(s, app, req: PatternInput) -> Pattern {
        pattern::add(&s.ctx()?, req).await
    }
    /// Replaces name, description, components and controls; `stale` if `expect_version` moved on.
    fn pattern_edit(s, app, req: PatternInput) -> Pattern {
        pattern::edit(&s.ctx()?, req).await
    }
    /// A retired pattern keeps its use cases and takes no new ones; `retired: false` brings it back.
    fn pattern_retire(s, app, req: RetirePattern) -> Pattern {
        pattern::retire(&s.ctx()?, &req.slug, req.retired).await
    }
    /// Maps (or makes primary) a pattern; the use case comes back with its patterns and inherited controls.
    fn use_case_map_pattern(s, app, req: MapPattern) -> UseCase {
        pattern::map(&s.ctx()?, req).await
    }
    /// Takes a pattern off a use case.
    fn use_case_unmap_pattern(s, app, req: UnmapPattern) -> UseCase {
        pattern::unmap(&s.ctx()?, &req.use_case_id, &req.pattern_slug).await
    }
    /// Only a control the use case inherits from its patterns.
    fn use_case_set_control(s, app, req: SetControl) -> UseCase {
        pattern::set_control(&s.ctx()?, req).await
    }
    /// The use cases most like a draft being typed (`exclude`: the one being edited), most similar first.
    fn similar_to_draft(s, app, req: Draft) -> Vec<Similar> {
        similar::similar_to(&s.ctx()?, &req).await
    }
    /// Likely duplicate pairs (similarity 0.6 or more), most similar first, at most 500.
    fn duplicate_pairs(s, app) -> Vec<DuplicatePair> {
        similar::duplicates(&s.ctx()?, similar::DUPLICATE_AT, 500).await
    }
    /// The other use case is merged into the one kept, which comes back.
    fn use_case_merge(s, app, req: Merge) -> UseCase {
        merge::merge(&s.ctx()?, &req.keep_id, &req.other_id).await
    }
    /// The triage questions with the rule set's version, source, date and disclaimer.
    fn triage_rules(s, app) -> RuleSet {
        Ok(portfolio::triage::rule_set().clone())
    }
    /// Records (replaces) the use case's triage; unknown question ids are refused.
    fn use_case_triage(s, app, req: RecordTriage) -> UseCase {
        portfolio::triage::record(&s.ctx()?, req).await
    }
    /// Where this desktop stands with the registry: address, saved token, last sync, pending, conflicts, refused changes.
    fn sync_status(s, app) -> SyncStatus {
        sync::status(&s.ctx()?).await
    }
    /// Checks the token (its user must be this desktop's identity), syncs, and only then saves the token in the OS
    /// keyring. Refused with `unauthenticated`, `forbidden`, `unreachable`, or `validation` (field `registry`) for an
    /// address that is not http(s).
    fn sync_connect(s, app, req: Registry) -> SyncReport {
        sync::client::connect(&s.ctx()?, &req).await
    }
    /// Syncs with the saved registry and token (the UI also calls this every few minutes).
    fn sync_now(s, app) -> SyncReport {
        let ctx = s.ctx()?;
        sync::client::run(&ctx, &sync::client::saved(&ctx).await?).await
    }
    /// The open conflicts.
    fn sync_conflicts(s, app) -> Vec<Conflict> {
        sync::conflict::list(&s.ctx()?).await
    }
    /// Written here at once, sent at the next sync. A typed value is refused with `validation` (its field set).
    fn sync_resolve(s, app, req: Resolve) -> Conflict {
        sync::conflict::resolve(&s.ctx()?, &req.conflict_id, req.resolution).await
    }
    /// The refused change's id: puts the registry's value back (a refused new use case is removed).
    fn sync_revert(s, app, req: String) -> () {
        sync::apply::revert(&s.ctx()?, &req).await
    }
}

fn today() -> String {
    portfolio::now()[..10].to_owned()
}

/// Long operations report progress to the window as `task-progress` events.
fn progress(app: &AppHandle) -> OnProgress {
    let app = app.clone();
    std::sync::Arc::new(move |p: Progress| {
        let _ = app.emit("task-progress", p);
    })
}

/// The events the backend sends the window, with their payloads.
#[cfg(test)]
pub fn events() -> Vec<crate::api::Event> {
    vec![crate::api::Event {
        name: "task-progress",
        docs: vec![" A long operation's progress (export, import)."],
        payload: crate::api::Ts::of::<Progress>(),
    }]
}
