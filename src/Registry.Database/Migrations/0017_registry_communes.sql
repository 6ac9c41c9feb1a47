-- The national commune lists an operator imports (registry-admin communes import): which communes exist and the
-- province each belongs to, for one set of provincial-level units. A list is for the 63 units of 2024 (units =
-- '2024') or for the units after a reorganisation plan (units = the plan's id); which stored list is in force is
-- decided by the province grains from the plans whose date has come (CommuneList.InForce), so a list for the 2025
-- units is held here until the 2025 reorganisation makes them current. Reference data: about 10,000 rows per list,
-- written by an import, read once per province grain activation and by the list of addresses to update.
CREATE TABLE IF NOT EXISTS registry.commune_list
(
    units       text        NOT NULL PRIMARY KEY CHECK (units <> ''),
    -- SHA-256 of the list's content (CommuneList.Digest): an import of the same list compares it and changes nothing.
    digest      char(64)    NOT NULL,
    communes    integer     NOT NULL CHECK (communes > 0),
    imported_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS registry.commune
(
    units         text        NOT NULL REFERENCES registry.commune_list (units) ON DELETE CASCADE,
    -- A commune code is national: unique in the country for one set of units (the same code may name another area
    -- in another list: 3,315 of the 3,321 codes of 2025 are codes of a 2024 commune).
    commune_code  char(5)     NOT NULL CHECK (commune_code ~ '^[0-9]{5}$'),
    province_code char(3)     NOT NULL CHECK (province_code ~ '^[0-9]{3}$'),
    -- Null in a list of the 2025 units, which have no district level.
    district_code char(3)     CHECK (district_code ~ '^[0-9]{3}$'),
    district_name varchar(100),
    -- NFC, trimmed; 100 is Commune.MaxNameLength.
    commune_name  varchar(100) NOT NULL CHECK (commune_name <> ''),
    PRIMARY KEY (units, commune_code),
    CHECK ((district_code IS NULL) = (district_name IS NULL))
);

-- A province grain's activation: the communes of the list in force under its code (and those of units merged into
-- it). About 300 rows per province in the 2024 list; without the index a scan of every list's rows.
CREATE INDEX IF NOT EXISTS commune_by_province ON registry.commune (units, province_code, commune_code);
