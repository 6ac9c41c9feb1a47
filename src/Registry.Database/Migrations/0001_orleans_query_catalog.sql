-- The catalog the Orleans ADO.NET providers read their SQL from, keyed by query name.
-- The providers query it unquoted and unqualified, so it lives in the connection's search_path (public)
-- under lower-case names. Each later migration upserts its own rows, so a corrected query text replaces
-- the old one when its migration is applied.
CREATE TABLE IF NOT EXISTS orleansquery
(
    querykey  varchar(64)   NOT NULL PRIMARY KEY,
    querytext varchar(8000) NOT NULL
);
