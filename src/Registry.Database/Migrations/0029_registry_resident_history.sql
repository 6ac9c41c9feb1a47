-- A person's history, one row per entry, never updated (issue 14, item 3). Until now the whole past lived in the
-- citizen grain's state, rewritten as JSON with every change, so a change cost more the longer the person had lived.
-- Now the grain keeps a short tail of recent entries and writes each new entry here once, as an owed effect in the same
-- statement batch as its read-model row (ResidentProjection), so a change adds one small row and no round trip.
--
-- Keyed by (personal_id, operation_id, seq): seq is the entry's place in the person's history, 0 for the first, assigned
-- by the grain and never reused, so a repeated insert (a change's effects run again after a crash) is a conflict that
-- does nothing. The one index serves both reads: a person's whole history (the prefix personal_id, sorted by seq; a
-- person has tens of entries, hundreds at most) and the rare look-up of an operation id older than the grain's tail
-- (the prefix personal_id, operation_id), which recognises a replayed request. One operation may write several entries
-- (a correction of several fields, a death with its card revocations, a correction with the new number it moved to).
-- The entry itself is the JSON the grain stored it as, so an answer read from here is the answer read from the state,
-- to the tick of its timestamp (timestamptz would round it to microseconds).
CREATE TABLE IF NOT EXISTS registry.resident_history (
    personal_id char(12) NOT NULL,
    operation_id text NOT NULL,
    seq integer NOT NULL CHECK (seq >= 0),
    entry jsonb NOT NULL,
    PRIMARY KEY (personal_id, operation_id, seq)
);
