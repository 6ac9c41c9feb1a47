-- Fills migration 0021's columns for the rows projected before it (issue 11): until now such a row gained its
-- temporary residence only at the person's next change, so an officer of a temporary residence's province read the
-- person's record (decided from the grain's state) but did not find them in a search.
--
-- The source is the citizen grain's stored state, the source of truth the projection writes from: UTF-8 JSON without
-- type names (Registry.Silo's JsonGrainStateSerializer), whose property names are a stored contract —
-- resident.temporaryResidence = {"address": {"provinceCode": ...}, "from": ..., "until": ...}. Only rows whose
-- columns are still empty are touched, and a row is written only where the state holds a temporary residence, so a
-- projection racing this migration (a newer snapshot) is never overwritten: its columns are no longer empty, and an
-- ended temporary residence leaves both null as the projection would.
--
-- Cost: one pass over the citizens' states, parsing each; a country's 100 million states are read once, during the
-- upgrade, in one statement (run it in a maintenance window, or in slices by grain hash on a very large database).
UPDATE registry.resident AS resident
SET temporary_residence_province = state.province,
    temporary_residence_until = state.until
FROM (
    SELECT stored.resident ->> 'personalIdNumber' AS personal_id,
           stored.resident -> 'temporaryResidence' -> 'address' ->> 'provinceCode' AS province,
           (stored.resident -> 'temporaryResidence' ->> 'until')::date AS until
    FROM (
        SELECT convert_from(payloadbinary, 'UTF8')::jsonb -> 'resident' AS resident
        FROM orleansstorage
        WHERE graintypestring = 'citizen' AND payloadbinary IS NOT NULL
    ) AS stored
    WHERE jsonb_typeof(stored.resident -> 'temporaryResidence') = 'object'
) AS state
WHERE resident.personal_id = state.personal_id
  AND resident.temporary_residence_province IS NULL
  AND state.province ~ '^[0-9]{3}$'
  AND state.until IS NOT NULL;
