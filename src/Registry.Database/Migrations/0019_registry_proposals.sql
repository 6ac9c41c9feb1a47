-- Proposals of the changes that need a second official (issue 11: four eyes): one row per proposal, written by its
-- proposal grain after every stored change of it (the grain holds the proposal; this is the list a province's officers
-- read, since grains are never scanned). A row is replaced only by a newer version of the grain's state, so a late or
-- repeated write changes nothing.
CREATE TABLE IF NOT EXISTS registry.proposal
(
    id                 char(26)    NOT NULL PRIMARY KEY CHECK (id ~ '^[a-z2-7]{26}$'),
    personal_id_number char(12)    NOT NULL CHECK (personal_id_number ~ '^[0-9]{12}$'),
    -- The province of the person's permanent residence when proposed: whose officers may approve.
    province_code      char(3)     NOT NULL CHECK (province_code ~ '^[0-9]{3}$'),
    kind               text        NOT NULL CHECK (kind IN ('death', 'amendment')),
    -- The fields the change touches, in the API's names ('death' for a death).
    fields             text[]      NOT NULL CHECK (cardinality(fields) > 0),
    proposed_by_id     text        NOT NULL,
    proposed_by_role   text        NOT NULL,
    proposed_at        timestamptz NOT NULL,
    expires_at         timestamptz NOT NULL CHECK (expires_at > proposed_at),
    status             text        NOT NULL CHECK (status IN ('open', 'approving', 'approved', 'rejected', 'withdrawn')),
    decided_by_id      text,
    decided_at         timestamptz,
    version            bigint      NOT NULL CHECK (version > 0),
    CHECK ((status = 'open') = (decided_by_id IS NULL))
);

-- GET /provinces/{code}/proposals: a province's open proposals not yet expired, oldest first
-- (WHERE status = 'open' AND province_code = $1 AND expires_at > $2 ORDER BY proposed_at, id LIMIT $3). Partial, so
-- the decided proposals of past years never weigh on the list; a province has a handful open at a time.
CREATE INDEX IF NOT EXISTS proposal_open_by_province ON registry.proposal (province_code, proposed_at, id) WHERE status = 'open';
