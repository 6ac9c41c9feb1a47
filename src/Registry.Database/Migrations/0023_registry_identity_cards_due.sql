-- The due lists and the daily expiry sweep of identity cards (issue 12, part 6). Each index below is kept because the
-- plan of its query uses it. Measured with EXPLAIN (ANALYZE, BUFFERS), warm, PostgreSQL 15, on the card-sweep benchmark's
-- database after its run (1,000,001 cards recorded expired, the same last valid day) plus 1,000,000 synthetic residents
-- over the 63 codes (born 1930-2025) and 672,286 issued cards held by 80 % of those 14 and older; province 079.
--
-- Not CONCURRENTLY: DbUp runs each migration in a transaction, which CREATE INDEX CONCURRENTLY refuses.

-- The sweep's pages and the list of cards expiring in a window: a province's cards stored as issued, by last valid day,
-- the document number breaking ties so that a page starts exactly after the cursor (keyset). A recorded expiry, a loss
-- or a revocation takes a card out of it, so the range a day's sweep reads holds that day's work only, never the expired
-- cards of earlier years. A sweep page of 250 a year ahead: 257 pages, 0.65 ms. 0022's index below gives the first page
-- as cheaply (incremental sort, 0.35 ms), but a later page re-reads the cursor's whole day and sorts it: cards sharing
-- one last valid day (a catch-up after an import, the benchmark's million) make every page cost more than the last.
CREATE INDEX IF NOT EXISTS identity_card_issued_by_expiry_key
    ON registry.identity_card (province_code, expires_on, document_number) WHERE state = 'issued';

-- 0022's index of the same range without the tie-breaker: every query it served is served by the one above, which
-- begins with its columns; keeping it would cost a second index write on every card step for nothing.
DROP INDEX IF EXISTS registry.identity_card_issued_by_expiry;

-- The list of expired cards not replaced reads cards stored as issued (above) and, merged with them in order, those the
-- sweep recorded as expired: this index. A renewal revokes the card it replaces and takes it out. A page of 100: Merge
-- Append of two range scans, 1.7 ms. Without it: a parallel sequential scan of the table and a sort, 180 ms.
CREATE INDEX IF NOT EXISTS identity_card_expired_by_expiry
    ON registry.identity_card (province_code, expires_on, document_number) WHERE state = 'expired';

-- The first-card list: a province's living residents on their current number by birth date, read backwards from the
-- youngest who turns 14 by the window's end, a bounded stretch at a time, each checked for a card through
-- identity_card_by_person (0022). A page (400 read for 100 listed): 2.3 ms, 1,600 pages. Without it:
-- resident_alive_by_province, the whole province's 13,793 candidates fetched and sorted, 273 ms, 17,000 pages.
CREATE INDEX IF NOT EXISTS resident_by_province_birth_date
    ON registry.resident (permanent_residence_province, birth_date, personal_id) WHERE alive AND superseded_by IS NULL;
