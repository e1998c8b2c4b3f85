-- kpi_epoch_ms(t timestamptz) → bigint: the instant as epoch milliseconds, the time unit of every KPI function
-- (Date.getTime() in TypeScript). Inverse of kpi_ms_ts.
CREATE OR REPLACE FUNCTION "kpi_epoch_ms"(t timestamptz) RETURNS bigint
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN (extract(epoch FROM t) * 1000)::bigint;
