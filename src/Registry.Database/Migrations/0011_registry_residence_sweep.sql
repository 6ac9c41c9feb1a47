-- Temporary residence and the residence sweep (Law on Residence 68/2020 Art. 24): a permanent residence is deleted
-- after 12 consecutive months away without registration. The read model keeps, per person, the last day they were
-- registered as away (a temporary residence elsewhere, or a declared absence; an open-ended absence is kept as null
-- here and never lapses) and the day the sweep flagged them, so that the sweep of a province and day is one query.
ALTER TABLE registry.resident
    ADD COLUMN IF NOT EXISTS away_registered_until date,
    ADD COLUMN IF NOT EXISTS residence_deletion_flagged_on date;

-- The sweep's query: living, current-number, unflagged residents of a province whose registration away ended before a
-- day. Partial, so it holds only people who ever registered away and are not flagged: a small part of the population.
CREATE INDEX IF NOT EXISTS resident_away_by_province
    ON registry.resident (permanent_residence_province, away_registered_until, personal_id)
    WHERE away_registered_until IS NOT NULL AND residence_deletion_flagged_on IS NULL AND alive AND superseded_by IS NULL;
