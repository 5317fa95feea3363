-- Sync with the central registry. The change log is the outbox: each entry now says which
-- desktop made it (NULL: this one), the registry sequence its author had seen (so the
-- registry can tell a concurrent edit from an informed one), the sequence the registry gave
-- it, its per-field sync key, and why the registry refused it, if it did.
-- `synced`: 0 waiting to be sent, 1 on the registry, 2 settled here without it (a refused
-- change that was reverted, or the revert itself).
ALTER TABLE change_log ADD COLUMN origin TEXT;
ALTER TABLE change_log ADD COLUMN base_seq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE change_log ADD COLUMN server_seq INTEGER;
ALTER TABLE change_log ADD COLUMN sync_key TEXT;
ALTER TABLE change_log ADD COLUMN rejected TEXT;
UPDATE change_log SET sync_key =
    entity || ':' ||
    CASE WHEN entity = 'person' THEN lower(coalesce(json_extract(new, '$.email'), entity_id)) ELSE entity_id END || ':' ||
    CASE kind WHEN 'unarchive' THEN 'archive' ELSE kind END || ':' ||
    CASE kind WHEN 'kpi_actual' THEN coalesce(note, '') ELSE coalesce(field, '') END;
CREATE INDEX change_log_sync_key ON change_log (sync_key, seq);
CREATE INDEX change_log_outbox ON change_log (seq) WHERE synced = 0 AND demo = 0 AND rejected IS NULL;
-- This desktop's own changes by the place the registry gave them: a page of the registry's
-- log looks up which of them it must not write over.
CREATE INDEX change_log_own ON change_log (server_seq) WHERE origin IS NULL;
DROP INDEX change_log_unsynced;

CREATE TABLE sync_state (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    desktop_id   TEXT NOT NULL,              -- this desktop's origin id on the registry
    registry_url TEXT,
    registry_user TEXT,                      -- the token's user: the only actor allowed here
    cursor       INTEGER NOT NULL DEFAULT 0, -- the last registry sequence applied here
    last_sync_at TEXT,
    last_error   TEXT
) STRICT;
INSERT INTO sync_state (id, desktop_id) VALUES (1, lower(hex(randomblob(16))));

-- A field changed here and on another desktop since their common version: kept until a
-- person chooses (mine, theirs or another value); the choice is an ordinary change.
CREATE TABLE sync_conflicts (
    id           TEXT PRIMARY KEY,       -- the id of the change that overrode the other
    seq          INTEGER NOT NULL,       -- its registry sequence: a change made after seeing it settles it
    sync_key     TEXT NOT NULL,
    entity       TEXT NOT NULL,
    entity_id    TEXT NOT NULL,
    use_case_id  TEXT,
    kind         TEXT NOT NULL,
    field        TEXT,
    mine         TEXT,               -- JSON
    theirs       TEXT,               -- JSON
    base         TEXT,               -- JSON
    theirs_actor TEXT NOT NULL,
    opened_at    TEXT NOT NULL,
    resolved_at  TEXT
) STRICT;
CREATE INDEX sync_conflicts_open ON sync_conflicts (sync_key) WHERE resolved_at IS NULL;
