-- Reads by role (issue 11): a provincial officer finds, in a search, the people whose permanent or temporary residence
-- is in their province or whose birth was registered there (Registry.Domain's Readers). The first and the last are
-- columns already; this adds the temporary residence, its province and its last day, so that the search keeps the
-- whole rule in SQL, before paging. A temporary residence counts until its last day (Law on Residence 68/2020
-- Art. 27): the search compares the day with temporary_residence_until rather than trusting a sweep to clear it.
--
-- Filled by the projection from every snapshot written after this migration. Rows projected before it have neither
-- column until the person's next change: until then an officer of a temporary residence's province reads the record
-- (decided from the grain's state) but does not find the person in a search.
--
-- No index: an officer's search runs the same name-ordered index scan as any search (resident_by_name, or
-- resident_by_residence_name with a province) and filters each row on the three ties, so it reads about the page size
-- divided by the province's share of the people. Not measured yet; a province holding a small share of the people
-- and a very common name prefix is the case to measure before adding one.
ALTER TABLE registry.resident
    ADD COLUMN IF NOT EXISTS temporary_residence_province char(3) CHECK (temporary_residence_province ~ '^[0-9]{3}$'),
    ADD COLUMN IF NOT EXISTS temporary_residence_until date;
ALTER TABLE registry.resident DROP CONSTRAINT IF EXISTS resident_temporary_residence_whole;
ALTER TABLE registry.resident ADD CONSTRAINT resident_temporary_residence_whole CHECK ((temporary_residence_province IS NULL) = (temporary_residence_until IS NULL));
