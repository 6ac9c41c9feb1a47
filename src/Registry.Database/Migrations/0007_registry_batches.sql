-- Daily provincial batches: a file of registrations and amendments uploaded by a province, processed row by
-- row by the batch grain. The rows live here rather than in grain state because a batch has up to millions of
-- them: grain state is rewritten whole on every write, while a row here is written once when uploaded and once
-- with its result. Progress is read straight from these tables, so it is visible without asking a silo.

-- One uploaded file. Its id is chosen by the province and is the idempotency key of the upload: the same id
-- uploaded again by the same uploader resumes it, by anyone else is refused.
CREATE TABLE IF NOT EXISTS registry.batch
(
    -- 1–80 printable ASCII characters: each row's operation id batch:{id}:{row} must stay within the 100
    -- characters of an idempotency key.
    batch_id         varchar(100) NOT NULL PRIMARY KEY CHECK (batch_id ~ '^[!-~]{1,80}$'),
    province_code    char(3)      NOT NULL CHECK (province_code ~ '^[0-9]{3}$'),
    format           varchar(16)  NOT NULL CHECK (format IN ('ndjson', 'csv')),
    -- The rows are processed as this actor, so the uploader's rights are checked for every row, as for a
    -- single request (a provincial officer writes only for their own province). A provincial officer's
    -- province is province_code.
    uploaded_by      varchar(200) NOT NULL,
    uploaded_by_role varchar(32)  NOT NULL CHECK (uploaded_by_role IN ('provincialOfficer', 'centralAdministrator')),
    -- receiving: rows are being stored (an interrupted upload stays here until uploaded again);
    -- received: every row is stored; running: the batch grain works through pending rows; completed: none left.
    status           varchar(16)  NOT NULL DEFAULT 'receiving' CHECK (status IN ('receiving', 'received', 'running', 'completed')),
    -- Known once the whole file is stored.
    total_rows       integer      NULL CHECK (total_rows >= 0),
    -- The CSV header line, kept to read each stored row by column name; null for NDJSON.
    csv_header       text         NULL CHECK (octet_length(csv_header) <= 65536),
    created_at       timestamptz  NOT NULL DEFAULT now(),
    updated_at       timestamptz  NOT NULL DEFAULT now(),
    started_at       timestamptz  NULL,
    finished_at      timestamptz  NULL,
    CHECK ((format = 'csv') = (csv_header IS NOT NULL))
);

-- One record of an uploaded file and what became of it. Keyed by record number, so storing a chunk again
-- after an interrupted upload inserts nothing twice (ON CONFLICT DO NOTHING), and the row's operation id
-- batch:{id}:{row} makes processing it again have the effect of once.
CREATE TABLE IF NOT EXISTS registry.batch_row
(
    batch_id     varchar(100) NOT NULL REFERENCES registry.batch (batch_id) ON DELETE CASCADE,
    -- 1-based number of the record in the file (CSV: data records after the header; empty lines are not records).
    row_number   integer      NOT NULL CHECK (row_number >= 1),
    -- The record as uploaded, bounded like the upload limit; null when it could not be kept (longer than the
    -- limit, or not UTF-8 text), in which case the row was rejected when uploaded.
    raw          text         NULL CHECK (octet_length(raw) <= 65536),
    -- SHA-256 of the record's UTF-8 bytes: a record of up to 64 KiB cannot be compared by a B-tree, its hash can.
    content_hash bytea        NULL CHECK (octet_length(content_hash) = 32),
    status       varchar(24)  NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'applied', 'duplicateCandidate', 'rejected')),
    -- applied: {"personalIdNumber"}; duplicateCandidate: {"candidates": [...]};
    -- rejected: {"errors": [{"field", "message"}], "sameAsRow"?}. Null while pending.
    result       jsonb        NULL,
    processed_at timestamptz  NULL,
    PRIMARY KEY (batch_id, row_number),
    CHECK ((status = 'pending') = (result IS NULL)),
    CHECK (raw IS NOT NULL OR status = 'rejected')
);

-- One index for three reads: the batch grain's "next pending rows of this batch, in file order" once per
-- chunk, the results by status in row order (keyset paging), and the counts by status of the progress report
-- (an index-only scan). A row's status changes once, so the index costs one extra entry per processed row.
CREATE INDEX IF NOT EXISTS batch_row_by_status
    ON registry.batch_row (batch_id, status, row_number);

-- "Is there an identical earlier row in this batch?" for every row processed: an equality lookup on the hash.
CREATE INDEX IF NOT EXISTS batch_row_by_content
    ON registry.batch_row (batch_id, content_hash, row_number) WHERE content_hash IS NOT NULL;
