-- The pattern catalogue travels: adding and editing a pattern set one record (one sync key,
-- so two desktops adding one slug meet as a conflict), as retiring and bringing one back
-- set one flag.
UPDATE change_log SET sync_key =
    'pattern:' || entity_id || ':' ||
    CASE kind WHEN 'create' THEN 'field' WHEN 'unretire' THEN 'retire' ELSE kind END || ':' ||
    coalesce(field, '')
WHERE entity = 'pattern';
