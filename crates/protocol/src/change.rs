//! What a change-log entry is about (`Entity`) and what it does (`ChangeKind`), by name. On
//! the wire both stay text, so a change of a kind one end does not know is refused or set
//! aside by itself instead of failing the whole exchange; in code they are these enums.

/// Declares an enum of names with `as_str`, `parse` and `ALL`.
macro_rules! names {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $v:ident = $s:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name { $($(#[$vm])* $v),+ }

        impl $name {
            pub const ALL: &[$name] = &[$($name::$v),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$v => $s),+ }
            }

            pub fn parse(s: &str) -> Option<$name> {
                match s { $($s => Some($name::$v),)+ _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

names! {
    /// The kind of record a change is about.
    Entity {
        UseCase = "use_case",
        Person = "person",
        Pattern = "pattern",
        Kpi = "kpi",
        ScoringModel = "scoring_model",
        GateRules = "gate_rules",
        /// This desktop's preferences (never sent).
        Settings = "settings",
        SavedView = "saved_view",
        ReviewMark = "review_mark",
    }
}

names! {
    /// What a change does.
    ChangeKind {
        Create = "create",
        /// One field of a use case (`field` names it), or a pattern's whole record.
        Field = "field",
        Owner = "owner",
        Score = "score",
        Stage = "stage",
        Archive = "archive",
        Unarchive = "unarchive",
        Delete = "delete",
        /// A use case mapped to a pattern (`field` is its slug) or taken off it.
        Pattern = "pattern",
        Control = "control",
        Triage = "triage",
        Merge = "merge",
        Retire = "retire",
        Unretire = "unretire",
        /// A KPI's definition.
        Kpi = "kpi",
        KpiActual = "kpi_actual",
        Model = "model",
        GateRules = "gate_rules",
        /// A use case whose refused deletion was put back here (never sent).
        Restore = "restore",
        Settings = "settings",
        Save = "save",
        Review = "review",
    }
}
