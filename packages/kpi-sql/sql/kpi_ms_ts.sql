-- kpi_ms_ts(ms bigint) → timestamptz: epoch milliseconds as an instant (new Date(ms) in TypeScript). Inverse of
-- kpi_epoch_ms.
CREATE OR REPLACE FUNCTION "kpi_ms_ts"(ms bigint) RETURNS timestamptz
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN timestamptz '1970-01-01 00:00:00+00' + ms * interval '1 millisecond';
