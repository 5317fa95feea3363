-- Saved views: a named set of filters and a sort, shown in the sidebar.
CREATE TABLE saved_views (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE COLLATE NOCASE,
    query      TEXT NOT NULL,          -- JSON: ListQuery without paging
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL
) STRICT;
