-- The registry's tables as every release before versioned migrations made them (`IF NOT
-- EXISTS`, so a registry those releases wrote takes this as its first version unchanged).
-- The same SQL on SQLite and PostgreSQL.

CREATE TABLE IF NOT EXISTS tokens (
    id          TEXT PRIMARY KEY,
    user_email  TEXT NOT NULL,
    role        TEXT NOT NULL,
    hash        TEXT NOT NULL UNIQUE,   -- SHA-256 of the token: the secret is never stored
    created_at  TEXT NOT NULL,
    expires_at  TEXT,
    revoked_at  TEXT
);

-- Every accepted change, in the order the registry accepted them.
CREATE TABLE IF NOT EXISTS changes (
    seq         BIGINT PRIMARY KEY,
    id          TEXT NOT NULL UNIQUE,
    sync_key    TEXT NOT NULL,
    origin      TEXT NOT NULL,
    entity      TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    use_case_id TEXT,
    kind        TEXT NOT NULL,
    field       TEXT,
    old         TEXT,
    new         TEXT,
    note        TEXT,
    actor       TEXT NOT NULL,
    at          TEXT NOT NULL,
    base        BIGINT NOT NULL,
    conflict    TEXT,
    received_at TEXT NOT NULL
);

-- The latest change of each field: the snapshot, read in sequence order.
CREATE TABLE IF NOT EXISTS latest (
    sync_key TEXT PRIMARY KEY,
    seq      BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS latest_seq ON latest (seq);

-- What the permission table needs to know about each use case.
CREATE TABLE IF NOT EXISTS use_cases (
    id         TEXT PRIMARY KEY,
    created_by TEXT NOT NULL,
    proposer   TEXT,
    deleted    INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS owners (
    use_case_id TEXT NOT NULL,
    role        TEXT NOT NULL,
    email       TEXT NOT NULL,
    PRIMARY KEY (use_case_id, role)
);

-- The one-off upgrades of an older store already made (by name).
CREATE TABLE IF NOT EXISTS upgrades (name TEXT PRIMARY KEY);

-- The use case each KPI belongs to, as its first accepted record said (and merges moved).
CREATE TABLE IF NOT EXISTS kpis (
    id          TEXT PRIMARY KEY,
    use_case_id TEXT NOT NULL
);
