//! The portfolio view: filters, sort and paging, all run in SQLite (indexes and FTS5) so
//! no caller ever holds the whole portfolio.

use serde::{Deserialize, Serialize};
use sqlx::sqlite::SqliteArguments;
use sqlx::{Arguments, FromRow};
use ts_rs::TS;

use crate::ctx::Ctx;
use crate::error::{Error, Result};
use crate::owner::Owners;
use crate::person::Email;
use crate::scoring::Quadrant;
use crate::stage::Stage;

/// Filters shared by every view (and, later, exports). A filter given several values
/// means any of them; different filters all apply.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct Filters {
    #[ts(optional, as = "Option<Vec<Stage>>")]
    pub stage: Vec<Stage>,
    #[ts(optional, as = "Option<Vec<String>>")]
    pub business_unit: Vec<String>,
    /// Owner emails, any role.
    #[ts(optional, as = "Option<Vec<String>>")]
    pub owner: Vec<String>,
    #[ts(optional, as = "Option<Vec<Quadrant>>")]
    pub quadrant: Vec<Quadrant>,
    #[ts(optional, as = "Option<Vec<String>>")]
    pub tag: Vec<String>,
    /// Plain words matched against title and text.
    #[ts(optional)]
    pub search: Option<String>,
    #[ts(optional, as = "Option<bool>")]
    pub include_archived: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct ListQuery {
    #[serde(flatten)]
    #[ts(flatten)]
    pub filters: Filters,
    /// `FIELD` or `FIELD:desc`; default: priority, highest first.
    #[ts(optional)]
    pub sort: Option<String>,
    #[ts(optional)]
    pub offset: Option<i32>,
    #[ts(optional)]
    pub limit: Option<i32>,
}

/// One row of the portfolio table (`list --json`).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct UseCaseSummary {
    pub id: String,
    pub title: String,
    pub stage: Stage,
    pub business_unit: String,
    pub value_score: Option<f64>,
    pub feasibility_score: Option<f64>,
    pub priority: Option<f64>,
    pub quadrant: Option<Quadrant>,
    pub owners: Owners,
    pub tags: Vec<String>,
    pub archived: bool,
    pub updated_at: String,
    pub created_at: String,
    pub expected_benefit: Option<f64>,
    pub stage_since: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Page {
    /// Rows matching the filters, over all pages.
    pub total: i32,
    pub rows: Vec<UseCaseSummary>,
}

#[derive(FromRow)]
struct SummaryRow {
    id: String,
    title: String,
    stage: String,
    business_unit: String,
    value_score: Option<f64>,
    feasibility_score: Option<f64>,
    priority: Option<f64>,
    quadrant: Option<String>,
    owner_business: Option<String>,
    owner_technical: Option<String>,
    owner_data: Option<String>,
    owner_risk: Option<String>,
    tags: String,
    archived: bool,
    updated_at: String,
    created_at: String,
    expected_benefit: Option<f64>,
    stage_since: String,
}

impl TryFrom<SummaryRow> for UseCaseSummary {
    type Error = Error;
    fn try_from(r: SummaryRow) -> Result<Self> {
        Ok(UseCaseSummary {
            stage: Stage::parse(&r.stage)?,
            quadrant: r.quadrant.as_deref().map(Quadrant::parse).transpose()?,
            owners: Owners {
                business: r.owner_business,
                technical: r.owner_technical,
                data: r.owner_data,
                risk: r.owner_risk,
            },
            tags: serde_json::from_str(&r.tags)?,
            id: r.id,
            title: r.title,
            business_unit: r.business_unit,
            value_score: r.value_score,
            feasibility_score: r.feasibility_score,
            priority: r.priority,
            archived: r.archived,
            updated_at: r.updated_at,
            created_at: r.created_at,
            expected_benefit: r.expected_benefit,
            stage_since: r.stage_since,
        })
    }
}

/// Fields `--sort` accepts, with the SQL that orders by each.
const SORTS: [(&str, &str); 12] = [
    ("title", "u.title COLLATE NOCASE"),
    ("stage", Stage::SQL_ORDER),
    ("business_unit", "u.business_unit COLLATE NOCASE"),
    ("value_score", "u.value_score"),
    ("feasibility_score", "u.feasibility_score"),
    ("priority", "u.priority"),
    ("quadrant", "u.quadrant"),
    ("updated_at", "u.updated_at"),
    ("created_at", "u.created_at"),
    ("expected_benefit", "u.expected_benefit"),
    ("archived", "u.archived"),
    ("id", "u.id"),
];

fn order_by(sort: Option<&str>) -> Result<String> {
    const TIES: &str =
        "u.priority DESC NULLS LAST, u.value_score DESC NULLS LAST, u.title COLLATE NOCASE, u.id";
    let Some(sort) = sort.filter(|s| !s.is_empty()) else {
        return Ok(TIES.into());
    };
    let (field, dir) = match sort.split_once(':') {
        Some((f, "desc")) => (f, "DESC"),
        Some((f, "asc")) => (f, "ASC"),
        Some((_, d)) => {
            return Err(Error::invalid(
                "sort",
                format!("sort direction is `asc` or `desc`, not `{d}`"),
            ));
        }
        None => (sort, "ASC"),
    };
    let expr = SORTS
        .iter()
        .find(|(f, _)| *f == field)
        .map(|(_, e)| *e)
        .ok_or_else(|| {
            Error::invalid(
                "sort",
                format!(
                    "cannot sort by `{field}`; sortable fields are {}",
                    SORTS.map(|(f, _)| f).join(", ")
                ),
            )
        })?;
    // `NULLS LAST` only where a column can be null: on the others it would stop SQLite
    // from reading the order straight off an index.
    let nullable = [
        "value_score",
        "feasibility_score",
        "priority",
        "quadrant",
        "expected_benefit",
    ]
    .contains(&field);
    let nulls = if nullable { " NULLS LAST" } else { "" };
    Ok(format!("{expr} {dir}{nulls}, {TIES}"))
}

/// Turns plain words into an FTS5 query that matches them all (the last as a prefix, so
/// results follow typing). Quoting every word means `-20% churn` is just text.
pub fn fts_query(text: &str) -> Option<String> {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(16)
        .map(|w| format!("\"{w}\""))
        .collect();
    if words.is_empty() {
        return None;
    }
    Some(format!("{}*", words.join(" ")))
}

/// The WHERE clause and its arguments for a set of filters.
pub(crate) fn where_clause(f: &Filters) -> Result<(String, SqliteArguments)> {
    let mut sql = vec![];
    let mut args = SqliteArguments::default();
    let mut any = |sql: &mut Vec<String>, clause: &str, values: Vec<String>| {
        if values.is_empty() {
            return;
        }
        let marks = vec!["?"; values.len()].join(", ");
        sql.push(clause.replace("{}", &marks));
        for v in values {
            args.add(v).expect("a string binds");
        }
    };
    any(
        &mut sql,
        "u.stage IN ({})",
        f.stage.iter().map(|s| s.as_str().to_owned()).collect(),
    );
    any(&mut sql, "u.business_unit IN ({})", f.business_unit.clone());
    let owners = f
        .owner
        .iter()
        .map(|e| Email::parse(e).map(|e| e.as_str().to_owned()))
        .collect::<Result<Vec<_>>>()?;
    any(
        &mut sql,
        "EXISTS (SELECT 1 FROM use_case_owners o JOIN people p ON p.id = o.person_id WHERE o.use_case_id = u.id AND p.email IN ({}))",
        owners,
    );
    any(
        &mut sql,
        "u.quadrant IN ({})",
        f.quadrant.iter().map(|q| q.as_str().to_owned()).collect(),
    );
    any(
        &mut sql,
        "EXISTS (SELECT 1 FROM use_case_tags t WHERE t.use_case_id = u.id AND t.tag IN ({}))",
        f.tag.clone(),
    );
    if let Some(q) = f.search.as_deref().and_then(fts_query) {
        any(
            &mut sql,
            "u.rowid IN (SELECT rowid FROM use_cases_fts WHERE use_cases_fts MATCH {})",
            vec![q],
        );
    }
    if !f.include_archived {
        sql.push("u.archived = 0".into());
    }
    let clause = if sql.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", sql.join(" AND "))
    };
    Ok((clause, args))
}

const SUMMARY_COLUMNS: &str = "u.id, u.title, u.stage, u.business_unit, u.value_score, u.feasibility_score,
    u.priority, u.quadrant, u.tags, u.archived, u.updated_at, u.created_at, u.expected_benefit, u.stage_since,
    (SELECT p.email FROM use_case_owners o JOIN people p ON p.id = o.person_id WHERE o.use_case_id = u.id AND o.role = 'business') AS owner_business,
    (SELECT p.email FROM use_case_owners o JOIN people p ON p.id = o.person_id WHERE o.use_case_id = u.id AND o.role = 'technical') AS owner_technical,
    (SELECT p.email FROM use_case_owners o JOIN people p ON p.id = o.person_id WHERE o.use_case_id = u.id AND o.role = 'data') AS owner_data,
    (SELECT p.email FROM use_case_owners o JOIN people p ON p.id = o.person_id WHERE o.use_case_id = u.id AND o.role = 'risk') AS owner_risk";

/// One page of the portfolio, and how many rows match in all.
pub async fn list(ctx: &Ctx, q: ListQuery) -> Result<Page> {
    let order = order_by(q.sort.as_deref())?;
    let limit = q.limit.unwrap_or(-1);
    let offset = q.offset.unwrap_or(0).max(0);
    if limit < -1 {
        return Err(Error::invalid("limit", "a limit is a positive number"));
    }
    let (clause, args) = where_clause(&q.filters)?;
    let sql = format!(
        "SELECT {SUMMARY_COLUMNS} FROM use_cases u {clause} ORDER BY {order} LIMIT {limit} OFFSET {offset}"
    );
    let rows = sqlx::query_as_with::<_, SummaryRow, _>(sqlx::AssertSqlSafe(sql), args)
        .fetch_all(&ctx.store().read)
        .await?;
    let (clause, args) = where_clause(&q.filters)?;
    let total: i32 = sqlx::query_scalar_with(
        sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM use_cases u {clause}")),
        args,
    )
    .fetch_one(&ctx.store().read)
    .await?;
    Ok(Page {
        total,
        rows: rows
            .into_iter()
            .map(UseCaseSummary::try_from)
            .collect::<Result<_>>()?,
    })
}

/// What the filter chips can offer: the business units and tags in use.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct FilterChoices {
    pub business_units: Vec<String>,
    pub tags: Vec<String>,
    /// Use cases per stage, archived ones excluded (the sidebar's counts).
    pub stage_counts: Vec<(Stage, i32)>,
    pub total: i32,
}

pub async fn filter_choices(ctx: &Ctx) -> Result<FilterChoices> {
    let db = &ctx.store().read;
    let business_units = sqlx::query_scalar(
        "SELECT DISTINCT business_unit FROM use_cases WHERE business_unit <> '' ORDER BY business_unit COLLATE NOCASE",
    )
    .fetch_all(db)
    .await?;
    let tags =
        sqlx::query_scalar("SELECT DISTINCT tag FROM use_case_tags ORDER BY tag COLLATE NOCASE")
            .fetch_all(db)
            .await?;
    let counts: Vec<(String, i32)> =
        sqlx::query_as("SELECT stage, COUNT(*) FROM use_cases WHERE archived = 0 GROUP BY stage")
            .fetch_all(db)
            .await?;
    let stage_counts = counts
        .into_iter()
        .map(|(s, n)| Ok((Stage::parse(&s)?, n)))
        .collect::<Result<Vec<_>>>()?;
    let total = stage_counts.iter().map(|(_, n)| n).sum();
    Ok(FilterChoices {
        business_units,
        tags,
        stage_counts,
        total,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_words_are_quoted_so_operators_are_just_text() {
        assert_eq!(
            fts_query("-20% churn").as_deref(),
            Some("\"20\" \"churn\"*")
        );
        assert_eq!(
            fts_query("NOT OR \"x\"").as_deref(),
            Some("\"NOT\" \"OR\" \"x\"*")
        );
        assert_eq!(fts_query("  %% "), None);
    }

    #[test]
    fn unknown_sort_fields_are_refused_with_the_choices() {
        let e = order_by(Some("owners")).unwrap_err();
        assert!(
            e.message.contains("sortable fields are title"),
            "{}",
            e.message
        );
        assert!(
            order_by(Some("title:desc"))
                .unwrap()
                .starts_with("u.title COLLATE NOCASE DESC, ")
        );
        assert!(
            order_by(Some("value_score"))
                .unwrap()
                .starts_with("u.value_score ASC NULLS LAST, ")
        );
    }
}
