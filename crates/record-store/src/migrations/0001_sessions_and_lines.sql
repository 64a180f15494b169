-- Schema version 1: sessions and the product lines of their final lists.
--
-- Times are INTEGER ms since the Unix epoch (UTC). Prices are TEXT holding the exact decimal the
-- server sent, scale included ("6.50000"), because REAL would round them. Ids are INTEGER, which
-- SQLite stores as exact 64-bit integers.

-- AUTOINCREMENT keeps ids from being reused after a delete, since journal files are named by id.
CREATE TABLE sessions (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    device_no       TEXT    NOT NULL,
    device_name     TEXT,
    endpoint_host   TEXT    NOT NULL,
    started_at_ms   INTEGER NOT NULL,
    ended_at_ms     INTEGER,
    -- The Rust enum Outcome validates the names, so adding one needs no table rebuild.
    outcome         TEXT    NOT NULL DEFAULT 'in_progress',
    server_message  TEXT,
    code            INTEGER,
    close_code      INTEGER,
    detail          TEXT,
    record_id       INTEGER,
    final_at_ms     INTEGER,
    duplicate_of    INTEGER REFERENCES sessions (id)
);

-- The same final list received twice from one server is stored once.
CREATE UNIQUE INDEX sessions_record_per_host
    ON sessions (endpoint_host, record_id)
    WHERE record_id IS NOT NULL;

CREATE INDEX sessions_started ON sessions (started_at_ms);
CREATE INDEX sessions_device_started ON sessions (device_no, started_at_ms);

CREATE TABLE lines (
    session_id              INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    -- The index of the line in the list as received.
    position                INTEGER NOT NULL,
    product_id              INTEGER,
    name                    TEXT    NOT NULL,
    aisle_no                TEXT    NOT NULL,
    cabinet_no              INTEGER,
    is_bulk                 INTEGER NOT NULL CHECK (is_bulk IN (0, 1)),
    type_name               TEXT,
    thumb_image             TEXT,
    storage                 INTEGER,
    add_quantity            INTEGER,
    add_quantity_revise     INTEGER,
    remove_quantity         INTEGER,
    remove_quantity_revise  INTEGER,
    sale_price              TEXT,
    cost_price              TEXT,
    -- A JSON array of {"field": ..., "problem": ...} objects for fields that were missing or invalid.
    problems                TEXT    NOT NULL DEFAULT '[]',
    PRIMARY KEY (session_id, position)
) WITHOUT ROWID;
