-- The first release's store. A migration that has shipped is never edited: add a new one.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE people (
    id            TEXT PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE COLLATE NOCASE,
    name          TEXT NOT NULL,
    business_unit TEXT NOT NULL DEFAULT '',
    demo          INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL
) STRICT;

-- Every version of the scoring model is kept; the highest is active.
CREATE TABLE scoring_models (
    version    INTEGER PRIMARY KEY,
    model      TEXT NOT NULL,          -- JSON: criteria, rubrics, weights, thresholds
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL
) STRICT;

-- Gate rules are data, versioned like the scoring model; the highest is active.
CREATE TABLE gate_rules (
    version    INTEGER PRIMARY KEY,
    rules      TEXT NOT NULL,          -- JSON: stage -> requirements
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL
) STRICT;

CREATE TABLE use_cases (
    id                TEXT PRIMARY KEY,
    title             TEXT NOT NULL,
    problem           TEXT NOT NULL DEFAULT '',
    solution          TEXT NOT NULL DEFAULT '',
    business_unit     TEXT NOT NULL DEFAULT '',
    proposer_id       TEXT REFERENCES people(id),
    expected_benefit  REAL,
    expected_cost     REAL,
    data_sources      TEXT NOT NULL DEFAULT '[]',   -- JSON array of strings
    tags              TEXT NOT NULL DEFAULT '[]',   -- JSON array; use_case_tags indexes it
    attributes        TEXT NOT NULL DEFAULT '{}',   -- JSON object of custom attributes
    source_id         TEXT,
    stage             TEXT NOT NULL DEFAULT 'idea',
    stage_since       TEXT NOT NULL,
    left_stage        TEXT,                         -- the stage a parked/retired case left
    -- Derived from the criterion scores and the active model; cached for sorting.
    value_score       REAL,
    feasibility_score REAL,
    priority          REAL,
    quadrant          TEXT,
    archived          INTEGER NOT NULL DEFAULT 0,
    demo              INTEGER NOT NULL DEFAULT 0,
    version           INTEGER NOT NULL DEFAULT 1,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
) STRICT;

CREATE INDEX use_cases_priority ON use_cases (archived, priority DESC, value_score DESC, title);
CREATE INDEX use_cases_updated ON use_cases (archived, updated_at DESC);
CREATE INDEX use_cases_stage ON use_cases (stage, business_unit);
CREATE INDEX use_cases_business_unit ON use_cases (business_unit);
CREATE INDEX use_cases_quadrant ON use_cases (quadrant);
CREATE INDEX use_cases_source ON use_cases (source_id);

CREATE TABLE use_case_owners (
    use_case_id TEXT NOT NULL REFERENCES use_cases(id) ON DELETE CASCADE,
    role        TEXT NOT NULL CHECK (role IN ('business', 'technical', 'data', 'risk')),
    person_id   TEXT NOT NULL REFERENCES people(id),
    PRIMARY KEY (use_case_id, role)
) STRICT;
CREATE INDEX use_case_owners_person ON use_case_owners (person_id);

CREATE TABLE use_case_scores (
    use_case_id TEXT NOT NULL REFERENCES use_cases(id) ON DELETE CASCADE,
    criterion   TEXT NOT NULL,
    score       INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
    PRIMARY KEY (use_case_id, criterion)
) STRICT;

CREATE TABLE use_case_tags (
    use_case_id TEXT NOT NULL REFERENCES use_cases(id) ON DELETE CASCADE,
    tag         TEXT NOT NULL COLLATE NOCASE,
    PRIMARY KEY (use_case_id, tag)
) STRICT;
CREATE INDEX use_case_tags_tag ON use_case_tags (tag);

-- What each scoring-model version last scored a use case at: the scores' own history.
CREATE TABLE use_case_model_scores (
    use_case_id       TEXT NOT NULL REFERENCES use_cases(id) ON DELETE CASCADE,
    model_version     INTEGER NOT NULL,
    value_score       REAL,
    feasibility_score REAL,
    quadrant          TEXT,
    at                TEXT NOT NULL,
    PRIMARY KEY (use_case_id, model_version)
) STRICT;

-- The append-only change log: the audit trail, "what changed since", and the sync outbox.
CREATE TABLE change_log (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    id          TEXT NOT NULL UNIQUE,             -- UUID v7: unique across desktops
    entity      TEXT NOT NULL,                    -- use_case, person, scoring_model, gate_rules, settings
    entity_id   TEXT NOT NULL,
    use_case_id TEXT,
    kind        TEXT NOT NULL,
    field       TEXT,
    old         TEXT,                             -- JSON
    new         TEXT,                             -- JSON
    note        TEXT,
    actor       TEXT NOT NULL,
    at          TEXT NOT NULL,
    demo        INTEGER NOT NULL DEFAULT 0,       -- demo data never leaves the desktop
    synced      INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX change_log_use_case ON change_log (use_case_id, seq);
CREATE INDEX change_log_unsynced ON change_log (synced, seq);

CREATE VIRTUAL TABLE use_cases_fts USING fts5(
    title, problem, solution,
    content = 'use_cases', content_rowid = 'rowid',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER use_cases_fts_insert AFTER INSERT ON use_cases BEGIN
    INSERT INTO use_cases_fts (rowid, title, problem, solution)
    VALUES (new.rowid, new.title, new.problem, new.solution);
END;
CREATE TRIGGER use_cases_fts_delete AFTER DELETE ON use_cases BEGIN
    INSERT INTO use_cases_fts (use_cases_fts, rowid, title, problem, solution)
    VALUES ('delete', old.rowid, old.title, old.problem, old.solution);
END;
CREATE TRIGGER use_cases_fts_update AFTER UPDATE OF title, problem, solution ON use_cases BEGIN
    INSERT INTO use_cases_fts (use_cases_fts, rowid, title, problem, solution)
    VALUES ('delete', old.rowid, old.title, old.problem, old.solution);
    INSERT INTO use_cases_fts (rowid, title, problem, solution)
    VALUES (new.rowid, new.title, new.problem, new.solution);
END;
