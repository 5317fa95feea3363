//! The leadership dashboard's figures, read from running totals that triggers keep as use
//! cases change (migration 0007) and from indexes, so the dashboard costs the same at any
//! portfolio size: counts and expected benefit by
//! stage and by business unit, the stage funnel, aging, the top use cases and ownership
//! gaps, KPI status and realised against expected benefit. Archived use cases are left out.

use std::collections::BTreeMap;

use serde::Serialize;
use ts_rs::TS;

use crate::ctx::Ctx;
use crate::error::Result;
use crate::kpi::{self, KpiStatus};
use crate::owner::OwnerRole;
use crate::stage::Stage;

const TOP: i64 = 10;
const GAPS_LISTED: i64 = 50;

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Figure {
    pub use_cases: i32,
    pub expected_benefit: f64,
    pub realised_benefit: f64,
}

/// Realised against expected benefit, over the use cases at Pilot, Production or Scaled.
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Benefits {
    pub use_cases: i32,
    /// How many of them have recorded a realised benefit.
    pub recorded: i32,
    pub expected_benefit: f64,
    pub realised_benefit: f64,
    /// The expected benefit of those that recorded one: what `realised_benefit` compares with.
    pub expected_where_recorded: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct UnitFigure {
    pub business_unit: String,
    pub use_cases: i32,
    pub expected_benefit: f64,
    pub realised_benefit: f64,
}

/// How many use cases ever reached a stage of the path (those parked or retired count up to
/// the stage they left), and what share of the previous stage's did.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct FunnelStep {
    pub stage: Stage,
    pub reached: i32,
    /// `reached` ÷ the previous step's, as a fraction; `null` for the first step or after 0.
    pub conversion: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Aging {
    pub stage: Stage,
    pub average_days: f64,
    pub max_days: i32,
    /// In the stage for more than `stale_after_days`.
    pub stale: i32,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct TopUseCase {
    pub id: String,
    pub title: String,
    pub stage: Stage,
    pub priority: f64,
    pub value_score: f64,
    pub feasibility_score: f64,
}

/// A use case past Assessment without a technical or a data owner.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct OwnershipGap {
    pub id: String,
    pub title: String,
    pub stage: Stage,
    pub missing: Vec<OwnerRole>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Dashboard {
    pub total: Figure,
    /// Every stage, keyed by stage.
    pub by_stage: BTreeMap<Stage, Figure>,
    /// Most use cases first.
    pub by_business_unit: Vec<UnitFigure>,
    pub funnel: Vec<FunnelStep>,
    pub aging: Vec<Aging>,
    pub stale_after_days: i32,
    /// The highest priorities, best first.
    pub top: Vec<TopUseCase>,
    pub ownership_gaps: i32,
    /// The first gaps, highest priority first.
    pub ownership_gaps_listed: Vec<OwnershipGap>,
    /// The KPIs of live use cases, keyed by status.
    pub kpi_status: BTreeMap<KpiStatus, i32>,
    pub benefits: Benefits,
}

/// The running totals of one (stage, stage left) group of live use cases.
#[derive(sqlx::FromRow)]
struct StageRow {
    stage: String,
    left: Option<String>,
    n: i32,
    benefit: f64,
    realised: f64,
    recorded: i32,
    expected_where_recorded: f64,
    since_total: f64,
}

/// A time as a Julian day number, the unit of SQLite's `julianday()`.
fn julian_day(t: chrono::DateTime<chrono::Utc>) -> f64 {
    t.timestamp_millis() as f64 / 86_400_000.0 + 2_440_587.5
}

/// Stages past Assessment on the path, where technical and data owners are expected.
const PAST_ASSESSMENT: &str = "('proof-of-concept', 'pilot', 'production', 'scaled')";

pub async fn dashboard(ctx: &Ctx) -> Result<Dashboard> {
    let stale_after_days = crate::settings::preferences(ctx).await?.stale_after_days;
    let db = &ctx.store().read;
    let now = chrono::Utc::now();
    let today = julian_day(now);
    let stages: Vec<StageRow> = sqlx::query_as(
        "SELECT stage, NULLIF(left_stage, '') AS left, n, benefit, realised, recorded,
                expected_where_recorded, since AS since_total
         FROM stage_totals WHERE n > 0",
    )
    .fetch_all(db)
    .await?;
    // Per stage, the oldest is a seek and the stale ones a range in `use_cases_aging`
    // (timestamps are ISO 8601 in UTC, so they compare as text).
    let per_stage = Stage::ALL
        .map(|s| {
            let s = s.as_str();
            format!(
                "SELECT '{s}', (SELECT MIN(stage_since) FROM use_cases WHERE archived = 0 AND stage = '{s}'),
                        (SELECT COUNT(*) FROM use_cases WHERE archived = 0 AND stage = '{s}' AND stage_since < ?1)"
            )
        })
        .join(" UNION ALL ");
    let oldest_and_stale: Vec<(String, Option<String>, i32)> =
        sqlx::query_as(sqlx::AssertSqlSafe(per_stage))
            .bind(crate::timestamp(
                now - chrono::Duration::days(i64::from(stale_after_days)),
            ))
            .fetch_all(db)
            .await?;
    let mut aging: BTreeMap<Stage, (f64, i32, i32)> = BTreeMap::new();
    for (stage, oldest, stale) in oldest_and_stale {
        let max_days = oldest
            .and_then(|o| chrono::DateTime::parse_from_rfc3339(&o).ok())
            .map(|t| (now - t.with_timezone(&chrono::Utc)).num_days() as i32)
            .unwrap_or(0);
        aging.insert(Stage::parse(&stage)?, (0.0, max_days, stale));
    }

    let mut by_stage: BTreeMap<Stage, Figure> = Stage::ALL
        .into_iter()
        .map(|s| {
            (
                s,
                Figure {
                    use_cases: 0,
                    expected_benefit: 0.0,
                    realised_benefit: 0.0,
                },
            )
        })
        .collect();
    let mut reached_at: BTreeMap<usize, i32> = BTreeMap::new();
    let mut benefits = Benefits::default();
    for StageRow {
        stage,
        left,
        n,
        benefit,
        realised,
        recorded,
        expected_where_recorded,
        since_total,
    } in stages
    {
        let days = f64::from(n) * today - since_total;
        let stage = Stage::parse(&stage)?;
        let f = by_stage.get_mut(&stage).expect("every stage is listed");
        f.use_cases += n;
        f.expected_benefit += benefit;
        f.realised_benefit += realised;
        if stage.rank() >= Stage::Pilot.rank() {
            benefits.use_cases += n;
            benefits.recorded += recorded;
            benefits.expected_benefit += benefit;
            benefits.realised_benefit += realised;
            benefits.expected_where_recorded += expected_where_recorded;
        }
        aging.entry(stage).or_insert((0.0, 0, 0)).0 += days;
        // Parked and retired use cases reached the stage they left.
        let furthest = stage
            .rank()
            .or_else(|| left.as_deref().and_then(|l| Stage::parse(l).ok()?.rank()));
        if let Some(rank) = furthest {
            *reached_at.entry(rank).or_default() += n;
        }
    }
    let mut funnel = Vec::new();
    let mut previous: Option<i32> = None;
    for (rank, stage) in Stage::PATH.into_iter().enumerate() {
        let reached: i32 = reached_at.range(rank..).map(|(_, n)| n).sum();
        let conversion = previous
            .filter(|p| *p > 0)
            .map(|p| (f64::from(reached) / f64::from(p) * 1000.0).round() / 1000.0);
        funnel.push(FunnelStep {
            stage,
            reached,
            conversion,
        });
        previous = Some(reached);
    }
    let aging = Stage::ALL
        .into_iter()
        .map(|stage| {
            let n = by_stage[&stage].use_cases;
            let (days, max_days, stale) = aging.get(&stage).copied().unwrap_or_default();
            Aging {
                stage,
                average_days: if n > 0 {
                    (days / f64::from(n) * 10.0).round() / 10.0
                } else {
                    0.0
                },
                max_days,
                stale,
            }
        })
        .collect();

    let by_business_unit: Vec<(String, i32, f64, f64)> = sqlx::query_as(
        "SELECT business_unit, n, benefit, realised FROM unit_totals WHERE n > 0
         ORDER BY n DESC, business_unit COLLATE NOCASE",
    )
    .fetch_all(db)
    .await?;
    let top: Vec<(String, String, String, f64, f64, f64)> = sqlx::query_as(
        "SELECT id, title, stage, priority, value_score, feasibility_score FROM use_cases
         WHERE archived = 0 AND priority IS NOT NULL
         ORDER BY priority DESC, value_score DESC, title COLLATE NOCASE, id LIMIT ?",
    )
    .bind(TOP)
    .fetch_all(db)
    .await?;

    // The gaps are the partial index `use_cases_ownership_gaps` (owner_roles bits: technical
    // 2, data 4); named, because without statistics SQLite would pick a wider index.
    let gaps_from = format!(
        "FROM use_cases INDEXED BY use_cases_ownership_gaps
         WHERE archived = 0 AND stage IN {PAST_ASSESSMENT} AND owner_roles & 6 <> 6"
    );
    let ownership_gaps: i32 =
        sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) {gaps_from}")))
            .fetch_one(db)
            .await?;
    let gaps: Vec<(String, String, String, bool, bool)> =
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT id, title, stage, owner_roles & 2 <> 0, owner_roles & 4 <> 0 {gaps_from}
             ORDER BY priority DESC, title COLLATE NOCASE, id LIMIT {GAPS_LISTED}"
        )))
        .fetch_all(db)
        .await?;

    let total = Figure {
        use_cases: by_stage.values().map(|f| f.use_cases).sum(),
        expected_benefit: by_stage.values().map(|f| f.expected_benefit).sum(),
        realised_benefit: by_stage.values().map(|f| f.realised_benefit).sum(),
    };
    let kpi_status = kpi::status_counts(&mut *db.acquire().await?).await?;
    Ok(Dashboard {
        total,
        by_stage,
        by_business_unit: by_business_unit
            .into_iter()
            .map(
                |(business_unit, use_cases, expected_benefit, realised_benefit)| UnitFigure {
                    business_unit,
                    use_cases,
                    expected_benefit,
                    realised_benefit,
                },
            )
            .collect(),
        funnel,
        aging,
        stale_after_days,
        top: top
            .into_iter()
            .map(
                |(id, title, stage, priority, value_score, feasibility_score)| {
                    Ok(TopUseCase {
                        id,
                        title,
                        stage: Stage::parse(&stage)?,
                        priority,
                        value_score,
                        feasibility_score,
                    })
                },
            )
            .collect::<Result<_>>()?,
        ownership_gaps,
        ownership_gaps_listed: gaps
            .into_iter()
            .map(|(id, title, stage, technical, data)| {
                Ok(OwnershipGap {
                    id,
                    title,
                    stage: Stage::parse(&stage)?,
                    missing: [(OwnerRole::Technical, technical), (OwnerRole::Data, data)]
                        .into_iter()
                        .filter(|(_, has)| !has)
                        .map(|(r, _)| r)
                        .collect(),
                })
            })
            .collect::<Result<_>>()?,
        kpi_status,
        benefits,
    })
}
