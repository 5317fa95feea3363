//! Weight sensitivity: each criterion's weight moved by −20% and by +20%, one at a time. A
//! use case is *volatile* when any of those moves changes its quadrant or carries it across
//! the top-N line of the ranking, *stable* otherwise: a ranking that a small change of
//! opinion would upset is one to discuss before investing on it.

use serde::Serialize;
use ts_rs::TS;

use crate::ctx::Ctx;
use crate::error::{Error, Result};
use crate::scoring::{self, Quadrant, ScoringModel};
use crate::stage::Stage;

/// The top-N line when none is given.
pub const DEFAULT_TOP: usize = 10;
/// How far each weight moves, each way.
const STEP: f64 = 0.2;

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct UseCaseSensitivity {
    pub id: String,
    pub title: String,
    pub stage: Stage,
    pub quadrant: Quadrant,
    /// 1 for the highest priority.
    pub rank: i32,
    pub volatile: bool,
    /// What would change, e.g. "reach +20%: quick-win → strategic-bet", "urgency −20%: leaves the top 10".
    pub reasons: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Sensitivity {
    pub top: i32,
    /// Fully scored use cases (archived ones left out).
    pub scored: i32,
    pub volatile: i32,
    /// In ranking order.
    pub use_cases: Vec<UseCaseSensitivity>,
}

struct Case {
    id: String,
    title: String,
    /// The title as the ranking compares it (case-insensitive), worked out once.
    key: String,
    stage: Stage,
    /// 1–5 per criterion, in the model's order (value criteria, then feasibility).
    scores: Vec<u8>,
}

/// Where each use case lands under one set of weights.
struct Outcome {
    quadrant: Vec<Quadrant>,
    in_top: Vec<bool>,
    /// Positions in ranking order (only the top ones, unordered, unless asked for in full).
    order: Vec<usize>,
}

fn outcome(
    cases: &[Case],
    model: &ScoringModel,
    weights: &[f64],
    top: usize,
    full_order: bool,
) -> Outcome {
    let nv = model.value.len();
    let scored: Vec<(f64, f64, f64)> = cases
        .iter()
        .map(|c| {
            let v = scoring::axis_score(
                weights[..nv]
                    .iter()
                    .copied()
                    .zip(c.scores[..nv].iter().copied()),
            );
            let f = scoring::axis_score(
                weights[nv..]
                    .iter()
                    .copied()
                    .zip(c.scores[nv..].iter().copied()),
            );
            (v, f, scoring::priority(v, f))
        })
        .collect();
    // The ranking everywhere: priority, then value, then title (docs/cli.md).
    let rank = |&a: &usize, &b: &usize| {
        scored[b]
            .2
            .total_cmp(&scored[a].2)
            .then(scored[b].0.total_cmp(&scored[a].0))
            .then_with(|| cases[a].key.cmp(&cases[b].key))
            .then_with(|| cases[a].id.cmp(&cases[b].id))
    };
    let mut order: Vec<usize> = (0..cases.len()).collect();
    if full_order {
        order.sort_unstable_by(rank);
    } else if top < order.len() {
        // Only who is above the line matters here: a partition, not a sort.
        order.select_nth_unstable_by(top, rank);
    }
    let mut in_top = vec![false; cases.len()];
    for &i in order.iter().take(top) {
        in_top[i] = true;
    }
    Outcome {
        quadrant: scored
            .iter()
            .map(|(v, f, _)| model.quadrant(*v, *f))
            .collect(),
        in_top,
        order,
    }
}

async fn scored_cases(ctx: &Ctx, model: &ScoringModel) -> Result<Vec<Case>> {
    // The digits are written with the cached scores (in the active model's order), so one
    // row per use case is all there is to read.
    let rows: Vec<(String, String, String, Option<String>)> = sqlx::query_as(
        "SELECT id, title, stage, score_digits FROM use_cases
         WHERE archived = 0 AND priority IS NOT NULL",
    )
    .fetch_all(&ctx.store().read)
    .await?;
    let criteria = model.criteria().count();
    rows.into_iter()
        .map(|(id, title, stage, digits)| {
            let scores: Vec<u8> = digits
                .unwrap_or_default()
                .bytes()
                .map(|b| b.wrapping_sub(b'0'))
                .collect();
            if scores.len() != criteria || scores.iter().any(|s| !(1..=5).contains(s)) {
                return Err(Error::new(
                    crate::error::ErrorCode::CorruptStore,
                    format!("“{title}” has a priority but not a score for every criterion"),
                ));
            }
            Ok(Case {
                id,
                key: title.to_lowercase(),
                title,
                stage: Stage::parse(&stage)?,
                scores,
            })
        })
        .collect()
}

/// Which use cases a ±20% move of any one weight would move across a quadrant line or the
/// top-`top` line.
pub async fn sensitivity(ctx: &Ctx, top: usize) -> Result<Sensitivity> {
    if top == 0 {
        return Err(Error::invalid(
            "top",
            "the top-N line needs N of at least 1",
        ));
    }
    let model = ctx.scoring_model().await?;
    let cases = scored_cases(ctx, &model).await?;
    let weights: Vec<f64> = model.criteria().map(|(_, c)| c.weight).collect();
    let base = outcome(&cases, &model, &weights, top, true);
    let mut reasons: Vec<Vec<String>> = vec![vec![]; cases.len()];
    for (i, (_, c)) in model.criteria().enumerate() {
        for factor in [1.0 - STEP, 1.0 + STEP] {
            let mut moved = weights.clone();
            moved[i] *= factor;
            let o = outcome(&cases, &model, &moved, top, false);
            let change = if factor < 1.0 { "−20%" } else { "+20%" };
            for (k, why) in reasons.iter_mut().enumerate() {
                if o.quadrant[k] != base.quadrant[k] {
                    why.push(format!(
                        "{} {change}: {} → {}",
                        c.slug,
                        base.quadrant[k].as_str(),
                        o.quadrant[k].as_str()
                    ));
                }
                if o.in_top[k] != base.in_top[k] {
                    let way = if o.in_top[k] { "enters" } else { "leaves" };
                    why.push(format!("{} {change}: {way} the top {top}", c.slug));
                }
            }
        }
    }
    let use_cases: Vec<UseCaseSensitivity> = base
        .order
        .iter()
        .enumerate()
        .map(|(rank, &k)| UseCaseSensitivity {
            id: cases[k].id.clone(),
            title: cases[k].title.clone(),
            stage: cases[k].stage,
            quadrant: base.quadrant[k],
            rank: rank as i32 + 1,
            volatile: !reasons[k].is_empty(),
            reasons: std::mem::take(&mut reasons[k]),
        })
        .collect();
    Ok(Sensitivity {
        top: top as i32,
        scored: use_cases.len() as i32,
        volatile: use_cases.iter().filter(|u| u.volatile).count() as i32,
        use_cases,
    })
}
