-- Migration statistics read the province ledger: a relocation between provinces is a departure row and an arrival
-- row whose operation ids differ only in their last word. A period's moves are its departures (by recorded_at), each
-- joined to its arrival through the primary key; this index finds a period's departures without reading the rest.
CREATE INDEX IF NOT EXISTS province_resident_change_departures_by_time
    ON registry.province_resident_change (recorded_at) INCLUDE (province_code, operation_id)
    WHERE reason = 'departure';
