//! The sync protocol between a desktop and the registry: the wire types, the kinds of
//! record (`Entity`) and of change (`ChangeKind`) a change log holds, which of them travel,
//! the key changes merge on, and which kinds conflict. The desktop's engine and the registry
//! both build on this crate, so the two ends key and compare changes the same way.

pub mod change;
pub mod rules;
pub mod wire;

pub use change::{ChangeKind, Entity};

use serde_json::Value;
use wire::WireChange;

use ChangeKind as K;

/// The kinds of change that travel, by entity. What is not listed stays on the desktop that
/// made it (see the README's sync section for what travels today).
pub const SYNCED: &[(Entity, &[ChangeKind])] = &[
    (
        Entity::UseCase,
        &[
            K::Create,
            K::Field,
            K::Owner,
            K::Score,
            K::Stage,
            K::Archive,
            K::Unarchive,
            K::Delete,
            K::Pattern,
            K::Control,
            K::Triage,
            K::Merge,
        ],
    ),
    (Entity::Person, &[K::Create]),
    (
        Entity::Pattern,
        &[K::Create, K::Field, K::Retire, K::Unretire],
    ),
    (Entity::Kpi, &[K::Kpi, K::KpiActual]),
    (Entity::ScoringModel, &[K::Model]),
    (Entity::GateRules, &[K::GateRules]),
];

/// Kinds that set one value, so two concurrent changes of one key are a conflict. (A
/// `create` or `delete` has no rival; two desktops adding one person are one person; the
/// later of an archive and a bring-back stands.)
pub const CONFLICTING: &[ChangeKind] = &[
    K::Field,
    K::Owner,
    K::Score,
    K::Stage,
    K::Pattern,
    K::Control,
    K::Triage,
    K::Model,
    K::GateRules,
];

/// The kind a change merges as. Archiving and bringing back set one flag, as do retiring
/// and bringing back a pattern; adding a pattern sets its whole record, as an edit does (its
/// slug is chosen by a person, so two desktops adding one slug are rivals).
fn merges_as<'a>(entity: &str, kind: &'a str) -> &'a str {
    match (entity, kind) {
        (_, "unarchive") => K::Archive.as_str(),
        ("pattern", "unretire") => K::Retire.as_str(),
        ("pattern", "create") => K::Field.as_str(),
        _ => kind,
    }
}

/// Whether two concurrent changes of this kind to one key are a conflict.
pub fn conflicting(entity: &str, kind: &str) -> bool {
    let kind = merges_as(entity, kind);
    CONFLICTING.iter().any(|k| k.as_str() == kind)
}

/// Whether changes of this kind to this entity go to the registry.
pub fn travels(entity: &str, kind: &str) -> bool {
    SYNCED
        .iter()
        .any(|(e, kinds)| e.as_str() == entity && kinds.iter().any(|k| k.as_str() == kind))
}

/// The key changes merge on: one field of one record, by the kind it merges as. A person is
/// keyed by e-mail, the same on every desktop; a KPI's actual by its day (its note says
/// which), since each day holds its own value.
pub fn key(
    entity: &str,
    entity_id: &str,
    kind: &str,
    field: Option<&str>,
    new: Option<&Value>,
    note: Option<&str>,
) -> String {
    let id = match (
        entity,
        new.and_then(|v| v.get("email")).and_then(Value::as_str),
    ) {
        ("person", Some(email)) => email.to_lowercase(),
        _ => entity_id.to_owned(),
    };
    let kind = merges_as(entity, kind);
    let field = if kind == K::KpiActual.as_str() {
        note
    } else {
        field
    };
    format!("{entity}:{id}:{kind}:{}", field.unwrap_or(""))
}

/// The key of a change as it travels.
pub fn key_of(c: &WireChange) -> String {
    key(
        &c.entity,
        &c.entity_id,
        &c.kind,
        c.field.as_deref(),
        c.new.as_ref(),
        c.note.as_deref(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_that_travels_has_a_name_that_parses_back() {
        for (entity, kinds) in SYNCED {
            assert_eq!(Entity::parse(entity.as_str()), Some(*entity));
            for k in *kinds {
                assert_eq!(ChangeKind::parse(k.as_str()), Some(*k));
                assert!(travels(entity.as_str(), k.as_str()));
            }
        }
        assert!(
            !travels("saved_view", "save"),
            "saved views stay on their desktop"
        );
        assert!(!travels("use_case", "restore"), "a put-back is never sent");
    }

    #[test]
    fn archiving_and_bringing_back_share_a_key_and_a_pattern_is_one_record() {
        let archive = key("use_case", "u1", "archive", None, None, None);
        assert_eq!(
            archive,
            key("use_case", "u1", "unarchive", None, None, None)
        );
        let added = key("pattern", "rag", "create", None, None, None);
        assert_eq!(added, key("pattern", "rag", "field", None, None, None));
        assert!(conflicting("pattern", "create"));
        assert!(!conflicting("use_case", "create"));
        assert!(!conflicting("use_case", "archive"));
    }

    #[test]
    fn a_person_is_keyed_by_email_and_an_actual_by_its_day() {
        let new = serde_json::json!({"email": "Ada@Example.org"});
        assert_eq!(
            key("person", "p1", "create", None, Some(&new), None),
            key("person", "p2", "create", None, Some(&new), None),
        );
        assert_eq!(
            key(
                "kpi",
                "k1",
                "kpi_actual",
                Some("x"),
                None,
                Some("measured on 2026-01-02")
            ),
            "kpi:k1:kpi_actual:measured on 2026-01-02"
        );
    }
}
