-- Durable stream queues for Microsoft.Orleans.Streaming.AdoNet 10.4.2-alpha.1 (the registry's event stream,
-- provider "registry-events"). A publisher's batch of events is one row of orleansstreammessage from the moment
-- OnNextBatchAsync returns until a pulling agent has handed it to every subscriber and confirmed it, so a silo that
-- dies in between loses nothing: its unconfirmed rows become visible again and another silo's agent delivers them.
-- Rows are keyed by (serviceid = ClusterOptions.ServiceId, providerid = the provider's name, queueid = the Orleans
-- queue's name). The provider reads columns by name and casts them exactly: text, bigint messageid, integer
-- dequeued, timestamps, bytea payload. All times are server time (now()) in timestamptz; the provider only sends
-- durations, as whole seconds.

CREATE TABLE IF NOT EXISTS orleansstreammessage
(
    serviceid  varchar(150) NOT NULL,
    providerid varchar(150) NOT NULL,
    queueid    varchar(150) NOT NULL,
    -- One counter for every queue: the order in which a queue hands out its rows.
    messageid  bigint       NOT NULL GENERATED ALWAYS AS IDENTITY,
    -- How often the row was handed out. It is also the receipt: a confirmation counts only with the current value,
    -- so an agent that lost the queue cannot confirm or release a row another agent has taken since.
    dequeued   integer      NOT NULL DEFAULT 0,
    -- Hidden from other agents until then while an agent delivers it.
    visibleon  timestamptz  NOT NULL,
    -- After this the row is no longer handed out and is moved to the dead letters.
    expireson  timestamptz  NOT NULL,
    createdon  timestamptz  NOT NULL,
    modifiedon timestamptz  NOT NULL,
    -- The provider's serialised batch container (Orleans' own serializer): opaque here.
    payload    bytea        NOT NULL,
    PRIMARY KEY (serviceid, providerid, queueid, messageid)
);

-- Rows that were handed out too often without a confirmation, or expired, kept for an operator until removeon.
CREATE TABLE IF NOT EXISTS orleansstreamdeadletter
(
    serviceid  varchar(150) NOT NULL,
    providerid varchar(150) NOT NULL,
    queueid    varchar(150) NOT NULL,
    messageid  bigint       NOT NULL,
    dequeued   integer      NOT NULL,
    visibleon  timestamptz  NOT NULL,
    expireson  timestamptz  NOT NULL,
    createdon  timestamptz  NOT NULL,
    modifiedon timestamptz  NOT NULL,
    deadon     timestamptz  NOT NULL,
    removeon   timestamptz  NOT NULL,
    payload    bytea        NULL,
    PRIMARY KEY (serviceid, providerid, queueid, messageid)
);

CREATE INDEX IF NOT EXISTS orleansstreamdeadletter_removal
    ON orleansstreamdeadletter (serviceid, providerid, queueid, removeon);

-- When each queue is next due for eviction. Every poll of a queue reads its row; the one poll that moves evicton on
-- (the row lock decides between agents briefly polling the same queue) also does the eviction.
CREATE TABLE IF NOT EXISTS orleansstreamcontrol
(
    serviceid  varchar(150) NOT NULL,
    providerid varchar(150) NOT NULL,
    queueid    varchar(150) NOT NULL,
    evicton    timestamptz  NOT NULL,
    PRIMARY KEY (serviceid, providerid, queueid)
);

-- Moves rows of a queue to the dead letters, kept there p_removaltimeout seconds. Returns how many. The one way a row
-- dies: the eviction of a poll and a delivery given up on both come here.
CREATE OR REPLACE FUNCTION orleans_stream_bury(
    p_serviceid text, p_providerid text, p_queueid text, p_messageids bigint[], p_removaltimeout integer)
    RETURNS integer
    LANGUAGE sql
AS $fn$
    WITH removed AS (
        DELETE FROM orleansstreammessage
         WHERE serviceid = p_serviceid AND providerid = p_providerid AND queueid = p_queueid
           AND messageid = ANY (p_messageids)
        RETURNING *),
    buried AS (
        INSERT INTO orleansstreamdeadletter
            (serviceid, providerid, queueid, messageid, dequeued, visibleon, expireson, createdon, modifiedon,
             deadon, removeon, payload)
        SELECT serviceid, providerid, queueid, messageid, dequeued, visibleon, expireson, createdon, modifiedon,
               now(), now() + p_removaltimeout * interval '1 second', payload
          FROM removed
        ON CONFLICT (serviceid, providerid, queueid, messageid) DO NOTHING
        RETURNING 1)
    SELECT count(*)::integer FROM buried;
$fn$;

-- Moves up to p_maxcount rows of a queue to the dead letters: those handed out p_maxattempts times and not confirmed
-- within their last visibility timeout, and those past their expiry whose current attempt is over. Returns how many.
CREATE OR REPLACE FUNCTION orleans_stream_evict_messages(
    p_serviceid text, p_providerid text, p_queueid text,
    p_maxcount integer, p_maxattempts integer, p_removaltimeout integer)
    RETURNS integer
    LANGUAGE sql
AS $fn$
    SELECT orleans_stream_bury(p_serviceid, p_providerid, p_queueid, ARRAY(
        SELECT messageid
          FROM orleansstreammessage
         WHERE serviceid = p_serviceid AND providerid = p_providerid AND queueid = p_queueid
           AND visibleon <= now()
           AND (dequeued >= p_maxattempts OR expireson <= now())
         ORDER BY messageid
         LIMIT p_maxcount
           FOR UPDATE SKIP LOCKED), p_removaltimeout);
$fn$;

-- Deletes up to p_maxcount dead letters of a queue whose retention is over. Returns how many.
CREATE OR REPLACE FUNCTION orleans_stream_evict_dead_letters(
    p_serviceid text, p_providerid text, p_queueid text, p_maxcount integer)
    RETURNS integer
    LANGUAGE sql
AS $fn$
    WITH expired AS (
        SELECT messageid
          FROM orleansstreamdeadletter
         WHERE serviceid = p_serviceid AND providerid = p_providerid AND queueid = p_queueid
           AND removeon <= now()
         ORDER BY removeon
         LIMIT p_maxcount
           FOR UPDATE SKIP LOCKED),
    removed AS (
        DELETE FROM orleansstreamdeadletter AS l
         USING expired AS e
         WHERE l.serviceid = p_serviceid AND l.providerid = p_providerid AND l.queueid = p_queueid
           AND l.messageid = e.messageid
        RETURNING 1)
    SELECT count(*)::integer FROM removed;
$fn$;

-- One poll of a queue by its pulling agent: the eviction when it is due, then up to p_maxcount visible rows in
-- messageid order, each handed out once more and hidden for p_visibilitytimeout seconds. SKIP LOCKED lets a second
-- agent (while a queue changes hands) take other rows instead of waiting for these.
CREATE OR REPLACE FUNCTION orleans_stream_dequeue(
    p_serviceid text, p_providerid text, p_queueid text, p_maxcount integer, p_maxattempts integer,
    p_visibilitytimeout integer, p_removaltimeout integer, p_evictioninterval integer, p_evictionbatchsize integer)
    RETURNS SETOF orleansstreammessage
    LANGUAGE plpgsql
AS $fn$
BEGIN
    UPDATE orleansstreamcontrol
       SET evicton = now() + p_evictioninterval * interval '1 second'
     WHERE serviceid = p_serviceid AND providerid = p_providerid AND queueid = p_queueid
       AND evicton <= now();
    IF FOUND THEN
        PERFORM orleans_stream_evict_messages(p_serviceid, p_providerid, p_queueid,
                                              p_evictionbatchsize, p_maxattempts, p_removaltimeout);
        PERFORM orleans_stream_evict_dead_letters(p_serviceid, p_providerid, p_queueid, p_evictionbatchsize);
    ELSIF NOT EXISTS (SELECT 1 FROM orleansstreamcontrol
                       WHERE serviceid = p_serviceid AND providerid = p_providerid AND queueid = p_queueid) THEN
        -- The queue's first poll: due at once, so the next poll evicts.
        INSERT INTO orleansstreamcontrol (serviceid, providerid, queueid, evicton)
        VALUES (p_serviceid, p_providerid, p_queueid, now())
        ON CONFLICT (serviceid, providerid, queueid) DO NOTHING;
    END IF;

    RETURN QUERY
    WITH due AS (
        SELECT messageid
          FROM orleansstreammessage
         WHERE serviceid = p_serviceid AND providerid = p_providerid AND queueid = p_queueid
           AND dequeued < p_maxattempts
           AND visibleon <= now()
           AND expireson > now()
         ORDER BY messageid
         LIMIT p_maxcount
           FOR UPDATE SKIP LOCKED)
    UPDATE orleansstreammessage AS m
       SET dequeued = m.dequeued + 1,
           visibleon = now() + p_visibilitytimeout * interval '1 second',
           modifiedon = now()
      FROM due AS n
     WHERE m.serviceid = p_serviceid AND m.providerid = p_providerid AND m.queueid = p_queueid
       AND m.messageid = n.messageid
    RETURNING m.*;
END;
$fn$;

-- Confirms or releases rows an agent holds. p_items is "messageid:receipt|messageid:receipt...", the receipt being
-- the dequeued count the agent got. A positive receipt confirms delivery: the row is deleted. A negative one (an agent
-- shutting down gives back what it has not delivered) makes the row visible again at once, dequeued unchanged.
-- Either only while the row still carries that receipt. Returns the rows confirmed or released.
CREATE OR REPLACE FUNCTION orleans_stream_confirm(
    p_serviceid text, p_providerid text, p_queueid text, p_items text)
    RETURNS TABLE (serviceid varchar, providerid varchar, queueid varchar, messageid bigint)
    LANGUAGE sql
AS $fn$
    WITH item AS (
        SELECT split_part(entry, ':', 1)::bigint AS messageid, split_part(entry, ':', 2)::integer AS receipt
          FROM unnest(string_to_array(p_items, '|')) AS entry
         WHERE entry <> ''),
    confirmed AS (
        DELETE FROM orleansstreammessage AS m
         USING item AS i
         WHERE m.serviceid = p_serviceid AND m.providerid = p_providerid AND m.queueid = p_queueid
           AND m.messageid = i.messageid AND i.receipt > 0 AND m.dequeued = i.receipt
        RETURNING m.serviceid, m.providerid, m.queueid, m.messageid),
    released AS (
        UPDATE orleansstreammessage AS m
           SET visibleon = now(), modifiedon = now()
          FROM item AS i
         WHERE m.serviceid = p_serviceid AND m.providerid = p_providerid AND m.queueid = p_queueid
           AND m.messageid = i.messageid AND i.receipt < 0 AND m.dequeued = -i.receipt
        RETURNING m.serviceid, m.providerid, m.queueid, m.messageid)
    SELECT * FROM confirmed
    UNION ALL
    SELECT * FROM released;
$fn$;

-- A delivery the agent gave up on (a subscriber kept failing): the row is offered again at once while it has
-- attempts left, and moved to the dead letters otherwise.
CREATE OR REPLACE FUNCTION orleans_stream_fail(
    p_serviceid text, p_providerid text, p_queueid text, p_messageid bigint,
    p_maxattempts integer, p_removaltimeout integer)
    RETURNS void
    LANGUAGE plpgsql
AS $fn$
BEGIN
    UPDATE orleansstreammessage
       SET visibleon = now(), modifiedon = now()
     WHERE serviceid = p_serviceid AND providerid = p_providerid AND queueid = p_queueid
       AND messageid = p_messageid
       AND dequeued < p_maxattempts;
    IF FOUND THEN
        RETURN;
    END IF;

    PERFORM orleans_stream_bury(p_serviceid, p_providerid, p_queueid, ARRAY[p_messageid], p_removaltimeout);
END;
$fn$;

-- The six keys the provider requires at start-up ("Not all required queries found" otherwise), with the parameters it
-- binds: the eviction keys get MaxCount (not BatchSize), and ConfirmStreamMessagesKey also serves releases.
INSERT INTO orleansquery (querykey, querytext)
VALUES
-- Exactly one row back: the new row's identity.
('QueueStreamMessageKey', '
INSERT INTO orleansstreammessage (serviceid, providerid, queueid, visibleon, expireson, createdon, modifiedon, payload)
VALUES (@ServiceId, @ProviderId, @QueueId, now(), now() + @ExpiryTimeout * interval ''1 second'', now(), now(), @Payload)
RETURNING serviceid, providerid, queueid, messageid;'),

('GetStreamMessagesKey', '
SELECT serviceid, providerid, queueid, messageid, dequeued, visibleon, expireson, createdon, modifiedon, payload
  FROM orleans_stream_dequeue(@ServiceId, @ProviderId, @QueueId, @MaxCount, @MaxAttempts, @VisibilityTimeout,
                              @RemovalTimeout, @EvictionInterval, @EvictionBatchSize);'),

('ConfirmStreamMessagesKey', '
SELECT serviceid, providerid, queueid, messageid
  FROM orleans_stream_confirm(@ServiceId, @ProviderId, @QueueId, @Items);'),

('FailStreamMessageKey', '
SELECT orleans_stream_fail(@ServiceId, @ProviderId, @QueueId, @MessageId, @MaxAttempts, @RemovalTimeout);'),

-- 10.4.2-alpha.1 evicts from inside GetStreamMessagesKey; these two are required all the same.
('EvictStreamMessagesKey', '
SELECT orleans_stream_evict_messages(@ServiceId, @ProviderId, @QueueId, @MaxCount, @MaxAttempts, @RemovalTimeout);'),

('EvictStreamDeadLettersKey', '
SELECT orleans_stream_evict_dead_letters(@ServiceId, @ProviderId, @QueueId, @MaxCount);')
ON CONFLICT (querykey) DO UPDATE SET querytext = EXCLUDED.querytext;
