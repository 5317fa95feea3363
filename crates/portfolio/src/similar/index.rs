//! The similarity index itself: TF-IDF vectors of each use case's title and whole text,
//! with an inverted index over each, and the ranking of use cases against a query. Pure:
//! it is built from rows it is given, so the context can hold one without a cycle.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Words too common in use-case descriptions to tell two apart.
const STOP: &[&str] = &[
    "a", "about", "across", "after", "ai", "all", "also", "an", "and", "any", "are", "as", "at",
    "be", "been", "being", "between", "both", "but", "by", "can", "could", "do", "does", "each",
    "for", "from", "has", "have", "how", "in", "into", "is", "it", "its", "may", "more", "most",
    "new", "no", "not", "of", "on", "or", "other", "our", "out", "over", "per", "such", "than",
    "that", "the", "their", "them", "then", "there", "these", "they", "this", "those", "through",
    "to", "up", "use", "used", "uses", "using", "via", "was", "we", "were", "what", "when",
    "where", "which", "while", "who", "will", "with", "within", "would", "you", "your",
];
/// Terms in more than half the use cases say almost nothing and cost the most to look up.
const COMMON_SHARE: f64 = 0.5;
/// A use case like the one asked about, most similar first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Similar {
    pub id: String,
    pub title: String,
    /// Cosine similarity, 0 to 1, three decimals.
    pub similarity: f64,
}

/// Lowercase words of two letters or more, stop words out, a plural `s` taken off.
fn terms(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 2)
        .map(str::to_lowercase)
        .filter(|w| !STOP.contains(&w.as_str()))
        .map(|w| match w.strip_suffix('s') {
            Some(stem) if stem.len() >= 3 && !stem.ends_with('s') => stem.to_owned(),
            _ => w,
        })
}

/// Term counts of a text.
fn counts(text: &[&str]) -> HashMap<String, f64> {
    let mut tf = HashMap::new();
    for t in text.iter().flat_map(|t| terms(t)) {
        *tf.entry(t).or_default() += 1.0;
    }
    tf
}

/// How much the titles' likeness counts, against the whole texts' (title, problem and
/// solution). A title is what people name an effort by, while the text around it varies
/// most between teams: two use cases with the same title start at 0.6.
const TITLE_WEIGHT: f32 = 0.6;

/// TF-IDF vectors of one kind of text, with an inverted index over them.
struct Space {
    vocabulary: HashMap<String, u32>,
    idf: Vec<f64>,
    /// Term → (use case, weight), weights normalised so a dot product is the cosine.
    postings: Vec<Vec<(u32, f32)>>,
    /// Each use case's own normalised terms.
    docs: Vec<Vec<(u32, f32)>>,
}

impl Space {
    pub(crate) fn build(raw: Vec<HashMap<String, f64>>) -> Space {
        let mut vocabulary: HashMap<String, u32> = HashMap::new();
        let mut df: Vec<u32> = Vec::new();
        for tf in &raw {
            for term in tf.keys() {
                let next = vocabulary.len() as u32;
                let id = *vocabulary.entry(term.clone()).or_insert(next);
                if id as usize == df.len() {
                    df.push(0);
                }
                df[id as usize] += 1;
            }
        }
        let n = raw.len() as f64;
        let idf: Vec<f64> = df.iter().map(|d| (1.0 + n / f64::from(*d)).ln()).collect();
        let mut postings: Vec<Vec<(u32, f32)>> = vec![Vec::new(); df.len()];
        let mut docs = Vec::with_capacity(raw.len());
        for (i, tf) in raw.iter().enumerate() {
            let doc = normalise(tf.iter().map(|(t, c)| {
                let id = vocabulary[t];
                (id, (1.0 + c.ln()) * idf[id as usize])
            }));
            for &(t, w) in &doc {
                postings[t as usize].push((i as u32, w));
            }
            docs.push(doc);
        }
        Space {
            vocabulary,
            idf,
            postings,
            docs,
        }
    }

    /// A new text's normalised terms (unknown terms count towards its length, not its matches).
    pub(crate) fn query(&self, text: &[&str]) -> Vec<(u32, f32)> {
        let n = self.docs.len().max(1) as f64;
        let weighted: Vec<(Option<u32>, f64)> = counts(text)
            .iter()
            .map(|(t, c)| {
                let id = self.vocabulary.get(t).copied();
                let idf = id.map_or((1.0 + n).ln(), |i| self.idf[i as usize]);
                (id, (1.0 + c.ln()) * idf)
            })
            .collect();
        let norm = weighted.iter().map(|(_, w)| w * w).sum::<f64>().sqrt();
        if norm == 0.0 {
            return vec![];
        }
        weighted
            .into_iter()
            .filter_map(|(id, w)| id.map(|id| (id, (w / norm) as f32)))
            .collect()
    }

    /// Adds `weight` × the cosine with `query` to every use case's score.
    fn score(&self, query: &[(u32, f32)], weight: f32, scores: &mut [f32]) {
        let common = (self.docs.len() as f64 * COMMON_SHARE).max(50.0) as usize;
        for &(t, w) in query {
            let list = &self.postings[t as usize];
            if list.len() > common {
                continue;
            }
            for &(d, dw) in list {
                scores[d as usize] += weight * w * dw;
            }
        }
    }
}

pub struct Index {
    pub(crate) key: (i64, Option<String>),
    pub(crate) ids: Vec<String>,
    titles: Vec<String>,
    title: Space,
    text: Space,
}

impl std::fmt::Debug for Index {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Index({} use cases)", self.ids.len())
    }
}

/// A query: its title's terms and its whole text's.
pub(crate) struct Query {
    title: Vec<(u32, f32)>,
    text: Vec<(u32, f32)>,
}

impl Index {
    pub(crate) fn build(
        key: (i64, Option<String>),
        rows: Vec<(String, String, String, String)>,
    ) -> Index {
        let title = Space::build(rows.iter().map(|(_, t, _, _)| counts(&[t])).collect());
        let text = Space::build(rows.iter().map(|(_, t, p, s)| counts(&[t, p, s])).collect());
        let (ids, titles) = rows.into_iter().map(|(id, t, _, _)| (id, t)).unzip();
        Index {
            key,
            ids,
            titles,
            title,
            text,
        }
    }

    pub(crate) fn query(&self, title: &str, problem: &str, solution: &str) -> Query {
        Query {
            title: self.title.query(&[title]),
            text: self.text.query(&[title, problem, solution]),
        }
    }

    pub(crate) fn of(&self, d: usize) -> Query {
        Query {
            title: self.title.docs[d].clone(),
            text: self.text.docs[d].clone(),
        }
    }

    /// The use cases most like `query`, leaving out `exclude` (an index position).
    pub(crate) fn rank(&self, query: &Query, exclude: Option<usize>, limit: usize) -> Vec<Similar> {
        let mut scores = vec![0f32; self.ids.len()];
        self.title.score(&query.title, TITLE_WEIGHT, &mut scores);
        self.text
            .score(&query.text, 1.0 - TITLE_WEIGHT, &mut scores);
        if let Some(x) = exclude {
            scores[x] = 0.0;
        }
        let mut hits: Vec<(usize, f32)> = scores
            .into_iter()
            .enumerate()
            .filter(|(_, s)| *s > 0.0)
            .collect();
        let by_score = |a: &(usize, f32), b: &(usize, f32)| {
            b.1.total_cmp(&a.1)
                .then_with(|| self.titles[a.0].cmp(&self.titles[b.0]))
        };
        if hits.len() > limit {
            hits.select_nth_unstable_by(limit, by_score);
            hits.truncate(limit);
        }
        hits.sort_by(by_score);
        hits.into_iter()
            .map(|(d, s)| self.similar(d, f64::from(s)))
            .collect()
    }

    pub(crate) fn similar(&self, d: usize, s: f64) -> Similar {
        Similar {
            id: self.ids[d].clone(),
            title: self.titles[d].clone(),
            similarity: (s.min(1.0) * 1000.0).round() / 1000.0,
        }
    }
}

fn normalise(weights: impl Iterator<Item = (u32, f64)>) -> Vec<(u32, f32)> {
    let v: Vec<(u32, f64)> = weights.collect();
    let norm = v.iter().map(|(_, w)| w * w).sum::<f64>().sqrt();
    if norm == 0.0 {
        return vec![];
    }
    v.into_iter().map(|(t, w)| (t, (w / norm) as f32)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_lowercased_stopped_and_plurals_folded() {
        let t: Vec<String> = terms("Summarises the Claims documents, using AI's tools").collect();
        assert_eq!(t, ["summarise", "claim", "document", "tool"]);
    }

    #[test]
    fn the_same_text_is_most_similar_and_unrelated_text_is_not_found() {
        let rows = vec![
            (
                "a".into(),
                "Invoice data extraction".into(),
                "Invoices keyed by hand".into(),
                String::new(),
            ),
            (
                "b".into(),
                "Extraction of invoice data".into(),
                "Keying invoices by hand".into(),
                String::new(),
            ),
            (
                "c".into(),
                "Fleet maintenance forecasting".into(),
                "Breakdowns".into(),
                String::new(),
            ),
        ];
        let ix = Index::build((3, None), rows);
        let hits = ix.rank(&ix.of(0), Some(0), 5);
        assert_eq!(hits.len(), 1, "{hits:?}");
        assert_eq!(hits[0].id, "b");
        assert!(hits[0].similarity > 0.8, "{hits:?}");
        let typed = ix.query("invoice extraction", "", "");
        let mut found: Vec<String> = ix.rank(&typed, None, 5).into_iter().map(|s| s.id).collect();
        found.sort();
        assert_eq!(found, ["a", "b"]);
    }
}
