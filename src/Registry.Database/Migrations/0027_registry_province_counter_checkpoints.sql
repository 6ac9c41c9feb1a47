-- A counter shard activated by summing every ledger row it ever recorded, so a restart, deployment or failover cost more
-- the longer the country lived (issue 14). Now a shard activates from a checkpoint of its cells plus the ledger rows
-- after it. "After" is the hard part: rows are inserted by group commit, concurrently, by any silo, possibly by two
-- activations of one shard, and commit in another order than they were begun, so neither the sequence (0013) nor the
-- time of a row says whether a checkpoint taken at some moment counted it.
--
-- The position used is the inserting transaction's id (xid8: 64 bits, never wraps), written with each row by the
-- column's default. A checkpoint covers exactly the shard's rows whose transaction id is below its bound, and the bound
-- is the xmin of a snapshot: every transaction below it had ended (committed or rolled back) when the checkpoint was
-- taken, and every transaction begun later gets a larger id. So no row below a bound can appear after its checkpoint,
-- and every row at or above it is read in the tail. The checkpoint itself is computed by PostgreSQL from the ledger
-- (the previous checkpoint plus the rows between the two bounds), never from a grain's memory; ProvinceLedger
-- spells the argument out.
--
-- Existing rows get '0' (a constant default: no table rewrite), below every bound; new rows then get their
-- transaction's id. Nobody writes the column: the ledger's INSERT leaves it to the default.
ALTER TABLE registry.province_resident_change ADD COLUMN IF NOT EXISTS transaction_id xid8 NOT NULL DEFAULT '0';
ALTER TABLE registry.province_resident_change ALTER COLUMN transaction_id SET DEFAULT pg_current_xact_id();

-- A shard's latest checkpoint: its cells cover every ledger row of the shard whose transaction id is below
-- below_transaction. One row per shard, rewritten in the same transaction as its cells.
CREATE TABLE IF NOT EXISTS registry.province_counter_checkpoint
(
    province_code     char(3)     NOT NULL CHECK (province_code ~ '^[0-9]{3}$'),
    shard             smallint    NOT NULL,
    below_transaction xid8        NOT NULL,
    written_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (province_code, shard)
);

-- The checkpoint's cells, in the shape of the activation's GROUP BY: per sex, birth year and reason, the sum of the
-- changes (residents) and their number (changes). A few hundred rows per shard whatever the ledger's length.
CREATE TABLE IF NOT EXISTS registry.province_counter_checkpoint_cell
(
    province_code char(3)     NOT NULL,
    shard         smallint    NOT NULL,
    sex           smallint    NOT NULL,
    birth_year    smallint    NOT NULL,
    reason        varchar(32) NOT NULL,
    residents     bigint      NOT NULL,
    changes       bigint      NOT NULL,
    PRIMARY KEY (province_code, shard, sex, birth_year, reason)
);

-- The activation's tail and the checkpoint's advance: a shard's rows from a transaction id on, index-only. It replaces
-- 0008's index on (province_code, shard) with the same columns, which only the full sum used: one index per row, not two.
CREATE INDEX IF NOT EXISTS province_resident_change_by_shard_transaction
    ON registry.province_resident_change (province_code, shard, transaction_id) INCLUDE (sex, birth_year, reason, change);
DROP INDEX IF EXISTS registry.province_resident_change_by_shard;

-- The initial checkpoint of every shard with rows: all of them, since they all carry '0'. The ALTER TABLE above holds
-- the ledger's exclusive lock until this migration commits, so no row is inserted meanwhile, and rows inserted after it
-- belong to transactions running at this snapshot or begun later, all at or above its xmin. Building the index and
-- summing the ledger take a while on a large ledger (see below) and hold writes to it: apply this migration before
-- starting the new silos, as every migration.
INSERT INTO registry.province_counter_checkpoint_cell (province_code, shard, sex, birth_year, reason, residents, changes)
SELECT province_code, shard, sex, birth_year, reason, SUM(change), COUNT(*)
FROM registry.province_resident_change
GROUP BY province_code, shard, sex, birth_year, reason
ON CONFLICT DO NOTHING;

INSERT INTO registry.province_counter_checkpoint (province_code, shard, below_transaction)
SELECT DISTINCT province_code, shard, pg_snapshot_xmin(pg_current_snapshot())
FROM registry.province_counter_checkpoint_cell
ON CONFLICT DO NOTHING;

-- Measured with EXPLAIN (ANALYZE) on PostgreSQL 15, 2 cores shared with other work (load average 60-70), a ledger of
-- 10,000,000 rows over the 504 shards (about 19,700 per shard; load-tests shard-activation), vacuumed. A shard's
-- activation without a checkpoint (the old full sum): an index-only scan of the index above, 19,676 rows into 1,997
-- groups, 120 ms; with its checkpoint and an empty tail: the checkpoint's 1,997 cells by primary key, an InitPlan for
-- the bound and an index-only scan finding no row after it, 0.9 ms of execution (4.9 ms with planning and the load).
-- The cells are a shard's distinct (sex, birth year, reason): at most about 2 × 120 × 7, whatever the ledger's length;
-- for the synthetic ledger 1,007,340 rows, 164 MB. The index is 499 MB for 10,000,000 rows, as 0008's was (one more
-- 8-byte key column). On that ledger this migration's index build took 51 s and its initial checkpoint (the GROUP BY)
-- 24 s, during which writes to the ledger wait.
