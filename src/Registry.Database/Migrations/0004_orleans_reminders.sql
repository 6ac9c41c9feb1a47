-- Reminders for Microsoft.Orleans.Reminders.AdoNet 10.4.2. grainhash places a reminder on the silo ring;
-- each silo reads the reminders of its own hash range. period is in milliseconds.

CREATE TABLE IF NOT EXISTS orleansreminderstable
(
    serviceid    varchar(150)   NOT NULL,
    -- GrainId.ToString() ("type/key"); 150 characters, as in the provider's own script, is too short for
    -- long grain type names.
    grainid      varchar(512)   NOT NULL,
    remindername varchar(150)   NOT NULL,
    starttime    timestamptz(3) NOT NULL,
    period       bigint         NOT NULL,
    grainhash    integer        NOT NULL,
    version      integer        NOT NULL,
    PRIMARY KEY (serviceid, grainid, remindername)
);

CREATE INDEX IF NOT EXISTS orleansreminderstable_ring
    ON orleansreminderstable (serviceid, grainhash);

INSERT INTO orleansquery (querykey, querytext)
VALUES
-- No etag check on upsert; the version only has to change so that older etags stop matching.
('UpsertReminderRowKey', '
INSERT INTO orleansreminderstable AS r (serviceid, grainid, remindername, starttime, period, grainhash, version)
VALUES (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 0)
ON CONFLICT (serviceid, grainid, remindername) DO UPDATE
   SET starttime = EXCLUDED.starttime,
       period = EXCLUDED.period,
       grainhash = EXCLUDED.grainhash,
       version = CASE WHEN r.version = 2147483647 THEN 0 ELSE r.version + 1 END
RETURNING version;'),

('ReadReminderRowsKey', '
SELECT grainid, remindername, starttime, period, version
  FROM orleansreminderstable
 WHERE serviceid = @ServiceId AND grainid = @GrainId;'),

('ReadReminderRowKey', '
SELECT grainid, remindername, starttime, period, version
  FROM orleansreminderstable
 WHERE serviceid = @ServiceId AND grainid = @GrainId AND remindername = @ReminderName;'),

-- The provider picks this one when the ring range does not wrap: (begin, end].
('ReadRangeRows1Key', '
SELECT grainid, remindername, starttime, period, version
  FROM orleansreminderstable
 WHERE serviceid = @ServiceId AND grainhash > @BeginHash AND grainhash <= @EndHash;'),

-- ...and this one when it wraps past the top of the ring (or covers all of it).
('ReadRangeRows2Key', '
SELECT grainid, remindername, starttime, period, version
  FROM orleansreminderstable
 WHERE serviceid = @ServiceId AND (grainhash > @BeginHash OR grainhash <= @EndHash);'),

('DeleteReminderRowKey', '
WITH deleted AS (
    DELETE FROM orleansreminderstable
     WHERE serviceid = @ServiceId AND grainid = @GrainId AND remindername = @ReminderName
       AND version = @Version
    RETURNING 1)
SELECT count(*)::integer FROM deleted;'),

('DeleteReminderRowsKey', '
DELETE FROM orleansreminderstable WHERE serviceid = @ServiceId;')
ON CONFLICT (querykey) DO UPDATE SET querytext = EXCLUDED.querytext;
