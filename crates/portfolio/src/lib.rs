//! AI Factory Portfolio's engine: domain rules, scoring, stage gates and the SQLite store.
//! The desktop shell and the CLI are thin layers over the functions exported here.

pub mod backup;
pub mod bulk;
pub mod change_log;
pub mod chart_image;
pub mod ctx;
pub mod dashboard;
pub mod demo;
pub mod export;
pub mod import;
pub mod intake;
pub mod kpi;
pub mod matrix;
pub mod merge;
pub mod pattern;
pub mod person;
pub mod review;
pub mod sample;
pub mod saved_view;
mod scratch;
pub mod sensitivity;
pub mod settings;
pub mod sheet_text;
pub mod similar;
pub mod stage_move;
pub mod store;
pub mod sync;
pub mod task;
pub mod triage;
pub mod use_case;
pub mod view;

// The domain's modules, under the names the engine and its callers have always used.
pub use domain::{error, field, gate, owner, scoring, stage};
pub use domain::{now, timestamp};

pub use ctx::{Ctx, Identity};
pub use error::{Error, ErrorCode, Result};
pub use store::OpenMode;
