//! KPIs: what a use case promises to move (name, unit, baseline, target, an optional due
//! date) and the actuals recorded over time, with whether it is on track.
//!
//! On track means the latest actual has reached the target, or, for a KPI with a baseline
//! and a due date, is at or beyond the straight line from the baseline (on the day the KPI
//! was added) to the target (on the due date). Without a due date there is no line to be
//! on, so anything short of the target is off track.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::change_log::{self, Change};
use crate::ctx::Ctx;
use crate::error::{Error, ErrorCode, Result};
use crate::field::{MONEY_MAX, SHORT_MAX};
use protocol::{ChangeKind, Entity};

/// Which way a KPI improves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum Direction {
    Higher,
    Lower,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Higher => "higher",
            Direction::Lower => "lower",
        }
    }

    pub fn parse(s: &str) -> Result<Direction> {
        match s {
            "higher" => Ok(Direction::Higher),
            "lower" => Ok(Direction::Lower),
            _ => Err(Error::invalid(
                "direction",
                "a direction is `higher` or `lower`",
            )),
        }
    }

    /// Whether `a` is at least as good as `b`.
    fn at_least(self, a: f64, b: f64) -> bool {
        match self {
            Direction::Higher => a >= b,
            Direction::Lower => a <= b,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum KpiStatus {
    OnTrack,
    OffTrack,
    NotMeasured,
}

impl KpiStatus {
    pub fn label(self) -> &'static str {
        match self {
            KpiStatus::OnTrack => "on track",
            KpiStatus::OffTrack => "off track",
            KpiStatus::NotMeasured => "not measured",
        }
    }
}

/// One measured value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, sqlx::FromRow)]
#[ts(export)]
pub struct Actual {
    /// The day it was measured (YYYY-MM-DD).
    pub on: String,
    pub value: f64,
    pub recorded_by: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Kpi {
    pub id: String,
    pub use_case_id: String,
    pub name: String,
    pub unit: String,
    pub baseline: Option<f64>,
    pub target: f64,
    pub direction: Direction,
    pub due: Option<String>,
    pub created_at: String,
    /// Oldest first.
    pub actuals: Vec<Actual>,
    pub status: KpiStatus,
}

/// A KPI to add to a use case.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct NewKpi {
    pub use_case_id: String,
    pub name: String,
    #[serde(default)]
    #[ts(optional)]
    pub unit: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub baseline: Option<f64>,
    pub target: f64,
    /// Defaults to `lower` when the target is below the baseline, `higher` otherwise.
    #[serde(default)]
    #[ts(optional)]
    pub direction: Option<Direction>,
    /// YYYY-MM-DD.
    #[serde(default)]
    #[ts(optional)]
    pub due: Option<String>,
}

/// An actual to record; a second value for the same day replaces the first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RecordActual {
    pub kpi_id: String,
    pub value: f64,
    /// YYYY-MM-DD; today when absent.
    #[serde(default)]
    #[ts(optional)]
    pub on: Option<String>,
}

/// The status of a KPI whose latest actual is `latest` (measured on its day).
pub fn status(
    baseline: Option<f64>,
    target: f64,
    direction: Direction,
    started: NaiveDate,
    due: Option<NaiveDate>,
    latest: Option<(NaiveDate, f64)>,
) -> KpiStatus {
    let Some((on, value)) = latest else {
        return KpiStatus::NotMeasured;
    };
    if direction.at_least(value, target) {
        return KpiStatus::OnTrack;
    }
    let (Some(baseline), Some(due)) = (baseline, due) else {
        return KpiStatus::OffTrack;
    };
    let span = (due - started).num_days();
    let share = if span <= 0 {
        1.0
    } else {
        ((on - started).num_days() as f64 / span as f64).clamp(0.0, 1.0)
    };
    let expected = baseline + (target - baseline) * share;
    if direction.at_least(value, expected) {
        KpiStatus::OnTrack
    } else {
        KpiStatus::OffTrack
    }
}

fn date(field: &str, s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| {
        Error::invalid(
            field,
            format!("a date is written YYYY-MM-DD, such as 2026-03-31, not `{s}`"),
        )
    })
}

fn number(field: &str, n: f64) -> Result<f64> {
    if !n.is_finite() || n.abs() > MONEY_MAX {
        return Err(Error::invalid(
            field,
            format!("the {field} must be a number between -10^13 and 10^13"),
        ));
    }
    Ok(n)
}

fn day_of(timestamp: &str) -> NaiveDate {
    chrono::DateTime::parse_from_rfc3339(timestamp)
        .map(|t| t.date_naive())
        .unwrap_or_default()
}

#[derive(sqlx::FromRow)]
struct KpiRow {
    id: String,
    use_case_id: String,
    name: String,
    unit: String,
    baseline: Option<f64>,
    target: f64,
    direction: String,
    due: Option<String>,
    created_at: String,
}

/// The status of a KPI as the store holds it (dates as text), given its latest actual.
fn stored_status(
    baseline: Option<f64>,
    target: f64,
    direction: Direction,
    created_at: &str,
    due: Option<&str>,
    latest: Option<(&str, f64)>,
) -> Result<KpiStatus> {
    let latest = latest
        .map(|(on, v)| Ok::<_, Error>((date("on", on)?, v)))
        .transpose()?;
    let due = due.map(|d| date("due", d)).transpose()?;
    Ok(status(
        baseline,
        target,
        direction,
        day_of(created_at),
        due,
        latest,
    ))
}

impl KpiRow {
    fn into_kpi(self, actuals: Vec<Actual>) -> Result<Kpi> {
        let direction = Direction::parse(&self.direction)?;
        Ok(Kpi {
            status: stored_status(
                self.baseline,
                self.target,
                direction,
                &self.created_at,
                self.due.as_deref(),
                actuals.last().map(|a| (a.on.as_str(), a.value)),
            )?,
            id: self.id,
            use_case_id: self.use_case_id,
            name: self.name,
            unit: self.unit,
            baseline: self.baseline,
            target: self.target,
            direction,
            due: self.due,
            created_at: self.created_at,
            actuals,
        })
    }
}

const KPI_SQL: &str =
    "SELECT id, use_case_id, name, unit, baseline, target, direction, due, created_at FROM kpis";

pub(crate) async fn load(conn: &mut sqlx::SqliteConnection, id: &str) -> Result<Kpi> {
    let row: KpiRow = sqlx::query_as(sqlx::AssertSqlSafe(format!("{KPI_SQL} WHERE id = ?")))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| Error::not_found(format!("no KPI with id {id}")))?;
    let actuals = sqlx::query_as(
        "SELECT on_date AS \"on\", value, recorded_by FROM kpi_actuals WHERE kpi_id = ? ORDER BY on_date",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    row.into_kpi(actuals)
}

/// The KPIs of one use case, in the order they were added.
pub async fn list(ctx: &Ctx, use_case_id: &str) -> Result<Vec<Kpi>> {
    let mut conn = ctx.store().read.acquire().await?;
    let found: Option<(String,)> = sqlx::query_as("SELECT id FROM use_cases WHERE id = ?")
        .bind(use_case_id)
        .fetch_optional(&mut *conn)
        .await?;
    if found.is_none() {
        return Err(Error::not_found(format!(
            "no use case with id {use_case_id}"
        )));
    }
    let ids: Vec<String> =
        sqlx::query_scalar("SELECT id FROM kpis WHERE use_case_id = ? ORDER BY created_at, id")
            .bind(use_case_id)
            .fetch_all(&mut *conn)
            .await?;
    let mut kpis = Vec::with_capacity(ids.len());
    for id in ids {
        kpis.push(load(&mut conn, &id).await?);
    }
    Ok(kpis)
}

/// Adds a KPI to a use case.
pub async fn add(ctx: &Ctx, new: NewKpi) -> Result<Kpi> {
    let actor = ctx.actor().await?;
    let name = new.name.trim();
    if name.is_empty() {
        return Err(Error::invalid("name", "a KPI needs a name"));
    }
    if name.chars().count() > SHORT_MAX {
        return Err(Error::invalid(
            "name",
            format!("a KPI's name is at most {SHORT_MAX} characters"),
        ));
    }
    let unit = new.unit.as_deref().unwrap_or("").trim();
    if unit.chars().count() > 30 {
        return Err(Error::invalid("unit", "a unit is at most 30 characters"));
    }
    let target = number("target", new.target)?;
    let baseline = new.baseline.map(|b| number("baseline", b)).transpose()?;
    let direction = new.direction.unwrap_or(match baseline {
        Some(b) if target < b => Direction::Lower,
        _ => Direction::Higher,
    });
    let due = new
        .due
        .as_deref()
        .filter(|d| !d.trim().is_empty())
        .map(|d| date("due", d))
        .transpose()?;
    let mut tx = ctx.store().begin().await?;
    let owner: Option<(String, bool)> =
        sqlx::query_as("SELECT title, demo FROM use_cases WHERE id = ?")
            .bind(&new.use_case_id)
            .fetch_optional(&mut *tx)
            .await?;
    let Some((title, demo)) = owner else {
        return Err(Error::not_found(format!(
            "no use case with id {}",
            new.use_case_id
        )));
    };
    let taken: Option<(String,)> =
        sqlx::query_as("SELECT id FROM kpis WHERE use_case_id = ? AND name = ? COLLATE NOCASE")
            .bind(&new.use_case_id)
            .bind(name)
            .fetch_optional(&mut *tx)
            .await?;
    if taken.is_some() {
        return Err(Error::new(
            ErrorCode::Conflict,
            format!("“{title}” already has a KPI named “{name}”"),
        )
        .with_field("name"));
    }
    let def = Definition {
        name,
        unit,
        baseline,
        target,
        direction,
        due: due.map(|d| d.to_string()),
    };
    let id = insert(&mut tx, &new.use_case_id, &def, &actor, &crate::now(), demo).await?;
    let kpi = load(&mut tx, &id).await?;
    tx.commit().await?;
    Ok(kpi)
}

/// What a KPI promises, checked.
pub(crate) struct Definition<'a> {
    pub name: &'a str,
    pub unit: &'a str,
    pub baseline: Option<f64>,
    pub target: f64,
    pub direction: Direction,
    pub due: Option<String>,
}

/// Writes a KPI and its change-log entry (at `at`: the demo back-dates); returns its id.
pub(crate) async fn insert(
    conn: &mut sqlx::SqliteConnection,
    use_case_id: &str,
    d: &Definition<'_>,
    actor: &str,
    at: &str,
    demo: bool,
) -> Result<String> {
    let id = uuid::Uuid::now_v7().to_string();
    sqlx::query(
        "INSERT INTO kpis (id, use_case_id, name, unit, baseline, target, direction, due, created_at, demo)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(&id)
    .bind(use_case_id)
    .bind(d.name)
    .bind(d.unit)
    .bind(d.baseline)
    .bind(d.target)
    .bind(d.direction.as_str())
    .bind(&d.due)
    .bind(at)
    .bind(demo)
    .execute(&mut *conn)
    .await?;
    change_log::record_at(
        conn,
        Change::new(Entity::Kpi, &id, ChangeKind::Kpi, actor)
            .use_case(use_case_id)
            .field(d.name)
            .new_value(serde_json::json!({
                "unit": d.unit, "baseline": d.baseline, "target": d.target,
                "direction": d.direction.as_str(), "due": d.due,
            }))
            .demo(demo),
        at,
    )
    .await?;
    Ok(id)
}

/// Writes (or replaces) the actual of day `on` and its change-log entry.
pub(crate) async fn insert_actual(
    conn: &mut sqlx::SqliteConnection,
    kpi: &Kpi,
    on: &str,
    value: f64,
    actor: &str,
    at: &str,
    demo: bool,
) -> Result<()> {
    let old = kpi.actuals.iter().find(|a| a.on == on).map(|a| a.value);
    sqlx::query(
        "INSERT INTO kpi_actuals (kpi_id, on_date, value, recorded_at, recorded_by) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (kpi_id, on_date) DO UPDATE SET value = excluded.value,
           recorded_at = excluded.recorded_at, recorded_by = excluded.recorded_by",
    )
    .bind(&kpi.id)
    .bind(on)
    .bind(value)
    .bind(at)
    .bind(actor)
    .execute(&mut *conn)
    .await?;
    change_log::record_at(
        conn,
        Change::new(Entity::Kpi, &kpi.id, ChangeKind::KpiActual, actor)
            .use_case(&kpi.use_case_id)
            .field(&kpi.name)
            .old_value(old)
            .new_value(value)
            .note(Some(&format!("measured on {on}")))
            .demo(demo),
        at,
    )
    .await
}

/// Records an actual (today's unless `on` says otherwise; not in the future).
pub async fn record(ctx: &Ctx, req: RecordActual) -> Result<Kpi> {
    let actor = ctx.actor().await?;
    let value = number("value", req.value)?;
    let today = chrono::Utc::now().date_naive();
    let on = match req.on.as_deref().filter(|d| !d.trim().is_empty()) {
        Some(d) => date("on", d)?,
        None => today,
    };
    if on > today {
        return Err(Error::invalid(
            "on",
            format!("an actual is recorded once measured; {on} is in the future"),
        ));
    }
    let mut tx = ctx.store().begin().await?;
    let kpi = load(&mut tx, &req.kpi_id).await?;
    let on = on.to_string();
    let demo: bool = sqlx::query_scalar("SELECT demo FROM kpis WHERE id = ?")
        .bind(&kpi.id)
        .fetch_one(&mut *tx)
        .await?;
    insert_actual(&mut tx, &kpi, &on, value, &actor, &crate::now(), demo).await?;
    let kpi = load(&mut tx, &kpi.id).await?;
    tx.commit().await?;
    Ok(kpi)
}

/// Every KPI of the portfolio's live use cases by status (the dashboard's figure).
pub async fn status_counts(
    conn: &mut sqlx::SqliteConnection,
) -> Result<std::collections::BTreeMap<KpiStatus, i32>> {
    #[derive(sqlx::FromRow)]
    struct Latest {
        baseline: Option<f64>,
        target: f64,
        direction: String,
        due: Option<String>,
        created_at: String,
        on_date: Option<String>,
        value: Option<f64>,
    }
    // The latest actual per KPI: SQLite returns the other columns of the row holding MAX().
    let rows: Vec<Latest> = sqlx::query_as(
        "SELECT k.baseline, k.target, k.direction, k.due, k.created_at, a.on_date, a.value
         FROM kpis k JOIN use_cases u ON u.id = k.use_case_id AND u.archived = 0
         LEFT JOIN (SELECT kpi_id, MAX(on_date) AS on_date, value FROM kpi_actuals GROUP BY kpi_id) a
           ON a.kpi_id = k.id",
    )
    .fetch_all(conn)
    .await?;
    let mut counts: std::collections::BTreeMap<KpiStatus, i32> = [
        (KpiStatus::OnTrack, 0),
        (KpiStatus::OffTrack, 0),
        (KpiStatus::NotMeasured, 0),
    ]
    .into();
    for r in rows {
        let s = stored_status(
            r.baseline,
            r.target,
            Direction::parse(&r.direction)?,
            &r.created_at,
            r.due.as_deref(),
            r.on_date.as_deref().zip(r.value),
        )?;
        *counts.entry(s).or_default() += 1;
    }
    Ok(counts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn status_follows_the_line_from_baseline_to_target() {
        let start = d("2026-01-01");
        let due = Some(d("2026-11-28")); // 331 days
        // Baseline 100 → target 200: on 2026-06-01 (151 days in) the line is at 145.6.
        let at = |v: f64| {
            status(
                Some(100.0),
                200.0,
                Direction::Higher,
                start,
                due,
                Some((d("2026-06-01"), v)),
            )
        };
        assert_eq!(at(146.0), KpiStatus::OnTrack);
        assert_eq!(at(145.0), KpiStatus::OffTrack);
        assert_eq!(at(250.0), KpiStatus::OnTrack);
        // Lower is better: handling time 30 → 10 minutes; halfway through the line is at 20.
        let half = d("2026-06-15"); // 165 of 331 days: the line is at 20.03
        let lower = |v: f64| {
            status(
                Some(30.0),
                10.0,
                Direction::Lower,
                start,
                due,
                Some((half, v)),
            )
        };
        assert_eq!(lower(20.0), KpiStatus::OnTrack);
        assert_eq!(lower(21.0), KpiStatus::OffTrack);
        // Past the due date the line is the target.
        let late = |v: f64| {
            status(
                Some(100.0),
                200.0,
                Direction::Higher,
                start,
                due,
                Some((d("2027-02-01"), v)),
            )
        };
        assert_eq!(late(199.0), KpiStatus::OffTrack);
        assert_eq!(late(200.0), KpiStatus::OnTrack);
    }

    #[test]
    fn without_a_due_date_only_the_target_counts() {
        let start = d("2026-01-01");
        let s = |v: Option<f64>| {
            status(
                Some(0.0),
                0.8,
                Direction::Higher,
                start,
                None,
                v.map(|v| (d("2026-02-01"), v)),
            )
        };
        assert_eq!(s(None), KpiStatus::NotMeasured);
        assert_eq!(s(Some(0.79)), KpiStatus::OffTrack);
        assert_eq!(s(Some(0.8)), KpiStatus::OnTrack);
    }
}
