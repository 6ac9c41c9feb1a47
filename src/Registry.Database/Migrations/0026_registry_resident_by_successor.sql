-- The first-card list (CardsDueLists) checks a candidate's cards under every number the person held: a card's row names
-- the number its holder applied with, and a correction of birth date or sex may have moved the person to a new one since
-- (issue 12). The earlier numbers are the rows whose superseded_by points at the candidate, followed back: this index
-- finds them. Partial on superseded_by IS NOT NULL: only renumbered people are in it, a handful among millions, so it
-- costs nothing on the other rows' writes, and a probe for the many candidates never renumbered reads one small page.
CREATE INDEX IF NOT EXISTS resident_by_successor
    ON registry.resident (superseded_by) WHERE superseded_by IS NOT NULL;
