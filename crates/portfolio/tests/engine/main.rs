//! The engine's integration tests: every scenario runs against a fresh store in a
//! temporary directory, through the same functions the app and the CLI call. One file per
//! topic; `support` holds what they share.

mod comforts;
mod dashboard_figures;
mod merging;
mod module_graph;
mod outcomes;
mod patterns;
mod reviews;
mod risk_triage;
mod rules_combined;
mod running_totals;
mod served_changes;
mod settings_and_bulk;
mod similarity;
mod spreadsheets;
mod store_files;
mod store_safety;
mod support;
mod ui_answers;
mod use_cases;
mod weight_sensitivity;
