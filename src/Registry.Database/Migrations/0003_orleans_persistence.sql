-- Grain state for Microsoft.Orleans.Persistence.AdoNet 10.4.2.
-- A row's identity is (serviceid, graintypestring = the state name, grainidn0, grainidn1,
-- grainidextensionstring); the two hashes only serve the index. version is the etag: a write succeeds only
-- against the version the grain read, which is how a concurrent writer is detected instead of overwritten.

CREATE TABLE IF NOT EXISTS orleansstorage
(
    grainidhash            integer      NOT NULL,
    grainidn0              bigint       NOT NULL,
    grainidn1              bigint       NOT NULL,
    graintypehash          integer      NOT NULL,
    graintypestring        varchar(512) NOT NULL,
    grainidextensionstring varchar(512) NULL,
    serviceid              varchar(150) NOT NULL,
    payloadbinary          bytea        NULL,
    modifiedon             timestamptz  NOT NULL DEFAULT now(),
    version                integer      NULL
);

-- The provider's own script has no unique key, so two racing first writes could both insert and every
-- later read would fail on the duplicate. This index makes the identity unique (NULL extensions equal,
-- PostgreSQL 15+) and, leading with the hashes, is also the index every query uses.
CREATE UNIQUE INDEX IF NOT EXISTS orleansstorage_identity
    ON orleansstorage (grainidhash, graintypehash, serviceid, graintypestring, grainidn0, grainidn1,
                       grainidextensionstring) NULLS NOT DISTINCT;

-- Returns the new version, or NULL when the caller's version is stale (the provider then raises
-- InconsistentStateException). A NULL version means "never written": insert version 1 unless a row exists.
CREATE OR REPLACE FUNCTION orleans_write_storage(
    p_grainidhash integer, p_grainidn0 bigint, p_grainidn1 bigint, p_graintypehash integer,
    p_graintypestring text, p_grainidextensionstring text, p_serviceid text,
    p_version integer, p_payload bytea)
    RETURNS integer
    LANGUAGE plpgsql
AS $fn$
DECLARE
    v_new integer;
BEGIN
    IF p_version IS NULL THEN
        INSERT INTO orleansstorage
            (grainidhash, grainidn0, grainidn1, graintypehash, graintypestring, grainidextensionstring,
             serviceid, payloadbinary, version)
        VALUES
            (p_grainidhash, p_grainidn0, p_grainidn1, p_graintypehash, p_graintypestring,
             p_grainidextensionstring, p_serviceid, p_payload, 1)
        ON CONFLICT DO NOTHING
        RETURNING version INTO v_new;
        RETURN v_new;
    END IF;

    UPDATE orleansstorage
       SET payloadbinary = p_payload, version = version + 1, modifiedon = now()
     WHERE grainidhash = p_grainidhash AND graintypehash = p_graintypehash
       AND serviceid = p_serviceid AND graintypestring = p_graintypestring
       AND grainidn0 = p_grainidn0 AND grainidn1 = p_grainidn1
       AND grainidextensionstring IS NOT DISTINCT FROM p_grainidextensionstring
       AND version = p_version
    RETURNING version INTO v_new;
    RETURN v_new;
END;
$fn$;

INSERT INTO orleansquery (querykey, querytext)
VALUES
('ReadFromStorageKey', '
SELECT payloadbinary, version
  FROM orleansstorage
 WHERE grainidhash = @GrainIdHash AND graintypehash = @GrainTypeHash
   AND serviceid = @ServiceId AND graintypestring = @GrainTypeString
   AND grainidn0 = @GrainIdN0 AND grainidn1 = @GrainIdN1
   AND grainidextensionstring IS NOT DISTINCT FROM @GrainIdExtensionString;'),

('WriteToStorageKey', '
SELECT orleans_write_storage(@GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString,
                             @GrainIdExtensionString, @ServiceId, @GrainStateVersion, @PayloadBinary)
       AS newgrainstateversion;'),

-- Clearing keeps the row (payload NULL) so that the version keeps counting and stale writers stay refused.
('ClearStorageKey', '
UPDATE orleansstorage
   SET payloadbinary = NULL, version = version + 1, modifiedon = now()
 WHERE grainidhash = @GrainIdHash AND graintypehash = @GrainTypeHash
   AND serviceid = @ServiceId AND graintypestring = @GrainTypeString
   AND grainidn0 = @GrainIdN0 AND grainidn1 = @GrainIdN1
   AND grainidextensionstring IS NOT DISTINCT FROM @GrainIdExtensionString
   AND version = @GrainStateVersion
RETURNING version;'),

-- Used only with DeleteStateOnClear: the returned value just has to differ from the caller's version.
('DeleteStorageKey', '
DELETE FROM orleansstorage
 WHERE grainidhash = @GrainIdHash AND graintypehash = @GrainTypeHash
   AND serviceid = @ServiceId AND graintypestring = @GrainTypeString
   AND grainidn0 = @GrainIdN0 AND grainidn1 = @GrainIdN1
   AND grainidextensionstring IS NOT DISTINCT FROM @GrainIdExtensionString
   AND version = @GrainStateVersion
RETURNING version + 1;')
ON CONFLICT (querykey) DO UPDATE SET querytext = EXCLUDED.querytext;
