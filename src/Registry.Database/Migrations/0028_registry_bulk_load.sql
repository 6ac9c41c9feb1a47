-- The national bulk load (issue 14, item 7; registry-admin bulk-load): a country's first people loaded from its provincial
-- files straight into grain storage, the read model and the province ledger, set-based, while the cluster is stopped.

-- One row per file loaded. The id is derived from the file's SHA-256, so the same file loaded again finds its row: a
-- finished load changes nothing, an interrupted one resumes after rows_done. rows_done moves in the same transaction
-- as the rows of its chunk (people, read model, ledger, results), so after a crash every row below it is written once
-- and nothing above it is written at all.
CREATE TABLE IF NOT EXISTS registry.bulk_load
(
    load_id     varchar(40)  NOT NULL PRIMARY KEY,
    file_name   varchar(500) NOT NULL,
    sha256      char(64)     NOT NULL,
    loaded_by   varchar(200) NOT NULL,
    status      varchar(16)  NOT NULL CHECK (status IN ('running', 'completed')),
    rows_done   integer      NOT NULL DEFAULT 0 CHECK (rows_done >= 0),
    applied     bigint       NOT NULL DEFAULT 0,
    duplicates  bigint       NOT NULL DEFAULT 0,
    rejected    bigint       NOT NULL DEFAULT 0,
    started_at  timestamptz  NOT NULL DEFAULT now(),
    finished_at timestamptz
);

-- What became of each row, as a batch row reports it: applied with its number, duplicateCandidate with the candidates,
-- rejected with the errors naming the field (result, the same JSON as registry.batch_row.result). Written by COPY with its
-- chunk; keyed by load and row, which is also the order a province reads its results in. The applied rows are the
-- province's map from its own records to the numbers allocated for them, so they are kept too.
CREATE TABLE IF NOT EXISTS registry.bulk_load_row
(
    load_id     varchar(40) NOT NULL REFERENCES registry.bulk_load (load_id),
    row_number  integer     NOT NULL CHECK (row_number > 0),
    status      varchar(20) NOT NULL CHECK (status IN ('applied', 'duplicateCandidate', 'rejected')),
    personal_id char(12)    CHECK (personal_id ~ '^[0-9]{12}$'),
    result      text        NOT NULL,
    PRIMARY KEY (load_id, row_number)
);

-- The duplicate check of a registration (name key, birth date, birth province), made for a whole chunk at once, is
-- served by the read model's resident_duplicates; nothing new is needed for it.
