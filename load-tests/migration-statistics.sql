-- The figure of migration statistics (README "Figures", migrations 0009 and 0016): fills the province ledger of an EMPTY, migrated
-- database with 2,000,000 registrations and 1,000,000 moves spread over a year between the 63 provinces (each move a
-- departure and an arrival 3 ms apart, operation ids shaped like CitizenGrain's), then shows the plans and times of the
-- query MigrationStatistics runs, for one month and for the whole year, with and without a province filter.
--
-- Never on a database a cluster uses: province counter shards rebuild their counts from these rows. From the root:
--   REGISTRY_DB=migration_figures cluster-config/postgres.sh start
--   REGISTRY_DB=migration_figures cluster-config/postgres.sh psql -f load-tests/migration-statistics.sql
\set ON_ERROR_STOP on
\timing on

DO $$
BEGIN
    IF EXISTS (SELECT FROM registry.province_resident_change) THEN
        RAISE EXCEPTION 'registry.province_resident_change is not empty: run this on a database of its own';
    END IF;
END $$;

SET synchronous_commit = off;
SET jit = off;

-- The 63 codes of 2024 (Contracts/Provinces/Data/provinces-2024.csv), numbered 0-62.
CREATE TEMP TABLE codes AS
SELECT (ordinality - 1)::int AS i, code::char(3) AS code
FROM unnest(ARRAY['001','002','004','006','008','010','011','012','014','015','017','019','020','022','024','025',
                  '026','027','030','031','033','034','035','036','037','038','040','042','044','045','046','048',
                  '049','051','052','054','056','058','060','062','064','066','067','068','070','072','074','075',
                  '077','079','080','082','083','084','086','087','089','091','092','093','094','095','096'])
    WITH ORDINALITY AS c(code);

INSERT INTO registry.province_resident_change (operation_id, province_code, shard, personal_id, change, reason, recorded_at)
SELECT 'registration:' || number, codes.code, g.i % 8, number, 1, 'registration', timestamptz '2023-03-01' + g.i * interval '31 seconds'
FROM generate_series(0, 1999999) AS g(i)
CROSS JOIN LATERAL (SELECT lpad((1 + g.i / 1000000)::text, 3, '0') || '190' || lpad((g.i % 1000000)::text, 6, '0') AS number) AS n
JOIN codes ON codes.i = g.i % 63;

-- Move i: person i, from one province to another (never the same), every 31.536 s from 2025-03-01 for a year.
INSERT INTO registry.province_resident_change (operation_id, province_code, shard, personal_id, change, reason, recorded_at, move_id)
SELECT 'relocation:' || number || ':api-test-' || md5(g.i::text) || ':' || side.reason,
       codes.code, g.i % 8, number, side.change, side.reason, timestamptz '2025-03-01' + g.i * interval '31.536 seconds' + side.delay,
       'relocation:' || number || ':api-test-' || md5(g.i::text)
FROM generate_series(0::bigint, 999999) AS g(i)
CROSS JOIN LATERAL (SELECT lpad((1 + g.i / 1000000)::text, 3, '0') || '190' || lpad((g.i % 1000000)::text, 6, '0') AS number,
                           (g.i * 7919) % 63 AS origin, ((g.i * 7919) % 63 + 1 + (g.i * 104729) % 62) % 63 AS destination) AS m
CROSS JOIN (VALUES ('departure', -1, interval '0'), ('arrival', 1, interval '3 milliseconds')) AS side(reason, change, delay)
JOIN codes ON codes.i = CASE side.reason WHEN 'departure' THEN m.origin ELSE m.destination END;

VACUUM ANALYZE registry.province_resident_change;
SELECT pg_size_pretty(pg_relation_size('registry.province_resident_change')) AS ledger,
       pg_size_pretty(pg_relation_size('registry.province_resident_change_departing_moves')) AS departing_moves_index,
       pg_size_pretty(pg_relation_size('registry.province_resident_change_entering_moves')) AS entering_moves_index;

-- MigrationStatistics.ReadAsync's statement; $3 is the optional province filter.
PREPARE migration(timestamptz, timestamptz) AS
SELECT departure.province_code, arrival.province_code, count(*)
FROM registry.province_resident_change AS departure
CROSS JOIN LATERAL (
    SELECT candidate.province_code
    FROM registry.province_resident_change AS candidate
    WHERE candidate.move_id = departure.move_id AND candidate.change = 1
    LIMIT 1) AS arrival
WHERE departure.reason = 'departure'
  AND departure.recorded_at >= $1 AND departure.recorded_at < $2
GROUP BY departure.province_code, arrival.province_code;

PREPARE migration_of(timestamptz, timestamptz, text) AS
SELECT departure.province_code, arrival.province_code, count(*)
FROM registry.province_resident_change AS departure
CROSS JOIN LATERAL (
    SELECT candidate.province_code
    FROM registry.province_resident_change AS candidate
    WHERE candidate.move_id = departure.move_id AND candidate.change = 1
    LIMIT 1) AS arrival
WHERE departure.reason = 'departure'
  AND departure.recorded_at >= $1 AND departure.recorded_at < $2
  AND (departure.province_code = $3::char(3) OR arrival.province_code = $3::char(3))
GROUP BY departure.province_code, arrival.province_code;

-- January 2026 in Vietnam's days (GET /statistics/migration?from=2026-01-01&to=2026-02-01): 84,931 moves. Run twice,
-- the second on a warm cache.
EXPLAIN (ANALYZE, BUFFERS) EXECUTE migration('2025-12-31T17:00:00Z', '2026-01-31T17:00:00Z');
EXPLAIN (ANALYZE, BUFFERS) EXECUTE migration('2025-12-31T17:00:00Z', '2026-01-31T17:00:00Z');
EXPLAIN (ANALYZE) EXECUTE migration_of('2025-12-31T17:00:00Z', '2026-01-31T17:00:00Z', '079');
-- The longest period, the whole year: 1,000,000 moves.
EXPLAIN (ANALYZE) EXECUTE migration('2025-02-28T17:00:00Z', '2026-03-01T17:00:00Z');
EXPLAIN (ANALYZE) EXECUTE migration_of('2025-02-28T17:00:00Z', '2026-03-01T17:00:00Z', '079');
