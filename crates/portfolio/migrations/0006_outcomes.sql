-- Outcomes: the benefit a use case realises from Pilot on (beside the expected benefit it
-- was scored with), and KPIs with their actuals over time.
ALTER TABLE use_cases ADD COLUMN realised_benefit REAL;

CREATE TABLE kpis (
    id          TEXT PRIMARY KEY,
    use_case_id TEXT NOT NULL REFERENCES use_cases(id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    unit        TEXT NOT NULL DEFAULT '',
    baseline    REAL,
    target      REAL NOT NULL,
    -- 'higher' or 'lower': which way is better.
    direction   TEXT NOT NULL CHECK (direction IN ('higher', 'lower')),
    -- The date the target is due (YYYY-MM-DD), if any: on-track is judged against the
    -- straight line from baseline to target.
    due         TEXT,
    created_at  TEXT NOT NULL,
    demo        INTEGER NOT NULL DEFAULT 0,
    UNIQUE (use_case_id, name)
) STRICT;

CREATE TABLE kpi_actuals (
    kpi_id      TEXT NOT NULL REFERENCES kpis(id) ON DELETE CASCADE,
    on_date     TEXT NOT NULL,
    value       REAL NOT NULL,
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    PRIMARY KEY (kpi_id, on_date)
) STRICT;
