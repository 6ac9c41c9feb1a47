-- The audit log (issue 11, design "Access and privacy"): every request to an endpoint that reads or changes personal
-- data, allowed or not, one row, appended by the API before the response leaves (no audit, no data).
--
-- Hash-chained in several chains: each API process runs a few writers (Registry:Audit:Chains), each the only writer of
-- a chain of its own, named when the process starts; so appends from many processes never wait on one another and no
-- row is ever locked. A row's hash is SHA-256 over a canonical encoding of its content and the previous row's hash
-- (AuditChain in Registry.Database/Audit is the one definition; registry-admin audit verify recomputes it). Positions
-- in a chain are contiguous from 1, so a deleted row leaves a gap or a broken link; a seal records a chain's last
-- position and hash from time to time (Registry:Audit:SealPeriod) and when the process stops, so that cutting the tail
-- of a chain is found too.
--
-- Append-only: a trigger refuses UPDATE, DELETE and TRUNCATE of the three tables, and PUBLIC holds none of those
-- rights. The application role here owns the tables (it applies the migrations), so it could still disable the
-- trigger; a deployment that must resist its own application role runs the migrations as another owner and grants
-- the application role only SELECT and INSERT. Even then a superuser can rewrite anything: that is what the hash
-- chain and the seals find (copying the seals out of the database, e.g. into the operators' log, makes a rewrite of
-- the seals themselves visible too).
--
-- Not partitioned by month: appends go to the end of one heap and one primary-key index, which stays cheap as it
-- grows, and verify reads in key order. Monthly partitions would pay off for dropping old months, but a chain lives
-- as long as its process and spans months, so a dropped month would break chains (retention needs an archive and a
-- re-seal, not a DROP); and a partition not created in advance would fail every append, which here means refusing
-- every read of personal data. Revisit with retention.
CREATE TABLE IF NOT EXISTS registry.audit_entry
(
    chain_id       text        NOT NULL CHECK (chain_id <> ''),
    position       bigint      NOT NULL CHECK (position > 0),
    accessed_at    timestamptz NOT NULL,
    -- The token's subject, or 'anonymous' when the request carried no valid token (a 401).
    actor_id       text        NOT NULL,
    -- The actor's role in its wire name (citizen, provincial-officer, ...); null for anonymous requests.
    actor_role     text,
    actor_province char(3),
    -- The token's authorised party (azp or client_id) when it names one, else the remote address.
    client         text,
    -- The stated purpose: a code of the published list and the caller's note; null when none was stated.
    purpose        text,
    purpose_note   text,
    -- Method and route pattern, e.g. 'GET /residents/{personalIdNumber}': the values are in person_numbers.
    endpoint       text        NOT NULL,
    person_numbers char(12)[]  NOT NULL,
    fields         text[]      NOT NULL,
    -- allowed (2xx, 3xx), denied (401, 403), refused (other 4xx: bad input, not found, conflict, too many requests),
    -- failed (5xx).
    outcome        text        NOT NULL CHECK (outcome IN ('allowed', 'denied', 'refused', 'failed')),
    status_code    smallint    NOT NULL,
    reason         text,
    previous_hash  bytea       NOT NULL CHECK (length(previous_hash) = 32),
    hash           bytea       NOT NULL CHECK (length(hash) = 32),
    PRIMARY KEY (chain_id, position)
);

-- A person's access log (GET /me/access-log): the rows naming them. A GIN index, because a row names any number of
-- people; it finds a person's rows without reading others', and a person is read a few times to a few hundred times a
-- year, which the query then sorts by time. fastupdate (the default) keeps appends cheap.
CREATE INDEX IF NOT EXISTS audit_entry_by_person ON registry.audit_entry USING gin (person_numbers);

-- A chain's position and hash at a moment. Position 0 with 32 zero bytes opens a chain, written with its first rows,
-- so that a chain whose every row was deleted is still known.
CREATE TABLE IF NOT EXISTS registry.audit_seal
(
    chain_id  text        NOT NULL CHECK (chain_id <> ''),
    position  bigint      NOT NULL CHECK (position >= 0),
    hash      bytea       NOT NULL CHECK (length(hash) = 32),
    sealed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (chain_id, position)
);

-- A central administrator's release of a covert investigation's entries (POST /audit/releases): every entry stated
-- with a covert purpose and this note, up to the release, appears in the access logs of the people it names.
CREATE TABLE IF NOT EXISTS registry.audit_release
(
    release_id   bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    purpose_note text        NOT NULL CHECK (purpose_note <> ''),
    released_at  timestamptz NOT NULL,
    released_by  text        NOT NULL
);

CREATE INDEX IF NOT EXISTS audit_release_by_note ON registry.audit_release (purpose_note, released_at);

CREATE OR REPLACE FUNCTION registry.audit_refuse_change() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    RAISE EXCEPTION 'registry.% is append-only: % is refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

DO
$$
DECLARE
    audit_table text;
BEGIN
    FOREACH audit_table IN ARRAY ARRAY['audit_entry', 'audit_seal', 'audit_release']
    LOOP
        EXECUTE format('DROP TRIGGER IF EXISTS %I ON registry.%I', audit_table || '_append_only', audit_table);
        EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE OR DELETE ON registry.%I FOR EACH ROW EXECUTE FUNCTION registry.audit_refuse_change()',
                       audit_table || '_append_only', audit_table);
        EXECUTE format('DROP TRIGGER IF EXISTS %I ON registry.%I', audit_table || '_no_truncate', audit_table);
        EXECUTE format('CREATE TRIGGER %I BEFORE TRUNCATE ON registry.%I FOR EACH STATEMENT EXECUTE FUNCTION registry.audit_refuse_change()',
                       audit_table || '_no_truncate', audit_table);
        EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON registry.%I FROM PUBLIC', audit_table);
    END LOOP;
END;
$$;
