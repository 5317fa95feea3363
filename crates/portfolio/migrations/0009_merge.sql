-- Merging two use cases: the one merged away is archived and points at the one that
-- survives, whose history then includes its entries.
ALTER TABLE use_cases ADD COLUMN merged_into TEXT REFERENCES use_cases(id) ON DELETE SET NULL;
CREATE INDEX use_cases_merged_into ON use_cases (merged_into) WHERE merged_into IS NOT NULL;
