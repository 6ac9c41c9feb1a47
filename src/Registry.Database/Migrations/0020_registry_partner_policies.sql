-- Ministry partners' policies (issue 11): which purposes a partner may state, which fields eKYC may return to it and
-- its events carry, which kinds of event it receives, its rate, and whether it may ask yes/no verifications. Set by
-- central administrators through PUT /partner-policies/{partnerId}; a partner without a row may do nothing. The
-- codes are checked by the API against the published lists (Registry.Domain.Access.PartnerPolicies) before a row is
-- written, so the table holds what was accepted and the checks here only keep the shape.
-- A few hundred rows at most (one per ministry or bank back-end), read by primary key on each partner request.
CREATE TABLE IF NOT EXISTS registry.partner_policy
(
    -- The partner's token subject; 100 is PartnerPolicies.MaximumIdLength.
    partner_id          varchar(100) NOT NULL PRIMARY KEY CHECK (partner_id ~ '^[A-Za-z0-9._-]+$'),
    purposes            text[]       NOT NULL,
    fields              text[]       NOT NULL,
    -- Wire names of event kinds: birth, death, relocation, reorganisation.
    event_kinds         text[]       NOT NULL,
    requests_per_minute integer      NOT NULL CHECK (requests_per_minute BETWEEN 1 AND 60000),
    may_verify          boolean      NOT NULL,
    -- Who set the policy last (the administrator's token subject) and when: the audit log has every change.
    updated_by          varchar(200) NOT NULL,
    updated_at          timestamptz  NOT NULL DEFAULT now()
);
