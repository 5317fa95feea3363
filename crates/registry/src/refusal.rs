//! Why the registry refuses a pushed change: the reason, for the person, and its cause, a
//! closed set the metrics count refusals by.

/// Why a change is refused: the reason, for the person, and its cause, for the metrics.
#[derive(Debug)]
pub struct Refusal {
    pub cause: Cause,
    pub reason: String,
}

/// What kind of refusal it is (a closed set: the metrics label pushes refused by it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cause {
    /// The sender's role may not make it.
    Role,
    /// Sent with another person's token.
    Identity,
    /// A kind of change this registry does not take.
    UnknownKind,
    /// A value no desktop could apply, or a relation the registry's records contradict.
    Invalid,
    /// About a record the registry does not have (or has deleted).
    Missing,
    /// An id another change or record holds already.
    Taken,
}

impl Cause {
    pub const ALL: [Cause; 6] = [
        Cause::Role,
        Cause::Identity,
        Cause::UnknownKind,
        Cause::Invalid,
        Cause::Missing,
        Cause::Taken,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Cause::Role => "role",
            Cause::Identity => "identity",
            Cause::UnknownKind => "unknown_kind",
            Cause::Invalid => "invalid",
            Cause::Missing => "missing_record",
            Cause::Taken => "id_taken",
        }
    }
}
