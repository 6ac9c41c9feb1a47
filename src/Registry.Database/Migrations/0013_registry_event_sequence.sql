-- Events for subscribers are read from the province ledger, which already holds every birth, death, relocation and
-- reorganisation exactly once, keyed by operation id (the event id). The publisher follows the ledger in insertion
-- order: a sequence number per row, assigned at insert (existing rows get theirs in table order).
ALTER TABLE registry.province_resident_change ADD COLUMN IF NOT EXISTS sequence bigserial;

CREATE UNIQUE INDEX IF NOT EXISTS province_resident_change_by_sequence
    ON registry.province_resident_change (sequence);
