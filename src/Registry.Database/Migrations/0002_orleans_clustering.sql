-- Membership for Microsoft.Orleans.Clustering.AdoNet 10.4.2.
-- deploymentid is ClusterOptions.ClusterId. The version row is the table's etag: every insert or update of
-- a member row must bump it exactly once, atomically, and only when the caller read the current version.

CREATE TABLE IF NOT EXISTS orleansmembershipversiontable
(
    deploymentid varchar(150)   NOT NULL PRIMARY KEY,
    timestamp    timestamptz(3) NOT NULL DEFAULT now(),
    version      integer        NOT NULL DEFAULT 0 CHECK (version >= 0)
);

CREATE TABLE IF NOT EXISTS orleansmembershiptable
(
    deploymentid varchar(150)   NOT NULL REFERENCES orleansmembershipversiontable (deploymentid),
    -- IPAddress.ToString(); kept as text because the provider reads it back as a string.
    address      varchar(45)    NOT NULL,
    port         integer        NOT NULL,
    generation   integer        NOT NULL,
    siloname     varchar(150)   NOT NULL,
    hostname     varchar(150)   NOT NULL,
    status       integer        NOT NULL,
    proxyport    integer        NULL,
    -- Opaque to us: "ip:port@generation,time" votes joined with '|'.
    suspecttimes varchar(8000)  NULL,
    starttime    timestamptz(3) NOT NULL,
    iamalivetime timestamptz(3) NOT NULL,
    PRIMARY KEY (deploymentid, address, port, generation)
);

-- The optimistic lock of the whole table: moves the version on by one if it is still the one the caller
-- read. Concurrent callers queue on the row lock, and all but the first then find the version changed.
-- The cap keeps the version inside int32, which the provider parses it into.
CREATE OR REPLACE FUNCTION orleans_bump_membership_version(p_deploymentid text, p_version integer)
    RETURNS boolean
    LANGUAGE plpgsql
AS $fn$
BEGIN
    UPDATE orleansmembershipversiontable
       SET version = version + 1, timestamp = now()
     WHERE deploymentid = p_deploymentid
       AND version = p_version
       AND version < 2147483647;
    RETURN FOUND;
END;
$fn$;

-- Returns 1 when the member row was inserted and the version bumped, 0 when the caller's version is stale
-- or the silo is already there. The inner block is a subtransaction: leaving it through the exception
-- handler undoes the version bump, so a refused insert never leaves a bumped version behind.
CREATE OR REPLACE FUNCTION orleans_insert_membership(
    p_deploymentid text, p_address text, p_port integer, p_generation integer,
    p_siloname text, p_hostname text, p_status integer, p_proxyport integer,
    p_starttime timestamptz, p_iamalivetime timestamptz, p_version integer)
    RETURNS integer
    LANGUAGE plpgsql
AS $fn$
BEGIN
    IF NOT orleans_bump_membership_version(p_deploymentid, p_version) THEN
        RETURN 0;
    END IF;

    INSERT INTO orleansmembershiptable
        (deploymentid, address, port, generation, siloname, hostname, status, proxyport,
         starttime, iamalivetime)
    VALUES
        (p_deploymentid, p_address, p_port, p_generation, p_siloname, p_hostname, p_status, p_proxyport,
         p_starttime, p_iamalivetime);
    RETURN 1;
EXCEPTION
    WHEN unique_violation THEN
        RETURN 0;
END;
$fn$;

-- Same contract as the insert: 1 when the row changed and the version was bumped, 0 otherwise.
-- A missing member row raises inside the block so that the version bump is undone with it.
CREATE OR REPLACE FUNCTION orleans_update_membership(
    p_deploymentid text, p_address text, p_port integer, p_generation integer,
    p_status integer, p_suspecttimes text, p_iamalivetime timestamptz, p_version integer)
    RETURNS integer
    LANGUAGE plpgsql
AS $fn$
BEGIN
    IF NOT orleans_bump_membership_version(p_deploymentid, p_version) THEN
        RETURN 0;
    END IF;

    UPDATE orleansmembershiptable
       SET status = p_status, suspecttimes = p_suspecttimes, iamalivetime = p_iamalivetime
     WHERE deploymentid = p_deploymentid
       AND address = p_address
       AND port = p_port
       AND generation = p_generation;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'membership row % %:% @% is missing', p_deploymentid, p_address, p_port, p_generation
            USING ERRCODE = 'no_data_found';
    END IF;
    RETURN 1;
EXCEPTION
    WHEN no_data_found THEN
        RETURN 0;
END;
$fn$;

-- Removes a whole deployment in one transaction: members first, then the version row they reference.
CREATE OR REPLACE FUNCTION orleans_delete_membership_entries(p_deploymentid text)
    RETURNS void
    LANGUAGE sql
AS $fn$
    DELETE FROM orleansmembershiptable WHERE deploymentid = p_deploymentid;
    DELETE FROM orleansmembershipversiontable WHERE deploymentid = p_deploymentid;
$fn$;

INSERT INTO orleansquery (querykey, querytext)
VALUES
-- Silos call this at start-up. Exactly one column: 1 if the version row was created now, 0 if it existed.
('InsertMembershipVersionKey', '
WITH created AS (
    INSERT INTO orleansmembershipversiontable (deploymentid) VALUES (@DeploymentId)
    ON CONFLICT (deploymentid) DO NOTHING
    RETURNING 1)
SELECT count(*)::integer FROM created;'),

-- Always returns the version row (LEFT JOIN), so an empty cluster still reports its version.
('MembershipReadAllKey', '
SELECT v.version, m.address, m.port, m.generation, m.siloname, m.hostname, m.status, m.proxyport,
       m.suspecttimes, m.starttime, m.iamalivetime
  FROM orleansmembershipversiontable v
  LEFT JOIN orleansmembershiptable m ON m.deploymentid = v.deploymentid
 WHERE v.deploymentid = @DeploymentId;'),

('MembershipReadRowKey', '
SELECT v.version, m.address, m.port, m.generation, m.siloname, m.hostname, m.status, m.proxyport,
       m.suspecttimes, m.starttime, m.iamalivetime
  FROM orleansmembershipversiontable v
  LEFT JOIN orleansmembershiptable m
         ON m.deploymentid = v.deploymentid
        AND m.address = @Address AND m.port = @Port AND m.generation = @Generation
 WHERE v.deploymentid = @DeploymentId;'),

('InsertMembershipKey', '
SELECT orleans_insert_membership(@DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName,
                                 @Status, @ProxyPort, @StartTime, @IAmAliveTime, @Version);'),

('UpdateMembershipKey', '
SELECT orleans_update_membership(@DeploymentId, @Address, @Port, @Generation, @Status, @SuspectTimes,
                                 @IAmAliveTime, @Version);'),

-- Heartbeats do not change the table version. GREATEST keeps a delayed heartbeat from moving time back.
('UpdateIAmAlivetimeKey', '
UPDATE orleansmembershiptable
   SET iamalivetime = GREATEST(iamalivetime, @IAmAliveTime)
 WHERE deploymentid = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation;'),

-- Clients find gateways here: active silos (Status = 3) that opened a gateway port.
('GatewaysQueryKey', '
SELECT address, proxyport, generation
  FROM orleansmembershiptable
 WHERE deploymentid = @DeploymentId AND status = @Status AND proxyport > 0;'),

('DeleteMembershipTableEntriesKey', '
SELECT orleans_delete_membership_entries(@DeploymentId);'),

-- Bulk clean-up of silos declared dead (Status = 6) that have neither started nor sent a heartbeat since
-- the cut-off. Without this key silos refuse to start; without running it dead rows pile up for ever.
('CleanupDefunctSiloEntriesKey', '
DELETE FROM orleansmembershiptable
 WHERE deploymentid = @DeploymentId
   AND status = 6
   AND starttime < @IAmAliveTime
   AND iamalivetime < @IAmAliveTime;'),

-- Compare-and-delete of one dead silo, used by 10.4.x when present: the row goes only if nothing about it
-- changed since the provider read it. The provider binds NULL for "no suspicions", hence the COALESCE.
('CleanupDefunctSiloEntryKey', '
DELETE FROM orleansmembershiptable
 WHERE deploymentid = @DeploymentId
   AND address = @Address AND port = @Port AND generation = @Generation
   AND status = 6
   AND starttime = @StartTime
   AND iamalivetime = @IAmAliveTime
   AND COALESCE(suspecttimes, '''') = COALESCE(@SuspectTimes, '''');')
ON CONFLICT (querykey) DO UPDATE SET querytext = EXCLUDED.querytext;
