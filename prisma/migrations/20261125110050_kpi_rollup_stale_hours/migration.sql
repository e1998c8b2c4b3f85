-- AlterTable
ALTER TABLE "kpi_rollup_coverage" ADD COLUMN     "stale_hours" tstzmultirange NOT NULL DEFAULT '{}'::tstzmultirange;

-- Hand-written SQL of @takt/kpi-sql. Configuration changes (shift patterns, planned downtime, ideal cycle times, a
-- site's time zone, a machine moved to another line) apply to the hours already rolled up: invalidateRollups marks
-- those hours in `stale_hours`, range queries compute them exactly, and the rollup job recomputes them.

-- The stale hours of a coverage row as JSON [[from_ms, to_ms], …], sorted: what the range planner subtracts.
CREATE FUNCTION "kpi_stale_windows_ms"(p_stale tstzmultirange) RETURNS jsonb
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN (SELECT coalesce(jsonb_agg(jsonb_build_array(kpi_epoch_ms(lower(r)), kpi_epoch_ms(upper(r))) ORDER BY lower(r)),
                            '[]'::jsonb)
            FROM unnest(p_stale) AS r);
