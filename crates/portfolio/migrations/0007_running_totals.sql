-- The dashboard and weight sensitivity at 100,000 use cases: what they used to work out
-- from every row on every view is kept as it changes, by triggers (in the same transaction
-- as the write, whoever writes) or beside the cached scores.

-- Which owner roles a use case has, as bits: business 1, technical 2, data 4, risk 8.
ALTER TABLE use_cases ADD COLUMN owner_roles INTEGER NOT NULL DEFAULT 0;
UPDATE use_cases SET owner_roles = COALESCE((
    SELECT SUM(CASE o.role WHEN 'business' THEN 1 WHEN 'technical' THEN 2 WHEN 'data' THEN 4 ELSE 8 END)
    FROM use_case_owners o WHERE o.use_case_id = use_cases.id), 0);

CREATE TRIGGER owner_roles_insert AFTER INSERT ON use_case_owners BEGIN
    UPDATE use_cases
    SET owner_roles = owner_roles | (CASE NEW.role WHEN 'business' THEN 1 WHEN 'technical' THEN 2 WHEN 'data' THEN 4 ELSE 8 END)
    WHERE id = NEW.use_case_id;
END;
CREATE TRIGGER owner_roles_delete AFTER DELETE ON use_case_owners BEGIN
    UPDATE use_cases
    SET owner_roles = owner_roles & ~(CASE OLD.role WHEN 'business' THEN 1 WHEN 'technical' THEN 2 WHEN 'data' THEN 4 ELSE 8 END)
    WHERE id = OLD.use_case_id;
END;
CREATE TRIGGER owner_roles_update AFTER UPDATE OF use_case_id, role ON use_case_owners BEGIN
    UPDATE use_cases SET owner_roles = COALESCE((
        SELECT SUM(CASE o.role WHEN 'business' THEN 1 WHEN 'technical' THEN 2 WHEN 'data' THEN 4 ELSE 8 END)
        FROM use_case_owners o WHERE o.use_case_id = use_cases.id), 0)
    WHERE id IN (OLD.use_case_id, NEW.use_case_id);
END;

-- Ownership gaps (past Assessment without a technical or a data owner), highest priority first.
CREATE INDEX use_cases_ownership_gaps ON use_cases (priority DESC, title COLLATE NOCASE, id)
    WHERE archived = 0 AND stage IN ('proof-of-concept', 'pilot', 'production', 'scaled')
      AND owner_roles & 6 <> 6;

-- Aging: the oldest and the stale of each stage are a seek and a range in this index.
DROP INDEX use_cases_dashboard;
DROP INDEX use_cases_unit;
CREATE INDEX use_cases_aging ON use_cases (archived, stage, stage_since);

-- Live (unarchived) use cases by stage (and the stage a parked or retired one left: '' for
-- none) and by business unit.
CREATE TABLE stage_totals (
    stage      TEXT NOT NULL,
    left_stage TEXT NOT NULL,
    n          INTEGER NOT NULL,
    benefit    REAL NOT NULL,
    realised   REAL NOT NULL,
    -- how many recorded a realised benefit, and the expected benefit of those
    recorded   INTEGER NOT NULL,
    expected_where_recorded REAL NOT NULL,
    -- the sum of julianday(stage_since), for the average days in stage
    since      REAL NOT NULL,
    PRIMARY KEY (stage, left_stage)
) STRICT, WITHOUT ROWID;

CREATE TABLE unit_totals (
    business_unit TEXT PRIMARY KEY,
    n             INTEGER NOT NULL,
    benefit       REAL NOT NULL,
    realised      REAL NOT NULL
) STRICT, WITHOUT ROWID;

INSERT INTO stage_totals
SELECT stage, COALESCE(left_stage, ''), COUNT(*), TOTAL(expected_benefit), TOTAL(realised_benefit),
       COUNT(realised_benefit), TOTAL(CASE WHEN realised_benefit IS NOT NULL THEN expected_benefit END),
       TOTAL(julianday(stage_since))
FROM use_cases WHERE archived = 0 GROUP BY stage, COALESCE(left_stage, '');

INSERT INTO unit_totals
SELECT business_unit, COUNT(*), TOTAL(expected_benefit), TOTAL(realised_benefit)
FROM use_cases WHERE archived = 0 GROUP BY business_unit;

-- One row's share of the totals, added (sign 1) or taken away (sign -1). SQLite triggers
-- cannot call a routine, so the four triggers below spell the same two upserts.
CREATE TRIGGER use_cases_totals_insert AFTER INSERT ON use_cases WHEN NEW.archived = 0 BEGIN
    INSERT INTO stage_totals VALUES (NEW.stage, COALESCE(NEW.left_stage, ''), 1,
        COALESCE(NEW.expected_benefit, 0), COALESCE(NEW.realised_benefit, 0),
        NEW.realised_benefit IS NOT NULL,
        CASE WHEN NEW.realised_benefit IS NOT NULL THEN COALESCE(NEW.expected_benefit, 0) ELSE 0 END,
        julianday(NEW.stage_since))
    ON CONFLICT DO UPDATE SET n = n + excluded.n, benefit = benefit + excluded.benefit,
        realised = realised + excluded.realised, recorded = recorded + excluded.recorded,
        expected_where_recorded = expected_where_recorded + excluded.expected_where_recorded,
        since = since + excluded.since;
    INSERT INTO unit_totals VALUES (NEW.business_unit, 1, COALESCE(NEW.expected_benefit, 0),
        COALESCE(NEW.realised_benefit, 0))
    ON CONFLICT DO UPDATE SET n = n + excluded.n, benefit = benefit + excluded.benefit,
        realised = realised + excluded.realised;
END;

CREATE TRIGGER use_cases_totals_delete AFTER DELETE ON use_cases WHEN OLD.archived = 0 BEGIN
    INSERT INTO stage_totals VALUES (OLD.stage, COALESCE(OLD.left_stage, ''), -1,
        -COALESCE(OLD.expected_benefit, 0), -COALESCE(OLD.realised_benefit, 0),
        -(OLD.realised_benefit IS NOT NULL),
        -(CASE WHEN OLD.realised_benefit IS NOT NULL THEN COALESCE(OLD.expected_benefit, 0) ELSE 0 END),
        -julianday(OLD.stage_since))
    ON CONFLICT DO UPDATE SET n = n + excluded.n, benefit = benefit + excluded.benefit,
        realised = realised + excluded.realised, recorded = recorded + excluded.recorded,
        expected_where_recorded = expected_where_recorded + excluded.expected_where_recorded,
        since = since + excluded.since;
    INSERT INTO unit_totals VALUES (OLD.business_unit, -1, -COALESCE(OLD.expected_benefit, 0),
        -COALESCE(OLD.realised_benefit, 0))
    ON CONFLICT DO UPDATE SET n = n + excluded.n, benefit = benefit + excluded.benefit,
        realised = realised + excluded.realised;
END;

CREATE TRIGGER use_cases_totals_update_old AFTER UPDATE OF stage, left_stage, archived,
    business_unit, expected_benefit, realised_benefit, stage_since ON use_cases
    WHEN OLD.archived = 0 BEGIN
    INSERT INTO stage_totals VALUES (OLD.stage, COALESCE(OLD.left_stage, ''), -1,
        -COALESCE(OLD.expected_benefit, 0), -COALESCE(OLD.realised_benefit, 0),
        -(OLD.realised_benefit IS NOT NULL),
        -(CASE WHEN OLD.realised_benefit IS NOT NULL THEN COALESCE(OLD.expected_benefit, 0) ELSE 0 END),
        -julianday(OLD.stage_since))
    ON CONFLICT DO UPDATE SET n = n + excluded.n, benefit = benefit + excluded.benefit,
        realised = realised + excluded.realised, recorded = recorded + excluded.recorded,
        expected_where_recorded = expected_where_recorded + excluded.expected_where_recorded,
        since = since + excluded.since;
    INSERT INTO unit_totals VALUES (OLD.business_unit, -1, -COALESCE(OLD.expected_benefit, 0),
        -COALESCE(OLD.realised_benefit, 0))
    ON CONFLICT DO UPDATE SET n = n + excluded.n, benefit = benefit + excluded.benefit,
        realised = realised + excluded.realised;
END;

CREATE TRIGGER use_cases_totals_update_new AFTER UPDATE OF stage, left_stage, archived,
    business_unit, expected_benefit, realised_benefit, stage_since ON use_cases
    WHEN NEW.archived = 0 BEGIN
    INSERT INTO stage_totals VALUES (NEW.stage, COALESCE(NEW.left_stage, ''), 1,
        COALESCE(NEW.expected_benefit, 0), COALESCE(NEW.realised_benefit, 0),
        NEW.realised_benefit IS NOT NULL,
        CASE WHEN NEW.realised_benefit IS NOT NULL THEN COALESCE(NEW.expected_benefit, 0) ELSE 0 END,
        julianday(NEW.stage_since))
    ON CONFLICT DO UPDATE SET n = n + excluded.n, benefit = benefit + excluded.benefit,
        realised = realised + excluded.realised, recorded = recorded + excluded.recorded,
        expected_where_recorded = expected_where_recorded + excluded.expected_where_recorded,
        since = since + excluded.since;
    INSERT INTO unit_totals VALUES (NEW.business_unit, 1, COALESCE(NEW.expected_benefit, 0),
        COALESCE(NEW.realised_benefit, 0))
    ON CONFLICT DO UPDATE SET n = n + excluded.n, benefit = benefit + excluded.benefit,
        realised = realised + excluded.realised;
END;

-- Weight sensitivity re-scores every use case under 2 × (criteria) weightings; reading their
-- criterion scores row by row was most of its time. A fully scored use case keeps them here
-- as digits 1–5 in the active model's criterion order (value criteria, then feasibility),
-- written with the cached scores; null until fully scored.
ALTER TABLE use_cases ADD COLUMN score_digits TEXT;
WITH model AS (SELECT model FROM scoring_models ORDER BY version DESC LIMIT 1),
criteria AS (
    SELECT 0 AS axis, CAST(j.key AS INTEGER) AS pos, json_extract(j.value, '$.slug') AS slug
    FROM model, json_each(model.model, '$.value') j
    UNION ALL
    SELECT 1, CAST(j.key AS INTEGER), json_extract(j.value, '$.slug')
    FROM model, json_each(model.model, '$.feasibility') j)
UPDATE use_cases SET score_digits = (
    SELECT group_concat(score, '') FROM (
        SELECT s.score FROM criteria c
        JOIN use_case_scores s ON s.use_case_id = use_cases.id AND s.criterion = c.slug
        ORDER BY c.axis, c.pos))
WHERE priority IS NOT NULL;
