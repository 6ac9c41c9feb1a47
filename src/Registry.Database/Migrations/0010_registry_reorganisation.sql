-- Province reorganisation: a resident's address moving from an absorbed province to the surviving one is a
-- count change of its own (−1 under the absorbed code, +1 under the surviving one), neither an arrival nor a
-- departure, so migration statistics and province counters of arrivals and departures leave it out.
ALTER TABLE registry.province_resident_change DROP CONSTRAINT IF EXISTS province_resident_change_reason_check;
ALTER TABLE registry.province_resident_change ADD CONSTRAINT province_resident_change_reason_check
    CHECK (reason IN ('registration', 'death', 'arrival', 'departure', 'birth', 'renumbering', 'reorganisation'));

-- A run pages through the living residents of an absorbed province in number order (keyset), several times until a
-- pass finds nobody: people who moved in while it ran are caught by the next pass.
CREATE INDEX IF NOT EXISTS resident_alive_by_province
    ON registry.resident (permanent_residence_province, personal_id) WHERE alive AND superseded_by IS NULL;
