-- Identity cards (issue 12). Each card's grain (IdentityCardGrain, keyed by document number) is its source of truth;
-- these tables are what lists and partners read without waking grains.

-- One row per card: its holder, province, state as last stored, issue and expiry. A card is written by its grain after
-- each step, guarded by the step count (version) so that a late repeat never puts an older state back. The stored state
-- 'issued' of a card past expires_on is an expired card: expiry is judged on read, on Vietnam's date, until the daily
-- sweep (issue 12, part 6) records it.
CREATE TABLE IF NOT EXISTS registry.identity_card
(
    -- A series letter (no I or O), the issuing province's last two digits, six serial digits: DocumentNumber.
    document_number char(9)     NOT NULL PRIMARY KEY CHECK (document_number ~ '^[A-HJ-NP-Z][0-9]{8}$'),
    personal_id     char(12)    NOT NULL CHECK (personal_id ~ '^[0-9]{12}$'),
    province_code   char(3)     NOT NULL CHECK (province_code ~ '^[0-9]{3}$'),
    state           varchar(16) NOT NULL CHECK (state IN ('applied', 'produced', 'issued', 'expired', 'reportedLost', 'revoked')),
    reason          varchar(32) NOT NULL,
    applied_on      date        NOT NULL,
    issued_on       date,
    -- Null for a card that does not expire (issued at 58 or later, Law 26/2023 Art. 21).
    expires_on      date,
    version         integer     NOT NULL,
    changed_at      timestamptz NOT NULL DEFAULT now()
);

-- A person's cards (GET of a person's cards, the due lists of part 6).
CREATE INDEX IF NOT EXISTS identity_card_by_person ON registry.identity_card (personal_id);

-- A province's issued cards by expiry: the lists of cards expiring in the next N days and the daily sweep (part 6) read
-- a range of this index per province.
CREATE INDEX IF NOT EXISTS identity_card_issued_by_expiry ON registry.identity_card (province_code, expires_on)
    WHERE state = 'issued';

-- Card events: issued, reported lost, revoked, expired, once each (event_id = card:<document number>:<step number>).
-- They take their position from the province ledger's sequence, so that the registry's events have one order: the
-- event feed (GET /events, the publisher) reads both tables by position, and a subscriber's "after" means the same in
-- both. The revocation list (GET /card-revocations?after=) is this table's revoked and reportedLost rows by position.
CREATE TABLE IF NOT EXISTS registry.identity_card_event
(
    event_id        varchar(200) NOT NULL PRIMARY KEY,
    sequence        bigint       NOT NULL DEFAULT nextval('registry.province_resident_change_sequence_seq'),
    document_number char(9)      NOT NULL,
    personal_id     char(12)     NOT NULL,
    province_code   char(3)      NOT NULL,
    kind            varchar(16)  NOT NULL CHECK (kind IN ('cardIssued', 'cardReportedLost', 'cardRevoked', 'cardExpired')),
    recorded_at     timestamptz  NOT NULL DEFAULT now()
);

-- The feed reads card events after a position in order.
CREATE UNIQUE INDEX IF NOT EXISTS identity_card_event_by_sequence ON registry.identity_card_event (sequence);

-- The revocation list: revoked and lost cards after a position, index-only; partial, since issued cards will be most rows.
CREATE INDEX IF NOT EXISTS identity_card_event_revocations ON registry.identity_card_event (sequence) INCLUDE (document_number, kind, recorded_at)
    WHERE kind IN ('cardRevoked', 'cardReportedLost');
