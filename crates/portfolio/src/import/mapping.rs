//! How a file's columns become use-case fields: the mapping (suggested from the headers,
//! changed by the person, saved and reused as a JSON file) and the built-in presets.
//!
//! A mapping file, documented in the README:
//! ```json
//! { "source": "omb-2025",
//!   "columns": { "use_case_name": "title", "agency": "business_unit", "id": "id",
//!                "development_stage": "stage", "contact_email": "owner.business",
//!                "operational_date": { "to": "attr.operational_date", "as": "date" },
//!                "Days in stage": "ignore" },
//!   "values": { "stage": { "Pre-deployment": "proof-of-concept" } },
//!   "id_scope": "business_unit", "date_order": "month-day" }
//! ```
//! Targets: the `set` field names, `stage`, `owner.ROLE`, `id` (the app's id, or the file's
//! own id kept as the source id), `source_id`, `attr.NAME` and `ignore`. Columns the
//! mapping does not name get the suggested target (a known header spelling, else a custom
//! attribute named after the header).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::value::{DateOrder, squash};
use crate::error::{Error, Result};
use crate::field::FIELD_NAMES;
use crate::owner::OwnerRole;

/// Where one column goes, and how its cells are read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(untagged)]
#[ts(export)]
pub enum ColumnSpec {
    To(String),
    With {
        to: String,
        /// `date`: normalise dates to ISO 8601; `text`: take the cell as it is.
        #[serde(rename = "as")]
        #[ts(rename = "as")]
        read_as: String,
    },
}

impl ColumnSpec {
    pub fn target(&self) -> &str {
        match self {
            ColumnSpec::To(t) | ColumnSpec::With { to: t, .. } => t,
        }
    }

    pub fn is_date(&self) -> bool {
        matches!(self, ColumnSpec::With { read_as, .. } if read_as == "date")
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct Mapping {
    /// Prefix of the source ids this file's own ids are kept under (e.g. `omb-2025`).
    pub source: String,
    /// File header → target.
    pub columns: BTreeMap<String, ColumnSpec>,
    /// Target → the file's value → ours (e.g. stage names of another tool).
    pub values: BTreeMap<String, BTreeMap<String, String>>,
    /// A target (e.g. `business_unit`) whose value qualifies the file's ids, where ids
    /// repeat across, e.g., agencies: `EPA` + `34` is kept as `EPA-34`.
    #[ts(optional)]
    pub id_scope: Option<String>,
    pub date_order: DateOrder,
}

impl Default for Mapping {
    fn default() -> Self {
        Mapping {
            source: "import".into(),
            columns: BTreeMap::new(),
            values: BTreeMap::new(),
            id_scope: None,
            date_order: DateOrder::MonthDay,
        }
    }
}

/// A parsed target.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Target {
    Field(String),
    Stage,
    Owner(OwnerRole),
    Id,
    SourceId,
    Attribute(String),
    Ignore,
}

impl Target {
    pub fn parse(s: &str) -> Result<Target> {
        Ok(match s {
            "stage" => Target::Stage,
            "id" => Target::Id,
            "source_id" => Target::SourceId,
            "ignore" => Target::Ignore,
            f if FIELD_NAMES.contains(&f) => Target::Field(f.to_owned()),
            other => {
                if let Some(role) = other.strip_prefix("owner.") {
                    Target::Owner(OwnerRole::parse(role)?)
                } else if let Some(name) = other.strip_prefix("attr.").filter(|n| !n.is_empty()) {
                    Target::Attribute(name.to_owned())
                } else {
                    return Err(Error::invalid(
                        "mapping",
                        format!(
                            "unknown target `{other}`; targets are {}, stage, owner.ROLE, id, source_id, attr.NAME, ignore",
                            FIELD_NAMES.join(", ")
                        ),
                    ));
                }
            }
        })
    }
}

/// Header spellings (squashed: lower-case letters and digits) → target. The app's own
/// export headers come first, so an exported file maps back without a mapping file.
const SYNONYMS: [(&str, &[&str]); 18] = [
    (
        "title",
        &[
            "title",
            "name",
            "usecase",
            "usecasename",
            "usecasetitle",
            "initiative",
            "project",
            "projectname",
        ],
    ),
    (
        "problem",
        &[
            "problem",
            "problemstatement",
            "problemsolved",
            "challenge",
            "description",
            "businessproblem",
        ],
    ),
    (
        "solution",
        &["solution", "proposedsolution", "approach", "systemoutputs"],
    ),
    (
        "business_unit",
        &[
            "businessunit",
            "bu",
            "department",
            "division",
            "unit",
            "team",
            "function",
        ],
    ),
    (
        "proposer",
        &[
            "proposer",
            "proposedby",
            "submittedby",
            "requester",
            "requestor",
        ],
    ),
    (
        "expected_benefit",
        &[
            "expectedannualbenefit",
            "expectedbenefit",
            "annualbenefit",
            "benefitvalue",
            "estimatedbenefit",
        ],
    ),
    (
        "expected_cost",
        &[
            "expectedannualcost",
            "expectedcost",
            "annualcost",
            "estimatedcost",
            "cost",
        ],
    ),
    (
        "realised_benefit",
        &[
            "realisedannualbenefit",
            "realizedannualbenefit",
            "realisedbenefit",
            "realizedbenefit",
        ],
    ),
    ("data_sources", &["datasources", "datasource", "data"]),
    ("tags", &["tags", "tag", "labels", "keywords"]),
    (
        "stage",
        &[
            "stage",
            "status",
            "phase",
            "developmentstage",
            "maturity",
            "lifecyclestage",
        ],
    ),
    (
        "owner.business",
        &["businessowner", "owner", "productowner", "sponsor"],
    ),
    (
        "owner.technical",
        &["technicalowner", "techowner", "technicallead", "techlead"],
    ),
    ("owner.data", &["dataowner", "datasteward"]),
    ("owner.risk", &["riskowner", "compliancecontact"]),
    ("id", &["id", "usecaseid", "identifier", "ref", "reference"]),
    ("source_id", &["sourceid"]),
    // What the export computes; reading it back would only be overwritten.
    (
        "ignore",
        &[
            "daysinstage",
            "instagesince",
            "valuescore",
            "feasibilityscore",
            "priority",
            "quadrant",
            "patterns",
            "risktier",
            "archived",
            "created",
            "updated",
            "version",
        ],
    ),
];

/// A slug for an attribute name made from a header.
pub(crate) fn attribute_name(header: &str) -> String {
    let mut out = String::new();
    for c in header.trim().chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.ends_with('_') && !out.is_empty() {
            out.push('_');
        }
    }
    let out = out.trim_end_matches('_').to_owned();
    let out: String = out.chars().take(64).collect();
    if out.is_empty() { "column".into() } else { out }
}

/// The mapping suggested from a file's headers: known spellings to fields, the rest kept
/// as attributes. Each target is given to one column only (the first that asks for it).
pub fn suggest(headers: &[String]) -> Mapping {
    let mut m = Mapping::default();
    let mut taken: Vec<&str> = vec![];
    for h in headers {
        let key = squash(h);
        let target = SYNONYMS
            .iter()
            .find(|(t, spellings)| {
                spellings.contains(&key.as_str()) && (*t == "ignore" || !taken.contains(t))
            })
            .map(|(t, _)| *t);
        let spec = match target {
            Some(t) => {
                taken.push(t);
                t.to_owned()
            }
            None => format!("attr.{}", attribute_name(h)),
        };
        m.columns.insert(h.clone(), ColumnSpec::To(spec));
    }
    m
}

/// Built-in presets, by name.
pub fn preset(name: &str) -> Result<Mapping> {
    let json = match name {
        "omb-2025" => include_str!("../../presets/omb-2025.json"),
        other => {
            return Err(Error::invalid(
                "preset",
                format!("unknown preset `{other}`; presets are omb-2025"),
            ));
        }
    };
    serde_json::from_str(json).map_err(|e| Error::validation(format!("preset {name}: {e}")))
}

pub const PRESETS: [&str; 1] = ["omb-2025"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_exports_headers_map_back() {
        let headers: Vec<String> = [
            "Title",
            "Stage",
            "Business unit",
            "Business owner",
            "Priority",
            "ID",
            "agency",
        ]
        .map(String::from)
        .to_vec();
        let m = suggest(&headers);
        let t = |h: &str| m.columns[h].target().to_owned();
        assert_eq!(t("Title"), "title");
        assert_eq!(t("Stage"), "stage");
        assert_eq!(t("Business unit"), "business_unit");
        assert_eq!(t("Business owner"), "owner.business");
        assert_eq!(t("Priority"), "ignore");
        assert_eq!(t("ID"), "id");
        assert_eq!(t("agency"), "attr.agency");
    }

    #[test]
    fn the_preset_parses_and_names_only_known_targets() {
        let m = preset("omb-2025").unwrap();
        for spec in m.columns.values() {
            Target::parse(spec.target()).unwrap();
        }
        assert_eq!(m.columns["use_case_name"].target(), "title");
    }
}
