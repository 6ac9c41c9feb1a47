-- Migration statistics (MigrationStatistics in the read model): the origin-destination matrix of relocations in a
-- period, and each province's inbound, outbound and net, read from the province ledger. A move between provinces is
-- two ledger rows written by the citizen grain's relocation: 'relocation:{number}:{key}:departure' in the province
-- left and '...:arrival' in the province entered. A query takes the departures recorded in the period from the index
-- below and finds each one's arrival by its operation id through the primary key.

-- The departures of a period, in time order, with what pairing needs: the origin and the operation id. Partial, so it
-- holds only relocations (not registrations, births, deaths), and the scan never reads the table: index-only, as long
-- as the visibility map is current, which autovacuum keeps on this append-only table (PostgreSQL 13 and later vacuum
-- a table after enough inserts, not only after updates and deletes).
--
-- Measured with EXPLAIN (ANALYZE) on PostgreSQL 15, 2 cores shared with other work, a ledger of 4,000,000 rows:
-- 2,000,000 registrations and 1,000,000 moves spread over a year between the 63 provinces
-- (load-tests/migration-statistics.sql). One month, 84,931 moves: without this index a parallel sequential scan of the
-- whole ledger then a hash of every arrival ever recorded, 560 ms and growing with the ledger; with it an index-only
-- scan of the month (10-20 ms) and one primary-key probe per departure, 230-300 ms in all, growing with the period
-- only; the whole year (1,000,000 moves, the longest period asked) 2.9 s. The index is 107 MB per million departures
-- built at once, 137 MB grown row by row (operation ids of about 90 characters).
--
-- No index for arrivals: one covering (operation_id) INCLUDE (province_code) WHERE reason = 'arrival' made the probes
-- index-only, 170 ms instead of 230 ms for that month, but costs 101 MB per million arrivals and one more index write
-- on every relocation, the registry's hottest write. The primary key already finds an arrival by its operation id.
CREATE INDEX IF NOT EXISTS province_resident_change_departures
    ON registry.province_resident_change (recorded_at) INCLUDE (province_code, operation_id)
    WHERE reason = 'departure';
