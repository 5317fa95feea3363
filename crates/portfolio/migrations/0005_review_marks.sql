-- Review points: a portfolio lead marks one at each portfolio review; the app lists what
-- changed since the latest (from the change log, where the mark is recorded too).
CREATE TABLE review_marks (
    id      TEXT PRIMARY KEY,
    at      TEXT NOT NULL,
    actor   TEXT NOT NULL,
    note    TEXT,
    demo    INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX review_marks_at ON review_marks (at);
CREATE INDEX change_log_at ON change_log (at);
