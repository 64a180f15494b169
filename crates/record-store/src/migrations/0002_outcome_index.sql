-- Schema version 2: an index on the outcome of sessions.
--
-- Every start of the app and of `replenish` looks up the sessions still `in_progress` to recover
-- them, and the History filter selects one outcome, newest first. Without this index both read the
-- whole sessions table, which grows by every session for years. With it, the recovery query and
-- an outcome filter read only the matching rows, already in start order.
CREATE INDEX sessions_outcome_started ON sessions (outcome, started_at_ms);
