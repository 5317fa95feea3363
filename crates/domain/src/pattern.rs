//! The pattern catalogue's records: a pattern as it is saved and travels (`PatternRecord`),
//! its controls and their statuses on a use case, slugs, and the starter catalogue every
//! new store loads. The catalogue's storage is the engine's.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::field::{SHORT_MAX, TEXT_MAX};
use crate::scoring::is_slug;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
#[ts(export)]
pub struct Control {
    pub slug: String,
    pub name: String,
    pub description: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum ControlState {
    Open,
    InPlace,
    NotApplicable,
}

impl ControlState {
    pub fn as_str(self) -> &'static str {
        match self {
            ControlState::Open => "open",
            ControlState::InPlace => "in-place",
            ControlState::NotApplicable => "not-applicable",
        }
    }

    pub fn parse(s: &str) -> Result<ControlState> {
        match s {
            "open" => Ok(ControlState::Open),
            "in-place" => Ok(ControlState::InPlace),
            "not-applicable" => Ok(ControlState::NotApplicable),
            _ => Err(Error::invalid(
                "status",
                format!("a control is open, in-place or not-applicable, not `{s}`"),
            )),
        }
    }
}

#[derive(Deserialize)]
pub struct Starter {
    pub controls: Vec<Control>,
    pub patterns: Vec<StarterPattern>,
}

#[derive(Deserialize)]
pub struct StarterPattern {
    pub slug: String,
    pub name: String,
    pub description: String,
    pub components: Vec<String>,
    pub controls: Vec<String>,
}

/// The starter catalogue every new store loads.
pub fn starter() -> &'static Starter {
    static STARTER: std::sync::LazyLock<Starter> = std::sync::LazyLock::new(|| {
        serde_json::from_str(include_str!("../patterns/starter.json"))
            .expect("the bundled pattern catalogue is valid JSON")
    });
    &STARTER
}

/// Whether every desktop has this pattern from the start (the registry, which never sees
/// the starter catalogue's patterns added, knows them by this).
pub fn is_starter(slug: &str) -> bool {
    starter().patterns.iter().any(|p| p.slug == slug)
}

/// A pattern as its change-log entries carry it, and so as it travels to other desktops.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PatternRecord {
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub components: Vec<String>,
    /// Control slugs, in the pattern's order.
    #[serde(default)]
    pub controls: Vec<String>,
    /// The controls' names, so a desktop that lacks one (made here with SLUG=Name) adds it.
    #[serde(default)]
    pub control_names: BTreeMap<String, String>,
}

impl PatternRecord {
    /// Whether a pattern with this slug and record may be saved: what an architect's form
    /// and the registry both check.
    pub fn validate(&self, slug: &str) -> Result<()> {
        if !is_slug(slug) {
            return Err(Error::invalid(
                "slug",
                format!(
                    "a pattern's slug is lowercase letters, digits and hyphens, such as rag-knowledge-assistant, not `{slug}`"
                ),
            ));
        }
        let name = self.name.trim();
        if name.is_empty() || name.chars().count() > SHORT_MAX {
            return Err(Error::invalid(
                "name",
                format!("a pattern needs a name of at most {SHORT_MAX} characters"),
            ));
        }
        if self.description.chars().count() > TEXT_MAX {
            return Err(Error::invalid(
                "description",
                format!("a description is at most {TEXT_MAX} characters"),
            ));
        }
        if self
            .components
            .iter()
            .any(|c| c.trim().is_empty() || c.chars().count() > SHORT_MAX)
        {
            return Err(Error::invalid(
                "components",
                format!("each component is a name of 1 to {SHORT_MAX} characters"),
            ));
        }
        for c in &self.controls {
            check_slug("control", c).map_err(|e| e.with_field("controls"))?;
        }
        let mut seen = std::collections::BTreeSet::new();
        if let Some(c) = self.controls.iter().find(|c| !seen.insert(c.as_str())) {
            return Err(Error::invalid(
                "controls",
                format!("the control `{c}` is listed twice"),
            ));
        }
        for (slug, name) in &self.control_names {
            control_name(slug, name)?;
        }
        Ok(())
    }
}

/// A pattern's or control's slug, checked (`what` names which, and the field it is in).
pub fn check_slug(what: &str, s: &str) -> Result<()> {
    if is_slug(s) {
        return Ok(());
    }
    Err(Error::invalid(
        what,
        format!("a {what}'s slug is lowercase letters, digits and hyphens, not `{s}`"),
    ))
}

/// A control's name, checked: what a new control is called wherever it was first named.
pub fn control_name<'a>(slug: &str, name: &'a str) -> Result<&'a str> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > SHORT_MAX {
        return Err(Error::invalid(
            "controls",
            format!("the control `{slug}` needs a name of at most {SHORT_MAX} characters"),
        ));
    }
    Ok(name)
}
