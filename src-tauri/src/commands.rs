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
use tauri::State;

/// The open store, or why it could not be opened (shown by the UI instead of a crash).
pub struct AppState(std::result::Result<Ctx, Error>);

impl AppState {
    pub fn new(opened: Result<Ctx>) -> Self {
        AppState(opened)
    }

    fn ctx(&self) -> Result<&Ctx> {
        self.0.as_ref().map_err(Clone::clone)
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
    view::list(s.ctx()?, req).await
}

#[tauri::command]
pub async fn filter_choices(s: Ctl<'_>) -> Result<FilterChoices> {
    view::filter_choices(s.ctx()?).await
}

#[tauri::command]
pub async fn use_case_get(s: Ctl<'_>, req: String) -> Result<UseCase> {
    use_case::get(s.ctx()?, &req).await
}

#[tauri::command]
pub async fn use_case_create(s: Ctl<'_>, req: NewUseCase) -> Result<UseCase> {
    use_case::create(s.ctx()?, req).await
}

#[tauri::command]
pub async fn use_case_set_fields(s: Ctl<'_>, req: SetFields) -> Result<UseCase> {
    use_case::set_fields(s.ctx()?, req).await
}

#[tauri::command]
pub async fn use_case_set_score(s: Ctl<'_>, req: SetScore) -> Result<UseCase> {
    use_case::set_score(s.ctx()?, req).await
}

#[tauri::command]
pub async fn use_case_set_owner(s: Ctl<'_>, req: SetOwner) -> Result<UseCase> {
    use_case::set_owner(s.ctx()?, req).await
}

#[tauri::command]
pub async fn use_case_stage_options(s: Ctl<'_>, req: String) -> Result<Vec<StageOption>> {
    stage_move::stage_options(s.ctx()?, &req).await
}

#[tauri::command]
pub async fn use_case_move_stage(s: Ctl<'_>, req: MoveStage) -> Result<UseCase> {
    stage_move::move_stage(s.ctx()?, req).await
}

#[tauri::command]
pub async fn use_case_history(s: Ctl<'_>, req: String) -> Result<Vec<HistoryEntry>> {
    use_case::history(s.ctx()?, &req).await
}

#[tauri::command]
pub async fn use_case_timeline(s: Ctl<'_>, req: String) -> Result<Vec<HistoryEntry>> {
    stage_move::timeline(s.ctx()?, &req).await
}

#[tauri::command]
pub async fn use_case_model_scores(s: Ctl<'_>, req: String) -> Result<Vec<ModelScore>> {
    use_case::model_scores(s.ctx()?, &req).await
}

#[tauri::command]
pub async fn people_list(s: Ctl<'_>) -> Result<Vec<Person>> {
    person::all(s.ctx()?).await
}

#[tauri::command]
pub async fn scoring_model_get(s: Ctl<'_>) -> Result<ScoringModel> {
    s.ctx()?.scoring_model().await
}

#[tauri::command]
pub async fn scoring_model_save(s: Ctl<'_>, req: ScoringModel) -> Result<ScoringModel> {
    settings::save_scoring_model(s.ctx()?, req).await
}

#[tauri::command]
pub async fn gate_rules_get(s: Ctl<'_>) -> Result<GateRules> {
    s.ctx()?.gate_rules().await
}

#[tauri::command]
pub async fn demo_load(s: Ctl<'_>) -> Result<usize> {
    demo::load(s.ctx()?).await
}

pub fn handler() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
    tauri::generate_handler![
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
    ]
}
