-- Changes the registry served that this desktop could not apply (a kind or value this
-- version does not know, a record it does not have): kept with the reason and listed, while
-- every other change is applied and syncing goes on. The served change is kept whole, so
-- nothing of it is lost to a later version that can apply it.
CREATE TABLE sync_set_aside (
    change_id    TEXT PRIMARY KEY,
    seq          INTEGER NOT NULL,
    entity       TEXT NOT NULL,
    entity_id    TEXT NOT NULL,
    use_case_id  TEXT,
    kind         TEXT NOT NULL,
    field        TEXT,
    actor        TEXT NOT NULL,
    at           TEXT NOT NULL,
    reason       TEXT NOT NULL,
    served       TEXT NOT NULL,
    set_aside_at TEXT NOT NULL
);
