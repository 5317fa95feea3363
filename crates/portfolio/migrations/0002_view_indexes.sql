-- Indexes that serve the portfolio's default views a page at a time: filtered by stage
-- and business unit, ordered by priority (ties: value, title) or by last update.
DROP INDEX use_cases_stage;
CREATE INDEX use_cases_stage_priority ON use_cases
    (stage, business_unit, archived, priority DESC, value_score DESC, title COLLATE NOCASE, id);
CREATE INDEX use_cases_stage_updated ON use_cases (stage, business_unit, archived, updated_at DESC);
CREATE INDEX use_cases_title ON use_cases (archived, title COLLATE NOCASE, id);
DROP INDEX use_cases_priority;
CREATE INDEX use_cases_priority ON use_cases
    (archived, priority DESC, value_score DESC, title COLLATE NOCASE, id);
