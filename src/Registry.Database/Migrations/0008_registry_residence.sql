-- Residence and relocation: sharded province counters by sex and birth year, the register of citizens owing effects,
-- and the commune of the permanent residence in the read model.

-- Province counters are kept by shards (IProvinceCounterGrain): each row names the shard that counted it, so that a
-- shard sums only its own rows on activation. Rows written before shards all belong to shard 0; sums over a
-- province stay exact whichever shard a later change of the same person lands in.
ALTER TABLE registry.province_resident_change ADD COLUMN IF NOT EXISTS shard smallint NOT NULL DEFAULT 0;

-- Sex and birth year come from the ID number (Decree 137/2015: digit 4 is sex and century, digits 5-6 the year),
-- which always agrees with the record: a correction that contradicts it issues a new number. Generated, so no writer
-- can get them wrong and rows written before these columns get them too.
ALTER TABLE registry.province_resident_change
    ADD COLUMN IF NOT EXISTS sex smallint GENERATED ALWAYS AS (substr(personal_id, 4, 1)::smallint % 2) STORED,
    ADD COLUMN IF NOT EXISTS birth_year smallint
        GENERATED ALWAYS AS (1900 + substr(personal_id, 4, 1)::smallint / 2 * 100 + substr(personal_id, 5, 2)::smallint) STORED;

ALTER TABLE registry.province_resident_change DROP CONSTRAINT IF EXISTS province_resident_change_reason_check;
ALTER TABLE registry.province_resident_change ADD CONSTRAINT province_resident_change_reason_check
    CHECK (reason IN ('registration', 'death', 'arrival', 'departure', 'birth', 'renumbering'));

-- A shard's activation reads its cells: residents by sex and birth year, changes by reason.
DROP INDEX IF EXISTS registry.province_resident_change_by_province;
CREATE INDEX IF NOT EXISTS province_resident_change_by_shard
    ON registry.province_resident_change (province_code, shard) INCLUDE (sex, birth_year, reason, change);

-- Citizens that stored a change whose effects (province counts, the read model) are not yet known to be done. A
-- citizen marks itself here before storing such a change and clears the mark once the effects are done; the sweep
-- (UnfinishedWorkSweeper, driven by a reminder) wakes those marked for longer than a grace period, so a change
-- interrupted by a crash is finished even if nobody calls that person again. version is the citizen's state version
-- the mark is for: a late clear of an older change never removes the mark of a newer one.
CREATE TABLE IF NOT EXISTS registry.unfinished_citizen
(
    personal_id char(12)    NOT NULL PRIMARY KEY CHECK (personal_id ~ '^[0-9]{12}$'),
    version     bigint      NOT NULL,
    marked_at   timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX IF NOT EXISTS unfinished_citizen_by_age ON registry.unfinished_citizen (marked_at);

-- The commune or ward of the permanent residence; null until a relocation declares it.
ALTER TABLE registry.resident ADD COLUMN IF NOT EXISTS permanent_residence_commune char(5)
    CHECK (permanent_residence_commune ~ '^[0-9]{5}$');
