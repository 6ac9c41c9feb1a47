-- The registry's own tables live in their own schema, apart from the Orleans provider tables.
CREATE SCHEMA IF NOT EXISTS registry;

-- Every change to a province's resident count, once. The province grain keeps its counters in memory and
-- makes each change durable by inserting here; operation_id is the idempotency key of the change, so a
-- retried notification (after a timeout or a silo crash) is recognised and counted once. On activation the
-- grain sums its rows. Append-only: a relocation is two rows, never an update of a hot counter row.
CREATE TABLE IF NOT EXISTS registry.province_resident_change
(
    operation_id  varchar(200) NOT NULL PRIMARY KEY,
    province_code char(3)      NOT NULL CHECK (province_code ~ '^[0-9]{3}$'),
    personal_id   char(12)     NOT NULL CHECK (personal_id ~ '^[0-9]{12}$'),
    change        smallint     NOT NULL CHECK (change IN (-1, 1)),
    reason        varchar(32)  NOT NULL,
    recorded_at   timestamptz  NOT NULL DEFAULT now()
);

CREATE INDEX IF NOT EXISTS province_resident_change_by_province
    ON registry.province_resident_change (province_code) INCLUDE (change);
