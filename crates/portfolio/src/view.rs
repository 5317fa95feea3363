//! The portfolio view: filters, sort and paging, all run in SQLite (indexes and FTS5) so
//! no caller ever holds the whole portfolio.

use serde::{Deserialize, Serialize};
use sqlx::Arguments;
use sqlx::sqlite::SqliteArguments;
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
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[ts(optional, as = "Option<Vec<Stage>>")]
    pub stage: Vec<Stage>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[ts(optional, as = "Option<Vec<String>>")]
    pub business_unit: Vec<String>,
    /// Owner emails, any role.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[ts(optional, as = "Option<Vec<String>>")]
    pub owner: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[ts(optional, as = "Option<Vec<Quadrant>>")]
    pub quadrant: Vec<Quadrant>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[ts(optional, as = "Option<Vec<String>>")]
    pub tag: Vec<String>,
    /// Pattern slugs, primary or other.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[ts(optional, as = "Option<Vec<String>>")]
    pub pattern: Vec<String>,
    /// Plain words matched against title and text.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub search: Option<String>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
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
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub sort: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub offset: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub limit: Option<i32>,
}

/// One row of the portfolio table (`list --json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
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

pub(crate) fn order_by(sort: Option<&str>) -> Result<String> {
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
pub(crate) fn where_clause(f: &Filters, args: &mut SqliteArguments) -> Result<String> {
    let mut sql = vec![];
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
    any(
        &mut sql,
        "EXISTS (SELECT 1 FROM use_case_patterns p WHERE p.use_case_id = u.id AND p.pattern_slug IN ({}))",
        f.pattern.clone(),
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
    Ok(if sql.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", sql.join(" AND "))
    })
}

/// One page row as a JSON object: SQLite builds the whole page as one JSON document, so a
/// page crosses from SQLite to Rust as one value instead of a hundred rows.
const ROW_JSON: &str = "json_object('id', u.id, 'title', u.title, 'stage', u.stage,
    'business_unit', u.business_unit, 'value_score', u.value_score, 'feasibility_score', u.feasibility_score,
    'priority', u.priority, 'quadrant', u.quadrant,
    'owners', json_object(
      'business', (SELECT p.email FROM use_case_owners o JOIN people p ON p.id = o.person_id WHERE o.use_case_id = u.id AND o.role = 'business'),
      'technical', (SELECT p.email FROM use_case_owners o JOIN people p ON p.id = o.person_id WHERE o.use_case_id = u.id AND o.role = 'technical'),
      'data', (SELECT p.email FROM use_case_owners o JOIN people p ON p.id = o.person_id WHERE o.use_case_id = u.id AND o.role = 'data'),
      'risk', (SELECT p.email FROM use_case_owners o JOIN people p ON p.id = o.person_id WHERE o.use_case_id = u.id AND o.role = 'risk')),
    'tags', json(u.tags), 'archived', json(CASE WHEN u.archived THEN 'true' ELSE 'false' END),
    'updated_at', u.updated_at, 'created_at', u.created_at, 'expected_benefit', u.expected_benefit,
    'stage_since', u.stage_since)";

/// One page of the portfolio, and how many rows match in all: one query, one round trip.
pub async fn list(ctx: &Ctx, q: ListQuery) -> Result<Page> {
    let order = order_by(q.sort.as_deref())?;
    let limit = q.limit.unwrap_or(-1);
    let offset = q.offset.unwrap_or(0).max(0);
    if limit < -1 {
        return Err(Error::invalid("limit", "a limit is a positive number"));
    }
    let mut args = SqliteArguments::default();
    let count_clause = where_clause(&q.filters, &mut args)?;
    let page_clause = where_clause(&q.filters, &mut args)?;
    // The page's order is the inner query's; json_group_array keeps it.
    let sql = format!(
        "SELECT (SELECT COUNT(*) FROM use_cases u {count_clause}),
                (SELECT json_group_array(json(row)) FROM
                   (SELECT {ROW_JSON} AS row FROM use_cases u {page_clause} ORDER BY {order} LIMIT {limit} OFFSET {offset}))"
    );
    let (total, rows): (i32, String) = sqlx::query_as_with(sqlx::AssertSqlSafe(sql), args)
        .fetch_one(&ctx.store().read)
        .await?;
    Ok(Page {
        total,
        rows: serde_json::from_str(&rows)?,
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
