-- Reference architecture patterns: a catalogue architects keep (a starter set is loaded into
-- an empty catalogue), the use cases mapped to them (one primary), and the controls a use
-- case inherits from its patterns with a status each.
CREATE TABLE controls (
    slug        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE TABLE patterns (
    slug        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    components  TEXT NOT NULL DEFAULT '[]',   -- JSON array of strings
    retired     INTEGER NOT NULL DEFAULT 0,
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;

-- The controls a pattern requires, in the order the pattern lists them.
CREATE TABLE pattern_controls (
    pattern_slug TEXT NOT NULL REFERENCES patterns(slug) ON UPDATE CASCADE,
    control_slug TEXT NOT NULL REFERENCES controls(slug),
    position     INTEGER NOT NULL,
    PRIMARY KEY (pattern_slug, control_slug)
) STRICT;

CREATE TABLE use_case_patterns (
    use_case_id  TEXT NOT NULL REFERENCES use_cases(id) ON DELETE CASCADE,
    pattern_slug TEXT NOT NULL REFERENCES patterns(slug) ON UPDATE CASCADE,
    is_primary   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (use_case_id, pattern_slug)
) STRICT;
CREATE UNIQUE INDEX use_case_primary_pattern ON use_case_patterns (use_case_id) WHERE is_primary = 1;
CREATE INDEX use_case_patterns_pattern ON use_case_patterns (pattern_slug);

-- A control's status on a use case; a control without a row here is open.
CREATE TABLE use_case_controls (
    use_case_id  TEXT NOT NULL REFERENCES use_cases(id) ON DELETE CASCADE,
    control_slug TEXT NOT NULL REFERENCES controls(slug),
    status       TEXT NOT NULL CHECK (status IN ('open', 'in-place', 'not-applicable')),
    note         TEXT,
    updated_at   TEXT NOT NULL,
    updated_by   TEXT NOT NULL,
    PRIMARY KEY (use_case_id, control_slug)
) STRICT;

-- Why a use case has no primary pattern (a gate accepts a recorded reason instead).
ALTER TABLE use_cases ADD COLUMN no_pattern_reason TEXT;
