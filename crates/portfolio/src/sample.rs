//! Generated portfolios of any size, for benchmarks: varied titles, text, business units,
//! stages, owners, tags and scores, written through the same insert path as real edits
//! (rows, tags, scores and change-log entries), in batches of one transaction each.

use crate::ctx::Ctx;
use crate::error::Result;
use crate::field::{Field, FieldValue};
use crate::intake::{Draft, insert_many};
use crate::owner::OwnerRole;
use crate::stage::Stage;

const NOUNS: [&str; 16] = [
    "invoice",
    "claims",
    "churn",
    "demand",
    "fraud",
    "contract",
    "routing",
    "inventory",
    "call",
    "policy",
    "supplier",
    "pricing",
    "warehouse",
    "payroll",
    "marketing",
    "maintenance",
];
const VERBS: [&str; 8] = [
    "extraction",
    "triage",
    "prediction",
    "forecasting",
    "detection",
    "review",
    "optimisation",
    "summarisation",
];
const UNITS: [&str; 6] = [
    "Claims",
    "Customer Service",
    "Finance",
    "Supply Chain",
    "Marketing",
    "HR & People",
];
const TAGS: [&str; 10] = [
    "nlp",
    "vision",
    "forecasting",
    "genai",
    "automation",
    "risk",
    "customer",
    "documents",
    "ml",
    "agents",
];

/// A small deterministic generator, so two runs bench the same portfolio.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

/// Adds `n` generated use cases in transactions of a thousand; returns how many.
pub async fn generate(ctx: &Ctx, n: usize, seed: u64) -> Result<usize> {
    let actor = ctx.actor().await?;
    let model = ctx.scoring_model().await?;
    let slugs: Vec<String> = model.criteria().map(|(_, c)| c.slug.clone()).collect();
    let mut rng = Lcg(seed);
    let text = |s: String| FieldValue::Text(s);
    let mut done = 0;
    while done < n {
        let batch = (n - done).min(1000);
        let mut drafts = Vec::with_capacity(batch);
        for i in done..done + batch {
            let (noun, verb) = (NOUNS[rng.next(NOUNS.len())], VERBS[rng.next(VERBS.len())]);
            let tags: Vec<String> = (0..1 + rng.next(3))
                .map(|_| TAGS[rng.next(TAGS.len())].to_owned())
                .collect();
            let fields = vec![
                Field::parse("title", &text(format!("{noun} {verb} #{i}")))?,
                Field::parse(
                    "problem",
                    &text(format!(
                        "Teams spend hours on {noun} work that {verb} could shorten."
                    )),
                )?,
                Field::parse("business_unit", &text(UNITS[rng.next(UNITS.len())].into()))?,
                Field::parse(
                    "expected_benefit",
                    &FieldValue::Number((rng.next(400) * 10_000) as f64),
                )?,
                Field::parse("tags", &FieldValue::List(tags))?,
            ];
            // Three in four are fully scored; the rest wait at no score.
            let scores = if rng.next(4) > 0 {
                slugs
                    .iter()
                    .map(|s| (s.clone(), 1 + rng.next(5) as u8))
                    .collect()
            } else {
                Default::default()
            };
            let stage = Stage::ALL[rng.next(Stage::ALL.len())];
            drafts.push(Draft {
                id: None,
                created_at: None,
                fields,
                scores,
                owners: vec![(
                    OwnerRole::Business,
                    format!("person{}@sample.example", rng.next(50)),
                )],
                stage: Some(stage),
                left_stage: stage.rank().is_none().then_some(Stage::Assessment),
                source_id: None,
                note: None,
            });
        }
        let mut tx = ctx.store().begin().await?;
        insert_many(&mut tx, &drafts, &actor, &model, true, &crate::now()).await?;
        tx.commit().await?;
        done += batch;
    }
    Ok(done)
}
