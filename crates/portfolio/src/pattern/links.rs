//! A use case's side of the catalogue, as the use case shows it: the patterns it is mapped
//! to and the controls it inherits from them, each with its status there.

use serde::{Deserialize, Serialize};
use sqlx::SqliteConnection;
use ts_rs::TS;

use crate::error::Result;
use domain::pattern::ControlState;

/// A use case's link to a pattern, as the use case shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, sqlx::FromRow)]
#[ts(export)]
pub struct PatternLink {
    pub slug: String,
    pub name: String,
    pub primary: bool,
    pub retired: bool,
}

/// A control a use case inherits from its patterns, with its status there.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct InheritedControl {
    pub slug: String,
    pub name: String,
    pub description: String,
    pub status: ControlState,
    pub note: Option<String>,
    /// The patterns it comes from.
    pub from: Vec<String>,
}

/// The patterns a use case is mapped to, primary first.
pub(crate) async fn links(
    conn: &mut SqliteConnection,
    use_case_id: &str,
) -> Result<Vec<PatternLink>> {
    Ok(sqlx::query_as(
        "SELECT p.slug, p.name, up.is_primary AS \"primary\", p.retired FROM use_case_patterns up
         JOIN patterns p ON p.slug = up.pattern_slug WHERE up.use_case_id = ?
         ORDER BY up.is_primary DESC, p.name COLLATE NOCASE",
    )
    .bind(use_case_id)
    .fetch_all(&mut *conn)
    .await?)
}

/// The controls a use case inherits from its patterns, in the patterns' order (primary first).
pub(crate) async fn inherited(
    conn: &mut SqliteConnection,
    use_case_id: &str,
) -> Result<Vec<InheritedControl>> {
    #[derive(sqlx::FromRow)]
    struct Row {
        slug: String,
        name: String,
        description: String,
        pattern: String,
        status: Option<String>,
        note: Option<String>,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT c.slug, c.name, c.description, up.pattern_slug AS pattern, s.status, s.note
         FROM use_case_patterns up
         JOIN pattern_controls pc ON pc.pattern_slug = up.pattern_slug
         JOIN controls c ON c.slug = pc.control_slug
         LEFT JOIN use_case_controls s ON s.use_case_id = up.use_case_id AND s.control_slug = c.slug
         WHERE up.use_case_id = ?
         ORDER BY up.is_primary DESC, up.pattern_slug, pc.position",
    )
    .bind(use_case_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut out: Vec<InheritedControl> = Vec::new();
    for r in rows {
        if let Some(c) = out.iter_mut().find(|c| c.slug == r.slug) {
            c.from.push(r.pattern);
            continue;
        }
        out.push(InheritedControl {
            status: r
                .status
                .as_deref()
                .map(ControlState::parse)
                .transpose()?
                .unwrap_or(ControlState::Open),
            slug: r.slug,
            name: r.name,
            description: r.description,
            note: r.note,
            from: vec![r.pattern],
        });
    }
    Ok(out)
}
