-- EU AI Act triage: a use case's answers under a versioned rule set (the questions as they
-- were asked are kept, so a newer rule set can say which answers it affects), the tier they
-- gave and why, and the deployer's high-impact and personal-data flags. The tier is also
-- cached on the use case for lists and exports.
CREATE TABLE use_case_triage (
    use_case_id   TEXT PRIMARY KEY REFERENCES use_cases(id) ON DELETE CASCADE,
    rule_set      TEXT NOT NULL,
    version       INTEGER NOT NULL,
    answers       TEXT NOT NULL,   -- JSON {question id: true|false}
    questions     TEXT NOT NULL,   -- JSON {question id: {text, effect}} as asked
    tier          TEXT NOT NULL,
    reasons       TEXT NOT NULL,   -- JSON array of strings
    needed        TEXT NOT NULL,   -- JSON array of question ids still to answer
    high_impact   INTEGER,
    personal_data INTEGER,
    at            TEXT NOT NULL,
    actor         TEXT NOT NULL
) STRICT;
ALTER TABLE use_cases ADD COLUMN risk_tier TEXT;
