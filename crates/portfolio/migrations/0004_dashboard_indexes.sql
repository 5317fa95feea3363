-- Covering indexes for the dashboard's aggregates, so each is one pass over an index instead
-- of a visit to every row: figures by stage (and the stage a parked case left), aging, and
-- the ownership-gap scan (which needs the id); figures by business unit.
CREATE INDEX use_cases_dashboard ON use_cases
    (archived, stage, left_stage, stage_since, expected_benefit, id);
CREATE INDEX use_cases_unit ON use_cases (archived, business_unit, expected_benefit);
